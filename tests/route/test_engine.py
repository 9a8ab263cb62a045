"""The routing engine for real: an OpenStreetMap file written here (a street grid with a footpath
and a one-way street), clipped and built into Valhalla tiles by `maps routing build`, then asked
for matrices and paths. The engine's matrix, not the straight line, decides the order and times.

pyvalhalla's wheels need Python >= 3.12, so scripts/test.sh runs this file in a second virtualenv
(.venv312). Under an older Python these tests are skipped with that reason; under Python >= 3.12
with CI=true, a missing pyvalhalla, pyosmium or osmium-tool is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.builders import EPISODES, feature, write_json

pytestmark = pytest.mark.routing

if sys.version_info < (3, 12):
    pytest.skip(
        "pyvalhalla wheels need Python >= 3.12: scripts/test.sh runs these in .venv312",
        allow_module_level=True,
    )
if os.environ.get("CI") != "true":
    pytest.importorskip("valhalla")
    pytest.importorskip("osmium")
    if shutil.which("osmium") is None:
        pytest.skip("osmium-tool is not installed", allow_module_level=True)

import osmium  # noqa: E402

from maps.dataset.catalog import load_catalog  # noqa: E402
from maps.route.build import build_tiles  # noqa: E402
from maps.route.plan import plan_route  # noqa: E402
from maps.route.request import parse_route_request  # noqa: E402
from maps.route.travel import StraightLine, travel_times  # noqa: E402

LAT0, LON0 = 51.5, -0.1
DLAT, DLON = 0.001, 0.0016  # one block: about 111 m either way at this latitude
BLOCK_M = 111.0


def at(row: int, col: int) -> tuple[float, float]:
    return LAT0 + row * DLAT, LON0 + col * DLON


def write_grid(path: Path) -> None:
    """Rows 0 and 2 (streets x = 0..8), joined only by column 4 (one-way, northbound: row 0 to
    row 2) and column 8 (two-way); a footpath on column 1 that cars cannot use."""
    writer = osmium.SimpleWriter(str(path))
    ids: dict[tuple[int, int], int] = {}
    meta = {"version": 1, "changeset": 1, "timestamp": "2024-01-01T00:00:00Z", "uid": 1, "user": "test"}
    for row in (0, 1, 2):
        for col in range(9):
            if row == 1 and col not in (1, 4, 8):
                continue
            ids[row, col] = len(ids) + 1
            lat, lon = at(row, col)
            writer.add_node(osmium.osm.mutable.Node(id=ids[row, col], location=(lon, lat), **meta))
    ways = [
        ([ids[0, c] for c in range(9)], {"highway": "residential", "name": "South Street"}),
        ([ids[2, c] for c in range(9)], {"highway": "residential", "name": "North Street"}),
        ([ids[0, 4], ids[1, 4], ids[2, 4]], {"highway": "residential", "oneway": "yes", "name": "Up Lane"}),
        ([ids[0, 8], ids[1, 8], ids[2, 8]], {"highway": "residential", "name": "Far Lane"}),
        ([ids[0, 1], ids[1, 1], ids[2, 1]], {"highway": "footway", "name": "Garden Path"}),
    ]
    for number, (nodes, tags) in enumerate(ways, start=1):
        writer.add_way(osmium.osm.mutable.Way(id=number, nodes=nodes, tags=tags, **meta))
    writer.close()


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """The dataset (A, B, C on the grid), and tiles built from the OSM file with the real command path."""
    root = tmp_path_factory.mktemp("engine")
    write_json(root / "episodes.json", EPISODES)
    features = []
    for fid, (row, col) in {"a": (0, 0), "b": (2, 0), "c": (0, 3)}.items():
        lat, lon = at(row, col)
        features.append(feature(fid, lon, lat, name=f"Place {fid.upper()}", season=1, episode=1))
    data = write_json(root / "locations.geojson", {"type": "FeatureCollection", "features": features})
    extract = root / "grid.osm.pbf"
    write_grid(extract)
    catalog = load_catalog(data)
    result = build_tiles(catalog, [extract], root / "tiles", buffer_km=2.0)
    engine = travel_times(str(result.tiles))
    assert not isinstance(engine, StraightLine), engine.note
    return catalog, engine, result.tiles, data


def plan(catalog, travel, **args):
    request = parse_route_request({k: str(v) for k, v in args.items()}, catalog.series)
    return plan_route(catalog, request, travel=travel)


def test_engine_matrix_follows_streets_one_way_and_footpath(grid):
    _, engine, _, _ = grid
    a, b, c = at(0, 0), at(2, 0), at(0, 3)
    drive = engine.matrix([a, b, c], "drive")
    walk = engine.matrix([a, b, c], "walk")
    # By car A -> B goes up the one-way lane (4 + 2 + 4 blocks); back down it is not allowed, so
    # B -> A goes round by Far Lane (8 + 2 + 8 blocks): the matrix is not symmetric.
    assert drive.metres[0, 1] == pytest.approx(10 * BLOCK_M, rel=0.06)
    assert drive.metres[1, 0] == pytest.approx(18 * BLOCK_M, rel=0.06)
    assert drive.seconds[1, 0] > drive.seconds[0, 1]
    # On foot the garden path is a shortcut (1 + 2 + 1 blocks) both ways; cars may not use it.
    assert walk.metres[0, 1] == pytest.approx(4 * BLOCK_M, rel=0.1)
    assert walk.metres[1, 0] == pytest.approx(walk.metres[0, 1], rel=0.02)
    assert walk.metres[0, 1] < drive.metres[0, 1] / 2
    # Straight line A -> B is 2 blocks: the engine is not measuring that.
    assert drive.metres[0, 1] > 4 * 2 * BLOCK_M


def test_engine_decides_the_order_and_the_times(grid):
    catalog, engine, _, _ = grid
    straight = plan(catalog, StraightLine(), stops="b,c", start="a", mode="drive")
    routed = plan(catalog, engine, stops="b,c", start="a", mode="drive")
    # Straight-line: B is nearest to A (2 blocks, then 3.6 to C). On the streets, C (3 blocks)
    # then B (up the one-way lane, 7 blocks) beats B first (10 blocks, then 15 round to C).
    assert [s.point.id for s in straight.stops] == ["a", "b", "c"]
    assert [s.point.id for s in routed.stops] == ["a", "c", "b"]
    matrix = engine.matrix([at(0, 0), at(0, 3), at(2, 0)], "drive")
    legs = routed.legs
    assert [leg.source for leg in legs] == ["engine", "engine"]
    assert legs[0].minutes == pytest.approx(matrix.seconds[0, 1] / 60, rel=1e-6)
    assert legs[1].minutes == pytest.approx(matrix.seconds[1, 2] / 60, rel=1e-6)
    assert legs[1].km == pytest.approx(7 * BLOCK_M / 1000, rel=0.06)
    assert not routed.estimated and "Valhalla" in routed.travel.note
    # The drawn path goes round the corner at Up Lane, not straight across the blocks.
    corner = at(0, 4)
    assert legs[1].path and any(
        abs(lat - corner[0]) < 2e-4 and abs(lon - corner[1]) < 3e-4 for lat, lon in legs[1].path
    )


def test_engine_paths_reach_the_gpx_track_and_the_page(grid):
    import gpxpy

    from maps import create_app

    _, _, tiles, data = grid
    app = create_app({"TESTING": True, "DATA_PATH": str(data), "ROUTING_TILES": str(tiles)})
    client = app.test_client()
    doc = client.get("/api/route?stops=b,c&start=a&mode=drive").get_json()
    assert doc["travel_times"]["estimate"] is False
    assert [s["id"] for s in doc["stops"]] == ["a", "c", "b"]
    gpx = gpxpy.parse(client.get("/api/route?stops=b,c&start=a&mode=drive&format=gpx").get_data(as_text=True))
    assert gpx.tracks and sum(len(seg.points) for t in gpx.tracks for seg in t.segments) > 4
    page = client.get("/route?stops=b,c&start=a&mode=drive").get_data(as_text=True)
    assert 'data-times="engine"' in page and "Estimates only" not in page
