"""Every rule of the data model, as a list of problems (never stop at the first).

Structure is checked by geojson-pydantic models in strict mode; geometry validity by shapely;
only the rules no library knows (slugs, decimals, swapped coordinates, episodes, duplicates)
are written here by hand."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlparse

from geojson_pydantic import Feature, LineString, Point, Polygon
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from shapely.geometry import shape
from shapely.validation import explain_validity

from maps.dataset.countries import country_check
from maps.dataset.episodes import Series, load_series
from maps.dataset.problems import Problem
from maps.dataset.trust_checks import check_private_home
from maps.dataset.trust_checks import check_warnings as check_warnings  # part of this module's API
from maps.dataset.vocabulary import Access, Confidence, GeocodeMethod, Precision
from maps.geometry import anchor_lonlat, distance_km
from maps.resources import episodes_path_for

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DECIMALS = 6
DUPLICATE_RADIUS_KM = 0.05
_TAGS = {"Point", "LineString", "Polygon", "Position2D"}


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SceneModel(_Strict):
    season: Annotated[int, Field(ge=1)]
    episode: Annotated[int, Field(ge=1)] | None
    note: Annotated[str, Field(min_length=1)]
    characters: list[Annotated[str, Field(min_length=1)]] = []
    confidence: Confidence | None = None


class SourceModel(_Strict):
    title: Annotated[str, Field(min_length=1)]
    url: str


class GeocodeModel(_Strict):
    method: GeocodeMethod
    query: str | None
    date: str | None
    display_name: str | None = None
    note: str | None = None  # how the coordinates relate to the place, when not exact


class PlaceProperties(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")

    name: Annotated[str, Field(min_length=1)]
    locality: str
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    precision: Precision
    access: Access
    story_place: str | None = None
    scenes: Annotated[list[SceneModel], Field(min_length=1)]
    sources: Annotated[list[SourceModel], Field(min_length=1)]
    geocode: GeocodeModel


Geometry = Annotated[Point | LineString | Polygon, Field(discriminator="type")]
PlaceFeature = Feature[Geometry, PlaceProperties]  # Feature's geometry is already optional


def check_collection(
    data: Any, *, series: Series | None = None, episodes_for: Path | None = None
) -> list[Problem]:
    """All problems of a parsed data file. `series` (or the episodes.json beside `episodes_for`,
    else the bundled one) is what scenes are checked against."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem("-", "$", "not a GeoJSON FeatureCollection")]
    features = data.get("features")
    if not isinstance(features, list):
        return [Problem("-", "$.features", "must be a list of features")]
    if series is None:
        from maps.resources import bundled_episodes_path

        series = load_series(episodes_path_for(episodes_for) if episodes_for else bundled_episodes_path())
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    placed: list[tuple[str, str, tuple[float, float]]] = []  # (id, name, (lat, lon))
    for index, feature in enumerate(features):
        base = f"$.features[{index}]"
        fid = _feature_label(feature, index)
        problems += _check_id(feature, fid, base, seen_ids, index)
        if not isinstance(feature, dict):
            problems.append(Problem(fid, base, "not a JSON object"))
            continue
        problems += _check_schema(feature, fid, base)
        problems += _check_geometry(feature, fid, base)
        props = found if isinstance(found := feature.get("properties"), dict) else {}
        problems += _check_scenes(props, fid, base, series)
        problems += _check_sources(props, fid, base)
        problems += _check_geocode(feature, props, fid, base)
        problems += check_private_home(props, fid, base)
        latlon = _latlon(feature)
        if latlon and isinstance(props.get("name"), str):
            problems += _check_duplicate(fid, base, props["name"], latlon, placed)
            placed.append((fid, props["name"], latlon))
    return problems


def _feature_label(feature: Any, index: int) -> str:
    fid = feature.get("id") if isinstance(feature, dict) else None
    return fid if isinstance(fid, str) and fid else f"#{index}"


def _check_id(feature: Any, fid: str, base: str, seen: dict[str, int], index: int) -> list[Problem]:
    fid_raw = feature.get("id") if isinstance(feature, dict) else None
    if not isinstance(fid_raw, str) or not fid_raw:
        return [Problem(fid, f"{base}.id", "missing id: every place needs a unique slug id")]
    out = []
    if not SLUG.match(fid_raw):
        out.append(Problem(fid, f"{base}.id", f"{fid_raw!r} is not a slug (a-z, 0-9, hyphens)"))
    if fid_raw in seen:
        out.append(Problem(fid, f"{base}.id", f"duplicate id (also features[{seen[fid_raw]}])"))
    else:
        seen[fid_raw] = index
    return out


