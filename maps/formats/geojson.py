"""GeoJSON (RFC 7946): streamed feature by feature, never a second copy of the collection in
memory. `export_feature` is also the OGC API's item body."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from maps.dataset.catalog import Location
from maps.formats.registry import ExportContext
from maps.formats.text import round_coords


def export_feature(loc: Location) -> dict[str, Any]:
    """The place as an RFC 7946 Feature: every property of the file, the (filtered) scenes, and
    its seasons as plain properties a GIS user can filter and style by: `seasons`, all of them as
    an array of integers ([1, 3]: what the `season` filter of the API matches, read by GDAL and
    QGIS as an integer list, `array_contains("seasons", 2)`), and `first_season` (1), the earliest.
    There is no single `season` property: a place filmed in two seasons has no one season."""
    feat = loc.to_feature()
    geometry = feat["geometry"]
    if geometry is not None:
        feat["geometry"] = {**geometry, "coordinates": round_coords(geometry["coordinates"])}
    props = feat["properties"]
    props["seasons"] = list(loc.seasons)
    props["first_season"] = loc.seasons[0] if loc.seasons else None
    return feat


def to_geojson(locations: Sequence[Location], ctx: ExportContext) -> Iterator[str]:
    head = {"type": "FeatureCollection", "name": ctx.title or ctx.series.title}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    for index, loc in enumerate(locations):
        yield ("" if index == 0 else ",\n") + json.dumps(export_feature(loc), ensure_ascii=False)
    yield "\n]}\n"
