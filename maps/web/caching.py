"""Every HTTP caching rule of the app in one place: which validators (ETag, Last-Modified) each
kind of answer carries, how long a cache may keep it (Cache-Control), and the 304 answers.

- Pages rendered from the page cache: a strong ETag from their bytes (per encoding), and
  `no-cache` (revalidate on every visit: a data edit must show at once).
- Machine-readable data (downloads, OGC API, OpenAPI): a weak ETag from the dataset version,
  the URL and the public address of its links (`urls.link_base`), Last-Modified from the data
  file, `max-age` of DATA_MAX_AGE (cheap revalidation after).
- Static assets: `max-age` only (OWN_ASSET_MAX_AGE for the project's files, VENDOR_ASSET_MAX_AGE
  for the installed libraries, whose versions change only with the installation).
- Any other complete 200 answer: an ETag from its body.
Every GET/HEAD 200 then answers a matching If-None-Match / If-Modified-Since with 304.
"""

from __future__ import annotations

import hashlib
import os

from flask import Blueprint, Response, request
from werkzeug.http import http_date
from werkzeug.wrappers import Response as BaseResponse

from maps.web.responsecache import mark_cacheable, normalised_query
from maps.web.state import catalog, data_state
from maps.web.urls import link_base

DATA_MAX_AGE = 300  # seconds; ETag/Last-Modified make revalidation cheap after that
OWN_ASSET_MAX_AGE = 3600
VENDOR_ASSET_MAX_AGE = 86400 * 30
PAGE_CACHE_CONTROL = "no-cache"


def body_etag(body: bytes) -> str:
    """A strong validator for exact bytes."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def revalidated_page(response: Response, etag: str) -> Response:
    """A cached page: its ETag, and caches must revalidate on every visit."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    return response


def _data_etag(version: str, response: Response) -> str:
    """Everything the body depends on: the data version, the URL, the format and the public
    address its absolute links are built from (two hosts never share an ETag)."""
    vary = response.headers.get("Vary", "")
    query = normalised_query(request.query_string.decode("latin-1"))
    key = f"{version}|{link_base()}|{request.path}?{query}|{response.mimetype}|{vary}"
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def _last_modified() -> float | None:
    try:
        return os.stat(data_state().path).st_mtime
    except OSError:
        return None


def add_data_validators(response: Response) -> Response:
    """On a successful read of data: an ETag from the dataset version and the URL (weak: the
    bytes may be compressed on the way), Last-Modified from the data file, Cache-Control. A
    streamed answer keeps streaming (`conditional` never buffers it)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers["Cache-Control"] = f"public, max-age={DATA_MAX_AGE}"
    response.vary.add("Accept")
    version = catalog().version
    response.set_etag(_data_etag(version, response), weak=True)
    mark_data_answer(response)
    mtime = _last_modified()
    if mtime is not None:
        response.headers["Last-Modified"] = http_date(int(mtime))
    return response


def mark_data_answer(response: BaseResponse) -> None:
    """A successful machine-readable answer depends only on the data version and the request:
    the response cache may keep it whole. (HTML twins carry a per-response nonce: never kept.)"""
    if request.method == "GET" and response.status_code == 200 and response.mimetype != "text/html":
        mark_cacheable(request.environ, catalog().version)


def install(bp: Blueprint) -> None:
    """Data validators on every answer of a blueprint of machine-readable routes."""
    bp.after_request(add_data_validators)


def conditional(response: BaseResponse) -> BaseResponse:
    """App-wide, last: an ETag for any complete 200 answer that has none, then 304 for a
    matching If-None-Match / If-Modified-Since."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.is_streamed:
        # make_conditional would buffer the whole body to count its length: a streamed download
        # must never hold a second copy of the dataset in memory.
        response.implicit_sequence_conversion = False
    elif not response.direct_passthrough and "ETag" not in response.headers:
        response.add_etag()
    return response.make_conditional(request)
