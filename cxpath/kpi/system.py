"""Indicator systems (指标体系): declared KPIs with roles, targets and owners, evaluated per
period and segment into one table, and the alert digest built on it.

An :class:`Indicator` says what is measured (a rate, mean, ratio, NPS, CSAT top-box, sum,
count, or a composite ``index`` of its children), in which unit and direction, against
which target and tolerance band, who owns it and where it sits in the tree (``parent``).
:class:`IndicatorSystem` checks the tree once and :meth:`IndicatorSystem.evaluate` computes
every indicator per period × segment with its interval, attainment, status and trend, reusing
the KPI functions of :mod:`cxpath.kpi` for rates, NPS and CSAT. :func:`alert_digest` lists
what needs attention in one period: breached targets, control-chart signals and SLAs at
risk, ranked by a documented severity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from .. import _validate as v
from .._frames import _column_names as _table_columns
from .._frames import column, column_zone, frame_kind
from .._results import Result, result
from .._typing import ColumnLike, TableLike
from .._zones import wall_clock_datetimes
from ._common import segments

__all__ = ["AlertDigest", "Indicator", "IndicatorEvaluation", "IndicatorSystem", "alert_digest"]

MEASURES = ("rate", "mean", "ratio", "nps", "csat", "sum", "count", "index")
ROLES = ("key", "adjusting", "warning")
#: Severity weight of each role in :func:`alert_digest`.
ROLE_WEIGHT = {"key": 3.0, "warning": 2.0, "adjusting": 1.0}
_FREQS = {"D": "datetime64[D]", "W": "datetime64[W]", "M": "datetime64[M]",
          "Q": "datetime64[M]", "Y": "datetime64[Y]"}


def _text(value, name: str, func: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        v.fail(name, func, "a string", value, wrong_type=True)
    return value


@attrs.frozen
class Indicator:
    """One KPI of an indicator system: what is measured, against which target, by whom.

    Parameters
    ----------
    name : str
        Unique within the system.
    measure : {'rate', 'mean', 'ratio', 'nps', 'csat', 'sum', 'count', 'index'}
        ``rate``: share of true 0/1 flags in ``column`` (Wilson interval, as
        :func:`~cxpath.kpi.rate`); ``mean``: mean of ``column``, NaN omitted (Student-t
        interval); ``ratio``: ``Σ column / Σ denominator`` (delta-method interval of a ratio
        estimator); ``nps``: :func:`~cxpath.kpi.nps` of 0–10 scores, unanswered (NaN) rows
        omitted; ``csat``: :func:`~cxpath.kpi.csat` top-box share of 1–5 scores, NaN
        omitted; ``sum`` and ``count``: totals without interval; ``index``: composite of the
        children (see :meth:`IndicatorSystem.evaluate`).
    column : str, optional
        The column measured (required except for ``count`` and ``index``).
    denominator : str, optional
        Denominator column of a ``ratio``.
    role : {'key', 'adjusting', 'warning'}, default 'key'
        Key (关键), adjusting (调节, drivers of a key indicator) or warning (预警) indicator.
    direction : {'higher', 'lower'}, default 'higher'
        Which way is better.
    target : float, optional
    tolerance : float, default 0
        Width of the "watch" band on the bad side of the target.
    unit, owner : str, default ''
    parent : str, optional
        The indicator this one rolls up into (an ``index`` parent uses it).
    weight : float, default 1
        Weight in the parent's composite index (positive).

    Examples
    --------
    >>> from cxpath.kpi import Indicator
    >>> Indicator("FCR", "rate", column="fcr", target=0.7, tolerance=0.03, owner="ops")
    Indicator(name='FCR', measure='rate', column='fcr', ...)
    """

    name: str
    measure: str
    column: str | None = None
    denominator: str | None = None
    role: str = "key"
    direction: str = "higher"
    target: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    owner: str = ""
    parent: str | None = None
    weight: float = 1.0

    def __attrs_post_init__(self):
        func = "kpi.Indicator"
        _text(self.name, "name", func)
        v.check_option(self.measure, "measure", func, MEASURES)
        v.check_option(self.role, "role", func, ROLES)
        v.check_option(self.direction, "direction", func, ("higher", "lower"))
        for arg in ("column", "denominator", "parent"):
            _text(getattr(self, arg), arg, func, optional=True)
        for arg in ("unit", "owner"):
            _text(getattr(self, arg), arg, func)
        needs_column = self.measure not in ("count", "index")
        if needs_column and self.column is None:
            v.fail("column", func, f"a column name for measure {self.measure!r}", None)
        if not needs_column and self.column is not None:
            v.fail("column", func, f"None for measure {self.measure!r}", self.column)
        if (self.measure == "ratio") != (self.denominator is not None):
            v.fail("denominator", func, "a column name for measure 'ratio' and None otherwise",
                   self.denominator)
        if self.target is not None:
            object.__setattr__(self, "target", v.check_real(self.target, "target", func))
        object.__setattr__(self, "tolerance",
                           v.check_real(self.tolerance, "tolerance", func, low=0.0))
        object.__setattr__(self, "weight", v.check_real(self.weight, "weight", func, low=0.0,
                                                        closed="neither"))
        if self.parent == self.name:
            v.fail("parent", func, "another indicator's name (not its own)", self.parent)


@result
class IndicatorEvaluation(Result):
    """Every indicator per period × segment: value, interval, attainment, status and trend.

    Attributes
    ----------
    period, segment, indicator, role : ndarray of str
    value, ci_low, ci_high : ndarray
        The indicator's value and interval (NaN where the measure has none).
    n : ndarray of int
        Records counted (answered records for NPS and CSAT, non-missing for means).
    target : ndarray
        NaN without a target.
    attainment : ndarray
        ``value / target`` (higher is better) or ``target / value`` (lower is better), the
        达成率; NaN without a target, for a target ≤ 0 or a value ≤ 0 (where the ratio
        means nothing).
    status : ndarray of str
        ``met`` (at or beyond the target), ``watch`` (short of it by at most
        ``tolerance``), ``missed``, ``no target`` or ``no data``.
    trend : ndarray of str
        Over the last ``trend_window`` periods up to and including the row's own (never
        later ones): ``improving`` / ``worsening`` when the least-squares slope over period
        positions is significant at the 5 % level (t test, at least 3 periods) in the good /
        bad direction, ``flat`` otherwise, ``n/a`` with fewer than 3 periods.
    owner, unit : ndarray of str
    periods : ndarray of str
        The periods in time order.
    confidence : float
    """

    period: np.ndarray
    segment: np.ndarray
    indicator: np.ndarray
    role: np.ndarray
    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: np.ndarray
    target: np.ndarray
    attainment: np.ndarray
    status: np.ndarray
    trend: np.ndarray
    owner: np.ndarray
    unit: np.ndarray
    periods: np.ndarray
    confidence: float

    def _title(self):
        return "Indicator evaluation"

    def _summary(self):
        counts = {s: int(np.sum(self.status == s)) for s in ("met", "watch", "missed")}
        k, p = len(np.unique(self.indicator)), len(self.periods)
        return [f"{k} indicator{'s' * (k != 1)} × {p} period{'s' * (p != 1)}; "
                + ", ".join(f"{k} {c}" for k, c in counts.items())]

    def _columns(self):
        return {"period": self.period, "segment": self.segment, "indicator": self.indicator,
                "role": self.role, "value": self.value, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "n": self.n, "target": self.target,
                "attainment": self.attainment, "status": self.status, "trend": self.trend,
                "owner": self.owner, "unit": self.unit}


def _as_tuple(indicators: Any) -> tuple:
    if isinstance(indicators, (str, bytes)) or not hasattr(indicators, "__iter__"):
        v.fail("indicators", "kpi.IndicatorSystem", "a sequence of Indicator", indicators,
               wrong_type=True)
    return tuple(indicators)


@attrs.frozen
class IndicatorSystem:
    """A declared indicator system: the indicators and their tree, checked once.

    Parameters
    ----------
    indicators : sequence of Indicator
        Names unique; every ``parent`` names an indicator of the system; no cycles; an
        ``index`` indicator has children, each with a target (its score is built from their
        attainment).

    Examples
    --------
    >>> from cxpath.kpi import Indicator, IndicatorSystem
    >>> system = IndicatorSystem([
    ...     Indicator("service index", "index", target=95.0),
    ...     Indicator("FCR", "rate", column="fcr", target=0.7, parent="service index"),
    ...     Indicator("AHT", "mean", column="aht", direction="lower", target=300.0,
    ...               unit="s", parent="service index", role="adjusting")])
    >>> ev = system.evaluate({"fcr": [1, 1, 0, 1], "aht": [250.0, 320.0, 280.0, 300.0],
    ...                       "month": ["01", "01", "02", "02"]}, period="month")
    >>> ev.indicator.tolist()
    ['service index', 'FCR', 'AHT', 'service index', 'FCR', 'AHT']
    >>> ev.status.tolist()
    ['met', 'met', 'met', 'missed', 'missed', 'met']
    """

    indicators: tuple = attrs.field(converter=_as_tuple)

    def __attrs_post_init__(self):
        func = "kpi.IndicatorSystem"
        if not self.indicators:
            v.fail("indicators", func, "a non-empty sequence of Indicator", self.indicators)
        for k in self.indicators:
            if not isinstance(k, Indicator):
                v.fail("indicators", func, "a sequence of Indicator",
                       got=f"an element of type {type(k).__name__}", wrong_type=True)
        names = [k.name for k in self.indicators]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            v.fail("indicators", func, "indicators with unique names",
                   got=f"{v.show_list(twice)} more than once")
        by_name = {k.name: k for k in self.indicators}
        for k in self.indicators:
            if k.parent is not None and k.parent not in by_name:
                v.fail("indicators", func, "indicators whose parent is in the system",
                       got=f"parent {k.parent!r} of {k.name!r}")
        for k in self.indicators:
            seen, p = {k.name}, k.parent
            while p is not None:
                if p in seen:
                    v.fail("indicators", func, "a tree (no indicator is its own ancestor)",
                           got=f"a cycle through {k.name!r}")
                seen.add(p)
                p = by_name[p].parent
        for k in self.indicators:
            kids = [c for c in self.indicators if c.parent == k.name]
            if k.measure == "index" and not kids:
                v.fail("indicators", func, "an 'index' indicator with children",
                       got=f"{k.name!r} without any")
            if k.measure == "index" and any(c.target is None for c in kids):
                v.fail("indicators", func, "children of an 'index' indicator with targets",
                       got=f"a child of {k.name!r} without one")

    def children(self, name: str) -> list[str]:
        """Names of the indicators whose parent is ``name``.

        Examples
        --------
        >>> from cxpath.kpi import Indicator, IndicatorSystem
        >>> s = IndicatorSystem([Indicator("i", "index"), Indicator("a", "count", parent="i",
        ...                      target=1.0)])
        >>> s.children("i")
        ['a']
        """
        names = [k.name for k in self.indicators]
        if not isinstance(name, str) or name not in names:
            v.fail("name", "IndicatorSystem.children", f"one of {v.show_list(names)}", name,
                   wrong_type=not isinstance(name, str))
        return [k.name for k in self.indicators if k.parent == name]

    def evaluate(self, data: TableLike, *, period: ColumnLike | None = None,
                 freq: str | None = None, by: ColumnLike | None = None,
                 confidence: float = 0.95, cap: float = 1.2,
                 trend_window: int = 6) -> IndicatorEvaluation:
        """Compute every indicator per period × segment, with attainment, status and trend.

        Parameters
        ----------
        data : table
            One row per record (ticket, contact, answer), holding the indicators' columns.
        period : str or array, optional
            Period of each record. Labels sort in time order (``'2025-01'``, integers);
            datetime64 values are floored to ``freq``. None: one period ``'all'``.
        freq : {'D', 'W', 'M', 'Q', 'Y'}, optional
            Flooring of datetime64 periods (default ``'M'``); only for datetime64 periods.
        by : str or array, optional
            Segment (team, channel …). None: one segment ``'all'``.
        confidence : float, default 0.95
        cap : float, default 1.2
            Cap on a child's attainment inside a composite index, so one over-achieved
            indicator cannot hide a missed one.
        trend_window : int, default 6
            Periods in each trend fit.

        Returns
        -------
        IndicatorEvaluation
            One row per period × segment × indicator with records, in the system's
            indicator order. An ``index`` indicator's value is
            ``100 · Σ wᵢ min(attainmentᵢ, cap) / Σ wᵢ`` over its children with a finite
            attainment in that period and segment (NaN when none has).

        Raises
        ------
        InvalidParameterError, DataError
            Missing columns, flags other than 0/1, unequal lengths.

        Examples
        --------
        >>> from cxpath.kpi import Indicator, IndicatorSystem
        >>> s = IndicatorSystem([Indicator("FCR", "rate", column="fcr", target=0.5)])
        >>> s.evaluate({"fcr": [1, 0, 1], "team": ["a", "a", "b"]}, by="team").value.tolist()
        [0.5, 1.0]
        """
        func = "IndicatorSystem.evaluate"
        v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
        cap = v.check_real(cap, "cap", func, low=0.0, closed="neither")
        trend_window = v.check_int(trend_window, "trend_window", func, low=3)
        if frame_kind(data) in ("none", "unknown"):
            v.fail("data", func, "a pandas, polars or pyarrow table or a mapping of columns",
                   data, wrong_type=True)
        n = _length(data, self.indicators, func)
        p_codes, p_labels = _periods(data, period, freq, n, func)
        s_codes, s_labels = segments(data, by, n, func)
        n_seg = len(s_labels)
        groups = p_codes * n_seg + s_codes
        g = len(p_labels) * n_seg
        key = np.char.zfill(groups.astype(str), len(str(g)))
        rows = {}
        for k in self.indicators:
            if k.measure != "index":
                rows[k.name] = _measure(k, data, key, g, confidence, func)
        for k in _bottom_up(self.indicators):
            kids = [c for c in self.indicators if c.parent == k.name]
            rows[k.name] = _index(kids, rows, g, cap)
        return _evaluation(self.indicators, rows, p_labels, s_labels, confidence, trend_window)


def _length(data, indicators, func) -> int:
    for k in indicators:
        for name in (k.column, k.denominator):
            if name is not None:
                return len(column(data, name, "data", func))
    for name in _column_names(data):
        return len(column(data, name, "data", func))
    v.fail("data", func, "a table with at least one column", data)
    raise AssertionError  # unreachable


def _column_names(data) -> list:
    return list(_table_columns(data, frame_kind(data)))


def _periods(data, period, freq, n, func):
    if period is None:
        if freq is not None:
            v.fail("freq", func, "None when no 'period' is given", freq)
        return np.zeros(n, dtype=np.int64), np.array(["all"], dtype=object)
    values = np.asarray(column(data, period, "period", func))
    if len(values) != n:
        v.fail("period", func, f"of the same length as the data ({n})",
               got=f"length {len(values)}", data=True)
    if values.dtype.kind == "M":
        freq = "M" if freq is None else v.check_option(freq, "freq", func, tuple(_FREQS))
        if np.isnat(values).any():
            v.fail("period", func, "timestamps without NaT", got="missing timestamps",
                   data=True)
        # an aware column's instants on its own clock: local days, weeks and months
        floored = wall_clock_datetimes(values, column_zone(data, period)).astype(_FREQS[freq])
        if freq == "Q":
            m = floored.astype(np.int64)
            floored = (m - m % 3).astype("datetime64[M]")
        labels, codes = np.unique(floored, return_inverse=True)
        text = labels.astype(str)
        if freq == "Q":
            text = np.array([f"{t[:4]}-Q{int(t[5:7]) // 3 + 1}" for t in text])
        return codes.astype(np.int64).ravel(), text.astype(object)
    if freq is not None:
        v.fail("freq", func, "None unless 'period' holds datetime64 values", freq)
    if values.dtype.kind == "O" and any(x is None or x != x for x in values.tolist()):
        v.fail("period", func, "labels without missing values", got="None or NaN", data=True)
    if values.dtype.kind == "f" and np.isnan(values).any():
        v.fail("period", func, "labels without missing values", got="NaN", data=True)
    try:
        labels, codes = np.unique(values, return_inverse=True)
    except TypeError:
        v.fail("period", func, "labels of one sortable type", got="mixed types", data=True)
    return codes.astype(np.int64).ravel(), labels.astype(str).astype(object)


def _nan(g):
    return np.full(g, np.nan)


def _scatter(labels, values, g):
    """Values of a KPI result's segments (group keys) placed at their group positions."""
    out = _nan(g)
    out[np.asarray(labels).astype(np.int64)] = values
    return out


