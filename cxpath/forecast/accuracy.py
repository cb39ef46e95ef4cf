"""Forecast accuracy measures: MAE, RMSE, MASE, RMSSE, sMAPE, WAPE, pinball loss, scaled
pinball loss, coverage.

Definitions follow Hyndman & Koehler (2006) and *Forecasting: Principles and Practice*
(3rd ed., section 5.8): MASE scales the MAE by the in-sample MAE of the seasonal naive
forecast with period ``m``; sMAPE is ``mean(200 |y - f| / (|y| + |f|))`` with 0/0 taken as
0; WAPE is ``sum|y - f| / sum|y|``. RMSSE and the scaled pinball loss follow the M5
competitors' guide (Makridakis, Spiliotis & Assimakopoulos, 2022): RMSSE is
``sqrt(mean((y - f)^2) / mean((x_t - x_{t-m})^2))`` over the training series ``x``; the
scaled pinball loss is the pinball loss averaged over the quantiles asked for, divided by
the same in-sample seasonal-naive MAE as MASE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["coverage", "mae", "mase", "pinball", "rmse", "rmsse", "scaled_pinball", "smape",
           "wape"]


def _pair(actual, forecast, func):
    a = v.as_float_array(actual, "actual", func)
    f = v.as_float_array(forecast, "forecast", func)
    v.check_same_length(func, actual=a, forecast=f)
    return a, f


def mae(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Mean absolute error.

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.

    Returns
    -------
    float

    Raises
    ------
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import mae
    >>> mae([1.0, 2.0], [2.0, 4.0])
    1.5
    """
    a, f = _pair(actual, forecast, "forecast.mae")
    return float(np.mean(np.abs(a - f)))


