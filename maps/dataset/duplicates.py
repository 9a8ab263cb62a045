"""Find a same-name place within a radius among the places seen so far, in constant time per
look-up: the validator's duplicate check stays linear however big the file grows."""

from __future__ import annotations

import math

from maps.geometry import distance_km

EARTH_RADIUS_KM = 6371.0088


class DuplicateIndex:
    """Places seen so far, by name and by a 3D grid cell (Earth-centred coordinates in km, cells
    of twice the radius), so finding a same-name place within the radius costs a few dictionary
    look-ups anywhere on Earth, poles and antimeridian included, instead of a pass over every
    earlier place. A chord is never longer than its arc, so the 27 cells around a point hold
    every place within the radius."""

    def __init__(self, radius_km: float) -> None:
        self.radius_km = radius_km
        self.cell_km = 2 * radius_km
        self.cells: dict[tuple, list[tuple[str, tuple[float, float]]]] = {}

    def _cell(self, latlon: tuple[float, float]) -> tuple[int, int, int]:
        lat, lon = map(math.radians, latlon)
        x = EARTH_RADIUS_KM * math.cos(lat) * math.cos(lon)
        y = EARTH_RADIUS_KM * math.cos(lat) * math.sin(lon)
        z = EARTH_RADIUS_KM * math.sin(lat)
        return (int(x // self.cell_km), int(y // self.cell_km), int(z // self.cell_km))

    def add(self, fid: str, name: str, latlon: tuple[float, float]) -> None:
        self.cells.setdefault((name.casefold().strip(), *self._cell(latlon)), []).append((fid, latlon))

    def find(self, name: str, latlon: tuple[float, float]) -> str | None:
        key = name.casefold().strip()
        cx, cy, cz = self._cell(latlon)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    for other_id, other in self.cells.get((key, cx + dx, cy + dy, cz + dz), ()):
                        if distance_km(latlon, other) <= self.radius_km:
                            return other_id
        return None
