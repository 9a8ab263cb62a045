"""`/openapi.json` is a valid OpenAPI 3 document that describes every JSON route of the app: the
test walks `app.url_map`, calls each GET route with sample values and, when the answer is JSON,
checks that a described path matches it (so a new JSON route cannot be forgotten)."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from maps.formats import EXPORTERS

JSON_TYPES = re.compile(r"^application/([a-z.+-]*\+)?json$|^application/vnd\.oai\.openapi\+json")
SAMPLES = {"collectionId": "locations", "featureId": "louvre", "location_id": "louvre", "id": "louvre"}


def sample_urls(rule) -> list[str]:
    """Concrete URLs for a rule: one per download format, sample ids for the other variables."""
    if "ext" in rule.arguments:
        return [rule.rule.replace("<ext>", ext) for ext in EXPORTERS]
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", SAMPLES.get(name, "sample"), url)
    return [url]


def described(path: str, spec: dict) -> bool:
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and "get" in spec["paths"][template]:
            return True
    return False


def test_openapi_document_is_valid(client):
    resp = client.get("/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/vnd.oai.openapi+json"
    validate(resp.get_json())
    validate(client.get("/ogc/api").get_json())


def test_every_json_route_is_described(app, client):
    spec = client.get("/openapi.json").get_json()
    checked = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.manifest"):
            continue  # the web-app manifest is JSON for browsers' "add to home screen", not an API
        for url in sample_urls(rule):
            resp = client.get(url)
            if JSON_TYPES.match(resp.mimetype or "") and resp.status_code != 404:
                checked.append(url)
                assert described(url, spec), (
                    f"{url} ({rule.endpoint}) answers JSON but is not in /openapi.json"
                )
    assert "/ogc/collections/locations/items" in checked and "/download/locations.geojson" in checked


def test_items_path_lists_the_filters_for_gdal(client):
    """GDAL's OAPIF driver sends `-where "season = 2"` to the server only when the items path of
    the service-desc lists `season` as a query parameter."""
    api = client.get("/ogc/api").get_json()
    assert api["servers"][0]["url"] == "http://localhost/ogc"
    params = api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    names = {api["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"] for p in params}
    assert {"bbox", "limit", "offset", "season", "episode", "character", "q", "watched"} <= names
    limit = api["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (10, 1000)
