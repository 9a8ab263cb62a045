"""Static assets served by the app itself: the project's own files and third-party libraries
from installed XStatic packages (never copied into the repository, never from a CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__)

OWN_STATIC = Path(__file__).resolve().parent.parent / "static"


def _vendor_dirs() -> dict[str, Path]:
    import xstatic.pkg.jquery as jquery
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {
        "leaflet": Path(leaflet.BASE_DIR),
        "jquery": Path(jquery.BASE_DIR),
        "markercluster": Path(markercluster.BASE_DIR),
    }


VENDOR = _vendor_dirs()


@bp.get("/static/vendor/<name>/<path:filename>")
def vendor(name: str, filename: str):
    base = VENDOR.get(name)
    if base is None:
        abort(404)
    return send_from_directory(base, filename, max_age=86400 * 30)


@bp.get("/static/<path:filename>")
def own(filename: str):
    return send_from_directory(OWN_STATIC, filename, max_age=3600)
