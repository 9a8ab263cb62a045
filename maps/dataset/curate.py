"""Curation: add a place, fill in missing geometries. Plain functions over the raw collection,
so the CLI (and any future admin page) share one implementation and one write path."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maps.dataset import store
from maps.dataset.geocode import GeocodeResult
from maps.dataset.validate import DUPLICATE_RADIUS_KM
from maps.errors import InvalidQuery, MapsError
from maps.geometry import anchor_lonlat, distance_km, to_shape


class Refused(MapsError):
    """The change would break a rule (duplicate id or place); nothing was written."""

    status = 409
    code = "Conflict"


@dataclass(frozen=True)
class NewPlace:
    name: str
    season: int
    note: str
    source_url: str
    episode: int | None = None
    lat: float | None = None
    lon: float | None = None
    query: str | None = None
    precision: str = "building"
    access: str = "exterior"
    place_id: str | None = None
    locality: str = ""
    country: str = "GB"
    story_place: str | None = None
    source_title: str | None = None
    characters: tuple[str, ...] = ()
    confidence: str | None = None  # confirmed | reported | inferred (maps.dataset.trust)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "place"


def today() -> str:
    return dt.date.today().isoformat()


def build_feature(place: NewPlace, geocoded: GeocodeResult | None) -> dict[str, Any]:
    """The new Feature: at the geocoder's answer, else at the coordinates the curator gave."""
    geocode: dict[str, Any]
    if geocoded is not None:
        lat, lon = geocoded.lat, geocoded.lon
        geocode = {
            "method": "nominatim",
            "query": geocoded.query,
            "date": today(),
            "display_name": geocoded.display_name,
        }
    elif place.lat is not None and place.lon is not None:
        lat, lon = place.lat, place.lon
        geocode = {"method": "manual", "query": None, "date": today()}
    else:
        raise InvalidQuery("lat/lon", "give both coordinates, or an address to geocode")
    scene: dict[str, Any] = {"season": place.season, "episode": place.episode, "note": place.note}
    if place.characters:
        scene["characters"] = list(place.characters)
    if place.confidence:
        scene["confidence"] = place.confidence
    return {
        "type": "Feature",
        "id": place.place_id or slugify(place.name),
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "name": place.name,
            "locality": place.locality,
            "country": place.country,
            "precision": place.precision,
            "access": place.access,
            "story_place": place.story_place,
            "scenes": [scene],
            "sources": [{"title": place.source_title or place.source_url, "url": place.source_url}],
            "geocode": geocode,
        },
    }


def refuse_duplicates(collection: dict[str, Any], feature: dict[str, Any]) -> None:
    """Raise Refused for a taken id or a same-named place within 50 m."""
    new_id = feature["id"]
    name = feature["properties"]["name"].casefold().strip()
    lon, lat = feature["geometry"]["coordinates"]
    for other in collection.get("features", []):
        if other.get("id") == new_id:
            raise Refused(f"id {new_id!r} is already taken; choose another with --id")
        other_name = str((other.get("properties") or {}).get("name", "")).casefold().strip()
        geom = to_shape(other.get("geometry"))
        if other_name == name and geom is not None:
            olon, olat = anchor_lonlat(geom)
            if distance_km((lat, lon), (olat, olon)) <= DUPLICATE_RADIUS_KM:
                raise Refused(f"{other.get('id')} is the same place (same name within 50 m)")


def add_place(path: Path, feature: dict[str, Any]) -> dict[str, Any]:
    """Append under the store's lock; the duplicate check runs on the file as it is then."""

    def change(collection: dict[str, Any]) -> dict[str, Any]:
        refuse_duplicates(collection, feature)
        return {**collection, "features": [*collection["features"], feature]}

    store.update_collection(path, change)
    return feature


def pending(collection: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in collection.get("features", []) if f.get("geometry") is None]


def geocode_pending(
    path: Path, geocode: Callable[[str], GeocodeResult]
) -> Iterator[tuple[str, GeocodeResult]]:
    """Geocode every feature whose geometry is null, saving after each so progress is never lost.
    Yields (id, result) as it goes; geocoder errors propagate after earlier places were saved."""
    for feature in pending(store.read_raw(path)):
        query = (feature["properties"].get("geocode") or {}).get("query")
        result = geocode(query or feature["properties"]["name"])
        fid = feature["id"]

        def change(collection: dict[str, Any], fid=fid, result=result) -> dict[str, Any]:
            for f in collection["features"]:
                if f.get("id") == fid and f.get("geometry") is None:
                    f["geometry"] = {"type": "Point", "coordinates": [result.lon, result.lat]}
                    f["properties"]["geocode"] = {
                        "method": "nominatim",
                        "query": result.query,
                        "date": today(),
                        "display_name": result.display_name,
                    }
            return collection

        store.update_collection(path, change)
        yield fid, result
