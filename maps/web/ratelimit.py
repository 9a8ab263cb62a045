"""Per-client rate limits on the forms (Flask-Limiter), one limiter per app. The counters live in
memory by default, which is right for one process; several workers or hosts share one storage
through `MAPS_RATELIMIT_STORAGE_URI` (e.g. `redis://host:6379`), see docs/suggestions.md. Over a
limit is a 429 with `Retry-After`, as a readable page.

Limits are attached to endpoints here, in one table, rather than by decorators at import time,
so that every app (and every test) gets its own limiter and counters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# endpoint -> [(config key of the limit, shared scope, exempt when)]
LIMITS: dict[str, list[tuple[str, str, Callable[[], bool] | None]]] = {}


def limit(endpoint: str, config_key: str, scope: str, exempt_when: Callable[[], bool] | None = None) -> None:
    """Register a POST limit for `endpoint` (applied when the app is made)."""
    LIMITS.setdefault(endpoint, []).append((config_key, scope, exempt_when))


def _setting(key: str) -> Callable[[], str]:
    """The limit as the app's config says at request time (tests and operators may change it)."""
    return lambda: str(current_app.config[key])


def init_app(app: Flask) -> None:
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[],
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        headers_enabled=app.config["RATELIMIT_HEADERS_ENABLED"],  # Retry-After on every 429
    )
    app.extensions["maps.limiter"] = limiter
    for endpoint, rules in LIMITS.items():
        view: Any = app.view_functions.get(endpoint)
        if view is None:
            continue
        for config_key, scope, exempt_when in rules:
            view = limiter.shared_limit(
                _setting(config_key),
                scope=scope,
                methods=["POST"],
                exempt_when=exempt_when,
            )(view)
        app.view_functions[endpoint] = view
