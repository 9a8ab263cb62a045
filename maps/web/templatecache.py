"""Compiled page templates shared by every app in the process.

Jinja compiles a template once per environment, and each Flask app has its own environment, so
every `create_app` (a worker restart, each test of the suite, `maps freeze`) parsed and compiled
all the templates again: a third of the test suite's time went there. Jinja's bytecode cache
keys each entry by template name and file, and checks it against a checksum of the source, so
an edited template is compiled afresh and never served stale."""

from __future__ import annotations

import threading

from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache

MAX_TEMPLATES = 256  # the project has a few dozen; the bound only guards against a leak


class ProcessBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in memory, for every app of this process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            if len(self._code) >= MAX_TEMPLATES and bucket.key not in self._code:
                self._code.pop(next(iter(self._code)))
            self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        with self._lock:
            self._code.clear()


SHARED = ProcessBytecodeCache()


def init_app(app: Flask) -> None:
    """Before the app's Jinja environment exists (Flask makes it on first use)."""
    app.jinja_options = {**app.jinja_options, "bytecode_cache": SHARED}
