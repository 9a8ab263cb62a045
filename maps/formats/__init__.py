"""Download formats (GeoJSON, CSV, GPX, KML), one module each, and the one registry they are
listed in (`maps.formats.registry.FORMATS`, shared with the route plan's exports). Importing
this package loads only the registry; a writer module is imported when it first writes.

`EXPORTERS` is the registry's view of the formats that write places, by extension; a new
format is a module with a writer and one `DownloadFormat` entry in the registry."""

from __future__ import annotations

from maps.formats.registry import FORMATS, PLACE_FORMATS, PLAN_FORMATS, DownloadFormat

EXPORTERS: dict[str, DownloadFormat] = PLACE_FORMATS

__all__ = ["EXPORTERS", "FORMATS", "PLACE_FORMATS", "PLAN_FORMATS", "DownloadFormat"]
