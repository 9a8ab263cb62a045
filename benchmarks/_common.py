"""Shared helpers for the benchmark scripts: Chromium via Playwright, synthetic datasets."""

from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(__file__).resolve().parent / ".scratch"
sys.path.insert(0, str(ROOT))
from tests.support import CHROMIUM_ARGS as CHROMIUM_ARGS  # noqa: E402 (re-exported for the benchmarks)

TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c6378f1e70e000560029d6b4d19540000000049454e44ae426082"
)


def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        sys.exit("chromium not found: apt-get install chromium")
    return path


def median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_feature(i: int, rng: random.Random) -> dict:
    """Place number `i`: around Britain (four in five) or Paris, with one or two scenes of
    realistic notes (made up for the benchmarks, never written into data/)."""
    lon, lat = (
        (rng.uniform(-4, 1.5), rng.uniform(50.5, 54))
        if i % 5
        else (rng.uniform(2.25, 2.42), rng.uniform(48.82, 48.9))
    )
    scenes = [
        {
            "season": rng.randint(1, 3),
            "episode": rng.randint(1, 8),
            "note": f"Scene {i}: Nick and Charlie walk past the place and talk about the day; "
            "the camera follows them from across the road.",
            "characters": ["Nick", "Charlie"],
        }
        for _ in range(rng.randint(1, 2))
    ]
    return {
        "type": "Feature",
        "id": f"place-{i}",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "name": f"Place {i}",
            "locality": "Somewhere",
            "country": "GB" if i % 5 else "FR",
            "precision": "building",
            "access": "public",
            "story_place": "A street in Truham",
            "scenes": scenes,
            "sources": [{"title": "A source", "url": "https://example.org/source"}],
            "geocode": {"method": "manual", "query": None, "date": "2026-11-27"},
        },
    }


def synthetic_dataset(folder: Path, count: int, seed: int = 7) -> Path:
    """`count` places around Britain and Paris, each with one or two scenes of realistic notes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data" / "episodes.json", folder / "episodes.json")
    features = [synthetic_feature(i, rng) for i in range(count)]
    path = folder / "locations.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path
