"""The route drawn with Folium: numbered stops in visiting order, legs coloured per day.

Kept to one small function so it can later move onto the map module's shared helpers. Markers
are Leaflet's own (DivIcon with a number, CircleMarker for a bare start/end): no awesome-markers,
Font Awesome or Bootstrap. Every asset is served by the app (`maps.web.assets.localise`), and all
text from the data is escaped before it reaches a tooltip or popup (Folium does not escape).
"""

from __future__ import annotations

import folium
import xyzservices
from markupsafe import Markup, escape

from .route import Plan
from .route_exports import day_colour

TRANSFER_COLOUR = "#555555"


def duration(minutes: float) -> str:
    hours, mins = divmod(round(minutes), 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def route_map(plan: Plan, tiles: str = "OpenStreetMap.Mapnik") -> folium.Map:
    provider = xyzservices.providers.query_name(tiles)
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False)
    folium.TileLayer(provider).add_to(fmap)
    for leg in plan.legs:
        transfer = leg.kind == "transfer"
        label = f"{leg.origin.name} → {leg.target.name}: {leg.km:.1f} km, about {duration(leg.minutes)}"
        folium.PolyLine(
            [(leg.origin.lat, leg.origin.lon), (leg.target.lat, leg.target.lon)],
            color=TRANSFER_COLOUR if transfer else day_colour(leg.day),
            weight=3 if transfer else 5,
            opacity=0.8,
            dash_array="6 8" if transfer else None,
            tooltip=str(escape(("Transfer: " if transfer else f"Day {leg.day}: ") + label)),
        ).add_to(fmap)
    for extra, label in ((plan.start, "Start"), (plan.finish.target if plan.finish else None, "End")):
        if extra is not None and extra.place is None:
            folium.CircleMarker(
                (extra.lat, extra.lon), radius=8, color="#222", fill=True, fill_opacity=0.9, tooltip=label
            ).add_to(fmap)
    for stop in plan.stops:
        point = stop.point
        colour = day_colour(stop.day)
        html = Markup('<span class="route-pin" style="background:{}">{}</span>').format(colour, stop.order)
        popup = Markup("<strong>{}. {}</strong><br>Day {} · trip {}").format(
            stop.order, point.name, stop.day, stop.trip
        )
        if point.place is not None and point.place.access_advice:
            popup += Markup("<br>{}").format(point.place.access_advice)
        folium.Marker(
            (point.lat, point.lon),
            icon=folium.DivIcon(
                html=str(html), icon_size=(28, 28), icon_anchor=(14, 14), class_name="route-icon"
            ),
            tooltip=str(escape(f"{stop.order}. {point.name}")),
            popup=folium.Popup(str(popup), max_width=280),
        ).add_to(fmap)
    lats = [p.lat for p in _all_points(plan)]
    lons = [p.lon for p in _all_points(plan)]
    fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return fmap


def _all_points(plan: Plan):
    yield from (s.point for s in plan.stops)
    if plan.start:
        yield plan.start
    if plan.finish:
        yield plan.finish.target
