"""What a fan may send: limits and messages (maps.suggestions.fields), with no database."""

from __future__ import annotations

import pytest

from maps.dataset.episodes import load_series
from maps.resources import bundled_episodes_path
from maps.suggestions import fields

SERIES = load_series(bundled_episodes_path())
GOOD = {
    "name": "Bench",
    "lat": "51.48",
    "lon": "-0.6",
    "country": "gb",
    "season": "1",
    "episode": "2",
    "note": "A scene.",
    "evidence": "https://example.org/a\n\nhttp://example.org/b ",
}


def test_a_good_place_is_normalised():
    result = fields.clean_place(GOOD, SERIES)
    assert result.ok, result.errors
    assert result.payload["country"] == "GB"
    assert result.payload["lat"] == 51.48 and result.payload["season"] == 1
    assert result.payload["evidence"] == ["https://example.org/a", "http://example.org/b"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 121}, "name", "at most 120"),
        ({"name": "x" * 10_000}, "name", "at most 120"),
        ({"note": "bad\x00byte"}, "note", "control character"),
        ({"lat": "91"}, "lat", "between -90 and 90"),
        ({"lat": "nan"}, "lat", "between"),
        ({"lat": "north"}, "lat", "number"),
        ({"lon": ""}, "lon", "both"),
        ({"lat": "", "lon": ""}, "where", "pick the point"),
        ({"season": "9"}, "season", "unknown season"),
        ({"season": ""}, "season", "required"),
        ({"episode": "99"}, "episode", "has 8 episodes"),
        ({"evidence": ""}, "evidence", "at least one link"),
        ({"evidence": "javascript:alert(1)"}, "evidence", "not an http(s) link"),
        ({"evidence": "https://example.org/" + "a" * 500}, "evidence", "longer than 500"),
        ({"evidence": "\n".join(f"https://e.org/{i}" for i in range(6))}, "evidence", "at most 5"),
        ({"access": "everyone"}, "access", "choose one of"),
        ({"country": "GBR"}, "country", "two-letter"),
        ({"id": "Not A Slug"}, "id", "slug"),
    ],
)
def test_bad_places_say_what_to_fix(change, field, words):
    result = fields.clean_place({**GOOD, **change}, SERIES)
    assert field in result.errors and words in result.errors[field], result.errors


def test_words_instead_of_a_point():
    result = fields.clean_place({**GOOD, "lat": "", "lon": "", "where": "Windsor riverside"}, SERIES)
    assert result.ok and "lat" not in result.payload and result.payload["where"] == "Windsor riverside"


def test_text_is_kept_as_given():
    hostile = '<script>alert("x")</script> & <b>'
    result = fields.clean_place({**GOOD, "name": hostile, "note": hostile}, SERIES)
    assert result.payload["name"] == hostile and result.payload["note"] == hostile


def test_problem_reports():
    assert fields.clean_problem({"problem": "closed", "details": "Shut in 2025."}).ok
    bad = fields.clean_problem({"problem": "nope", "details": ""})
    assert set(bad.errors) == {"problem", "details"}
    assert "problem" in fields.clean_problem({"details": "x"}).errors


def test_contact():
    assert fields.clean_contact("fan@example.org", "Sam") == ("fan@example.org", "Sam", {})
    assert "email" in fields.clean_contact("not-an-address", None)[2]
    assert fields.clean_contact("", "")[:2] == (None, None)
