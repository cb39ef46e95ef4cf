"""Attribution kernels against plain-Python oracles (also run with NUMBA_DISABLE_JIT=1)."""

import itertools
import math

import numpy as np
import pytest

from cxpath._kernels import attribution as k

CODES = np.array([0, 1, 1, 2, 2, 0, 1], dtype=np.int64)
OFFSETS = np.array([0, 3, 4, 4, 7], dtype=np.int64)
CONV = np.array([2.0, 1.0, 5.0, 0.0])
NULL = np.array([1.0, 0.0, 0.0, 3.0])
VALUE = np.array([20.0, 7.0, 1.0, 0.0])


def paths():
    return [CODES[OFFSETS[i]:OFFSETS[i + 1]].tolist() for i in range(len(OFFSETS) - 1)]


def test_heuristic_credit():
    times = np.arange(7, dtype=float) * 3600
    end = np.array([2, 3, 3, 6], dtype=float) * 3600
    conv, val = k.heuristic_credit(CODES, OFFSETS, times, end, CONV, VALUE, 3, 7200.0, 0.4,
                                   0.4)
    want = np.zeros((6, 3))
    for i, p in enumerate(paths()):
        c = CONV[i]
        if not p or c == 0:
            continue
        want[0, p[0]] += c
        want[1, p[-1]] += c
        for x in p:
            want[2, x] += c / len(p)
        for x in set(p):
            want[3, x] += c / len(set(p))
        shares = [1.0] if len(p) == 1 else [0.5, 0.5] if len(p) == 2 else \
            [0.4] + [0.2 / (len(p) - 2)] * (len(p) - 2) + [0.4]
        for x, s in zip(p, shares):
            want[4, x] += c * s
        t = times[OFFSETS[i]:OFFSETS[i + 1]]
        w = 2.0 ** (-(end[i] - t) / 7200.0)
        for x, s in zip(p, w / w.sum()):
            want[5, x] += c * s
    np.testing.assert_allclose(conv, want)
    assert val[0].tolist() == [20.0, 0.0, 7.0]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("collapse", [True, False])
def test_markov_counts_dense_and_sparse(order, collapse):
    base = 4
    want: dict = {}
    for i, p in enumerate(paths()):
        if collapse:
            p = [x for j, x in enumerate(p) if j == 0 or p[j - 1] != x]
        state: tuple = ()
        for x in p:
            key = sum((d + 1) * base ** (len(state) - 1 - j) for j, d in enumerate(state))
            want[(key, x)] = want.get((key, x), 0) + CONV[i] + NULL[i]
            state = ((*state, x))[-order:]
        key = sum((d + 1) * base ** (len(state) - 1 - j) for j, d in enumerate(state))
        want[(key, 3)] = want.get((key, 3), 0) + CONV[i]
        want[(key, 4)] = want.get((key, 4), 0) + NULL[i]
    counts = k.markov_dense_counts(CODES, OFFSETS, CONV, NULL, VALUE, 3, order, collapse)
    got = {(int(r), int(c)): counts[r, c] for r, c in zip(*np.nonzero(counts[:, :5]))}
    assert got == pytest.approx({key: w for key, w in want.items() if w})
    from_key, to_col, owner = k.markov_transitions(CODES, OFFSETS, 3, order, collapse)
    sparse: dict = {}
    for fk, tc, o in zip(from_key, to_col, owner):
        cols = [(int(tc), CONV[o] + NULL[o])] if tc < 3 else [(3, CONV[o]), (4, NULL[o])]
        for col, w in cols:
            if w:
                sparse[(int(fk), col)] = sparse.get((int(fk), col), 0) + w
    assert sparse == pytest.approx({key: w for key, w in want.items() if w})


def test_channel_masks_and_equal_split():
    masks = k.channel_masks(CODES, OFFSETS)
    assert masks.tolist() == [sum(1 << x for x in set(p)) for p in paths()]
    split = k.equal_split(CODES, OFFSETS, CONV[None, :], 3)
    want = np.zeros((3, 3))
    for i, p in enumerate(paths()):
        firsts = list(dict.fromkeys(p))
        for pos, x in enumerate(firsts):
            want[x, pos] += CONV[i] / len(firsts)
    np.testing.assert_allclose(split[0], want)


def test_shapley_from_subsets_by_definition():
    n = 3
    rng = np.random.default_rng(0)
    f = rng.uniform(size=(2, 1 << n))
    phi, v = k.shapley_from_subsets(f, n)
    for s in range(1 << n):
        assert v[0, s] == pytest.approx(sum(f[0, t] for t in range(1 << n) if t & s == t))
    want = np.zeros(n)
    for perm in itertools.permutations(range(n)):
        before = 0
        for c in perm:
            want[c] += v[0, before | 1 << c] - v[0, before]
            before |= 1 << c
    np.testing.assert_allclose(phi[0], want / math.factorial(n))


def test_permutation_credit():
    set_codes = np.array([0, 1, 1, 2], dtype=np.int64)
    set_offsets = np.array([0, 2, 3, 4], dtype=np.int64)
    weight = np.array([[4.0, 1.0, 2.0]])
    perms = np.array([[0, 1, 2], [2, 1, 0]], dtype=np.int64)
    out = k.permutation_credit(set_codes, set_offsets, weight, perms)
    # order 0,1,2: {0,1} completes at 1, {1} at 1, {2} at 2; order 2,1,0: {0,1} at 0
    np.testing.assert_allclose(out[:, 0], [[0, 5, 2], [4, 1, 2]])


def test_removal_solve_certifies_its_weighted_residuals():
    # reference: numpy.linalg.solve of (I - Q) x = r. States 0 (start, single) -> the
    # component {1, 2} -> exits; state 3 is single and reached from 2. The kernel's
    # wres/maxres bound the residuals, so with the exact visits from the start as weights
    # the error at the start is at most wres (and the uniform bound t(start) * maxres)
    q = np.zeros((4, 4))
    q[0, 1], q[1, 2], q[2, 1], q[2, 3] = 0.9, 0.7, 0.6, 0.3
    rhs = np.column_stack([[0.0, 0.1, 0.05, 0.5], [0.0, 3.0, 1.0, 40.0]])
    order = [3, 1, 2, 0]  # sinks first: {3}, {1, 2}, {0}
    qp = q[np.ix_(order, order)]
    indptr = np.concatenate(([0], np.cumsum((qp != 0).sum(axis=1)))).astype(np.int64)
    rows, cols = np.nonzero(qp)
    n = np.linalg.inv(np.eye(4) - qp)
    exact = n @ rhs[order]
    weight = n[3]  # visits from the start (new number 3)
    blocks = np.array([0, 1, 3, 4], dtype=np.int64)
    keep = np.ones((4, 1), dtype=bool)
    for cap in (1e-4, 1e-9):
        x, wres, maxres, sweeps, failed = k.removal_solve(
            indptr, cols.astype(np.int64), qp[rows, cols], rhs[order], blocks, keep,
            np.zeros((4, 2)), False, weight, np.full((3, 2), cap), np.full(2, cap), 1000)
        assert failed == -1 and sweeps > 0
        error = np.abs(x[3] - exact[3])
        assert (error <= wres * (1 + 1e-12)).all()
        assert (error <= n[3].sum() * maxres).all()
        assert (wres <= 2 * cap).all()  # component {1, 2} within its budget, singles ~ 0
    assert error.max() < 1e-9
