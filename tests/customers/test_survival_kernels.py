"""The survival kernels (cxpath._kernels.survival) against plain-Python oracles:
Harrell's C by enumerating pairs (lifelines' definition: an event before a later time, or a
censored row at the same time, is comparable; equal scores count one half), and the Cox
derivatives against finite differences of the log partial likelihood."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.survival import concordance_counts, cox_terms


def _pairs_oracle(t, e, risk):
    correct = tied = pairs = 0.0
    for i in range(t.size):
        if not e[i]:
            continue
        for j in range(t.size):
            if t[j] > t[i] or (t[j] == t[i] and not e[j] and j != i):
                pairs += 1
                correct += risk[i] > risk[j]
                tied += risk[i] == risk[j]
    return correct, tied, pairs


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 8), st.booleans(), st.integers(0, 4)), min_size=1,
                max_size=25))
def test_concordance_counts_equal_the_pair_enumeration(rows):
    t, e, risk = (np.array(c) for c in zip(*rows))
    order = np.argsort(t, kind="stable")
    t, e, risk = t[order].astype(float), e[order].astype(np.int64), risk[order]
    ranks = np.unique(risk, return_inverse=True)[1].astype(np.int64) + 1
    got = concordance_counts(t, e, ranks, int(ranks.max()), np.array([0, t.size]))
    assert got == pytest.approx(_pairs_oracle(t, e, risk))


def test_concordance_matches_lifelines_utility():
    lifelines = pytest.importorskip("lifelines")
    rng = np.random.default_rng(5)
    t = rng.integers(1, 30, 400).astype(float)
    e = rng.random(400) < 0.6
    risk = rng.integers(0, 15, 400)
    order = np.argsort(t, kind="stable")
    ranks = np.unique(risk[order], return_inverse=True)[1].astype(np.int64) + 1
    c, tie, n = concordance_counts(t[order], e[order].astype(np.int64), ranks,
                                   int(ranks.max()), np.array([0, 400]))
    ref = lifelines.utils.concordance_index(t, -risk, e)
    assert (c + 0.5 * tie) / n == pytest.approx(ref, abs=1e-12)


def _terms(x, stop, start, event, strata, beta, efron):
    order = np.lexsort((-stop, strata))
    x, stop, start, event, s = x[order], stop[order], start[order], event[order], strata[order]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(s))]).astype(np.int64)
    by_start = np.lexsort((-start, s)).astype(np.int64)
    return cox_terms(np.ascontiguousarray(x), stop, start, event.astype(np.int64),
                     np.ones(stop.size), offsets, np.arange(stop.size, dtype=np.int64),
                     by_start, beta, efron, int(event.sum()))


@pytest.mark.parametrize("efron", [True, False])
def test_cox_gradient_and_information_are_derivatives_of_the_likelihood(efron):
    rng = np.random.default_rng(11)
    n = 60
    x = rng.normal(size=(n, 2))
    stop = rng.integers(2, 12, n).astype(float)  # ties
    start = np.where(rng.random(n) < 0.3, stop - rng.integers(1, 2, n), -np.inf)
    event = (rng.random(n) < 0.7).astype(np.int64)
    strata = rng.integers(0, 2, n)
    beta = np.array([0.3, -0.2])
    ll, grad, info = _terms(x, stop, start, event, strata, beta, efron)[:3]
    h = 1e-6
    for j in range(2):
        step = np.zeros(2)
        step[j] = h
        up = _terms(x, stop, start, event, strata, beta + step, efron)
        down = _terms(x, stop, start, event, strata, beta - step, efron)
        assert grad[j] == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-6, abs=1e-6)
        np.testing.assert_allclose(info[:, j], -(up[1] - down[1]) / (2 * h), rtol=1e-5,
                                   atol=1e-6)
    assert ll < 0


@pytest.mark.skipif(not hasattr(cox_terms, "py_func"),
                    reason="NUMBA_DISABLE_JIT=1: the kernel is its Python original")
def test_python_originals_agree_with_the_compiled_kernels():
    py = cox_terms.py_func
    rng = np.random.default_rng(2)
    x = rng.normal(size=(30, 2))
    stop = rng.integers(1, 8, 30).astype(float)
    event = (rng.random(30) < 0.6).astype(np.int64)
    order = np.argsort(-stop, kind="stable")
    args = (np.ascontiguousarray(x[order]), stop[order], np.full(30, -np.inf), event[order],
            np.ones(30), np.array([0, 30]), np.arange(30), np.arange(30), np.array([0.1, 0.4]),
            True, int(event.sum()))
    a, b = cox_terms(*args), py(*args)
    assert a[0] == pytest.approx(b[0], rel=1e-12)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-10)
    np.testing.assert_allclose(a[2], b[2], rtol=1e-10)
