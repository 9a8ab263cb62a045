"""The server serves only what `maps validate` accepts: a data version it rejects is treated like
broken JSON (the last good version stays up, /healthz says 503 and why, the reason is logged once)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from maps import create_app
from tests.builders import EPISODES, sample, write_json


def _nan(data):
    data["features"][0]["geometry"]["coordinates"] = [float("nan"), float("inf")]


def _set(path: str, value):
    def change(data):
        target = data["features"][0]
        *head, last = path.split(".")
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return change


BROKEN = {
    "nan-coordinates": _nan,
    "string-episode": _set("properties.scenes.0.episode", "2"),
    "numeric-locality": _set("properties.locality", 12),
    "null-name": _set("properties.name", None),
    "duplicate-ids": lambda d: d["features"][1].update(id=d["features"][0]["id"]),
    "string-characters": _set("properties.scenes.0.characters", "Nick"),
    "season-99": _set("properties.scenes.0.season", 99),
    "null-url": _set("properties.sources.0.url", None),
    "control-character": _set("properties.name", "Windsor\x1b]0;pwned\x07"),
    "clockwise-polygon": _set(
        "geometry",
        {"type": "Polygon", "coordinates": [[[-0.61, 51.48], [-0.61, 51.49], [-0.6, 51.49], [-0.61, 51.48]]]},
    ),
}


def _write(path: Path, change) -> None:
    data = sample()
    change(data)
    # allow_nan: write exactly what a careless editor would (json.dumps writes NaN/Infinity)
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_version_validate_rejects_is_not_served(app, client, dataset: Path, name, caplog):
    assert client.get("/healthz").json["status"] == "ok"
    _write(dataset, BROKEN[name])
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            health = client.get("/healthz")
            assert health.status_code == 503
            assert health.json["status"] == "degraded"
            assert "does not validate" in health.json["problem"] or "NaN is not" in health.json["problem"]
            page = client.get("/locations/windsor-bridge")
            assert page.status_code == 200 and b"Windsor Bridge" in page.data  # the last good version
    assert len([r for r in caplog.records if "last good data" in r.getMessage()]) == 1  # logged once
    assert client.get("/api/route?season=1").status_code == 200
    assert client.get("/locations?near=51.5,-0.6&sort=distance").status_code == 200


def test_nan_at_start_is_503_and_every_page_answers_fast(tmp_path: Path):
    write_json(tmp_path / "episodes.json", EPISODES)
    path = tmp_path / "locations.geojson"
    _write(path, _nan)
    client = create_app({"TESTING": True, "DATA_PATH": str(path)}).test_client()
    started = time.monotonic()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert "NaN is not a JSON number" in health.json["problem"]
    for url in ("/api/route?season=1", "/route?season=1", "/locations/windsor-bridge", "/"):
        assert client.get(url).status_code == 503
    assert time.monotonic() - started < 10


def test_restoring_a_good_file_serves_it_again(client, dataset: Path):
    good = dataset.read_text(encoding="utf-8")
    _write(dataset, BROKEN["season-99"])
    assert client.get("/healthz").status_code == 503
    dataset.write_text(good, encoding="utf-8")
    assert client.get("/healthz").json["status"] == "ok"


def test_a_bad_episode_list_is_not_served(client, dataset: Path):
    episodes = json.loads((dataset.parent / "episodes.json").read_text(encoding="utf-8"))
    episodes["seasons"][0]["colour"] = "red;}</style><script>alert(1)</script>"
    write_json(dataset.parent / "episodes.json", episodes)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert "episodes.json: $.seasons[0].colour" in health.json["problem"]
