"""The one settings source. Every `MAPS_*` environment variable (and any other one the code
uses) is read here and only here, when an app or a command is made, never at import time;
the values are passed on: into `app.config` for the web app, as `GeocoderSettings` for the
geocoder, as a bind address for gunicorn.conf.py.

Order for the app: `defaults()`, then the environment (`from_env()`), then what the caller passes
to `create_app`."""

from __future__ import annotations

import contextlib
import os
import secrets
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
    "MAPS_ACCESS_LOG": "gunicorn's access log: - for standard output, or a file (default: none)",
    "MAPS_ROUTING_TILES": "routing tiles folder from `maps routing build` (default: none, estimates)",
    "XDG_CACHE_HOME": "where the geocoder cache goes by default (~/.cache)",
    "MAPS_PUBLIC_URL": "public address of the site (https://maps.example/) for absolute links, not the Host",
    "MAPS_DATABASE_URL": "the suggestion queue's database, a SQLAlchemy URL (default: SQLite, state folder)",
    "MAPS_STATE_DIR": "the default queue database and the generated secret key (default: $XDG_DATA_HOME/…)",
    "XDG_DATA_HOME": "where the state folder goes by default (~/.local/share)",
    "MAPS_SECRET_KEY": "signs sessions, CSRF tokens and proof-of-work challenges (default: generated once)",
    "MAPS_RATELIMIT_STORAGE_URI": "rate-limit counters' storage, e.g. redis://host:6379 (default: memory)",
    "MAPS_REVIEW_PAGES": "0 leaves the curators' review pages out (a read-only copy of the data)",
    "MAPS_PROXY_HOPS": "trusted reverse proxies in front of the app, for X-Forwarded-For/-Proto (default: 0)",
    "MAPS_TILE_CACHE": "offline map tiles: viewed (keep only tiles the fan has seen, default) or off",
    "MAPS_TILE_CACHE_MAX": "how many viewed tiles a fan's browser keeps at most (default: 500)",
}
# The variables that set a key of the web app's config.
APP_KEYS = {
    "MAPS_DATA": "DATA_PATH",
    "MAPS_TILES": "TILES",
    "MAPS_PUBLIC_URL": "PUBLIC_URL",
    "MAPS_ROUTING_TILES": "ROUTING_TILES",
    "MAPS_DATABASE_URL": "DATABASE_URL",
    "MAPS_SECRET_KEY": "SECRET_KEY",
    "MAPS_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "MAPS_REVIEW_PAGES": "REVIEW_PAGES",
    "MAPS_PROXY_HOPS": "PROXY_HOPS",
    "MAPS_TILE_CACHE": "TILE_CACHE",
    "MAPS_TILE_CACHE_MAX": "TILE_CACHE_MAX",
}
APP_DIR_NAME = "heartstopper-maps"
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
        # The suggestion queue (see docs/suggestions.md). DATABASE_URL None = a SQLite file in
        # state_dir(); the secret key None = one generated once and kept in state_dir().
        "DATABASE_URL": None,
        "SECRET_KEY": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REVIEW_PAGES": "1",  # "0" on instances whose data file is a read-only copy
        "TILE_CACHE": "viewed",  # offline tiles: only those viewed, bounded (see maps/offline.py)
        "TILE_CACHE_MAX": "500",
        "PROXY_HOPS": "0",  # trusted reverse proxies: their X-Forwarded-For/-Proto are believed
        "RATELIMIT_HEADERS_ENABLED": True,
        "SUGGEST_LIMIT": "5 per minute; 30 per hour; 100 per day",
        "SUGGEST_LIMIT_WITHOUT_POW": "2 per minute; 5 per hour",
        "SUGGEST_REQUIRE_POW": False,
        "LOGIN_LIMIT": "10 per minute; 50 per hour",
        "POW_MAX_NUMBER": 50_000,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
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


def access_log(environ: Mapping[str, str] | None = None) -> str | None:
    """`MAPS_ACCESS_LOG` for gunicorn: `-` (standard output), a file, or unset for none."""
    return _env(environ).get("MAPS_ACCESS_LOG") or None


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the app keeps what it writes besides the data file (the default SQLite queue, the
    generated secret key): `MAPS_STATE_DIR`, else `$XDG_DATA_HOME/heartstopper-maps`, else
    `~/.local/share/heartstopper-maps`."""
    environ = _env(environ)
    if environ.get("MAPS_STATE_DIR"):
        return Path(environ["MAPS_STATE_DIR"])
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def database_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The suggestion queue's database: the argument, else `MAPS_DATABASE_URL`, else a SQLite
    file in state_dir() (embedded, zero set-up)."""
    environ = _env(environ)
    if explicit:
        return explicit
    if environ.get("MAPS_DATABASE_URL"):
        return environ["MAPS_DATABASE_URL"]
    return "sqlite:///" + str(state_dir(environ) / "suggestions.sqlite3")


def secret_key(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Signs sessions, CSRF tokens and proof-of-work challenges. `MAPS_SECRET_KEY` when set (it
    must be when several hosts serve the site); else a random key made once and kept in
    state_dir() (mode 0600), so every worker on this host and every restart agree."""
    environ = _env(environ)
    if explicit:
        return explicit
    if environ.get("MAPS_SECRET_KEY"):
        return environ["MAPS_SECRET_KEY"]
    path = state_dir(environ) / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written in full to a private temp file, then linked into place: link() never replaces an
    # existing key, so concurrent first starts all end up reading the one that won.
    tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()


def enabled(value: Any) -> bool:
    """A yes/no setting given as text ("0", "false", "no", "off" are no)."""
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")
