"""group_by_key against numpy's stable sort (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.ordering import group_by_key


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(st.integers(0, 6), max_size=60))
def test_group_by_key_is_a_stable_sort_carrying_columns(keys):
    arr = np.array(keys, dtype=np.int64)
    floats = np.arange(len(keys), dtype=np.float64) * 0.5
    ints = np.arange(len(keys), dtype=np.int64)[::-1].copy()
    order, f, i = group_by_key(arr, 7, floats, ints)
    expected = np.argsort(arr, kind="mergesort")  # oracle: numpy's stable merge sort
    np.testing.assert_array_equal(order, expected)
    np.testing.assert_array_equal(f, floats[expected])
    np.testing.assert_array_equal(i, ints[expected])


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 4), st.floats(-1e6, 1e6)), max_size=400))
def test_grouped_quantiles_match_numpy_percentile(pairs):
    from cxpath._kernels.ordering import grouped_quantiles

    keys = np.array([p[0] for p in pairs], dtype=np.int64)
    values = np.array([p[1] for p in pairs], dtype=np.float64)
    got = grouped_quantiles(keys, 5, values, np.array([0.0, 0.5, 0.9, 1.0]))
    for k in range(5):
        chosen = values[keys == k]
        if len(chosen) == 0:
            assert np.isnan(got[k]).all()
        else:  # oracle: numpy's linear-interpolation percentile
            np.testing.assert_allclose(got[k], np.percentile(chosen, [0, 50, 90, 100]),
                                       rtol=1e-12, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(65, 3000), distinct=st.integers(1, 50))
def test_grouped_quantiles_quickselect_on_large_groups_with_ties(seed, size, distinct):
    from cxpath._kernels.ordering import grouped_quantiles

    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, size).astype(np.float64)  # many equal values
    keys = rng.integers(0, 2, size).astype(np.int64)
    qs = np.array([0.9, 0.0, 0.5, 0.25, 1.0, 0.999])
    got = grouped_quantiles(keys, 2, values, qs)
    for k in range(2):  # oracle: numpy's linear-interpolation percentile
        np.testing.assert_allclose(got[k], np.percentile(values[keys == k], qs * 100),
                                   rtol=1e-12)


@settings(max_examples=80, deadline=None)
@given(groups=st.lists(st.lists(st.integers(0, 5), max_size=45), max_size=8))
def test_sort_within_groups_matches_a_stable_lexsort(groups):
    from cxpath._kernels.ordering import sort_within_groups

    values = np.array([x for g in groups for x in g], dtype=np.float64)
    group = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    offsets = np.concatenate(([0], np.cumsum([len(g) for g in groups]))).astype(np.int64)
    # oracle: numpy's lexsort, stable, by group then value (ties keep their order)
    np.testing.assert_array_equal(sort_within_groups(offsets, values),
                                  np.lexsort((values, group)))