def rmse(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Root mean squared error.

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.

    Returns
    -------
    float

    Raises
    ------
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import rmse
    >>> rmse([0.0, 0.0], [3.0, 4.0]) ** 2
    12.5
    """
    a, f = _pair(actual, forecast, "forecast.rmse")
    return float(np.sqrt(np.mean((a - f) ** 2)))


def mase_scale(insample: np.ndarray, m: int) -> float:
    """In-sample MAE of the seasonal naive forecast (the MASE denominator)."""
    if insample.shape[0] <= m:
        return np.nan
    return float(np.mean(np.abs(insample[m:] - insample[:-m])))


def mase(actual: ArrayLike, forecast: ArrayLike, insample: ArrayLike, m: int = 1) -> float:
    """Mean absolute scaled error (Hyndman & Koehler, 2006).

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.
    insample : array-like of shape (n,)
        The training series, used for the scale.
    m : int, default 1
        Seasonal period of the naive benchmark in the scale.

    Returns
    -------
    float
        ``inf`` when the scale is 0 and the errors are not (a constant history).

    Raises
    ------
    DataError
        Training series not longer than ``m``, NaN, different lengths.

    Examples
    --------
    >>> from cxpath.forecast import mase
    >>> mase([5.0, 6.0], [4.0, 6.0], [1.0, 2.0, 3.0, 4.0])
    0.5
    """
    func = "forecast.mase"
    a, f = _pair(actual, forecast, func)
    m = v.check_int(m, "m", func, low=1)
    x = v.as_float_array(insample, "insample", func)
    if x.shape[0] <= m:
        v.fail("insample", func, f"longer than m ({m})", got=f"length {x.shape[0]}",
               data=True)
    scale = mase_scale(x, m)
    err = float(np.mean(np.abs(a - f)))
    if scale == 0:
        return 0.0 if err == 0 else float("inf")
    return err / scale


def rmsse_scale(insample: np.ndarray, m: int) -> float:
    """In-sample mean squared seasonal difference (the RMSSE denominator, squared)."""
    if insample.shape[0] <= m:
        return np.nan
    return float(np.mean((insample[m:] - insample[:-m]) ** 2))


def _insample(insample, m, func):
    m = v.check_int(m, "m", func, low=1)
    x = v.as_float_array(insample, "insample", func)
    if x.shape[0] <= m:
        v.fail("insample", func, f"longer than m ({m})", got=f"length {x.shape[0]}",
               data=True)
    return x, m


def _ratio(num: float, den: float) -> float:
    """``num / den``, with a zero scale giving 0 (no error) or inf."""
    if den == 0:
        return 0.0 if num == 0 else float("inf")
    return num / den


def rmsse(actual: ArrayLike, forecast: ArrayLike, insample: ArrayLike, m: int = 1) -> float:
    """Root mean squared scaled error, the M5 accuracy measure.

    ``sqrt(mean((y - f)^2) / mean((x_t - x_{t-m})^2))``: the squared errors scaled by the
    in-sample mean squared error of the seasonal naive forecast of the training series
    ``x`` (M5 uses ``m = 1``, the naive forecast).

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.
    insample : array-like of shape (n,)
        The training series, used for the scale.
    m : int, default 1
        Seasonal period of the naive benchmark in the scale.

    Returns
    -------
    float
        ``inf`` when the scale is 0 and the errors are not (a constant history).

    Raises
    ------
    DataError
        Training series not longer than ``m``, NaN, different lengths.

    References
    ----------
    Makridakis, S., Spiliotis, E. & Assimakopoulos, V. (2022). M5 accuracy competition:
    results, findings, and conclusions. *International Journal of Forecasting* 38(4),
    1346-1364 (the competitors' guide, section "Point forecasts").

    Examples
    --------
    >>> from cxpath.forecast import rmsse
    >>> rmsse([5.0, 6.0], [4.0, 6.0], [1.0, 2.0, 3.0, 4.0])
    0.7071067811865476
    """
    func = "forecast.rmsse"
    a, f = _pair(actual, forecast, func)
    x, m = _insample(insample, m, func)
    return float(np.sqrt(_ratio(float(np.mean((a - f) ** 2)), rmsse_scale(x, m))))


def scaled_pinball(actual: ArrayLike, quantile_forecasts: ArrayLike,
                   q: float | Sequence[float], insample: ArrayLike, m: int = 1) -> float:
    """Scaled pinball loss (M5 uncertainty competition), averaged over quantiles.

    For each quantile ``q_j`` the mean pinball loss ``mean(max(q (y - f), (q - 1) (y - f)))``
    of its forecast over the horizon, divided by the in-sample seasonal-naive MAE of the
    training series (the MASE scale); the result is the mean over the quantiles.

    Parameters
    ----------
    actual : array-like of shape (h,)
        Observed values.
    quantile_forecasts : array-like of shape (k, h) or (h,)
        Forecast of each quantile, row ``j`` for ``q[j]``.
    q : float or sequence of float
        The ``k`` quantiles, each in (0, 1).
    insample : array-like of shape (n,)
        The training series, used for the scale.
    m : int, default 1
        Seasonal period of the naive benchmark in the scale.

    Returns
    -------
    float
        ``inf`` when the scale is 0 and the losses are not (a constant history).

    Raises
    ------
    InvalidParameterError
        A quantile outside (0, 1).
    DataError
        Shapes that do not match, training series not longer than ``m``, NaN or inf.

    References
    ----------
    Makridakis, S., Spiliotis, E., Assimakopoulos, V., Chen, Z., Gaba, A., Tsetlin, I. &
    Winkler, R. L. (2022). The M5 uncertainty competition: results, findings and
    conclusions. *International Journal of Forecasting* 38(4), 1365-1385.

    Examples
    --------
    >>> from cxpath.forecast import scaled_pinball
    >>> scaled_pinball([10.0, 10.0], [[8.0, 9.0], [12.0, 11.0]], [0.1, 0.9],
    ...                [1.0, 2.0, 3.0, 4.0])
    0.15
    """
    func = "forecast.scaled_pinball"
    a = v.as_float_array(actual, "actual", func)
    if isinstance(q, (int, float, np.integer, np.floating)) and not isinstance(q, bool):
        q = [q]
    qs = v.as_float_array(q, "q", func)
    if np.any((qs <= 0) | (qs >= 1)):
        v.fail("q", func, "quantiles in (0, 1)",
               got=f"{qs[(qs <= 0) | (qs >= 1)][0]:g}")
    fq = v.array(quantile_forecasts, "quantile_forecasts", func)
    if fq.ndim == 1:
        fq = fq[None, :]
    if fq.shape != (qs.shape[0], a.shape[0]):
        v.fail("quantile_forecasts", func, f"an array of shape ({qs.shape[0]}, "
               f"{a.shape[0]}): one row per quantile, one column per actual",
               got=f"an array of shape {fq.shape}", data=True)
    fq = v.as_float_array(fq, "quantile_forecasts", func, ndim=2)
    x, m = _insample(insample, m, func)
    d = a[None, :] - fq
    loss = float(np.mean(np.maximum(qs[:, None] * d, (qs[:, None] - 1.0) * d)))
    return _ratio(loss, mase_scale(x, m))


def smape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Symmetric MAPE in percent, ``mean(200 |y - f| / (|y| + |f|))``, 0/0 counted as 0.

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.

    Returns
    -------
    float

    Raises
    ------
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import smape
    >>> smape([100.0, 0.0], [110.0, 0.0])
    4.761904761904762
    """
    a, f = _pair(actual, forecast, "forecast.smape")
    den = np.abs(a) + np.abs(f)
    terms = np.divide(200.0 * np.abs(a - f), den, out=np.zeros_like(den), where=den > 0)
    return float(np.mean(terms))


def wape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Weighted absolute percentage error ``sum|y - f| / sum|y|`` (a fraction).

    Parameters
    ----------
    actual, forecast : array-like of shape (h,)
        Observed values and point forecasts.

    Returns
    -------
    float
        ``inf`` when every actual is 0 and some error is not.

    Raises
    ------
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import wape
    >>> wape([10.0, 30.0], [12.0, 26.0])
    0.15
    """
    a, f = _pair(actual, forecast, "forecast.wape")
    den = float(np.sum(np.abs(a)))
    num = float(np.sum(np.abs(a - f)))
    if den == 0:
        return 0.0 if num == 0 else float("inf")
    return num / den


def pinball(actual: ArrayLike, quantile_forecast: ArrayLike, q: float) -> float:
    """Mean pinball (quantile) loss of a forecast of the ``q`` quantile.

    Parameters
    ----------
    actual : array-like of shape (h,)
        Observed values.
    quantile_forecast : array-like of shape (h,)
        Forecast of the ``q`` quantile.
    q : float
        Quantile in (0, 1).

    Returns
    -------
    float
        ``mean(max(q (y - f), (q - 1) (y - f)))``.

    Raises
    ------
    InvalidParameterError
        ``q`` outside (0, 1).
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import pinball
    >>> pinball([10.0], [8.0], 0.9)
    1.8
    """
    func = "forecast.pinball"
    q = v.check_real(q, "q", func, low=0.0, high=1.0, closed="neither")
    a, f = _pair(actual, quantile_forecast, func)
    d = a - f
    return float(np.mean(np.maximum(q * d, (q - 1.0) * d)))


def coverage(actual: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Share of actuals inside ``[lower, upper]``.

    Parameters
    ----------
    actual, lower, upper : array-like of shape (h,)
        Observed values and interval bounds.

    Returns
    -------
    float

    Raises
    ------
    DataError
        Different lengths, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import coverage
    >>> coverage([1.0, 5.0], [0.0, 0.0], [2.0, 2.0])
    0.5
    """
    func = "forecast.coverage"
    a = v.as_float_array(actual, "actual", func)
    lo = v.as_float_array(lower, "lower", func)
    hi = v.as_float_array(upper, "upper", func)
    v.check_same_length(func, actual=a, lower=lo, upper=hi)
    return float(np.mean((a >= lo) & (a <= hi)))
