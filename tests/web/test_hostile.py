"""Hostile values in every query parameter of every HTML route: never a 5xx, never reflected
unescaped. Routes are read from the app's URL map, so a new page is covered automatically."""

from __future__ import annotations

import pytest

from maps import create_app
from maps.dataset.filters import FILTER_NAMES

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE places; --",
    "javascript:alert(1)",
    "x" * 3000,
    "\x00",
    "%00",
    "%ff%fe%fd",
    "9" * 400,
    "-0",
    "NaN",
    "Infinity",
    "1e308",
    "-1",
    "S99E99",
    "51.5,-0.1,extra",
    ",,,",
    "\u202e\ufeff",
]
PARAMS = [
    *FILTER_NAMES,  # the filter registry's parameters, then every other one a page reads
    "near",
    "sort",
    "f",
    "bbox",
    "limit",
    "offset",
    "stops",
    "start",
    "end",
    "mode",
    "hours_per_day",
    "round_trip",
    "order",
    "stop_minutes",
    "region",
    "include_all",
    "dwell",
    "format",
]
JSON_PREFIXES = ("/api/", "/ogc", "/openapi.json", "/healthz", "/download/", "/static/")


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from maps.dataset.geocode import GeocoderSettings
    from tests.builders import EPISODES, sample, write_json
    from tests.support import fake_nominatim

    folder = tmp_path_factory.mktemp("hostile")
    write_json(folder / "episodes.json", EPISODES)
    data = write_json(folder / "locations.geojson", sample())
    with fake_nominatim({}) as geocoder:  # hostile starts and ends reach a local geocoder only
        settings = GeocoderSettings(url=geocoder["url"], cache_path=folder / "geocache.json", min_delay_s=0.0)
        yield create_app({"TESTING": True, "DATA_PATH": str(data), "GEOCODER_SETTINGS": settings})


def html_routes(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(JSON_PREFIXES):
            continue
        if rule.arguments - {"location_id", "id"}:
            continue
        urls.append(rule.rule.replace("<location_id>", "eiffel-tower").replace("<id>", "eiffel-tower"))
    return sorted(set(urls))


def test_routes_are_discovered(hostile_app):
    assert "/" in html_routes(hostile_app)


# The fast loop sweeps a few parameters that reach every kind of parser (free text, the filter
# registry, the spoiler point, a list of stops); the full suite sweeps them all.
FAST_PARAMS = {"q", "season", "watched", "stops"}


@pytest.mark.parametrize(
    "param", [p if p in FAST_PARAMS else pytest.param(p, marks=pytest.mark.slow) for p in PARAMS]
)
def test_hostile_values_never_500_and_never_reflect(hostile_app, param):
    client = hostile_app.test_client()
    for url in html_routes(hostile_app):
        for value in HOSTILE:
            resp = client.get(url, query_string={param: value})
            assert resp.status_code < 500, (url, param, value, resp.status_code)
            body = resp.get_data()
            if any(c in value for c in '<>"'):
                assert value.encode() not in body, (url, param, value)


def test_invalid_utf8_and_raw_bytes(hostile_app):
    client = hostile_app.test_client()
    for url in html_routes(hostile_app):
        for raw in ("q=%ff%fe", "season=%c3%28", "q=%00%00", "character=%ff"):
            resp = client.get(f"{url}?{raw}")
            assert resp.status_code < 500, (url, raw)
