"""The compact catalog (maps.dataset.compact) answers every query exactly as the object catalog
does: on the bundled dataset and on a small one with lines, polygons, a place without
coordinates and a box across the antimeridian."""

from __future__ import annotations

import pytest

from maps.dataset import store
from maps.dataset.catalog import catalog_of, compact_catalog, load_catalog
from maps.dataset.filters import parse_filters
from maps.errors import DataUnreadable, LocationNotFound
from maps.ogc.core import ItemsQuery, select_page
from maps.resources import bundled_data_path
from tests.builders import browser_dataset, feature, sample

BOXES = [
    (-180, -90, 180, 90),
    (2.28, 48.84, 2.38, 48.9),  # Paris
    (-1, 51, 0, 52),  # west of London
    (-0.09, 51.505, -0.085, 51.509),  # inside the district polygon, away from its corners
    (0.31, 51.0, 0.315, 51.1),  # crosses the walk's box but not the line itself
    (170, -10, -170, 60),  # across the antimeridian
    (10, 10, 11, 11),  # nothing
    (0.0, 51.1, 0.1, 51.4),  # crossed by the long walk only in its middle
]


def both(raw, series):
    return catalog_of(raw, series, "v"), catalog_of(raw, series, "v", compact_above=0)


def answers(catalog, bbox, args=None, limit=10, offset=0):
    query = ItemsQuery(
        bbox=bbox, limit=limit, offset=offset, filters=parse_filters(args or {}, catalog.series)
    )
    page = select_page(catalog, query)
    return [loc.to_feature() for loc in page.items], page.matched


@pytest.fixture(params=["bundled", "small"])
def catalogs(request, tmp_path):
    path = bundled_data_path() if request.param == "bundled" else browser_dataset(tmp_path)
    raw = store.read_raw(path)
    if request.param == "small":
        raw["features"].append({**feature("nowhere", 0, 0), "geometry": None})
        raw["features"].append(feature("fiji", 178.4, -18.1, country="FJ"))
        long_walk = feature("long-walk", -3.0, 51.2, precision="street")
        long_walk["geometry"] = {"type": "LineString", "coordinates": [[-3.0, 51.2], [1.0, 51.25]]}
        raw["features"].append(long_walk)  # its west edge lies far west of a box it crosses
    return both(raw, load_catalog(path).series)


def test_compact_is_compact(catalogs):
    objects, compact = catalogs
    assert not objects.compact and compact.compact
    assert len(compact.locations) == len(objects.locations)


@pytest.mark.parametrize("bbox", BOXES)
@pytest.mark.parametrize("window", [(10, 0), (3, 2), (100, 0)])
def test_the_same_bbox_answers(catalogs, bbox, window):
    objects, compact = catalogs
    assert answers(compact, bbox, limit=window[0], offset=window[1]) == answers(
        objects, bbox, limit=window[0], offset=window[1]
    )


@pytest.mark.parametrize(
    "args", [{"season": "1"}, {"season": ["2", "3"]}, {"q": "bridge"}, {"episode": "S2E5"}]
)
def test_the_same_filtered_answers(catalogs, args):
    objects, compact = catalogs
    for bbox in (None, BOXES[0], BOXES[2]):
        assert answers(compact, bbox, args) == answers(objects, bbox, args)


def test_the_same_places_extent_and_lookups(catalogs):
    objects, compact = catalogs
    assert [loc.to_feature() for loc in compact.locations] == [loc.to_feature() for loc in objects.locations]
    assert compact.bbox == objects.bbox
    first = objects.locations[0]
    assert compact.get(first.id) == first
    assert compact.locations[-1] == objects.locations[-1]
    assert compact.locations[1:3] == list(objects.locations[1:3])
    assert set(compact.by_id) == set(objects.by_id)
    with pytest.raises(LocationNotFound):
        compact.get("no-such-place")


def test_a_malformed_feature_is_refused_while_streaming():
    series = load_catalog(bundled_data_path()).series
    features = sample()["features"]
    features[1]["properties"]["scenes"] = [{"note": "no season"}]
    with pytest.raises(DataUnreadable, match=r"features\[1\]"):
        compact_catalog(iter(features), series)


def test_columns_take_less_than_a_kilobyte_a_place():
    series = load_catalog(bundled_data_path()).series
    features = [
        feature(f"place-{i}", -1 + i / 1000, 51 + i / 2000, note="A scene. " * 10) for i in range(2000)
    ]
    locations = compact_catalog(iter(features), series).locations
    assert locations.nbytes() / len(locations) < 1024  # type: ignore[attr-defined]
