"""The one download registry, for places and route plans alike (Datasette's renderer registry is
the model): each `DownloadFormat` names its extension, media type, label, and the writers it
has, one for the places a filter selected and/or one for a route plan. `FORMATS` is filled
here, explicitly, as plain values; every list of formats (CLI choices, page links, route
exports, the OpenAPI document, the tests' parametrize) is derived from it.

The writers are named as "module:function" and imported when first used, so reading the
registry (e.g. `maps --help` building its choices) loads neither gpxpy nor the KML writer nor the
route planner. No Flask here.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from maps.errors import NotFound

if TYPE_CHECKING:
    from maps.dataset.catalog import Location
    from maps.dataset.episodes import Series
    from maps.dataset.filters import Filters
    from maps.route.plan import Plan


@dataclass(frozen=True)
class ExportContext:
    """What a writer needs besides the places: the series (labels, colours) and where the
    place pages live (`base_url` "" when unknown, e.g. `maps export` without --base-url)."""

    series: Series
    base_url: str = ""
    title: str = ""

    def page_url(self, location_id: str) -> str | None:
        return f"{self.base_url.rstrip('/')}/locations/{location_id}" if self.base_url else None


PlacesWriter = Callable[[Sequence["Location"], ExportContext], Iterator[str]]
PlanWriter = Callable[["Plan", "Series", str], str]  # (plan, series, base_url of place pages)


def _load(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class DownloadFormat:
    ext: str
    media_type: str
    label: str  # what a link says: "GPX"
    hint: str = ""  # what it is for, where a page has room: "for phone and GPS apps"
    places: str | None = None  # "module:function", a PlacesWriter
    plan: str | None = None  # "module:function", a PlanWriter
    attachment: bool = True  # False: the API's own answer (JSON), not a file to save

    def write(self, locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
        """The places as text chunks (the web view streams them, the CLI writes them)."""
        if self.places is None:
            raise FormatNotSupported(f"{self.ext} is not a download format for places")
        writer: PlacesWriter = _load(self.places)
        return writer(locations, ctx)

    def render(self, plan: Plan, series: Series, base_url: str = "") -> str:
        """A route plan as one document (`base_url`: where place pages live, for links)."""
        if self.plan is None:
            raise FormatNotSupported(f"{self.ext} is not an export format for route plans")
        writer: PlanWriter = _load(self.plan)
        return writer(plan, series, base_url)


# In the order pages list them: GPX first, the one most fans take to their phone.
FORMATS: dict[str, DownloadFormat] = {
    fmt.ext: fmt
    for fmt in (
        DownloadFormat(
            "json", "application/json", "JSON", plan="maps.route.formats:to_json", attachment=False
        ),
        DownloadFormat(
            "gpx",
            "application/gpx+xml",
            "GPX",
            "for phone and GPS apps",
            places="maps.formats.gpx:to_gpx",
            plan="maps.route.formats:to_gpx",
        ),
        DownloadFormat(
            "kml",
            "application/vnd.google-earth.kml+xml",
            "KML",
            "Google Earth, My Maps",
            places="maps.formats.kml:to_kml",
            plan="maps.route.formats:to_kml",
        ),
        DownloadFormat(
            "geojson",
            "application/geo+json",
            "GeoJSON",
            places="maps.formats.geojson:to_geojson",
            plan="maps.route.formats:to_geojson_text",
        ),
        DownloadFormat("csv", "text/csv", "CSV", "spreadsheets", places="maps.formats.csv:to_csv"),
    )
}
# The two views every caller uses: formats with a places writer, formats with a plan writer.
PLACE_FORMATS: dict[str, DownloadFormat] = {ext: f for ext, f in FORMATS.items() if f.places}
PLAN_FORMATS: dict[str, DownloadFormat] = {ext: f for ext, f in FORMATS.items() if f.plan}


class FormatNotSupported(NotFound):
    title = "Format not supported"


def get_exporter(ext: str) -> DownloadFormat:
    """The places format for a download URL's extension (404 when there is none)."""
    try:
        return PLACE_FORMATS[ext]
    except KeyError:
        allowed = ", ".join(sorted(PLACE_FORMATS))
        raise FormatNotSupported(f"no download format {ext[:20]!r}; available: {allowed}") from None


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_name(series: Series, filters: Filters, ext: str) -> str:
    """A name that says what is inside: heartstopper-season-2.gpx, heartstopper-locations.csv."""
    stem = slugify(series.title) or "locations"
    return f"{stem}-{filters.slug() or 'locations'}.{ext}"


def export_title(series_title: str, labels: list[str]) -> str:
    """The title inside a download: "Heartstopper filming locations - Season 2"."""
    return f"{series_title} filming locations" + (f" - {', '.join(labels)}" if labels else "")
