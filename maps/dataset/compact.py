"""A catalog's places as compact columns, for datasets too big to keep one object per place.

Why: a `Location` with its shapely geometry, property dict and scene tuples costs about 2.5 KB
of memory; at a million places that is 2.5 GB per worker. Here a place is its GeoJSON Feature
as compact JSON bytes in one shared buffer (one offset each), its bounding box in four float64
columns, and its id in a dict to its position: about 0.8 KB per place for typical features.
A `Location` is made from its bytes when a query returns it, so answering a page of 100 items
makes 100 objects, never a million.

`CompactLocations` is a `Sequence[Location]` and `CompactIndex` answers `query_bbox` like
`maps.geometry.SpatialIndex`, so the query functions (`maps.ogc.core.select_page`,
`maps.dataset.filters.select`, `Catalog.get`) work unchanged on either; a database (PostGIS)
could sit behind the same three calls when one machine's memory is not enough. Scans over every
place (the whole-dataset map, an unbounded filter) do make every object once per request: they
are for the object catalog, which small datasets keep (see `catalog_of`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import orjson

if TYPE_CHECKING:
    from maps.dataset.catalog import Location
    from maps.geometry import BBox


def _bounds(geometry: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """The bounding box of a GeoJSON geometry from its coordinates (no shapely object)."""
    if not geometry:
        return None
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        else:
            for part in coords or ():
                walk(part)

    walk(geometry.get("coordinates"))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


class CompactLocations(Sequence["Location"]):
    """The places in file order; item `i` is made from its stored Feature on each access."""

    def __init__(self, features: Iterable[dict[str, Any]]) -> None:
        buffer = bytearray()
        offsets = array("Q", [0])
        bounds = array("d")
        points = bytearray()
        positions: dict[str, int] = {}
        for feature in features:
            positions[str(feature.get("id"))] = len(offsets) - 1  # the last of a repeated id, as a dict
            buffer += orjson.dumps(feature)
            offsets.append(len(buffer))
            box = _bounds(feature.get("geometry"))
            geometry = feature.get("geometry") or {}
            points.append(1 if geometry.get("type") == "Point" else 0)
            bounds.extend(box if box is not None else (np.nan,) * 4)
        self._buffer = buffer  # no copy: a million places is hundreds of MB; private, never changed
        self._offsets = offsets
        self._points = np.frombuffer(bytes(points), dtype=np.uint8).astype(bool)
        self.bounds = np.frombuffer(bounds.tobytes(), dtype=np.float64).reshape(-1, 4)
        self.positions: Mapping[str, int] = positions

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def feature(self, i: int) -> dict[str, Any]:
        return orjson.loads(self._buffer[self._offsets[i] : self._offsets[i + 1]])

    @overload
    def __getitem__(self, i: int) -> Location: ...
    @overload
    def __getitem__(self, i: slice) -> list[Location]: ...
    def __getitem__(self, i):
        from maps.dataset.catalog import location_from_feature

        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return location_from_feature(self.feature(int(i)))

    def take(self, positions: Sequence[int]) -> list[Location]:
        """The places at `positions`, made in one go: the 2D points' shapes in one vectorised
        shapely call (making shapes one by one was most of the cost of a page of items)."""
        import shapely

        from maps.dataset.catalog import location_from_feature

        features = [self.feature(int(i)) for i in positions]
        flat = [
            k
            for k, f in enumerate(features)
            if (f.get("geometry") or {}).get("type") == "Point" and len(f["geometry"]["coordinates"]) == 2
        ]
        shapes: dict[int, Any] = {}
        if flat:
            made = shapely.points([features[k]["geometry"]["coordinates"] for k in flat])
            shapes = dict(zip(flat, made, strict=True))
        return [location_from_feature(f, geometry=shapes.get(k)) for k, f in enumerate(features)]

    def __iter__(self) -> Iterator[Location]:
        for i in range(len(self)):
            yield self[i]

    def is_point(self, i: int) -> bool:
        return bool(self._points[i])

    @property
    def point_mask(self) -> np.ndarray:
        """True for each place whose geometry is a Point (its box is the point: exact)."""
        return self._points

    def nbytes(self) -> int:
        """What the columns hold (the id dict and its strings included, estimated)."""
        import sys

        ids = sum(sys.getsizeof(k) for k in self.positions) + sys.getsizeof(self.positions)
        return (
            len(self._buffer)
            + self._offsets.itemsize * len(self._offsets)
            + self.bounds.nbytes
            + self._points.nbytes
            + len(self) * 12  # the index's sorted west edges and order (CompactIndex)
            + ids
        )


class CompactIndex:
    """Bbox queries over the bounds columns, exact for points; lines and polygons whose box meets
    the query are then checked against their shape, as the STRtree's `intersects` would. The
    places are kept sorted by their west edge (one int32 and one float64 per place), so a query
    looks only at the band of longitudes that can meet it: two binary searches, then vectorised
    comparisons over that band, not over every place."""

    def __init__(self, locations: CompactLocations) -> None:
        self.locations = locations
        self.size = len(locations)
        west = locations.bounds[:, 0]
        self.order = np.argsort(west, kind="stable").astype(np.int32 if self.size < 2**31 else np.int64)
        self.west = west[self.order]  # NaN (no geometry) sorts last and never matches
        widths = locations.bounds[:, 2] - west
        self.widest = float(np.nanmax(widths)) if self.size and not np.isnan(widths).all() else 0.0

    def _band(self, lo: float, hi: float) -> np.ndarray:
        """Positions of places whose west edge lies in [lo, hi]."""
        start = np.searchsorted(self.west, lo, side="left")
        stop = np.searchsorted(self.west, hi, side="right")
        return self.order[start:stop]

    def query_bbox(self, bbox: BBox) -> np.ndarray:
        """Sorted positions of places intersecting `bbox` (which may cross the antimeridian)."""
        import shapely

        minx, miny, maxx, maxy = bbox
        if minx > maxx:  # the east part [minx, 180] and the west part [-180, maxx]
            band = np.concatenate([self._band(minx - self.widest, np.inf), self._band(-np.inf, maxx)])
            boxes = [shapely.box(minx, miny, 180, maxy), shapely.box(-180, miny, maxx, maxy)]
        else:
            band = self._band(minx - self.widest, maxx)
            boxes = [shapely.box(minx, miny, maxx, maxy)]
        b = self.locations.bounds[band]
        with np.errstate(invalid="ignore"):
            in_y = (b[:, 1] <= maxy) & (b[:, 3] >= miny)
            if minx > maxx:
                in_x = (b[:, 0] <= maxx) | (b[:, 2] >= minx)
            else:
                in_x = (b[:, 0] <= maxx) & (b[:, 2] >= minx)
        hits = np.unique(band[in_x & in_y]).astype(np.int64)
        shapes = hits[~self.locations.point_mask[hits]].tolist()
        if not shapes:
            return hits
        keep = set(hits.tolist())
        for i in shapes:
            geometry = self.locations[i].geometry
            if geometry is None or not any(geometry.intersects(box) for box in boxes):
                keep.discard(int(i))
        return np.array(sorted(keep), dtype=hits.dtype)


class LazyById(Mapping[str, "Location"]):
    """`Catalog.by_id` for compact places: the id's position, then its object."""

    def __init__(self, locations: CompactLocations) -> None:
        self.locations = locations

    def __getitem__(self, key: str) -> Location:
        return self.locations[self.locations.positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.locations.positions)

    def __len__(self) -> int:
        return len(self.locations.positions)


def compact_bbox(locations: CompactLocations) -> BBox | None:
    """The extent of every place, from the bounds columns."""
    b = locations.bounds
    if not len(b) or np.isnan(b[:, 0]).all():
        return None
    return (
        float(np.nanmin(b[:, 0])),
        float(np.nanmin(b[:, 1])),
        float(np.nanmax(b[:, 2])),
        float(np.nanmax(b[:, 3])),
    )
