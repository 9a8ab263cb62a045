"""Fixtures for the suggestion queue's tests: a database that starts empty for every test, and
an app on a copy of a dataset that uses it.

The database is a SQLite file in tmp_path, or the PostgreSQL server that `MAPS_DATABASE_URL`
names (scripts/test.sh runs the `db` tests a second time that way); a PostgreSQL database is
emptied (its schema dropped) before each test, so migrations are applied from nothing in both."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from maps import create_app
from maps.suggestions import db, pow

ROOT = Path(__file__).resolve().parent.parent
HTTPS = "https://localhost"  # session cookies are Secure: the test client must speak https
REFERER = {"Referer": HTTPS + "/"}  # Flask-WTF checks the referrer on https requests


def empty_database_url(tmp_path: Path) -> str:
    url = os.environ.get("MAPS_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def queue_url(tmp_path: Path) -> str:
    return empty_database_url(tmp_path)


@pytest.fixture
def database(queue_url: str):
    database = db.open_database(queue_url)
    db.upgrade(database.engine)
    yield database
    database.engine.dispose()


def copy_dataset(folder: Path, source: Path | None = None) -> Path:
    """The bundled dataset (or `source`'s folder) copied into `folder`, with its episodes."""
    source = source or ROOT / "data" / "locations.geojson"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "locations.geojson")
    shutil.copy(source.with_name("episodes.json"), folder / "episodes.json")
    return folder / "locations.geojson"


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path / "data")


@pytest.fixture
def queue_app(real_data: Path, queue_url: str):
    app = create_app({"TESTING": True, "DATA_PATH": str(real_data), "DATABASE_URL": queue_url})
    yield app
    app.extensions["maps.queue"].get().engine.dispose()


def csrf(page: str) -> str:
    return html.unescape(re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1))


def challenge(page: str) -> dict:
    return json.loads(html.unescape(re.search(r"data-altcha='([^']+)'", page).group(1)))


def form_page(client, url: str) -> tuple[str, str]:
    """GET a form; (csrf token, solved proof of work)."""
    page = client.get(url, base_url=HTTPS).get_data(as_text=True)
    return csrf(page), pow.solve(challenge(page))


def place_form(**overrides) -> dict:
    form = {
        "name": "Riverside bench",
        "lat": "51.4862",
        "lon": "-0.6071",
        "country": "GB",
        "season": "1",
        "episode": "2",
        "note": "Charlie waits on a bench by the river.",
        "evidence": "https://example.org/heartstopper-bench",
        "email": "fan@example.org",
        "credit": "A fan",
    }
    form.update(overrides)
    return form


def post(client, url: str, data: dict, **kw):
    return client.post(url, data=data, base_url=HTTPS, headers=REFERER, **kw)


def suggest(client, **overrides):
    token, solved = form_page(client, "/suggest")
    return post(client, "/suggest", {"csrf_token": token, "altcha": solved, **place_form(**overrides)})


def login(client, username: str = "alice", password: str = "correct horse battery"):
    page = client.get("/review/login", base_url=HTTPS).get_data(as_text=True)
    return post(
        client, "/review/login", {"csrf_token": csrf(page), "username": username, "password": password}
    )
