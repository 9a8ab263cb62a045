"""Refuse requests over a sane size before any work is done: a long query string is a 414, a
body (the app takes none bigger than MAX_CONTENT_LENGTH) a 413."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge

MAX_QUERY_BYTES = 4096


def init_app(app: Flask) -> None:
    @app.before_request
    def _limit_size():
        if len(request.query_string) > app.config.get("MAX_QUERY_BYTES", MAX_QUERY_BYTES):
            raise RequestURITooLarge(f"the query string is longer than {MAX_QUERY_BYTES} bytes")
        length, limit = request.content_length, app.config["MAX_CONTENT_LENGTH"]
        if length is not None and length > limit:
            raise RequestEntityTooLarge(f"request bodies are limited to {limit} bytes")
