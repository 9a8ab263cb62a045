"""Whole answers kept per (data version, normalised request), served in front of Flask.

Why: a cached page or a repeated API answer is the same bytes for everyone, yet going through
Flask's request context, the rate limiter's checks, the session, the spoiler redirect and the
header hooks costs more than the network does. This WSGI middleware stores the complete answer
(status, headers, encoded body) the first time Flask produces it, and serves the next identical
request without entering Flask at all, so the headers (CSP, ETag, Cache-Control, Vary,
Content-Encoding) are byte for byte the ones Flask sent.

What is stored: only GET answers with status 200 that a view marked cacheable (`mark_cacheable`:
pages from the page cache, whose scripts are allowed by hashes rather than a nonce, and data
answers: OGC API, downloads, /api/route), that set no cookie.
Errors are never stored. What bypasses it: any other method, conditional or range requests
(Flask answers those, 304 included), requests carrying cookies other than the spoiler setting.

The key: the data version (inode, mtime and size of the data file and its episode list, looked
at again at most once a second per worker, DATA_CHECK_INTERVAL: an edit shows within a second;
a miss goes to Flask, which looks at the file on every request), the path, the query with its
parameters sorted by name (the order of repeated parameters kept: it can matter), the
Accept-Encoding header, the Accept header (content negotiation), the host and scheme (absolute links)
and the remembered spoiler setting. The store is an LRU bounded in entries and in bytes; an
answer larger than `max_entry_bytes` (a big download) is streamed through and not kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from maps.dataset.catalog import data_version
from maps.errors import DataUnreadable

ENVIRON_FLAG = "maps.cacheable"  # set by a view to the catalog version its answer was made from
SPOILER_COOKIE = "maps_watched"
NEVER_STORED_HEADERS = ("set-cookie",)
MAX_KEY_PART = 512  # an Accept header longer than this is not worth a cache entry

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Stored:
    status: str
    headers: tuple[tuple[str, str], ...]  # without Date: each answer gets the time it is sent
    body: bytes
    dated: bool = False


_clock: list = [0, ""]  # (second, its HTTP date): one formatting per second, not per request


def http_now() -> str:
    now = int(time.time())
    if _clock[0] != now:
        _clock[:] = [now, formatdate(now, usegmt=True)]
    return _clock[1]


@lru_cache(maxsize=1024)
def normalised_query(query_string: str) -> str:
    """The query with its parameters sorted by name; repeated ones keep their order
    (`bbox=1&bbox=2` is an array), empty values kept (the views decide what they mean)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda kv: kv[0]))


def encoding_key(accept_encoding: str) -> str:
    """Accept-Encoding as part of the key: the whole header, spaces and case aside (the app's
    choice between brotli, gzip and none is then made once per distinct header)."""
    return accept_encoding.replace(" ", "").lower()


