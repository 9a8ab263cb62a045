"""Every rule of the data model, as a list of problems (never stop at the first).

Structure is checked by geojson-pydantic models in strict mode; geometry validity by shapely;
only the rules no library knows (slugs, decimals, swapped coordinates, episodes, duplicates)
are written here by hand."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from geojson_pydantic import Feature, LineString, Point, Polygon
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from maps.dataset.countries import country_checks
from maps.dataset.duplicates import DuplicateIndex
from maps.dataset.episodes import Series, load_series, read_episodes_raw
from maps.dataset.problems import Problem
from maps.dataset.textrules import CONTROL, control_problem, url_problem
from maps.dataset.trust_checks import check_private_home
from maps.dataset.trust_checks import check_warnings as check_warnings  # part of this module's API
from maps.dataset.validate_series import check_series
from maps.dataset.vocabulary import Access, Closure, Confidence, GeocodeMethod, Precision
from maps.geometry import anchor_lonlat
from maps.resources import episodes_path_for

__all__ = ["Problem", "check_collection", "check_warnings", "fingerprints"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DECIMALS = 6
DUPLICATE_RADIUS_KM = 0.05
# What a control character looks like in json.dumps(..., ensure_ascii=False) output: C0 ones
# are escaped (\u0000-\u001f, \n, \t...), the others stay raw. A hit only means "look closer".
_SUSPECT = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bfnrt]|" + CONTROL.pattern)
MULTILINE_KEYS = {"note"}  # scene notes may hold line breaks; every other text is one line
_TAGS = {"Point", "LineString", "Polygon", "Position2D"}


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# Size limits: every text has a ceiling, so no field can make a page, a popup or a download
# arbitrarily big (docs list them). Far above what the real data needs (a note of ~600 chars).
LIMITS = {
    "name": 200,
    "locality": 200,
    "story_place": 300,
    "note": 5000,
    "character": 100,
    "characters": 50,
    "scenes": 200,
    "sources": 50,
    "title": 500,
    "url": 2000,
    "query": 500,
    "display_name": 500,
    "geocode_note": 2000,
    "positions": 10_000,  # vertices of one line or area
    "places": 200_000,
}


class SceneModel(_Strict):
    season: Annotated[int, Field(ge=1)]
    episode: Annotated[int, Field(ge=1)] | None
    note: Annotated[str, Field(min_length=1, max_length=LIMITS["note"])]
    characters: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=LIMITS["character"])]],
        Field(max_length=LIMITS["characters"]),
    ] = []
    confidence: Confidence | None = None


class SourceModel(_Strict):
    title: Annotated[str, Field(min_length=1, max_length=LIMITS["title"])]
    url: Annotated[str, Field(max_length=LIMITS["url"])]


class GeocodeModel(_Strict):
    method: GeocodeMethod
    query: Annotated[str, Field(max_length=LIMITS["query"])] | None
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None
    display_name: Annotated[str, Field(max_length=LIMITS["display_name"])] | None = None
    note: Annotated[str, Field(max_length=LIMITS["geocode_note"])] | None = (
        None  # how the coordinates relate to the place
    )


class PlaceProperties(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")

    name: Annotated[str, Field(min_length=1, max_length=LIMITS["name"])]
    locality: Annotated[str, Field(max_length=LIMITS["locality"])]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    precision: Precision
    access: Access
    closure: Closure | None = None
    story_place: Annotated[str, Field(max_length=LIMITS["story_place"])] | None = None
    scenes: Annotated[list[SceneModel], Field(min_length=1, max_length=LIMITS["scenes"])]
    sources: Annotated[list[SourceModel], Field(min_length=1, max_length=LIMITS["sources"])]
    geocode: GeocodeModel


Geometry = Annotated[Point | LineString | Polygon, Field(discriminator="type")]
PlaceFeature = Feature[Geometry, PlaceProperties]  # Feature's geometry is already optional


def check_collection(
    data: Any,
    *,
    series: Series | None = None,
    episodes_for: Path | None = None,
    trusted: frozenset[str] = frozenset(),
) -> list[Problem]:
    """All problems of a parsed data file. `series` (or the episodes.json beside `episodes_for`,
    else the bundled one, whose own problems are reported too) is what scenes are checked against.

    Near-linear in the number of places: per-place checks, ids in a dict, duplicates through a
    hash grid. Features whose `fingerprints` are in `trusted` (the file as it was, while a writer
    holds the lock) skip the per-place checks and only take part in the whole-file ones."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem("-", "$", "not a GeoJSON FeatureCollection")]
    features = data.get("features")
    if not isinstance(features, list):
        return [Problem("-", "$.features", "must be a list of features")]
    if len(features) > LIMITS["places"]:
        return [Problem("-", "$.features", f"{len(features)} places: at most {LIMITS['places']} per file")]
    problems: list[Problem] = []
    if series is None:
        series, problems = _series_for(episodes_for)
    per_place: list[list[Problem]] = []
    countries: list[tuple[int, str, str, tuple[float, float, str]]] = []  # checked in one batch
    seen_ids: dict[str, int] = {}
    placed = DuplicateIndex(DUPLICATE_RADIUS_KM)
    for index, feature in enumerate(features):
        base = f"$.features[{index}]"
        fid = _feature_label(feature, index)
        found = _check_id(feature, fid, base, seen_ids, index)
        per_place.append(found)
        if not isinstance(feature, dict):
            found.append(Problem(fid, base, "not a JSON object"))
            continue
        raw_props = feature.get("properties")
        props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
        geom = None
        if not trusted or _fingerprint(feature) not in trusted:
            text = json.dumps(feature, ensure_ascii=False)
            found += _check_schema(text, fid, base)
            if _SUSPECT.search(text):  # a cheap scan of the whole place before the field walk
                found += _check_text(props, f"{base}.properties", fid)
            geometry_problems, geom = _check_geometry(feature, fid, base)
            found += geometry_problems
            if geom is not None and isinstance(props.get("country"), str):
                lon, lat = anchor_lonlat(geom)
                countries.append((index, fid, f"{base}.geometry.coordinates", (lat, lon, props["country"])))
            if series is not None:
                found += _check_scenes(props, fid, base, series)
            found += _check_sources(props, fid, base)
            found += _check_geocode(feature, props, fid, base)
            found += check_private_home(props, fid, base)
        latlon = _latlon(feature, geom)
        if latlon and isinstance(props.get("name"), str):
            other = placed.find(props["name"], latlon)
            if other:
                message = f"duplicate of {other}: same name within 50 m"
                found.append(Problem(fid, f"{base}.properties.name", message))
            placed.add(fid, props["name"], latlon)
    messages = country_checks([point for *_, point in countries])
    for (index, fid, path, _point), country_problem in zip(countries, messages, strict=True):
        if country_problem:
            per_place[index].append(Problem(fid, path, country_problem))
    return problems + [p for found in per_place for p in found]


