"""The solver against brute force: exact below the threshold, constraints always honoured."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from maps.route.tsp import EXACT_MAX, held_karp, path_length, solve

VARIANTS = [
    {"start": None, "end": None, "round_trip": False},
    {"start": 0, "end": None, "round_trip": False},
    {"start": None, "end": -1, "round_trip": False},
    {"start": 0, "end": -1, "round_trip": False},
    {"start": None, "end": None, "round_trip": True},
    {"start": 1, "end": None, "round_trip": True},
]


def random_matrix(rng: np.random.Generator, n: int) -> np.ndarray:
    pts = rng.uniform(0, 100, (n, 2))
    return np.linalg.norm(pts[:, None] - pts[None], axis=2)


def brute_force(dist: np.ndarray, start, end, round_trip: bool) -> float:
    lengths = [
        path_length(dist, list(p), round_trip)
        for p in itertools.permutations(range(len(dist)))
        if (start is None or p[0] == start) and (end is None or p[-1] == end)
    ]
    return min(lengths)


def resolve(variant: dict, n: int) -> dict:
    return {k: (n - 1 if v == -1 else v) for k, v in variant.items()}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("variant", VARIANTS)
def test_exact_matches_brute_force(seed, variant):
    rng = np.random.default_rng(seed)
    n = 3 + seed % 6  # 3..8 stops
    dist = random_matrix(rng, n)
    kw = resolve(variant, n)
    tour = solve(dist, **kw)
    assert tour.exact
    assert sorted(tour.order) == list(range(n))
    assert tour.length == pytest.approx(brute_force(dist, **kw))
    if kw["start"] is not None:
        assert tour.order[0] == kw["start"]
    if kw["end"] is not None:
        assert tour.order[-1] == kw["end"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_heuristic_honours_constraints_and_finds_small_optima(variant):
    rng = np.random.default_rng(99)
    for n in (6, 8):
        dist = random_matrix(rng, n)
        kw = resolve(variant, n)
        tour = solve(dist, exact_max=0, **kw)
        assert not tour.exact
        assert sorted(tour.order) == list(range(n))
        assert tour.length == pytest.approx(brute_force(dist, **kw))


@pytest.mark.parametrize("variant", VARIANTS)
def test_large_instances_keep_fixed_ends_and_beat_local_search_alone(variant):
    rng = np.random.default_rng(5)
    n = 60
    dist = random_matrix(rng, n)
    kw = resolve(variant, n)
    tour = solve(dist, **kw)
    assert not tour.exact and sorted(tour.order) == list(range(n))
    if kw["start"] is not None:
        assert tour.order[0] == kw["start"]
    if kw["end"] is not None:
        assert tour.order[-1] == kw["end"]
    assert tour.length <= solve(dist, kicks=0, **kw).length


def test_deterministic():
    dist = random_matrix(np.random.default_rng(3), 40)
    assert solve(dist, start=2).order == solve(dist, start=2).order


def test_exact_threshold_and_held_karp_on_the_largest_exact_size():
    rng = np.random.default_rng(1)
    dist = random_matrix(rng, EXACT_MAX)
    assert EXACT_MAX >= 12
    exact = solve(dist, round_trip=True)
    assert exact.exact
    assert exact.length <= solve(dist, round_trip=True, exact_max=0).length + 1e-9
    cycle = held_karp(dist, 0)
    assert cycle[0] == 0 and sorted(cycle) == list(range(EXACT_MAX))


def test_round_trip_with_a_separate_end_is_refused():
    with pytest.raises(ValueError, match="round trip"):
        solve(np.ones((3, 3)), start=0, end=1, round_trip=True)


def test_start_equal_to_end_is_a_round_trip():
    dist = random_matrix(np.random.default_rng(4), 6)
    tour = solve(dist, start=2, end=2)
    assert tour.order[0] == 2 and tour.length == pytest.approx(brute_force(dist, 2, None, True))


# --- bounded work -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0])
def test_non_finite_or_negative_distances_are_refused_at_once(bad):
    dist = random_matrix(np.random.default_rng(1), 40)
    dist[3, 7] = bad
    with pytest.raises(ValueError, match="finite and not negative"):
        solve(dist)


@pytest.mark.slow  # each runs its half-second budget out under tracemalloc
@pytest.mark.parametrize("kind", ["all-equal", "all-zero", "random"])
def test_pathological_matrices_answer_within_the_budget_with_flat_memory(kind):
    import time
    import tracemalloc

    n = 400
    dist = {
        "all-equal": np.ones((n, n)) - np.eye(n),
        "all-zero": np.zeros((n, n)),
        "random": random_matrix(np.random.default_rng(2), n),
    }[kind]
    tracemalloc.start()
    started = time.perf_counter()
    tour = solve(dist, time_budget=0.5, kicks=10**9)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sorted(tour.order) == list(range(n))
    assert elapsed < 5, elapsed
    assert peak < 64 * 2**20, peak  # the matrix copies (n² floats, ~1.3 MB each) and lists, no growth
    assert not tour.complete  # 10^9 kicks cannot finish in half a second: the budget said stop


def test_a_spent_budget_still_gives_a_valid_tour():
    dist = random_matrix(np.random.default_rng(3), 120)
    tour = solve(dist, time_budget=0.0, start=0)
    assert tour.order[0] == 0 and sorted(tour.order) == list(range(120))
    assert not tour.complete and not tour.exact
