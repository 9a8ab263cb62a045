"""What a fan may send, with its limits, and the one validator used for the web forms, the
curators' edits and the CLI. Text is kept exactly as typed (bar surrounding blanks): it is
escaped wherever it is shown, not rewritten here. Every limit is checked before any other work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from maps.dataset.episodes import Series
from maps.dataset.vocabulary import ACCESS, PRECISIONS

NAME_MAX = 120
SHORT_MAX = 200
TEXT_MAX = 2000
URL_MAX = 500
EVIDENCE_MAX = 5
EMAIL_MAX = 254
CREDIT_MAX = 80
PROBLEMS = {
    "wrong_position": "The pin is in the wrong place",
    "wrong_scene": "The scene or episode is wrong",
    "closed": "The place has closed or gone",
    "access_changed": "Access has changed (e.g. no longer open to visitors)",
    "other": "Something else",
}
ACCESS_LABELS = {
    "public": "Public: anyone can go there",
    "exterior": "Outside only: see it from the street",
    "ticketed": "With a ticket or as a customer",
    "private": "Private: a home or closed site",
}
# Control characters (not tab or newline) are refused: a database may reject NUL outright, and
# none belongs in a place name or a note.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PLACE_KEYS = (
    "name",
    "locality",
    "country",
    "lat",
    "lon",
    "where",
    "season",
    "episode",
    "note",
    "story_place",
    "access",
    "precision",
    "evidence",
    "id",
)
PROBLEM_KEYS = (
    "problem",
    "details",
    "lat",
    "lon",
    "access",
    "precision",
    "name",
    "locality",
    "story_place",
    "evidence",
)


@dataclass(frozen=True)
class Cleaned:
    """A validated payload, or the messages that say what to fix (field -> message)."""

    payload: dict[str, Any]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(raw: Any, field: str, limit: int, errors: dict[str, str], *, required: bool = False) -> str | None:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raw = str(raw)
    if len(raw) > limit * 2:  # reject early, before any further work on a huge value
        errors[field] = f"at most {limit} characters"
        return None
    value = raw.strip()
    if not value:
        if required:
            errors[field] = "required"
        return None
    if len(value) > limit:
        errors[field] = f"at most {limit} characters (this has {len(value)})"
    elif _CONTROL.search(value):
        errors[field] = "contains a control character"
    return value


def _number(raw: Any, field: str, low: float, high: float, errors: dict[str, str]) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).strip()[:40])
    except ValueError:
        errors[field] = "must be a number"
        return None
    if not low <= value <= high or value != value:
        errors[field] = f"must be between {low:g} and {high:g}"
        return None
    return round(value, 6)


def _int(raw: Any, field: str, errors: dict[str, str]) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return int(str(raw).strip()[:10])
    except ValueError:
        errors[field] = "must be a whole number"
        return None


def evidence_list(raw: Any) -> list[str]:
    """Evidence links from a textarea (one per line) or a list."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw[: (URL_MAX + 2) * (EVIDENCE_MAX + 1)].splitlines()
    return [str(u).strip() for u in raw if str(u).strip()]


def check_url(url: str) -> str | None:
    """Why `url` is not usable as evidence, or None."""
    if len(url) > URL_MAX:
        return f"a link is longer than {URL_MAX} characters"
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or _CONTROL.search(url) or " " in url:
        return f"{url[:60]!r} is not an http(s) link"
    return None


def _evidence(raw: Any, errors: dict[str, str], *, required: bool) -> list[str]:
    urls = evidence_list(raw)
    if len(urls) > EVIDENCE_MAX:
        errors["evidence"] = f"at most {EVIDENCE_MAX} links"
        return urls[:EVIDENCE_MAX]
    if required and not urls:
        errors["evidence"] = "give at least one link to a source that shows this (an article, a video)"
    for url in urls:
        problem = check_url(url)
        if problem:
            errors["evidence"] = problem
            break
    return urls


def _point(raw: Mapping[str, Any], errors: dict[str, str]) -> tuple[float | None, float | None]:
    lat = _number(raw.get("lat"), "lat", -90, 90, errors)
    lon = _number(raw.get("lon"), "lon", -180, 180, errors)
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        errors["lat" if lat is None else "lon"] = "give both latitude and longitude, or neither"
    return lat, lon


