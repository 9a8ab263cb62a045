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


def document(title: str, server_url: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{title} filming locations API", "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "paths": dict(sorted(PATHS.items())),
        "components": {k: v for k, v in COMPONENTS.items() if v},
    }
