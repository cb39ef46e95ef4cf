"""p, np, c, u and Laney p'/u' charts: textbook examples, varying sizes, bad inputs."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.spc import c_chart, np_chart, p_chart, u_chart

from ._textbook import CIRCUIT, COMPUTERS, ORANGE_JUICE


def test_p_chart_montgomery_example_7_1():
    # Montgomery (2009) Example 7.1: p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and
    # 23 plot above the UCL.
    chart = p_chart(ORANGE_JUICE[:30], 50, rules="limits")
    assert round(chart.params["center"], 4) == 0.2313
    assert round(float(chart.ucl[0]), 4) == 0.4102
    assert round(float(chart.lcl[0]), 4) == 0.0524
    assert (chart.signals.index + 1).tolist() == [15, 23]


def test_p_chart_revised_limits_exclude_and_refit():
    # Montgomery (2009) Example 7.1, revised limits without samples 15 and 23 (assignable
    # causes): p̄ = 0.2150, UCL = 0.3893, LCL = 0.0407; sample 21 now exceeds the UCL.
    explicit = p_chart(ORANGE_JUICE[:30], 50, exclude=[14, 22], rules="limits")
    refit = p_chart(ORANGE_JUICE[:30], 50, refit=1, rules="limits")
    for chart in (explicit, refit):
        assert round(chart.params["center"], 4) == 0.2150
        assert round(float(chart.ucl[0]), 4) == 0.3893
        assert round(float(chart.lcl[0]), 4) == 0.0407
        assert (chart.signals.index + 1).tolist() == [15, 21, 23]
    assert np.flatnonzero(refit.excluded).tolist() == [14, 22]
    # a second round also drops sample 21 (Montgomery keeps it: no assignable cause found)
    twice = p_chart(ORANGE_JUICE[:30], 50, refit=2, rules="limits")
    assert np.flatnonzero(twice.excluded).tolist() == [14, 20, 22]


def test_p_chart_new_limits_after_adjustment_clip_lcl():
    # Montgomery (2009) Example 7.1 after the adjustment, samples 31-54: p̄ = 0.1108,
    # UCL = 0.2440, LCL = -0.0224 -> 0
    chart = p_chart(ORANGE_JUICE, 50, baseline=slice(30, 54), rules="limits")
    assert round(chart.params["center"], 4) == 0.1108
    assert round(float(chart.ucl[0]), 4) == 0.2440
    assert np.all(chart.lcl == 0.0)
    assert chart.baseline[30:].all() and not chart.baseline[:30].any()


def test_np_chart_matches_p_chart_times_n():
    p = p_chart(ORANGE_JUICE[:30], 50, rules="limits")
    npc = np_chart(ORANGE_JUICE[:30], 50, rules="limits")
    assert npc.center[0] == pytest.approx(50 * 0.23133333, rel=1e-6)  # n p̄ = 11.57
    assert npc.ucl == pytest.approx(50 * p.ucl)
    assert npc.signals.index.tolist() == p.signals.index.tolist()


def test_p_chart_varying_sizes():
    d = np.array([10, 30, 12, 50, 8])
    n = np.array([100, 400, 100, 400, 100])
    chart = p_chart(d, n, rules="none")
    pbar = d.sum() / n.sum()
    assert chart.params["center"] == pytest.approx(pbar)
    assert chart.ucl == pytest.approx(pbar + 3 * np.sqrt(pbar * (1 - pbar) / n))
    assert chart.ucl[1] < chart.ucl[0]  # larger subgroup -> narrower limits


def test_c_chart_montgomery_example_7_3():
    # Montgomery (2009) Example 7.3: c̄ = 19.85, UCL = 33.22 (from the rounded c̄; exact
    # 33.21), LCL = 6.48; samples 6 and 20 are out of control.
    chart = c_chart(CIRCUIT, rules="limits")
    assert round(chart.params["center"], 2) == 19.85
    assert round(19.85 + 3 * np.sqrt(19.85), 2) == 33.22
    assert round(float(chart.ucl[0]), 2) == 33.21
    assert round(float(chart.lcl[0]), 2) == 6.48
    assert (chart.signals.index + 1).tolist() == [6, 20]
    # revised: without samples 6 and 20, c̄ = 19.67, UCL = 32.97, LCL = 6.36
    revised = c_chart(CIRCUIT, rules="limits", refit=1)
    assert round(revised.params["center"], 2) == 19.67
    assert round(float(revised.ucl[0]), 2) == 32.97
    assert round(float(revised.lcl[0]), 2) == 6.36


def test_u_chart_montgomery_example_7_5():
    # Montgomery (2009) Example 7.5: ū = 1.93, UCL = 3.79, LCL = 0.07, in control
    chart = u_chart(COMPUTERS, 5)
    assert round(chart.params["center"], 2) == 1.93
    assert round(float(chart.ucl[0]), 2) == 3.79
    assert round(float(chart.lcl[0]), 2) == 0.07
    assert chart.in_control


def test_u_chart_varying_exposure_and_clipping():
    c = np.array([2, 40, 3, 35, 1])
    e = np.array([10.0, 200.0, 12.5, 180.0, 8.0])
    chart = u_chart(c, e, rules="none")
    ubar = c.sum() / e.sum()
    raw_lcl = ubar - 3 * np.sqrt(ubar / e)
    assert chart.ucl == pytest.approx(ubar + 3 * np.sqrt(ubar / e))
    assert chart.lcl == pytest.approx(np.maximum(raw_lcl, 0.0))
    assert (raw_lcl < 0).any() and (chart.lcl >= 0).all()


def test_laney_widens_overdispersed_limits():
    rng = np.random.default_rng(11)
    n = np.full(60, 20_000)
    p = np.clip(rng.normal(0.05, 0.004, 60), 0.001, None)  # day-to-day drift in the rate
    d = rng.binomial(n, p)
    plain = p_chart(d, n, rules="limits")
    laney = p_chart(d, n, laney=True, rules="limits")
    assert len(plain.signals) > 10  # binomial limits far too narrow
    assert laney.params["sigma_z"] > 2.0
    assert len(laney.signals) <= 2
    assert laney.chart == "p'"
    # Laney (2002): σ_z = MR̄(z)/1.128 with z_i = (p_i - p̄)/σ_pi
    pbar = d.sum() / n.sum()
    z = (d / n - pbar) / np.sqrt(pbar * (1 - pbar) / n)
    assert laney.params["sigma_z"] == pytest.approx(np.abs(np.diff(z)).mean() / 1.128379,
                                                    rel=1e-5)
    u = u_chart(d, n, laney=True, rules="limits")
    assert u.chart == "u'" and u.params["sigma_z"] > 2.0


def test_laney_on_binomial_data_is_close_to_p_chart():
    rng = np.random.default_rng(5)
    n = np.full(400, 500)
    d = rng.binomial(n, 0.1)
    laney = p_chart(d, n, laney=True)
    assert laney.params["sigma_z"] == pytest.approx(1.0, abs=0.1)


def test_bad_inputs_attributes():
    with pytest.raises(DataError, match=r"'counts' parameter of spc.p_chart must be in"):
        p_chart([1, -2, 3], 10)
    with pytest.raises(DataError, match=r"at most the subgroup size.*position 1"):
        p_chart([1, 12, 3], 10)
    with pytest.raises(DataError, match=r"'sizes' parameter of spc.p_chart"):
        p_chart([1, 2, 3], [10, 0, 10])
    with pytest.raises(DataError, match=r"'sizes' parameter of spc.np_chart.*same length"):
        np_chart([1, 2, 3], [10, 10])
    with pytest.raises(DataError, match=r"'exposure' parameter of spc.u_chart must be in"):
        u_chart([1, 2, 3], [5.0, 0.0, 5.0])
    with pytest.raises(DataError, match=r"'counts' parameter of spc.c_chart must be whole"):
        c_chart([1.5, 2, 3])
    with pytest.raises(DataError, match=r"'counts' parameter of spc.c_chart must be whole"):
        c_chart([1, np.nan, 3])
    with pytest.raises(DataError, match=r"'exposure' parameter of spc.u_chart must be free"):
        u_chart([1, 2], [1.0, np.nan])
    with pytest.raises(InvalidParameterError, match=r"'laney' parameter"):
        u_chart([1, 2], [1.0, 2.0], laney="yes")
    with pytest.raises(DataError, match=r"Laney adjustment"):
        p_chart([0, 0, 0], 10, laney=True)
    with pytest.raises(InvalidParameterError, match=r"'params' parameter of spc.u_chart"):
        u_chart([1, 2, 3], 4.0, params=p_chart([1, 2, 3], 10).params)


def test_p_chart_limits_clipped_to_zero_one():
    # tiny subgroups: p̄ ± 3σ leaves [0, 1]; the limits are clipped, signals unchanged
    chart = p_chart([1, 0, 2, 1, 0], 3, rules="limits")
    assert np.all(chart.ucl == 1.0) and np.all(chart.lcl == 0.0)
    assert len(chart.signals) == 0
