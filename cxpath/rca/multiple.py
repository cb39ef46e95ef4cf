"""Many KPIs tested honestly: multiplicity adjustment, families of tests, power and sample
size.

Testing twenty KPIs in ten segments finds "significant" changes by chance alone.
:func:`adjust_p` adjusts a family of p-values (Bonferroni, Holm, Hochberg, Šidák,
Benjamini–Hochberg, Benjamini–Yekutieli); :func:`compare_many` runs
:func:`cxpath.kpi.compare` for every KPI × segment and adjusts the family; the power
functions say how many records a test needs (:func:`power_proportions`,
:func:`power_means`, :func:`power_nps`), or what it can detect.

Examples
--------
>>> from cxpath.rca import adjust_p
>>> adjust_p([0.01, 0.04, 0.03], method="holm").p_adjusted.tolist()
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, result
from ._periods import two_periods
from .decompose import _dimension_names, _is_journeys, _journeys_column, _labels_of

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

__all__ = ["Adjustment", "ManyComparisons", "PowerAnalysis", "adjust_p", "compare_many",
           "power_means", "power_nps", "power_proportions"]

METHODS = ("bonferroni", "holm", "hochberg", "sidak", "bh", "by")
ALTERNATIVES = ("two-sided", "larger", "smaller")
_METHOD_NAMES = {"bonferroni": "Bonferroni", "holm": "Holm", "hochberg": "Hochberg",
                 "sidak": "Šidák", "bh": "Benjamini–Hochberg", "by": "Benjamini–Yekutieli"}


# --- adjust_p -----------------------------------------------------------------------------

@result
class Adjustment(Result):
    """A family of p-values adjusted for multiplicity.

    Attributes
    ----------
    label : ndarray of str
        Name of each test (``'1'``, ``'2'`` … without ``labels``).
    p_value : ndarray
    p_adjusted : ndarray
        Adjusted p-values, in the input order.
    reject : ndarray of bool
        ``p_adjusted <= alpha``.
    method : str
    alpha : float
    """

    label: np.ndarray
    p_value: np.ndarray
    p_adjusted: np.ndarray
    reject: np.ndarray
    method: str
    alpha: float

    def _title(self) -> str:
        return f"p-values adjusted ({_METHOD_NAMES[self.method]})"

    def _summary(self) -> list[str]:
        what = "false discovery rate" if self.method in ("bh", "by") else \
            "family-wise error rate"
        return [f"{int(self.reject.sum())} of {len(self.reject)} rejected at a {what} of "
                f"{self.alpha:g}"]

    def _columns(self) -> dict:
        return {"label": self.label, "p_value": self.p_value, "p_adjusted": self.p_adjusted,
                "reject": self.reject}


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    m = p.size
    if m == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    if method == "sidak":
        with np.errstate(divide="ignore"):  # p = 1: log1p(-1) = -inf, adjusted 1
            return -np.expm1(m * np.log1p(-p))
    order = np.argsort(p, kind="stable")
    s = p[order]
    i = np.arange(1, m + 1)
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum((m - i + 1) * s, 1.0))
    elif method == "hochberg":
        adj = np.minimum.accumulate(np.minimum((m - i + 1) * s, 1.0)[::-1])[::-1]
    else:
        c = 1.0 if method == "bh" else float(np.sum(1.0 / i))
        adj = np.minimum.accumulate(np.minimum(s * m * c / i, 1.0)[::-1])[::-1]
    out = np.empty(m)
    out[order] = adj
    return out


def adjust_p(p_values: ArrayLike, method: str = "holm", *, alpha: float = 0.05,
             labels: Sequence[str] | None = None) -> Adjustment:
    """Adjust a family of p-values for multiple testing.

    Parameters
    ----------
    p_values : array of float
        The p-values of the family, in [0, 1].
    method : {'holm', 'bonferroni', 'hochberg', 'sidak', 'bh', 'by'}, default 'holm'
        Family-wise error rate: Bonferroni, Holm's step-down (valid under any
        dependence, never less powerful than Bonferroni), Hochberg's step-up and Šidák
        (independent or positively dependent tests). False discovery rate:
        Benjamini–Hochberg (independent or positively dependent tests) and
        Benjamini–Yekutieli (any dependence).
    alpha : float, default 0.05
        Level of the ``reject`` column.
    labels : sequence of str, optional
        Test names for the table.

    Returns
    -------
    Adjustment

    Raises
    ------
    InvalidParameterError, DataError
        An unknown method, p-values outside [0, 1] or NaN, labels of another length.

    Notes
    -----
    The adjusted p-value of a test is the smallest family level at which the method
    rejects it, so ``p_adjusted <= alpha`` is the method's decision at ``alpha``. With
    ``m`` tests and sorted p-values ``p₍₁₎ ≤ … ≤ p₍ₘ₎``: Holm
    ``max_{j≤i} (m − j + 1) p₍ⱼ₎``, Hochberg ``min_{j≥i} (m − j + 1) p₍ⱼ₎``,
    Benjamini–Hochberg ``min_{j≥i} m p₍ⱼ₎ / j``, Benjamini–Yekutieli the same times
    ``Σ_{k≤m} 1/k``, each capped at 1. The values equal statsmodels'
    ``multipletests`` (methods 'bonferroni', 'holm', 'simes-hochberg', 'sidak',
    'fdr_bh', 'fdr_by').

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics* 6, 65–70.
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate. *Journal
    of the Royal Statistical Society B* 57, 289–300.
    Benjamini, Y. and Yekutieli, D. (2001). The control of the false discovery rate in
    multiple testing under dependency. *Annals of Statistics* 29, 1165–1188.

    Examples
    --------
    >>> from cxpath.rca import adjust_p
    >>> a = adjust_p([0.01, 0.02, 0.03, 0.2], method="bh", labels=["FCR", "AHT", "CSAT",
    ...                                                          "NPS"])
    >>> a.p_adjusted.round(3).tolist(), a.reject.tolist()
    ([0.04, 0.04, 0.04, 0.2], [True, True, True, False])
    """
    func = "rca.adjust_p"
    method = v.check_option(method, "method", func, METHODS)
    alpha = v.check_real(alpha, "alpha", func, low=0.0, high=1.0, closed="neither")
    p = v.as_float_array(p_values, "p_values", func, low=0.0, high=1.0)
    if labels is None:
        names = np.array([str(i + 1) for i in range(p.size)], dtype=object)
    else:
        if isinstance(labels, (str, bytes)) or v.ndim(labels) != 1:
            v.fail("labels", func, "a sequence of test names", labels, wrong_type=True)
        names = np.array([str(x) for x in labels], dtype=object)
        if names.size != p.size:
            v.fail("labels", func, f"one name per p-value ({p.size})",
                   got=f"{names.size} names", data=True)
    adj = _adjust(p, method)
    return Adjustment(label=names, p_value=p, p_adjusted=adj, reject=adj <= alpha,
                      method=method, alpha=alpha)


# --- compare_many -------------------------------------------------------------------------

@result
class ManyComparisons(Result):
    """Before/after tests of many KPIs in many segments, adjusted as one family.

    Attributes
    ----------
    kpi : ndarray of str
    dimension, segment : ndarray of str
        The segment tested (``''`` and ``'(all)'`` for all records).
    kind : ndarray of str
        The comparison: 'proportion', 'nps', 'mean' or 'duration'.
    n_before, n_after : ndarray of int
    before, after, difference, ci_low, ci_high : ndarray
        As :class:`~cxpath.kpi.Comparison` (intervals not adjusted).
    test : ndarray of str
    p_value : ndarray
        Unadjusted (NaN for a segment too small to test).
    p_adjusted : ndarray
        Adjusted over the tests of the family (NaN where untested).
    reject : ndarray of bool
    method : str
    alpha : float
    confidence : float
    before_label, after_label : str
    n_tests : int
        Size of the family.
    """

    kpi: np.ndarray
    dimension: np.ndarray
    segment: np.ndarray
    kind: np.ndarray
    n_before: np.ndarray
    n_after: np.ndarray
    before: np.ndarray
    after: np.ndarray
    difference: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    test: np.ndarray
    p_value: np.ndarray
    p_adjusted: np.ndarray
    reject: np.ndarray
    method: str
    alpha: float
    confidence: float
    before_label: str
    after_label: str
    n_tests: int

    _key = ("kpi", "dimension", "segment")

    def _title(self) -> str:
        return f"Many comparisons ({self.before_label} → {self.after_label})"

    def _summary(self) -> list[str]:
        return [f"{int(self.reject.sum())} of {self.n_tests} tests reject at {self.alpha:g} "
                f"after {_METHOD_NAMES[self.method]} adjustment"]

    def _columns(self) -> dict:
        return {k: getattr(self, k) for k in (
            "kpi", "dimension", "segment", "kind", "n_before", "n_after", "before", "after",
            "difference", "ci_low", "ci_high", "test", "p_value", "p_adjusted", "reject")}


_KINDS = ("auto", "proportion", "nps", "mean", "duration")


def _kpi_names(kpis, func: str):
    if isinstance(kpis, str):
        return [(kpis, kpis)]
    if isinstance(kpis, Mapping):
        pairs = list(kpis.items())
        if any(not isinstance(k, str) for k, _ in pairs):
            v.fail("kpis", func, "a mapping of KPI names (str) to values", kpis,
                   wrong_type=True)
    elif isinstance(kpis, Sequence) and not isinstance(kpis, (bytes, bytearray)) and \
            all(isinstance(k, str) for k in kpis):
        pairs = [(k, k) for k in kpis]
    else:
        v.fail("kpis", func, "a column name, a sequence of column names or a mapping of "
               "names to values", kpis, wrong_type=True)
    if not pairs:
        v.fail("kpis", func, "at least one KPI", kpis)
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        v.fail("kpis", func, "distinct KPIs", got=v.show_list(names))
    return pairs


def _present(values, name: str, func: str):
    """Values of one KPI with a mask of the records that have one (not NaN / None)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        return arr, ~np.isnan(arr)
    if arr.dtype.kind == "O":
        ok = np.array([not (x is None or (isinstance(x, float) and math.isnan(x)))
                       for x in arr.tolist()], dtype=bool)
        kept = arr[ok].tolist()
        if kept and all(isinstance(x, (bool, np.bool_)) for x in kept):
            out = np.zeros(arr.size, dtype=bool)
            out[ok] = np.asarray(kept, dtype=bool)
            return out, ok
        return v.as_float_array(np.where(ok, arr, np.nan), name, func, allow_nan=True,
                                min_size=0), ok
    return arr, np.ones(arr.size, dtype=bool)


