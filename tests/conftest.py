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
