"""The offline pack: the service worker (`/sw.js`), the fan's own page of saved trips and
visited places (`/trips`), and the `X-Data-Version` header the worker checks before it keeps a
page.

The worker is the project's hand-written `static/sw.js`, served from the root so that its
scope is the whole site, with one line put before it: `self.OFFLINE_PACK = {...}`, the data
version, the list of URLs to keep (the pack, from `maps.offline`) and the tile policy. A new
data file (or a new release of the static files) changes those bytes, so the browser installs
a new worker, which fills a new cache and deletes the old one. See docs/offline.md.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, g, render_template, url_for

from maps import offline
from maps.dataset.catalog import Catalog
from maps.web.assets import OWN_STATIC, VENDOR
from maps.web.caching import PAGE_CACHE_CONTROL, body_etag
from maps.web.state import catalog

bp = Blueprint("offline", __name__)

DATA_VERSION_HEADER = "X-Data-Version"


@bp.record_once
def _settings(state) -> None:
    """The tile policy is checked when the app is made, not on the first visit."""
    app = state.app
    app.config["TILE_CACHE"] = offline.tile_cache_mode(app.config.get("TILE_CACHE"), app.config["TILES"])
    app.config["TILE_CACHE_MAX"] = offline.tile_cache_max(app.config.get("TILE_CACHE_MAX"))
    app.extensions["maps.assets_version"] = offline.files_version(
        [OWN_STATIC, VENDOR["leaflet"]], skip={"sw.js"}
    )


_VERSIONS: dict[str, str] = {}  # file version → content version, computed once per version


def data_version(cat: Catalog) -> str:
    """The offline pack's data version: a digest of the data's content (see maps.offline)."""
    version = _VERSIONS.get(cat.version)
    if version is None:
        version = offline.content_version((loc.to_feature() for loc in cat.locations), cat.series)
        if len(_VERSIONS) > 32:
            _VERSIONS.clear()
        _VERSIONS[cat.version] = version
    return version


@bp.after_app_request
def _data_version(response: Response) -> Response:
    """Which data version a page was made from (only where the request read the data), so the
    service worker never keeps a page of another version in its cache."""
    if "maps_catalog" in g:
        response.headers[DATA_VERSION_HEADER] = data_version(g.maps_catalog)
    return response


def _pack_urls() -> list[str]:
    cat = catalog()
    pages = [url_for("pages.index"), url_for("pages.locations")]
    pages += [url_for("pages.location", location_id=loc.id) for loc in cat.locations]
    pages += [
        url_for(e)
        for e in ("route.planner", "offline.trips", "pages.about")
        if e in current_app.view_functions
    ]
    data = [url_for("assets.manifest"), url_for("downloads.download", ext="geojson")]
    assets = [
        url_for("assets.own", filename=name) for name in offline.asset_files(OWN_STATIC, skip={"sw.js"})
    ]
    assets += [
        url_for("assets.vendor", name="leaflet", filename=name)
        for name in offline.asset_files(VENDOR["leaflet"], only=("leaflet.js", "leaflet.css", "images/"))
    ]
    return offline.bounded_pack(pages + data + assets)


def worker_config() -> dict:
    """What the worker needs to know, for this data version and this app's settings."""
    cat = catalog()
    return offline.worker_config(
        data_version=data_version(cat),
        assets_version=current_app.extensions["maps.assets_version"],
        pack=_pack_urls(),
        place_ids=[loc.id for loc in cat.locations],
        tile_mode=current_app.config["TILE_CACHE"],
        tile_max=current_app.config["TILE_CACHE_MAX"],
        tile_hosts=current_app.extensions["maps.tile_hosts"],
        scope=url_for("pages.index"),
    )


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so it may control every page. Revalidated on every
    check (`no-cache`): the browser must see a new data version at once."""
    head = "self.OFFLINE_PACK = " + json.dumps(worker_config(), separators=(",", ":")) + ";\n"
    body = (head + (OWN_STATIC / "sw.js").read_text(encoding="utf-8")).encode()
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for("pages.index")
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    response.set_etag(body_etag(body))
    return response


@bp.get("/trips")
def trips():
    """The fan's saved trips and the places they have been: kept in their browser only (no
    account); the page is a frame that `offline.js` fills, so it works offline too."""
    cat = catalog()
    return render_template("trips.html", series=cat.series)
