"""Filters shared by every page, download and API call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from maps.dataset.catalog import load_catalog
from maps.dataset.filters import Filters, parse_filters, select
from maps.errors import InvalidQuery


@pytest.fixture
def catalog(dataset: Path):
    return load_catalog(dataset)


def ids(catalog, **args) -> list[str]:
    filters = parse_filters(MultiDict(args), catalog.series)
    return [loc.id for loc in select(catalog.locations, filters)]


def test_no_filter_keeps_everything(catalog):
    assert ids(catalog) == ["windsor-bridge", "herne-bay-pier", "eiffel-tower", "louvre", "whipsnade-zoo"]


def test_season_repeatable_and_comma_separated(catalog):
    assert ids(catalog, season=["2"]) == ["eiffel-tower", "louvre"]
    both = parse_filters(MultiDict([("season", "1"), ("season", "3")]), catalog.series)
    assert [loc.id for loc in select(catalog.locations, both)] == [
        "windsor-bridge",
        "herne-bay-pier",
        "whipsnade-zoo",
    ]
    assert ids(catalog, season="1,3") == ["windsor-bridge", "herne-bay-pier", "whipsnade-zoo"]


def test_episode_plain_and_code(catalog):
    assert ids(catalog, episode="5") == ["eiffel-tower", "louvre"]
    assert ids(catalog, episode="S1E8") == ["herne-bay-pier"]
    assert ids(catalog, episode="S2E8") == []


def test_character_case_insensitive(catalog):
    assert ids(catalog, character="nick") == ["herne-bay-pier", "eiffel-tower"]


def test_q_searches_name_locality_and_note(catalog):
    assert ids(catalog, q="louvre") == ["louvre"]
    assert ids(catalog, q="<3") == ["eiffel-tower"]
    assert ids(catalog, q="SEASIDE") == ["herne-bay-pier"]


def test_watched_hides_later_scenes(catalog):
    assert ids(catalog, watched="S1E2") == ["windsor-bridge"]
    assert ids(catalog, watched="S2E4") == ["windsor-bridge", "herne-bay-pier"]
    assert ids(catalog, watched="S2E5") == ["windsor-bridge", "herne-bay-pier", "eiffel-tower", "louvre"]


def test_filtered_place_keeps_only_matching_scenes(catalog):
    loc = catalog.get("windsor-bridge")
    from dataclasses import replace

    from maps.dataset.catalog import Scene
    from maps.dataset.filters import apply_filters

    two = replace(loc, scenes=(*loc.scenes, Scene(3, 2, "Later scene.")))
    kept = apply_filters(two, Filters(watched=(2, 1)))
    assert [s.season for s in kept.scenes] == [1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"season": "7"}, "season: '7' is not a season; allowed: 1, 2, 3"),
        ({"season": "two"}, "season: 'two' is not a season"),
        ({"episode": "S9E1"}, "episode: there is no season 9"),
        ({"episode": "first"}, "episode: 'first' is not an episode code like S2E4"),
        ({"watched": "yes"}, "watched: 'yes' is not an episode code like S2E4"),
        ({"q": "x" * 201}, "q: must be at most 200 characters"),
        ({"q": ["a", "b"]}, "q: give it at most once"),
    ],
)
def test_bad_filters_name_the_parameter(catalog, args, message):
    with pytest.raises(InvalidQuery) as err:
        parse_filters(MultiDict(args), catalog.series)
    assert str(err.value).startswith(message)


def test_filters_round_trip_to_query_and_slug(catalog):
    filters = parse_filters(MultiDict([("season", "2"), ("character", "Nick")]), catalog.series)
    assert filters.as_query() == [("season", "2"), ("character", "Nick")]
    assert filters.slug() == "season-2-character-nick"


def test_catalog_cached_per_file_version(dataset: Path):
    first = load_catalog(dataset)
    assert load_catalog(dataset) is first
    text = dataset.read_text(encoding="utf-8").replace("Seaside day.", "Seaside day!")
    dataset.write_text(text, encoding="utf-8")
    second = load_catalog(dataset)
    assert second is not first
    assert second.get("herne-bay-pier").scenes[0].note == "Seaside day!"


def test_q_finds_an_episode_by_its_title_however_the_slash_is_spaced(tmp_path: Path):
    """S2E6 is "Truth / Dare" in the sources; fans type "Truth/Dare" too: both find its scenes."""
    from maps.dataset.catalog import location_from_feature
    from maps.dataset.episodes import parse_series
    from tests.builders import EPISODES, feature

    raw = json.loads(json.dumps(EPISODES))
    raw["seasons"][1]["episodes"][5]["title"] = "Truth / Dare"
    series = parse_series(raw)
    places = [
        location_from_feature(feature("hotel-set", -0.6, 51.5, season=2, episode=6, note="A set.")),
        location_from_feature(feature("tower", 2.29, 48.86, season=2, episode=5, note="Morning.")),
        location_from_feature(feature("diary", 2.3, 48.8, season=2, episode=2, note="Truth /dare game.")),
    ]
    for spelling in ("Truth/Dare", "Truth / Dare", "truth /dare", "  TRUTH/  DARE "):
        filters = parse_filters({"q": spelling}, series)
        assert filters.q_episodes == ((2, 6),), spelling
        assert [p.id for p in select(places, filters)] == ["hotel-set", "diary"], spelling
    assert parse_filters({"q": "a"}, series).q_episodes == ()  # short text: no title match


def _with_scenes(catalog, *scenes):
    from dataclasses import replace

    return replace(catalog.get("windsor-bridge"), scenes=tuple(scenes))


def test_a_finished_season_shows_its_scenes_of_unknown_episode(catalog):
    from maps.dataset.catalog import Scene
    from maps.dataset.filters import apply_filters, parse_filters

    place = _with_scenes(catalog, Scene(1, None, "Episode not known."))
    finished = parse_filters({"watched": "S1E8"}, catalog.series)  # season 1 has 8 episodes
    assert finished.watched_season_done
    assert apply_filters(place, finished) is place
    partly = parse_filters({"watched": "S1E7"}, catalog.series)
    assert apply_filters(place, partly) is None  # might be in episode 8
    assert apply_filters(place, parse_filters({"watched": "S2E1"}, catalog.series)) is place
    assert parse_filters({"watched": "all"}, catalog.series).watched is None


def test_guard_counts_hidden_places_by_reason_and_hides_source_titles(catalog):
    from maps.dataset.catalog import Scene
    from maps.dataset.filters import apply_filters, hidden_by_guard, parse_filters

    unknown = _with_scenes(catalog, Scene(1, None, "When?"))
    later = _with_scenes(catalog, Scene(2, 3, "Later."))
    both = _with_scenes(catalog, Scene(1, 1, "Early."), Scene(3, 1, "A spoiler."))
    filters = parse_filters({"watched": "S1E4"}, catalog.series)
    hidden = hidden_by_guard([unknown, later, both], filters)
    assert (hidden.unknown, hidden.later, hidden.total) == (1, 1, 2)
    kept = apply_filters(both, filters)
    assert [s.note for s in kept.scenes] == ["Early."]
    assert [s.title for s in kept.sources] == ["example.org"]  # a title may name the later scene
