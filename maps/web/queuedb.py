"""The suggestion queue's database for this app: opened on first use (pages that never touch
the queue never open it), migrated to the newest schema once per process, closed with the app."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from maps import config
from maps.suggestions import db


class QueueDatabase:
    def __init__(self, url: str) -> None:
        self.url = url
        self._db: db.Database | None = None
        self._lock = threading.Lock()

    def get(self) -> db.Database:
        with self._lock:
            if self._db is None:
                database = db.open_database(self.url)
                db.upgrade(database.engine)  # zero set-up: an empty database gets the schema
                self._db = database
            return self._db


def init_app(app: Flask) -> None:
    app.extensions["maps.queue"] = QueueDatabase(config.database_url(app.config.get("DATABASE_URL")))


def queue_db() -> db.Database:
    return current_app.extensions["maps.queue"].get()
