"""Calendar kernels against a plain-Python sum over intervals (jitted and NUMBA_DISABLE_JIT=1)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.calendar import business_durations, cum_open


def _table(gaps_and_lens, width):
    """Disjoint sorted intervals from (gap, length) pairs, with the kernel's lookup arrays."""
    starts, lens, t = [], [], 0.0
    for gap, length in gaps_and_lens:
        t += gap
        starts.append(t)
        lens.append(length)
        t += length
    starts = np.array(starts, dtype=np.float64)
    lens = np.array(lens, dtype=np.float64)
    cum_start = np.cumsum(lens) - lens
    t0 = -5.0
    n_buckets = int(np.ceil((t + 10 - t0) / width)) + 1
    grid = t0 + width * np.arange(n_buckets)
    buckets = np.searchsorted(starts, grid, side="right").astype(np.int64) - 1
    return starts, lens, cum_start, buckets, t0


def _oracle(t, starts, lens):
    """Open time before t: each interval contributes its part before t."""
    if np.isnan(t):
        return np.nan
    return sum(min(max(t - s, 0.0), length) for s, length in zip(starts, lens))


intervals = st.lists(st.tuples(st.integers(1, 50).map(float), st.integers(1, 40).map(float)),
                     min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(table=intervals, width=st.sampled_from([1.0, 7.0, 100.0, 5000.0]),
       times=st.lists(st.one_of(st.floats(-20, 2000), st.just(np.nan),
                                st.integers(-10, 2000).map(float)), max_size=40))
def test_cum_open_matches_a_sum_over_intervals(table, width, times):
    starts, lens, cum_start, buckets, t0 = _table(table, width)
    t = np.array(times, dtype=np.float64)
    got = cum_open(t, starts, lens, cum_start, buckets, t0, width)
    expected = np.array([_oracle(x, starts, lens) for x in t])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(table=intervals, pairs=st.lists(st.tuples(st.floats(-20, 2000), st.floats(-20, 2000)),
                                       max_size=40))
def test_business_durations_are_differences_of_cumulative_open_time(table, pairs):
    starts, lens, cum_start, buckets, t0 = _table(table, 10.0)
    a = np.array([p[0] for p in pairs], dtype=np.float64)
    b = np.array([p[1] for p in pairs], dtype=np.float64)
    got = business_durations(a, b, starts, lens, cum_start, buckets, t0, 10.0)
    expected = [_oracle(y, starts, lens) - _oracle(x, starts, lens) for x, y in zip(a, b)]
    np.testing.assert_allclose(got, np.array(expected, dtype=np.float64), atol=1e-9)
    if len(a):  # NaN in either end gives NaN
        a[0] = np.nan
        assert np.isnan(business_durations(a, b, starts, lens, cum_start, buckets, t0,
                                           10.0)[0])
