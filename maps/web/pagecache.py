"""Rendered pages cached per (page, data-file version, canonical filter): the second request
for the same view does no Folium or template work, and an edited data file has a new version,
so the next request renders afresh without a restart. A cached page's inline scripts are
allowed by their hashes rather than a per-response nonce, so its bytes are the same for every
visitor: they are compressed once per encoding (brotli or gzip, on the first request that
asks for it: most visitors ask for brotli, so gzip is rarely paid for) and served as stored."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import brotli
from flask import Flask, Response, current_app, g, request

from maps.web.caching import body_etag, revalidated_page
from maps.web.http import hash_inline_scripts, placeholder_nonce
from maps.web.responsecache import mark_cacheable
from maps.web.state import catalog

ENCODINGS = ("br", "gzip")
BIG_PAGE = 1 << 20  # brotli 4 on bigger pages: about half the time of 5 for a few % more bytes
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=5 if len(body) < BIG_PAGE else 4),
    "gzip": lambda body: gzip.compress(body, compresslevel=6),
}


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    etag: str
    script_hashes: tuple[str, ...]
    encoded: dict[str, bytes] = field(default_factory=dict, compare=False)

    @classmethod
    def from_html(cls, html: str) -> CachedPage:
        html, hashes = hash_inline_scripts(html)
        body = html.encode()
        return cls(body, body_etag(body), hashes)

    def encode(self, encoding: str) -> bytes:
        """The body compressed with `encoding`, once (a race only compresses it twice)."""
        data = self.encoded.get(encoding)
        if data is None:
            data = COMPRESS[encoding](self.body)
            self.encoded[encoding] = data
        return data


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
            page = CachedPage.from_html(render())
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
    g.csp_script_hashes = page.script_hashes
    encoding = next((e for e in ENCODINGS if e in request.accept_encodings), None)
    response = Response(page.encode(encoding) if encoding else page.body, mimetype="text/html")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    mark_cacheable(request.environ, catalog().version)  # the same bytes for everyone: keep them whole
    return revalidated_page(response, f"{page.etag}-{encoding}" if encoding else page.etag)
