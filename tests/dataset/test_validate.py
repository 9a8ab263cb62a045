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


@pytest.mark.parametrize("closure", ["closed", "demolished"])
def test_a_closure_is_one_of_the_vocabulary(closure):
    assert lines(one(access="exterior", closure=closure)) == []


def test_unknown_closure():
    assert lines(one(closure="gone")) == [
        "place-a: $.features[0].properties.closure: Input should be 'closed' or 'demolished'"
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


# --- text, URLs, winding, episodes.json (hardening) ---------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x1b[2J", "\x07", "\x7f", "\x85", "\ufffe", "\ud800", "a\nb"])
def test_control_characters_in_one_line_fields_are_rejected(bad):
    data = one(name=f"Bad{bad}name")
    assert any(
        line.startswith("place-a: $.features[0].properties.name: contains the control character U+")
        for line in lines(data)
    )


def test_control_characters_in_notes_characters_and_titles_are_rejected():
    data = one(note="ok\tthen\nnext line", characters=["Ni\x00ck"])
    data["features"][0]["properties"]["sources"][0]["title"] = "A ]]> \x0b title"
    assert sorted(lines(data)) == [
        "place-a: $.features[0].properties.scenes[0].characters[0]: "
        "contains the control character U+0000 at position 2",
        "place-a: $.features[0].properties.sources[0].title: contains the control character U+000B at position 6",
    ]


@pytest.mark.parametrize(
    "url", ["https://example.org/a\x00b", "https://example.org/a b", "https://ex\nample.org"]
)
def test_urls_with_nul_spaces_or_control_characters_are_rejected(url):
    data = one()
    data["features"][0]["properties"]["sources"][0]["url"] = url
    (line,) = lines(data)
    assert "contains a space or a control character" in line


def _square(clockwise: bool) -> list:
    ring = [[-0.61, 51.48], [-0.60, 51.48], [-0.60, 51.49], [-0.61, 51.49], [-0.61, 51.48]]
    return [ring[::-1] if clockwise else ring]


def test_clockwise_polygon_breaks_the_right_hand_rule():
    data = one(precision="area")
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": _square(clockwise=True)}
    assert lines(data) == [
        "place-a: $.features[0].geometry.coordinates: the outer ring is clockwise; "
        "RFC 7946 wants counter-clockwise"
    ]
    data["features"][0]["geometry"]["coordinates"] = _square(clockwise=False)
    assert lines(data) == []


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_coordinates_are_rejected(value):
    data = one()
    data["features"][0]["geometry"]["coordinates"] = [value, 51.0]
    assert any("is not a finite number" in line for line in lines(data))


def test_duplicate_check_finds_same_name_near_the_antimeridian_and_the_pole():
    for lon_a, lat_a, lon_b, lat_b in [(179.9999, -16.5, -179.9999, -16.5), (10.0, 89.9999, -170.0, 89.9999)]:
        a = feature("a-place", lon_a, lat_a, name="Same", country="FJ")
        b = feature("b-place", lon_b, lat_b, name="same ", country="FJ")
        problems = check_collection({"type": "FeatureCollection", "features": [a, b]}, series=SERIES)
        assert [p.message for p in problems if "duplicate" in p.message] == [
            "duplicate of a-place: same name within 50 m"
        ]


def test_trusted_places_skip_per_place_checks_but_not_whole_file_ones():
    from maps.dataset.validate import fingerprints

    data = one(name="Bad\x00name")
    data["features"].append(feature("place-a", -0.7, 51.5))
    trusted = fingerprints(data["features"][:1])
    problems = [str(p) for p in check_collection(data, series=SERIES, trusted=trusted)]
    assert problems == ["place-a: $.features[1].id: duplicate id (also features[0])"]


def _episodes(tmp_path, change) -> list[str]:
    import copy
    import json

    raw = copy.deepcopy(EPISODES)
    change(raw)
    (tmp_path / "episodes.json").write_text(json.dumps(raw), encoding="utf-8")
    return [str(p) for p in check_collection(sample(), episodes_for=tmp_path / "locations.geojson")]


def test_bundled_episode_list_is_valid():
    from maps.dataset.episodes import read_episodes_raw
    from maps.dataset.validate_series import check_series
    from maps.resources import bundled_episodes_path

    assert check_series(read_episodes_raw(bundled_episodes_path())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r["seasons"][0].update(colour="red;background:url(https://evil.example)"),
            "episodes.json: $.seasons[0].colour: String should match pattern '^#[0-9A-Fa-f]{6}$'",
        ),
        (
            lambda r: r["series"].update(sources=[{"title": "x", "url": "javascript:alert(1)"}]),
            "episodes.json: $.series.sources[0].url: 'javascript:alert(1)' is not an http(s) URL",
        ),
        (
            lambda r: r["seasons"][1]["episodes"][0].update(title="Two\x1b[31m"),
            "episodes.json: $.seasons[1].episodes[0].title: contains the control character U+001B at position 3",
        ),
        (
            lambda r: r["seasons"].append(dict(r["seasons"][0])),
            "episodes.json: $.seasons[3].season: season 1 is listed twice",
        ),
        (
            lambda r: r["seasons"][0].update(season="1"),
            "episodes.json: $.seasons[0].season: Input should be a valid integer",
        ),
    ],
)
def test_episode_list_problems_are_reported(tmp_path, change, expected):
    assert expected in _episodes(tmp_path, change)
