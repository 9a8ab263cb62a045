"""Glue between `maps.mapview` (no Flask) and a request: asset URLs under /static and a
rendered map split for a template. Other pages (the route planner) use these too:

    fmap = mapview.base_map(bbox, tiles=current_app.config["TILES"], asset_url=static_url)
    ...add layers...
    parts = map_parts(fmap)   # then {{ parts.header|safe }}, {{ parts.html|safe }} and
                              # <script nonce="{{ csp_nonce() }}">{{ parts.script|safe }}</script>
"""

from __future__ import annotations

import folium
from flask import url_for

from maps import mapview
from maps.web.assets import localise


def static_url(path: str) -> str:
    """URL of a file under /static/ (vendor/<package>/<file> or one of our own files)."""
    return url_for("assets.own", filename=path)


def map_parts(fmap: folium.Map) -> mapview.MapParts:
    """Point any Folium element still naming a CDN at the local copies, then render."""
    localise(fmap)
    return mapview.render_parts(fmap)
