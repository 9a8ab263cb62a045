"""A traveller's journeys on /route with the real bundled dataset, on a phone (390x844, touch) and a
laptop (1366x900): start from "London" (a town, offline), plan the Paris-only day from Gare du Nord
(the address search: the local fake Nominatim, for real over HTTP) in a few clicks, start from
"my location" (mocked geolocation), and pick a start by clicking the map."""

from __future__ import annotations

import pytest

from maps import create_app
from maps.config import data_path
from maps.dataset.catalog import load_catalog
from maps.dataset.geocode import GeocoderSettings
from maps.route.regions import find_regions
from maps.route.visits import not_visitable
from tests.support import ARTIFACTS, Watch, fake_nominatim, live_server, wait_js

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
VIEWPORTS = pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
GARE = {"Gare du Nord, Paris": (48.880931, 2.355323, "Gare du Nord, Rue de Dunkerque, Paris, France")}
BUNDLED = load_catalog(data_path())
PARIS = next(r for r in find_regions(BUNDLED) if r.id == "paris")
PARIS_ROUTED = [pid for pid in PARIS.place_ids if not not_visitable(BUNDLED.get(pid))]
WINDSOR = next(r for r in find_regions(BUNDLED) if "river-thames-windsor" in r.place_ids)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with fake_nominatim(GARE) as geocoder:
        cache = tmp_path_factory.mktemp("geocache") / "cache.json"
        settings = GeocoderSettings(url=geocoder["url"], cache_path=cache)
        app = create_app({"TESTING": True, "GEOCODER_SETTINGS": settings})
        with live_server(app) as base:
            yield base, geocoder


def open_planner(chromium, base, device, path="/route", **context):
    ctx = chromium.new_context(**device, **context)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + path)
    wait_js(page, "window.routeMap && routeMap.instances.length > 0")
    return ctx, page, watch


def shot(page, name, device):
    ARTIFACTS.mkdir(exist_ok=True)
    which = "phone" if device is PHONE else "desktop"
    page.screenshot(path=str(ARTIFACTS / f"route-{name}-{which}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"route-{name}-{which}-screen.png"))  # what is on screen


def submit(page):
    page.get_by_role("button", name="Plan my route").click()
    page.wait_for_load_state()
    wait_js(page, "window.routeMap && routeMap.instances.length > 0")
    page.wait_for_timeout(300)


@VIEWPORTS
def test_start_from_london_to_paris(chromium, site, device):
    base, _ = site
    ctx, page, watch = open_planner(chromium, base, device)
    page.get_by_label("Start: a place of the map").fill("London")
    page.get_by_label("Region").select_option("paris")
    submit(page)
    result = page.locator(".route-result")
    assert "From London, United Kingdom (town)" in result.inner_text()
    first_day = page.locator(".route-day").first.inner_text()
    assert "Day 1" in first_day and "by Eurostar train" in first_day and "from London" in first_day
    assert "Estimates only" in result.inner_text()
    page.locator(".route-days").scroll_into_view_if_needed()
    shot(page, "london", device)
    assert watch.errors == [] and watch.external == []
    ctx.close()


@VIEWPORTS
def test_paris_only_day_from_gare_du_nord_in_a_few_clicks(chromium, site, device):
    base, geocoder = site
    ctx, page, watch = open_planner(chromium, base, device)
    page.get_by_label("Start: a place of the map").fill("Gare du Nord, Paris")  # typing
    page.get_by_label("Region").select_option("paris")  # click 1
    submit(page)  # click 2
    text = page.locator(".route-result").inner_text()
    assert "Gare du Nord, Paris" in geocoder["requests"]
    assert "From Gare du Nord, Rue de Dunkerque, Paris (found by the address search)" in text
    assert f"Your route: {len(PARIS_ROUTED)} places" in text
    assert "A café by the Seine (not identified): not identified" in text  # left out, with the reason
    stops = page.evaluate(
        "() => routeMap.instances[0].stops.map(m => [m.getLatLng().lat, m.getLatLng().lng])"
    )
    assert len(stops) == len(PARIS_ROUTED) and all(
        48.8 < lat < 48.9 and 2.2 < lon < 2.4 for lat, lon in stops
    )
    # Each day's directions start where the day starts: day 1 at the station.
    link = page.locator(".route-day").first.locator(".day-links a").first.get_attribute("href")
    assert "origin=48.880931%2C2.355323" in link
    shot(page, "gare-du-nord", device)
    assert watch.errors == [] and watch.external == []
    ctx.close()


@VIEWPORTS
def test_start_from_my_location(chromium, site, device):
    base, _ = site
    windsor = {"latitude": 51.4839, "longitude": -0.6044}
    ctx, page, watch = open_planner(chromium, base, device, geolocation=windsor, permissions=["geolocation"])
    page.locator(".locate-me[data-target=route-start]").click()
    start = page.get_by_label("Start: a place of the map")
    wait_js(page, "document.getElementById('route-start').value !== ''")
    assert start.input_value() == "51.4839,-0.6044"
    assert "your location" in page.locator(".route-status").inner_text()
    page.get_by_label("Region").select_option(WINDSOR.id)
    submit(page)
    text = page.locator(".route-result").inner_text()
    assert "From 51.48390, -0.60440" in text and "Day 1" in text
    shot(page, "my-location", device)
    assert watch.errors == [] and watch.external == []
    ctx.close()


@VIEWPORTS
def test_typed_my_location_asks_the_browser(chromium, site, device):
    base, _ = site
    paris = {"latitude": 48.8606, "longitude": 2.3376}
    ctx, page, watch = open_planner(chromium, base, device, geolocation=paris, permissions=["geolocation"])
    page.get_by_label("Start: a place of the map").fill("my location")
    page.get_by_label("Region").select_option("paris")
    submit(page)
    assert "From 48.86060, 2.33760" in page.locator(".route-result").inner_text()
    assert watch.errors == [] and watch.external == []
    ctx.close()


@VIEWPORTS
def test_click_on_the_map_sets_the_start_then_the_end(chromium, site, device):
    base, _ = site
    ctx, page, watch = open_planner(chromium, base, device)
    page.locator(".route-pick-map .folium-map").scroll_into_view_if_needed()
    box = page.locator(".route-pick-map .folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4)
    wait_js(page, "document.getElementById('route-start').value !== ''")
    lat, lon = (float(v) for v in page.get_by_label("Start: a place of the map").input_value().split(","))
    south, west, north, east = page.evaluate(
        "() => { const b = routeMap.instances[0].map.getBounds();"
        " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }"
    )
    assert south < lat < north and west < lon < east  # the point clicked, on the map shown
    assert page.locator("path.route-picked").count() == 1
    page.locator(".pick-on-map[data-target=route-end]").click()
    page.locator(".route-pick-map .folium-map").scroll_into_view_if_needed()
    box = page.locator(".route-pick-map .folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6)
    wait_js(page, "document.getElementById('route-end').value !== ''")
    assert page.locator("path.route-picked").count() == 2
    assert "End set to" in page.locator(".route-status").inner_text()
    shot(page, "picked", device)
    page.get_by_label("Region").select_option("herne-bay")
    submit(page)
    text = page.locator(".route-result").inner_text()
    herne_bay = next(r for r in find_regions(BUNDLED) if r.id == "herne-bay")
    routed = [pid for pid in herne_bay.place_ids if not not_visitable(BUNDLED.get(pid))]
    assert f"Your route: {len(routed)} places" in text and "From " in text
    assert watch.errors == [] and watch.external == []
    ctx.close()
