"""maps.listing: near/sort parameters, sorting, nearby places by geodesic distance."""

from __future__ import annotations

import pytest

from maps.dataset import listing
from maps.dataset.catalog import load_catalog
from maps.dataset.filters import Filters
from maps.errors import InvalidQuery


@pytest.mark.parametrize("value", ["x", "51.5", "51.5,-0.1,3", "91,0", "0,181", "nan,0", "inf,1"])
def test_bad_near_values(value):
    with pytest.raises(InvalidQuery) as err:
        listing.parse_near(value)
    assert err.value.parameter == "near"


def test_near_is_lat_first_and_sort_checks():
    assert listing.parse_near(" 51.5 , -0.12 ") == (51.5, -0.12)
    assert listing.parse_sort(None, (1.0, 2.0)) == "distance"
    assert listing.parse_sort(None, None) == "name"
    with pytest.raises(InvalidQuery, match="needs near"):
        listing.parse_sort("distance", None)
    with pytest.raises(InvalidQuery, match="not one of"):
        listing.parse_sort("size", None)


def test_sorting(dataset):
    cat = load_catalog(dataset)
    by_name = [r.place.id for r in listing.sort_rows(cat.locations, "name", None)]
    assert by_name == ["eiffel-tower", "herne-bay-pier", "louvre", "whipsnade-zoo", "windsor-bridge"]
    by_season = [r.place.id for r in listing.sort_rows(cat.locations, "season", None)]
    assert by_season == ["windsor-bridge", "herne-bay-pier", "eiffel-tower", "louvre", "whipsnade-zoo"]
    windsor = (51.4858, -0.6083)
    rows = listing.sort_rows(cat.locations, "distance", windsor)
    assert rows[0].place.id == "windsor-bridge" and rows[0].distance_km == pytest.approx(0, abs=1e-6)
    assert rows[1].place.id == "whipsnade-zoo" and 40 < rows[1].distance_km < 45
    assert [r.place.id for r in rows[-2:]] == ["eiffel-tower", "louvre"]  # Paris: furthest


def test_nearby_within_5_km_geodesic(dataset):
    cat = load_catalog(dataset)
    rows = listing.nearby(cat, cat.get("eiffel-tower"))
    assert [r.place.id for r in rows] == ["louvre"]
    assert rows[0].distance_km == pytest.approx(3.19, abs=0.05)  # geodesic, Eiffel Tower to Louvre
    assert listing.nearby(cat, cat.get("windsor-bridge")) == []
    hidden = Filters(watched=(1, 8))  # the Louvre is a season-2 scene: a spoiler
    assert listing.nearby(cat, cat.get("eiffel-tower"), hidden) == []


def test_thin_seasons_are_reported_honestly(dataset):
    from maps.dataset.listing import thin_seasons

    catalog = load_catalog(dataset)
    thin = {t.label: (t.mapped, t.known) for t in thin_seasons(catalog)}
    assert thin == {"Season 1": (2, 2), "Season 2": (2, 2), "Season 3": (1, 1)}
    assert [t.label for t in thin_seasons(catalog, (2,))] == ["Season 2"]
