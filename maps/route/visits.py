"""How long a visit takes, and which places are not routed to unless the fan asks.

Dwell time depends on the kind of place: a ticketed attraction (the Louvre, a zoo) takes longer
than a street corner seen from the pavement. `DWELL_MINUTES` gives the defaults per kind; a request
may override any kind (`dwell=ticketed:120,street:5`) or set one time for every place
(`stop_minutes`).

Left out by default, with the reason shown: private property (not open to visitors), places the
sources identify only to the town (a town-precision place that is not the town or a part named
after it: "A café by the Seine" in Paris is left out, "Herne Bay seafront" and "Slough" are not),
and places whose data marks them closed for good or demolished (`closure`). `include_all=1`
routes to them anyway.
"""

from __future__ import annotations

from collections.abc import Mapping

from maps.dataset.catalog import Location

DWELL_MINUTES: dict[str, float] = {
    "ticketed": 90.0,  # a museum, monument, zoo or attraction: a ticket and a queue
    "area": 45.0,  # a district or a seafront to stroll
    "public": 20.0,  # a public building, bridge or square
    "exterior": 10.0,  # seen from the street only
    "street": 10.0,
    "town": 30.0,
    "private": 5.0,
}


def dwell_kind(place: Location) -> str:
    if place.access == "ticketed":
        return "ticketed"
    if place.access == "private":
        return "private"
    if place.precision in ("area", "town"):
        return place.precision
    if place.precision == "street":
        return "street"
    return place.access or "public"


def dwell_minutes(
    place: Location, overrides: Mapping[str, float] | None = None, every: float | None = None
) -> float:
    """Minutes at `place`: `every` when given, else the override or default for its kind."""
    if every is not None:
        return every
    kind = dwell_kind(place)
    return dict(overrides or {}).get(kind, DWELL_MINUTES.get(kind, DWELL_MINUTES["public"]))


def not_visitable(place: Location) -> str | None:
    """Why the planner leaves `place` out by default, or None when it is a normal stop."""
    if place.access == "private":
        return "private property, not open to visitors"
    if place.closure:
        return "closed for good" if place.closure == "closed" else "demolished: nothing left to see"
    if place.precision == "town" and not _named_after_town(place):
        return "not identified: the sources name only the town"
    return None


def _named_after_town(place: Location) -> bool:
    name = place.name.casefold()
    parts = [part.strip().casefold() for part in (place.locality or "").split(",")]
    return any(part and part in name for part in parts)
