"""Typed places and scenes, loaded once per data-file version (the filters over them are in
`maps.dataset.filters`)."""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from maps.dataset import store
from maps.dataset.compact import CompactIndex, CompactLocations, LazyById, compact_bbox
from maps.dataset.episodes import Series, load_series
from maps.dataset.trust import CONFIDENCE_LABELS, PRIVATE_HOME, PRIVATE_HOME_ADVICE
from maps.errors import DataUnreadable, LocationNotFound
from maps.geometry import SpatialIndex, anchor_lonlat, bbox_of, to_shape
from maps.resources import bundled_episodes_path, episodes_path_for

COMPACT_ABOVE = 50_000  # places; more are kept as compact columns (maps.dataset.compact)

ACCESS_ADVICE = {
    "public": "Public place: free to visit.",
    "exterior": "Exterior only: see it from the street; do not enter or trespass.",
    "ticketed": "Open to visitors with a ticket or as a customer.",
    "private": "Private property: not open to visitors; please respect the occupants.",
    PRIVATE_HOME: PRIVATE_HOME_ADVICE,
}
# What a fan is told first about a place that is no longer there to visit as it was filmed
# (`closure`, see maps.dataset.vocabulary): before any access advice, on every page and download.
CLOSURE_NOTICE = {
    "closed": "Closed for good: the sources say this place has shut down; it may look different now.",
    "demolished": "No longer stands: the sources say it was demolished; there is nothing left to see.",
}


def advice_for(access: str, closure: str = "") -> str:
    """The visiting advice for an access value, the closure notice first when there is one."""
    advice = ACCESS_ADVICE.get(access, "")
    notice = CLOSURE_NOTICE.get(closure, "")
    return f"{notice} {advice}".strip() if notice else advice


@dataclass(frozen=True)
class Scene:
    season: int
    episode: int | None
    note: str
    characters: tuple[str, ...] = ()
    confidence: str | None = None  # confirmed | reported | inferred (maps.dataset.trust)

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS.get(self.confidence or "", "")

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.season, self.episode if self.episode is not None else 0)


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    geometry: BaseGeometry | None
    scenes: tuple[Scene, ...]
    sources: tuple[Source, ...]
    properties: dict[str, Any] = field(repr=False, compare=False)  # as in the file, minus scenes
    geometry_json: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    locality = property(lambda self: self.properties.get("locality") or "")
    country = property(lambda self: self.properties.get("country") or "")
    precision = property(lambda self: self.properties.get("precision") or "")
    access = property(lambda self: self.properties.get("access") or "")
    story_place = property(lambda self: self.properties.get("story_place") or "")

    @property
    def closure(self) -> str:
        """ "closed" or "demolished" when the place is no longer there to visit, else ""."""
        value = self.properties.get("closure")
        return value if value in CLOSURE_NOTICE else ""

    @property
    def access_advice(self) -> str:
        return advice_for(self.access, self.closure)

    @property
    def closure_notice(self) -> str:
        """What the pages show first, in bold, for a place no longer there as filmed."""
        return CLOSURE_NOTICE.get(self.closure, "")

    @property
    def access_only_advice(self) -> str:
        """The advice for the access value alone (shown after the closure notice)."""
        return ACCESS_ADVICE.get(self.access, "")

    @property
    def least_sure(self) -> str:
        """The weakest confidence among the scenes ("inferred" < "reported" < "confirmed"), or ""
        when none says: what the list shows next to the name."""
        levels = {s.confidence for s in self.scenes}
        return next((level for level in ("inferred", "reported", "confirmed") if level in levels), "")

    @property
    def private_home(self) -> bool:
        """Shown as an area, never pinned on a house (maps.dataset.trust)."""
        return self.access == PRIVATE_HOME

    @cached_property
    def lonlat(self) -> tuple[float, float] | None:
        return anchor_lonlat(self.geometry) if self.geometry is not None else None

    @property
    def latlon(self) -> tuple[float, float] | None:
        return (self.lonlat[1], self.lonlat[0]) if self.lonlat else None

    @cached_property
    def seasons(self) -> tuple[int, ...]:
        return tuple(sorted({s.season for s in self.scenes}))

    @property
    def first_scene_key(self) -> tuple[int, int]:
        return min((s.sort_key for s in self.scenes), default=(10**6, 0))

    def to_feature(self) -> dict[str, Any]:
        """The GeoJSON Feature, with scenes as given by the current filter."""
        props = dict(self.properties)
        props["scenes"] = [_scene_dict(s) for s in self.scenes]
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": self.geometry_json,
            "properties": props,
        }


def _scene_dict(scene: Scene) -> dict[str, Any]:
    out: dict[str, Any] = {"season": scene.season, "episode": scene.episode, "note": scene.note}
    if scene.characters:
        out["characters"] = list(scene.characters)
    if scene.confidence:
        out["confidence"] = scene.confidence
    return out


def location_from_feature(
    feature: dict[str, Any], *, shape: bool = True, geometry: BaseGeometry | None = None
) -> Location:
    """The typed place of a Feature. `shape=False` leaves out the shapely geometry (a check of
    the feature's structure that keeps nothing, as the compact catalog's builder does);
    `geometry` is its shape when the caller has already made it (many points in one call)."""
    props = dict(feature.get("properties") or {})
    scenes = tuple(
        Scene(
            season=int(s["season"]),
            episode=s.get("episode"),
            note=str(s.get("note", "")),
            characters=tuple(s.get("characters") or ()),
            confidence=s.get("confidence"),
        )
        for s in props.pop("scenes", [])
    )
    sources = tuple(Source(str(s.get("title", "")), str(s.get("url", ""))) for s in props.get("sources", []))
    return Location(
        id=str(feature.get("id")),
        name=str(props.get("name", "")),
        geometry=geometry if geometry is not None else to_shape(feature.get("geometry")) if shape else None,
        scenes=scenes,
        sources=sources,
        properties=props,
        geometry_json=feature.get("geometry"),
    )


