"""kpi under hostile input (#18): O(1) Erlang B, cost guards, booleans refused as times, and
every bad argument answered with the library's error shape."""

from __future__ import annotations

import math
import time
import warnings

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxpath.errors import CostError, CxpathError, CxpathWarning, DataError, InvalidParameterError
from cxpath.kpi import (
    abandonment_rate,
    backlog,
    business_seconds,
    erlang_a,
    erlang_b,
    erlang_c,
    interval_staffing,
    parts_policy,
    rate,
    reorder_point,
    resolution_times,
    response_times,
    retention_cohorts,
    sla_attainment,
    slow_mover_stock,
    staffing,
    staffing_erlang_a,
)


@numba.njit(cache=False)
def _erlang_b_recursion(n, a):
    """Erlang B by the stable recursion (the oracle of the closed form; jitted for 10⁶ steps)."""
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def _erlang_b_integral(n: int, a: float) -> float:
    # Erlang's integral form 1/B(n, a) = int_0^inf e^-t (1 + t/a)^n dt (Jagerman 1974, eq. 2),
    # by quadrature: independent of the incomplete gamma function the library uses
    from scipy import integrate

    top = max(n - a, 0.0) + 60.0 * math.sqrt(max(n, a))
    val, _ = integrate.quad(lambda t: math.exp(-t + n * math.log1p(t / a)), 0.0, top,
                            limit=500, epsabs=0.0, epsrel=1e-13)
    return 1.0 / val


@pytest.mark.parametrize(("n", "a"), [(10**11, 1e11), (10**11, 1e11 - 3e5), (10**9, 1e9 + 2e4),
                                      (1000, 950.0)])
def test_erlang_b_matches_the_integral_definition_at_any_size(n, a):
    assert erlang_b(n, a) == pytest.approx(_erlang_b_integral(n, a), rel=1e-10)


