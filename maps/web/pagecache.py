"""Rendered pages cached per (page, data-file version, canonical filter): the second request
for the same view does no Folium or template work, and an edited data file has a new version,
so the next request renders afresh without a restart. Bodies are stored with the nonce
placeholder; each response gets its own nonce and an ETag of the nonce-free body."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, Response, current_app

from .http import placeholder_nonce, with_nonce


@dataclass(frozen=True)
class CachedPage:
    body: str
    etag: str


class PageCache:
    """A small thread-safe LRU of rendered pages; `renders` counts real renders (for tests)."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self.lock = threading.Lock()
        self.renders = 0

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> CachedPage:
        with self.lock:
            page = self.entries.get(key)
            if page is not None:
                self.entries.move_to_end(key)
                return page
        with placeholder_nonce():
            body = render()
        page = CachedPage(body, hashlib.blake2b(body.encode(), digest_size=16).hexdigest())
        with self.lock:
            self.renders += 1
            self.entries[key] = page
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return page


def init_app(app: Flask) -> None:
    app.extensions["maps.pagecache"] = PageCache(app.config.get("PAGE_CACHE_SIZE", 256))


def page_cache() -> PageCache:
    return current_app.extensions["maps.pagecache"]


def cached_page(key: Hashable, render: Callable[[], str]) -> Response:
    """An HTML response for `key`, rendered once; must revalidate (ETag) on every visit."""
    page = page_cache().get_or_render(key, render)
    response = Response(with_nonce(page.body), mimetype="text/html")
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = "no-cache"
    return response
