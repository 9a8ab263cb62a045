"""The text rules every validator shares: no control characters, linkable URLs only."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# C0 and C1 control characters, DEL, lone surrogates and the Unicode noncharacters: none of them
# belongs in a name or a note, and most are illegal in XML (KML, GPX) or dangerous in a terminal.
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)
CONTROL_OR_NEWLINE = re.compile(CONTROL.pattern[:-1] + "\t\n]")


def control_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` is refused (a control character, named by code point), or None when clean.
    Notes may hold tabs and line breaks; every other field is one line."""
    found = (CONTROL if multiline else CONTROL_OR_NEWLINE).search(value)
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X} at position {found.start()}"


def url_problem(url: str) -> str | None:
    """Why a URL cannot be linked (not http(s), no host, spaces or control characters), or None."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"{url[:80]!r} is not an http(s) URL"
    if re.search(r"[\x00-\x20\x7f-\x9f]", url):
        return f"{url[:80]!r} contains a space or a control character (percent-encode it)"
    return None
