"""The one OpenAPI 3 document of every JSON route: the OGC API, the downloads, the route planner
and the health check.

It is built from plain values when asked for (no import-time registration), so `/openapi.json`
lists exactly the routes described here and the download formats of the format registry.
Two views of it are served: `/openapi.json` describes every JSON route of the app, and `/ogc/api`
(the landing page's `service-desc`) is the same OGC paths relative to `/ogc`, which is what OGC
clients expect: GDAL looks up `/collections/{collectionId}/items` in it and pushes a
`-where "season = 2"` down to the server only when `season` is listed there."""

from __future__ import annotations

from typing import Any

from maps.dataset.filters import FILTER_NAMES, FILTER_PARAMS
from maps.formats import EXPORTERS, PLAN_FORMATS
from maps.ogc.core import CRS84, DEFAULT_LIMIT, MAX_LIMIT, OPENAPI_TYPE
from maps.route.plan import ESTIMATE_NOTE
from maps.route.request import MODES, ORDERS
from maps.route.transfers import ALL_MODES
from maps.route.visits import DWELL_MINUTES

PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
}


def problem_response(description: str, *, html: bool = True) -> dict[str, Any]:
    """An RFC 9457 problem; routes that honour `f=html` also answer it as a readable page."""
    content: dict[str, Any] = {"application/problem+json": {"schema": PROBLEM_SCHEMA}}
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


# Every route refuses an oversized query string (maps.web.limits) before doing any work.
URI_TOO_LONG = problem_response("The query string is too long")


def _with_common_responses(item: dict[str, Any]) -> dict[str, Any]:
    return {
        method: {**op, "responses": {**op.get("responses", {}), "414": URI_TOO_LONG}}
        if isinstance(op, dict) and "responses" in op
        else op
        for method, op in item.items()
    }


PREFIX = "/ogc"


def _param(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    } | extra


def _filter_schema(param) -> dict[str, Any]:
    """A repeatable filter (season) is an array, so generated clients send season=1&season=2."""
    return {"type": "array", "items": param.schema} if param.repeatable else param.schema


def _filter_style(param) -> dict[str, Any]:
    return {"style": "form", "explode": True} if param.repeatable else {}


PARAMETERS = {
    "f": _param(
        "f", {"type": "string", "enum": ["json", "html"]}, "Response format (default: Accept header)"
    ),
    "bbox": _param(
        "bbox",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        "minLon,minLat,maxLon,maxLat (CRS84)",
        style="form",
        explode=False,
    ),
    "bbox-crs": _param(
        "bbox-crs", {"type": "string", "format": "uri", "enum": [CRS84]}, "CRS of bbox (only CRS84)"
    ),
    "datetime": _param(
        "datetime",
        {"type": "string"},
        "RFC 3339 instant or interval (start/end, .. for open). Places carry no time, so every "
        "place matches a well-formed value",
    ),
    "limit": _param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        f"Features per page (larger values are served {MAX_LIMIT})",
    ),
    "offset": _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Features to skip"),
    **{p.name: _param(p.name, _filter_schema(p), p.description, **_filter_style(p)) for p in FILTER_PARAMS},
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
}
FILTERS = FILTER_NAMES  # the filter registry's parameters, on every route that lists places


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(summary: str, media: dict[str, str], params: list[str], *, not_found: bool = False) -> dict:
    responses: dict[str, Any] = {
        "200": {"description": summary, "content": {m: {"schema": {"type": s}} for m, s in media.items()}},
        "400": {"$ref": "#/components/responses/BadRequest"},
    }
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    return {"get": {"summary": summary, "parameters": [ref(p) for p in params], "responses": responses}}


JSON_HTML = {"application/json": "object", "text/html": "string"}
GEOJSON_HTML = {"application/geo+json": "object", "text/html": "string"}

OGC_PATHS = {
    "/": _get("Landing page", JSON_HTML, ["f"]),
    "/api": _get("This API definition (OpenAPI 3)", {OPENAPI_TYPE: "object", "text/html": "string"}, ["f"]),
    "/conformance": _get("Conformance classes", JSON_HTML, ["f"]),
    "/collections": _get("Collections", JSON_HTML, ["f"]),
    "/collections/{collectionId}": _get("A collection", JSON_HTML, ["collectionId", "f"], not_found=True),
    "/collections/{collectionId}/items": _get(
        "Places, a page at a time (GeoJSON FeatureCollection)",
        GEOJSON_HTML,
        ["collectionId", "f", "bbox", "bbox-crs", "datetime", "limit", "offset", *FILTERS],
        not_found=True,
    ),
    "/collections/{collectionId}/items/{featureId}": _get(
        "One place (GeoJSON Feature)", GEOJSON_HTML, ["collectionId", "featureId", "f"], not_found=True
    ),
}


