"""KML for Google My Maps and Google Earth, valid against the OGC KML 2.2 schema: one Placemark per
place (a place filmed in several seasons is one placemark, not one per season), in the Folder of
the first season it was filmed in and styled in that season's colour of the web map, with all its
seasons in its description and ExtendedData; lines and areas kept as such. Ids come from the data
(`place-windsor-bridge`, `season-1`), so the same data gives the same bytes and the ETag means
what it says. Written by `maps.formats.kmldoc`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from maps.dataset.catalog import Location
from maps.formats import kmldoc
from maps.formats.registry import ExportContext
from maps.formats.text import description, season_labels


def to_kml(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    """Shared styles in the Document, where My Maps reads them; one Folder per first season."""
    root, doc = kmldoc.document(ctx.title or f"{ctx.series.title} filming locations")
    placed = [loc for loc in locations if loc.geometry is not None and loc.seasons]
    firsts = sorted({loc.seasons[0] for loc in placed})
    styles = {n: kmldoc.style(doc, f"season-{n}", ctx.series.colour(n)) for n in firsts}
    for number in firsts:
        folder = kmldoc.folder(doc, ctx.series.label(number), f"folder-season-{number}")
        for loc in placed:
            if loc.seasons[0] != number or loc.geometry is None:
                continue
            kmldoc.placemark(
                folder,
                kmldoc.xml_id("place", loc.id),
                loc.name,
                description=f"Seasons: {season_labels(loc, ctx.series)}\n{description(loc, ctx)}",
                style_url=styles[number],
                geometry=loc.geometry,
                data={"id": loc.id, "seasons": ",".join(str(s) for s in loc.seasons), "access": loc.access},
            )
    yield kmldoc.to_string(root)
