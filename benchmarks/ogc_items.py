"""OGC API items latency with 100,000 synthetic places, against pygeoapi serving the same GeoJSON
file with its GeoJSON provider, on the same machine in the same run; and the peak memory of
streaming the full-collection GeoJSON download.

    python benchmarks/ogc_items.py [--places 100000] [--runs 30] [--baseline-runs 5]

pygeoapi is never a project dependency: the script expects it in its own virtualenv,
`benchmarks/.scratch/pygeoapi-venv` (gitignored), created with
    python3 -m venv benchmarks/.scratch/pygeoapi-venv
    benchmarks/.scratch/pygeoapi-venv/bin/pip install pygeoapi
Both servers are Flask's development server in a subprocess, asked over HTTP by the same client.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "benchmarks" / ".scratch"
PYGEOAPI_VENV = SCRATCH / "pygeoapi-venv"
SMALL_BBOX = "-1.0,51.0,-0.7,51.3"  # ~0.3° square: a few hundred candidates, 100 returned


def synthetic_places(n: int, seed: int = 7) -> dict:
    """Points spread over southern England and northern France, 1-3 scenes each."""
    rng = random.Random(seed)
    features = []
    for i in range(n):
        lon, lat = round(rng.uniform(-6, 3), 6), round(rng.uniform(48, 56), 6)
        scenes = [
            {"season": s, "episode": rng.randint(1, 8), "note": f"Scene {i}-{s}: somebody walks past."}
            for s in sorted(rng.sample([1, 2, 3], rng.randint(1, 3)))
        ]
        features.append(
            {
                "type": "Feature",
                "id": f"place-{i}",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": f"place-{i}",
                    "name": f"Place {i}",
                    "locality": "Somewhere",
                    "country": "GB",
                    "precision": "building",
                    "access": "public",
                    "story_place": None,
                    "scenes": scenes,
                    "sources": [{"title": "A source", "url": "https://example.org/source"}],
                    "geocode": {"method": "manual", "query": None, "date": "2026-11-27"},
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                resp.read()
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def timed_get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as resp:
        body = resp.read()
    return time.perf_counter() - start, len(json.loads(body)["features"])


def median_latency(url: str, runs: int, warmup: int = 1) -> tuple[float, int]:
    for _ in range(warmup):
        timed_get(url)
    samples = [timed_get(url) for _ in range(runs)]
    return statistics.median(s for s, _ in samples), samples[0][1]


def start_ours(data: Path, port: int) -> subprocess.Popen:
    app = f"create_app({{'DATA_PATH': {str(data)!r}}})"
    code = f"from maps import create_app; {app}.run(port={port}, threaded=True)"
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


PYGEOAPI_CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  pretty_print: false
  limits: {{default_items: 10, max_items: 1000}}
  limit: 10
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme,
                    terms_of_service: 'https://example.org', url: 'https://example.org'}}
  license: {{name: CC-BY 4.0, url: 'https://example.org'}}
  provider: {{name: bench, url: 'https://example.org'}}
  contact: {{name: bench, position: bench, address: bench, city: bench, stateorprovince: bench,
            postalcode: bench, country: bench, phone: bench, fax: bench, email: bench@example.org,
            url: 'https://example.org', hours: bench, instructions: bench, role: pointOfContact}}
resources:
  locations:
    type: collection
    title: locations
    description: bench
    keywords: [bench]
    links: []
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: GeoJSON
        data: {data}
        id_field: id
"""


def start_pygeoapi(data: Path, port: int) -> subprocess.Popen:
    config, api = SCRATCH / "pygeoapi-config.yml", SCRATCH / "pygeoapi-openapi.yml"
    config.write_text(PYGEOAPI_CONFIG.format(port=port, data=data), encoding="utf-8")
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(api), "PATH": "/usr/bin:/bin"}
    cli = PYGEOAPI_VENV / "bin" / "pygeoapi"
    subprocess.run(
        [str(cli), "openapi", "generate", str(config), "--output-file", str(api)],
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.Popen(
        [str(cli), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def download_peak_memory(data: Path) -> tuple[float, float, float]:
    """(MB of the catalog in memory, MB streamed, peak MB allocated while streaming it)."""
    from maps import create_app
    from maps.dataset.catalog import load_catalog

    tracemalloc.start()
    load_catalog(data).spatial_index  # noqa: B018  (build the indexes before measuring)
    catalog_mb = tracemalloc.get_traced_memory()[0] / 1e6
    client = create_app({"TESTING": True, "DATA_PATH": str(data)}).test_client()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    resp = client.get("/download/locations.geojson", buffered=False)
    streamed = sum(len(chunk) for chunk in resp.response)
    peak = (tracemalloc.get_traced_memory()[1] - before) / 1e6
    tracemalloc.stop()
    return catalog_mb, streamed / 1e6, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()

    folder = SCRATCH / f"data-{args.places}"
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "locations.geojson"
    if not data.exists():
        data.write_text(json.dumps(synthetic_places(args.places)), encoding="utf-8")
    shutil.copy(ROOT / "data" / "episodes.json", folder / "episodes.json")
    print(f"{args.places} synthetic places, {data.stat().st_size / 1e6:.1f} MB of GeoJSON")

    queries = {
        f"bbox={SMALL_BBOX}&limit=100": f"items?bbox={SMALL_BBOX}&limit=100",
        "limit=10": "items?limit=10",
    }
    results: dict[str, dict[str, tuple[float, int]]] = {"ours": {}, "pygeoapi": {}}
    ours_port = free_port()
    ours = start_ours(data, ours_port)
    try:
        base = f"http://127.0.0.1:{ours_port}/ogc/collections/locations/"
        wait_until_up(base + "items?limit=1")
        for name, path in queries.items():
            results["ours"][name] = median_latency(base + path + "&f=json", args.runs, warmup=3)
    finally:
        ours.terminate()
        ours.wait()

    if (PYGEOAPI_VENV / "bin" / "pygeoapi").exists():
        port = free_port()
        pga = start_pygeoapi(data, port)
        try:
            base = f"http://127.0.0.1:{port}/collections/locations/"
            wait_until_up(f"http://127.0.0.1:{port}/collections/locations?f=json")
            for name, path in queries.items():
                results["pygeoapi"][name] = median_latency(base + path + "&f=json", args.baseline_runs)
        finally:
            pga.terminate()
            pga.wait()
    else:
        print(f"(pygeoapi not installed in {PYGEOAPI_VENV}: baseline skipped)")

    print(f"\n{'query':<40} {'ours (median)':>14} {'pygeoapi':>12} {'speed-up':>9}")
    for name in queries:
        ours_s, ours_n = results["ours"][name]
        base_s, base_n = results["pygeoapi"].get(name, (float("nan"), 0))
        print(
            f"{name:<40} {ours_s * 1000:>11.2f} ms {base_s * 1000:>9.0f} ms {base_s / ours_s:>8.0f}x"
            f"   ({ours_n} vs {base_n} features)"
        )
    catalog_mb, streamed_mb, peak_mb = download_peak_memory(data)
    print(
        textwrap.dedent(f"""
        full GeoJSON download: {streamed_mb:.1f} MB streamed; peak extra memory while streaming
        {peak_mb:.2f} MB (the catalog itself holds {catalog_mb:.0f} MB, loaded once per file version)""")
    )


if __name__ == "__main__":
    main()
