"""The route drawn on the map module's base map: numbered stops in visiting order, legs coloured
per day, transfers dashed.

Why not Folium's Marker/Popup/Tooltip: branca compiles every rendered element's output as a
Jinja template again, so a place named "{{ 7*7 }}" would run on the server, and Folium's
Popup/Tooltip put their text inside JavaScript template literals, where "${...}" runs in the
browser (under the page's nonce). Instead the plan goes to the page as one HTML-safe JSON
document (`<script type="application/json">`, never executed, never seen by Jinja) and
`static/route_map.js` draws it with DOM text nodes only. The map itself (local assets, tiles from
the configured provider, no inline script but the map's own) is `mapview.base_map`.

No Flask in here: the caller passes `asset_url` and renders with `maps.web.mapparts.map_parts`,
then `with_route_data` appends the data block to the map's HTML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import folium
from branca.element import JavascriptLink, MacroElement
from folium.template import Template

from maps import mapview
from maps.geometry import BBox
from maps.route.formats import day_colour
from maps.route.plan import Plan
from maps.route.text import duration
from maps.route.transfers import mode as leg_mode

TRANSFER_COLOUR = "#555555"
ROUTE_JS = "route_map.js"
PlaceUrl = Callable[[str], str]  # place id -> URL of its page


def _at(point) -> list[float]:
    return [round(point.lat, 6), round(point.lon, 6)]


def route_data(plan: Plan, *, place_url: PlaceUrl | None = None) -> dict:
    """Everything the client draws, as plain values (text stays text: route_map.js never parses
    it as HTML). Legs in travel order, stops in visiting order with their number and day colour,
    a bare start/end point as a dot."""
    legs = []
    for leg in plan.legs:
        transfer = leg.kind == "transfer"
        what = f"Day {leg.day}, transfer" if transfer else f"Day {leg.day}"
        path = [[round(lat, 6), round(lon, 6)] for lat, lon in leg.path] if leg.path else None
        legs.append(
            {
                "path": path or [_at(leg.origin), _at(leg.target)],
                "streets": bool(path),
                "kind": "transfer" if transfer else "day",
                "day": leg.day,
                "colour": TRANSFER_COLOUR if transfer else day_colour(leg.day),
                "label": f"{what}: {leg.origin.name} → {leg.target.name}: "
                f"{leg.km:.1f} km, about {duration(leg.minutes)} {leg_mode(leg.mode).label}",
            }
        )
    stops = []
    for stop in plan.stops:
        point = stop.point
        record = {
            "order": stop.order,
            "name": point.name,
            "at": _at(point),
            "day": stop.day,
            "trip": stop.trip,
            "colour": day_colour(stop.day),
        }
        if point.place is not None:
            if point.place.access_advice:
                record["access"] = point.place.access_advice
            if place_url and point.id:
                record["url"] = place_url(point.id)
        stops.append(record)
    ends = []
    for extra, label in ((plan.start, "Start"), (plan.finish.target if plan.finish else None, "End")):
        if extra is not None and extra.place is None:
            ends.append({"label": f"{label}: {extra.name}", "at": _at(extra)})
    return {"legs": legs, "stops": stops, "ends": ends}


def plan_bbox(plan: Plan) -> BBox:
    points = [s.point for s in plan.stops]
    points += [p for p in (plan.start, plan.finish.target if plan.finish else None) if p is not None]
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    return (min(lons), min(lats), max(lons), max(lats))


class RouteLayer(MacroElement):
    """One call, `routeMap.draw(map, "<data id>")`, plus a link to route_map.js. The only value
    in the template is the element's own name: the plan never passes through Jinja."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        'routeMap.draw({{ this._parent.get_name() }}, "{{ this.get_name() }}");'
        "{% endmacro %}"
    )

    def __init__(self, data: dict, script_url: str) -> None:
        super().__init__()
        self._name = "RouteLayer"
        self.payload = mapview.json_for_html(data)
        self.script_url = script_url

    def render(self, **kwargs) -> None:  # type: ignore[override]  # branca's MacroElement.render returns None
        header = mapview.page_root(self).header
        header.add_child(JavascriptLink(self.script_url), name="local:" + self.script_url)
        super().render(**kwargs)

    def data_html(self) -> str:
        return f'<script type="application/json" id="{self.get_name()}">{self.payload}</script>'


def route_map(
    plan: Plan | None,
    *,
    tiles: str,
    asset_url: mapview.AssetUrl,
    place_url: PlaceUrl | None = None,
    bbox: BBox | None = None,
) -> folium.Map:
    """The plan on `mapview.base_map` (tiles from the provider named by `tiles`, assets from
    `asset_url`, locate and full-screen controls), framed to every stop. Without a plan, an empty
    map framed to `bbox`: a click on it still picks a start or end for the form."""
    frame = plan_bbox(plan) if plan is not None else bbox
    fmap = mapview.base_map(frame, tiles=tiles, asset_url=asset_url, max_zoom=16)
    empty: dict = {"legs": [], "stops": [], "ends": []}
    data = route_data(plan, place_url=place_url) if plan is not None else empty
    fmap.add_child(RouteLayer(data, asset_url(ROUTE_JS)))
    return fmap


def with_route_data(parts: mapview.MapParts, fmap: folium.Map) -> mapview.MapParts:
    """Rendered parts plus the route's JSON block (kept out of Folium's templates)."""
    data = "".join(c.data_html() for c in fmap._children.values() if isinstance(c, RouteLayer))
    return dataclasses.replace(parts, html=parts.html + data)
