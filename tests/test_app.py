"""The app factory, health check, error pages and resilience to a broken data file."""

from __future__ import annotations

import json
from pathlib import Path

from maps import create_app


def test_healthz(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json["status"] == "ok"
    assert resp.json["places"] == 5


def test_index_lists_places(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"Eiffel Tower" in resp.data


def test_bad_filter_is_a_400_page_not_a_500(client):
    resp = client.get("/?season=99")
    assert resp.status_code == 400
    assert resp.mimetype == "text/html"
    assert b"season: &#39;99&#39; is not a season" in resp.data


def test_bad_filter_as_problem_json(client):
    resp = client.get("/?season=99", headers={"Accept": "application/json"})
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    assert resp.json["status"] == 400 and "season" in resp.json["detail"]


def test_unknown_route_is_a_404_page(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert b"404" in resp.data


def test_reflected_text_is_escaped(client):
    resp = client.get("/?watched=<script>alert(1)</script>")
    assert resp.status_code == 400
    assert b"<script>alert(1)</script>" not in resp.data
    assert b"&lt;script&gt;" in resp.data


def test_broken_file_keeps_serving_last_good_version(app, client, dataset: Path):
    assert client.get("/healthz").status_code == 200
    dataset.write_text("{ broken", encoding="utf-8")
    assert client.get("/").status_code == 200  # last good version
    health = client.get("/healthz")
    assert health.status_code == 503
    assert "is not JSON" in health.json["problem"]
    dataset.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    assert client.get("/healthz").json["status"] == "ok"


def test_broken_file_at_start_is_503_not_500(tmp_path: Path):
    path = tmp_path / "locations.geojson"
    path.write_text("nope", encoding="utf-8")
    client = create_app({"TESTING": True, "DATA_PATH": str(path)}).test_client()
    assert client.get("/").status_code == 503
    assert client.get("/healthz").status_code == 503


def test_configuration_from_environment(monkeypatch, dataset: Path):
    monkeypatch.setenv("MAPS_DATA", str(dataset))
    monkeypatch.setenv("MAPS_TILES", "CartoDB.Positron")
    app = create_app()
    assert app.config["DATA_PATH"] == str(dataset)
    assert app.config["TILES"] == "CartoDB.Positron"


def test_oversized_requests_are_refused(client):
    assert client.get("/?q=" + "x" * 5000).status_code == 414
    assert client.post("/", data=b"x" * 100_000).status_code == 413
