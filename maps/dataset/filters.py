"""The filters every page, download and API call shares (Datasette's idea: one set of query
functions for all outputs): parsing query arguments into `Filters`, and applying them to places.
`getlist` and `single` read a Werkzeug MultiDict or a plain dict alike, so the CLI and the web
layer share them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from maps.dataset.catalog import Location, Scene
from maps.dataset.episodes import Series
from maps.errors import InvalidQuery

MAX_TEXT_FILTER = 200
EPISODE_CODE = re.compile(r"^[Ss](\d{1,3})[Ee](\d{1,3})$")


@dataclass(frozen=True)
class Filters:
    seasons: tuple[int, ...] = ()
    episode: tuple[int | None, int] | None = None  # (season or None, episode)
    character: str | None = None
    q: str | None = None
    watched: tuple[int, int] | None = None
    # Episodes whose title the `q` text names ("Truth/Dare" or "Truth / Dare"): set by
    # parse_filters from the episode list, so a title search finds that episode's scenes.
    q_episodes: tuple[tuple[int, int], ...] = ()

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
    watched = parse_episode_code("watched", watched_raw, series) if watched_raw else None
    q = _text(args, "q")
    return Filters(
        seasons=tuple(sorted(set(seasons))),
        episode=episode,
        character=_text(args, "character"),
        q=q,
        watched=watched,
        q_episodes=_titled_episodes(q, series),
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
