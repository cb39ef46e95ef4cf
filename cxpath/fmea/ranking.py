"""Rank and filter failure modes: Action Priority first, then severity, then RPN."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from .scores import AP_LEVELS, ap_table
from .worksheet import Worksheet

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .scores import ActionPriorityTable

__all__ = ["Ranking", "filter_modes", "rank"]

_KEYS = ("ap", "severity", "occurrence", "detection", "rpn", "criticality")


def _check_worksheet(ws, func):
    if not isinstance(ws, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet (build one with "
               "Worksheet.from_frame / from_records / from_csv)",
               got=f"an object of type {type(ws).__name__}")
    return ws


@result
class Ranking(Result):
    """Failure modes in priority order.

    Attributes
    ----------
    index : ndarray of int
        Worksheet position of each ranked mode (row ``k`` of the ranking is mode
        ``index[k]``).
    rank : ndarray of int
        Competition rank ("1, 2, 2, 4"): modes equal on every sort key share a rank.
    tied : ndarray of bool
        True where the mode shares its rank with another.
    failure_mode, step : ndarray of str
    severity, occurrence, detection, rpn, criticality : ndarray of int
    ap : ndarray of str
        Action Priority, ``'H'``, ``'M'`` or ``'L'``.
    by : tuple of str
        The sort keys, most important first (all descending).
    table : str
        Name of the Action Priority table used.
    """

    index: np.ndarray
    rank: np.ndarray
    tied: np.ndarray
    failure_mode: np.ndarray
    step: np.ndarray
    severity: np.ndarray
    occurrence: np.ndarray
    detection: np.ndarray
    rpn: np.ndarray
    criticality: np.ndarray
    ap: np.ndarray
    by: tuple
    table: str

    _key = "failure_mode"

    @property
    def n_tie_groups(self) -> int:
        """Number of ranks shared by two or more modes."""
        ranks = self.rank[self.tied]
        return int(np.unique(ranks).size)

    def ap_counts(self) -> dict:
        """Modes per Action Priority."""
        return {k: int((self.ap == k).sum()) for k in ("H", "M", "L")}

    def top(self, k: int = 10) -> Ranking:
        """The first ``k`` ranked modes."""
        k = v.check_int(k, "k", "fmea.Ranking.top", low=0)
        return Ranking(*(getattr(self, f)[:k] for f in _FIELDS), by=self.by, table=self.table)

    def _title(self):
        return "FMEA ranking"

    def _summary(self):
        c = self.ap_counts()
        ties = self.n_tie_groups
        return [f"by {' > '.join(self.by)} (descending); AP H {c['H']}, M {c['M']}, "
                f"L {c['L']}; {ties} tie group{'s' if ties != 1 else ''}"]

    def _columns(self):
        return {"rank": self.rank, "tied": self.tied, "index": self.index,
                "step": self.step, "failure_mode": self.failure_mode,
                "severity": self.severity, "occurrence": self.occurrence,
                "detection": self.detection, "rpn": self.rpn,
                "criticality": self.criticality, "ap": self.ap}


_FIELDS = ("index", "rank", "tied", "failure_mode", "step", "severity", "occurrence",
           "detection", "rpn", "criticality", "ap")


def rank(worksheet: Worksheet, *, by: Sequence[str] = ("ap", "severity", "rpn"),
         table: str | ActionPriorityTable = "aiag-vda-2019", revised: bool = False) -> Ranking:
    """Rank failure modes by Action Priority, then severity, then RPN (all descending).

    Parameters
    ----------
    worksheet : Worksheet
    by : sequence of str, default ('ap', 'severity', 'rpn')
        Sort keys, most important first, from ``'ap'``, ``'severity'``, ``'occurrence'``,
        ``'detection'``, ``'rpn'``, ``'criticality'``. The default is the AIAG-VDA handbook's
        order: AP first, severity within an AP.
    table : str or ActionPriorityTable, default 'aiag-vda-2019'
    revised : bool, default False
        Rank on the ratings after action (a blank revised rating keeps the original).

    Returns
    -------
    Ranking
        Modes equal on every key share a competition rank and are flagged ``tied``; they
        stay in worksheet order.

    Raises
    ------
    InvalidParameterError
        ``worksheet`` is not a Worksheet, an unknown key in ``by`` or an unknown table.

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b", "c", "d"],
    ...                            "S": [10, 5, 5, 7], "O": [1, 5, 5, 6], "D": [1, 5, 5, 4]})
    >>> r = rank(ws)
    >>> r.failure_mode.tolist(), r.rank.tolist()
    (['d', 'a', 'b', 'c'], [1, 2, 3, 3])
    """
    func = "fmea.rank"
    ws = _check_worksheet(worksheet, func)
    if isinstance(by, str):
        by = (by,)
    if isinstance(by, np.ndarray) or not isinstance(by, (list, tuple)):
        v.fail("by", func, f"a sort key or a sequence of them ({', '.join(map(repr, _KEYS))})",
               by, wrong_type=True)
    by = tuple(by)
    if not by:
        v.fail("by", func, "a non-empty sequence of sort keys", by)
    for key in by:
        v.check_option(key, "by", func, _KEYS)
    tab = ap_table(table, func)
    v.check_bool(revised, "revised", func)
    s, o, d = ws.severity, ws.occurrence, ws.detection
    if revised:
        s = np.where(ws.revised_severity > 0, ws.revised_severity, s)
        o = np.where(ws.revised_occurrence > 0, ws.revised_occurrence, o)
        d = np.where(ws.revised_detection > 0, ws.revised_detection, d)
    code = tab._codes_of(s, o, d)
    values = {"ap": code, "severity": s, "occurrence": o, "detection": d, "rpn": s * o * d,
              "criticality": s * o}
    keys = [values[k] for k in by]
    n = len(ws)
    # np.lexsort sorts by the last key first; negate for descending, positions break ties
    order = np.lexsort([np.arange(n)] + [-k for k in reversed(keys)]) if n else \
        np.zeros(0, dtype=np.int64)
    if n:
        change = np.zeros(n, dtype=bool)
        change[0] = True
        for k in keys:
            ks = k[order]
            change[1:] |= ks[1:] != ks[:-1]
        group_start = np.maximum.accumulate(np.where(change, np.arange(n), 0))
        ranks = group_start + 1
        sizes = np.bincount(group_start, minlength=n)
        tied = sizes[group_start] > 1
    else:
        ranks = np.zeros(0, dtype=np.int64)
        tied = np.zeros(0, dtype=bool)
    letters = np.array(AP_LEVELS)
    return Ranking(index=order.astype(np.int64), rank=ranks.astype(np.int64), tied=tied,
                   failure_mode=ws.failure_mode[order], step=ws.step[order],
                   severity=s[order], occurrence=o[order], detection=d[order],
                   rpn=values["rpn"][order], criticality=values["criticality"][order],
                   ap=letters[code[order]], by=by, table=tab.name)


def filter_modes(worksheet: Worksheet, *, ap: str | Sequence[str] | None = None,
                 min_severity: int = 1, min_rpn: int = 1, min_occurrence: int = 1,
                 table: str | ActionPriorityTable = "aiag-vda-2019") -> Worksheet:
    """The modes that meet every condition, in worksheet order.

    Parameters
    ----------
    worksheet : Worksheet
    ap : str or sequence of str, optional
        Keep these Action Priorities, e.g. ``'H'`` or ``('H', 'M')``.
    min_severity, min_occurrence : int, default 1
        Keep modes rated at least this.
    min_rpn : int, default 1
        Keep modes with RPN at least this.
    table : str or ActionPriorityTable, default 'aiag-vda-2019'

    Returns
    -------
    Worksheet

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [10, 5], "O": [5, 5],
    ...                            "D": [5, 5]})
    >>> filter_modes(ws, ap="H").failure_mode.tolist()
    ['a']
    """
    func = "fmea.filter_modes"
    ws = _check_worksheet(worksheet, func)
    tab = ap_table(table, func)
    min_severity = v.check_int(min_severity, "min_severity", func, low=1, high=10)
    min_occurrence = v.check_int(min_occurrence, "min_occurrence", func, low=1, high=10)
    min_rpn = v.check_int(min_rpn, "min_rpn", func, low=1, high=1000)
    keep = (ws.severity >= min_severity) & (ws.occurrence >= min_occurrence) & \
        (ws.rpn >= min_rpn)
    if ap is not None:
        if not isinstance(ap, (str, list, tuple, set, frozenset, np.ndarray)):
            v.fail("ap", func, "'H', 'M', 'L' or a list of them", ap, wrong_type=True)
        wanted = (ap,) if isinstance(ap, str) else tuple(np.ravel(ap).tolist()) \
            if isinstance(ap, np.ndarray) else tuple(ap)
        for letter in wanted:
            v.check_option(letter, "ap", func, ("H", "M", "L"))
        codes = tab._codes_of(ws.severity, ws.occurrence, ws.detection)
        keep &= np.isin(codes, [AP_LEVELS.index(x) for x in wanted])
    return ws.subset(keep)
