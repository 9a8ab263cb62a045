"""Typed places and scenes, loaded once per data-file version, and the filters every page,
download and API call shares (Datasette's idea: one set of query functions for all outputs)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from . import store
from .episodes import Series, load_series
from .errors import DataUnreadable, InvalidQuery, LocationNotFound
from .geometry import SpatialIndex, anchor_lonlat, bbox_of, to_shape
from .resources import episodes_path_for

ACCESS_ADVICE = {
    "public": "Public place: free to visit.",
    "exterior": "Exterior only: see it from the street; do not enter or trespass.",
    "ticketed": "Open to visitors with a ticket or as a customer.",
    "private": "Private property: not open to visitors; please respect the occupants.",
}
MAX_TEXT_FILTER = 200
EPISODE_CODE = re.compile(r"^[Ss](\d{1,3})[Ee](\d{1,3})$")


@dataclass(frozen=True)
class Scene:
    season: int
    episode: int | None
    note: str
    characters: tuple[str, ...] = ()

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
    def access_advice(self) -> str:
        return ACCESS_ADVICE.get(self.access, "")

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
    return out


def location_from_feature(feature: dict[str, Any]) -> Location:
    props = dict(feature.get("properties") or {})
    scenes = tuple(
        Scene(
            season=int(s["season"]),
            episode=s.get("episode"),
            note=str(s.get("note", "")),
            characters=tuple(s.get("characters") or ()),
        )
        for s in props.pop("scenes", [])
    )
    sources = tuple(Source(str(s.get("title", "")), str(s.get("url", ""))) for s in props.get("sources", []))
    return Location(
        id=str(feature.get("id")),
        name=str(props.get("name", "")),
        geometry=to_shape(feature.get("geometry")),
        scenes=scenes,
        sources=sources,
        properties=props,
        geometry_json=feature.get("geometry"),
    )


@dataclass(frozen=True)
class Catalog:
    """One version of the dataset with its indexes. Immutable: a new file version is a new Catalog."""

    locations: tuple[Location, ...]
    series: Series
    version: str

    @cached_property
    def by_id(self) -> dict[str, Location]:
        return {loc.id: loc for loc in self.locations}

    @cached_property
    def spatial_index(self) -> SpatialIndex:
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
    def bbox(self):
        return bbox_of(loc.geometry for loc in self.locations)

    def get(self, location_id: str) -> Location:
        try:
            return self.by_id[location_id]
        except KeyError:
            raise LocationNotFound(f"no place with id {location_id!r}") from None


def load_catalog(path: Path) -> Catalog:
    """The catalog of the file as it is now; parsed once per file version (mtime, size, inode)."""
    version = store.file_version(path)
    return _load_catalog(str(path), version)


@lru_cache(maxsize=4)
def _load_catalog(path: str, version: str) -> Catalog:
    raw = store.read_raw(Path(path))
    series = load_series(episodes_path_for(Path(path)))
    locations = []
    for index, feature in enumerate(raw.get("features", [])):
        try:
            locations.append(location_from_feature(feature))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise DataUnreadable(
                f"{path}: features[{index}] is malformed ({exc!r}); run maps validate"
            ) from exc
    return Catalog(locations=tuple(locations), series=series, version=version)


# ---------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class Filters:
    seasons: tuple[int, ...] = ()
    episode: tuple[int | None, int] | None = None  # (season or None, episode)
    character: str | None = None
    q: str | None = None
    watched: tuple[int, int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.seasons or self.episode or self.character or self.q or self.watched)

    def as_query(self) -> list[tuple[str, str]]:
        """Back to query parameters, for links that keep the current view."""
        pairs: list[tuple[str, str]] = [("season", str(s)) for s in self.seasons]
        if self.episode:
            season, number = self.episode
            pairs.append(("episode", f"S{season}E{number}" if season else str(number)))
        if self.character:
            pairs.append(("character", self.character))
        if self.q:
            pairs.append(("q", self.q))
        if self.watched:
            pairs.append(("watched", f"S{self.watched[0]}E{self.watched[1]}"))
        return pairs

    def slug(self) -> str:
        """Words for file names: "season-2", "season-1-2-character-nick"."""
        parts = []
        if self.seasons:
            parts.append("season-" + "-".join(str(s) for s in self.seasons))
        for key, value in self.as_query():
            if key != "season":
                parts.append(f"{key}-{value}")
        text = "-".join(parts).lower()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


def _getlist(args: Any, key: str) -> list[str]:
    if hasattr(args, "getlist"):
        return [v for v in args.getlist(key)]
    value = args.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _single(args: Any, key: str) -> str | None:
    values = [v.strip() for v in _getlist(args, key) if v is not None and v.strip() != ""]
    if len(values) > 1:
        raise InvalidQuery(key, "give it at most once")
    return values[0] if values else None


def _text(args: Any, key: str) -> str | None:
    value = _single(args, key)
    if value is not None and (len(value) > MAX_TEXT_FILTER or "\x00" in value):
        raise InvalidQuery(key, f"must be at most {MAX_TEXT_FILTER} characters of text")
    return value


def parse_episode_code(parameter: str, value: str, series: Series) -> tuple[int, int]:
    match = EPISODE_CODE.match(value)
    if not match:
        raise InvalidQuery(parameter, f"{value!r} is not an episode code like S2E4")
    season, episode = int(match[1]), int(match[2])
    if series.season(season) is None:
        raise InvalidQuery(parameter, f"there is no season {season}")
    return season, episode


def parse_filters(args: Any, series: Series) -> Filters:
    """Read `season` (repeatable), `episode`, `character`, `q` and `watched` from query arguments
    (anything with `getlist`, or a plain dict); raise InvalidQuery naming the bad parameter."""
    known = [s.number for s in series.seasons]
    seasons: list[int] = []
    for raw in _getlist(args, "season"):
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) not in known:
                allowed = ", ".join(str(n) for n in known)
                raise InvalidQuery("season", f"{part[:40]!r} is not a season; allowed: {allowed}")
            seasons.append(int(part))
    episode_raw = _single(args, "episode")
    episode: tuple[int | None, int] | None = None
    if episode_raw is not None:
        if episode_raw.isdigit() and 0 < int(episode_raw) < 1000:
            episode = (None, int(episode_raw))
        else:
            episode = parse_episode_code("episode", episode_raw, series)
    watched_raw = _single(args, "watched")
    watched = parse_episode_code("watched", watched_raw, series) if watched_raw else None
    return Filters(
        seasons=tuple(sorted(set(seasons))),
        episode=episode,
        character=_text(args, "character"),
        q=_text(args, "q"),
        watched=watched,
    )


def _scene_matches(scene: Scene, filters: Filters) -> bool:
    if filters.seasons and scene.season not in filters.seasons:
        return False
    if filters.episode:
        season, number = filters.episode
        if scene.episode != number or (season is not None and scene.season != season):
            return False
    if filters.character:
        wanted = filters.character.casefold()
        if not any(c.casefold() == wanted for c in scene.characters):
            return False
    if filters.watched:
        # Spoiler guard: a scene of the current season with no known episode might be later.
        w_season, w_episode = filters.watched
        if scene.season > w_season:
            return False
        if scene.season == w_season and (scene.episode is None or scene.episode > w_episode):
            return False
    return True


def _place_text(loc: Location) -> str:
    return " ".join((loc.name, loc.locality, loc.story_place)).casefold()


def apply_filters(location: Location, filters: Filters) -> Location | None:
    """The place with only the scenes the filter keeps, or None when none is left."""
    if not filters.active:
        return location
    scenes = [s for s in location.scenes if _scene_matches(s, filters)]
    if filters.q:
        needle = filters.q.casefold()
        if needle not in _place_text(location):
            scenes = [
                s
                for s in scenes
                if needle in s.note.casefold() or any(needle in c.casefold() for c in s.characters)
            ]
    if not scenes:
        return None
    if len(scenes) == len(location.scenes):
        return location
    return replace(location, scenes=tuple(scenes))


def select(locations: Sequence[Location], filters: Filters) -> list[Location]:
    """Filter a list of places, keeping their order."""
    if not filters.active:
        return list(locations)
    out = []
    for loc in locations:
        kept = apply_filters(loc, filters)
        if kept is not None:
            out.append(kept)
    return out


def characters(locations: Sequence[Location]) -> list[str]:
    """Every character named in a scene, for the filter form."""
    return sorted({c for loc in locations for s in loc.scenes for c in s.characters}, key=str.casefold)
