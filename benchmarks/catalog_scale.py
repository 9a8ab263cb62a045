"""Catalog memory and OGC bbox queries at 100,000 places (and a million, opt-in).

For each size: a synthetic file is written feature by feature (never the whole collection in
memory), then read back the same way into the compact catalog (maps.dataset.compact); it prints
the catalog's bytes per place (its columns, and the process's resident memory growth), the
median time of an OGC items query for a 0.3-degree box with limit=100 (select_page, the items
document and its JSON, what the view does), and the process's peak resident memory. The object
catalog (one Location per place, what datasets up to 50,000 places keep) is measured in the
same run for comparison at sizes up to --objects-up-to.

Usage: python benchmarks/catalog_scale.py [100000] [1000000] [--objects-up-to 100000]
(the default is 100,000 only; a million takes a few minutes and about 1 GB of disk in /tmp).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from _common import synthetic_feature

from maps.dataset.catalog import catalog_of, compact_catalog, load_catalog
from maps.dataset.filters import Filters
from maps.ogc import core as ogc
from maps.resources import bundled_data_path


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path: Path, count: int, seed: int = 7) -> None:
    """A FeatureCollection with one feature per line, streamed to disk."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for i in range(count):
            fh.write(("," if i else "") + json.dumps(synthetic_feature(i, rng)) + "\n")
        fh.write("]}\n")


def read_features(path: Path):
    """The features of a file written by `write_file`, one line at a time."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().lstrip(",")
            if line.startswith('{"type": "Feature"'):
                yield json.loads(line)


def bbox_p50(catalog, runs: int = 200, seed: int = 3) -> tuple[float, float, float]:
    """Median and 99th percentile ms (wall clock) of a 0.3-degree box query around Britain,
    limit=100, and the median CPU ms (what the query costs when the machine is shared)."""
    rng = random.Random(seed)
    times, cpu = [], []
    for _ in range(runs):
        x, y = rng.uniform(-4, 1.2), rng.uniform(50.5, 53.7)
        query = ogc.ItemsQuery(bbox=(x, y, x + 0.3, y + 0.3), limit=100, filters=Filters())
        start, start_cpu = time.perf_counter(), time.process_time()
        page = ogc.select_page(catalog, query)
        json.dumps(ogc.items(page, query, "http://127.0.0.1/ogc"))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--objects-up-to", type=int, default=100_000)
    args = parser.parse_args()
    series = load_catalog(bundled_data_path()).series
    print(
        f"{'places':>9} {'catalog':>8} {'columns B/place':>16} {'RSS B/place':>12} {'build s':>8} "
        f"{'bbox p50 ms':>12} {'p99 ms':>7} {'CPU p50 ms':>11} {'peak RSS MB':>12}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "locations.geojson"
            start = time.perf_counter()
            write_file(path, n)
            written = time.perf_counter() - start
            gc.collect()
            before = rss_mb()
            start = time.perf_counter()
            catalog = compact_catalog(read_features(path), series, "bench")
            catalog.spatial_index  # noqa: B018 (built here, not by the first query)
            build = time.perf_counter() - start
            gc.collect()
            grown = (rss_mb() - before) * 2**20 / n
            p50, p99, cpu = bbox_p50(catalog)
            columns = catalog.locations.nbytes() / n  # type: ignore[attr-defined]
            print(
                f"{n:>9,} {'compact':>8} {columns:>16.0f} {grown:>12.0f} {build:>8.1f} "
                f"{p50:>12.2f} {p99:>7.2f} {cpu:>11.2f} {peak_mb():>12.0f}   "
                f"(file written in {written:.0f} s, {path.stat().st_size / 2**20:.0f} MB)",
                flush=True,
            )
            del catalog
            gc.collect()
            if n <= args.objects_up_to:
                before = rss_mb()
                start = time.perf_counter()
                raw = {"features": list(read_features(path))}
                objects = catalog_of(raw, series, "bench", compact_above=n)
                del raw
                objects.spatial_index  # noqa: B018
                build = time.perf_counter() - start
                gc.collect()
                grown = (rss_mb() - before) * 2**20 / n
                p50, p99, cpu = bbox_p50(objects)
                print(
                    f"{n:>9,} {'objects':>8} {'':>16} {grown:>12.0f} {build:>8.1f} {p50:>12.2f} {p99:>7.2f} "
                    f"{cpu:>11.2f} {peak_mb():>12.0f}",
                    flush=True,
                )
                del objects
                gc.collect()


if __name__ == "__main__":
    main()
