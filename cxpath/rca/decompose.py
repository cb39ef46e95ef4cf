"""Which segment moved the KPI? Mix and rate effects, Adtributor-style search, drill-down.

A KPI that is a ratio or a mean over records — first-contact resolution, complaint rate,
average handle time, CSAT — moves between two periods for two reasons: segments with
different levels change their share of the volume (*mix*), and segments change their own
level (*rate*). :func:`decompose_change` splits the change into both, per segment of one or
several dimensions, exactly; :func:`explain_change` finds the segments that explain most of
it (explanatory power and surprise, after Adtributor); :func:`drill_down` follows the
change down a tree of dimensions until a split no longer explains it.

Examples
--------
>>> from cxpath.rca import decompose_change
>>> data = {"fcr": [1, 1, 0, 1, 0, 0, 1, 0], "week": ["w1"] * 4 + ["w2"] * 4,
...         "channel": ["chat", "chat", "phone", "phone"] * 2}
>>> d = decompose_change("fcr", "week", by="channel", data=data)
>>> round(d.change, 3), round(d.mix_total + d.rate_total, 3)
(-0.5, -0.5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column, dictionary_codes
from .._results import Result, derived_columns, drawn_by, result
from ._periods import two_periods

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike

__all__ = ["ChangeDecomposition", "ChangeExplanation", "DrillDown", "decompose_change",
           "drill_down", "explain_change"]

MISSING = "(missing)"
# columns of the decomposition table, which a dimension may not be named after
_RESERVED = ("records_before", "records_after", "share_before", "share_after", "rate_before",
             "rate_after", "mix_effect", "rate_effect", "contribution", "ci_low", "ci_high",
             "explained", "only_in")


# --- reading the records ------------------------------------------------------------------

class _Records:
    """Records of both periods: numerator, denominator, frequency weight, period flag and
    the dimension codes (one column per dimension)."""

    __slots__ = ("after", "after_label", "before_label", "codes", "den", "dims", "freq",
                 "labels", "num")

    def __init__(self, num, den, freq, after, dims, codes, labels, before_label,
                 after_label):
        self.num, self.den, self.freq, self.after = num, den, freq, after
        self.dims, self.codes, self.labels = dims, codes, labels
        self.before_label, self.after_label = before_label, after_label


def _is_journeys(data) -> bool:
    return type(data).__name__ == "Journeys" and \
        type(data).__module__.startswith("cxpath.journeys")


def _text(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    if isinstance(x, np.datetime64) and np.isnat(x):
        return MISSING
    return str(x)


def _factor(values) -> tuple[np.ndarray, tuple]:
    """``(codes, labels)``: int64 codes into the sorted str labels of ``values``, missing
    values (None, NaN, NaT) labelled '(missing)'. Hashes the values (no sort of the rows),
    so that a million rows of a few labels take a fraction of a second."""
    arr = np.asarray(values)
    known = dictionary_codes(values) if isinstance(values, np.ndarray) else None
    if known is not None:  # read from arrow / polars / a category: codes are there already
        codes, table = known
        codes = np.asarray(codes, dtype=np.int64)
        keys = table.tolist()
    elif arr.dtype.kind in "iub":
        uniques, inverse = np.unique(arr, return_inverse=True)
        keys = uniques.tolist()
        codes = inverse.ravel().astype(np.int64)
    else:
        items = arr.tolist() if arr.dtype.kind != "M" else list(arr)
        index = {k: i for i, k in enumerate(dict.fromkeys(items))}
        codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
        keys = list(index)
    # keys that read the same (1 and '1', two NaN objects) become one label
    labels, remap = np.unique(np.asarray([_text(k) for k in keys], dtype=object).astype(str),
                              return_inverse=True)
    if not len(codes):
        return codes.astype(np.int64), ()
    codes = remap.ravel().astype(np.int64)[codes]
    used = np.bincount(codes, minlength=len(labels)) > 0  # a dictionary's unused entries
    if not used.all():
        codes, labels = (np.cumsum(used) - 1)[codes], labels[used]
    return codes, tuple(labels.tolist())


def _labels_of(values) -> np.ndarray:
    """Values as str labels (one shared object per label), missing ones as '(missing)'."""
    codes, labels = _factor(values)
    return np.asarray(labels, dtype=object)[codes] if labels else np.zeros(0, dtype=object)


def _numbers(values, name: str, func: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind == "b":
        return arr.astype(np.float64)
    if arr.dtype.kind == "O" and arr.size and all(isinstance(x, (bool, np.bool_))
                                                  for x in arr.tolist()):
        return arr.astype(np.float64)
    return v.as_float_array(arr, name, func, min_size=0)


def _dimension_names(by, func: str):
    """``[(name, spec)]`` for ``by``: a name, a sequence of names or a mapping name → values."""
    if isinstance(by, str):
        pairs = [(by, by)]
    elif isinstance(by, Mapping):
        pairs = list(by.items())
        for k, _ in pairs:
            if not isinstance(k, str):
                v.fail("by", func, "a mapping of dimension names (str) to values", k,
                       wrong_type=True)
    elif isinstance(by, Sequence) and not isinstance(by, (bytes, bytearray)):
        pairs = []
        for k in by:
            if not isinstance(k, str):
                v.fail("by", func, "a column name, a sequence of column names or a mapping "
                       "of names to values", got=f"{v.show(list(by))}", wrong_type=True)
            pairs.append((k, k))
    else:
        v.fail("by", func, "a column name, a sequence of column names or a mapping of names "
               "to values", by, wrong_type=True)
    if not pairs:
        v.fail("by", func, "at least one dimension", by)
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        v.fail("by", func, "distinct dimensions", got=v.show_list(names))
    bad = [k for k in names if k in _RESERVED or not k]
    if bad:
        v.fail("by", func, "dimension names that are not empty nor a column of the result "
               "table", got=repr(bad[0]))
    return pairs


def _journeys_column(j, spec, name: str, func: str, *, numeric: bool):
    """A per-case column of journeys: a case attribute, 'outcome', 'value' or values."""
    if isinstance(spec, str):
        if spec in j.case_attributes:
            attr = j.case_attributes[spec]
            if numeric and attr.kind != "number":
                v.fail(name, func, "a numeric case attribute", got=f"the {attr.kind} "
                       f"attribute {spec!r}")
            return attr.decoded()
        if spec == "outcome" and j.outcome is not None:
            return j.outcome
        if spec == "value" and j.value is not None:
            return j.value
        known = [*j.case_attributes, *(["outcome"] if j.outcome is not None else []),
                 *(["value"] if j.value is not None else [])]
        v.fail(name, func, "a case attribute of the journeys, 'outcome' or 'value' (one of "
               f"{', '.join(map(repr, known)) or 'none carried'})", spec)
    values = column(None, spec, name, func)
    if len(values) != len(j):
        v.fail(name, func, f"one value per case ({len(j)})", got=f"length {len(values)}",
               data=True)
    return values


def _read(func, data, value, period, by, denominator, before, after) -> _Records:
    journeys = _is_journeys(data)
    for arg, val in (("value", value), ("period", period)):
        if val is None:
            v.fail(arg, func, "a column name or an array", None, wrong_type=True)
    pairs = _dimension_names(by, func)
    if journeys:
        j = data
        num = _journeys_column(j, value, "value", func, numeric=True)
        per = _journeys_column(j, period, "period", func, numeric=False)
        den = None if denominator is None else _journeys_column(j, denominator, "denominator",
                                                                func, numeric=True)
        freq = j.case_weights.astype(np.float64)
        dims = []
        for _k, spec in pairs:
            if isinstance(spec, str):
                from ..journeys.segments import segment_of

                codes, labels, _ = segment_of(j, spec, func)
                dims.append((np.asarray(codes, dtype=np.int64), tuple(labels)))
            else:
                dims.append(_factor(_journeys_column(j, spec, "by", func, numeric=False)))
    else:
        if data is not None and not isinstance(data, Mapping) and \
                type(data).__module__.split(".")[0] not in ("pandas", "polars", "pyarrow"):
            v.fail("data", func, "a pandas or polars DataFrame, a pyarrow Table, a dict of "
                   "arrays or cxpath Journeys", got=f"an object of type {type(data).__name__}",
                   wrong_type=True)
        num = column(data, value, "value", func)
        per = column(data, period, "period", func)
        den = column(data, denominator, "denominator", func)
        freq = None
        dims = []
        for _k, spec in pairs:
            dims.append(_factor(column(data, spec, "by", func)))
    num = _numbers(num, "value", func)
    per, seen = _factor(per)
    seen = list(seen)
    n = v.check_same_length(func, value=num, period=per, denominator=den,
                            **{f"by[{k!r}]": d[0] for (k, _), d in zip(pairs, dims)})
    if den is None:
        den = np.ones(n)
    else:
        den = _numbers(den, "denominator", func)
        if (den <= 0).any():
            i = int(np.argmax(den <= 0))
            v.fail("denominator", func, "positive", got=f"{den[i]:g} at position {i}",
                   data=True)
    if freq is None:
        freq = np.ones(n)
    bad = ~np.isfinite(num)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("value", func, "finite numbers", got=f"{num[i]} at position {i}", data=True)
    before, after = two_periods(seen, before, after, func)
    keep = (per == seen.index(before)) | (per == seen.index(after))
    is_after = (per == seen.index(after))[keep]
    num, den, freq = num[keep], den[keep], freq[keep]
    codes, labels = [], []
    for code, labs in dims:
        code = code[keep]
        used = np.bincount(code, minlength=len(labs)) > 0  # the labels kept records have
        codes.append((np.cumsum(used) - 1)[code].astype(np.int64))
        labels.append(tuple(lab for lab, u in zip(labs, used.tolist()) if u))
    codes_arr = np.column_stack(codes) if codes else np.zeros((keep.sum(), 0), np.int64)
    for t, lab in ((False, before), (True, after)):
        if not (freq[is_after == t] > 0).any():
            v.fail("period", func, f"records with a positive weight in the period {lab!r}",
                   got="none", data=True)
    return _Records(num, den, freq, is_after, tuple(k for k, _ in pairs), codes_arr,
                    tuple(labels), before, after)


# --- the arithmetic -----------------------------------------------------------------------

_A, _B, _QAA, _QAB, _QBB, _N = range(6)


def _sums(rec: _Records, ids: np.ndarray, k: int, mask=None) -> np.ndarray:
    """Per-group sums, shape (2 periods, 6, k): A = Σ f·num, B = Σ f·den, Σ f·num²,
    Σ f·num·den, Σ f·den², Σ f."""
    out = np.zeros((2, 6, k))
    f, x, y = rec.freq, rec.num, rec.den
    for t in (0, 1):
        sel = rec.after == bool(t)
        if mask is not None:
            sel = sel & mask
        w, a, b, g = f[sel], x[sel], y[sel], ids[sel]
        for m, vals in enumerate((w * a, w * b, w * a * a, w * a * b, w * b * b, w)):
            out[t, m] = np.bincount(g, vals, minlength=k)
    return out


def _var_sum(q, s, n):
    """Variance of a sum of n iid terms from Σ L² and Σ L (with the n / (n − 1) factor)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n > 1, (q - s * s / np.where(n > 0, n, 1)) * n / np.maximum(n - 1, 1),
                       0.0)
    return np.maximum(var, 0.0)


