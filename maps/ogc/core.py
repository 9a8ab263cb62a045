"""OGC API - Features Part 1: Core, without Flask (pygeoapi's split: the API logic here, a thin
adapter in `web/ogc.py`). Every function takes the catalog and the base URL of the API and
returns a plain JSON-ready dict.

One collection, `locations`, served from the in-memory catalog: a `bbox` query asks the
catalog's STRtree for candidates instead of scanning, the map's filters (`season`, `episode`,
`character`, `q`, `watched`) then apply, and pages are linked with `next`/`prev` so clients such
as GDAL's OAPIF driver read every feature."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from maps.dataset.catalog import Catalog, Location
from maps.dataset.filters import FILTER_NAMES, Filters, characters, parse_filters, select
from maps.errors import InvalidQuery, NotFound
from maps.formats.geojson import export_feature
from maps.geometry import BBox

COLLECTION_ID = "locations"
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
FORMATS = ("json", "html")
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
ITEMS_PARAMS = frozenset({"f", "bbox", "bbox-crs", "datetime", "limit", "offset", *FILTER_NAMES})
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


class CollectionNotFound(NotFound):
    title = "Collection not found"


def check_collection(collection_id: str) -> None:
    if collection_id != COLLECTION_ID:
        raise CollectionNotFound(f"no collection {collection_id[:80]!r}; available: {COLLECTION_ID}")


# ---------------------------------------------------------------------------------------------
# Query parameters


@dataclass(frozen=True)
class ItemsQuery:
    bbox: BBox | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    filters: Filters = field(default_factory=Filters)
    datetime: str | None = None  # checked, echoed in links; no place has a time, so all match

    def as_query(self, *, offset: int | None = None, f: str | None = None) -> list[tuple[str, str]]:
        """The query string of this page (or another page of the same query), for links."""
        pairs: list[tuple[str, str]] = []
        if f:
            pairs.append(("f", f))
        if self.bbox is not None:
            pairs.append(("bbox", ",".join(_num(v) for v in self.bbox)))
        pairs += self.filters.as_query()
        if self.datetime:
            pairs.append(("datetime", self.datetime))
        pairs += [("limit", str(self.limit)), ("offset", str(self.offset if offset is None else offset))]
        return pairs


def _num(value: float) -> str:
    return repr(value) if value != int(value) else str(int(value))


def parse_format(args: Any) -> str | None:
    """`f=json|html`, or None to let the Accept header decide."""
    values = args.getlist("f") if hasattr(args, "getlist") else [args.get("f")]
    values = [v for v in values if v]
    if not values:
        return None
    if len(values) > 1 or values[0] not in FORMATS:
        raise InvalidQuery("f", f"{values[-1][:20]!r} is not a format; allowed: {', '.join(FORMATS)}")
    return values[0]


def parse_bbox(raw: str) -> BBox:
    """`minLon,minLat,maxLon,maxLat` (or 6 numbers with heights, which are ignored), in CRS84.
    minLon > maxLon is a box across the antimeridian."""
    allowed = "4 numbers minLon,minLat,maxLon,maxLat in degrees (WGS84), e.g. -0.7,51.3,-0.5,51.5"
    parts = raw.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InvalidQuery("bbox", f"{raw[:60]!r} is not {allowed}") from None
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise InvalidQuery("bbox", f"{raw[:60]!r} is not {allowed}")
    minx, miny, maxx, maxy = values
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidQuery(
            "bbox", f"{raw[:60]!r} is out of range: longitudes -180..180, latitudes -90..90, minLat <= maxLat"
        )
    return (minx, miny, maxx, maxy)


def parse_datetime(raw: str) -> str:
    """OGC API - Features `datetime` (/req/core/fc-time-definition): an RFC 3339 instant, or an
    interval `start/end` where either end may be `..` (open). Places have no time property, so
    once the syntax is checked every place matches (/req/core/fc-time-response)."""
    allowed = "an RFC 3339 date-time (2022-04-22T00:00:00Z) or an interval start/end with .. for open"
    if len(raw) > 100:
        raise InvalidQuery("datetime", f"{raw[:40]!r}... is not {allowed}")
    parts = raw.split("/")
    if len(parts) > 2 or (len(parts) == 2 and parts == ["..", ".."]):
        raise InvalidQuery("datetime", f"{raw[:60]!r} is not {allowed}")
    instants: list[datetime | None] = []
    for part in parts:
        if len(parts) == 2 and part in ("..", ""):
            instants.append(None)
            continue
        try:
            value = datetime.fromisoformat(part)
        except ValueError:
            raise InvalidQuery("datetime", f"{raw[:60]!r} is not {allowed}") from None
        instants.append(value if value.tzinfo else value.replace(tzinfo=UTC))
    first, last = instants[0], instants[-1]
    if len(instants) == 2 and first is not None and last is not None and first > last:
        raise InvalidQuery("datetime", f"{raw[:60]!r}: the interval ends before it starts")
    return raw


def _int_param(args: Any, name: str, default: int, minimum: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise InvalidQuery(name, f"{raw[:20]!r} is not an integer >= {minimum}")
    return int(raw)


def parse_items_query(args: Any, catalog: Catalog) -> ItemsQuery:
    """Read the items parameters; an unknown parameter is a 400, as the standard requires
    (a typo must not silently return everything)."""
    unknown = sorted(set(args.keys()) - ITEMS_PARAMS)
    if unknown:
        raise InvalidQuery(unknown[0][:40], f"unknown parameter; allowed: {', '.join(sorted(ITEMS_PARAMS))}")
    crs = args.get("bbox-crs")
    if crs and crs != CRS84:
        raise InvalidQuery("bbox-crs", f"only {CRS84} is supported")
    raw_bbox = args.get("bbox")
    repeated = args.getlist("bbox") if hasattr(args, "getlist") else []
    if len(repeated) in (4, 6):  # bbox=1&bbox=2&... : what generated clients send for the array
        raw_bbox = ",".join(repeated)
    limit = _int_param(args, "limit", DEFAULT_LIMIT, 1)
    return ItemsQuery(
        bbox=parse_bbox(raw_bbox) if raw_bbox else None,
        limit=min(
            limit, MAX_LIMIT
        ),  # larger asks are served the maximum, not an error (OGC 17-069r4 §7.15.4)
        offset=_int_param(args, "offset", 0, 0),
        filters=parse_filters(args, catalog.series),
        datetime=parse_datetime(args["datetime"]) if args.get("datetime") else None,
    )


# ---------------------------------------------------------------------------------------------
# Queries


def _take(catalog: Catalog, positions: Sequence[int]) -> list[Location]:
    """The places at these positions (compact columns make them in one batch)."""
    take = getattr(catalog.locations, "take", None)
    if take is not None:
        return take(positions)
    return [catalog.locations[int(i)] for i in positions]


@dataclass(frozen=True)
class Page:
    items: list[Location]
    matched: int


def select_page(catalog: Catalog, query: ItemsQuery) -> Page:
    """Spatial index first (bbox), then the filters, then one page. Without filters only the
    page's places are taken from the catalog (which may make them from compact columns)."""
    window = slice(query.offset, query.offset + query.limit)
    if query.bbox is not None:
        positions = catalog.spatial_index.query_bbox(query.bbox)
        if not query.filters.active:
            return Page(items=_take(catalog, positions[window].tolist()), matched=len(positions))
        candidates: Sequence[Location] = [catalog.locations[int(i)] for i in positions]
    else:
        candidates = catalog.locations
    hits = select(candidates, query.filters) if query.filters.active else candidates
    return Page(items=list(hits[window]), matched=len(hits))


