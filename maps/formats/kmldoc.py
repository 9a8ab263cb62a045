"""A small KML 2.2 writer on the standard library's ElementTree, shared by the place downloads
and the route export.

simplekml, used before, wrote documents the OGC KML 2.2 schema rejects (bare-number ids, which
are not `xs:ID`; `<Style>` before `<name>`) with ids from a global counter, so two downloads of
the same data differed. Here every element is written in schema order, ids are derived from the
data (`season-1`, `season-1-windsor-bridge`, `stop-3`), and every text goes through `clean_text`
(nothing XML 1.0 cannot carry) before ElementTree escapes it: no CDATA, no raw markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from maps.formats.text import clean_text

KML_NS = "http://www.opengis.net/kml/2.2"
ICON = "https://maps.google.com/mapfiles/kml/paddle/wht-blank.png"
_NOT_NCNAME = re.compile(r"[^A-Za-z0-9_.-]")


def xml_id(*parts: object) -> str:
    """An `xs:ID` (an NCName: a letter first, then letters, digits, '-', '_', '.') from parts."""
    text = _NOT_NCNAME.sub("_", "-".join(str(p) for p in parts))
    return text if text[:1].isalpha() else "id-" + text


def sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean_text(text)
    return element


def document(name: str, description: str | None = None) -> tuple[ET.Element, ET.Element]:
    """The root `<kml>` and its `<Document>` with name (and description) first, as the schema wants."""
    root = ET.Element("kml", {"xmlns": KML_NS})
    doc = sub(root, "Document")
    sub(doc, "name", name)
    if description:
        sub(doc, "description", description)
    return root, doc


def style(
    doc: ET.Element, style_id: str, colour: str, *, icon: bool = True, width: int = 4, fill_alpha: int = 96
) -> str:
    """A shared `<Style>` (icon, line and area in one colour); returns its `#id` for `styleUrl`."""
    element = sub(doc, "Style", id=style_id)
    if icon:
        icon_style = sub(element, "IconStyle")
        sub(icon_style, "color", kml_colour(colour))
        sub(sub(icon_style, "Icon"), "href", ICON)
    line = sub(element, "LineStyle")
    sub(line, "color", kml_colour(colour))
    sub(line, "width", width)
    if fill_alpha:
        poly = sub(element, "PolyStyle")
        sub(poly, "color", kml_colour(colour, fill_alpha))
        sub(poly, "outline", 1)
    return "#" + style_id


def folder(parent: ET.Element, name: str, folder_id: str | None = None) -> ET.Element:
    element = sub(parent, "Folder", **({"id": folder_id} if folder_id else {}))
    sub(element, "name", name)
    return element


def placemark(
    parent: ET.Element,
    mark_id: str,
    name: str,
    *,
    description: str | None,
    style_url: str | None,
    geometry: BaseGeometry | list[tuple[float, float]],
    data: Mapping[str, object] | None = None,
) -> ET.Element:
    """A Placemark in schema order: name, description, styleUrl, ExtendedData, then the geometry
    (a shapely shape, or a list of (lon, lat) for a line)."""
    mark = sub(parent, "Placemark", id=mark_id)
    sub(mark, "name", name)
    if description:
        sub(mark, "description", description)
    if style_url:
        sub(mark, "styleUrl", style_url)
    if data:
        extended = sub(mark, "ExtendedData")
        for key, value in data.items():
            sub(sub(extended, "Data", name=key), "value", value)
    _geometry(mark, geometry)
    return mark


def _coords(points: Iterable) -> str:
    return " ".join(f"{round(x, 6)},{round(y, 6)}" for x, y, *_ in points)


def _geometry(mark: ET.Element, geometry: BaseGeometry | list[tuple[float, float]]) -> None:
    shape: Any = geometry  # a shapely geometry: its attributes depend on geom_type
    if isinstance(geometry, list):
        sub(sub(mark, "LineString"), "coordinates", _coords(geometry))
        return
    kind = shape.geom_type
    if kind == "LineString":
        sub(sub(mark, "LineString"), "coordinates", _coords(shape.coords))
    elif kind == "Polygon":
        polygon = sub(mark, "Polygon")
        outer = sub(sub(polygon, "outerBoundaryIs"), "LinearRing")
        sub(outer, "coordinates", _coords(shape.exterior.coords))
        for ring in shape.interiors:
            sub(sub(sub(polygon, "innerBoundaryIs"), "LinearRing"), "coordinates", _coords(ring.coords))
    else:  # a Point, or a multi-part shape's representative point
        point = shape if kind == "Point" else shape.representative_point()
        sub(sub(mark, "Point"), "coordinates", _coords([(point.x, point.y)]))


def to_string(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """ "#RRGGBB" → KML's aabbggrr (grey for anything else)."""
    value = hex_colour.lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        value = "888888"
    return f"{alpha:02x}{value[4:6]}{value[2:4]}{value[0:2]}".lower()
