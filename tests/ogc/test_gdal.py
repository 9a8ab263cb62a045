"""GDAL reads what we publish: `ogrinfo`/`ogr2ogr` with the OAPIF driver against the running app
(every feature, by following `next` links; the count from `numberMatched`; filters pushed to
the server), and every download with its own driver. Skipped locally without gdal-bin, a
failure in CI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from maps import create_app
from maps.formats import EXPORTERS
from tests.builders import EPISODES, feature, sample, write_json
from tests.support import live_server, require_tool

pytestmark = pytest.mark.gdal


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def many_places() -> dict:
    """36 places (13 in season 2: more than GDAL's default page of 10), one a line, one in two seasons."""
    data = sample()
    for n in range(30):
        data["features"].append(feature(f"extra-{n}", -0.5 + n / 100, 51.0 + n / 100, season=1 + n % 3))
    data["features"][-1]["geometry"] = {"type": "LineString", "coordinates": [[-0.3, 51.2], [-0.29, 51.21]]}
    both = feature("two-seasons", -0.55, 51.6, season=1)
    both["properties"]["scenes"].append({"season": 2, "episode": 4, "note": "Again."})
    data["features"].append(both)
    return data


REQUESTS: list[str] = []


def recording(wsgi_app):
    """Remember each request's path and query, to see what GDAL asked for."""

    def app(environ, start_response):
        REQUESTS.append(environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", ""))
        return wsgi_app(environ, start_response)

    return app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_tool("ogrinfo", "gdal-bin")
    folder = tmp_path_factory.mktemp("gdal")
    write_json(folder / "episodes.json", EPISODES)
    path = write_json(folder / "locations.geojson", many_places())
    app = create_app({"TESTING": True, "DATA_PATH": str(path)})
    app.wsgi_app = recording(app.wsgi_app)
    with live_server(app) as url:
        yield url


def summary_count(text: str) -> int:
    return int(re.search(r"Feature Count: (\d+)", text)[1])


def test_ogrinfo_reads_the_collection(server):
    out = run("ogrinfo", "-ro", f"OAPIF:{server}/ogc", "locations", "-al", "-so")
    assert summary_count(out) == 36
    for field in ("name: String", "seasons: IntegerList", "first_season: Integer", "access: String"):
        assert field in out
    assert "\nseason: Integer" not in out  # no single season: a place may have several
    assert "Extent: (-0.608300, 48.858400) - (2.337600, 51.849700)" in out


def test_season_filter_and_the_seasons_field_mean_the_same_and_every_page_is_read(server):
    """The server's `season=2` and a GIS user's "seasons contains 2" select the same places
    (one of them, `two-seasons`, was filmed in seasons 1 and 2 and is not first seen in 2)."""
    REQUESTS.clear()
    out = run("ogrinfo", "-ro", "-q", f"OAPIF:{server}/ogc?season=2", "locations", "-al")
    ids = re.findall(r"^  id \(String\) = (.+)$", out, flags=re.M)
    seasons = re.findall(r"^  seasons \(IntegerList\) = \(\d+:([\d,]+)\)$", out, flags=re.M)
    expected = [
        f["id"] for f in many_places()["features"] if 2 in {s["season"] for s in f["properties"]["scenes"]}
    ]
    assert sorted(ids) == sorted(expected) and len(ids) == 13 and "two-seasons" in ids
    assert len(seasons) == 13 and all("2" in s.split(",") for s in seasons)
    items = [r for r in REQUESTS if r.startswith("/ogc/collections/locations/items?")]
    assert all("season=2" in r for r in items), items  # filtered by the server, not by GDAL
    assert any("offset=" in r for r in items), items  # the second page came from a `next` link


def test_filters_in_the_connection_string(server):
    out = run("ogrinfo", "-ro", "-so", f"OAPIF:{server}/ogc?season=3", "locations")
    assert summary_count(out) == 11


def test_ogr2ogr_copies_every_feature_to_a_geopackage(server, tmp_path):
    target = tmp_path / "copy.gpkg"
    run("ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{server}/ogc", "locations")
    out = run("ogrinfo", "-ro", "-so", str(target), "locations")
    assert summary_count(out) == 36


@pytest.mark.parametrize(
    ("ext", "layers"),
    [
        ("geojson", {"": 36}),
        ("gpx", {"waypoints": 36}),
        ("kml", {"Season 1": 13, "Season 2": 12, "Season 3": 11}),  # one placemark per place, first season
        ("csv", {"": 37}),
    ],
)
def test_ogrinfo_reads_each_download(server, tmp_path, ext, layers):
    import urllib.request

    target = Path(tmp_path) / f"locations.{ext}"
    with urllib.request.urlopen(f"{server}/download/locations.{ext}") as resp:
        target.write_bytes(resp.read())
    out = run("ogrinfo", "-ro", "-so", "-al", str(target))
    counts = dict(re.findall(r"Layer name: (.*)\n(?:.*\n)*?Feature Count: (\d+)", out))
    for layer, count in layers.items():
        name = layer or next(iter(counts))
        assert int(counts[name]) == count, out
    if ext == "csv":
        assert "note: String" in out and "id: String" in out  # the BOM does not leak into the first name


def test_bundled_dataset_through_gdal(tmp_path):
    """The real data: the OGC API serves every place and every download opens in GDAL."""
    require_tool("ogrinfo", "gdal-bin")
    import json
    import urllib.request

    from maps.resources import bundled_data_path

    total = len(json.loads(bundled_data_path().read_text(encoding="utf-8"))["features"])
    with live_server(create_app({"TESTING": True})) as url:
        assert summary_count(run("ogrinfo", "-ro", "-so", f"OAPIF:{url}/ogc", "locations")) == total
        for ext in EXPORTERS:  # every download format of the registry
            target = tmp_path / f"all.{ext}"
            with urllib.request.urlopen(f"{url}/download/locations.{ext}") as resp:
                target.write_bytes(resp.read())
            assert "Feature Count:" in run("ogrinfo", "-ro", "-so", "-al", str(target))