def _route_param(name: str, description: str, schema: dict, example=None) -> dict:
    out = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if example is not None:
        out["example"] = example
    return out


_LEG = {
    "type": "object",
    "nullable": True,
    "properties": {
        "from": {"type": "string"},
        "from_id": {"type": "string", "nullable": True},
        "to": {"type": "string"},
        "to_id": {"type": "string", "nullable": True},
        "km": {"type": "number"},
        "minutes": {"type": "number"},
        "mode": {"type": "string", "enum": list(ALL_MODES)},
        "mode_label": {"type": "string"},
        "kind": {"type": "string", "enum": ["day", "transfer"]},
        "trip": {"type": "integer"},
        "day": {"type": "integer", "nullable": True},
        "source": {"type": "string", "enum": ["engine", "estimate"]},
        "osm": {"type": "string", "format": "uri"},
    },
}
_STOP = {
    "type": "object",
    "required": ["id", "name", "order", "trip", "day", "leg_km", "leg_minutes"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "order": {"type": "integer", "minimum": 1},
        "trip": {"type": "integer", "minimum": 1},
        "day": {"type": "integer", "minimum": 1},
        "leg_km": {"type": "number"},
        "leg_minutes": {"type": "number"},
        "leg_kind": {"type": "string", "enum": ["start", "day", "transfer"]},
        "cumulative_km": {"type": "number"},
        "cumulative_minutes": {"type": "number"},
        "lat": {"type": "number"},
        "lon": {"type": "number"},
        "locality": {"type": "string"},
        "access": {"type": "string"},
        "access_advice": {"type": "string"},
        "story_place": {"type": "string"},
        "scenes": {"type": "array", "items": {"type": "object"}},
        "osm": {"type": "string", "format": "uri", "nullable": True},
    },
}
_URLS = {"type": "array", "items": {"type": "string", "format": "uri"}}
_PLAN = {
    "type": "object",
    "required": ["stops", "total_km", "total_minutes", "days", "trips", "links"],
    "properties": {
        "stops": {"type": "array", "items": {"$ref": "#/components/schemas/RouteStop"}},
        "start": {"type": "object", "nullable": True},
        "finish": {"$ref": "#/components/schemas/RouteLeg"},
        "total_km": {"type": "number"},
        "total_minutes": {"type": "number"},
        "mode": {"type": "object"},
        "order": {"type": "string", "enum": list(ORDERS)},
        "round_trip": {"type": "boolean"},
        "hours_per_day": {"type": "number"},
        "stop_minutes": {"type": "number", "nullable": True},
        "exact": {"type": "boolean", "description": "true when the order is provably the shortest"},
        "estimate_note": {"type": "string"},
        "days": {"type": "array", "items": {"type": "object"}},
        "trips": {"type": "array", "items": {"type": "object"}},
        "transfers": {"type": "array", "items": {"$ref": "#/components/schemas/RouteLeg"}},
        "links": {"type": "object", "properties": {"google_maps": _URLS, "osm": _URLS}},
        "skipped": {"type": "array", "items": {"type": "string"}},
        "left_out": {"type": "array", "items": {"type": "object"}},
        "travel_times": {"type": "object"},
        "end": {"type": "object", "nullable": True},
        "region": {"type": "string", "nullable": True},
        "include_all": {"type": "boolean"},
        "dwell": {"type": "object"},
    },
}


def _one_of(labels: list[str]) -> str:
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else "".join(labels)


