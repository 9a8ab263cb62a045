"""Regions of the map a fan can pick on the route planner ("Paris", "Herne Bay", "Slough and
Windsor"), found in and named from the data itself.

Places are grouped by single linkage at `REGION_KM` (a place joins a region when it lies within
that distance of one of its places), a finer cut than the planner's trips, so that "Windsor and
Slough" and "Hampton Court" are separate choices although one day by car covers both.

A region is named after the GeoNames towns (offline, `maps.dataset.towns`) that appear in its
places' localities: the town named by every place ("Paris"), else the two naming most places
("Slough and Windsor"); when no part of a locality is a known town, the first part of the first
locality ("Lyme Regis"). Nothing is specific to one series.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from maps.dataset.catalog import Catalog, Location
from maps.dataset.towns import towns_named
from maps.geometry import geodesic_km_matrix

REGION_KM = 10.0


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    place_ids: tuple[str, ...]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "region"


def single_linkage(dist, threshold_km: float) -> list[int]:
    """Connected components of 'closer than threshold_km' (a label per point: its seed's index)."""
    n = len(dist)
    label = [-1] * n
    for seed in range(n):
        if label[seed] >= 0:
            continue
        label[seed], todo = seed, [seed]
        while todo:
            here = todo.pop()
            for other in range(n):
                if label[other] < 0 and dist[here][other] < threshold_km:
                    label[other] = seed
                    todo.append(other)
    return label


def _locality_parts(place: Location) -> list[str]:
    return [part.strip() for part in (place.locality or "").split(",") if part.strip()]


def region_name(places: list[Location]) -> str:
    counts: Counter[str] = Counter()
    population: dict[str, int] = {}
    for place in places:
        seen = set()
        for part in _locality_parts(place):
            towns = [t for t in towns_named(part) if t.country == place.country]
            if towns and part not in seen:
                seen.add(part)
                counts[part] += 1
                population[part] = max(t.population for t in towns)
    ranked = sorted(counts, key=lambda name: (-counts[name], -population[name], name))
    if ranked and counts[ranked[0]] == len(places):
        return ranked[0]
    if len(ranked) >= 2:
        return f"{ranked[0]} and {ranked[1]}"
    if ranked:
        return ranked[0]
    parts = _locality_parts(places[0])
    return parts[0] if parts else places[0].name


_CACHE: dict[str, tuple[Region, ...]] = {}


def find_regions(catalog: Catalog) -> tuple[Region, ...]:
    """Regions of every place with coordinates, largest first; computed once per data version."""
    if catalog.version not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[catalog.version] = _regions(catalog)
    return _CACHE[catalog.version]


def region_by_id(catalog: Catalog, region_id: str) -> Region | None:
    return next((r for r in find_regions(catalog) if r.id == region_id), None)


def _regions(catalog: Catalog) -> tuple[Region, ...]:
    places = [p for p in catalog.locations if p.latlon is not None]
    if not places:
        return ()
    latlons = [p.latlon for p in places if p.latlon is not None]
    dist = geodesic_km_matrix([lat for lat, _ in latlons], [lon for _, lon in latlons])
    label = single_linkage(dist.tolist(), REGION_KM)
    groups: dict[int, list[Location]] = {}
    for place, group in zip(places, label, strict=True):
        groups.setdefault(group, []).append(place)
    regions: list[Region] = []
    used: Counter[str] = Counter()
    for members in sorted(groups.values(), key=lambda g: (-len(g), g[0].name)):
        name = region_name(members)
        rid = slug(name)
        used[rid] += 1
        if used[rid] > 1:
            rid = f"{rid}-{used[rid]}"
        regions.append(Region(rid, name, tuple(p.id for p in members)))
    return tuple(regions)