def _totals(rec: _Records) -> np.ndarray:
    return _sums(rec, np.zeros(len(rec.num), np.int64), 1)[:, :, 0]


def _total_change(tot: np.ndarray, z: float):
    """KPI of each period, their difference and its delta-method (ratio estimator) interval."""
    r = tot[:, _A] / tot[:, _B]
    var = 0.0
    for t in (0, 1):
        q = (tot[t, _QAA] - 2 * r[t] * tot[t, _QAB] + r[t] ** 2 * tot[t, _QBB]) / tot[t, _B] ** 2
        var += float(_var_sum(np.array(q), np.array(0.0), np.array(tot[t, _N])))
    diff = float(r[1] - r[0])
    se = math.sqrt(var)
    return float(r[0]), float(r[1]), diff, diff - z * se, diff + z * se


def _effects(seg: np.ndarray, tot: np.ndarray, z: float) -> dict:
    """Mix and rate effects and contributions of segments (sums ``seg``, totals ``tot``).

    Shares are of the whole denominator of each period, the mix effect is measured against
    the average KPI of the two periods, and a segment missing from a period takes its rate
    from the other period (all of its contribution is then mix).
    """
    a0, b0, a1, b1 = seg[0, _A], seg[0, _B], seg[1, _A], seg[1, _B]
    big_a0, big_b0, big_a1, big_b1 = tot[0, _A], tot[0, _B], tot[1, _A], tot[1, _B]
    w0, w1 = b0 / big_b0, b1 / big_b1
    with np.errstate(invalid="ignore", divide="ignore"):
        r0 = np.where(b0 > 0, a0 / np.where(b0 > 0, b0, 1), np.nan)
        r1 = np.where(b1 > 0, a1 / np.where(b1 > 0, b1, 1), np.nan)
    big_r0, big_r1 = big_a0 / big_b0, big_a1 / big_b1
    r_bar = (big_r0 + big_r1) / 2
    only_in = np.full(len(a0), "", dtype=object)
    only_in[(b0 > 0) & ~(b1 > 0)] = "before"
    only_in[~(b0 > 0) & (b1 > 0)] = "after"
    r0_fill = np.where(b0 > 0, r0, np.where(b1 > 0, r1, 0.0))
    r1_fill = np.where(b1 > 0, r1, r0_fill)
    dw = w1 - w0
    mix = dw * ((r0_fill + r1_fill) / 2 - r_bar)
    rate = (r1_fill - r0_fill) * (w0 + w1) / 2
    contribution = mix + rate
    # delta method: gradient of the contribution with respect to the sums of each period
    grads = (
        (-1 / big_b0, r_bar / big_b0, -dw / (2 * big_b0),
         (a0 / big_b0 + big_r0 * dw / 2 - r_bar * w0) / big_b0),
        (1 / big_b1, -r_bar / big_b1, -dw / (2 * big_b1),
         (-a1 / big_b1 + big_r1 * dw / 2 + r_bar * w1) / big_b1))
    var = np.zeros(len(a0))
    for t, (al, be, ga, de) in enumerate(grads):
        s = seg[t]
        q_all = ga * ga * tot[t, _QAA] + 2 * ga * de * tot[t, _QAB] + de * de * tot[t, _QBB]
        ag, bd = al + ga, be + de
        q = q_all + (ag * ag * s[_QAA] + 2 * ag * bd * s[_QAB] + bd * bd * s[_QBB]) \
            - (ga * ga * s[_QAA] + 2 * ga * de * s[_QAB] + de * de * s[_QBB])
        lin = al * s[_A] + be * s[_B] + ga * tot[t, _A] + de * tot[t, _B]
        var += _var_sum(q, lin, np.full(len(a0), tot[t, _N]))
    se = np.sqrt(var)
    return {"share_before": w0, "share_after": w1, "rate_before": r0, "rate_after": r1,
            "mix_effect": mix, "rate_effect": rate, "contribution": contribution,
            "se": se, "ci_low": contribution - z * se, "ci_high": contribution + z * se,
            "only_in": only_in, "records_before": seg[0, _N], "records_after": seg[1, _N]}


