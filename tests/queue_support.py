"""Helpers for the suggestion queue's tests (the fixtures built on them are in conftest.py): an
empty database per test, a copy of the real dataset, and a fan's and a curator's requests.

The database is a SQLite file in tmp_path, or the PostgreSQL server that `MAPS_DATABASE_URL`
names (scripts/test.sh runs the `db` tests a second time that way), so migrations are applied
from nothing in both."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from maps.suggestions import pow

ROOT = Path(__file__).resolve().parent.parent
HTTPS = "https://localhost"  # session cookies are Secure: the test client must speak https
REFERER = {"Referer": HTTPS + "/"}  # Flask-WTF checks the referrer on https requests


def empty_database_url(tmp_path: Path) -> str:
    """A SQLite file in tmp_path; or, when MAPS_DATABASE_URL is set, that PostgreSQL database
    with a schema of this test run's own, emptied first (one per pytest-xdist worker, so
    parallel workers never see each other's tables) and made the connection's search_path."""
    url = os.environ.get("MAPS_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    schema = "maps_test_" + re.sub(r"[^a-z0-9]", "", os.environ.get("PYTEST_XDIST_WORKER", "main").lower())
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def copy_dataset(folder: Path, source: Path | None = None) -> Path:
    """The bundled dataset (or `source`'s folder) copied into `folder`, with its episodes."""
    source = source or ROOT / "data" / "locations.geojson"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "locations.geojson")
    shutil.copy(source.with_name("episodes.json"), folder / "episodes.json")
    return folder / "locations.geojson"


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