ROUTE_PATH: dict[str, Any] = {
    "get": {
        "summary": "Plan a visiting order, trips and days (or export the plan)",
        "description": ESTIMATE_NOTE,
        "operationId": "planRoute",
        "tags": ["route"],
        "parameters": [
            _route_param(
                "stops",
                "Place ids, comma-separated (or repeated)",
                {"type": "string"},
                "eiffel-tower,louvre",
            ),
            *(_route_param(p.name, p.adds, _filter_schema(p)) | _filter_style(p) for p in FILTER_PARAMS),
            _route_param(
                "start",
                "A place (id or name; the first stop), a town (offline), a station or address (geocoded) "
                "or LAT,LON",
                {"type": "string", "maxLength": 200},
                "London",
            ),
            _route_param(
                "end",
                "A place (id or name; the last stop), a town, a station or address, or LAT,LON",
                {"type": "string", "maxLength": 200},
            ),
            _route_param(
                "region",
                "Only the places of this region of the map (named from the data, e.g. paris); with a "
                "season, that season's places in it",
                {"type": "string"},
                "paris",
            ),
            _route_param(
                "include_all",
                "Also route to private, closed and not-identified places (left out by default)",
                {"type": "string", "enum": ["0", "1", "true", "false"]},
            ),
            _route_param(
                "dwell",
                "Minutes per kind of place, e.g. ticketed:120,street:5 (kinds: "
                + ", ".join(DWELL_MINUTES)
                + ")",
                {"type": "string"},
            ),
            _route_param(
                "round_trip",
                "Come back to the start",
                {"type": "string", "enum": ["0", "1", "true", "false"]},
            ),
            _route_param(
                "mode", "How you travel", {"type": "string", "enum": list(MODES), "default": "walk"}
            ),
            _route_param(
                "hours_per_day",
                "Hours per day",
                {"type": "number", "minimum": 1, "maximum": 16, "default": 8},
            ),
            _route_param(
                "stop_minutes",
                "Minutes at every stop (default: by kind of place, see dwell)",
                {"type": "number", "minimum": 0, "maximum": 480},
            ),
            _route_param(
                "order", "shortest tour or the story's order", {"type": "string", "enum": list(ORDERS)}
            ),
            _route_param("trip_km", "Places further apart than this form separate trips", {"type": "number"}),
            _route_param(
                "format", "Response format", {"type": "string", "enum": list(PLAN_FORMATS), "default": "json"}
            ),
        ],
        "responses": {
            "200": {
                "description": "The plan (JSON), or a "
                + _one_of([f.label for f in PLAN_FORMATS.values() if f.attachment])
                + " download",
                "content": {
                    fmt.media_type: {"schema": {"$ref": "#/components/schemas/RoutePlan"}}
                    if not fmt.attachment
                    else {"schema": {"type": "object" if fmt.media_type.endswith("json") else "string"}}
                    for fmt in PLAN_FORMATS.values()
                },
            },
            "400": problem_response("A bad parameter (named in the detail)", html=False),
            "404": problem_response("An unknown place id", html=False),
            "503": problem_response("The address search (geocoder) is unreachable", html=False),
        },
    }
}


def route_file_path(ext: str, media_type: str) -> dict[str, Any]:
    """`/api/route.<ext>`: the plan as one file format, with the route's parameters but `format`."""
    get = ROUTE_PATH["get"]
    body = {"type": "object"} if media_type.endswith("json") else {"type": "string", "format": "binary"}
    return {
        "get": {
            "summary": f"The plan as {ext.upper()} (a file download)",
            "description": get["description"],
            "operationId": f"planRoute{ext.capitalize()}",
            "tags": ["route"],
            "parameters": [p for p in get["parameters"] if p["name"] != "format"],
            "responses": {
                "200": {
                    "description": f"The plan as {ext.upper()}",
                    "content": {media_type: {"schema": body}},
                },
                "400": get["responses"]["400"],
                "404": get["responses"]["404"],
            },
        }
    }


def _paths() -> dict[str, dict[str, Any]]:
    paths = {PREFIX + path: item for path, item in OGC_PATHS.items()}
    health = {"application/json": "object"}
    paths["/healthz"] = _get("Health: ok, or the data file's problem (503)", health, [])
    paths["/openapi.json"] = _get("This OpenAPI document", {OPENAPI_TYPE: "object"}, [])
    for ext, exporter in EXPORTERS.items():
        paths[f"/download/locations.{ext}"] = _get(
            f"All places as {ext.upper()} (a file download)",
            {exporter.media_type: "object" if exporter.media_type.endswith("json") else "string"},
            list(FILTERS),
        )
    paths["/api/route"] = ROUTE_PATH
    for ext, fmt in PLAN_FORMATS.items():  # one operation per file format: one media type each
        if fmt.attachment:
            paths[f"/api/route.{ext}"] = route_file_path(ext, fmt.media_type)
    return paths


COMPONENTS: dict[str, dict[str, Any]] = {
    "parameters": PARAMETERS,
    "responses": {
        "BadRequest": problem_response("A bad parameter"),
        "NotFound": problem_response("Not found"),
    },
    "schemas": {"RouteStop": _STOP, "RouteLeg": _LEG, "RoutePlan": _PLAN},
}


def document(title: str, server_url: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{title} filming locations API", "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "paths": {path: _with_common_responses(item) for path, item in sorted(_paths().items())},
        "components": COMPONENTS,
    }


def ogc_document(title: str, server_url: str) -> dict[str, Any]:
    """The OGC paths only, relative to `server_url` (the API's base, e.g. http://host/ogc)."""
    full = document(title, server_url)
    full["paths"] = {
        path[len(PREFIX) :] or "/": item
        for path, item in full["paths"].items()
        if path.startswith(PREFIX + "/")
    }
    full["info"]["title"] = f"{title} filming locations - OGC API Features"
    return full
