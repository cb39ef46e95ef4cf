"""Queueing kernels against plain-Python oracles (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import kpi as k


def _b_exact(n, a):  # oracle: the definition in exact rationals
    a = Fraction(a)
    terms = [a**i / math.factorial(i) for i in range(n + 1)]
    return float(terms[-1] / sum(terms))


def _staff_oracle(a, tau, target, occ):  # oracle: plain loop over agents from 1
    if a == 0:
        return 0
    n = 1
    while True:
        if n > a and a / n <= occ + 1e-12:
            b = _b_exact(n, a)
            c = n * b / (n - a * (1 - b))
            if 1 - c * math.exp(-(n - a) * tau) >= target:
                return n
        n += 1


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.0, 25.0), tau=st.floats(0.0, 2.0), target=st.floats(0.0, 0.99),
       occ=st.sampled_from([0.7, 0.85, 1.0]))
def test_erlang_c_search_kernel(a, tau, target, occ):
    # the first stable count within the occupancy cap, with its exact Erlang B value
    start = max(math.floor(a) + 1, math.ceil(a / occ - 1e-12)) if a > 0 else 0
    n, _ = k.erlang_c_search(np.array([a]), np.array([tau]), np.array([target]),
                             np.array([np.inf]), np.array([start], dtype=np.int64),
                             np.array([_b_exact(start, a)]))
    expected = _staff_oracle(a, tau, target, occ)
    # the kernel's float recursion may differ from the rational oracle right at the target
    assert abs(int(n[0]) - expected) <= (1 if a > 0 else 0)
    if int(n[0]) != expected:
        b = _b_exact(expected, a)
        c = expected * b / (expected - a * (1 - b))
        assert abs(1 - c * math.exp(-(expected - a) * tau) - target) < 1e-9


def _erlang_a_oracle(a, n, g, tau, top=250):  # oracle: numpy power iteration-free solve
    rates = [min(i, n) + max(i - n, 0) * g for i in range(1, top + 1)]
    w = [1.0]
    for r in rates:
        w.append(w[-1] * a / r)
    w = np.array(w) / sum(w)
    p_wait = w[n:].sum()
    queue = sum((i - n) * w[i] for i in range(n, top + 1))
    served = w[:n].sum() + sum(w[n + j] * n / (n + (j + 1) * g) for j in range(top - n + 1))
    return p_wait, g * queue / a, queue / a, served


@pytest.mark.parametrize(("a", "n", "g"), [(5.0, 6, 0.5), (9.0, 7, 1.2), (2.0, 2, 0.1)])
def test_erlang_a_kernel(a, n, g):
    out = k.erlang_a(np.array([a]), np.array([n], dtype=np.int64), np.array([g]),
                     np.array([0.4]))
    p_wait, p_ab, wait_all, served = _erlang_a_oracle(a, n, g, 0.4)
    assert out[0, 0] == 0
    np.testing.assert_allclose(out[1:4, 0], [p_wait, p_ab, wait_all], rtol=1e-9)
    np.testing.assert_allclose(out[5, 0], served, rtol=1e-9)
    np.testing.assert_allclose(out[5, 0], 1 - p_ab, rtol=1e-9)
    assert out[5, 0] >= out[6, 0] >= 1 - p_wait - 1e-12


def test_erlang_a_staffing_kernel_is_first_feasible():
    agents, out = k.erlang_a_staffing(np.array([10.0]), np.array([0.5]), np.array([0.2]),
                                      np.array([0.8]), np.array([1.0]), np.array([1.0]),
                                      np.array([np.inf]))
    n = int(agents[0])
    assert out[6, 0] >= 0.8
    prev = k.erlang_a(np.array([10.0]), np.array([n - 1], dtype=np.int64), np.array([0.5]),
                      np.array([0.2]))
    assert prev[6, 0] < 0.8


@settings(max_examples=40, deadline=None)
@given(a=st.lists(st.floats(0.0, 400.0), min_size=1, max_size=6),
       tau=st.floats(0.0, 2.0), target=st.floats(0.0, 0.99), max_asa=st.floats(0.01, 5.0))
def test_interpreted_erlang_c_search_equals_the_compiled_kernel(a, tau, target, max_asa):
    # small staffing inputs run the kernel's Python function (no compile in a fresh
    # process): the same floating-point operations, so the same agents and Erlang B bits
    from cxpath._kernels._jit import interpreted
    from cxpath.kpi import erlang_b

    a = np.array(a)
    start = np.floor(a) + 1.0
    args = (a, np.full(a.size, tau), np.full(a.size, target), np.full(a.size, max_asa),
            start.astype(np.int64), np.asarray(erlang_b(start, a), dtype=float))
    n_jit, b_jit = k.erlang_c_search(*args)
    n_py, b_py = interpreted(k.erlang_c_search)(*args)
    np.testing.assert_array_equal(n_py, n_jit)
    np.testing.assert_array_equal(b_py, b_jit)
