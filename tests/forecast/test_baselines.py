"""Baselines: FPP3 formulas, statsforecast point forecasts, Theta vs R thetaf's definition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import drift, mean_forecast, naive, seasonal_naive, theta

Y = np.array([12.0, 15.0, 14.0, 18.0, 17.0, 21.0, 19.0, 23.0, 22.0, 26.0, 24.0, 27.0])


def test_naive_matches_fpp3_and_statsforecast():
    f = naive(Y, 3, level=[80, 95])
    res = np.diff(Y)
    sigma = np.sqrt(np.mean(res ** 2))  # FPP3 5.5: K = 0, one missing residual
    assert f.mean.tolist() == [27.0] * 3
    assert f.upper[1] == pytest.approx(27 + norm.ppf(0.975) * sigma * np.sqrt([1, 2, 3]))
    sf = pytest.importorskip("statsforecast.models")
    assert np.allclose(f.mean, sf.Naive().forecast(Y, h=3)["mean"], atol=1e-12)


def test_seasonal_naive_matches_fpp3_and_statsforecast():
    f = seasonal_naive(Y, 5, 4, level=90)
    assert f.mean.tolist() == [22.0, 26.0, 24.0, 27.0, 22.0]
    res = Y[4:] - Y[:-4]
    sigma = np.sqrt(np.mean(res ** 2))
    # FPP3 table 5.2: sigma_h = sigma sqrt(k + 1), k = floor((h - 1) / m)
    want = norm.ppf(0.95) * sigma * np.sqrt([1, 1, 1, 1, 2])
    assert f.upper[0] - f.mean == pytest.approx(want)
    sf = pytest.importorskip("statsforecast.models")
    assert np.allclose(f.mean, sf.SeasonalNaive(season_length=4).forecast(Y, h=5)["mean"])


def test_mean_and_drift_match_fpp3_and_statsforecast():
    f = mean_forecast(Y, 2, level=95)
    sigma = np.std(Y, ddof=1)
    assert f.upper[0] - f.mean == pytest.approx(norm.ppf(0.975) * sigma * np.sqrt(1 + 1 / 12))
    d = drift(Y, 4, level=95)
    slope = (Y[-1] - Y[0]) / 11
    assert d.mean == pytest.approx(Y[-1] + slope * np.arange(1, 5))
    res = np.diff(Y) - slope
    sd = np.sqrt(np.sum(res ** 2) / (11 - 1))  # FPP3: K = 1 estimated slope
    hh = np.arange(1, 5)
    assert d.upper[0] - d.mean == pytest.approx(norm.ppf(0.975) * sd * np.sqrt(
        hh * (1 + hh / 11)))
    sf = pytest.importorskip("statsforecast.models")
    assert np.allclose(f.mean, sf.HistoricAverage().forecast(Y, h=2)["mean"])
    assert np.allclose(d.mean, sf.RandomWalkWithDrift().forecast(Y, h=4)["mean"])


def test_theta_follows_hyndman_billah_formula():
    from cxpath.forecast import ses

    rng = np.random.default_rng(4)
    y = 50 + 0.8 * np.arange(40) + rng.normal(0, 2, 40)
    f = theta(y, 6, level=95)
    s = ses(y, 6, level=None)
    a = s.params["alpha"]
    b = np.polyfit(np.arange(40), y, 1)[0]
    # Hyndman & Billah (2003) / R thetaf: ses + b/2 (h - 1 + (1 - (1 - a)^n) / a)
    want = s.mean + b / 2 * (np.arange(6) + (1 - (1 - a) ** 40) / a)
    assert f.mean == pytest.approx(want, rel=1e-10)
    se = np.sqrt(s.info["sigma2"]) * np.sqrt(np.arange(6) * a * a + 1)
    assert f.upper[0] - f.mean == pytest.approx(norm.ppf(0.975) * se)


def test_theta_close_to_statsmodels_theta_model():
    tm = pytest.importorskip("statsmodels.tsa.forecasting.theta")
    rng = np.random.default_rng(5)
    y = 100 + 0.5 * np.arange(60) + rng.normal(0, 3, 60)
    ours = theta(y, 8, level=None).mean
    theirs = np.asarray(tm.ThetaModel(y, deseasonalize=False).fit().forecast(8))
    # statsmodels estimates the SES differently (not MLE of ETS(A,N,N)): close, not equal
    assert np.max(np.abs(ours - theirs) / theirs) < 0.02


def test_theta_deseasonalises_seasonal_series():
    t = np.arange(48)
    y = (100 + t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
    f = theta(y, 12, 12)
    assert f.params["seasonal"] is True
    assert np.corrcoef(f.mean, y[-12:])[0, 1] > 0.9


@settings(max_examples=50, deadline=None)
@given(y=st.lists(st.floats(-1e3, 1e3), min_size=6, max_size=40), h=st.integers(1, 10))
def test_baselines_finite_right_length_nested(y, h):
    for f in (naive(y, h), seasonal_naive(y, h, 3), mean_forecast(y, h), drift(y, h),
              theta(y, h)):
        assert f.mean.shape == (h,) and np.all(np.isfinite(f.mean))
        assert np.all(f.lower[1] <= f.lower[0] + 1e-9) and np.all(f.upper[0] <= f.upper[1] + 1e-9)
        assert np.all(f.lower[0] <= f.mean + 1e-9) and np.all(f.mean <= f.upper[0] + 1e-9)


def test_constant_and_zero_series():
    for y in (np.full(10, 5.0), np.zeros(10)):
        for f in (naive(y, 3), seasonal_naive(y, 3, 2), mean_forecast(y, 3), drift(y, 3),
                  theta(y, 3, 2)):
            assert np.all(np.isfinite(f.lower)) and np.all(f.mean == y[0])


def test_to_frame_columns():
    cols = naive(Y, 2).to_frame("dict")
    assert list(cols) == ["step", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]


def test_bad_inputs():
    with pytest.raises(DataError, match=r"at least 2 observations"):
        naive([1.0], 2)
    with pytest.raises(DataError, match=r"free of NaN"):
        mean_forecast([1.0, np.nan, 2.0], 2)
    with pytest.raises(InvalidParameterError, match=r"'m' parameter of forecast.seasonal_naive"):
        seasonal_naive(Y, 2, 0)
    with pytest.raises(DataError, match=r"series 'A7'"):
        seasonal_naive([1.0, 2.0], 2, 4, series_id="A7")
    with pytest.raises(InvalidParameterError, match=r"'h' parameter"):
        drift(Y, 0)
    with pytest.raises(InvalidParameterError, match=r"'level' parameter"):
        naive(Y, 2, level=120)
    with pytest.raises(InvalidParameterError, match=r"'alpha' parameter of forecast.theta"):
        theta(Y, 2, alpha=1.5)
