"""Which way of travelling each leg needs, and the modes used between regions.

A fan who asks to walk does not walk from London to Paris: a leg's mode depends on the mode asked
for, its straight-line length, whether it leaves the region (a transfer between trips) and
whether it crosses the Channel. The rule, in `leg_mode`:

- across the Channel (Great Britain to France or Belgium): Eurostar, whatever the mode asked for;
- between regions: a train for walkers, cyclists and public-transport users; the car when driving;
- within a region: the mode asked for, except walks longer than `WALK_MAX_KM` and rides longer
  than `CYCLE_MAX_KM` (straight line), which go by local public transport.

Rail speeds are *effective straight-line* speeds (detour 1.0) calibrated on published timetables,
plus a fixed overhead for getting to the station and waiting, so the estimate is door-to-door.
Eurostar runs between its terminals only, so a cross-Channel leg is: local transport or train to
the terminal, check-in, the published station-to-station time, then train or local transport from
the other terminal (Paris Louvre -> Herne Bay is about 5 h, not the 3 h of a straight line).
benchmarks/route_transfers.py prints the published journey times these were checked against
(with their sources) beside what the planner says.

| mode     | speed                     | overhead              | checked against                          |
| -------- | ------------------------- | --------------------- | ---------------------------------------- |
| eurostar | 2 h 20 terminal to terminal | 45 min check-in     | St Pancras - Gare du Nord 2 h 16 - 2 h 30 |
| rail     | 60 km/h straight line     | 15 min                | London - Herne Bay, London - Windsor     |
| road     | 60 km/h x 1.25 detour     | 0                     | driving between towns                    |
"""

from __future__ import annotations

from maps.route.request import MODES, Mode

EUROSTAR_MINUTES = 140.0  # London St Pancras - Paris Gare du Nord, a typical timetabled journey
EUROSTAR_CHECK_IN = 45.0  # minutes before departure (Eurostar's advice for standard tickets)
TERMINALS = {  # Eurostar terminals (lat, lon)
    "GB": ("London St Pancras International", 51.5319, -0.1263),
    "FR": ("Paris Gare du Nord", 48.8809, 2.3553),
    "BE": ("Brussels-South (Midi)", 50.8357, 4.3361),
}
WALK_MAX_KM = 2.5
CYCLE_MAX_KM = 20.0
CHANNEL = ({"GB", "FR"}, {"GB", "BE"})

TRANSFER_MODES: dict[str, Mode] = {
    "eurostar": Mode("eurostar", "by Eurostar train", 150.0, 1.0, "transit", "fossgis_osrm_car", 45.0),
    "rail": Mode("rail", "by train", 60.0, 1.0, "transit", "fossgis_osrm_car", 15.0),
    "road": Mode("road", "by car (between regions)", 60.0, 1.25, "driving", "fossgis_osrm_car"),
}
ALL_MODES: dict[str, Mode] = {**MODES, **TRANSFER_MODES}


def leg_mode(asked: str, km: float, *, same_region: bool, countries: tuple[str, str]) -> Mode:
    """The mode a leg of `km` (straight line) really needs when the fan asked for `asked`."""
    if set(countries) in CHANNEL:
        return TRANSFER_MODES["eurostar"]
    if not same_region:
        return TRANSFER_MODES["road"] if asked == "drive" else TRANSFER_MODES["rail"]
    if (asked == "walk" and km > WALK_MAX_KM) or (asked == "cycle" and km > CYCLE_MAX_KM):
        return MODES["transit"]
    return MODES[asked]


def terminal_minutes(lat: float, lon: float, country: str) -> float:
    """Minutes from a point to its country's Eurostar terminal (0 where there is none): local
    transport within 30 km, a train from further away."""
    from maps.geometry import distance_km

    if country not in TERMINALS:
        return 0.0
    _, tlat, tlon = TERMINALS[country]
    km = distance_km((lat, lon), (tlat, tlon))
    local = MODES["transit"] if km <= 30 else TRANSFER_MODES["rail"]
    return local.minutes(km) if km > 0.3 else 0.0


def leg_minutes(travel: Mode, km: float, terminals: tuple[float, float] = (0.0, 0.0)) -> float:
    """Minutes for a leg of `km` straight-line by `travel`; a Eurostar leg adds the way to and
    from the terminals (`terminals`: minutes from each end, see `terminal_minutes`)."""
    if travel.name != "eurostar":
        return travel.minutes(km)
    return terminals[0] + EUROSTAR_CHECK_IN + EUROSTAR_MINUTES + terminals[1]


def mode(name: str) -> Mode:
    return ALL_MODES[name]
