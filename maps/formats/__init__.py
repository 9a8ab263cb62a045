"""Download formats (GeoJSON, CSV, GPX, KML), one module each, and the one registry they are
listed in. Every list of formats (CLI choices, page links, the OpenAPI document, tests) is derived
from `EXPORTERS`; a new format is a module with an `EXPORTER` added to the tuple below."""

from __future__ import annotations

from maps.formats import csv, geojson, gpx, kml
from maps.formats.registry import Exporter

EXPORTERS: dict[str, Exporter] = {
    exporter.ext: exporter for exporter in (geojson.EXPORTER, gpx.EXPORTER, kml.EXPORTER, csv.EXPORTER)
}