class ResponseCache:
    """A thread-safe LRU of whole answers; `hits` and `stores` count for tests and benchmarks."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 64 << 20, max_entry_bytes: int = 4 << 20):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.entries: OrderedDict[tuple, Stored] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.hits = 0
        self.stores = 0

    def get(self, key: tuple) -> Stored | None:
        with self.lock:
            stored = self.entries.get(key)
            if stored is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            return stored

    def put(self, key: tuple, stored: Stored) -> None:
        if len(stored.body) > self.max_entry_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = stored
            self.size += len(stored.body)
            self.stores += 1
            while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
                _, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted.body)


def _spoiler_cookie(cookie_header: str) -> str | None:
    """The spoiler setting when it is the only cookie; None when another cookie is present
    (a session: such requests go through Flask)."""
    try:
        cookies = SimpleCookie(cookie_header)
    except CookieError:
        return None
    if set(cookies) - {SPOILER_COOKIE}:
        return None
    morsel = cookies.get(SPOILER_COOKIE)
    return morsel.value if morsel is not None else ""


class ResponseCacheMiddleware:
    """Serves stored answers; asks `app` (Flask) for everything else and stores what it may."""

    def __init__(
        self, app: WSGIApp, data_path: Path, cache: ResponseCache, check_interval: float = 0.0
    ) -> None:
        self.app = app
        self.data_path = Path(data_path)
        self.cache = cache
        self.check_interval = check_interval
        self._version: tuple[float, str] | None = None  # (when it was read, the data version)

    def data_version(self) -> str:
        """The data file's version, read again at most every `check_interval` seconds: on a busy
        worker two `stat` calls per request cost more than answering from the cache did."""
        now = time.monotonic()
        seen = self._version
        if seen is None or now - seen[0] >= self.check_interval:
            seen = self._version = (now, data_version(self.data_path))
        return seen[1]

    def key(self, environ: dict[str, Any]) -> tuple | None:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return None
        if any(
            name in environ
            for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_RANGE")
        ):
            return None
        cookie = ""
        if "HTTP_COOKIE" in environ:
            value = _spoiler_cookie(environ["HTTP_COOKIE"])
            if value is None:
                return None
            cookie = value
        accept = environ.get("HTTP_ACCEPT", "")
        if len(accept) > MAX_KEY_PART or len(environ.get("HTTP_ACCEPT_ENCODING", "")) > MAX_KEY_PART:
            return None
        try:
            version = self.data_version()
        except DataUnreadable:
            return None
        return (
            version,
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            normalised_query(environ.get("QUERY_STRING", "")),
            encoding_key(environ.get("HTTP_ACCEPT_ENCODING", "")),
            accept,
            cookie,
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        stored = self.cache.get(key)
        if stored is not None:
            headers = list(stored.headers)
            if stored.dated:
                headers.append(("Date", http_now()))
            start_response(stored.status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [stored.body]
        if environ["REQUEST_METHOD"] == "HEAD":  # only a GET's body can be stored
            return self.app(environ, start_response)
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.app(environ, capture)
        version = environ.get(ENVIRON_FLAG)
        if version != key[0] or not self._storable(seen):
            return body
        return self._store_while_sending(key, seen, body)

    @staticmethod
    def _storable(seen: dict[str, Any]) -> bool:
        if not str(seen.get("status", "")).startswith("200"):
            return False
        # `Vary: Cookie` is fine: the only cookie such a request may carry is part of the key.
        return not any(name.lower() in NEVER_STORED_HEADERS for name, _ in seen.get("headers", ()))

    def _store_while_sending(
        self, key: tuple, seen: dict[str, Any], body: Iterable[bytes]
    ) -> Iterator[bytes]:
        """Pass the body on chunk by chunk; keep a copy only while it stays under the bound."""
        chunks: list[bytes] | None = []
        size = 0
        try:
            for chunk in body:
                if chunks is not None:
                    size += len(chunk)
                    if size > self.cache.max_entry_bytes:
                        chunks = None
                    else:
                        chunks.append(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        if chunks is not None:
            headers = tuple((k, v) for k, v in seen["headers"] if k.lower() != "date")
            dated = len(headers) != len(seen["headers"])
            self.cache.put(key, Stored(seen["status"], headers, b"".join(chunks), dated))


def mark_cacheable(environ: dict[str, Any], version: str) -> None:
    """Let the middleware keep this request's answer (made from the data version `version`)."""
    environ[ENVIRON_FLAG] = version


def init_app(app: Any) -> None:
    """Put the cache in front of the app's WSGI callable (RESPONSE_CACHE_ENTRIES 0 turns it off)."""
    entries = int(app.config.get("RESPONSE_CACHE_ENTRIES", 512))
    if entries <= 0:
        return
    cache = ResponseCache(
        max_entries=entries,
        max_bytes=int(app.config.get("RESPONSE_CACHE_BYTES", 64 << 20)),
        max_entry_bytes=int(app.config.get("RESPONSE_CACHE_ENTRY_BYTES", 4 << 20)),
    )
    app.extensions["maps.responsecache"] = cache
    # How often a worker looks at the data file's version (seconds); tests look every time.
    interval = float(app.config.get("DATA_CHECK_INTERVAL", 0.0 if app.testing else 1.0))
    app.wsgi_app = ResponseCacheMiddleware(app.wsgi_app, Path(app.config["DATA_PATH"]), cache, interval)