def _measure(k: Indicator, data, key, g, confidence, func):
    from . import csat, nps, rate

    groups = key.astype(np.int64)
    n = np.bincount(groups, minlength=g)
    if k.measure == "rate":
        r = rate(column(data, k.column, "data", func), by=key, confidence=confidence)
        return (_scatter(r.segment, r.rate, g), _scatter(r.segment, r.ci_low, g),
                _scatter(r.segment, r.ci_high, g), n)
    if k.measure in ("nps", "csat"):
        f = nps if k.measure == "nps" else csat
        scores = _numbers(data, k.column, func)
        answered = ~np.isnan(scores)
        if not answered.any():
            v.fail("data", func, f"some answered scores in column {k.column!r}",
                   got="only missing values", data=True)
        r = f(scores, by=key, confidence=confidence, nan_policy="omit")
        if k.measure == "nps":
            vals, lo, hi = r.score, r.ci_low, r.ci_high
        else:
            vals, lo, hi = r.top_box, r.top_box_low, r.top_box_high
        counts = np.bincount(groups[answered], minlength=g)
        return (_scatter(r.segment, vals, g), _scatter(r.segment, lo, g),
                _scatter(r.segment, hi, g), counts)
    if k.measure == "count":
        return n.astype(np.float64), _nan(g), _nan(g), n
    x = _numbers(data, k.column, func)
    ok = ~np.isnan(x)
    if k.measure == "sum":
        return np.bincount(groups[ok], x[ok], g), _nan(g), _nan(g), np.bincount(groups[ok],
                                                                                 minlength=g)
    if k.measure == "mean":
        return _mean(x[ok], groups[ok], g, confidence)
    d = _numbers(data, k.denominator, func)
    ok &= ~np.isnan(d)
    return _ratio(x[ok], d[ok], groups[ok], g, confidence)


