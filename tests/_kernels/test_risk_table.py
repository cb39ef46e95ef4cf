"""The life-table kernels (cxpath._kernels.risk_table) against numpy formulations written here.

References: distinct durations by ``numpy.unique``, counts by ``numpy.bincount``; the
Kaplan–Meier product and Greenwood's sum as ``numpy.cumprod`` / ``numpy.cumsum`` of the
per-time factors (the formulation cxpath used before the kernel; results must be the same
floats). Runs jitted and with ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.risk_table import product_limit, sorted_table, whole_number_table

_durations = st.one_of(
    st.floats(0.0, 1e3, allow_nan=False, allow_infinity=False),
    st.floats(0.0, 1e308, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.0, 1.5, 2.0 ** 53]),
)


def _reference(t, e, w=None):
    ww = np.ones(t.size) if w is None else w
    times, inv = np.unique(t, return_inverse=True)
    return times, np.bincount(inv, weights=ww), np.bincount(inv, weights=ww * e)


def _life_table(t, e):
    """Distinct times, number at risk ``#{t >= time}``, events and censored rows there."""
    times, total, events = _reference(t, e)
    return times, np.array([(t >= x).sum() for x in times], dtype=float), events, \
        total - events


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_durations, st.booleans()), min_size=1, max_size=80))
def test_sorted_table_equals_the_direct_life_table(rows):
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows])
    got = sorted_table(t, e)
    for column, want in zip(got, _life_table(t, e)):
        np.testing.assert_array_equal(column, want)
    assert not np.signbit(got[0]).any()  # -0.0 is read as 0.0 (one distinct time with 0.0)


def test_sorted_table_on_many_rows_with_ties():
    # radix passes are skipped when every key shares a digit; here all of them run
    rng = np.random.default_rng(3)
    t = np.concatenate([rng.exponential(300, 5000), np.round(rng.exponential(30, 5000), 1)])
    e = rng.random(t.size) < 0.4
    for got, want in zip(sorted_table(t, e), _life_table(t, e)):
        np.testing.assert_array_equal(got, want)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.booleans(), st.integers(1, 4)), min_size=1,
                max_size=60), st.booleans())
def test_whole_number_table_equals_unique_and_bincount(rows, weighted):
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([r[1] for r in rows])
    w = np.array([r[2] for r in rows], dtype=float) if weighted else None
    times, total, events, done = whole_number_table(t, e, np.zeros(0) if w is None else w)
    assert done
    for got, want in zip((times, total, events), _reference(t, e, w)):
        np.testing.assert_array_equal(got, want)


def test_whole_number_table_declines_fractions_anywhere_and_wide_ranges():
    t = np.arange(10_000, dtype=float)
    e = np.ones(t.size, dtype=bool)
    assert whole_number_table(t, e, np.zeros(0))[3]
    for i in (0, 4095, 4096, 9999):  # first block, block edges, last row
        u = t.copy()
        u[i] += 0.5
        assert not whole_number_table(u, e, np.zeros(0))[3]
    wide = t * (4 * t.size + 1024) / t[-1]  # range just past 4 n + 1024
    assert not whole_number_table(np.floor(wide), e, np.zeros(0))[3]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 30)), min_size=1, max_size=40))
def test_product_limit_is_the_numpy_cumulative_product_bit_for_bit(rows):
    dd = np.array([r[0] for r in rows], dtype=float)
    n = np.cumsum((dd + [r[1] for r in rows])[::-1])[::-1]
    n[-1] = 0.0 if len(rows) > 2 else n[-1]  # a time with nobody at risk counts 1
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 0, 1.0 - dd / np.where(n > 0, n, 1.0), 1.0)
        s = np.cumprod(np.clip(factor, 0.0, 1.0))
        gw = np.cumsum(np.where((n > dd) & (dd > 0), dd / (n * (n - dd)), 0.0))
    got_s, got_gw = product_limit(n, dd)
    np.testing.assert_array_equal(got_s, s)
    np.testing.assert_array_equal(got_gw, gw)
