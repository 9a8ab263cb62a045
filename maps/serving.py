"""Production serving with gunicorn, started from `maps serve --production` so it works from any
folder, with or without the venv activated (no `gunicorn` on PATH needed).

No access log by default: gunicorn writes it from the worker that answers, one formatted line per
request, which costs more than serving a cached page (see docs/benchmarks.md). `MAPS_ACCESS_LOG`
turns it on (`-` for standard output, or a file); a reverse proxy in front usually logs anyway."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: Mapping[str, Any], load: Callable[[], Any]) -> None:
        self.options = dict(options)
        self.loader = load
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.loader()


def gunicorn_options(
    host: str, port: int, workers: int | None = None, access_log: str | None = None
) -> dict[str, Any]:
    """The one set of gunicorn settings (`maps serve --production`, gunicorn.conf.py, and the
    benchmarks' fixed-bytes baseline)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or os.cpu_count() or 2,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 30,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": access_log or None,
        "preload_app": True,
    }


def serve_wsgi(load: Callable[[], Any], options: Mapping[str, Any]) -> None:
    """Run the WSGI app that `load()` returns under gunicorn with `options` (blocks)."""
    _Gunicorn(options, load).run()


def run_gunicorn(
    *,
    host: str,
    port: int,
    overrides: Mapping[str, Any],
    workers: int | None = None,
    access_log: str | None = None,
) -> None:
    def load():
        from maps import create_app

        return create_app(overrides)

    serve_wsgi(load, gunicorn_options(host, port, workers, access_log))
