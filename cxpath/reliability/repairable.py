"""Repairable systems: the mean cumulative function, the power-law (Crow–AMSAA) process and
trend tests, from the recurrence histories of one or more systems.

Recurrence data are the ages at which each system failed (and was repaired and put back
in service) and the age at which its history ends (the end of observation). Systems may
have different end ages and systems without any failure count too. Every function here
takes the same three arguments:

``time``
    Age of each recurrence (> 0), all systems together.
``system``
    The system of each recurrence (labels); omit it for a single system.
``end``
    Age at which each system's history ends: one number for every system, or a mapping
    ``{system: end age}`` (which may name systems without recurrences). A recurrence at
    the end age counts (the system was still observed then).

:func:`mcf` gives Nelson's nonparametric mean cumulative function with naive (Poisson) or
robust (Nelson 1995, Lawless & Nadeau 1995) variance and plain or log-transformed
intervals; :func:`crow_amsaa` fits the power-law non-homogeneous Poisson process
``E N(t) = λ t^β`` by maximum likelihood (time- or failure-truncated, one or many systems,
optionally with the unbiased β of MIL-HDBK-189C) with intervals for β and the
instantaneous MTBF; :func:`trend_test` runs the Laplace, MIL-HDBK-189 and Lewis–Robinson
tests against a constant rate of occurrence of failures.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._lazy import lazy_module
from .._results import Result, derived_columns, result

if TYPE_CHECKING:
    from .._typing import ArrayLike

optimize = lazy_module("scipy.optimize")
stats = lazy_module("scipy.stats")

__all__ = ["MeanCumulativeFunction", "PowerLawFit", "TrendTest", "crow_amsaa", "mcf",
           "trend_test"]

TRUNCATIONS = ("time", "failure")


class _Histories:
    """Recurrence histories, one entry per system, systems in a fixed order."""

    __slots__ = ("ends", "labels", "times", "values")

    def __init__(self, labels, times, values, ends):
        self.labels, self.times, self.values, self.ends = labels, times, values, ends

    @property
    def n_systems(self) -> int:
        return len(self.labels)

    @property
    def n_events(self) -> int:
        return int(sum(t.size for t in self.times))


def _label_list(system, n: int, func: str) -> list:
    if isinstance(system, (str, bytes, Mapping)) or v.ndim(system) != 1:
        v.fail("system", func, "a 1-D sequence of system labels, one per recurrence", system,
               wrong_type=True)
    arr = v.array(system, "system", func, dtype=object)
    out = arr.tolist()
    if len(out) != n:
        v.fail("system", func, f"of the same length as 'time' ({n})", got=f"length {len(out)}",
               data=True)
    for i, x in enumerate(out):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            v.fail("system", func, "free of missing labels", got=f"{x!r} at position {i}",
                   data=True)
        try:
            hash(x)
        except TypeError:
            v.fail("system", func, "hashable labels (numbers or strings)",
                   got=f"{type(x).__name__} at position {i}", wrong_type=True)
    return out


def _end_value(x, name: str, func: str, where: str = "") -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        v.fail(name, func, "a positive end-of-observation age", got=f"{x!r}{where}",
               wrong_type=True)
    x = float(x)
    if not (math.isfinite(x) and x > 0):
        v.fail(name, func, "a positive finite end-of-observation age", got=f"{x!r}{where}",
               data=True)
    return x


def histories(time: Any, system: Any, end: Any, func: str, *, truncation: str = "time",
              cost: Any = None, min_events: int = 1) -> _Histories:
    """Check and split recurrence data into per-system sorted histories."""
    t = v.as_float_array(time, "time", func, low=0.0, closed="neither", min_size=min_events)
    w = None
    if cost is not None:
        w = v.as_float_array(cost, "cost", func, min_size=0)
        v.check_same_length(func, time=t, cost=w)
    labels = [0] * t.size if system is None else _label_list(system, t.size, func)
    order: dict = {}
    if isinstance(end, Mapping):
        if system is None:
            v.fail("end", func, "a number when 'system' is not given (one system)",
                   got="a mapping", wrong_type=True)
        if not end:
            v.fail("end", func, "a non-empty mapping {system: end age}", got="{}", data=True)
        for key, x in end.items():
            order[key] = _end_value(x, "end", func, f" for system {key!r}")
    for x in labels:
        order.setdefault(x, None)
    if isinstance(end, Mapping):
        missing = [k for k, x in order.items() if x is None]
        if missing:
            v.fail("end", func, "a mapping with an end age for every system",
                   got=f"no end age for system {missing[0]!r}", data=True)
    elif end is not None:
        e = _end_value(end, "end", func)
        order = dict.fromkeys(order, e)
    keys = list(order)
    index = {k: i for i, k in enumerate(keys)}
    code = np.array([index[x] for x in labels], dtype=np.int64)
    times, values = [], []
    for i in range(len(keys)):
        sel = code == i
        ti = t[sel]
        srt = np.argsort(ti, kind="stable")
        times.append(np.ascontiguousarray(ti[srt]))
        values.append(None if w is None else np.ascontiguousarray(w[sel][srt]))
    if end is None:
        if truncation == "time":
            v.fail("end", func, "the end-of-observation age: a number or a mapping "
                   "{system: end age} (it may only be omitted with truncation='failure')",
                   end, wrong_type=True)
        ends = np.array([ti[-1] for ti in times])
    else:
        if truncation == "failure":
            v.fail("end", func, "None with truncation='failure' (each history ends at its "
                   "system's last failure)", got="an end age")
        ends = np.array([order[k] for k in keys], dtype=float)
        for i, ti in enumerate(times):
            if ti.size and ti[-1] > ends[i]:
                v.fail("time", func, "at most the end age of its system",
                       got=f"{ti[-1]:g} for system {keys[i]!r} (end age {ends[i]:g})",
                       data=True)
    return _Histories(np.array(keys, dtype=object), times, values, ends)


def _level(level, func: str) -> float:
    return v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


# -- mean cumulative function ------------------------------------------------------------

@result
class MeanCumulativeFunction(Result):
    """Nelson's nonparametric mean cumulative function of recurrence data, with intervals.

    One row per distinct recurrence age: the systems at risk, the recurrences (or their
    cost), the MCF and its standard error and bounds.

    Attributes
    ----------
    time : ndarray of float
        Distinct recurrence ages.
    at_risk : ndarray of float
        Systems still observed at the age (end age at or after it).
    events : ndarray of float
        Recurrences (or summed cost) at the age.
    mcf, se, lower, upper : ndarray of float
        The MCF (mean cumulative number or cost per system), its standard error and bounds.
    variance : str
        ``'robust'`` or ``'poisson'``.
    transform : str
        ``'log'`` or ``'none'``.
    level : float
    n_systems : int
    systems : ndarray
        System labels, in the order used.
    ends : ndarray of float
        End age of each system.
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    mcf: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    variance: str
    transform: str
    level: float
    n_systems: int
    systems: np.ndarray
    ends: np.ndarray

    def _title(self) -> str:
        return "Mean cumulative function"

    def _summary(self) -> list[str]:
        return [f"{self.n_systems} systems, {self.events.sum():g} recurrences; "
                f"{self.level:.0%} {self.variance} bounds ({self.transform} scale)"]

    def _columns(self) -> dict:
        return {"time": self.time, "at_risk": self.at_risk, "events": self.events,
                "mcf": self.mcf, "se": self.se, "lower": self.lower, "upper": self.upper}

    def at(self, t: ArrayLike) -> Any:
        """The MCF at ages ``t`` (a step function, right-continuous; 0 before the first
        recurrence). Float for a scalar, else an array.

        Examples
        --------
        >>> from cxpath.reliability import mcf
        >>> m = mcf([2.0, 5.0, 3.0], system=["a", "a", "b"], end={"a": 6, "b": 4})
        >>> m.at([1.0, 2.5, 5.0]).tolist()
        [0.0, 0.5, 2.0]
        """
        func = "reliability.MeanCumulativeFunction.at"
        scalar = v.ndim(t) == 0
        arr = v.as_float_array(np.atleast_1d(t) if scalar else t, "t", func, ndim=None,
                               low=0.0, allow_inf=True)
        k = np.searchsorted(self.time, arr, side="right")
        vals = np.concatenate([[0.0], self.mcf])[k]
        return float(vals.ravel()[0]) if scalar else vals


