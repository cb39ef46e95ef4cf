"""Cox proportional-hazards regression of churn on customer covariates.

:func:`cox` maximises the partial likelihood (Efron's ties by default, Breslow's on
request) by Newton–Raphson with step halving, on standardised covariates. It takes
right-censored durations or start–stop rows (counting-process form: ``entry`` is the start
of each row's interval ``(entry, duration]``, so covariates may change over time), strata
(a baseline hazard per stratum) and case weights, and gives model-based, robust (sandwich,
Lin & Wei) or cluster-robust standard errors, Harrell's concordance and, through
:meth:`CoxFit.ph_test`, the scaled Schoenfeld-residual test of proportional hazards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column, frame_kind
from .._lazy import lazy_module
from .._results import Result, derived_columns, format_p, result
from .._warnings import warn
from ..errors import CxpathWarning, DataError
from ._data import labels, read

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

stats = lazy_module("scipy.stats")
linalg = lazy_module("scipy.linalg")

__all__ = ["CoxFit", "PHTest", "cox"]

_COX = "customers.cox"
_TRANSFORMS = ("km", "rank", "identity", "log")


@result
class PHTest(Result):
    """Test of proportional hazards from scaled Schoenfeld residuals: one row per covariate
    and a global row.

    Attributes
    ----------
    covariate : ndarray of str
        Covariate names, then ``'GLOBAL'``.
    statistic : ndarray of float
        Per covariate ``(Σ_i g_i s*_ij)² / (d V_jj Σ_i g_i²)`` with ``s*`` the scaled
        Schoenfeld residuals ``d · s V``, ``g`` the centred transformed event times and ``d``
        the number of events; global ``(gᵀ s) V (sᵀ g) d / Σ g²``.
    df : ndarray of int
        1 per covariate, the number of covariates for the global test.
    p_value : ndarray of float
        Upper tail of χ²(df).
    transform : str
        ``'km'`` (``1 − KM(t)``, the pooled Kaplan–Meier curve at the event time), ``'rank'``
        (ranks of the event times, ties averaged), ``'identity'`` or ``'log'``.

    Notes
    -----
    This is Grambsch and Therneau's approximate score test as lifelines'
    ``proportional_hazard_test`` and R survival's ``cox.zph`` before version 3.0 compute it
    (the model-based variance ``V`` stands in for the per-time information). R survival
    3.0 and later use the exact score test, whose numbers differ slightly. lifelines' rank
    transform numbers tied event times by row order; here ties get their average rank.

    References
    ----------
    Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards tests and diagnostics
    based on weighted residuals. *Biometrika* 81, 515–526.
    """

    covariate: np.ndarray
    statistic: np.ndarray
    df: np.ndarray
    p_value: np.ndarray
    transform: str

    _key = "covariate"

    def _title(self) -> str:
        return "Proportional-hazards test (scaled Schoenfeld residuals)"

    def _summary(self) -> list[str]:
        return [f"time transform: {self.transform}"]

    def _columns(self) -> dict:
        return {"covariate": self.covariate, "statistic": self.statistic, "df": self.df,
                "p_value": self.p_value}


@result
class CoxFit(Result):
    """A fitted Cox proportional-hazards model: one row per covariate.

    Attributes
    ----------
    covariate : ndarray of str
    coef : ndarray of float
        Log hazard ratios.
    se : ndarray of float
        Standard errors: robust (sandwich) when ``robust`` or a cluster was given, else
        model-based.
    se_model : ndarray of float
        Model-based standard errors (square roots of the inverse information).
    z, p_value : ndarray of float
        Wald statistics ``coef / se`` and their two-sided normal p-values.
    lower, upper : ndarray of float
        ``coef ∓ z_level se``.
    covariance, covariance_model : ndarray of float
        Covariance of the coefficients used for ``se``, and the model-based one.
    log_likelihood, log_likelihood_null : float
        Log partial likelihood at the estimate and at zero.
    concordance : float
        Harrell's C of the linear predictor (within strata; NaN for start–stop data).
    n, n_events : int
        Rows, and rows with an event.
    ties : str
    robust : bool
    level : float
    iterations : int
        Newton–Raphson iterations.
    schoenfeld : ndarray of float
        Schoenfeld residuals ``x_i − x̄(t_i)`` of the event rows (Efron-averaged mean with
        Efron ties), one row per event, in increasing time.
    event_time : ndarray of float
        Time of each Schoenfeld residual row.

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34, 187–220. Efron, B.
    (1977). The efficiency of Cox's likelihood function for censored data. *JASA* 72,
    557–565. Lin, D. Y. & Wei, L. J. (1989). The robust inference for the Cox proportional
    hazards model. *JASA* 84, 1074–1078. Therneau, T. M. & Grambsch, P. M. (2000).
    *Modeling Survival Data*, ch. 3 and 7.
    """

    covariate: np.ndarray
    coef: np.ndarray
    se: np.ndarray
    se_model: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covariance: np.ndarray
    covariance_model: np.ndarray
    log_likelihood: float
    log_likelihood_null: float
    concordance: float
    n: int
    n_events: int
    ties: str
    robust: bool
    level: float
    iterations: int
    schoenfeld: np.ndarray
    event_time: np.ndarray
    _km_transform: np.ndarray

    _key = "covariate"
    _derived = derived_columns({"exp_coef": "hazard ratio exp(coef)"})

    @property
    def exp_coef(self) -> np.ndarray:
        """Hazard ratios ``exp(coef)``."""
        return np.exp(self.coef)

    @property
    def likelihood_ratio(self) -> float:
        """``2 (log_likelihood − log_likelihood_null)``, χ² with one df per covariate."""
        return 2.0 * (self.log_likelihood - self.log_likelihood_null)

    def _title(self) -> str:
        return f"Cox proportional hazards ({self.ties} ties)"

    def _summary(self) -> list[str]:
        lr = self.likelihood_ratio
        p = float(stats.chi2.sf(lr, self.coef.size))
        se = "robust" if self.robust else "model-based"
        return [f"{self.n} rows, {self.n_events} events; log partial likelihood "
                f"{self.log_likelihood:.4f}; concordance {self.concordance:.4f}",
                f"likelihood ratio {lr:.4f} on {self.coef.size} df, {format_p(p)}; {se} "
                f"standard errors, {self.level:.0%} intervals"]

    def _columns(self) -> dict:
        return {"covariate": self.covariate, "coef": self.coef, "exp_coef": self.exp_coef,
                "se": self.se, "z": self.z, "p_value": self.p_value, "lower": self.lower,
                "upper": self.upper}

    def ph_test(self, transform: str = "km") -> PHTest:
        """Test proportional hazards per covariate and globally (scaled Schoenfeld residuals).

        Parameters
        ----------
        transform : {'km', 'rank', 'identity', 'log'}
            Function of time the residuals are correlated with (default ``'km'``, as
            R's ``cox.zph``).

        Returns
        -------
        PHTest

        Examples
        --------
        >>> from cxpath.customers import cox
        >>> fit = cox([5, 8, 9, 12, 20, 3, 4, 9.5, 10, 15], [1, 1, 0, 1, 0, 1, 1, 1, 0, 1],
        ...           covariates={"plan": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]})
        >>> fit.ph_test("rank").covariate.tolist()
        ['plan', 'GLOBAL']
        """
        func = "CoxFit.ph_test"
        transform = v.check_option(transform, "transform", func, _TRANSFORMS)
        t = self.event_time
        if transform == "km":
            g = self._km_transform
        elif transform == "rank":
            g = stats.rankdata(t)
        elif transform == "log":
            if (t <= 0).any():
                v.fail("transform", func, "a transform defined at every event time (log "
                       "needs times > 0)", transform, data=True)
            g = np.log(t)
        else:
            g = t
        d = t.size
        g = g - g.mean()
        gg = float(g @ g)
        p = self.coef.size
        V = self.covariance_model
        if d < 2 or gg == 0:
            raise DataError(f"{func} needs at least two distinct transformed event times.")
        scaled = d * self.schoenfeld @ V
        per = (g @ scaled) ** 2 / (d * np.diag(V) * gg)
        u = g @ self.schoenfeld
        glob = float(u @ V @ u) * d / gg
        stat = np.concatenate([per, [glob]])
        df = np.concatenate([np.ones(p, dtype=np.int64), [p]])
        names = np.concatenate([self.covariate, np.array(["GLOBAL"], dtype=object)])
        return PHTest(names, stat, df, stats.chi2.sf(stat, df), transform)


def _names_of(spec) -> list:
    return [spec] if isinstance(spec, str) else []


def _design(covariates, data, n: int, used: set) -> tuple[np.ndarray, list[str]]:
    """The covariate matrix (n, p) and the covariate names."""
    cols: list[tuple[str, object, object]] = []  # (name, spec, table)
    if covariates is None:
        if frame_kind(data) in ("none", "unknown"):
            v.fail("covariates", _COX, "covariate values or column names (or a 'data' table, "
                   "whose other columns are then the covariates)", None)
        from .._frames import _column_names

        names = [c for c in _column_names(data, frame_kind(data)) if c not in used]
        cols = [(c, c, data) for c in names]
    elif isinstance(covariates, str):
        cols = [(covariates, covariates, data)]
    elif frame_kind(covariates) in ("pandas", "polars", "arrow", "dict"):
        from .._frames import _column_names

        kind = frame_kind(covariates)
        cols = [(str(c), str(c), covariates) for c in _column_names(covariates, kind)]
    elif isinstance(covariates, (list, tuple)) and covariates and \
            all(isinstance(c, str) for c in covariates):
        cols = [(c, c, data) for c in covariates]
    else:
        arr = v.array(covariates, "covariates", _COX)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            v.fail("covariates", _COX, "a 1- or 2-dimensional array, column names or a "
                   "table", got=f"an array of shape {arr.shape}", data=True)
        cols = [(f"x{j}", arr[:, j], None) for j in range(arr.shape[1])]
    if not cols:
        v.fail("covariates", _COX, "at least one covariate", got="none", data=True)
    seen = [c[0] for c in cols]
    if len(set(seen)) != len(seen):
        v.fail("covariates", _COX, "distinct covariate names", got=v.show_list(seen), data=True)
    x = np.empty((n, len(cols)))
    for j, (name, spec, table) in enumerate(cols):
        values = column(table, spec, "covariates", _COX)
        if values.dtype.kind == "b":
            values = values.astype(np.float64)
        values = v.as_float_array(values, f"covariates[{name!r}]", _COX, min_size=0)
        if values.size != n:
            v.fail(f"covariates[{name!r}]", _COX, f"of the same length as 'durations' ({n})",
                   got=f"length {values.size}", data=True)
        x[:, j] = values
    return x, seen


def _check_rank(xs: np.ndarray, w: np.ndarray, names: list[str]) -> None:
    p = xs.shape[1]
    c = (xs * w[:, None]).T @ xs / w.sum()
    vals, vecs = np.linalg.eigh(c)
    if vals[0] > 1e-10 * max(1.0, vals[-1]):
        return
    weights = np.abs(vecs[:, 0])
    involved = [names[j] for j in range(p) if weights[j] > 1e-6]
    v.fail("covariates", _COX, "free of linear dependence (a design of full column rank)",
           got="linearly dependent covariates " + ", ".join(map(repr, involved)), data=True)


def cox(durations: ColumnLike, event: ColumnLike | None = None,
        covariates: ArrayLike | ColumnLike | list | Mapping | None = None, *,
        data: TableLike = None, entry: ColumnLike | None = None,
        strata: ColumnLike | None = None, weights: ColumnLike | None = None,
        cluster: ColumnLike | None = None, ties: str = "efron", robust: bool = False,
        level: float = 0.95, max_iter: int = 50, tol: float = 1e-9) -> CoxFit:
    """Fit a Cox proportional-hazards model of the time to churn.

    Parameters
    ----------
    durations : column or array-like of float
        Time of the event or censoring, >= 0; with ``entry``, the stop time of each row.
    event : column or array-like of bool or 0/1, optional
        1/True: the event happened at ``durations``; default all events.
    covariates : column names, mapping, table or array-like, optional
        The covariates: a list of column names of ``data``, a mapping or table of columns,
        or a 1-D/2-D array (named ``x0``, ``x1`` …). Default with ``data``: every column
        not named by another argument.
    data : table, optional
    entry : column or array-like of float, optional
        Start of each row's interval ``(entry, durations]`` (counting-process form for
        time-varying covariates: one row per customer and period; or left truncation).
    strata : column or array-like, optional
        A baseline hazard per stratum.
    weights : column or array-like of float, optional
        Case weights (> 0).
    cluster : column or array-like, optional
        Customer id of each row: cluster-robust standard errors (rows of one customer
        summed), e.g. for start–stop data. Implies ``robust``.
    ties : {'efron', 'breslow'}
    robust : bool, default False
        Sandwich (Lin–Wei) standard errors from the score residuals.
    level : float, default 0.95
    max_iter : int, default 50
        At most 10,000.
    tol : float, default 1e-9
        Convergence when the largest Newton step (standardised scale) is below ``tol``
        (or, below 1e-8, no longer raises the likelihood).

    Returns
    -------
    CoxFit

    Raises
    ------
    DataError
        As :func:`~cxpath.customers.kaplan_meier`; no event; a constant or linearly
        dependent covariate; a singular information matrix (a covariate constant within
        every stratum).

    Warns
    -----
    CxpathWarning
        If Newton–Raphson did not converge (a covariate may separate the events, so that
        the likelihood grows without bound).

    Examples
    --------
    >>> from cxpath.customers import cox
    >>> fit = cox([5, 8, 9, 12, 20, 3, 4, 9.5, 10, 15], [1, 1, 0, 1, 0, 1, 1, 1, 0, 1],
    ...           covariates={"plan": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]})
    >>> round(float(fit.coef[0]), 4), round(float(fit.se[0]), 4)
    (0.4833, 0.774)
    """
    ties = v.check_option(ties, "ties", _COX, ("efron", "breslow"))
    robust = v.check_bool(robust, "robust", _COX)
    level = v.check_real(level, "level", _COX, low=0.0, high=1.0, closed="neither")
    max_iter = v.check_int(max_iter, "max_iter", _COX, low=1, high=10_000)
    tol = v.check_real(tol, "tol", _COX, low=0.0, closed="neither")
    d = read(_COX, durations, event, data=data, entry=entry, weights=weights)
    n = d.n
    used = set()
    for spec in (durations, event, entry, strata, weights, cluster):
        used.update(_names_of(spec))
    x, names = _design(covariates, data, n, used)
    p = x.shape[1]
    check_memory(8.0 * n * (p + 8), _COX, "the design and its sort orders")
    if not d.event.any():
        raise DataError(f"{_COX} needs at least one event (every row is censored).")
    w = d.weights
    mean = (x * w[:, None]).sum(0) / w.sum()
    xc = x - mean
    sd = np.sqrt((xc ** 2 * w[:, None]).sum(0) / w.sum())
    constant = np.flatnonzero(sd <= 1e-12 * np.maximum(1.0, np.abs(mean)))
    if constant.size:
        v.fail("covariates", _COX, "non-constant covariates (the baseline hazard absorbs a "
               "constant)", got=f"{names[constant[0]]!r} constant", data=True)
    xs = np.ascontiguousarray(xc / sd)
    _check_rank(xs, w, names)
    if strata is None:
        scodes = np.zeros(n, dtype=np.int64)
    else:
        scodes = labels(_COX, "strata", strata, data, n)[1]
    ccodes = None
    if cluster is not None:
        ccodes = labels(_COX, "cluster", cluster, data, n)[1]
        robust = True
    stop = d.durations
    start = np.full(n, -np.inf) if d.entry is None else d.entry
    # rows grouped by stratum; within each, sort orders by stop and by start, decreasing
    order = _grouped_order(-stop, scodes, strata is not None)
    xs, stop_o, start_o = xs[order], stop[order], start[order]
    ev = d.event[order].astype(np.int64)
    w_o, s_o = w[order], scodes[order]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(s_o))]).astype(np.int64)
    by_stop = np.arange(n, dtype=np.int64)
    by_start = by_stop if d.entry is None else \
        _grouped_order(-start_o, s_o, strata is not None).astype(np.int64)
    from .._kernels.survival import concordance_counts, cox_terms

    efron = ties == "efron"
    m = int(ev.sum())

    def evaluate(beta):
        return cox_terms(xs, stop_o, start_o, ev, w_o, offsets, by_stop, by_start,
                         np.ascontiguousarray(beta, dtype=np.float64), efron, m)

    beta = np.zeros(p)
    out = evaluate(beta)
    ll0 = ll = out[0]
    iterations, converged = 0, False
    for iterations in range(1, max_iter + 1):
        try:
            step = linalg.solve(out[2], out[1], assume_a="pos")
        except (np.linalg.LinAlgError, ValueError, linalg.LinAlgError):
            raise DataError(f"{_COX}: the information matrix is singular at iteration "
                            f"{iterations} (a covariate is constant within every stratum, "
                            "or separates the events).") from None
        for _ in range(40):
            new = evaluate(beta + step)
            if math.isfinite(new[0]) and new[0] >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        else:  # no step improves the likelihood: converged to machine precision
            converged = True
            break
        gain = new[0] - ll
        beta = beta + step
        out = new
        ll = out[0]
        size = float(np.max(np.abs(step)))
        if size < tol or (size < 1e-8 and gain <= 1e-15 * abs(ll)):
            converged = True
            break
    if not converged:
        warn(f"{_COX} did not converge in {max_iter} iterations (a covariate may "
             "separate the events, so that a coefficient grows without bound).",
             CxpathWarning, stacklevel=2)
    info = out[2]
    try:
        cov_s = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise DataError(f"{_COX}: the information matrix is singular at the estimate.") \
            from None
    coef = beta / sd
    cov_model = cov_s / np.outer(sd, sd)
    loglik, _, _, times, tstrata, xbar, dh, db, dhf, dbf, count = out
    # the kernel gives each stratum's times decreasing: reverse within each stratum
    bounds = np.searchsorted(tstrata[:count], np.arange(offsets.size), side="left")
    at = np.concatenate([np.arange(bounds[g + 1] - 1, bounds[g] - 1, -1)
                         for g in range(offsets.size - 1)]).astype(np.int64)
    times, tstrata, xbar, dh, db, dhf, dbf = (a[at] for a in (times, tstrata, xbar, dh, db,
                                                               dhf, dbf))
    # Schoenfeld residuals of the event rows (standardised scale, then original units)
    ev_rows = np.flatnonzero(ev)
    pos = _term_index(times, tstrata, stop_o[ev_rows], s_o[ev_rows], offsets.size - 1)
    resid = (xs[ev_rows] - xbar[pos]) * sd
    row_order = np.argsort(stop_o[ev_rows], kind="stable")
    schoenfeld, event_time = resid[row_order], stop_o[ev_rows][row_order]
    cov = cov_model
    if robust:
        score = _score_residuals(xs, stop_o, start_o, ev, w_o, s_o, beta, times, tstrata,
                                 xbar, dh, db, dhf, dbf, offsets.size - 1) * sd
        dfbeta = score @ cov_model
        if ccodes is not None:
            c_o = ccodes[order]
            k = int(c_o.max()) + 1
            dfbeta = np.stack([np.bincount(c_o, weights=dfbeta[:, j], minlength=k)
                               for j in range(p)], axis=1)
        cov = dfbeta.T @ dfbeta
    se_model = np.sqrt(np.diag(cov_model))
    se = np.sqrt(np.diag(cov))
    zq = float(stats.norm.ppf(0.5 + level / 2))
    zstat = coef / se
    conc = math.nan
    if d.entry is None:
        eta = xs @ beta
        ranks = stats.rankdata(eta, method="dense").astype(np.int64)
        tord = np.arange(n - 1, -1, -1) if strata is None else \
            _grouped_order(stop_o, s_o, True)
        c, t_, pairs = concordance_counts(stop_o[tord], ev[tord], ranks[tord],
                                          int(ranks.max()), offsets)
        conc = (c + 0.5 * t_) / pairs if pairs > 0 else math.nan
    km = _km_transform(d, event_time)
    return CoxFit(np.array(names, dtype=object), coef, se, se_model, zstat,
                  2 * stats.norm.sf(np.abs(zstat)), coef - zq * se, coef + zq * se, cov,
                  cov_model, float(loglik), float(ll0), float(conc), n, int(m), ties,
                  robust, level, iterations, schoenfeld, event_time, km)


def _grouped_order(key: np.ndarray, groups: np.ndarray, grouped: bool) -> np.ndarray:
    """Row order by group, then by ``key`` increasing (stable)."""
    order = np.argsort(key, kind="stable")
    if grouped:
        order = order[np.argsort(groups[order], kind="stable")]
    return order


def _km_transform(d, event_time: np.ndarray) -> np.ndarray:
    """``1 − KM(t)`` of the pooled data (left-truncated at the entry times) at ``event_time``."""
    from .survival import _table

    time, n, dd, _ = _table(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.cumprod(np.where(n > 0, np.clip(1.0 - dd / np.where(n > 0, n, 1.0), 0, 1), 1))
    i = np.searchsorted(time, event_time, side="right") - 1
    return 1.0 - s[i]


def _term_index(times, tstrata, t, s, n_strata) -> np.ndarray:
    """Index of the event-time term at (stratum ``s``, time ``t``) for each row."""
    out = np.empty(t.size, dtype=np.int64)
    bounds = np.searchsorted(tstrata, np.arange(n_strata + 1), side="left")
    for g in range(n_strata):
        rows = s == g
        seg = times[bounds[g]:bounds[g + 1]]
        out[rows] = bounds[g] + np.searchsorted(seg, t[rows], side="left")
    return out


def _score_residuals(xs, stop, start, ev, w, s, beta, times, tstrata, xbar, dh, db, dhf,
                     dbf, n_strata) -> np.ndarray:
    """Score residuals ``L_i`` (standardised scale), which sum to the score."""
    n, p = xs.shape
    r = np.exp(xs @ beta)
    out = np.zeros((n, p))
    bounds = np.searchsorted(tstrata, np.arange(n_strata + 1), side="left")
    for g in range(n_strata):
        rows = np.flatnonzero(s == g)
        a, b = bounds[g], bounds[g + 1]
        seg = times[a:b]
        ch = np.concatenate([[0.0], np.cumsum(dh[a:b])])
        cb = np.vstack([np.zeros((1, p)), np.cumsum(db[a:b], axis=0)])
        hi = np.searchsorted(seg, stop[rows], side="right")
        lo = np.searchsorted(seg, start[rows], side="right")
        dH = ch[hi] - ch[lo]
        dB = cb[hi] - cb[lo]
        xr = xs[rows]
        res = -r[rows, None] * (xr * dH[:, None] - dB)
        e = ev[rows] != 0
        if e.any():
            k = a + np.searchsorted(seg, stop[rows][e], side="left")
            xe = xr[e]
            res[e] += xe - xbar[k] + r[rows][e, None] * (xe * dhf[k, None] - dbf[k])
        out[rows] = res * w[rows, None]
    return out
