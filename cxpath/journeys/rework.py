"""Rework (loops and self-repeats within a case) and repeat contact (a customer's next case)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, alias, format_duration, result
from .model import Journeys

if TYPE_CHECKING:
    from .._typing import ArrayLike, DurationLike, TableLike
    from .segments import Segmented

__all__ = ["RepeatContacts", "Rework", "repeat_contacts", "rework"]


@result
class Rework(Result):
    """Per touchpoint: how often cases come back to it.

    Attributes
    ----------
    touchpoints : ndarray of str
    cases : ndarray of int
        Cases (weighted) reaching the touchpoint.
    rework_cases : ndarray of int
        Of those, cases visiting it more than once.
    rework_rate : ndarray of float
    extra_visits : ndarray of int
        Visits beyond the first, summed over cases.
    self_repeats : ndarray of int
        Immediate repeats (the touchpoint followed by itself).
    rework_share_of_cases : float
        Share of all cases with at least one revisit.
    touchpoint : ndarray of str
        ``touchpoints`` under its column name.
    """

    touchpoints: np.ndarray
    cases: np.ndarray
    rework_cases: np.ndarray
    rework_rate: np.ndarray
    extra_visits: np.ndarray
    self_repeats: np.ndarray
    rework_share_of_cases: float

    _key = "touchpoint"
    touchpoint = alias("touchpoints")

    def _summary(self):
        return [f"{self.rework_share_of_cases:.1%} of cases revisit a touchpoint"]

    def _columns(self):
        return {"touchpoint": self.touchpoints, "cases": self.cases,
                "rework_cases": self.rework_cases, "rework_rate": self.rework_rate,
                "extra_visits": self.extra_visits, "self_repeats": self.self_repeats}


def rework(journeys: Journeys, *, by: str | None = None) -> Rework | Segmented:
    """Loops and self-repeats per touchpoint, ranked by rework cases.

    With activity instances (lifecycle pairs), a start and its complete are one visit, so
    rework counts repeated work, not lifecycle rows.

    Parameters
    ----------
    journeys : Journeys
    by : str, optional
        Drill down by a case attribute (the cases of each segment) or an event attribute
        such as ``'resource'`` or a team (each segment's own events: does team B come back
        to its own work?). Returns a :class:`~cxpath.journeys.segments.Segmented`.

    Returns
    -------
    Rework, or Segmented of Rework with ``by``

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import rework
    >>> r = rework(Journeys.from_paths(["ivr > agent > ivr > ivr", "ivr"]))
    >>> r.touchpoints[0], int(r.rework_cases[0]), int(r.self_repeats[0])
    ('ivr', 1, 1)
    """
    if not isinstance(journeys, Journeys):
        v.fail("journeys", "journeys.rework", "a Journeys object", got=type(journeys).__name__)
    if by is not None:
        from .segments import by_case_segment, events_segmented, segment_of

        codes, labels, level = segment_of(journeys, by, "journeys.rework", ("case", "event"))
        if level == "case":
            return by_case_segment(journeys, by, "journeys.rework", rework)
        return events_segmented(by, codes, labels,
                                lambda mask: rework(journeys.keep_events(mask)))
    n = len(journeys.vocab)
    w = journeys.case_weights
    case = np.repeat(np.arange(len(journeys)), journeys.lengths)
    pair, visits = np.unique(case * n + journeys.codes, return_counts=True)
    pc, pt = pair // n, pair % n
    cases = np.bincount(pt, weights=w[pc], minlength=n)
    again = np.bincount(pt, weights=w[pc] * (visits > 1), minlength=n)
    extra = np.bincount(pt, weights=w[pc] * (visits - 1), minlength=n)
    same = (journeys.codes[1:] == journeys.codes[:-1]) & (case[1:] == case[:-1])
    selfrep = np.bincount(journeys.codes[1:][same], weights=w[case[1:][same]], minlength=n)
    any_rework = np.bincount(pc, weights=visits > 1, minlength=len(journeys)) > 0
    seen = np.flatnonzero(cases > 0)
    seen = seen[np.lexsort((seen, -again[seen]))]
    return Rework(touchpoints=np.asarray(journeys.vocab, dtype=object)[seen],
                  cases=cases[seen].astype(np.int64), rework_cases=again[seen].astype(np.int64),
                  rework_rate=again[seen] / cases[seen], extra_visits=extra[seen].astype(
                      np.int64), self_repeats=selfrep[seen].astype(np.int64),
                  rework_share_of_cases=float((w * any_rework).sum() / max(w.sum(), 1)))


@result
class RepeatContacts(Result):
    """Cases followed by another case of the same customer within a window.

    Attributes
    ----------
    window : float
        Seconds after a case's last event.
    n_cases, repeated : int
        Cases with a known customer, and those followed by a repeat contact.
    rate : float
    by_last_touchpoint : ndarray of str
    cases_by_last, repeated_by_last, rate_by_last : ndarray
        The same, split by the touchpoint that ended the first case.
    median_gap : float
        Median seconds from a case's end to the customer's next case start (repeats only).
    last_touchpoint : ndarray of str
        ``by_last_touchpoint`` under its column name.
    """

    window: float
    n_cases: int
    repeated: int
    rate: float
    median_gap: float
    by_last_touchpoint: np.ndarray
    cases_by_last: np.ndarray
    repeated_by_last: np.ndarray
    rate_by_last: np.ndarray

    _key = "last_touchpoint"
    last_touchpoint = alias("by_last_touchpoint")

    def _summary(self):
        return [f"{self.repeated:,} of {self.n_cases:,} cases ({self.rate:.1%}) followed by "
                f"a repeat contact within {format_duration(self.window)}; median gap "
                f"{format_duration(self.median_gap)}"]

    def _columns(self):
        return {"last_touchpoint": self.by_last_touchpoint,
                "cases_by_last": self.cases_by_last, "repeated_by_last": self.repeated_by_last,
                "rate_by_last": self.rate_by_last}


def repeat_contacts(journeys: Journeys, customer: ArrayLike | Mapping[Any, Any] | str, *,
                    window: DurationLike = 7 * 86400.0, data: TableLike | None = None,
                    by: str | None = None) -> RepeatContacts | Segmented:
    """Repeat-contact rate: a customer contacts again within ``window`` after a case ended.

    A case *repeats* when the same customer's next case (by start time) starts no later
    than ``window`` seconds after this case's last event — a case started while this one
    was still open counts too.

    Parameters
    ----------
    journeys : Journeys
        With timestamps.
    customer : array-like, dict or str
        Customer of each case: an array aligned with the cases, a mapping from case id to
        customer, the name of a case attribute of the journeys, or a column name of
        ``data`` (a long table with ``case_id`` … whose rows carry the customer; the first
        value per case is used).
    window : float, timedelta or str, default 7 days
        Seconds, a timedelta (datetime, numpy or pandas) or a string such as ``"14d"``.
    data : table, optional
        With ``customer`` as a column name: the event table holding ``case_id`` and it.
    by : str, optional
        Drill down by a case attribute. Repeats are found over all cases (a customer's
        next case may be in another segment) and counted in the segment of the first case.

    Returns
    -------
    RepeatContacts, or Segmented of RepeatContacts with ``by``
    """
    func = "journeys.repeat_contacts"
    if not isinstance(journeys, Journeys) or journeys.times is None:
        v.fail("journeys", func, "a Journeys object with timestamps",
               got=type(journeys).__name__)
    window = v.check_duration(window, "window", func, low=0.0)
    if isinstance(customer, dict):
        missing = [c for c in journeys.case_ids.tolist() if c not in customer]
        if missing:
            v.fail("customer", func, "a customer for every case id",
                   got=f"none for {missing[:5]}")
        cust = np.array([customer[c] for c in journeys.case_ids.tolist()], dtype=object)
    elif isinstance(customer, str) and data is None and customer in journeys.case_attributes:
        cust = journeys.case_attributes[customer].decoded()
    elif isinstance(customer, str):
        case_col = column(data, "case_id", "data", func)
        cust_col = column(data, customer, "customer", func)
        first = {}
        for c, k in zip(case_col.tolist(), cust_col.tolist()):
            first.setdefault(c, k)
        return repeat_contacts(journeys, first, window=window, by=by)
    else:
        if customer is None or v.ndim(customer) != 1:
            v.fail("customer", func, "one customer per case (an array), a dict from case id to "
                   "customer, or a column name", customer,
                   wrong_type=customer is None or v.ndim(customer) == 0)
        cust = column(None, customer, "customer", func)
        if len(cust) != len(journeys):
            v.fail("customer", func, f"one customer per case ({len(journeys)})",
                   got=f"length {len(cust)}", data=True)
    from ._encode import factorize

    codes, _ = factorize(np.asarray(cust), "customer", func)
    known = codes >= 0
    from .stats import case_spans

    start, end = case_spans(journeys)
    order = np.lexsort((start, codes))
    order = order[known[order]]
    same = codes[order][1:] == codes[order][:-1]
    gap = start[order][1:] - end[order][:-1]
    repeat = np.zeros(len(journeys), dtype=bool)
    repeat[order[:-1][same & (gap <= window)]] = True
    gap_of = np.full(len(journeys), np.nan)
    gap_of[order[:-1][same & (gap <= window)]] = gap[same & (gap <= window)]
    if by is not None:
        from .segments import segment_of

        seg, labels, _ = segment_of(journeys, by, func)
        present = np.flatnonzero(np.bincount(seg, minlength=len(labels)))
        from .segments import Segmented

        return Segmented(by=by, level="case", segments=tuple(labels[k] for k in present),
                         results=tuple(_repeat_summary(journeys, window, known & (seg == k),
                                                       repeat & (seg == k), gap_of)
                                       for k in present))
    return _repeat_summary(journeys, window, known, repeat, gap_of)


def _repeat_summary(journeys, window, known, repeat, gap_of) -> RepeatContacts:
    gaps = gap_of[repeat]
    w = journeys.case_weights
    last = journeys.codes[journeys.offsets[1:] - 1]
    n = len(journeys.vocab)
    by_cases = np.bincount(last[known], weights=w[known], minlength=n)
    by_rep = np.bincount(last[repeat], weights=w[repeat], minlength=n)
    seen = np.flatnonzero(by_cases > 0)
    seen = seen[np.lexsort((seen, -by_rep[seen]))]
    n_known = int(w[known].sum())
    return RepeatContacts(window=window, n_cases=n_known, repeated=int(w[repeat].sum()),
                          rate=float(w[repeat].sum() / max(n_known, 1)),
                          median_gap=float(np.median(gaps)) if len(gaps) else float("nan"),
                          by_last_touchpoint=np.asarray(journeys.vocab, dtype=object)[seen],
                          cases_by_last=by_cases[seen].astype(np.int64),
                          repeated_by_last=by_rep[seen].astype(np.int64),
                          rate_by_last=by_rep[seen] / by_cases[seen])