def mcf(time: ArrayLike, system: ArrayLike | None = None, end: Any = None, *,
        cost: ArrayLike | None = None, variance: str = "robust", transform: str = "log",
        level: float = 0.95) -> MeanCumulativeFunction:
    """Nelson's nonparametric mean cumulative function (MCF) of recurrence data.

    Parameters
    ----------
    time : array-like of float
        Age of each recurrence (> 0).
    system : array-like, optional
        System of each recurrence; omit for a single system.
    end : float or mapping
        End-of-observation age: one number for every system, or ``{system: age}`` (which
        may include systems without recurrences).
    cost : array-like of float, optional
        Cost of each recurrence, for the MCF of cost; default each recurrence counts 1.
    variance : {'robust', 'poisson'}, default 'robust'
        Nelson's (1995) robust variance, the Lawless–Nadeau (1995) estimator that assumes
        nothing about the process, or the naive variance ``Σ d_k / r_k²`` that holds when
        each system's recurrences follow a Poisson process.
    transform : {'log', 'none'}, default 'log'
        Bounds ``M exp(± z se / M)`` (never negative) or ``M ± z se``.
    level : float, default 0.95
        Confidence level of the pointwise bounds.

    Returns
    -------
    MeanCumulativeFunction

    Raises
    ------
    DataError
        If a recurrence age is not positive or lies after its system's end age, or a
        system has no end age.
    InvalidParameterError
        For an unknown ``variance`` or ``transform``, or a level outside (0, 1).
    CostError
        If the robust variance would need more memory than the cap (systems × ages).

    Notes
    -----
    At each distinct recurrence age ``t_k`` with ``r_k`` systems at risk (end age ≥
    ``t_k``) and ``d_k`` recurrences, the MCF steps by ``d_k / r_k`` (Nelson 2003, ch. 5).
    The robust variance is ``Σ_i [Σ_{t_k ≤ t} δ_ik (d_ik − d_k / r_k) / r_k]²`` over the
    systems ``i`` (``δ_ik`` = 1 while system ``i`` is at risk, ``d_ik`` its recurrences at
    ``t_k``). With every system observed to the same age it is the spread of the
    systems' cumulative counts, ``Σ_i (N_i(t) − M(t))² / n²``.

    References
    ----------
    Nelson, W. B. (1995). Confidence limits for recurrence data — applied to cost or number
    of product repairs. *Technometrics* 37, 147–157.
    Lawless, J. F. & Nadeau, C. (1995). Some simple robust methods for the analysis of
    recurrent events. *Technometrics* 37, 158–168.
    Nelson, W. B. (2003). *Recurrent Events Data Analysis for Product Repairs, Disease
    Recurrences, and Other Applications*. ASA-SIAM.

    Examples
    --------
    >>> from cxpath.reliability import mcf
    >>> m = mcf([5, 10, 15, 6, 13, 17], system=[1, 1, 1, 2, 2, 2], end={1: 17, 2: 19, 3: 20})
    >>> m.mcf.round(4).tolist()
    [0.3333, 0.6667, 1.0, 1.3333, 1.6667, 2.0]
    >>> round(float(m.se[0]), 4)
    0.2722
    """
    func = "reliability.mcf"
    variance = v.check_option(variance, "variance", func, ("robust", "poisson"))
    transform = v.check_option(transform, "transform", func, ("log", "none"))
    level = _level(level, func)
    h = histories(time, system, end, func, cost=cost)
    all_t = np.concatenate(h.times)
    grid = np.unique(all_t)
    n_sys, n_t = h.n_systems, grid.size
    at_risk = (h.ends[:, None] >= grid[None, :]).sum(axis=0).astype(float)
    events = np.zeros(n_t)
    if variance == "robust":
        check_memory(3.0 * 8 * n_sys * n_t, func, "the robust variance (systems × ages)",
                     how="Use variance='poisson', or group the systems.")
        d = np.zeros((n_sys, n_t))
    for i, ti in enumerate(h.times):
        if ti.size == 0:
            continue
        k = np.searchsorted(grid, ti)
        wi = np.ones(ti.size) if h.values[i] is None else h.values[i]
        np.add.at(events, k, wi)
        if variance == "robust":
            np.add.at(d[i], k, wi)
    step = events / at_risk
    m = np.cumsum(step)
    if variance == "poisson":
        if h.values[0] is None:
            var = np.cumsum(events / at_risk ** 2)
        else:  # compound Poisson: the squared costs
            sq = np.zeros(n_t)
            for i, ti in enumerate(h.times):
                if ti.size:
                    np.add.at(sq, np.searchsorted(grid, ti), h.values[i] ** 2)
            var = np.cumsum(sq / at_risk ** 2)
    else:
        risk = h.ends[:, None] >= grid[None, :]
        a = np.where(risk, (d - step[None, :]) / at_risk[None, :], 0.0)
        np.cumsum(a, axis=1, out=a)
        var = np.einsum("ij,ij->j", a, a)
    se = np.sqrt(np.maximum(var, 0.0))
    z = _z(level)
    if transform == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.exp(z * np.where(m > 0, se / m, 0.0))
        lower, upper = m / f, m * f
    else:
        lower, upper = m - z * se, m + z * se
    return MeanCumulativeFunction(grid, at_risk, events, m, se, lower, upper, variance,
                                  transform, level, n_sys, h.labels, h.ends)


