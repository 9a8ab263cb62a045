"""Shared fixtures: a small dataset written to tmp_path, an app on it, and its test client."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from maps import create_app

EPISODES = {
    "series": {"title": "Testshow", "sources": []},
    "seasons": [
        {
            "season": 1,
            "label": "Season 1",
            "colour": "#0072B2",
            "episodes": [{"episode": n, "title": f"One-{n}"} for n in range(1, 9)],
        },
        {
            "season": 2,
            "label": "Season 2",
            "colour": "#E69F00",
            "episodes": [{"episode": n, "title": f"Two-{n}"} for n in range(1, 9)],
        },
        {
            "season": 3,
            "label": "Season 3",
            "colour": "#009E73",
            "episodes": [{"episode": n, "title": f"Three-{n}"} for n in range(1, 9)],
        },
    ],
}


def feature(
    fid: str,
    lon: float,
    lat: float,
    *,
    name: str | None = None,
    season: int = 1,
    episode: int | None = 1,
    note: str = "A scene.",
    country: str = "GB",
    characters: list[str] | None = None,
    **props,
) -> dict:
    scene = {"season": season, "episode": episode, "note": note}
    if characters:
        scene["characters"] = characters
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "name": name or fid.replace("-", " ").title(),
            "locality": props.pop("locality", "Somewhere"),
            "country": country,
            "precision": props.pop("precision", "building"),
            "access": props.pop("access", "public"),
            "story_place": props.pop("story_place", None),
            "scenes": [scene],
            "sources": [{"title": "A source", "url": "https://example.org/source"}],
            "geocode": {"method": "source", "query": None, "date": "2026-11-27"},
            **props,
        },
    }


SAMPLE = {
    "type": "FeatureCollection",
    "features": [
        feature("windsor-bridge", -0.6083, 51.4858, season=1, episode=2, characters=["Charlie"]),
        feature(
            "herne-bay-pier",
            1.1206,
            51.3722,
            season=1,
            episode=8,
            note="Seaside day.",
            characters=["Nick", "Charlie"],
        ),
        feature(
            "eiffel-tower",
            2.2945,
            48.8584,
            country="FR",
            season=2,
            episode=5,
            note="Nick <3 Charlie at dawn.",
            characters=["Nick", "Charlie"],
        ),
        feature("louvre", 2.3376, 48.8606, country="FR", season=2, episode=5, note="Running."),
        feature("whipsnade-zoo", -0.5442, 51.8497, season=3, episode=3, note="Birthday."),
    ],
}


def sample() -> dict:
    return copy.deepcopy(SAMPLE)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# No test may reach a public geocoder: unless a test points MAPS_GEOCODER_URL at the local fake
# (tests/nominatim.py), address look-ups go to a closed local port and fail fast.
CLOSED_GEOCODER = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _offline_geocoder(monkeypatch, tmp_path_factory):
    import os

    if not os.environ.get("MAPS_GEOCODER_URL"):
        monkeypatch.setenv("MAPS_GEOCODER_URL", CLOSED_GEOCODER)
    if not os.environ.get("MAPS_GEOCODE_CACHE"):
        monkeypatch.setenv("MAPS_GEOCODE_CACHE", str(tmp_path_factory.mktemp("geocache") / "cache.json"))


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A data file with its own episodes.json beside it (as another series would have)."""
    write_json(tmp_path / "episodes.json", EPISODES)
    return write_json(tmp_path / "locations.geojson", sample())


@pytest.fixture
def app(dataset: Path):
    return create_app({"TESTING": True, "DATA_PATH": str(dataset)})


@pytest.fixture
def client(app):
    return app.test_client()
