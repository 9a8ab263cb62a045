"""Hand-off: directions links within Google's waypoint limit, exports that parse back and escape."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import pairwise
from urllib.parse import parse_qs, urlparse

import gpxpy
import pytest
from geojson_pydantic import FeatureCollection
from lxml import etree

from maps.dataset.catalog import load_catalog
from maps.route.formats import plan_document, to_geojson, to_gpx, to_kml
from maps.route.links import GOOGLE_MAX_WAYPOINTS, day_points, google_maps_urls
from maps.route.plan import plan_route
from maps.route.request import parse_route_request
from tests.builders import EPISODES, feature, write_json
from tests.support import official_gpx_schema

EVIL = "<img src=x onerror=alert(1)> & <script>alert(2)</script>"


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """25 places around Windsor, one with a hostile name and note (read only: one per module)."""
    tmp_path = tmp_path_factory.mktemp("grid")
    write_json(tmp_path / "episodes.json", EPISODES)
    feats = [
        feature(
            f"p-{i}", round(-0.62 + (i % 5) * 0.01, 6), round(51.47 + (i // 5) * 0.008, 6), episode=1 + i % 8
        )
        for i in range(25)
    ]
    feats[3]["properties"]["name"] = EVIL
    feats[3]["properties"]["scenes"][0]["note"] = EVIL
    return load_catalog(
        write_json(tmp_path / "locations.geojson", {"type": "FeatureCollection", "features": feats})
    )


def make_plan(cat, **args):
    return plan_route(cat, parse_route_request({k: str(v) for k, v in args.items()}, cat.series))


def waypoint_count(url: str) -> int:
    query = parse_qs(urlparse(url).query)
    return len(query["waypoints"][0].split("|")) if "waypoints" in query else 0


def test_google_links_respect_the_waypoint_limit_and_chain(grid):
    plan = make_plan(grid, season=1, hours_per_day=16, mode="drive", start="p-0")
    doc = plan_document(plan, grid.series)
    assert len(plan.days) == 1 and len(doc["links"]["google_maps"]) >= 3
    urls = doc["links"]["google_maps"]
    assert all(waypoint_count(u) <= GOOGLE_MAX_WAYPOINTS for u in urls)
    queries = [parse_qs(urlparse(u).query) for u in urls]
    for before, after in pairwise(queries):
        assert before["destination"] == after["origin"]  # each link continues the previous one
    visited = [queries[0]["origin"][0]]
    for q in queries:
        visited += q.get("waypoints", [""])[0].split("|") if "waypoints" in q else []
        visited.append(q["destination"][0])
    assert visited == [f"{p.lat:.6f},{p.lon:.6f}" for p in day_points(plan.days[0], plan)]
    assert all(q["travelmode"] == ["driving"] for q in queries)


@pytest.fixture(scope="module")
def season_one_points(grid):
    """The 25 places in visiting order, planned once for the splitting cases."""
    return [s.point for s in make_plan(grid, season=1, hours_per_day=16).stops]


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 12, 21, 22, 25])
def test_google_url_splitting(n, season_one_points):
    points = season_one_points[:n]
    urls = google_maps_urls(points, "walking")
    assert all(waypoint_count(u) <= GOOGLE_MAX_WAYPOINTS for u in urls)
    total = sum(waypoint_count(u) for u in urls) + len(urls) + (1 if n > 1 else 0)
    assert total == n


def test_osm_link_per_leg(grid):
    plan = make_plan(grid, stops="p-0,p-1,p-7", round_trip=1, mode="cycle")
    links = plan_document(plan, grid.series)["links"]["osm"]
    assert len(links) == len(plan.legs) == 3
    for link, leg in zip(links, plan.legs, strict=True):
        q = parse_qs(urlparse(link).query)
        assert q["engine"] == ["fossgis_osrm_bike"]
        assert q["route"] == [
            f"{leg.origin.lat:.6f},{leg.origin.lon:.6f};{leg.target.lat:.6f},{leg.target.lon:.6f}"
        ]


def test_gpx_parses_back_with_numbered_route_points_and_notes(grid):
    plan = make_plan(grid, season=1, start="51.46,-0.63")
    text = to_gpx(plan, grid.series)
    official = official_gpx_schema()
    assert official.validate(etree.fromstring(text.encode())), official.error_log
    gpx = gpxpy.parse(text)
    assert len(gpx.routes) == 1
    names = [p.name for p in gpx.routes[0].points]
    assert names[0] == "Start"
    assert names[1:] == [f"{s.order}. {s.point.name}" for s in plan.stops]
    assert len(gpx.waypoints) == len(plan.stops)
    evil = next(p for p in gpx.routes[0].points if EVIL in (p.name or ""))
    assert EVIL in evil.description  # round-trips as text...
    assert "<script>" not in text and "&lt;script&gt;" in text  # ...because it was escaped
    ET.fromstring(text.encode())


def test_geojson_is_valid_with_points_and_leg_lines(grid):
    plan = make_plan(grid, season=1, hours_per_day=3)
    doc = to_geojson(plan, grid.series)
    FeatureCollection.model_validate(json.loads(json.dumps(doc)))
    points = [f for f in doc["features"] if f["properties"]["role"] == "stop"]
    lines = [f for f in doc["features"] if f["geometry"]["type"] == "LineString"]
    assert [f["properties"]["order"] for f in points] == list(range(1, 26))
    assert len(lines) == len(plan.legs)
    assert all({"km", "minutes", "day", "trip"} <= set(f["properties"]) for f in lines)


def test_kml_is_xml_and_escapes(grid):
    plan = make_plan(grid, season=1)
    text = to_kml(plan, grid.series)
    root = ET.fromstring(text.encode())
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert len(root.findall(".//k:Point", ns)) == len(plan.stops)
    assert len(root.findall(".//k:LineString", ns)) == len(plan.legs)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_json_document_contract(grid):
    doc = plan_document(make_plan(grid, stops="p-0,p-1,p-2", start="p-2"), grid.series)
    assert {"stops", "total_km", "total_minutes", "days", "trips", "links"} <= set(doc)
    assert doc["stops"][0]["id"] == "p-2"
    for stop in doc["stops"]:
        assert {"id", "name", "order", "trip", "day", "leg_km", "leg_minutes"} <= set(stop)
    assert set(doc["links"]) == {"google_maps", "osm"}
    assert doc["total_km"] == pytest.approx(sum(s["leg_km"] for s in doc["stops"]), abs=1e-2)


# --- hostile text, KML 2.2 schema, GPX links --------------------------------------------------------

NASTY = "Bad ]]> <![CDATA[ x \x00 nul \x01\x08\x0b\x1f \ufffe \ud800 end"


@pytest.fixture
def nasty():
    """Text no data file may hold (the validator refuses it), built in memory: the route writers
    must still produce well-formed, schema-valid files from it."""
    from maps.dataset.catalog import catalog_of
    from maps.dataset.episodes import parse_series

    feats = [feature(f"n-{i}", round(-0.62 + i * 0.01, 6), 51.47, episode=1) for i in range(4)]
    feats[1]["properties"].update(name=NASTY, story_place=NASTY)
    feats[1]["properties"]["scenes"][0]["note"] = NASTY
    return catalog_of({"type": "FeatureCollection", "features": feats}, parse_series(EPISODES))


def test_route_kml_and_gpx_survive_cdata_ends_nul_and_control_characters(nasty):
    from tests.support import assert_valid_kml

    plan = make_plan(nasty, season=1, start="51.46,-0.63")
    kml = to_kml(plan, nasty.series, "https://maps.example")
    assert_valid_kml(kml)
    assert "Bad ]]&gt; &lt;![CDATA[ x  nul" in kml
    gpx_text = to_gpx(plan, nasty.series, "https://maps.example")
    official = official_gpx_schema()
    assert official.validate(etree.fromstring(gpx_text.encode())), official.error_log
    assert "Bad ]]&gt; &lt;![CDATA[ x  nul" in gpx_text


def test_route_kml_is_schema_valid_with_stable_ids(grid):
    from tests.support import assert_valid_kml

    plan = make_plan(grid, season=1, hours_per_day=3, round_trip=1)
    first, second = (
        to_kml(plan, grid.series),
        to_kml(make_plan(grid, season=1, hours_per_day=3, round_trip=1), grid.series),
    )
    assert first == second
    assert_valid_kml(first)
    ids = [el.get("id") for el in ET.fromstring(first).iter() if el.get("id")]
    assert "stop-1" in ids and "leg-1" in ids and "day-1" in ids and len(ids) == len(set(ids))


def test_route_gpx_points_carry_a_link_and_a_type(grid):
    plan = make_plan(grid, stops="p-0,p-1,p-2", start="51.46,-0.63")
    gpx = gpxpy.parse(to_gpx(plan, grid.series, "https://maps.example"))
    stops = gpx.routes[0].points[1:]
    assert [p.link for p in stops] == [f"https://maps.example/locations/{s.point.id}" for s in plan.stops]
    assert all(p.type == "Season 1" and p.link_type == "text/html" for p in stops)
    assert gpx.routes[0].points[0].type == "start" and gpx.routes[0].points[0].link is None
    assert [w.link for w in gpx.waypoints] == [p.link for p in stops]
