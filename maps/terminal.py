"""Text for a terminal. Ids, names, notes and error messages can carry what a data file or a
geocoder put there; printed raw, an ESC sequence could retitle the window, rewrite earlier lines
or hide a problem, a carriage return could overwrite a line, and bidi controls could reorder
what the curator reads. Every `maps` command prints through `safe`."""

from __future__ import annotations

import re

# C0 (but tab), DEL, C1, and the Unicode bidi and invisible formatting controls.
_UNSAFE = "\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
_ONE_LINE = re.compile(f"[{_UNSAFE}]")
_MULTI_LINE = re.compile(f"[{_UNSAFE.replace(chr(0x0A) + '-', chr(0x0B) + '-')}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, multiline: bool = False) -> str:
    """`text` with every control character shown as an escape (\\x1b, \\u202e); line breaks are
    kept only when `multiline` (a whole report), else they are escaped too (one line per message)."""
    return (_MULTI_LINE if multiline else _ONE_LINE).sub(_escape, str(text))


_INVISIBLE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def safe_json(doc: object) -> str:
    """Indented JSON for a terminal: json escapes C0 itself; DEL, C1 and the invisible controls
    (which can only occur inside strings) become \\u escapes, so the output is still the same JSON."""
    import json

    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(doc, ensure_ascii=False, indent=2))
