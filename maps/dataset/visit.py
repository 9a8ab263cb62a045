"""What a fan needs to go to a place: directions links to the map apps they have, and the
position as text, as precise as the sources allow (a place known only to its street or town is
said to be approximate: homes are never pinned exactly)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

# How exactly the sources pin a place down → what the coordinates mean, in words.
APPROXIMATE = {
    "street": "approximate: the street, not a house",
    "area": "approximate: the middle of the area",
    "town": "approximate: the town",
}


@dataclass(frozen=True)
class Directions:
    label: str
    url: str


def directions(lat: float, lon: float) -> list[Directions]:
    """Directions to (lat, lon) from wherever the phone is, in Google Maps, Apple Maps and
    OpenStreetMap (each app's documented URL scheme; no key, no tracking parameters)."""
    at = f"{lat:.6f},{lon:.6f}"
    google = "https://www.google.com/maps/dir/?" + urlencode({"api": 1, "destination": at})
    return [
        Directions("Google Maps", google),
        Directions("Apple Maps", "https://maps.apple.com/?" + urlencode({"daddr": at})),
        Directions("OpenStreetMap", "https://www.openstreetmap.org/directions?" + urlencode({"to": at})),
    ]


def position_text(lat: float, lon: float, precision: str) -> str:
    """ "51.48333, -0.60000" and, when the sources give less than a building or site, why it is
    approximate (fewer decimals, too: a street-level place is not given to the metre)."""
    if precision in APPROXIMATE:
        return f"{lat:.3f}, {lon:.3f} ({APPROXIMATE[precision]})"
    return f"{lat:.5f}, {lon:.5f}"