def _check_values(x: np.ndarray, kind: str, name: str, func: str) -> None:
    """The values of one KPI fit its kind (so that errors name compare_many's argument)."""
    if x.dtype.kind == "b":
        if kind in ("nps",):
            v.fail(name, func, "whole-number scores 0–10 for kind 'nps'", got="booleans",
                   data=True)
        return
    f = v.as_float_array(x, name, func, min_size=0)
    if kind == "proportion":
        bad = (f != 0) & (f != 1)
        must = "booleans or 0/1 values for kind 'proportion'"
    elif kind == "nps":
        bad = (f < 0) | (f > 10) | (f != np.round(f))
        must = "whole-number scores 0–10 for kind 'nps'"
    else:
        return
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, must, got=f"{f[i]:g}", data=True)


def compare_many(kpis: str | Sequence[str] | Mapping[str, ColumnLike], period: ColumnLike, *,
                 data: TableLike | None = None,
                 by: str | Sequence[str] | Mapping[str, ColumnLike] | None = None,
                 kind: str | Mapping[str, str] = "auto", before: str | None = None,
                 after: str | None = None, method: str = "holm", alpha: float = 0.05,
                 confidence: float = 0.95, n_boot: int = 2000,
                 seed: int | np.random.Generator | None = None) -> ManyComparisons:
    """Compare many KPIs before and after, overall and per segment, as one family of tests.

    Parameters
    ----------
    kpis : str, sequence of str, or mapping of str to array
        Row-level KPI columns of ``data`` (booleans for rates, 0–10 scores for NPS,
        numbers for means), or ``{name: values}``. With ``data`` = Journeys, case
        attributes, ``'outcome'`` or ``'value'``. Missing values (NaN, None) leave the
        record out of that KPI's tests (an unanswered survey).
    period : str or array
        The period of each record.
    data : table or Journeys, optional
        Journeys count each case as many times as its weight.
    by : str, sequence of str, or mapping, optional
        Dimensions whose segments are tested too (each dimension on its own), besides all
        records.
    kind : str or mapping of str to str, default 'auto'
        :func:`~cxpath.kpi.compare`'s ``kind`` for every KPI, or per KPI name.
    before, after : str, optional
        Labels of the two periods; by default the two values of ``period`` in sorted order.
    method : {'holm', 'bonferroni', 'hochberg', 'sidak', 'bh', 'by'}, default 'holm'
        Adjustment over the whole family (see :func:`adjust_p`).
    alpha : float, default 0.05
    confidence : float, default 0.95
        Of each (unadjusted) interval.
    n_boot : int, default 2000
        Bootstrap resamples for durations.
    seed : int, optional
        For the duration bootstraps.

    Returns
    -------
    ManyComparisons

    Raises
    ------
    InvalidParameterError, DataError
        Unknown columns or kinds, not exactly two periods (without ``before`` and
        ``after``), a KPI without values in a period, invalid KPI values (as
        :func:`~cxpath.kpi.compare`).
    CostError
        Weighted journeys whose repeated cases would exceed the memory cap.

    Notes
    -----
    Each test is :func:`cxpath.kpi.compare` on the records of the segment. A segment with
    too few records to test in a period (none for proportions and NPS, fewer than two for
    means and durations) gets NaN p-values and is not counted in the family. The family is
    every test run, over all KPIs and segments; segments of one dimension are disjoint but
    the tests of a KPI overall and per segment are not independent, which Holm, Bonferroni
    and Benjamini–Yekutieli allow.

    Examples
    --------
    >>> from cxpath.rca import compare_many
    >>> data = {"fcr": [True, False, True, True] * 5 + [True, True, True, True, False] * 4,
    ...         "aht": [300.0, 320, 310, 290] * 5 + [250.0, 260, 240, 255] * 5,
    ...         "month": ["Jan"] * 20 + ["Feb"] * 20}
    >>> m = compare_many(["fcr", "aht"], "month", data=data, before="Jan", after="Feb",
    ...                  kind={"aht": "mean"})
    >>> m.kpi.tolist(), m.reject.tolist()
    (['fcr', 'aht'], [False, True])
    """
    from ..kpi import compare

    func = "rca.compare_many"
    method = v.check_option(method, "method", func, METHODS)
    alpha = v.check_real(alpha, "alpha", func, low=0.0, high=1.0, closed="neither")
    v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    n_boot = v.check_int(n_boot, "n_boot", func, low=100, high=1_000_000)
    rng = v.check_seed(seed, "seed", func)
    pairs = _kpi_names(kpis, func)
    if isinstance(kind, Mapping):
        unknown = [k for k in kind if k not in dict(pairs)]
        if unknown:
            v.fail("kind", func, "a mapping whose keys are KPIs of 'kpis'", got=repr(unknown[0]))
        kinds = {k: v.check_option(kind.get(k, "auto"), "kind", func, _KINDS) for k, _ in pairs}
    else:
        v.check_option(kind, "kind", func, _KINDS)
        kinds = {k: kind for k, _ in pairs}
    journeys = _is_journeys(data)
    if period is None:
        v.fail("period", func, "a column name or an array", None, wrong_type=True)
    if journeys:
        per = _labels_of(_journeys_column(data, period, "period", func, numeric=False))
        values = {k: _journeys_column(data, spec, "kpis", func, numeric=False)
                  for k, spec in pairs}
    else:
        if data is not None and not isinstance(data, Mapping) and \
                type(data).__module__.split(".")[0] not in ("pandas", "polars", "pyarrow"):
            v.fail("data", func, "a pandas or polars DataFrame, a pyarrow Table, a dict of "
                   "arrays or cxpath Journeys", got=f"an object of type {type(data).__name__}",
                   wrong_type=True)
        per = _labels_of(column(data, period, "period", func))
        values = {k: column(data, spec, "kpis", func) for k, spec in pairs}
    dims = []
    if by is not None:
        for name, spec in _dimension_names(by, func):
            if journeys and isinstance(spec, str):
                from ..journeys.segments import segment_of

                codes, labels, _ = segment_of(data, spec, func)
                dims.append((name, np.asarray(labels, dtype=object)[codes]))
            elif journeys:
                dims.append((name, _labels_of(_journeys_column(data, spec, "by", func,
                                                                numeric=False))))
            else:
                dims.append((name, _labels_of(column(data, spec, "by", func))))
    v.check_same_length(func, period=per, **{f"kpis[{k!r}]": x for k, x in values.items()},
                        **{f"by[{k!r}]": x for k, x in dims})
    if journeys and data.weight is not None:  # a case stands for 'weight' identical ones
        from .._budget import check_memory

        w = data.case_weights
        check_memory(16.0 * float(w.sum()) * (len(values) + len(dims) + 1), func,
                     "the cases repeated by their weights")
        per = np.repeat(per, w)
        values = {k: np.repeat(np.asarray(x), w) for k, x in values.items()}
        dims = [(k, np.repeat(x, w)) for k, x in dims]
    seen = sorted(set(per.tolist()))
    before, after = two_periods(seen, before, after, func)
    is_b, is_a = per == before, per == after
    groups = [("", "(all)", np.ones(per.size, dtype=bool))]
    for name, labs in dims:
        for lab in sorted(set(labs[is_b | is_a].tolist())):
            groups.append((name, lab, labs == lab))
    rows: list[dict] = []
    for k, _ in pairs:
        x, ok = _present(values[k], f"kpis[{k!r}]", func)
        _check_values(x[ok & (is_b | is_a)], kinds[k], f"kpis[{k!r}]", func)
        for dim, seg, mask in groups:
            xb, xa = x[is_b & ok & mask], x[is_a & ok & mask]
            kd = kinds[k]
            if kd == "auto":
                kd = "proportion" if x.dtype.kind == "b" else "mean"
            need = 1 if kd in ("proportion", "nps") else 2
            row = dict(kpi=k, dimension=dim, segment=seg, kind=kd, n_before=xb.size,
                       n_after=xa.size)
            if dim == "" and (xb.size < need or xa.size < need):
                v.fail("kpis", func, f"KPIs with at least {need} value(s) in each period",
                       got=f"{k!r} with {xb.size} and {xa.size}", data=True)
            if xb.size < need or xa.size < need:
                row.update(before=np.nan, after=np.nan, difference=np.nan, ci_low=np.nan,
                           ci_high=np.nan, test="", p_value=np.nan)
            else:
                r = compare(xb, xa, kind=kd, confidence=confidence, alpha=alpha,
                            n_boot=n_boot, seed=rng, label=k)
                row.update(before=r.before, after=r.after, difference=r.difference,
                           ci_low=r.ci_low, ci_high=r.ci_high, test=r.test,
                           p_value=r.p_value)
            rows.append(row)
    p = np.array([r["p_value"] for r in rows], dtype=np.float64)
    tested = ~np.isnan(p)
    adj = np.full(p.size, np.nan)
    adj[tested] = _adjust(p[tested], method)
    col = {key: np.array([r[key] for r in rows],
                         dtype=object if key in ("kpi", "dimension", "segment", "kind", "test")
                         else np.int64 if key in ("n_before", "n_after") else np.float64)
           for key in rows[0]}
    return ManyComparisons(**col, p_adjusted=adj, reject=tested & (adj <= alpha),
                           method=method, alpha=alpha, confidence=float(confidence),
                           before_label=before, after_label=after, n_tests=int(tested.sum()))


