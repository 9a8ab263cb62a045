"""HTML pages: the map (`/`), the list (`/locations`), a place (`/locations/<id>`), and the
health check. Thin: parse the query (InvalidQuery → 400 page), call the domain, render once per
(data version, filter) through the page cache."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, current_app, render_template, request, url_for

from maps import mapview
from maps.dataset import listing, visit
from maps.dataset.catalog import Catalog, Location, Scene
from maps.dataset.filters import (
    FILTER_PARAMS,
    MAX_TEXT_FILTER,
    Filters,
    apply_filters,
    characters,
    hidden_by_guard,
    parse_filters,
    select,
    watched_visible,
)
from maps.formats import EXPORTERS
from maps.geometry import bbox_of
from maps.web.mapparts import map_parts, static_url
from maps.web.pagecache import cached_page
from maps.web.state import catalog, data_state
from maps.web.staticsite import active as static_site
from maps.web.staticsite import place_prefix

bp = Blueprint("pages", __name__)


def _filter_form(cat: Catalog, filters: Filters) -> dict:
    """What the plain-HTML filter form offers, with the current choices: no episode after the
    watched point (its title is a spoiler), no character met only later."""
    series = cat.series
    episodes = [
        (f"S{s.number}E{e.number}", series.episode_choice_label(s.number, e.number))
        for s in series.seasons
        for e in s.episodes
        if watched_visible(Scene(s.number, e.number, ""), filters)
    ]
    guard = Filters(watched=filters.watched, watched_season_done=filters.watched_season_done)
    seen = select(cat.locations, guard) if guard.active else None
    # Each single-valued filter's current value as the query writes it (the filter registry's
    # to_query), so the form shows exactly what a link to this view carries.
    current = {p.name: next(iter(p.to_query(getattr(filters, p.field))), "") for p in FILTER_PARAMS}
    return {
        "seasons": [
            (s.number, s.label, s.number in filters.seasons)
            for s in series.seasons
            if watched_visible(Scene(s.number, 1, ""), filters)
        ],
        "episodes": episodes,
        "episode": current["episode"],
        "characters": characters(seen) if seen is not None else cat.characters,
        "character": current["character"],
        "q": current["q"],
        "watched": current["watched"],
        "text_max": MAX_TEXT_FILTER,
    }


def _hidden_note(cat: Catalog, filters: Filters) -> str:
    """ "2 places hidden: their episode is not known yet" — counts only, never names."""
    hidden = hidden_by_guard(cat.locations, filters)
    parts = []
    if hidden.unknown:
        n = hidden.unknown
        code = f"S{filters.watched[0]}" if filters.watched else ""
        parts.append(
            f"{n} place{'' if n == 1 else 's'} hidden: {'its' if n == 1 else 'their'} episode in {code} "
            "is not known, so it might come after the point you have watched"
        )
    if hidden.later:
        n = hidden.later
        parts.append(f"{n} place{'' if n == 1 else 's'} from later episodes hidden")
    return "; ".join(parts) + "." if parts else ""


def _key(page: str, cat: Catalog, filters: Filters, *extra) -> tuple:
    return (page, cat.version, request.script_root, tuple(filters.as_query()), *extra)


@bp.get("/")
def index():
    cat = catalog()
    return map_page(cat, parse_filters(request.args, cat.series))


def map_page(cat: Catalog, filters: Filters):
    """The map for these filters, from the page cache (also served as /seasons/<n>/). A link to
    an open place (`?place=ID`, a shared view) gets that place's name in its link preview (Open
    Graph), when the filters and the spoiler setting show it."""
    wanted = (request.args.get("place") or "").strip()[:100]
    shown = next((p for p in select(cat.locations, filters) if p.id == wanted), None)
    key = _key("index", cat, filters, shown.id if shown else None)
    return cached_page(key, lambda: _render_index(cat, filters, shown))


def _render_index(cat: Catalog, filters: Filters, preview: Location | None = None) -> str:
    # Every season's places go to the page (its seasons control switches them without a
    # reload); the ones the `season` filter names are switched on, and frame the first view.
    every_season = replace(filters, seasons=())
    places = select(cat.locations, every_season)
    shown = select(places, Filters(seasons=filters.seasons)) if filters.seasons else places
    mapped = [p for p in shown if p.geometry is not None]
    query = urlencode(filters.as_query())
    fmap = mapview.build_map(
        places,
        cat.series,
        bbox=bbox_of(p.geometry for p in mapped) or cat.bbox,
        tiles=current_app.config["TILES"],
        asset_url=static_url,
        place_url=place_prefix(),
        query=query,
        seasons_on=filters.seasons,
        rows=None if every_season.active else mapview.catalog_rows(cat),  # built at load time
    )
    return render_template(
        "index.html",
        series=cat.series,
        parts=map_parts(fmap),
        filters=filters,
        form=_filter_form(cat, filters),
        shown=len(mapped),
        unmapped=len(shown) - len(mapped),
        thin=listing.thin_seasons(cat, filters.seasons) if not filters.watched else [],
        hidden_note=_hidden_note(cat, filters),
        query=query,
        downloads=_downloads(filters),
        preview=preview,
    )


def _downloads(filters: Filters) -> list[tuple[str, str, str]]:
    """(format, label, URL) of "Download this view": the page's filters, in every format."""
    query = urlencode(filters.as_query())
    return [
        (ext, label, url_for("downloads.download", ext=ext) + (f"?{query}" if query else ""))
        for ext, label in ((ext, fmt.label) for ext, fmt in EXPORTERS.items())
    ]


