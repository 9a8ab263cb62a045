"""Hand-off links: Google Maps directions per day, OpenStreetMap directions per leg.

Google Maps URLs (https://developers.google.com/maps/documentation/urls) accept at most 9
waypoints between origin and destination on desktop (fewer on mobile), so a long day is split
into several links that follow on from each other (one ends where the next starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from maps.route.plan import Day, Leg, Plan, Waypoint
from maps.route.request import MODES

GOOGLE_MAX_WAYPOINTS = 9
GOOGLE_DIR = "https://www.google.com/maps/dir/"
OSM_DIR = "https://www.openstreetmap.org/directions"


def _ll(point: Waypoint) -> str:
    return f"{point.lat:.6f},{point.lon:.6f}"


def google_maps_urls(points: Sequence[Waypoint], travelmode: str) -> list[str]:
    """Directions through `points` in order, as few URLs as the waypoint limit allows."""
    if not points:
        return []
    if len(points) == 1:  # from wherever the phone is to the one place of the day
        return [
            GOOGLE_DIR + "?" + urlencode({"api": 1, "destination": _ll(points[0]), "travelmode": travelmode})
        ]
    urls = []
    step = GOOGLE_MAX_WAYPOINTS + 1
    for first in range(0, len(points) - 1, step):
        chunk = points[first : first + step + 1]
        query = {"api": 1, "origin": _ll(chunk[0]), "destination": _ll(chunk[-1]), "travelmode": travelmode}
        if len(chunk) > 2:
            query["waypoints"] = "|".join(_ll(p) for p in chunk[1:-1])
        urls.append(GOOGLE_DIR + "?" + urlencode(query))
    return urls


def osm_url(leg: Leg) -> str:
    engine = MODES[leg.mode].osm_engine
    return OSM_DIR + "?" + urlencode({"engine": engine, "route": f"{_ll(leg.origin)};{_ll(leg.target)}"})


def day_points(day: Day, plan: Plan) -> list[Waypoint]:
    """Where the day's directions start (the previous stop when the first leg is part of the day),
    every stop of the day, and the way home when it fits into the day."""
    points = [stop.point for stop in day.stops]
    first = day.stops[0].leg if day.stops else None
    if first is not None and first.day == day.number:
        points.insert(0, first.origin)
    if plan.finish is not None and plan.finish.day == day.number:
        points.append(plan.finish.target)
    return points


def day_links(plan: Plan) -> dict[int, list[str]]:
    travelmode = plan.mode.google
    return {day.number: google_maps_urls(day_points(day, plan), travelmode) for day in plan.days}


def plan_links(plan: Plan) -> dict[str, list[str]]:
    per_day = day_links(plan)
    return {
        "google_maps": [url for day in plan.days for url in per_day[day.number]],
        "osm": [osm_url(leg) for leg in plan.legs],
    }
