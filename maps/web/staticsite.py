"""Static-site mode: the app as `maps freeze` runs it (see `maps/freeze.py`).

A static host cannot read query strings or send a per-response nonce, and the site may be served
from any sub-folder, so in this mode:

- every URL the app builds with `url_for` (templates *and* Python: Folium asset links, the place
  links in the map data) is relative to the page's own file (`../../locations/x/index.html`),
  and drops its query string (a static host ignores it);
- pages are directory-style files: `/locations/<id>` → `locations/<id>/index.html`; the OGC API's
  JSON documents get a `.json` suffix (`/ogc/collections/locations` → `.../locations.json`),
  because a collection's path is also the folder of its items;
- inline scripts lose their nonce and each page carries its own Content-Security-Policy in a
  `<meta>` element with the SHA-256 of its inline scripts, so the policy needs no server;
- forms that filter through a query string are hidden (the season pages replace them), and the
  nav leaves out pages that need the live server (the route planner);
- the page cache is off (the same view renders different relative links per path).
"""

from __future__ import annotations

import posixpath

from flask import Flask, Response, current_app, g, has_request_context, request
from werkzeug.datastructures import ImmutableMultiDict

from maps.ogc import core as ogc
from maps.web.http import content_security_policy, hash_inline_scripts

# Pages that need the live server: the route planner, the fans' forms and the review pages, and
# the OGC API (GDAL, QGIS and OWSLib build URLs and send query strings that no static host
# answers; the downloads stay).
LIVE_ONLY_ENDPOINTS = frozenset(
    {
        "route.planner",
        "ogc.landing",
        "suggestions.suggest",
        "suggestions.report",
        "review.queue_page",
        "offline.trips",
        "offline.service_worker",
    }
)


def file_for(path: str) -> str:
    """The file (relative to the site's root) that stands for a live URL path (no query)."""
    if not path.startswith("/"):
        raise ValueError(f"not an absolute URL path: {path!r}")
    if path == "/ogc" or path.startswith("/ogc/"):
        rest = path.rstrip("/")
        return "ogc/index.json" if rest == "/ogc" else rest[1:] + ".json"
    if path.endswith("/"):
        return path[1:] + "index.html"
    if "." in path.rsplit("/", 1)[-1]:  # a file: /download/locations.gpx, /static/x.js
        return path[1:]
    return path[1:] + "/index.html"  # a page: /locations, /locations/<id>


def relative_url(target_path: str, page_path: str) -> str:
    """Link from the page at `page_path` to the file standing for `target_path` (both URL paths)."""
    here = posixpath.dirname(file_for(page_path)) or "."
    return posixpath.relpath(file_for(target_path), here)


def relative_dir(target_dir: str, page_path: str) -> str:
    """Link from a page to a URL folder (ends with "/"), e.g. the prefix of every place page.
    A static server redirects `folder/<id>` to `folder/<id>/` and serves its index.html."""
    here = posixpath.dirname(file_for(page_path)) or "."
    rel = posixpath.relpath(target_dir.strip("/") or ".", here)
    return "" if rel == "." else rel + "/"


def active() -> bool:
    """True while the app answers a request for the static site. Kept on the request, not on
    `g`: Frozen-Flask's requests share the app context in which it builds URLs (live ones)."""
    return has_request_context() and bool(request.environ.get("maps.static_site"))


def site_path(url: str) -> str:
    """The app-relative path of a URL built by url_for (query, fragment, script root removed)."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    root = request.script_root
    return path[len(root) :] or "/" if root and path.startswith(root) else path


def place_prefix() -> str:
    """The prefix of place pages for the map's data: live `/locations/`; in a static copy the
    folder relative to this page (`../../locations/`), whose `<id>` folders hold the pages."""
    live_url_for = current_app.extensions.get("maps.live_url_for", current_app.url_for)
    live = live_url_for("pages.locations") + "/"
    return relative_dir(site_path(live), request.path) if active() else live


def inline_policy(html: str, tile_hosts: list[str]) -> str:
    """Put the page's policy in a `<meta>` so it holds on a host that sends no headers; inline
    scripts are allowed by their hashes (a cached page has them already, others get them here)."""
    html, hashes = hash_inline_scripts(html)
    g.csp_script_hashes = tuple(sorted({*g.get("csp_script_hashes", ()), *hashes})) or ("'none'",)
    policy = content_security_policy(g.csp_script_hashes, tile_hosts).replace("'self' 'none'", "'self'")
    # frame-ancestors is ignored in <meta>: set it as a header on the host (see the README).
    policy = "; ".join(p for p in policy.split("; ") if not p.startswith("frame-ancestors"))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  ' + meta, 1)


def install(app: Flask) -> None:
    """Switch `app` to static-site mode (only for freezing: live links would break)."""
    app.config["STATIC_SITE"] = True
    app.extensions["maps.pagecache"].max_entries = 0
    live_url_for = app.extensions["maps.live_url_for"] = app.url_for

    def url_for(endpoint: str, **values) -> str:
        url = live_url_for(endpoint, **values)
        if values.get("_external") or not url.startswith("/") or not active():
            return url
        return relative_url(site_path(url), request.path)

    app.url_for = url_for  # type: ignore[method-assign]  # on purpose: flask.url_for calls current_app.url_for
    app.jinja_env.globals["url_for"] = url_for

    @app.before_request
    def _static_request() -> None:
        request.environ["maps.static_site"] = True
        if request.endpoint == "ogc.items" and not request.args:
            # One document with every place (up to the API's largest page).
            request.args = ImmutableMultiDict([("limit", str(ogc.MAX_LIMIT))])

    @app.context_processor
    def _static_context() -> dict:
        return {
            "static_site": True,
            "view_endpoints": set(app.view_functions) - LIVE_ONLY_ENDPOINTS,
        }

    @app.after_request
    def _static_policy(response: Response) -> Response:
        if response.mimetype == "text/html" and response.status_code == 200 and not response.is_streamed:
            tiles = current_app.extensions["maps.tile_hosts"]
            response.set_data(inline_policy(response.get_data(as_text=True), tiles))
        return response


def public_root() -> str:
    """The site's public root URL for links inside downloads: the live request's, the
    `maps freeze --base-url` given, or "" (no links) for a static copy whose address is unknown."""
    if active() and not current_app.config.get("FREEZER_BASE_URL"):
        return ""
    from maps.web.urls import site_root  # urls imports this module

    return site_root()
