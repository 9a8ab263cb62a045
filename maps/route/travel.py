"""Travel times and distances between points: the one interface the planner asks (`TravelTimes`),
with two providers.

- `StraightLine`: geodesic distance times a detour factor at the mode's typical speed. Always
  available; every output built on it says its times are estimates.
- `maps.route.valhalla.Valhalla`: the Valhalla routing engine in-process (the optional `pyvalhalla`
  package, Python >= 3.12) over tiles built by `maps routing build`, found through
  `MAPS_ROUTING_TILES`. Its matrix (seconds and metres on the real street network, one-way streets
  and footpaths included) decides the order, and its paths are drawn on the map and in the GPX.

Another engine (OSRM, a remote Valhalla server) only has to provide `matrix` and `path`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from maps.geometry import geodesic_km_matrix
from maps.route.request import MODES

LatLon = tuple[float, float]
ENGINE_MODES = ("walk", "cycle", "drive")  # what a street network can answer (no timetables)


@dataclass(frozen=True)
class Matrix:
    """seconds[i, j] and metres[i, j] from point i to point j (NaN where there is no route)."""

    seconds: np.ndarray
    metres: np.ndarray


class TravelTimes(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def estimate(self) -> bool:
        """True when times are not from a street network."""
        ...

    @property
    def note(self) -> str:
        """One sentence for the page: where the times come from."""
        ...

    def matrix(self, points: Sequence[LatLon], mode: str) -> Matrix: ...

    def path(self, a: LatLon, b: LatLon, mode: str) -> list[LatLon] | None: ...


@dataclass(frozen=True)
class StraightLine:
    """The estimate: straight-line (geodesic) distance x detour factor at a typical speed."""

    reason: str = ""
    name: str = "straight-line estimate"
    estimate: bool = True

    @property
    def note(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return (
            "Times are estimates from straight-line distance times a detour factor at a typical "
            f"speed; no street network is used{why}. Check the directions links before you set off."
        )

    def matrix(self, points: Sequence[LatLon], mode: str) -> Matrix:
        km = geodesic_km_matrix([p[0] for p in points], [p[1] for p in points])
        travel = MODES[mode]
        return Matrix(seconds=km * travel.detour / travel.kmh * 3600.0, metres=km * travel.detour * 1000.0)

    def path(self, a: LatLon, b: LatLon, mode: str) -> list[LatLon] | None:
        return None


def travel_times(tiles: str | None) -> TravelTimes:
    """The routing engine when tiles are configured and usable, else the estimate (saying why)."""
    if not tiles:
        return StraightLine()
    return _engine(str(Path(tiles).expanduser()))


@lru_cache(maxsize=2)
def _engine(tiles: str) -> TravelTimes:
    """One engine per tile set and process (loading tiles is the slow part)."""
    from maps.route.valhalla import Valhalla

    try:
        return Valhalla(Path(tiles))
    except ImportError:
        return StraightLine("routing tiles are configured but pyvalhalla is not installed")
    except (OSError, RuntimeError, ValueError) as exc:
        return StraightLine(f"the routing tiles at {tiles} could not be loaded: {exc}")
