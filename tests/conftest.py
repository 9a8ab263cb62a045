"""Shared fixtures: a small dataset written to tmp_path, an app on it, its test client, and one
headless Chromium per test module (the builders live in tests/builders.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from maps import create_app
from tests.builders import EPISODES, sample, write_json
from tests.support import launch_chromium

# No test may reach a public geocoder: unless a test points MAPS_GEOCODER_URL at the local fake
# (tests.support.fake_nominatim), address look-ups go to a closed local port and fail fast. Set
# at import too, for apps made at collection or module scope (before any function fixture).
CLOSED_GEOCODER = "http://127.0.0.1:9"
os.environ.setdefault("MAPS_GEOCODER_URL", CLOSED_GEOCODER)


@pytest.fixture(autouse=True)
def _offline_geocoder(monkeypatch, tmp_path_factory):
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


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium driven by Playwright (a failure under CI=true when missing)."""
    with launch_chromium() as browser:
        yield browser
