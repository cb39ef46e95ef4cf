"""Did it really change? Before/after comparisons with intervals and a plain verdict, and
cohort retention curves.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column, column_zone
from .._results import Result, derived_columns, drawn_by, format_p, result
from .._stats import wilson_interval
from .._zones import wall_clock_datetimes
from ._common import refuse_bools, z_value

if TYPE_CHECKING:

    from .._typing import ColumnLike, TableLike

__all__ = ["Cohorts", "Comparison", "compare", "retention_cohorts"]

KINDS = ("auto", "proportion", "nps", "mean", "duration")


@result
class Comparison(Result):
    """A before/after comparison.

    Attributes
    ----------
    kind : str
        'proportion', 'nps', 'mean' or 'duration'.
    n_before, n_after : int
    before, after : float
        The statistic compared: share, NPS points, mean, or median.
    difference : float
        ``after − before``.
    ci_low, ci_high : float
        Interval of the difference (Newcombe for proportions, Wald for NPS, Welch for
        means, percentile bootstrap of the median difference for durations).
    test : str
        The test behind ``p_value``.
    statistic, p_value : float
    effect_size : float
        Cohen's h (proportions), Hedges' g (means), rank-biserial correlation
        (durations: positive when *after* tends to be larger), NaN for NPS.
    effect_name : str
    confidence : float
    verdict : str
        A plain-language sentence.
    """

    kind: str
    n_before: int
    n_after: int
    before: float
    after: float
    difference: float
    ci_low: float
    ci_high: float
    test: str
    statistic: float
    p_value: float
    effect_size: float
    effect_name: str
    confidence: float
    verdict: str

    _derived = derived_columns({
        "period": "``'before'``, ``'after'`` and ``'after − before'``: one row each",
        "n": "``n_before``, ``n_after`` and both",
        "value": "``before``, ``after`` and ``difference``",
        "ci_low": "``ci_low`` of the difference (its row only)",
        "ci_high": "``ci_high`` of the difference (its row only)"})

    def _title(self):
        return f"Comparison ({self.kind})"

    def _summary(self):
        return [self.verdict]

    def _columns(self):
        return {"period": np.array(["before", "after", "after − before"], dtype=object),
                "n": np.array([self.n_before, self.n_after, self.n_before + self.n_after]),
                "value": np.array([self.before, self.after, self.difference]),
                "ci_low": np.array([np.nan, np.nan, self.ci_low]),
                "ci_high": np.array([np.nan, np.nan, self.ci_high])}


def _fmt(x, kind):
    if kind == "proportion":
        return f"{100 * x:.1f}%"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _fmt_diff(x, kind):
    if kind == "proportion":
        return f"{100 * x:+.1f} points"
    if kind == "nps":
        return f"{x:+.1f} points"
    return f"{x:+.3g}"


def _verdict(kind, label, before, after, diff, lo, hi, p, alpha, test, confidence):
    what = {"proportion": "share", "nps": "NPS", "mean": "mean", "duration": "median"}[kind]
    name = f"{label} ({what})" if label else what.capitalize()
    ci = (f"{confidence:.0%} CI {_fmt_diff(lo, kind)} to {_fmt_diff(hi, kind)}")
    move = "rose" if diff > 0 else "fell" if diff < 0 else "stayed"
    head = (f"{name} {move} from {_fmt(before, kind)} to {_fmt(after, kind)} "
            f"({_fmt_diff(diff, kind)}, {ci}); {test} {format_p(p)}: ")
    if p < alpha:
        return head + f"a real change at the {alpha:.0%} level."
    return head + (f"no evidence of a change at the {alpha:.0%} level "
                   "(the data are consistent with no change).")


def _flags(x, name, func):
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        if arr.size == 0:
            v.fail(name, func, "an array with at least 1 element(s)", got="0 element(s)",
                   data=True)
        return arr.astype(np.float64)
    f = v.as_float_array(arr, name, func)
    bad = (f != 0) & (f != 1)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "booleans or 0/1 values", got=f"{f[i]:g} at position {i}",
               data=True)
    return f


def compare(before: ColumnLike, after: ColumnLike, *, kind: str = "auto",
            data: TableLike | None = None, confidence: float = 0.95, alpha: float | None = None,
            n_boot: int = 2000, seed: int | np.random.Generator | None = None,
            label: str | None = None) -> Comparison:
    """Compare a KPI before and after a change, with an interval and a plain verdict.

    Parameters
    ----------
    before, after : array (or column names of ``data``)
        Row-level values of each period: booleans / 0–1 for proportions, 0–10 scores for
        NPS, numbers for means and durations.
    kind : {'auto', 'proportion', 'nps', 'mean', 'duration'}, default 'auto'
        'auto' picks 'proportion' for boolean input and 'mean' otherwise.
    data : table, optional
    confidence : float, default 0.95
    alpha : float, optional
        Significance level of the verdict (default ``1 − confidence``).
    n_boot : int, default 2000
        Bootstrap resamples for the median difference (``kind='duration'``).
    seed : int, optional
    label : str, optional
        KPI name used in the verdict.

    Returns
    -------
    Comparison

    Raises
    ------
    InvalidParameterError, DataError
        Empty or invalid samples (fewer than two values for means and durations, NPS
        scores outside 0–10, proportions that are not 0/1).

    Notes
    -----
    * proportions: two-proportion *z* test with the pooled variance; Newcombe's hybrid
      score interval for the difference (his method 10: Wilson limits of each share
      combined); Cohen's *h*.
    * NPS: difference of two independent NPS with the trinomial variances; Wald *z*.
    * means: Welch's *t* test and interval (unequal variances); Hedges' *g*.
    * durations (skewed): Mann–Whitney *U* (two-sided, with continuity correction as in
      scipy) with the rank-biserial correlation ``2 U_after / (n_b n_a) − 1``, and a
      percentile bootstrap interval of the difference of medians.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890.
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34, 28–35.

    Examples
    --------
    >>> from cxpath.kpi import compare
    >>> r = compare([True] * 30 + [False] * 70, [True] * 45 + [False] * 55, label="FCR")
    >>> round(r.difference, 2), r.p_value < 0.05
    (0.15, True)
    """
    from scipy import stats

    func = "kpi.compare"
    v.check_option(kind, "kind", func, KINDS)
    if label is not None and not isinstance(label, str):
        v.fail("label", func, "a str or None", label, wrong_type=True)
    z = z_value(confidence, func)
    alpha = 1 - confidence if alpha is None else v.check_real(alpha, "alpha", func, low=0.0,
                                                              high=1.0, closed="neither")
    n_boot = v.check_int(n_boot, "n_boot", func, low=100, high=1_000_000)
    b = column(data, before, "before", func)
    a = column(data, after, "after", func)
    if kind == "auto":
        kind = "proportion" if (np.asarray(b).dtype.kind == "b"
                                and np.asarray(a).dtype.kind == "b") else "mean"
    if kind == "proportion":
        xb, xa = _flags(b, "before", func), _flags(a, "after", func)
        return _proportions(xb, xa, alpha, confidence, label)
    if kind == "nps":
        from .satisfaction import nps

        for name, x in (("before", b), ("after", a)):
            f = v.as_float_array(x, name, func, low=0.0, high=10.0)
            if (f != np.round(f)).any():
                i = int(np.argmax(f != np.round(f)))
                v.fail(name, func, "whole-number scores 0–10", got=f"{f[i]:g} at position {i}",
                       data=True)
        rb = nps(b, confidence=confidence)
        ra = nps(a, confidence=confidence)
        diff = float(ra.score[0] - rb.score[0])
        se = math.hypot(float(ra.se[0]), float(rb.se[0]))
        stat = diff / se if se > 0 else (0.0 if diff == 0 else math.copysign(np.inf, diff))
        p = float(2 * stats.norm.sf(abs(stat)))
        lo, hi = diff - z * se, diff + z * se
        return Comparison(kind="nps", n_before=int(rb.n[0]), n_after=int(ra.n[0]),
                          before=float(rb.score[0]), after=float(ra.score[0]),
                          difference=diff, ci_low=lo, ci_high=hi, test="z test",
                          statistic=float(stat), p_value=p, effect_size=float("nan"),
                          effect_name="", confidence=confidence,
                          verdict=_verdict("nps", label, float(rb.score[0]),
                                           float(ra.score[0]), diff, lo, hi, p, alpha,
                                           "z test", confidence))
    xb = v.as_float_array(b, "before", func, min_size=2)
    xa = v.as_float_array(a, "after", func, min_size=2)
    if kind == "mean":
        return _means(xb, xa, confidence, alpha, label)
    return _durations(xb, xa, confidence, alpha, n_boot, seed, label)


def _proportions(xb, xa, alpha, confidence, label):
    from scipy import stats

    nb, na = xb.size, xa.size
    sb, sa = xb.sum(), xa.sum()
    pb, pa = sb / nb, sa / na
    (lb, ub), (la, ua) = (wilson_interval(sb, nb, confidence),
                          wilson_interval(sa, na, confidence))
    lb, ub, la, ua = float(lb), float(ub), float(la), float(ua)
    diff = pa - pb
    lo = diff - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    hi = diff + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    pool = (sb + sa) / (nb + na)
    se0 = math.sqrt(pool * (1 - pool) * (1 / nb + 1 / na))
    stat = diff / se0 if se0 > 0 else 0.0
    p = float(2 * stats.norm.sf(abs(stat)))
    h = 2 * math.asin(math.sqrt(pa)) - 2 * math.asin(math.sqrt(pb))
    return Comparison(kind="proportion", n_before=nb, n_after=na, before=float(pb),
                      after=float(pa), difference=float(diff), ci_low=float(lo),
                      ci_high=float(hi), test="two-proportion z test", statistic=float(stat),
                      p_value=p, effect_size=float(h), effect_name="Cohen's h",
                      confidence=confidence,
                      verdict=_verdict("proportion", label, pb, pa, diff, lo, hi, p, alpha,
                                       "two-proportion z test", confidence))


def _means(xb, xa, confidence, alpha, label):
    from scipy import stats

    nb, na = xb.size, xa.size
    mb, ma = xb.mean(), xa.mean()
    vb, va = xb.var(ddof=1), xa.var(ddof=1)
    se = math.sqrt(vb / nb + va / na)
    diff = ma - mb
    if se == 0:
        stat, p, df = (0.0, 1.0, nb + na - 2) if diff == 0 else (math.copysign(np.inf, diff),
                                                                  0.0, nb + na - 2)
    else:
        df = (vb / nb + va / na) ** 2 / ((vb / nb) ** 2 / (nb - 1) + (va / na) ** 2 / (na - 1))
        stat = diff / se
        p = float(2 * stats.t.sf(abs(stat), df))
    tq = float(stats.t.ppf(0.5 + confidence / 2, df))
    lo, hi = diff - tq * se, diff + tq * se
    pooled = math.sqrt(((nb - 1) * vb + (na - 1) * va) / (nb + na - 2))
    correction = 1 - 3 / (4 * (nb + na) - 9)
    g = diff / pooled * correction if pooled > 0 else 0.0
    return Comparison(kind="mean", n_before=nb, n_after=na, before=float(mb), after=float(ma),
                      difference=float(diff), ci_low=float(lo), ci_high=float(hi),
                      test="Welch t test", statistic=float(stat), p_value=float(p),
                      effect_size=float(g), effect_name="Hedges' g", confidence=confidence,
                      verdict=_verdict("mean", label, mb, ma, diff, lo, hi, p, alpha,
                                       "Welch t test", confidence))


def _durations(xb, xa, confidence, alpha, n_boot, seed, label):
    from scipy import stats

    nb, na = xb.size, xa.size
    res = stats.mannwhitneyu(xa, xb, alternative="two-sided")
    u_after = float(res.statistic)
    rbc = 2 * u_after / (nb * na) - 1
    mb, ma = float(np.median(xb)), float(np.median(xa))
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_boot)
    chunk = max(1, 4_000_000 // (nb + na))
    for start in range(0, n_boot, chunk):
        m = min(chunk, n_boot - start)
        bb = np.median(xb[rng.integers(0, nb, (m, nb))], axis=1)
        aa = np.median(xa[rng.integers(0, na, (m, na))], axis=1)
        diffs[start:start + m] = aa - bb
    q = (1 - confidence) / 2
    lo, hi = (float(x) for x in np.quantile(diffs, [q, 1 - q]))
    diff = ma - mb
    p = float(res.pvalue)
    return Comparison(kind="duration", n_before=nb, n_after=na, before=mb, after=ma,
                      difference=diff, ci_low=lo, ci_high=hi, test="Mann-Whitney U",
                      statistic=u_after, p_value=p, effect_size=float(rbc),
                      effect_name="rank-biserial r", confidence=confidence,
                      verdict=_verdict("duration", label, mb, ma, diff, lo, hi, p, alpha,
                                       "Mann-Whitney U", confidence))


@drawn_by("retention")
@result
class Cohorts(Result):
    """Retention by cohort of first contact.

    Attributes
    ----------
    cohort : ndarray of str
        First-activity period of the cohort (e.g. '2025-03').
    size : ndarray of int
        Customers in the cohort.
    retention : ndarray
        Shape (cohorts, periods): share of the cohort active *k* periods after its first
        (column 0 is 1). NaN where the period lies beyond the data.
    period : str
    """

    cohort: np.ndarray
    size: np.ndarray
    retention: np.ndarray
    period: str

    _derived = derived_columns({
        "{period}{k}": "share of the cohort active k periods after its first, "
                       "``retention[:, k]`` (``M3``: three months on)"})

    def _explain_column(self, column: str) -> str | None:
        k = column.removeprefix(self.period)
        return self._derived["{period}{k}"] if k != column and k.isdigit() else None

    def _columns(self):
        cols = {"cohort": self.cohort, "size": self.size}
        for k in range(self.retention.shape[1]):
            cols[f"{self.period}{k}"] = self.retention[:, k]
        return cols


def retention_cohorts(customer: ColumnLike, timestamp: ColumnLike, *, data: TableLike | None = None,
                      period: str = "M") -> Cohorts:
    """Cohort retention (同期群): share of each first-contact cohort active in later periods.

    Parameters
    ----------
    customer : str or array
        Customer of each activity (contact, order, login …).
    timestamp : str or array of datetime64
        When it happened.
    data : table, optional
    period : {'M', 'W', 'D'}, default 'M'
        Cohort and offset granularity (months, weeks, days).

    Returns
    -------
    Cohorts

    Raises
    ------
    InvalidParameterError, DataError
        Unequal lengths, missing timestamps, unknown period.

    Notes
    -----
    A customer's cohort is the period of their first activity; they count as retained in
    offset *k* when they have any activity in that period. Offsets past the last period of
    the data are NaN (not zero), so young cohorts are not mistaken for churned ones.

    Examples
    --------
    >>> from cxpath.kpi import retention_cohorts
    >>> c = retention_cohorts(["a", "a", "b", "c"],
    ...                       np.array(["2025-01-05", "2025-02-01", "2025-01-20", "2025-02-03"],
    ...                                "datetime64[s]"))
    >>> c.cohort.tolist(), c.retention[0].tolist()
    (['2025-01', '2025-02'], [1.0, 0.5])
    """
    func = "kpi.retention_cohorts"
    v.check_option(period, "period", func, ("M", "W", "D"))
    for arg, val in (("customer", customer), ("timestamp", timestamp)):
        if val is None:
            v.fail(arg, func, "a column name or an array", None, wrong_type=True)
    cust = np.asarray(column(data, customer, "customer", func)).astype(str)
    if cust.ndim != 1:
        v.fail("customer", func, "one-dimensional", got=f"an array of shape {cust.shape}",
               data=True)
    if not isinstance(timestamp, str):
        refuse_bools(timestamp, "timestamp", func, "timestamps")
    ts = column(data, timestamp, "timestamp", func)
    refuse_bools(ts, "timestamp", func, "timestamps")
    try:
        ts = np.asarray(ts, dtype="datetime64[s]")
    except OverflowError:  # integers beyond int64 seconds
        v.fail("timestamp", func, "timestamps within the datetime64[s] range",
               got="an integer too large for it", data=True)
    except (TypeError, ValueError):
        v.fail("timestamp", func, "timestamps", got=f"values of dtype {np.asarray(ts).dtype}",
               data=True)
    v.check_same_length(func, customer=cust, timestamp=ts)
    if cust.size == 0:
        v.fail("customer", func, "an array with at least 1 element(s)", got="0 element(s)",
               data=True)
    if np.isnat(ts).any():
        i = int(np.argmax(np.isnat(ts)))
        v.fail("timestamp", func, "free of missing times", got=f"NaT at position {i}",
               data=True)
    # an aware column's instants bucketed on its own clock: local days, weeks and months
    ts = wall_clock_datetimes(ts, column_zone(data, timestamp))
    if period == "W":  # weeks starting on Monday (1970-01-01 was a Thursday)
        per = (ts.astype("datetime64[D]").astype(np.int64) + 3) // 7
    else:
        per = ts.astype(f"datetime64[{period}]").astype(np.int64)
    ids, cust_code = np.unique(cust, return_inverse=True)
    first = np.full(ids.size, np.iinfo(np.int64).max)
    np.minimum.at(first, cust_code, per)
    offset = per - first[cust_code]
    pairs = np.unique(cust_code * (offset.max() + 1) + offset)
    pc, po = pairs // (offset.max() + 1), pairs % (offset.max() + 1)
    cohorts, cohort_of = np.unique(first, return_inverse=True)
    k = int(offset.max()) + 1
    counts = np.zeros((cohorts.size, k))
    np.add.at(counts, (cohort_of[pc], po), 1)
    size = np.bincount(cohort_of, minlength=cohorts.size)
    retention = counts / size[:, None]
    last = per.max()
    beyond = cohorts[:, None] + np.arange(k)[None, :] > last
    retention[beyond] = np.nan
    if period == "W":
        labels = (cohorts * 7 - 3).astype("datetime64[D]").astype(str)
    else:
        labels = cohorts.astype(f"datetime64[{period}]").astype(str)
    return Cohorts(cohort=labels.astype(object), size=size, retention=retention,
                   period=period)
