"""The route planner's map in headless Chromium under the app's real Content-Security-Policy:
no console errors, no CSP violations, one numbered pin per stop in visiting order, legs coloured
per day (transfers dashed grey), and a hostile place name shown as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maps import create_app
from maps.route.formats import day_colour
from maps.route.map import TRANSFER_COLOUR
from tests.builders import EPISODES, feature, sample, write_json
from tests.support import ARTIFACTS, Watch, live_server, wait_js

pytestmark = pytest.mark.browser
HOSTILE = '{{ 7*7 }} <img src=x onerror="window.__xss=1">'
QUERY = "season=1&season=2&season=3&start=51.5,-0.1&round_trip=1&mode=walk&hours_per_day=3"
# Every securitypolicyviolation event, recorded before any page script runs.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""
DRAWN_STOPS = """() => routeMap.instances[0].stops.map(m =>
  [m.getElement().textContent, m.getLatLng().lat, m.getLatLng().lng])"""
DRAWN_LEGS = """() => routeMap.instances[0].legs.map(l => {
  const path = l.getElement(), ends = l.getLatLngs();
  return {stroke: path.getAttribute('stroke'), dashed: path.getAttribute('stroke-dasharray'),
          to: [ends[1].lat, ends[1].lng], drawn: path.getTotalLength() > 0};
})"""


def route_dataset(tmp_path: Path) -> Path:
    data = sample()
    data["features"][1]["properties"]["name"] = HOSTILE  # herne-bay-pier
    for i in range(6):  # a walk through Paris over two days
        lon, lat = 2.30 + 0.01 * i, 48.85 + 0.004 * (i % 3)
        data["features"].append(feature(f"paris-{i}", lon, lat, country="FR", season=2, episode=5))
    write_json(tmp_path / "episodes.json", EPISODES)
    return write_json(tmp_path / "locations.geojson", data)


class RouteWatch(Watch):
    """Watch (console errors, requests leaving 127.0.0.1), counting the tiles it answers."""

    def __init__(self, page) -> None:
        self.tiles = 0
        super().__init__(page)

    def _route(self, route) -> None:
        if route.request.url.startswith("https://tile.openstreetmap.org/"):
            self.tiles += 1
        super()._route(route)


def test_route_map_under_the_real_csp(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(route_dataset(tmp_path))})
    plan = app.test_client().get("/api/route?" + QUERY).get_json()
    stops = plan["stops"]
    with app.test_client() as client:
        csp = client.get("/route?" + QUERY).headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]

    with live_server(app) as base:
        ctx = chromium.new_context(viewport={"width": 1200, "height": 900})
        ctx.add_init_script(CSP_LISTENER)
        page = ctx.new_page()
        watch = RouteWatch(page)
        page.goto(f"{base}/route?{QUERY}")
        wait_js(page, "(window.routeMap && routeMap.instances.length > 0) || window.__csp.length > 0")
        page.wait_for_timeout(300)  # tiles
        assert page.evaluate("window.__csp") == [] and watch.errors == []

        # One numbered pin per stop, numbered in visiting order at that stop's place.
        pins = page.locator(".leaflet-marker-pane .route-pin").all_inner_texts()
        assert len(pins) == len(stops) == 11
        assert sorted(pins, key=int) == [str(n) for n in range(1, len(stops) + 1)]
        drawn = page.evaluate(DRAWN_STOPS)
        for (number, lat, lon), stop in zip(drawn, stops, strict=True):
            assert (int(number), lat, lon) == (
                stop["order"],
                pytest.approx(stop["lat"]),
                pytest.approx(stop["lon"]),
            )

        # Every leg drawn: one per stop after the start point, plus the way back to it.
        legs = page.evaluate(DRAWN_LEGS)
        assert len(legs) == len(stops) + 1 == page.locator("path.route-leg").count()
        # Drawn, unless shorter than a pixel at this zoom (a 1 km walk on a London-Paris map).
        plan_legs = [leg for day in plan["days"] for leg in day["legs"]]
        assert all(leg["drawn"] or doc["km"] < 3 for leg, doc in zip(legs, plan_legs, strict=True))
        for leg, stop in zip(legs, stops, strict=False):
            assert leg["to"] == [pytest.approx(stop["lat"]), pytest.approx(stop["lon"])]
            if stop["leg_kind"] == "day":
                assert (leg["stroke"], leg["dashed"]) == (day_colour(stop["day"]), None)
            else:
                assert (leg["stroke"], leg["dashed"]) == (TRANSFER_COLOUR, "6 8")
        day_colours = {leg["stroke"] for leg in legs if leg["dashed"] is None}
        walking_days = {leg["day"] for leg in plan_legs if leg["kind"] == "day"}
        assert day_colours == {day_colour(day) for day in walking_days}
        assert (
            len({leg["day"] for leg in plan_legs if leg["kind"] == "day" and leg["to"].startswith("Paris")})
            == 2
        )
        assert page.locator("path.route-end").count() == 2  # the bare start, which is also the end

        # The hostile name: text in its tooltip and popup, never markup, never a template.
        hostile = next(s["order"] for s in stops if s["name"] == HOSTILE)
        page.evaluate(f"() => routeMap.instances[0].stops.find(m => m.stopOrder === {hostile}).openPopup()")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert popup.inner_text().startswith(f"{hostile}. {HOSTILE}")
        assert popup.locator("img").count() == 0 and page.locator("img[src=x]").count() == 0
        page.evaluate("() => routeMap.instances[0].map.closePopup()")
        page.evaluate(f"() => routeMap.instances[0].stops.find(m => m.stopOrder === {hostile}).openTooltip()")
        tooltip = page.locator(".leaflet-tooltip")
        assert tooltip.inner_text() == f"{hostile}. {HOSTILE}" and tooltip.locator("img").count() == 0
        assert page.evaluate("window.__xss") is None

        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".route-map").screenshot(path=str(ARTIFACTS / "route.png"))

        assert page.evaluate("window.__csp") == []
        assert watch.errors == [] and watch.external == []
        assert watch.tiles > 0  # tiles from the configured provider (answered locally)
        ctx.close()


def test_route_map_draws_numbered_markers_in_a_browser(app, chromium):
    with live_server(app) as base:
        page = chromium.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: r.abort())  # no tiles offline
        page.goto(f"{base}/route?season=1&season=2&start=windsor-bridge&mode=drive")
        page.wait_for_selector(".route-pin")
        pins = page.locator(".leaflet-marker-pane .route-pin").all_inner_texts()
        assert sorted(pins, key=int) == ["1", "2", "3", "4"]
        assert page.locator(".leaflet-overlay-pane path").count() == 3
        assert errors == []
        page.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_fan_takes_a_season_route_to_their_phone(chromium, device):
    """On the real dataset: plan season 1, see one button per export format of the download
    registry, and tap GPX: the file saved is the plan, stop for stop."""
    from maps.formats import PLAN_FORMATS

    app = create_app({"TESTING": True})
    query = "season=1&mode=walk&hours_per_day=8"
    plan = app.test_client().get(f"/api/route?{query}").get_json()
    with live_server(app) as base:
        ctx = chromium.new_context(accept_downloads=True, **device)
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(f"{base}/route?{query}")
        buttons = page.locator(".route-exports a.button")
        wanted = [f for f in PLAN_FORMATS.values() if f.attachment]
        assert buttons.all_inner_texts() == [f.label + (f" ({f.hint})" if f.hint else "") for f in wanted]
        gpx_button = buttons.filter(has_text="GPX")
        gpx_button.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        name = "phone" if device is PHONE else "desktop"
        page.screenshot(path=str(ARTIFACTS / f"route-exports-{name}.png"))
        with page.expect_download() as download:
            gpx_button.tap() if device is PHONE else gpx_button.click()
        assert download.value.suggested_filename == "route.gpx"
        import gpxpy

        saved = gpxpy.parse(Path(download.value.path()).read_text(encoding="utf-8"))
        assert [p.name for p in saved.routes[0].points][: len(plan["stops"])] == [
            f"{s['order']}. {s['name']}" for s in plan["stops"]
        ]
        assert watch.errors == [] and watch.external == []
        ctx.close()