def _check_schema(feature: dict, fid: str, base: str) -> list[Problem]:
    try:
        PlaceFeature.model_validate_json(json.dumps(feature), strict=True)
    except ValidationError as exc:
        out, seen = [], set()
        for err in exc.errors():
            if "Position3D" in err["loc"]:
                continue
            path = base + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"] if p not in _TAGS
            )
            if (path, err["msg"]) not in seen:
                seen.add((path, err["msg"]))
                out.append(Problem(fid, path, err["msg"]))
        return out
    return []


def _positions(coords: Any) -> list[list]:
    if isinstance(coords, list) and coords and all(isinstance(c, int | float) for c in coords):
        return [coords]
    if isinstance(coords, list):
        return [p for c in coords for p in _positions(c)]
    return []


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_geometry(feature: dict, fid: str, base: str) -> list[Problem]:
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in (
        "Point",
        "LineString",
        "Polygon",
    ):
        return []  # null is allowed (waiting to be geocoded); wrong types are schema problems
    path = f"{base}.geometry.coordinates"
    out = []
    positions = _positions(geometry.get("coordinates"))
    for pos in positions:
        lon, lat = pos[0], pos[1] if len(pos) > 1 else None
        if lat is None:
            continue
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            out.append(Problem(fid, path, f"[{lon}, {lat}] is out of range (lon -180..180, lat -90..90)"))
            return out
        if max(_decimals(lon), _decimals(lat)) > MAX_DECIMALS:
            out.append(Problem(fid, path, f"[{lon}, {lat}] has more than {MAX_DECIMALS} decimals"))
            break
    try:
        geom = shape(geometry)
    except Exception:  # malformed coordinates: already reported by the schema check
        return out
    if not geom.is_valid:
        out.append(Problem(fid, base + ".geometry", f"invalid geometry: {explain_validity(geom)}"))
        return out
    country = (feature.get("properties") or {}).get("country")
    if isinstance(country, str) and not geom.is_empty:
        lon, lat = anchor_lonlat(geom)
        message = country_check(lat, lon, country)
        if message:
            out.append(Problem(fid, path, message))
    return out


def _check_scenes(props: dict, fid: str, base: str, series: Series) -> list[Problem]:
    out = []
    scenes = found if isinstance(found := props.get("scenes"), list) else []
    for i, scene in enumerate(scenes):
        if not isinstance(scene, dict) or not isinstance(scene.get("season"), int):
            continue
        path = f"{base}.properties.scenes[{i}]"
        season = series.season(scene["season"])
        if season is None:
            known = ", ".join(str(s.number) for s in series.seasons)
            out.append(
                Problem(
                    fid,
                    f"{path}.season",
                    f"season {scene['season']} is not in episodes.json (known: {known})",
                )
            )
            continue
        episode = scene.get("episode")
        if isinstance(episode, int) and season.episode(episode) is None:
            out.append(
                Problem(
                    fid,
                    f"{path}.episode",
                    f"episode {episode} is not in {season.label} (it has {len(season.episodes)})",
                )
            )
    return out


def _check_sources(props: dict, fid: str, base: str) -> list[Problem]:
    out = []
    sources = found if isinstance(found := props.get("sources"), list) else []
    for i, source in enumerate(sources):
        url = source.get("url") if isinstance(source, dict) else None
        if not isinstance(url, str):
            continue  # reported by the schema check
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            out.append(
                Problem(
                    fid,
                    f"{base}.properties.sources[{i}].url",
                    f"{url[:80]!r} is not an http(s) URL",
                )
            )
    return out


def _check_geocode(feature: dict, props: dict, fid: str, base: str) -> list[Problem]:
    geocode = props.get("geocode") if isinstance(props.get("geocode"), dict) else None
    if feature.get("geometry") is None and geocode is not None and not geocode.get("query"):
        return [
            Problem(
                fid,
                f"{base}.properties.geocode.query",
                "a place without geometry needs a query to geocode",
            )
        ]
    return []


def _latlon(feature: dict) -> tuple[float, float] | None:
    try:
        geom = shape(feature["geometry"]) if feature.get("geometry") else None
    except Exception:
        return None
    if geom is None or geom.is_empty:
        return None
    lon, lat = anchor_lonlat(geom)
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _check_duplicate(fid: str, base: str, name: str, latlon, placed) -> list[Problem]:
    key = name.casefold().strip()
    for other_id, other_name, other in placed:
        if other_name.casefold().strip() == key and distance_km(latlon, other) <= DUPLICATE_RADIUS_KM:
            return [
                Problem(
                    fid,
                    f"{base}.properties.name",
                    f"duplicate of {other_id}: same name within 50 m",
                )
            ]
    return []