# ---------------------------------------------------------------------------------------------
# Documents


def link(href: str, rel: str, type_: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def _self_links(url: str, json_type: str = JSON) -> list[dict[str, str]]:
    sep = "&" if "?" in url else "?"
    return [
        link(f"{url}{sep}f=json", "self", json_type, "This document as JSON"),
        link(f"{url}{sep}f=html", "alternate", HTML, "This document as HTML"),
    ]


def landing(base: str, title: str) -> dict[str, Any]:
    return {
        "title": f"{title} filming locations",
        "description": f"Every filming location of {title} as an OGC API - Features service.",
        "links": [
            *_self_links(f"{base}/"),
            link(f"{base}/api", "service-desc", OPENAPI_TYPE, "The API definition (OpenAPI 3)"),
            link(f"{base}/api?f=html", "service-doc", HTML, "The API documentation"),
            link(f"{base}/conformance", "conformance", JSON, "Conformance classes"),
            link(f"{base}/collections", "data", JSON, "Collections"),
        ],
    }


def conformance(base: str) -> dict[str, Any]:
    return {"conformsTo": CONFORMANCE, "links": _self_links(f"{base}/conformance")}


def collection(catalog: Catalog, base: str) -> dict[str, Any]:
    url = f"{base}/collections/{COLLECTION_ID}"
    series = catalog.series
    return {
        "id": COLLECTION_ID,
        "title": f"{series.title} filming locations",
        "description": "One feature per real place, with its scenes per season, access advice and sources.",
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [list(catalog.bbox or (-180, -90, 180, 90))], "crs": CRS84}},
        "filters": {
            "season": {
                "description": "Repeatable: places filmed in any of these seasons",
                "values": [{"value": s.number, "label": s.label, "colour": s.colour} for s in series.seasons],
            },
            "episode": {"description": "An episode number, or a code such as S2E4"},
            "character": {"description": "A character in a scene", "values": characters(catalog.locations)},
            "q": {"description": "Text in the name, locality, story place or a scene note"},
            "watched": {"description": "Spoiler guard: only scenes up to this episode (S2E4)"},
        },
        "links": [
            *_self_links(url),
            link(f"{url}/items?f=json", "items", GEOJSON, "The places (GeoJSON)"),
            link(f"{url}/items?f=html", "items", HTML, "The places (HTML)"),
        ],
    }


