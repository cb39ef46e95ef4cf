"""Did the change work? The impact of a change over time, with an interval and a verdict.

Three designs, from the weakest comparison to the strongest:

* :func:`interrupted_time_series`: one series before and after the change, segmented
  regression with a level and a slope change (and seasonality), Newey–West or
  Prais–Winsten AR(1) errors;
* :func:`diff_in_diff`: a treated and a comparison group, 2×2 or a panel with unit and
  time fixed effects, cluster-robust by unit, with a parallel-trends check and event-study
  coefficients;
* :func:`synthetic_control`: one treated unit against a weighted mix of untreated units
  fitted on the pre-period (Abadie), with placebo-in-space inference.
"""

from __future__ import annotations

import datetime
import math
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column, column_zone
from .._results import Result, drawn_by, format_p, result
from . import _hac

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike

__all__ = ["DiffInDiff", "EventStudy", "SyntheticControl", "TimeSeriesImpact", "diff_in_diff",
           "interrupted_time_series", "synthetic_control"]

# --------------------------------------------------------------------------- helpers


def _confidence(confidence, alpha, func):
    c = v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    a = 1 - c if alpha is None else v.check_real(alpha, "alpha", func, low=0.0, high=1.0,
                                                 closed="neither")
    return c, a


def _label(label, func):
    if label is not None and not isinstance(label, str):
        v.fail("label", func, "a str or None", label, wrong_type=True)
    return label


def _flags(x, name, func):
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        return arr.astype(np.float64)
    f = v.as_float_array(arr, name, func)
    bad = (f != 0) & (f != 1)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "booleans or 0/1 values", got=f"{f[i]:g} at position {i}",
               data=True)
    return f


def _missing(x) -> bool:
    return x is None or (isinstance(x, (float, np.floating)) and math.isnan(x))


def _codes(x, name, func):
    """Sorted distinct labels of ``x`` and each row's code; missing labels are refused."""
    arr = np.asarray(x)
    if arr.dtype.kind == "M":
        bad = np.isnat(arr)
    elif arr.dtype.kind == "f":
        bad = np.isnan(arr)
    elif arr.dtype.kind == "O":
        bad = np.array([_missing(t) for t in arr], dtype=bool)
    else:
        bad = np.zeros(arr.shape, dtype=bool)
    if bad.any():
        v.fail(name, func, "free of missing values",
               got=f"a missing value at position {int(np.argmax(bad))}", data=True)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    try:
        uniq, codes = np.unique(arr, return_inverse=True)
    except TypeError:
        v.fail(name, func, "labels of one comparable type (all numbers, all strings or all "
               "dates)", got="a mix of types", data=True)
    return uniq, codes.reshape(-1)


_NS_FIRST, _NS_LAST = np.datetime64("1678-01-01"), np.datetime64("2262-04-11")


def _at_mask(at, values, name, func, zone=None):
    """``values >= at`` with ``at`` read in the type of ``values``.

    Dates of a time-zone-aware ``time`` column are UTC instants (``zone`` names the
    column's zone): a naive ``at`` is a wall-clock time of that zone (``'2024-10-31'`` is
    local midnight, not midnight UTC), an aware one its own instant. An aware ``at``
    against naive dates is refused: which clock they are on is unknown.
    """
    kind = values.dtype.kind
    if kind == "M":
        if not isinstance(at, (str, np.datetime64, datetime.date)):
            v.fail(name, func, "a date (str, datetime or numpy.datetime64) like the 'time' "
                   "values", at, wrong_type=True)
        aware = isinstance(at, datetime.datetime) and at.tzinfo is not None
        if aware and zone is None:
            v.fail(name, func, "a date without a time zone, like the 'time' values (naive "
                   "dates: their clock is unknown)", at)
        if aware:
            at = at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        try:
            at = np.datetime64(at)
        except ValueError:
            v.fail(name, func, "a date (str, datetime or numpy.datetime64) like the 'time' "
                   "values", at)
        if np.isnat(at):
            v.fail(name, func, "a date, not NaT", at)
        if zone is not None and not aware:  # a wall-clock time of the column's zone
            from .._zones import localize

            wall = int(at.astype("datetime64[s]").astype(np.int64))
            at = at + np.timedelta64(int(localize(np.array([float(wall)]), zone)[0]) - wall,
                                     "s")
    elif kind in "iuf":
        if isinstance(at, (bool, np.bool_)) or not isinstance(at, numbers.Real) or \
                (isinstance(at, float) and math.isnan(at)):
            v.fail(name, func, "a number like the 'time' values", at, wrong_type=True)
    elif not isinstance(at, str):
        v.fail(name, func, "a str like the 'time' values", at, wrong_type=True)
    if kind == "M" and not _NS_FIRST <= at <= _NS_LAST:
        # numpy compares in the finer unit: a date past nanosecond timestamps would wrap
        # (3000-01-01 becomes 1830) and put every period after the change
        return np.full(values.shape, bool(at < _NS_FIRST))
    try:
        return np.asarray(values >= at, dtype=bool)
    except TypeError:
        v.fail(name, func, "comparable with the 'time' values", at, wrong_type=True)


def _t_quantile(confidence, df):
    from scipy import stats

    return float(stats.t.ppf(0.5 + confidence / 2, df))


def _p(stat, df):
    from scipy import stats

    return float(2 * stats.t.sf(abs(stat), df)) if np.isfinite(stat) else \
        (0.0 if math.isinf(stat) else float("nan"))


