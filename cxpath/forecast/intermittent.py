"""Intermittent demand: Croston (classic, SBA, optimised), TSB, ADIDA and IMAPA.

Spare-part demand is mostly zero. These methods forecast a flat demand rate; their
updates and alpha searches are numba kernels, written to give the same numbers as
statsforecast 2.x (``CrostonClassic``, ``CrostonSBA``, ``CrostonOptimized``, ``TSB``,
``ADIDA``, ``IMAPA``). No closed-form intervals exist for them, so intervals are
*empirical*: quantiles of the errors of the method's own forecasts from every earlier
origin of the series at each horizon (a rolling-origin backtest on the history), added to
the point forecast and clipped at zero.

Cold start (#19): the intervals need the method's forecast from every prefix of the
series. Croston and TSB get them in one pass (``smoothing_prefix``), run interpreted for
series of at most :data:`SMALL_PREFIX_PERIODS` periods until the kernel is compiled in this
process (by a longer series), compiled otherwise. Optimised Croston, ADIDA and IMAPA on
series of at most :data:`SMALL_ROLLING_PERIODS` periods (ADIDA and IMAPA aggregating over at
most :data:`SMALL_ROLLING_LEVEL` periods) get them from numpy around the one compiled step
that is real work, the golden-section search of each SES alpha (``golden_ses``), instead of
compiling the whole ``intermittent_rolling`` kernel (~5 s of CPU in a fresh process); longer
series run that kernel. Both ways give the kernel's numbers bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from ._base import Forecast, check_h, check_levels, check_series, check_unit, dated, kernels, where

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["adida", "croston", "imapa", "tsb"]

_MAX_ORIGINS = 400
#: Croston and TSB prefix forecasts of series up to this many periods run interpreted
#: (~0.25 ms for 100 periods, against ~1.5 s to compile the kernel in a fresh process) while
#: the kernel is neither compiled nor cached (:func:`~cxpath._kernels._jit.by_work`).
SMALL_PREFIX_PERIODS = 2_000
#: Optimised Croston, ADIDA and IMAPA: series up to this many periods take the numpy path
#: (:func:`_rolling`), ADIDA and IMAPA when they aggregate over at most
#: ``SMALL_ROLLING_LEVEL`` periods.
SMALL_ROLLING_PERIODS = 2_000
SMALL_ROLLING_LEVEL = 16


def _smoothing_prefix(y, method, p1, p2):
    """The ``smoothing_prefix`` kernel, interpreted for short series while compiling it
    costs more (the same operations in the same order, so the same numbers)."""
    from .._kernels._jit import by_work

    return by_work(kernels().smoothing_prefix, y.shape[0], SMALL_PREFIX_PERIODS)(
        y, method, p1, p2)


def _ses_optimized_prefixes(x, lengths, lower, upper):
    """``ses_optimized(x[:k], lower, upper)[0]`` for each ``k`` of the ascending ``lengths``.

    The alphas come from the ``golden_ses`` kernel; the SES forecasts of all prefixes are
    one pass over ``x``, vectorised over the prefixes, with the kernel's arithmetic.
    """
    golden = kernels().golden_ses
    alpha = np.array([golden(x[:k], lower, upper) for k in lengths.tolist()])
    keep = 1.0 - alpha
    last = int(lengths[-1])
    level = np.empty((last + 1, alpha.shape[0]))  # level[i]: SES after x[:i], every alpha
    level[0] = x[0]
    step = np.multiply.outer(x[:last], alpha)
    for i in range(1, last + 1):
        np.multiply(keep, level[i - 1], out=level[i])
        level[i] += step[i - 1]
    fc = level[lengths, np.arange(alpha.shape[0])]
    fc[lengths == 1] = x[0]  # one value: SES forecasts it
    return fc


def _rolling(y, method, p1, p2, start):
    """The ``intermittent_rolling`` kernel's forecasts from ``y[:t]``, ``t = start..n``, for
    optimised Croston (``method=1``, alphas in ``[p1, p2]``), ADIDA (3) and IMAPA (4).

    Size rule: numpy when ``n <= SMALL_ROLLING_PERIODS`` and, for ADIDA and IMAPA, no prefix
    aggregates over more than :data:`SMALL_ROLLING_LEVEL` periods (the rounded mean interval
    between demands); the kernel otherwise. In numpy every prefix's SES series is a prefix
    of a few series of the whole history: the non-zero sizes and intervals (Croston), or the
    sums of ``level``-period blocks (one series per level and remainder of ``t`` mod level).
    """
    n = y.shape[0]
    ts = np.arange(start, n + 1)
    demand = y != 0.0
    count = np.concatenate([[0], np.cumsum(demand)])[ts]  # demands in y[:t]
    has = count > 0
    # the mean interval of y[:t] is (position of its last demand + 1) / demands, exactly
    last = np.concatenate([[0], np.maximum.accumulate(np.where(demand, np.arange(1, n + 1),
                                                               0))])[ts]
    top = np.ones(ts.shape[0], dtype=np.int64)
    top[has] = np.maximum(np.rint(last[has] / count[has]), 1).astype(np.int64)
    if n > SMALL_ROLLING_PERIODS or (method != 1 and top.max() > SMALL_ROLLING_LEVEL):
        return kernels().intermittent_rolling(y, method, p1, p2, start)
    out = np.zeros(ts.shape[0])  # no demand yet: 0
    if not has.any():
        return out
    if method == 1:
        pos = np.flatnonzero(demand)
        gaps = np.diff(pos, prepend=-1).astype(np.float64)
        lengths = np.unique(count[has])
        at = np.searchsorted(lengths, count[has])
        zd = _ses_optimized_prefixes(y[pos], lengths, p1, p2)[at]
        zi = _ses_optimized_prefixes(gaps, lengths, p1, p2)[at]
        out[has] = np.where(zi != 0.0, zd / np.where(zi != 0.0, zi, 1.0), zd)
        return out
    for level in range(1, int(top.max()) + 1):
        use = has & ((top == level) if method == 3 else (top >= level))
        if not use.any():
            continue
        sums = np.zeros(n - level + 1)
        for j in range(level):  # every window's sum, added in the kernel's order
            sums += y[j:n - level + 1 + j]
        fc = np.empty(ts.shape[0])  # SES of the block sums ending at each t
        for r in range(level):
            at = use & (ts % level == r)
            if at.any():
                fc[at] = _ses_optimized_prefixes(np.ascontiguousarray(sums[r::level]),
                                                 ts[at] // level, 0.1, 0.3)
        if method == 3:
            out[use] = fc[use] / level
        else:  # IMAPA: the mean over levels 1..top, summed in level order
            out[use] += fc[use] / level
    if method == 4:
        out[has] /= top[has]
    return out


def _empirical(y, h, levels, method, p1, p2, scale, func):
    """Point forecast, fitted values, and empirical bands from rolling in-sample forecasts."""
    _k = kernels()

    n = y.shape[0]
    k = levels.shape[0]
    if method in (0, 2):  # exponential smoothing: every prefix in one O(n) pass
        pre = _smoothing_prefix(y, method, p1, p2)
        if scale != 1.0:
            pre *= scale
        if k == 0:
            fitted = pre[:-1]
            fitted[0] = np.nan
            none = np.empty((0, h))
            return np.full(h, pre[-1]), fitted, none, none, "none", None
        start = 1
        roll = pre[1:]
    else:
        start = max(1, n - _MAX_ORIGINS)
        roll = _rolling(y, method, p1, p2, start) * scale
    point = roll[-1]
    fitted = np.full(n, np.nan)
    fitted[start:] = roll[:-1]
    mean = np.full(h, point)
    if k == 0:
        return mean, fitted, np.empty((0, h)), np.empty((0, h)), "none", None
    # origin t (forecast from y[:t]) predicts y[t + step - 1]: steps 1..n_steps have errors
    n_steps = max(0, min(h, n - start))
    total = n_steps * (n - start) - n_steps * (n_steps - 1) // 2
    if total > 2**20:
        # the errors per step, their concatenation and np.quantile's working copy
        check_memory(24.0 * total, func, f"{total:,} in-sample errors for the empirical "
                     "intervals", how="Ask for a shorter horizon 'h', level=None (no "
                     "intervals), or raise the cap with the CXPATH_MAX_MEMORY environment "
                     "variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
    per_h = []
    for step in range(1, n_steps + 1):
        ts = np.arange(start, n - step + 1)
        per_h.append(y[ts + step - 1] - roll[ts - start])
    allerr = np.concatenate(per_h) if per_h else np.empty(0)
    probs = np.concatenate([0.5 - levels / 200.0, 0.5 + levels / 200.0])
    note = "empirical"
    reason = None
    if allerr.shape[0] == 0:
        allerr = np.zeros(1)
        reason = (f"too few observations ({n}) for any in-sample error, so the intervals "
                  "have zero width")
    q = np.empty((2 * k, h))
    own = [j for j in range(n_steps) if per_h[j].shape[0] >= 10]
    for j in own:
        q[:, j] = np.quantile(per_h[j], probs)
    if len(own) < h:  # steps with fewer than 10 errors share the pooled quantiles
        note = "empirical (pooled over horizons where a horizon had < 10 errors)"
        rest = np.ones(h, dtype=bool)
        rest[own] = False
        q[:, rest] = np.quantile(allerr, probs)[:, None]
    lo = np.maximum(point + np.minimum(q[:k], 0.0), 0.0)
    hi = np.maximum(point + np.maximum(q[k:], 0.0), 0.0)
    flat = hi <= lo
    if reason is None and flat.any():
        hit = levels[flat.any(axis=1)]
        shown = " and ".join(f"{lev:g} %" for lev in hit)
        verb = "intervals have" if hit.size > 1 else "interval has"
        reason = (f"the {shown} {verb} zero width: the method's in-sample errors have no "
                  "spread there (a constant or all-zero history is forecast exactly), so "
                  "the empirical quantiles understate the uncertainty")
    if reason is not None:
        note = "empirical (degenerate: zero-width intervals, see info['reason'])"
    return mean, fitted, lo, hi, note, reason


def _finish(model, y, h, levels, method, p1, p2, scale, params, series_id, func):
    mean, fitted, lo, hi, note, reason = _empirical(y, h, levels, method, p1, p2, scale,
                                                    where(func, series_id))
    info = {} if reason is None else {"note": "degenerate intervals", "reason": reason}
    return Forecast(model, mean, levels, lo, hi, fitted, y - fitted, note, params, info,
                    series_id)


@dated
def croston(y: ArrayLike, h: int, *, variant: str = "classic", alpha: float = 0.1,
            level: float | Sequence[float] = (80, 95), series_id: Any = None) -> Forecast:
    """Croston's method: SES of the non-zero demand sizes divided by SES of their intervals.

    Parameters
    ----------
    y : array-like of shape (n,)
        Non-negative demand per period.
    h : int
        Forecast horizon.
    variant : {"classic", "sba", "optimized"}, default "classic"
        ``classic``: both smoothers with ``alpha``. ``sba``: Syntetos-Boylan
        approximation, the classic forecast times ``1 - alpha / 2``. ``optimized``: each
        smoother's alpha chosen in [0.1, 0.3] by golden-section search on its SSE.
    alpha : float, default 0.1
        Smoothing parameter in (0, 1] for ``classic`` and ``sba``.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent (empirical intervals).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        Flat point forecast; an all-zero history forecasts 0.

    Raises
    ------
    InvalidParameterError
        Unknown ``variant``, ``alpha`` out of range.
    DataError
        Negative, NaN or inf demand.

    References
    ----------
    Croston, J. D. (1972). Forecasting and stock control for intermittent demands.
    *Operational Research Quarterly*, 23(3), 289-303. Syntetos, A. A., & Boylan, J. E.
    (2005). The accuracy of intermittent demand estimates. *IJF*, 21(2), 303-314.

    Examples
    --------
    >>> from cxpath.forecast import croston
    >>> f = croston([0, 2, 0, 0, 3, 0, 1, 0], 3)
    >>> round(float(f.mean[0]), 4)
    0.9522
    """
    func = "forecast.croston"
    name = where(func, series_id)
    v.check_option(variant, "variant", name, ("classic", "sba", "optimized"))
    alpha = check_unit(alpha, "alpha", name)
    y = check_series(y, func, series_id=series_id, nonnegative=True)
    h = check_h(h, name)
    levels = check_levels(level, name)
    if variant == "optimized":
        return _finish("Croston(optimized)", y, h, levels, 1, 0.1, 0.3, 1.0, {}, series_id,
                       func)
    scale = 1.0 - alpha / 2.0 if variant == "sba" else 1.0
    label = "Croston(SBA)" if variant == "sba" else "Croston"
    return _finish(label, y, h, levels, 0, alpha, alpha, scale, {"alpha": alpha}, series_id,
                   func)


@dated
def tsb(y: ArrayLike, h: int, *, alpha_d: float = 0.1, alpha_p: float = 0.1,
        level: float | Sequence[float] = (80, 95), series_id: Any = None) -> Forecast:
    """Teunter-Syntetos-Babai: demand probability (updated every period) times size.

    Parameters
    ----------
    y : array-like of shape (n,)
        Non-negative demand per period.
    h : int
        Forecast horizon.
    alpha_d : float, default 0.1
        Smoothing of the non-zero demand sizes, in (0, 1].
    alpha_p : float, default 0.1
        Smoothing of the demand-occurrence indicator, in (0, 1].
    level : float or sequence of float, default (80, 95)
        Interval levels in percent (empirical intervals).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    InvalidParameterError
        A smoothing parameter out of range.
    DataError
        Negative, NaN or inf demand.

    References
    ----------
    Teunter, R. H., Syntetos, A. A., & Babai, M. Z. (2011). Intermittent demand: linking
    forecasting to inventory obsolescence. *EJOR*, 214(3), 606-615.

    Examples
    --------
    >>> from cxpath.forecast import tsb
    >>> round(float(tsb([0, 2, 0, 0, 3, 0, 1, 0], 2, alpha_d=0.2, alpha_p=0.2).mean[0]), 4)
    0.6171
    """
    func = "forecast.tsb"
    name = where(func, series_id)
    alpha_d = check_unit(alpha_d, "alpha_d", name)
    alpha_p = check_unit(alpha_p, "alpha_p", name)
    y = check_series(y, func, series_id=series_id, nonnegative=True)
    h = check_h(h, name)
    levels = check_levels(level, name)
    return _finish("TSB", y, h, levels, 2, alpha_d, alpha_p, 1.0,
                   {"alpha_d": alpha_d, "alpha_p": alpha_p}, series_id, func)


@dated
def adida(y: ArrayLike, h: int, *, level: float | Sequence[float] = (80, 95),
          series_id: Any = None) -> Forecast:
    """ADIDA: aggregate into blocks of the mean inter-demand interval, SES, disaggregate.

    Parameters
    ----------
    y : array-like of shape (n,)
        Non-negative demand per period.
    h : int
        Forecast horizon.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent (empirical intervals).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    DataError
        Negative, NaN or inf demand.

    References
    ----------
    Nikolopoulos, K., et al. (2011). An aggregate-disaggregate intermittent demand
    approach (ADIDA) to forecasting. *JORS*, 62(3), 544-554.

    Examples
    --------
    >>> from cxpath.forecast import adida
    >>> adida([0, 2, 0, 0, 3, 0, 1, 0], 2).mean.shape
    (2,)
    """
    func = "forecast.adida"
    y = check_series(y, func, series_id=series_id, nonnegative=True)
    h = check_h(h, where(func, series_id))
    levels = check_levels(level, where(func, series_id))
    return _finish("ADIDA", y, h, levels, 3, 0.0, 0.0, 1.0, {}, series_id, func)


@dated
def imapa(y: ArrayLike, h: int, *, level: float | Sequence[float] = (80, 95),
          series_id: Any = None) -> Forecast:
    """IMAPA: the mean of ADIDA-style forecasts over aggregation levels 1..mean interval.

    Parameters
    ----------
    y : array-like of shape (n,)
        Non-negative demand per period.
    h : int
        Forecast horizon.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent (empirical intervals).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    DataError
        Negative, NaN or inf demand.

    References
    ----------
    Petropoulos, F., & Kourentzes, N. (2015). Forecast combinations for intermittent
    demand. *JORS*, 66(6), 914-924.

    Examples
    --------
    >>> from cxpath.forecast import imapa
    >>> imapa([0, 2, 0, 0, 3, 0, 1, 0], 2).mean.shape
    (2,)
    """
    func = "forecast.imapa"
    y = check_series(y, func, series_id=series_id, nonnegative=True)
    h = check_h(h, where(func, series_id))
    levels = check_levels(level, where(func, series_id))
    return _finish("IMAPA", y, h, levels, 4, 0.0, 0.0, 1.0, {}, series_id, func)
