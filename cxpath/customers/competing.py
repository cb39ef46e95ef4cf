"""Competing risks: customers leave for one of several reasons (churn, upgrade, move).

* :func:`cumulative_incidence`: the Aalen–Johansen cumulative incidence of each cause (the
  share of customers who left for that reason by time ``t``, when the other reasons
  compete), with the delta-method (Greenwood-type) variance and log-log intervals, per
  group; with one cause it is ``1 − KM``.
* :func:`fine_gray`: Fine and Gray's proportional subdistribution hazards regression of one
  cause, with robust (sandwich) standard errors: the weighted Cox partial likelihood of
  the counting-process data of Geskus (2011), with inverse-probability-of-censoring
  weights from the Kaplan–Meier curve of the censoring times, whose weighted risk sets are
  summed in closed form (the expanded data are never built); :meth:`FineGrayFit.predict`
  gives the cumulative incidence for given covariates.
* :func:`gray_test`: Gray's (1988) K-sample test of equal cumulative incidence of a cause
  across groups (stratified if asked), the test of R's ``cmprsk::cuminc``.

The ``event`` column holds the cause of each row: 0 (or the ``censored=`` label) for a
censored row, any other value (numbers or labels such as ``'churn'``, ``'upgrade'``) for
the cause that ended it.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._lazy import lazy_module
from .._results import Result, derived_columns, format_p, result
from .._warnings import collected, warn
from ..errors import CxpathError, CxpathWarning, DataError
from ._data import labels, read
from .survival import _at_risk

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

stats = lazy_module("scipy.stats")

__all__ = ["CumulativeIncidence", "FineGrayFit", "FineGrayPrediction", "GrayTest",
           "cumulative_incidence", "fine_gray", "gray_test"]

_CI = "customers.cumulative_incidence"
_FG = "customers.fine_gray"
_PRED = "FineGrayFit.predict"
_PSI_KM = False
_EXPAND = False  # True: fit the expanded counting-process data through cox (tests compare)


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def _is(x, label) -> bool:
    try:
        return bool(x == label)
    except (TypeError, ValueError):
        return False


def _causes(func: str, event, data, n: int, censored) -> tuple[np.ndarray, np.ndarray]:
    """Cause labels (sorted, without the censored label) and each row's code (0: censored)."""
    if event is None:
        v.fail("event", func, "the cause of each row (a column or values; 0 or the "
               "'censored' label for censored rows)", None)
    names, codes = labels(func, "event", event, data, n)
    hit = [i for i, x in enumerate(names.tolist()) if censored is not None and _is(x, censored)]
    if censored is not None and not hit and names.dtype.kind not in "iufb":
        v.fail("censored", func, f"one of the labels of 'event' ({v.show_list(names.tolist())})"
               " or None (no censored row)", censored)
    keep = np.ones(names.size, dtype=bool)
    keep[hit] = False
    recode = np.zeros(names.size, dtype=np.int64)
    recode[keep] = np.arange(1, keep.sum() + 1)
    causes = names[keep]
    if causes.size == 0:
        raise DataError(f"{func} needs at least one row with a cause (every row is censored).")
    return causes, recode[codes]


@result
class CumulativeIncidence(Result):
    """Aalen–Johansen cumulative incidence per cause (and group): one row per group, cause
    and distinct duration.

    Attributes
    ----------
    group : ndarray
        Group label of the row (``'all'`` without groups).
    cause : ndarray
        Cause label of the row.
    time : ndarray of float
        Distinct durations of the group (events and censorings), increasing.
    at_risk : ndarray of float
        Weight at risk at ``time`` (``entry < time <= duration``).
    events : ndarray of float
        Weight of the rows that ended at ``time`` with this cause.
    incidence : ndarray of float
        ``F_k(t) = Σ_{t_j <= t} S(t_j−) d_kj / n_j``, ``S`` the Kaplan–Meier curve of all
        causes together: the share of customers who left for cause ``k`` by ``t``.
    variance : ndarray of float
        Delta-method (Greenwood-type) variance, Marubini & Valsecchi (1995) §10.2 as in
        Collett (2015) p. 411, SAS ``PROC LIFETEST`` and lifelines' ``AalenJohansenFitter``:
        ``Σ_j (F_k(t) − F_k(t_j))² d_j / (n_j (n_j − d_j)) + Σ_j S(t_j−)² d_kj (n_j − d_kj)
        / n_j³ − 2 Σ_j (F_k(t) − F_k(t_j)) S(t_j−) d_kj / n_j²`` (a first-sum term with
        ``n_j = d_j`` counts 0). This is not cmprsk ``cuminc``'s variance (Aalen's
        counting-process estimator), which differs in the second order.
    lower, upper : ndarray of float
        Pointwise log-log interval ``F^exp(±z √variance / (F ln F))``, inside [0, 1].
    level : float
    causes, groups : ndarray
        The cause and group labels, sorted.

    References
    ----------
    Aalen, O. O. & Johansen, S. (1978). An empirical transition matrix for non-homogeneous
    Markov chains based on censored observations. *Scand. J. Statist.* 5, 141–150.
    Marubini, E. & Valsecchi, M. G. (1995). *Analysing Survival Data from Clinical Trials
    and Observational Studies*, Wiley, ch. 10. Collett, D. (2015). *Modelling Survival Data
    in Medical Research*, 3rd ed., §12.2.
    """

    group: np.ndarray
    cause: np.ndarray
    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    incidence: np.ndarray
    variance: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    causes: np.ndarray
    groups: np.ndarray

    def _title(self) -> str:
        return "Aalen-Johansen cumulative incidence"

    def _summary(self) -> list[str]:
        g = f" in {self.groups.size} groups" if self.groups.size > 1 else ""
        return [f"{self.causes.size} causes ({', '.join(map(str, self.causes.tolist()))}){g};"
                f" delta-method variance, {self.level:.0%} log-log intervals"]

    def _columns(self) -> dict:
        return {"group": self.group, "cause": self.cause, "time": self.time,
                "at_risk": self.at_risk, "events": self.events, "incidence": self.incidence,
                "variance": self.variance, "lower": self.lower, "upper": self.upper}


