"""Text and values every download format shares: untrusted text cleaned of what XML 1.0 cannot
carry, coordinates rounded, the plain-text description of a place, and KML's colour notation.
Each format then escapes the text with its own library (json, csv, gpxpy, ElementTree)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from maps.dataset.catalog import Location, Scene
from maps.dataset.episodes import Series
from maps.dataset.trust import CONFIDENCE_PREFIX

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


def scene_line(scene: Scene, series: Series, *, short: bool = False) -> str:
    """ "S2E5 · Heat: note", with "Reported" or "Inferred" before a scene no source confirms;
    `short` keeps only the note's first sentence (downloads link to the page for the rest)."""
    prefix = CONFIDENCE_PREFIX.get(scene.confidence or "")
    text = short_note(scene.note) if short else clean_text(scene.note)
    note = f"{prefix}: {text}" if prefix else text
    return f"{series.scene_label(scene.season, scene.episode)}: {note}"


NOTE_CHARS = 160  # a scene's note in a GPS app or My Maps: its first sentence, about this long
MAX_SCENES = 3


def short_note(note: str, limit: int = NOTE_CHARS) -> str:
    """The first sentence of a note, cut at a word before `limit` characters."""
    text = " ".join(clean_text(note).split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def description(loc: Location, ctx: ExportContext, scenes: Iterable[Scene] | None = None) -> str:
    """What a fan reads in a GPS app or My Maps, as short plain text (each format escapes it):
    the story place, a line per scene (first sentence of its note, at most three scenes), the
    access advice, and one link back to the place's page, which has the rest and the sources."""
    chosen = list(loc.scenes if scenes is None else scenes)
    lines = []
    if loc.story_place:
        lines.append(f"In the story: {clean_text(loc.story_place)}")
    lines.extend(scene_line(scene, ctx.series, short=True) for scene in chosen[:MAX_SCENES])
    if len(chosen) > MAX_SCENES:
        more = len(chosen) - MAX_SCENES
        lines.append(f"… and {more} more scene{'' if more == 1 else 's'} on the place's page.")
    if loc.access_advice:
        lines.append(f"Access: {loc.access_advice}")
    page = ctx.page_url(loc.id)
    if page:
        lines.append(f"More and sources: {page}")
    return "\n".join(lines)
