"""Folium map building: a base map with local assets and our own controls, one overlay per
season, and the places as one JSON data blob drawn client-side by `static/mapview.js`.

No Flask in here: URLs come in as plain strings or callables, so the route planner, `maps freeze`
and the benchmarks can build the same maps. Folium expects (lat, lon); the conversion from the
data's (lon, lat) happens only in this module.

Why a data blob instead of one Folium Marker + Popup per place: at 10,000 places Folium's
markers take seconds to render and megabytes of script; one escaped JSON document is rendered
in milliseconds, and the browser builds each popup lazily with DOM text nodes (never innerHTML),
so nothing in the data can ever become markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import folium
import orjson
import xyzservices
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.map import FitBounds
from folium.template import Template

from maps.dataset.catalog import ACCESS_ADVICE, CLOSURE_NOTICE, Catalog, Location, advice_for
from maps.dataset.episodes import DEFAULT_COLOURS, Series
from maps.dataset.trust import CONFIDENCE_PREFIX
from maps.geometry import BBox

AssetUrl = Callable[[str], str]  # path under /static/ -> URL
# Served by the app (maps/web/assets.py): XStatic packages under vendor/, our own files at the top.
# cluster.js is the project's own clustering (a grid per zoom level), used by mapview.js;
# controls.js holds the map's buttons and legend.
MAP_JS = ("vendor/leaflet/leaflet.js", "cluster.js", "mapview.js", "controls.js")
MAP_CSS = ("vendor/leaflet/leaflet.css", "mapview.css")
# Nominal radius (metres) of a place known only to the town or area: drawn as a circle, not a pin.
EXTENT_METRES = {"town": 2500, "area": 700}
# A private home is always a ring, never a pin on a house: at least this radius (metres).
PRIVATE_HOME_METRES = 400
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_VIEW: BBox = (-11.0, 35.0, 20.0, 60.0)  # Western Europe, when nothing has coordinates
# Branca compiles every rendered macro output as a Jinja template again, so text that reaches a
# Folium template must never contain "{{", "{%" or "{#" (server-side template injection).
_JINJA_START = re.compile(r"\{(?=[{%#])")


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for a page template: tags for <head>, the map's HTML, and its
    inline script (to be wrapped in one `<script nonce=...>`)."""

    header: str
    html: str
    script: str


def json_for_html(value) -> str:
    """JSON safe inside a <script> element and inside Folium's templates: <, >, & and Jinja's
    start delimiters are written as \\u escapes (only ever inside JSON strings)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_START.sub(r"\\u007b", text)


def safe_colour(colour: str, season: int) -> str:
    """Colours come from episodes.json (data): only plain hex colours reach CSS."""
    return colour if HEX_COLOUR.match(colour or "") else DEFAULT_COLOURS[season % len(DEFAULT_COLOURS)]


def tile_provider(name: str) -> xyzservices.TileProvider:
    """An xyzservices provider by name ("OpenStreetMap.Mapnik", "CartoDB.Positron"...)."""
    try:
        return xyzservices.providers.query_name(name)
    except ValueError as exc:
        raise ValueError(f"unknown tile provider {name!r} (MAPS_TILES): {exc}") from None


def tile_origins(name: str) -> list[str]:
    """The origins tiles are loaded from, for the page's Content-Security-Policy img-src."""
    url = tile_provider(name).build_url(fill_subdomain=False, scale_factor="{r}")
    match = re.match(r"^(https?://)([^/]+)", url)
    if not match:
        return []
    scheme, host = match.groups()
    host = re.sub(r"\{[^}]*\}", "*", host)
    if "*" in host and not host.startswith("*."):  # "{s}.tile.x" is fine; "a{s}.x" is not a CSP host
        host = "*." + host.split(".", 1)[1]
    return [scheme + host]


class _LocalAssets(MacroElement):
    """Links to Leaflet and our own JS/CSS, all served by the app under /static
    (never a CDN). Kept apart from Folium's `default_js` lists, which name CDN URLs."""

    _template = Template("")

    def __init__(self, asset_url: AssetUrl) -> None:
        super().__init__()
        self._name = "LocalAssets"
        self.js_links = [asset_url(path) for path in MAP_JS]
        self.css_links = [asset_url(path) for path in MAP_CSS]

    def render(self, **kwargs) -> None:  # type: ignore[override]  # branca's MacroElement.render returns None
        figure = page_root(self)
        for url in self.js_links:
            figure.header.add_child(JavascriptLink(url), name="local:" + url)
        for url in self.css_links:
            figure.header.add_child(CssLink(url), name="local:" + url)
        super().render(**kwargs)


