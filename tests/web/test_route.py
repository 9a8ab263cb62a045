"""The route planner page, /api/route and `maps route`, end to end on a small dataset."""

from __future__ import annotations

import json
import re

import gpxpy
import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from maps import cli
from maps.formats import PLAN_FORMATS
from maps.ogc import openapi
from maps.web import route as route_web  # noqa: F401  (registers /api/route)
from tests.builders import write_json

EVIL = "<script>alert(1)</script>"


def route_data_block(html: str) -> dict:
    """The plan the route map draws: the page's one `<script type="application/json">`."""
    blocks = re.findall(r'<script type="application/json" id="route_layer_\w+">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def evil_client(app, dataset):
    data = json.loads(dataset.read_text())
    data["features"][1]["properties"]["name"] = EVIL
    write_json(dataset, data)
    return app.test_client()


def test_empty_planner_shows_the_form(client):
    resp = client.get("/route")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'name="stops" value="eiffel-tower"' in html
    assert 'name="season" value="2"' in html
    assert 'href="/route"' in html  # the nav links the planner
    assert "no street network" in html


def test_planner_page_shows_plan_map_table_links_and_exports(client):
    resp = client.get("/route?season=1&season=2&start=windsor-bridge&mode=drive&hours_per_day=8")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    route = route_data_block(html)  # drawn client-side by route_map.js (see the browser tests)
    assert [s["order"] for s in route["stops"]] == [1, 2, 3, 4]
    assert route["stops"][0]["name"] == "Windsor Bridge"
    assert len(route["legs"]) == 3 and all(leg["colour"].startswith("#") for leg in route["legs"])
    assert "folium-map" in html and "routeMap.draw(" in html
    assert re.search(
        r"<tr>\s*<td><span class=\"day-dot\"[^>]*></span>1</td>\s*<td>1</td>\s*<td>(<a href=\"/locations/windsor-bridge\">)?Windsor Bridge",
        html,
    )
    assert "https://www.google.com/maps/dir/?api=1" in html
    assert "/api/route?" in html and "format=gpx" in html
    assert "Estimates only" in html
    # every script and stylesheet is served by the app itself
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url


def test_page_escapes_place_names(evil_client):
    html = evil_client.get("/route?season=1&start=windsor-bridge").get_data(as_text=True)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ("stops=nowhere,louvre", 404, "nowhere"),
        ("stops=louvre", 400, "at least two"),
        ("stops=louvre,eiffel-tower&hours_per_day=999", 400, "hours_per_day"),
        ("stops=louvre,eiffel-tower&start=12,abc", 400, "start"),
    ],
)
def test_bad_input_page_and_api(client, query, status, needle):
    page = client.get(f"/route?{query}")
    assert page.status_code == status and needle in page.get_data(as_text=True)
    assert 'name="stops"' in page.get_data(as_text=True)  # the form stays, to fix the mistake
    api = client.get(f"/api/route?{query}")
    assert api.status_code == status
    assert api.headers["Content-Type"] == "application/problem+json"
    assert needle in api.json["detail"]


def test_api_json_contract(client):
    resp = client.get("/api/route?stops=louvre,eiffel-tower,herne-bay-pier,windsor-bridge&start=eiffel-tower")
    doc = resp.json
    assert resp.status_code == 200
    assert [s["order"] for s in doc["stops"]] == [1, 2, 3, 4]
    assert doc["stops"][0]["id"] == "eiffel-tower"
    assert {s["trip"] for s in doc["stops"] if s["lat"] < 50} == {1}
    assert len(doc["trips"]) >= 2 and doc["transfers"]
    assert doc["links"]["google_maps"] and len(doc["links"]["osm"]) == 3


@pytest.mark.parametrize("fmt", [ext for ext, f in PLAN_FORMATS.items() if f.attachment])
def test_api_exports(client, fmt):
    resp = client.get(f"/api/route?season=2&format={fmt}")
    assert resp.status_code == 200 and resp.mimetype == PLAN_FORMATS[fmt].media_type
    assert resp.headers["Content-Disposition"] == f"attachment; filename=route.{fmt}"
    if fmt == "gpx":
        assert len(gpxpy.parse(resp.get_data(as_text=True)).routes[0].points) == 2


def test_api_bad_format(client):
    resp = client.get("/api/route?season=2&format=pdf")
    assert resp.status_code == 400 and "format" in resp.json["detail"]


