"""The whole-answer cache in front of Flask (maps.web.responsecache): a repeated request is
answered from it with the same headers and bytes, a data change or another query is a miss, the
bounds hold, errors, cookies and conditional requests go through Flask."""

from __future__ import annotations

from maps import create_app
from maps.web.responsecache import ResponseCache, Stored, normalised_query
from tests.builders import feature, sample, write_json

BR = {"Accept-Encoding": "gzip, deflate, br"}
ITEMS = "/ogc/collections/locations/items?bbox=-1,51,2,52&limit=10"
ROUTE = "/api/route?stops=windsor-bridge,whipsnade-zoo,herne-bay-pier"
CACHED_URLS = [
    "/",
    "/locations",
    "/locations/louvre",
    ITEMS,
    "/ogc/collections/locations/items/louvre",
    ROUTE,
    "/api/route.gpx?stops=windsor-bridge,whipsnade-zoo",
    "/download/locations.geojson",
    "/download/locations.csv?season=1",
]


def same_headers(one, other) -> bool:
    """Equal headers; Date says when each answer was sent (both have one, or neither)."""
    strip = lambda r: sorted((k, v) for k, v in r.headers.items() if k != "Date")  # noqa: E731
    return strip(one) == strip(other) and ("Date" in one.headers) == ("Date" in other.headers)


def cache_of(app) -> ResponseCache:
    return app.extensions["maps.responsecache"]


def test_repeated_requests_are_answered_whole_with_the_same_headers(app, client):
    cache = cache_of(app)
    for url in CACHED_URLS:
        first = client.get(url, headers=BR)
        assert first.status_code == 200 and first.data, url  # (the body is stored once it is read)
        hits = cache.hits
        second = client.get(url, headers=BR)
        assert cache.hits == hits + 1, f"{url} was not served from the cache"
        assert second.data == first.data
        assert same_headers(second, first), url


def test_cached_page_keeps_its_security_and_caching_headers(client):
    first = client.get("/", headers=BR)
    second = client.get("/", headers=BR)
    for response in (first, second):
        assert "script-src 'self' 'sha256-" in response.headers["Content-Security-Policy"]
        assert response.headers["Content-Encoding"] == "br"
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Accept-Encoding" in response.headers["Vary"]
    assert second.headers["ETag"] == first.headers["ETag"]
    # The validator still works: a conditional request goes to Flask and gets its 304.
    again = client.get("/", headers={**BR, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_each_encoding_gets_its_own_entry(client):
    brotli = client.get("/locations", headers=BR)
    plain = client.get("/locations")
    gzipped = client.get("/locations", headers={"Accept-Encoding": "gzip"})
    assert brotli.headers["Content-Encoding"] == "br"
    assert "Content-Encoding" not in plain.headers
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert client.get("/locations").data == plain.data


def test_query_order_normalises_to_one_key(app, client):
    cache = cache_of(app)
    client.get("/ogc/collections/locations/items?limit=10&bbox=-1,51,2,52").get_data()
    hits = cache.hits
    client.get("/ogc/collections/locations/items?bbox=-1,51,2,52&limit=10").get_data()
    assert cache.hits == hits + 1
    # Repeated parameters keep their order (an array); different names are sorted.
    assert normalised_query("b=2&a=1&b=1") == "a=1&b=2&b=1"


def test_a_data_change_is_a_miss_and_shows_at_once(app, client, dataset):
    cache = cache_of(app)
    assert b"New Place" not in client.get(ITEMS).data
    data = sample()
    data["features"].append(feature("new-place", 0.5, 51.5, name="New Place"))
    write_json(dataset, data)
    hits = cache.hits
    assert b"New Place" in client.get(ITEMS).data
    assert cache.hits == hits


def test_errors_are_not_stored(app, client):
    cache = cache_of(app)
    for url in (
        "/ogc/collections/locations/items?bbox=nonsense",
        "/ogc/collections/locations/items/no-such-place",
        "/api/route?stops=no-such-place",
        "/locations/no-such-place",
    ):
        stores = cache.stores
        first = client.get(url)
        assert 400 <= first.status_code < 500, url
        assert cache.stores == stores, url
        assert client.get(url).status_code == first.status_code


def test_cookies_and_nonce_pages_bypass_the_cache(app, client):
    cache = cache_of(app)
    client.get("/ogc/collections/locations/items?f=html").get_data()  # a per-response nonce
    stores = cache.stores
    html = client.get("/ogc/collections/locations/items?f=html")
    assert "'nonce-" in html.headers["Content-Security-Policy"]
    assert cache.stores == stores
    client.get(ITEMS).get_data()
    hits = cache.hits
    client.set_cookie("session", "abc")  # a session: through Flask
    client.get(ITEMS).get_data()
    assert cache.hits == hits


def test_spoiler_cookie_is_part_of_the_key(client):
    client.get("/locations").get_data()
    client.set_cookie("maps_watched", "S1E2")
    remembered = client.get("/locations")
    assert remembered.status_code in (302, 303, 307)  # the remembered setting still redirects
    assert "watched=S1E2" in remembered.headers["Location"]


def test_the_bounds_hold():
    cache = ResponseCache(max_entries=3, max_bytes=100, max_entry_bytes=60)
    for i in range(5):
        cache.put(("k", i), Stored("200 OK", (), b"x" * 10))
    assert len(cache.entries) == 3 and list(cache.entries) == [("k", 2), ("k", 3), ("k", 4)]
    cache.put(("big",), Stored("200 OK", (), b"x" * 61))
    assert ("big",) not in cache.entries
    for i in range(3):
        cache.put(("mid", i), Stored("200 OK", (), b"x" * 45))
    assert cache.size <= 100 and len(cache.entries) == 2


def test_an_answer_over_the_entry_bound_streams_and_is_not_kept(dataset):
    app = create_app({"TESTING": True, "DATA_PATH": str(dataset), "RESPONSE_CACHE_ENTRY_BYTES": 200})
    client = app.test_client()
    whole = client.get("/download/locations.geojson")
    assert whole.status_code == 200 and len(whole.data) > 200
    assert cache_of(app).stores == 0
    assert client.get("/download/locations.geojson").data == whole.data


def test_head_is_answered_from_a_stored_get(app, client):
    get = client.get(ITEMS)
    head = client.head(ITEMS)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]


def test_it_can_be_turned_off(dataset):
    app = create_app({"TESTING": True, "DATA_PATH": str(dataset), "RESPONSE_CACHE_ENTRIES": 0})
    assert "maps.responsecache" not in app.extensions
    assert app.test_client().get(ITEMS).status_code == 200


def test_the_version_is_looked_at_once_per_interval(dataset):
    app = create_app({"TESTING": True, "DATA_PATH": str(dataset), "DATA_CHECK_INTERVAL": 3600})
    client = app.test_client()
    before = client.get(ITEMS).get_data()
    data = sample()
    data["features"].append(feature("new-place", 0.5, 51.5, name="New Place"))
    write_json(dataset, data)
    assert client.get(ITEMS).get_data() == before  # within the interval: the stored answer
    app.wsgi_app.check_interval = 0  # type: ignore[attr-defined]
    assert b"New Place" in client.get(ITEMS).get_data()
