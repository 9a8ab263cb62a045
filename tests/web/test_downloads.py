"""`GET /download/locations.<ext>`: filters, file names, media types, caching and CORS headers,
errors as problem+json; and `maps export` writing the same bytes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.formats import EXPORTERS


@pytest.mark.parametrize("ext", sorted(EXPORTERS))
def test_download(client, ext):
    resp = client.get(f"/download/locations.{ext}")
    assert resp.status_code == 200 and resp.mimetype == EXPORTERS[ext].media_type
    assert resp.headers["Content-Disposition"] == f'attachment; filename="testshow-locations.{ext}"'
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["ETag"] and resp.headers["Last-Modified"]
    assert "max-age" in resp.headers["Cache-Control"]
    assert "Windsor Bridge" in resp.get_data(as_text=True)


def test_geojson_download_keeps_the_filters_and_names_the_file(client):
    resp = client.get("/download/locations.geojson?season=2")
    assert resp.headers["Content-Disposition"] == 'attachment; filename="testshow-season-2.geojson"'
    doc = json.loads(resp.data)
    assert sorted(f["id"] for f in doc["features"]) == ["eiffel-tower", "louvre"]
    assert json.loads(client.get("/download/locations.geojson?q=seaside").data)["features"][0]["id"] == (
        "herne-bay-pier"
    )
    nick = json.loads(client.get("/download/locations.geojson?character=nick").data)
    assert sorted(f["id"] for f in nick["features"]) == ["eiffel-tower", "herne-bay-pier"]


def test_a_place_pages_download_holds_that_place_only(client):
    resp = client.get("/download/locations.geojson?id=louvre")
    assert resp.headers["Content-Disposition"] == 'attachment; filename="testshow-locations-louvre.geojson"'
    assert [f["id"] for f in json.loads(resp.data)["features"]] == ["louvre"]
    assert client.get("/download/locations.gpx?id=no-such-place").status_code == 404


def test_gpx_download_links_to_the_place_pages(client):
    text = client.get("/download/locations.gpx?season=3").get_data(as_text=True)
    assert "<type>Season 3</type>" in text
    assert '<link href="http://localhost/locations/whipsnade-zoo">' in text
    assert "eiffel" not in text


def test_conditional_request_gets_304(client):
    first = client.get("/download/locations.csv")
    again = client.get("/download/locations.csv", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/download/locations.csv?season=1")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_bad_requests_are_problem_json(client):
    resp = client.get("/download/locations.geojson?season=9")
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["status"] == 400 and "season" in body["detail"] and "1, 2, 3" in body["detail"]
    missing = client.get("/download/locations.shp")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert "csv, geojson, gpx, kml" in missing.get_json()["detail"]


def test_cli_export_writes_the_same_document(app, client, dataset, tmp_path):
    out = tmp_path / "s2.geojson"
    result = CliRunner().invoke(
        main, ["export", "--format", "geojson", "--season", "2", "-o", str(out), "--data", str(dataset)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == json.loads(client.get("/download/locations.geojson?season=2").data)


def test_cli_export_to_stdout_and_errors(dataset):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--format", "csv", "--data", str(dataset)])
    assert result.exit_code == 0 and result.output.lstrip("\ufeff").startswith("id,name,lat,lon,season")
    bad = runner.invoke(main, ["export", "--format", "csv", "--season", "7", "--data", str(dataset)])
    assert bad.exit_code == 1 and "season" in bad.output
    nofmt = runner.invoke(main, ["export", "--format", "shp", "--data", str(dataset)])
    assert nofmt.exit_code == 2


def test_geojson_download_is_streamed_not_buffered(client):
    """No Content-Length: the body is produced feature by feature while it is sent (counting
    its length first would mean holding a second copy of the whole dataset in memory)."""
    resp = client.get("/download/locations.geojson", buffered=False)
    assert resp.is_streamed and "Content-Length" not in resp.headers
    assert json.loads(b"".join(resp.response))["features"]