def _z(confidence: float, func: str) -> float:
    from scipy import stats

    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _label(label, func: str) -> str:
    if label is not None and not isinstance(label, str):
        v.fail("label", func, "a str or None", label, wrong_type=True)
    return label or "KPI"


def _count(x: np.ndarray) -> np.ndarray:
    """Record counts (sums of frequency weights) as integers when they are whole."""
    return x.astype(np.int64) if np.all(x == np.round(x)) else x


def _share_of(part: float, whole: float) -> float:
    return part / whole if whole != 0 else float("nan")


def _fmt(x: float) -> str:
    return f"{x:.4g}"


# --- decompose_change ---------------------------------------------------------------------

@drawn_by("change_decomposition")
@result
class ChangeDecomposition(Result):
    """A KPI change split into mix and rate effects per segment.

    Attributes
    ----------
    kpi : str
        Name of the KPI (``label``).
    by : tuple of str
        The dimensions; a segment is a combination of their values present in the data.
    before_label, after_label : str
        The two periods.
    kpi_before, kpi_after : float
        The KPI of each period (Σ value / Σ denominator).
    change : float
        ``kpi_after − kpi_before``; equals ``mix_total + rate_total``.
    change_low, change_high : float
        Delta-method interval of the change.
    mix_total, rate_total : float
        Sums of the segments' mix and rate effects.
    n_before, n_after : int or float
        Records (weighted by journeys' weights) in each period.
    cells : ndarray of str, shape (segments, dimensions)
        The segments' values of each dimension.
    records_before, records_after : ndarray
        Records of each segment and period.
    share_before, share_after : ndarray
        Each segment's share of the period's denominator (records for a mean).
    rate_before, rate_after : ndarray
        The segment's KPI in each period (NaN where it has no records).
    mix_effect, rate_effect, contribution : ndarray
        The segment's mix effect, rate effect and their sum.
    ci_low, ci_high : ndarray
        Delta-method interval of the contribution.
    explained : ndarray
        ``contribution / change``: the share of the change the segment explains.
    only_in : ndarray of str
        ``'before'`` or ``'after'`` for a segment present in one period only, else ``''``.
    confidence : float

    Notes
    -----
    Rows are sorted by decreasing absolute contribution.
    """

    kpi: str
    by: tuple
    before_label: str
    after_label: str
    kpi_before: float
    kpi_after: float
    change: float
    change_low: float
    change_high: float
    mix_total: float
    rate_total: float
    n_before: float
    n_after: float
    cells: np.ndarray
    records_before: np.ndarray
    records_after: np.ndarray
    share_before: np.ndarray
    share_after: np.ndarray
    rate_before: np.ndarray
    rate_after: np.ndarray
    mix_effect: np.ndarray
    rate_effect: np.ndarray
    contribution: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    explained: np.ndarray
    only_in: np.ndarray
    confidence: float

    _derived = derived_columns({
        "{dimension}": "the segment's value of that dimension of ``by`` (a column of "
                       "``cells``); one column per dimension, named after it"})

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{dimension}"] if column in self.by else None

    def _key_columns(self, columns: dict) -> tuple:
        return tuple(self.by)

    def _title(self) -> str:
        return f"Change decomposition of {self.kpi} by {' × '.join(self.by)}"

    def _summary(self) -> list[str]:
        return [f"{self.kpi}: {_fmt(self.kpi_before)} ({self.before_label}) → "
                f"{_fmt(self.kpi_after)} ({self.after_label}), change {self.change:+.4g} "
                f"({self.confidence:.0%} CI {self.change_low:+.4g} to {self.change_high:+.4g})",
                f"mix effect {self.mix_total:+.4g} + rate effect {self.rate_total:+.4g} "
                "(symmetric two-factor split)"]

    def _columns(self) -> dict:
        cols = {k: self.cells[:, i] for i, k in enumerate(self.by)}
        for k in ("records_before", "records_after", "share_before", "share_after",
                  "rate_before", "rate_after", "mix_effect", "rate_effect", "contribution",
                  "ci_low", "ci_high", "explained", "only_in"):
            cols[k] = getattr(self, k)
        return cols