@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 10**6), ratio=st.floats(0.01, 5.0))
def test_erlang_b_closed_form_matches_the_recursion(n, ratio):
    # the recursion B(k) = a B(k-1) / (k + a B(k-1)) is the definition's oracle
    a = max(n, 1) * ratio
    want = _erlang_b_recursion(n, a)
    got = erlang_b(n, a)
    assert got == pytest.approx(want, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(("n", "a"), [
    (100, 84.06),  # Erlang B table (e.g. Cooper 1981, Table I): 100 circuits at 1 % -> 84.06 E
    (50, 37.90),   # same table: 50 circuits at 1 % -> 37.90 E
    (200, 179.7),  # same table: 200 circuits at 1 % -> 179.7 E
])
def test_erlang_b_published_table_large_groups(n, a):
    assert erlang_b(n, a) == pytest.approx(0.01, abs=1e-4)


def test_erlang_b_is_constant_time_in_agents():
    start = time.perf_counter()
    assert erlang_b(10**11, 10) == 0.0  # the call: 10**11 steps of the recursion
    assert erlang_b(10, 1e11) == pytest.approx(1 - 10 / 1e11, rel=1e-12)  # B -> 1 - n/a
    assert time.perf_counter() - start < 2.0


def test_erlang_c_and_staffing_at_huge_loads_are_fast():
    # load 1e11 Erlangs; C = n B / (n - A (1 - B)) from the O(1) B
    r = erlang_c(1e12, 180, 10**11 + 10**6, interval=1800)
    b = erlang_b(10**11 + 10**6, 1e11)
    n, a = 10**11 + 10**6, 1e11
    assert r.p_wait[0] == pytest.approx(n * b / (n - a * (1 - b)), rel=1e-12)
    s = staffing(1e12, 180, interval=1800)
    assert s.agents[0] == 100_000_000_015  # start floor(A) + 1, then a few agents on


def test_agents_and_loads_beyond_float_exactness_are_refused_with_the_true_value():
    with pytest.raises(InvalidParameterError, match=r"^The 'agents' parameter of kpi.erlang_b "
                       r"must be an integer in \[0, 9007199254740992\]. Got "
                       r"18446744073709551616 instead.$"):
        erlang_b(2**64, 1.0)
    with pytest.raises(DataError, match=r"Got 9223372036854775808 at position 1 instead"):
        erlang_b([1, 2**63], 1.0)
    with pytest.raises(DataError, match=r"^The 'volume' parameter of kpi.staffing must be a "
                       r"load \(volume x aht / interval\) of at most 1e\+15 Erlangs"):
        staffing(1e20, 180)
    with pytest.raises(DataError, match=r"^The 'max_occupancy' parameter of kpi.staffing"):
        staffing(100, 180, max_occupancy=1e-300)


def test_erlang_a_chain_memory_is_estimated_before_the_work():
    # 10**11 agents: 8 bytes per chain state, 800 GB
    with pytest.raises(CostError, match=r"^kpi.erlang_a would need about 745.1 GiB for the "
                       r"birth-death chain of 100,000,000,000 agents, more than the 4.0 GiB "
                       r"cap\."):
        erlang_a(100, 180, 10**11, 120)
    with pytest.raises(CostError, match=r"^kpi.staffing_erlang_a would need about 149.1 GiB"):
        staffing_erlang_a(1e11, 180, 120)
    # a long, overloaded queue with a long answer time: 5e5 queue states x 5.6e5 steps
    with pytest.raises(CostError, match=r"more than 2e\+09 steps for the answered-within"):
        erlang_a(1000, 180, 10, patience=1e6, answer_time=1e6)


def test_interval_staffing_errors_name_interval_staffing():
    with pytest.raises(DataError, match=r"^The 'volume' parameter of kpi.interval_staffing"):
        interval_staffing([1e20], 180)
    with pytest.raises(DataError, match=r"^The 'aht' parameter of kpi.interval_staffing must "
                       r"be of the same length as 'volume' \(3\). Got length 2 instead.$"):
        interval_staffing([1, 2, 3], [180, 200])
    with pytest.raises(InvalidParameterError, match=r"^The 'aht' parameter of "
                       r"kpi.interval_staffing must be a 1-dimensional array"):
        interval_staffing([1, 2], [[1, 2], [3, 4]])


# ---------------------------------------------------------------- booleans are not times

@pytest.mark.parametrize(("call", "message"), [
    (lambda: response_times([True, 1], [10, 20]),
     "The 'created' parameter of kpi.response_times must be datetimes, epoch seconds or "
     "ISO-8601 strings. Got True (a boolean) at position 0 instead."),
    (lambda: resolution_times([0.0, 1.0], [10.0, False]),
     "The 'resolved_at' parameter of kpi.resolution_times must be datetimes, epoch seconds "
     "or ISO-8601 strings. Got False (a boolean) at position 1 instead."),
    (lambda: business_seconds([5.0], [np.True_]),
     "The 'end' parameter of kpi.business_seconds must be datetimes, epoch seconds or "
     "ISO-8601 strings. Got np.True_ (a boolean) at position 0 instead."),
    (lambda: sla_attainment([0.0], [100.0], ["P1"], {"P1": "1h"}, as_of=True),
     "The 'as_of' parameter of kpi.sla_attainment must be datetimes, epoch seconds or "
     "ISO-8601 strings. Got True (a boolean) instead."),
    (lambda: backlog([0.0, 100.0], [50.0, 200.0], at=[1.0, True]),
     "The 'at' parameter of kpi.backlog must be datetimes, epoch seconds or ISO-8601 "
     "strings. Got True (a boolean) at position 1 instead."),
    (lambda: retention_cohorts(["a", "b"], [True, 5]),
     "The 'timestamp' parameter of kpi.retention_cohorts must be timestamps. Got True (a "
     "boolean) at position 0 instead."),
])
def test_booleans_are_refused_as_epoch_seconds(call, message):
    # numpy reads [True, 1] as [1, 1]: before, True became 1970-01-01T00:00:01
    with pytest.raises(DataError) as info:
        call()
    assert str(info.value) == message


# ---------------------------------------------------------------- guards on ranges and sizes

def test_backlog_to_year_9999_is_refused_before_building():
    start = time.perf_counter()
    with pytest.raises(CostError, match=r"^kpi.backlog would measure the backlog at 2,912,809 "
                       r"times from 2025-01-01 to 9999-12-31 \(freq='D'\), more than the "
                       r"50,000 cap"):
        backlog(["2025-01-01", "2025-01-02"], ["2025-01-02", "9999-12-31"], freq="D")
    assert time.perf_counter() - start < 5.0  # before: 237 s for these two tickets


def test_slow_mover_and_parts_refuse_astronomic_stock():
    with pytest.raises(CostError, match=r"^kpi.slow_mover_stock would need about 87.3 TiB for "
                       r"the backorder sum up to a base stock of 4,000,003,289,708 units"):
        slow_mover_stock(10**12, 4)
    with pytest.raises(DataError, match=r"^The 'lead_time' parameter of kpi.parts_policy must "
                       r"be short enough"):
        parts_policy([[0, 1, 0, 2, 0, 0], [30, 28, 35, 31, 29, 33]], 2**64)
    with pytest.raises(DataError, match=r"^The 'unit_cost' parameter of kpi.parts_policy must "
                       r"be one value or one per part \(2\). Got 3 values instead.$"):
        parts_policy([[0, 1, 0, 2, 0, 0], [30, 28, 35, 31, 29, 33]], [4, 2],
                     unit_cost=[0.0, 0.0, 0.0])


def test_rate_wrappers_name_their_own_parameter():
    with pytest.raises(CxpathError, match=r"^The 'abandoned' parameter of "
                       r"kpi.abandonment_rate must be"):
        abandonment_rate(None)
    with pytest.raises(TypeError, match=r"^The 'flags' parameter of kpi.rate"):
        rate(None)


# ---------------------------------------------------------------- the attack as a property

_BAD = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True),
    # integers: edge values only (mid-sized counts are valid, merely slow)
    st.sampled_from([-1, 0, 1, 2**53 + 1, 2**63, 2**64, -2**70, 10**15]),
    st.text(max_size=5), st.just([]), st.just(()), st.just({}), st.just([[1.0, 2.0], [3.0, 4.0]]),
    st.just(np.zeros((2, 2, 2))), st.just([1.0, float("nan")]), st.just([True, False]),
    st.just(["a", "b"]), st.just(object()), st.just(1j), st.just(np.int64(2**62)),
    st.lists(st.floats(-1e12, 1e12), min_size=1, max_size=4))