# --- power and sample size ----------------------------------------------------------------

@result
class PowerAnalysis(Result):
    """Power, sample size per arm or minimum detectable effect of a test of change.

    Attributes
    ----------
    kind : str
        'proportion', 'mean' or 'nps'.
    test : str
        The test the calculation is for.
    solved : str
        What was solved for: 'n' (sample size per arm), 'power' or 'effect' (the minimum
        detectable effect).
    n_before, n_after : int
        Records per arm (before / control, after / treatment); rounded up when solved for.
    n_exact : float
        The continuous solution (or the given ``n``) of the first arm.
    power : float
    alpha : float
    baseline, target : float
        The KPI before and after (shares for proportions, NPS points for NPS; NaN for
        means, where only the difference counts).
    effect : float
        ``target − baseline`` (the difference for means).
    effect_size : float
        Cohen's *h* (arcsine method), the standardised difference ``effect / sd`` (means,
        and the proportion methods as ``effect / √(p̄ q̄)``), or ``effect / √v`` for NPS
        with ``v`` the baseline's multinomial variance.
    alternative : str
    ratio : float
        ``n_after / n_before``.
    """

    kind: str
    test: str
    solved: str
    n_before: int
    n_after: int
    n_exact: float
    power: float
    alpha: float
    baseline: float
    target: float
    effect: float
    effect_size: float
    alternative: str
    ratio: float

    def _title(self) -> str:
        return f"Power analysis ({self.test})"

    def _summary(self) -> list[str]:
        if self.solved == "n":
            return [f"{self.n_before:,} + {self.n_after:,} records detect {self.effect:+.4g} "
                    f"with power {self.power:.0%} at alpha {self.alpha:g} ({self.alternative})"]
        if self.solved == "power":
            return [f"power {self.power:.1%} to detect {self.effect:+.4g} with "
                    f"{self.n_before:,} + {self.n_after:,} records at alpha {self.alpha:g}"]
        return [f"minimum detectable effect {self.effect:+.4g} with {self.n_before:,} + "
                f"{self.n_after:,} records, power {self.power:.0%}, alpha {self.alpha:g}"]

    def _columns(self) -> dict:
        return {k: np.array([getattr(self, k)]) for k in (
            "kind", "solved", "n_before", "n_after", "power", "alpha", "baseline", "target",
            "effect", "effect_size")}


