"""Small staffing jobs run the Erlang C search interpreted in a fresh process (#19 point 2).

Reference: the compiled ``erlang_c_search`` kernel. Both routes run the same operations in
the same order, so agents, service levels and ASA must be equal bit for bit.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import _jit
from cxpath._kernels import kpi as k
from cxpath.kpi import queueing, staffing


def _week(seed):
    """A week of half-hours (336 scenarios, the demo's interval staffing), some closed."""
    rng = np.random.default_rng(seed)
    calls = rng.poisson(np.r_[np.zeros(16), np.full(320, 60.0)] * rng.uniform(0.2, 3.0, 336))
    return calls, rng.uniform(120.0, 600.0, 336)


@pytest.mark.parametrize("seed", range(3))
def test_staffing_is_the_same_on_both_sides_of_the_size_rule(fresh_kernels, monkeypatch, seed):
    calls, aht = _week(seed)
    kwargs = dict(answer_time=20, target=0.8, max_occupancy=0.85, shrinkage=0.3)
    small = staffing(calls, aht, **kwargs)
    monkeypatch.setattr(queueing, "SMALL_SEARCH_STEPS", 0)  # the compiled kernel
    large = staffing(calls, aht, **kwargs)
    for name in ("agents", "scheduled", "service_level", "p_wait", "asa", "occupancy"):
        assert np.array_equal(getattr(small, name), getattr(large, name)), name


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.floats(0.0, 2_000.0), min_size=1, max_size=40),
       target=st.floats(0.0, 0.99), tau=st.floats(0.0, 1.0))
def test_routed_search_equals_the_compiled_kernel(a, target, tau):
    a = np.array(a)
    start = np.floor(a) + 1.0
    args = (a, np.full(a.size, tau), np.full(a.size, target), np.full(a.size, np.inf),
            start.astype(np.int64), queueing._erlang_b(start, a))
    want = k.erlang_c_search(*args)
    got = _jit._quiet(_jit._python_tree(k.erlang_c_search))(*args)
    for g, w in zip(got, want):
        assert np.array_equal(g, w)


def test_a_week_of_intervals_stays_interpreted(fresh_kernels, monkeypatch):
    # the demo's interval staffing (336 half-hours) must not compile the kernel cold
    calls, aht = _week(0)
    a = calls * aht / 1800.0
    assert queueing._erlang_c_search(a) is not k.erlang_c_search
    assert queueing._erlang_c_search(np.full(5_000, 1_000.0)) is k.erlang_c_search
