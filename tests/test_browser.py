"""The real map page in headless Chromium (Debian's chromium, driven by Playwright), under the
app's own Content-Security-Policy, with tile requests answered locally."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import feature, sample, write_json
from support import live_server, require_tool

from maps import create_app

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PNG = base64.b64decode(  # one light-grey pixel for every tile
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48eQOAAVgAqnWTRlUAAAAAElFTkSuQmCC"
)
XSS = '<img src=x onerror="window.__xss=1">'
TILE_HOSTS = {"tile.openstreetmap.org"}

COUNT_JS = """() => {
  const clusters = [...document.querySelectorAll('.marker-cluster')]
    .reduce((n, c) => n + parseInt(c.textContent, 10), 0);
  const single = document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
  const shapes = document.querySelectorAll('path.place-shape').length;
  return clusters + single + shapes;
}"""


def browser_dataset(tmp_path: Path) -> Path:
    from conftest import EPISODES

    data = sample()
    paris = [(2.35 + 0.004 * i, 48.85 + 0.003 * (i % 4)) for i in range(10)]
    for i, (lon, lat) in enumerate(paris):
        data["features"].append(feature(f"paris-{i}", lon, lat, country="FR", season=2, episode=5))
    data["features"].append(feature("hostile", -1.2, 52.5, season=3, episode=1, note=XSS, name="Hostile"))
    district = feature("district", -0.1, 51.5, season=1, episode=1, precision="area")
    district["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[-0.1, 51.5], [-0.08, 51.5], [-0.08, 51.51], [-0.1, 51.51], [-0.1, 51.5]]],
    }
    walk = feature("walk", 0.3, 51.2, season=3, episode=2, precision="street")
    walk["geometry"] = {"type": "LineString", "coordinates": [[0.3, 51.2], [0.32, 51.21], [0.34, 51.2]]}
    town = feature("a-town", -2.0, 52.0, season=1, episode=3, precision="town")
    data["features"] += [district, walk, town]
    write_json(tmp_path / "episodes.json", EPISODES)
    return write_json(tmp_path / "locations.geojson", data)


@pytest.fixture(scope="module")
def chromium():
    path = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS)
        yield browser
        browser.close()


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
    ctx = chromium.new_context(viewport={"width": 1200, "height": 800}, **context)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + path)
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(400)  # markercluster's chunked loading and animations
    return ctx, page, watch


def test_map_in_chromium(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        assert page.locator(".leaflet-container").count() == 1
        total = len(sample()["features"]) + 10 + 4
        assert page.evaluate(COUNT_JS) == total
        assert page.locator(".marker-cluster").count() >= 1  # Paris's dozen cluster
        assert page.locator("path.place-shape").count() == 2  # the district and the walk

        labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert [t.strip() for t in labels] == ["Season 1", "Season 2", "Season 3"]
        page.locator(".leaflet-control-layers-overlays label", has_text="Season 2").locator("input").uncheck()
        page.wait_for_timeout(300)
        assert page.evaluate(COUNT_JS) == total - 12  # the Eiffel Tower, the Louvre, ten in Paris
        page.locator(".leaflet-control-layers-overlays label", has_text="Season 2").locator("input").check()
        page.wait_for_timeout(300)
        assert page.evaluate(COUNT_JS) == total

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map.png"))

        # Open the hostile place's popup by clicking its marker: the note shows as text.
        page.evaluate(
            """() => new Promise(done => {
              const s = mapsView.instances[0];
              const m = s.cluster.getLayers().find(l => l.placeId === 'hostile');
              s.cluster.zoomToShowLayer(m, () => { m._icon.setAttribute('data-test', 'hostile'); done(); });
            })"""
        )
        page.click("[data-test=hostile]")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert XSS in popup.inner_text() and "S3E1 · Three-1" in popup.inner_text()
        assert popup.locator("img").count() == 0
        assert popup.locator("a.place-link").get_attribute("href") == "/locations/hostile"
        assert page.evaluate("window.__xss") is None
        assert watch.external == [] and watch.errors == []
        ctx.close()


def test_locate_and_fullscreen_controls(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    with live_server(app) as base:
        where = {"latitude": 51.4858, "longitude": -0.6083}
        ctx, page, watch = open_map(chromium, base, geolocation=where, permissions=["geolocation"])
        page.click("button[title='Show my location']")
        wait_js(page, "mapsView.instances[0].map.getZoom() >= 14")
        centre = page.evaluate(
            "(() => { const c = mapsView.instances[0].map.getCenter(); return [c.lat, c.lng] })()"
        )
        assert centre == pytest.approx([51.4858, -0.6083], abs=1e-3)
        page.click("button[title='Full screen']")
        wait_js(
            page,
            "document.fullscreenElement !== null || document.body.classList.contains('map-fills-window')",
        )
        assert watch.external == [] and watch.errors == []
        ctx.close()


def test_bundled_dataset_renders(chromium):
    from maps.catalog import load_catalog
    from maps.resources import bundled_data_path

    mapped = sum(1 for loc in load_catalog(bundled_data_path()).locations if loc.geometry is not None)
    app = create_app({"TESTING": True})
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        assert page.evaluate(COUNT_JS) == mapped
        assert watch.external == [] and watch.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-bundled.png"))
        ctx.close()
