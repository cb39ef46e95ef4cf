"""Predictive distributions for intermittent (spare-part) demand, per period and over a lead time.

Croston, SBA, TSB, ADIDA and IMAPA give a demand *rate*; a stock level needs the whole
distribution of the demand over the lead time. :func:`spares_forecast` fits a count model
with a proper likelihood to each part: a demand occurs in a period with probability ``p``
and has size ``1 + w``, ``w`` Poisson with rate ``lam``; ``p`` and ``lam`` are local levels
with conjugate discounted states (Beta for ``p``, Gamma for ``lam``; Harvey & Fernandes
1989), which is TSB-style exponential smoothing of the occurrence and of the size with the
state uncertainty kept. The discount factors are chosen per part by maximum (prequential)
likelihood. The demand over ``L`` periods is then a beta-binomial number of demands whose
sizes share one gamma-mixed Poisson rate, computed exactly as a pmf.

Real spare-part demand is more variable than any one-part model fitted to a short history
says (levels drift, sizes come in bursts): on the car-parts data the uncalibrated 3-month
intervals cover about 74 % at 80 % and 90 % at 95 %. ``calibrate=True`` (the default)
recalibrates the predictive cdf ``F`` of every part by one map ``G(F)``: the mean
non-randomised PIT cdf (Czado, Gneiting & Held 2009) of the model's own forecasts of every
window *inside* the history, pooled over the parts (Kuleshov, Fenner & Ermon 2018). It uses
no data after the forecast origin.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, derived_columns, result
from ._base import check_levels, part_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["SparesForecast", "spares_forecast"]

#: Smoothing constants searched for the occurrence and the size (discount = 1 - alpha).
ALPHAS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
_DEFAULT = 2  # alpha = 0.1 when the likelihood cannot tell (short or constant history)
#: Prior states: Beta(0.5, 0.5) for the occurrence, Gamma(0.5, 0.5) for the extra units.
PRIOR = (0.5, 0.5, 0.5, 0.5)
#: Windows start after this many periods of history when the calibration map is built.
BURN_IN = 6
#: The calibration map is linear in the model's upper tail, above this probability.
TAIL = 0.99
_U = np.linspace(0.0, 1.0, 1001)


def _kernels():
    from .._kernels import inventory

    return inventory


def _moments(a, b, s, r, periods):
    """Mean and variance of the demand summed over ``periods`` (uncalibrated model)."""
    n = a + b
    ek = periods * a / n
    vk = periods * a * b * (n + periods) / (n * n * (n + 1))
    lam = s / r
    e1 = 1.0 + lam
    e2 = e1 * e1 + s / (r * r)
    mean = ek * e1
    var = (vk + ek * ek) * e2 - mean * mean + ek * lam
    return mean, np.maximum(var, 0.0)


def _width(a, b, s, r, periods, func):
    """Support to compute per row: 15 standard deviations above the mean of the demand
    given a demand in every period (the widest case), whatever the occurrence."""
    lam = s / r
    mean = periods * (1.0 + lam)
    sd = np.sqrt(periods * lam + periods * periods * lam / r)
    return np.ceil(mean + 15.0 * sd + 20.0).astype(np.int64)


def _cdf_pair(pmf, x):
    """``F(x - 1)`` and ``F(x)`` per row of a pmf matrix, for whole ``x`` within its width."""
    cdf = np.cumsum(pmf, axis=1)
    rows = np.arange(pmf.shape[0])
    at = cdf[rows, x]
    below = np.where(x > 0, cdf[rows, np.maximum(x - 1, 0)], 0.0)
    return below, at


@result
class SparesForecast(Result):
    """Predictive demand distributions of spare parts (one row per part).

    Attributes
    ----------
    part : ndarray of str
    occurrence : ndarray
        Probability of a demand in the next period, ``a / (a + b)``.
    size_mean : ndarray
        Mean size of a demand, ``1 + s / r``.
    mean : ndarray
        Mean demand per period, ``occurrence × size_mean`` (the model's point forecast).
    alpha_occurrence, alpha_size : ndarray
        The smoothing constants chosen by likelihood (``1 −`` discount).
    ltd_mean : ndarray
        Mean demand over ``lead_time`` periods, from the (calibrated) pmf.
    ltd_lower, ltd_upper : ndarray of int, shape (parts, levels)
        Central prediction intervals of the lead-time demand at ``levels`` percent.
    levels : ndarray
        Interval levels in percent.
    lead_time : int
    calibrated : bool
        Whether the pooled PIT recalibration is applied (see :func:`spares_forecast`).
    states : ndarray, shape (parts, 4)
        ``a, b, s, r`` of the next period (discounted posterior states).
    history : ndarray, shape (parts, periods)
        The demand the model was fitted to (used to build calibration maps).
    choice : ndarray of int, shape (parts, periods + 1, 2)
        Grid index of the occurrence and size discounts chosen after every prefix.
    prefix_states : ndarray, shape (parts, periods + 1, 4)
        Undiscounted states after every prefix (for the in-sample calibration windows).
    maps : dict
        Calibration maps ``G`` on a grid of 1001 probabilities, by window length (built
        on first use).
    """

    part: np.ndarray
    occurrence: np.ndarray
    size_mean: np.ndarray
    mean: np.ndarray
    alpha_occurrence: np.ndarray
    alpha_size: np.ndarray
    ltd_mean: np.ndarray
    ltd_lower: np.ndarray
    ltd_upper: np.ndarray
    levels: np.ndarray
    lead_time: int
    calibrated: bool
    states: np.ndarray
    history: np.ndarray
    choice: np.ndarray
    prefix_states: np.ndarray
    maps: dict

    _derived = derived_columns({
        "ltd_lo_{level}": "``ltd_lower[:, j]``: lower end of the central ``levels[j]`` % "
                          "interval of the lead-time demand",
        "ltd_hi_{level}": "``ltd_upper[:, j]``: upper end of that interval"})
    _key = "part"

    def _title(self) -> str:
        return "Spare-part demand distributions"

    def _summary(self) -> list[str]:
        how = "calibrated" if self.calibrated else "uncalibrated"
        return [f"{self.part.size} parts, {self.history.shape[1]} periods of history, "
                f"lead time {self.lead_time} ({how}); mean lead-time demand "
                f"{float(self.ltd_mean.sum()):.4g} units in all"]

    def _columns(self) -> dict:
        cols = {"part": self.part, "occurrence": self.occurrence,
                "size_mean": self.size_mean, "mean": self.mean,
                "alpha_occurrence": self.alpha_occurrence, "alpha_size": self.alpha_size,
                "ltd_mean": self.ltd_mean}
        for j, lev in enumerate(self.levels):
            cols[f"ltd_lo_{lev:g}"] = self.ltd_lower[:, j]
            cols[f"ltd_hi_{lev:g}"] = self.ltd_upper[:, j]
        return cols

    def _map(self, periods: int) -> np.ndarray | None:
        if not self.calibrated:
            return None
        if periods not in self.maps:
            self.maps[periods] = _calibration_map(self.history, self.prefix_states,
                                                  self.choice, periods)
        return self.maps[periods]

    def pmf(self, periods: int | None = None) -> np.ndarray:
        """pmf of each part's demand summed over the next ``periods`` periods.

        Parameters
        ----------
        periods : int, optional
            Window length (default ``lead_time``).

        Returns
        -------
        ndarray, shape (parts, K)
            Row ``i``: probability of ``0, 1, …, K − 1`` units; the last column holds the
            (negligible) mass beyond.

        Examples
        --------
        >>> from cxpath.forecast import spares_forecast
        >>> f = spares_forecast([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0]], 3, calibrate=False)
        >>> p = f.pmf()
        >>> round(float(p.sum()), 6), round(float(p[0, 0]), 3)
        (1.0, 0.319)
        """
        func = "forecast.SparesForecast.pmf"
        periods = self.lead_time if periods is None else v.check_int(periods, "periods",
                                                                    func, low=1, high=10_000)
        return _pmf(self.states, periods, self._map(periods), func)

    def quantiles(self, q: float | Sequence[float], periods: int = 1) -> np.ndarray:
        """Quantiles of each part's demand over ``periods`` periods (whole units).

        Parameters
        ----------
        q : float or sequence of float
            Probabilities in (0, 1).
        periods : int, default 1
            Window length (1: the demand of one coming period).

        Returns
        -------
        ndarray of int, shape (parts, len(q))
            The smallest ``k`` with ``P(D ≤ k) ≥ q``.

        Examples
        --------
        >>> from cxpath.forecast import spares_forecast
        >>> f = spares_forecast([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0]], 3, calibrate=False)
        >>> f.quantiles([0.5, 0.9], periods=3).tolist()
        [[1, 4]]
        """
        func = "forecast.SparesForecast.quantiles"
        qs = v.as_float_array(np.atleast_1d(q) if v.ndim(q) == 0 else q, "q", func,
                              low=0.0, high=1.0, closed="neither")
        periods = v.check_int(periods, "periods", func, low=1, high=10_000)
        return _quantiles(self.pmf(periods), qs)

    def lead_time_demand(self, part: Any = 0, periods: int | None = None) -> Any:
        """One part's lead-time demand as a :class:`cxpath.reliability.LeadTimeDemand`.

        Parameters
        ----------
        part : int or str, default 0
            Row position, or the part label.
        periods : int, optional
            Window length (default ``lead_time``).

        Returns
        -------
        cxpath.reliability.LeadTimeDemand
            The same object the installed-base model gives, so that
            :func:`cxpath.kpi.reorder_point` and friends take either.

        Examples
        --------
        >>> from cxpath.forecast import spares_forecast
        >>> f = spares_forecast([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0]], 3, calibrate=False)
        >>> ltd = f.lead_time_demand(0)
        >>> round(ltd.mean, 3), ltd.lead_time
        (1.825, 3)
        """
        from ..reliability.spares import DEFAULT_LEVELS, LeadTimeDemand, _quantile

        func = "forecast.SparesForecast.lead_time_demand"
        i = self._row(part, func)
        periods = self.lead_time if periods is None else v.check_int(periods, "periods",
                                                                    func, low=1, high=10_000)
        pmf = self.pmf(periods)[i]
        k = np.arange(pmf.size)
        mean = float(pmf @ k)
        var = float(max(pmf @ (k * k) - mean * mean, 0.0))
        lv = np.asarray(DEFAULT_LEVELS)
        quant = np.array([_quantile(pmf, float(x)) for x in lv], dtype=np.int64)
        return LeadTimeDemand(lv, quant, mean, var, math.sqrt(var), periods, 1, pmf)

    def _row(self, part, func) -> int:
        if isinstance(part, (int, np.integer)) and not isinstance(part, bool):
            return v.check_int(part, "part", func, low=0, high=self.part.size - 1)
        hits = np.flatnonzero(self.part == str(part)) if isinstance(part, str) else []
        if len(hits) == 0:
            v.fail("part", func, f"a row position (0 … {self.part.size - 1}) or a part label",
                   part)
        return int(hits[0])


def _pmf(states, periods, cal, func) -> np.ndarray:
    a, b, s, r = (np.ascontiguousarray(states[:, j]) for j in range(4))
    kmax = _width(a, b, s, r, periods, func)
    top = int(kmax.max(initial=0))
    check_memory(8.0 * states.shape[0] * (top + 1) * 2, func,
                 f"the demand pmf of {states.shape[0]:,} parts up to {top:,} units",
                 how="Ask for a shorter window 'periods' or fewer parts at a time.")
    pmf = _kernels().count_model_pmf(a, b, s, r, int(periods), kmax)
    pmf[:, -1] += np.maximum(1.0 - pmf.sum(axis=1), 0.0)
    if cal is not None:
        cdf = np.interp(np.clip(np.cumsum(pmf, axis=1), 0.0, 1.0), _U, cal)
        cdf[:, -1] = 1.0
        pmf = np.diff(cdf, axis=1, prepend=0.0)
        pmf = np.maximum(pmf, 0.0)
    return pmf


def _quantiles(pmf, qs) -> np.ndarray:
    cdf = np.cumsum(pmf, axis=1)
    return np.stack([(cdf < q - 1e-12).sum(axis=1) for q in qs], axis=1).astype(np.int64)


def _calibration_map(y, prefix, choice, periods) -> np.ndarray | None:
    """The pooled mean PIT cdf of the model's forecasts of every in-sample window."""
    k = _kernels()
    w = 1.0 - np.asarray(ALPHAS)
    n = y.shape[1]
    total = np.zeros(_U.size)
    rows = 0
    for t in range(BURN_IN, n - periods + 1):
        st = _discounted(prefix[:, t], choice[:, t], w)
        x = y[:, t:t + periods].sum(axis=1).astype(np.int64)
        a, b, s, r = (np.ascontiguousarray(st[:, j]) for j in range(4))
        pmf = k.count_model_pmf(a, b, s, r, int(periods), x)
        below, at = _cdf_pair(pmf, x)
        total += k.pit_cdf_sum(below, at, _U)
        rows += x.size
    if rows == 0:
        return None
    g = np.maximum.accumulate(total / rows)
    g[0] = 0.0
    # above TAIL the map is linear up to G(1) = 1: the model's own tail, scaled up by
    # (1 - G(TAIL)) / (1 - TAIL), instead of the in-sample surprises piled at the end
    top = _U >= TAIL
    u0 = _U[top][0]
    g0 = g[top][0]
    g[top] = g0 + (1.0 - g0) * (_U[top] - u0) / (1.0 - u0)
    return g