def test_openapi_describes_the_route(app):
    doc = openapi.document("Testshow")
    validate(doc)
    op = doc["paths"]["/api/route"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {
        "stops",
        "start",
        "end",
        "round_trip",
        "mode",
        "hours_per_day",
        "format",
        "season",
        "order",
    } <= names
    assert {"200", "400", "404"} <= set(op["responses"])


def test_cli_prints_the_same_document_as_the_api(client, dataset):
    runner = CliRunner()
    args = ["route", "louvre", "eiffel-tower", "windsor-bridge", "--start", "eiffel-tower", "--mode", "cycle"]
    result = runner.invoke(cli.main, [*args, "--format", "json", "--data", str(dataset)])
    assert result.exit_code == 0, result.output
    api = client.get("/api/route?stops=louvre,eiffel-tower,windsor-bridge&start=eiffel-tower&mode=cycle").json
    assert json.loads(result.output) == api


def test_cli_text_and_errors(dataset):
    runner = CliRunner()
    result = runner.invoke(cli.main, ["route", "--season", "2", "--round-trip", "--data", str(dataset)])
    assert result.exit_code == 0, result.output
    assert "Eiffel Tower" in result.output and "back to the start" in result.output
    assert "google.com/maps/dir" in result.output
    bad = runner.invoke(cli.main, ["route", "louvre", "nowhere", "--data", str(dataset)])
    assert bad.exit_code == 2 and "nowhere" in bad.output
    gpx = runner.invoke(
        cli.main, ["route", "louvre", "eiffel-tower", "--format", "gpx", "--data", str(dataset)]
    )
    assert gpx.exit_code == 0 and gpxpy.parse(gpx.output).routes


def test_tiles_come_from_the_configured_provider(dataset):
    from maps import create_app

    app = create_app({"TESTING": True, "DATA_PATH": str(dataset), "TILES": "OpenTopoMap"})
    html = app.test_client().get("/route?season=2").get_data(as_text=True)
    assert "tile.opentopomap.org" in html and "tile.openstreetmap.org" not in html
    with pytest.raises(ValueError, match=r"unknown tile provider 'No\.Such'"):
        create_app({"TESTING": True, "DATA_PATH": str(dataset), "TILES": "No.Such"})


PLAN_URL = "/route?season=1&season=2&season=3&start=51.5,-0.1&mode=drive"
SSTI = "{{ 7*7 }} <img src=x onerror=alert(1)>"


def test_route_page_scripts_carry_the_nonce_and_assets_are_local(client):
    resp = client.get(PLAN_URL)
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in re.search(r"script-src ([^;]+)", csp).group(1)
    assert "https://tile.openstreetmap.org" in re.search(r"img-src ([^;]+)", csp).group(1)
    html = resp.get_data(as_text=True)
    tags = re.findall(r"<script\b([^>]*)>", html)
    inline = [attrs for attrs in tags if "src=" not in attrs]
    data = [attrs for attrs in inline if 'type="application/json"' in attrs]
    code = [attrs for attrs in inline if attrs not in data]
    assert len(data) == 1  # the route, as data (never executed)
    assert code and all(f'nonce="{nonce}"' in attrs for attrs in code), code
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html)  # no inline event handlers
    assert "javascript:" not in html
    sources = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert "/static/route_map.js" in sources and "/static/vendor/leaflet/leaflet.js" in sources
    assert all(url.startswith("/") for url in sources), sources
    assert "jquery" not in html.lower()  # no Folium Popup (the only user of jQuery) on this map
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_place_names_cannot_run_as_templates_or_markup(app, dataset):
    data = json.loads(dataset.read_text())
    data["features"][1]["properties"]["name"] = SSTI  # herne-bay-pier
    write_json(dataset, data)
    html = app.test_client().get(PLAN_URL).get_data(as_text=True)
    assert "{{ 7*7 }} &lt;img src=x onerror=alert(1)&gt;" in html  # the itinerary, escaped
    assert "<img src=x" not in html
    assert not re.search(r"49\s*(<|&lt;|\\u003c)img", html)  # never evaluated as Jinja
    route = route_data_block(html)
    names = [s["name"] for s in route["stops"]]
    assert SSTI in names  # the map receives the name verbatim, as JSON text
    labels = [leg["label"] for leg in route["legs"]]
    assert any(SSTI in label for label in labels)
    executed = re.findall(r"<script nonce=\"[^\"]+\">(.*?)</script>", html, re.S)
    assert executed and not any("7*7" in code for code in executed)  # data stays out of scripts