# -- power-law process -------------------------------------------------------------------

@result
class PowerLawFit(Result):
    """The power-law non-homogeneous Poisson process (Crow–AMSAA) fitted to recurrences.

    Expected recurrences by age ``t``: ``λ t^β``; rate of occurrence of failures
    ``λ β t^(β−1)``; instantaneous MTBF its inverse. ``β < 1``: the rate falls (reliability
    growth); ``β > 1``: it rises (deterioration). The table has rows for ``beta``,
    ``lambda`` and the instantaneous ``mtbf`` at age :attr:`at`.

    Attributes
    ----------
    beta, lam : float
        The estimates used (unbiased β when asked for; ``lam`` then re-solved with it).
    beta_mle : float
        The maximum-likelihood β.
    beta_lower, beta_upper : float
        Bounds on β: chi-square (exact, when every system has the same end age) or
        Fisher-matrix (see :attr:`beta_bounds`).
    lam_lower, lam_upper : float
        Fisher-matrix bounds on λ (log scale).
    at : float
        The age of the instantaneous MTBF: the largest end age.
    mtbf, mtbf_lower, mtbf_upper : float
        Instantaneous MTBF at :attr:`at` with Fisher-matrix bounds (delta method on
        ``ln m``).
    covariance : ndarray, shape (2, 2)
        Inverse observed information of (λ, β) at the maximum-likelihood estimates.
    truncation : str
        ``'time'`` or ``'failure'``.
    unbiased : bool
    beta_bounds : str
        ``'chi-square'`` or ``'fisher'``.
    trend : str
        ``'improving'`` (the β interval lies below 1), ``'deteriorating'`` (above 1) or
        ``'none'``.
    level : float
    n_events, n_systems : int
    """

    beta: float
    lam: float
    beta_mle: float
    beta_lower: float
    beta_upper: float
    lam_lower: float
    lam_upper: float
    at: float
    mtbf: float
    mtbf_lower: float
    mtbf_upper: float
    covariance: np.ndarray
    truncation: str
    unbiased: bool
    beta_bounds: str
    level: float
    n_events: int
    n_systems: int

    @property
    def trend(self) -> str:
        if self.beta_upper < 1:
            return "improving"
        if self.beta_lower > 1:
            return "deteriorating"
        return "none"

    @property
    def theta(self) -> float:
        """Scale ``θ = λ^(−1/β)``: ``E N(t) = (t / θ)^β``."""
        return float(self.lam ** (-1.0 / self.beta))

    def _title(self) -> str:
        return "Power-law process (Crow-AMSAA)"

    def _summary(self) -> list[str]:
        kind = "unbiased" if self.unbiased else "maximum-likelihood"
        return [f"{self.n_events} recurrences of {self.n_systems} system(s), "
                f"{self.truncation}-truncated; {kind} beta, trend: {self.trend}",
                f"{self.level:.0%} bounds: beta {self.beta_bounds}, lambda and MTBF "
                "Fisher-matrix"]

    def _columns(self) -> dict:
        return {"quantity": np.array(["beta", "lambda", "mtbf"], dtype=object),
                "estimate": np.array([self.beta, self.lam, self.mtbf]),
                "lower": np.array([self.beta_lower, self.lam_lower, self.mtbf_lower]),
                "upper": np.array([self.beta_upper, self.lam_upper, self.mtbf_upper])}

    _derived = derived_columns({
        "quantity": "row name: 'beta', 'lambda' or 'mtbf' (instantaneous, at ``at``)",
        "estimate": "``beta``, ``lam``, ``mtbf``",
        "lower": "``beta_lower``, ``lam_lower``, ``mtbf_lower``",
        "upper": "``beta_upper``, ``lam_upper``, ``mtbf_upper``"})

    def expected_failures(self, t: ArrayLike) -> Any:
        """Expected recurrences per system by age ``t``: ``λ t^β``.

        Examples
        --------
        >>> from cxpath.reliability import crow_amsaa
        >>> p = crow_amsaa([5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478], end=1500)
        >>> round(p.expected_failures(1500), 6)
        10.0
        """
        t, scalar = _ages(t, "reliability.PowerLawFit.expected_failures")
        out = self.lam * t ** self.beta
        return float(out.ravel()[0]) if scalar else out

    def intensity(self, t: ArrayLike) -> Any:
        """Rate of occurrence of failures ``λ β t^(β−1)`` at age ``t`` (> 0).

        Examples
        --------
        >>> from cxpath.reliability import crow_amsaa
        >>> p = crow_amsaa([5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478], end=1500)
        >>> round(p.intensity(1500) * p.mtbf, 12)
        1.0
        """
        t, scalar = _ages(t, "reliability.PowerLawFit.intensity", positive=True)
        out = self.lam * self.beta * t ** (self.beta - 1)
        return float(out.ravel()[0]) if scalar else out

    def mtbf_at(self, t: ArrayLike) -> Any:
        """Instantaneous MTBF ``1 / (λ β t^(β−1))`` at age ``t`` (> 0).

        Examples
        --------
        >>> from cxpath.reliability import crow_amsaa
        >>> p = crow_amsaa([5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478], end=1500)
        >>> round(p.mtbf_at(1500), 2) == round(p.mtbf, 2)
        True
        """
        t, scalar = _ages(t, "reliability.PowerLawFit.mtbf_at", positive=True)
        out = 1.0 / (self.lam * self.beta * t ** (self.beta - 1))
        return float(out.ravel()[0]) if scalar else out


