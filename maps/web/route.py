"""Route planner: the page `GET /route` and its machine-readable twin `GET /api/route`.

Both read the same query parameters (`maps.route_params`), so a plan on the page is a deep link,
and the export buttons are the API with `format=gpx|geojson|kml`.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from .. import openapi
from ..errors import InvalidQuery, MapsError
from ..route import ESTIMATE_NOTE, plan_route
from ..route_exports import EXPORTS, day_colour, plan_document
from ..route_links import day_links, osm_url
from ..route_map import duration, route_map, with_route_data
from ..route_params import FORMATS, MODES, ORDERS, RouteRequest, parse_route_request
from .mapparts import map_parts, static_url
from .state import catalog

bp = Blueprint("route", __name__)


def _format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise InvalidQuery("format", f"{fmt[:40]!r} is not one of {', '.join(FORMATS)}")
    return fmt


@bp.get("/api/route")
def api():
    cat = catalog()
    fmt = _format()
    plan = plan_route(cat, parse_route_request(request.args, cat.series))
    if fmt == "json":
        return plan_document(plan, cat.series)
    export = EXPORTS[fmt]
    return Response(
        export.render(plan, cat.series),
        mimetype=export.media_type,
        headers={"Content-Disposition": f"attachment; filename=route.{export.extension}"},
    )


def _map_parts(plan):
    """The plan on the map module's base map, rendered like the main map (local assets, tiles
    from MAPS_TILES, one inline script for the template to wrap in a nonce'd <script>)."""
    place_url = _place_url if "pages.location" in current_app.view_functions else None
    fmap = route_map(plan, tiles=current_app.config["TILES"], asset_url=static_url, place_url=place_url)
    return with_route_data(map_parts(fmap), fmap)


def _place_url(place_id: str) -> str:
    return url_for("pages.location", location_id=place_id)


@bp.get("/route")
def planner():
    cat = catalog()
    places = sorted(cat.locations, key=lambda p: (p.first_scene_key, p.name.casefold()))
    context = {
        "series": cat.series,
        "places": places,
        "modes": MODES,
        "orders": ORDERS,
        "form": RouteRequest(),
        "plan": None,
        "error": None,
        "duration": duration,
        "day_colour": day_colour,
        "estimate_note": ESTIMATE_NOTE,
    }
    status = 200
    try:
        form = parse_route_request(request.args, cat.series)
        context["form"] = form
        if not form.empty:
            plan = plan_route(cat, form)
            query = form.as_query()
            context.update(
                plan=plan,
                document=plan_document(plan, cat.series),
                day_links=day_links(plan),
                osm_url=osm_url,
                map=_map_parts(plan),
                exports={
                    fmt: url_for("route.api", **_multi([*query, ("format", fmt)]))
                    for fmt in ("gpx", "geojson", "kml")
                },
                json_url=url_for("route.api", **_multi(query)),
            )
    except MapsError as exc:
        context["error"], status = str(exc), exc.status
    return render_template("route.html", **context), status


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


# ---------------------------------------------------------------------------------------------
# OpenAPI description (registered at import, so /openapi.json always lists this route)


def _param(name: str, description: str, schema: dict, example=None) -> dict:
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
        "mode": {"type": "string", "enum": list(MODES)},
        "kind": {"type": "string", "enum": ["day", "transfer"]},
        "trip": {"type": "integer"},
        "day": {"type": "integer", "nullable": True},
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
        "stop_minutes": {"type": "number"},
        "exact": {"type": "boolean", "description": "true when the order is provably the shortest"},
        "estimate_note": {"type": "string"},
        "days": {"type": "array", "items": {"type": "object"}},
        "trips": {"type": "array", "items": {"type": "object"}},
        "transfers": {"type": "array", "items": {"$ref": "#/components/schemas/RouteLeg"}},
        "links": {"type": "object", "properties": {"google_maps": _URLS, "osm": _URLS}},
        "skipped": {"type": "array", "items": {"type": "string"}},
    },
}
openapi.register_components("schemas", {"RouteStop": _STOP, "RouteLeg": _LEG, "RoutePlan": _PLAN})
openapi.register_path(
    "/api/route",
    {
        "get": {
            "summary": "Plan a visiting order, trips and days (or export the plan)",
            "description": ESTIMATE_NOTE,
            "operationId": "planRoute",
            "tags": ["route"],
            "parameters": [
                _param(
                    "stops",
                    "Place ids, comma-separated (or repeated)",
                    {"type": "string"},
                    "eiffel-tower,louvre",
                ),
                _param("season", "Add every place of this season (repeatable)", {"type": "integer"}),
                _param("episode", "Add places of an episode: 5 or S2E5", {"type": "string"}),
                _param("character", "Add places where this character appears", {"type": "string"}),
                _param("q", "Add places whose text matches", {"type": "string"}),
                _param("start", "A place id (the first stop) or LAT,LON", {"type": "string"}),
                _param("end", "A place id (the last stop) or LAT,LON", {"type": "string"}),
                _param(
                    "round_trip",
                    "Come back to the start",
                    {"type": "string", "enum": ["0", "1", "true", "false"]},
                ),
                _param("mode", "How you travel", {"type": "string", "enum": list(MODES), "default": "walk"}),
                _param(
                    "hours_per_day",
                    "Hours per day",
                    {"type": "number", "minimum": 1, "maximum": 16, "default": 8},
                ),
                _param(
                    "stop_minutes", "Minutes at each stop", {"type": "number", "minimum": 0, "maximum": 480}
                ),
                _param(
                    "order", "shortest tour or the story's order", {"type": "string", "enum": list(ORDERS)}
                ),
                _param("trip_km", "Places further apart than this form separate trips", {"type": "number"}),
                _param(
                    "format", "Response format", {"type": "string", "enum": list(FORMATS), "default": "json"}
                ),
            ],
            "responses": {
                "200": {
                    "description": "The plan (JSON), or a GPX, GeoJSON or KML download",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/RoutePlan"}},
                        "application/gpx+xml": {"schema": {"type": "string"}},
                        "application/geo+json": {"schema": {"type": "object"}},
                        "application/vnd.google-earth.kml+xml": {"schema": {"type": "string"}},
                    },
                },
                "400": openapi.problem_response("A bad parameter (named in the detail)", html=False),
                "404": openapi.problem_response("An unknown place id", html=False),
            },
        }
    },
)
