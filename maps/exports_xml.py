"""The XML downloads: GPX 1.1 (gpxpy) for phone and GPS apps, KML (simplekml) for Google My Maps
and Google Earth. Registered in `exports.EXPORTERS` on import.

Escaping: gpxpy escapes element text itself. simplekml's own escaping passes any `<![CDATA[`
section through raw (so a note could inject markup), and it leaves other fields alone, so we
switch it off (`parsetext=False`) and escape every text we hand it with the stdlib."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

import gpxpy.gpx
import simplekml

from .catalog import Location
from .exports import ExportContext, clean_text, description, exporter, season_labels


@exporter("gpx", "application/gpx+xml")
def to_gpx(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    """One waypoint per place (a line or area exports its representative point); a place with
    no coordinates yet has nothing to navigate to and is left out."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "heartstopper-maps"
    gpx.name = clean_text(ctx.title or f"{ctx.series.title} filming locations")
    gpx.description = f"{gpx.name}. Respect the access advice: some places are private."
    for loc in locations:
        if loc.latlon is None:
            continue
        lat, lon = loc.latlon
        point = gpxpy.gpx.GPXWaypoint(
            latitude=round(lat, 6),
            longitude=round(lon, 6),
            name=clean_text(loc.name),
            description=description(loc, ctx),
            type=season_labels(loc, ctx.series),
        )
        point.comment = clean_text(loc.access_advice) or None
        point.source = clean_text(loc.sources[0].url) if loc.sources else None
        page = ctx.page_url(loc.id)
        if page:
            point.link, point.link_text, point.link_type = page, clean_text(loc.name), "text/html"
        gpx.waypoints.append(point)
    yield gpx.to_xml(version="1.1")


def _kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """ "#RRGGBB" → KML's aabbggrr."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        value = "888888"
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return simplekml.Color.rgb(r, g, b, alpha)


def _season_style(colour: str) -> simplekml.Style:
    style = simplekml.Style()
    style.iconstyle.color = _kml_colour(colour)
    style.iconstyle.icon.href = "https://maps.google.com/mapfiles/kml/paddle/wht-blank.png"
    style.linestyle.color = _kml_colour(colour)
    style.linestyle.width = 4
    style.polystyle.color = _kml_colour(colour, 96)
    style.polystyle.outline = 1
    return style


def _add_geometry(folder: simplekml.Folder, loc: Location):
    geom = loc.geometry
    if geom.geom_type == "Point":
        return folder.newpoint(coords=[(round(geom.x, 6), round(geom.y, 6))])
    if geom.geom_type == "LineString":
        return folder.newlinestring(coords=[(round(x, 6), round(y, 6)) for x, y, *_ in geom.coords])
    if geom.geom_type == "Polygon":
        return folder.newpolygon(
            outerboundaryis=[(round(x, 6), round(y, 6)) for x, y, *_ in geom.exterior.coords],
            innerboundaryis=[[(round(x, 6), round(y, 6)) for x, y, *_ in r.coords] for r in geom.interiors],
        )
    lon, lat = loc.lonlat  # multi-part shapes: their representative point
    return folder.newpoint(coords=[(round(lon, 6), round(lat, 6))])


@exporter("kml", "application/vnd.google-earth.kml+xml")
def to_kml(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    """One Folder per season (a place filmed in two seasons is in both, each time with that
    season's scenes), styled in the web map's season colours; lines and areas kept as such."""
    kml = simplekml.Kml(name=escape(clean_text(ctx.title or f"{ctx.series.title} filming locations")))
    kml.parsetext(parse=False)
    seasons = sorted({s for loc in locations for s in loc.seasons})
    for number in seasons:
        folder = kml.newfolder(name=escape(ctx.series.label(number)))
        style = _season_style(ctx.series.colour(number))
        kml.document.styles.append(style)  # shared styles belong to the Document (My Maps reads them there)
        for loc in locations:
            scenes = [s for s in loc.scenes if s.season == number]
            if not scenes or loc.geometry is None:
                continue
            placemark = _add_geometry(folder, loc)
            placemark.name = escape(clean_text(loc.name))
            placemark.description = escape(description(loc, ctx, scenes))
            placemark.style = style
            placemark.extendeddata.newdata("id", escape(loc.id))
            placemark.extendeddata.newdata("season", str(number))
            placemark.extendeddata.newdata("access", escape(clean_text(loc.access)))
    yield kml.kml()