def _numbers(data, name, func):
    """A numeric column (booleans count as 0/1; NaN marks a missing value)."""
    x = np.asarray(column(data, name, "data", func))
    if x.dtype == bool:
        return x.astype(np.float64)
    return v.as_float_array(x, "data", func, allow_nan=True, ndim=1) if x.dtype.kind in "iuf" \
        else v.fail("data", func, f"numeric in column {name!r}", got=f"dtype {x.dtype}",
                    data=True)


def _t(confidence, df):
    from scipy import stats

    return stats.t.ppf(0.5 + confidence / 2, df)


def _mean(x, groups, g, confidence):
    n = np.bincount(groups, minlength=g)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(groups, x, g) / n
        dev = x - mean[groups]
        sd = np.sqrt(np.bincount(groups, dev * dev, g) / (n - 1))
        half = np.where(n > 1, _t(confidence, np.maximum(n - 1, 1)) * sd / np.sqrt(n), np.nan)
    return mean, mean - half, mean + half, n


def _ratio(x, d, groups, g, confidence):
    """Ratio estimator Σx/Σd with the delta-method (linearisation) standard error."""
    n = np.bincount(groups, minlength=g)
    sx, sd = np.bincount(groups, x, g), np.bincount(groups, d, g)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(sd != 0, sx / sd, np.nan)
        resid = x - r[groups] * d
        dbar = sd / n
        var = np.bincount(groups, resid * resid, g) / (n - 1) / n / dbar ** 2
        half = np.where(n > 1, _t(confidence, np.maximum(n - 1, 1)) * np.sqrt(var), np.nan)
    return r, r - half, r + half, n


