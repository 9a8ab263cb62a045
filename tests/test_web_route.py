"""The route planner page, /api/route and `maps route`, end to end on a small dataset."""

from __future__ import annotations

import json
import re

import gpxpy
import pytest
from click.testing import CliRunner
from conftest import write_json
from openapi_spec_validator import validate
from support import live_server, require_tool

from maps import cli, openapi
from maps.web import route as route_web  # noqa: F401  (registers /api/route)

EVIL = "<script>alert(1)</script>"


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
    assert "no road network" in html


def test_planner_page_shows_plan_map_table_links_and_exports(client):
    resp = client.get("/route?season=1&season=2&start=windsor-bridge&mode=drive&hours_per_day=8")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count("route-pin") == 4
    assert "L.polyline" in html and "folium-map" in html
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


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("gpx", "application/gpx+xml"),
        ("geojson", "application/geo+json"),
        ("kml", "application/vnd.google-earth.kml+xml"),
    ],
)
def test_api_exports(client, fmt, media_type):
    resp = client.get(f"/api/route?season=2&format={fmt}")
    assert resp.status_code == 200 and resp.mimetype == media_type
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


@pytest.mark.browser
def test_route_map_draws_numbered_markers_in_a_browser(app):
    chromium = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with live_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: r.abort())  # no tiles offline
        page.goto(f"{base}/route?season=1&season=2&start=windsor-bridge&mode=drive")
        page.wait_for_selector(".route-pin")
        pins = page.locator(".leaflet-marker-pane .route-pin").all_inner_texts()
        assert sorted(pins, key=int) == ["1", "2", "3", "4"]
        assert page.locator(".leaflet-overlay-pane path").count() == 3
        assert errors == []
        browser.close()


def test_tiles_come_from_the_configured_provider(dataset):
    from maps import create_app

    app = create_app({"TESTING": True, "DATA_PATH": str(dataset), "TILES": "OpenTopoMap"})
    html = app.test_client().get("/route?season=2").get_data(as_text=True)
    assert "tile.opentopomap.org" in html and "tile.openstreetmap.org" not in html
    with pytest.raises(ValueError, match=r"unknown tile provider 'No\.Such'"):
        create_app({"TESTING": True, "DATA_PATH": str(dataset), "TILES": "No.Such"})
