"""Planning on small datasets: order, fixed ends, trips, days, story order and clear errors."""

from __future__ import annotations

import pytest

from maps.dataset.catalog import load_catalog
from maps.errors import InvalidQuery, LocationNotFound
from maps.route.plan import plan_route
from maps.route.request import parse_route_request
from tests.builders import EPISODES, feature, sample, write_json


@pytest.fixture
def catalog(dataset):
    return load_catalog(dataset)


def plan(catalog, **args):
    return plan_route(catalog, parse_route_request({k: str(v) for k, v in args.items()}, catalog.series))


def ids(p):
    return [s.point.id for s in p.stops]


def test_start_place_is_first_stop_and_every_place_once(catalog):
    p = plan(catalog, stops="louvre,windsor-bridge,herne-bay-pier,eiffel-tower", start="eiffel-tower")
    assert ids(p)[0] == "eiffel-tower"
    assert sorted(ids(p)) == ["eiffel-tower", "herne-bay-pier", "louvre", "windsor-bridge"]
    assert [s.order for s in p.stops] == [1, 2, 3, 4]
    assert p.stops[0].leg is None and p.exact


def test_end_is_last_and_round_trip_returns(catalog):
    p = plan(catalog, stops="louvre,windsor-bridge,herne-bay-pier,eiffel-tower,whipsnade-zoo", end="louvre")
    assert ids(p)[-1] == "louvre" and p.finish is None
    r = plan(catalog, stops="louvre,windsor-bridge,herne-bay-pier", start="windsor-bridge", round_trip=1)
    assert ids(r)[0] == "windsor-bridge"
    assert r.finish is not None and r.finish.target.id == "windsor-bridge"
    assert r.total_km == pytest.approx(sum(leg.km for leg in r.legs))
    assert len(r.legs) == 3  # two legs out, one back


def test_trips_split_paris_from_england(catalog):
    p = plan(catalog, season="1,2,3", start="windsor-bridge")
    by_trip = {}
    for stop in p.stops:
        by_trip.setdefault(stop.trip, set()).add(stop.point.place.country)
    assert all(len(countries) == 1 for countries in by_trip.values())
    assert {"FR", "GB"} <= {c for cs in by_trip.values() for c in cs}
    # a transfer is a change of region, or a leg too long to walk within one day
    walk = p.mode
    assert p.transfers
    assert all(leg.km > 50 or walk.minutes(leg.km) + 20 > 8 * 60 for leg in p.transfers)
    assert all(leg.km < 50 for leg in p.legs if leg.kind == "day")
    by_car = plan(catalog, season="1,2,3", start="windsor-bridge", mode="drive")
    assert len(by_car.trips) == 3  # Windsor area, Herne Bay, Paris
    assert all(leg.km > 50 for leg in by_car.transfers)


