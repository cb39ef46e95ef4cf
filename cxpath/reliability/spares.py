"""Spare-part demand from the installed base: expected failures per period, their
distribution, lead-time demand for the stock-policy functions, and the last-time buy.

The installed base is the units in the field by age (e.g. counts per age in months) plus
the units to be added in coming periods; a fitted lifetime
(:class:`~cxpath.reliability.LifeFit`) gives each unit's chance of failing in each coming
period given its age. A failed unit needs one part. Without renewal it leaves the base
(first failures only); with renewal the part replaces it and the new part starts at age
0, so it can fail again.

:func:`installed_base_demand` gives the mean, variance and quantiles of the demand in
each period; :func:`lead_time_demand` the distribution of the demand over a lead time,
whose mean and standard deviation go into :func:`cxpath.kpi.reorder_point` (or its rate
into :func:`cxpath.kpi.slow_mover_stock`); :func:`last_time_buy` the quantity to buy when
a part goes end-of-life, to cover the remaining service horizon at a target service
level.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, derived_columns, result
from .fitting import LifeFit

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["InstalledBaseDemand", "LastTimeBuy", "LeadTimeDemand", "installed_base_demand",
           "last_time_buy", "lead_time_demand"]

DEFAULT_LEVELS = (0.5, 0.9, 0.95, 0.99)
#: Largest number of parts one slot can need over a window that is tracked exactly (with
#: renewal); larger counts are lumped into it.
MAX_PER_SLOT = 200


def _level_name(q: float) -> str:
    return f"q{q * 100:g}".replace(".", "_")


def _levels(levels, func: str) -> np.ndarray:
    lv = v.as_float_array(np.atleast_1d(levels) if v.ndim(levels) == 0 else levels, "levels",
                          func, low=0.0, high=1.0, closed="neither")
    if lv.size > 100:
        v.fail("levels", func, "at most 100 levels", got=f"{lv.size}", data=True)
    return lv


def _sum_pmf(pmfs: np.ndarray, counts: np.ndarray, func: str,
             full: bool = True) -> tuple[int, np.ndarray]:
    """pmf of the sum of ``counts[g]`` independent copies of each row ``pmfs[g]`` (on
    0, 1, …): ``(offset, p)`` with ``p[k]`` the probability of ``offset + k``, outside of
    which the probability is negligible (beyond 14 standard deviations).

    The probability-generating functions are multiplied at the ``M``-th roots of unity,
    ``Π_g P_g(z)^n_g = exp(Σ_g n_g log P_g(z))`` (exact for whole ``n_g``), which gives
    the pmf modulo ``M``; ``M`` covers the window around the mean, so it unwraps.
    With ``full`` the returned pmf starts at 0 (``offset`` 0).
    """
    keep = counts > 0
    pmfs, counts = pmfs[keep], counts[keep].astype(float)
    if pmfs.shape[0] == 0:
        return 0, np.ones(1)
    k = np.arange(pmfs.shape[1])
    m = pmfs @ k
    mean = float(counts @ m)
    var = float(counts @ np.maximum(pmfs @ (k * k) - m * m, 0.0))
    top = float(counts.sum()) * (pmfs.shape[1] - 1)       # largest possible total
    sd = math.sqrt(var)
    lo = int(max(0.0, math.floor(mean - 14 * sd - 60)))
    hi = int(min(top, math.ceil(mean + 14 * sd + 60)))
    width = hi - lo + 1
    check_memory(8.0 * (hi + 1 if full else width) + 16.0 * 8 * width, func,
                 "the demand distribution", how="Ask for fewer units or a shorter horizon.")
    if width <= 1:
        return (0, np.concatenate([np.zeros(lo), [1.0]])) if full else (lo, np.ones(1))
    n_fft = 1 << max(int(width - 1).bit_length(), int(pmfs.shape[1] - 1).bit_length())
    log_abs = np.zeros(n_fft // 2 + 1)
    phase = np.zeros(n_fft // 2 + 1)
    rows = max(1, 2**22 // (n_fft // 2 + 1))  # blocks of about 64 MB
    for start in range(0, pmfs.shape[0], rows):
        block = np.fft.rfft(pmfs[start:start + rows], n_fft, axis=1)
        re, im = block.real, block.imag
        n = counts[start:start + rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_abs += n @ (0.5 * np.log(re * re + im * im))
        phase += n @ np.arctan2(im, re)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        total = np.exp(log_abs) * (np.cos(phase) + 1j * np.sin(phase))
    total = np.where(np.isfinite(total), total, 0.0)
    wrapped = np.fft.irfft(total, n_fft)                 # P(S ≡ r mod n_fft)
    vals = wrapped[(lo + np.arange(width)) % n_fft]      # S = lo … hi
    vals[vals < 1e-14 * vals.max()] = 0.0                # rounding noise of the FFT
    vals /= vals.sum()
    if full:
        return 0, np.concatenate([np.zeros(lo), vals])
    return lo, vals


def _quantile(pmf: np.ndarray, q: float) -> int:
    cdf = np.cumsum(pmf)
    return int(np.searchsorted(cdf, q - 1e-12, side="left"))


@result
class InstalledBaseDemand(Result):
    """Part demand per coming period from an installed base and a fitted lifetime.

    One row per period: the mean, variance, standard deviation and quantiles of the
    demand (whole parts).

    Attributes
    ----------
    period : ndarray of int
        1, 2, … (period 1 starts now).
    mean, variance, sd : ndarray of float
    quantiles : ndarray of int, shape (periods, levels)
        The demand not exceeded with probability ``levels[j]`` (columns ``q50``, ``q90``
        …).
    levels : ndarray of float
    renewal : bool
    n_units : int
        Units in the field now plus those added over the horizon.
    distribution : str
        The fitted distribution.
    probabilities : ndarray of float, shape (groups, periods)
        Chance that the first unit of each group (an age class, or a cohort of added
        units) fails in each period.
    counts : ndarray of int
        Units in each group.
    renewal_density : ndarray of float
        Chance that a new part fails in its 1st, 2nd, … period (``R(k − 1) − R(k)``).
    """

    period: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    sd: np.ndarray
    quantiles: np.ndarray
    levels: np.ndarray
    renewal: bool
    n_units: int
    distribution: str
    probabilities: np.ndarray
    counts: np.ndarray
    renewal_density: np.ndarray

    _derived = derived_columns({"q{percent}": "``quantiles[:, j]``: the demand not exceeded "
                                "with probability ``levels[j]``"})
    _key = "period"

    @property
    def periods(self) -> int:
        return int(self.period.size)

    def _title(self) -> str:
        return "Installed-base part demand"

    def _summary(self) -> list[str]:
        kind = "with renewal" if self.renewal else "first failures only"
        return [f"{self.n_units} units, {self.period.size} periods ({kind}; "
                f"{self.distribution} life): {self.mean.sum():.4g} parts expected"]

    def _columns(self) -> dict:
        cols = {"period": self.period, "mean": self.mean, "variance": self.variance,
                "sd": self.sd}
        for j, q in enumerate(self.levels):
            cols[_level_name(float(q))] = self.quantiles[:, j]
        return cols

    def _window_pmfs(self, start: int, stop: int) -> np.ndarray:
        """pmf of one slot's demand over periods ``start..stop`` (1-based), one row per
        group; with renewal the last column also holds any larger count (at most
        :data:`MAX_PER_SLOT`)."""
        p = self.probabilities
        if not self.renewal:
            hit = np.clip(p[:, start - 1:stop].sum(axis=1), 0.0, 1.0)
            return np.column_stack([1 - hit, hit])
        length = stop - start + 1
        f = self.renewal_density
        surv = 1 - np.concatenate([[0.0], np.cumsum(f)])  # R(0), R(1), …
        width = min(length, MAX_PER_SLOT) + 1
        # new[b] (b = 1 … stop + 1): pmf of the window demand of a part born at period b;
        # after[j]: the same given a failure in period j (the replacement is born at j + 1)
        new = np.zeros((stop + 2, width))
        new[stop + 1, 0] = 1.0
        after = np.zeros((stop + 2, width))
        for b in range(stop, 0, -1):
            nxt = new[b + 1]
            if b >= start:
                after[b, 1:] = nxt[:-1]
                after[b, -1] += nxt[-1]
            else:
                after[b] = nxt
            ks = np.arange(1, stop - b + 2)  # fails in its k-th period: period b + k - 1
            new[b] = f[ks - 1] @ after[b + ks - 1]
            new[b, 0] += surv[stop - b + 1]
        pg = p[:, :stop]
        out = pg @ after[1:stop + 1]
        out[:, 0] += 1 - pg.sum(axis=1)
        return np.clip(out, 0.0, None)


def _prepare(fit, ages, counts, periods, additions, period_length, func):
    if not isinstance(fit, LifeFit):
        v.fail("fit", func, "a LifeFit (from cxpath.reliability.fit)", fit, wrong_type=True)
    a = v.as_float_array(np.atleast_1d(ages) if v.ndim(ages) == 0 else ages, "ages", func,
                         low=0.0)
    if counts is None:
        n = np.ones(a.size, dtype=np.int64)
    else:
        n = v.as_int_array(np.atleast_1d(counts) if v.ndim(counts) == 0 else counts, "counts",
                           func, low=0)
        v.check_same_length(func, ages=a, counts=n)
    h = periods
    if additions is None:
        add = np.zeros(0, dtype=np.int64)
    else:
        add = v.as_int_array(np.atleast_1d(additions) if v.ndim(additions) == 0 else additions,
                             "additions", func, low=0)
        if add.size > h:
            v.fail("additions", func, f"at most one count per period ({h})",
                   got=f"{add.size} values", data=True)
    total = int(n.sum()) + int(add.sum())
    if total <= 0:
        v.fail("counts", func, "at least one unit in the installed base or the additions",
               data=True, got="no units")
    if total >= 2**53:
        v.fail("counts", func, "fewer than 2**53 units in total", data=True, got=f"{total}")
    groups = a.size + add.size
    check_memory(8.0 * groups * h * 4 + 8.0 * h * h * 4, func, "the failure probabilities",
                 how="Ask for fewer periods or group the ages.")
    fam, th = fit._family, fit.estimate

    def logsf(x):
        return fam.logsf(np.asarray(x, dtype=float) * period_length, th)

    steps = np.arange(h + 1, dtype=float)
    prob = np.zeros((groups, h))
    if a.size:
        base = logsf(a)
        dead = ~np.isfinite(base)
        if dead.any():
            i = int(np.argmax(dead))
            v.fail("ages", func, "ages at which the fitted life still has survivors",
                   got=f"{a[i]:g} at position {i} (R = 0)", data=True)
        with np.errstate(invalid="ignore", over="ignore"):
            cond = np.exp(logsf(a[:, None] + steps[None, :]) - base[:, None])
        prob[: a.size] = np.clip(cond[:, :-1] - cond[:, 1:], 0.0, 1.0)
    surv_new = np.exp(logsf(steps))
    f = np.clip(surv_new[:-1] - surv_new[1:], 0.0, 1.0)
    for c in range(add.size):  # cohort entering at the start of period c + 1
        prob[a.size + c, c:] = f[: h - c]
    return prob, np.concatenate([n, add]), f, total


def installed_base_demand(fit: LifeFit, ages: ArrayLike, counts: ArrayLike | None = None, *,
                          periods: int = 12, additions: ArrayLike | None = None,
                          renewal: bool = False, period_length: float = 1.0,
                          levels: ArrayLike = DEFAULT_LEVELS) -> InstalledBaseDemand:
    """Expected part demand and its distribution per period from the installed base.

    Parameters
    ----------
    fit : LifeFit
        Fitted lifetime of the part (:func:`~cxpath.reliability.fit`).
    ages : array-like of float
        Age of each class of units in the field now, in periods (≥ 0).
    counts : array-like of int, optional
        Units of each age class; default one unit per age.
    periods : int, default 12
        Horizon (number of coming periods).
    additions : array-like of int, optional
        Units added (sold, installed) at the start of each coming period, age 0.
    renewal : bool, default False
        False: a failed unit leaves the base (first failures; or it is replaced by a part
        that is not modelled). True: the part replaces it and starts at age 0.
    period_length : float, default 1
        Length of a period in the time unit of ``fit`` (e.g. 730.5 for months of a fit in
        hours).
    levels : sequence of float, default (0.5, 0.9, 0.95, 0.99)
        Probabilities of the quantile columns.

    Returns
    -------
    InstalledBaseDemand

    Raises
    ------
    InvalidTypeError
        If ``fit`` is not a :class:`~cxpath.reliability.LifeFit`.
    DataError
        Negative ages or counts, fractional counts, an age beyond which the fitted life
        has no survivors, no unit at all, more additions than periods.
    CostError
        If the horizon × groups or the demand distribution would need more memory than
        the cap.

    Notes
    -----
    A unit of age ``a`` (periods) fails in period ``j`` with the conditional probability
    ``p_j = (R(a + j − 1) − R(a + j)) / R(a)``; a unit added at the start of period ``c``
    with ``R(j − c) − R(j − c + 1)``. Without renewal each unit fails at most once, so
    the demand of a period is a sum of independent Bernoulli(``p_j``) over the units — a
    Poisson-binomial variable with mean ``Σ p_j`` and variance ``Σ p_j (1 − p_j)``.

    With renewal, a part replacing a unit that failed in period ``j`` starts at age 0 at
    the start of period ``j + 1`` (a discrete renewal process: a slot fails at most once
    per period, which is accurate when a period is short next to the life). The chance
    that a slot needs a part in period ``h`` follows the renewal recursion
    ``g_h = p_h + Σ_{j<h} p_j u_{h−j}``, ``u_m = f_m + Σ_{i<m} f_i u_{m−i}`` with
    ``f_k = R(k − 1) − R(k)``; slots are independent, so the period demand is again
    Poisson-binomial. Quantiles come from the exact distribution (products of
    probability-generating functions by FFT).

    Examples
    --------
    >>> from cxpath.reliability import fit, installed_base_demand
    >>> f = fit([16, 34, 53, 75, 93, 120, 150, 191], "weibull")  # months
    >>> d = installed_base_demand(f, ages=[0, 6, 12, 24], counts=[400, 300, 250, 100],
    ...                           periods=3, renewal=True)
    >>> d.mean.round(2).tolist()
    [2.58, 2.93, 3.22]
    >>> d.quantiles[:, 2].tolist()    # 95 % quantile per month
    [5, 6, 6]
    """
    func = "reliability.installed_base_demand"
    periods = v.check_int(periods, "periods", func, low=1, high=2_000)
    renewal = v.check_bool(renewal, "renewal", func)
    period_length = v.check_real(period_length, "period_length", func, low=0.0,
                                 closed="neither")
    lv = _levels(levels, func)
    prob, counts_all, f, total = _prepare(fit, ages, counts, periods, additions,
                                          period_length, func)
    if renewal:
        u = np.zeros(periods)
        for m in range(periods):  # u[m]: a new part fails in its (m+1)-th period
            u[m] = f[m] + (f[:m] @ u[m - 1::-1] if m else 0.0)
        n_fft = 1 << (2 * periods).bit_length()
        conv = np.fft.irfft(np.fft.rfft(prob, n_fft, axis=1) * np.fft.rfft(u, n_fft), n_fft,
                            axis=1)
        g = prob.copy()
        g[:, 1:] += conv[:, :periods - 1]  # Σ_{j<h} p_j u_{h-j}
        g = np.clip(g, 0.0, 1.0)
    else:
        g = prob
    mean = counts_all @ g
    var = counts_all @ (g * (1 - g))
    quant = np.zeros((periods, lv.size), dtype=np.int64)
    for hh in range(periods):
        off, pmf = _sum_pmf(np.column_stack([1 - g[:, hh], g[:, hh]]), counts_all, func,
                            full=False)
        quant[hh] = [off + _quantile(pmf, float(q)) for q in lv]
    return InstalledBaseDemand(np.arange(1, periods + 1), mean, var, np.sqrt(var), quant, lv,
                               renewal, total, fit.distribution, prob, counts_all, f)


@result
class LeadTimeDemand(Result):
    """Distribution of the part demand over a lead time (consecutive periods).

    The table gives the quantiles at ``level``. For :func:`cxpath.kpi.reorder_point` pass
    ``per_period_mean``, ``per_period_sd`` and ``lead_time``: it then rebuilds exactly
    this ``mean`` and ``sd``.

    Attributes
    ----------
    level : ndarray of float
    quantile : ndarray of int
        Demand not exceeded with probability ``level``.
    mean, variance, sd : float
        Of the total demand over the lead time.
    lead_time, start : int
        Periods covered: ``start`` … ``start + lead_time − 1``.
    pmf : ndarray of float
        ``pmf[k]``: probability of a demand of ``k`` parts.
    per_period_mean, per_period_sd : float
        ``mean / lead_time`` and ``sd / √lead_time``.
    """

    level: np.ndarray
    quantile: np.ndarray
    mean: float
    variance: float
    sd: float
    lead_time: int
    start: int
    pmf: np.ndarray

    _key = "level"

    @property
    def per_period_mean(self) -> float:
        return self.mean / self.lead_time

    @property
    def per_period_sd(self) -> float:
        return self.sd / math.sqrt(self.lead_time)

    def _title(self) -> str:
        return "Lead-time demand"

    def _summary(self) -> list[str]:
        return [f"periods {self.start}-{self.start + self.lead_time - 1}: mean "
                f"{self.mean:.4g}, sd {self.sd:.4g}"]

    def _columns(self) -> dict:
        return {"level": self.level, "quantile": self.quantile}

    def cdf(self, k: ArrayLike) -> Any:
        """Probability that the demand is at most ``k`` parts (a stock of ``k`` suffices).

        Examples
        --------
        >>> from cxpath.reliability import fit, installed_base_demand, lead_time_demand
        >>> d = installed_base_demand(fit([16, 34, 53, 75, 93, 120], "weibull"), [0], [50])
        >>> ltd = lead_time_demand(d, 2)
        >>> 0 < ltd.cdf(3) < 1
        True
        """
        func = "reliability.LeadTimeDemand.cdf"
        scalar = v.ndim(k) == 0
        arr = v.as_float_array(np.atleast_1d(k) if scalar else k, "k", func, ndim=None,
                               allow_inf=True)
        cdf = np.cumsum(self.pmf)
        idx = np.floor(arr)
        out = np.where(idx < 0, 0.0, cdf[np.clip(idx, 0, cdf.size - 1).astype(np.int64)])
        out = np.where(idx >= cdf.size - 1, 1.0, out) if cdf.size else out
        return float(out.ravel()[0]) if scalar else out


def lead_time_demand(demand: InstalledBaseDemand, lead_time: int, *, start: int = 1,
                     levels: ArrayLike = DEFAULT_LEVELS) -> LeadTimeDemand:
    """Distribution of the demand over ``lead_time`` periods, for the stock-policy functions.

    Parameters
    ----------
    demand : InstalledBaseDemand
        From :func:`installed_base_demand`.
    lead_time : int
        Number of periods (≥ 1).
    start : int, default 1
        First period covered (1 = the coming period).
    levels : sequence of float, default (0.5, 0.9, 0.95, 0.99)

    Returns
    -------
    LeadTimeDemand

    Raises
    ------
    InvalidTypeError
        If ``demand`` is not an :class:`InstalledBaseDemand`.
    InvalidParameterError
        If the periods run past the horizon of ``demand``.

    Notes
    -----
    Without renewal a unit fails at most once over the lead time, so the total is
    Poisson-binomial with the summed probabilities. With renewal a slot may need several
    parts; its count over the window follows from a backward renewal recursion on the
    birth period of its current part (same discrete convention as
    :func:`installed_base_demand`), and slots are summed by FFT.

    Examples
    --------
    >>> from cxpath.kpi import reorder_point
    >>> from cxpath.reliability import fit, installed_base_demand, lead_time_demand
    >>> f = fit([16, 34, 53, 75, 93, 120, 150, 191], "weibull")
    >>> d = installed_base_demand(f, ages=[0, 6, 12, 24], counts=[400, 300, 250, 100],
    ...                           periods=6, renewal=True)
    >>> ltd = lead_time_demand(d, 3)
    >>> round(ltd.mean, 2), round(ltd.sd, 2), int(ltd.quantile[2])
    (8.73, 2.94, 14)
    >>> rp = reorder_point(ltd.per_period_mean, ltd.per_period_sd, ltd.lead_time,
    ...                    service_level=0.95)
    >>> round(float(rp.reorder_point[0]), 1)
    13.6
    """
    func = "reliability.lead_time_demand"
    if not isinstance(demand, InstalledBaseDemand):
        v.fail("demand", func, "an InstalledBaseDemand (from installed_base_demand)", demand,
               wrong_type=True)
    h = demand.periods
    lead_time = v.check_int(lead_time, "lead_time", func, low=1, high=h)
    start = v.check_int(start, "start", func, low=1, high=h)
    if start + lead_time - 1 > h:
        v.fail("lead_time", func, f"at most {h - start + 1} periods from start={start} (the "
               f"horizon of 'demand' is {h})", lead_time)
    lv = _levels(levels, func)
    return _window(demand, start, start + lead_time - 1, lv, func)


def _window(demand, start, stop, lv, func) -> LeadTimeDemand:
    pmfs = demand._window_pmfs(start, stop)
    counts = demand.counts.astype(float)
    k = np.arange(pmfs.shape[1])
    m = pmfs @ k
    mean = float(counts @ m)
    var = float(counts @ np.maximum(pmfs @ (k * k) - m * m, 0.0))
    _, pmf = _sum_pmf(pmfs, counts, func)
    quant = np.array([_quantile(pmf, float(q)) for q in lv], dtype=np.int64)
    return LeadTimeDemand(lv, quant, float(mean), float(var), math.sqrt(var),
                          stop - start + 1, start, pmf)


@result
class LastTimeBuy(Result):
    """Last-time-buy quantity for a part going end-of-life.

    The table gives, for each stock level, the chance that it covers the demand of the
    whole service horizon.

    Attributes
    ----------
    quantity : int
        Parts to buy: the smallest stock meeting the service level, less ``on_hand``
        (not below 0).
    stock_needed : int
        The smallest stock with ``P(demand ≤ stock) ≥ service_level``.
    achieved : float
        ``P(demand ≤ stock_needed)``.
    service_level : float
    on_hand : int
    mean, sd : float
        Of the demand over the horizon.
    horizon : int
    renewal : bool
    stock, coverage : ndarray
        Stock levels 0, 1, … and ``P(demand ≤ stock)``.
    """

    quantity: int
    stock_needed: int
    achieved: float
    service_level: float
    on_hand: int
    mean: float
    sd: float
    horizon: int
    renewal: bool
    stock: np.ndarray
    coverage: np.ndarray

    _key = "stock"

    def _title(self) -> str:
        return "Last-time buy"

    def _summary(self) -> list[str]:
        return [f"buy {self.quantity} (stock {self.stock_needed} covers {self.horizon} "
                f"periods with probability {self.achieved:.4f}; mean demand "
                f"{self.mean:.4g}, sd {self.sd:.4g})"]

    def _columns(self) -> dict:
        return {"stock": self.stock, "coverage": self.coverage}


def last_time_buy(fit: LifeFit, ages: ArrayLike, counts: ArrayLike | None = None, *,
                  horizon: int, additions: ArrayLike | None = None, renewal: bool = True,
                  service_level: float = 0.95, on_hand: int = 0,
                  period_length: float = 1.0) -> LastTimeBuy:
    """Quantity of a part to buy once, covering the remaining service horizon.

    Parameters
    ----------
    fit : LifeFit
        Fitted lifetime of the part.
    ages, counts, additions, period_length
        The installed base, as for :func:`installed_base_demand`.
    horizon : int
        Periods the part must still be supplied (the service obligation).
    renewal : bool, default True
        Replacement parts can fail again within the horizon (the usual case for a
        last-time buy).
    service_level : float, default 0.95
        Target probability that the stock covers the whole horizon, in (0, 1).
    on_hand : int, default 0
        Parts already in stock.

    Returns
    -------
    LastTimeBuy

    Raises
    ------
    InvalidTypeError, DataError, InvalidParameterError
        As for :func:`installed_base_demand`; a service level outside (0, 1), a negative
        ``on_hand``.

    Notes
    -----
    The demand over periods 1 … ``horizon`` is that of :func:`lead_time_demand` with
    ``lead_time = horizon``; the stock needed is its ``service_level`` quantile.

    Examples
    --------
    >>> from cxpath.reliability import fit, last_time_buy
    >>> f = fit([16, 34, 53, 75, 93, 120, 150, 191], "weibull")
    >>> b = last_time_buy(f, ages=[24, 36, 48], counts=[120, 200, 80], horizon=24,
    ...                   service_level=0.95, on_hand=40)
    >>> b.stock_needed, b.quantity, round(b.mean, 1)
    (99, 59, 84.7)
    """
    func = "reliability.last_time_buy"
    horizon = v.check_int(horizon, "horizon", func, low=1, high=2_000)
    renewal = v.check_bool(renewal, "renewal", func)
    sl = v.check_real(service_level, "service_level", func, low=0.0, high=1.0,
                      closed="neither")
    on_hand = v.check_int(on_hand, "on_hand", func, low=0)
    period_length = v.check_real(period_length, "period_length", func, low=0.0,
                                 closed="neither")
    prob, counts_all, f, total = _prepare(fit, ages, counts, horizon, additions,
                                          period_length, func)
    empty = np.zeros(horizon)
    demand = InstalledBaseDemand(np.arange(1, horizon + 1), empty, empty, empty,
                                 np.zeros((horizon, 0), dtype=np.int64), np.zeros(0), renewal,
                                 total, fit.distribution, prob, counts_all, f)
    ltd = _window(demand, 1, horizon, np.array([sl]), func)
    need = int(ltd.quantile[0])
    cdf = np.cumsum(ltd.pmf)
    return LastTimeBuy(max(need - on_hand, 0), need, float(cdf[min(need, cdf.size - 1)]), sl,
                       on_hand, ltd.mean, ltd.sd, horizon, renewal,
                       np.arange(cdf.size), np.minimum(cdf, 1.0))
