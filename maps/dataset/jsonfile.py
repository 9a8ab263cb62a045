"""Read a JSON data file strictly: RFC 8259 JSON only. Python's json module accepts `NaN` and
`Infinity` by default; a single one in a coordinate once made the route solver spin forever, so
they are refused here, before anything else sees the file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from maps.errors import DataUnreadable


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (RFC 8259); use a finite number or null")


MAX_BYTES = 100 * 2**20  # a data file bigger than this is refused before it is parsed


def read_json(path: Path, what: str = "", max_bytes: int = MAX_BYTES) -> Any:
    """The parsed file; DataUnreadable (naming `what` and the reason) when it cannot be used."""
    label = f"{what} {path}".strip()
    try:
        with open(path, encoding="utf-8") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise DataUnreadable(f"{label} is {size / 2**20:.0f} MB: at most {max_bytes // 2**20} MB")
            return json.load(fh, parse_constant=_refuse_constant)
    except OSError as exc:
        raise DataUnreadable(f"cannot read {label}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise DataUnreadable(f"{label} is not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise DataUnreadable(f"{label} is not JSON: {exc.msg} at line {exc.lineno}") from exc
    except (ValueError, RecursionError) as exc:
        raise DataUnreadable(f"{label} is not valid JSON: {exc}") from exc
