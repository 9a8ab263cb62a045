"""The series' seasons and episodes, read from `episodes.json`.

Nothing in the code is specific to one series: titles, seasons, colours and episode titles all
come from this file, so another series is mapped by swapping `data/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from maps.dataset.jsonfile import read_json
from maps.errors import DataUnreadable

DEFAULT_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


@dataclass(frozen=True)
class Episode:
    season: int
    number: int
    title: str
    release_date: str | None = None


@dataclass(frozen=True)
class Season:
    number: int
    label: str
    colour: str
    kind: str = "series"
    release_date: str | None = None
    episodes: tuple[Episode, ...] = ()

    def episode(self, number: int) -> Episode | None:
        return next((e for e in self.episodes if e.number == number), None)


@dataclass(frozen=True)
class Series:
    title: str
    seasons: tuple[Season, ...]
    sources: tuple[dict, ...] = field(default_factory=tuple)

    def season(self, number: int) -> Season | None:
        return next((s for s in self.seasons if s.number == number), None)

    def episode(self, season: int, number: int | None) -> Episode | None:
        found = self.season(season)
        return found.episode(number) if found and number is not None else None

    def label(self, season: int) -> str:
        found = self.season(season)
        return found.label if found else f"Season {season}"

    def colour(self, season: int) -> str:
        found = self.season(season)
        return found.colour if found else DEFAULT_COLOURS[season % len(DEFAULT_COLOURS)]

    def is_film(self, season: int) -> bool:
        found = self.season(season)
        return bool(found and found.kind == "film")

    def episode_label(self, season: int, number: int | None) -> str:
        """A short human label such as "S2E4 · Heat"; the title is added when it is known. A film
        is "Film", never "S4E1": it follows its season label, which carries its title."""
        if self.is_film(season):
            return "Film"
        if number is None:
            return "episode unknown"  # it follows the season label (popups, place pages)
        code = f"S{season}E{number}"
        found = self.episode(season, number)
        return f"{code} · {found.title}" if found else code

    def scene_label(self, season: int, number: int | None) -> str:
        """The label on its own (downloads, lists): "S2E4 · Challenge", or "Heartstopper Forever
        (film)" for the film."""
        if self.is_film(season):
            label = self.label(season)
            return label if "film" in label.casefold() else f"{label} (film)"
        if number is None:
            return f"{self.label(season)}, episode unknown"
        return self.episode_label(season, number)

    def episode_choice_label(self, season: int, number: int) -> str:
        """An entry of the episode menus: "Season 2 · E4 · Challenge", or the film's name."""
        if self.is_film(season):
            return self.scene_label(season, number)
        found = self.episode(season, number)
        return f"{self.label(season)} · E{number}" + (f" · {found.title}" if found else "")


def parse_series(raw: dict) -> Series:
    seasons = []
    for index, entry in enumerate(raw.get("seasons", [])):
        number = int(entry["season"])
        episodes = tuple(
            Episode(number, int(e["episode"]), str(e["title"]), e.get("release_date"))
            for e in entry.get("episodes", [])
        )
        seasons.append(
            Season(
                number=number,
                label=str(entry.get("label") or f"Season {number}"),
                colour=str(entry.get("colour") or DEFAULT_COLOURS[index % len(DEFAULT_COLOURS)]),
                kind=str(entry.get("kind", "series")),
                release_date=entry.get("release_date"),
                episodes=episodes,
            )
        )
    series = raw.get("series", {})
    return Series(
        title=str(series.get("title", "")),
        seasons=tuple(sorted(seasons, key=lambda s: s.number)),
        sources=tuple(series.get("sources", [])),
    )


def load_series(path: Path) -> Series:
    """Load and cache per file version (path, mtime, size)."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise DataUnreadable(f"cannot read episode list {path}: {exc.strerror}") from exc
    return _load_series(str(path), stat.st_mtime_ns, stat.st_size)


def read_episodes_raw(path: Path) -> Any:
    """The parsed episodes.json, for the validator (DataUnreadable when it is not JSON)."""
    return read_json(Path(path), "episode list")


@lru_cache(maxsize=8)
def _load_series(path: str, _mtime: int, _size: int) -> Series:
    raw = read_episodes_raw(Path(path))
    try:
        return parse_series(raw)
    except (AttributeError, ValueError, KeyError, TypeError) as exc:
        raise DataUnreadable(f"cannot read episode list {path}: {exc!r}; run maps validate") from exc