def _bottom_up(indicators):
    """Index indicators, children before parents."""
    by_name = {k.name: k for k in indicators}

    def depth(k):
        d, p = 0, k.parent
        while p is not None:
            d, p = d + 1, by_name[p].parent
        return d

    return sorted((k for k in indicators if k.measure == "index"), key=depth, reverse=True)


def _attainment(value, target, direction):
    with np.errstate(invalid="ignore", divide="ignore"):
        if direction == "higher":
            a = np.where((target > 0) & (value >= 0), value / target, np.nan)
        else:
            a = np.where((target > 0) & (value > 0), target / value, np.nan)
    return a


def _index(kids, rows, g, cap):
    num, den, n = np.zeros(g), np.zeros(g), np.zeros(g, dtype=np.int64)
    for c in kids:
        a = _attainment(rows[c.name][0], np.full(g, c.target), c.direction)
        ok = np.isfinite(a)
        num[ok] += c.weight * np.minimum(a[ok], cap)
        den[ok] += c.weight
        n = np.maximum(n, rows[c.name][3])
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(den > 0, 100.0 * num / den, np.nan)
    return value, _nan(g), _nan(g), n


def _status(value, target, tolerance, direction):
    """Status words of values against one target (see :class:`IndicatorEvaluation`)."""
    out = np.full(value.shape, "no data", dtype=object)
    if math.isnan(target):
        out[np.isfinite(value)] = "no target"
        return out
    gap = value - target if direction == "higher" else target - value
    ok = np.isfinite(value)
    out[ok] = np.where(gap[ok] >= 0, "met", np.where(gap[ok] >= -tolerance, "watch",
                                                      "missed"))
    return out


