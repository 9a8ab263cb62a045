"""One broken file per rule; each asserts the exact problem line."""

from __future__ import annotations

import pytest

from maps.dataset.episodes import parse_series
from maps.dataset.validate import check_collection, check_warnings
from tests.builders import EPISODES, feature, sample

SERIES = parse_series(EPISODES)


def lines(data) -> list[str]:
    return [str(p) for p in check_collection(data, series=SERIES)]


def one(fid="place-a", **kwargs) -> dict:
    return {"type": "FeatureCollection", "features": [feature(fid, -0.6083, 51.4858, **kwargs)]}


def test_sample_is_valid():
    assert lines(sample()) == []


def test_note_may_contain_any_character():
    assert lines(one(note='Nick <3 Charlie & <script>alert(1)</script> ]]> "quoted"')) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "-: $: not a GeoJSON FeatureCollection"),
        ({"type": "Feature"}, "-: $: not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": {}}, "-: $.features: must be a list of features"),
    ],
)
def test_not_a_collection(data, expected):
    assert lines(data) == [expected]


def test_missing_id():
    data = one()
    del data["features"][0]["id"]
    assert lines(data) == ["#0: $.features[0].id: missing id: every place needs a unique slug id"]


def test_id_not_a_slug():
    assert lines(one("Place A")) == ["Place A: $.features[0].id: 'Place A' is not a slug (a-z, 0-9, hyphens)"]


def test_duplicate_id():
    data = one()
    data["features"].append(feature("place-a", 2.2945, 48.8584, country="FR", name="Other"))
    assert lines(data) == ["place-a: $.features[1].id: duplicate id (also features[0])"]


def test_unknown_precision_and_access():
    data = one(precision="exact", access="open")
    assert lines(data) == [
        "place-a: $.features[0].properties.precision: "
        "Input should be 'building', 'site', 'street', 'area' or 'town'",
        "place-a: $.features[0].properties.access: "
        "Input should be 'public', 'exterior', 'ticketed', 'private' or 'private-home'",
    ]


def test_wrong_geometry_type():
    data = one()
    data["features"][0]["geometry"] = {"type": "MultiPoint", "coordinates": [[0, 51]]}
    (line,) = lines(data)
    assert line.startswith("place-a: $.features[0].geometry: Input tag 'MultiPoint'")


def test_string_coordinates_rejected_in_strict_mode():
    data = one()
    data["features"][0]["geometry"]["coordinates"] = ["-0.6083", "51.4858"]
    assert "place-a: $.features[0].geometry.coordinates[0]: Input should be a valid number" in lines(data)


def test_coordinates_out_of_range():
    data = one()
    data["features"][0]["geometry"]["coordinates"] = [-200.0, 51.4858]
    assert lines(data) == [
        "place-a: $.features[0].geometry.coordinates: [-200.0, 51.4858] is out of range (lon -180..180, lat -90..90)"
    ]


def test_too_many_decimals():
    data = one()
    data["features"][0]["geometry"]["coordinates"] = [-0.6083123, 51.4858]
    assert lines(data) == [
        "place-a: $.features[0].geometry.coordinates: [-0.6083123, 51.4858] has more than 6 decimals"
    ]


def test_swapped_lat_lon():
    data = one()
    data["features"][0]["geometry"]["coordinates"] = [51.4858, -0.6083]
    assert lines(data) == [
        "place-a: $.features[0].geometry.coordinates: [51.4858, -0.6083] looks like [lat, lon] order; "
        "GeoJSON wants [lon, lat]"
    ]


def test_point_on_another_continent_than_its_country():
    data = one(country="FR")
    data["features"][0]["geometry"]["coordinates"] = [-74.0, 40.7]  # New York
    (line,) = lines(data)
    assert line.startswith("place-a: $.features[0].geometry.coordinates: [-74.0, 40.7] is ")
    assert line.endswith("km from any town in FR: in the sea or in another country?")


def test_point_in_the_sea():
    data = one()
    data["features"][0]["geometry"]["coordinates"] = [-20.0, 50.0]  # Atlantic, west of Cornwall
    (line,) = lines(data)
    assert "km from any town in GB: in the sea or in another country?" in line


def test_invalid_polygon():
    data = one(precision="area")
    bowtie = [[[-0.61, 51.48], [-0.60, 51.49], [-0.60, 51.48], [-0.61, 51.49], [-0.61, 51.48]]]
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": bowtie}
    (line,) = lines(data)
    assert line.startswith("place-a: $.features[0].geometry: invalid geometry: Self-intersection")


def test_unknown_season_and_episode():
    data = one(season=7)
    data["features"].append(feature("place-b", 2.2945, 48.8584, country="FR", season=2, episode=12))
    assert lines(data) == [
        "place-a: $.features[0].properties.scenes[0].season: season 7 is not in episodes.json (known: 1, 2, 3)",
        "place-b: $.features[1].properties.scenes[0].episode: episode 12 is not in Season 2 (it has 8)",
    ]


