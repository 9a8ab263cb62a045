"""The OpenAPI 3 document of every JSON route. Modules register their paths here (one registry,
so `/openapi.json` can never forget a route that a module serves)."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, dict[str, Any]] = {}
COMPONENTS: dict[str, dict[str, Any]] = {"schemas": {}, "parameters": {}, "responses": {}}


def register_path(path: str, item: dict[str, Any]) -> None:
    PATHS.setdefault(path, {}).update(item)


def register_components(kind: str, entries: dict[str, Any]) -> None:
    COMPONENTS.setdefault(kind, {}).update(entries)


PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
}


def problem_response(description: str, *, html: bool = True) -> dict[str, Any]:
    """An RFC 9457 problem; routes that honour `f=html` also answer it as a readable page."""
    content: dict[str, Any] = {"application/problem+json": {"schema": PROBLEM_SCHEMA}}
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


# Every route refuses an oversized query string (maps.web.limits) before doing any work.
URI_TOO_LONG = problem_response("The query string is too long")


def _with_common_responses(item: dict[str, Any]) -> dict[str, Any]:
    return {
        method: {**op, "responses": {**op.get("responses", {}), "414": URI_TOO_LONG}}
        if isinstance(op, dict) and "responses" in op
        else op
        for method, op in item.items()
    }


def document(title: str, server_url: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{title} filming locations API", "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "paths": {path: _with_common_responses(item) for path, item in sorted(PATHS.items())},
        "components": {k: v for k, v in COMPONENTS.items() if v},
    }
