"""The filters every page, download and API call shares (Datasette's idea: one set of query
functions for all outputs): parsing query arguments into `Filters`, and applying them to places.
`getlist` and `single` read a Werkzeug MultiDict or a plain dict alike, so the CLI and the web
layer share them.

`FILTER_PARAMS` is the one registry of the filter parameters (season, episode, character, q,
watched): how each is parsed and written back into a query, and how the OpenAPI document and
the `maps export` options describe it. Every list of filter names is derived from it. This
module loads no shapely or Flask, so the CLI can build its options from it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from maps.errors import InvalidQuery

if TYPE_CHECKING:
    from maps.dataset.catalog import Location, Scene
    from maps.dataset.episodes import Series

MAX_TEXT_FILTER = 200
EPISODE_CODE = re.compile(r"^[Ss](\d{1,3})[Ee](\d{1,3})$")


@dataclass(frozen=True)
class Filters:
    seasons: tuple[int, ...] = ()
    episode: tuple[int | None, int] | None = None  # (season or None, episode)
    character: str | None = None
    q: str | None = None
    watched: tuple[int, int] | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, param.field) for param in FILTER_PARAMS)

    def as_query(self) -> list[tuple[str, str]]:
        """Back to query parameters, for links that keep the current view."""
        return [
            (param.name, value)
            for param in FILTER_PARAMS
            for value in param.to_query(getattr(self, param.field))
        ]

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


def getlist(args: Any, key: str) -> list[str]:
    if hasattr(args, "getlist"):
        return [v for v in args.getlist(key)]
    value = args.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def single(args: Any, key: str) -> str | None:
    values = [v.strip() for v in getlist(args, key) if v is not None and v.strip() != ""]
    if len(values) > 1:
        raise InvalidQuery(key, "give it at most once")
    return values[0] if values else None


def _text(args: Any, key: str) -> str | None:
    value = single(args, key)
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


def _seasons(args: Any, series: Series) -> tuple[int, ...]:
    known = [s.number for s in series.seasons]
    seasons: list[int] = []
    for raw in getlist(args, "season"):
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) not in known:
                allowed = ", ".join(str(n) for n in known)
                raise InvalidQuery("season", f"{part[:40]!r} is not a season; allowed: {allowed}")
            seasons.append(int(part))
    return tuple(sorted(set(seasons)))


def _episode(args: Any, series: Series) -> tuple[int | None, int] | None:
    raw = single(args, "episode")
    if raw is None:
        return None
    if raw.isdigit() and 0 < int(raw) < 1000:
        return (None, int(raw))
    return parse_episode_code("episode", raw, series)


def _watched(args: Any, series: Series) -> tuple[int, int] | None:
    raw = single(args, "watched")
    return parse_episode_code("watched", raw, series) if raw else None


@dataclass(frozen=True, kw_only=True)
class FilterParam:
    """One filter query parameter, described once for all its readers."""

    name: str  # the query parameter
    field: str  # the attribute of `Filters` it fills
    parse: Callable[[Any, Series], Any]  # query arguments -> the field's value (InvalidQuery if bad)
    to_query: Callable[[Any], list[str]]  # the field's value -> query values (links keeping a view)
    schema: dict[str, Any]  # one value, as JSON Schema (the OpenAPI document)
    description: str  # what it selects (pages, downloads, the OGC API)
    adds: str  # what it adds to a route plan (/api/route)
    cli_flags: tuple[str, ...]  # `maps export`'s option
    cli_help: str
    repeatable: bool = False


def _one(value: Any) -> list[str]:
    return [value] if value else []


def _episode_query(value: tuple[int | None, int] | None) -> list[str]:
    if not value:
        return []
    season, number = value
    return [f"S{season}E{number}" if season else str(number)]


TEXT_SCHEMA = {"type": "string", "maxLength": MAX_TEXT_FILTER}
FILTER_PARAMS: tuple[FilterParam, ...] = (
    FilterParam(
        name="season",
        field="seasons",
        parse=_seasons,
        to_query=lambda seasons: [str(s) for s in seasons],
        schema={"type": "integer", "minimum": 1},
        description="Places filmed in this season (repeatable); each place keeps only that season's scenes",
        adds="Add every place of this season (repeatable)",
        cli_flags=("--season",),
        cli_help="Only this season (repeatable).",
        repeatable=True,
    ),
    FilterParam(
        name="episode",
        field="episode",
        parse=_episode,
        to_query=_episode_query,
        schema={"type": "string"},
        description="Episode number or code such as S2E4",
        adds="Add places of an episode: 5 or S2E5",
        cli_flags=("--episode",),
        cli_help="Only this episode (number or S2E4).",
    ),
    FilterParam(
        name="character",
        field="character",
        parse=lambda args, _series: _text(args, "character"),
        to_query=_one,
        schema=TEXT_SCHEMA,
        description="A character in a scene",
        adds="Add places where this character appears",
        cli_flags=("--character",),
        cli_help="Only scenes with this character.",
    ),
    FilterParam(
        name="q",
        field="q",
        parse=lambda args, _series: _text(args, "q"),
        to_query=_one,
        schema=TEXT_SCHEMA,
        description="Text in name, locality, story place or notes",
        adds="Add places whose text matches",
        cli_flags=("-q", "--query"),
        cli_help="Only places or scenes mentioning this text.",
    ),
    FilterParam(
        name="watched",
        field="watched",
        parse=_watched,
        to_query=lambda value: [f"S{value[0]}E{value[1]}"] if value else [],
        schema={"type": "string"},
        description="Spoiler guard: scenes up to this episode (S2E4)",
        adds="Add places seen up to this episode (S2E4), and nothing later",
        cli_flags=("--watched",),
        cli_help="Spoiler guard: scenes up to this episode (S2E4).",
    ),
)
FILTER_NAMES: tuple[str, ...] = tuple(param.name for param in FILTER_PARAMS)


def parse_filters(args: Any, series: Series) -> Filters:
    """Read every filter parameter of `FILTER_PARAMS` from query arguments (anything with
    `getlist`, or a plain dict); raise InvalidQuery naming the bad parameter."""
    return Filters(**{param.field: param.parse(args, series) for param in FILTER_PARAMS})


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