def _trend(grid, direction, window):
    """Trend words of a periods × segments grid of values (see :class:`IndicatorEvaluation`)."""
    from scipy import stats

    n_per, n_seg = grid.shape
    out = np.full(grid.shape, "n/a", dtype=object)
    for pi in range(n_per):
        y = grid[max(0, pi - window + 1): pi + 1]
        t = np.arange(y.shape[0], dtype=np.float64)[:, None] * np.ones((1, n_seg))
        ok = np.isfinite(y)
        m = ok.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            tbar = np.where(ok, t, 0).sum(axis=0) / m
            ybar = np.where(ok, y, 0).sum(axis=0) / m
            dt = np.where(ok, t - tbar, 0.0)
            dy = np.where(ok, y - ybar, 0.0)
            stt = (dt * dt).sum(axis=0)
            slope = (dt * dy).sum(axis=0) / stt
            resid = np.where(ok, dy - slope * dt, 0.0)
            s2 = (resid * resid).sum(axis=0) / (m - 2)
            tstat = np.abs(slope) / np.sqrt(s2 / stt)
            p = np.where(s2 > 0, 2 * stats.t.sf(tstat, np.maximum(m - 2, 1)),
                         np.where(slope != 0, 0.0, 1.0))
        good = slope > 0 if direction == "higher" else slope < 0
        word = np.where(p < 0.05, np.where(good, "improving", "worsening"), "flat")
        out[pi] = np.where(m >= 3, word, "n/a")
    return out