# --- bounded work -------------------------------------------------------------------------------


def _many_places(tmp_path, count: int, spacing: float = 0.001):
    from tests.builders import EPISODES, feature

    write_json(tmp_path / "episodes.json", EPISODES)
    features = [
        feature(f"p-{i}", round(-0.6 + spacing * (i % 50), 6), round(51.4 + spacing * (i // 50), 6))
        for i in range(count)
    ]
    path = write_json(tmp_path / "locations.geojson", {"type": "FeatureCollection", "features": features})
    from maps import create_app

    return create_app({"TESTING": True, "DATA_PATH": str(path)}).test_client()


def _timed(client, url):
    import time
    import tracemalloc

    client.get("/healthz")  # load (and validate) the data first: only the request is measured
    tracemalloc.start()
    started = time.perf_counter()
    resp = client.get(url)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return resp, elapsed, peak


@pytest.mark.slow  # writes and loads a 1,500-place file
def test_a_filter_selecting_too_many_places_is_refused_before_any_work(tmp_path):
    client = _many_places(tmp_path, 1500)
    resp, elapsed, peak = _timed(client, "/api/route?season=1")
    assert resp.status_code == 400
    assert "at most 200 places per route (this one has 1500)" in resp.json["detail"]
    assert elapsed < 5 and peak < 16 * 2**20  # no 1500² matrix was built


@pytest.mark.slow
def test_the_largest_route_allowed_answers_within_seconds(tmp_path):
    client = _many_places(tmp_path, 200, spacing=0.0005)  # a dense grid: many equal legs
    resp, elapsed, peak = _timed(client, "/api/route?season=1&round_trip=1")
    assert resp.status_code == 200
    assert len(resp.json["stops"]) == 200
    assert elapsed < 15, elapsed  # the order search stops after SOLVER_SECONDS
    assert peak < 128 * 2**20, peak


# --- outputs: hostile text, schema, CORS ----------------------------------------------------------


def test_api_route_kml_and_gpx_with_cdata_markers_are_valid(app, dataset):
    from lxml import etree

    from tests.support import assert_valid_kml, official_gpx_schema

    data = json.loads(dataset.read_text())
    data["features"][0]["properties"]["name"] = "Bridge ]]> <![CDATA[ <b>x</b>"
    write_json(dataset, data)
    client = app.test_client()
    kml = client.get("/api/route?season=1&format=kml")
    assert kml.status_code == 200
    assert_valid_kml(kml.get_data(as_text=True))
    gpx = client.get("/api/route?season=1&format=gpx")
    assert gpx.status_code == 200
    schema = official_gpx_schema()
    assert schema.validate(etree.fromstring(gpx.data)), schema.error_log
    assert b"http://localhost/locations/windsor-bridge" in gpx.data  # <link> to the place page


def test_api_route_is_open_to_other_sites_like_the_ogc_api(client):
    ok = client.get("/api/route?season=1", headers={"Origin": "https://other.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    bad = client.get("/api/route?mode=teleport", headers={"Origin": "https://other.example"})
    assert bad.status_code == 400 and bad.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options(
        "/api/route", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"}
    )
    assert pre.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in client.get("/route").headers  # the page is not


def test_cli_route_on_a_file_with_a_nul_is_one_line_and_exit_2(dataset):
    data = json.loads(dataset.read_text())
    data["features"][0]["properties"]["scenes"][0]["note"] = "a\x00b ]]>"
    write_json(dataset, data)
    result = CliRunner().invoke(
        cli.main, ["route", "--season", "1", "--format", "kml", "--data", str(dataset)]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert "contains the control character U+0000" in result.output


def test_one_url_per_route_file_format(client):
    for ext, media in (
        ("gpx", "application/gpx+xml"),
        ("kml", "application/vnd.google-earth.kml+xml"),
        ("geojson", "application/geo+json"),
    ):
        resp = client.get(f"/api/route.{ext}?season=1")
        assert resp.status_code == 200 and resp.mimetype == media, ext
        assert resp.data == client.get(f"/api/route?season=1&format={ext}").data
    assert client.get("/api/route.csv?season=1").status_code == 404
    assert client.get("/api/route.json?season=1").status_code == 404  # JSON is /api/route itself
    assert client.get("/api/route.gpx?season=1&format=kml").status_code == 400
