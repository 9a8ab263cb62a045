"""GPX 1.1 (gpxpy) for phone and GPS apps: one waypoint per place. gpxpy escapes element text
itself; text is cleaned of what XML cannot carry first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import gpxpy.gpx

from maps.dataset.catalog import Location
from maps.formats.registry import ExportContext
from maps.formats.text import clean_text, description, season_labels


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
        page = ctx.page_url(loc.id)
        if page:
            # gpxpy declares a waypoint's link and link_text as always None (unannotated `= None`).
            point.link = page  # type: ignore[assignment]
            point.link_text = clean_text(loc.name)  # type: ignore[assignment]
            point.link_type = "text/html"
        gpx.waypoints.append(point)
    yield gpx.to_xml(version="1.1")
