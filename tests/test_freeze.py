"""`maps freeze`: the file tree, relative links that all resolve, escaped data, the OGC API's
rewritten links, the per-page CSP, the season pages (live too) and the CLI's refusals."""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.formats import EXPORTERS
from maps.freeze import MARKER, freeze_site
from maps.web.staticsite import file_for, relative_dir, relative_url
from tests.builders import EPISODES, feature, sample, write_json

XSS = "<img src=x onerror=alert(1)>"
LINK = re.compile(r'\b(?:href|src|action)="([^"]*)"')


def write_data(folder: Path) -> Path:
    places = sample()
    places["features"].append(feature("hostile", -1.2, 52.5, season=3, note=XSS, name="<script>x</script>"))
    write_json(folder / "episodes.json", EPISODES)
    return write_json(folder / "locations.geojson", places)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data(tmp_path)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str]]:
    """One frozen site for the tests that only read it (a freeze renders every page)."""
    folder = tmp_path_factory.mktemp("frozen")
    out = folder / "site"
    return out, freeze_site(out, data=write_data(folder))


def ids(data: Path) -> list[str]:
    return [f["id"] for f in json.loads(data.read_text())["features"]]


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/", "index.html"),
        ("/locations", "locations/index.html"),
        ("/locations/louvre", "locations/louvre/index.html"),
        ("/seasons/2/", "seasons/2/index.html"),
        ("/download/locations.gpx", "download/locations.gpx"),
        ("/static/vendor/leaflet/leaflet.js", "static/vendor/leaflet/leaflet.js"),
        ("/ogc/", "ogc/index.json"),
        ("/ogc/collections/locations", "ogc/collections/locations.json"),
        ("/ogc/collections/locations/items/louvre", "ogc/collections/locations/items/louvre.json"),
        ("/openapi.json", "openapi.json"),
    ],
)
def test_file_for_mirrors_live_paths(path, file):
    assert file_for(path) == file


def test_relative_links_between_pages():
    assert relative_url("/locations/louvre", "/") == "locations/louvre/index.html"
    assert relative_url("/", "/locations/louvre") == "../../index.html"
    assert relative_url("/static/site.css", "/seasons/2/") == "../../static/site.css"
    assert relative_url("/locations", "/locations/louvre") == "../index.html"
    assert relative_dir("/locations/", "/") == "locations/"
    assert relative_dir("/locations/", "/seasons/1/") == "../../locations/"
    assert relative_dir("/locations/", "/locations") == ""


def test_file_tree(site):
    out, files = site
    expected = {"index.html", "locations/index.html"}
    expected |= {f"seasons/{s['season']}/index.html" for s in EPISODES["seasons"]}
    expected |= {f"download/locations.{ext}" for ext in EXPORTERS}  # every registered download
    expected |= {"static/mapview.js", "static/vendor/leaflet/leaflet.js"}
    placed = json.loads((out / "download/locations.geojson").read_text())["features"]
    assert {f["id"] for f in placed} == {f["id"] for f in sample()["features"]} | {"hostile"}
    for fid in (f["id"] for f in placed):
        expected |= {f"locations/{fid}/index.html"}
    assert expected <= set(files)
    assert all((out / name).is_file() for name in files)
    # Need a server: the route planner, the API, the health check, and the OGC API (its clients
    # build URLs and send queries a static host cannot answer).
    assert not any(name.startswith(("route", "api/", "healthz", "ogc", "openapi")) for name in files)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_link_is_relative_and_resolves(site):
    out, _ = site
    pages = html_files(out)
    assert len(pages) > 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        here = page.relative_to(out).parent.as_posix()
        for url in LINK.findall(html):
            if url.startswith(("https://", "http://", "mailto:")):
                # only links out to sources: no asset from another host
                assert not re.search(rf'(?:src|<link[^>]*href)="{re.escape(url)}"', html), (page, url)
                continue
            assert not url.startswith("/"), (page, url)
            target = posixpath.normpath(posixpath.join(here, url.split("#")[0].split("?")[0]))
            assert not target.startswith(".."), (page, url)
            path = out / target
            assert path.is_file() or (path / "index.html").is_file(), (page, url)
        place_url = re.search(r'"placeUrl":"([^"]*)"', html)
        if place_url:
            prefix = place_url.group(1)
            assert not prefix.startswith("/")
            assert (out / posixpath.normpath(posixpath.join(here, prefix, "louvre")) / "index.html").is_file()