def collections(catalog: Catalog, base: str) -> dict[str, Any]:
    return {"collections": [collection(catalog, base)], "links": _self_links(f"{base}/collections")}


def item(loc: Location, base: str) -> dict[str, Any]:
    url = f"{base}/collections/{COLLECTION_ID}/items/{quote(loc.id)}"
    feature = export_feature(loc)
    feature["links"] = [
        *_self_links(url, GEOJSON),
        link(f"{base}/collections/{COLLECTION_ID}", "collection", JSON, "The collection"),
    ]
    return feature


def items(page: Page, query: ItemsQuery, base: str, *, now: datetime | None = None) -> dict[str, Any]:
    url = f"{base}/collections/{COLLECTION_ID}/items"

    def page_link(rel: str, offset: int, f: str, type_: str, title: str) -> dict[str, str]:
        return link(f"{url}?{urlencode(query.as_query(offset=offset, f=f))}", rel, type_, title)

    links = [
        page_link("self", query.offset, "json", GEOJSON, "This page"),
        page_link("alternate", query.offset, "html", HTML, "This page as HTML"),
        link(f"{base}/collections/{COLLECTION_ID}", "collection", JSON, "The collection"),
    ]
    if query.offset + len(page.items) < page.matched:
        links.append(page_link("next", query.offset + query.limit, "json", GEOJSON, "Next page"))
    if query.offset > 0:
        links.append(page_link("prev", max(0, query.offset - query.limit), "json", GEOJSON, "Previous page"))
    return {
        "type": "FeatureCollection",
        "features": [item(loc, base) for loc in page.items],
        "numberMatched": page.matched,
        "numberReturned": len(page.items),
        "timeStamp": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }


def get_item(catalog: Catalog, collection_id: str, item_id: str) -> Location:
    check_collection(collection_id)
    return catalog.get(item_id)


def check_only_f(args: Any) -> None:
    """The landing page, conformance, collection and item resources take `f`; the filters are
    accepted and ignored there, because GDAL sends the query of an `OAPIF:…/ogc?season=2`
    connection string with every request."""
    unknown = sorted(set(args.keys()) - {"f", *FILTER_NAMES})
    if unknown:
        raise InvalidQuery(unknown[0][:40], "unknown parameter; allowed: f")
