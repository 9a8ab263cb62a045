"""The Valhalla routing engine in-process (pyvalhalla), behind `maps.route.travel.TravelTimes`.

pyvalhalla is imported when an engine is made: without it `Valhalla(...)` raises ImportError and
`travel_times` falls back to the estimate and says so. Tiles are a folder written by `maps routing build`
(`valhalla_tiles/` plus the `valhalla.json` it was built with).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from maps.route.travel import LatLon, Matrix

COSTING = {"walk": "pedestrian", "cycle": "bicycle", "drive": "auto"}
MAX_MATRIX_POINTS = 50  # Valhalla's default service limit for one matrix request


def engine_config(tiles: Path) -> dict:
    """A Valhalla configuration for the tile folder `tiles` (shared by build and use)."""
    from valhalla import get_config

    tile_dir = tiles / "valhalla_tiles"
    tile_dir.mkdir(parents=True, exist_ok=True)
    return get_config(tile_extract="", tile_dir=tile_dir, verbose=False)


def decode_polyline6(encoded: str) -> list[LatLon]:
    """Valhalla's shape: Google's polyline algorithm with 6 decimals."""
    points: list[LatLon] = []
    index = lat = lon = 0
    while index < len(encoded):
        for which in (0, 1):
            shift = result = 0
            while True:
                byte = ord(encoded[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            delta = ~(result >> 1) if result & 1 else result >> 1
            if which == 0:
                lat += delta
            else:
                lon += delta
        points.append((lat / 1e6, lon / 1e6))
    return points


class Valhalla:
    """Matrix and path from Valhalla over local tiles. Calls are serialised: one Actor per process."""

    name = "Valhalla routing engine"
    estimate = False

    def __init__(self, tiles: Path) -> None:
        from valhalla import Actor, ValhallaError

        self._error = ValhallaError
        config_path = tiles / "valhalla.json"
        if not (tiles / "valhalla_tiles").is_dir():
            raise OSError(f"no valhalla_tiles folder in {tiles} (build it with `maps routing build`)")
        config = json.loads(config_path.read_text()) if config_path.exists() else engine_config(tiles)
        self.tiles = tiles
        self._actor = Actor(config)
        self._lock = threading.Lock()

    @property
    def note(self) -> str:
        return (
            "Walking, cycling and driving times and paths come from the Valhalla routing engine on "
            "OpenStreetMap streets; trains between regions are timetable estimates."
        )

    def matrix(self, points: Sequence[LatLon], mode: str) -> Matrix:
        n = len(points)
        if n > MAX_MATRIX_POINTS:
            raise ValueError(f"at most {MAX_MATRIX_POINTS} points per matrix (got {n})")
        locations = [{"lat": lat, "lon": lon} for lat, lon in points]
        request = {"sources": locations, "targets": locations, "costing": COSTING[mode], "units": "km"}
        seconds = np.full((n, n), np.nan)
        metres = np.full((n, n), np.nan)
        np.fill_diagonal(seconds, 0.0)
        np.fill_diagonal(metres, 0.0)
        try:
            with self._lock:
                answer = self._actor.matrix(request)
        except self._error:
            return Matrix(seconds, metres)  # no street near a point: the caller estimates those legs
        for i, row in enumerate(answer.get("sources_to_targets", [])):
            for cell in row:
                j = cell.get("to_index")
                if j is None or i == j or cell.get("time") is None:
                    continue
                seconds[i, j] = float(cell["time"])
                metres[i, j] = float(cell["distance"]) * 1000.0
        return Matrix(seconds, metres)

    def path(self, a: LatLon, b: LatLon, mode: str) -> list[LatLon] | None:
        request = {
            "locations": [{"lat": a[0], "lon": a[1]}, {"lat": b[0], "lon": b[1]}],
            "costing": COSTING[mode],
            "directions_type": "none",
        }
        try:
            with self._lock:
                answer = self._actor.route(request)
        except self._error:
            return None
        shape: list[LatLon] = []
        for leg in answer.get("trip", {}).get("legs", []):
            shape += decode_polyline6(leg.get("shape", ""))
        return shape or None
