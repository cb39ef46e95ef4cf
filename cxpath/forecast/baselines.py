"""Benchmark forecasts: naive, seasonal naive, mean, drift, and the Theta method.

Intervals are the analytic ones of Hyndman & Athanasopoulos, *Forecasting: Principles and
Practice* (3rd ed.), section 5.5, with the residual standard deviation
``sigma^2 = sum(e^2) / (T - K - M)`` (K estimated parameters, M missing residuals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._base import Forecast, check_h, check_levels, check_series, dated, normal_bands, where

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["drift", "mean_forecast", "naive", "seasonal_naive", "theta"]


def _bands(mean, se, levels):
    if levels.size == 0:
        return np.empty((0, mean.shape[0])), np.empty((0, mean.shape[0]))
    return normal_bands(mean, se, levels)


def _sigma(res, k):
    e = res[np.isfinite(res)]
    dof = max(e.shape[0] - k, 1)
    return float(np.sqrt(np.sum(e * e) / dof)) if e.size else 0.0


@dated
def naive(y: ArrayLike, h: int, *, level: float | Sequence[float] = (80, 95),
          series_id: Any = None) -> Forecast:
    """Random-walk forecast: every future value equals the last observation.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series (at least 2 observations).
    h : int
        Forecast horizon.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        ``sigma_h = sigma * sqrt(h)`` with ``sigma`` from the one-step residuals.

    Raises
    ------
    DataError
        Fewer than two observations, NaN or inf in ``y``.

    Examples
    --------
    >>> from cxpath.forecast import naive
    >>> naive([1.0, 3.0, 2.0, 4.0], 2).mean
    array([4., 4.])
    """
    func = "forecast.naive"
    y = check_series(y, func, series_id=series_id, min_size=2)
    h = check_h(h, func)
    levels = check_levels(level, func)
    fitted = np.concatenate([[np.nan], y[:-1]])
    res = y - fitted
    sigma = _sigma(res, 0)
    mean = np.full(h, y[-1])
    lo, hi = _bands(mean, sigma * np.sqrt(np.arange(1, h + 1)), levels)
    return Forecast("Naive", mean, levels, lo, hi, fitted, res, "analytic",
                    {"sigma": sigma}, {}, series_id)


@dated
def seasonal_naive(y: ArrayLike, h: int, m: int | None = None, *,
                   level: float | Sequence[float] = (80, 95),
                   series_id: Any = None) -> Forecast:
    """Each future value equals the last observed value of the same season.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series, at least ``m + 1`` observations.
    h : int
        Forecast horizon.
    m : int, optional
        Season length (e.g. 7 for daily data with a weekly pattern); needed unless the
        series comes with dates, whose frequency then gives it (``D`` → 7).
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        ``sigma_h = sigma * sqrt(floor((h - 1) / m) + 1)``.

    Raises
    ------
    InvalidParameterError
        ``m`` not a positive integer.
    DataError
        Series shorter than ``m + 1``, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import seasonal_naive
    >>> seasonal_naive([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3, 2).mean
    array([5., 6., 5.])
    """
    func = "forecast.seasonal_naive"
    if m is None:
        v.fail("m", where(func, series_id), "a positive integer (the season length), or "
               "dates (a Series with a DatetimeIndex, or dates=) whose frequency gives it",
               None)
    m = v.check_int(m, "m", where(func, series_id), low=1)
    y = check_series(y, func, series_id=series_id, min_size=m + 1)
    h = check_h(h, func)
    levels = check_levels(level, func)
    n = y.shape[0]
    fitted = np.concatenate([np.full(m, np.nan), y[:-m]])
    res = y - fitted
    sigma = _sigma(res, 0)
    steps = np.arange(h)
    mean = y[n - m + steps % m]
    lo, hi = _bands(mean, sigma * np.sqrt(steps // m + 1.0), levels)
    return Forecast("SeasonalNaive", mean, levels, lo, hi, fitted, res, "analytic",
                    {"m": m, "sigma": sigma}, {}, series_id)


@dated
def mean_forecast(y: ArrayLike, h: int, *, level: float | Sequence[float] = (80, 95),
                  series_id: Any = None) -> Forecast:
    """Every future value equals the mean of the history.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series (at least 2 observations).
    h : int
        Forecast horizon.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        ``sigma_h = sigma * sqrt(1 + 1/T)``.

    Raises
    ------
    DataError
        Fewer than two observations, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import mean_forecast
    >>> mean_forecast([1.0, 2.0, 6.0], 2).mean
    array([3., 3.])
    """
    func = "forecast.mean_forecast"
    y = check_series(y, func, series_id=series_id, min_size=2)
    h = check_h(h, func)
    levels = check_levels(level, func)
    n = y.shape[0]
    mu = float(y.mean())
    fitted = np.full(n, mu)
    res = y - fitted
    sigma = _sigma(res, 1)
    mean = np.full(h, mu)
    lo, hi = _bands(mean, np.full(h, sigma * np.sqrt(1.0 + 1.0 / n)), levels)
    return Forecast("Mean", mean, levels, lo, hi, fitted, res, "analytic",
                    {"sigma": sigma}, {}, series_id)


@dated
def drift(y: ArrayLike, h: int, *, level: float | Sequence[float] = (80, 95),
          series_id: Any = None) -> Forecast:
    """Random walk with drift: the line through the first and last observation, extended.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series (at least 3 observations).
    h : int
        Forecast horizon.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        ``sigma_h = sigma * sqrt(h * (1 + h / (T - 1)))``.

    Raises
    ------
    DataError
        Fewer than three observations, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import drift
    >>> drift([1.0, 2.0, 4.0], 2).mean
    array([5.5, 7. ])
    """
    func = "forecast.drift"
    y = check_series(y, func, series_id=series_id, min_size=3)
    h = check_h(h, func)
    levels = check_levels(level, func)
    n = y.shape[0]
    slope = (y[-1] - y[0]) / (n - 1)
    fitted = np.concatenate([[np.nan], y[:-1] + slope])
    res = y - fitted
    sigma = _sigma(res, 1)
    steps = np.arange(1, h + 1, dtype=np.float64)
    mean = y[-1] + slope * steps
    lo, hi = _bands(mean, sigma * np.sqrt(steps * (1.0 + steps / (n - 1))), levels)
    return Forecast("Drift", mean, levels, lo, hi, fitted, res, "analytic",
                    {"slope": float(slope), "sigma": sigma}, {}, series_id)


def _acf(x, nlags):
    x = x - x.mean()
    denom = float(np.dot(x, x))
    if denom == 0:
        return np.zeros(nlags + 1)
    return np.array([1.0] + [float(np.dot(x[k:], x[:-k])) / denom
                             for k in range(1, nlags + 1)])


@dated
def theta(y: ArrayLike, h: int, m: int = 1, *, seasonal_test: bool = True,
          alpha: float | None = None, level: float | Sequence[float] = (80, 95),
          series_id: Any = None) -> Forecast:
    """The Theta method of Assimakopoulos & Nikolopoulos (2000), as SES with drift.

    Follows Hyndman & Billah (2003) and R ``forecast::thetaf``: when ``m > 1`` and the
    lag-``m`` autocorrelation is significant at 90 % (``|r_m| > 1.645 * sqrt((1 + 2
    sum_{k<m} r_k^2) / n)``), the series is seasonally adjusted by a classical
    multiplicative decomposition first. The forecast is the SES forecast plus half the
    OLS slope ``b``: ``f_h = ses + b/2 * (h - 1 + (1 - (1 - alpha)^n) / alpha)``, re-seasonalised.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series (at least 4 observations; strictly positive when seasonally adjusted).
    h : int
        Forecast horizon.
    m : int, optional
        Season length; by default the dates' frequency gives it when there are dates,
        else 1.
    seasonal_test : bool, default True
        Run the seasonality test; False never deseasonalises.
    alpha : float, optional
        Fixed SES smoothing parameter in (0, 1]; estimated by maximum likelihood if None.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        Intervals as in ``thetaf``: ``sigma * sqrt(1 + (h - 1) alpha^2)`` (analytic).

    Raises
    ------
    InvalidParameterError
        ``m`` not a positive integer, ``alpha`` out of range.
    DataError
        Too short, NaN or inf.

    References
    ----------
    Hyndman, R. J., & Billah, B. (2003). Unmasking the Theta method. *International
    Journal of Forecasting*, 19(2), 287-290.

    Examples
    --------
    >>> from cxpath.forecast import theta
    >>> f = theta([10.0, 12.0, 11.0, 13.0, 12.0, 14.0, 13.0, 15.0], 3)
    >>> f.mean.shape
    (3,)
    """
    from .._kernels import forecast as _k
    from .ets import _fit_ets

    func = "forecast.theta"
    name = where(func, series_id)
    m = v.check_int(m, "m", name, low=1)
    v.check_bool(seasonal_test, "seasonal_test", name)
    if alpha is not None:
        alpha = v.check_real(alpha, "alpha", name, low=0.0, high=1.0, closed="right")
    y = check_series(y, func, series_id=series_id, min_size=4)
    h = check_h(h, func)
    levels = check_levels(level, func)
    n = y.shape[0]
    if np.all(y == y[0]):  # a constant series: the forecast is the constant, exactly
        mean = np.full(h, y[0])
        lo, hi = _bands(mean, np.zeros(h), levels)
        return Forecast("Theta", mean, levels, lo, hi, y.copy(), np.zeros(n), "analytic",
                        {"alpha": 1.0, "slope": 0.0, "seasonal": False}, {"sigma2": 0.0},
                        series_id)
    seasonal = False
    if seasonal_test and m > 1 and n > 2 * m and not np.all(y == y[0]):
        r = _acf(y, m)[1:]
        stat = np.sqrt((1.0 + 2.0 * np.sum(r[:-1] ** 2)) / n)
        seasonal = bool(abs(r[m - 1]) / stat > 1.6448536269514722)
        if seasonal and (y <= 0).any():
            seasonal = False
    x = y
    if seasonal:
        seas = _k.classical_seasonal(y, m, 2)
        x = y / seas
    fit = _fit_ets(x, 1, 1, 0, 0, False, (alpha, None, None, None), None, name)
    a = max(1e-10, fit["alpha"])
    steps = np.arange(h, dtype=np.float64)
    tt = np.arange(n, dtype=np.float64)
    slope = float(np.polyfit(tt, x, 1)[0]) if n > 1 else 0.0
    mean = fit["point"](h) + slope / 2.0 * (steps + (1.0 - (1.0 - a) ** n) / a)
    fitted = x - fit["e"]
    if seasonal:
        tail = seas[n - m + (np.arange(h) % m)]
        mean = mean * tail
        fitted = fitted * seas
    res = y - fitted
    se = np.sqrt(fit["sigma2"]) * np.sqrt(steps * a * a + 1.0)
    lo, hi = _bands(mean, se, levels)
    return Forecast("Theta", mean, levels, lo, hi, fitted, res, "analytic",
                    {"alpha": float(a), "slope": slope, "seasonal": seasonal},
                    {"sigma2": float(fit["sigma2"])}, series_id)