_CALLS = {
    "erlang_b": (erlang_b, {"agents": 2, "load": 1.0}),
    "erlang_c": (erlang_c, {"volume": 100, "aht": 180, "agents": 14}),
    "erlang_a": (erlang_a, {"volume": 100, "aht": 180, "agents": 10, "patience": 120}),
    "staffing": (staffing, {"volume": 100, "aht": 180}),
    "staffing_erlang_a": (staffing_erlang_a, {"volume": 100, "aht": 180, "patience": 120}),
    "interval_staffing": (interval_staffing, {"volume": [0, 100, 40], "aht": [0, 180, 200]}),
    "reorder_point": (reorder_point, {"demand_mean": 150, "demand_sd": 16, "lead_time": 5}),
    "slow_mover_stock": (slow_mover_stock, {"demand_rate": 0.5, "lead_time": 4}),
    "parts_policy": (parts_policy, {"demand": [[0, 1, 0, 2], [30, 28, 35, 31]],
                                    "lead_time": [4, 2]}),
    "business_seconds": (business_seconds, {"start": ["2025-07-04T16:00"],
                                            "end": ["2025-07-07T10:00"]}),
    "response_times": (response_times, {"created": ["2025-01-01T10:00"],
                                        "first_response": ["2025-01-01T12:30"]}),
    "rate": (rate, {"flags": [1, 0, 1, 1]}),
    "retention_cohorts": (retention_cohorts, {"customer": ["a", "b"],
                                              "timestamp": ["2025-01-05", "2025-02-01"]}),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(sorted(_CALLS)), data=st.data())
def test_bad_inputs_get_the_library_error_or_a_result(which, data):
    func, base = _CALLS[which]
    extra = ["interval", "answer_time", "target"] if which == "staffing" else []
    name = data.draw(st.sampled_from([*sorted(base), *extra]))
    kwargs = dict(base, **{name: data.draw(_BAD)})
    try:
        with warnings.catch_warnings():  # documented warnings (e.g. epoch ms) are fine here
            warnings.simplefilter("ignore", CxpathWarning)
            func(**kwargs)
    except CxpathError as exc:
        assert f"kpi.{which}" in str(exc) and "-9223372036854775808" not in str(exc)
