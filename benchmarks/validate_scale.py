"""How long `maps validate` (check_collection) takes as the data file grows.

Prints one line per size: places, seconds for a full validation (median of a few runs for the
small sizes, one run for the big ones). Synthetic places around Britain and Paris
(`_common.synthetic_dataset`), every tenth sharing a common name so the duplicate check has
real work to do. Usage: python benchmarks/validate_scale.py [SIZE ...] (default 1000 10000 100000).
"""

from __future__ import annotations

import json
import sys
import time

from _common import SCRATCH, synthetic_dataset

from maps.dataset.validate import check_collection


def prepared(count: int) -> dict:
    path = synthetic_dataset(SCRATCH / f"validate-{count}", count)
    data = json.loads(path.read_text(encoding="utf-8"))
    for i, feature in enumerate(data["features"]):
        lon, _lat = feature["geometry"]["coordinates"]
        if lon > 2:
            feature["properties"]["country"] = "FR"
        if i % 10 == 0:
            feature["properties"]["name"] = f"St Mary's Church {i % 7}"
    return data


def main(sizes: list[int]) -> None:
    for count in sizes:
        data = prepared(count)
        runs = 3 if count <= 10_000 else 1
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            problems = check_collection(data, episodes_for=SCRATCH / f"validate-{count}" / "x.geojson")
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"{count:>7} places: {times[len(times) // 2]:7.2f} s ({len(problems)} problems)", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000, 100_000])
