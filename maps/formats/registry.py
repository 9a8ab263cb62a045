"""The download registry: one `Exporter` per format (Datasette's renderer idea), listed explicitly
in `maps.formats.EXPORTERS`. Every writer takes the places a filter selected and yields text
chunks, so the web view streams and the CLI writes the same bytes. No Flask here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from maps.dataset.catalog import Location
from maps.dataset.episodes import Series
from maps.dataset.filters import Filters
from maps.errors import NotFound


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


class FormatNotSupported(NotFound):
    title = "Format not supported"


def get_exporter(ext: str) -> Exporter:
    from maps.formats import EXPORTERS

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


def export_title(series_title: str, labels: list[str]) -> str:
    """The title inside a download: "Heartstopper filming locations - Season 2"."""
    return f"{series_title} filming locations" + (f" - {', '.join(labels)}" if labels else "")
