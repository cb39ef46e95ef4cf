"""RFM scores and segments: quintile scores of recency, frequency and monetary value.

:func:`rfm_scores` gives every customer a score 1–5 for recency (5: most recent), frequency
and monetary value (5: highest), and a named segment from the recency and frequency scores
(the common RFM grid: champions, loyal customers, at risk, hibernating …). The segment
labels are a plain array, one per customer, that plugs into any ``by=`` argument.

**Quintile rule, ties included.** With ``n`` customers, a customer with value ``x`` scores
``1 + floor(5 · k / n)`` where ``k`` is the number of customers with a strictly worse
value (for frequency and monetary: ``#{x_j < x}``; for recency, where smaller is better:
``#{x_j > x}``). Distinct values fall
into five groups of equal size (as near as ``n`` allows); **tied customers share one score,
the lowest their group reaches** (the score of the first of them in rank order), so a tie
is never split across scores and a large tie (many customers with one purchase) is scored
by where it starts.

**Segments** (rows: recency score R, columns: frequency score F):

======  ===============  ===================  ===================  ===============  ===============
R / F   1                2                    3                    4                5
======  ===============  ===================  ===================  ===============  ===============
5       new customers    potential loyalists  potential loyalists  champions        champions
4       promising        potential loyalists  potential loyalists  loyal customers  loyal customers
3       about to sleep   about to sleep       need attention       loyal customers  loyal customers
2       hibernating      hibernating          at risk              at risk          can't lose them
1       hibernating      hibernating          at risk              at risk          can't lose them
======  ===============  ===================  ===================  ===============  ===============

This is the widely used ten-segment R × F grid (R and F quintiles; monetary value is scored
but does not enter the segment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, result

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike

__all__ = ["RFM_SEGMENTS", "RFMScores", "rfm_scores"]

_F = "customers.rfm_scores"

#: The segment of each (recency score, frequency score), rows R = 1..5, columns F = 1..5.
RFM_SEGMENTS: tuple[tuple[str, ...], ...] = (
    ("hibernating", "hibernating", "at risk", "at risk", "can't lose them"),
    ("hibernating", "hibernating", "at risk", "at risk", "can't lose them"),
    ("about to sleep", "about to sleep", "need attention", "loyal customers",
     "loyal customers"),
    ("promising", "potential loyalists", "potential loyalists", "loyal customers",
     "loyal customers"),
    ("new customers", "potential loyalists", "potential loyalists", "champions", "champions"),
)


def quintile_scores(x: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1–5: ``1 + floor(5 k / n)`` with ``k`` the customers strictly worse."""
    s = np.sort(x)
    if higher_is_better:
        k = np.searchsorted(s, x, side="left")
    else:
        k = x.size - np.searchsorted(s, x, side="right")
    return (1 + (5 * k) // x.size).astype(np.int64)


@result
class RFMScores(Result):
    """RFM scores and segments: one row per customer.

    Attributes
    ----------
    customer : ndarray
        Customer labels (positions when none were given).
    recency, frequency : ndarray of float
        The values scored.
    monetary : ndarray of float or None
    r_score, f_score : ndarray of int
        1–5 (module notes: quintiles, ties share the lowest score).
    m_score : ndarray of int or None
    rfm : ndarray of str
        ``'545'``: the three scores (two without monetary values).
    segment : ndarray of str
        The segment name (:data:`RFM_SEGMENTS`), a plain label array for ``by=``.
    """

    customer: np.ndarray
    recency: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray | None
    r_score: np.ndarray
    f_score: np.ndarray
    m_score: np.ndarray | None
    rfm: np.ndarray
    segment: np.ndarray

    _key = "customer"

    def _title(self) -> str:
        return "RFM scores and segments"

    def _summary(self) -> list[str]:
        names, counts = np.unique(self.segment, return_counts=True)
        top = sorted(zip(counts.tolist(), names.tolist()), reverse=True)[:4]
        return [f"{self.customer.size} customers; " + ", ".join(f"{k} {s}" for k, s in top)]

    def _columns(self) -> dict:
        out = {"customer": self.customer, "recency": self.recency,
               "frequency": self.frequency}
        if self.monetary is not None:
            out["monetary"] = self.monetary
        out.update(r_score=self.r_score, f_score=self.f_score)
        if self.m_score is not None:
            out["m_score"] = self.m_score
        out.update(rfm=self.rfm, segment=self.segment)
        return out

    def counts(self) -> dict:
        """Customers per segment, ``{segment: count}`` in :data:`RFM_SEGMENTS` order."""
        order = list(dict.fromkeys(s for row in RFM_SEGMENTS[::-1] for s in row))
        names, n = np.unique(self.segment, return_counts=True)
        found = dict(zip(names.tolist(), n.tolist()))
        return {s: found.get(s, 0) for s in order}


def rfm_scores(recency: ColumnLike, frequency: ColumnLike, monetary: ColumnLike | None = None,
               *, data: TableLike = None, customer: ColumnLike | None = None) -> RFMScores:
    """Quintile scores of recency, frequency and monetary value, and the RFM segment.

    Parameters
    ----------
    recency : column or array-like of float
        Time since each customer's last activity (smaller is better), e.g.
        ``customer_histories(...).recency``.
    frequency : column or array-like of float
        Number of activities (or repeat activities: the scores are the same).
    monetary : column or array-like of float, optional
        Monetary value (total or mean amount).
    data : table, optional
        When the arguments name columns (a ``CustomerHistories.to_frame()`` for instance).
    customer : column or array-like, optional
        Customer labels.

    Returns
    -------
    RFMScores

    Raises
    ------
    DataError
        Non-finite values, columns of different lengths, no customer.

    Examples
    --------
    >>> from cxpath.customers import rfm_scores
    >>> s = rfm_scores([1, 5, 30, 60, 90, 2, 8, 40, 70, 100],
    ...                [9, 7, 5, 3, 1, 8, 6, 4, 2, 1])
    >>> s.r_score.tolist()
    [5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
    >>> s.f_score.tolist()  # the two 1s tie and share the lowest score
    [5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
    >>> s.segment[:3].tolist()
    ['champions', 'loyal customers', 'need attention']
    """
    r = v.as_float_array(column(data, recency, "recency", _F), "recency", _F)
    f = v.as_float_array(column(data, frequency, "frequency", _F), "frequency", _F)
    m = None
    if monetary is not None:
        m = v.as_float_array(column(data, monetary, "monetary", _F), "monetary", _F)
    if customer is None:
        ids = np.arange(r.size)
    else:
        ids = np.asarray(column(data, customer, "customer", _F))
        if ids.ndim != 1:
            v.fail("customer", _F, "one-dimensional", got=f"shape {ids.shape}", data=True)
    v.check_same_length(_F, recency=r, frequency=f, monetary=m, customer=ids)
    rs = quintile_scores(r, higher_is_better=False)
    fs = quintile_scores(f)
    ms = None if m is None else quintile_scores(m)
    codes = [f"{a}{b}" for a, b in zip(rs.tolist(), fs.tolist())] if ms is None else \
        [f"{a}{b}{c}" for a, b, c in zip(rs.tolist(), fs.tolist(), ms.tolist())]
    table = np.array(RFM_SEGMENTS, dtype=object)
    return RFMScores(ids, r, f, m, rs, fs, ms, np.array(codes, dtype=object),
                     table[rs - 1, fs - 1])
