"""Static assets served by the app itself: the project's own files and third-party libraries
from installed XStatic packages (never copied into the repository, never from a CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from maps.web.caching import OWN_ASSET_MAX_AGE, VENDOR_ASSET_MAX_AGE

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
    return send_from_directory(base, filename, max_age=VENDOR_ASSET_MAX_AGE)


@bp.get("/static/<path:filename>")
def own(filename: str):
    return send_from_directory(OWN_STATIC, filename, max_age=OWN_ASSET_MAX_AGE)


# Folium's asset names → (package, file) served above. Folium's Bootstrap, Font Awesome,
# glyphicons and awesome-markers are not needed (markers are drawn with Leaflet itself).
LOCAL_ASSETS = {
    "leaflet": ("leaflet", "leaflet.js"),
    "jquery": ("jquery", "jquery.min.js"),
    "markerclusterjs": ("markercluster", "leaflet.markercluster.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "markerclustercss": ("markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("markercluster", "MarkerCluster.Default.css"),
}
DROPPED_ASSETS = {
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def localise(fmap) -> None:
    """Point every element of this one map at the app's own asset URLs (per instance: Folium's
    `add_js_link` would change the list for every map in the process). An asset we do not know
    is an error, so a new plugin can never slip a CDN link into a page."""
    from flask import url_for

    for element in _walk(fmap):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if not links:
                continue
            local = []
            for name, _url in links:
                if name in DROPPED_ASSETS:
                    continue
                if name not in LOCAL_ASSETS:
                    raise ValueError(f"no local copy of map asset {name!r}; add it to LOCAL_ASSETS")
                package, filename = LOCAL_ASSETS[name]
                local.append((name, url_for("assets.vendor", name=package, filename=filename)))
            setattr(element, attr, local)
