"""Read and write the data file. Every write goes through `update_collection`/`save_collection`:
validate first, take a lock, write a temp file beside the target, fsync, then `os.replace`, so a
crash or two writers never leave a broken or half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock

from maps.dataset.jsonfile import read_json
from maps.errors import DataUnreadable, InvalidCollection
from maps.geometry import rewind_rings

LOCK_TIMEOUT_S = 60
FEATURE_KEYS = ("type", "id", "geometry", "properties")
PROPERTY_KEYS = (
    "name",
    "locality",
    "country",
    "precision",
    "access",
    "story_place",
    "scenes",
    "sources",
    "geocode",
)
SCENE_KEYS = ("season", "episode", "note", "characters")
SOURCE_KEYS = ("title", "url")
GEOCODE_KEYS = ("method", "query", "date", "display_name", "note")


def file_version(path: Path | str) -> str:
    """A cheap identity of the file's current content: changes whenever it is replaced or edited."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DataUnreadable(f"cannot read {path}: {exc.strerror}") from exc
    return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"


def read_raw(path: Path) -> dict[str, Any]:
    """The parsed file; DataUnreadable when it is missing, not JSON (NaN and Infinity included)
    or not a FeatureCollection."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataUnreadable(f"{path} is not a GeoJSON FeatureCollection")
    if not isinstance(data.get("features"), list):
        raise DataUnreadable(f"{path}: 'features' must be a list")
    return data


def _ordered(obj: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    head = {k: obj[k] for k in first if k in obj}
    tail = {k: obj[k] for k in sorted(obj) if k not in head}
    return head | tail


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Keys in a fixed order, so a saved file diffs cleanly and an unchanged one round-trips."""
    features = []
    for feature in data.get("features", []):
        if not isinstance(feature, dict):
            features.append(feature)
            continue
        props = feature.get("properties")
        if isinstance(props, dict):
            props = _ordered(props, PROPERTY_KEYS)
            if isinstance(props.get("scenes"), list):
                props["scenes"] = [
                    _ordered(s, SCENE_KEYS) if isinstance(s, dict) else s for s in props["scenes"]
                ]
            if isinstance(props.get("sources"), list):
                props["sources"] = [
                    _ordered(s, SOURCE_KEYS) if isinstance(s, dict) else s for s in props["sources"]
                ]
            if isinstance(props.get("geocode"), dict):
                props["geocode"] = _ordered(props["geocode"], GEOCODE_KEYS)
        features.append(_ordered({**feature, "properties": props}, FEATURE_KEYS))
    return _ordered({**data, "features": features}, ("type", "name"))


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(canonical(data), ensure_ascii=False, indent=2) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target, fsync, then swap it in, so readers never see half a file. A
    symlink is written through: its target is replaced, the link stays a link."""
    path = Path(os.path.realpath(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def lock_for(path: Path) -> FileLock:
    """One lock per real file: two symlinks to the same data file share it."""
    return FileLock(f"{os.path.realpath(path)}.lock", timeout=LOCK_TIMEOUT_S)


def _checked(data: dict[str, Any], path: Path, trusted: frozenset[str] = frozenset()) -> str:
    from maps.dataset.validate import check_collection  # validate imports episodes only; no cycle

    data = rewound(data)
    problems = check_collection(data, episodes_for=Path(path), trusted=trusted)
    if problems:
        raise InvalidCollection(problems)
    return dumps(data)


def rewound(data: dict[str, Any]) -> dict[str, Any]:
    """The collection with every polygon wound as RFC 7946 §3.1.6 says (outer ring
    counter-clockwise, holes clockwise): what a curator pastes from another tool is fixed on write."""
    features = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Polygon":
            feature = {
                **feature,
                "geometry": {**geometry, "coordinates": rewind_rings(geometry["coordinates"])},
            }
        features.append(feature)
    return {**data, "features": features}


def save_collection(path: Path, data: dict[str, Any]) -> None:
    """Validate, lock, write atomically. Raises InvalidCollection and leaves the file untouched."""
    text = _checked(data, path)
    with lock_for(path):
        write_atomic(path, text)


def update_collection(path: Path, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict:
    """Read-modify-write under one lock, so concurrent writers never lose each other's changes.
    `change` gets the current collection and returns the new one (or raises to refuse). Places
    unchanged since the last read skip the per-place checks, so the lock is held briefly."""
    from maps.dataset.validate import fingerprints, warm_up

    warm_up()
    with lock_for(path):
        current = read_raw(path)
        trusted = fingerprints(current["features"])  # before `change`, which may edit in place
        new = change(current)
        write_atomic(path, _checked(new, path, trusted))
        return new