def _table(names, beta, cov, df, confidence):
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    tq = _t_quantile(confidence, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(se > 0, beta / se, np.where(beta == 0, 0.0, np.sign(beta) * np.inf))
    p = np.array([_p(s, df) for s in stat])
    return {"term": np.array(names, dtype=object), "estimate": beta.copy(), "se": se,
            "ci_low": beta - tq * se, "ci_high": beta + tq * se, "p_value": p}


def _linear(c, beta, cov, df, confidence):
    est = float(c @ beta)
    se = float(math.sqrt(max(float(c @ cov @ c), 0.0)))
    tq = _t_quantile(confidence, df)
    stat = est / se if se > 0 else (0.0 if est == 0 else math.copysign(math.inf, est))
    return est, se, est - tq * se, est + tq * se, _p(stat, df)


def _num(x):
    return f"{x:+.3g}" if abs(x) < 1e4 else f"{x:+,.0f}"


def _verdict(subject, what, est, lo, hi, p, alpha, confidence, test):
    move = "rose" if est > 0 else "fell" if est < 0 else "did not move"
    if math.isnan(lo) or math.isnan(hi):
        ci = f"the {confidence:.0%} confidence set is empty"
    elif math.isinf(lo) and math.isinf(hi):
        ci = f"{confidence:.0%} interval unbounded"
    else:
        ci = f"{confidence:.0%} CI {_num(lo)} to {_num(hi)}"
    size = f" by {_num(abs(est))[1:]}" if est != 0 else ""
    head = f"{subject} {move}{size} {what} ({ci}; {test} {format_p(p)}): "
    if p < alpha:
        return head + f"a real change at the {alpha:.0%} level."
    return head + (f"no evidence of a change at the {alpha:.0%} level "
                   "(the data are consistent with no change).")


def _cov_kind(cov, func, options):
    return v.check_option(cov, "cov", func, options)


# --------------------------------------------------------------------------- ITS


@drawn_by("impact")
@result
class TimeSeriesImpact(Result):
    """An interrupted time series: segmented regression of one series on a change.

    Attributes
    ----------
    model : str
        The regression in words (terms, seasonality).
    errors : str
        ``'hac'``, ``'ar1'`` or ``'classical'``.
    covariance : str
        How the standard errors were computed (kernel, lags, correction; AR(1) ``rho``).
    n, n_pre, n_post : int
        Periods in all, before and from the change.
    change_index : int
        Position of the first period after the change.
    horizon : int
        Periods after the change at which ``effect`` is read (0: the first period after).
    level_change, level_low, level_high, level_p : float
        Immediate shift at the change, its interval and *p*.
    slope_change, slope_low, slope_high, slope_p : float
        Change in the trend per period (NaN when ``slope=False``).
    effect, effect_se, effect_low, effect_high, effect_p : float
        ``level_change + horizon × slope_change``: the estimated difference between what
        happened and the pre-change trend (and seasonality) at ``horizon``.
    rho : float
        AR(1) coefficient of the errors (``errors='ar1'``), else NaN.
    maxlags : int
        Newey–West lags (``errors='hac'``), else 0.
    df : int
        Residual degrees of freedom of the *t* intervals.
    term, estimate, se, ci_low, ci_high, p_value : ndarray
        Every coefficient of the regression.
    index : ndarray
        The ``time`` values (or positions 0 … n−1); the UTC instants of a
        time-zone-aware column, whose zone ``tz`` names.
    observed, fitted, counterfactual : ndarray
        The series, the model's fit and the fit without the change (for plots).
    confidence : float
    verdict : str
    """

    model: str
    errors: str
    covariance: str
    n: int
    n_pre: int
    n_post: int
    change_index: int
    horizon: int
    level_change: float
    level_low: float
    level_high: float
    level_p: float
    slope_change: float
    slope_low: float
    slope_high: float
    slope_p: float
    effect: float
    effect_se: float
    effect_low: float
    effect_high: float
    effect_p: float
    rho: float
    maxlags: int
    df: int
    term: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    index: np.ndarray
    observed: np.ndarray
    fitted: np.ndarray
    counterfactual: np.ndarray
    confidence: float
    verdict: str
    tz: str | None = None

    def _title(self):
        return f"Interrupted time series ({self.errors})"

    def _summary(self):
        return [self.verdict, f"{self.model}; {self.covariance}."]

    def _columns(self):
        return {"term": self.term, "estimate": self.estimate, "se": self.se,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value}


def _seasonal_terms(t, period, seasonal, harmonics):
    cols, names = [], []
    if seasonal == "fourier":
        for k in range(1, harmonics + 1):
            w = 2 * np.pi * k * t / period
            if 2 * k != period:  # sin(pi t) is zero at whole t
                cols.append(np.sin(w))
                names.append(f"sin{k}")
            cols.append(np.cos(w))
            names.append(f"cos{k}")
    else:
        pos = t.astype(np.int64) % period
        for s in range(1, period):
            cols.append((pos == s).astype(np.float64))
            names.append(f"season {s}")
    return cols, names


def interrupted_time_series(y: ColumnLike, at: Any, *, data: TableLike | None = None,
                            time: ColumnLike | None = None, period: int | None = None,
                            seasonal: str = "fourier", harmonics: int | None = None,
                            slope: bool = True, errors: str = "hac",
                            maxlags: int | None = None, small_sample: bool = True,
                            horizon: int | None = None, confidence: float = 0.95,
                            alpha: float | None = None,
                            label: str | None = None) -> TimeSeriesImpact:
    """Impact of a change on one series: segmented regression with level and slope change.

    Parameters
    ----------
    y : array or column name of ``data``
        One value per period, in time order (daily CSAT, weekly contact rate …).
    at : int, or a value of ``time``
        The first period after the change: a position ``0 … n−1`` when ``time`` is not
        given, else a ``time`` value (periods with ``time >= at`` are after). For a
        time-zone-aware ``time`` column a naive date (``'2024-10-31'``) is a local time of
        its zone, and an aware one its instant.
    data : table, optional
    time : array or column name, optional
        Period labels (numbers or dates), strictly increasing. The regression counts
        periods by position, so they should be evenly spaced.
    period : int, optional
        Season length *m* (7 for daily data with a weekly cycle, 12 for months); no
        seasonal terms when None.
    seasonal : {'fourier', 'dummies'}, default 'fourier'
        ``harmonics`` sine/cosine pairs of period *m*, or *m − 1* season dummies (the first
        row is season 0).
    harmonics : int, optional
        Fourier pairs, 1 … m // 2 (default ``min(2, m // 2)``).
    slope : bool, default True
        Estimate a change in trend as well as in level.
    errors : {'hac', 'ar1', 'classical'}, default 'hac'
        Newey–West (HAC, Bartlett kernel) standard errors of OLS; Prais–Winsten AR(1)
        GLS; or OLS with independent errors.
    maxlags : int, optional
        Newey–West lags *L* (default Newey and West's rule ``floor(4 (n/100)^(2/9))``).
    small_sample : bool, default True
        Multiply the Newey–West covariance by ``n / (n − k)`` (Stata's ``newey``;
        statsmodels' ``use_correction=True``).
    horizon : int, optional
        Periods after the change at which ``effect`` is read (default the last observed).
    confidence : float, default 0.95
    alpha : float, optional
        Significance level of the verdict (default ``1 − confidence``).
    label : str, optional
        KPI name used in the verdict.

    Returns
    -------
    TimeSeriesImpact

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Fewer than 3 periods on a side of the change, more coefficients than the series
        can identify, times that do not increase, invalid options.

    Notes
    -----
    The model is ``y_t = b0 + b1 t + b2 D_t + b3 D_t (t − t0) + seasonal terms + e_t``
    with ``t`` the position, ``t0`` the first period after the change and ``D_t = 1`` from
    ``t0`` on. ``b2`` is the level change, ``b3`` the slope change; ``effect`` is
    ``b2 + b3 · horizon`` with its standard error from the covariance of both.

    Intervals use Student's *t* on ``n − k`` degrees of freedom. With ``errors='hac'``
    the estimates are OLS and the covariance is Newey and West's, as statsmodels'
    ``OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': True},
    use_t=True)`` (``small_sample=False`` drops the ``n / (n − k)``). With
    ``errors='ar1'`` the coefficients are iterated Prais–Winsten GLS (the first
    observation kept, scaled by ``√(1 − ρ²)``; ``ρ`` from the regression of the residual on
    its lag), equal to GLS with an AR(1) covariance at the final ``ρ``; their standard
    errors do not allow for the estimation of ``ρ``. Full ARMA(p, q) errors are not
    offered: use HAC errors, which allow for any short-memory autocorrelation.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F., Ross-Degnan, D. (2002). Segmented
    regression analysis of interrupted time series studies in medication use research.
    *J. Clin. Pharm. Ther.* 27, 299–309.
    Newey, W. K., West, K. D. (1994). Automatic lag selection in covariance matrix
    estimation. *Rev. Econ. Stud.* 61, 631–653.
    Prais, S. J., Winsten, C. B. (1954). Trend estimators and serial correlation. Cowles
    Commission Discussion Paper 383.

    Examples
    --------
    >>> from cxpath.rca import interrupted_time_series
    >>> rng = np.random.default_rng(1)
    >>> t = np.arange(120)
    >>> y = 70 + 0.02 * t + 4.0 * (t >= 60) + rng.normal(0, 1, 120)
    >>> r = interrupted_time_series(y, 60, label="CSAT")
    >>> round(r.level_change, 1), r.level_p < 0.05
    (4.0, True)
    """
    func = "rca.interrupted_time_series"
    confidence, alpha = _confidence(confidence, alpha, func)
    label = _label(label, func)
    v.check_option(seasonal, "seasonal", func, ("fourier", "dummies"))
    v.check_option(errors, "errors", func, ("hac", "ar1", "classical"))
    slope = v.check_bool(slope, "slope", func)
    small_sample = v.check_bool(small_sample, "small_sample", func)
    yy = v.as_float_array(column(data, y, "y", func), "y", func, min_size=6)
    n = yy.size
    zone = None
    if time is not None:
        index = column(data, time, "time", func)
        zone = column_zone(data, time)
        if len(index) != n:
            v.fail("time", func, f"of the same length as 'y' ({n})",
                   got=f"length {len(index)}", data=True)
        if index.dtype.kind not in "iufM":
            v.fail("time", func, "numbers or dates", got=f"an array of dtype {index.dtype}",
                   data=True)
        if index.dtype.kind == "M" and np.isnat(index).any():
            v.fail("time", func, "free of missing dates",
                   got=f"NaT at position {int(np.argmax(np.isnat(index)))}", data=True)
        if index.dtype.kind in "iuf":
            index = v.as_float_array(index, "time", func) if index.dtype.kind == "f" else index
        step = np.diff(index)
        if (step <= step.dtype.type(0)).any():
            i = int(np.argmax(step <= step.dtype.type(0))) + 1
            def shown(x):
                return str(x) if index.dtype.kind == "M" else repr(x.item())

            v.fail("time", func, "strictly increasing", got=f"{shown(index[i])} at position {i} "
                   f"after {shown(index[i - 1])}", data=True)
        post = _at_mask(at, index, "at", func, zone)
        t0 = int(np.argmax(post)) if post.any() else n
    else:
        index = np.arange(n)
        t0 = v.check_int(at, "at", func, low=0, high=n)
    if t0 < 3 or n - t0 < 3:
        v.fail("at", func, "a change with at least 3 periods on each side",
               got=f"{t0} period(s) before and {n - t0} after", data=True)
    t = np.arange(n, dtype=np.float64)
    d = (t >= t0).astype(np.float64)
    cols = [np.ones(n), t, d]
    names = ["intercept", "time", "level change"]
    if slope:
        cols.append(d * (t - t0))
        names.append("slope change")
    model = "level" + (" and slope" if slope else "") + " change on a linear trend"
    if period is not None:
        period = v.check_int(period, "period", func, low=2, high=max(2, n // 2))
        if seasonal == "fourier":
            harmonics = min(2, period // 2) if harmonics is None else v.check_int(
                harmonics, "harmonics", func, low=1, high=period // 2)
            model += f", Fourier seasonality (period {period}, {harmonics} harmonic(s))"
        else:
            model += f", season dummies (period {period})"
        extra = 2 * harmonics if seasonal == "fourier" else period - 1
        check_memory(8.0 * n * (4 + extra) * 3, func, "the regression design")
        sc, sn = _seasonal_terms(t, period, seasonal, harmonics)
        cols += sc
        names += sn
    elif harmonics is not None:
        v.fail("harmonics", func, "None when no 'period' is given", harmonics)
    X = np.column_stack(cols)
    k = X.shape[1]
    if n - k < 2:
        v.fail("y", func, f"at least {k + 2} periods for the {k} coefficients",
               got=f"{n} period(s)", data=True)
    if errors != "hac" and maxlags is not None:
        v.fail("maxlags", func, "None unless errors='hac'", maxlags)
    horizon = n - 1 - t0 if horizon is None else v.check_int(horizon, "horizon", func, low=0)
    lags, rho = 0, float("nan")
    if errors == "ar1":
        fit, cov, rho, _ = _hac.prais_winsten(X, yy, func)
        covariance = f"Prais–Winsten AR(1) GLS, rho = {rho:.3f}"
    else:
        fit = _hac.ols(X, yy, func)
        if errors == "hac":
            lags = _hac.default_lags(n) if maxlags is None else v.check_int(
                maxlags, "maxlags", func, low=0, high=n - 1)
            cov = _hac.cov_hac(X, fit, lags, small_sample)
            covariance = (f"Newey–West HAC, Bartlett kernel, {lags} lag(s)"
                          + (", small-sample n/(n−k)" if small_sample else ""))
        else:
            cov = _hac.cov_classical(X, fit)
            covariance = "OLS, independent errors"
    df = n - k
    tab = _table(names, fit.beta, cov, df, confidence)
    lv = tab["estimate"][2], tab["ci_low"][2], tab["ci_high"][2], tab["p_value"][2]
    sl = (tab["estimate"][3], tab["ci_low"][3], tab["ci_high"][3], tab["p_value"][3]) \
        if slope else (float("nan"),) * 4
    c = np.zeros(k)
    c[2] = 1.0
    if slope:
        c[3] = float(horizon)
    est, se, lo, hi, p = _linear(c, fit.beta, cov, df, confidence)
    fitted = X @ fit.beta
    change = d * fit.beta[2] + (d * (t - t0) * fit.beta[3] if slope else 0.0)
    subject = f"{label}" if label else "The series"
    when = (f"at {horizon} period(s) after the change, against the pre-change trend"
            if slope else "after the change (level shift), against the pre-change trend")
    test = {"hac": "t test with Newey–West errors", "ar1": "t test with AR(1) errors",
            "classical": "t test"}[errors]
    verdict = _verdict(subject, when, est, lo, hi, p, alpha, confidence, test)
    return TimeSeriesImpact(
        model=model, errors=errors, covariance=covariance, n=n, n_pre=t0, n_post=n - t0,
        change_index=t0, horizon=horizon, level_change=float(lv[0]), level_low=float(lv[1]),
        level_high=float(lv[2]), level_p=float(lv[3]), slope_change=float(sl[0]),
        slope_low=float(sl[1]), slope_high=float(sl[2]), slope_p=float(sl[3]), effect=est,
        effect_se=se, effect_low=lo, effect_high=hi, effect_p=p, rho=float(rho),
        maxlags=lags, df=df, **tab, index=index, observed=yy, fitted=fitted,
        counterfactual=fitted - change, confidence=confidence, verdict=verdict, tz=zone)


# --------------------------------------------------------------------------- DiD


@drawn_by("impact")
@result
class EventStudy(Result):
    """Event-study coefficients: the treated–comparison gap in each period, relative to the
    last period before the change (``event_time = −1``, fixed at 0).

    Attributes
    ----------
    event_time : ndarray of int
        Periods relative to the change (−1 the last before, 0 the first after).
    estimate, se, ci_low, ci_high, p_value : ndarray
        The coefficient of each period (the reference row has estimate 0 and NaN
        elsewhere).
    pretrend_stat, pretrend_p : float
        *F* test that every pre-period coefficient (leads, ``event_time < −1``) is zero:
        the parallel-trends check. NaN when there is only one pre-period.
    pretrend_df : int
        Leads tested.
    df : int
        Denominator degrees of freedom (clusters − 1, or ``n − k``).
    confidence : float
    verdict : str
    """

    event_time: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    pretrend_stat: float
    pretrend_p: float
    pretrend_df: int
    df: int
    confidence: float
    verdict: str

    def _title(self):
        return "Event study (reference: event_time −1)"

    def _summary(self):
        return [self.verdict]

    def _columns(self):
        return {"event_time": self.event_time, "estimate": self.estimate, "se": self.se,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value}


@drawn_by("impact")
@result
class DiffInDiff(Result):
    """A difference-in-differences estimate of the effect of a change.

    Attributes
    ----------
    design : str
        ``'2x2'`` (treated/comparison × before/after) or ``'panel'`` (unit and time fixed
        effects).
    cov : str
        ``'cluster'`` (by unit), ``'hc1'`` or ``'classical'``.
    n : int
        Rows.
    n_units : int
        Units (clusters), 0 when no ``unit`` was given.
    n_periods : int
        Distinct periods (2 for the 2×2 design).
    effect, effect_se, effect_low, effect_high, effect_p : float
        The coefficient of *treated × after*, its standard error, interval and *p*.
    df : int
        Degrees of freedom of the *t* interval (clusters − 1, or ``n − k``).
    cell_means : ndarray
        Mean outcome, rows (comparison, treated) × columns (before, after).
    term, estimate, se, ci_low, ci_high, p_value : ndarray
        Coefficients shown (all four of the 2×2 design; the effect of the panel design,
        whose fixed effects are not shown).
    event_study : EventStudy or None
        Leads and lags of the panel design (None for 2×2).
    pretrend_p : float
        *p* of the parallel-trends check (NaN when not possible).
    confidence : float
    verdict : str
    """

    design: str
    cov: str
    n: int
    n_units: int
    n_periods: int
    effect: float
    effect_se: float
    effect_low: float
    effect_high: float
    effect_p: float
    df: int
    cell_means: np.ndarray
    term: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    event_study: EventStudy | None
    pretrend_p: float
    confidence: float
    verdict: str

    def _title(self):
        return f"Difference-in-differences ({self.design}, {self.cov})"

    def _summary(self):
        return [self.verdict]

    def _columns(self):
        return {"term": self.term, "estimate": self.estimate, "se": self.se,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value}


def _dummies(codes, n_levels, drop_first=True):
    out = np.zeros((codes.size, n_levels), dtype=np.float64)
    out[np.arange(codes.size), codes] = 1.0
    return out[:, 1:] if drop_first else out


def _cov(kind, X, fit, groups, n_groups):
    if kind == "cluster":
        return _hac.cov_cluster(X, fit, groups, n_groups), n_groups - 1
    if kind == "hc1":
        return _hac.cov_hc1(X, fit), fit.n - fit.k
    return _hac.cov_classical(X, fit), fit.n - fit.k


def _f_test(beta, cov, idx, df):
    from scipy import stats

    b = beta[idx]
    V = cov[np.ix_(idx, idx)]
    try:
        w = float(b @ np.linalg.solve(V, b))
    except np.linalg.LinAlgError:
        return float("nan"), float("nan")
    q = len(idx)
    f = w / q
    return f, float(stats.f.sf(f, q, df))


def diff_in_diff(y: ColumnLike, treated: ColumnLike, post: ColumnLike, *,
                 data: TableLike | None = None, unit: ColumnLike | None = None,
                 time: ColumnLike | None = None, cov: str = "auto",
                 confidence: float = 0.95, alpha: float | None = None,
                 label: str | None = None) -> DiffInDiff:
    """Difference-in-differences: the change in a treated group against a comparison group.

    Parameters
    ----------
    y : array or column name of ``data``
        The outcome, one row per observation (customer, or unit and period).
    treated : array or column name
        Booleans / 0–1: the row belongs to the group that got the change.
    post : array or column name
        Booleans / 0–1: the row is from after the change.
    data : table, optional
    unit : array or column name, optional
        Unit of each row (region, team, store): standard errors are clustered by it.
    time : array or column name, optional
        Period of each row. With ``unit`` it makes the panel design: unit and time fixed
        effects, event-study coefficients and the parallel-trends check.
    cov : {'auto', 'cluster', 'hc1', 'classical'}, default 'auto'
        ``'cluster'`` by unit when ``unit`` is given, else ``'hc1'`` (heteroskedasticity
        robust).
    confidence : float, default 0.95
    alpha : float, optional
        Significance level of the verdict (default ``1 − confidence``).
    label : str, optional
        KPI name used in the verdict.

    Returns
    -------
    DiffInDiff

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Unequal lengths, flags that are not 0/1, an empty cell of the 2×2 table, a unit
        whose ``treated`` changes, a period whose ``post`` differs between rows (the change
        must come at one time for all treated units), fewer than 2 clusters.

    Notes
    -----
    2×2: OLS of ``y`` on ``1, treated, post, treated × post``; the effect is the last
    coefficient, equal to the difference of the four cell means.
    Panel: OLS of ``y`` on ``treated × post`` with unit and time dummies (two-way fixed
    effects). The event study replaces ``treated × post`` by one dummy per period for the
    treated units, relative to the last pre-period (left out); the parallel-trends check is
    the *F* test that the pre-period (lead) coefficients are all zero.

    Standard errors are as statsmodels' ``OLS(y, X).fit(cov_type='cluster',
    cov_kwds={'groups': unit}, use_t=True)`` (correction ``G/(G−1) · (n−1)/(n−k)``,
    *t* on ``G − 1`` degrees of freedom), ``cov_type='HC1'`` or the classical one.
    Staggered adoption (treated units changing at different times) is not handled: the
    two-way fixed-effects estimate is biased there (Goodman-Bacon 2021).

    References
    ----------
    Angrist, J. D., Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
    Bertrand, M., Duflo, E., Mullainathan, S. (2004). How much should we trust
    differences-in-differences estimates? *Q. J. Econ.* 119, 249–275.

    Examples
    --------
    >>> from cxpath.rca import diff_in_diff
    >>> y = [7.0, 7.2, 7.1, 8.3, 6.9, 7.0, 7.1, 7.3]
    >>> g = [1, 1, 1, 1, 0, 0, 0, 0]
    >>> after = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> r = diff_in_diff(y, g, after, cov="classical")
    >>> round(r.effect, 2)
    0.35
    """
    func = "rca.diff_in_diff"
    confidence, alpha = _confidence(confidence, alpha, func)
    label = _label(label, func)
    cov = _cov_kind(cov, func, ("auto", "cluster", "hc1", "classical"))
    yy = v.as_float_array(column(data, y, "y", func), "y", func, min_size=4)
    g = _flags(column(data, treated, "treated", func), "treated", func)
    a = _flags(column(data, post, "post", func), "post", func)
    u = column(data, unit, "unit", func)
    tt = column(data, time, "time", func)
    n = v.check_same_length(func, y=yy, treated=g, post=a, unit=u, time=tt)
    if tt is not None and u is None:
        v.fail("unit", func, "given when 'time' is (the panel design needs both)", None)
    cells = np.full((2, 2), np.nan)
    for i in (0, 1):
        for j in (0, 1):
            m = (g == i) & (a == j)
            if not m.any():
                v.fail("y", func, "observed in all four cells of treated × post",
                       got=f"no row with treated={i} and post={j}", data=True)
            cells[i, j] = float(yy[m].mean())
    if cov == "auto":
        cov = "cluster" if u is not None else "hc1"
    groups, n_units = None, 0
    if u is not None:
        units, groups = _codes(u, "unit", func)
        n_units = units.size
    if cov == "cluster":
        if u is None:
            v.fail("cov", func, "'hc1' or 'classical' when no 'unit' is given", cov)
        if n_units < 2:
            v.fail("unit", func, "at least 2 distinct units to cluster on",
                   got=f"{n_units} unit(s)", data=True)
    d = g * a
    event = None
    pre_p = float("nan")
    if tt is None:
        X = np.column_stack([np.ones(n), g, a, d])
        names = ["intercept", "treated", "post", "treated × post"]
        fit = _hac.ols(X, yy, func, "the 2×2 design")
        V, df = _cov(cov, X, fit, groups, n_units)
        tab = _table(names, fit.beta, V, df, confidence)
        at, n_periods, design = 3, 2, "2x2"
    else:
        periods, pcodes = _codes(tt, "time", func)
        T = periods.size
        for codes, flag, what, by in ((groups, g, "treated", "unit"),
                                      (pcodes, a, "post", "time")):
            lo = np.full(codes.max() + 1, 2.0)
            hi = np.full(codes.max() + 1, -1.0)
            np.minimum.at(lo, codes, flag)
            np.maximum.at(hi, codes, flag)
            if (lo != hi).any():
                row = int(np.argmax(codes == int(np.argmax(lo != hi))))
                v.fail(what, func, f"the same for every row of a {by}",
                       got=f"both 0 and 1 within the {by} of row {row}", data=True)
        p_of_period = np.zeros(T)
        p_of_period[pcodes] = a
        first = int(np.argmax(p_of_period))
        if (p_of_period[first:] != 1).any() or (p_of_period[:first] != 0).any():
            v.fail("post", func, "0 before and 1 from the change on, in the order of 'time'",
                   got="periods that switch back", data=True)
        k = 1 + (n_units - 1) + (T - 1) + T
        check_memory(8.0 * n * k * 3, func, "the fixed-effects design")
        fe = [np.ones((n, 1)), _dummies(groups, n_units), _dummies(pcodes, T)]
        X = np.column_stack([d[:, None], *fe])
        fit = _hac.ols(X, yy, func, "the two-way fixed-effects design")
        V, df = _cov(cov, X, fit, groups, n_units)
        tab = _table(["treated × post"], fit.beta[:1], V[:1, :1], df, confidence)
        at, n_periods, design = 0, T, "panel"
        rel = np.arange(T) - first
        keep = [r for r in rel if r != -1]
        cols = [(g * (rel[pcodes] == r)).astype(np.float64) for r in keep]
        Xe = np.column_stack([*cols, *fe])
        efit = _hac.ols(Xe, yy, func, "the event-study design")
        Ve, dfe = _cov(cov, Xe, efit, groups, n_units)
        etab = _table([str(r) for r in keep], efit.beta[:len(keep)],
                      Ve[:len(keep), :len(keep)], dfe, confidence)
        leads = [i for i, r in enumerate(keep) if r < -1]
        if leads:
            f_stat, pre_p = _f_test(efit.beta, Ve, leads, dfe)
            if pre_p < alpha:
                ev = (f"Pre-period gaps differ from zero (F test of {len(leads)} lead(s) "
                      f"{format_p(pre_p)}): the groups were not on parallel trends before "
                      "the change, so the estimate may be biased.")
            else:
                ev = (f"No evidence against parallel trends before the change (F test of "
                      f"{len(leads)} lead(s) {format_p(pre_p)}).")
        else:
            f_stat = float("nan")
            ev = "Only one period before the change: parallel trends cannot be checked."
        ins = int(np.searchsorted(np.array(keep), -1))

        def put(x, fill):
            return np.insert(np.asarray(x, dtype=np.float64), ins, fill)

        event = EventStudy(
            event_time=np.insert(np.array(keep, dtype=np.int64), ins, -1),
            estimate=put(etab["estimate"], 0.0), se=put(etab["se"], np.nan),
            ci_low=put(etab["ci_low"], np.nan), ci_high=put(etab["ci_high"], np.nan),
            p_value=put(etab["p_value"], np.nan), pretrend_stat=float(f_stat),
            pretrend_p=float(pre_p), pretrend_df=len(leads), df=int(dfe),
            confidence=confidence, verdict=ev)
    est, se = float(tab["estimate"][at]), float(tab["se"][at])
    lo, hi, p = float(tab["ci_low"][at]), float(tab["ci_high"][at]), float(tab["p_value"][at])
    covname = {"cluster": "cluster-robust by unit", "hc1": "robust",
               "classical": "classical"}[cov]
    subject = (f"{label}" if label else "The outcome") + " of the treated group"
    verdict = _verdict(subject, "against the comparison group", est, lo, hi, p, alpha,
                       confidence, f"t test ({covname})")
    if event is not None:
        verdict += " " + event.verdict
    return DiffInDiff(design=design, cov=cov, n=n, n_units=n_units, n_periods=n_periods,
                      effect=est, effect_se=se, effect_low=lo, effect_high=hi, effect_p=p,
                      df=int(df), cell_means=cells, **tab, event_study=event,
                      pretrend_p=float(pre_p), confidence=confidence, verdict=verdict)


# --------------------------------------------------------------------------- synthetic control


@drawn_by("impact")
@result
class SyntheticControl(Result):
    """A synthetic control: the treated unit against a weighted mix of untreated units.

    Attributes
    ----------
    treated_unit : object
        The unit that got the change.
    donor : ndarray
        The untreated units (the donor pool).
    weight : ndarray
        Their weights (non-negative, summing to 1), fitted on the pre-period.
    periods : ndarray
        The periods, in order.
    n_pre : int
        Periods before the change.
    treated_path, synthetic_path, gap : ndarray
        The treated unit's outcome, its synthetic control and their difference per period.
    pre_rmspe, post_rmspe : float
        Root mean squared gap before and after the change.
    rmspe_ratio : float
        ``post_rmspe / pre_rmspe``: the placebo test statistic.
    effect : float
        Mean gap after the change.
    effect_low, effect_high : float
        Confidence set of a constant effect from inverting the placebo test (infinite
        when there are too few donors for the level, NaN when empty).
    p_value : float
        Placebo-in-space permutation *p*: the share of all units (the treated one and
        every placebo) whose ratio is at least the treated unit's.
    placebo_ratio : ndarray
        Each donor's ratio when it is treated as the treated unit (NaN without placebos).
    placebo_gaps : ndarray
        Shape (donors, periods): each placebo's gap path (for plots).
    confidence : float
    verdict : str
    """

    treated_unit: Any
    donor: np.ndarray
    weight: np.ndarray
    periods: np.ndarray
    n_pre: int
    treated_path: np.ndarray
    synthetic_path: np.ndarray
    gap: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    rmspe_ratio: float
    effect: float
    effect_low: float
    effect_high: float
    p_value: float
    placebo_ratio: np.ndarray
    placebo_gaps: np.ndarray
    confidence: float
    verdict: str

    def _title(self):
        return f"Synthetic control of {self.treated_unit!s} ({self.donor.size} donors)"

    def _summary(self):
        return [self.verdict]

    def _columns(self):
        return {"donor": self.donor, "weight": self.weight,
                "placebo_ratio": self.placebo_ratio}


def _simplex_weights(a, B):
    """``argmin ||a − B w||²`` over ``w ≥ 0, Σ w = 1``: NNLS on the system augmented with
    a heavily weighted row of ones, polished by SLSQP."""
    from scipy import optimize

    J = B.shape[1]
    if J == 1:
        return np.ones(1)
    scale = max(float(np.sqrt((B * B).mean())), float(np.sqrt((a * a).mean())), 1e-300)
    Bs, as_ = B / scale, a / scale
    big = 1e3 * math.sqrt(B.shape[0])
    w0, _ = optimize.nnls(np.vstack([Bs, big * np.ones((1, J))]),
                          np.concatenate([as_, [big]]), maxiter=50 * J)
    w0 = w0 / w0.sum() if w0.sum() > 0 else np.full(J, 1.0 / J)

    def obj(w):
        r = Bs @ w - as_
        return float(r @ r), 2 * Bs.T @ r

    res = optimize.minimize(obj, w0, jac=True, method="SLSQP", bounds=[(0.0, 1.0)] * J,
                            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0,
                                          "jac": lambda w: np.ones(J)}],
                            options={"ftol": 1e-15, "maxiter": 500})
    w = np.clip(res.x, 0.0, None)
    w = w / w.sum() if w.sum() > 0 else w0
    return w if obj(w)[0] <= obj(w0)[0] else w0


def _rmspe(gap, n_pre):
    pre = float(np.sqrt(np.mean(gap[:n_pre] ** 2)))
    post = float(np.sqrt(np.mean(gap[n_pre:] ** 2)))
    tiny = 1e-12 * max(1.0, float(np.abs(gap).max()))
    ratio = post / pre if pre > tiny else (math.inf if post > tiny else float("nan"))
    return pre, post, ratio


def synthetic_control(y: ColumnLike, unit: ColumnLike, time: ColumnLike, *, treated_unit: Any,
                      start: Any, data: TableLike | None = None, placebo: bool = True,
                      confidence: float = 0.95, alpha: float | None = None,
                      label: str | None = None) -> SyntheticControl:
    """Synthetic control: the treated unit against a weighted mix of untreated units.

    Parameters
    ----------
    y : array or column name of ``data``
        The outcome, one row per unit and period (a balanced panel in long form).
    unit, time : array or column name
        Unit and period of each row.
    treated_unit : object
        The ``unit`` value that got the change; every other unit is a donor.
    start : object
        The first period after the change (a ``time`` value; later periods are after too).
        For a time-zone-aware ``time`` column a naive date is a local time of its zone.
    data : table, optional
    placebo : bool, default True
        Run the placebo-in-space test (one fit per donor) for ``p_value`` and the interval.
    confidence : float, default 0.95
    alpha : float, optional
        Significance level of the verdict (default ``1 − confidence``).
    label : str, optional
        KPI name used in the verdict.

    Returns
    -------
    SyntheticControl

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        An unknown treated unit, fewer than 2 donors or 2 pre-periods, no period after
        ``start``, a panel that is not balanced (a unit missing a period or holding it
        twice).

    Notes
    -----
    The weights minimise the squared pre-period gap between the treated unit and the
    weighted donors, over non-negative weights summing to 1 (Abadie, Diamond and
    Hainmueller 2010, with the pre-period outcomes as the only predictors): NNLS on the
    system augmented with a heavily weighted row of ones, polished with SLSQP. The effect
    is the mean gap after the change.

    Placebo in space: each donor in turn is treated as the treated unit, with the other
    donors as its pool (the treated unit left out), and the ratio of post- to pre-period
    RMSPE is computed; ``p_value = (1 + #{placebo ratio ≥ treated ratio}) / (J + 1)``
    (Abadie 2021, eq. 11), so it is never below ``1 / (J + 1)``. The interval is the set of
    constant effects *c* the same test does not reject at ``1 − confidence`` when *c* is
    taken off the treated unit's post-period outcomes (Firpo and Possebom 2018); it is
    the whole line when ``1 / (J + 1) > 1 − confidence`` (for 95 %: fewer than 19 donors).

    References
    ----------
    Abadie, A., Diamond, A., Hainmueller, J. (2010). Synthetic control methods for
    comparative case studies. *J. Am. Stat. Assoc.* 105, 493–505.
    Abadie, A. (2021). Using synthetic controls: feasibility, data requirements, and
    methodological aspects. *J. Econ. Lit.* 59, 391–425.
    Firpo, S., Possebom, V. (2018). Synthetic control method: inference, sensitivity
    analysis and confidence sets. *J. Causal Inference* 6(2).

    Examples
    --------
    >>> from cxpath.rca import synthetic_control
    >>> t = np.tile(np.arange(6), 3)
    >>> u = np.repeat(["north", "south", "east"], 6)
    >>> south = np.array([1.0, 2, 3, 4, 5, 6])
    >>> east = np.array([3.0, 2, 4, 3, 5, 4])
    >>> y = np.concatenate([0.5 * south + 0.5 * east + [0, 0, 0, 0, 2, 2], south, east])
    >>> r = synthetic_control(y, u, t, treated_unit="north", start=4, placebo=False)
    >>> np.round(r.weight, 3).tolist(), round(r.effect, 3)
    ([0.5, 0.5], 2.0)
    """
    func = "rca.synthetic_control"
    confidence, alpha = _confidence(confidence, alpha, func)
    label = _label(label, func)
    placebo = v.check_bool(placebo, "placebo", func)
    yy = v.as_float_array(column(data, y, "y", func), "y", func, min_size=6)
    u = column(data, unit, "unit", func)
    tt = column(data, time, "time", func)
    for name, col in (("unit", u), ("time", tt)):
        if col is None:
            v.fail(name, func, "a column name or a sequence of values (one per row)", None,
                   wrong_type=True)
    v.check_same_length(func, y=yy, unit=u, time=tt)
    units, ucodes = _codes(u, "unit", func)
    periods, pcodes = _codes(tt, "time", func)
    U, T = units.size, periods.size
    check_memory(8.0 * U * T * 3, func, "the unit × period table")
    count = np.zeros((U, T), dtype=np.int64)
    np.add.at(count, (ucodes, pcodes), 1)
    if (count != 1).any():
        i, j = np.argwhere(count != 1)[0]
        v.fail("time", func, "one row per unit and period (a balanced panel)",
               got=f"{int(count[i, j])} row(s) for unit {units[i]!r} at period "
                   f"{periods[j]!r}", data=True)
    Y = np.empty((U, T))
    Y[ucodes, pcodes] = yy
    try:
        hit = np.flatnonzero(units == treated_unit) if not isinstance(
            treated_unit, (list, tuple, dict, set, np.ndarray)) else np.array([], int)
    except (TypeError, ValueError):
        hit = np.array([], dtype=int)
    if hit.size != 1:
        v.fail("treated_unit", func, "one of the 'unit' values "
               f"({v.show_list(units.tolist())})", treated_unit)
    tr = int(hit[0])
    post = _at_mask(start, periods, "start", func, column_zone(data, time))
    n_pre = int(np.argmax(post)) if post.any() else T
    if n_pre < 2 or n_pre == T:
        v.fail("start", func, "a period with at least 2 periods before it and 1 from it on",
               got=f"{start!r} ({n_pre} before, {T - n_pre} from it)", data=True)
    donors = np.array([i for i in range(U) if i != tr])
    J = donors.size
    if J < 2:
        v.fail("unit", func, "at least 3 units (the treated one and 2 donors)",
               got=f"{U} unit(s)", data=True)
    B = Y[donors].T
    w = _simplex_weights(Y[tr, :n_pre], B[:n_pre])
    synth = B @ w
    gap = Y[tr] - synth
    pre, postr, ratio = _rmspe(gap, n_pre)
    effect = float(gap[n_pre:].mean())
    ratios = np.full(J, np.nan)
    pgaps = np.full((J, T), np.nan)
    p, lo, hi = float("nan"), float("nan"), float("nan")
    if placebo:
        for k in range(J):
            others = np.delete(np.arange(J), k)
            wk = _simplex_weights(B[:n_pre, k], B[:n_pre, others])
            pgaps[k] = B[:, k] - B[:, others] @ wk
            ratios[k] = _rmspe(pgaps[k], n_pre)[2]
        finite = np.where(np.isnan(ratios), -math.inf, ratios)
        r_treat = -math.inf if math.isnan(ratio) else ratio
        p = float((1 + np.sum(finite >= r_treat)) / (J + 1))
        # smallest number of placebo ratios at or above the treated one that keeps p > alpha
        k_min = next(k for k in range(J + 1) if (1 + k) / (J + 1) > alpha)
        if k_min == 0:
            lo, hi = -math.inf, math.inf
        else:
            thr = np.sort(finite)[::-1][k_min - 1]
            g = gap[n_pre:]
            pre_mspe = pre ** 2
            if math.isinf(thr) and thr > 0:
                lo, hi = -math.inf, math.inf
            elif thr == -math.inf or pre_mspe == 0:
                lo, hi = float("nan"), float("nan")
            else:
                half2 = thr * thr * pre_mspe - float(g.var())
                if half2 >= 0:
                    lo, hi = effect - math.sqrt(half2), effect + math.sqrt(half2)
    subject = (f"{label}" if label else "The outcome") + f" of {treated_unit!s}"
    if placebo:
        verdict = _verdict(subject, "on average after the change against its synthetic "
                           "control", effect, lo, hi, p, alpha, confidence,
                           f"placebo test over {J} donors")
        if alpha <= 1 / (J + 1):
            verdict += (f" With {J} donors the placebo p-value cannot go below "
                        f"1/{J + 1} = {1 / (J + 1):.3f}.")
    else:
        verdict = (f"{subject} moved by {_num(effect)} on average after the change against "
                   "its synthetic control (no placebo test run: no p-value or interval).")
    return SyntheticControl(
        treated_unit=units[tr].item() if isinstance(units[tr], np.generic) else units[tr],
        donor=units[donors], weight=w, periods=periods, n_pre=n_pre, treated_path=Y[tr],
        synthetic_path=synth, gap=gap, pre_rmspe=pre, post_rmspe=postr, rmspe_ratio=ratio,
        effect=effect, effect_low=lo, effect_high=hi, p_value=p, placebo_ratio=ratios,
        placebo_gaps=pgaps, confidence=confidence, verdict=verdict)