def _discounted(st, ch, w) -> np.ndarray:
    out = np.empty_like(st)
    out[:, 0] = st[:, 0] * w[ch[:, 0]]
    out[:, 1] = st[:, 1] * w[ch[:, 0]]
    out[:, 2] = st[:, 2] * w[ch[:, 1]]
    out[:, 3] = st[:, 3] * w[ch[:, 1]]
    return out


def spares_forecast(demand: ArrayLike, lead_time: int = 1, *,
                    level: float | Sequence[float] = (80, 95),
                    parts: Sequence[str] | ArrayLike | None = None,
                    calibrate: bool = True) -> SparesForecast:
    """Predictive distributions of intermittent demand per part, and over a lead time.

    Parameters
    ----------
    demand : array-like of shape (periods,) or (parts, periods)
        Demand per period in whole units ≥ 0, oldest first, no missing values.
    lead_time : int, default 1
        Periods in the lead-time window of ``ltd_*`` (and the default of ``pmf``).
    level : float or sequence of float, default (80, 95)
        Interval levels in percent, as in the other forecasts.
    parts : sequence of str, optional
        Part labels (default ``"0"``, ``"1"``, …).
    calibrate : bool, default True
        Recalibrate the distributions with the pooled in-sample PIT map (see Notes). Left
        off when the history has no complete window after the burn-in of
        :data:`BURN_IN` periods.

    Returns
    -------
    SparesForecast
        With ``pmf(periods)``, ``quantiles(q, periods)`` and ``lead_time_demand(part)``.

    Raises
    ------
    DataError
        Negative, fractional, NaN or inf demand; an empty history.
    InvalidParameterError
        A bad ``lead_time`` or level.

    Notes
    -----
    Per part, with ``a, b`` the Beta state of the occurrence probability and ``s, r`` the
    Gamma state (shape, rate) of the rate of extra units: each period discounts
    ``a, b ← ω_p a, ω_p b`` and adds the indicator of a demand to ``a`` or ``b``; a period
    with demand ``z`` also sets ``s ← ω_z s + (z − 1)``, ``r ← ω_z r + 1``. The one-step
    predictive is ``P(demand) = a / (a + b)`` (the TSB update with ``α = 1 − ω_p``) and a
    size of ``1 +`` negative binomial(``s``, ``r / (r + 1)``) (SES of the sizes with
    ``α = 1 − ω_z``). ``ω_p`` and ``ω_z`` are chosen separately on the grid
    ``1 − ALPHAS`` by maximum prequential likelihood (the two parts of the likelihood
    separate). Priors ``Beta(0.5, 0.5)`` and ``Gamma(0.5, 0.5)`` start each part.

    The demand over ``L`` coming periods holds the next period's states: the number of
    periods with demand is beta-binomial(``L``, ``a``, ``b``) and, given ``k`` demands,
    the extra units are negative binomial(``s``, ``r / (r + k)``). This is exact for the
    conjugate model with the states held over the window, and wider than treating the
    periods as independent at the point forecast.

    The calibration map is ``G(u)``, the share of in-sample windows (of the same length,
    from every part, starting after :data:`BURN_IN` periods) whose observed total has a
    non-randomised PIT below ``u``; the calibrated cdf is ``G(F(k))``, still a
    distribution on whole units. It makes the central intervals hold their level when the
    in-sample windows are representative of the next one.

    References
    ----------
    Harvey, A. C., & Fernandes, C. (1989). Time series models for count or qualitative
    observations. *Journal of Business & Economic Statistics*, 7(4), 407-417.
    Teunter, R. H., Syntetos, A. A., & Babai, M. Z. (2011). Intermittent demand: linking
    forecasting to inventory obsolescence. *EJOR*, 214(3), 606-615.
    Snyder, R. D., Ord, J. K., & Beaumont, A. (2012). Forecasting the intermittent demand
    for slow-moving inventories: a modelling approach. *IJF*, 28(2), 485-496.
    Czado, C., Gneiting, T., & Held, L. (2009). Predictive model assessment for count
    data. *Biometrics*, 65(4), 1254-1261.
    Kuleshov, V., Fenner, N., & Ermon, S. (2018). Accurate uncertainties for deep learning
    using calibrated regression. *ICML*, PMLR 80, 2796-2804.

    Examples
    --------
    >>> from cxpath.forecast import spares_forecast
    >>> f = spares_forecast([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0],
    ...                      [1, 0, 1, 1, 0, 2, 1, 0, 1, 1, 0, 1]], 3, calibrate=False)
    >>> f.ltd_upper[:, 0].tolist(), round(float(f.mean[1]), 3)
    ([4, 4], 0.767)
    """
    func = "forecast.spares_forecast"
    x = v.as_float_array(demand, "demand", func, ndim=None, low=0.0)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] == 0 or x.shape[0] == 0:
        v.fail("demand", func, "a non-empty series or a parts x periods matrix",
               got=f"an array of shape {x.shape}", data=True)
    bad = x != np.round(x)
    if bad.any():
        pos = tuple(int(p) for p in np.argwhere(bad)[0])
        v.fail("demand", func, "whole units", got=f"{x[pos]:g} at position {pos}", data=True)
    if x.max(initial=0.0) > 1e6:
        v.fail("demand", func, "at most 1,000,000 units per period (counts of parts)",
               got=f"{x.max():.4g}", data=True)
    lead_time = v.check_int(lead_time, "lead_time", func, low=1, high=10_000)
    levels = check_levels(level, func)
    calibrate = v.check_bool(calibrate, "calibrate", func)
    m, n = x.shape
    labels = part_labels(parts, m, func)
    check_memory(8.0 * m * (n + 1) * 12, func, f"the model states of {m:,} parts after "
                 f"each of {n + 1} prefixes")
    y = np.ascontiguousarray(x)
    w = 1.0 - np.asarray(ALPHAS)
    ones = np.ones_like(w)
    a, b, s, r, io, iz, _ = _kernels().count_model_prefix(y, w, w, ones, _DEFAULT, *PRIOR)
    prefix = np.stack([a, b, s, r], axis=2)
    choice = np.stack([io, iz], axis=2)
    states = _discounted(prefix[:, n], choice[:, n], w)
    maps: dict = {}
    cal = calibrate and n - lead_time >= BURN_IN
    out = SparesForecast(labels.astype(object), states[:, 0] / (states[:, 0] + states[:, 1]),
                         1.0 + states[:, 2] / states[:, 3], np.empty(m),
                         np.asarray(ALPHAS)[choice[:, n, 0]],
                         np.asarray(ALPHAS)[choice[:, n, 1]], np.empty(m),
                         np.empty((m, levels.size), np.int64),
                         np.empty((m, levels.size), np.int64), levels, lead_time, cal, states,
                         y, choice, prefix, maps)
    out.mean[:] = out.occurrence * out.size_mean
    pmf = out.pmf(lead_time)
    out.ltd_mean[:] = pmf @ np.arange(pmf.shape[1])
    if levels.size:
        lo = _quantiles(pmf, 0.5 - levels / 200.0)
        hi = _quantiles(pmf, 0.5 + levels / 200.0)
        out.ltd_lower[:] = lo
        out.ltd_upper[:] = hi
    return out
