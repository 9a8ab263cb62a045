"""Honest days on the real dataset: every leg in a day, day totals include their travel, transfers
by the mode they need (a Eurostar between London and Paris), dwell by kind, private and
not-identified places left out with a reason, regions named from the data."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from maps import create_app
from maps.cli import main
from maps.config import data_path
from maps.dataset.catalog import load_catalog
from maps.route.links import GOOGLE_MAX_WAYPOINTS
from maps.route.plan import plan_route
from maps.route.regions import find_regions
from maps.route.request import parse_route_request
from maps.route.visits import DWELL_MINUTES, not_visitable


@pytest.fixture(scope="module")
def bundled():
    return load_catalog(data_path())


@pytest.fixture
def client():
    return create_app({"TESTING": True}).test_client()


def plan(catalog, **args):
    return plan_route(catalog, parse_route_request({k: str(v) for k, v in args.items()}, catalog.series))


def region_of(catalog, place_id):
    return next(r for r in find_regions(catalog) if place_id in r.place_ids)


def test_regions_are_named_from_the_data(bundled):
    regions = {r.id: r for r in find_regions(bundled)}
    paris = regions["paris"]
    assert paris.name == "Paris" and "louvre" in paris.place_ids and "eiffel-tower" in paris.place_ids
    assert all("Paris" in bundled.get(pid).locality for pid in paris.place_ids)
    assert region_of(bundled, "herne-bay-pier").name == "Herne Bay"
    windsor = region_of(bundled, "river-thames-windsor")
    localities = " ".join(bundled.get(pid).locality for pid in windsor.place_ids)
    assert all(part in localities for part in windsor.name.split(" and "))
    assert all(r.id and r.name for r in regions.values())


def test_every_leg_belongs_to_a_day_and_days_add_up(client):
    doc = client.get("/api/route?season=1&mode=drive&start=London").get_json()
    legs = [leg for day in doc["days"] for leg in day["legs"]]
    assert len(legs) == len(doc["links"]["osm"])  # every leg of the plan is in exactly one day
    for day in doc["days"]:
        assert day["travel_minutes"] == pytest.approx(sum(leg["minutes"] for leg in day["legs"]), abs=0.2)
        assert day["minutes"] == pytest.approx(day["travel_minutes"] + day["visit_minutes"], abs=0.2)
    assert doc["total_minutes"] == pytest.approx(sum(d["minutes"] for d in doc["days"]), abs=0.5)
    # Day 1 starts in London and counts the drive out to its first place.
    first = doc["days"][0]
    assert first["start"]["name"] == "London, United Kingdom"
    assert (
        first["legs"][0]["from"] == "London, United Kingdom"
        and first["travel_minutes"] >= first["legs"][0]["minutes"]
    )
    # Each day's directions start where that day starts and stay within the waypoint limit.
    for day in doc["days"]:
        origin = day["google_maps"][0].split("origin=")[1].split("&")[0].replace("%2C", ",")
        assert origin == f"{day['start']['lat']:.6f},{day['start']['lon']:.6f}"
        for url in day["google_maps"]:
            waypoints = url.split("waypoints=")[1].split("&")[0].split("%7C") if "waypoints=" in url else []
            assert len(waypoints) <= GOOGLE_MAX_WAYPOINTS


def test_london_to_paris_is_a_eurostar_leg_of_believable_length(bundled):
    p = plan(bundled, region="paris", start="London")
    transfer = p.stops[0].leg
    assert transfer.kind == "transfer" and transfer.mode == "eurostar"
    assert 3 * 60 <= transfer.minutes <= 4.5 * 60  # 2 h 20 on the train, plus check-in and the city ends
    assert transfer.day == 1 and p.days[0].legs[0] is transfer
    walks = [leg for leg in p.legs[1:]]
    assert all(leg.mode in ("walk", "transit") and leg.kind == "day" for leg in walks)


def test_paris_to_herne_bay_is_not_a_straight_line(bundled):
    p = plan(bundled, stops="herne-bay-pier", start="Paris")
    leg = p.stops[0].leg
    assert leg.mode == "eurostar" and 4 * 60 <= leg.minutes <= 6 * 60  # via London: about 5 h


def test_dwell_by_kind_and_configurable(bundled):
    p = plan(bundled, stops="louvre,pont-neuf,l-escalier-montmartre")
    visits = {s.point.id: s.visit_minutes for s in p.stops}
    assert visits["louvre"] == DWELL_MINUTES["ticketed"] > visits["pont-neuf"] == DWELL_MINUTES["public"]
    assert visits["l-escalier-montmartre"] == DWELL_MINUTES["street"]
    custom = plan(bundled, stops="louvre,pont-neuf", dwell="ticketed:150")
    assert {s.point.id: s.visit_minutes for s in custom.stops}["louvre"] == 150
    flat = plan(bundled, stops="louvre,pont-neuf", stop_minutes=25)
    assert {s.visit_minutes for s in flat.stops} == {25}


def test_private_and_unidentified_places_left_out_with_a_notice(bundled, client):
    p = plan(bundled, season=2)
    out = {place.id: why for place, why in p.left_out}
    season_two = [place for place in bundled.locations if 2 in place.seasons and place.latlon]
    assert set(out) == {place.id for place in season_two if not_visitable(place)}
    assert {"twickenham-studios", "cafe-by-the-seine"} <= set(out)
    assert "private" in out["twickenham-studios"] and "not identified" in out["cafe-by-the-seine"]
    assert not {"twickenham-studios", "cafe-by-the-seine"} & {s.point.id for s in p.stops}
    everything = plan(bundled, season=2, include_all=1)
    assert {"twickenham-studios", "cafe-by-the-seine"} <= {s.point.id for s in everything.stops}
    html = client.get("/route?season=2").get_data(as_text=True)
    assert "Left out" in html and "Twickenham Film Studios: private property" in html
    assert "include_all=1" in html


def test_region_and_season_together(bundled):
    region = region_of(bundled, "burnham-park-academy")
    p = plan(bundled, region=region.id, season=3)
    expected = {
        pid
        for pid in region.place_ids
        if 3 in bundled.get(pid).seasons and not not_visitable(bundled.get(pid))
    }
    assert {s.point.id for s in p.stops} == expected
    assert {"burnham-park-academy", "upton-court-grammar-school"} <= expected


def test_unknown_region_lists_the_known_ones(client):
    resp = client.get("/api/route?region=narnia")
    assert resp.status_code == 400 and "paris" in resp.get_json()["detail"]


def test_exports_carry_names_notes_and_links(client, bundled):
    doc = client.get("/api/route?region=herne-bay").get_json()
    names = [stop["name"] for stop in doc["stops"]]
    gpx = client.get("/api/route?region=herne-bay&format=gpx").get_data(as_text=True)
    assert all(name in gpx for name in names) and '<link href="http' in gpx and "Season 1" in gpx
    kml = client.get("/api/route?region=herne-bay&format=kml").get_data(as_text=True)
    assert all(name in kml for name in names) and "https://" in kml and "Season 1" in kml


def test_cli_plans_the_paris_day_from_a_town(monkeypatch):
    result = CliRunner().invoke(main, ["route", "--region", "paris", "--start", "Paris", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"found_as": "town"' in result.output
    listing = CliRunner().invoke(main, ["route", "--list-regions"])
    paris = next(r for r in find_regions(load_catalog(data_path())) if r.id == "paris")
    assert f"paris\tParis\t{len(paris.place_ids)} place(s)" in listing.output
