"""ROI, NPV, IRR, payback and the business case: documented references and identities."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.kpi import business_case, irr, npv, payback_period, roi


def test_npv_reference():
    # numpy-financial documentation, npv example: 3065.22267
    assert npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) == pytest.approx(3065.22267,
                                                                              abs=1e-5)
    assert npv(0.0, [-10, 4, 6]) == 0.0


@pytest.mark.parametrize(("flows", "expected"), [
    ([-100, 39, 59, 55, 20], 0.28095),  # numpy-financial irr docs
    ([-100, 0, 0, 74], -0.0955),        # same page
    ([-100, 100, 0, -7], -0.0833),      # same page (non-conventional flows)
    ([-100, 100, 0, 7], 0.06206),       # same page
])
def test_irr_references(flows, expected):
    assert irr(flows) == pytest.approx(expected, abs=6e-5)


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(st.floats(1, 1e5), min_size=1, max_size=8), inv=st.floats(1, 1e6))
def test_npv_is_zero_at_irr(flows, inv):
    cf = [-inv, *flows]
    r = irr(cf)
    assert abs(npv(r, cf)) <= 1e-6 * max(inv, sum(flows))


def test_payback_and_roi():
    assert payback_period([-1000, 300, 400, 500]) == pytest.approx(2.6)  # by hand
    assert payback_period([-1000, 100, 100]) == math.inf
    assert payback_period([0, 10]) == 0.0
    assert roi([150, 50], 100).tolist() == [0.5, -0.5]


def test_business_case_by_hand():
    c = business_case(100_000, 45_000, running_cost=5_000, periods=4, rate=0.1)
    assert c.cashflow.tolist() == [-100_000, 40_000, 40_000, 40_000, 40_000]
    # NPV = -100000 + 40000 * (1 - 1.1^-4) / 0.1
    assert c.npv == pytest.approx(-100_000 + 40_000 * (1 - 1.1**-4) / 0.1)
    assert c.payback == 2.5
    assert c.roi == pytest.approx((180_000 - 120_000) / 120_000)
    assert npv(c.irr, c.cashflow) == pytest.approx(0, abs=1e-6)
    flat = business_case(0, [0, 0], periods=2)
    assert np.isnan(flat.irr) and "NPV" in repr(flat)


@pytest.mark.parametrize(("call", "exc", "fragment"), [
    (lambda: roi(10, 0), DataError, "'cost' parameter of kpi.roi"),
    (lambda: npv(-1.0, [1, 2]), InvalidParameterError, "'rate' parameter of kpi.npv"),
    (lambda: npv(0.1, []), DataError, "at least 1"),
    (lambda: irr([1, 2, 3]), DataError, "negative and positive"),
    (lambda: payback_period([1, float("nan")]), DataError, "NaN"),
    (lambda: business_case(-5, 10), InvalidParameterError, "'investment'"),
    (lambda: business_case(5, [1, 2], periods=3), DataError, "one per period"),
])
def test_bad_inputs(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)