def _evaluation(indicators, rows, p_labels, s_labels, confidence, window):
    n_seg, n_per = len(s_labels), len(p_labels)
    parts: dict = {c: [] for c in ("group", "order", "indicator", "role", "value", "ci_low",
                                   "ci_high", "n", "target", "attainment", "status", "trend",
                                   "owner", "unit")}
    for order, k in enumerate(indicators):
        value, lo, hi, n = rows[k.name]
        target = np.nan if k.target is None else float(k.target)
        att = _attainment(value, np.full(value.size, target), k.direction)
        trend = _trend(value.reshape(n_per, n_seg), k.direction, window).ravel()
        keep = np.flatnonzero(np.asarray(n) > 0)
        size = keep.size
        for c, x in (("group", keep), ("order", np.full(size, order)),
                     ("indicator", np.full(size, k.name, dtype=object)),
                     ("role", np.full(size, k.role, dtype=object)), ("value", value[keep]),
                     ("ci_low", lo[keep]), ("ci_high", hi[keep]),
                     ("n", np.asarray(n)[keep].astype(np.int64)),
                     ("target", np.full(size, target)), ("attainment", att[keep]),
                     ("status", _status(value[keep], target, k.tolerance, k.direction)),
                     ("trend", trend[keep]), ("owner", np.full(size, k.owner, dtype=object)),
                     ("unit", np.full(size, k.unit, dtype=object))):
            parts[c].append(x)
    cols = {c: np.concatenate(x) for c, x in parts.items()}
    idx = np.lexsort((cols.pop("order"), cols["group"]))
    group = cols.pop("group")[idx]
    cols = {c: x[idx] for c, x in cols.items()}
    p_arr, s_arr = np.asarray(p_labels, dtype=object), np.asarray(s_labels, dtype=object)
    return IndicatorEvaluation(period=p_arr[group // n_seg], segment=s_arr[group % n_seg], **cols,
                               periods=p_arr, confidence=float(confidence))


# ------------------------------------------------------------------ alert digest

@result
class AlertDigest(Result):
    """What needs attention in one period, most severe first.

    Attributes
    ----------
    period : str
    kind : ndarray of str
        ``target`` (a missed or watched target), ``signal`` (a control-chart signal) or
        ``sla`` (a ticket at risk of breaching its SLA).
    item : ndarray of str
        Indicator or chart name ('' for SLA rows).
    segment : ndarray of str
    case_id : ndarray
        The ticket of an ``sla`` row (None otherwise); shown as ``#1``, ``#2`` … in reprs.
    new : ndarray of bool
        Not already flagged in the previous period (targets) / at the period's point
        (signals) / overdue (SLA rows are always current).
    severity : ndarray
        See :func:`alert_digest`.
    detail : ndarray of str
        A short sentence for people.
    """

    period: str
    kind: np.ndarray
    item: np.ndarray
    segment: np.ndarray
    case_id: np.ndarray
    new: np.ndarray
    severity: np.ndarray
    detail: np.ndarray

    def _title(self):
        return f"Alert digest {self.period}"

    def _columns(self):
        return {"kind": self.kind, "item": self.item, "segment": self.segment,
                "case_id": self.case_id, "new": self.new, "severity": self.severity,
                "detail": self.detail}


def _target_rows(ev: IndicatorEvaluation, period: str, rows: list):
    where = np.flatnonzero(ev.periods == period)
    prev = ev.periods[where[0] - 1] if where.size and where[0] > 0 else None
    flagged_before = set()
    if prev is not None:
        for i in np.flatnonzero((ev.period == prev) & np.isin(ev.status, ("watch", "missed"))):
            flagged_before.add((ev.indicator[i], ev.segment[i]))
    for i in np.flatnonzero((ev.period == period) & np.isin(ev.status, ("watch", "missed"))):
        name, seg, status = ev.indicator[i], ev.segment[i], ev.status[i]
        new = (name, seg) not in flagged_before
        sev = ROLE_WEIGHT[ev.role[i]] * (2.0 if status == "missed" else 1.0) * (1.5 if new
                                                                                else 1.0)
        unit = f" {ev.unit[i]}" if ev.unit[i] else ""
        rows.append(("target", name, seg, None, new, sev,
                     f"{name} {ev.value[i]:.4g}{unit} against target {ev.target[i]:.4g}"
                     f"{unit} ({status}; trend {ev.trend[i]})"))


def _signal_rows(charts, period, roles, rows, func):
    from ..spc import ControlChart

    if not isinstance(charts, Mapping):
        v.fail("charts", func, "a mapping of chart names to ControlChart", charts,
               wrong_type=True)
    for name, chart in charts.items():
        if not isinstance(chart, ControlChart):
            v.fail("charts", func, "a mapping of chart names to ControlChart",
                   got=f"a value of type {type(chart).__name__} for {name!r}",
                   wrong_type=True)
        if chart.labels is not None and period is not None:
            at = np.flatnonzero(np.asarray(chart.labels).astype(str) == str(period))
        else:
            at = np.array([chart.values.size - 1])
        sig = chart.signals
        for i in np.flatnonzero(np.isin(sig.index, at)):
            # a rule completing at this point whose window started earlier was already
            # visible unless the window starts at the point itself
            new = bool(sig.start[i] == sig.index[i]) or not np.any(
                (sig.rule == sig.rule[i]) & (sig.index == sig.index[i] - 1))
            sev = roles.get(str(name), 2.0) * (1.5 if new else 1.0)
            rows.append(("signal", str(name), "", None, new, sev,
                         f"{name}: {sig.explanation[i]} [{sig.rule[i]}]"))


def _monitor_rows(update, roles, rows, func):
    from ..spc import MonitorUpdate

    if not isinstance(update, MonitorUpdate):
        v.fail("monitor", func, "a MonitorUpdate (spc.Monitor.update)", update,
               wrong_type=True)
    if update.period.size == 0:
        return
    last = update.period == update.period.max()
    fired = update.fdr_signal if update.fdr_signal is not None else update.rules != ""
    for i in np.flatnonzero(last & fired):
        name = str(update.chart[i])
        how = (f"rules {update.rules[i]}" if update.rules[i] else "")
        if update.fdr_signal is not None:
            how = (how + "; " if how else "") + "significant across charts (FDR)"
        rows.append(("signal", name, "", None, True, roles.get(name, 2.0) * 1.5,
                     f"{name}: {update.value[i]:.4g} ({how}, p = {update.p_value[i]:.2g})"))


def _sla_rows(at_risk, rows, func):
    from .sla import AtRisk

    if not isinstance(at_risk, AtRisk):
        v.fail("at_risk", func, "an AtRisk result (kpi.sla_clocks(...).at_risk(...))",
               at_risk, wrong_type=True)
    for i in range(at_risk.case_id.size):
        left = float(at_risk.remaining[i])
        overdue = left < 0
        sev = ROLE_WEIGHT["warning"] * (2.0 if overdue else 1.0)
        hours = abs(left) / 3600.0
        text = (f"overdue by {hours:.1f} h" if overdue else f"breaches in {hours:.1f} h")
        rows.append(("sla", "", str(at_risk.priority[i]), at_risk.case_id[i], overdue, sev,
                     f"{at_risk.priority[i]} ticket {text}"))


def alert_digest(evaluation: IndicatorEvaluation | None = None, *,
                 charts: Mapping[str, Any] | None = None, monitor: Any = None,
                 at_risk: Any = None, period: str | None = None) -> AlertDigest:
    """One period's alerts — breached targets, new signals, SLAs at risk — most severe first.

    Parameters
    ----------
    evaluation : IndicatorEvaluation, optional
        From :meth:`IndicatorSystem.evaluate`; its ``watch`` and ``missed`` rows in
        ``period`` become ``target`` alerts.
    charts : mapping of str to ControlChart, optional
        Signals completing at ``period`` (the point whose label is ``period``; the last
        point for charts without labels) become ``signal`` alerts; a chart named like an
        indicator takes that indicator's role weight.
    monitor : MonitorUpdate, optional
        From :meth:`cxpath.spc.Monitor.update`: the charts that signalled at its last
        period become ``signal`` alerts — those significant across charts when the monitor
        controls the false-discovery rate (``fdr=q``), else those whose rules fired.
    at_risk : AtRisk, optional
        Tickets about to breach (or past) their SLA.
    period : str, optional
        Default: the evaluation's last period.

    Returns
    -------
    AlertDigest

    Notes
    -----
    Severity is ``role weight × state × novelty``: role weight 3 for key, 2 for warning
    and 1 for adjusting indicators (2 for charts without an indicator and for SLA rows);
    state 2 for a missed target or an overdue ticket and 1 for a target in its watch band
    or a ticket not yet overdue (signals count 1); novelty 1.5 for alerts new in this
    period. Ties keep the order targets, signals, SLA rows.

    Examples
    --------
    >>> from cxpath.kpi import Indicator, IndicatorSystem, alert_digest
    >>> s = IndicatorSystem([Indicator("FCR", "rate", column="fcr", target=0.8)])
    >>> ev = s.evaluate({"fcr": [1, 1, 1, 0], "m": ["01", "01", "02", "02"]}, period="m")
    >>> alert_digest(ev).detail.tolist()
    ['FCR 0.5 against target 0.8 (missed; trend n/a)']
    """
    func = "kpi.alert_digest"
    if evaluation is None and charts is None and monitor is None and at_risk is None:
        v.fail("evaluation", func, "given, or 'charts', 'monitor' or 'at_risk' given", None)
    if evaluation is not None and not isinstance(evaluation, IndicatorEvaluation):
        v.fail("evaluation", func, "an IndicatorEvaluation (IndicatorSystem.evaluate)", evaluation,
               wrong_type=True)
    if period is not None:
        period = _text(period, "period", func)
        if evaluation is not None and period not in set(evaluation.periods.tolist()):
            v.fail("period", func, f"one of the evaluation's periods "
                   f"{v.show_list(evaluation.periods.tolist())}", period)
    elif evaluation is not None:
        period = str(evaluation.periods[-1])
    rows: list = []
    roles = {}
    if evaluation is not None:
        _target_rows(evaluation, period, rows)
        roles = {str(n): ROLE_WEIGHT[r] for n, r in zip(evaluation.indicator, evaluation.role)}
    if charts is not None:
        _signal_rows(charts, period, roles, rows, func)
    if monitor is not None:
        _monitor_rows(monitor, roles, rows, func)
    if at_risk is not None:
        _sla_rows(at_risk, rows, func)
    order = sorted(range(len(rows)), key=lambda i: -rows[i][5])
    cols = list(zip(*[rows[i] for i in order])) if rows else [()] * 7
    return AlertDigest(period="" if period is None else str(period),
                       kind=np.asarray(cols[0], dtype=object),
                       item=np.asarray(cols[1], dtype=object),
                       segment=np.asarray(cols[2], dtype=object),
                       case_id=np.asarray(cols[3], dtype=object),
                       new=np.asarray(cols[4], dtype=bool),
                       severity=np.asarray(cols[5], dtype=np.float64),
                       detail=np.asarray(cols[6], dtype=object))
