"""Configuration: defaults, then environment (`MAPS_DATA`, `MAPS_TILES`, `MAPS_GEOCODER_URL`,
`MAPS_USER_AGENT`, and for the suggestion queue `MAPS_DATABASE_URL`, `MAPS_STATE_DIR`,
`MAPS_SECRET_KEY`, `MAPS_RATELIMIT_STORAGE_URI`, `MAPS_REVIEW_PAGES`, `MAPS_PROXY_HOPS`), then
what the caller passes. Read when an app or command is made, never at import time."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maps.resources import bundled_data_path

ENV_KEYS = {
    "MAPS_DATA": "DATA_PATH",
    "MAPS_TILES": "TILES",
    "MAPS_GEOCODER_URL": "GEOCODER_URL",
    "MAPS_USER_AGENT": "USER_AGENT",
    "MAPS_DATABASE_URL": "DATABASE_URL",
    "MAPS_SECRET_KEY": "SECRET_KEY",
    "MAPS_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "MAPS_REVIEW_PAGES": "REVIEW_PAGES",
    "MAPS_PROXY_HOPS": "PROXY_HOPS",
}
APP_DIR_NAME = "heartstopper-maps"


def defaults() -> dict[str, Any]:
    return {
        "DATA_PATH": str(bundled_data_path()),
        "TILES": "OpenStreetMap.Mapnik",
        "GEOCODER_URL": None,
        "USER_AGENT": None,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        # The suggestion queue (see docs/suggestions.md). DATABASE_URL None = a SQLite file in
        # state_dir(); the secret key None = one generated once and kept in state_dir().
        "DATABASE_URL": None,
        "SECRET_KEY": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REVIEW_PAGES": "1",  # "0" on instances whose data file is a read-only copy
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
    environ = os.environ if environ is None else environ
    return {key: environ[name] for name, key in ENV_KEYS.items() if environ.get(name)}


def data_path(explicit: str | os.PathLike | None = None) -> Path:
    """The data file for a command: the flag, else `MAPS_DATA`, else the bundled dataset."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("MAPS_DATA") or bundled_data_path())


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the app keeps what it writes besides the data file (the default SQLite queue, the
    generated secret key): `MAPS_STATE_DIR`, else `$XDG_DATA_HOME/heartstopper-maps`, else
    `~/.local/share/heartstopper-maps`."""
    environ = os.environ if environ is None else environ
    if environ.get("MAPS_STATE_DIR"):
        return Path(environ["MAPS_STATE_DIR"])
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def database_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The suggestion queue's database: the argument, else `MAPS_DATABASE_URL`, else a SQLite
    file in state_dir() (embedded, zero set-up)."""
    environ = os.environ if environ is None else environ
    if explicit:
        return explicit
    if environ.get("MAPS_DATABASE_URL"):
        return environ["MAPS_DATABASE_URL"]
    return "sqlite:///" + str(state_dir(environ) / "suggestions.sqlite3")


def secret_key(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Signs sessions, CSRF tokens and proof-of-work challenges. `MAPS_SECRET_KEY` when set (it
    must be when several hosts serve the site); else a random key made once and kept in
    state_dir() (mode 0600), so every worker on this host and every restart agree."""
    environ = os.environ if environ is None else environ
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
