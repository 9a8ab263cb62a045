"""Shortest visiting order over a distance matrix: exact for a few stops, a strong heuristic beyond.

Every variant (round trip; one-way with a free or fixed start and a free or fixed end) is reduced
to one problem, the shortest *cycle*: a one-way trip gets a dummy node whose edges cost 0 to an
allowed end of the path and a huge penalty `H` to any other stop, so the best cycle runs
dummy → start → … → end → dummy and cutting it at the dummy gives the path.

- `held_karp` solves the cycle exactly by dynamic programming over subsets (vectorised per
  subset size with NumPy): 2^m·m² work for m = nodes - 1, a few milliseconds for 13 stops.
- `local_search` is 2-opt plus Or-opt (moving runs of 1-3 stops) with neighbour lists and
  don't-look bits; `iterated_local_search` kicks the best tour with a local double bridge and
  keeps improvements. The random generator is seeded and the number of kicks is fixed, so the
  same input always gives the same tour; `time_budget` only caps pathological runs.

Bounded work whatever the input: distances must be finite (NaN or infinity could make the local
search cycle for ever), every local search stops after `MAX_MOVES_PER_NODE` moves per node or at
the deadline, whichever comes first, and `Tour.complete` says when a budget cut the search short
(the tour is then still valid, only perhaps longer than it could be).

The solver knows nothing of places; `maps.route` builds the matrix (geodesic distances).
"""

from __future__ import annotations

import random
import time
from collections import deque
from dataclasses import dataclass

import numpy as np

EXACT_MAX = 13  # stops (plus a free start point) solved exactly
NEIGHBOURS = 10  # candidate list size for the local search
EPS = 1e-9
MAX_MOVES_PER_NODE = 200  # improving moves per local search, per node: far above what real runs use


@dataclass(frozen=True)
class Tour:
    """Visiting order (indices into the matrix); `length` includes the return leg of a round trip."""

    order: list[int]
    length: float
    exact: bool
    complete: bool = True  # False when the time or move budget stopped the search early


def solve(
    dist: np.ndarray,
    *,
    start: int | None = None,
    end: int | None = None,
    round_trip: bool = False,
    exact_max: int = EXACT_MAX,
    seed: int = 0,
    kicks: int | None = None,
    time_budget: float = 5.0,
) -> Tour:
    """The shortest order visiting every node once, honouring a fixed start and/or end."""
    dist = np.asarray(dist, dtype=float)
    n = len(dist)
    if dist.ndim != 2 or dist.shape != (n, n) or n == 0:
        raise ValueError("dist must be a non-empty square matrix")
    if not np.isfinite(dist).all() or (dist < 0).any():
        raise ValueError("distances must be finite and not negative")
    if start is not None and end is not None and start == end:
        round_trip, end = True, None
    if round_trip and end is not None:
        raise ValueError("a round trip ends where it starts: give no separate end")
    if n == 1:
        return Tour([0], 0.0, True)
    exact = n <= exact_max
    # The exact solver is right for any matrix (one-way streets make it asymmetric); the local
    # search's move gains assume d[a][b] == d[b][a], so it works on the symmetric part.
    work = dist if exact else (dist + dist.T) / 2.0
    if round_trip:
        cyc, origin = work, (start if start is not None else 0)
    else:
        cyc, origin = _with_dummy(work, start, end, directed=exact), n
    complete = True
    if exact:
        cycle = held_karp(cyc, origin)
    else:
        budget = Budget(time_budget)
        cycle = iterated_local_search(cyc, origin, seed=seed, kicks=kicks, budget=budget)
        complete = not budget.spent
    at = cycle.index(origin)
    cycle = cycle[at:] + cycle[:at]
    if round_trip:
        order = cycle
    else:
        order = cycle[1:]
        wrong_way = order[0] != start if start is not None else end is not None and order[-1] != end
        if wrong_way:
            order.reverse()
    return Tour(order, path_length(dist, order, round_trip), exact, complete)