def test_no_source():
    data = one()
    data["features"][0]["properties"]["sources"] = []
    assert lines(data) == [
        "place-a: $.features[0].properties.sources: List should have at least 1 item after validation, not 0"
    ]


def test_source_without_http_url():
    data = one()
    data["features"][0]["properties"]["sources"] = [{"title": "Blog", "url": "javascript:alert(1)"}]
    assert lines(data) == [
        "place-a: $.features[0].properties.sources[0].url: 'javascript:alert(1)' is not an http(s) URL"
    ]


def test_duplicate_place_same_name_within_50_m():
    data = one(name="Windsor Bridge")
    data["features"].append(feature("place-b", -0.6084, 51.4859, name="windsor bridge"))
    assert lines(data) == [
        "place-b: $.features[1].properties.name: duplicate of place-a: same name within 50 m"
    ]


def test_same_name_far_apart_is_fine():
    data = one(name="Station")
    data["features"].append(feature("place-b", 1.1206, 51.3722, name="Station"))
    assert lines(data) == []


def test_null_geometry_needs_a_query():
    data = one()
    data["features"][0]["geometry"] = None
    assert lines(data) == [
        "place-a: $.features[0].properties.geocode.query: a place without geometry needs a query to geocode"
    ]
    data["features"][0]["properties"]["geocode"]["query"] = "Windsor Bridge, Windsor"
    assert lines(data) == []


def test_reports_every_problem_at_once():
    data = one(precision="exact")
    data["features"].append(feature("Bad Id", -0.6, 51.4, season=9))
    assert len(lines(data)) == 3


# Privacy and trust rules


def home(**kwargs) -> dict:
    kwargs.setdefault("precision", "town")
    kwargs.setdefault("locality", "Maidenhead, Berkshire")
    kwargs.setdefault("name", "Ashley Park (residential street)")
    return one(access="private-home", **kwargs)


def test_private_home_at_town_or_street_level_is_valid():
    assert lines(home()) == []
    assert lines(home(precision="street")) == []


@pytest.mark.parametrize("precision", ["building", "site"])
def test_private_home_must_not_be_pinned(precision):
    assert lines(home(precision=precision)) == [
        f"place-a: $.features[0].properties.precision: a private home must not be pinned: "
        f"precision {precision!r} (allowed: street, area, town)"
    ]


@pytest.mark.parametrize(
    ("where", "text", "found"),
    [
        ("name", "12 Ashley Park", "12 Ashley Park"),
        ("locality", "14a St Marks Road, Windsor", "14a St Marks Road"),
        ("note", "The family home, No. 7, was used.", "No. 7"),
        ("note", "Filmed outside the house at SL6 4AB.", "SL6 4AB"),
    ],
)
def test_private_home_must_not_name_a_house(where, text, found):
    data = home(**({"note": text} if where == "note" else {where: text}))
    path = "scenes[0].note" if where == "note" else where
    assert lines(data) == [
        f"place-a: $.features[0].properties.{path}: a private home must not name a house: {found!r}"
    ]


def test_house_numbers_are_fine_where_no_one_lives():
    assert lines(one(access="public", locality="37 rue de la Bûcherie, Paris")) == []


def test_dates_and_episode_numbers_are_not_house_numbers():
    note = "On 16 October 2023 on St Marks Road, season 3 filming; episode 3 at the park."
    assert lines(home(note=note)) == []


def test_scene_confidence_levels():
    for level in ("confirmed", "reported", "inferred"):
        data = one()
        data["features"][0]["properties"]["scenes"][0]["confidence"] = level
        assert lines(data) == []
    data = one()
    data["features"][0]["properties"]["scenes"][0]["confidence"] = "rumoured"
    assert lines(data) == [
        "place-a: $.features[0].properties.scenes[0].confidence: "
        "Input should be 'confirmed', 'reported' or 'inferred'"
    ]


def test_mirror_hosts_are_warnings_not_problems():
    data = one()
    data["features"][0]["properties"]["sources"] += [
        {"title": "Copy", "url": "https://wikimili.com/en/Windsor_Bridge"},
        {"title": "Copy", "url": "https://da.frwiki.wiki/wiki/Pont-Neuf"},
        {"title": "Original", "url": "https://en.wikipedia.org/wiki/Windsor_Bridge"},
    ]
    assert lines(data) == []
    warnings = check_warnings(data)
    assert [(w.severity, str(w)) for w in warnings] == [
        (
            "warning",
            "place-a: $.features[0].properties.sources[1].url: wikimili.com copies pages of "
            "en.wikipedia.org: cite the original if it can be read",
        ),
        (
            "warning",
            "place-a: $.features[0].properties.sources[2].url: da.frwiki.wiki copies pages of "
            "fr.wikipedia.org: cite the original if it can be read",
        ),
    ]
