"""The spc kernels against plain-Python oracles written from the rule definitions."""

import itertools

import numpy as np
import pytest

from cxpath._kernels.spc import cusum_sums, rule_flags

# (kind, window, count, k) covering every kind, including the WE/Nelson parameterisations
RULES = [(0, 1, 1, 3.0), (1, 3, 2, 2.0), (1, 5, 4, 1.0), (1, 8, 8, 0.0), (1, 9, 9, 0.0),
         (2, 6, 6, 0.0), (3, 14, 14, 0.0), (4, 15, 15, 1.0), (5, 8, 8, 1.0), (3, 4, 4, 0.0),
         (2, 3, 3, 0.0)]


def oracle(z, kind, w, m, k):
    """Brute force: look at the window ending at each point."""
    n = len(z)
    out = [0] * n
    for i in range(n):
        win = z[max(0, i - w + 1): i + 1]
        full = len(win) == w
        if kind == 0:
            out[i] = 1 if z[i] > k else (-1 if z[i] < -k else 0)
        elif kind == 1:
            if z[i] > k and sum(1 for x in win if x > k) >= m:
                out[i] = 1
            elif z[i] < -k and sum(1 for x in win if x < -k) >= m:
                out[i] = -1
        elif kind == 2 and full:
            if all(b > a for a, b in itertools.pairwise(win)):
                out[i] = 1
            elif all(b < a for a, b in itertools.pairwise(win)):
                out[i] = -1
        elif kind == 3 and full:
            d = [b - a for a, b in itertools.pairwise(win)]
            if all(x != 0 for x in d) and all((a > 0) != (b > 0) for a, b in itertools.pairwise(d)):
                out[i] = 2
        elif kind == 4 and full:
            out[i] = 2 if all(abs(x) < k for x in win) else 0
        elif kind == 5 and full:
            out[i] = 2 if all(abs(x) > k for x in win) else 0
    return out


def run(z, rules):
    kinds = np.array([r[0] for r in rules], dtype=np.int64)
    windows = np.array([r[1] for r in rules], dtype=np.int64)
    counts = np.array([r[2] for r in rules], dtype=np.int64)
    ks = np.array([r[3] for r in rules], dtype=np.float64)
    return rule_flags(np.ascontiguousarray(z, dtype=np.float64), kinds, windows, counts, ks)


@pytest.mark.parametrize("seed", range(6))
def test_rule_flags_match_oracle(seed):
    rng = np.random.default_rng(seed)
    # mixtures of noise, runs, trends, alternation and ties so every pattern occurs
    parts = [rng.normal(0, 1, 60), np.full(12, 0.7), np.linspace(-2, 2, 9),
             np.tile([0.4, -0.4], 9), np.round(rng.normal(0, 1.5, 40), 0),
             rng.normal(0, 0.3, 20), rng.choice([-1.6, 1.6], 12), rng.normal(2.2, 0.5, 6)]
    order = rng.permutation(len(parts))
    z = np.concatenate([parts[i] for i in order])
    got = run(z, RULES)
    for r, rule in enumerate(RULES):
        assert got[r].tolist() == oracle(z.tolist(), *rule), rule
    assert np.abs(got).sum() > 0


def test_rule_flags_short_and_empty():
    assert run(np.zeros(0), RULES).shape == (len(RULES), 0)
    assert run(np.array([5.0]), RULES)[0].tolist() == [1]


def cusum_oracle(d, k, h, reset):
    up, low, nu, nl = [], [], [], []
    cu = cl = 0.0
    a = b = 0
    for x in d:
        cu = max(0.0, x - k + cu)
        cl = max(0.0, -x - k + cl)
        a = a + 1 if cu > 0 else 0
        b = b + 1 if cl > 0 else 0
        up.append(cu)
        low.append(cl)
        nu.append(a)
        nl.append(b)
        if reset and cu > h:
            cu, a = 0.0, 0
        if reset and cl > h:
            cl, b = 0.0, 0
    return up, low, nu, nl


@pytest.mark.parametrize("reset", [False, True])
def test_cusum_sums_match_oracle(reset):
    rng = np.random.default_rng(9)
    d = np.concatenate([rng.normal(0, 1, 50), rng.normal(1.5, 1, 30), rng.normal(-2, 1, 30)])
    got = cusum_sums(d, 0.5, 4.0, reset)
    want = cusum_oracle(d.tolist(), 0.5, 4.0, reset)
    for g, w in zip(got, want):
        assert np.asarray(g) == pytest.approx(np.asarray(w))
    assert max(got[0]) > 4.0 and max(got[1]) > 4.0
