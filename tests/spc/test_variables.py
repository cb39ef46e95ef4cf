"""I-MR, X̄-R and X̄-S charts: textbook examples, phase I/II, bad inputs."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.spc import imr, xbar_r, xbar_s

from ._textbook import PISTON_RINGS


def test_xbar_r_montgomery_example_6_1():
    # Montgomery (2009) Example 6.1: x̄̄ = 74.001, R̄ = 0.023, UCL = 74.014, LCL = 73.988
    chart = xbar_r(PISTON_RINGS[:25])
    assert round(chart.params["center"], 3) == 74.001
    assert round(chart.params["r_bar"], 3) == 0.023
    assert round(float(chart.ucl[0]), 3) == 74.014
    assert round(float(chart.lcl[0]), 3) == 73.988
    # R chart: LCL = D3 R̄ = 0; UCL = D4 R̄, printed 0.049 = 2.114 × 0.023 (R̄ rounded first)
    r = chart.dispersion
    assert np.all(r.lcl == 0.0)
    assert round(float(r.ucl[0]) / chart.params["r_bar"] * round(chart.params["r_bar"], 3),
                 3) == 0.049
    # "the process is in statistical control" in phase I (no point beyond the limits)
    assert not (chart.values > chart.ucl).any() and not (chart.values < chart.lcl).any()
    assert not r.signals.rule.size


def test_xbar_r_phase_two_montgomery():
    # Montgomery (2009) Example 6.1 continued (Fig. 6.5): with limits frozen on samples
    # 1-25, samples 37, 38 and 39 plot above the UCL of the x̄ chart.
    chart = xbar_r(PISTON_RINGS, baseline=25, rules="limits")
    assert (chart.signals.index + 1).tolist() == [37, 38, 39]
    assert chart.baseline.sum() == 25
    # same result when the frozen params are passed with the new data only
    phase1 = xbar_r(PISTON_RINGS[:25], rules="limits")
    phase2 = xbar_r(PISTON_RINGS[25:], params=phase1.params, rules="limits")
    assert (phase2.signals.index + 26).tolist() == [37, 38, 39]
    assert phase2.ucl[0] == pytest.approx(phase1.ucl[0])
    assert not phase2.baseline.any()


def test_xbar_s_montgomery_example_6_3():
    # Montgomery (2009) Example 6.3 (same piston rings): UCL = 74.014, LCL = 73.988, s chart
    # LCL = B3 s̄ = 0. (The qcc copy of the data differs from the printed table in two
    # values, so s̄ is 0.0092 here against the printed 0.0094.)
    chart = xbar_s(PISTON_RINGS[:25])
    assert round(float(chart.ucl[0]), 3) == 74.014
    assert round(float(chart.lcl[0]), 3) == 73.988
    s_bar = chart.params["s_bar"]
    assert s_bar == pytest.approx(PISTON_RINGS[:25].std(axis=1, ddof=1).mean())
    # UCL = B4 s̄ with B4(5) = 2.089 and x̄ limits = x̄̄ ± A3 s̄ with A3(5) = 1.427 (Appendix VI)
    assert chart.dispersion.ucl[0] == pytest.approx(2.089 * s_bar, rel=5e-4)
    assert chart.ucl[0] - chart.center[0] == pytest.approx(1.427 * s_bar, rel=5e-4)
    assert np.all(chart.dispersion.lcl == 0)


def test_imr_formulas_and_mr_chart():
    x = np.array([5.0, 7.0, 6.0, 9.0, 8.0])
    chart = imr(x)
    mr_bar = np.abs(np.diff(x)).mean()  # (2+1+3+1)/4 = 1.75
    assert chart.params["mr_bar"] == pytest.approx(1.75)
    # Montgomery (2009) §6.4: limits x̄ ± 3 MR̄/1.128, MR chart UCL = 3.267 MR̄
    assert chart.ucl[0] == pytest.approx(7.0 + 3 * 1.75 / 1.128, rel=2e-4)
    assert chart.dispersion.ucl[1] == pytest.approx(3.267 * mr_bar, rel=2e-4)
    assert np.isnan(chart.dispersion.values[0])
    assert chart.dispersion.rules == ("WE1",)


def test_mr_chart_gets_no_zone_rules():
    # a long run of moving ranges above MR̄ would fire a same-side rule on a location chart
    x = np.tile([0.0, 1.0], 20).astype(float)
    x[:3] = [0.0, 0.0, 0.0]
    chart = imr(x, rules="nelson")
    assert chart.dispersion.rules == ("N1",)
    assert set(chart.dispersion.signals.rule) <= {"N1"}
    assert "N4" in set(chart.signals.rule)  # alternating pattern on the I chart


def test_imr_exclude_and_refit():
    rng = np.random.default_rng(3)
    x = rng.normal(50, 2, 60)
    x[10] = 80.0
    plain = imr(x, baseline=40)
    refit = imr(x, baseline=40, refit=3)
    assert refit.excluded[10] and refit.excluded.sum() == 1
    assert refit.params["center"] == pytest.approx(np.delete(x[:40], 10).mean())
    assert refit.params["sigma"] < plain.params["sigma"]
    explicit = imr(x, baseline=40, exclude=[10])
    assert explicit.params["center"] == pytest.approx(refit.params["center"])


def test_labels_in_explanations_and_frame():
    days = np.arange("2025-01-01", "2025-01-08", dtype="datetime64[D]")
    chart = imr([1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 9.0], labels=days)
    assert "2025-01-07" in chart.signals.explanation[0]
    frame = chart.to_frame("dict")
    assert list(frame)[:2] == ["label", "value"]
    assert frame["signal"].tolist() == [False] * 6 + [True]
    assert frame["mr"].size == 7 and "mr_ucl" in frame


def test_bad_inputs_variables():
    with pytest.raises(DataError, match=r"subgroups of at least 2"):
        xbar_r([[1.0], [2.0], [3.0]])
    with pytest.raises(DataError, match=r"subgroups of at least 2"):
        xbar_s(np.ones((4, 1)))
    with pytest.raises(DataError, match=r"2-D array"):
        xbar_r([1.0, 2.0, 3.0])
    with pytest.raises(DataError, match=r"free of NaN"):
        xbar_r([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(DataError, match=r"free of NaN. Got NaN at position 1"):
        imr([1.0, np.nan, 2.0])
    with pytest.raises(DataError, match=r"at least 2 element"):
        imr([1.0])
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.imr"):
        imr([1.0, 2.0, 3.0], rules="bogus")
    with pytest.raises(InvalidParameterError, match=r"'nsigma' parameter of spc.xbar_r"):
        xbar_r(PISTON_RINGS, nsigma=0)
    with pytest.raises(InvalidParameterError, match=r"'refit' parameter"):
        imr([1.0, 2.0, 3.0], refit=-1)
    with pytest.raises(InvalidParameterError, match=r"'baseline' parameter"):
        imr([1.0, 2.0, 3.0], baseline=0)
    with pytest.raises(DataError, match=r"two consecutive points"):
        imr([1.0, 2.0, 3.0, 4.0], baseline=np.array([True, False, True, False]))
    with pytest.raises(InvalidParameterError, match=r"'exclude' parameter"):
        imr([1.0, 2.0, 3.0], exclude=[0, 1, 2])
    with pytest.raises(InvalidParameterError, match=r"'params' parameter of spc.xbar_s"):
        xbar_s(PISTON_RINGS, params=xbar_r(PISTON_RINGS).params)
    with pytest.raises(DataError, match=r"subgroups of size 5"):
        xbar_r(PISTON_RINGS[:, :4], params=xbar_r(PISTON_RINGS).params)
    with pytest.raises(DataError, match=r"'labels' parameter"):
        imr([1.0, 2.0, 3.0], labels=["a"])


def test_xbar_s_varying_subgroup_sizes():
    # Montgomery (2009) §6.3.2, eqs. (6.30)-(6.31): weighted grand mean, pooled s̄, and
    # limits x̄̄ ± A3(n_i) s̄, [B3(n_i) s̄, B4(n_i) s̄] with A3(3) = 1.954, A3(5) = 1.427,
    # B4(3) = 2.568, B4(5) = 2.089 (Appendix VI)
    rows = [PISTON_RINGS[i, :(3 if i % 2 else 5)] for i in range(25)]
    chart = xbar_s(rows)
    n = np.array([r.size for r in rows])
    s = np.array([r.std(ddof=1) for r in rows])
    grand = sum(r.sum() for r in rows) / n.sum()
    pooled = np.sqrt(((n - 1) * s**2).sum() / (n - 1).sum())
    assert chart.params["center"] == pytest.approx(grand)
    assert chart.params["s_bar"] == pytest.approx(pooled)
    assert chart.params["n"] is None
    a3 = np.where(n == 3, 1.954, 1.427)
    b4 = np.where(n == 3, 2.568, 2.089)
    assert chart.ucl == pytest.approx(grand + a3 * pooled, rel=1e-4)
    assert chart.dispersion.ucl == pytest.approx(b4 * pooled, rel=5e-4)
    # phase II with frozen limits, rectangular or ragged new data
    later = xbar_s(PISTON_RINGS[25:, :3], params=chart.params)
    assert later.ucl[0] == pytest.approx(grand + 1.954 * pooled, rel=1e-4)
    with pytest.raises(DataError, match=r"equal size \(spc.xbar_s handles varying"):
        xbar_r(rows)
    with pytest.raises(DataError, match=r"at least 2 observations.*position 1"):
        xbar_s([[1.0, 2.0], [3.0], [1.0, 2.0, 3.0]])
