"""Production serving with gunicorn, started from `maps serve --production` so it works from any
folder, with or without the venv activated (no `gunicorn` on PATH needed)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
        self.options = dict(options)
        self.overrides = dict(overrides)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from maps import create_app

        return create_app(self.overrides)


def gunicorn_options(host: str, port: int, workers: int | None = None) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers or os.cpu_count() or 2,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 30,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": "-",
        "preload_app": True,
    }


def run_gunicorn(*, host: str, port: int, overrides: Mapping[str, Any], workers: int | None = None) -> None:
    _Gunicorn(gunicorn_options(host, port, workers), overrides).run()
