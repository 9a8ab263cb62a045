"""Static assets served by the app itself: the project's own files and third-party libraries
from installed XStatic packages (never copied into the repository, never from a CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, jsonify, send_from_directory

from maps.web.caching import OWN_ASSET_MAX_AGE, VENDOR_ASSET_MAX_AGE

bp = Blueprint("assets", __name__)

OWN_STATIC = Path(__file__).resolve().parent.parent / "static"


def _vendor_dirs() -> dict[str, Path]:
    """Only what a page loads: Leaflet. (Clustering is the project's own cluster.js; Folium's
    jQuery is needed only by its own Popup, which these maps do not use.)"""
    import xstatic.pkg.leaflet as leaflet

    return {"leaflet": Path(leaflet.BASE_DIR)}


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
# glyphicons, awesome-markers and jQuery are not needed (markers and popups are drawn by
# mapview.js with Leaflet itself).
LOCAL_ASSETS = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
}
DROPPED_ASSETS = {
    "jquery",
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


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the project's own icon."""
    return send_from_directory(OWN_STATIC / "icons", "favicon.ico", mimetype="image/x-icon", max_age=86400)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web-app manifest: name, colours and icons for "Add to home screen"."""
    from flask import url_for

    from maps.web.state import catalog

    title = catalog().series.title
    icons = [("icons/icon-192.png", "192x192"), ("icons/icon-512.png", "512x512")]
    body = {
        "id": url_for("pages.index"),
        "name": f"{title} filming locations",
        "short_name": title,
        "description": f"Where {title} was filmed: the map, the places and your trips, offline too.",
        "start_url": url_for("pages.index"),
        "scope": url_for("pages.index"),
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#c2185b",
        "icons": [
            {"src": url_for("assets.own", filename=path), "sizes": size, "type": "image/png"}
            for path, size in icons
        ]
        + [
            {"src": url_for("assets.own", filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response
