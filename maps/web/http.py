"""App-wide HTTP hygiene, for every route (pages, API, downloads, assets):

- security headers: `X-Content-Type-Options: nosniff`, `Referrer-Policy`, and for HTML a
  Content-Security-Policy that allows scripts only from the app itself plus inline blocks that
  carry this response's nonce (`csp_nonce()` in templates); images from the app and the tile host;
- `ETag` on every complete 200 answer and `304 Not Modified` for a matching `If-None-Match`;
- gzip/brotli for text (flask-compress, which tags the ETag with the encoding).

A cached page's body differs per response only by its nonce, so pages set their ETag from the
nonce-free body. A 304 carries no CSP header: the browser keeps the policy stored with the body
it already has, whose nonce matches that body (RFC 9111 §4.3.4 merges 304 headers into it).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress

from ..mapview import tile_origins

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


def with_nonce(body: str) -> str:
    return body.replace(NONCE_PLACEHOLDER, csp_nonce())


def content_security_policy(nonce: str, tile_hosts: list[str]) -> str:
    images = " ".join(["'self'", "data:", *tile_hosts])  # Leaflet blanks failed tiles with a data: GIF
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # Folium and Leaflet set style= attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


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
    def _security_and_etag(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        if response.mimetype == "text/html":
            tiles = current_app.extensions["maps.tile_hosts"]
            headers["Content-Security-Policy"] = content_security_policy(csp_nonce(), tiles)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.is_streamed
            and not response.direct_passthrough
            and "ETag" not in headers
        ):
            response.add_etag()
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.make_conditional(request)
        return response
