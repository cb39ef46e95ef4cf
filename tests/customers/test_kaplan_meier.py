"""Kaplan–Meier and Nelson–Aalen: parity with lifelines 0.30 on its bundled data sets, exact
values worked by hand, and properties (hypothesis).

References: lifelines ``KaplanMeierFitter`` / ``NelsonAalenFitter`` (exponential Greenwood
log-log intervals, smoothed and discrete Nelson–Aalen), Klein & Moeschberger (2003) §4.2
for the plain interval ``S ± z √Var``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.customers import kaplan_meier, nelson_aalen
from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError

lifelines = pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
from lifelines import KaplanMeierFitter, NelsonAalenFitter  # noqa: E402
from lifelines.datasets import load_rossi, load_waltons  # noqa: E402
from lifelines.utils import median_survival_times  # noqa: E402

TOL = 1e-6


@pytest.fixture(scope="module")
def waltons():
    return load_waltons()


def _lifelines_km(t, e, **kw):
    return KaplanMeierFitter().fit(t, e, **kw)


@pytest.mark.parametrize("group", ["control", "miR-137", None])
def test_km_survival_and_loglog_interval_match_lifelines_on_waltons(waltons, group):
    df = waltons if group is None else waltons[waltons.group == group]
    km = kaplan_meier("T", "E", data=df)
    ref = _lifelines_km(df["T"], df["E"])
    s = ref.survival_function_.loc[km.time].to_numpy()[:, 0]
    ci = ref.confidence_interval_.loc[km.time].to_numpy()
    np.testing.assert_allclose(km.survival, s, atol=TOL, rtol=0)
    np.testing.assert_allclose(km.lower, ci[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(km.upper, ci[:, 1], atol=TOL, rtol=0)
    assert km.median == ref.median_survival_time_
    med = median_survival_times(ref.confidence_interval_).to_numpy()[0]
    assert (km.median_lower, km.median_upper) == (med[0], med[1])


def test_km_waltons_pinned_median():
    # lifelines: KaplanMeierFitter().fit(T, E).median_survival_time_ == 56.0 and
    # median_survival_times(confidence_interval_) == (53.0, 58.0)
    km = kaplan_meier("T", "E", data=load_waltons())
    assert (km.median, km.median_lower, km.median_upper) == (56.0, 53.0, 58.0)


def test_km_with_weights_matches_lifelines_and_repeated_rows():
    r = load_rossi()
    w = (np.arange(len(r)) % 3 + 1).astype(float)
    km = kaplan_meier(r.week, r.arrest, weights=w)
    ref = _lifelines_km(r.week, r.arrest, weights=w)
    np.testing.assert_allclose(km.survival, ref.survival_function_.loc[km.time].to_numpy()[:, 0],
                               atol=TOL, rtol=0)
    rep = kaplan_meier(np.repeat(r.week, w.astype(int)), np.repeat(r.arrest, w.astype(int)))
    np.testing.assert_allclose(km.survival, rep.survival, atol=1e-12)
    np.testing.assert_allclose(km.variance, rep.variance, atol=1e-12)


@pytest.mark.parametrize("ties", [False, True])
def test_km_on_unrounded_durations_matches_lifelines(ties):
    # fractional durations take the radix-sort life table (waltons and rossi are whole
    # numbers, counted); with ties (tenths of a day) several rows share a time
    rng = np.random.default_rng(8)
    t = rng.exponential(40.0, 3000)
    t = np.round(t, 1) + 0.05 if ties else t
    e = rng.random(t.size) < 0.6
    km = kaplan_meier(t, e)
    ref = _lifelines_km(t, e)
    table = ref.event_table.iloc[1:]  # lifelines' first row is time 0
    np.testing.assert_array_equal(km.time, table.index)
    np.testing.assert_array_equal(km.at_risk, table["at_risk"])
    np.testing.assert_array_equal(km.events, table["observed"])
    np.testing.assert_allclose(km.survival, ref.survival_function_.loc[km.time].to_numpy()[:, 0],
                               atol=TOL, rtol=0)
    ci = ref.confidence_interval_.loc[km.time].to_numpy()
    np.testing.assert_allclose(km.lower, ci[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(km.upper, ci[:, 1], atol=TOL, rtol=0)
    assert km.median == ref.median_survival_time_


def test_km_with_entry_matches_lifelines_left_truncation():
    rng = np.random.default_rng(3)
    t = rng.exponential(10.0, 300) + 2.0
    entry = rng.uniform(0.0, 1.0, 300) * (t - 0.01)  # entry < t, no ties with durations
    e = rng.random(300) < 0.7
    km = kaplan_meier(t, e, entry=entry)
    ref = _lifelines_km(t, e, entry=entry)
    np.testing.assert_allclose(km.survival, ref.survival_function_.loc[km.time].to_numpy()[:, 0],
                               atol=TOL, rtol=0)
    ci = ref.confidence_interval_.loc[km.time].to_numpy()
    np.testing.assert_allclose(km.lower, ci[:, 0], atol=TOL, rtol=0)


def test_km_hand_example_and_plain_interval():
    # hand: n = 5, 4, 2 at t = 5, 8, 12; S = 4/5, 4/5 * 3/4, 0.6 * 1/2
    km = kaplan_meier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], ci="plain")
    np.testing.assert_allclose(km.survival, [0.8, 0.6, 0.3, 0.3])
    np.testing.assert_allclose(km.at_risk, [5, 4, 2, 1])
    gw = np.cumsum([1 / (5 * 4), 1 / (4 * 3), 1 / (2 * 1), 0.0])
    np.testing.assert_allclose(km.variance, km.survival ** 2 * gw)
    z = 1.959963984540054
    np.testing.assert_allclose(km.lower, np.clip(km.survival - z * np.sqrt(km.variance), 0, 1))
    np.testing.assert_allclose(km.upper, np.clip(km.survival + z * np.sqrt(km.variance), 0, 1))


def test_km_at_times_is_the_right_continuous_step():
    km = kaplan_meier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0])
    at = km.at([0, 4.9, 5, 7.9, 8, 30])
    np.testing.assert_allclose(at.survival, [1, 1, 0.8, 0.8, 0.6, 0.3])
    np.testing.assert_allclose(at.lower[2:], km.lower[[0, 0, 1, 3]])
    np.testing.assert_allclose(at.at_risk, [5, 5, 5, 4, 4, 0])


@pytest.mark.parametrize("smooth", [True, False])
def test_nelson_aalen_matches_lifelines_on_waltons(waltons, smooth):
    na = nelson_aalen("T", "E", data=waltons, ties="smooth" if smooth else "discrete")
    ref = NelsonAalenFitter(nelson_aalen_smoothing=smooth).fit(waltons["T"], waltons["E"])
    h = ref.cumulative_hazard_.loc[na.time].to_numpy()[:, 0]
    ci = ref.confidence_interval_.loc[na.time].to_numpy()
    np.testing.assert_allclose(na.cumulative_hazard, h, atol=TOL, rtol=0)
    np.testing.assert_allclose(na.lower, ci[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(na.upper, ci[:, 1], atol=TOL, rtol=0)
    # the variance behind the interval: lifelines keeps it as _cumulative_sq
    var = ref._cumulative_sq.loc[na.time].to_numpy()
    np.testing.assert_allclose(na.variance, var, atol=1e-10, rtol=0)


def test_nelson_aalen_hand_values():
    # discrete: 1/5, + 1/4, + 1/2; variance d (n - d) / n^3
    na = nelson_aalen([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], ties="discrete")
    np.testing.assert_allclose(na.cumulative_hazard, [0.2, 0.45, 0.95, 0.95])
    np.testing.assert_allclose(na.variance, np.cumsum([4 / 125, 3 / 64, 1 / 8, 0]))
    # smooth with two tied events among 4: 1/4 + 1/3
    sm = nelson_aalen([1, 1, 2, 3], [1, 1, 1, 0])
    np.testing.assert_allclose(sm.cumulative_hazard[0], 1 / 4 + 1 / 3)
    np.testing.assert_allclose(sm.variance[0], 1 / 16 + 1 / 9)


times = st.lists(st.integers(0, 30), min_size=1, max_size=40)


@settings(max_examples=40)
@given(times)
def test_km_without_censoring_is_the_empirical_survival_function(t):
    km = kaplan_meier(t)
    arr = np.asarray(t, dtype=float)
    expected = [(arr > x).mean() for x in km.time]
    np.testing.assert_allclose(km.survival, expected, atol=1e-12)


@settings(max_examples=40)
@given(times, st.data())
def test_km_is_exp_of_minus_discrete_hazard_without_ties(t, data):
    t = sorted(set(t))
    e = data.draw(st.lists(st.booleans(), min_size=len(t), max_size=len(t)))
    km = kaplan_meier(t, e)
    na = nelson_aalen(t, e, ties="discrete")
    # without ties each factor is 1 - h, h = d/n
    steps = 1 - np.diff(np.concatenate([[0.0], na.cumulative_hazard]))
    np.testing.assert_allclose(km.survival, np.cumprod(steps), atol=1e-12)


@pytest.mark.parametrize("func", [kaplan_meier, nelson_aalen])
def test_bad_inputs_are_shaped_errors(func):
    name = func.__name__
    with pytest.raises(DataError, match=rf"'durations' parameter of customers\.{name} must "
                       r"be in \[0, inf\]\. Got -1\.0 at position 1"):
        func([3, -1, 2], [1, 0, 1])
    with pytest.raises(DataError, match=r"'event' parameter .* must be event flags \(0/1 or "
                       r"True/False\)\. Got 2\.0 at position 2"):
        func([3, 1, 2], [1, 0, 2])
    with pytest.raises(DataError, match=r"'entry' parameter .* must be before the duration "
                       r"of its row \(entry < exit\)\. Got entry 4 and duration 3 at position 0"):
        func([3, 1, 2], [1, 0, 1], entry=[4, 0, 0])
    with pytest.raises(DataError, match=r"'weights' parameter .* must be in \(0, inf\]"):
        func([3, 1, 2], weights=[1, 0, 1])
    with pytest.raises(DataError, match=r"'event' parameter .* same length as 'durations'"):
        func([3, 1, 2], [1, 0])
    with pytest.raises(DataError, match=r"free of NaN"):
        func([3, math.nan, 2])
    with pytest.raises(InvalidParameterError, match=r"'level' parameter"):
        func([3, 1, 2], level=1.5)
    with pytest.raises(InvalidParameterError, match=r"must be a column of 'data'.*'tt'"):
        func("tt", data={"t": [1, 2]})
    with pytest.raises(InvalidTypeError):
        func(3)


def test_option_errors():
    with pytest.raises(InvalidParameterError, match=r"'ci' parameter of customers\."
                       r"kaplan_meier must be one of 'log-log', 'plain'"):
        kaplan_meier([1, 2], ci="log")
    with pytest.raises(InvalidParameterError, match=r"'ties' parameter of customers\."
                       r"nelson_aalen must be one of 'smooth', 'discrete'"):
        nelson_aalen([1, 2], ties="efron")
    with pytest.raises(DataError, match=r"'times' parameter of KaplanMeier\.at must be in "
                       r"\[0, inf\]"):
        kaplan_meier([1, 2]).at([-1])
