"""The rules of `episodes.json` (seasons, episodes, colours, sources), as problems labelled
`episodes.json: $.path: message` like those of the places. The app only ever shows what these
rules accept: a colour goes into CSS, a source URL into a link, a title into every page."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from maps.dataset.problems import Problem
from maps.dataset.textrules import control_problem, url_problem

LABEL = "episodes.json"
COLOUR = r"^#[0-9A-Fa-f]{6}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
KIND = r"^[a-z][a-z0-9-]{0,30}$"
Text = Annotated[str, Field(min_length=1, max_length=500)]


class _Model(BaseModel):
    # Unknown keys are allowed (another series may carry more), the known ones are strict.
    model_config = ConfigDict(strict=True, extra="allow")


class SeriesSource(_Model):
    title: Text
    url: Annotated[str, Field(max_length=2000)]


class EpisodeEntry(_Model):
    episode: Annotated[int, Field(ge=1, le=10_000)]
    title: Text
    release_date: Annotated[str, Field(pattern=DATE)] | None = None


class SeasonEntry(_Model):
    season: Annotated[int, Field(ge=1, le=10_000)]
    label: Text | None = None
    kind: Annotated[str, Field(pattern=KIND)] = "series"
    year: Annotated[int, Field(ge=1800, le=3000)] | None = None
    release_date: Annotated[str, Field(pattern=DATE)] | None = None
    colour: Annotated[str, Field(pattern=COLOUR)] | None = None
    sources: list[SeriesSource] = []
    episodes: Annotated[list[EpisodeEntry], Field(max_length=10_000)] = []


class SeriesInfo(_Model):
    title: Text
    sources: list[SeriesSource] = []


class EpisodesFile(_Model):
    series: SeriesInfo
    seasons: Annotated[list[SeasonEntry], Field(min_length=1, max_length=1000)]


def check_series(raw: Any) -> list[Problem]:
    """Every problem of a parsed episodes.json: structure, colours, dates, unique numbers, http(s)
    source URLs and control characters."""
    try:
        EpisodesFile.model_validate(raw)
    except ValidationError as exc:
        return [Problem(LABEL, _path(err["loc"]), err["msg"]) for err in exc.errors()[:50]]
    out: list[Problem] = []
    out += _text_problems(raw, "$")
    for path, url in _urls(raw):
        message = url_problem(url)
        if message:
            out.append(Problem(LABEL, path, message))
    seen: set[int] = set()
    for i, season in enumerate(raw["seasons"]):
        if season["season"] in seen:
            out.append(Problem(LABEL, f"$.seasons[{i}].season", f"season {season['season']} is listed twice"))
        seen.add(season["season"])
        numbers: set[int] = set()
        for j, episode in enumerate(season.get("episodes", [])):
            if episode["episode"] in numbers:
                out.append(
                    Problem(
                        LABEL,
                        f"$.seasons[{i}].episodes[{j}].episode",
                        f"episode {episode['episode']} is listed twice",
                    )
                )
            numbers.add(episode["episode"])
    return out


def _path(loc: tuple) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def _urls(raw: dict) -> list[tuple[str, str]]:
    found = [(f"$.series.sources[{i}].url", s["url"]) for i, s in enumerate(raw["series"].get("sources", []))]
    for i, season in enumerate(raw["seasons"]):
        found += [
            (f"$.seasons[{i}].sources[{j}].url", s["url"]) for j, s in enumerate(season.get("sources", []))
        ]
    return found


def _text_problems(value: Any, path: str) -> list[Problem]:
    if isinstance(value, str):
        message = control_problem(value)
        return [Problem(LABEL, path, message)] if message else []
    if isinstance(value, dict):
        return [
            p for key, item in value.items() if key != "url" for p in _text_problems(item, f"{path}.{key}")
        ]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _text_problems(item, f"{path}[{i}]")]
    return []
