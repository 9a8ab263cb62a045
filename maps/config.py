"""Configuration: defaults, then environment (`MAPS_DATA`, `MAPS_TILES`, `MAPS_GEOCODER_URL`,
`MAPS_USER_AGENT`, `MAPS_ROUTING_TILES`), then what the caller passes. Read when an app or
command is made, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maps.resources import bundled_data_path

ENV_KEYS = {
    "MAPS_DATA": "DATA_PATH",
    "MAPS_TILES": "TILES",
    "MAPS_GEOCODER_URL": "GEOCODER_URL",
    "MAPS_USER_AGENT": "USER_AGENT",
    "MAPS_ROUTING_TILES": "ROUTING_TILES",
}


def defaults() -> dict[str, Any]:
    return {
        "DATA_PATH": str(bundled_data_path()),
        "TILES": "OpenStreetMap.Mapnik",
        "GEOCODER_URL": None,
        "USER_AGENT": None,
        "ROUTING_TILES": None,  # a folder written by `maps routing build`; None: estimated times
        "MAX_CONTENT_LENGTH": 64 * 1024,
    }


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    return {key: environ[name] for name, key in ENV_KEYS.items() if environ.get(name)}


def data_path(explicit: str | os.PathLike | None = None) -> Path:
    """The data file for a command: the flag, else `MAPS_DATA`, else the bundled dataset."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("MAPS_DATA") or bundled_data_path())


def routing_tiles(explicit: str | os.PathLike | None = None) -> str | None:
    """The routing tiles for a command: the flag, else `MAPS_ROUTING_TILES`, else none (estimates)."""
    return str(explicit) if explicit else os.environ.get("MAPS_ROUTING_TILES") or None
