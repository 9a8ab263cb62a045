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
from urllib.parse import urlsplit

from maps.errors import InvalidQuery

if TYPE_CHECKING:
    from maps.dataset.catalog import Location, Scene, Source
    from maps.dataset.episodes import Series

MAX_TEXT_FILTER = 200
EPISODE_CODE = re.compile(r"^[Ss](\d{1,3})[Ee](\d{1,3})$")
# `watched=all` says "I have seen everything": it clears a remembered spoiler setting (a missing
# `watched` would not, since the pages then carry the remembered one).
WATCHED_ALL = "all"


@dataclass(frozen=True)
class Filters:
    seasons: tuple[int, ...] = ()
    episode: tuple[int | None, int] | None = None  # (season or None, episode)
    character: str | None = None
    q: str | None = None
    watched: tuple[int, int] | None = None
    # The watched episode is its season's last: every scene of that season is watched, those
    # whose episode the sources do not name included (derived from `watched`, not a parameter).
    watched_season_done: bool = False
    # Episodes whose title the `q` text names ("Truth/Dare" or "Truth / Dare"): derived from
    # `q` and the episode list (not a parameter), so a title search finds that episode's scenes.
    q_episodes: tuple[tuple[int, int], ...] = ()

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


_SLASH = re.compile(r"\s*/\s*")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as search compares it: case-folded, runs of spaces as one, and no space around a
    slash, so "Truth / Dare", "truth/dare" and "Truth /Dare" are the same words."""
    return _SPACE.sub(" ", _SLASH.sub("/", text.casefold())).strip()


def _titled_episodes(q: str | None, series: Series) -> tuple[tuple[int, int], ...]:
    """Episodes whose title is `q`, or contains it when `q` is at least 4 characters."""
    if not q:
        return ()
    needle = fold(q)
    return tuple(
        (season.number, episode.number)
        for season in series.seasons
        for episode in season.episodes
        if fold(episode.title) == needle or (len(needle) >= 4 and needle in fold(episode.title))
    )


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
    if not raw or raw.lower() == WATCHED_ALL:
        return None
    return parse_episode_code("watched", raw, series)


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
        description="Text in name, locality, story place or notes, or an episode's title (Truth/Dare)",
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
        description="Spoiler guard: scenes up to this episode (S2E4; `all`: no guard)",
        adds="Add places seen up to this episode (S2E4), and nothing later",
        cli_flags=("--watched",),
        cli_help="Spoiler guard: scenes up to this episode (S2E4).",
    ),
)
FILTER_NAMES: tuple[str, ...] = tuple(param.name for param in FILTER_PARAMS)
# Fields of `Filters` that no parameter fills: `parse_filters` derives them from the others.
DERIVED_FIELDS = ("watched_season_done", "q_episodes")


def parse_filters(args: Any, series: Series) -> Filters:
    """Read every filter parameter of `FILTER_PARAMS` from query arguments (anything with
    `getlist`, or a plain dict); raise InvalidQuery naming the bad parameter."""
    filters = Filters(**{param.field: param.parse(args, series) for param in FILTER_PARAMS})
    if filters.watched:
        filters = replace(filters, watched_season_done=season_done(series, *filters.watched))
    if filters.q:
        filters = replace(filters, q_episodes=_titled_episodes(filters.q, series))
    return filters


def season_done(series: Series, season: int, episode: int) -> bool:
    """Whether episode `episode` of `season` is the season's last (or past it)."""
    found = series.season(season)
    return bool(found and found.episodes) and episode >= max(e.number for e in found.episodes)  # type: ignore[union-attr]


def watched_visible(scene: Scene, filters: Filters) -> bool:
    """The spoiler guard: a scene is shown when it is at or before the watched point. A scene
    whose episode the sources do not name counts as watched once its whole season is; within a
    season partly watched it might come later, so it is hidden."""
    if not filters.watched:
        return True
    w_season, w_episode = filters.watched
    if scene.season != w_season:
        return scene.season < w_season
    if scene.episode is None:
        return filters.watched_season_done
    return scene.episode <= w_episode


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
    return watched_visible(scene, filters)


def _place_text(loc: Location) -> str:
    return fold(" ".join((loc.name, loc.locality, loc.story_place)))


def apply_filters(location: Location, filters: Filters) -> Location | None:
    """The place with only the scenes the filter keeps, or None when none is left."""
    if not filters.active:
        return location
    scenes = [s for s in location.scenes if _scene_matches(s, filters)]
    if filters.q:
        needle = fold(filters.q)
        if needle not in _place_text(location):
            scenes = [
                s
                for s in scenes
                if needle in fold(s.note)
                or any(needle in fold(c) for c in s.characters)
                or (s.season, s.episode) in filters.q_episodes
            ]
    if not scenes:
        return None
    if len(scenes) == len(location.scenes):
        return location
    if filters.watched and not all(watched_visible(s, filters) for s in location.scenes):
        # A source's title may name what the hidden scenes are: show where it is, not its title.
        return replace(location, scenes=tuple(scenes), sources=guarded_sources(location.sources))
    return replace(location, scenes=tuple(scenes))


def guarded_sources(sources: Sequence[Source]) -> tuple[Source, ...]:
    """Sources shown by their site's name only ("www.bbc.co.uk"), for a place with hidden scenes."""
    from maps.dataset.catalog import Source

    return tuple(Source(title=urlsplit(s.url).hostname or "source", url=s.url) for s in sources)


@dataclass(frozen=True)
class Hidden:
    """Places the spoiler guard hides from a list: `unknown` because a scene's episode is not
    known within the season being watched, `later` because every scene is after the watched point."""

    unknown: int = 0
    later: int = 0

    @property
    def total(self) -> int:
        return self.unknown + self.later


def hidden_by_guard(locations: Sequence[Location], filters: Filters) -> Hidden:
    """How many places the other filters keep that the spoiler guard hides, and why (counts
    only: their names are the spoiler)."""
    if not filters.watched:
        return Hidden()
    unguarded = replace(filters, watched=None, watched_season_done=False)
    unknown = later = 0
    for loc in locations:
        if apply_filters(loc, filters) is not None:
            continue
        kept = apply_filters(loc, unguarded)
        if kept is None:
            continue
        if any(s.season == filters.watched[0] and s.episode is None for s in kept.scenes):
            unknown += 1
        else:
            later += 1
    return Hidden(unknown=unknown, later=later)


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
