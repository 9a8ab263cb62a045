"""Find the bundled `data/` and `templates/` folders in a source checkout or an installed wheel.

The design keeps both folders at the top level of the repository; the wheel carries them inside
the package under `_bundled/`. One resolver hides the difference so nothing else cares.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` ("data" or "templates") wherever this install keeps it."""
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to {_PACKAGE_DIR}")


def bundled_data_path() -> Path:
    return resource_dir("data") / "locations.geojson"


def bundled_episodes_path() -> Path:
    return resource_dir("data") / "episodes.json"


def episodes_path_for(data_path: Path) -> Path:
    """`episodes.json` beside the data file if there is one (another series), else the bundled one."""
    sibling = Path(data_path).with_name("episodes.json")
    return sibling if sibling.is_file() else bundled_episodes_path()
