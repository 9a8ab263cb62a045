"""Plan a pilgrimage: which places, in which order, split into regional trips and into days.

- Order: the shortest tour by geodesic distance (`maps.route.tsp`: exact up to 13 stops, iterated
  2-opt/Or-opt beyond), or the story's order (season, then episode) with `order=story`.
- Legs: geodesic distance and an *estimated* time (mode speed x detour factor). No road network
  is used; every output says so (`ESTIMATE_NOTE`).
- Trips: places are grouped by single linkage (a place joins a trip when it lies within
  `trip_km` of one of its places), so Paris and Kent are never one walk. A trip also ends before
  a leg too long to fit into a day. Travel between trips is reported separately, as transfers.
- Days: each trip is cut greedily into days whose travel plus visits fit `hours_per_day`.

No Flask here: the web layer, the API and the CLI all call `plan_route(catalog, request)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

import numpy as np

from maps.dataset.catalog import Catalog, Location
from maps.dataset.filters import select
from maps.errors import InvalidQuery
from maps.geometry import geodesic_km_matrix
from maps.route.request import MODES, Endpoint, Mode, RouteRequest
from maps.route.tsp import solve

ESTIMATE_NOTE = (
    "Times are estimates from straight-line (geodesic) distance times a detour factor at a typical "
    "speed; no road network is used. Check the directions links before you set off."
)
UNKNOWN_EPISODE = 99


@dataclass(frozen=True)
class Waypoint:
    """A place to visit, or a bare start/end point given as coordinates (`place` is None)."""

    id: str | None
    name: str
    lat: float
    lon: float
    place: Location | None = None


@dataclass
class Leg:
    origin: Waypoint
    target: Waypoint
    km: float
    minutes: float
    mode: str
    kind: str = "day"  # "day": part of a day's walk/drive; "transfer": between trips
    trip: int = 0
    day: int | None = None


@dataclass
class Stop:
    order: int
    point: Waypoint
    leg: Leg | None  # how we got here (None for a start place)
    trip: int = 0
    day: int = 0
    cumulative_km: float = 0.0
    cumulative_minutes: float = 0.0


@dataclass
class Day:
    number: int
    trip: int
    stops: list[Stop] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    visit_minutes: float = 0.0

    @property
    def travel_km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @property
    def minutes(self) -> float:
        return sum(leg.minutes for leg in self.legs) + self.visit_minutes


@dataclass
class Trip:
    number: int
    days: list[Day] = field(default_factory=list)
    transfer_in: Leg | None = None

    @property
    def stops(self) -> list[Stop]:
        return [stop for day in self.days for stop in day.stops]


@dataclass
class Plan:
    request: RouteRequest
    stops: list[Stop]
    legs: list[Leg]
    trips: list[Trip]
    start: Waypoint | None  # a bare start point (a start place is stops[0])
    finish: Leg | None  # the last leg: back to the start (round trip) or to an end point
    exact: bool
    skipped: list[str]

    @property
    def mode(self) -> Mode:
        return self.request.travel

    @property
    def days(self) -> list[Day]:
        return [day for trip in self.trips for day in trip.days]

    @property
    def transfers(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.kind == "transfer"]

    @property
    def total_km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @property
    def total_minutes(self) -> float:
        return sum(leg.minutes for leg in self.legs) + len(self.stops) * self.request.stop_minutes


def story_key(place: Location | None, seasons: tuple[int, ...] = ()) -> tuple[int, int, str]:
    """Season, then episode (unknown episodes last in their season), then name; a bare point
    (a start or end given as coordinates) has no story and sorts last."""
    if place is None:
        return (10**6, 0, "")
    keys = [
        (s.season, s.episode if s.episode is not None else UNKNOWN_EPISODE)
        for s in place.scenes
        if not seasons or s.season in seasons
    ]
    season, episode = min(keys, default=(10**6, 0))
    return (season, episode, place.name.casefold())


def _waypoint(place: Location) -> Waypoint:
    if place.latlon is None:  # _places() refuses these with a message first
        raise InvalidQuery("stops", f"{place.id!r} has no coordinates yet, so it cannot be routed")
    lat, lon = place.latlon
    return Waypoint(place.id, place.name, lat, lon, place)


def _bare(endpoint: Endpoint, name: str) -> Waypoint:
    if endpoint.latlon is None:
        raise InvalidQuery(name.lower(), "a start or end is a place id or LAT,LON")
    return Waypoint(None, name, *endpoint.latlon)


def _places(catalog: Catalog, request: RouteRequest) -> tuple[list[Location], list[str]]:
    """The places to visit: the ids asked for, plus every place the filters select (a season...)."""
    chosen: dict[str, Location] = {}
    for place_id in request.stops:
        place = catalog.get(place_id)  # LocationNotFound (404) names an unknown id
        if place.latlon is None:
            raise InvalidQuery("stops", f"{place_id!r} has no coordinates yet, so it cannot be routed")
        chosen[place_id] = place
    skipped = []
    if request.filters.active:
        for place in select(catalog.locations, request.filters):
            if place.latlon is None:
                skipped.append(place.id)
            else:
                chosen.setdefault(place.id, place)
    for key, endpoint in (("start", request.start), ("end", request.end)):
        if endpoint and endpoint.place_id:
            place = catalog.get(endpoint.place_id)
            if place.latlon is None:
                raise InvalidQuery(key, f"{place.id!r} has no coordinates yet")
            chosen.setdefault(place.id, place)
    if len(chosen) < 2:
        raise InvalidQuery("stops", f"choose at least two places with coordinates (got {len(chosen)})")
    return list(chosen.values()), skipped


def _clusters(dist: np.ndarray, threshold_km: float) -> list[int]:
    """Single-linkage groups: connected components of 'closer than threshold_km'."""
    n = len(dist)
    label = [-1] * n
    for seed in range(n):
        if label[seed] >= 0:
            continue
        label[seed], todo = seed, [seed]
        while todo:
            here = todo.pop()
            for other in np.flatnonzero(dist[here] < threshold_km):
                if label[other] < 0:
                    label[other] = seed
                    todo.append(int(other))
    return label


def _visit_order(points: list[Waypoint], dist, request: RouteRequest, start, end) -> tuple[list[int], bool]:
    if request.order == "story":
        seasons = request.filters.seasons
        middle = [i for i in range(len(points)) if i not in (start, end)]
        middle.sort(key=lambda i: story_key(points[i].place, seasons))
        head = [start] if start is not None else []
        tail = [end] if end is not None and end != start else []
        return head + _nearest_within_ties(middle, points, dist, head, seasons) + tail, True
    tour = solve(dist, start=start, end=end, round_trip=request.round_trip)
    return tour.order, tour.exact


def _nearest_within_ties(middle, points, dist, head, seasons) -> list[int]:
    """Places of the same episode (or of the same season, episode unknown) have no story order
    between them: visit them nearest first from wherever the story left us."""
    out: list[int] = []
    for _, group in groupby(middle, key=lambda i: story_key(points[i].place, seasons)[:2]):
        todo = list(group)
        while todo:
            here = (out or head or [None])[-1]
            nxt = todo[0] if here is None else min(todo, key=lambda i: (dist[here, i], i))
            todo.remove(nxt)
            out.append(nxt)
    return out


def plan_route(catalog: Catalog, request: RouteRequest) -> Plan:
    places, skipped = _places(catalog, request)
    points = [_waypoint(p) for p in places]
    index = {p.id: i for i, p in enumerate(points)}
    bare_start = bare_end = None
    start = end = None
    if request.start:
        if request.start.place_id:
            start = index[request.start.place_id]
        else:
            bare_start, start = _bare(request.start, "Start"), len(points)
            points.append(bare_start)
    if request.end and not request.round_trip:
        if request.end.place_id:
            end = index[request.end.place_id]
        else:
            bare_end, end = _bare(request.end, "End"), len(points)
            points.append(bare_end)
    dist = geodesic_km_matrix([p.lat for p in points], [p.lon for p in points])
    order, exact = _visit_order(points, dist, request, start, end)
    if request.round_trip:
        order = [*order, order[0]]
    return _assemble(request, points, dist, order, exact, skipped, bare_start, bare_end)


def _assemble(request, points, dist, order, exact, skipped, bare_start, bare_end) -> Plan:
    mode = request.travel
    transfer_mode = MODES["transit"] if mode.name in ("walk", "cycle") else mode
    limit = request.hours_per_day * 60.0
    visit = request.stop_minutes
    region = _clusters(dist, request.trip_km)
    trips: list[Trip] = []
    stops: list[Stop] = []
    legs: list[Leg] = []
    finish = None
    used = 0.0  # minutes of the current day
    km_so_far = minutes_so_far = 0.0
    for step, node in enumerate(order):
        point = points[node]
        is_stop = point.place is not None and not (request.round_trip and step == len(order) - 1)
        leg = None
        if step > 0:
            prev = order[step - 1]
            km = float(dist[prev, node])
            leg = Leg(points[prev], point, km, mode.minutes(km), mode.name)
            legs.append(leg)
        stay = visit if is_stop else 0.0
        if leg is None:  # the first point: a start place, or a bare start point
            trips.append(Trip(1, [Day(1, 1)]))
        else:
            same_region = region[order[step - 1]] == region[node]
            fits_alone = leg.minutes + stay <= limit
            fits_today = used + leg.minutes + stay <= limit
            if same_region and fits_today:
                pass
            elif same_region and fits_alone and is_stop:
                trips[-1].days.append(Day(_next_day(trips), trips[-1].number))
                used = 0.0
            elif is_stop:  # another region, or too far for one day: a transfer, then a new trip
                leg.kind, leg.mode = "transfer", transfer_mode.name
                leg.minutes = transfer_mode.minutes(leg.km)
                if trips[-1].stops or trips[-1].transfer_in:
                    trips.append(Trip(len(trips) + 1, [Day(_next_day(trips), len(trips) + 1)]))
                trips[-1].transfer_in = leg
                used = 0.0
            else:  # the way home does not fit the last day: report it as a transfer
                leg.kind, leg.mode = "transfer", transfer_mode.name
                leg.minutes = transfer_mode.minutes(leg.km)
            day = trips[-1].days[-1]
            leg.trip = trips[-1].number
            if leg.kind == "day":
                leg.day = day.number
                day.legs.append(leg)
                used += leg.minutes
            km_so_far += leg.km
            minutes_so_far += leg.minutes
        if is_stop:
            day = trips[-1].days[-1]
            stop = Stop(len(stops) + 1, point, leg, trips[-1].number, day.number, km_so_far, minutes_so_far)
            stops.append(stop)
            day.stops.append(stop)
            day.visit_minutes += stay
            used += stay
            minutes_so_far += stay
        elif step > 0:
            finish = leg
    trips = [t for t in trips if t.stops]
    return Plan(request, stops, legs, trips, bare_start, finish, exact, skipped)


def _next_day(trips: list[Trip]) -> int:
    return sum(len(t.days) for t in trips) + 1