@dataclass(frozen=True)
class Catalog:
    """One version of the dataset with its indexes. Immutable: a new file version is a new Catalog."""

    locations: Sequence[Location]  # a tuple of objects, or compact columns (maps.dataset.compact)
    series: Series
    version: str

    @property
    def compact(self) -> bool:
        return isinstance(self.locations, CompactLocations)

    @cached_property
    def by_id(self) -> Mapping[str, Location]:
        if isinstance(self.locations, CompactLocations):
            return LazyById(self.locations)
        return {loc.id: loc for loc in self.locations}

    @cached_property
    def spatial_index(self) -> SpatialIndex | CompactIndex:
        if isinstance(self.locations, CompactLocations):
            return CompactIndex(self.locations)
        return SpatialIndex.build([loc.geometry for loc in self.locations])

    @cached_property
    def season_counts(self) -> tuple[Counter[int], Counter[int]]:
        """Places per season: all known, and those on the map (with coordinates)."""
        known: Counter[int] = Counter()
        mapped: Counter[int] = Counter()
        for loc in self.locations:
            known.update(loc.seasons)
            if loc.geometry is not None:
                mapped.update(loc.seasons)
        return known, mapped

    @cached_property
    def characters(self) -> list[str]:
        """Every character named in a scene (the filter form's choices when nothing is hidden)."""
        return sorted(
            {c for loc in self.locations for s in loc.scenes for c in s.characters}, key=str.casefold
        )

    @cached_property
    def bbox(self):
        if isinstance(self.locations, CompactLocations):
            return compact_bbox(self.locations)
        return bbox_of(loc.geometry for loc in self.locations)

    def get(self, location_id: str) -> Location:
        try:
            return self.by_id[location_id]
        except KeyError:
            raise LocationNotFound(f"no place with id {location_id!r}") from None


@lru_cache(maxsize=16)
def _version_paths(path: str) -> tuple[str, str, str]:
    return path, str(Path(path).with_name("episodes.json")), str(bundled_episodes_path())


def data_version(path: Path | str) -> str:
    """The version `load_catalog` serves for this file: inode, mtime and size of the data file
    and of its episode list (the sibling episodes.json if it is a file, else the bundled one, as
    `episodes_path_for` chooses). Two `stat` calls on cached path strings: cheap enough for every
    request (the response cache asks it on each one)."""
    data, sibling, bundled = _version_paths(os.fspath(path))
    try:
        st = os.stat(sibling)
        episodes = sibling if stat.S_ISREG(st.st_mode) else bundled
    except OSError:
        episodes = bundled
    return store.file_version(data) + "-" + store.file_version(episodes)


def load_catalog(path: Path) -> Catalog:
    """The catalog of the file as it is now; parsed and validated once per version of the data
    file and of its episode list (inode, mtime, size of each)."""
    version = data_version(path)
    key = (str(path), version)
    if key in _REFUSED:  # a broken version is read and validated once, not on every request
        raise DataUnreadable(_REFUSED[key])
    try:
        return _load_catalog(*key)
    except DataUnreadable as exc:
        while len(_REFUSED) >= 8:
            _REFUSED.pop(next(iter(_REFUSED)))
        _REFUSED[key] = str(exc)
        raise


_REFUSED: dict[tuple[str, str], str] = {}


@lru_cache(maxsize=4)
def _load_catalog(path: str, version: str) -> Catalog:
    """Only a file that `maps validate` accepts is served: anything else raises DataUnreadable
    (the web layer then keeps the last good version and reports the reason on /healthz)."""
    from maps.dataset.validate import check_collection

    raw = store.read_raw(Path(path))
    problems = check_collection(raw, episodes_for=Path(path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DataUnreadable(f"{path} does not validate: {problems[0]}{more}; run maps validate")
    return catalog_of(raw, load_series(episodes_path_for(Path(path))), version)


def catalog_of(
    raw: dict[str, Any], series: Series, version: str = "", *, compact_above: int = COMPACT_ABOVE
) -> Catalog:
    """A catalog of an already parsed collection, as it is (no validation: `load_catalog` is the
    way to serve a file; this is for data built in memory, e.g. a hostile export test). Up to
    `compact_above` places are kept as objects (fast scans: the whole map, the list); more are
    kept as compact columns (bounded memory: see maps.dataset.compact)."""
    features = raw.get("features", [])
    if len(features) > compact_above:
        return compact_catalog(features, series, version)
    locations = []
    for index, feature in enumerate(features):
        try:
            locations.append(location_from_feature(feature))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise DataUnreadable(f"features[{index}] is malformed ({exc!r}); run maps validate") from exc
    return Catalog(locations=tuple(locations), series=series, version=version)


def compact_catalog(features: Iterable[dict[str, Any]], series: Series, version: str = "") -> Catalog:
    """A catalog in compact columns from features given one by one (a stream: a builder never
    needs the whole collection in memory). Each feature is checked by making its Location once."""

    def checked() -> Iterator[dict[str, Any]]:
        for index, feature in enumerate(features):
            try:
                location_from_feature(feature, shape=False)  # its geometry: CompactLocations' bounds
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                raise DataUnreadable(f"features[{index}] is malformed ({exc!r}); run maps validate") from exc
            yield feature

    return Catalog(locations=CompactLocations(checked()), series=series, version=version)
