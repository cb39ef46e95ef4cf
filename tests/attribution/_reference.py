"""Independent, deliberately plain reference computations for the attribution tests."""

from __future__ import annotations

import itertools
import math

import numpy as np


def random_paths(rng, n_rows=60, channels="abcde", max_len=6, repeats=True):
    """Aggregated rows: (path list, conversions, nulls, value)."""
    rows = []
    for _ in range(n_rows):
        length = int(rng.integers(1, max_len + 1))
        path = list(rng.choice(list(channels), length))
        conv = int(rng.poisson(2))
        null = int(rng.poisson(3)) + (conv == 0)
        rows.append((path, conv, null, conv * float(rng.uniform(5, 20))))
    return rows


def dense_markov(rows, order=1, collapse=False):
    """Removal effects by a dense fundamental-matrix solve over explicit tuple states.

    Removing a channel redirects every transition into a state containing it to null.
    """
    counts: dict = {}
    exits: dict = {}
    for path, conv, null, value in rows:
        if collapse:
            path = [c for i, c in enumerate(path) if i == 0 or path[i - 1] != c]
        state = ()
        for c in path:
            nxt = ((*state, c))[-order:]
            counts[(state, nxt)] = counts.get((state, nxt), 0) + conv + null
            state = nxt
        e = exits.setdefault(state, [0.0, 0.0, 0.0])
        e[0] += conv
        e[1] += null
        e[2] += value
    states = sorted({s for s, _ in counts} | {t for _, t in counts} | set(exits), key=str)
    index = {s: i for i, s in enumerate(states)}
    m = len(states)
    channels = sorted({c for path, *_ in rows for c in path})

    def solve(removed=None):
        q = np.zeros((m, m))
        r = np.zeros((m, 2))
        for (s, t), w in counts.items():
            q[index[s], index[t]] += w
        total = q.sum(axis=1) + np.array([sum(exits.get(s, [0, 0])[:2]) for s in states])
        for s, (c, _, val) in exits.items():
            r[index[s]] = (c, val)
        q /= total[:, None]
        r /= total[:, None]
        if removed is not None:  # transitions into states holding the channel go to null
            for s in states:
                if removed in s:
                    q[:, index[s]] = 0.0
        n = np.linalg.inv(np.eye(m) - q)
        return (n @ r)[index[()]]

    base = solve()
    effects = np.array([1 - solve(c) / base for c in channels])
    return channels, base, effects


def brute_shapley(sets, weights, n):
    """Shapley values by averaging marginal contributions over all n! orders."""
    def v(coalition):
        return sum(w for s, w in zip(sets, weights) if s <= coalition)

    phi = np.zeros(n)
    perms = list(itertools.permutations(range(n)))
    for perm in perms:
        before: set = set()
        for c in perm:
            phi[c] += v(before | {c}) - v(before)
            before.add(c)
    return phi / math.factorial(n)
