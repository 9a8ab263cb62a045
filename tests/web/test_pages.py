"""The HTML pages: map, list, place; filters, errors, escaping, caching, headers, ETag, gzip."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re

import pytest

from tests.builders import feature, sample, write_json

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(dataset):
    data = sample()
    data["features"].append(
        feature(
            "bad-place", 0.1, 51.1, name=XSS, note=XSS + "</script><script>alert(2)</script>", story_place=XSS
        )
    )
    write_json(dataset, data)
    return dataset


def places_in(html: str) -> list[str]:
    """The places the map shows at first: the payload holds every season's (the seasons control
    switches them), and the `season` filter names the ones switched on."""
    blob = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    data = json.loads(blob.group(1))
    seasons_on = set(data["on"])

    def seasons(row):
        flat = row[data["fields"].index("scenes")]
        return {data["episodes"][flat[k]][0] for k in range(0, len(flat), 3)}

    return [row[0] for row in data["places"] if not seasons_on or seasons(row) & seasons_on]


def test_map_page_has_every_place_and_local_assets_only(client):
    resp = client.get("/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert sorted(places_in(html)) == sorted(f["id"] for f in sample()["features"])
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and not [a for a in assets if re.match(r"(https?:)?//", a)]
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'name="watched"' in html and 'method="get"' in html  # seasons: the seasons control


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("season=2", {"eiffel-tower", "louvre"}),
        ("season=1&season=3", {"windsor-bridge", "herne-bay-pier", "whipsnade-zoo"}),
        ("episode=S2E5", {"eiffel-tower", "louvre"}),
        ("character=nick", {"herne-bay-pier", "eiffel-tower"}),
        ("q=seaside", {"herne-bay-pier"}),
        ("watched=S1E8", {"windsor-bridge", "herne-bay-pier"}),
        ("watched=S2E4", {"windsor-bridge", "herne-bay-pier"}),
        ("watched=S2E5", {"windsor-bridge", "herne-bay-pier", "eiffel-tower", "louvre"}),
    ],
)
def test_filters_on_map_and_list(client, query, expected):
    assert set(places_in(client.get("/?" + query).get_data(as_text=True))) == expected
    listed = client.get("/locations?" + query).get_data(as_text=True)
    assert set(re.findall(r'href="/locations/([a-z0-9-]+)', listed)) == expected


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/?season=9", "season"),
        ("/?watched=S9E1", "watched"),
        ("/?watched=later", "watched"),
        ("/?episode=x", "episode"),
        ("/locations?near=abc", "near"),
        ("/locations?sort=distance", "near"),
        ("/locations?sort=height", "sort"),
        ("/locations/louvre?season=0", "season"),
        ("/?q=" + "x" * 500, "q"),
    ],
)
def test_bad_filter_is_a_400_page_saying_what_is_wrong(client, url, says):
    resp = client.get(url)
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert says in resp.get_data(as_text=True)


def test_unknown_place_is_a_404_page(client):
    resp = client.get("/locations/no-such-place")
    assert resp.status_code == 404 and "no-such-place" in resp.get_data(as_text=True)


def test_list_is_a_table_sortable_by_distance(client):
    html = client.get("/locations?near=48.8606,2.3376").get_data(as_text=True)
    assert "<table" in html and '<th scope="col"' in html and "<caption>" in html
    order = re.findall(r'<th scope="row"><a href="/locations/([a-z0-9-]+)', html)
    assert order[:2] == ["louvre", "eiffel-tower"] and order[-1] == "whipsnade-zoo"
    assert "3.2 km" in html and 'aria-sort="ascending"' in html


def test_place_page(client):
    html = client.get("/locations/eiffel-tower").get_data(as_text=True)
    assert "Nick &lt;3 Charlie at dawn." in html and "S2E5 · Two-5" in html
    assert "Public place" in html and "https://example.org/source" in html
    assert 'href="/locations/louvre"' in html and "3.2 km" in html  # nearby, within 5 km
    assert "/download/locations.gpx?id=eiffel-tower" in html
    assert "/ogc/collections/locations/items/eiffel-tower" in html
    assert places_in(html) == ["eiffel-tower"]  # the small map


def test_place_page_spoiler_guard_hides_a_later_place_and_offers_show_anyway(client):
    html = client.get("/locations/eiffel-tower?watched=S1E8").get_data(as_text=True)
    assert "Nick &lt;3 Charlie" not in html and "Eiffel" not in html
    assert "hidden by your spoiler setting" in html
    assert 'href="/locations/eiffel-tower?reveal=1"' in html
    shown = client.get("/locations/eiffel-tower?reveal=1").get_data(as_text=True)
    assert "Nick &lt;3 Charlie at dawn." in shown


def test_untrusted_text_never_becomes_markup(client, hostile):
    for url in ("/", "/locations", "/locations/bad-place", "/?q=" + XSS):
        html = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>alert" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg src=x" in html, url


def test_security_headers_and_script_hashes(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "'self'" in script_src and "nonce-" not in script_src
    assert "https://tile.openstreetmap.org" in re.search(r"img-src ([^;]+)", csp).group(1)
    html = resp.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline
    for body in inline:  # a cached page's scripts are allowed by their hashes, nothing else
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert len(re.findall(r"'sha256-", script_src)) == len(set(inline))
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    again = client.get("/")
    assert again.headers["Content-Security-Policy"] == csp and again.data == resp.data  # same bytes
    assets = client.get("/static/mapview.js")
    assert assets.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in client.get("/healthz").headers


def test_pages_are_cached_per_data_version_and_filter(app, client, dataset):
    cache = app.extensions["maps.pagecache"]
    client.get("/")
    renders = cache.renders
    client.get("/")
    client.get("/?season=2&season=2")  # same view as season=2 below
    assert cache.renders == renders + 1
    client.get("/?season=2")
    assert cache.renders == renders + 1
    data = sample()
    data["features"][0]["properties"]["name"] = "Renamed Bridge"
    write_json(dataset, data)
    os.utime(dataset, ns=(1, 1))  # a new file version even within one mtime tick
    assert "Renamed Bridge" in client.get("/").get_data(as_text=True)
    assert cache.renders == renders + 2


def test_etag_304_and_gzip(client):
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert b"leaflet" in gzip.decompress(first.data)
    again = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert "Content-Security-Policy" not in again.headers  # the stored body keeps its own policy
    plain = client.get("/")
    assert client.get("/", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    other = client.get("/?season=1", headers={"If-None-Match": plain.headers["ETag"]})
    assert other.status_code == 200


def test_etag_on_json_routes_too(client):
    first = client.get("/healthz")
    assert first.headers.get("ETag")
    assert client.get("/healthz", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_map_says_when_a_season_has_few_documented_places(client):
    html = client.get("/?season=3").get_data(as_text=True)
    assert "Few documented places so far:" in html and "Season 3 (1)" in html
    assert "Season 1 (" not in html.split("Few documented places so far:")[1].split("</span>")[0]


def test_link_previews_icons_and_about_page(client):
    html = client.get("/?place=louvre").get_data(as_text=True)
    assert '<meta property="og:title" content="Louvre on the Testshow filming locations map">' in html
    assert 'name="twitter:card" content="summary"' in html and 'property="og:image"' in html
    assert "Louvre" not in client.get("/?place=louvre&watched=S1E8").get_data(as_text=True).split("<body")[0]
    assert client.get("/favicon.ico").status_code == 200
    manifest = client.get("/manifest.webmanifest")
    assert (
        manifest.mimetype == "application/manifest+json" and manifest.get_json()["short_name"] == "Testshow"
    )
    about = client.get("/about", follow_redirects=True).get_data(as_text=True)  # the setting is remembered
    assert "not affiliated with" in about and 'id="report"' in about and "example.org" in about
