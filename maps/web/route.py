"""Route planner: the page `GET /route` and its machine-readable twin `GET /api/route`.

Both read the same query parameters (`maps.route.request`), so a plan on the page is a deep link,
and the export buttons are the API with `format=gpx|geojson|kml`. Both resolve a start or end
through the same geocoder (MAPS_GEOCODER_URL, rate-limited process-wide, cached on disk) and
time legs with the same provider (the routing engine when ROUTING_TILES is set, else estimates).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for

from maps import config
from maps.dataset.filters import parse_filters, select
from maps.dataset.geocode import make_geocoder
from maps.errors import InvalidQuery, MapsError, NotFound
from maps.formats.registry import PLAN_FORMATS
from maps.route.formats import day_colour, plan_document
from maps.route.guide import guide_days
from maps.route.links import day_links, osm_url
from maps.route.map import route_map, with_route_data
from maps.route.plan import plan_route
from maps.route.regions import find_regions
from maps.route.request import FORMATS, MODES, ORDERS, RouteRequest, parse_route_request
from maps.route.text import duration
from maps.route.transfers import ALL_MODES
from maps.route.travel import travel_times
from maps.route.visits import DWELL_MINUTES
from maps.web import caching, http
from maps.web.mapparts import map_parts, static_url
from maps.web.state import catalog
from maps.web.staticsite import public_root

bp = Blueprint("route", __name__)


@bp.record_once
def _settings(state) -> None:
    """The geocoder's settings, read from the environment once, when the app is made (a test may
    pass its own GEOCODER_SETTINGS to create_app)."""
    state.app.config.setdefault("GEOCODER_SETTINGS", config.geocoder_settings())


@bp.after_request
def _cors(response: Response) -> Response:
    """`/api/route` is open to other sites' scripts, like the OGC API (the page is not)."""
    if request.path.startswith("/api/"):
        http.add_cors(response)
        caching.mark_data_answer(response)  # the same plan for the same URL
    return response


def _format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise InvalidQuery("format", f"{fmt[:40]!r} is not one of {', '.join(FORMATS)}")
    return fmt


def _geocode(query: str):
    """The app's geocoder, made on first use (the rate limit is shared process-wide anyway)."""
    geocoder = current_app.extensions.get("maps.geocoder")
    if geocoder is None:
        geocoder = make_geocoder(current_app.config["GEOCODER_SETTINGS"])
        current_app.extensions["maps.geocoder"] = geocoder
    return geocoder(query)


def _plan(cat, form: RouteRequest):
    travel = travel_times(current_app.config.get("ROUTING_TILES"))
    return plan_route(cat, form, geocode=_geocode, travel=travel)


@bp.get("/api/route")
def api():
    return _answer(_format())


@bp.get("/api/route.<ext>")
def api_file(ext: str):
    """One URL per export format (`/api/route.gpx`), so each has a single media type in the
    OpenAPI document: what client generators need. The same as `/api/route?format=<ext>`."""
    if ext not in PLAN_FORMATS or not PLAN_FORMATS[ext].attachment:
        raise NotFound(f"no route format {ext[:20]!r}; available: {', '.join(_file_formats())}")
    if "format" in request.args:
        raise InvalidQuery("format", "the format is in the path here: leave out format=")
    return _answer(ext)


def _file_formats() -> list[str]:
    return [ext for ext, fmt in PLAN_FORMATS.items() if fmt.attachment]


def _answer(fmt: str) -> Response | dict:
    cat = catalog()
    plan = _plan(cat, parse_route_request(request.args, cat.series))
    export = PLAN_FORMATS[fmt]
    if not export.attachment:
        return plan_document(plan, cat.series)  # the API's own JSON answer
    return Response(
        export.render(plan, cat.series, public_root().rstrip("/")),
        mimetype=export.media_type,
        headers={"Content-Disposition": f"attachment; filename=route.{export.ext}"},
    )


def _map_parts(plan, bbox=None):
    """The plan on the map module's base map, rendered like the main map (local assets, tiles
    from MAPS_TILES, one inline script for the template to wrap in a nonce'd <script>)."""
    place_url = _place_url if "pages.location" in current_app.view_functions else None
    fmap = route_map(
        plan, tiles=current_app.config["TILES"], asset_url=static_url, place_url=place_url, bbox=bbox
    )
    return with_route_data(map_parts(fmap), fmap)


def _place_url(place_id: str) -> str:
    return url_for("pages.location", location_id=place_id)


@bp.get("/route")
def planner():
    cat = catalog()
    # The spoiler guard: the form names no place filmed after the fan's watched point.
    guard = parse_filters({"watched": request.args.get("watched", "")}, cat.series)
    places = sorted(select(cat.locations, guard), key=lambda p: (p.first_scene_key, p.name.casefold()))
    travel = travel_times(current_app.config.get("ROUTING_TILES"))
    context = {
        "series": cat.series,
        "places": places,
        "regions": find_regions(cat),
        "modes": MODES,
        "all_modes": ALL_MODES,
        "orders": ORDERS,
        "dwell_defaults": DWELL_MINUTES,
        "form": RouteRequest(),
        "plan": None,
        "error": None,
        "duration": duration,
        "day_colour": day_colour,
        "estimate_note": travel.note,
        "engine": not travel.estimate,
    }
    status = 200
    try:
        form = parse_route_request(request.args, cat.series)
        context["form"] = form
        if not form.empty:
            plan = _plan(cat, form)
            query = form.as_query()
            context.update(
                plan=plan,
                form=plan.request,  # with the start and end resolved (a town, an address...)
                document=plan_document(plan, cat.series),
                day_links=day_links(plan),
                guide=guide_days(plan, cat.series, guard),
                osm_url=osm_url,
                map=_map_parts(plan),
                exports=[
                    (export, url_for("route.api", **_multi([*query, ("format", ext)])))
                    for ext, export in PLAN_FORMATS.items()
                    if export.attachment
                ],
                json_url=url_for("route.api", **_multi(query)),
                include_all_url=url_for("route.planner", **_multi([*query, ("include_all", "1")])),
            )
    except MapsError as exc:
        context["error"], status = str(exc), exc.status
    if context["plan"] is None:  # an empty map to pick a start or end on
        context["map"] = _map_parts(None, bbox=cat.bbox)
    return render_template("route.html", **context), status


def _multi(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Query pairs as url_for() keywords (a repeated key becomes a list)."""
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out
