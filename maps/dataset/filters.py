"""The filters every page, download and API call shares (Datasette's idea: one set of query
functions for all outputs): parsing query arguments into `Filters`, and applying them to places.
`getlist` and `single` read a Werkzeug MultiDict or a plain dict alike, so the CLI and the web
layer share them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from maps.dataset.catalog import Location, Scene, Source
from maps.dataset.episodes import Series
from maps.errors import InvalidQuery

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
    # whose episode the sources do not name included.
    watched_season_done: bool = False

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


def parse_filters(args: Any, series: Series) -> Filters:
    """Read `season` (repeatable), `episode`, `character`, `q` and `watched` from query arguments
    (anything with `getlist`, or a plain dict); raise InvalidQuery naming the bad parameter."""
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
    episode_raw = single(args, "episode")
    episode: tuple[int | None, int] | None = None
    if episode_raw is not None:
        if episode_raw.isdigit() and 0 < int(episode_raw) < 1000:
            episode = (None, int(episode_raw))
        else:
            episode = parse_episode_code("episode", episode_raw, series)
    watched_raw = single(args, "watched")
    watched = None
    if watched_raw and watched_raw.lower() != WATCHED_ALL:
        watched = parse_episode_code("watched", watched_raw, series)
    return Filters(
        seasons=tuple(sorted(set(seasons))),
        episode=episode,
        character=_text(args, "character"),
        q=_text(args, "q"),
        watched=watched,
        watched_season_done=watched is not None and season_done(series, *watched),
    )


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
    if filters.watched and not all(watched_visible(s, filters) for s in location.scenes):
        # A source's title may name what the hidden scenes are: show where it is, not its title.
        return replace(location, scenes=tuple(scenes), sources=guarded_sources(location.sources))
    return replace(location, scenes=tuple(scenes))


def guarded_sources(sources: Sequence[Source]) -> tuple[Source, ...]:
    """Sources shown by their site's name only ("www.bbc.co.uk"), for a place with hidden scenes."""
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
