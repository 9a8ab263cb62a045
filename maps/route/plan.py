"""Plan a pilgrimage: which places, in which order, split into regional trips and into days.

- Start and end as a person gives them (`maps.route.endpoints`: place, LAT,LON, town, address).
- Places: the ids asked for, plus what a season, filter or region selects; private, closed and
  not-identified places are left out (with the reason) unless `include_all` (`maps.route.visits`).
- Legs: each pair of points gets the mode it really needs (`maps.route.transfers.leg_mode`: a walk
  in town, local transport for a long walk, a train or Eurostar between regions) and a time from
  the travel-time provider (`maps.route.travel`: the routing engine with tiles, else the estimate).
- Order: the quickest tour over those times (`maps.route.tsp`: exact up to 13 stops, iterated
  2-opt/Or-opt beyond), or the story's order (season, then episode) with `order=story`.
- Trips: places are grouped by single linkage (a place joins a trip when it lies within `trip_km`
  of one of its places), so Paris and Kent are never one walk; the leg into a new trip is a
  transfer, and a new trip starts a new day.
- Days: honest totals. Every leg belongs to a day (the way to the first stop, transfers, the way
  back), and a day is closed when its travel plus visits would pass `hours_per_day`; a transfer
  too long to share a day with a visit is a travel day of its own.

No Flask here: the web layer, the API and the CLI all call `plan_route(catalog, request, ...)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np

from maps.dataset.catalog import Catalog, Location
from maps.dataset.countries import country_at
from maps.dataset.filters import select
from maps.errors import InvalidQuery
from maps.geometry import geodesic_km_matrix
from maps.route.endpoints import Geocode, resolve_request
from maps.route.regions import find_regions, region_by_id, single_linkage
from maps.route.request import MAX_STOPS, Endpoint, Mode, RouteRequest
from maps.route.transfers import leg_minutes, leg_mode, terminal_minutes
from maps.route.travel import ENGINE_MODES, StraightLine, TravelTimes
from maps.route.tsp import solve
from maps.route.visits import dwell_minutes, not_visitable

ESTIMATE_NOTE = StraightLine().note
UNKNOWN_EPISODE = 99
SOLVER_SECONDS = 2.0  # the order search stops here and keeps its best tour (a request stays quick)


@dataclass(frozen=True)
class Waypoint:
    """A place to visit, or a bare start/end point (`place` is None) such as a town or address."""

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
    kind: str = "day"  # "day": within a trip's region; "transfer": between regions
    trip: int = 0
    day: int = 0
    source: str = "estimate"  # "engine" when the routing engine timed it
    path: list[tuple[float, float]] | None = None  # (lat, lon) along the streets, from the engine


@dataclass
class Stop:
    order: int
    point: Waypoint
    leg: Leg | None  # how we got here (None for a start place)
    trip: int = 0
    day: int = 0
    cumulative_km: float = 0.0
    cumulative_minutes: float = 0.0
    visit_minutes: float = 0.0


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
    def travel_minutes(self) -> float:
        return sum(leg.minutes for leg in self.legs)

    @property
    def minutes(self) -> float:
        return self.travel_minutes + self.visit_minutes

    @property
    def start(self) -> Waypoint | None:
        """Where the day starts: the origin of its first leg, else its first stop."""
        if self.legs:
            return self.legs[0].origin
        return self.stops[0].point if self.stops else None


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
    skipped: list[str]  # selected, but no coordinates yet
    left_out: list[tuple[Location, str]] = field(default_factory=list)  # and why
    travel: TravelTimes = field(default_factory=lambda: StraightLine())

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
    def visit_minutes(self) -> float:
        return sum(stop.visit_minutes for stop in self.stops)

    @property
    def total_minutes(self) -> float:
        return sum(leg.minutes for leg in self.legs) + self.visit_minutes

    @property
    def estimated(self) -> bool:
        """True when any leg's time is an estimate (always so without the routing engine)."""
        return any(leg.source != "engine" for leg in self.legs)


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
        raise InvalidQuery(name.lower(), "a start or end is a place, a town, an address or LAT,LON")
    return Waypoint(None, endpoint.label or name, *endpoint.latlon)