def test_data_stays_escaped(site):
    out, _ = site
    html = (out / "locations/hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and XSS not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert XSS not in (out / "index.html").read_text(encoding="utf-8")  # only \u003c inside JSON


def test_pages_carry_their_own_policy(site):
    out, _ = site
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "nonce" not in html
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert scripts
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors" not in policy  # ignored in <meta>: a header on the host


def test_static_pages_offer_what_a_static_host_can_do(site):
    out, _ = site
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="filter-form"' not in index  # query strings: the season links replace it
    assert 'href="seasons/2/index.html"' in index
    assert "Route planner" not in index
    place = (out / "locations/louvre/index.html").read_text(encoding="utf-8")
    assert "GeoJSON (all places)" in place


def test_static_copy_offers_no_ogc_api_but_every_download(site):
    out, _ = site
    assert not (out / "ogc").exists() and not (out / "openapi.json").exists()
    for page in html_files(out):
        html = page.read_text(encoding="utf-8")
        assert "ogc/" not in html and "OGC API" not in html, page
    place = (out / "locations/louvre/index.html").read_text(encoding="utf-8")
    assert "download/locations.geojson" in place


def test_base_url_makes_data_links_absolute(tmp_path, data):
    out = tmp_path / "site"
    freeze_site(out, data=data, base_url="https://cdn.example/maps")
    assert "https://cdn.example/maps/locations/louvre" in (out / "download/locations.kml").read_text()
    assert "https://cdn.example/maps/locations/louvre" in (out / "download/locations.gpx").read_text()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="locations/index.html"' in index  # pages stay relative


def test_cli_freezes_refreshes_and_refuses(tmp_path, data):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["freeze", str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert (out / "locations/louvre/index.html").is_file() and (out / MARKER).is_file()
    stale = out / "locations/gone/index.html"
    stale.parent.mkdir()
    stale.write_text("old")
    assert runner.invoke(main, ["freeze", str(out), "--data", str(data)]).exit_code == 0
    assert not stale.exists() and (out / "index.html").is_file()

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "precious.txt").write_text("keep")
    result = runner.invoke(main, ["freeze", str(busy), "--data", str(data)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (busy / "precious.txt").read_text() == "keep" and not (busy / "index.html").exists()


def test_live_season_pages(client):
    resp = client.get("/seasons/2/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    # Every season's places are on the page, season 2 switched on (the seasons control).
    assert '["eiffel-tower",' in html and '"on":[2]' in html  # place rows start with the id
    assert client.get("/seasons/2").status_code == 308
    assert client.get("/seasons/9/").status_code == 404
    assert client.get("/seasons/2/?episode=zzz").status_code == 400
    index = client.get("/").get_data(as_text=True)
    assert 'href="/seasons/1/"' not in index  # live: one season control, in the URL (?season=)
    assert '"placeUrl":"/locations/"' in index  # live pages keep absolute links


def test_freeze_validates_first_and_writes_nothing_for_bad_data(tmp_path, data):
    raw = json.loads(data.read_text())
    raw["features"][0]["id"] = "Not A Slug/../x"
    data.write_text(json.dumps(raw), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["freeze", str(out), "--data", str(data)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "is not a slug" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_a_failed_freeze_leaves_the_previous_site_untouched(tmp_path, data, monkeypatch):
    out = tmp_path / "out"
    freeze_site(out, data=data)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    index = (out / "index.html").read_bytes()

    from maps.freeze import SiteFreezer

    def crash(self):
        yield from ()
        raise RuntimeError("disk trouble halfway")

    monkeypatch.setattr(SiteFreezer, "freeze_yield", crash)
    with pytest.raises(RuntimeError, match="halfway"):
        freeze_site(out, data=data)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert (out / "index.html").read_bytes() == index
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