def _common(func, n, power, alpha, ratio, alternative):
    alpha = v.check_real(alpha, "alpha", func, low=0.0, high=1.0, closed="neither")
    ratio = v.check_real(ratio, "ratio", func, low=0.0, closed="neither")
    if not 1e-6 <= ratio <= 1e6:
        v.fail("ratio", func, "in [1e-06, 1e+06]", ratio)
    v.check_option(alternative, "alternative", func, ALTERNATIVES)
    if n is not None:
        n = v.check_real(n, "n", func, low=1.0, high=1e12)
    if power is not None:
        power = v.check_real(power, "power", func, low=alpha, high=1.0, closed="neither")
    return n, power, alpha, ratio


def _one_missing(func, **given):
    missing = [k for k, x in given.items() if x is None]
    if len(missing) != 1:
        names = ", ".join(f"'{k}'" for k in given)
        v.fail(missing[-1] if missing else list(given)[-1], func,
               f"None for exactly one of {names} (the one solved for)",
               got=f"{len(missing)} of them None")
    return missing[0]


def _crit(alpha: float, alternative: str) -> float:
    from scipy import stats

    return float(stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha))


def _normal_power(shift: float, se1: float, c0: float, alternative: str) -> float:
    """P(reject) of a z test: ``shift`` the mean of the estimate, ``se1`` its standard error
    under the alternative, ``c0`` the critical distance from 0."""
    from scipy import stats

    if alternative == "two-sided":
        return float(stats.norm.cdf((shift - c0) / se1) + stats.norm.cdf((-shift - c0) / se1))
    sign = 1.0 if alternative == "larger" else -1.0
    return float(stats.norm.cdf((sign * shift - c0) / se1))


