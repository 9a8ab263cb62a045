"""Transfers between regions: what the planner says against published journey times.

    .venv/bin/python benchmarks/route_transfers.py

For each journey, the planner's estimate for the leg (mode chosen by maps.route.transfers, the
door-to-door time it adds to the day) between the stations or town centres, next to the
published time (station to station) and where it was published. The planner's figure includes
getting to the station, waiting and, for Eurostar, check-in; the published one does not, so the
planner should be somewhat higher, never lower.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maps.dataset.countries import country_at  # noqa: E402
from maps.geometry import distance_km  # noqa: E402
from maps.route.text import duration  # noqa: E402
from maps.route.transfers import leg_minutes, leg_mode, terminal_minutes  # noqa: E402

# (name, from (lat, lon), to (lat, lon), published minutes (low, high), sources)
JOURNEYS = [
    (
        "London St Pancras - Paris Gare du Nord (Eurostar)",
        (51.5319, -0.1263),
        (48.8809, 2.3553),
        (136, 140),
        "2 h 16 at fastest (eurotrain.tr/en/routes/london-to-paris); 'around 2 hours 20 minutes' "
        "(europeonthetrain.com/2018/06/05/paris-to-london-by-eurostar)",
    ),
    (
        "Central London - central Paris (Eurostar, door to door)",
        (51.5085, -0.1257),
        (48.8534, 2.3488),
        (136, 140),
        "the same train; the planner adds the Underground/Metro ends and 45 min check-in",
    ),
    (
        "London - Herne Bay (Southeastern)",
        (51.5085, -0.1257),
        (51.3646, 1.1180),
        (94, 94),
        "'The 68-mile journey takes an hour and 34 minutes' (kentonline.co.uk/canterbury/news/"
        "frustrated-commuter-shows-slow-h-a55623)",
    ),
    (
        "London - Windsor (GWR via Slough, or SWR from Waterloo)",
        (51.5085, -0.1257),
        (51.4839, -0.6104),
        (35, 60),
        "Paddington - Slough (fastest 28 min, sloughobserver.co.uk/news/23560607) + 6 min branch "
        "(citizendailypost.com/faq/which-london-station-is-best-for-windsor); Waterloo direct "
        "'about an hour' (same page)",
    ),
]


def main() -> None:
    print(f"{'journey':<58} {'km':>6}  {'mode':<9} {'planner':>10}  {'published':>13}")
    for name, a, b, (low, high), source in JOURNEYS:
        km = distance_km(a, b)
        countries = (country_at(*a), country_at(*b))
        # London and Windsor/Herne Bay are different regions of a plan: a transfer (region change)
        mode = leg_mode("walk", km, same_region=False, countries=countries)
        terminals = (terminal_minutes(*a, countries[0]), terminal_minutes(*b, countries[1]))
        minutes = leg_minutes(mode, km, terminals)
        published = duration(low) if low == high else f"{duration(low)}-{duration(high)}"
        print(f"{name:<58} {km:6.1f}  {mode.name:<9} {duration(minutes):>10}  {published:>13}")
        print(f"    source: {source}")


if __name__ == "__main__":
    main()
