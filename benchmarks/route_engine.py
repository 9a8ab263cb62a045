"""Routing engine against the straight-line planner, same stops, same run.

    .venv312/bin/python benchmarks/route_engine.py      # needs the [routing] extra (Python 3.12)

No OpenStreetMap extract is downloaded: the script writes a synthetic town with pyosmium (a
40 x 40 street grid about 4.4 km across, every third row one-way, a diagonal footpath through
the blocks), builds Valhalla tiles with the project's own `maps routing build` path, then plans
12 and 25 random stops on foot and by car. Figures are medians of 5 runs:

- matrix: the engine's time/distance matrix for the stops;
- plan (engine): the whole plan with the engine (matrix, order, days, and a street path per leg);
- plan (straight): the same plan with the straight-line estimate;
- totals: the plan's travel minutes with the engine against the straight-line estimate.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(__file__).resolve().parent / ".scratch" / "engine"
sys.path.insert(0, str(ROOT))

import osmium  # noqa: E402

from maps.dataset.catalog import load_catalog  # noqa: E402
from maps.route.build import build_tiles  # noqa: E402
from maps.route.plan import plan_route  # noqa: E402
from maps.route.request import parse_route_request  # noqa: E402
from maps.route.travel import StraightLine, travel_times  # noqa: E402
from tests.builders import EPISODES, feature, write_json  # noqa: E402

LAT0, LON0, DLAT, DLON, SIZE = 51.40, -0.40, 0.001, 0.0016, 40
META = {"version": 1, "changeset": 1, "timestamp": "2024-01-01T00:00:00Z", "uid": 1, "user": "bench"}


def write_town(path: Path) -> None:
    writer = osmium.SimpleWriter(str(path))
    ids = {}
    for r in range(SIZE):
        for c in range(SIZE):
            ids[r, c] = len(ids) + 1
            writer.add_node(
                osmium.osm.mutable.Node(id=ids[r, c], location=(LON0 + c * DLON, LAT0 + r * DLAT), **META)
            )
    way = 0
    for r in range(SIZE):
        tags = {"highway": "residential"} | ({"oneway": "yes"} if r % 3 == 1 else {})
        nodes = [ids[r, c] for c in (range(SIZE) if r % 2 else reversed(range(SIZE)))]
        way += 1
        writer.add_way(osmium.osm.mutable.Way(id=way, nodes=nodes, tags=tags, **META))
    for c in range(SIZE):
        way += 1
        nodes = [ids[r, c] for r in range(SIZE)]
        writer.add_way(osmium.osm.mutable.Way(id=way, nodes=nodes, tags={"highway": "residential"}, **META))
    way += 1
    diagonal = [ids[k, k] for k in range(SIZE)]
    writer.add_way(osmium.osm.mutable.Way(id=way, nodes=diagonal, tags={"highway": "footway"}, **META))
    writer.close()


def dataset(folder: Path, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    cells = rng.sample([(r, c) for r in range(2, SIZE - 2) for c in range(2, SIZE - 2)], count)
    features = [
        feature(f"p{n}", LON0 + c * DLON, LAT0 + r * DLAT, name=f"Stop {n}", season=1, episode=1)
        for n, (r, c) in enumerate(cells)
    ]
    write_json(folder / "episodes.json", EPISODES)
    return write_json(folder / f"stops-{count}.geojson", {"type": "FeatureCollection", "features": features})


def median(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    town = SCRATCH / "town.osm.pbf"
    if not town.exists():
        write_town(town)
    everything = load_catalog(dataset(SCRATCH, 25, seed=1))
    began = time.perf_counter()
    tiles = build_tiles(everything, [town], SCRATCH / "tiles", buffer_km=5.0).tiles
    print(f"tiles built in {time.perf_counter() - began:.1f} s ({SIZE}x{SIZE} street grid)")
    engine = travel_times(str(tiles))
    assert not isinstance(engine, StraightLine), engine.note
    rows = []
    for count in (12, 25):
        catalog = load_catalog(dataset(SCRATCH, count, seed=count))
        points = [p.latlon for p in catalog.locations]
        for mode in ("walk", "drive"):
            request = parse_route_request(
                {"season": "1", "mode": mode, "hours_per_day": "16"}, catalog.series
            )
            t_matrix, _ = median(lambda points=points, mode=mode: engine.matrix(points, mode))
            t_engine, routed = median(lambda c=catalog, r=request: plan_route(c, r, travel=engine))
            t_straight, straight = median(
                lambda c=catalog, r=request: plan_route(c, r, travel=StraightLine())
            )
            travel_engine = routed.total_minutes - routed.visit_minutes
            travel_straight = straight.total_minutes - straight.visit_minutes
            rows.append(
                {
                    "stops": count,
                    "mode": mode,
                    "matrix_ms": round(t_matrix * 1000, 1),
                    "plan_engine_ms": round(t_engine * 1000, 1),
                    "plan_straight_ms": round(t_straight * 1000, 1),
                    "travel_min_engine": round(travel_engine, 1),
                    "travel_min_straight": round(travel_straight, 1),
                    "km_engine": round(routed.total_km, 2),
                    "km_straight": round(straight.total_km, 2),
                    "same_order": [s.point.id for s in routed.stops] == [s.point.id for s in straight.stops],
                }
            )
    names = ("stops", "mode", "matrix ms", "plan engine ms", "plan straight ms", "travel engine min")
    print(" | ".join(names) + " | travel straight min | same order")
    keys = ("matrix_ms", "plan_engine_ms", "plan_straight_ms", "travel_min_engine", "travel_min_straight")
    for r in rows:
        print(" | ".join([str(r["stops"]), r["mode"], *(str(r[k]) for k in keys), str(r["same_order"])]))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
