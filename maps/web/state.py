"""The dataset the app serves right now. A new file version is picked up on the next request;
a broken file is never served: the last good version stays up, the problem is logged once and
reported by /healthz."""

from __future__ import annotations

import threading
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
            self.last_good, self.problem = catalog, None
        return catalog


def init_app(app: Flask) -> None:
    app.extensions["maps.state"] = DataState(Path(app.config["DATA_PATH"]))


def data_state() -> DataState:
    return current_app.extensions["maps.state"]


def catalog() -> Catalog:
    """The dataset for this request, read once: a request never mixes two versions of the file."""
    if "maps_catalog" not in g:
        g.maps_catalog = data_state().current()
    return g.maps_catalog
