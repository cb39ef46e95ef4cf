"""Indicator systems and the alert digest (#26 points 1 and 4).

References: Wilson intervals and NPS are the KPI functions' own (tested against their
references in test_efficiency / test_satisfaction); the mean's interval is Student's t
(scipy.stats.t.interval on each group); the ratio's is the linearisation variance of the
ratio estimator, Cochran, *Sampling Techniques* (3rd ed., 1977), eq. 6.13, written out here;
the trend test is the least-squares slope t test (scipy.stats.linregress).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxpath import kpi, spc
from cxpath.errors import CxpathError, InvalidTypeError
from cxpath.kpi import AlertDigest, Indicator, IndicatorEvaluation, IndicatorSystem, alert_digest


def _tickets(seed=0, n=600):
    rng = np.random.default_rng(seed)
    return {
        "month": rng.choice(["2025-01", "2025-02", "2025-03"], n),
        "team": rng.choice(["north", "south"], n),
        "fcr": (rng.random(n) < 0.7).astype(int),
        "aht": rng.gamma(4.0, 75.0, n),
        "complaints": rng.poisson(0.3, n).astype(float),
        "orders": rng.integers(1, 5, n).astype(float),
        "nps": np.where(rng.random(n) < 0.4, rng.integers(0, 11, n), np.nan),
    }


SYSTEM = IndicatorSystem([
    Indicator("FCR", "rate", column="fcr", target=0.72, tolerance=0.03, owner="ops"),
    Indicator("AHT", "mean", column="aht", direction="lower", target=290.0, unit="s",
              role="adjusting"),
    Indicator("complaints per order", "ratio", column="complaints", denominator="orders",
              direction="lower", target=0.12, role="warning"),
    Indicator("NPS", "nps", column="nps", target=0.0),
    Indicator("tickets", "count"),
])


def _row(ev: IndicatorEvaluation, period, segment, indicator) -> int:
    (i,) = np.flatnonzero((ev.period == period) & (ev.segment == segment)
                          & (ev.indicator == indicator))
    return int(i)


def test_every_measure_equals_a_direct_computation_per_period_and_segment():
    d = _tickets()
    ev = SYSTEM.evaluate(d, period="month", by="team", confidence=0.9)
    assert ev.periods.tolist() == ["2025-01", "2025-02", "2025-03"]
    assert len(ev.value) == 3 * 2 * 5
    for p in ev.periods:
        for team in ("north", "south"):
            sel = (d["month"] == p) & (d["team"] == team)
            # rate: kpi.rate's Wilson interval on the group
            r = kpi.rate(d["fcr"][sel], confidence=0.9)
            i = _row(ev, p, team, "FCR")
            assert (ev.value[i], ev.ci_low[i], ev.ci_high[i], ev.n[i]) == pytest.approx(
                (r.rate[0], r.ci_low[0], r.ci_high[0], sel.sum()), rel=1e-12)
            # mean: Student t interval
            x = d["aht"][sel]
            lo, hi = stats.t.interval(0.9, x.size - 1, loc=x.mean(), scale=stats.sem(x))
            i = _row(ev, p, team, "AHT")
            assert (ev.value[i], ev.ci_low[i], ev.ci_high[i]) == pytest.approx(
                (x.mean(), lo, hi), rel=1e-10)
            # ratio: Cochran (1977) eq. 6.13, v(R) = Σ(yᵢ − R xᵢ)² / (n (n−1) x̄²)
            y, w = d["complaints"][sel], d["orders"][sel]
            ratio = y.sum() / w.sum()
            se = np.sqrt(((y - ratio * w) ** 2).sum() / (y.size * (y.size - 1)) / w.mean() ** 2)
            half = stats.t.ppf(0.95, y.size - 1) * se
            i = _row(ev, p, team, "complaints per order")
            assert (ev.value[i], ev.ci_low[i], ev.ci_high[i]) == pytest.approx(
                (ratio, ratio - half, ratio + half), rel=1e-10)
            # NPS: kpi.nps on the answered rows
            s = d["nps"][sel]
            nps = kpi.nps(s[~np.isnan(s)], confidence=0.9)
            i = _row(ev, p, team, "NPS")
            assert (ev.value[i], ev.ci_low[i], ev.n[i]) == pytest.approx(
                (nps.score[0], nps.ci_low[0], (~np.isnan(s)).sum()), rel=1e-12)
            assert ev.value[_row(ev, p, team, "tickets")] == sel.sum()


def test_status_follows_the_target_and_the_tolerance_band_in_both_directions():
    system = IndicatorSystem([
        Indicator("up", "mean", column="x", target=10.0, tolerance=1.0),
        Indicator("down", "mean", column="x", direction="lower", target=10.0, tolerance=1.0),
        Indicator("free", "mean", column="x")])
    x = np.array([12.0, 10.0, 9.5, 8.0])
    ev = system.evaluate({"x": x, "p": ["a", "b", "c", "d"]}, period="p")
    up = ev.status[ev.indicator == "up"].tolist()
    down = ev.status[ev.indicator == "down"].tolist()
    assert up == ["met", "met", "watch", "missed"]
    assert down == ["missed", "met", "met", "met"]
    assert set(ev.status[ev.indicator == "free"]) == {"no target"}
    # attainment: value / target when higher is better, target / value when lower is
    np.testing.assert_allclose(ev.attainment[ev.indicator == "up"], x / 10.0)
    np.testing.assert_allclose(ev.attainment[ev.indicator == "down"], 10.0 / x)


def test_composite_index_is_the_capped_weighted_attainment_of_its_children():
    system = IndicatorSystem([
        Indicator("index", "index", target=100.0),
        Indicator("a", "mean", column="a", target=2.0, parent="index", weight=3.0),
        Indicator("b", "mean", column="b", target=4.0, direction="lower", parent="index")])
    ev = system.evaluate({"a": [3.0, 1.0], "b": [5.0, 2.0], "p": ["1", "2"]}, period="p",
                         cap=1.2)
    # period 1: a 3/2 = 1.5 → capped 1.2; b 4/5 = 0.8 → 100 (3·1.2 + 0.8)/4 = 110
    # period 2: a 0.5; b 4/2 = 2 → capped 1.2 → 100 (3·0.5 + 1.2)/4 = 67.5
    np.testing.assert_allclose(ev.value[ev.indicator == "index"], [110.0, 67.5])
    assert ev.status[ev.indicator == "index"].tolist() == ["met", "missed"]


def test_nested_indices_roll_up_children_first():
    system = IndicatorSystem([
        Indicator("top", "index"),
        Indicator("mid", "index", target=100.0, parent="top"),
        Indicator("a", "mean", column="a", target=2.0, parent="mid")])
    ev = system.evaluate({"a": [1.0]})
    assert ev.value.tolist() == [pytest.approx(50.0), pytest.approx(50.0), 1.0]


def test_trend_is_the_slope_t_test_on_the_trailing_window_only():
    months = np.repeat([f"m{i:02d}" for i in range(8)], 50)
    rng = np.random.default_rng(3)
    level = np.repeat([280, 281, 279, 280, 270, 255, 240, 225], 50)
    aht = level + rng.normal(0, 5, months.size)
    system = IndicatorSystem([Indicator("AHT", "mean", column="aht", direction="lower")])
    ev = system.evaluate({"aht": aht, "m": months}, period="m", trend_window=4)
    means = np.array([aht[months == m].mean() for m in ev.periods])
    for pi in range(8):
        window = means[max(0, pi - 3): pi + 1]
        if window.size < 3:
            assert ev.trend[pi] == "n/a"
            continue
        fit = stats.linregress(np.arange(window.size), window)
        want = ("flat" if fit.pvalue >= 0.05 else "improving" if fit.slope < 0
                else "worsening")
        assert ev.trend[pi] == want, pi
    assert ev.trend[-1] == "improving" and ev.trend[3] == "flat"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 7))
def test_a_row_never_depends_on_later_periods(seed, cut):
    """Leakage-free trends: dropping the periods after a cut leaves earlier rows unchanged."""
    rng = np.random.default_rng(seed)
    n = 160
    d = {"x": rng.normal(size=n), "p": rng.integers(0, 8, n)}
    system = IndicatorSystem([Indicator("x", "mean", column="x", target=0.0)])
    full = system.evaluate(d, period="p", trend_window=5)
    keep = d["p"] < cut
    if not keep.any():
        return
    part = system.evaluate({k: x[keep] for k, x in d.items()}, period="p", trend_window=5)
    m = np.isin(full.period, part.periods)
    assert full.trend[m].tolist() == part.trend.tolist()
    np.testing.assert_allclose(full.value[m], part.value)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_row_order_of_the_data_does_not_matter(seed):
    d = _tickets(seed, 200)
    perm = np.random.default_rng(seed).permutation(200)
    a = SYSTEM.evaluate(d, period="month", by="team")
    b = SYSTEM.evaluate({k: x[perm] for k, x in d.items()}, period="month", by="team")
    np.testing.assert_allclose(a.value, b.value, rtol=1e-12)
    assert a.status.tolist() == b.status.tolist()


def test_datetime_periods_are_floored_to_months_or_quarters():
    ts = np.array(["2025-01-31T23:00", "2025-02-01T01:00", "2025-04-02", "2025-06-30"],
                  dtype="datetime64[s]")
    system = IndicatorSystem([Indicator("n", "count")])
    assert system.evaluate({"t": ts}, period="t").periods.tolist() == [
        "2025-01", "2025-02", "2025-04", "2025-06"]
    q = system.evaluate({"t": ts}, period="t", freq="Q")
    assert q.periods.tolist() == ["2025-Q1", "2025-Q2"] and q.value.tolist() == [2, 2]


def test_aware_datetime_periods_are_local_months():
    pd = pytest.importorskip("pandas")
    # 00:30 on 1 February in Berlin is 23:30 on 31 January in UTC: read as UTC instants
    # it was a January row
    local = pd.to_datetime(["2025-01-31 23:00", "2025-02-01 00:30", "2025-02-28 23:59"])
    aware = pd.DataFrame({"t": local.tz_localize("Europe/Berlin")})
    system = IndicatorSystem([Indicator("n", "count")])
    ev = system.evaluate(aware, period="t")
    assert ev.periods.tolist() == ["2025-01", "2025-02"] and ev.value.tolist() == [1, 2]


def test_alert_digest_ranks_by_the_documented_severity_and_marks_new_breaches():
    d = {"fcr": [1, 1, 1, 0, 1, 0, 0, 0], "aht": [300.0] * 4 + [330.0] * 4,
         "m": ["01"] * 2 + ["02"] * 2 + ["03"] * 4}
    system = IndicatorSystem([
        Indicator("FCR", "rate", column="fcr", target=0.8, tolerance=0.35),
        Indicator("AHT", "mean", column="aht", direction="lower", target=310.0,
                  role="adjusting")])
    ev = system.evaluate(d, period="m")
    # FCR: 02 at 0.5 is in the watch band (≥ 0.45), 03 at 0.25 is missed; AHT missed in 03
    dig = alert_digest(ev)
    assert dig.period == "03"
    assert dig.item.tolist() == ["FCR", "AHT"]
    # key 3 × missed 2 × not new 1 (watched in 02) = 6; adjusting 1 × 2 × new 1.5 = 3
    assert dig.severity.tolist() == [6.0, 3.0]
    assert dig.new.tolist() == [False, True]
    first = alert_digest(ev, period="02")
    assert first.item.tolist() == ["FCR"] and first.severity.tolist() == [3.0 * 1 * 1.5]


def test_alert_digest_takes_chart_signals_at_the_period_and_sla_rows():
    chart = spc.c_chart([4, 6, 5, 3, 7, 5, 19], labels=[f"d{i}" for i in range(7)])
    dig = alert_digest(charts={"complaints": chart}, period="d6")
    assert dig.kind.tolist() == ["signal"]
    assert dig.severity.tolist() == [2.0 * 1.5]
    assert "upper control limit" in dig.detail[0]
    assert alert_digest(charts={"complaints": chart}, period="d5").kind.size == 0
    from cxpath.kpi.sla import _example_clocks

    clocks = _example_clocks()
    risk = clocks.at_risk(horizon="100h")
    dig = alert_digest(at_risk=risk)
    assert dig.kind.tolist() == ["sla"] * risk.case_id.size
    overdue = risk.remaining < 0
    expected = np.where(overdue, 4.0, 2.0)
    np.testing.assert_array_equal(np.sort(dig.severity), np.sort(expected))
    assert "#1" in repr(dig) and "#1" not in dig.to_text(show_ids=True)


@pytest.mark.parametrize("kwargs, match", [
    ({"name": 3, "measure": "rate", "column": "x"}, "'name' parameter of kpi.Indicator"),
    ({"name": "a", "measure": "median", "column": "x"}, "'measure' parameter"),
    ({"name": "a", "measure": "rate"}, "'column' parameter .* measure 'rate'"),
    ({"name": "a", "measure": "count", "column": "x"}, "'column' parameter .* None"),
    ({"name": "a", "measure": "mean", "column": "x", "denominator": "y"}, "'denominator'"),
    ({"name": "a", "measure": "mean", "column": "x", "tolerance": -1}, "'tolerance'"),
    ({"name": "a", "measure": "mean", "column": "x", "weight": 0}, "'weight'"),
    ({"name": "a", "measure": "mean", "column": "x", "parent": "a"}, "'parent'"),
    ({"name": "a", "measure": "mean", "column": "x", "role": "main"}, "'role'"),
])
def test_bad_indicators_are_clear_errors(kwargs, match):
    with pytest.raises(CxpathError, match=match):
        Indicator(**kwargs)


@pytest.mark.parametrize("indicators, match", [
    ([], "non-empty"),
    ([Indicator("a", "count"), "b"], "sequence of Indicator"),
    ([Indicator("a", "count"), Indicator("a", "count")], "unique names"),
    ([Indicator("a", "count", parent="zz")], "parent 'zz' of 'a'"),
    ([Indicator("a", "count", parent="b"), Indicator("b", "count", parent="a")], "cycle"),
    ([Indicator("i", "index")], "with children"),
    ([Indicator("i", "index"), Indicator("a", "count", parent="i")], "with targets"),
])
def test_bad_systems_are_clear_errors(indicators, match):
    with pytest.raises(CxpathError, match=match):
        IndicatorSystem(indicators)


def test_bad_evaluate_and_digest_arguments_are_clear_errors():
    d = _tickets(n=50)
    with pytest.raises(CxpathError, match=r"'confidence' parameter of IndicatorSystem"):
        SYSTEM.evaluate(d, confidence=1.0)
    with pytest.raises(CxpathError, match=r"'trend_window'"):
        SYSTEM.evaluate(d, trend_window=2)
    with pytest.raises(CxpathError, match=r"'freq' parameter .* datetime64"):
        SYSTEM.evaluate(d, period="month", freq="M")
    with pytest.raises(CxpathError, match=r"'period' parameter .* same length"):
        SYSTEM.evaluate(d, period=["a"])
    with pytest.raises(CxpathError, match=r"'flags'|0/1"):
        IndicatorSystem([Indicator("r", "rate", column="aht")]).evaluate(d)
    with pytest.raises(CxpathError, match=r"answered scores"):
        IndicatorSystem([Indicator("n", "nps", column="x")]).evaluate({"x": [np.nan]})
    with pytest.raises(InvalidTypeError):
        SYSTEM.evaluate(None)
    with pytest.raises(CxpathError, match=r"'evaluation' parameter of kpi.alert_digest"):
        alert_digest()
    with pytest.raises(InvalidTypeError, match=r"'charts'"):
        alert_digest(charts={"a": 1})
    ev = SYSTEM.evaluate(d, period="month")
    with pytest.raises(CxpathError, match=r"'period' parameter .* one of the evaluation"):
        alert_digest(ev, period="2030-01")
    with pytest.raises(InvalidTypeError, match=r"'at_risk'"):
        alert_digest(ev, at_risk=[1, 2])


def test_results_are_tables():
    ev = SYSTEM.evaluate(_tickets(n=100), period="month")
    assert isinstance(ev, IndicatorEvaluation) and "Indicator evaluation" in repr(ev)
    assert list(ev.to_frame("dict"))[:4] == ["period", "segment", "indicator", "role"]
    assert isinstance(alert_digest(ev), AlertDigest)


def test_alert_digest_takes_the_monitor_signals_of_its_last_period():
    rng = np.random.default_rng(1)
    m = spc.Monitor.from_baseline({"FCR": rng.normal(10.0, 1.0, 50),
                                   "AHT": rng.normal(10.0, 1.0, 50)})
    step = m.update({"FCR": [10.1, 16.0], "AHT": [15.0, 10.2]})
    dig = alert_digest(monitor=step)
    # only the last period counts: FCR's point beyond the limits, not AHT's earlier one
    assert dig.item.tolist() == ["FCR"] and dig.kind.tolist() == ["signal"]
    assert dig.severity.tolist() == [2.0 * 1.5]
    fdr = spc.Monitor.from_baseline(rng.normal(10.0, 1.0, (50, 40)), fdr=0.05)
    shifted = np.full((1, 40), 10.0)
    shifted[0, 7] = 17.0
    dig = alert_digest(monitor=fdr.update(shifted))
    assert dig.item.size == 1
    assert "FDR" in dig.detail[0]
    with pytest.raises(InvalidTypeError, match=r"'monitor' parameter of kpi.alert_digest"):
        alert_digest(monitor=m)
