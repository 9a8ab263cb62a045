"""Filming-location maps for fans of a TV series.

The package root stays light: importing `maps.dataset`, `maps.route` or `maps.formats` loads
neither Flask nor Folium (tests/test_layers.py checks it). The web layer is imported inside the
app factory, as Flask's tutorial app does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app factory: defaults, then MAPS_* environment, then `test_config`."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from maps import config, mapview
    from maps.resources import resource_dir
    from maps.web import (
        assets,
        downloads,
        errors,
        http,
        limits,
        offline,
        ogc,
        pagecache,
        pages,
        queuedb,
        ratelimit,
        responsecache,
        review,
        seasons,
        spoilers,
        state,
        suggestions,
        templatecache,
    )
    from maps.web import route as route_web

    app = Flask(__name__, template_folder=str(resource_dir("templates")), static_folder=None)
    app.config.update(config.defaults())
    app.config.update(config.from_env())
    app.config.update(test_config or {})
    app.secret_key = config.secret_key(app.config.get("SECRET_KEY"))
    templatecache.init_app(app)
    responsecache.init_app(app)  # inside ProxyFix: the key sees the client's real host and scheme
    hops = int(app.config["PROXY_HOPS"] or 0)
    if hops > 0:  # behind trusted proxies: the client's address (rate limits) and scheme (cookies)
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    mapview.tile_provider(app.config["TILES"])  # fail at start-up, not on every page
    state.init_app(app, warmers=[mapview.warm])
    for blueprint in (pages.bp, assets.bp, downloads.bp, ogc.bp, route_web.bp, seasons.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(suggestions.bp)
    app.register_blueprint(offline.bp)
    if config.enabled(app.config["REVIEW_PAGES"]):
        app.register_blueprint(review.bp)
        review.init_app(app)
    CSRFProtect(app)
    queuedb.init_app(app)
    ratelimit.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    http.init_app(app)
    pagecache.init_app(app)
    spoilers.init_app(app)
    app.context_processor(lambda: {"view_endpoints": set(app.view_functions)})
    return app
