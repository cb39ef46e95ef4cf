"""Bucket selection (``cxpath._kernels.bucket_select``) against numpy's sort.

Reference: per group, ``numpy.sort`` (NaN last) and the order statistics of ranks
``floor(q (n - 1))`` and the next one, interpolated as ``a (1 - t) + b t`` (numpy's linear
method as the kernels write it): bit for bit, signed zeros aside (``numpy.sort`` keeps
-0.0 and 0.0 in input order, the kernels order -0.0 first). Values include the bucket
edges (2**-20, 1.75 * 2**43), zeros of both signs, negatives, subnormals, infinities and NaN.
Runs jitted and with ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.bucket_select import BUCKETS, bucket, key_value, sort_key
from cxpath._stats import _quantiles_by_buckets, _quantiles_by_sort

SPECIAL = [0.0, -0.0, 2.0**-20, np.nextafter(2.0**-20, 0), 1.75 * 2.0**43, 2.0**43,
           2.0**45, 5e-324, -5e-324, 1e308, -1e308, np.inf, -np.inf, np.nan, 1.0, -1.0,
           3600.0, 0.5]
QS = np.array([0.0, 0.1, 0.5, 0.9, 0.999, 1.0])


def _reference(groups, values, n_groups, qs):
    out = np.full((n_groups, len(qs)), np.nan)
    for g in range(n_groups):
        ordered = np.sort(values[groups == g])
        size = len(ordered)
        if size == 0:
            continue
        for j, q in enumerate(qs):
            pos = q * (size - 1)
            below = int(np.floor(pos))
            above = min(below + 1, size - 1)
            frac = pos - below
            out[g, j] = ordered[below] * (1.0 - frac) + ordered[above] * frac
    return out


def _same(got, expected):
    """Equal, NaN equal to NaN (array_equal also takes -0.0 for 0.0)."""
    assert got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=True), (got, expected)


values_st = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True),
                      st.integers(-5, 40).map(float), st.floats(1e-3, 1e7))


@settings(max_examples=150, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 4), values_st), max_size=300),
       qs=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4))
def test_bucket_quantiles_equal_a_sort(pairs, qs):
    groups = np.array([p[0] for p in pairs], dtype=np.int64)
    values = np.array([p[1] for p in pairs], dtype=np.float64)
    qs = np.array(qs)
    with np.errstate(invalid="ignore"):  # inf * 0 in the interpolation: NaN, as the kernel
        got = _quantiles_by_buckets(groups, values, 6, qs)
        _same(got, _reference(groups, values, 6, qs))
        _same(got, _quantiles_by_sort(groups, values, 6, qs))  # numpy path of small inputs


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 5000), distinct=st.integers(1, 60),
       scale=st.sampled_from([1e-6, 1.0, 3600.0, 1e9]))
def test_bucket_quantiles_with_many_ties_in_few_buckets(seed, size, distinct, scale):
    """Large groups whose values crowd one or two buckets (quickselect among candidates)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, size) * scale
    groups = rng.integers(0, 3, size).astype(np.int64)
    _same(_quantiles_by_buckets(groups, values, 3, QS), _reference(groups, values, 3, QS))


@settings(max_examples=200, deadline=None)
@given(a=st.floats(allow_nan=False), b=st.floats(allow_nan=False))
def test_sort_key_orders_like_floats_and_inverts(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert np.array_equal(np.float64(key_value(ka)), np.float64(a))  # bits back (sign of 0)
    if a < b:
        assert ka < kb and bucket(ka) <= bucket(kb)
    elif a == b and np.signbit(a) == np.signbit(b):
        assert ka == kb
    assert 0 <= bucket(ka) < BUCKETS
    assert sort_key(np.nan) > ka and bucket(sort_key(np.nan)) == BUCKETS - 1


def test_sort_key_puts_negative_zero_first_and_every_nan_last():
    assert sort_key(-0.0) < sort_key(0.0) < sort_key(5e-324)
    negative_nan = -np.float64(np.nan)
    assert np.signbit(negative_nan) and sort_key(negative_nan) == sort_key(np.nan)
    assert sort_key(np.inf) < sort_key(np.nan)
    assert bucket(sort_key(2.0**-20)) == 1 and bucket(sort_key(np.nextafter(2.0**-20, 0))) == 0
    top = 1.75 * 2.0**43  # 510 buckets of an eighth of an octave above 2**-20
    assert bucket(sort_key(top)) == BUCKETS - 1
    assert bucket(sort_key(np.nextafter(top, 0))) == BUCKETS - 2


def test_quantiles_by_group_routes_large_inputs_to_buckets_or_grouping():
    """Above the numpy path's size: few groups select by buckets, many group every value;
    both equal the numpy sort path bit for bit (second-rounded exponential waits, ties)."""
    from cxpath._stats import SMALL_QUANTILE_VALUES, quantiles_by_group

    rng = np.random.default_rng(11)
    size = 2 * SMALL_QUANTILE_VALUES
    values = np.round(rng.exponential(3600.0, size))
    for n_groups in (7, 500):  # 7 × BUCKETS × 4 <= size < 500 × BUCKETS × 4
        groups = rng.integers(0, n_groups, size)
        _same(quantiles_by_group(groups, values, n_groups, QS),
              _quantiles_by_sort(groups, values, n_groups, QS))
