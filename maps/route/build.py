"""Build routing tiles for the places of the map: `maps routing build EXTRACT.osm.pbf...`.

1. Clip each OpenStreetMap extract to buffers around the dataset's places (`osmium extract` from
   osmium-tool, with complete ways, so a street crossing the edge is kept whole). England plus
   Île-de-France clip to a few per cent of their size, so Valhalla builds in minutes, not hours.
2. Run Valhalla's `valhalla_build_tiles` (shipped inside the pyvalhalla wheel) on the clipped
   files, writing `OUT/valhalla_tiles/` and the `OUT/valhalla.json` it was built with.

Then point the app at OUT with `MAPS_ROUTING_TILES=OUT`. Nothing here runs in a request.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Polygon, mapping
from shapely.ops import unary_union

from maps.dataset.catalog import Catalog
from maps.errors import MapsError

DEFAULT_BUFFER_KM = 5.0
MAX_EXTRACTS = 20


class RoutingBuildError(MapsError):
    status = 500
    code = "RoutingBuildFailed"


@dataclass(frozen=True)
class BuildResult:
    tiles: Path
    clipped: list[Path]
    places: int


def buffers_geojson(catalog: Catalog, buffer_km: float) -> dict:
    """One (Multi)Polygon: a `buffer_km` disc around every place with coordinates (in degrees,
    longitude scaled by latitude, which is close enough for clipping)."""
    discs = []
    for place in catalog.locations:
        if place.latlon is None:
            continue
        lat, lon = place.latlon
        dlat = buffer_km / 111.32
        dlon = buffer_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
        steps = [2 * math.pi * k / 32 for k in range(32)]
        discs.append(Polygon([(lon + dlon * math.cos(t), lat + dlat * math.sin(t)) for t in steps]))
    if not discs:
        raise RoutingBuildError("no place has coordinates: nothing to build routing tiles for")
    return {"type": "Feature", "properties": {}, "geometry": mapping(unary_union(discs))}


def clip(extract: Path, area: dict, out: Path) -> Path:
    """`osmium extract` of `extract` to `area`, complete ways, into `out`."""
    osmium = shutil.which("osmium")
    if osmium is None:
        raise RoutingBuildError("osmium-tool is not installed (Debian: apt-get install osmium-tool)")
    with tempfile.NamedTemporaryFile("w", suffix=".geojson", delete=False) as fh:
        json.dump(area, fh)
    try:
        command = [osmium, "extract", "--polygon", fh.name, "--strategy", "complete_ways"]
        done = subprocess.run(
            [*command, "--overwrite", "-o", str(out), str(extract)], capture_output=True, text=True
        )
    finally:
        Path(fh.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise RoutingBuildError(f"osmium extract failed on {extract}: {done.stderr.strip()[-500:]}")
    return out


def build_tiles(
    catalog: Catalog, extracts: Sequence[Path], out: Path, *, buffer_km: float = DEFAULT_BUFFER_KM
) -> BuildResult:
    """Clip `extracts` around the places, then build Valhalla tiles into `out`."""
    from maps.route.valhalla import engine_config

    if not extracts or len(extracts) > MAX_EXTRACTS:
        raise RoutingBuildError(f"give 1 to {MAX_EXTRACTS} OpenStreetMap extracts (.osm.pbf)")
    try:
        from valhalla._scripts import PYVALHALLA_BIN_DIR
    except ImportError:
        raise RoutingBuildError(
            "pyvalhalla is not installed: pip install 'heartstopper-maps[routing]' (Python >= 3.12)"
        ) from None
    out.mkdir(parents=True, exist_ok=True)
    area = buffers_geojson(catalog, buffer_km)
    clipped_dir = out / "clipped"
    clipped_dir.mkdir(exist_ok=True)
    clipped = [clip(path, area, clipped_dir / f"{n}-{path.name}") for n, path in enumerate(extracts)]
    shutil.rmtree(out / "valhalla_tiles", ignore_errors=True)
    config = engine_config(out)
    config_path = out / "valhalla.json"
    config_path.write_text(json.dumps(config, indent=1), encoding="utf-8")
    binary = PYVALHALLA_BIN_DIR / "valhalla_build_tiles"
    done = subprocess.run(
        [str(binary), "-c", str(config_path), *map(str, clipped)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RoutingBuildError(f"valhalla_build_tiles failed: {done.stderr.strip()[-800:]}")
    places = sum(1 for p in catalog.locations if p.latlon is not None)
    return BuildResult(out, clipped, places)
