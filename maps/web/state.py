"""The dataset the app serves right now. A new file version is picked up on the next request;
a broken file is never served: the last good version stays up, the problem is logged once and
reported by /healthz."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, g

from maps.dataset.catalog import Catalog, load_catalog
from maps.errors import DataUnreadable


@dataclass
class DataState:
    path: Path
    last_good: Catalog | None = None
    problem: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called once with each new version, before a request uses it: what every page of a version
    # shares is built when the version is loaded, not by the first page that needs it.
    warmers: list[Callable[[Catalog], None]] = field(default_factory=list)

    def current(self) -> Catalog:
        try:
            catalog = load_catalog(self.path)
        except DataUnreadable as exc:
            with self.lock:
                if self.problem != str(exc):
                    self.problem = str(exc)
                    current_app.logger.error("serving the last good data: %s", exc)
                if self.last_good is None:
                    raise
                return self.last_good
        with self.lock:
            new = catalog is not self.last_good
            self.last_good, self.problem = catalog, None
        if new:
            for warm in self.warmers:
                warm(catalog)
        return catalog


def init_app(app: Flask, warmers: list[Callable[[Catalog], None]] | None = None) -> None:
    app.extensions["maps.state"] = DataState(Path(app.config["DATA_PATH"]), warmers=list(warmers or []))


def data_state() -> DataState:
    return current_app.extensions["maps.state"]


def catalog() -> Catalog:
    """The dataset for this request, read once: a request never mixes two versions of the file."""
    if "maps_catalog" not in g:
        g.maps_catalog = data_state().current()
    return g.maps_catalog