def _places(catalog: Catalog, request: RouteRequest):
    """The places to visit: the ids asked for, plus every place the filters and the region select
    (a season and a region together: that season's places in that region)."""
    chosen: dict[str, Location] = {}
    for place_id in request.stops:
        place = catalog.get(place_id)  # LocationNotFound (404) names an unknown id
        if place.latlon is None:
            raise InvalidQuery("stops", f"{place_id!r} has no coordinates yet, so it cannot be routed")
        chosen[place_id] = place
    in_region = None
    if request.region:
        region = region_by_id(catalog, request.region)
        if region is None:
            known = ", ".join(r.id for r in find_regions(catalog))
            raise InvalidQuery(
                "region", f"{request.region[:60]!r} is not a region of the map; choose one of {known}"
            )
        in_region = set(region.place_ids)
    skipped = []
    if request.filters.active or in_region is not None:
        pool = select(catalog.locations, request.filters) if request.filters.active else catalog.locations
        for place in pool:
            if in_region is not None and place.id not in in_region:
                continue
            if place.latlon is None:
                skipped.append(place.id)
            else:
                chosen.setdefault(place.id, place)
    left_out: list[tuple[Location, str]] = []
    if not request.include_all:
        for place in list(chosen.values()):
            reason = not_visitable(place)
            if reason:
                left_out.append((place, reason))
                del chosen[place.id]
    for key, endpoint in (("start", request.start), ("end", request.end)):
        if endpoint and endpoint.place_id:
            place = catalog.get(endpoint.place_id)
            if place.latlon is None:
                raise InvalidQuery(key, f"{place.id!r} has no coordinates yet")
            chosen.setdefault(place.id, place)
    bare = sum(1 for e in (request.start, request.end) if e is not None and e.place_id is None)
    if not chosen or len(chosen) + bare < 2:
        why = f" ({len(left_out)} left out: private, closed or not identified)" if left_out else ""
        raise InvalidQuery(
            "stops",
            f"choose at least two places with coordinates, or a place and a start (got {len(chosen)}){why}",
        )
    if len(chosen) > MAX_STOPS:  # before any distance is computed: the work grows with n²
        raise InvalidQuery(
            "stops", f"at most {MAX_STOPS} places per route (this one has {len(chosen)}): narrow the filter"
        )
    return list(chosen.values()), skipped, left_out


def _countries(points: list[Waypoint]) -> list[str]:
    """Each point's country: the place's own, else the nearest town's (a town or address start)."""
    out = []
    for point in points:
        known = point.place.properties.get("country") if point.place else None
        out.append(known or country_at(point.lat, point.lon))
    return out


def leg_table(request: RouteRequest, points: list[Waypoint], travel: TravelTimes):
    """For every ordered pair: straight-line km, the leg's mode, its km and minutes, whether the
    engine timed it, and the trip region of every point."""
    km = geodesic_km_matrix([p.lat for p in points], [p.lon for p in points])
    region = single_linkage(km.tolist(), request.trip_km)
    countries = _countries(points)
    n = len(points)
    modes = [
        [
            leg_mode(
                request.mode,
                float(km[i, j]),
                same_region=region[i] == region[j],
                countries=(countries[i], countries[j]),
            )
            for j in range(n)
        ]
        for i in range(n)
    ]
    leg_km = km.copy()
    terminal = [terminal_minutes(p.lat, p.lon, c) for p, c in zip(points, countries, strict=True)]
    minutes = np.array(
        [
            [
                leg_minutes(modes[i][j], float(km[i, j]), (terminal[i], terminal[j])) if i != j else 0.0
                for j in range(n)
            ]
            for i in range(n)
        ]
    )
    engine = np.zeros((n, n), dtype=bool)
    if not travel.estimate and request.mode in ENGINE_MODES:
        for group in sorted(set(region)):
            members = [i for i in range(n) if region[i] == group]
            if len(members) < 2:
                continue
            for chunk in _chunks(members, 50):
                matrix = travel.matrix([(points[i].lat, points[i].lon) for i in chunk], request.mode)
                for a, i in enumerate(chunk):
                    for b, j in enumerate(chunk):
                        ok = (
                            i != j
                            and math.isfinite(matrix.seconds[a, b])
                            and modes[i][j].name == request.mode
                        )
                        if ok:
                            minutes[i, j] = matrix.seconds[a, b] / 60.0
                            leg_km[i, j] = matrix.metres[a, b] / 1000.0
                            engine[i, j] = True
    return km, modes, leg_km, minutes, engine, region


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[k : k + size] for k in range(0, len(items), size)] if len(items) > size else [items]


def _visit_order(points: list[Waypoint], dist, request: RouteRequest, start, end) -> tuple[list[int], bool]:
    if request.order == "story":
        seasons = request.filters.seasons
        middle = [i for i in range(len(points)) if i not in (start, end)]
        middle.sort(key=lambda i: story_key(points[i].place, seasons))
        head = [start] if start is not None else []
        tail = [end] if end is not None and end != start else []
        return head + _nearest_within_ties(middle, points, dist, head, seasons) + tail, True
    tour = solve(dist, start=start, end=end, round_trip=request.round_trip, time_budget=SOLVER_SECONDS)
    return tour.order, tour.exact and tour.complete


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


