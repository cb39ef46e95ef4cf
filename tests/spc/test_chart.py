"""The ControlChart / Signals result objects, phase I / II, and the demo section."""


import numpy as np
import pytest

from cxpath.errors import InvalidParameterError
from cxpath.spc import ControlChart, Signals, imr, p_chart, u_chart, xbar_r

from ._textbook import ORANGE_JUICE, PISTON_RINGS


def test_result_fields_and_frame():
    chart = p_chart(ORANGE_JUICE[:30], 50, rules="we")
    assert isinstance(chart, ControlChart) and isinstance(chart.signals, Signals)
    frame = chart.to_frame("dict")
    assert list(frame)[:7] == ["index", "value", "center", "lcl", "ucl", "baseline",
                               "excluded"]
    assert all(len(c) == 30 for c in frame.values())
    assert frame["rules"][14] == "WE1" and frame["signal"][14]
    assert chart.signalled.sum() == chart.signals.points.size
    assert not chart.in_control
    # explanation, rule and index of each signal
    sig = chart.signals.to_frame("dict")
    assert sig["rule"][0] == "WE1" and sig["index"][0] == 14
    assert sig["explanation"][0] == "point above the upper control limit (point 14)"
    assert chart.signals.at(14) == ("WE1",)


def test_to_frame_pandas_and_polars():
    pd = pytest.importorskip("pandas")
    chart = xbar_r(PISTON_RINGS, baseline=25)
    df = chart.to_frame()
    assert isinstance(df, pd.DataFrame) and len(df) == 40
    assert {"r", "r_center", "r_lcl", "r_ucl", "r_rules"} <= set(df.columns)
    assert df["baseline"].sum() == 25
    pl = pytest.importorskip("polars")
    assert chart.signals.to_frame("polars").height == len(chart.signals)
    assert isinstance(chart.to_frame("polars"), pl.DataFrame)


def test_repr_and_html():
    chart = xbar_r(PISTON_RINGS, baseline=25)
    text = repr(chart)
    assert text.startswith("ControlChart xbar (subgroup mean) (40 rows)")
    assert "phase I points 25 (0 excluded), phase II points 15" in text
    assert "r chart:" in text
    assert "<table>" in chart._repr_html_()
    assert "Signals" in repr(chart.signals)


def test_phase_two_params_round_trip():
    rng = np.random.default_rng(1)
    c = rng.poisson(20, 60)
    e = rng.uniform(900, 1100, 60)
    full = u_chart(c, e, baseline=40)
    phase1 = u_chart(c[:40], e[:40])
    phase2 = u_chart(c[40:], e[40:], params=phase1.params)
    assert phase2.params == phase1.params
    assert phase2.ucl == pytest.approx(full.ucl[40:])
    assert not phase2.baseline.any() and full.baseline.sum() == 40


def test_to_dict_is_json_ready():
    import json

    chart = imr([1.0, 2.0, 1.5, 1.7, 9.0])
    json.dumps(chart.to_dict())


def test_exclude_validation():
    with pytest.raises(InvalidParameterError, match=r"'exclude' parameter of spc.p_chart"):
        p_chart([1, 2, 3], 10, exclude=np.array([True, False]))
    with pytest.raises(Exception, match=r"'exclude' parameter of spc.p_chart must be in"):
        p_chart([1, 2, 3], 10, exclude=[5])
    with pytest.raises(InvalidParameterError, match=r"'baseline' parameter of spc.p_chart"):
        p_chart([1, 2, 3], 10, baseline="first")
