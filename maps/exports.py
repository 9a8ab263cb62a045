"""Downloads: one registered writer per format (Datasette's renderer idea). Every writer takes
the places a filter selected and yields text chunks, so the web view streams and the CLI writes
the same bytes. No Flask here.

Text from the data file is untrusted: each format escapes it with its own library (json, csv,
gpxpy, simplekml), control characters that XML cannot carry are dropped, and CSV cells that a
spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .catalog import Filters, Location, Scene
from .episodes import Series
from .errors import NotFound

COORD_DECIMALS = 6  # RFC 7946 §11.2: ~10 cm, more is noise
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportContext:
    """What a writer needs besides the places: the series (labels, colours) and where the
    place pages live (`base_url` "" when unknown, e.g. `maps export` without --base-url)."""

    series: Series
    base_url: str = ""
    title: str = ""

    def page_url(self, location_id: str) -> str | None:
        return f"{self.base_url.rstrip('/')}/locations/{location_id}" if self.base_url else None


ExportFn = Callable[[Sequence[Location], ExportContext], Iterator[str]]


@dataclass(frozen=True)
class Exporter:
    ext: str
    media_type: str
    write: ExportFn


EXPORTERS: dict[str, Exporter] = {}


class FormatNotSupported(NotFound):
    title = "Format not supported"


def exporter(ext: str, media_type: str) -> Callable[[ExportFn], ExportFn]:
    def register(fn: ExportFn) -> ExportFn:
        EXPORTERS[ext] = Exporter(ext, media_type, fn)
        return fn

    return register


def get_exporter(ext: str) -> Exporter:
    try:
        return EXPORTERS[ext]
    except KeyError:
        allowed = ", ".join(sorted(EXPORTERS))
        raise FormatNotSupported(f"no download format {ext[:20]!r}; available: {allowed}") from None


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_name(series: Series, filters: Filters, ext: str) -> str:
    """A name that says what is inside: heartstopper-season-2.gpx, heartstopper-locations.csv."""
    stem = slugify(series.title) or "locations"
    return f"{stem}-{filters.slug() or 'locations'}.{ext}"


def clean_text(value: Any) -> str:
    """Plain text any format can carry: str, without the control characters XML 1.0 forbids."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def round_coords(value: Any) -> Any:
    if isinstance(value, list):
        return [round_coords(v) for v in value]
    return round(value, COORD_DECIMALS) if isinstance(value, float) else value


def season_labels(loc: Location, series: Series) -> str:
    return ", ".join(series.label(s) for s in loc.seasons)


def export_feature(loc: Location) -> dict[str, Any]:
    """The place as an RFC 7946 Feature: every property of the file, the (filtered) scenes, and
    its seasons as plain properties a GIS user can style by (`season`: the first one, an integer;
    `seasons`: all of them, "1,3")."""
    feat = loc.to_feature()
    geometry = feat["geometry"]
    if geometry is not None:
        feat["geometry"] = {**geometry, "coordinates": round_coords(geometry["coordinates"])}
    props = feat["properties"]
    props["season"] = loc.seasons[0] if loc.seasons else None
    props["seasons"] = ",".join(str(s) for s in loc.seasons)
    return feat


def scene_line(scene: Scene, series: Series) -> str:
    return f"{series.episode_label(scene.season, scene.episode)}: {clean_text(scene.note)}"


def description(loc: Location, ctx: ExportContext, scenes: Iterable[Scene] | None = None) -> str:
    """Scene notes, access advice and sources as plain text (each format escapes it)."""
    lines = [scene_line(s, ctx.series) for s in (loc.scenes if scenes is None else scenes)]
    if loc.story_place:
        lines.append(f"In the story: {clean_text(loc.story_place)}")
    if loc.locality:
        lines.append(f"Where: {clean_text(loc.locality)}")
    if loc.access_advice:
        lines.append(f"Access: {loc.access_advice}")
    page = ctx.page_url(loc.id)
    if page:
        lines.append(f"More: {page}")
    lines.extend(f"Source: {clean_text(s.title)} <{clean_text(s.url)}>" for s in loc.sources)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# GeoJSON: streamed feature by feature, never a second copy of the collection in memory


@exporter("geojson", "application/geo+json")
def to_geojson(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    head = {"type": "FeatureCollection", "name": ctx.title or ctx.series.title}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    for index, loc in enumerate(locations):
        yield ("" if index == 0 else ",\n") + json.dumps(export_feature(loc), ensure_ascii=False)
    yield "\n]}\n"


# ---------------------------------------------------------------------------------------------
# CSV: one row per place and scene


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
)


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would evaluate (=, +, -, @ ...) is prefixed with a quote (OWASP)."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _csv_rows(loc: Location, series: Series) -> Iterator[list[Any]]:
    lat, lon = loc.latlon if loc.latlon else ("", "")
    lat = round(lat, COORD_DECIMALS) if lat != "" else ""
    lon = round(lon, COORD_DECIMALS) if lon != "" else ""
    sources = " ".join(s.url for s in loc.sources)
    common_head = [loc.id, loc.name, lat, lon]
    common_tail = [loc.access, loc.locality, loc.story_place, sources]
    for scene in loc.scenes or (None,):
        if scene is None:
            middle = ["", "", "", "", ""]
        else:
            episode = series.episode(scene.season, scene.episode)
            middle = [
                scene.season,
                "" if scene.episode is None else scene.episode,
                episode.title if episode else "",
                scene.note,
                ", ".join(scene.characters),
            ]
        yield [csv_cell(v) for v in (*common_head, *middle, *common_tail)]


@exporter("csv", "text/csv")
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


from . import exports_xml as _xml_writers  # noqa: E402, F401  (registers gpx and kml)