def plan_route(
    catalog: Catalog,
    request: RouteRequest,
    *,
    geocode: Geocode | None = None,
    travel: TravelTimes | None = None,
) -> Plan:
    """Resolve the start and end, choose the places, time every leg, order them, cut into days."""
    times: TravelTimes = travel or StraightLine()
    request = resolve_request(request, catalog, geocode)
    places, skipped, left_out = _places(catalog, request)
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
    if not all(np.isfinite([p.lat, p.lon]).all() for p in points):  # validated data cannot do this
        raise InvalidQuery("stops", "a place's coordinates are not finite numbers; run maps validate")
    table = leg_table(request, points, times)
    minutes = table[3]
    order, exact = _visit_order(points, minutes, request, start, end)
    if request.round_trip:
        order = [*order, order[0]]
    plan = _assemble(request, points, table, order)
    plan.exact, plan.skipped, plan.left_out, plan.start, plan.travel = (
        exact,
        skipped,
        left_out,
        bare_start,
        times,
    )
    if not times.estimate:
        for leg in plan.legs:
            if leg.source == "engine":
                leg.path = times.path(
                    (leg.origin.lat, leg.origin.lon), (leg.target.lat, leg.target.lon), leg.mode
                )
    return plan


def _assemble(request: RouteRequest, points: list[Waypoint], table, order: list[int]) -> Plan:
    _km, modes, leg_km, minutes, engine, region = table
    limit = request.hours_per_day * 60.0
    overrides = dict(request.dwell)
    trips = [Trip(1)]
    stops: list[Stop] = []
    legs: list[Leg] = []
    finish = None
    km_so_far = minutes_so_far = 0.0

    def new_day() -> Day:
        day = Day(sum(len(t.days) for t in trips) + 1, trips[-1].number)
        trips[-1].days.append(day)
        return day

    day = new_day()
    for step, node in enumerate(order):
        point = points[node]
        is_stop = point.place is not None and not (request.round_trip and step == len(order) - 1 and step > 0)
        stay = dwell_minutes(point.place, overrides, request.stop_minutes) if point.place and is_stop else 0.0
        if step > 0:
            prev = order[step - 1]
            transfer = region[prev] != region[node]
            leg = Leg(
                points[prev],
                point,
                float(leg_km[prev, node]),
                float(minutes[prev, node]),
                modes[prev][node].name,
                kind="transfer" if transfer else "day",
                source="engine" if engine[prev, node] else "estimate",
            )
            legs.append(leg)
            if transfer and is_stop and trips[-1].stops:  # into a new region: a new trip, a new day
                trips.append(Trip(len(trips) + 1, transfer_in=leg))
                day = new_day()
            elif transfer and is_stop:
                trips[-1].transfer_in = leg
            if (day.legs or day.stops) and day.minutes + leg.minutes + stay > limit:
                day = new_day()  # today is full: tomorrow starts where we are
            _add_leg(day, leg)
            if is_stop and not day.stops and leg.kind == "transfer" and day.minutes + stay > limit:
                day = new_day()  # the journey is the day's work: the visit starts the next one
            km_so_far += leg.km
            minutes_so_far += leg.minutes
            if not is_stop:
                finish = leg
        if is_stop:
            stop = Stop(
                len(stops) + 1,
                point,
                legs[-1] if step > 0 else None,
                day.trip,
                day.number,
                km_so_far,
                minutes_so_far,
                stay,
            )
            stops.append(stop)
            day.stops.append(stop)
            day.visit_minutes += stay
            minutes_so_far += stay
    trips = [t for t in trips if t.days and any(d.stops or d.legs for d in t.days)]
    for trip in trips:
        trip.days = [d for d in trip.days if d.stops or d.legs]
    _renumber(trips)
    return Plan(request, stops, legs, trips, None, finish, True, [])


def _add_leg(day: Day, leg: Leg) -> None:
    leg.day, leg.trip = day.number, day.trip
    day.legs.append(leg)


def _renumber(trips: list[Trip]) -> None:
    """Days numbered 1.. in order after empty ones were dropped; legs and stops follow."""
    number = 0
    for trip in trips:
        for day in trip.days:
            number += 1
            day.number = number
            for leg in day.legs:
                leg.day, leg.trip = number, trip.number
            for stop in day.stops:
                stop.day, stop.trip = number, trip.number
