"""What a fan asks the route planner for, read from query arguments (web, API) or CLI options.

One parser for every entry point, so `/route`, `/api/route` and `maps route` accept the same
parameters and refuse the same mistakes with the same message (InvalidQuery names the parameter).
`RouteRequest.as_query()` turns a request back into a query string: the whole plan is deep-linkable.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from maps.dataset.episodes import Series
from maps.dataset.filters import Filters, getlist, parse_filters, single
from maps.errors import InvalidQuery
from maps.formats.registry import PLAN_FORMATS


@dataclass(frozen=True)
class Mode:
    """A way of travelling. Times are estimates: straight-line (geodesic) distance times a detour
    factor, at a typical speed. No road network is used."""

    name: str
    label: str
    kmh: float
    detour: float
    google: str  # Google Maps `travelmode`
    osm_engine: str  # openstreetmap.org/directions engine (OSM has no public-transport router)

    def minutes(self, km: float) -> float:
        return km * self.detour / self.kmh * 60.0


MODES: dict[str, Mode] = {
    "walk": Mode("walk", "on foot", 4.5, 1.3, "walking", "fossgis_osrm_foot"),
    "cycle": Mode("cycle", "by bike", 15.0, 1.3, "bicycling", "fossgis_osrm_bike"),
    "drive": Mode("drive", "by car", 50.0, 1.3, "driving", "fossgis_osrm_car"),
    "transit": Mode("transit", "by public transport", 25.0, 1.4, "transit", "fossgis_osrm_foot"),
}
ORDERS = ("shortest", "story")
FORMATS = tuple(PLAN_FORMATS)  # from the one download registry
MAX_STOPS = 200
HOURS_RANGE = (1.0, 16.0)
STOP_MINUTES_RANGE = (0.0, 480.0)
DEFAULT_TRIP_KM = 50.0
TRIP_KM_RANGE = (0.1, 2000.0)
COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
ID_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Endpoint:
    """A start or end: a place id, or a bare point given as LAT,LON."""

    place_id: str | None = None
    latlon: tuple[float, float] | None = None

    def as_text(self) -> str:
        if self.place_id:
            return self.place_id
        if self.latlon is None:
            return ""  # neither given: no endpoint to show
        return f"{self.latlon[0]:.6f},{self.latlon[1]:.6f}"


@dataclass(frozen=True)
class RouteRequest:
    stops: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    start: Endpoint | None = None
    end: Endpoint | None = None
    round_trip: bool = False
    mode: str = "walk"
    hours_per_day: float = 8.0
    stop_minutes: float = 20.0
    order: str = "shortest"
    trip_km: float = DEFAULT_TRIP_KM

    @property
    def travel(self) -> Mode:
        return MODES[self.mode]

    @property
    def empty(self) -> bool:
        return not self.stops and not self.filters.active

    def as_query(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.stops:
            pairs.append(("stops", ",".join(self.stops)))
        pairs += self.filters.as_query()
        for key, endpoint in (("start", self.start), ("end", self.end)):
            if endpoint:
                pairs.append((key, endpoint.as_text()))
        if self.round_trip:
            pairs.append(("round_trip", "1"))
        pairs += [("mode", self.mode), ("hours_per_day", _num(self.hours_per_day))]
        pairs.append(("stop_minutes", _num(self.stop_minutes)))
        if self.order != "shortest":
            pairs.append(("order", self.order))
        if self.trip_km != DEFAULT_TRIP_KM:
            pairs.append(("trip_km", _num(self.trip_km)))
        return pairs


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_endpoint(parameter: str, raw: str | None) -> Endpoint | None:
    if raw is None or not raw.strip():
        return None
    raw = raw.strip()
    if "," in raw or raw.lstrip("-").replace(".", "", 1).isdigit():
        match = COORDS.match(raw)
        if not match:
            raise InvalidQuery(parameter, f"{raw[:60]!r} is neither a place id nor LAT,LON like 51.48,-0.61")
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidQuery(parameter, f"{raw[:60]!r}: latitude must be -90..90 and longitude -180..180")
        return Endpoint(latlon=(lat, lon))
    if not ID_TEXT.match(raw):
        raise InvalidQuery(parameter, f"{raw[:60]!r} is not a place id")
    return Endpoint(place_id=raw)


def _number(args: Any, key: str, default: float, bounds: tuple[float, float], unit: str) -> float:
    raw = single(args, key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InvalidQuery(key, f"{raw[:40]!r} is not a number") from None
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidQuery(key, f"must be between {_num(low)} and {_num(high)} {unit} (got {raw[:40]})")
    return value


def _choice(args: Any, key: str, allowed, default: str) -> str:
    raw = single(args, key)
    if raw is None:
        return default
    if raw not in allowed:
        raise InvalidQuery(key, f"{raw[:40]!r} is not one of {', '.join(allowed)}")
    return raw


def parse_flag(args: Any, key: str) -> bool:
    raw = single(args, key)
    if raw is None:
        return False
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise InvalidQuery(key, f"{raw[:40]!r} is not 1/0 (or true/false)")


def parse_route_request(args: Any, series: Series) -> RouteRequest:
    """Read a route request from query arguments (a MultiDict, or a plain dict for the CLI)."""
    stops: list[str] = []
    for raw in getlist(args, "stops"):
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            if not ID_TEXT.match(part):
                raise InvalidQuery("stops", f"{part[:60]!r} is not a place id")
            if part not in stops:
                stops.append(part)
    if len(stops) > MAX_STOPS:
        raise InvalidQuery("stops", f"at most {MAX_STOPS} places per route (got {len(stops)})")
    hours = _number(args, "hours_per_day", 8.0, HOURS_RANGE, "hours")
    stop_minutes = _number(args, "stop_minutes", 20.0, STOP_MINUTES_RANGE, "minutes")
    if stop_minutes >= hours * 60:
        raise InvalidQuery("stop_minutes", "a visit must be shorter than a day (hours_per_day)")
    request = RouteRequest(
        stops=tuple(stops),
        filters=parse_filters(args, series),
        start=parse_endpoint("start", single(args, "start")),
        end=parse_endpoint("end", single(args, "end")),
        round_trip=parse_flag(args, "round_trip"),
        mode=_choice(args, "mode", tuple(MODES), "walk"),
        hours_per_day=hours,
        stop_minutes=stop_minutes,
        order=_choice(args, "order", ORDERS, "shortest"),
        trip_km=_number(args, "trip_km", DEFAULT_TRIP_KM, TRIP_KM_RANGE, "km"),
    )
    if request.round_trip and request.end and request.end != request.start:
        raise InvalidQuery("end", "a round trip ends where it starts: give round_trip or end, not both")
    return request