def decompose_change(value: ColumnLike, period: ColumnLike, *,
                     by: str | Sequence[str] | Mapping[str, ColumnLike],
                     data: TableLike | None = None, denominator: ColumnLike | None = None,
                     before: str | None = None, after: str | None = None,
                     confidence: float = 0.95, label: str | None = None
                     ) -> ChangeDecomposition:
    """Split the change of a ratio or mean KPI between two periods into mix and rate effects.

    Parameters
    ----------
    value : str or array
        The KPI's numerator per record: 0/1 or booleans for a rate (FCR, complaint),
        numbers for a mean (handle time, CSAT score). With ``data`` = :class:`Journeys`,
        a numeric case attribute, ``'outcome'``, ``'value'`` or one value per case.
    period : str or array
        The period of each record (labels; records of other periods are left out when
        ``before`` and ``after`` are given).
    by : str, sequence of str, or mapping of str to array
        The dimension(s) (product, channel, region …): column names of ``data`` (case
        attributes of journeys), or ``{name: values}``. A segment is a combination of
        their values; missing values form the segment ``'(missing)'``.
    data : table or Journeys, optional
        A pandas / polars DataFrame, a pyarrow Table, a dict of columns, or
        :class:`~cxpath.Journeys` (one record per case, weighted by the journeys' weights).
    denominator : str or array, optional
        Positive denominator per record for a ratio of sums (orders for complaints per
        order, calls for handle time per call); by default 1 (a mean over records).
    before, after : str, optional
        Labels of the two periods; by default the two values of ``period`` in sorted order.
    confidence : float, default 0.95
    label : str, optional
        The KPI's name in the repr.

    Returns
    -------
    ChangeDecomposition

    Raises
    ------
    InvalidParameterError, DataError
        Unknown columns, unequal lengths, not exactly two periods (without ``before`` and
        ``after``), a period without records, values that are not finite numbers,
        denominators that are not positive.

    Notes
    -----
    With ``w`` a segment's share of the denominator and ``r`` its KPI, the KPI is
    ``K = Σ w r`` and its change ``ΔK = Σ (w₁ r₁ − w₀ r₀)``. Each term is split with the
    symmetric two-factor formula (the average of the two orderings of a Laspeyres /
    Paasche split, which is the Shapley value of the two factors; Kitagawa 1955, Das Gupta
    1993)::

        mix  = (w₁ − w₀) (r̄ − K̄),    rate = (r₁ − r₀) w̄,

    with ``r̄``, ``w̄`` and ``K̄`` the averages of the two periods. Subtracting ``K̄``
    changes no total (the shares' changes sum to 0) but makes a segment that only gains
    volume at the average level explain nothing. ``mix + rate`` sums over segments to
    ``ΔK`` exactly (up to rounding), with no residual interaction term.

    A segment present in one period only has no rate change to measure: its rate is taken
    from the period where it exists, so all of its contribution (its appearance or
    disappearance) is mix; ``only_in`` names the period.

    Intervals are delta-method (first-order Taylor) intervals of each contribution as a
    function of the per-period sums, records independent within and between periods.
    Segments' contributions are not independent (they share the totals).

    References
    ----------
    Kitagawa, E. M. (1955). Components of a difference between two rates. *Journal of the
    American Statistical Association* 50, 1168–1194.
    Das Gupta, P. (1993). *Standardization and Decomposition of Rates: A User's Manual*.
    U.S. Bureau of the Census, Current Population Reports P23-186.

    Examples
    --------
    >>> from cxpath.rca import decompose_change
    >>> data = {"fcr": [1, 1, 1, 0, 1, 0, 0, 0], "month": ["Jan"] * 4 + ["Feb"] * 4,
    ...         "channel": ["chat", "chat", "chat", "phone", "chat", "phone", "phone",
    ...                     "phone"]}
    >>> d = decompose_change("fcr", "month", by="channel", data=data, before="Jan",
    ...                      after="Feb", label="FCR")
    >>> d.kpi_before, d.kpi_after, d.change
    (0.75, 0.25, -0.5)
    >>> [round(x, 4) for x in (d.mix_total, d.rate_total)]
    [-0.5, 0.0]
    """
    func = "rca.decompose_change"
    z = _z(confidence, func)
    label = _label(label, func)
    rec = _read(func, data, value, period, by, denominator, before, after)
    return _decomposition(rec, z, confidence, label)