def _aalen_johansen(t, code, w, entry, k):
    """Distinct times, at-risk weight, events per cause (m, k), incidence and variance (m, k)."""
    times, inverse = np.unique(t, return_inverse=True)
    m = times.size
    inverse = inverse.reshape(-1)
    dk = np.bincount(inverse * (k + 1) + code, weights=w, minlength=m * (k + 1))
    dk = dk.reshape(m, k + 1)[:, 1:]
    n = _at_risk(t, w, entry, times)
    d = dk.sum(1)
    ok = n > 0
    safe = np.where(ok, n, 1.0)
    s = np.cumprod(np.where(ok, np.clip(1.0 - d / safe, 0.0, 1.0), 1.0))
    s_lag = np.concatenate([[1.0], s[:-1]])
    jump = np.where(ok[:, None], s_lag[:, None] * dk / safe[:, None], 0.0)
    f = np.cumsum(jump, axis=0)
    a = np.where(ok & (n > d), d / np.where(n > d, safe * (safe - d), 1.0), 0.0)[:, None]
    first = f ** 2 * np.cumsum(a, 0) - 2 * f * np.cumsum(a * f, 0) + np.cumsum(a * f ** 2, 0)
    second = np.cumsum(np.where(ok[:, None], s_lag[:, None] ** 2 * dk * (safe[:, None] - dk)
                                / safe[:, None] ** 3, 0.0), 0)
    c = np.where(ok[:, None], s_lag[:, None] * dk / safe[:, None] ** 2, 0.0)
    third = f * np.cumsum(c, 0) - np.cumsum(c * f, 0)
    var = np.maximum(first + second - 2 * third, 0.0)
    return times, n, dk, f, var