def _ages(t, func: str, positive: bool = False):
    scalar = v.ndim(t) == 0
    arr = v.as_float_array(np.atleast_1d(t) if scalar else t, "t", func, ndim=None, low=0.0,
                           closed="neither" if positive else "both")
    return arr, scalar


def _power_law_mle(h: _Histories, func: str) -> tuple[float, float]:
    """(λ, β) maximising the likelihood; times scaled by the largest end age."""
    scale = float(h.ends.max())
    ends = h.ends / scale
    log_t = np.concatenate([np.log(ti / scale) for ti in h.times])
    n = log_t.size
    log_e = np.log(ends)
    if np.all(ends == ends[0]):
        s = float(np.sum(log_e[0] - log_t))
        beta = n / s
    else:
        sum_log_t = float(log_t.sum())

        def score(b):
            w = np.exp(b * (log_e - log_e.max()))
            return n / b + sum_log_t - n * float(np.dot(w, log_e) / w.sum())

        lo, hi = 1e-8, 1.0
        while score(hi) > 0:
            hi *= 2.0
            if hi > 1e8:  # pragma: no cover - prevented by the data checks
                v.fail("time", func, "recurrences before the end of observation", data=True,
                       got="a likelihood without a maximum")
        beta = float(optimize.brentq(score, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps))
    lam_scaled = n / float(np.sum(ends ** beta))
    return lam_scaled * scale ** (-beta), beta


