"""Baselines for benchmarks/route.py, run in the benchmark's own environment
(benchmarks/.scratch/venv with ortools and python-tsp; never project dependencies).

Reads a JSON job from stdin: {"matrices": [path.npy, ...], "ortools_seconds": S, "tsp_seconds": S};
prints one JSON line per matrix with each solver's round-trip tour length (km) and seconds.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np


def ortools_gls(dist: np.ndarray, seconds: float) -> tuple[float, float, list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(dist)
    metres = np.rint(dist * 1000).astype(np.int64).tolist()
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    if hasattr(routing, "RegisterTransitMatrix"):  # no Python callback per arc: OR-Tools at full speed
        callback = routing.RegisterTransitMatrix(metres)
    else:
        callback = routing.RegisterTransitCallback(
            lambda i, j: metres[manager.IndexToNode(i)][manager.IndexToNode(j)]
        )
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    start = time.perf_counter()
    solution = routing.SolveWithParameters(params)
    elapsed = time.perf_counter() - start
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return _length(dist, order), elapsed, order


def _length(dist: np.ndarray, order: list[int]) -> float:
    idx = np.asarray(order + order[:1])
    return float(dist[idx[:-1], idx[1:]].sum())


def python_tsp(dist: np.ndarray, seconds: float) -> dict[str, tuple[float, float]]:
    from python_tsp.heuristics import solve_tsp_local_search, solve_tsp_simulated_annealing

    out = {}
    for name, fn, kwargs in (
        ("python-tsp local search (2-opt)", solve_tsp_local_search, {"perturbation_scheme": "two_opt"}),
        ("python-tsp simulated annealing", solve_tsp_simulated_annealing, {}),
    ):
        start = time.perf_counter()
        order, _ = fn(dist, max_processing_time=seconds, **kwargs)
        out[name] = (_length(dist, list(order)), time.perf_counter() - start)
    return out


def main() -> None:
    job = json.load(sys.stdin)
    for path in job["matrices"]:
        dist = np.load(path)
        length, elapsed, _ = ortools_gls(dist, job["ortools_seconds"])
        result = {"matrix": path, "ortools_gls": [length, elapsed]}
        result.update({k: list(v) for k, v in python_tsp(dist, job["tsp_seconds"]).items()})
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
