"""Builders of small datasets for the tests: the episode list of a made-up series, one feature,
the sample collection, and the richer map used by the browser tests. Import them from here
(`from tests.builders import feature, sample`); fixtures live in tests/conftest.py."""

from __future__ import annotations

import copy
import json
from pathlib import Path

XSS = '<img src=x onerror="window.__xss=1">'

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
        # Rounded as the data model wants (at most 6 decimals): grids built with float steps
        # would otherwise carry 51.501999999999995 and fail validation.
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
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


def browser_dataset(tmp_path: Path) -> Path:
    data = sample()
    paris = [(2.35 + 0.004 * i, 48.85 + 0.003 * (i % 4)) for i in range(10)]
    for i, (lon, lat) in enumerate(paris):
        data["features"].append(feature(f"paris-{i}", lon, lat, country="FR", season=2, episode=5))
    data["features"].append(feature("hostile", -1.2, 52.5, season=3, episode=1, note=XSS, name="Hostile"))
    district = feature("district", -0.1, 51.5, season=1, episode=1, precision="area")
    district["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[-0.1, 51.5], [-0.08, 51.5], [-0.08, 51.51], [-0.1, 51.51], [-0.1, 51.5]]],
    }
    walk = feature("walk", 0.3, 51.2, season=3, episode=2, precision="street")
    walk["geometry"] = {"type": "LineString", "coordinates": [[0.3, 51.2], [0.32, 51.21], [0.34, 51.2]]}
    town = feature("a-town", -2.0, 52.0, season=1, episode=3, precision="town")
    data["features"] += [district, walk, town]
    write_json(tmp_path / "episodes.json", EPISODES)
    return write_json(tmp_path / "locations.geojson", data)
