"""Regression tests for the full-mode hostile failures of cxpath.spc (issue #18, point 3)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidTypeError
from cxpath.spc import (
    c_chart,
    control_constants,
    cusum,
    ewma,
    imr,
    np_chart,
    p_chart,
    run_rules,
    u_chart,
    xbar_r,
    xbar_s,
)

RAGGED = [[1, 2], [3]]
X = np.arange(10.0)
SUB = np.arange(20.0).reshape(10, 2)
COUNTS = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1]


@pytest.mark.parametrize("n", [[], RAGGED, 2.5, "5"])
def test_control_constants_row_n_not_an_int(n):
    with pytest.raises(InvalidTypeError, match=r"'n' parameter of ControlConstants\.row must be "
                       r"an integer\. Got "):
        control_constants([2, 3]).row(n)


def test_control_constants_row_numpy_int_still_found():
    # Montgomery, Introduction to SQC, Appendix VI: D4(n=3) = 2.574
    assert control_constants([2, 3]).row(np.int64(3))["D4"] == pytest.approx(2.574, abs=1e-3)


def test_control_constants_zero_d_float_array():
    with pytest.raises(InvalidTypeError, match=r"'n' parameter of spc\.control_constants must be "
                       r"an integer or a sequence of subgroup sizes\. Got 5\.0 instead"):
        control_constants(np.array(5.0))


def test_control_constants_zero_d_int_array_is_its_value():
    # Montgomery, Appendix VI: A2(n=5) = 0.577
    assert control_constants(np.array(5)).row(5)["A2"] == pytest.approx(0.577, abs=1e-3)


@pytest.mark.parametrize("index", [RAGGED, np.zeros((2, 2)), np.array(["a", None], dtype=object)])
def test_signals_at_index_not_an_int(index):
    with pytest.raises(InvalidTypeError, match=r"'index' parameter of Signals\.at must be an "
                       r"integer\. Got "):
        imr(X).signals.at(index)


CHARTS = {
    "c_chart": lambda **kw: c_chart(COUNTS, **kw),
    "cusum": lambda **kw: cusum(X, **kw),
    "ewma": lambda **kw: ewma(X, **kw),
    "imr": lambda **kw: imr(X, **kw),
    "np_chart": lambda **kw: np_chart(COUNTS, **{"sizes": 10, **kw}),
    "p_chart": lambda **kw: p_chart(COUNTS, **{"sizes": 10, **kw}),
    "u_chart": lambda **kw: u_chart(COUNTS, **{"exposure": 10.0, **kw}),
    "xbar_r": lambda **kw: xbar_r(SUB, **kw),
    "xbar_s": lambda **kw: xbar_s(SUB, **kw),
}
CASES = [(c, p) for c in CHARTS for p in ("baseline", "exclude", "labels")
         if not (c in ("cusum", "ewma") and p == "exclude")]
CASES += [("np_chart", "sizes"), ("p_chart", "sizes"), ("u_chart", "exposure")]


@pytest.mark.parametrize(("chart", "param"), CASES)
def test_chart_ragged(chart, param):
    with pytest.raises(InvalidTypeError, match=rf"'{param}' parameter of spc\.{chart} must be "
                       r"array-like\. Got an object numpy cannot read"):
        CHARTS[chart](**{param: RAGGED})


@pytest.mark.parametrize("param", ["center", "sigma", "sigma_lower"])
def test_run_rules_ragged(param):
    kw = {"center": 0.0, "sigma": 1.0, param: RAGGED}
    with pytest.raises(InvalidTypeError, match=rf"'{param}' parameter of spc\.run_rules must be "
                       r"array-like\. Got an object numpy cannot read"):
        run_rules(X, **kw)
