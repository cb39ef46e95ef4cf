"""Path kernels against plain-Python oracles (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.paths import case_hashes, reach_counts, same_as, window_keys

paths_strategy = st.lists(st.lists(st.integers(0, 3), max_size=7), min_size=1, max_size=25)


def csr(paths):
    codes = np.array([c for p in paths for c in p], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    return codes, offsets


@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy, width=st.integers(1, 4))
def test_window_keys_match_oracle(paths, width):
    codes, offsets = csr(paths)
    keys, owner = window_keys(codes, offsets, width, 4)
    expected = [(sum(c * 4 ** (width - 1 - i) for i, c in enumerate(p[s:s + width])), k)
                for k, p in enumerate(paths) for s in range(len(p) - width + 1)]
    assert list(zip(keys.tolist(), owner.tolist())) == expected


@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy)
def test_equal_paths_hash_equal_and_same_as_is_exact(paths):
    codes, offsets = csr(paths)
    h = case_hashes(codes, offsets)
    for i, p in enumerate(paths):
        for j, q in enumerate(paths):
            if p == q:
                assert h[i] == h[j]
    rep = np.zeros(len(paths), dtype=np.int64)
    assert same_as(codes, offsets, rep).tolist() == [p == paths[0] for p in paths]


@settings(max_examples=40, deadline=None)
@given(paths=paths_strategy)
def test_reach_counts_match_oracle(paths):
    codes, offsets = csr(paths)
    got = reach_counts(codes, offsets, 4)
    for i, p in enumerate(paths):
        assert got[i].tolist() == [s in p for s in range(4)]