def _solve_n(power_of, target: float, func: str, low: float = 1.0) -> float:
    from scipy import optimize

    hi = max(2.0, low * 2)
    while power_of(hi) < target:
        hi *= 4
        if hi > 1e13:
            v.fail("power", func, "reachable with fewer than 1e12 records per arm (the "
                   "effect is too small or 0)", target)
    if power_of(low) >= target:
        return low
    return float(optimize.brentq(lambda n: power_of(n) - target, low, hi, xtol=1e-10,
                                 rtol=1e-12))


def _solve_effect(power_of_effect, target: float, lo: float, hi: float, func: str,
                  what: str) -> float:
    from scipy import optimize

    if power_of_effect(hi) < target:
        v.fail("n", func, f"large enough to reach the power asked for within {what}",
               got="too few records")
    return float(optimize.brentq(lambda e: power_of_effect(e) - target, lo, hi, xtol=1e-12,
                                 rtol=1e-12))


def _arms(n_exact: float, ratio: float, solved: str) -> tuple[int, int]:
    if solved == "n":
        return math.ceil(n_exact - 1e-9), math.ceil(n_exact * ratio - 1e-9)
    return round(n_exact), max(1, math.ceil(n_exact * ratio - 1e-9))


def power_proportions(p1: float, p2: float | None = None, *, n: float | None = None,
                      power: float | None = None, alpha: float = 0.05, ratio: float = 1.0,
                      alternative: str = "two-sided", method: str = "pooled",
                      correction: bool = False) -> PowerAnalysis:
    """Power, sample size per arm or minimum detectable change of a two-proportion test.

    Exactly one of ``p2``, ``n`` and ``power`` is None: the one solved for.

    Parameters
    ----------
    p1 : float
        The share before (control), in (0, 1).
    p2 : float, optional
        The share after (treatment) to detect; None solves for the smallest detectable
        one (above ``p1``, below it for ``alternative='smaller'``).
    n : float, optional
        Records in the first arm; None solves for it.
    power : float, optional
        Probability of detecting the change, in (alpha, 1); None solves for it.
    alpha : float, default 0.05
    ratio : float, default 1.0
        ``n_after / n_before``.
    alternative : {'two-sided', 'larger', 'smaller'}, default 'two-sided'
        'larger': the test of ``p2 > p1``.
    method : {'pooled', 'arcsine'}, default 'pooled'
        'pooled': the two-proportion z test with the pooled variance under the null, as
        :func:`cxpath.kpi.compare` runs it (Fleiss' formula). 'arcsine': the normal test
        of Cohen's *h* (statsmodels' ``NormalIndPower`` with ``proportion_effectsize``).
    correction : bool, default False
        Yates' continuity correction of the pooled test (Fleiss, Tytun & Ury 1980).

    Returns
    -------
    PowerAnalysis

    Raises
    ------
    InvalidParameterError
        Shares outside (0, 1), not exactly one unknown, power outside (alpha, 1), an
        effect no sample reaches, ``correction`` with the arcsine method.

    Notes
    -----
    Pooled method, two-sided: with ``δ = p₂ − p₁``, ``p̄`` the shares pooled by arm size,
    ``σ₀² = p̄ q̄ (1/n₁ + 1/n₂)`` and ``σ₁² = p₁q₁/n₁ + p₂q₂/n₂``, the power is
    ``Φ((|δ| − c − z σ₀)/σ₁) + Φ((−|δ| − c − z σ₀)/σ₁)`` with ``z = z_{1−α/2}`` and
    ``c = (1/n₁ + 1/n₂)/2`` with the correction (0 without). The sample size solves
    power = target exactly (both tails), then rounds up; for equal arms it is Fleiss'
    ``[z √(2 p̄ q̄) + z_β √(p₁q₁ + p₂q₂)]² / δ²`` up to the far tail.

    References
    ----------
    Fleiss, J. L., Levin, B. and Paik, M. C. (2003). *Statistical Methods for Rates and
    Proportions*, 3rd ed., Wiley, §4.2.
    Fleiss, J. L., Tytun, A. and Ury, H. K. (1980). A simple approximation for
    calculating sample sizes for comparing independent proportions. *Biometrics* 36,
    343–346.
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.,
    chapter 6.

    Examples
    --------
    >>> from cxpath.rca import power_proportions
    >>> power_proportions(0.5, 0.6, power=0.8).n_before
    388
    >>> power_proportions(0.5, 0.6, power=0.8, correction=True).n_before
    408
    >>> round(power_proportions(0.5, n=388, power=0.8).target, 3)
    0.6
    """
    from scipy import stats

    func = "rca.power_proportions"
    n, power, alpha, ratio = _common(func, n, power, alpha, ratio, alternative)
    method = v.check_option(method, "method", func, ("pooled", "arcsine"))
    correction = v.check_bool(correction, "correction", func)
    if correction and method == "arcsine":
        v.fail("correction", func, "False with method='arcsine'", correction)
    p1 = v.check_real(p1, "p1", func, low=0.0, high=1.0, closed="neither")
    if p2 is not None:
        p2 = v.check_real(p2, "p2", func, low=0.0, high=1.0, closed="neither")
    solved = {"p2": "effect", "n": "n", "power": "power"}[
        _one_missing(func, p2=p2, n=n, power=power)]
    z = _crit(alpha, alternative)

    def power_at(q2: float, n1: float) -> float:
        n2 = ratio * n1
        delta = q2 - p1
        if method == "arcsine":
            h = 2 * math.asin(math.sqrt(q2)) - 2 * math.asin(math.sqrt(p1))
            return _normal_power(h * math.sqrt(n1 * ratio / (1 + ratio)), 1.0, z, alternative)
        pbar = (n1 * p1 + n2 * q2) / (n1 + n2)
        s0 = math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
        s1 = math.sqrt(p1 * (1 - p1) / n1 + q2 * (1 - q2) / n2)
        c = (1 / n1 + 1 / n2) / 2 if correction else 0.0
        if alternative == "two-sided":
            return float(stats.norm.cdf((abs(delta) - c - z * s0) / s1)
                         + stats.norm.cdf((-abs(delta) - c - z * s0) / s1))
        sign = 1.0 if alternative == "larger" else -1.0
        return float(stats.norm.cdf((sign * delta - c - z * s0) / s1))

    if solved == "n":
        if p2 == p1:
            v.fail("p2", func, "different from 'p1' (no sample detects no change)", p2)
        n = _solve_n(lambda m: power_at(p2, m), power, func)
    elif solved == "power":
        power = power_at(p2, n)
    else:
        eps = 1e-12
        if alternative == "smaller":
            p2 = p1 - _solve_effect(lambda e: power_at(p1 - e, n), power, eps, p1 - eps, func,
                                    "a share above 0")
        else:
            p2 = p1 + _solve_effect(lambda e: power_at(p1 + e, n), power, eps, 1 - p1 - eps,
                                    func, "a share below 1")
    n1, n2 = _arms(n, ratio, solved)
    if method == "arcsine":
        size = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
        test = "normal test of Cohen's h"
    else:
        pbar = (p1 + ratio * p2) / (1 + ratio)
        size = (p2 - p1) / math.sqrt(pbar * (1 - pbar))
        test = "two-proportion z test" + (" with continuity correction" if correction else "")
    return PowerAnalysis(kind="proportion", test=test, solved=solved, n_before=n1,
                         n_after=n2, n_exact=float(n), power=float(power), alpha=alpha,
                         baseline=p1, target=float(p2), effect=float(p2 - p1),
                         effect_size=float(size), alternative=alternative, ratio=ratio)


