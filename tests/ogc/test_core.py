"""OGC API - Features Part 1 Core under /ogc/: resources, paging links, bbox through the spatial
index, filters, content negotiation, problem+json errors, caching and CORS headers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from maps import create_app
from maps.dataset.catalog import load_catalog
from maps.ogc.core import CONFORMANCE, ItemsQuery, parse_bbox, select_page
from tests.builders import EPISODES, feature, sample, write_json

ITEMS = "/ogc/collections/locations/items"


def rel(doc: dict, name: str) -> dict | None:
    return next((link for link in doc["links"] if link["rel"] == name), None)


def follow(client, href: str):
    parts = urlsplit(href)
    return client.get(parts.path + ("?" + parts.query if parts.query else ""))


def test_landing_page_links_to_everything(client):
    resp = client.get("/ogc/")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    assert rel(doc, "service-desc")["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rel(doc, "conformance")["href"].endswith("/ogc/conformance")
    assert rel(doc, "data")["href"].endswith("/ogc/collections")
    assert client.get("/ogc").status_code == 200  # without the slash too, no redirect
    assert follow(client, rel(doc, "service-desc")["href"]).get_json()["paths"][
        "/collections/{collectionId}/items"
    ]


def test_conformance_and_collection(client):
    assert client.get("/ogc/conformance").get_json()["conformsTo"] == CONFORMANCE
    doc = client.get("/ogc/collections").get_json()
    assert [c["id"] for c in doc["collections"]] == ["locations"]
    coll = client.get("/ogc/collections/locations").get_json()
    assert coll["extent"]["spatial"]["bbox"] == [[-0.6083, 48.8584, 2.3376, 51.8497]]
    assert [v["value"] for v in coll["filters"]["season"]["values"]] == [1, 2, 3]
    assert rel(coll, "items")["type"] == "application/geo+json"


def test_items_pages_follow_next_links_to_every_feature(client):
    first = client.get(f"{ITEMS}?limit=2")
    assert first.mimetype == "application/geo+json"
    doc = first.get_json()
    assert (doc["numberMatched"], doc["numberReturned"]) == (5, 2) and rel(doc, "prev") is None
    seen = [f["id"] for f in doc["features"]]
    while rel(doc, "next"):
        doc = follow(client, rel(doc, "next")["href"]).get_json()
        seen += [f["id"] for f in doc["features"]]
    assert seen == [f["id"] for f in sample()["features"]]
    assert rel(doc, "prev") and parse_qs(urlsplit(rel(doc, "prev")["href"]).query)["offset"] == ["2"]
    assert doc["numberReturned"] == 1


def test_default_and_maximum_limit(client):
    assert client.get(ITEMS).get_json()["numberReturned"] == 5
    self_link = rel(client.get(f"{ITEMS}?limit=5000").get_json(), "self")["href"]
    assert "limit=1000" in self_link  # larger asks are served the maximum, as the standard says


def test_bbox_and_filters_combine_and_stay_in_the_links(client):
    doc = client.get(f"{ITEMS}?bbox=2,48,3,49&season=2&limit=1").get_json()
    assert doc["numberMatched"] == 2 and doc["features"][0]["id"] == "eiffel-tower"
    query = parse_qs(urlsplit(rel(doc, "next")["href"]).query)
    assert query["bbox"] == ["2,48,3,49"] and query["season"] == ["2"] and query["offset"] == ["1"]
    uk = client.get(f"{ITEMS}?bbox=-1,51,1.5,52").get_json()
    assert sorted(f["id"] for f in uk["features"]) == ["herne-bay-pier", "whipsnade-zoo", "windsor-bridge"]
    nick = client.get(f"{ITEMS}?character=Nick&q=dawn").get_json()
    assert [f["id"] for f in nick["features"]] == ["eiffel-tower"]


def test_bbox_across_the_antimeridian(tmp_path):
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("fiji", 179.5, -17.8, country="FJ"),
            feature("samoa", -171.8, -13.8, country="WS"),
        ],
    }
    data["features"].append(feature("london", -0.1, 51.5))
    write_json(tmp_path / "episodes.json", EPISODES)
    cat = load_catalog(write_json(tmp_path / "locations.geojson", data))
    page = select_page(cat, ItemsQuery(bbox=parse_bbox("179,-20,-170,-10")))
    assert [loc.id for loc in page.items] == ["fiji", "samoa"]


def test_metadata_resources_take_f_and_ignore_filters(client):
    assert client.get("/ogc/collections?season=2").status_code == 200  # as GDAL sends it
    resp = client.get("/ogc/collections?colour=red")
    assert resp.status_code == 400 and resp.get_json()["detail"] == "colour: unknown parameter; allowed: f"


def test_item_and_unknowns(client):
    doc = client.get(f"{ITEMS}/louvre").get_json()
    assert doc["id"] == "louvre" and doc["properties"]["seasons"] == [2]
    assert rel(doc, "collection")["href"].endswith("/ogc/collections/locations")
    for url in (f"{ITEMS}/nowhere", "/ogc/collections/nope", "/ogc/collections/nope/items"):
        resp = client.get(url)
        assert resp.status_code == 404 and resp.mimetype == "application/problem+json", url


@pytest.mark.parametrize(
    ("query", "parameter", "allowed"),
    [
        ("bbox=1,2,3", "bbox", "minLon,minLat,maxLon,maxLat"),
        ("bbox=a,b,c,d", "bbox", "minLon,minLat,maxLon,maxLat"),
        ("bbox=0,60,1,50", "bbox", "minLat <= maxLat"),
        ("bbox=0,0,1,nan", "bbox", "minLon"),
        ("limit=0", "limit", "integer >= 1"),
        ("limit=ten", "limit", "integer >= 1"),
        ("offset=-1", "offset", "integer >= 0"),
        ("season=9", "season", "allowed: 1, 2, 3"),
        ("f=xml", "f", "allowed: json, html"),
        ("colour=red", "colour", "allowed: bbox"),
        ("bbox-crs=EPSG:27700", "bbox-crs", "CRS84"),
    ],
)
def test_bad_parameters_are_400_problem_json(client, query, parameter, allowed):
    resp = client.get(f"{ITEMS}?{query}")
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == 400
    assert body["detail"].startswith(f"{parameter}:") and allowed in body["detail"]


def test_html_twins_escape_untrusted_text(tmp_path):
    data = sample()
    data["features"][0]["properties"]["name"] = "<script>alert(1)</script>"
    data["features"][0]["properties"]["scenes"][0]["note"] = "<img src=x onerror=alert(1)>"
    write_json(tmp_path / "episodes.json", EPISODES)
    client = create_app(
        {"TESTING": True, "DATA_PATH": str(write_json(tmp_path / "l.geojson", data))}
    ).test_client()
    for url in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/locations",
        "/ogc/api",
        ITEMS,
    ):
        resp = client.get(url, headers={"Accept": "text/html"})
        assert resp.status_code == 200 and resp.mimetype == "text/html", url
    api = client.get("/ogc/api?f=html").get_data(as_text=True)
    assert "Places, a page at a time" in api and "<code title" in api
    page = client.get(f"{ITEMS}?f=html").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    item = client.get(f"{ITEMS}/windsor-bridge?f=html").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in item and "<img src=x" not in item
    assert 'href="https://example.org/source"' in item


def test_reads_have_cache_headers_and_open_cors(client):
    for url in ("/ogc/", "/ogc/collections", ITEMS, f"{ITEMS}/louvre", "/openapi.json"):
        resp = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert resp.headers["Access-Control-Allow-Origin"] == "*", url
        assert resp.headers["ETag"] and resp.headers["Last-Modified"] and resp.headers["Cache-Control"], url
        again = client.get(url, headers={"If-None-Match": resp.headers["ETag"]})
        assert again.status_code == 304, url
    preflight = client.options(
        ITEMS, headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    json_etag = client.get(ITEMS).headers["ETag"]
    assert client.get(ITEMS, headers={"Accept": "text/html"}).headers["ETag"] != json_etag


# --- datetime (Part 1 Core /req/core/fc-time-definition, fc-time-response) -----------------------


@pytest.mark.parametrize(
    "value",
    [
        "2022-04-22T00:00:00Z",
        "2022-04-22T10:00:00+01:00",
        "2022-04-22",
        "2022-01-01T00:00:00Z/2023-01-01T00:00:00Z",
        "../2023-01-01T00:00:00Z",
        "2022-01-01T00:00:00Z/..",
        "2022-01-01T00:00:00Z/",
    ],
)
def test_datetime_is_accepted_and_every_place_matches(client, value):
    resp = client.get("/ogc/collections/locations/items", query_string={"datetime": value, "limit": 100})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["numberMatched"] == 5
    self_link = next(link["href"] for link in resp.get_json()["links"] if link["rel"] == "self")
    assert "datetime=" in self_link


@pytest.mark.parametrize(
    "value", ["yesterday", "2022-13-01", "../..", "2023-01-01/2022-01-01", "a/b/c", "x" * 200]
)
def test_bad_datetime_is_a_400_naming_the_parameter(client, value):
    resp = client.get("/ogc/collections/locations/items", query_string={"datetime": value})
    assert resp.status_code == 400
    assert resp.get_json()["detail"].startswith("datetime: ")


def test_openapi_declares_datetime_and_bbox_crs_and_season_as_an_array(client):
    doc = client.get("/ogc/api?f=json").get_json()
    params = doc["components"]["parameters"]
    names = [
        p["$ref"].rsplit("/", 1)[-1]
        for p in doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    ]
    assert {"datetime", "bbox-crs"} <= set(names)
    assert params["season"]["schema"]["type"] == "array"
    assert "crs" not in client.get("/ogc/collections/locations?f=json").get_json()  # Part 2 is not offered
