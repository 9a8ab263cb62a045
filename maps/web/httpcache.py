"""Headers for the machine-readable routes (downloads, OGC API, OpenAPI): caching validators
that change exactly when the dataset changes, and CORS open for reading so other sites and
web GIS clients can use the API. Installed per blueprint (`install(bp)`), so the app-wide hooks
of other blueprints stay as they are."""

from __future__ import annotations

import hashlib
import os

from flask import Blueprint, Response, request
from werkzeug.http import http_date

from maps.web.state import catalog, data_state
from maps.web.urls import link_base

MAX_AGE = 300  # seconds; ETag/Last-Modified make revalidation cheap after that


def _etag(version: str, response: Response) -> str:
    """Everything the body depends on: the data version, the URL, the format and the public
    address its absolute links are built from (two hosts never share an ETag)."""
    key = (
        f"{version}|{link_base()}|{request.full_path}|{response.mimetype}|{response.headers.get('Vary', '')}"
    )
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def _last_modified() -> float | None:
    try:
        return os.stat(data_state().path).st_mtime
    except OSError:
        return None


def add_cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition, Link"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def add_cache_headers(response: Response) -> Response:
    """On a successful read: an ETag from the dataset version and the URL (weak: the bytes may be
    compressed on the way), Last-Modified from the data file, Cache-Control; answers a matching
    If-None-Match / If-Modified-Since with 304 without producing the body."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Accept")
    response.set_etag(_etag(catalog().version, response), weak=True)
    mtime = _last_modified()
    if mtime is not None:
        response.headers["Last-Modified"] = http_date(int(mtime))
    if response.is_streamed:
        # make_conditional would buffer the whole body to count its length: a streamed download
        # must never hold a second copy of the dataset in memory.
        response.implicit_sequence_conversion = False
    return response.make_conditional(request)


def install(bp: Blueprint) -> None:
    @bp.after_request
    def _headers(response: Response) -> Response:
        return add_cors(add_cache_headers(response))
