"""HTML pages: the map (`/`), the list (`/locations`), a place (`/locations/<id>`), and the
health check. Thin: parse the query (InvalidQuery → 400 page), call the domain, render once per
(data version, filter) through the page cache."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from maps import mapview
from maps.dataset import listing
from maps.dataset.catalog import Catalog
from maps.dataset.filters import Filters, apply_filters, characters, parse_filters, select
from maps.formats import EXPORTERS
from maps.geometry import bbox_of
from maps.web.mapparts import map_parts, static_url
from maps.web.pagecache import cached_page
from maps.web.state import catalog, data_state
from maps.web.staticsite import active as static_site
from maps.web.staticsite import place_prefix

bp = Blueprint("pages", __name__)


def _filter_form(cat: Catalog, filters: Filters) -> dict:
    """What the plain-HTML filter form offers, with the current choices."""
    series = cat.series
    episodes = [
        (f"S{s.number}E{e.number}", f"{s.label} · E{e.number} · {e.title}")
        for s in series.seasons
        for e in s.episodes
    ]
    episode = ""
    if filters.episode:
        season, number = filters.episode
        episode = f"S{season}E{number}" if season else str(number)
    return {
        "seasons": [(s.number, s.label, s.number in filters.seasons) for s in series.seasons],
        "episodes": episodes,
        "episode": episode,
        "characters": characters(cat.locations),
        "character": filters.character or "",
        "q": filters.q or "",
        "watched": f"S{filters.watched[0]}E{filters.watched[1]}" if filters.watched else "",
    }


def _key(page: str, cat: Catalog, filters: Filters, *extra) -> tuple:
    return (page, cat.version, request.script_root, tuple(filters.as_query()), *extra)


@bp.get("/")
def index():
    cat = catalog()
    return map_page(cat, parse_filters(request.args, cat.series))


def map_page(cat: Catalog, filters: Filters):
    """The map for these filters, from the page cache (also served as /seasons/<n>/)."""
    return cached_page(_key("index", cat, filters), lambda: _render_index(cat, filters))


def _render_index(cat: Catalog, filters: Filters) -> str:
    places = select(cat.locations, filters)
    mapped = [p for p in places if p.geometry is not None]
    fmap = mapview.build_map(
        places,
        cat.series,
        bbox=bbox_of(p.geometry for p in mapped) or cat.bbox,
        tiles=current_app.config["TILES"],
        asset_url=static_url,
        place_url=place_prefix(),
        query=urlencode(filters.as_query()),
    )
    return render_template(
        "index.html",
        series=cat.series,
        parts=map_parts(fmap),
        filters=filters,
        form=_filter_form(cat, filters),
        shown=len(mapped),
        unmapped=len(places) - len(mapped),
        thin=listing.thin_seasons(cat, filters.seasons),
        query=urlencode(filters.as_query()),
    )


@bp.get("/locations")
def locations():
    cat = catalog()
    filters = parse_filters(request.args, cat.series)
    sort, near = listing.list_args(request.args)
    key = _key("locations", cat, filters, sort, near)
    return cached_page(key, lambda: _render_list(cat, filters, sort, near))


def _render_list(cat: Catalog, filters: Filters, sort: str, near) -> str:
    rows = listing.sort_rows(select(cat.locations, filters), sort, near)
    base = filters.as_query() + ([("near", f"{near[0]},{near[1]}")] if near else [])
    here = url_for("pages.locations")
    sort_links = {s: here + "?" + urlencode([*base, ("sort", s)]) for s in listing.SORTS}
    return render_template(
        "locations.html",
        series=cat.series,
        rows=rows,
        filters=filters,
        form=_filter_form(cat, filters),
        sort=sort,
        near=near,
        sort_links=sort_links,
        query=urlencode(filters.as_query()),
        total=len(cat.locations),
    )


@bp.get("/locations/<location_id>")
def location(location_id: str):
    cat = catalog()
    place = cat.get(location_id)  # LocationNotFound → 404 page
    filters = parse_filters(request.args, cat.series)
    return cached_page(_key("location", cat, filters, place.id), lambda: _render_place(cat, place, filters))


def _render_place(cat: Catalog, place, filters: Filters) -> str:
    shown = apply_filters(place, filters) if filters.active else place
    hidden = len(place.scenes) - (len(shown.scenes) if shown else 0)
    parts = None
    if place.geometry is not None:
        fmap = mapview.build_map(
            [place],
            cat.series,
            bbox=bbox_of([place.geometry]),
            tiles=current_app.config["TILES"],
            asset_url=static_url,
            place_url=place_prefix(),
            max_zoom=15,
            small=True,
        )
        parts = map_parts(fmap)
    # A static site cannot select one place by query string: it offers the full files.
    suffix = " (all places)" if static_site() else ""
    downloads = [
        (label + suffix, url_for("downloads.download", ext=ext, id=place.id))
        for ext, label in ((ext, fmt.label) for ext, fmt in EXPORTERS.items())
    ]
    return render_template(
        "location.html",
        series=cat.series,
        place=place,
        scenes=sorted(shown.scenes, key=lambda s: s.sort_key) if shown else [],
        hidden=hidden,
        nearby=listing.nearby(cat, place, filters),
        parts=parts,
        downloads=downloads,
        api_url=url_for("ogc.item", collectionId="locations", featureId=place.id),
        filters=filters,
        query=urlencode(filters.as_query()),
    )


@bp.get("/healthz")
def healthz():
    state = data_state()
    try:
        cat = state.current()
    except Exception as exc:  # no good version at all
        return {"status": "error", "problem": str(exc)}, 503
    if state.problem:
        return {"status": "degraded", "problem": state.problem, "serving": cat.version}, 503
    return {"status": "ok", "places": len(cat.locations), "version": cat.version}
