"""Prioritisation matrices: the S x O risk matrix and value-effort quadrants."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column as _column
from .._results import Result, derived_columns, drawn_by, format_table, result
from .worksheet import Worksheet

if TYPE_CHECKING:

    from .._typing import ColumnLike, TableLike

__all__ = ["RiskMatrix", "ValueEffort", "risk_matrix", "value_effort"]


@drawn_by("risk_matrix")
@result
class RiskMatrix(Result):
    """Counts of failure modes in every severity x occurrence cell.

    Attributes
    ----------
    grid : ndarray of int, shape (10, 10)
        ``grid[s - 1, o - 1]`` is the number of modes rated S = s, O = o.
    modes : dict of (int, int) to tuple of str
        The failure modes in each non-empty cell.

    ``to_frame()`` lists the non-empty cells (severity, occurrence, count, modes), highest
    severity first.
    """

    grid: np.ndarray
    modes: dict

    _derived = derived_columns({
        "severity": "S of the cell", "occurrence": "O of the cell",
        "count": "modes in the cell, ``grid[severity - 1, occurrence - 1]``",
        "modes": "the cell's failure modes, ``modes[(severity, occurrence)]`` joined by "
                 "``'; '``"})
    _key = ("severity", "occurrence")

    def _title(self):
        return "Risk matrix (severity x occurrence)"

    def _summary(self):
        return [f"{int(self.grid.sum())} modes in {int((self.grid > 0).sum())} cells"]

    def _columns(self):
        cells = sorted(self.modes, key=lambda c: (-c[0], -c[1]))
        return {"severity": np.array([c[0] for c in cells], dtype=np.int64),
                "occurrence": np.array([c[1] for c in cells], dtype=np.int64),
                "count": np.array([self.grid[c[0] - 1, c[1] - 1] for c in cells],
                                  dtype=np.int64),
                "modes": np.array(["; ".join(self.modes[c]) for c in cells], dtype=object)}

    def text(self) -> str:
        """The grid as text: severity 10 at the top, occurrence 1-10 left to right."""
        cols = {"S\\O": np.arange(10, 0, -1)}
        for o in range(1, 11):
            cols[str(o)] = np.array([str(self.grid[s - 1, o - 1] or ".")
                                     for s in range(10, 0, -1)], dtype=object)
        return format_table(cols, max_rows=10)


def risk_matrix(worksheet: Worksheet, *, revised: bool = False) -> RiskMatrix:
    """Place each failure mode on the 10 x 10 severity x occurrence grid.

    Parameters
    ----------
    worksheet : Worksheet
    revised : bool, default False
        Use the ratings after action (a blank revised rating keeps the original).

    Returns
    -------
    RiskMatrix

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b", "c"], "S": [7, 7, 2],
    ...                            "O": [5, 5, 9], "D": [4, 4, 4]})
    >>> m = risk_matrix(ws)
    >>> int(m.grid[6, 4]), m.modes[(7, 5)]
    (2, ('a', 'b'))
    """
    func = "fmea.risk_matrix"
    if not isinstance(worksheet, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
               got=f"an object of type {type(worksheet).__name__}")
    v.check_bool(revised, "revised", func)
    s, o = worksheet.severity, worksheet.occurrence
    if revised:
        s = np.where(worksheet.revised_severity > 0, worksheet.revised_severity, s)
        o = np.where(worksheet.revised_occurrence > 0, worksheet.revised_occurrence, o)
    grid = np.zeros((10, 10), dtype=np.int64)
    np.add.at(grid, (s - 1, o - 1), 1)
    modes: dict = {}
    for name, si, oi in zip(worksheet.failure_mode, s.tolist(), o.tolist()):
        modes.setdefault((si, oi), []).append(name)
    return RiskMatrix(grid=grid, modes={k: tuple(x) for k, x in modes.items()})


QUADRANTS = ("quick win", "major project", "fill-in", "thankless task")


@drawn_by("value_effort")
@result
class ValueEffort(Result):
    """Improvement actions placed in value (impact) x effort quadrants.

    Attributes
    ----------
    labels : ndarray of str
    impact, effort : ndarray of float
    quadrant : ndarray of str
        ``'quick win'`` (impact >= cut, effort < cut), ``'major project'`` (both >= cut),
        ``'fill-in'`` (both below) or ``'thankless task'`` (impact below, effort >= cut).
    impact_cut, effort_cut : float
    order : ndarray of int
        Positions of the actions sorted quick wins first, then major projects, fill-ins and
        thankless tasks; within a quadrant by impact per effort, highest first.
    """

    labels: np.ndarray
    impact: np.ndarray
    effort: np.ndarray
    quadrant: np.ndarray
    impact_cut: float
    effort_cut: float
    order: np.ndarray

    _derived = derived_columns({
        "action": "``labels[order]``: the table lists the actions in ``order``",
        "impact": "``impact[order]``", "effort": "``effort[order]``",
        "quadrant": "``quadrant[order]``"})

    def counts(self) -> dict:
        """Actions per quadrant."""
        return {q: int((self.quadrant == q).sum()) for q in QUADRANTS}

    def _title(self):
        return "Value-effort quadrants"

    def _summary(self):
        c = self.counts()
        return [f"cuts: impact {self.impact_cut:g}, effort {self.effort_cut:g}; "
                + ", ".join(f"{q} {n}" for q, n in c.items())]

    def _columns(self):
        o = self.order
        return {"action": self.labels[o], "impact": self.impact[o], "effort": self.effort[o],
                "quadrant": self.quadrant[o]}


def value_effort(data: TableLike | None = None, *, labels: ColumnLike, impact: ColumnLike,
                 effort: ColumnLike, impact_cut: float | None = None,
                 effort_cut: float | None = None) -> ValueEffort:
    """Sort improvement actions into value (impact) x effort quadrants.

    Parameters
    ----------
    data : table, optional
        A table holding the columns named by ``labels``, ``impact`` and ``effort``.
    labels, impact, effort : str or array-like
        Action names, their expected impact (e.g. RPN reduction, failures avoided) and effort
        (cost, days); column names of ``data`` or values.
    impact_cut, effort_cut : float, optional
        Where "high" starts; default the median of each (so the quadrants split the actions
        evenly when the values are distinct).

    Returns
    -------
    ValueEffort

    Raises
    ------
    InvalidParameterError, DataError
        NaN or negative values, mismatched lengths, no actions.

    Examples
    --------
    >>> q = value_effort(labels=["scripts", "new CRM", "checklist", "audit"],
    ...                  impact=[8, 9, 2, 1], effort=[1, 9, 1, 8])
    >>> q.to_frame("dict")["quadrant"].tolist()
    ['quick win', 'major project', 'fill-in', 'thankless task']
    """
    func = "fmea.value_effort"
    if labels is None:
        v.fail("labels", func, "a column name or the labels themselves", None, wrong_type=True)
    lab = _column(data, labels, "labels", func)
    imp = v.as_float_array(_column(data, impact, "impact", func), "impact", func, low=0.0)
    eff = v.as_float_array(_column(data, effort, "effort", func), "effort", func, low=0.0)
    lab = np.array([str(x) for x in lab], dtype=object)
    v.check_same_length(func, labels=lab, impact=imp, effort=eff)
    ic = float(np.median(imp)) if impact_cut is None else v.check_real(impact_cut,
                                                                       "impact_cut", func)
    ec = float(np.median(eff)) if effort_cut is None else v.check_real(effort_cut,
                                                                       "effort_cut", func)
    hi_i, hi_e = imp >= ic, eff >= ec
    code = np.where(hi_i, np.where(hi_e, 1, 0), np.where(hi_e, 3, 2))
    quad = np.array(QUADRANTS, dtype=object)[code]
    ratio = imp / np.where(eff > 0, eff, np.finfo(float).tiny)
    order = np.lexsort((np.arange(len(lab)), -ratio, code)).astype(np.int64)
    return ValueEffort(labels=lab, impact=imp, effort=eff, quadrant=quad, impact_cut=ic,
                       effort_cut=ec, order=order)