class _Controls(MacroElement):
    """Locate, fullscreen and legend controls, written in mapview.js (no Font Awesome)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "mapsView.addControls({{ this._parent.get_name() }}, {{ this.options_json }});"
        "{% endmacro %}"
    )

    def __init__(self, legend: list[dict]) -> None:
        super().__init__()
        self._name = "Controls"
        self.options = {"legend": legend}
        self.options_json = json_for_html(self.options)


class PlacesLayer(MacroElement):
    """The places as one JSON blob in a `<script type="application/json">` element (JSON,
    escaped for HTML, never executed) and one call that draws them into the season overlays.
    The blob bypasses Folium's templates (see `render_parts`): megabytes of data are never
    lexed by Jinja, and no text in them can ever be read as a template."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        'mapsView.addPlaces({{ this._parent.get_name() }}, "{{ this.get_name() }}", { '
        "{% for season, group in this.groups.items() %}{{ season }}: {{ group.get_name() }},{% endfor %}"
        "});"
        "{% endmacro %}"
    )

    def __init__(self, payload_json: str, groups: dict[int, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.payload = payload_json
        self.groups = groups

    def data_html(self) -> str:
        return f'<script type="application/json" id="{self.get_name()}">{self.payload}</script>'


def bounds_latlon(bbox: BBox | None) -> list[list[float]]:
    """[[south, west], [north, east]] for Leaflet's fitBounds (here, and only here, lat first)."""
    minx, miny, maxx, maxy = bbox or DEFAULT_VIEW
    return [[miny, minx], [maxy, maxx]]


def base_map(
    bbox: BBox | None,
    *,
    tiles: str,
    asset_url: AssetUrl,
    max_zoom: int = 17,
    legend: list[dict] | None = None,
) -> folium.Map:
    """A Folium map framed to `bbox` with tiles from an xyzservices provider (with its
    attribution), our own controls (locate, fullscreen, legend) and no Bootstrap, Font Awesome
    or jQuery. Call `maps.web.mapparts.map_parts(fmap)` in a request to check that no element
    names a CDN and render it."""
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, max_zoom=19)
    provider = tile_provider(tiles)
    folium.TileLayer(provider, name=provider.name, control=False, max_zoom=19).add_to(fmap)
    # Per instance (Folium's add_js_link would change every map in the process): no CDN list at
    # all; Leaflet comes from _LocalAssets. jQuery is only needed by Folium's own Popup, which
    # these maps do not use; Bootstrap and Font Awesome are not needed either.
    fmap.default_js = []
    fmap.default_css = []
    _LocalAssets(asset_url).add_to(fmap)
    _Controls(legend or []).add_to(fmap)
    fit = FitBounds(bounds_latlon(bbox), max_zoom=max_zoom, padding=(30, 30))
    # Without animation: an animated first zoom ends after the page's own script has set the
    # view from a shared link (#map=, ?place=) and would put the map back to this one.
    fit.options["animate"] = False
    fit.add_to(fmap)
    return fmap


def legend_entries(series: Series, seasons: Iterable[int], counts: dict[int, int]) -> list[dict]:
    return [
        {
            "season": s,
            "label": series.label(s),
            "colour": safe_colour(series.colour(s), s),
            "count": counts.get(s, 0),
        }
        for s in seasons
    ]


# The compact payload: one row per place, and shared tables for what places repeat.
#   row: [id, name, lat, lon, scenes, story, locality, access, sources, geo]
#   scenes: flat triples [episode, note, cast, ...]: `episode` indexes "episodes" ([season,
#     label]), `cast` indexes "casts" (lists of characters, 0 = none), `note` is the note itself
#   story, locality, access: indexes into "strings" (0 = "": not given)
#   sources: indexes into "sources" ([title, url], http(s) only)
#   geo: 0 = a pin; a number = a ring of that radius in metres (town/area level); an object =
#     the GeoJSON (lon, lat) of a LineString or Polygon, drawn as what it is
# Trailing fields that are 0 or [] are left out. Coordinates are numbers with 6 decimals.
ROW_FIELDS = ("id", "name", "lat", "lon", "scenes", "story", "locality", "access", "sources", "geo")
_EMPTY: tuple[object, ...] = (0, [])


def _by_scene(scene) -> tuple[int, int]:
    return scene.sort_key


def _popup_note(scene) -> str:
    """The note as the popup shows it: "Reported: …" or "Inferred: …" when no source confirms
    the scene (plain text in the payload, so mapview.js needs no change)."""
    prefix = CONFIDENCE_PREFIX.get(scene.confidence or "")
    return f"{prefix}: {scene.note}" if prefix else scene.note


def _point_extent(loc: Location) -> int:
    """0 for a pin; a ring's radius for a town/area-level place and for every private home."""
    radius = EXTENT_METRES.get(loc.precision, 0)
    return max(radius, PRIVATE_HOME_METRES) if loc.private_home else radius


def _proto_row(loc: Location) -> tuple | None:
    """What a place's row is made of, before the shared tables number its repeated strings;
    memoised on the (immutable) Location, so every view of one data version reuses it. Reads the
    GeoJSON and properties directly: a Point needs no shapely call."""
    memo = loc.__dict__.get("_mapview_proto", False)
    if memo is not False:
        return memo
    shape = loc.geometry_json
    proto = None
    kind = shape.get("type") if loc.geometry is not None and shape else None
    if kind == "Point":
        lon, lat = shape["coordinates"][:2]  # type: ignore[index]
    elif kind is not None and loc.lonlat is not None:
        lon, lat = loc.lonlat
    else:
        kind = None
    if kind is not None:
        props = loc.properties
        scenes = loc.scenes if len(loc.scenes) < 2 else sorted(loc.scenes, key=_by_scene)
        proto = (
            loc.id,
            loc.name,
            round(lat, 6),
            round(lon, 6),
            tuple(((s.season, s.episode), _popup_note(s), s.characters) for s in scenes),
            props.get("story_place") or "",
            props.get("locality") or "",
            _access_key(loc),
            tuple((s.title, s.url) for s in loc.sources if s.url.startswith(("https://", "http://"))),
            shape if kind != "Point" else _point_extent(loc),
            frozenset(s.season for s in scenes),
        )
    loc.__dict__["_mapview_proto"] = proto  # as functools.cached_property does
    return proto


def _access_key(loc: Location) -> str:
    """The key of a place's advice in the payload's "access" table: its access value, or
    "closure-access" ("demolished-exterior") for a place no longer there as filmed."""
    return f"{loc.closure}-{loc.access}" if loc.closure else loc.access


# The payload's advice table: every access value, and each with a closure notice first.
ADVICE_TABLE = {
    **ACCESS_ADVICE,
    **{f"{c}-{a}": advice_for(a, c) for c in CLOSURE_NOTICE for a in ACCESS_ADVICE},
}


def _place_rows(places: Sequence[Location], series: Series) -> dict:
    """The rows and tables of the compact payload, and each season's number of places. Why
    arrays and tables: at 10,000 places the page is mostly this document, and the browser's time
    to first markers mostly parsing it; key names and repeated labels, advice and sources were
    most of its bytes. One pass over memoised parts, no per-place JSON."""
    episodes: dict = {}  # (season, episode) -> index, in order of first use
    strings: dict = {"": 0}
    casts: dict = {(): 0}
    sources: dict = {}
    counts: dict = {}
    rows = []
    for loc in places:
        proto = _proto_row(loc)
        if proto is None:
            continue
        pid, name, lat, lon, scenes, story, locality, access, links, geo, seasons = proto
        flat: list = []
        for key, note, cast in scenes:
            flat += (episodes.setdefault(key, len(episodes)), note, casts.setdefault(cast, len(casts)))
        for season in seasons:
            counts[season] = counts.get(season, 0) + 1
        row = [
            pid,
            name,
            lat,
            lon,
            flat,
            strings.setdefault(story, len(strings)),
            strings.setdefault(locality, len(strings)),
            strings.setdefault(access, len(strings)),
            [sources.setdefault(link, len(sources)) for link in links],
            geo,
        ]
        while len(row) > 5 and row[-1] in _EMPTY:
            row.pop()
        rows.append(row)
    return {
        # The popup shows "Season 1 · S1E3 · Title": the season's label is not repeated.
        "episodes": [
            [season, series.episode_label(season, ep) if ep is not None else "episode unknown"]
            for season, ep in episodes
        ],
        # Each entry's episode number (null: not known), for the static site's spoiler guard
        # (spoilers.js), which has no server to filter with.
        "episodeNumbers": [ep for _season, ep in episodes],
        "strings": list(strings),
        "casts": [list(c) for c in casts],
        "sources": [list(s) for s in sources],
        "places": rows,
        "counts": counts,
    }


def catalog_rows(catalog: Catalog) -> dict:
    """The payload rows of every place of one data version, built once per version: `warm`
    builds them when the version is loaded, so the first map after a data change only
    serialises them. (Memoised on the immutable Catalog, as functools.cached_property does.)"""
    memo = catalog.__dict__.get("_mapview_rows")
    if memo is None:
        memo = _place_rows(catalog.locations, catalog.series)
        catalog.__dict__["_mapview_rows"] = memo
    return memo


def warm(catalog: Catalog) -> None:
    """Build what every map of this data version shares (see maps.web.state's warmers)."""
    catalog_rows(catalog)
    catalog.bbox, catalog.characters  # noqa: B018 (cached properties: computed here, once)


# The same escapes as json_for_html, on orjson's UTF-8 output (orjson leaves U+2028/9 raw).
_BYTE_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)
_JINJA_START_BYTES = re.compile(rb"\{(?=[{%#])")


