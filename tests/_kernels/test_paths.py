"""Path kernels against plain-Python oracles (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.paths import (
    case_hashes,
    length_hash_order,
    reach_totals,
    window_keys,
)
from cxpath.journeys.variants import path_groups

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


# the hash is arithmetic modulo 2**64: plain-Python numpy scalars warn on the wrap-around
@pytest.mark.filterwarnings("ignore:overflow encountered in scalar multiply:RuntimeWarning")
@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy)
def test_equal_paths_hash_equal(paths):
    codes, offsets = csr(paths)
    h = case_hashes(codes, offsets)
    for i, p in enumerate(paths):
        for j, q in enumerate(paths):
            if p == q:
                assert h[i] == h[j]


# more than one batch of path_groups (64 cases), few distinct paths: groups fill early batches
@pytest.mark.filterwarnings("ignore:overflow encountered in scalar multiply:RuntimeWarning")
@settings(max_examples=60, deadline=None)
@given(paths=st.lists(st.lists(st.integers(0, 2), max_size=4), min_size=1, max_size=300))
def test_path_groups_number_paths_by_first_appearance(paths):
    codes, offsets = csr(paths)
    group, first, group_hash = path_groups(codes, offsets)
    seen: dict = {}  # plain-Python oracle: a dict of tuples
    for p in paths:
        seen.setdefault(tuple(p), len(seen))
    assert group.tolist() == [seen[tuple(p)] for p in paths]
    assert first.tolist() == [paths.index(list(p)) for p in seen]
    assert group_hash.tolist() == case_hashes(codes, offsets)[first].tolist()


@settings(max_examples=40, deadline=None)
@given(paths=paths_strategy, data=st.data())
def test_reach_totals_match_oracle(paths, data):
    codes, offsets = csr(paths)
    weights = np.array(data.draw(st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2),
                                          min_size=len(paths), max_size=len(paths))),
                       dtype=np.float64)
    got = reach_totals(codes, offsets, weights, 4)
    # oracle: each case adds its weights once to every touchpoint it visits
    expected = [[sum(weights[i, j] for i, p in enumerate(paths) if s in p) for j in range(2)]
                for s in range(4)]
    assert got.tolist() == expected


def funnel_oracle(path, steps, mode):
    out = [-1] * len(steps)
    if mode == 0:
        nxt = 0
        for i, c in enumerate(path):
            if nxt < len(steps) and c == steps[nxt]:
                out[nxt] = i
                nxt += 1
    elif mode == 1:
        best, where = 0, -1
        for s in range(len(path)):
            m = 0
            while m < len(steps) and s + m < len(path) and path[s + m] == steps[m]:
                m += 1
            if m > best:
                best, where = m, s
        out[:best] = [where + m for m in range(best)]
    else:
        for s, step in enumerate(steps):
            if step not in path:
                break
            out[s] = path.index(step)
    return out


@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy, steps=st.lists(st.integers(0, 3), min_size=1, max_size=3),
       mode=st.integers(0, 2))
def test_funnel_match_matches_oracle(paths, steps, mode):
    from cxpath._kernels.paths import funnel_match

    codes, offsets = csr(paths)
    got = funnel_match(codes, offsets, np.array(steps, dtype=np.int64), mode)
    for k, p in enumerate(paths):
        expected = [x + offsets[k] if x >= 0 else -1 for x in funnel_oracle(p, steps, mode)]
        assert got[k].tolist() == expected


@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy, allowed=st.lists(st.booleans(), min_size=16, max_size=16),
       starts=st.lists(st.booleans(), min_size=4, max_size=4))
def test_first_deviation_matches_oracle(paths, allowed, starts):
    from cxpath._kernels.paths import first_deviation

    codes, offsets = csr(paths)
    table = np.array(allowed).reshape(4, 4)
    got = first_deviation(codes, offsets, np.flatnonzero(table.ravel()).astype(np.int64), 4,
                          np.array(starts))
    for k, p in enumerate(paths):
        expected = -1
        if p and not starts[p[0]]:
            expected = 0
        else:
            for i in range(1, len(p)):
                if not table[p[i - 1], p[i]]:
                    expected = i
                    break
        assert got[k] == (expected + offsets[k] if expected >= 0 else -1)


def colliding_pairs(k):
    """``k`` different two-code paths with equal 64-bit hashes (FNV-1a is invertible in its
    last code: the second code cancels the difference the first one made)."""
    basis, prime, mask = 14695981039346656037, 1099511628211, 2**64 - 1
    first = [((basis ^ (a + 1)) * prime) & mask for a in range(k)]
    pairs = [(a, ((first[0] ^ first[a] ^ 1) - 1) % 2**64) for a in range(k)]
    return [[a, b - 2**64 if b >= 2**63 else b] for a, b in pairs]


def test_colliding_pairs_do_collide():
    codes, offsets = csr(colliding_pairs(3))
    assert len(set(case_hashes(codes, offsets).tolist())) == 1


def test_path_groups_mark_a_hash_collision():
    x, y, z = colliding_pairs(3)
    codes, offsets = csr([x, y, x, z, y])
    group, first, group_hash = path_groups(codes, offsets)
    assert group.tolist() == [0, -1, 0, -1, -1] and first.tolist() == [0]
    group, first, group_hash = path_groups(np.zeros(0, dtype=np.int64),
                                           np.zeros(1, dtype=np.int64))
    assert len(group) == len(first) == len(group_hash) == 0


# reference: numpy.lexsort((hashes, lengths)), the stable sort canonical_groups used before
@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 2**64 - 1)
                                | st.sampled_from([0, 1, 2**63, 2**64 - 1])), max_size=300))
def test_length_hash_order_is_lexsort(items):
    lengths = np.array([a for a, _ in items], dtype=np.int64)
    hashes = np.array([b for _, b in items], dtype=np.uint64)
    assert length_hash_order(lengths, hashes).tolist() == np.lexsort((hashes,
                                                                       lengths)).tolist()


def test_length_hash_order_with_lengths_past_one_counting_pass():
    rng = np.random.default_rng(3)  # lengths up to 10**7 among 50 items: several passes
    lengths = rng.integers(0, 10**7, 50)
    lengths[::5] = lengths[0]
    hashes = rng.integers(0, 4, 50).astype(np.uint64)  # few hash values: many ties
    assert np.array_equal(length_hash_order(lengths, hashes), np.lexsort((hashes, lengths)))


def test_length_hash_order_sorts_long_runs_of_shared_top_bits():
    rng = np.random.default_rng(8)  # 400 items of one length whose hashes share the top
    lengths = np.full(400, 3, dtype=np.int64)  # bits: runs past _RUN, merge-sorted, ties
    hashes = rng.integers(0, 40, 400).astype(np.uint64)
    lengths[::7] = 2
    assert np.array_equal(length_hash_order(lengths, hashes), np.lexsort((hashes, lengths)))


def groups_reference(paths):
    """Plain-Python path_groups: a case joins the group of the first case with its 64-bit
    hash (FNV-1a, as case_hashes) when their paths are equal, else gets -1."""
    basis, prime, mask = 14695981039346656037, 1099511628211, 2**64 - 1
    by_hash: dict = {}
    group, first = [], []
    for case, p in enumerate(paths):
        h = basis
        for c in p:
            h = ((h ^ ((c + 1) & mask)) * prime) & mask
        h = ((h ^ len(p)) * prime) & mask
        if h not in by_hash:
            by_hash[h] = len(first)
            first.append(case)
            group.append(by_hash[h])
        else:
            g = by_hash[h]
            group.append(g if paths[first[g]] == p else -1)
    return group, first


# many read-ahead batches of path_groups (_BATCH cases), repeats and 64-bit collisions
@pytest.mark.filterwarnings("ignore:overflow encountered in scalar multiply:RuntimeWarning")
@settings(max_examples=25, deadline=None)
@given(base=st.lists(st.lists(st.integers(0, 5), max_size=6), min_size=1, max_size=40),
       collide=st.integers(0, 4), seed=st.integers(0, 2**32 - 1))
def test_path_groups_over_many_batches_match_the_reference(base, collide, seed):
    from cxpath._kernels.paths import _BATCH

    rng = np.random.default_rng(seed)
    pool = base + colliding_pairs(collide + 2)  # paths of one 64-bit hash
    pool = pool + [rng.integers(0, 50, rng.integers(1, 9)).tolist() for _ in range(200)]
    paths = [pool[k] for k in rng.integers(0, len(pool), 12 * _BATCH + 7)]
    codes, offsets = csr(paths)
    group, first, group_hash = path_groups(codes, offsets)
    want_group, want_first = groups_reference(paths)
    assert group.tolist() == want_group and first.tolist() == want_first
    assert group_hash.tolist() == case_hashes(codes, offsets)[first].tolist()
    for parts in (2, 3, 5):  # the threaded passes: cases split by hash, then by range
        split = path_groups(codes, offsets, parts)
        assert split[0].tolist() == want_group and split[1].tolist() == want_first
        assert split[2].tolist() == group_hash.tolist()


@settings(max_examples=40, deadline=None)
@given(paths=paths_strategy, seed=st.integers(0, 2**32 - 1))
def test_gather_paths_over_several_batches_equals_slicing(paths, seed):
    """Reference: the Python slices of the rows, concatenated (rows in random order, more
    than one read-ahead batch of copy_rows)."""
    from cxpath._kernels.paths import _BATCH
    from cxpath.journeys.stats import _gather_paths as gather_paths

    codes, offsets = csr(paths)
    rows = np.random.default_rng(seed).integers(0, len(paths), 2 * _BATCH + 5)
    out, out_offsets = gather_paths(codes, offsets, rows)
    assert out.tolist() == [c for r in rows for c in paths[r]]
    assert out_offsets.tolist() == [0, *np.cumsum([len(paths[r]) for r in rows]).tolist()]

