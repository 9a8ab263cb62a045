"""KML (simplekml) for Google My Maps and Google Earth.

Escaping: gpxpy escapes element text itself. simplekml's own escaping passes any `<![CDATA[`
section through raw (so a note could inject markup), and it leaves other fields alone, so we
switch it off (`parsetext=False`) and escape every text we hand it with the stdlib."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

import simplekml
from shapely.geometry import LineString, Point, Polygon

from maps.dataset.catalog import Location
from maps.formats.registry import ExportContext
from maps.formats.text import clean_text, description, kml_colour, season_labels


def _season_style(colour: str) -> simplekml.Style:
    style = simplekml.Style()
    style.iconstyle.color = kml_colour(colour)
    style.iconstyle.icon.href = "https://maps.google.com/mapfiles/kml/paddle/wht-blank.png"
    style.linestyle.color = kml_colour(colour)
    style.linestyle.width = 4
    style.polystyle.color = kml_colour(colour, 96)
    style.polystyle.outline = 1
    return style


def _add_geometry(folder: simplekml.Folder, loc: Location):
    geom = loc.geometry
    if isinstance(geom, Point):
        return folder.newpoint(coords=[(round(geom.x, 6), round(geom.y, 6))])
    if isinstance(geom, LineString):
        return folder.newlinestring(coords=[(round(x, 6), round(y, 6)) for x, y, *_ in geom.coords])
    if isinstance(geom, Polygon):
        return folder.newpolygon(
            outerboundaryis=[(round(x, 6), round(y, 6)) for x, y, *_ in geom.exterior.coords],
            innerboundaryis=[[(round(x, 6), round(y, 6)) for x, y, *_ in r.coords] for r in geom.interiors],
        )
    if loc.lonlat is None:
        raise ValueError(f"{loc.id} has no coordinates: places without them are not written to KML")
    lon, lat = loc.lonlat  # multi-part shapes: their representative point
    return folder.newpoint(coords=[(round(lon, 6), round(lat, 6))])


def to_kml(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    """One Placemark per place (a place filmed in several seasons is one placemark, not one per
    season): in the Folder of the first season it was filmed in, styled in that season's colour
    of the web map, with all its seasons in its description and ExtendedData; lines and areas
    kept as such."""
    kml = simplekml.Kml(name=escape(clean_text(ctx.title or f"{ctx.series.title} filming locations")))
    kml.parsetext(parse=False)
    placed = [loc for loc in locations if loc.geometry is not None and loc.seasons]
    for number in sorted({loc.seasons[0] for loc in placed}):
        folder = kml.newfolder(name=escape(ctx.series.label(number)))
        style = _season_style(ctx.series.colour(number))
        kml.document.styles.append(style)  # shared styles belong to the Document (My Maps reads them there)
        for loc in placed:
            if loc.seasons[0] != number:
                continue
            seasons = season_labels(loc, ctx.series)
            placemark = _add_geometry(folder, loc)
            placemark.name = escape(clean_text(loc.name))
            placemark.description = escape(f"Seasons: {seasons}\n{description(loc, ctx)}")
            placemark.style = style
            placemark.extendeddata.newdata("id", escape(loc.id))
            placemark.extendeddata.newdata("seasons", ",".join(str(s) for s in loc.seasons))
            placemark.extendeddata.newdata("access", escape(clean_text(loc.access)))
    yield kml.kml()
