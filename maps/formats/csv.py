"""CSV: one row per place and scene, with the season's label (the film is called a film), how
sure the scene is (`confidence`) and the access advice (private homes say so). Cells that a
spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from maps.dataset.catalog import Location
from maps.dataset.episodes import Series
from maps.formats.registry import ExportContext
from maps.formats.text import COORD_DECIMALS, clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "id",
    "name",
    "lat",
    "lon",
    "season",
    "episode",
    "episode_title",
    "note",
    "characters",
    "access",
    "locality",
    "story_place",
    "source_url",
    # Added later, so at the end (readers that index columns keep working):
    "season_label",
    "confidence",
    "access_advice",
)


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would evaluate (=, +, -, @ ...) is prefixed with a quote (OWASP).
    Spreadsheets skip leading spaces and line breaks and fold fullwidth signs (U+FF1D, U+FF0B) to their
    ASCII forms, so the check looks at the first visible character after the same folding."""
    if isinstance(value, str):
        value = clean_text(value)
        first = value.lstrip()[:1]
        if value.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", first).startswith(
            FORMULA_STARTS
        ):
            return "'" + value
    return value


def _csv_rows(loc: Location, series: Series) -> Iterator[list[Any]]:
    lat: float | str = ""  # an empty cell for a place with no coordinates yet
    lon: float | str = ""
    if loc.latlon is not None:
        lat, lon = (round(value, COORD_DECIMALS) for value in loc.latlon)
    sources = " ".join(s.url for s in loc.sources)
    common_head: list[Any] = [loc.id, loc.name, lat, lon]
    common_tail = [loc.access, loc.locality, loc.story_place, sources]
    for scene in loc.scenes or (None,):
        if scene is None:
            middle: list[Any] = ["", "", "", "", ""]
            extra: list[Any] = ["", ""]
        else:
            episode = series.episode(scene.season, scene.episode)
            film = series.is_film(scene.season)  # a film has no episode number to show
            middle = [
                scene.season,
                "" if scene.episode is None or film else scene.episode,
                episode.title if episode else "",
                scene.note,
                ", ".join(scene.characters),
            ]
            label = series.scene_label(scene.season, None) if film else series.label(scene.season)
            extra = [label, scene.confidence or ""]
        row = (*common_head, *middle, *common_tail, *extra, loc.access_advice)
        yield [csv_cell(v) for v in row]


def to_csv(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF, quotes doubled
    buffer.write("\ufeff")  # BOM: spreadsheets then read the file as UTF-8
    writer.writerow(CSV_COLUMNS)
    for loc in locations:
        for row in _csv_rows(loc, ctx.series):
            writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
