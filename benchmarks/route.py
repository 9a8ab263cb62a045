"""Route solver benchmark: exact solve times, and tour quality and speed against OR-Tools and
python-tsp measured in the same run.

    .venv/bin/python benchmarks/route.py            # sets up benchmarks/.scratch/venv on first use
    .venv/bin/python benchmarks/route.py --quick    # 2 s baseline budgets instead of 10 s

OR-Tools (over 200 MiB) and python-tsp are never project dependencies: they live in their own
virtualenv under benchmarks/.scratch/ (gitignored) and run in a subprocess
(benchmarks/route_baselines.py) on the very same distance matrices (geodesic km, pyproj).
Instances: random places in a 110 x 65 km box around Windsor and London, fixed seeds.
Targets: 12 stops exact < 50 ms; 100 stops within 1 % of OR-Tools' length in < 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maps.geometry import geodesic_km_matrix  # noqa: E402
from maps.route.tsp import solve  # noqa: E402

SCRATCH = ROOT / "benchmarks" / ".scratch" / "venv"
BASELINE_PACKAGES = ["ortools", "python-tsp", "numpy"]


def instance(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return geodesic_km_matrix(rng.uniform(51.2, 51.8, n), rng.uniform(-1.0, 0.5, n))


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ensure_scratch() -> Path:
    python = SCRATCH / "bin" / "python"
    if not python.exists():
        print(f"setting up {SCRATCH} with {', '.join(BASELINE_PACKAGES)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(SCRATCH)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *BASELINE_PACKAGES], check=True)
    return python


def exact_section(runs: int) -> None:
    print("Exact (Held-Karp), median of", runs, "runs")
    print(f"{'stops':>6} {'variant':<22} {'ms':>8}")
    for n in (8, 12, 13):
        dist = instance(n, n)
        for label, kwargs in (("round trip", {"round_trip": True}), ("one-way, free ends", {})):
            seconds, tour = timed(lambda d=dist, k=kwargs: solve(d, **k), runs)
            assert tour.exact
            print(f"{n:>6} {label:<22} {seconds * 1000:>8.2f}")
    print()


def heuristic_section(runs: int, baseline_seconds: float, sizes: list[int]) -> None:
    python = ensure_scratch()
    with tempfile.TemporaryDirectory() as tmp:
        paths, matrices = [], {}
        for n in sizes:
            path = str(Path(tmp) / f"m{n}.npy")
            matrices[path] = instance(n, 1000 + n)
            np.save(path, matrices[path])
            paths.append(path)
        job = {"matrices": paths, "ortools_seconds": baseline_seconds, "tsp_seconds": baseline_seconds}
        print(f"Round trips, baselines with a {baseline_seconds:g} s budget each (running...)", flush=True)
        proc = subprocess.run(
            [str(python), str(ROOT / "benchmarks" / "route_baselines.py")],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            check=True,
        )
        header = f"{'stops':>6} {'solver':<38} {'length km':>10} {'vs OR-Tools':>12} {'seconds':>9}"
        print(header)
        print("-" * len(header))
        for line in proc.stdout.splitlines():
            result = json.loads(line)
            dist = matrices[result.pop("matrix")]
            seconds, tour = timed(lambda d=dist: solve(d, round_trip=True), runs)
            reference = result["ortools_gls"][0]
            rows = [("ours (2-opt + Or-opt ILS)", tour.length, seconds)]
            rows += [(name, length, secs) for name, (length, secs) in result.items()]
            rows[1] = ("OR-Tools routing, guided local search", *result["ortools_gls"])
            for name, length, secs in rows:
                print(f"{len(dist):>6} {name:<38} {length:>10.2f} {length / reference:>11.4f}x {secs:>9.3f}")
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s baseline budgets")
    parser.add_argument("--runs", type=int, default=5, help="runs of our solver per instance (median)")
    parser.add_argument("--sizes", default="25,50,100,200")
    args = parser.parse_args()
    exact_section(max(args.runs, 7))
    heuristic_section(args.runs, 2.0 if args.quick else 10.0, [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