def _choice(raw: Any, field: str, allowed: Iterable[str], errors: dict[str, str]) -> str | None:
    value = str(raw).strip()[:40] if raw is not None else ""
    if not value:
        return None
    if value not in allowed:
        errors[field] = "choose one of: " + ", ".join(allowed)
        return None
    return value


def _scene(raw: Mapping[str, Any], series: Series, errors: dict[str, str]) -> tuple[int | None, int | None]:
    season = _int(raw.get("season"), "season", errors)
    episode = _int(raw.get("episode"), "episode", errors)
    if season is None:
        errors.setdefault("season", "required")
        return None, episode
    found = series.season(season)
    if found is None:
        errors["season"] = "unknown season"
    elif episode is not None and found.episode(episode) is None:
        errors["episode"] = f"{found.label} has {len(found.episodes)} episodes"
    return season, episode


def _drop_none(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if v not in (None, "", [])}


def clean_place(raw: Mapping[str, Any], series: Series) -> Cleaned:
    """A new place: name, where (a point, or words a curator can geocode), season/episode, what
    happens there, and at least one evidence link."""
    errors: dict[str, str] = {}
    lat, lon = _point(raw, errors)
    season, episode = _scene(raw, series, errors)
    country = _text(raw.get("country"), "country", 2, errors, required=True)
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        errors["country"] = "a two-letter country code such as GB or FR"
    payload = {
        "name": _text(raw.get("name"), "name", NAME_MAX, errors, required=True),
        "locality": _text(raw.get("locality"), "locality", SHORT_MAX, errors),
        "country": country.upper() if country else None,
        "lat": lat,
        "lon": lon,
        "where": _text(raw.get("where"), "where", SHORT_MAX, errors),
        "season": season,
        "episode": episode,
        "note": _text(raw.get("note"), "note", TEXT_MAX, errors, required=True),
        "story_place": _text(raw.get("story_place"), "story_place", SHORT_MAX, errors),
        "access": _choice(raw.get("access"), "access", ACCESS, errors),
        "precision": _choice(raw.get("precision"), "precision", PRECISIONS, errors),
        "evidence": _evidence(raw.get("evidence"), errors, required=True),
        "id": _text(raw.get("id"), "id", NAME_MAX, errors),
    }
    if lat is None and not payload["where"] and not ({"lat", "lon", "where"} & set(errors)):
        errors["where"] = "pick the point on the map, type its latitude and longitude, or say where it is"
    slug = payload["id"]
    if isinstance(slug, str) and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        errors["id"] = "a slug: a-z, 0-9 and hyphens"
    return Cleaned(_drop_none(payload), errors)


def clean_problem(raw: Mapping[str, Any]) -> Cleaned:
    """A report about an existing place: what is wrong, in words, with an optional corrected
    point or access, and evidence links when the fan has them."""
    errors: dict[str, str] = {}
    lat, lon = _point(raw, errors)
    problem = _choice(raw.get("problem"), "problem", PROBLEMS, errors)
    if problem is None and "problem" not in errors:
        errors["problem"] = "say what is wrong"
    payload = {
        "problem": problem,
        "details": _text(raw.get("details"), "details", TEXT_MAX, errors, required=True),
        "lat": lat,
        "lon": lon,
        "access": _choice(raw.get("access"), "access", ACCESS, errors),
        "precision": _choice(raw.get("precision"), "precision", PRECISIONS, errors),
        "name": _text(raw.get("name"), "name", NAME_MAX, errors),
        "locality": _text(raw.get("locality"), "locality", SHORT_MAX, errors),
        "story_place": _text(raw.get("story_place"), "story_place", SHORT_MAX, errors),
        "evidence": _evidence(raw.get("evidence"), errors, required=False),
    }
    return Cleaned(_drop_none(payload), errors)


def clean_contact(email: Any, credit: Any) -> tuple[str | None, str | None, dict[str, str]]:
    """The optional e-mail (never shown) and the name to credit (shown only once accepted)."""
    errors: dict[str, str] = {}
    mail = _text(email, "email", EMAIL_MAX, errors)
    if mail and "email" not in errors and not _EMAIL.match(mail):
        errors["email"] = "not an e-mail address"
    name = _text(credit, "credit", CREDIT_MAX, errors)
    return mail, name, errors