def _decomposition(rec: _Records, z: float, confidence: float, label: str
                   ) -> ChangeDecomposition:
    cells, ids = _cells(rec)
    seg = _sums(rec, ids, len(cells))
    tot = _totals(rec)
    k0, k1, diff, lo, hi = _total_change(tot, z)
    e = _effects(seg, tot, z)
    order = np.lexsort((np.arange(len(cells)), -np.abs(e["contribution"])))
    labels = np.empty(cells.shape, dtype=object)
    for i, labs in enumerate(rec.labels):
        labels[:, i] = np.asarray(labs, dtype=object)[cells[:, i]]
    with np.errstate(invalid="ignore", divide="ignore"):
        explained = e["contribution"] / diff if diff != 0 else np.full(len(cells), np.nan)
    return ChangeDecomposition(
        kpi=label, by=rec.dims, before_label=rec.before_label, after_label=rec.after_label,
        kpi_before=k0, kpi_after=k1, change=diff, change_low=lo, change_high=hi,
        mix_total=float(math.fsum(e["mix_effect"])), rate_total=float(math.fsum(
            e["rate_effect"])), n_before=_scalar_count(tot[0, _N]),
        n_after=_scalar_count(tot[1, _N]), cells=labels[order],
        records_before=_count(e["records_before"][order]),
        records_after=_count(e["records_after"][order]),
        share_before=e["share_before"][order], share_after=e["share_after"][order],
        rate_before=e["rate_before"][order], rate_after=e["rate_after"][order],
        mix_effect=e["mix_effect"][order], rate_effect=e["rate_effect"][order],
        contribution=e["contribution"][order], ci_low=e["ci_low"][order],
        ci_high=e["ci_high"][order], explained=explained[order], only_in=e["only_in"][order],
        confidence=confidence)


def _cells(rec: _Records) -> tuple[np.ndarray, np.ndarray]:
    """The combinations of dimension codes present (rows of codes) and each record's one."""
    sizes = [max(len(labs), 1) for labs in rec.labels]
    if math.prod(sizes) < 2**62:  # one mixed-radix integer per record: a fast unique
        key = np.zeros(len(rec.num), dtype=np.int64)
        for i, k in enumerate(sizes):
            key = key * k + rec.codes[:, i]
        uniques, ids = np.unique(key, return_inverse=True)
        cells = np.zeros((len(uniques), len(sizes)), dtype=np.int64)
        rest = uniques.copy()
        for i in range(len(sizes) - 1, -1, -1):
            rest, cells[:, i] = np.divmod(rest, sizes[i])
        return cells, ids.astype(np.int64).ravel()
    cells, ids = np.unique(rec.codes, axis=0, return_inverse=True)
    return cells, ids.astype(np.int64).ravel()


def _scalar_count(x: float):
    return int(x) if float(x).is_integer() else float(x)


# --- explain_change (Adtributor) ----------------------------------------------------------