def _html_safe_json(value) -> bytes:
    """orjson (about 10x the standard library here) plus the escapes of `json_for_html`."""
    raw = orjson.dumps(value)
    for char, escaped in _BYTE_ESCAPES:
        if char in raw:
            raw = raw.replace(char, escaped)
    if b"{" in raw:
        raw = _JINJA_START_BYTES.sub(rb"\\u007b", raw)
    return raw


def places_json(
    places: Sequence[Location],
    series: Series,
    *,
    place_url: str,
    query: str = "",
    rows: dict | None = None,
    legend: list[dict] | None = None,
    seasons_on: Sequence[int] = (),
) -> str:
    """Everything the client needs to draw markers and build popups, as one HTML-safe JSON
    document (rows and tables: see ROW_FIELDS). `place_url` is the prefix of a place's page
    ("/locations/"); `query` keeps the filter in links. One orjson call, one escaping pass."""
    data = {
        "seasons": {
            str(s.number): {"label": s.label, "colour": safe_colour(s.colour, s.number)}
            for s in series.seasons
        },
        "access": ACCESS_ADVICE,
        "placeUrl": place_url,
        "query": query,
        "fields": ROW_FIELDS,  # mapview.js reads the row layout from here, not from its own copy
        "legend": legend or [],  # the main map's seasons control (empty on a place's small map)
        "on": list(seasons_on),  # the seasons switched on at first (empty: all)
        **(rows or _place_rows(places, series)),
    }
    data.pop("counts")
    closures = [k for k in data["strings"] if k in ADVICE_TABLE and k not in ACCESS_ADVICE]
    if closures:  # the advice of the places no longer there as filmed, only when there are some
        data["access"] = {**ACCESS_ADVICE, **{k: ADVICE_TABLE[k] for k in closures}}
    return _html_safe_json(data).decode()


