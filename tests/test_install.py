"""A built wheel carries data/ and templates/ and works from any folder (no source checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# Builds and installs a wheel in subprocesses: in the full suite, not the fast loop (`make test`).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (path,) = out.glob("*.whl")
    return path


def test_wheel_contains_data_and_templates(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "maps/_bundled/data/locations.geojson" in names
    assert "maps/_bundled/data/episodes.json" in names
    assert "maps/_bundled/templates/base.html" in names
    assert "maps/static/site.css" in names
    assert "maps/suggestions/migrations/env.py" in names  # the queue's schema travels with the code
    assert "maps/suggestions/migrations/versions/0001_queue.py" in names
    assert "maps/static/pow.js" in names


def test_installed_wheel_runs_from_anywhere(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("MAPS_DATA", None)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import maps, maps.resources as r; print(maps.__file__); print(r.resource_dir('templates'))",
        ],
        cwd="/tmp",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, templates = where.stdout.split()
    assert module_file.startswith(str(target)) and templates.startswith(str(target))
    validate = subprocess.run(
        [sys.executable, "-m", "maps", "validate"], cwd="/tmp", env=env, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stderr
    state = tmp_path / "state"
    upgraded = subprocess.run(
        [sys.executable, "-m", "maps", "db", "upgrade"],
        cwd="/tmp",
        env={**{k: v for k, v in env.items() if k != "MAPS_DATABASE_URL"}, "MAPS_STATE_DIR": str(state)},
        capture_output=True,
        text=True,
    )
    assert upgraded.returncode == 0 and "at revision 0001" in upgraded.stdout, upgraded.stderr
    assert (state / "suggestions.sqlite3").is_file()  # zero set-up: the default SQLite queue
    page = subprocess.run(
        [
            sys.executable,
            "-c",
            "from maps import create_app; r = create_app().test_client().get('/'); print(r.status_code)",
        ],
        cwd="/tmp",
        env=env,
        capture_output=True,
        text=True,
    )
    assert page.stdout.strip() == "200", page.stderr