def crow_amsaa(time: ArrayLike, system: ArrayLike | None = None, end: Any = None, *,
               truncation: str = "time", unbiased: bool = False,
               level: float = 0.95) -> PowerLawFit:
    """Fit the power-law process (Crow–AMSAA model) ``E N(t) = λ t^β`` by maximum likelihood.

    Parameters
    ----------
    time : array-like of float
        Age of each recurrence (> 0); for reliability-growth testing, the cumulative test
        time of each failure.
    system : array-like, optional
        System of each recurrence; omit for a single system.
    end : float or mapping, optional
        End age of each system's observation (time truncation); omit it with
        ``truncation='failure'``.
    truncation : {'time', 'failure'}, default 'time'
        Time-truncated (observed to ``end``) or failure-truncated (each history ends at its
        system's last failure).
    unbiased : bool, default False
        Use the unbiased β of MIL-HDBK-189C: ``β̂ (N − 1) / N`` time-truncated,
        ``β̂ (N − K − 1) / N`` failure-truncated (``N`` recurrences, ``K`` systems),
        exact when every system has the same end age; λ is then re-solved with it.
    level : float, default 0.95

    Returns
    -------
    PowerLawFit

    Raises
    ------
    DataError
        Fewer than 2 recurrences, every recurrence at its system's end age, a recurrence
        after its end age, or (unbiased, failure-truncated) ``N ≤ K + 1``.
    InvalidParameterError
        For an unknown truncation, an end age with ``truncation='failure'``, a level
        outside (0, 1).

    Notes
    -----
    With ``N`` recurrences ``t_qi`` of systems ``q`` observed to ``T_q``, the likelihood
    gives ``λ = N / Σ_q T_q^β`` and ``N / β + Σ ln t_qi − N Σ T_q^β ln T_q / Σ T_q^β = 0``,
    solved by Brent's method (closed form ``β̂ = N / Σ ln(T / t_i)`` when the end ages are
    equal). Bounds on β: when the end ages are equal, ``2 N β / β̂`` is chi-square with
    ``2N`` (time-truncated) or ``2(N − K)`` (failure-truncated) degrees of freedom (Crow
    1974); otherwise Fisher-matrix bounds ``β̂ exp(± z se / β̂)``. The instantaneous MTBF
    ``m(T) = 1 / (λ β T^(β−1))`` gets Fisher-matrix bounds (delta method on ``ln m``; for
    one system ``m̂ exp(± z √(2 / N))``), an approximation to Crow's (1982) tabulated
    intervals that is close for ``N ≳ 20``.

    References
    ----------
    Crow, L. H. (1974). Reliability analysis for complex, repairable systems. In
    *Reliability and Biometry*, SIAM, 379–410.
    MIL-HDBK-189C (2011). *Reliability Growth Management*, §5 and Appendix.
    NIST/SEMATECH e-Handbook of Statistical Methods, §8.4.5.2 (power-law model).

    Examples
    --------
    >>> from cxpath.reliability import crow_amsaa
    >>> t = [5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478]   # NIST e-Handbook 8.4.5.2
    >>> p = crow_amsaa(t, end=1500, unbiased=True)
    >>> round(p.beta, 4), round(p.lam, 4), round(p.mtbf, 1)
    (0.4835, 0.2913, 310.2)
    >>> p.trend
    'improving'
    """
    func = "reliability.crow_amsaa"
    truncation = v.check_option(truncation, "truncation", func, TRUNCATIONS)
    unbiased = v.check_bool(unbiased, "unbiased", func)
    level = _level(level, func)
    h = histories(time, system, end, func, truncation=truncation, min_events=2)
    n, k = h.n_events, h.n_systems
    before = sum(int(np.sum(ti < h.ends[i])) for i, ti in enumerate(h.times))
    if before == 0:
        v.fail("time", func, "at least one recurrence before its system's end age", data=True,
               got="every recurrence at its system's end age")
    lam_mle, beta_mle = _power_law_mle(h, func)
    ends = h.ends
    # observed information of (λ, β) at the maximum-likelihood estimates
    tb = ends ** beta_mle
    le = np.log(ends)
    cross = float(np.sum(tb * le))
    info = np.array([[n / lam_mle ** 2, cross],
                     [cross, n / beta_mle ** 2 + lam_mle * float(np.sum(tb * le * le))]])
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:  # pragma: no cover - info is positive definite here
        cov = np.full((2, 2), np.nan)
    k_f = k if truncation == "failure" else 0
    if unbiased:
        dof_left = n - k_f - 1
        if dof_left <= 0:
            v.fail("unbiased", func, "False for these data (the unbiased beta needs more "
                   f"recurrences than {k_f + 1})", data=True,
                   got=f"True with {n} recurrence(s) of {k} failure-truncated system(s)")
        beta = beta_mle * dof_left / n
        lam = n / float(np.sum(ends ** beta))
    else:
        beta, lam = beta_mle, lam_mle
    z = _z(level)
    alpha = 1 - level
    if np.all(ends == ends[0]):
        dof = 2 * (n - k_f)
        beta_lower = beta_mle * float(stats.chi2.ppf(alpha / 2, dof)) / (2 * n)
        beta_upper = beta_mle * float(stats.chi2.ppf(1 - alpha / 2, dof)) / (2 * n)
        how = "chi-square"
    else:
        se_b = math.sqrt(max(cov[1, 1], 0.0))
        beta_lower = beta_mle * math.exp(-z * se_b / beta_mle)
        beta_upper = beta_mle * math.exp(z * se_b / beta_mle)
        how = "fisher"
    se_l = math.sqrt(max(cov[0, 0], 0.0))
    lam_lower, lam_upper = lam * math.exp(-z * se_l / lam_mle), lam * math.exp(z * se_l / lam_mle)
    at = float(ends.max())
    mtbf = 1.0 / (lam * beta * at ** (beta - 1))
    # ln m = -ln λ - ln β - (β - 1) ln T: gradient in (λ, β)
    g = np.array([-1.0 / lam_mle, -1.0 / beta_mle - math.log(at)])
    se_m = math.sqrt(max(float(g @ cov @ g), 0.0))
    return PowerLawFit(float(beta), float(lam), float(beta_mle), float(beta_lower),
                       float(beta_upper), float(lam_lower), float(lam_upper), at, float(mtbf),
                       float(mtbf * math.exp(-z * se_m)), float(mtbf * math.exp(z * se_m)),
                       cov, truncation, unbiased, how, level, n, k)


