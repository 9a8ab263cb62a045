"""The offline pack's rules, with no web framework: which files go into it, how big it may get,
how the cache is named, and when map tiles may be kept.

Tiles: a fan's browser keeps only the tiles it has already shown ("viewed"), at most
`TILE_CACHE_MAX` of them, and never fetches one ahead (OpenStreetMap's tile usage policy
forbids bulk downloading and prefetching). `off` keeps none. An operator serving their own
tiles may raise the bound (see docs/offline.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

TILE_MODES = ("viewed", "off")
DEFAULT_TILE_MODE = "viewed"
DEFAULT_TILE_MAX = 500  # about 10 MB of 256 px PNG tiles
TILE_MAX_LIMIT = 20_000
MAX_PACK_URLS = 5_000  # pages and files precached per data version
MAX_PAGES = 40  # pages kept as the fan visits them (planned trips, filtered views)
CACHE_PREFIX = "maps-pack-"
TILE_CACHE_NAME = "maps-tiles"


class OfflineSettingError(ValueError):
    """A MAPS_TILE_CACHE / MAPS_TILE_CACHE_MAX value the app cannot use (raised at start-up)."""


def tile_cache_mode(value: str | None, provider: str) -> str:
    """The tile policy for `provider`: `viewed` (default) or `off`. Nothing else is accepted:
    there is deliberately no mode that downloads tiles the fan has not seen."""
    mode = (value or DEFAULT_TILE_MODE).strip().lower()
    if mode not in TILE_MODES:
        raise OfflineSettingError(
            f"MAPS_TILE_CACHE must be one of {', '.join(TILE_MODES)} (got {value!r}); "
            f"tiles of {provider} are never downloaded ahead of being viewed"
        )
    return mode


def tile_cache_max(value: str | int | None) -> int:
    """How many viewed tiles a browser keeps at most (oldest evicted first)."""
    if value in (None, ""):
        return DEFAULT_TILE_MAX
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise OfflineSettingError(f"MAPS_TILE_CACHE_MAX must be a whole number (got {value!r})") from None
    if not 1 <= number <= TILE_MAX_LIMIT:
        raise OfflineSettingError(f"MAPS_TILE_CACHE_MAX must be 1..{TILE_MAX_LIMIT} (got {number})")
    return number


def asset_files(base: Path, *, skip: Iterable[str] = (), only: Sequence[str] = ()) -> list[str]:
    """The files under `base` (relative POSIX paths, sorted); `only` keeps names equal to an
    entry or under an entry ending with "/"."""
    skipped = set(skip)
    out = []
    for path in sorted(base.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(base).as_posix()
        if name in skipped or name.startswith(".") or "/." in name or "__pycache__" in name:
            continue
        if only and not any(name == o or (o.endswith("/") and name.startswith(o)) for o in only):
            continue
        out.append(name)
    return out


def files_version(folders: Iterable[Path], *, skip: Iterable[str] = ()) -> str:
    """A short fingerprint of the static files: a new release gives a new cache even when the
    data file is unchanged (the worker would otherwise keep serving the old scripts)."""
    digest = hashlib.blake2b(digest_size=6)
    for base in folders:
        for name in asset_files(base, skip=skip):
            digest.update(name.encode() + b"\0" + (base / name).read_bytes())
    return digest.hexdigest()


def bounded_pack(urls: Sequence[str]) -> list[str]:
    """The pack without duplicates, refused when it would be unreasonably big (a data file of
    thousands of places needs a different design: per-region packs)."""
    unique = list(dict.fromkeys(urls))
    if len(unique) > MAX_PACK_URLS:
        raise OfflineSettingError(
            f"the offline pack would hold {len(unique)} files (at most {MAX_PACK_URLS})"
        )
    return unique


def content_version(features: Iterable[dict], series: object) -> str:
    """A digest of what the data says, not of the file's identity (its inode and mtime differ
    between hosts serving the same data): several hosts behind one address agree on it, so a
    fan's browser never sees two versions of one dataset."""
    digest = hashlib.blake2b(digest_size=10)
    for feature in features:
        digest.update(json.dumps(feature, sort_keys=True, default=str).encode())
    digest.update(repr(series).encode())
    return digest.hexdigest()


def cache_name(data_version: str, assets_version: str) -> str:
    """One cache per data version (and release of the static files)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in data_version)
    return f"{CACHE_PREFIX}{safe}-{assets_version}"


def worker_config(
    *,
    data_version: str,
    assets_version: str,
    pack: Sequence[str],
    place_ids: Sequence[str],
    tile_mode: str,
    tile_max: int,
    tile_hosts: Sequence[str],
    scope: str,
) -> dict:
    """The settings the service worker script starts with."""
    return {
        "data": data_version,
        "cache": cache_name(data_version, assets_version),
        "prefix": CACHE_PREFIX,
        "pack": list(pack),
        "ids": list(place_ids),
        # Pages kept beyond the pack: the fan's visits, and the pack once more for a spoiler setting.
        "maxPages": MAX_PAGES + len(pack),
        "scope": scope,
        "tiles": {"mode": tile_mode, "max": tile_max, "hosts": list(tile_hosts), "cache": TILE_CACHE_NAME},
    }
