"""KML for Google My Maps and Google Earth, valid against the OGC KML 2.2 schema: one Folder per
season with the web map's season colours, lines and areas kept as such, stable ids (the same data
gives the same bytes, so the ETag means what it says). Written by `maps.formats.kmldoc`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from maps.dataset.catalog import Location
from maps.formats import kmldoc
from maps.formats.registry import ExportContext
from maps.formats.text import description


def to_kml(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    """One Folder per season (a place filmed in two seasons is in both, each time with that
    season's scenes); shared styles in the Document, where My Maps reads them."""
    root, doc = kmldoc.document(ctx.title or f"{ctx.series.title} filming locations")
    seasons = sorted({s for loc in locations for s in loc.seasons})
    styles = {n: kmldoc.style(doc, f"season-{n}", ctx.series.colour(n)) for n in seasons}
    for number in seasons:
        folder = kmldoc.folder(doc, ctx.series.label(number), f"folder-season-{number}")
        for loc in locations:
            scenes = [s for s in loc.scenes if s.season == number]
            if not scenes or loc.geometry is None:
                continue
            kmldoc.placemark(
                folder,
                kmldoc.xml_id("season", number, loc.id),
                loc.name,
                description=description(loc, ctx, scenes),
                style_url=styles[number],
                geometry=loc.geometry,
                data={"id": loc.id, "season": number, "access": loc.access},
            )
    yield kmldoc.to_string(root)