def _loglog(f: np.ndarray, var: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    inside = (f > 0) & (f < 1)
    ff = np.where(inside, f, 0.5)
    with np.errstate(over="ignore", divide="ignore"):
        scale = np.exp(z * np.sqrt(var) / (ff * np.abs(np.log(ff))))
    lower = np.where(inside, ff ** scale, f)
    upper = np.where(inside, ff ** (1 / scale), f)
    return lower, upper


def cumulative_incidence(durations: ColumnLike, event: ColumnLike, *, data: TableLike = None,
                         group: ColumnLike | None = None, entry: ColumnLike | None = None,
                         weights: ColumnLike | None = None, censored: Any = 0,
                         level: float = 0.95) -> CumulativeIncidence:
    """The Aalen–Johansen cumulative incidence of each cause: who left for which reason, when.

    Parameters
    ----------
    durations : column or array-like of float
        Time the customer left (for any cause) or was last seen, >= 0.
    event : column or array-like
        Cause of each row: ``censored`` (default 0) for a censored row (still a customer),
        any other number or label for the cause that ended it (e.g. ``'churn'``,
        ``'upgrade'``, ``'move'``).
    data : table, optional
        pandas/polars DataFrame, pyarrow Table or dict of columns, when the other arguments
        name columns.
    group : column or array-like, optional
        Group of each row: the curves are estimated in each group.
    entry : column or array-like of float, optional
        Time each customer came under observation (left truncation), ``< durations``.
    weights : column or array-like of float, optional
        Case weights (> 0).
    censored : label, default 0
        The value of ``event`` that marks censored rows; None: no row is censored.
    level : float, default 0.95
        Level of the intervals.

    Returns
    -------
    CumulativeIncidence

    Raises
    ------
    DataError
        As :func:`~cxpath.customers.kaplan_meier`; missing cause or group labels; every row
        censored.

    Examples
    --------
    >>> from cxpath.customers import cumulative_incidence
    >>> ci = cumulative_incidence([2, 3, 3, 5, 6, 8], ["churn", "upgrade", "churn", "none",
    ...                           "churn", "none"], censored="none")
    >>> ci.causes.tolist()
    ['churn', 'upgrade']
    >>> ci.incidence[ci.cause == "churn"].round(4).tolist()
    [0.1667, 0.3333, 0.3333, 0.5833, 0.5833]
    """
    level = v.check_real(level, "level", _CI, low=0.0, high=1.0, closed="neither")
    d = read(_CI, durations, None, data=data, entry=entry, weights=weights)
    causes, code = _causes(_CI, event, data, d.n, censored)
    k = causes.size
    if group is None:
        gnames, gcodes = np.array(["all"], dtype=object), np.zeros(d.n, dtype=np.int64)
    else:
        gnames, gcodes = labels(_CI, "group", group, data, d.n)
    z = _z(level)
    parts: dict[str, list] = {name: [] for name in ("group", "cause", "time", "at_risk",
                                                    "events", "incidence", "variance",
                                                    "lower", "upper")}
    for g in range(gnames.size):
        rows = gcodes == g
        times, n, dk, f, var = _aalen_johansen(
            d.durations[rows], code[rows], d.weights[rows],
            None if d.entry is None else d.entry[rows], k)
        lo, hi = _loglog(f, var, z)
        m = times.size
        for j in range(k):
            parts["group"].append(np.repeat(gnames[g:g + 1].astype(object), m))
            parts["cause"].append(np.repeat(causes[j:j + 1].astype(object), m))
            for name, values in (("time", times), ("at_risk", n), ("events", dk[:, j]),
                                 ("incidence", f[:, j]), ("variance", var[:, j]),
                                 ("lower", lo[:, j]), ("upper", hi[:, j])):
                parts[name].append(values)
    cols = {name: np.concatenate(values) for name, values in parts.items()}
    return CumulativeIncidence(**cols, level=level, causes=causes, groups=gnames)


@result
class FineGrayPrediction(Result):
    """Cumulative incidence of a cause predicted by a Fine–Gray model: one row per covariate
    profile and time.

    Attributes
    ----------
    profile : ndarray of int
        Index of the covariate profile (row of ``covariates`` given to
        :meth:`FineGrayFit.predict`).
    time : ndarray of float
    incidence : ndarray of float
        ``1 − exp(−Λ₀(t) exp(zᵀβ))``, ``Λ₀`` the Breslow baseline cumulative subdistribution
        hazard (as cmprsk's ``predict.crr``).
    cause : object
        The cause modelled.
    """

    profile: np.ndarray
    time: np.ndarray
    incidence: np.ndarray
    cause: Any

    def _title(self) -> str:
        return f"Fine-Gray predicted cumulative incidence of {self.cause!r}"

    def _summary(self) -> list[str]:
        return [f"{np.unique(self.profile).size} covariate profile(s)"]

    def _columns(self) -> dict:
        return {"profile": self.profile, "time": self.time, "incidence": self.incidence}


@result
class FineGrayFit(Result):
    """A fitted Fine–Gray proportional subdistribution hazards model: one row per covariate.

    Attributes
    ----------
    covariate : ndarray of str
    coef : ndarray of float
        Log subdistribution hazard ratios.
    se : ndarray of float
        Robust (sandwich) standard errors as cmprsk's ``crr``: Fine and Gray's (1999, §3.2)
        ``Ω⁻¹ Σ_i (η_i + ψ_i)(η_i + ψ_i)ᵀ Ω⁻¹``, with ``η_i`` the subject's score residual
        and ``ψ_i`` the term for the estimated censoring distribution.
    se_geskus : ndarray of float
        The sandwich without ``ψ``: the subject-clustered Lin–Wei errors of the weighted Cox
        fit to the counting-process data, as R's ``coxph(..., weights = fgwt, cluster =
        id)`` on ``survival::finegray`` data (Geskus 2011). Slightly smaller than ``se``.
    z, p_value : ndarray of float
        Wald statistics ``coef / se`` and their two-sided normal p-values.
    lower, upper : ndarray of float
        ``coef ∓ z_level se``.
    covariance, covariance_geskus : ndarray of float
        Robust covariances of the coefficients behind ``se`` and ``se_geskus``.
    log_likelihood : float
        Weighted log partial likelihood at the estimate (a pseudo-likelihood).
    n : int
        Customers (rows of the input).
    n_events, n_competing, n_censored : int
        Rows that ended with the modelled cause, with another cause, censored.
    cause : object
        The cause modelled.
    level : float
    iterations : int
    n_expanded : int
        Rows of the equivalent counting-process data (Geskus 2011), which the fit never
        builds.
    time : ndarray of float
        Distinct event times of the modelled cause.
    baseline : ndarray of float
        Breslow cumulative baseline subdistribution hazard at ``time`` for covariates at
        their means (``mean``); :meth:`predict` turns it into cumulative incidence.
    mean : ndarray of float
        Means of the covariates, the reference of ``baseline``.

    Notes
    -----
    Subjects who left for a competing cause stay in the risk set after they left, with the
    weight ``G(t−) / G(T_i−)``, ``G`` the Kaplan–Meier curve of the censoring times (the
    IPCW weights of Fine & Gray 1999 and cmprsk's ``crr``, with ``G`` read just before
    each time). Following Geskus (2011), each such subject is the same as rows
    ``(start, stop]`` over which ``G(t−)`` is constant at the event times of the modelled
    cause, fitted by a weighted Cox model with Breslow's ties (``crr``'s estimating
    equation). The fit sums these weights in closed form instead: at an event time ``s``
    the risk set is ``Σ_{T_i >= s} r_i + G(s−) Σ_{competing, T_i < s} r_i / G(T_i−)``
    (and the same with ``r x``, ``r x xᵀ``), ``O(n p²)`` per Newton step and memory
    ``O(n p + m p²)`` (``m`` event times), equal to the Cox fit of the expanded rows to
    rounding (tests: 1e-8).
    In ``ψ_i = Σ_u q(u) / π(u) dM^c_i(u)`` (``π`` the number at risk,
    ``M^c`` the censoring martingale, ``q(u)`` the sum over subjects who left for a competing
    cause at or before ``u`` of ``Σ_{s > u} (Z_j − e(s)) w_j(s) r_j dΛ(s)``) a censoring
    time tied with a competing event counts after it, as in the weights ``G(s−)``.

    References
    ----------
    Fine, J. P. & Gray, R. J. (1999). A proportional hazards model for the subdistribution
    of a competing risk. *JASA* 94, 496–509. Geskus, R. B. (2011). Cause-specific
    cumulative incidence estimation and the Fine and Gray model under both left truncation
    and right censoring. *Biometrics* 67, 39–49.
    """

    covariate: np.ndarray
    coef: np.ndarray
    se: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    se_geskus: np.ndarray
    covariance: np.ndarray
    covariance_geskus: np.ndarray
    log_likelihood: float
    n: int
    n_events: int
    n_competing: int
    n_censored: int
    cause: Any
    level: float
    iterations: int
    n_expanded: int
    time: np.ndarray
    baseline: np.ndarray
    mean: np.ndarray

    _key = "covariate"
    _derived = derived_columns({"exp_coef": "subdistribution hazard ratio exp(coef)"})

    @property
    def exp_coef(self) -> np.ndarray:
        """Subdistribution hazard ratios ``exp(coef)``."""
        return np.exp(self.coef)

    def _title(self) -> str:
        return f"Fine-Gray subdistribution hazards of {self.cause!r}"

    def _summary(self) -> list[str]:
        wald = float(self.coef @ np.linalg.pinv(self.covariance) @ self.coef)
        p = float(stats.chi2.sf(wald, self.coef.size))
        return [f"{self.n} customers: {self.n_events} with {self.cause!r}, {self.n_competing} "
                f"competing, {self.n_censored} censored",
                f"robust Wald chi2 {wald:.4f} on {self.coef.size} df, {format_p(p)}; "
                f"{self.level:.0%} intervals"]

    def _columns(self) -> dict:
        return {"covariate": self.covariate, "coef": self.coef, "exp_coef": self.exp_coef,
                "se": self.se, "z": self.z, "p_value": self.p_value, "lower": self.lower,
                "upper": self.upper}

    def predict(self, covariates: ArrayLike | Mapping,
                times: ArrayLike | None = None) -> FineGrayPrediction:
        """Cumulative incidence of the cause for covariate profiles.

        Parameters
        ----------
        covariates : mapping or array-like
            A mapping ``{covariate: values}`` naming every covariate of the model (one value
            per profile), or an array with one row per profile (columns in the order of
            ``covariate``; a 1-D array is one profile).
        times : array-like of float, optional
            Times (>= 0) to predict at; default the event times of the cause (``time``).

        Returns
        -------
        FineGrayPrediction

        Examples
        --------
        >>> from cxpath.customers import fine_gray
        >>> fit = fine_gray([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 1, 0, 1, 2, 1, 0],
        ...                 {"plan": [0, 1, 0, 1, 1, 0, 1, 0]}, cause=1)
        >>> fit.predict({"plan": [0, 1]}, times=[4, 8]).incidence.round(4).tolist()
        [0.2492, 0.5462, 0.2226, 0.5004]
        """
        p = self.coef.size
        names = self.covariate.tolist()
        if isinstance(covariates, Mapping):
            missing = [c for c in names if c not in covariates]
            extra = [c for c in covariates if c not in names]
            if missing or extra:
                v.fail("covariates", _PRED, f"a mapping of exactly the model's covariates "
                       f"{v.show_list(names)}", got=f"missing {v.show_list(missing)}, "
                       f"unknown {v.show_list(extra)}")
            cols = [v.as_float_array(covariates[c], f"covariates[{c!r}]", _PRED, ndim=None)
                    .reshape(-1) for c in names]
            sizes = {c.size for c in cols}
            if len(sizes) != 1:
                v.fail("covariates", _PRED, "columns of one length", got=f"lengths "
                       f"{sorted(sizes)}", data=True)
            z = np.column_stack(cols)
        else:
            z = v.as_float_array(covariates, "covariates", _PRED, ndim=None)
            if z.ndim == 1:
                z = z[None, :]
            if z.ndim != 2 or z.shape[1] != p:
                v.fail("covariates", _PRED, f"an array of {p} column(s) (one per covariate)",
                       got=f"shape {z.shape}", data=True)
        if z.shape[0] == 0:
            v.fail("covariates", _PRED, "at least one profile", got="none", data=True)
        if times is None:
            t = self.time
        else:
            t = v.as_float_array(times, "times", _PRED, low=0.0)
        check_memory(8.0 * 3 * z.shape[0] * t.size, _PRED, "the predicted curves")
        i = np.searchsorted(self.time, t, side="right") - 1
        cum = np.where(i >= 0, self.baseline[np.maximum(i, 0)] if self.baseline.size else 0.0,
                       0.0)
        risk = np.exp(np.clip((z - self.mean) @ self.coef, -700, 700))
        inc = -np.expm1(-np.outer(risk, cum))
        profile = np.repeat(np.arange(z.shape[0], dtype=np.int64), t.size)
        return FineGrayPrediction(profile, np.tile(t, z.shape[0]), inc.reshape(-1), self.cause)


@contextlib.contextmanager
def _as(func: str):
    """Errors and warnings of the Cox machinery, named after ``func``."""
    try:
        with collected() as caught:
            yield
    except CxpathError as error:
        raise type(error)(str(error).replace("customers.cox", func)) from None
    for w in caught:
        warn(str(w.message).replace("customers.cox", func), w.category, stacklevel=3)


def _expand(t, code, cause, p: int = 1):
    """Counting-process rows of the Fine–Gray risk sets (Geskus 2011), on time ranks.

    Returns ``(row, start, stop, event, weight)``: ``row`` the input row of each expanded row.
    """
    n = t.size
    times, rank = np.unique(t, return_inverse=True)
    rank = rank.reshape(-1).astype(np.float64) + 1.0
    cens = code == 0
    # Kaplan-Meier of the censoring times (other rows count as at risk, not as events)
    ctimes = np.unique(t[cens])
    n_at = _at_risk(t, np.ones(n), None, ctimes)
    c_count = np.bincount(np.searchsorted(ctimes, t[cens]), minlength=ctimes.size)
    gc = np.concatenate([[1.0], np.cumprod(1.0 - c_count / np.where(n_at > 0, n_at, 1.0))])
    # G(s-) = gc[number of censoring times < s]
    ev_times = np.unique(t[code == cause])
    g_ev = np.searchsorted(ctimes, ev_times, side="left")
    new_block = np.concatenate([[True], g_ev[1:] != g_ev[:-1]])
    bid = np.cumsum(new_block) - 1
    nb = int(bid[-1]) + 1
    block_end = np.empty(nb)
    block_end[bid] = ev_times  # the last event time of each block wins
    block_g = g_ev[new_block]
    block_end_rank = np.searchsorted(times, block_end).astype(np.float64) + 1.0
    comp = np.flatnonzero((code != 0) & (code != cause))
    first = np.searchsorted(ev_times, t[comp], side="right")
    has = first < ev_times.size
    comp, first = comp[has], first[has]
    b0 = bid[first]
    counts = nb - b0
    total = int(counts.sum())
    # measured: about 8 (p + 36) bytes per expanded row through the Cox fit
    check_memory(8.0 * (n + total) * (p + 36), _FG, "the counting-process (expanded) data",
                 how="Round the durations (e.g. to days or weeks): the expanded data has a row "
                 "per competing customer and later block of event times between censorings. "
                 "Or raise the cap with the CXPATH_MAX_MEMORY environment variable.")
    who = np.repeat(comp, counts)
    offs = np.repeat(np.cumsum(counts) - counts, counts)
    b = np.repeat(b0, counts) + (np.arange(total) - offs)
    start = np.where(b == np.repeat(b0, counts), rank[who],
                     block_end_rank[np.maximum(b - 1, 0)])
    g_own = gc[np.searchsorted(ctimes, t[who], side="left")]
    weight = gc[block_g[b]] / g_own
    keep = weight > 0
    row = np.concatenate([np.arange(n), who[keep]])
    start = np.concatenate([np.zeros(n), start[keep]])
    stop = np.concatenate([rank, block_end_rank[b[keep]]])
    event = np.concatenate([code == cause, np.zeros(int(keep.sum()), dtype=bool)])
    weight = np.concatenate([np.ones(n), weight[keep]])
    return row, start, stop, event, weight


def fine_gray(durations: ColumnLike, event: ColumnLike,
              covariates: ArrayLike | ColumnLike | list | Mapping | None = None, *,
              cause: Any = None, data: TableLike = None, censored: Any = 0,
              level: float = 0.95, max_iter: int = 50,
              tol: float = 1e-9) -> FineGrayFit:
    """Fine–Gray regression: how covariates change the cumulative incidence of one cause.

    Parameters
    ----------
    durations : column or array-like of float
        Time the customer left (for any cause) or was last seen, >= 0.
    event : column or array-like
        Cause of each row; ``censored`` (default 0) for censored rows.
    covariates : column names, mapping, table or array-like, optional
        As :func:`~cxpath.customers.cox` (default with ``data``: every other column).
    cause : label, optional
        The cause modelled (one of the labels of ``event``); default the first cause in
        sorted order. Every other cause competes.
    data : table, optional
    censored : label, default 0
        The value of ``event`` that marks censored rows; None: no row is censored.
    level : float, default 0.95
    max_iter : int, default 50
    tol : float, default 1e-9
        As :func:`~cxpath.customers.cox`.

    Returns
    -------
    FineGrayFit

    Raises
    ------
    DataError
        As :func:`~cxpath.customers.cox`; every row censored.
    CostError
        If the risk-set sums (about ``8 (n (3p + 12) + m (p² + 2p + 4))`` bytes, ``m`` the
        events of the cause) would not fit in the memory cap.

    Warns
    -----
    CxpathWarning
        If Newton–Raphson did not converge.

    Examples
    --------
    >>> from cxpath.customers import fine_gray
    >>> fit = fine_gray([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 1, 0, 1, 2, 1, 0],
    ...                 {"plan": [0, 1, 0, 1, 1, 0, 1, 0]}, cause=1)
    >>> round(float(fit.coef[0]), 4), round(float(fit.se[0]), 4)
    (-0.1297, 0.9083)
    """
    level = v.check_real(level, "level", _FG, low=0.0, high=1.0, closed="neither")
    max_iter = v.check_int(max_iter, "max_iter", _FG, low=1, high=10_000)
    tol = v.check_real(tol, "tol", _FG, low=0.0, closed="neither")
    d = read(_FG, durations, None, data=data)
    n = d.n
    causes, code = _causes(_FG, event, data, n, censored)
    if cause is None:
        c = 1
    else:
        hit = [j for j, x in enumerate(causes.tolist()) if _is(x, cause)]
        if not hit:
            v.fail("cause", _FG, f"one of the causes in 'event' ({v.show_list(causes.tolist())})",
                   cause)
        c = hit[0] + 1
    label = causes[c - 1]
    label = label.item() if isinstance(label, np.generic) else label
    from .cox import _design, cox

    used = {s for s in (durations, event) if isinstance(s, str)}
    with _as(_FG):
        x, names = _design(covariates, data, n, used)
    mean = x.mean(0)
    xc = x - mean
    if _EXPAND:  # the weighted Cox fit of the expanded data (Geskus 2011); tests compare
        row, start, stop, ev, w = _expand(d.durations, code, c, x.shape[1])
        with _as(_FG):
            fit = cox(stop, ev, {name: x[row, j] for j, name in enumerate(names)},
                      entry=start, weights=w, cluster=row, ties="breslow", level=level,
                      max_iter=max_iter, tol=tol)
        coef, cov_model, cov_geskus = fit.coef, fit.covariance_model, fit.covariance
        loglik, iterations, n_expanded = fit.log_likelihood, fit.iterations, int(row.size)
        sums = _expanded_sums(stop, start, ev, w, row, xc, coef)
    else:
        p_ = x.shape[1]
        m_ = int((code == c).sum())  # at most this many event times
        check_memory(8.0 * (n * (3 * p_ + 12) + m_ * (p_ * p_ + 2 * p_ + 4)), _FG,
                     "the weighted risk-set sums")
        coef, cov_model, loglik, iterations = _fg_newton(d.durations, code, c, xc, names,
                                                         max_iter, tol)
        sums = _fg_sums(d.durations, code, c, xc, coef, second=False)
        n_expanded = _n_expanded(d.durations, code, c)
    baseline, cov, eta = _crr_variance(d.durations, code, c, xc, coef, cov_model, sums)
    if not _EXPAND:
        cov_geskus = cov_model @ (eta.T @ eta) @ cov_model
    se = np.sqrt(np.diag(cov))
    zq = _z(level)
    zstat = coef / se
    ev_times = np.unique(d.durations[code == c])
    return FineGrayFit(np.array(names, dtype=object), coef, se, zstat,
                       2 * stats.norm.sf(np.abs(zstat)), coef - zq * se, coef + zq * se,
                       np.sqrt(np.diag(cov_geskus)), cov, cov_geskus, float(loglik), n,
                       int((code == c).sum()), int(((code != 0) & (code != c)).sum()),
                       int((code == 0).sum()), label, level, int(iterations), n_expanded,
                       ev_times, baseline, mean)


def _censoring_km(t, code):
    """Censoring times, and the Kaplan–Meier ``G`` of the censoring: ``gc[j]`` is ``G`` after
    the first ``j`` censoring times (``G(s−) = gc[#censoring times < s]``)."""
    cens = code == 0
    ctimes = np.unique(t[cens])
    pi = _at_risk(t, np.ones(t.size), None, ctimes)
    cc = np.bincount(np.searchsorted(ctimes, t[cens]), minlength=ctimes.size).astype(float)
    gc = np.concatenate([[1.0], np.cumprod(1.0 - cc / np.where(pi > 0, pi, 1.0))])
    return ctimes, pi, cc, gc


def _fg_sums(t, code, c, xc, beta, second=True):
    """Fine–Gray weighted risk-set sums at the event times of cause ``c``, without expanding.

    At an event time ``s`` a row is at risk with weight 1 while ``T_i >= s``, and a row that
    left for a competing cause at ``T_i < s`` with weight ``G(s−) / G(T_i−)`` (``G`` the
    Kaplan–Meier of the censoring): the weights of the counting-process rows of Geskus
    (2011), summed in closed form. Returns ``(s0, s1, s2, d, xsum)``: ``Σ w r``, ``Σ w r x``,
    ``Σ w r x xᵀ`` (None unless ``second``), the events and the sum of their ``x`` at each
    event time (``r = exp(x β)``).
    """
    n, p = xc.shape
    ev_t = np.unique(t[code == c])
    m = ev_t.size
    ctimes, _, _, gc = _censoring_km(t, code)
    g_s = gc[np.searchsorted(ctimes, ev_t, side="left")]  # G(s-)
    r = np.exp(np.clip(xc @ beta, -700, 700))
    k = np.searchsorted(ev_t, t, side="right")  # event times <= T_i: at risk at the first k
    comp = (code != 0) & (code != c)
    g_own = gc[np.searchsorted(ctimes, t, side="left")]
    a = np.where(comp, r / np.where(g_own > 0, g_own, 1.0), 0.0)
    mine = code == c
    j_ev = np.searchsorted(ev_t, t[mine])
    d = np.bincount(j_ev, minlength=m).astype(np.float64)
    xsum = np.stack([np.bincount(j_ev, weights=xc[mine, q], minlength=m) for q in range(p)],
                    axis=1) if p else np.zeros((m, 0))

    def sums(values):
        # direct: Σ_{k_i > j} values (reverse cumsum of the bins k); competing: Σ_{k_i <= j}
        direct = np.bincount(k, weights=r * values, minlength=m + 1)
        direct = np.cumsum(direct[::-1])[::-1][1:]
        late = np.cumsum(np.bincount(k, weights=a * values, minlength=m + 1))[:m]
        return direct + g_s * late

    s0 = sums(np.ones(n))
    s1 = np.stack([sums(xc[:, q]) for q in range(p)], axis=1)
    s2 = None
    if second:
        s2 = np.empty((m, p, p))
        for q in range(p):
            for u in range(q + 1):
                s2[:, q, u] = s2[:, u, q] = sums(xc[:, q] * xc[:, u])
    return s0, s1, s2, d, xsum


def _fg_newton(t, code, c, xc, names, max_iter, tol):
    """Newton–Raphson with step halving on the Fine–Gray partial likelihood (Breslow ties),
    on covariates scaled to unit standard deviation as :func:`~cxpath.customers.cox`."""
    from scipy import linalg

    from .cox import _check_rank

    n, p = xc.shape
    sd = np.sqrt((xc ** 2).mean(0))
    mean_abs = np.abs(xc.mean(0))
    constant = np.flatnonzero(sd <= 1e-12 * np.maximum(1.0, mean_abs))
    if constant.size:
        v.fail("covariates", _FG, "non-constant covariates (the baseline hazard absorbs a "
               "constant)", got=f"{names[constant[0]]!r} constant", data=True)
    xs = xc / sd
    with _as(_FG):
        _check_rank(xs, np.ones(n), names)

    def evaluate(beta):
        s0, s1, s2, d, xsum = _fg_sums(t, code, c, xs, beta)
        ok = s0 > 0
        s0s = np.where(ok, s0, 1.0)
        ll = float((xsum @ beta).sum() - (d * np.log(s0s)).sum())
        e = s1 / s0s[:, None]
        grad = xsum.sum(0) - (d[:, None] * e).sum(0)
        info = np.einsum("t,tij->ij", d / s0s, s2) - np.einsum("t,ti,tj->ij", d, e, e)
        return ll, grad, info

    beta = np.zeros(p)
    ll, grad, info = evaluate(beta)
    iterations, converged = 0, False
    for iterations in range(1, max_iter + 1):
        try:
            step = linalg.solve(info, grad, assume_a="pos")
        except (np.linalg.LinAlgError, ValueError, linalg.LinAlgError):
            raise DataError(f"{_FG}: the information matrix is singular at iteration "
                            f"{iterations} (a covariate separates the events).") from None
        for _ in range(40):
            new = evaluate(beta + step)
            if math.isfinite(new[0]) and new[0] >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        else:
            converged = True
            break
        gain = new[0] - ll
        beta = beta + step
        ll, grad, info = new
        size = float(np.max(np.abs(step)))
        if size < tol or (size < 1e-8 and gain <= 1e-15 * abs(ll)):
            converged = True
            break
    if not converged:
        warn(f"{_FG} did not converge in {max_iter} iterations (a covariate may "
             "separate the events, so that a coefficient grows without bound).",
             CxpathWarning, stacklevel=3)
    try:
        cov_s = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise DataError(f"{_FG}: the information matrix is singular at the estimate.") \
            from None
    return beta / sd, cov_s / np.outer(sd, sd), ll, iterations


def _n_expanded(t, code, c) -> int:
    """Rows of the counting-process data of :func:`_expand` (reported, never built)."""
    ctimes, _, _, gc = _censoring_km(t, code)
    ev_t = np.unique(t[code == c])
    g_ev = np.searchsorted(ctimes, ev_t, side="left")
    new_block = np.concatenate([[True], g_ev[1:] != g_ev[:-1]])
    bid = np.cumsum(new_block) - 1
    positive = int((gc[g_ev[new_block]] > 0).sum())  # G decreases: a prefix of the blocks
    comp = (code != 0) & (code != c)
    first = np.searchsorted(ev_t, t[comp], side="right")
    first = first[first < ev_t.size]
    return int(t.size + np.maximum(positive - bid[first], 0).sum())


def _expanded_sums(stop, start, ev, w, row, xc, beta):
    """:func:`_fg_sums` (without ``s2``) from the expanded data."""
    r = np.exp(np.clip(xc @ beta, -700, 700))
    risk = w * r[row]
    ev_rank = np.unique(stop[ev])
    s0 = _at_risk(stop, risk, start, ev_rank)
    s1 = _risk_sums(stop, start, risk[:, None] * xc[row], ev_rank)
    dd = np.bincount(np.searchsorted(ev_rank, stop[ev]), minlength=ev_rank.size)
    return s0, s1, None, dd.astype(np.float64), None


def _risk_sums(stop, start, values, times) -> np.ndarray:
    """``Σ values [start < time <= stop]`` at each of ``times``, per column (signed values:
    survival._at_risk clips at 0 for weights)."""
    zero = np.zeros((1, values.shape[1]))
    o = np.argsort(stop, kind="stable")
    cum = np.vstack([zero, np.cumsum(values[o], 0)])
    exited = cum[np.searchsorted(stop[o], times, side="left")]
    e = np.argsort(start, kind="stable")
    ecum = np.vstack([zero, np.cumsum(values[e], 0)])
    return ecum[np.searchsorted(start[e], times, side="left")] - exited


def _crr_variance(t, code, c, xc, beta, inv_info, sums):
    """Breslow baseline at the means, Fine and Gray's sandwich with the ψ term, and the
    score residuals ``eta`` of the subjects (Geskus' cluster-robust sandwich is built from
    them)."""
    n, p = xc.shape
    r = np.exp(np.clip(xc @ beta, -700, 700))
    s0, s1, _, dd, _ = sums
    dlam = dd / s0
    e = s1 / s0[:, None]
    baseline = np.cumsum(dlam)
    # event times on the time scale; G(s-) at each, and G(X_i-) of each row
    ev_t = np.unique(t[code == c])
    cens = code == 0
    ctimes, pi, cc, gc = _censoring_km(t, code)
    g_ev = gc[np.searchsorted(ctimes, ev_t, side="left")]
    g_own = gc[np.searchsorted(ctimes, t, side="left")]
    comp = (code != 0) & (code != c)
    # eta_i: score residual of subject i (Breslow), all its rows together
    k = np.searchsorted(ev_t, t, side="right")  # event times <= X_i: the first k
    h0 = np.concatenate([[0.0], np.cumsum(dlam)])
    h1 = np.vstack([np.zeros((1, p)), np.cumsum(e * dlam[:, None], 0)])
    k0 = np.concatenate([[0.0], np.cumsum(g_ev * dlam)])
    k1 = np.vstack([np.zeros((1, p)), np.cumsum((g_ev * dlam)[:, None] * e, 0)])
    eta = -r[:, None] * (xc * h0[k][:, None] - h1[k])
    a = np.where(comp, r / np.where(g_own > 0, g_own, 1.0), 0.0)
    eta -= a[:, None] * (xc * (k0[-1] - k0[k])[:, None] - (k1[-1] - k1[k]))
    mine = code == c
    j = np.searchsorted(ev_t, t[mine])
    eta[mine] += xc[mine] - e[j]
    # psi_i: q(u) at each censoring time u (competing subjects with X_j <= u, s > u)
    psi = np.zeros((n, p))
    if ctimes.size and comp.any():
        order = np.argsort(t[comp], kind="stable")
        tc = t[comp][order]
        ac = a[comp][order]
        b0 = np.concatenate([[0.0], np.cumsum(ac)])
        b1 = np.vstack([np.zeros((1, p)), np.cumsum(ac[:, None] * xc[comp][order], 0)])
        upto = np.searchsorted(tc, ctimes, side="right")  # X_j <= u
        after = np.searchsorted(ev_t, ctimes, side="right")  # s > u
        c0 = k0[-1] - k0[after]
        c1 = k1[-1] - k1[after]
        q = b1[upto] * c0[:, None] - b0[upto][:, None] * c1
        # Fine & Gray's q(u)/π(u); _PSI_KM: q(u)/(π(u) − c(u)), the exact derivative of
        # the Kaplan-Meier weights (the infinitesimal jackknife, used by the tests)
        den = pi - cc if _PSI_KM else pi
        qp = np.where(den[:, None] > 0, q, 0.0) / np.where(den > 0, den, 1.0)[:, None]
        dlc = cc / pi
        cum = np.vstack([np.zeros((1, p)), np.cumsum(qp * dlc[:, None], 0)])
        m = np.searchsorted(ctimes, t, side="right")  # censoring times <= X_i
        psi = -cum[m]
        at = np.searchsorted(ctimes, t[cens])
        psi[cens] += qp[at]
    u = eta + psi
    cov = inv_info @ (u.T @ u) @ inv_info
    return baseline, cov, eta


@result
class GrayTest(Result):
    """Gray's K-sample test of equal cumulative incidence: one row per cause.

    Attributes
    ----------
    cause : ndarray
        The cause tested (the other causes compete).
    statistic : ndarray of float
        ``s' V⁻¹ s``, chi-square on ``df`` degrees of freedom under equal cumulative
        incidence of the cause in every group.
    df : ndarray of int
        Number of groups − 1 (the rank of ``V``).
    p_value : ndarray of float
    score : ndarray of float, shape (causes, groups − 1)
        ``s``: the weighted observed − expected events of the cause in each group but the
        last (module notes of :func:`gray_test`).
    variance : ndarray of float, shape (causes, groups − 1, groups − 1)
        ``V``: Gray's (1988) variance of the score.
    groups : ndarray
        The group labels, sorted.
    rho : float
        Power of the weight ``(1 − F(t−))^rho``.
    n_strata : int

    References
    ----------
    Gray, R. J. (1988). A class of K-sample tests for comparing the cumulative incidence of
    a competing risk. *Ann. Statist.* 16, 1141–1154.
    """

    cause: np.ndarray
    statistic: np.ndarray
    df: np.ndarray
    p_value: np.ndarray
    score: np.ndarray
    variance: np.ndarray
    groups: np.ndarray
    rho: float
    n_strata: int

    _key = "cause"

    def _title(self) -> str:
        return "Gray's test of equal cumulative incidence"

    def _summary(self) -> list[str]:
        st = f", stratified ({self.n_strata} strata)" if self.n_strata > 1 else ""
        return [f"{self.groups.size} groups ({', '.join(map(str, self.groups.tolist()))}), "
                f"rho = {self.rho:g}{st}"]

    def _columns(self) -> dict:
        return {"cause": self.cause, "statistic": self.statistic, "df": self.df,
                "p_value": self.p_value}


def _gray_stratum(t, status, g, k: int, rho: float):
    """Gray's score (k − 1) and variance (k − 1, k − 1) in one stratum.

    ``status``: 1 the cause tested, 2 another cause, 0 censored; ``g``: group codes 0..k−1.
    Per distinct time ``t`` and group: ``Y`` at risk, ``S`` Kaplan–Meier of all causes, ``F``
    cumulative incidence of the cause; pooled over groups ``F⁰`` with increments
    ``d / Σ_k Y_k / S_k(t−)``. The score is ``Σ_t w(t) (d_k − d R_k / Σ R)`` with
    ``R_k = Y_k (1 − F_k(t−)) / S_k(t−)``; the variance sums ``t3 · g gᵀ`` over the events
    of the cause (expected under the null, each group) and the competing events (observed),
    with ``g`` the influence of the event on the score (Gray 1988, §3).
    """
    times, inv = np.unique(t, return_inverse=True)
    m = times.size
    inv = inv.reshape(-1)
    cnt = np.bincount((inv * k + g) * 3 + status, minlength=m * k * 3).reshape(m, k, 3)
    cnt = cnt.astype(np.float64)
    d1, d2 = cnt[:, :, 1], cnt[:, :, 2]
    leave = cnt.sum(2)
    y = np.cumsum(leave[::-1], 0)[::-1]  # at risk: duration >= t
    on = y > 0
    ys = np.where(on, y, 1.0)
    s = np.cumprod(np.where(on, 1.0 - (d1 + d2) / ys, 1.0), 0)
    s_left = np.vstack([np.ones((1, k)), s[:-1]])
    f = np.cumsum(np.where(on, s_left * d1 / ys, 0.0), 0)
    f_left = np.vstack([np.zeros((1, k)), f[:-1]])
    h = np.where(on, y / np.where(s_left > 0, s_left, 1.0), 0.0)
    tr = h.sum(1)
    trs = np.where(tr > 0, tr, 1.0)
    n1 = d1.sum(1)
    f0 = np.cumsum(np.where(tr > 0, n1 / trs, 0.0))
    f0_left = np.concatenate([[0.0], f0[:-1]])
    wt = np.clip(1.0 - f0_left, 0.0, None) ** rho
    r = np.where(on, h * (1.0 - f_left), 0.0)
    tq = r.sum(1)
    score = (wt[:, None] * (d1 - n1[:, None] * r / np.where(tq > 0, tq, 1.0)[:, None]))
    score = np.where(on, score, 0.0).sum(0)[: k - 1]
    # a(t) = w (diag h − h hᵀ / Σh); C(t) = Σ_{u <= t} a(u) dF⁰(u) / (1 − F⁰(u−))
    a = wt[:, None, None] * (np.einsum("ti,ij->tij", h, np.eye(k))
                             - h[:, :, None] * h[:, None, :] / trs[:, None, None])
    surv0 = 1.0 - f0_left
    dg = np.where((tr > 0) & (surv0 > 0), n1 / trs / np.where(surv0 > 0, surv0, 1.0), 0.0)
    c = np.cumsum(a * dg[:, None, None], 0)
    rest = c[-1][None] - c  # C(τ) − C(t), (m, k, k)
    ok_s = s > 0
    s_pos = np.where(ok_s, s, 1.0)
    # events of the cause: every group at risk, expected count under the null
    t4 = np.where(ok_s, 1.0 - (1.0 - f0[:, None]) / s_pos, 1.0)
    tie = np.where(n1[:, None] > 1, 1.0 - (n1[:, None] - 1.0)
                   / np.where(tr[:, None] * s_left - 1.0 != 0, tr[:, None] * s_left - 1.0,
                              1.0), 1.0)
    t3 = np.where(on & (n1[:, None] > 0), tie * s_left * n1[:, None] / (trs[:, None] * ys),
                  0.0)
    g1 = a[:, : k - 1, :] + t4[:, None, :] * rest[:, : k - 1, :]  # (m, i, k)
    var = np.einsum("tk,tik,tjk->ij", t3, g1, g1)
    # competing events: observed, in the groups where they happened
    t4c = np.where(ok_s, (1.0 - f0[:, None]) / s_pos, 0.0)
    tie2 = np.where(d2 > 1, 1.0 - (d2 - 1.0) / np.where(y > 1, y - 1.0, 1.0), 1.0)
    t3c = np.where(on & ok_s & (d2 > 0), tie2 * s_left ** 2 * d2 / ys ** 2, 0.0)
    g2 = t4c[:, None, :] * rest[:, : k - 1, :]
    var += np.einsum("tk,tik,tjk->ij", t3c, g2, g2)
    return score, var


def gray_test(durations: ColumnLike, event: ColumnLike, group: ColumnLike, *,
              data: TableLike = None, cause: Any = None, strata: ColumnLike | None = None,
              censored: Any = 0, rho: float = 0.0) -> GrayTest:
    """Gray's test: is the cumulative incidence of a cause the same in every group?

    Parameters
    ----------
    durations : column or array-like of float
        Time the customer left (for any cause) or was last seen, >= 0.
    event : column or array-like
        Cause of each row; ``censored`` (default 0) for censored rows.
    group : column or array-like
        Group of each row (at least two groups).
    data : table, optional
    cause : label, optional
        The cause tested; default every cause, one row each.
    strata : column or array-like, optional
        The scores and variances are computed within each stratum and summed.
    censored : label, default 0
        The value of ``event`` that marks censored rows; None: no row is censored.
    rho : float, default 0
        Power of the weight ``(1 − F⁰(t−))^rho`` (``F⁰`` the pooled cumulative incidence):
        0 weights all times alike; ``rho > 0`` favours early differences, ``rho < 0`` late
        ones, as cmprsk's ``cuminc(rho=)``.

    Returns
    -------
    GrayTest

    Raises
    ------
    DataError
        As :func:`cumulative_incidence`; fewer than two groups.

    Notes
    -----
    With ``k`` groups the score of group ``j`` is ``s_j = Σ_t w(t) (d_j(t) − d(t) R_j(t) /
    Σ_l R_l(t))``: the events of the cause in group ``j`` minus those expected when every
    group shares the subdistribution hazard, where ``R_j = Y_j (1 − F_j(t−)) / S_j(t−)``
    estimates the subdistribution risk set of the group (customers still there, plus those
    who left for another reason). ``s' V⁻¹ s`` over the first ``k − 1`` groups is
    chi-square with ``k − 1`` degrees of freedom; it does not depend on which group is left
    out. Without competing events the score is the log-rank observed − expected.
    The statistic is the one of R's ``cmprsk::cuminc`` (its ``Tests``; on MASS
    ``Melanoma`` by ulceration both give 26.120719 and 0.158662, tests).

    References
    ----------
    Gray, R. J. (1988). A class of K-sample tests for comparing the cumulative incidence of
    a competing risk. *Ann. Statist.* 16, 1141–1154.

    Examples
    --------
    >>> from cxpath.customers import gray_test
    >>> t = [1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> e = [1, 1, 2, 1, 0, 1, 2, 1, 2, 0, 1, 2, 2, 0, 1, 2]
    >>> g = ["a"] * 8 + ["b"] * 8
    >>> res = gray_test(t, e, g)
    >>> res.cause.tolist(), res.statistic.round(4).tolist(), res.df.tolist()
    ([1, 2], [2.2, 0.3332], [1, 1])
    >>> res.p_value.round(4).tolist()
    [0.138, 0.5638]
    """
    func = "customers.gray_test"
    rho = v.check_real(rho, "rho", func)
    d = read(func, durations, None, data=data)
    causes, code = _causes(func, event, data, d.n, censored)
    if group is None:
        v.fail("group", func, "the group of each row (a column or values)", None)
    gnames, gcodes = labels(func, "group", group, data, d.n)
    k = gnames.size
    if k < 2:
        raise DataError(f"{func} needs at least two groups (got {k}: "
                        f"{v.show_list(gnames.tolist())}).")
    if strata is None:
        scodes, n_strata = np.zeros(d.n, dtype=np.int64), 1
    else:
        snames, scodes = labels(func, "strata", strata, data, d.n)
        n_strata = snames.size
    if cause is None:
        which = list(range(1, causes.size + 1))
    else:
        hit = [j for j, x in enumerate(causes.tolist()) if _is(x, cause)]
        if not hit:
            v.fail("cause", func, f"one of the causes in 'event' "
                   f"({v.show_list(causes.tolist())})", cause)
        which = [hit[0] + 1]
    check_memory(8.0 * 8 * d.n * k * k, func, "the score and variance terms")
    scores, variances, stats_, dfs, ps = [], [], [], [], []
    for c in which:
        status = np.where(code == c, 1, np.where(code == 0, 0, 2)).astype(np.int64)
        s_tot, v_tot = np.zeros(k - 1), np.zeros((k - 1, k - 1))
        for st in range(n_strata):
            rows = scodes == st
            if not rows.any():
                continue
            s_, v_ = _gray_stratum(d.durations[rows], status[rows], gcodes[rows], k, rho)
            s_tot += s_
            v_tot += v_
        vals = np.linalg.eigvalsh(v_tot) if k > 1 else np.zeros(0)
        rank = int((vals > 1e-10 * max(1.0, float(np.abs(vals).max(initial=0.0)))).sum())
        stat = float(s_tot @ np.linalg.pinv(v_tot) @ s_tot) if rank else 0.0
        scores.append(s_tot)
        variances.append(v_tot)
        stats_.append(stat)
        dfs.append(rank)
        ps.append(float(stats.chi2.sf(stat, rank)) if rank else 1.0)
    label = np.array([causes[c - 1] for c in which], dtype=causes.dtype)
    return GrayTest(label, np.array(stats_), np.array(dfs, dtype=np.int64), np.array(ps),
                    np.array(scores), np.array(variances), gnames, rho, n_strata)