@bp.get("/locations")
def locations():
    cat = catalog()
    filters = parse_filters(request.args, cat.series)
    countries = sorted({p.country for p in cat.locations if p.country})
    sort, near = listing.list_args(request.args, countries)
    near_text = (request.args.get("near") or "").strip()[:80] if near else ""
    key = _key("locations", cat, filters, sort, near, near_text)
    return cached_page(key, lambda: _render_list(cat, filters, sort, near, near_text))


def _render_list(cat: Catalog, filters: Filters, sort: str, near, near_text: str = "") -> str:
    rows = listing.sort_rows(select(cat.locations, filters), sort, near)
    base = filters.as_query() + ([("near", near_text)] if near else [])
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
        near_text=near_text,
        sort_links=sort_links,
        query=urlencode(filters.as_query()),
        total=len(cat.locations),
        hidden_note=_hidden_note(cat, filters),
        downloads=_downloads(filters),
    )


@bp.get("/locations/<location_id>")
def location(location_id: str):
    cat = catalog()
    place = cat.get(location_id)  # LocationNotFound → 404 page
    filters = parse_filters(request.args, cat.series)
    reveal = request.args.get("reveal") == "1"
    if reveal:
        filters = Filters()
    key = _key("location", cat, filters, place.id, reveal)
    return cached_page(key, lambda: _render_place(cat, place, filters))


def _render_place(cat: Catalog, place, filters: Filters) -> str:
    shown = apply_filters(place, filters) if filters.active else place
    hidden = len(place.scenes) - (len(shown.scenes) if shown else 0)
    guarded = (
        shown is None
        and filters.watched is not None
        and apply_filters(
            place, Filters(watched=filters.watched, watched_season_done=filters.watched_season_done)
        )
        is None
    )
    if guarded:
        return render_template(
            "location_hidden.html",
            series=cat.series,
            place_id=place.id,
            filters=filters,
            query=urlencode(filters.as_query()),
        )
    visible = shown or place  # later scenes, and source titles that may name them, stay hidden
    parts = None
    if place.geometry is not None:
        fmap = mapview.build_map(
            [visible],
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
    latlon = visible.latlon
    return render_template(
        "location.html",
        series=cat.series,
        place=visible,
        directions=visit.directions(*latlon) if latlon else [],
        watched_code=f"S{filters.watched[0]}E{filters.watched[1]}" if filters.watched else "",
        position=visit.position_text(latlon[0], latlon[1], visible.precision) if latlon else "",
        scenes=sorted(shown.scenes, key=lambda s: s.sort_key) if shown else [],
        hidden=hidden,
        nearby=listing.nearby(cat, place, filters),
        parts=parts,
        downloads=downloads,
        # The OGC API needs the live server (a static copy has no API: see maps/freeze.py).
        api_url=None if static_site() else url_for("ogc.item", collectionId="locations", featureId=place.id),
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


@bp.get("/about")
def about():
    cat = catalog()
    filters = parse_filters(request.args, cat.series)
    return cached_page(_key("about", cat, filters), lambda: _render_about(cat, filters))


def _render_about(cat: Catalog, filters: Filters) -> str:
    sites: dict[str, int] = {}
    for loc in cat.locations:
        for source in loc.sources:
            host = (urlsplit(source.url).hostname or "").removeprefix("www.")
            if host:
                sites[host] = sites.get(host, 0) + 1
    return render_template(
        "about.html",
        series=cat.series,
        places=len(cat.locations),
        source_count=sum(sites.values()),
        sites=sorted(sites.items(), key=lambda kv: (-kv[1], kv[0])),
        example_id=cat.locations[0].id if cat.locations else "example",
        filters=filters,
        query=urlencode(filters.as_query()),
    )
