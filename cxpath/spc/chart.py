"""The control-chart result object shared by every chart, and the phase I / II machinery."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, alias, derived_columns, drawn_by, result
from .rules import RuleSet, Signals, apply_rules, standardise

if TYPE_CHECKING:
    pass

__all__ = ["ControlChart"]


@drawn_by("control_chart")
@result
class ControlChart(Result):
    """A control chart: the plotted statistic, its centre line and limits, and the signals.

    Attributes
    ----------
    chart : str
        Kind of chart: ``"i"``, ``"mr"``, ``"xbar"``, ``"r"``, ``"s"``, ``"p"``, ``"np"``,
        ``"c"``, ``"u"``, ``"p'"``, ``"u'"`` (Laney), ``"ewma"`` or ``"cusum"``.
    statistic : str
        What ``values`` holds, e.g. ``"proportion"``.
    values, center, lcl, ucl : numpy.ndarray
        The statistic and the centre line and limits at every point (limits may vary with
        the subgroup size or exposure, or with time for EWMA). Lower limits of
        non-negative statistics are clipped at 0.
    sigma : numpy.ndarray
        Standard deviation of the statistic at each point (the zone width of run rules).
    baseline : numpy.ndarray of bool
        Points of the phase I window the limits were estimated from.
    excluded : numpy.ndarray of bool
        Baseline points left out of the estimate (``exclude=`` or exclude-and-refit).
    signals : Signals
        Every run-rule signal: rule, index, start of the pattern and an explanation.
    params : dict
        The estimates behind the limits. Pass it back as ``params=`` to monitor new data
        against frozen limits (phase II).
    rules : tuple of str
        Codes of the rules that were applied.
    labels : numpy.ndarray or None
        Point labels (dates, sample ids) used in explanations and ``to_frame()``.
    dispersion : ControlChart or None
        The companion moving-range, range or standard-deviation chart.
    extra : dict
        Further per-point columns (e.g. the lower CUSUM), included in ``to_frame()``.
    value, label, signal : numpy.ndarray
        ``values``, ``labels`` and ``signalled`` under their column names.
    """

    chart: str
    statistic: str
    values: np.ndarray
    center: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    sigma: np.ndarray
    baseline: np.ndarray
    excluded: np.ndarray
    signals: Signals
    params: dict
    rules: tuple
    labels: np.ndarray | None = None
    dispersion: ControlChart | None = None
    extra: dict = attrs.field(factory=dict)

    _derived = derived_columns({
        "index": "the point's position (the first column of a chart without ``labels``)",
        "{extra}": "that entry of ``extra`` (e.g. ``lower`` of a CUSUM chart)",
        "rules": "the rules that fired at the point, from ``signals`` (comma-separated; "
                 "the attribute ``rules`` lists the rules applied)",
        "{chart}": "the companion chart's statistic, ``dispersion.values`` (``mr``, ``r`` "
                   "or ``s``)",
        "{chart}_center": "``dispersion.center``",
        "{chart}_lcl": "``dispersion.lcl``", "{chart}_ucl": "``dispersion.ucl``",
        "{chart}_rules": "the rules that fired at the point on the companion chart"})
    value = alias("values")
    label = alias("labels")
    signal = alias("signalled", "``signalled`` under its column name.")

    def _explain_column(self, column: str) -> str | None:
        if column in ("index", "rules"):
            return self._derived[column]
        if column in self.extra:
            return self._derived["{extra}"]
        d = self.dispersion
        if d is not None and column.startswith(d.chart):
            key = "{chart}" + column.removeprefix(d.chart)
            return self._derived.get(key)
        return None

    def _title(self) -> str:
        return f"ControlChart {self.chart} ({self.statistic})"

    @property
    def signalled(self) -> np.ndarray:
        """Boolean per point: flagged by at least one rule on this chart or its companion."""
        out = np.zeros(self.values.size, dtype=bool)
        out[self.signals.index] = True
        if self.dispersion is not None:
            out[self.dispersion.signals.index] = True
        return out

    @property
    def in_control(self) -> bool:
        """True when no rule fired on this chart or its companion."""
        return not self.signalled.any()

    def _summary(self) -> list[str]:
        lines = []
        c = self.center
        if c.size:
            if np.all(c == c[0]):
                lines.append(f"centre {c[0]:.6g}; limits "
                             + ("vary by point" if np.ptp(self.ucl) > 0 or np.ptp(self.lcl) > 0
                                else f"[{self.lcl[0]:.6g}, {self.ucl[0]:.6g}]"))
            else:
                lines.append("centre and limits vary by point")
        n_base = int(self.baseline.sum())
        lines.append(f"phase I points {n_base} ({int(self.excluded.sum())} excluded), "
                     f"phase II points {self.values.size - n_base}; rules "
                     f"{', '.join(self.rules) or 'none'}")
        pts = self.signals.points
        lines.append(f"{len(self.signals)} signal(s) on {pts.size} point(s)"
                     + (f"; first at {self._label(int(pts[0]))}: "
                        f"{self.signals.explanation[self.signals.index == pts[0]][0]}"
                        if pts.size else ""))
        if self.dispersion is not None:
            d = self.dispersion
            lines.append(f"{d.chart} chart: centre {d.center[-1]:.6g}, UCL {d.ucl[-1]:.6g}, "
                         f"{len(d.signals)} signal(s)")
        return lines

    def _label(self, i: int) -> str:
        return str(self.labels[i]) if self.labels is not None else f"point {i}"

    def _columns(self) -> dict:
        n = self.values.size
        cols = {}
        cols["label" if self.labels is not None else "index"] = (
            self.labels if self.labels is not None else np.arange(n))
        cols.update({"value": self.values, "center": self.center, "lcl": self.lcl,
                     "ucl": self.ucl, "baseline": self.baseline, "excluded": self.excluded})
        cols.update(self.extra)
        cols["rules"] = _rule_column(self.signals, n)
        if self.dispersion is not None:
            d = self.dispersion
            name = d.chart
            cols.update({name: d.values, f"{name}_center": d.center, f"{name}_lcl": d.lcl,
                         f"{name}_ucl": d.ucl, f"{name}_rules": _rule_column(d.signals, n)})
        cols["signal"] = self.signalled
        return cols


def _rule_column(signals: Signals, n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    for r, i in zip(signals.rule.tolist(), signals.index.tolist()):
        out[i] = r if not out[i] else f"{out[i]},{r}"
    return out


# ---------------------------------------------------------------------------------------
# shared helpers for the chart functions


def baseline_mask(baseline, n: int, func: str) -> np.ndarray:
    """``None`` → every point; int ``k`` → the first ``k``; a slice; or a boolean mask."""
    mask = np.zeros(n, dtype=bool)
    if baseline is None:
        mask[:] = True
    elif isinstance(baseline, slice):
        mask[baseline] = True
    elif isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        k = v.check_int(baseline, "baseline", func, low=1, high=n)
        mask[:k] = True
    else:
        arr = v.array(baseline, "baseline", func)
        if arr.dtype != bool or arr.shape != (n,):
            v.fail("baseline", func, f"None, a number of leading points, a slice or a boolean "
                   f"mask of length {n}", got=f"{type(baseline).__name__} "
                   f"{getattr(arr, 'shape', '')}")
        mask[:] = arr
    if not mask.any():
        v.fail("baseline", func, "a window holding at least one point", baseline)
    return mask


def exclude_mask(exclude, n: int, func: str) -> np.ndarray:
    """Positions (or a boolean mask) of baseline points to leave out of the estimate."""
    mask = np.zeros(n, dtype=bool)
    if exclude is None:
        return mask
    arr = v.array(exclude, "exclude", func)
    if arr.dtype == bool:
        if arr.shape != (n,):
            v.fail("exclude", func, f"positions or a boolean mask of length {n}",
                   got=f"a mask of shape {arr.shape}")
        return arr.copy()
    idx = v.as_int_array(np.atleast_1d(arr), "exclude", func, low=0, high=n - 1, min_size=0)
    mask[idx] = True
    return mask


def check_params(params, chart_kinds, func: str) -> dict:
    """Frozen phase-I estimates passed back for phase II."""
    if not isinstance(params, dict) or params.get("chart") not in chart_kinds:
        v.fail("params", func, "the params of an earlier result of the same chart kind ("
               + ", ".join(repr(c) for c in chart_kinds) + ")",
               got=f"{params.get('chart')!r} params" if isinstance(params, dict) else None,
               value=params)
    return params


def labels_array(labels, n: int, func: str):
    if labels is None:
        return None
    arr = v.array(labels, "labels", func)
    if arr.ndim != 1 or arr.size != n:
        v.fail("labels", func, f"a 1-D sequence of length {n} (one label per point)",
               got=f"shape {arr.shape}", data=True)
    return arr


def limits(center, sigma, nsigma, floor, ceiling=None):
    ucl = center + nsigma * sigma
    lcl = center - nsigma * sigma
    if floor is not None:
        lcl = np.maximum(lcl, floor)
    if ceiling is not None:
        ucl = np.minimum(ucl, ceiling)
    return lcl, ucl


def build(chart, statistic, values, center, sigma, *, nsigma, floor, ruleset: RuleSet,
          base, excl, params, labels, dispersion=None, extra=None, prefix="",
          skip=0, ceiling=None) -> ControlChart:
    """Assemble a chart: limits, run rules (from position ``skip`` on), result object."""
    n = values.size
    center = np.broadcast_to(np.asarray(center, dtype=np.float64), (n,)).copy()
    sigma = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (n,)).copy()
    lcl, ucl = limits(center, sigma, nsigma, floor, ceiling)
    z = standardise(values[skip:], center[skip:], sigma[skip:], sigma[skip:])
    signals, _ = apply_rules(z, ruleset, nsigma, None if labels is None else labels[skip:],
                             prefix)
    if skip and len(signals):
        signals = Signals(signals.rule, signals.index + skip, signals.start + skip,
                          signals.side, signals.explanation)
        if labels is None:
            signals = _relabel(signals)
    return ControlChart(chart, statistic, values, center, lcl, ucl, sigma, base, excl,
                        signals, dict(params), ruleset.codes, labels, dispersion,
                        dict(extra or {}))


def _relabel(signals: Signals) -> Signals:
    # explanations were written with positions relative to the skipped series
    from .rules import _signals

    expl = []
    for text, s, i in zip(signals.explanation.tolist(), signals.start.tolist(),
                          signals.index.tolist()):
        head = text[: text.rfind("(")]
        where = f"point {s}–point {i}" if s != i else f"point {i}"
        expl.append(f"{head}({where})")
    return _signals(signals.rule, signals.index, signals.start, signals.side, expl)


def beyond(values, lcl, ucl, skip=0) -> np.ndarray:
    """Boolean per point: strictly outside the limits (rule 1), ignoring the first ``skip``."""
    out = (values > ucl) | (values < lcl)
    out[:skip] = False
    return out


def refit_loop(estimate, out_of_limits, base, excl, refit: int, func: str):
    """Estimate, then up to ``refit`` times drop baseline points beyond the limits and re-estimate.

    ``estimate(mask) -> params`` uses the points in ``mask``; ``out_of_limits(params)`` gives a
    boolean per point. Returns the final params and the excluded mask.
    """
    excl = excl & base
    if not (base & ~excl).any():
        v.fail("exclude", func, "leaving at least one baseline point to estimate from",
               got="every baseline point excluded")
    params = estimate(base & ~excl)
    for _ in range(refit):
        new = out_of_limits(params) & base & ~excl
        if not new.any():
            break
        excl = excl | new
        if not (base & ~excl).any():
            break
        params = estimate(base & ~excl)
    return params, excl