def _series_for(episodes_for: Path | None) -> tuple[Series | None, list[Problem]]:
    """The episode list to check scenes against, and its own problems (None when it is too broken
    to use: the scenes are then not checked, the episode list's problems say why)."""
    from maps.resources import bundled_episodes_path

    path = episodes_path_for(episodes_for) if episodes_for else bundled_episodes_path()
    problems = check_series(read_episodes_raw(path))
    try:
        return load_series(path), problems
    except Exception:
        if problems:
            return None, problems
        raise


def _fingerprint(feature: Any) -> str:
    return json.dumps(feature, sort_keys=True, ensure_ascii=False, default=str)


def warm_up() -> None:
    """Load what validation needs once per process (GeoNames towns, ~5 s), so a writer does it
    before it takes the data file's lock, not while other curators wait."""
    from maps.dataset.countries import nearest_town_km

    nearest_town_km(0.0, 0.0, "GB")


def fingerprints(features: list) -> frozenset[str]:
    """What `check_collection(trusted=...)` takes: the identity of each place's content."""
    return frozenset(_fingerprint(f) for f in features)


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


def _check_schema(text: str, fid: str, base: str) -> list[Problem]:
    try:
        PlaceFeature.model_validate_json(text, strict=True)
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


def _check_geometry(feature: dict, fid: str, base: str) -> tuple[list[Problem], BaseGeometry | None]:
    """Range, decimals, validity and winding; also the shape, when it is sound enough for the
    country check (done for all places at once by the caller)."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in (
        "Point",
        "LineString",
        "Polygon",
    ):
        return [], None  # null is allowed (waiting to be geocoded); wrong types are schema problems
    path = f"{base}.geometry.coordinates"
    out = []
    positions = _positions(geometry.get("coordinates"))
    if len(positions) > LIMITS["positions"]:
        return [
            Problem(fid, path, f"{len(positions)} positions: at most {LIMITS['positions']} per place")
        ], None
    for pos in positions:
        lon, lat = pos[0], pos[1] if len(pos) > 1 else None
        if lat is None:
            continue
        if not (math.isfinite(lon) and math.isfinite(lat)):
            out.append(Problem(fid, path, f"[{lon}, {lat}] is not a finite number"))
            return out, None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            out.append(Problem(fid, path, f"[{lon}, {lat}] is out of range (lon -180..180, lat -90..90)"))
            return out, None
        if max(_decimals(lon), _decimals(lat)) > MAX_DECIMALS:
            out.append(Problem(fid, path, f"[{lon}, {lat}] has more than {MAX_DECIMALS} decimals"))
            break
    try:
        geom = shape(geometry)
    except Exception:  # malformed coordinates: already reported by the schema check
        return out, None
    if not geom.is_valid:
        out.append(Problem(fid, base + ".geometry", f"invalid geometry: {explain_validity(geom)}"))
        return out, None
    if geom.geom_type == "Polygon" and not geom.is_empty:
        out += _check_winding(geom, fid, path)
    return out, (None if geom.is_empty else geom)


def _check_scenes(props: dict, fid: str, base: str, series: Series) -> list[Problem]:
    out = []
    raw_scenes = props.get("scenes")
    scenes: list[Any] = raw_scenes if isinstance(raw_scenes, list) else []
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
    raw_sources = props.get("sources")
    sources: list[Any] = raw_sources if isinstance(raw_sources, list) else []
    for i, source in enumerate(sources):
        url = source.get("url") if isinstance(source, dict) else None
        if not isinstance(url, str):
            continue  # reported by the schema check
        message = url_problem(url)
        if message:
            out.append(Problem(fid, f"{base}.properties.sources[{i}].url", message))
    return out


def _check_text(value: Any, path: str, fid: str, key: str = "") -> list[Problem]:
    """Control characters anywhere in the properties (names, notes, titles, characters...)."""
    if isinstance(value, str):
        if key == "url":
            return []  # URLs have their own, stricter rule (url_problem)
        message = control_problem(value, multiline=key in MULTILINE_KEYS)
        return [Problem(fid, path, message)] if message else []
    if isinstance(value, dict):
        return [p for k, item in value.items() for p in _check_text(item, f"{path}.{k}", fid, str(k))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _check_text(item, f"{path}[{i}]", fid, key)]
    return []


def _check_winding(polygon, fid: str, path: str) -> list[Problem]:
    """RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise (the store rewinds
    polygons on every write, so only a hand-edited file can fail this)."""
    out = []
    if not polygon.exterior.is_ccw:
        out.append(Problem(fid, path, "the outer ring is clockwise; RFC 7946 wants counter-clockwise"))
    if any(ring.is_ccw for ring in polygon.interiors):
        out.append(Problem(fid, path, "a hole is counter-clockwise; RFC 7946 wants clockwise"))
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


def _latlon(feature: dict, geom: BaseGeometry | None = None) -> tuple[float, float] | None:
    try:
        if geom is None:
            geom = shape(feature["geometry"]) if feature.get("geometry") else None
    except Exception:
        return None
    if geom is None or geom.is_empty:
        return None
    lon, lat = anchor_lonlat(geom)
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
