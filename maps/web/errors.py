"""One error handler: problem+json (RFC 9457) for API routes, a readable page for HTML routes.
Bad input is a 4xx with a message, never a 500 or a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from maps.errors import MapsError

API_PREFIXES = ("/api/", "/ogc", "/openapi.json", "/healthz", "/download/")


def wants_json() -> bool:
    if request.path.startswith(API_PREFIXES) or request.args.get("f") == "json":
        return request.args.get("f") != "html"
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def problem_response(status: int, title: str, detail: str, code: str | None = None):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if code:
        body["code"] = code
    if wants_json():
        return body, status, {"Content-Type": "application/problem+json"}
    return render_template("error.html", error=body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(MapsError)
    def _maps_error(err: MapsError):
        return problem_response(err.status, err.title, str(err), err.code)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        return problem_response(err.code or 500, err.name, err.description or err.name)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("unhandled error")
        return problem_response(500, "Internal error", "Something went wrong on our side.")
