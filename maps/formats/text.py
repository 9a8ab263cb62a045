"""Text and values every download format shares: untrusted text cleaned of what XML 1.0 cannot
carry, coordinates rounded, the plain-text description of a place, and KML's colour notation.
Each format then escapes the text with its own library (json, csv, gpxpy, ElementTree)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from maps.dataset.catalog import Location, Scene
from maps.dataset.episodes import Series

if TYPE_CHECKING:
    from maps.formats.registry import ExportContext

COORD_DECIMALS = 6  # RFC 7946 §11.2: ~10 cm, more is noise
# What XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """Plain text any format can carry: str, without the control characters XML 1.0 forbids."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def round_coords(value: Any) -> Any:
    if isinstance(value, list):
        return [round_coords(v) for v in value]
    return round(value, COORD_DECIMALS) if isinstance(value, float) else value


def season_labels(loc: Location, series: Series) -> str:
    return ", ".join(series.label(s) for s in loc.seasons)


def scene_line(scene: Scene, series: Series) -> str:
    return f"{series.episode_label(scene.season, scene.episode)}: {clean_text(scene.note)}"


def description(loc: Location, ctx: ExportContext, scenes: Iterable[Scene] | None = None) -> str:
    """Scene notes, access advice and sources as plain text (each format escapes it)."""
    lines = [scene_line(s, ctx.series) for s in (loc.scenes if scenes is None else scenes)]
    if loc.story_place:
        lines.append(f"In the story: {clean_text(loc.story_place)}")
    if loc.locality:
        lines.append(f"Where: {clean_text(loc.locality)}")
    if loc.access_advice:
        lines.append(f"Access: {loc.access_advice}")
    page = ctx.page_url(loc.id)
    if page:
        lines.append(f"More: {page}")
    lines.extend(f"Source: {clean_text(s.title)} <{clean_text(s.url)}>" for s in loc.sources)
    return "\n".join(lines)
