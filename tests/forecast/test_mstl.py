"""MSTL decomposition and forecast (#20 point 1): parity with statsmodels' STL/MSTL, planted
seasonal components, calendar effects, dates, bad input and a property."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast import Forecast, MSTLDecomposition, mstl_decompose, mstl_forecast

PARITY = 1e-9  # statsmodels' Cython STL and our numba port agree to ~1e-12 (measured)


def _planted(n=840, noise=0.0, seed=0):
    t = np.arange(n)
    trend = 100.0 + 0.05 * t
    s12 = 5.0 * np.sin(2 * np.pi * t / 12)
    s84 = 3.0 * np.cos(2 * np.pi * t / 84)  # zero mean on every 12-step phase
    rng = np.random.default_rng(seed)
    return trend + s12 + s84 + rng.normal(0, noise, n), trend, s12, s84


# --------------------------------------------------------------------------- statsmodels


@pytest.mark.parametrize("kw", [
    {},
    {"robust": True},
    {"seasonal_deg": 0},
    {"robust": True, "seasonal": 13, "trend_deg": 0, "low_pass_deg": 0},
])
def test_stl_matches_statsmodels(kw):
    sm = pytest.importorskip("statsmodels.tsa.seasonal")
    rng = np.random.default_rng(3)
    n = 240
    y = 10 + 3 * np.sin(np.arange(n) * 2 * np.pi / 12) + rng.normal(size=n) + 0.05 * np.arange(n)
    y[50] += 25.0  # an outlier for the robust runs
    seasonal = kw.pop("seasonal", 7)
    ref = sm.STL(y, period=12, seasonal=seasonal, **kw).fit()
    d = mstl_decompose(y, 12, windows=seasonal, robust=kw.get("robust", False),
                       seasonal_deg=kw.get("seasonal_deg", 1),
                       trend_deg=kw.get("trend_deg", 1), low_pass_deg=kw.get("low_pass_deg", 1))
    np.testing.assert_allclose(d.seasonal[0], ref.seasonal, atol=PARITY, rtol=0)
    np.testing.assert_allclose(d.trend, ref.trend, atol=PARITY, rtol=0)
    np.testing.assert_allclose(d.weights, ref.weights, atol=PARITY, rtol=0)
    np.testing.assert_allclose(d.remainder, ref.resid, atol=PARITY, rtol=0)


@pytest.mark.parametrize("robust", [False, True])
def test_mstl_matches_statsmodels(robust):
    sm = pytest.importorskip("statsmodels.tsa.seasonal")
    y, *_ = _planted(noise=1.0, seed=4)
    ref = sm.MSTL(y, periods=(12, 84), iterate=2,
                  stl_kwargs={"seasonal_deg": 0, "robust": robust}).fit()
    d = mstl_decompose(y, [84, 12], robust=robust)  # order does not matter: sorted
    assert d.periods.tolist() == [12, 84] and d.windows.tolist() == [11, 15]  # 7 + 4i
    np.testing.assert_allclose(d.seasonal.T, ref.seasonal, atol=PARITY, rtol=0)
    np.testing.assert_allclose(d.trend, ref.trend, atol=PARITY, rtol=0)
    np.testing.assert_allclose(d.remainder, ref.resid, atol=PARITY, rtol=0)


def test_forecast_matches_statsforecast_mstl():
    sf = pytest.importorskip("statsforecast.models")
    y, *_ = _planted(noise=1.0, seed=5)
    ref = sf.MSTL(season_length=[12, 84]).forecast(y=y, h=30, level=[80, 95])
    f = mstl_forecast(y, 30, [12, 84], intervals="model")
    # same decomposition and seasonal naive; the trend models are both AutoETS without
    # season, so the point forecasts agree to the optimisers' tolerance
    np.testing.assert_allclose(f.mean, ref["mean"], atol=1e-3 * np.std(y))


# --------------------------------------------------------------------------- planted


def test_planted_two_seasons_recovered():
    y, trend, s12, s84 = _planted(noise=0.0)
    d = mstl_decompose(y, [12, 84])
    assert isinstance(d, MSTLDecomposition)
    inner = slice(84, -84)  # loess end effects aside
    # planted truth: amplitude 5 and 3 sinusoids, a linear trend
    assert np.max(np.abs(d.seasonal[0] - s12)[inner]) < 0.05
    assert np.max(np.abs(d.seasonal[1] - s84)[inner]) < 0.05
    assert np.max(np.abs(d.trend - trend)[inner]) < 0.05
    np.testing.assert_allclose(d.trend + d.seasonal.sum(axis=0) + d.remainder, y, atol=1e-9)


def test_planted_forecast_continues_both_cycles():
    y, *_ = _planted(n=924, noise=0.5, seed=1)
    full, *_ = _planted(n=924 + 84, noise=0.0)
    f = mstl_forecast(y, 84, [12, 84])
    assert isinstance(f, Forecast) and f.model.startswith("MSTL(12,84)+ETS(")
    # the noise-free continuation (sd 0.5 noise): within 1 unit everywhere
    assert np.max(np.abs(f.mean - full[924:])) < 1.0
    lo95, hi95 = f.band(95)
    lo80, hi80 = f.band(80)
    assert np.all(lo95 <= lo80) and np.all(hi80 <= hi95) and np.all(lo80 <= f.mean)


def test_robust_downweights_outlier():
    y, *_ = _planted(noise=0.2, seed=2)
    y[400] += 60.0
    d = mstl_decompose(y, [12, 84], robust=True)
    assert d.weights[400] == 0.0  # bisquare weight of a residual beyond 6 MAD
    assert np.median(d.weights) > 0.8


def test_non_integer_period_rounded_and_noted():
    y, *_ = _planted(noise=0.1)
    f = mstl_forecast(y, 10, [12, 84.4])
    assert f.info["periods"].tolist() == [12, 84]
    assert f.info["note"] == "season lengths rounded to whole observations: 84.4 -> 84"


def test_period_too_long_dropped_with_warning():
    y, *_ = _planted(n=300, noise=0.1)
    with pytest.warns(CxpathWarning, match=r"season length\(s\) 168 dropped"):
        d = mstl_decompose(y, [12, 168])
    assert d.periods.tolist() == [12]


def test_table_columns():
    y, *_ = _planted(n=200)
    d = mstl_decompose(y, [12, 84])
    cols = list(d.to_frame("dict"))
    assert cols == ["t", "observed", "trend", "seasonal_12", "seasonal_84", "remainder",
                    "weight"]


# --------------------------------------------------------------------------- intervals


def _hetero(seed, n=1680, h=168):
    rng = np.random.default_rng(seed)
    t = np.arange(n + h)
    # heteroscedastic noise: sd 1 at the quiet phase, sd 4 at the busy phase of the day
    sd = 2.5 + 1.5 * np.sin(2 * np.pi * t / 24)
    y = 50 + 10 * np.sin(2 * np.pi * t / 24) + 4 * np.sin(2 * np.pi * t / 168) \
        + rng.normal(0, 1, t.size) * sd
    return y[:n], y[n:], sd[n:]


def _covered(f, actual, level):
    lo, hi = f.band(level)
    return float(np.mean((actual >= lo) & (actual <= hi)))


def test_empirical_intervals_cover_planted_noise():
    emp, mod = [], []
    for seed in range(8):
        train, test, _ = _hetero(seed)
        f = mstl_forecast(train, test.size, [24, 168])
        g = mstl_forecast(train, test.size, [24, 168], intervals="model")
        emp.append([_covered(f, test, 80), _covered(f, test, 95)])
        mod.append([_covered(g, test, 80), _covered(g, test, 95)])
    emp, mod = np.mean(emp, axis=0), np.mean(mod, axis=0)
    # 8 x 168 draws (correlated within a series); measured 0.79 / 0.94 over 20 seeds
    assert abs(emp[0] - 0.80) < 0.04 and abs(emp[1] - 0.95) < 0.03
    # the trend model's bands ignore the seasonal components' error: measured 0.72 / 0.85
    assert mod[0] < emp[0] - 0.03 and mod[1] < emp[1] - 0.03
    assert f.interval_method == "empirical" and f.info["n_origins"] == 5


def test_empirical_bands_follow_the_noise():
    train, test, sd = _hetero(11)
    f = mstl_forecast(train, test.size, [24, 168])
    width = f.band(80)[1] - f.band(80)[0]
    busy, quiet = np.argmax(sd[:24]), np.argmin(sd[:24])
    assert width[busy] > 2 * width[quiet]  # planted sd 4 vs 1


def test_empirical_short_history_extrapolates_with_note():
    train, _, _ = _hetero(0, n=400)
    f = mstl_forecast(train, 300, [24])
    assert f.interval_method == "empirical"
    assert f.info["note"].startswith("rolling-origin errors reach step ")
    g = mstl_forecast(train[:60], 10, [24])
    assert g.interval_method != "empirical"
    assert "too little history for rolling-origin intervals" in g.info["note"]


def test_model_intervals_are_trend_model_shifted():
    y, *_ = _planted(noise=1.0, seed=6)
    f = mstl_forecast(y, 12, [12, 84], intervals="model")
    tf = f.info["trend_forecast"]
    season = f.mean - tf.mean
    np.testing.assert_allclose(f.band(95)[0], tf.band(95)[0] + season)
    assert f.interval_method == tf.interval_method


# --------------------------------------------------------------------------- dates, calendar


def test_dates_give_default_periods_and_ds():
    pd = pytest.importorskip("pandas")
    idx = pd.date_range("2024-01-01", periods=48 * 21, freq="30min")
    t = np.arange(idx.size)
    y = pd.Series(20 + 5 * np.sin(2 * np.pi * t / 48) + 2 * np.sin(2 * np.pi * t / 336)
                  + np.random.default_rng(0).normal(0, 0.3, t.size), index=idx)
    f = mstl_forecast(y, 4, level=95)
    assert f.info["periods"].tolist() == [48, 336]  # one day, one week of half-hours
    assert f.freq == "30min"
    assert list(f.ds.astype(str)) == ["2024-01-22T00:00:00.000000000",
                                      "2024-01-22T00:30:00.000000000",
                                      "2024-01-22T01:00:00.000000000",
                                      "2024-01-22T01:30:00.000000000"]
    assert list(f.to_frame("dict"))[:3] == ["step", "ds", "mean"]


def _daily_with_holidays(effect=0.3):
    pd = pytest.importorskip("pandas")
    idx = pd.date_range("2021-01-04", "2023-12-20", freq="D")
    t = np.arange(idx.size)
    base = 200 + 40 * (idx.dayofweek < 5) + 0.02 * t
    rng = np.random.default_rng(7)
    y = base * (1 + rng.normal(0, 0.02, t.size))
    hol = pd.to_datetime(["2021-12-25", "2022-12-25", "2021-07-04", "2022-07-04",
                          "2023-07-04", "2021-11-25", "2022-11-24", "2023-11-23"])
    on = idx.isin(hol)
    y[on] *= effect
    return pd, idx, y, hol


def test_holiday_dates_effect_estimated_and_applied():
    pd, idx, y, hol = _daily_with_holidays(0.3)
    series = pd.Series(y, index=idx)
    future_hol = [*hol, pd.Timestamp("2023-12-25")]
    f = mstl_forecast(series, 14, [7], holidays=future_hol)
    # planted: holiday volume is 30 % of a normal day
    assert f.info["calendar_effects"]["holiday"] == pytest.approx(0.3, abs=0.03)
    xmas = int(np.flatnonzero(f.ds == np.datetime64("2023-12-25"))[0])
    plain = f.mean[xmas - 7]  # the same weekday a week before
    assert f.mean[xmas] == pytest.approx(0.3 * plain, rel=0.05)
    # the adjustment kept the holidays out of the weekly component
    assert np.max(np.abs(f.info["decomposition"].remainder[idx.isin(hol)])) < 30


def test_holiday_country_code_and_named_event():
    pytest.importorskip("holidays")
    pd, idx, y, _ = _daily_with_holidays(0.3)
    ev = pd.to_datetime(["2022-03-01", "2023-03-01", "2023-12-22"])
    y = y.copy()
    y[idx.isin(ev)] *= 1.5
    f = mstl_forecast(pd.Series(y, index=idx), 7, [7], holidays="US",
                      events={"launch": list(ev)})
    eff = f.info["calendar_effects"]
    assert set(eff) == {"holiday", "launch"}
    assert eff["launch"] == pytest.approx(1.5, abs=0.1)  # planted ratio 1.5
    # US holidays include days we did not plant (e.g. New Year): the shared effect lies
    # between 0.3 and 1
    assert 0.3 < eff["holiday"] < 1.0


def test_additive_calendar_effect():
    pd, idx, y, hol = _daily_with_holidays(1.0)
    y = y.copy()
    y[idx.isin(hol)] -= 100.0  # planted: 100 fewer contacts on a holiday
    f = mstl_forecast(pd.Series(y, index=idx), 7, [7], holidays=list(hol),
                      calendar_effect="additive")
    assert f.info["calendar_effects"]["holiday"] == pytest.approx(-100.0, abs=10.0)


# --------------------------------------------------------------------------- bad input

_Y, *_ = _planted(n=200)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"periods": None}, InvalidParameterError,
     r"The 'periods' parameter of forecast.mstl_forecast must be season lengths, or dates"),
    ({"periods": "12"}, InvalidTypeError, r"The 'periods' parameter .* must be a season length"),
    ({"periods": [1]}, InvalidParameterError, r"season lengths of at least 2 observations"),
    ({"periods": [np.nan]}, InvalidParameterError, r"season lengths of at least 2"),
    ({"periods": [12], "windows": 8}, InvalidParameterError,
     r"The 'windows' parameter .* must be odd integers of at least 3. Got 8 instead."),
    ({"periods": [12, 24], "windows": [7, 9, 11]}, InvalidParameterError,
     r"one window per season length \(2\)"),
    ({"periods": [12], "trend": "AAA"}, InvalidParameterError, r"The 'trend' parameter"),
    ({"periods": [12], "intervals": "bootstrap"}, InvalidParameterError, r"'intervals'"),
    ({"periods": [12], "level": 0.95}, InvalidParameterError, r"a percentage in \(1, 100\)"),
    ({"periods": [12], "holidays": "US"}, InvalidParameterError,
     r"The 'holidays' parameter .* must be given with dates"),
    ({"periods": [120]}, DataError, r"at least two full cycles of the shortest season "
                                    r"\(240 observations\)"),
    ({"periods": [12], "freq": "D"}, InvalidParameterError, r"The 'freq' parameter"),
])
def test_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        mstl_forecast(_Y, 5, **kwargs)


def test_bad_series_and_horizon():
    y = _Y.copy()
    y[3] = np.nan
    with pytest.raises(DataError, match=r"'y'"):
        mstl_forecast(y, 5, [12])
    with pytest.raises(InvalidParameterError, match=r"The 'h' parameter"):
        mstl_forecast(_Y, 0, [12])
    with pytest.raises(InvalidParameterError, match=r"The 'iterate' parameter"):
        mstl_decompose(_Y, [12], iterate=0)
    with pytest.raises(InvalidParameterError, match=r"The 'seasonal_deg' parameter"):
        mstl_decompose(_Y, [12], seasonal_deg=2)


def test_unknown_country_and_event_without_history():
    pytest.importorskip("holidays")
    pd, idx, y, _ = _daily_with_holidays()
    s = pd.Series(y, index=idx)
    with pytest.raises(InvalidParameterError, match=r"a country code the holidays package"):
        mstl_forecast(s, 7, [7], holidays="XX")
    with pytest.raises(DataError, match=r"no 'promo' date within the history"):
        mstl_forecast(s, 7, [7], events={"promo": ["2030-01-01"]})
    with pytest.raises(InvalidTypeError, match=r"The 'events' parameter"):
        mstl_forecast(s, 7, [7], events=["2022-01-01"])


def test_irregular_dates_refused():
    pd = pytest.importorskip("pandas")
    idx = pd.date_range("2024-01-01", periods=201, freq="h").delete(100)
    with pytest.raises(DataError, match=r"irregular dates"):
        mstl_forecast(pd.Series(_Y, index=idx), 5, [24])


def test_memory_guard(monkeypatch):
    from cxpath.errors import CostError

    monkeypatch.setenv("CXPATH_MAX_MEMORY", "1KiB")
    with pytest.raises(CostError, match=r"MSTL decomposition of 200 observations"):
        mstl_decompose(_Y, [12])


# --------------------------------------------------------------------------- property


@settings(max_examples=25)
@given(st.integers(2, 9), st.integers(0, 3), st.integers(0, 2**32 - 1), st.booleans())
def test_components_sum_to_series(p, extra, seed, robust):
    rng = np.random.default_rng(seed)
    periods = [p, p * (2 + extra)]
    n = 2 * periods[1] + 1 + int(rng.integers(0, 30))
    y = rng.normal(0, 1, n) * 10 ** rng.uniform(-3, 3)
    d = mstl_decompose(y, periods, robust=robust)
    scale = max(1.0, float(np.max(np.abs(y))))
    np.testing.assert_allclose(d.trend + d.seasonal.sum(axis=0) + d.remainder, y,
                               atol=1e-9 * scale)
    assert np.all((d.weights >= 0) & (d.weights <= 1))
