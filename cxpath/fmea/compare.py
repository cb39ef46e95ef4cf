"""Before and after: what the recommended actions did to RPN and Action Priority."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from .scores import AP_LEVELS, ap_table
from .worksheet import Worksheet

if TYPE_CHECKING:
    from .scores import ActionPriorityTable

__all__ = ["RiskReduction", "risk_reduction"]


@result
class RiskReduction(Result):
    """Per-mode and total change in risk after actions.

    Attributes
    ----------
    failure_mode : ndarray of str
    revised : ndarray of bool
        True where the mode has at least one revised rating; a blank revised rating keeps
        the original, so modes without any have ``after == before``.
    rpn_before, rpn_after, reduction : ndarray of int
        ``reduction = rpn_before - rpn_after`` (negative if risk rose).
    reduction_pct : ndarray of float
        ``reduction / rpn_before``.
    ap_before, ap_after : ndarray of str
    ap_change : ndarray of str
        ``'H->M'`` style transition, or ``''`` when the AP did not change.
    total_before, total_after : int
        Summed RPN over all modes.
    ap_counts_before, ap_counts_after : dict
    """

    failure_mode: np.ndarray
    revised: np.ndarray
    rpn_before: np.ndarray
    rpn_after: np.ndarray
    reduction: np.ndarray
    reduction_pct: np.ndarray
    ap_before: np.ndarray
    ap_after: np.ndarray
    ap_change: np.ndarray
    total_before: int
    total_after: int
    ap_counts_before: dict
    ap_counts_after: dict

    @property
    def total_reduction(self) -> int:
        """``total_before - total_after``."""
        return self.total_before - self.total_after

    @property
    def total_reduction_pct(self) -> float:
        """Total reduction as a share of the total RPN before."""
        return self.total_reduction / self.total_before if self.total_before else 0.0

    def _title(self):
        return "Risk reduction after actions"

    def _summary(self):
        b, a = self.ap_counts_before, self.ap_counts_after
        return [f"total RPN {self.total_before} -> {self.total_after} "
                f"({self.total_reduction_pct:.1%} lower); {int(self.revised.sum())} of "
                f"{len(self.revised)} modes re-rated",
                f"AP H/M/L {b['H']}/{b['M']}/{b['L']} -> {a['H']}/{a['M']}/{a['L']}"]

    def _columns(self):
        return {"failure_mode": self.failure_mode, "revised": self.revised,
                "rpn_before": self.rpn_before, "rpn_after": self.rpn_after,
                "reduction": self.reduction, "reduction_pct": self.reduction_pct,
                "ap_before": self.ap_before, "ap_after": self.ap_after,
                "ap_change": self.ap_change}


def risk_reduction(worksheet: Worksheet, *,
                   table: str | ActionPriorityTable = "aiag-vda-2019") -> RiskReduction:
    """Compare RPN and Action Priority before and after the recommended actions.

    Parameters
    ----------
    worksheet : Worksheet
        With ``revised_severity/occurrence/detection`` filled where actions were taken.
    table : str or ActionPriorityTable, default 'aiag-vda-2019'

    Returns
    -------
    RiskReduction

    Raises
    ------
    InvalidParameterError
        ``worksheet`` is not a Worksheet, or an unknown table.

    Examples
    --------
    >>> from cxpath.fmea import FailureMode, Worksheet
    >>> ws = Worksheet.from_records([
    ...     FailureMode("Chatbot hand-over fails", 7, 7, 6, revised_occurrence=3),
    ...     FailureMode("Survey to wrong contact", 2, 4, 7)])
    >>> r = risk_reduction(ws)
    >>> r.rpn_after.tolist(), r.ap_change.tolist(), r.total_reduction
    ([126, 56], ['H->M', ''], 168)
    """
    func = "fmea.risk_reduction"
    if not isinstance(worksheet, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
               got=f"an object of type {type(worksheet).__name__}")
    tab = ap_table(table, func)
    ws = worksheet
    s0, o0, d0 = ws.severity, ws.occurrence, ws.detection
    s1 = np.where(ws.revised_severity > 0, ws.revised_severity, s0)
    o1 = np.where(ws.revised_occurrence > 0, ws.revised_occurrence, o0)
    d1 = np.where(ws.revised_detection > 0, ws.revised_detection, d0)
    before, after = s0 * o0 * d0, s1 * o1 * d1
    letters = np.array(AP_LEVELS)
    ap0, ap1 = letters[tab._codes_of(s0, o0, d0)], letters[tab._codes_of(s1, o1, d1)]
    change = np.array([f"{a}->{b}" if a != b else "" for a, b in zip(ap0, ap1)], dtype=object)

    def counts(ap):
        return {k: int((ap == k).sum()) for k in ("H", "M", "L")}

    red = before - after
    return RiskReduction(failure_mode=ws.failure_mode, revised=ws.revised,
                         rpn_before=before, rpn_after=after, reduction=red,
                         reduction_pct=red / before, ap_before=ap0, ap_after=ap1,
                         ap_change=change, total_before=int(before.sum()),
                         total_after=int(after.sum()), ap_counts_before=counts(ap0),
                         ap_counts_after=counts(ap1))
