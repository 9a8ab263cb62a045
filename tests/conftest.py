"""Shared fixtures: a small dataset written to tmp_path, an app on it, its test client, and one
headless Chromium per test module (the builders live in tests/builders.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from maps import create_app
from maps.suggestions import db
from tests.builders import EPISODES, sample, write_json
from tests.support import copy_dataset, empty_database_url, launch_chromium

# No test may reach a public geocoder: unless a test points MAPS_GEOCODER_URL at the local fake
# (tests.support.fake_nominatim), address look-ups go to a closed local port and fail fast. Set
# at import too, for apps made at collection or module scope (before any function fixture).
CLOSED_GEOCODER = "http://127.0.0.1:9"
os.environ.setdefault("MAPS_GEOCODER_URL", CLOSED_GEOCODER)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Argon2id at argon2-cffi's CHEAPEST profile: still the real hash and verify, without 64 MiB
    and a third of a second per login (test_queue checks the production profile and its rehash)."""
    from argon2 import PasswordHasher, profiles

    from maps.suggestions import curators

    monkeypatch.setattr(curators, "HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))


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


# The suggestion queue (tests/suggestions, tests/web/test_suggestions.py, test_review.py, ...).


def _private_state_dir() -> None:
    """Tests never write the default queue database or the secret key into the user's home."""
    os.environ.setdefault("MAPS_STATE_DIR", tempfile.mkdtemp(prefix="maps-test-state-"))


_private_state_dir()


@pytest.fixture
def queue_url(tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh schema in the PostgreSQL database that
    MAPS_DATABASE_URL names (scripts/test.sh runs the `db` tests a second time that way)."""
    return empty_database_url(tmp_path)


@pytest.fixture
def database(queue_url: str):
    """The queue's database with every migration applied."""
    database = db.open_database(queue_url)
    db.upgrade(database.engine)
    yield database
    database.engine.dispose()


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    """A copy of the bundled dataset (with its episodes), for journeys that write to it."""
    return copy_dataset(tmp_path / "data")


@pytest.fixture
def queue_app(real_data: Path, queue_url: str):
    app = create_app({"TESTING": True, "DATA_PATH": str(real_data), "DATABASE_URL": queue_url})
    yield app
    app.extensions["maps.queue"].get().engine.dispose()
