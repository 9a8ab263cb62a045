"""App-wide HTTP hygiene, for every route (pages, API, downloads, assets):

- security headers: `X-Content-Type-Options: nosniff`, `Referrer-Policy`, and for HTML a
  Content-Security-Policy that allows scripts only from the app itself plus the page's inline
  blocks: by their SHA-256 hashes on cached pages (see pagecache), else by this response's nonce
  (`csp_nonce()` in templates); images from the app and the tile host;
- CORS open for reading on the machine-readable blueprints (`allow_cross_origin(bp)`), so other
  sites and web GIS clients can use the API;
- the caching rules of `maps.web.caching` (ETag, Cache-Control, 304), applied last;
- gzip/brotli for text (flask-compress; cached pages come precompressed).

A 304 carries no CSP header: the browser keeps the policy stored with the body it already has
(RFC 9111 §4.3.4 merges 304 headers into it), which for a nonce page is the one that matches.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, Flask, Response, current_app, g, request
from flask_compress import Compress
from werkzeug.wrappers import Response as BaseResponse

from maps.mapview import tile_origins
from maps.web import caching

REFERRER_POLICY = "strict-origin-when-cross-origin"
# Stands in for the nonce in cached pages; random per process, so data can never contain it.
NONCE_PLACEHOLDER = "nonce-placeholder-" + secrets.token_hex(16)
EXTRA_COMPRESS_TYPES = [
    "application/geo+json",
    "application/problem+json",
    "application/gpx+xml",
    "application/vnd.google-earth.kml+xml",
    "text/csv",
    "image/svg+xml",
]


def csp_nonce() -> str:
    """This response's script nonce (or the placeholder while a cacheable page renders)."""
    if g.get("csp_placeholder"):
        return NONCE_PLACEHOLDER
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


@contextmanager
def placeholder_nonce() -> Iterator[str]:
    """Render a page for the cache: `csp_nonce()` gives the placeholder meanwhile."""
    g.csp_placeholder = True
    try:
        yield NONCE_PLACEHOLDER
    finally:
        g.csp_placeholder = False


_NONCED_SCRIPT = re.compile(r'<script nonce="[^"]*">(.*?)</script>', re.DOTALL)


def hash_inline_scripts(html: str) -> tuple[str, tuple[str, ...]]:
    """Swap the nonces of inline scripts for their SHA-256 hashes. The page is then the same bytes
    for every visitor (cached and compressed once, or frozen to a file) while the policy still
    allows exactly these scripts and nothing injected."""
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _NONCED_SCRIPT.findall(html)
    }
    html = _NONCED_SCRIPT.sub(lambda m: "<script>" + m.group(1) + "</script>", html)
    return html, tuple(sorted(hashes))


def script_sources() -> tuple[str, ...]:
    """What this response's scripts may be: the hashes of a cached page, else the nonce."""
    return g.get("csp_script_hashes") or (f"'nonce-{csp_nonce()}'",)


def content_security_policy(scripts: tuple[str, ...], tile_hosts: list[str]) -> str:
    images = " ".join(["'self'", "data:", *tile_hosts])  # Leaflet blanks failed tiles with a data: GIF
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *scripts]),
            # Folium and Leaflet set style= attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",  # the offline pack's service worker, /sw.js
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def add_cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition, Link"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def allow_cross_origin(bp: Blueprint) -> None:
    """CORS open for reading on every answer of a blueprint (data, not pages)."""
    bp.after_request(add_cors)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.extensions["maps.tile_hosts"] = tile_origins(app.config["TILES"])

    # Flask runs after_request hooks in reverse order of registration:
    # _security_and_etag, then flask-compress, then _after_compression.
    @app.after_request
    def _after_compression(response: Response) -> Response:
        if response.status_code == 304:
            response.headers.pop("Content-Security-Policy", None)
        return response

    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/plain",
            "text/xml",
            "text/javascript",
            "application/javascript",
            "application/json",
            *EXTRA_COMPRESS_TYPES,
        ],
    )
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    Compress(app)

    @app.after_request
    def _security_and_etag(response: BaseResponse) -> BaseResponse:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        if response.mimetype == "text/html":
            tiles = current_app.extensions["maps.tile_hosts"]
            headers["Content-Security-Policy"] = content_security_policy(script_sources(), tiles)
        return caching.conditional(response)