def build_map(
    places: Sequence[Location],
    series: Series,
    *,
    bbox: BBox | None,
    tiles: str,
    asset_url: AssetUrl,
    place_url: str,
    query: str = "",
    max_zoom: int = 17,
    small: bool = False,
    seasons_on: Sequence[int] = (),
    rows: dict | None = None,
) -> folium.Map:
    """The fan's map: one overlay per season with places in this view, clustered pins, circles
    for town/area-level places, lines and polygons drawn as what they are. On the main map
    (not `small`, a place's page) the seasons control of controls.js is the legend and the season
    switch in one (colour, label, count, checkbox); `seasons_on` are switched on at first (all
    when empty). Season labels reach Leaflet only as text nodes: there is no Folium
    LayerControl, whose names Leaflet inserts as HTML. `rows`: the places' rows when already
    built (`catalog_rows`, for a map of every place)."""
    rows = rows or _place_rows(places, series)
    counts: dict[int, int] = rows["counts"]
    seasons = [s.number for s in series.seasons if counts.get(s.number)]
    fmap = base_map(bbox, tiles=tiles, asset_url=asset_url, max_zoom=max_zoom)
    groups: dict[int, folium.FeatureGroup] = {}
    for number in seasons:
        show = not seasons_on or number in seasons_on
        groups[number] = folium.FeatureGroup(name=f"season-{number}", show=show, control=False)
        groups[number].add_to(fmap)
    payload = places_json(
        places,
        series,
        place_url=place_url,
        query=query,
        rows=rows,
        legend=[] if small else legend_entries(series, seasons, counts),
        seasons_on=seasons_on,
    )
    fmap.add_child(PlacesLayer(payload, groups))
    return fmap


def page_root(element: Element) -> Figure:
    """The Figure (page) an element belongs to: branca types `get_root()` as any Element, but
    only a Figure has the header/html/script sections that rendering writes into."""
    root = element.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"{element.get_name()} is not inside a map page (a branca Figure)")
    return root


def render_parts(fmap: folium.Map) -> MapParts:
    """Render a map into header/html/script for a page template. Folium's own page furniture
    (its viewport meta that blocks zooming, its html/body styles and inline globals script) is
    left out: the page layout and `mapview.css` do that job, and the only inline script left is
    the map's own, which the template wraps in one nonce-carrying `<script>`."""
    root = page_root(fmap)
    root.render()  # fills root.header/html/script from every element
    html = root.html.render()
    script = root.script.render()
    data = "".join(c.data_html() for c in fmap._children.values() if isinstance(c, PlacesLayer))
    html += data
    skip = {"meta_http", fmap.get_name()}
    header = "\n".join(child.render() for name, child in root.header._children.items() if name not in skip)
    return MapParts(header=header, html=html, script=script)