def power_means(difference: float | None = None, *, sd: float, n: float | None = None,
                power: float | None = None, alpha: float = 0.05, ratio: float = 1.0,
                alternative: str = "two-sided") -> PowerAnalysis:
    """Power, sample size per arm or minimum detectable difference of a two-sample t test.

    Exactly one of ``difference``, ``n`` and ``power`` is None: the one solved for.

    Parameters
    ----------
    difference : float, optional
        The change of the mean to detect (after − before), in the KPI's unit (seconds of
        handle time, CSAT points); None solves for the smallest detectable one.
    sd : float
        Standard deviation of the records (assumed equal in both arms), > 0.
    n, power, alpha, ratio, alternative
        As for :func:`power_proportions`.

    Returns
    -------
    PowerAnalysis

    Raises
    ------
    InvalidParameterError
        ``sd`` not positive, not exactly one unknown, power outside (alpha, 1).

    Notes
    -----
    The power of Student's two-sample t test from the noncentral t distribution with
    ``n₁ + n₂ − 2`` degrees of freedom and noncentrality ``d √(n₁ n₂ / (n₁ + n₂))``,
    ``d = difference / sd`` (statsmodels' ``TTestIndPower``). Welch's test, which
    :func:`cxpath.kpi.compare` runs, has nearly the same power when the variances are
    equal.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.,
    chapter 2 (Table 2.4.1: d = 0.5, two-sided alpha 0.05, power 0.80 needs 64 per group).

    Examples
    --------
    >>> from cxpath.rca import power_means
    >>> power_means(15.0, sd=30.0, power=0.8).n_before
    64
    >>> round(power_means(sd=30.0, n=64, power=0.8).effect, 2)
    14.97
    """
    from scipy import stats

    func = "rca.power_means"
    n, power, alpha, ratio = _common(func, n, power, alpha, ratio, alternative)
    sd = v.check_real(sd, "sd", func, low=0.0, closed="neither")
    if difference is not None:
        difference = v.check_real(difference, "difference", func)
    solved = {"difference": "effect", "n": "n", "power": "power"}[
        _one_missing(func, difference=difference, n=n, power=power)]

    def tail(crit: float, df: float, nc: float) -> float:
        """P(T > crit) for noncentral t; scipy gives NaN far in the tails (then 0 or 1)."""
        p = float(stats.nct.sf(crit, df, nc))
        return p if math.isfinite(p) else (1.0 if nc > crit else 0.0)

    def power_at(d: float, n1: float) -> float:
        n2 = ratio * n1
        df = n1 + n2 - 2
        nc = d * math.sqrt(n1 * n2 / (n1 + n2))
        if alternative == "two-sided":
            crit = float(stats.t.isf(alpha / 2, df))
            return tail(crit, df, nc) + tail(crit, df, -nc)  # P(T < -c) = P(-T > c)
        crit = float(stats.t.isf(alpha, df))
        sign = 1.0 if alternative == "larger" else -1.0
        return tail(crit, df, sign * nc)

    if solved == "n":
        if difference == 0:
            v.fail("difference", func, "not 0 (no sample detects no change)", difference)
        n = _solve_n(lambda m: power_at(difference / sd, m), power, func,
                     low=max(3.0 / (1.0 + ratio), 1.0))  # at least 1 degree of freedom
    else:
        if n * (1 + ratio) - 2 <= 0:
            v.fail("n", func, "large enough for a t test (n · (1 + ratio) > 2)", n)
        if solved == "power":
            power = power_at(difference / sd, n)
        else:
            sign = -1.0 if alternative == "smaller" else 1.0
            d = _solve_effect(lambda e: power_at(sign * e, n), power, 1e-12, 1e3, func,
                              "1000 standard deviations")
            difference = sign * d * sd
    n1, n2 = _arms(n, ratio, solved)
    return PowerAnalysis(kind="mean", test="two-sample t test", solved=solved, n_before=n1,
                         n_after=n2, n_exact=float(n), power=float(power), alpha=alpha,
                         baseline=float("nan"), target=float("nan"),
                         effect=float(difference), effect_size=float(difference / sd),
                         alternative=alternative, ratio=ratio)


