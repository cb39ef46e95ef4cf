"""Pareto analysis: which few categories carry most of the counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column as _column
from .._results import Result, alias, drawn_by, result

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .._typing import ColumnLike, TableLike

__all__ = ["Pareto", "pareto"]


@drawn_by("pareto")
@result
class Pareto(Result):
    """Categories sorted by count with their cumulative share.

    Attributes
    ----------
    labels : ndarray of str
    counts : ndarray of float
        Counts (or weights such as cost), largest first; equal counts keep label order.
    share, cumulative : ndarray of float
        Share of the total and running share.
    vital : ndarray of bool
        The vital few: the shortest head whose cumulative share reaches ``cut``.
    cut : float
    total : float
    tie_at_cut : bool
        True when the last vital category has the same count as the first trivial one,
        so the split at the cut is arbitrary among them.
    label, count : ndarray
        ``labels`` and ``counts`` under their column names.
    """

    labels: np.ndarray
    counts: np.ndarray
    share: np.ndarray
    cumulative: np.ndarray
    vital: np.ndarray
    cut: float
    total: float
    tie_at_cut: bool

    label = alias("labels")
    count = alias("counts")

    @property
    def n_vital(self) -> int:
        """Number of vital categories."""
        return int(self.vital.sum())

    @property
    def vital_few(self) -> np.ndarray:
        """Labels of the vital categories."""
        return self.labels[self.vital]

    def _title(self):
        return "Pareto analysis"

    def _summary(self):
        n = len(self.labels)
        if not n:
            return ["no categories"]
        covered = self.cumulative[self.n_vital - 1] if self.n_vital else 0.0
        line = (f"vital few: {self.n_vital} of {n} categories carry {covered:.1%} "
                f"(cut {self.cut:.0%})")
        return [line + ("; tie at the cut" if self.tie_at_cut else "")]

    def _columns(self):
        return {"label": self.labels, "count": self.counts, "share": self.share,
                "cumulative": self.cumulative, "vital": self.vital}


def pareto(data: Sequence[Any] | Mapping[Any, float] | TableLike | None = None,
           counts: ColumnLike | None = None, *, labels: ColumnLike | None = None,
           cut: float = 0.8) -> Pareto:
    """Sort categories by count, accumulate their share and mark the vital few.

    Three ways to call it:

    * ``pareto(["late", "wrong", "late", …])`` - raw occurrences, counted here;
    * ``pareto({"late": 30, "wrong": 3})`` - a mapping label -> count (or cost);
    * ``pareto(table, counts="n", labels="reason")`` or ``pareto(labels=[…], counts=[…])``.

    Parameters
    ----------
    data : sequence, mapping or table, optional
    counts : str or array-like, optional
        Counts (non-negative, may be fractional such as costs), or a column of ``data``.
    labels : str or array-like, optional
        Category labels, or a column of ``data`` (raw occurrences when ``counts`` is None).
    cut : float in (0, 1], default 0.8
        Share the vital few must reach.

    Returns
    -------
    Pareto

    Raises
    ------
    InvalidParameterError, DataError
        Negative or NaN counts, a zero total, duplicate labels, mismatched lengths or a
        ``cut`` outside (0, 1].

    Examples
    --------
    >>> p = pareto({"late": 50, "wrong part": 30, "no-show": 12, "billing": 8})
    >>> p.vital_few.tolist(), p.cumulative.round(2).tolist()
    (['late', 'wrong part'], [0.5, 0.8, 0.92, 1.0])
    """
    func = "fmea.pareto"
    cut = v.check_real(cut, "cut", func, low=0.0, high=1.0, closed="right")
    if isinstance(data, dict) and counts is None and labels is None:
        lab = np.array([str(k) for k in data], dtype=object)
        cnt = v.as_float_array(list(data.values()), "counts", func, low=0.0, min_size=0)
    elif counts is None:
        raw = labels if labels is not None and data is None else (
            _column(data, labels, "labels", func) if labels is not None else data)
        if raw is None:
            v.fail("data", func, "raw category values, a mapping label -> count or a table",
                   None)
        raw = np.asarray(raw if not isinstance(raw, str) else [raw], dtype=object)
        if raw.ndim != 1:
            v.fail("data", func, "one-dimensional", got=f"an array of shape {raw.shape}",
                   data=True)
        text = np.array(["" if x is None else str(x) for x in raw], dtype=object)
        lab, cnt = np.unique(text.astype(str), return_counts=True)
        lab = lab.astype(object)
        cnt = cnt.astype(float)
    else:
        if labels is None:
            v.fail("labels", func, "given together with 'counts'", None)
        lab_raw = _column(data, labels, "labels", func)
        cnt = v.as_float_array(_column(data, counts, "counts", func), "counts", func,
                               low=0.0, min_size=0)
        lab = np.array([str(x) for x in lab_raw], dtype=object)
        v.check_same_length(func, labels=lab, counts=cnt)
        uniq, first = np.unique(lab.astype(str), return_index=True)
        if len(uniq) != len(lab):
            dup = next(x for i, x in enumerate(lab) if i not in set(first.tolist()))
            v.fail("labels", func, "distinct (one count per category)", got=f"{dup!r} twice",
                   data=True)
    total = float(cnt.sum())
    if len(cnt) and total <= 0:
        v.fail("counts", func, "of positive total", got="a total of 0", data=True)
    order = np.lexsort((np.arange(len(cnt)), -cnt))
    lab, cnt = lab[order], cnt[order]
    share = cnt / total if len(cnt) else cnt
    cum = np.cumsum(share)
    if len(cum):
        cum[-1] = 1.0
        n_vital = int(np.searchsorted(cum, cut - 1e-12, side="left")) + 1
        n_vital = min(n_vital, len(cum))
    else:
        n_vital = 0
    vital = np.arange(len(cnt)) < n_vital
    tie = bool(0 < n_vital < len(cnt) and cnt[n_vital - 1] == cnt[n_vital])
    return Pareto(labels=lab, counts=cnt, share=share, cumulative=cum, vital=vital, cut=cut,
                  total=total, tie_at_cut=tie)
