"""Hostile names on every kind of layer (a pin, a walk, a district) and in a season label: hovered
and opened on `/`, on a place page and in the frozen site, at phone and desktop size. Leaflet
inserts strings as HTML, so every string that reaches it must be a text node: a name that is
markup (a meta refresh, an element, an image) must show as text, create nothing and redirect
nowhere."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from maps import create_app
from maps.freeze import freeze_site
from tests.builders import EPISODES, browser_dataset, write_json
from tests.support import ARTIFACTS, live_server, open_map, static_http_server

pytestmark = pytest.mark.browser

EVIL = '<meta http-equiv="refresh" content="0;url=/pwned"><b class="injected">X</b><img src=x onerror="window.__xss=1">'
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def hostile_dataset(tmp_path: Path) -> Path:
    path = browser_dataset(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["id"] in ("walk", "district", "hostile"):
            feature["properties"]["name"] = f"{feature['id']} {EVIL}"
    write_json(path, data)
    episodes = copy.deepcopy(EPISODES)
    episodes["seasons"][2]["label"] = f"Season 3 {EVIL}"
    write_json(tmp_path / "episodes.json", episodes)
    return path


MIDPOINT_JS = """(i) => {
  let path = document.querySelectorAll('path.place-shape')[i];
  const map = mapsView.instances[0].map;
  map.eachLayer((layer) => {  // bring this shape into the middle of the map (popups pan it away)
    if (layer._path === path) map.fitBounds(layer.getBounds(), {animate: false, padding: [60, 60], maxZoom: 16});
  });
  path = document.querySelectorAll('path.place-shape')[i];
  const svg = path.ownerSVGElement;
  const at = path.getPointAtLength(path.getTotalLength() / 4);
  const point = svg.createSVGPoint();
  point.x = at.x; point.y = at.y;
  const screen = point.matrixTransform(path.getScreenCTM());
  return [screen.x, screen.y];
}"""


def assert_nothing_injected(page, start_url: str) -> None:
    page.wait_for_timeout(1200)  # a meta refresh of 0 s would have fired by now
    # the map may record its view in the URL (?place=…#map=…): only the page itself must stay
    assert "pwned" not in page.url and urlparse(page.url).path == urlparse(start_url).path
    assert page.locator(".injected").count() == 0
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert page.evaluate("window.__xss") is None


def check_every_layer(page, names: list[str], touch: bool, pin: bool) -> None:
    """Hover (or tap) each shape and see its tooltip as text; open each popup and see the name."""
    shapes = page.locator("path.place-shape")
    for i in range(shapes.count()):
        shape = shapes.nth(i)
        x, y = page.evaluate(MIDPOINT_JS, i)  # a point on the line itself, not its box's centre
        if touch:
            page.touchscreen.tap(x, y)  # a tap opens the popup...
            page.wait_for_timeout(500)
            if not page.locator(".leaflet-popup-content").count():
                shape.dispatch_event("click")  # ...unless a panel of the small screen covers the spot
        else:
            page.mouse.move(x, y)  # a hover shows the tooltip
            tooltip = page.locator(".leaflet-tooltip")
            tooltip.first.wait_for(timeout=5000)
            assert EVIL in tooltip.first.inner_text(), (i, page.url)
            shape.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert any(n in popup.inner_text() for n in names), (i, page.url)
        assert EVIL in popup.inner_text()
        if touch:  # the tooltip too (a touch browser shows it on the emulated mouseover)
            shape.dispatch_event("mouseover")
            page.wait_for_timeout(200)
            text = page.evaluate(
                "() => [...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent)"
            )
            assert text and all(EVIL in t for t in text), (i, page.url, text)
        page.evaluate("mapsView.instances[0].map.closePopup()")
        page.mouse.move(1, 1)
        page.wait_for_timeout(200)
    if pin:  # the point place: its pin's popup (a marker's label is its native title attribute)
        page.evaluate(
            "() => mapsView.instances[0].showPlace('hostile')._icon.setAttribute('data-test', 'hostile')"
        )
        page.locator("[data-test=hostile]").dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert EVIL in popup.inner_text() and popup.locator("b, img, meta").count() == 0
        icon = page.locator("[data-test=hostile]")
        label = icon.get_attribute("aria-label") or icon.get_attribute("title") or ""
        assert label.startswith("hostile <meta")  # the pin's accessible name, as plain text


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_hostile_names_stay_text_on_the_live_map_and_place_pages(chromium, tmp_path, size):
    app = create_app({"TESTING": True, "DATA_PATH": str(hostile_dataset(tmp_path))})
    touch = size == "phone"
    with live_server(app) as base:
        for path, shapes in (
            ("/", 2),
            ("/locations/walk", 1),
            ("/locations/district", 1),
            ("/locations/hostile", 0),
        ):
            ctx, page, watch = open_map(chromium, base, path, **VIEWPORTS[size])
            assert page.locator("path.place-shape").count() == shapes, path
            if path == "/":
                # the season label (in the season switches and the legend) is text too
                assert f"Season 3 {EVIL}" in page.evaluate("document.body.textContent")
            check_every_layer(
                page, ["walk", "district", "hostile"], touch, pin=path in ("/", "/locations/hostile")
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"hostile-{size}-{path.strip('/').replace('/', '-') or 'map'}.png")
            )
            assert_nothing_injected(page, base + path)
            assert watch.errors == [] and watch.external == []
            ctx.close()


@pytest.fixture
def frozen(tmp_path: Path):
    root = tmp_path / "www"
    freeze_site(root / "site", data=hostile_dataset(tmp_path))
    with static_http_server(root) as url:
        yield url


def test_hostile_names_stay_text_in_the_frozen_site(chromium, frozen):
    for path, shapes in (("/site/", 2), ("/site/locations/walk/", 1), ("/site/locations/district/", 1)):
        ctx, page, watch = open_map(chromium, frozen, path, **VIEWPORTS["desktop"])
        assert page.locator("path.place-shape").count() == shapes, path
        check_every_layer(page, ["walk", "district", "hostile"], touch=False, pin=path == "/site/")
        assert_nothing_injected(page, frozen + path)
        assert watch.errors == [] and watch.external == []
        ctx.close()
