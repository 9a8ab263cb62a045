"""The list of places and a place's neighbours: sorting by name, season or distance from a
point, and "nearby" by geodesic distance (a spatial-index prefilter, then exact distances).
Plain functions, no Flask; the pages call them with what the request asked for."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point
from shapely.ops import nearest_points

from maps.dataset.catalog import Catalog, Location
from maps.dataset.filters import Filters, apply_filters
from maps.dataset.towns import find_town
from maps.errors import InvalidQuery
from maps.geometry import distance_km

SORTS = ("name", "season", "distance")
NEARBY_KM = 5.0


@dataclass(frozen=True)
class Row:
    place: Location
    distance_km: float | None = None


def parse_near(value: str | None, prefer: Sequence[str] = ()) -> tuple[float, float] | None:
    """`near=LAT,LON` (latitude first, as people write it) or a town's name ("Windsor",
    "Windsor, GB": resolved offline, towns of the countries in `prefer` first) → (lat, lon);
    InvalidQuery if bad."""
    if value is None or not value.strip():
        return None
    if any(c.isalpha() for c in value):
        town = find_town(value, prefer)
        if town is None:
            raise InvalidQuery(
                "near",
                f"no town called {value.strip()[:60]!r} is known (towns of 15,000 people or more); "
                "try a larger town nearby, or LAT,LON such as 51.5074,-0.1278",
            )
        return (town.lat, town.lon)
    parts = [p.strip() for p in value.split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise InvalidQuery("near", f"{value[:60]!r} is not LAT,LON such as 51.5074,-0.1278") from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidQuery("near", "latitude must be within -90..90 and longitude within -180..180")
    return (lat, lon)


def parse_sort(value: str | None, near: tuple[float, float] | None) -> str:
    sort = (value or "").strip() or ("distance" if near else "name")
    if sort not in SORTS:
        raise InvalidQuery("sort", f"{sort[:40]!r} is not one of: {', '.join(SORTS)}")
    if sort == "distance" and near is None:
        raise InvalidQuery("sort", "sorting by distance needs near=LAT,LON")
    return sort


def list_args(args: Any, prefer: Sequence[str] = ()) -> tuple[str, tuple[float, float] | None]:
    """`sort` and `near` from query arguments (anything with `.get`)."""
    near = parse_near(args.get("near"), prefer)
    return parse_sort(args.get("sort"), near), near


def distance_to(place: Location, latlon: tuple[float, float]) -> float | None:
    """Geodesic km from a point to the nearest point of the place's shape (a walk or a district
    is as near as its closest edge), or None when the place has no coordinates yet."""
    if place.geometry is None:
        return None
    lat, lon = latlon
    if isinstance(place.geometry, Point):
        target = (place.geometry.y, place.geometry.x)
    else:
        nearest = nearest_points(place.geometry, Point(lon, lat))[0]
        target = (nearest.y, nearest.x)
    return distance_km(latlon, target)


def sort_rows(places: Sequence[Location], sort: str, near: tuple[float, float] | None) -> list[Row]:
    rows = [Row(p, distance_to(p, near) if near else None) for p in places]
    by_name = lambda row: (row.place.name.casefold(), row.place.id)  # noqa: E731
    if sort == "season":
        return sorted(rows, key=lambda r: (r.place.first_scene_key, *by_name(r)))
    if sort == "distance":
        return sorted(rows, key=lambda r: (r.distance_km is None, r.distance_km or 0.0, *by_name(r)))
    return sorted(rows, key=by_name)


def nearby(
    catalog: Catalog, place: Location, filters: Filters | None = None, radius_km: float = NEARBY_KM
) -> list[Row]:
    """Other places within `radius_km` of this one's anchor point, nearest first. The STRtree
    prefilters with a generous box; geodesic distance decides."""
    if place.latlon is None:
        return []
    lat, lon = place.latlon
    dlat = radius_km / 110.0 * 1.05
    dlon = min(180.0, radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01)) * 1.05)
    hits = catalog.spatial_index.query_bbox((lon - dlon, lat - dlat, lon + dlon, lat + dlat))
    rows = []
    for index in hits:
        other = catalog.locations[int(index)]
        if other.id == place.id:
            continue
        if filters is not None and filters.active:
            kept = apply_filters(other, filters)  # None: no scene of it passes the filters
            if kept is None:
                continue
            other = kept
        km = distance_to(other, (lat, lon))
        if km is not None and km <= radius_km:
            rows.append(Row(other, km))
    return sorted(rows, key=lambda r: (r.distance_km, r.place.name))


FEW_PLACES = 5


@dataclass(frozen=True)
class ThinSeason:
    label: str
    mapped: int
    known: int


def thin_seasons(catalog: Catalog, seasons: Sequence[int] = ()) -> list[ThinSeason]:
    """Seasons (of those asked for, else all) with fewer than FEW_PLACES places on the map, so the
    map can say that the sources document little rather than look complete."""
    known, mapped = catalog.season_counts
    return [
        ThinSeason(season.label, mapped[season.number], known[season.number])
        for season in catalog.series.seasons
        if (not seasons or season.number in seasons) and mapped[season.number] < FEW_PLACES
    ]
