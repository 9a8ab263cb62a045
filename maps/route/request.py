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
    """A way of travelling. Estimated times: straight-line (geodesic) distance times a detour
    factor at a typical speed, plus a fixed `overhead` (waiting, getting to a station, check-in).
    With routing tiles, walking, cycling and driving legs come from the engine instead."""

    name: str
    label: str
    kmh: float
    detour: float
    google: str  # Google Maps `travelmode`
    osm_engine: str  # openstreetmap.org/directions engine (OSM has no public-transport router)
    overhead: float = 0.0  # minutes per leg

    def minutes(self, km: float) -> float:
        return self.overhead + km * self.detour / self.kmh * 60.0


MODES: dict[str, Mode] = {
    "walk": Mode("walk", "on foot", 4.5, 1.3, "walking", "fossgis_osrm_foot"),
    "cycle": Mode("cycle", "by bike", 15.0, 1.3, "bicycling", "fossgis_osrm_bike"),
    "drive": Mode("drive", "by car", 50.0, 1.3, "driving", "fossgis_osrm_car"),
    "transit": Mode("transit", "by public transport", 25.0, 1.4, "transit", "fossgis_osrm_foot", 10.0),
}
ORDERS = ("shortest", "story")
FORMATS = tuple(PLAN_FORMATS)  # from the one download registry
MAX_STOPS = 200
HOURS_RANGE = (1.0, 16.0)
STOP_MINUTES_RANGE = (0.0, 480.0)
DEFAULT_TRIP_KM = 50.0
TRIP_KM_RANGE = (0.1, 2000.0)
MAX_ENDPOINT_CHARS = 200
NUMERIC_START = re.compile(r"^[-+]?\d+(?:\.\d*)?\s*(?:[,;]|$)")  # looks like LAT,LON (or a lone number)
TRY = "try a place of the map, a town name or LAT,LON like 51.48,-0.61"
COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
ID_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Endpoint:
    """A start or end as the person gave it (`text`), and once resolved (`maps.route.endpoints`)
    either a place of the dataset (`place_id`) or a bare point (`latlon`) with a readable `label`.
    `how` says how it was found: "place", "coordinates", "town" or "address"."""

    text: str = ""
    place_id: str | None = None
    latlon: tuple[float, float] | None = None
    label: str | None = None
    how: str = ""

    @property
    def resolved(self) -> bool:
        return self.place_id is not None or self.latlon is not None

    def as_text(self) -> str:
        """What goes back into the form and the deep link: the person's own words."""
        if self.text:
            return self.text
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
    stop_minutes: float | None = None  # one time for every place; None: by kind (`dwell`)
    order: str = "shortest"
    trip_km: float = DEFAULT_TRIP_KM
    region: str | None = None
    include_all: bool = False  # also private, closed and not-identified places
    dwell: tuple[tuple[str, float], ...] = ()  # per-kind overrides, e.g. (("ticketed", 120),)

    @property
    def travel(self) -> Mode:
        return MODES[self.mode]

    @property
    def empty(self) -> bool:
        return not self.stops and not self.filters.active and not self.region

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
        if self.region:
            pairs.append(("region", self.region))
        pairs += [("mode", self.mode), ("hours_per_day", _num(self.hours_per_day))]
        if self.stop_minutes is not None:
            pairs.append(("stop_minutes", _num(self.stop_minutes)))
        if self.dwell:
            pairs.append(("dwell", ",".join(f"{k}:{_num(v)}" for k, v in self.dwell)))
        if self.include_all:
            pairs.append(("include_all", "1"))
        if self.order != "shortest":
            pairs.append(("order", self.order))
        if self.trip_km != DEFAULT_TRIP_KM:
            pairs.append(("trip_km", _num(self.trip_km)))
        return pairs


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_endpoint(parameter: str, raw: str | None) -> Endpoint | None:
    """Syntax only: LAT,LON becomes a point now; anything else (a place id or name, a town, an
    address) is kept as text for `maps.route.endpoints.resolve_endpoint`, which needs the data."""
    if raw is None or not raw.strip():
        return None
    raw = " ".join(raw.split())
    if len(raw) > MAX_ENDPOINT_CHARS:
        raise InvalidQuery(parameter, f"at most {MAX_ENDPOINT_CHARS} characters (got {len(raw)})")
    if NUMERIC_START.match(raw):
        match = COORDS.match(raw)
        if not match:
            raise InvalidQuery(parameter, f"{raw[:60]!r} is not LAT,LON like 51.48,-0.61; {TRY}")
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidQuery(parameter, f"{raw[:60]!r}: latitude must be -90..90 and longitude -180..180")
        return Endpoint(text=raw, latlon=(lat, lon), label=f"{lat:.5f}, {lon:.5f}", how="coordinates")
    return Endpoint(text=raw)


def parse_dwell(raw: str | None) -> tuple[tuple[str, float], ...]:
    """`ticketed:120,street:5` -> (("ticketed", 120.0), ("street", 5.0)); kinds as in visits.py."""
    from maps.route.visits import DWELL_MINUTES

    if raw is None or not raw.strip():
        return ()
    out: dict[str, float] = {}
    for part in raw.split(",")[: len(DWELL_MINUTES) + 1]:
        kind, _, minutes = part.strip().partition(":")
        if kind not in DWELL_MINUTES:
            raise InvalidQuery("dwell", f"{kind[:30]!r} is not one of {', '.join(DWELL_MINUTES)}")
        try:
            value = float(minutes)
        except ValueError:
            raise InvalidQuery("dwell", f"{part[:40]!r}: give KIND:MINUTES, like ticketed:120") from None
        if not math.isfinite(value) or not STOP_MINUTES_RANGE[0] <= value <= STOP_MINUTES_RANGE[1]:
            raise InvalidQuery("dwell", f"{part[:40]!r}: minutes must be between 0 and 480")
        out[kind] = value
    return tuple(out.items())


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


def _region(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    if not ID_TEXT.match(raw.strip()):
        raise InvalidQuery("region", f"{raw[:60]!r} is not a region id")
    return raw.strip()


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
    stop_minutes = None
    if single(args, "stop_minutes") not in (None, ""):
        stop_minutes = _number(args, "stop_minutes", 20.0, STOP_MINUTES_RANGE, "minutes")
    if stop_minutes is not None and stop_minutes >= hours * 60:
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
        region=_region(single(args, "region")),
        include_all=parse_flag(args, "include_all"),
        dwell=parse_dwell(single(args, "dwell")),
    )
    if request.round_trip and request.end and request.end != request.start:
        raise InvalidQuery("end", "a round trip ends where it starts: give round_trip or end, not both")
    return request