# -- trend tests -------------------------------------------------------------------------

@result
class TrendTest(Result):
    """Tests of a constant rate of occurrence of failures (a homogeneous Poisson process)
    against a monotone trend, one row per test.

    Attributes
    ----------
    test : ndarray of str
        ``'laplace'``, ``'mil_hdbk_189'``, ``'lewis_robinson'``.
    statistic : ndarray of float
        Laplace ``U`` and Lewis–Robinson ``U / CV`` (standard normal under a constant
        rate; positive when failures come faster with age), MIL-HDBK-189
        ``2 Σ ln(T / t)`` (chi-square; small when failures come faster).
    df : ndarray of float
        Degrees of freedom of the chi-square test (NaN for the normal ones).
    p_value : ndarray of float
        Two-sided.
    trend : ndarray of str
        ``'deteriorating'``, ``'improving'`` or ``'none'`` at ``alpha``.
    alpha : float
    truncation : str
    n_events, n_systems : int
    """

    test: np.ndarray
    statistic: np.ndarray
    df: np.ndarray
    p_value: np.ndarray
    trend: np.ndarray
    alpha: float
    truncation: str
    n_events: int
    n_systems: int

    _key = "test"

    def _title(self) -> str:
        return "Trend tests (constant rate of occurrence of failures)"

    def _summary(self) -> list[str]:
        return [f"{self.n_events} recurrences of {self.n_systems} system(s), "
                f"{self.truncation}-truncated; two-sided at alpha {self.alpha:g}"]

    def _columns(self) -> dict:
        return {"test": self.test, "statistic": self.statistic, "df": self.df,
                "p_value": self.p_value, "trend": self.trend}


