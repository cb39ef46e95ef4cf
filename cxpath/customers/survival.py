"""Customers over time: survival curves, cumulative hazards, log-rank tests and RMST.

* :func:`kaplan_meier`: the Kaplan–Meier survival curve (share of customers not yet
  churned) with Greenwood's variance and log-log (default) or plain intervals, the median
  survival time with its interval, and :meth:`KaplanMeier.at` for survival at given times.
* :func:`nelson_aalen`: the Nelson–Aalen cumulative hazard with its variance.
* :func:`logrank_test`: the log-rank test for k groups, stratified, and its weighted
  variants (Wilcoxon/Gehan–Breslow, Tarone–Ware, Peto–Peto, Fleming–Harrington).
* :func:`rmst`: the restricted mean survival time up to ``tau`` with its variance, per
  group, and the difference between two groups.

All take durations (time to churn or to the end of observation), event flags (1: churned,
0: still a customer, censored), optional entry times (left truncation: customers observed
only from that time on), case weights and labels, as arrays or as column names of a table
(``data=``). A customer is at risk at time ``t`` if ``entry < t <= duration``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, format_p, result
from ..errors import DataError
from ._data import SurvivalInput, labels, read

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["RMST", "KaplanMeier", "LogRankTest", "NelsonAalen", "SurvivalAt", "kaplan_meier",
           "logrank_test", "nelson_aalen", "rmst"]

_KM = "customers.kaplan_meier"
_NA = "customers.nelson_aalen"
_LR = "customers.logrank_test"
_RMST = "customers.rmst"
_CI = ("log-log", "plain")
_WEIGHTINGS = ("logrank", "wilcoxon", "tarone-ware", "peto", "fleming-harrington")


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def _at_risk(t: np.ndarray, w: np.ndarray, entry: np.ndarray | None,
             times: np.ndarray) -> np.ndarray:
    """``Σ w [entry < time <= t]`` at each of ``times`` (``entry`` None: ``Σ w [t >= time]``)."""
    order = np.argsort(t, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(w[order])])
    exited = cum[np.searchsorted(t[order], times, side="left")]
    if entry is None:
        return cum[-1] - exited
    eorder = np.argsort(entry, kind="stable")
    ecum = np.concatenate([[0.0], np.cumsum(w[eorder])])
    entered = ecum[np.searchsorted(entry[eorder], times, side="left")]
    return np.maximum(entered - exited, 0.0)


def _table(d: SurvivalInput) -> tuple[np.ndarray, ...]:
    """Distinct durations with the weight at risk, of events and of censored rows there.

    Without entry times the weight at risk is the reverse cumulative sum of the weight
    leaving at each time, so one grouping of the durations is all the work: by counting
    when they are whole numbers in a range not much wider than their number (days, weeks,
    months), else by one radix sort of the durations packed with their event flags
    (without weights) or one argsort (with weights). With entry times, entries are counted
    by a second sort.
    """
    t, w = d.durations, d.weights
    if d.entry is None:
        from .._kernels.risk_table import sorted_table, whole_number_table

        times, total, events, done = whole_number_table(
            t, d.event, w if d.weighted else np.zeros(0))
        if not done and not d.weighted:
            return sorted_table(t, d.event)
        if not done:
            order = np.argsort(t)
            ts = t[order]
            starts = np.flatnonzero(np.concatenate(([True], ts[1:] != ts[:-1])))
            times = ts[starts]
            total = np.add.reduceat(w[order], starts) if t.size else np.zeros(0)
            events = (np.add.reduceat((w * d.event)[order], starts) if t.size
                      else np.zeros(0))
        return times, np.cumsum(total[::-1])[::-1], events, total - events
    times, inverse = np.unique(t, return_inverse=True)
    events = np.bincount(inverse, weights=w * d.event, minlength=times.size)
    total = np.bincount(inverse, weights=w, minlength=times.size)
    at_risk = _at_risk(t, w, d.entry, times)
    return times, at_risk, events, total - events


def _first_below(time: np.ndarray, curve: np.ndarray, q: float) -> float:
    """The first time the step curve is at or below ``q`` (inf if it never is)."""
    below = curve <= q
    first = int(np.argmax(below)) if below.size else -1  # argmax stops at the first True
    return float(time[first]) if first >= 0 and below[first] else math.inf


def _km_bounds(s: np.ndarray, greenwood: np.ndarray, z: float,
               ci: str) -> tuple[np.ndarray, np.ndarray]:
    if ci == "plain":
        half = z * s * np.sqrt(greenwood)
        return np.clip(s - half, 0.0, 1.0), np.clip(s + half, 0.0, 1.0)
    # exp(-exp(ln(-ln S) -/+ z sqrt(greenwood) / ln S)), in place on few buffers (a curve
    # has a row per distinct duration: up to one per customer). S near 1 or 0: the log-log
    # transform runs to +-inf and the bound to 1 or 0 (its limit)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lv = np.log(s)
        spread = np.sqrt(greenwood)
        np.multiply(z, spread, out=spread)
        np.divide(spread, lv, out=spread)
        np.negative(lv, out=lv)
        centre = np.log(lv, out=lv)
        lower = np.subtract(centre, spread)
        upper = np.add(centre, spread, out=spread)
        for bound in (lower, upper):
            np.exp(bound, out=bound)
            np.negative(bound, out=bound)
            np.exp(bound, out=bound)
            bound[np.isnan(bound)] = 1.0
    return lower, upper


@result
class SurvivalAt(Result):
    """Kaplan–Meier survival read at given times (the step curve is right-continuous).

    Attributes
    ----------
    time : ndarray of float
    survival : ndarray of float
        ``S(t)``: 1 before the first distinct duration.
    variance : ndarray of float
        Greenwood's variance of ``S(t)``.
    lower, upper : ndarray of float
        The curve's interval at ``t`` (as :class:`KaplanMeier`).
    at_risk : ndarray of float
        Weight at risk just before ``t`` (``entry < t <= duration``).
    level : float
    ci : str
    """

    time: np.ndarray
    survival: np.ndarray
    variance: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    level: float
    ci: str

    def _title(self) -> str:
        return "Kaplan-Meier survival at given times"

    def _summary(self) -> list[str]:
        return [f"{self.level:.0%} {self.ci} intervals"]

    def _columns(self) -> dict:
        return {"time": self.time, "survival": self.survival, "variance": self.variance,
                "lower": self.lower, "upper": self.upper, "at_risk": self.at_risk}


@result
class KaplanMeier(Result):
    """A Kaplan–Meier survival curve: one row per distinct duration.

    Attributes
    ----------
    time : ndarray of float
        Distinct durations (events and censorings), increasing.
    at_risk : ndarray of float
        Weight at risk at ``time`` (``entry < time <= duration``).
    events, censored : ndarray of float
        Weight of the events, and of the censored rows, at ``time``.
    survival : ndarray of float
        ``S(t) = Π_{s <= t} (1 − d_s / n_s)``.
    variance : ndarray of float
        Greenwood's variance ``S(t)² Σ_{s <= t} d_s / (n_s (n_s − d_s))`` (a term with
        ``n_s = d_s``, where the curve drops to 0, counts 0, as in lifelines).
    lower, upper : ndarray of float
        Pointwise interval at ``level``: log-log (``exp(−exp(ln(−ln S) ∓ z σ / ln S))``
        with ``σ²`` the Greenwood sum, lifelines' and R's ``conf.type="log-log"``) or plain
        (``S ± z √variance``, clipped to [0, 1]).
    median : float
        The first time the curve is at or below 0.5 (inf if never), as lifelines.
    median_lower, median_upper : float
        The same for the lower and upper curves: the median's interval (Brookmeyer and
        Crowley's construction by inverting the pointwise interval).
    n, n_events : float
        Total weight, weight of the events.
    level : float
    ci : str
        ``'log-log'`` or ``'plain'``.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53, 457–481. Klein, J. P. & Moeschberger, M. L. (2003). *Survival Analysis*,
    2nd ed., §4.2 and §4.5 (Greenwood's formula, log-log intervals, median intervals).
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    survival: np.ndarray
    variance: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    median: float
    median_lower: float
    median_upper: float
    n: float
    n_events: float
    level: float
    ci: str
    _greenwood: np.ndarray

    _key = "time"

    def _title(self) -> str:
        return "Kaplan-Meier survival"

    def _summary(self) -> list[str]:
        return [f"{self.n:g} customers, {self.n_events:g} events; median {self.median:.4g} "
                f"({self.level:.0%} interval {self.median_lower:.4g} to "
                f"{self.median_upper:.4g}); {self.ci} intervals"]

    def _columns(self) -> dict:
        return {"time": self.time, "at_risk": self.at_risk, "events": self.events,
                "censored": self.censored, "survival": self.survival,
                "variance": self.variance, "lower": self.lower, "upper": self.upper}

    def at(self, times: ArrayLike) -> SurvivalAt:
        """Survival, its variance and interval at ``times`` (>= 0).

        Examples
        --------
        >>> from cxpath.customers import kaplan_meier
        >>> km = kaplan_meier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0])
        >>> km.at([0, 8, 30]).survival.round(4).tolist()
        [1.0, 0.6, 0.3]
        """
        func = "KaplanMeier.at"
        t = v.as_float_array(times, "times", func, low=0.0, min_size=0)
        i = np.searchsorted(self.time, t, side="right") - 1
        inside = i >= 0
        j = np.maximum(i, 0)

        def pick(values, before):
            return np.where(inside, values[j] if values.size else before, before)

        n_before = np.concatenate([self.at_risk, [0.0]])
        k = np.searchsorted(self.time, t, side="left")
        return SurvivalAt(t, pick(self.survival, 1.0), pick(self.variance, 0.0),
                          pick(self.lower, 1.0), pick(self.upper, 1.0), n_before[k],
                          self.level, self.ci)


def kaplan_meier(durations: ColumnLike, event: ColumnLike | None = None, *,
                 data: TableLike = None, entry: ColumnLike | None = None,
                 weights: ColumnLike | None = None, level: float = 0.95,
                 ci: str = "log-log") -> KaplanMeier:
    """The Kaplan–Meier survival curve of customers (time to churn), with intervals.

    Parameters
    ----------
    durations : column or array-like of float
        Time of the event or of censoring, >= 0 (a column name of ``data`` or the values).
    event : column or array-like of bool or 0/1, optional
        1/True: the event (churn) was observed; 0/False: censored (still a customer at
        ``durations``). Default: all events.
    data : table, optional
        pandas/polars DataFrame, pyarrow Table or dict of columns, when the other
        arguments name columns.
    entry : column or array-like of float, optional
        Time each customer came under observation (left truncation), ``< durations``.
    weights : column or array-like of float, optional
        Case weights (> 0), e.g. counts of identical customers.
    level : float, default 0.95
        Level of the intervals.
    ci : {'log-log', 'plain'}
        Pointwise interval: log-log (default, as lifelines and R) or plain.

    Returns
    -------
    KaplanMeier

    Raises
    ------
    DataError
        Negative or non-finite durations, event flags other than 0/1, entry not before the
        duration, weights not > 0, columns of different lengths.

    Examples
    --------
    >>> from cxpath.customers import kaplan_meier
    >>> km = kaplan_meier([5, 8, 8, 12, 20], [1, 1, 0, 1, 0])
    >>> km.survival.round(4).tolist(), km.median
    ([0.8, 0.6, 0.3, 0.3], 12.0)
    >>> km.lower.round(4).tolist()
    [0.2038, 0.1257, 0.0123, 0.0123]
    """
    level = v.check_real(level, "level", _KM, low=0.0, high=1.0, closed="neither")
    ci = v.check_option(ci, "ci", _KM, _CI)
    d = read(_KM, durations, event, data=data, entry=entry, weights=weights)
    return _kaplan_meier(d, level, ci)


def _kaplan_meier(d: SurvivalInput, level: float, ci: str) -> KaplanMeier:
    from .._kernels.risk_table import product_limit

    time, n, dd, c = _table(d)
    s, gw = product_limit(n, dd)
    lower, upper = _km_bounds(s, gw, _z(level), ci)
    return KaplanMeier(time, n, dd, c, s, s * s * gw, lower, upper,
                       _first_below(time, s, 0.5), _first_below(time, lower, 0.5),
                       _first_below(time, upper, 0.5),
                       float(d.weights.sum()) if d.entry is not None or not n.size else
                       float(n[0]),  # without entry times everyone is at risk at first
                       float(dd.sum()), level, ci, gw)


@result
class NelsonAalen(Result):
    """The Nelson–Aalen cumulative hazard: one row per distinct duration.

    Attributes
    ----------
    time, at_risk, events, censored : ndarray of float
        As :class:`KaplanMeier`.
    cumulative_hazard : ndarray of float
        ``H(t) = Σ_{s <= t} h_s``: with ``ties='smooth'`` ``h_s = Σ_{k=0}^{d_s−1} 1/(n_s−k)``
        (tied events as if one after the other; lifelines' default), with
        ``ties='discrete'`` ``h_s = d_s / n_s``.
    variance : ndarray of float
        ``Σ_{k=0}^{d−1} 1/(n−k)²`` summed over times (smooth) or ``Σ d (n − d) / n³``
        (discrete), as lifelines' ``NelsonAalenFitter``.
    lower, upper : ndarray of float
        ``H exp(∓ z √variance / H)`` (log-transformed interval).
    level : float
    ties : str

    References
    ----------
    Aalen, O. (1978). Nonparametric inference for a family of counting processes. *Annals
    of Statistics* 6, 701–726. Klein & Moeschberger (2003), §4.2.
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    cumulative_hazard: np.ndarray
    variance: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    ties: str

    _key = "time"

    def _title(self) -> str:
        return "Nelson-Aalen cumulative hazard"

    def _summary(self) -> list[str]:
        return [f"{self.events.sum():g} events; {self.ties} ties, {self.level:.0%} "
                "log-transformed intervals"]

    def _columns(self) -> dict:
        return {"time": self.time, "at_risk": self.at_risk, "events": self.events,
                "censored": self.censored, "cumulative_hazard": self.cumulative_hazard,
                "variance": self.variance, "lower": self.lower, "upper": self.upper}


def nelson_aalen(durations: ColumnLike, event: ColumnLike | None = None, *,
                 data: TableLike = None, entry: ColumnLike | None = None,
                 weights: ColumnLike | None = None, level: float = 0.95,
                 ties: str = "smooth") -> NelsonAalen:
    """The Nelson–Aalen estimate of the cumulative hazard of churn, with its variance.

    Parameters
    ----------
    durations, event, data, entry, weights
        As :func:`kaplan_meier`.
    level : float, default 0.95
    ties : {'smooth', 'discrete'}
        Tied events as if they happened one after the other (default, as lifelines) or
        ``d / n`` per time.

    Returns
    -------
    NelsonAalen

    Raises
    ------
    DataError
        As :func:`kaplan_meier`.

    Examples
    --------
    >>> from cxpath.customers import nelson_aalen
    >>> na = nelson_aalen([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], ties="discrete")
    >>> na.cumulative_hazard.round(4).tolist()
    [0.2, 0.45, 0.95, 0.95]
    """
    level = v.check_real(level, "level", _NA, low=0.0, high=1.0, closed="neither")
    ties = v.check_option(ties, "ties", _NA, ("smooth", "discrete"))
    d = read(_NA, durations, event, data=data, entry=entry, weights=weights)
    time, n, dd, c = _table(d)
    ok = (n > 0) & (dd > 0)
    safe_n = np.where(ok, n, 1.0)
    if ties == "smooth":
        rest = np.where(ok, np.maximum(safe_n - dd, 0.0) + 1.0, 1.0)
        h = np.where(ok, special.digamma(safe_n + 1.0) - special.digamma(rest), 0.0)
        var = np.where(ok, special.polygamma(1, rest) - special.polygamma(1, safe_n + 1.0),
                       0.0)
    else:
        h = np.where(ok, dd / safe_n, 0.0)
        var = np.where(ok, (safe_n - dd) * dd / safe_n ** 3, 0.0)
    cum, cvar = np.cumsum(h), np.cumsum(var)
    z = _z(level)
    scale = np.exp(z * np.sqrt(cvar) / np.where(cum == 0, 1.0, cum))
    return NelsonAalen(time, n, dd, c, cum, cvar, cum / scale, cum * scale, level, ties)


@result
class LogRankTest(Result):
    """A (weighted, stratified) log-rank test: one row per group.

    Attributes
    ----------
    group : ndarray
    n : ndarray of float
        Weight of the group's rows.
    observed : ndarray of float
        ``Σ_t w(t) d_g(t)``: weighted events of the group.
    expected : ndarray of float
        ``Σ_t w(t) n_g(t) d(t) / n(t)``: under equal hazards.
    variance : ndarray of float
        Diagonal of the covariance of ``observed − expected``.
    covariance : ndarray of float
        ``V_gh = Σ_t w(t)² d (n − d) / (n − 1) · n_g/n (δ_gh − n_h/n)``, summed over strata.
    statistic : float
        ``(O − E)ᵀ V⁻ (O − E)`` over the first k − 1 groups, χ²(k − 1) under the null.
    df : int
    p_value : float
    weighting : str
        ``'logrank'`` (w = 1), ``'wilcoxon'`` (Gehan–Breslow, w = n), ``'tarone-ware'``
        (w = √n), ``'peto'`` (w = Π_{s <= t}(1 − d/(n + 1))) or ``'fleming-harrington'``
        (w = S(t−)^p (1 − S(t−))^q, pooled Kaplan–Meier); as lifelines'
        ``multivariate_logrank_test``.
    n_strata : int

    References
    ----------
    Mantel, N. (1966); Peto, R. & Peto, J. (1972); Klein & Moeschberger (2003), §7.3 (k
    groups, weights) and §7.5 (stratified tests).
    """

    group: np.ndarray
    n: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    covariance: np.ndarray
    statistic: float
    df: int
    p_value: float
    weighting: str
    n_strata: int

    _key = "group"

    def _title(self) -> str:
        return f"Log-rank test ({self.weighting}) of {self.group.size} groups"

    def _summary(self) -> list[str]:
        strata = f", {self.n_strata} strata" if self.n_strata > 1 else ""
        return [f"chi2 = {self.statistic:.4f} on {self.df} df, {format_p(self.p_value)}"
                f"{strata}"]

    def _columns(self) -> dict:
        return {"group": self.group, "n": self.n, "observed": self.observed,
                "expected": self.expected, "variance": self.variance}


def _group_tables(d: SurvivalInput, codes: np.ndarray, k: int):
    """Distinct durations, and per group (columns) the weight at risk and of events."""
    times, inverse = np.unique(d.durations, return_inverse=True)
    m = times.size
    ev = np.bincount(inverse * k + codes, weights=d.weights * d.event,
                     minlength=m * k).reshape(m, k)
    nr = np.empty((m, k))
    for g in range(k):
        rows = codes == g
        nr[:, g] = _at_risk(d.durations[rows], d.weights[rows],
                            None if d.entry is None else d.entry[rows], times)
    return times, nr, ev


def logrank_test(durations: ColumnLike, event: ColumnLike | None = None,
                 group: ColumnLike | None = None, *, data: TableLike = None,
                 strata: ColumnLike | None = None, entry: ColumnLike | None = None,
                 weights: ColumnLike | None = None, weighting: str = "logrank",
                 p: float = 0.0, q: float = 0.0) -> LogRankTest:
    """Test whether k groups of customers churn alike: the (weighted, stratified) log-rank test.

    Parameters
    ----------
    durations, event, data, entry, weights
        As :func:`kaplan_meier` (``weights`` are case weights).
    group : column or array-like
        Group of each row (at least two groups).
    strata : column or array-like, optional
        Stratum of each row: observed − expected and its covariance are summed over the
        strata (the stratified log-rank test).
    weighting : {'logrank', 'wilcoxon', 'tarone-ware', 'peto', 'fleming-harrington'}
        Weight of each event time (see :class:`LogRankTest`).
    p, q : float, default 0
        Exponents of the Fleming–Harrington weight (>= 0).

    Returns
    -------
    LogRankTest

    Raises
    ------
    DataError
        As :func:`kaplan_meier`; fewer than two groups; no event.

    Examples
    --------
    >>> from cxpath.customers import logrank_test
    >>> t = logrank_test([3, 5, 7, 9, 4, 6, 10, 12], [1, 1, 1, 0, 1, 0, 1, 1],
    ...                  group=["a"] * 4 + ["b"] * 4)
    >>> round(t.statistic, 4), round(t.p_value, 4)
    (1.1538, 0.2827)
    """
    weighting = v.check_option(weighting, "weighting", _LR, _WEIGHTINGS)
    p = v.check_real(p, "p", _LR, low=0.0)
    q = v.check_real(q, "q", _LR, low=0.0)
    d = read(_LR, durations, event, data=data, entry=entry, weights=weights)
    if group is None:
        v.fail("group", _LR, "the group of each row (a column or values)", None)
    names, codes = labels(_LR, "group", group, data, d.n)
    k = names.size
    if k < 2:
        v.fail("group", _LR, "at least two distinct groups", got=f"{k} group(s)", data=True)
    if not d.event.any():
        raise DataError(f"{_LR} needs at least one event (every row is censored).")
    if strata is None:
        scodes, n_strata = np.zeros(d.n, dtype=np.int64), 1
    else:
        snames, scodes = labels(_LR, "strata", strata, data, d.n)
        n_strata = snames.size
    observed, expected, cov = np.zeros(k), np.zeros(k), np.zeros((k, k))
    for s in range(n_strata):
        rows = scodes == s
        part = SurvivalInput(d.durations[rows], d.event[rows],
                             None if d.entry is None else d.entry[rows], d.weights[rows],
                             d.weighted)
        o, e, vs = _logrank_parts(part, codes[rows], k, weighting, p, q)
        observed += o
        expected += e
        cov += vs
    z = observed - expected
    stat = float(z[:-1] @ np.linalg.pinv(cov[:-1, :-1]) @ z[:-1])
    n_g = np.bincount(codes, weights=d.weights, minlength=k)
    return LogRankTest(names, n_g, observed, expected, np.diag(cov).copy(), cov, stat, k - 1,
                       float(stats.chi2.sf(stat, k - 1)), weighting, n_strata)


def _lr_weights(times, nr, ev, weighting, p, q) -> np.ndarray:
    n = nr.sum(1)
    dd = ev.sum(1)
    if weighting == "logrank":
        return np.ones(times.size)
    if weighting == "wilcoxon":
        return n
    if weighting == "tarone-ware":
        return np.sqrt(n)
    expected = np.where(n > 0, dd / np.where(n > 0, n, 1.0), 0.0)
    if weighting == "peto":
        return np.cumprod(1.0 - expected * n / (n + 1.0))
    s = np.cumprod(1.0 - expected)
    s_before = np.concatenate([[1.0], s[:-1]])
    return s_before ** p * (1.0 - s_before) ** q


def _logrank_parts(part, codes, k, weighting, p, q):
    times, nr, ev = _group_tables(part, codes, k)
    w = _lr_weights(times, nr, ev, weighting, p, q)
    n = nr.sum(1)
    dd = ev.sum(1)
    safe = np.where(n > 0, n, 1.0)
    share = nr / safe[:, None]
    observed = (w[:, None] * ev).sum(0)
    expected = (w[:, None] * share * dd[:, None]).sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, (n - dd) / (n - 1.0), 1.0) * dd
    factor = np.where(n > 0, factor, 0.0)
    a = w ** 2 * factor
    cov = np.diag((a[:, None] * share).sum(0)) - (a[:, None] * share).T @ share
    return observed, expected, cov


@result
class RMST(Result):
    """Restricted mean survival time up to ``tau``: one row per group.

    Attributes
    ----------
    group : ndarray
        Group labels (``'all'`` without groups).
    rmst : ndarray of float
        ``∫_0^tau S(u) du`` of the group's Kaplan–Meier curve: the mean time as a customer
        within the first ``tau``.
    se : ndarray of float
        √ of ``Σ_{t_i <= tau} A_i² d_i / (n_i (n_i − d_i))``, ``A_i = ∫_{t_i}^tau S(u) du``.
    lower, upper : ndarray of float
        ``rmst ± z se``.
    n, n_events : ndarray of float
    tau : float
    level : float
    difference, difference_se, difference_lower, difference_upper, difference_p : float
        First group minus second (two groups only; NaN otherwise): the difference, its
        standard error ``√(se_1² + se_2²)``, interval and two-sided z-test p-value.

    References
    ----------
    Klein & Moeschberger (2003), §4.5 (restricted mean and its variance); Royston, P. &
    Parmar, M. K. B. (2013). Restricted mean survival time. *BMC Med. Res. Methodol.* 13,
    152; as R's ``survRM2::rmst2``.
    """

    group: np.ndarray
    rmst: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    n: np.ndarray
    n_events: np.ndarray
    tau: float
    level: float
    difference: float
    difference_se: float
    difference_lower: float
    difference_upper: float
    difference_p: float

    _key = "group"

    def _title(self) -> str:
        return f"Restricted mean survival time up to {self.tau:g}"

    def _summary(self) -> list[str]:
        if math.isnan(self.difference):
            return [f"{self.level:.0%} intervals"]
        return [f"difference {self.group[0]} - {self.group[1]}: {self.difference:.4g} "
                f"({self.level:.0%} interval {self.difference_lower:.4g} to "
                f"{self.difference_upper:.4g}), {format_p(self.difference_p)}"]

    def _columns(self) -> dict:
        return {"group": self.group, "rmst": self.rmst, "se": self.se, "lower": self.lower,
                "upper": self.upper, "n": self.n, "n_events": self.n_events}


def _rmst_one(d: SurvivalInput, tau: float) -> tuple[float, float]:
    km = _kaplan_meier(d, 0.95, "log-log")
    keep = km.time <= tau
    t = km.time[keep]
    s = km.survival[keep]
    knots = np.concatenate([[0.0], t, [tau]])
    level = np.concatenate([[1.0], s])
    pieces = level * np.diff(knots)
    area = float(pieces.sum())
    # A_i = area from t_i to tau = sum of the pieces after knot i
    after = np.cumsum(pieces[::-1])[::-1][1:]
    n, dd = km.at_risk[keep], km.events[keep]
    term = np.where((n > dd) & (dd > 0), dd / np.where(n > dd, n * (n - dd), 1.0), 0.0)
    return area, float(np.sqrt((after ** 2 * term).sum()))


def rmst(durations: ColumnLike, event: ColumnLike | None = None, *, tau: float,
         group: ColumnLike | None = None, data: TableLike = None,
         entry: ColumnLike | None = None, weights: ColumnLike | None = None,
         level: float = 0.95) -> RMST:
    """Restricted mean survival time (mean time as a customer within ``tau``), per group.

    Parameters
    ----------
    durations, event, data, entry, weights
        As :func:`kaplan_meier`.
    tau : float
        The horizon (> 0).
    group : column or array-like, optional
        Group of each row; with exactly two groups the difference (first minus second, in
        sorted label order) is tested.
    level : float, default 0.95

    Returns
    -------
    RMST

    Raises
    ------
    DataError
        As :func:`kaplan_meier`.

    Examples
    --------
    >>> from cxpath.customers import rmst
    >>> r = rmst([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], tau=15)
    >>> round(float(r.rmst[0]), 4)
    10.7
    """
    tau = v.check_real(tau, "tau", _RMST, low=0.0, closed="neither")
    level = v.check_real(level, "level", _RMST, low=0.0, high=1.0, closed="neither")
    d = read(_RMST, durations, event, data=data, entry=entry, weights=weights)
    if group is None:
        names, codes = np.array(["all"], dtype=object), np.zeros(d.n, dtype=np.int64)
    else:
        names, codes = labels(_RMST, "group", group, data, d.n)
    k = names.size
    area, se, n, ne = np.empty(k), np.empty(k), np.empty(k), np.empty(k)
    for g in range(k):
        rows = codes == g
        part = SurvivalInput(d.durations[rows], d.event[rows],
                             None if d.entry is None else d.entry[rows], d.weights[rows],
                             d.weighted)
        area[g], se[g] = _rmst_one(part, tau)
        n[g] = part.weights.sum()
        ne[g] = (part.weights * part.event).sum()
    z = _z(level)
    diff = dse = dlo = dhi = dp = math.nan
    if k == 2:
        diff = float(area[0] - area[1])
        dse = float(math.hypot(se[0], se[1]))
        dlo, dhi = diff - z * dse, diff + z * dse
        dp = float(2 * stats.norm.sf(abs(diff) / dse)) if dse > 0 else math.nan
    return RMST(names, area, se, area - z * se, area + z * se, n, ne, tau, level, diff, dse,
                dlo, dhi, dp)
