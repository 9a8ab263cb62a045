"""The OpenAPI description of the OGC API, the downloads and the health check, registered in `maps.openapi`.

Two views of one registry: `/openapi.json` describes every JSON route of the app, and
`/ogc/api` (the landing page's `service-desc`) is the same OGC paths relative to `/ogc`, which is
what OGC clients expect: GDAL looks up `/collections/{collectionId}/items` in it and pushes a
`-where "season = 2"` down to the server only when `season` is listed there."""

from __future__ import annotations

from typing import Any

from . import openapi
from .exports import EXPORTERS
from .ogc import DEFAULT_LIMIT, MAX_LIMIT, OPENAPI_TYPE

PREFIX = "/ogc"


def _param(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    } | extra


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
    "limit": _param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        f"Features per page (larger values are served {MAX_LIMIT})",
    ),
    "offset": _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Features to skip"),
    "season": _param(
        "season",
        {"type": "integer", "minimum": 1},
        "Places filmed in this season (repeatable); each place keeps only that season's scenes",
    ),
    "episode": _param("episode", {"type": "string"}, "Episode number or code such as S2E4"),
    "character": _param("character", {"type": "string", "maxLength": 200}, "A character in a scene"),
    "q": _param("q", {"type": "string", "maxLength": 200}, "Text in name, locality, story place or notes"),
    "watched": _param("watched", {"type": "string"}, "Spoiler guard: scenes up to this episode (S2E4)"),
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
}
FILTERS = ("season", "episode", "character", "q", "watched")


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
        ["collectionId", "f", "bbox", "limit", "offset", *FILTERS],
        not_found=True,
    ),
    "/collections/{collectionId}/items/{featureId}": _get(
        "One place (GeoJSON Feature)", GEOJSON_HTML, ["collectionId", "featureId", "f"], not_found=True
    ),
}


def register() -> None:
    openapi.register_components("parameters", PARAMETERS)
    openapi.register_components(
        "responses",
        {
            "BadRequest": openapi.problem_response("A bad parameter"),
            "NotFound": openapi.problem_response("Not found"),
        },
    )
    for path, item in OGC_PATHS.items():
        openapi.register_path(PREFIX + path, item)
    health = {"application/json": "object"}
    openapi.register_path("/healthz", _get("Health: ok, or the data file's problem (503)", health, []))
    openapi.register_path("/openapi.json", _get("This OpenAPI document", {OPENAPI_TYPE: "object"}, []))
    for ext, exporter in EXPORTERS.items():
        openapi.register_path(
            f"/download/locations.{ext}",
            _get(
                f"All places as {ext.upper()} (a file download)",
                {exporter.media_type: "object" if exporter.media_type.endswith("json") else "string"},
                list(FILTERS),
            ),
        )


def ogc_document(title: str, server_url: str) -> dict[str, Any]:
    """The OGC paths only, relative to `server_url` (the API's base, e.g. http://host/ogc)."""
    full = openapi.document(title, server_url)
    full["paths"] = {
        path[len(PREFIX) :] or "/": item
        for path, item in full["paths"].items()
        if path.startswith(PREFIX + "/")
    }
    full["info"]["title"] = f"{title} filming locations - OGC API Features"
    return full


register()
