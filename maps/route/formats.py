"""A plan as data: the JSON document (the `/api/route` contract), GPX, GeoJSON and KML.

Text from the dataset (names, notes) is cleaned of what XML cannot carry (`clean_text`, the same
as the place downloads) and escaped by gpxpy, ElementTree (`maps.formats.kmldoc`) and json;
nothing is pasted into markup by hand.
"""

from __future__ import annotations

import json
from typing import Any, overload

import gpxpy.gpx
from shapely.geometry import Point

from maps.dataset.episodes import Series
from maps.formats import kmldoc
from maps.formats.text import clean_text
from maps.route.links import day_links, osm_url, plan_links
from maps.route.plan import ESTIMATE_NOTE, Leg, Plan, Stop, Waypoint

DAY_COLOURS = ("#c2185b", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457")


def day_colour(day: int | None) -> str:
    return DAY_COLOURS[((day or 1) - 1) % len(DAY_COLOURS)]


def _km(value: float) -> float:
    return round(value, 3)


def _min(value: float) -> float:
    return round(value, 1)


@overload
def leg_document(leg: Leg) -> dict[str, Any]: ...
@overload
def leg_document(leg: None) -> None: ...
def leg_document(leg: Leg | None) -> dict[str, Any] | None:
    """One leg as JSON (None for the first stop, which no leg leads to)."""
    if leg is None:
        return None
    return {
        "from": leg.origin.name,
        "from_id": leg.origin.id,
        "to": leg.target.name,
        "to_id": leg.target.id,
        "km": _km(leg.km),
        "minutes": _min(leg.minutes),
        "mode": leg.mode,
        "kind": leg.kind,
        "trip": leg.trip,
        "day": leg.day,
        "osm": osm_url(leg),
    }


def scene_lines(stop: Stop, series: Series) -> list[dict[str, Any]]:
    place = stop.point.place
    scenes = sorted(place.scenes, key=lambda s: s.sort_key) if place else []
    return [
        {
            "season": s.season,
            "episode": s.episode,
            "label": series.scene_label(s.season, s.episode),
            "note": s.note,
        }
        for s in scenes
    ]


def notes_text(stop: Stop, series: Series) -> str:
    """Plain text for GPX/KML descriptions: what the place plays, the scenes, access advice."""
    place = stop.point.place
    lines = [f"{line['label']}: {line['note']}" for line in scene_lines(stop, series)]
    if place and place.story_place:
        lines.insert(0, f"In the story: {place.story_place}")
    if place and place.access_advice:
        lines.append(place.access_advice)
    return "\n".join(lines)


def _point(point: Waypoint) -> dict[str, Any]:
    return {"name": point.name, "lat": round(point.lat, 6), "lon": round(point.lon, 6)}


def plan_document(plan: Plan, series: Series) -> dict[str, Any]:
    """The plan as JSON: stops in visiting order, totals, days, trips, transfers and links."""
    per_day = day_links(plan)
    stops = []
    for stop in plan.stops:
        place = stop.point.place
        stops.append(
            {
                "id": stop.point.id,
                "name": stop.point.name,
                "order": stop.order,
                "trip": stop.trip,
                "day": stop.day,
                "leg_km": _km(stop.leg.km) if stop.leg else 0.0,
                "leg_minutes": _min(stop.leg.minutes) if stop.leg else 0.0,
                "leg_kind": stop.leg.kind if stop.leg else "start",
                "cumulative_km": _km(stop.cumulative_km),
                "cumulative_minutes": _min(stop.cumulative_minutes),
                **_point(stop.point),
                "locality": place.locality if place else None,
                "access": place.access if place else None,
                "access_advice": place.access_advice if place else None,
                "story_place": place.story_place if place else None,
                "scenes": scene_lines(stop, series),
                "osm": osm_url(stop.leg) if stop.leg else None,
            }
        )
    mode = plan.mode
    return {
        "stops": stops,
        "start": _point(plan.start) if plan.start else None,
        "finish": leg_document(plan.finish),
        "total_km": _km(plan.total_km),
        "total_minutes": _min(plan.total_minutes),
        "mode": {"name": mode.name, "label": mode.label, "kmh": mode.kmh, "detour": mode.detour},
        "order": plan.request.order,
        "round_trip": plan.request.round_trip,
        "hours_per_day": plan.request.hours_per_day,
        "stop_minutes": plan.request.stop_minutes,
        "exact": plan.exact,
        "estimate_note": ESTIMATE_NOTE,
        "days": [
            {
                "day": day.number,
                "trip": day.trip,
                "stops": [s.point.id for s in day.stops],
                "travel_km": _km(day.travel_km),
                "travel_minutes": _min(day.minutes - day.visit_minutes),
                "visit_minutes": _min(day.visit_minutes),
                "minutes": _min(day.minutes),
                "google_maps": per_day[day.number],
            }
            for day in plan.days
        ],
        "trips": [
            {
                "trip": trip.number,
                "days": [d.number for d in trip.days],
                "stops": [s.point.id for s in trip.stops],
                "transfer_in": leg_document(trip.transfer_in),
            }
            for trip in plan.trips
        ],
        "transfers": [leg_document(leg) for leg in plan.transfers],
        "links": plan_links(plan),
        "skipped": plan.skipped,
    }


def route_points(plan: Plan) -> list[tuple[str, Waypoint, Stop | None]]:
    """Every point in travel order, labelled: a bare start, numbered stops, then the finish."""
    out: list[tuple[str, Waypoint, Stop | None]] = []
    if plan.start:
        out.append(("Start", plan.start, None))
    out += [(f"{s.order}. {s.point.name}", s.point, s) for s in plan.stops]
    if plan.finish:
        label = "Back to the start" if plan.request.round_trip else "End"
        out.append((label, plan.finish.target, None))
    return out


def _page(base_url: str, point: Waypoint) -> str | None:
    return f"{base_url.rstrip('/')}/locations/{point.id}" if base_url and point.id else None


def to_gpx(plan: Plan, series: Series, base_url: str = "") -> str:
    """A GPX route (every point in order) plus a waypoint per stop, each with its notes, a
    `<type>` (its seasons) and, when the site's address is known, a `<link>` to its page."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "heartstopper-maps route planner"
    gpx.name = clean_text(f"{series.title} filming locations: {len(plan.stops)} stops")
    gpx.description = ESTIMATE_NOTE
    route = gpxpy.gpx.GPXRoute(name=gpx.name, description=ESTIMATE_NOTE)
    for label, point, stop in route_points(plan):
        fields: dict[str, Any] = {
            "name": clean_text(label),
            "description": clean_text(notes_text(stop, series)) if stop else None,
            "type": _seasons(stop, series) if stop else ("start" if label == "Start" else "end"),
        }
        page = _page(base_url, point)
        link = (page, clean_text(point.name), "text/html") if page else (None, None, None)
        targets: tuple[tuple[list[Any], Any], ...] = (
            (route.points, gpxpy.gpx.GPXRoutePoint),
            (gpx.waypoints, gpxpy.gpx.GPXWaypoint),
        )
        for target, cls in targets:
            if target is gpx.waypoints and stop is None:
                continue  # waypoints are the places; the start and end are only route points
            gpx_point = cls(point.lat, point.lon, **fields)
            gpx_point.link, gpx_point.link_text, gpx_point.link_type = link
            target.append(gpx_point)
    gpx.routes.append(route)
    return gpx.to_xml(version="1.1")


def _seasons(stop: Stop, series: Series) -> str:
    place = stop.point.place
    return clean_text(", ".join(series.label(s) for s in place.seasons)) if place else "stop"


def _lonlat(point: Waypoint) -> list[float]:
    return [round(point.lon, 6), round(point.lat, 6)]


def to_geojson(plan: Plan, series: Series) -> dict[str, Any]:
    doc = plan_document(plan, series)
    features: list[dict[str, Any]] = []
    by_order = {s["order"]: s for s in doc["stops"]}
    for label, point, stop in route_points(plan):
        props: dict[str, Any]
        if stop is None:
            props = {"role": "start" if label == "Start" else "end", "name": point.name}
        else:
            props = {
                "role": "stop",
                **{k: v for k, v in by_order[stop.order].items() if k not in ("lat", "lon")},
            }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": _lonlat(point)},
                "properties": props,
            }
        )
    for number, leg in enumerate(plan.legs, start=1):
        props = {"role": "leg", "leg": number, **leg_document(leg)}
        coords = [_lonlat(leg.origin), _lonlat(leg.target)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def to_kml(plan: Plan, series: Series, base_url: str = "") -> str:
    """Stops and legs in two folders, legs coloured by day (transfers grey); valid KML 2.2 with
    ids from the plan (`stop-3`, `leg-2`), so the same plan gives the same bytes."""
    root, doc = kmldoc.document(f"{series.title} filming locations route", ESTIMATE_NOTE)
    stop_style = kmldoc.style(doc, "stop", "#c2185b", fill_alpha=0)
    days = sorted({leg.day for leg in plan.legs if leg.kind == "day" and leg.day})
    leg_styles = {d: kmldoc.style(doc, f"day-{d}", day_colour(d), icon=False, fill_alpha=0) for d in days}
    transfer = kmldoc.style(doc, "transfer", "#777777", icon=False, fill_alpha=0)
    stops = kmldoc.folder(doc, "Stops", "stops")
    for label, point, stop in route_points(plan):
        mark_id = f"stop-{stop.order}" if stop else ("start" if label == "Start" else "end")
        page = _page(base_url, point)
        text = notes_text(stop, series) if stop else point.name
        kmldoc.placemark(
            stops,
            mark_id,
            label,
            description=text + (f"\nMore: {page}" if page else ""),
            style_url=stop_style,
            geometry=Point(point.lon, point.lat),
            data={"id": point.id} if point.id else None,
        )
    legs = kmldoc.folder(doc, "Legs", "legs")
    for number, leg in enumerate(plan.legs, start=1):
        kmldoc.placemark(
            legs,
            f"leg-{number}",
            f"{leg.origin.name} → {leg.target.name}",
            description=f"{leg.km:.1f} km, about {leg.minutes:.0f} min ({leg.kind}, {leg.mode}). "
            + ESTIMATE_NOTE,
            style_url=leg_styles.get(leg.day, transfer) if leg.kind == "day" and leg.day else transfer,
            geometry=[(leg.origin.lon, leg.origin.lat), (leg.target.lon, leg.target.lat)],
        )
    return kmldoc.to_string(root)


def to_json(plan: Plan, series: Series, base_url: str = "") -> str:
    """The plan document as indented JSON (what `maps route --format json` prints)."""
    return json.dumps(plan_document(plan, series), ensure_ascii=False, indent=2)


def to_geojson_text(plan: Plan, series: Series, base_url: str = "") -> str:
    return json.dumps(to_geojson(plan, series), ensure_ascii=False)
