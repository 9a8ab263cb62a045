"""The one settings source. Every `MAPS_*` environment variable (and any other one the code
uses) is read here and only here, when an app or a command is made, never at import time;
the values are passed on: into `app.config` for the web app, as `GeocoderSettings` for the
geocoder, as a bind address for gunicorn.conf.py.

Order for the app: `defaults()`, then the environment (`from_env()`), then what the caller passes
to `create_app`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maps.resources import bundled_data_path

if TYPE_CHECKING:
    from maps.dataset.geocode import GeocoderSettings

# Every environment variable the project reads, with what it sets (the docs list the same).
ENVIRONMENT: dict[str, str] = {
    "MAPS_DATA": "path of the data file (default: the bundled data/locations.geojson)",
    "MAPS_TILES": "map tiles: an xyzservices provider name (default: OpenStreetMap.Mapnik)",
    "MAPS_GEOCODER_URL": "Nominatim server for `maps add --query` and `maps geocode`",
    "MAPS_USER_AGENT": "User-Agent sent to the geocoder",
    "MAPS_GEOCODE_CACHE": "file caching geocoder answers (default: $XDG_CACHE_HOME/maps/geocode-cache.json)",
    "MAPS_BIND": "HOST:PORT for `gunicorn -c gunicorn.conf.py` (default: 127.0.0.1:8000)",
    "MAPS_ROUTING_TILES": "routing tiles folder from `maps routing build` (default: none, estimates)",
    "XDG_CACHE_HOME": "where the geocoder cache goes by default (~/.cache)",
    "MAPS_PUBLIC_URL": "public address of the site (https://maps.example/) for absolute links, not the Host",
}
# The variables that set a key of the web app's config.
APP_KEYS = {"MAPS_DATA": "DATA_PATH", "MAPS_TILES": "TILES", "MAPS_ROUTING_TILES": "ROUTING_TILES"}
APP_KEYS = {"MAPS_DATA": "DATA_PATH", "MAPS_TILES": "TILES", "MAPS_PUBLIC_URL": "PUBLIC_URL"}
DEFAULT_TILES = "OpenStreetMap.Mapnik"
DEFAULT_BIND = "127.0.0.1:8000"


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def defaults() -> dict[str, Any]:
    return {
        "DATA_PATH": str(bundled_data_path()),
        "TILES": DEFAULT_TILES,
        "ROUTING_TILES": None,  # a folder written by `maps routing build`; None: estimated times
        "PUBLIC_URL": None,  # absolute links from the Host header unless this is set
        "MAX_CONTENT_LENGTH": 64 * 1024,
    }


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app config keys the environment sets (unset or empty variables set nothing)."""
    env = _env(environ)
    return {key: env[name] for name, key in APP_KEYS.items() if env.get(name)}


def data_path(explicit: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The data file for a command: the flag, else `MAPS_DATA`, else the bundled dataset."""
    if explicit:
        return Path(explicit)
    return Path(_env(environ).get("MAPS_DATA") or bundled_data_path())


def routing_tiles(
    explicit: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The routing tiles for a command: the flag, else `MAPS_ROUTING_TILES`, else none (estimates)."""
    return str(explicit) if explicit else _env(environ).get("MAPS_ROUTING_TILES") or None


def geocoder_settings(environ: Mapping[str, str] | None = None) -> GeocoderSettings:
    """The geocoder's URL, User-Agent and cache file, from the environment or the defaults."""
    from maps.dataset.geocode import DEFAULT_URL, DEFAULT_USER_AGENT, GeocoderSettings

    env = _env(environ)
    cache = env.get("MAPS_GEOCODE_CACHE")
    cache_home = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return GeocoderSettings(
        url=env.get("MAPS_GEOCODER_URL") or DEFAULT_URL,
        user_agent=env.get("MAPS_USER_AGENT") or DEFAULT_USER_AGENT,
        cache_path=Path(cache) if cache else cache_home / "maps" / "geocode-cache.json",
    )


def bind_address(environ: Mapping[str, str] | None = None) -> tuple[str, int]:
    """`MAPS_BIND` (HOST:PORT) for gunicorn.conf.py."""
    host, _, port = (_env(environ).get("MAPS_BIND") or DEFAULT_BIND).rpartition(":")
    return host or "127.0.0.1", int(port)