class Budget:
    """A deadline shared by every stage of one solve; `spent` records that it cut work short."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds
        self.spent = False

    def over(self) -> bool:
        if time.perf_counter() > self.deadline:
            self.spent = True
        return self.spent


def path_length(dist: np.ndarray, order: list[int], round_trip: bool = False) -> float:
    idx = np.asarray(order)
    total = float(dist[idx[:-1], idx[1:]].sum())
    return total + (float(dist[idx[-1], idx[0]]) if round_trip else 0.0)


def _with_dummy(dist: np.ndarray, start: int | None, end: int | None, *, directed: bool) -> np.ndarray:
    """Directed dummy edges (dummy → start, end → dummy) make the best cycle run the right way
    round, so nothing is reversed afterwards and asymmetric matrices (one-way streets, from a
    routing engine) stay exact. Undirected ones (for the local search) allow either direction."""
    n = len(dist)
    penalty = 1.0 + 4.0 * n * float(dist.max())
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = dist
    if not directed:
        fixed = [i for i in (start, end) if i is not None]
        if fixed:
            out[n, :n] = penalty
            out[n, fixed] = 0.0
            out[:n, n] = out[n, :n]
        return out
    if start is not None:
        out[n, :n] = penalty
        out[n, start] = 0.0
    if end is not None:
        out[:n, n] = penalty
        out[end, n] = 0.0
    return out


def held_karp(cyc: np.ndarray, origin: int = 0) -> list[int]:
    """Exact shortest cycle through every node (Held-Karp), starting at `origin`."""
    n = len(cyc)
    others = [i for i in range(n) if i != origin]
    m = len(others)
    if m <= 2:
        return [origin, *others]
    sub = cyc[np.ix_(others, others)]
    size = 1 << m
    dp = np.full((size, m), np.inf)
    parent = np.zeros((size, m), dtype=np.int8)
    for k in range(m):
        dp[1 << k, k] = cyc[origin, others[k]]
    masks = np.arange(size)
    popcount = np.zeros(size, dtype=np.int8)
    for k in range(m):
        popcount += ((masks >> k) & 1).astype(np.int8)
    for count in range(2, m + 1):
        layer = masks[popcount == count]
        for j in range(m):
            sel = layer[(layer >> j) & 1 == 1]
            cand = dp[sel ^ (1 << j)] + sub[:, j]
            best = cand.argmin(axis=1)
            dp[sel, j] = cand[np.arange(len(sel)), best]
            parent[sel, j] = best
    full = size - 1
    last = int((dp[full] + cyc[others, origin]).argmin())
    path, mask = [], full
    while mask:
        path.append(others[last])
        prev = int(parent[mask, last])
        mask ^= 1 << last
        last = prev
    return [origin, *reversed(path)]


def cycle_length(d: list[list[float]], tour: list[int]) -> float:
    return sum(d[tour[i - 1]][tour[i]] for i in range(len(tour)))


def nearest_neighbour(cyc: np.ndarray, origin: int) -> list[int]:
    n = len(cyc)
    seen = np.zeros(n, dtype=bool)
    tour, here = [origin], origin
    seen[origin] = True
    for _ in range(n - 1):
        row = np.where(seen, np.inf, cyc[here])
        here = int(row.argmin())
        seen[here] = True
        tour.append(here)
    return tour


class _LocalSearch:
    """2-opt and Or-opt on an array tour with position index, neighbour lists, don't-look bits."""

    def __init__(self, cyc: np.ndarray) -> None:
        self.n = len(cyc)
        self.d = cyc.tolist()
        k = min(NEIGHBOURS, self.n - 1)
        ranked = np.argsort(cyc + np.diag(np.full(self.n, np.inf)), axis=1, kind="stable")[:, :k]
        self.neigh = ranked.tolist()

    def run(
        self, tour: list[int], active: list[int] | None = None, budget: Budget | None = None
    ) -> list[int]:
        """Improve `tour` until no move helps, the move cap is reached or `budget` runs out."""
        self.tour = tour
        self.pos = [0] * self.n
        for i, node in enumerate(tour):
            self.pos[node] = i
        queue = deque(active if active is not None else tour)
        queued = [False] * self.n
        for node in queue:
            queued[node] = True
        moves_left = MAX_MOVES_PER_NODE * self.n
        steps = 0
        while queue:
            steps += 1
            if steps % 256 == 0 and budget is not None and budget.over():
                break
            a = queue.popleft()
            queued[a] = False
            touched = self._two_opt(a) or self._or_opt(a)
            if touched:
                moves_left -= 1
                if moves_left <= 0:
                    if budget is not None:
                        budget.spent = True
                    break
                for node in touched:
                    if not queued[node]:
                        queued[node] = True
                        queue.append(node)
        return self.tour

    def _succ(self, node: int) -> int:
        return self.tour[(self.pos[node] + 1) % self.n]

    def _pred(self, node: int) -> int:
        return self.tour[self.pos[node] - 1]

    def _reverse(self, i: int, j: int) -> None:
        """Reverse the cyclic stretch of positions i..j (inclusive), or its shorter complement."""
        n, tour, pos = self.n, self.tour, self.pos
        length = (j - i) % n + 1
        if 2 * length > n:
            i, j, length = (j + 1) % n, (i - 1) % n, n - length
        for _ in range(length // 2):
            a, b = tour[i], tour[j]
            tour[i], tour[j] = b, a
            pos[a], pos[b] = j, i
            i, j = (i + 1) % n, (j - 1) % n

    def _two_opt(self, a: int) -> list[int] | None:
        d = self.d
        for forward in (True, False):
            b = self._succ(a) if forward else self._pred(a)
            dab = d[a][b]
            for c in self.neigh[a]:
                g1 = dab - d[a][c]
                if g1 <= EPS:
                    break
                e = self._succ(c) if forward else self._pred(c)
                if c == b or e == a:
                    continue
                if g1 + d[c][e] - d[b][e] > EPS:
                    if forward:  # a b … c e  →  a c … b e
                        self._reverse(self.pos[b], self.pos[c])
                    else:  # e c … b a  →  e b … c a
                        self._reverse(self.pos[c], self.pos[b])
                    return [a, b, c, e]
        return None

    def _or_opt(self, a: int) -> list[int] | None:
        """Move a run of 1-3 stops starting or ending at `a` between two neighbouring stops."""
        n, d, tour, pos = self.n, self.d, self.tour, self.pos
        for length in (1, 2, 3):
            if n < length + 3:
                break
            for first_pos in (pos[a], (pos[a] - length + 1) % n):
                seg = [tour[(first_pos + k) % n] for k in range(length)]
                s1, sl = seg[0], seg[-1]
                p, nx = self._pred(s1), self._succ(sl)
                gain = d[p][s1] + d[sl][nx] - d[p][nx]
                if gain <= EPS:
                    continue
                for end_node in (s1, sl):
                    for c in self.neigh[end_node]:
                        if d[end_node][c] >= gain:
                            break  # neighbours are sorted: no later one can pay for the move
                        if c in seg:
                            continue
                        at = pos[c]
                        for c1, c2 in ((c, tour[(at + 1) % n]), (tour[at - 1], c)):
                            if c2 in seg or c1 in seg:
                                continue
                            base = d[c1][c2]
                            keep = d[c1][s1] + d[sl][c2] - base
                            flip = d[c1][sl] + d[s1][c2] - base
                            if min(keep, flip) < gain - EPS:
                                self._move(seg, c1, reverse=flip < keep)
                                return [p, nx, c1, c2, s1, sl]
        return None

    def _move(self, seg: list[int], after: int, *, reverse: bool) -> None:
        inside = set(seg)
        rest = [x for x in self.tour if x not in inside]
        at = rest.index(after) + 1
        self.tour = rest[:at] + (seg[::-1] if reverse else seg) + rest[at:]
        for i, node in enumerate(self.tour):
            self.pos[node] = i


def local_search(cyc: np.ndarray, tour: list[int]) -> list[int]:
    return _LocalSearch(np.asarray(cyc, dtype=float)).run(list(tour))


def iterated_local_search(
    cyc: np.ndarray,
    origin: int = 0,
    *,
    seed: int = 0,
    kicks: int | None = None,
    time_budget: float = 5.0,
    budget: Budget | None = None,
) -> list[int]:
    """Nearest neighbour, local search, then `kicks` local double-bridge perturbations (each
    followed by local search around the kick), keeping the best tour. Deterministic unless the
    budget (`time_budget` seconds, or a shared `budget`) runs out."""
    n = len(cyc)
    if n <= 4:
        return held_karp(cyc, origin)
    budget = budget or Budget(time_budget)
    searcher = _LocalSearch(cyc)
    best = searcher.run(nearest_neighbour(cyc, origin), budget=budget)
    best_len = cycle_length(searcher.d, best)
    rng = random.Random(seed)
    kicks = kicks if kicks is not None else min(max(300, 6 * n), 1500)
    for _ in range(kicks):
        if budget.over():
            break
        candidate, touched = _double_bridge(best, rng)
        candidate = searcher.run(candidate, touched, budget)
        length = cycle_length(searcher.d, candidate)
        if length < best_len - EPS:
            best, best_len = candidate, length
    return best


def _double_bridge(tour: list[int], rng: random.Random) -> tuple[list[int], list[int]]:
    """Reconnect three short consecutive stretches as A C B D (a move 2-opt cannot undo)."""
    n = len(tour)
    span = min(n - 1, 50)
    shift = rng.randrange(n)
    rotated = tour[shift:] + tour[:shift]
    i, j, k = sorted(rng.sample(range(1, span + 1), 3))
    new = rotated[:i] + rotated[j:k] + rotated[i:j] + rotated[k:]
    ends = [rotated[x] for x in (i - 1, i, j - 1, j, k - 1, k % n)]
    return new, ends