def _nps_arm(value, name: str, func: str) -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or v.ndim(value) != 1 or len(value) != 2:
        v.fail(name, func, "a pair (promoter share, detractor share)", value, wrong_type=True)
    pro = v.check_probability(value[0], name, func)
    det = v.check_probability(value[1], name, func)
    if pro + det > 1 + 1e-12:
        v.fail(name, func, "shares summing to at most 1", value)
    return pro, det


def power_nps(before: Sequence[float], after: Sequence[float] | None = None, *,
              n: float | None = None, power: float | None = None, alpha: float = 0.05,
              ratio: float = 1.0, alternative: str = "two-sided") -> PowerAnalysis:
    """Power, sample size per arm or minimum detectable change of an NPS comparison.

    Exactly one of ``after``, ``n`` and ``power`` is None: the one solved for.

    Parameters
    ----------
    before : (float, float)
        Promoter and detractor shares before (control).
    after : (float, float), optional
        The shares after to detect; None solves for the smallest detectable NPS change,
        with the variance of ``before``.
    n, power, alpha, ratio, alternative
        As for :func:`power_proportions`.

    Returns
    -------
    PowerAnalysis
        ``baseline``, ``target`` and ``effect`` in NPS points (−100 to 100).

    Raises
    ------
    InvalidParameterError
        Shares outside [0, 1] or summing above 1, not exactly one unknown, power outside
        (alpha, 1), equal NPS, an NPS without variance.

    Notes
    -----
    An NPS is the difference of the promoter and detractor shares of one multinomial
    sample, with variance ``v = [p_P + p_D − (p_P − p_D)²] / n`` (not the sum of two
    binomial variances). The test is the Wald z test of the difference of two independent
    NPS, as :func:`cxpath.kpi.compare` runs it: power
    ``Φ(|δ|/s − z) + Φ(−|δ|/s − z)`` with ``s² = v₁/n₁ + v₂/n₂``. The minimum
    detectable change takes ``v₂ = v₁``.

    Examples
    --------
    >>> from cxpath.rca import power_nps
    >>> r = power_nps((0.30, 0.10), (0.46, 0.06), power=0.8)   # NPS 20 → 40
    >>> r.n_before, round(r.effect, 9)
    (142, 20.0)
    """
    func = "rca.power_nps"
    n, power, alpha, ratio = _common(func, n, power, alpha, ratio, alternative)
    p0, d0 = _nps_arm(before, "before", func)
    v0 = p0 + d0 - (p0 - d0) ** 2
    if after is not None:
        p1, d1 = _nps_arm(after, "after", func)
        v1 = p1 + d1 - (p1 - d1) ** 2
    solved = {"after": "effect", "n": "n", "power": "power"}[
        _one_missing(func, after=after, n=n, power=power)]
    z = _crit(alpha, alternative)

    def power_at(delta: float, var1: float, n1: float) -> float:
        se = math.sqrt(v0 / n1 + var1 / (ratio * n1))
        if se == 0:
            return 1.0 if delta != 0 else 0.0
        return _normal_power(delta, se, z * se, alternative)

    base = p0 - d0
    if solved == "effect":
        if v0 == 0:
            v.fail("before", func, "shares with some variance (not all promoters or all "
                   "detractors)", before)
        sign = -1.0 if alternative == "smaller" else 1.0
        room = (1 + base) if sign < 0 else (1 - base)
        if room <= 1e-12:
            v.fail("before", func, f"an NPS that can still {'fall' if sign < 0 else 'rise'}",
                   before)
        delta = sign * _solve_effect(lambda e: power_at(sign * e, v0, n), power, 1e-12,
                                     room, func, "the NPS range")
        v1, target = v0, base + delta
    else:
        delta, target = (p1 - d1) - base, p1 - d1
        if solved == "n":
            if abs(delta) < 1e-12:
                v.fail("after", func, "an NPS different from 'before' (no sample detects no "
                       "change)", after)
            n = _solve_n(lambda m: power_at(delta, v1, m), power, func)
        else:
            power = power_at(delta, v1, n)
    n1, n2 = _arms(n, ratio, solved)
    size = delta / math.sqrt(v0) if v0 > 0 else float("nan")
    return PowerAnalysis(kind="nps", test="z test of two NPS", solved=solved, n_before=n1,
                         n_after=n2, n_exact=float(n), power=float(power), alpha=alpha,
                         baseline=100 * base, target=100 * target, effect=100 * delta,
                         effect_size=float(size), alternative=alternative, ratio=ratio)