@pytest.mark.parametrize("hours", [1, 2, 3.5, 8])
@pytest.mark.parametrize("mode", ["walk", "cycle", "drive", "transit"])
def test_days_never_exceed_the_limit(tmp_path, hours, mode):
    # a grid of 30 places in and around Windsor, about 1 km apart
    write_json(tmp_path / "episodes.json", EPISODES)
    feats = [feature(f"p-{i}", -0.62 + (i % 6) * 0.015, 51.47 + (i // 6) * 0.01) for i in range(30)]
    path = write_json(tmp_path / "locations.geojson", {"type": "FeatureCollection", "features": feats})
    cat = load_catalog(path)
    p = plan(cat, season=1, hours_per_day=hours, mode=mode, stop_minutes=25)
    assert len(p.stops) == 30
    for day in p.days:
        assert day.minutes <= hours * 60 + 1e-9
        assert day.visit_minutes == 25 * len(day.stops)
    assert [d.number for d in p.days] == list(range(1, len(p.days) + 1))
    assert sum(len(d.stops) for d in p.days) == 30
    expected_total = sum(d.minutes for d in p.days) + sum(leg.minutes for leg in p.transfers)
    assert p.total_minutes == pytest.approx(expected_total + (p.finish.minutes if p.finish else 0))
    if hours <= 2 and mode == "walk":
        assert len(p.days) > 1


def test_story_order_follows_season_then_episode(catalog):
    p = plan(catalog, season="1,2,3", order="story")
    keys = [min((s.season, s.episode) for s in stop.point.place.scenes) for stop in p.stops]
    assert keys == sorted(keys)


def test_coordinates_as_start_and_end(catalog):
    p = plan(catalog, stops="eiffel-tower,louvre", start="48.85,2.30", end="48.87,2.34")
    assert p.start is not None and p.start.place is None
    assert p.stops[0].leg.origin is p.start
    assert p.finish.target.place is None and p.finish.target.lat == 48.87


def test_season_selection_skips_places_without_coordinates(tmp_path):
    write_json(tmp_path / "episodes.json", EPISODES)
    data = sample()
    data["features"][0]["geometry"] = None
    data["features"][0]["properties"]["geocode"]["query"] = "Windsor Bridge, Windsor"
    path = write_json(tmp_path / "locations.geojson", data)
    p = plan(load_catalog(path), season=1, stops="whipsnade-zoo")
    assert p.skipped == ["windsor-bridge"]
    with pytest.raises(InvalidQuery, match="no coordinates"):
        plan(load_catalog(path), stops="windsor-bridge,louvre")


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        ({"stops": "louvre"}, "stops"),
        ({"stops": ""}, "stops"),
        ({"stops": "louvre,eiffel-tower", "start": "91,0"}, "start"),
        ({"stops": "louvre,eiffel-tower", "start": "48.8;2.3"}, "start"),
        ({"stops": "louvre,eiffel-tower", "end": "abc,def"}, "end"),
        ({"stops": "louvre,eiffel-tower", "hours_per_day": "0"}, "hours_per_day"),
        ({"stops": "louvre,eiffel-tower", "hours_per_day": "200"}, "hours_per_day"),
        ({"stops": "louvre,eiffel-tower", "hours_per_day": "nan"}, "hours_per_day"),
        ({"stops": "louvre,eiffel-tower", "stop_minutes": "-5"}, "stop_minutes"),
        ({"stops": "louvre,eiffel-tower", "mode": "teleport"}, "mode"),
        ({"stops": "louvre,eiffel-tower", "order": "random"}, "order"),
        ({"stops": "louvre,eiffel-tower", "round_trip": "maybe"}, "round_trip"),
        (
            {"stops": "louvre,eiffel-tower", "round_trip": "1", "end": "louvre", "start": "eiffel-tower"},
            "end",
        ),
        ({"stops": "<script>"}, "stops"),
    ],
)
def test_bad_input_names_the_parameter(catalog, args, parameter):
    with pytest.raises(InvalidQuery) as caught:
        plan_route(catalog, parse_route_request(args, catalog.series))
    assert caught.value.parameter == parameter


def test_unknown_id_is_not_found_and_named(catalog):
    with pytest.raises(LocationNotFound, match="nowhere"):
        plan(catalog, stops="louvre,nowhere")
    # A start is a place, a town, an address or LAT,LON: one wording for all, with what to try.
    with pytest.raises(
        InvalidQuery, match="'nowhere' is not a place of the map, a town or an address"
    ) as caught:
        plan(catalog, stops="louvre,eiffel-tower", start="nowhere")
    assert caught.value.parameter == "start" and "LAT,LON" in str(caught.value)


def test_request_round_trips_through_the_query_string(catalog):
    args = {
        "stops": "louvre,eiffel-tower",
        "start": "48.850000,2.300000",
        "round_trip": "1",
        "mode": "cycle",
        "hours_per_day": "6.5",
        "stop_minutes": "30",
        "order": "story",
        "season": "2",
        "trip_km": "20",
    }
    request = parse_route_request(args, catalog.series)
    again = parse_route_request(dict(request.as_query()), catalog.series)
    assert again == request