def _js_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per-element Jensen–Shannon terms ``½ [p ln(2p/(p+q)) + q ln(2q/(p+q))]``."""
    m = p + q
    with np.errstate(invalid="ignore", divide="ignore"):
        tp = np.where(p > 0, p * np.log(2 * p / np.where(m > 0, m, 1)), 0.0)
        tq = np.where(q > 0, q * np.log(2 * q / np.where(m > 0, m, 1)), 0.0)
    return 0.5 * (tp + tq)


def _surprise(seg: np.ndarray, tot: np.ndarray, use_num: bool) -> np.ndarray:
    s = _js_terms(seg[0, _B] / tot[0, _B], seg[1, _B] / tot[1, _B])
    if use_num and tot[0, _A] > 0 and tot[1, _A] > 0:
        s = s + _js_terms(seg[0, _A] / tot[0, _A], seg[1, _A] / tot[1, _A])
    return s


@result
class ChangeExplanation(Result):
    """The segments that explain a KPI change, Adtributor-style.

    Attributes
    ----------
    kpi : str
    before_label, after_label : str
    kpi_before, kpi_after, change : float
    rank : ndarray of int
        Rank of the row's dimension (1: the most surprising explanation).
    dimension : ndarray of str
    segment : ndarray of str
        The dimension's value.
    explanatory_power : ndarray
        Share of the change the segment explains (its contribution over the change).
    surprise : ndarray
        Jensen–Shannon surprise of the segment's shares.
    dimension_surprise : ndarray
        Sum of the surprise of the dimension's chosen segments (ranks dimensions).
    contribution, ci_low, ci_high : ndarray
        Contribution to the change (mix + rate effect) and its delta-method interval.
    share_before, share_after, rate_before, rate_after : ndarray
    min_power, min_segment_power : float
        The thresholds ``T_EP`` and ``T_EEP`` used.
    confidence : float
    """

    kpi: str
    before_label: str
    after_label: str
    kpi_before: float
    kpi_after: float
    change: float
    rank: np.ndarray
    dimension: np.ndarray
    segment: np.ndarray
    explanatory_power: np.ndarray
    surprise: np.ndarray
    dimension_surprise: np.ndarray
    contribution: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    share_before: np.ndarray
    share_after: np.ndarray
    rate_before: np.ndarray
    rate_after: np.ndarray
    min_power: float
    min_segment_power: float
    confidence: float

    _key = ("dimension", "segment")

    def _title(self) -> str:
        return f"Explanation of the change of {self.kpi}"

    def _summary(self) -> list[str]:
        head = (f"{self.kpi}: {_fmt(self.kpi_before)} → {_fmt(self.kpi_after)} "
                f"({self.change:+.4g})")
        if not len(self.rank):
            return [head, "no dimension has a small set of segments explaining "
                    f"{self.min_power:.0%} of the change"]
        top = [f"{d}={s}" for d, s, r in zip(self.dimension, self.segment, self.rank) if r == 1]
        return [head, f"best explanation: {', '.join(top)}"]

    def _columns(self) -> dict:
        return {k: getattr(self, k) for k in (
            "rank", "dimension", "segment", "explanatory_power", "surprise",
            "dimension_surprise", "contribution", "ci_low", "ci_high", "share_before",
            "share_after", "rate_before", "rate_after")}


def explain_change(value: ColumnLike, period: ColumnLike, *,
                   by: str | Sequence[str] | Mapping[str, ColumnLike],
                   data: TableLike | None = None, denominator: ColumnLike | None = None,
                   before: str | None = None, after: str | None = None,
                   min_power: float = 0.67, min_segment_power: float = 0.1, top: int = 3,
                   confidence: float = 0.95, label: str | None = None) -> ChangeExplanation:
    """Find the segments that explain most of a KPI change (Adtributor-style search).

    Parameters
    ----------
    value, period, by, data, denominator, before, after, label
        As for :func:`decompose_change`; each dimension of ``by`` is searched on its own.
    min_power : float, default 0.67
        ``T_EP``: a dimension explains the change when a few of its segments together have
        at least this explanatory power.
    min_segment_power : float, default 0.1
        ``T_EEP``: segments with less explanatory power are not taken.
    top : int, default 3
        Number of dimensions reported.
    confidence : float, default 0.95

    Returns
    -------
    ChangeExplanation

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`decompose_change`; thresholds outside (0, 1], ``top`` below 1.

    Notes
    -----
    The explanatory power of a segment is its contribution (mix + rate effect, see
    :func:`decompose_change`) over the change. Its surprise is the Jensen–Shannon term
    between its share in the period before (the expectation) and after; for a ratio the
    surprise of the numerator's and of the denominator's shares are added, as Adtributor
    does for derived measures (the numerator's is left out when it has negative values).
    Per dimension, segments are taken in order of decreasing surprise, skipping those
    below ``min_segment_power``, until their explanatory power reaches ``min_power``; a
    dimension that never reaches it has no explanation. Dimensions are ranked by the
    total surprise of their segments. A change of exactly 0 has no explanation.

    References
    ----------
    Bhagwan, R., Kumar, R., Ramjee, R., Varghese, G., Mohapatra, S., Manoharan, H. and
    Shah, P. (2014). Adtributor: revenue debugging in advertising systems. *11th USENIX
    Symposium on Networked Systems Design and Implementation (NSDI 14)*, 43–55.

    Examples
    --------
    >>> from cxpath.rca import explain_change
    >>> data = {"fcr": [1, 1, 1, 1, 1, 0, 1, 1], "week": ["w1"] * 4 + ["w2"] * 4,
    ...         "channel": ["chat", "chat", "phone", "phone"] * 2,
    ...         "region": ["N", "S"] * 4}
    >>> e = explain_change("fcr", "week", by=["channel", "region"], data=data)
    >>> e.dimension[0], e.segment[0], float(e.explanatory_power[0])
    ('channel', 'chat', 1.0)
    """
    func = "rca.explain_change"
    z = _z(confidence, func)
    label = _label(label, func)
    min_power = v.check_real(min_power, "min_power", func, low=0.0, high=1.0, closed="right")
    min_segment_power = v.check_real(min_segment_power, "min_segment_power", func, low=0.0,
                                     high=1.0, closed="right")
    top = v.check_int(top, "top", func, low=1)
    rec = _read(func, data, value, period, by, denominator, before, after)
    tot = _totals(rec)
    k0, k1, diff, _, _ = _total_change(tot, z)
    use_num = not (rec.num < 0).any()
    found = []
    for i, name in enumerate(rec.dims):
        labs = rec.labels[i]
        seg = _sums(rec, rec.codes[:, i], len(labs))
        e = _effects(seg, tot, z)
        if diff == 0:
            continue
        ep = e["contribution"] / diff
        sur = _surprise(seg, tot, use_num)
        chosen, power = [], 0.0
        for j in np.lexsort((np.arange(len(labs)), -sur)):
            if ep[j] < min_segment_power:
                continue
            chosen.append(int(j))
            power += ep[j]
            if power >= min_power - 1e-12:
                break
        if chosen and power >= min_power - 1e-12:
            found.append((float(sur[chosen].sum()), i, name, labs, chosen, ep, sur, e))
    found.sort(key=lambda x: (-x[0], x[1]))
    rows: dict[str, list] = {k: [] for k in (
        "rank", "dimension", "segment", "explanatory_power", "surprise", "dimension_surprise",
        "contribution", "ci_low", "ci_high", "share_before", "share_after", "rate_before",
        "rate_after")}
    for rank, (total, _, name, labs, chosen, ep, sur, e) in enumerate(found[:top], 1):
        for j in chosen:
            rows["rank"].append(rank)
            rows["dimension"].append(name)
            rows["segment"].append(labs[j])
            rows["explanatory_power"].append(float(ep[j]))
            rows["surprise"].append(float(sur[j]))
            rows["dimension_surprise"].append(total)
            for k in ("contribution", "ci_low", "ci_high", "share_before", "share_after",
                      "rate_before", "rate_after"):
                rows[k].append(float(e[k][j]))
    arrays = {k: np.asarray(x, dtype=object if k in ("dimension", "segment") else
                            np.int64 if k == "rank" else np.float64)
              for k, x in rows.items()}
    return ChangeExplanation(kpi=label, before_label=rec.before_label,
                             after_label=rec.after_label, kpi_before=k0, kpi_after=k1,
                             change=diff, min_power=min_power,
                             min_segment_power=min_segment_power, confidence=confidence,
                             **arrays)


# --- drill_down ---------------------------------------------------------------------------

@result
class DrillDown(Result):
    """A drill-down tree of a KPI change: each node a segment, split while a split explains.

    Attributes
    ----------
    kpi : str
    change : float
        The change of the KPI (the root's contribution).
    node, parent, depth : ndarray of int
        Node number (0 is the root, all records), its parent (-1 for the root) and depth.
    path : ndarray of str
        The node's segment as ``'product=B > channel=phone'`` (``'(all)'`` for the root).
    dimension, segment : ndarray of str
        The split that made the node ('' for the root).
    records : ndarray
        Records of the node in both periods.
    contribution, ci_low, ci_high : ndarray
        The node's contribution to the change (mix + rate effect of its records, see
        :func:`decompose_change`) and its delta-method interval.
    explained : ndarray
        ``contribution / change``.
    lift : ndarray
        Share of its parent's contribution the node explains minus its share of the
        parent's volume (NaN for the root): 0 when the change is spread like the volume.
    stopped : ndarray of str
        Why the node was not split further ('' for a node that was split).
    best : tuple of (str, str)
        ``(dimension, segment)`` pairs of the first leaf: the path that explains the most.
    confidence : float
    """

    kpi: str
    change: float
    node: np.ndarray
    parent: np.ndarray
    depth: np.ndarray
    path: np.ndarray
    dimension: np.ndarray
    segment: np.ndarray
    records: np.ndarray
    contribution: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    explained: np.ndarray
    lift: np.ndarray
    stopped: np.ndarray
    best: tuple
    confidence: float

    _key = "path"

    def _title(self) -> str:
        return f"Drill-down of the change of {self.kpi}"

    def _summary(self) -> list[str]:
        where = " > ".join(f"{d}={s}" for d, s in self.best) or "(no split explains it)"
        return [f"change {self.change:+.4g}; explained best by {where}"]

    def _columns(self) -> dict:
        return {k: getattr(self, k) for k in (
            "node", "parent", "depth", "path", "dimension", "segment", "records",
            "contribution", "ci_low", "ci_high", "explained", "lift", "stopped")}


def drill_down(value: ColumnLike, period: ColumnLike, *,
               by: str | Sequence[str] | Mapping[str, ColumnLike],
               data: TableLike | None = None, denominator: ColumnLike | None = None,
               before: str | None = None, after: str | None = None, min_lift: float = 0.2,
               min_records: int = 30, max_depth: int | None = None, confidence: float = 0.95,
               label: str | None = None) -> DrillDown:
    """Follow a KPI change down a tree of dimensions until a split no longer explains it.

    Parameters
    ----------
    value, period, by, data, denominator, before, after, label
        As for :func:`decompose_change`; the dimensions of ``by`` are the candidate splits.
    min_lift : float, default 0.2
        A child explains its parent's change when its share of the parent's contribution
        exceeds its share of the parent's volume by at least this much.
    min_records : int, default 30
        Children with fewer records (both periods) are not followed.
    max_depth : int, optional
        Deepest level (default: the number of dimensions).
    confidence : float, default 0.95
        Of the intervals; a child is followed only when its interval excludes 0.

    Returns
    -------
    DrillDown

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`decompose_change`; ``min_lift`` outside (0, 1], ``min_records`` or
        ``max_depth`` below 1.

    Notes
    -----
    At each node every unused dimension is tried. A child's *lift* is its contribution
    over the node's contribution minus its share of the node's denominator (the average
    of the two periods): a change spread evenly over the volume gives every child a lift
    near 0. The dimension whose best child has the largest lift splits the node, and
    every child of it with a lift of at least ``min_lift``, enough records and an interval
    of its contribution that excludes 0 is followed, in order of decreasing contribution.
    Contributions add up: a node's is the sum of its children's. The intervals are not
    adjusted for the number of splits tried.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.rca import drill_down
    >>> rng = np.random.default_rng(0)
    >>> n = 4000
    >>> product = rng.choice(["A", "B"], n)
    >>> channel = rng.choice(["chat", "phone"], n)
    >>> week = rng.choice(["w1", "w2"], n)
    >>> p = np.where((week == "w2") & (product == "B") & (channel == "phone"), 0.4, 0.8)
    >>> data = {"fcr": rng.random(n) < p, "week": week, "product": product,
    ...         "channel": channel}
    >>> t = drill_down("fcr", "week", by=["product", "channel"], data=data)
    >>> t.best
    (('channel', 'phone'), ('product', 'B'))
    """
    func = "rca.drill_down"
    z = _z(confidence, func)
    label = _label(label, func)
    min_lift = v.check_real(min_lift, "min_lift", func, low=0.0, high=1.0, closed="right")
    min_records = v.check_int(min_records, "min_records", func, low=1)
    if max_depth is not None:
        max_depth = v.check_int(max_depth, "max_depth", func, low=1)
    rec = _read(func, data, value, period, by, denominator, before, after)
    depth_limit = len(rec.dims) if max_depth is None else min(max_depth, len(rec.dims))
    tot = _totals(rec)
    _, _, diff, lo, hi = _total_change(tot, z)
    n_all = float(tot[0, _N] + tot[1, _N])
    rows: list[dict] = [dict(node=0, parent=-1, depth=0, path="(all)", dimension="",
                             segment="", records=n_all, contribution=diff, ci_low=lo,
                             ci_high=hi, lift=float("nan"), stopped="", pairs=())]

    def grow(at: int, mask: np.ndarray, remaining: tuple, depth: int) -> None:
        me = rows[at]
        if depth >= depth_limit or not remaining:
            me["stopped"] = "no dimension left" if not remaining else "maximum depth"
            return
        if me["contribution"] == 0:
            me["stopped"] = "no change to explain"
            return
        node_b = [float((rec.den * rec.freq)[mask & (rec.after == t)].sum()) for t in (0, 1)]
        best = None
        for i in remaining:
            labs = rec.labels[i]
            seg = _sums(rec, rec.codes[:, i], len(labs), mask)
            e = _effects(seg, tot, z)
            share = np.zeros(len(labs))
            for t in (0, 1):
                if node_b[t] > 0:
                    share += seg[t, _B] / node_b[t] / (2 if node_b[1 - t] > 0 else 1)
            ep = e["contribution"] / me["contribution"]
            lift = ep - share
            present = (seg[0, _N] + seg[1, _N]) > 0
            lift = np.where(present, lift, -np.inf)
            j = int(np.argmax(lift))
            if best is None or lift[j] > best[0] + 1e-12:
                best = (float(lift[j]), i, labs, seg, e, lift)
        top_lift, i, labs, seg, e, lift = best
        records = seg[0, _N] + seg[1, _N]
        significant = (e["ci_low"] > 0) | (e["ci_high"] < 0)
        follow = (lift >= min_lift) & (records >= min_records) & significant
        if not follow.any():
            if top_lift < min_lift:
                me["stopped"] = (f"no split explains more than its volume (best lift "
                                 f"{top_lift:.2f} < {min_lift:g})")
            elif not (records[lift >= min_lift] >= min_records).any():
                me["stopped"] = f"fewer than {min_records} records"
            else:
                me["stopped"] = "not significant"
            return
        kids = np.flatnonzero(follow)
        kids = kids[np.lexsort((kids, -np.abs(e["contribution"][kids])))]
        for j in kids:
            pairs = (*me["pairs"], (rec.dims[i], labs[j]))
            rows.append(dict(node=len(rows), parent=me["node"], depth=depth + 1,
                             path=" > ".join(f"{d}={s}" for d, s in pairs),
                             dimension=rec.dims[i], segment=labs[j], records=float(records[j]),
                             contribution=float(e["contribution"][j]),
                             ci_low=float(e["ci_low"][j]), ci_high=float(e["ci_high"][j]),
                             lift=float(lift[j]), stopped="", pairs=pairs))
            grow(len(rows) - 1, mask & (rec.codes[:, i] == j),
                 tuple(x for x in remaining if x != i), depth + 1)

    grow(0, np.ones(len(rec.num), dtype=bool), tuple(range(len(rec.dims))), 0)
    leaf = next((r for r in rows if r["stopped"] and r["node"] != 0), None)
    with np.errstate(invalid="ignore", divide="ignore"):
        contribution = np.array([r["contribution"] for r in rows])
        explained = contribution / diff if diff != 0 else np.full(len(rows), np.nan)
    return DrillDown(
        kpi=label, change=diff, node=np.array([r["node"] for r in rows], dtype=np.int64),
        parent=np.array([r["parent"] for r in rows], dtype=np.int64),
        depth=np.array([r["depth"] for r in rows], dtype=np.int64),
        path=np.array([r["path"] for r in rows], dtype=object),
        dimension=np.array([r["dimension"] for r in rows], dtype=object),
        segment=np.array([r["segment"] for r in rows], dtype=object),
        records=_count(np.array([r["records"] for r in rows])), contribution=contribution,
        ci_low=np.array([r["ci_low"] for r in rows]),
        ci_high=np.array([r["ci_high"] for r in rows]), explained=explained,
        lift=np.array([r["lift"] for r in rows]),
        stopped=np.array([r["stopped"] for r in rows], dtype=object),
        best=tuple(leaf["pairs"]) if leaf is not None else (), confidence=confidence)
