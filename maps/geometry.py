"""Geometry helpers: shapely shapes from GeoJSON, geodesic distances, bounding boxes and a
spatial index. Everything here takes and returns plain (lon, lat) or (lat, lon) tuples and
shapely objects; coordinate order is named in every function that cares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import shapely
from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

BBox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def to_shape(geometry: dict | None) -> BaseGeometry | None:
    return shape(geometry) if geometry else None


def anchor_lonlat(geom: BaseGeometry) -> tuple[float, float]:
    """A point guaranteed to lie on the shape (a Polygon's centroid may not), for pins and routes."""
    point = geom if isinstance(geom, Point) else geom.representative_point()
    return (point.x, point.y)


def distance_km(a_latlon: tuple[float, float], b_latlon: tuple[float, float]) -> float:
    """Geodesic (WGS84 ellipsoid) distance, not a flat-earth approximation."""
    return geodesic(a_latlon, b_latlon).km


def haversine_km_matrix(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances between all pairs, vectorised; used to prefilter before geodesic."""
    lat = np.radians(lats)[:, None]
    lon = np.radians(lons)[:, None]
    dlat = lat - lat.T
    dlon = lon - lon.T
    h = np.sin(dlat / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def bbox_of(shapes: Iterable[BaseGeometry | None]) -> BBox | None:
    """Bounds of the shapes that exist (places waiting for coordinates are skipped)."""
    geoms = [g for g in shapes if g is not None]
    if not geoms:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    return (float(minx), float(miny), float(maxx), float(maxy))


@dataclass(frozen=True)
class SpatialIndex:
    """An STRtree over shapes, answering bbox queries with positions into the original list."""

    tree: shapely.STRtree
    size: int

    @classmethod
    def build(cls, shapes: Sequence[BaseGeometry | None]) -> SpatialIndex:
        # Missing geometries become empty points, which never intersect anything.
        geoms = [g if g is not None else shapely.Point() for g in shapes]
        return cls(shapely.STRtree(geoms), len(geoms))

    def query_bbox(self, bbox: BBox) -> np.ndarray:
        """Sorted positions of shapes intersecting `bbox` (which may cross the antimeridian)."""
        minx, miny, maxx, maxy = bbox
        if minx > maxx:  # crosses the antimeridian: split into two boxes
            boxes = [shapely.box(minx, miny, 180, maxy), shapely.box(-180, miny, maxx, maxy)]
        else:
            boxes = [shapely.box(minx, miny, maxx, maxy)]
        hits = np.concatenate([self.tree.query(b, predicate="intersects") for b in boxes])
        return np.unique(hits)


def geodesic_km_matrix(lats: Sequence[float], lons: Sequence[float]) -> np.ndarray:
    """Geodesic (WGS84 ellipsoid, Karney's algorithm via pyproj) distances between all pairs, in
    km: the same figures as `distance_km`, vectorised for route planning."""
    from pyproj import Geod

    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    n = len(lat)
    out = np.zeros((n, n))
    if n > 1:
        i, j = np.triu_indices(n, 1)
        _, _, metres = Geod(ellps="WGS84").inv(lon[i], lat[i], lon[j], lat[j])
        out[i, j] = np.asarray(metres) / 1000.0
        out[j, i] = out[i, j]
    return out


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Twice the signed (shoelace) area in degrees²: positive when counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))


def rewind_rings(rings: Any) -> Any:
    """Polygon rings (GeoJSON coordinates) with the outer ring counter-clockwise and holes
    clockwise, per RFC 7946 §3.1.6. Anything malformed is returned as it is, for the validator."""
    try:
        out = []
        for index, ring in enumerate(rings):
            area = _signed_area(ring)
            out.append(list(reversed(ring)) if (area < 0 if index == 0 else area > 0) else ring)
        return out
    except (TypeError, IndexError):
        return rings
