"""Hand-off links: Google Maps directions per day, OpenStreetMap directions per leg.

Google Maps URLs (https://developers.google.com/maps/documentation/urls) accept at most 9
waypoints between origin and destination on desktop (fewer on mobile), so a long day is split
into several links that follow on from each other (one ends where the next starts). A day's
directions start where that day starts (the start point, a station, last night's stop), and
a change of travel mode (a walk, then a train) starts a new link, since one link has one mode;
public-transport links carry no waypoints (Google plans transit between two points only).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from urllib.parse import urlencode

from maps.route.plan import Day, Leg, Plan, Waypoint
from maps.route.transfers import mode as leg_mode

GOOGLE_MAX_WAYPOINTS = 9
GOOGLE_DIR = "https://www.google.com/maps/dir/"
OSM_DIR = "https://www.openstreetmap.org/directions"


def _ll(point: Waypoint) -> str:
    return f"{point.lat:.6f},{point.lon:.6f}"


def google_maps_urls(points: Sequence[Waypoint], travelmode: str) -> list[str]:
    """Directions through `points` in order, as few URLs as the waypoint limit allows."""
    if travelmode == "transit" and len(points) > 2:
        return [url for pair in pairwise(points) for url in google_maps_urls(list(pair), travelmode)]
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
    engine = leg_mode(leg.mode).osm_engine
    return OSM_DIR + "?" + urlencode({"engine": engine, "route": f"{_ll(leg.origin)};{_ll(leg.target)}"})


def day_points(day: Day, plan: Plan) -> list[Waypoint]:
    """Where the day starts, then where each of its legs arrives (its stops, the way home)."""
    start = day.start
    return ([start] if start is not None else []) + [leg.target for leg in day.legs]


def day_runs(day: Day) -> list[tuple[str, list[Waypoint]]]:
    """The day's points cut where Google's travel mode changes: (travelmode, points) per run."""
    if not day.legs:
        return [("walking", [day.start])] if day.start is not None else []
    runs: list[tuple[str, list[Waypoint]]] = []
    for leg in day.legs:
        travelmode = leg_mode(leg.mode).google
        if runs and runs[-1][0] == travelmode and runs[-1][1][-1] == leg.origin:
            runs[-1][1].append(leg.target)
        else:
            runs.append((travelmode, [leg.origin, leg.target]))
    return runs


def day_links(plan: Plan) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for day in plan.days:
        if not day.legs:  # a day of one start place: directions to it from wherever the phone is
            out[day.number] = google_maps_urls(day_points(day, plan), plan.mode.google)
            continue
        out[day.number] = [url for mode, points in day_runs(day) for url in google_maps_urls(points, mode)]
    return out


def plan_links(plan: Plan) -> dict[str, list[str]]:
    per_day = day_links(plan)
    return {
        "google_maps": [url for day in plan.days for url in per_day[day.number]],
        "osm": [osm_url(leg) for leg in plan.legs],
    }