def trend_test(time: ArrayLike, system: ArrayLike | None = None, end: Any = None, *,
               truncation: str = "time", alpha: float = 0.05) -> TrendTest:
    """Laplace, MIL-HDBK-189 and Lewis–Robinson tests for a trend in the failure rate.

    Parameters
    ----------
    time : array-like of float
        Age of each recurrence (> 0).
    system : array-like, optional
        System of each recurrence; omit for a single system.
    end : float or mapping, optional
        End age of each system (time truncation); omit it with ``truncation='failure'``.
    truncation : {'time', 'failure'}, default 'time'
        With failure truncation each system's last failure ends its history and is not
        itself tested.
    alpha : float, default 0.05
        Significance level of the ``trend`` column.

    Returns
    -------
    TrendTest

    Raises
    ------
    DataError
        If no recurrence lies before its system's end age.
    InvalidParameterError
        For an unknown truncation or an alpha outside (0, 1).

    Notes
    -----
    Over the recurrences ``t_qi`` before each system's end ``T_q`` (``n_q`` of them):

    * **Laplace**: ``U = Σ_q Σ_i (t_qi − T_q / 2) / √(Σ_q n_q T_q² / 12)``, standard
      normal under a constant rate.
    * **MIL-HDBK-189**: ``χ² = 2 Σ_q Σ_i ln(T_q / t_qi)`` with ``2 Σ n_q`` degrees of
      freedom (the power-law β̂ is ``Σ n_q`` over half of it).
    * **Lewis–Robinson**: ``U`` divided by the coefficient of variation of the times
      between failures (all systems pooled; sample standard deviation), which keeps the
      test's size when the process is a renewal process rather than Poisson (NaN with
      fewer than two gaps).

    References
    ----------
    Ascher, H. & Feingold, H. (1984). *Repairable Systems Reliability*, Dekker.
    MIL-HDBK-189C (2011), §5.1 (test for trend). Lewis, P. A. W. & Robinson, D. W. (1974).
    Testing for a monotone trend in a modulated renewal process. In *Reliability and
    Biometry*, SIAM. NIST/SEMATECH e-Handbook, §8.2.3.4 (trend tests).

    Examples
    --------
    >>> from cxpath.reliability import trend_test
    >>> r = trend_test([5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478], end=1500)
    >>> r.test.tolist()
    ['laplace', 'mil_hdbk_189', 'lewis_robinson']
    >>> round(float(r.statistic[1]), 3), r.trend[1]
    (37.228, 'improving')
    """
    func = "reliability.trend_test"
    truncation = v.check_option(truncation, "truncation", func, TRUNCATIONS)
    alpha = v.check_real(alpha, "alpha", func, low=0.0, high=1.0, closed="neither")
    h = histories(time, system, end, func, truncation=truncation)
    num, var, chi, n_used = 0.0, 0.0, 0.0, 0
    gaps = []
    for i, ti in enumerate(h.times):
        e = h.ends[i]
        used = ti[:-1] if truncation == "failure" else ti  # the last failure ends it
        num += float(np.sum(used - e / 2))
        var += used.size * e * e / 12
        chi += 2 * float(np.sum(np.log(e / used))) if used.size else 0.0
        n_used += used.size
        if ti.size:
            gaps.append(np.diff(np.concatenate([[0.0], ti])))
    if n_used == 0:
        v.fail("time", func, "at least one recurrence before its system's end age", data=True,
               got="none")
    u = num / math.sqrt(var)
    p_u = 2 * float(stats.norm.sf(abs(u)))
    dof = 2 * n_used
    p_c = 2 * min(float(stats.chi2.cdf(chi, dof)), float(stats.chi2.sf(chi, dof)))
    x = np.concatenate(gaps) if gaps else np.array([])
    if x.size >= 2 and x.mean() > 0 and x.std(ddof=1) > 0:
        lr = u / (x.std(ddof=1) / x.mean())
        p_lr = 2 * float(stats.norm.sf(abs(lr)))
    else:
        lr, p_lr = math.nan, math.nan

    def verdict(p, worse):
        if not (p < alpha):
            return "none"
        return "deteriorating" if worse else "improving"

    trend = np.array([verdict(p_u, u > 0), verdict(p_c, chi < dof), verdict(p_lr, lr > 0)],
                     dtype=object)
    return TrendTest(np.array(["laplace", "mil_hdbk_189", "lewis_robinson"], dtype=object),
                     np.array([u, chi, lr]), np.array([math.nan, float(dof), math.nan]),
                     np.array([p_u, p_c, p_lr]), trend, alpha, truncation, h.n_events,
                     h.n_systems)
