"""Mergeable sufficient statistics of a set of journeys: :class:`JourneyStats`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from ..calendar import check_calendar, naive_instants
from ..calendar import clock_name as calendar_clock_name
from ..errors import VocabularyMismatchError
from .model import Journeys, elapsed

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["JourneyStats", "case_durations", "case_facts", "case_spans", "check_calendar",
           "transition_index", "transition_waits"]


def _ro(x: ArrayLike) -> np.ndarray:
    x = np.ascontiguousarray(x)
    x.setflags(write=False)
    return x


def case_facts(journeys: Journeys) -> dict:
    """Per-case arrays the analyses share: weights, success, first/last code, duration."""
    w = journeys.case_weights
    success = journeys.outcome if journeys.outcome is not None else np.zeros(len(journeys),
                                                                           dtype=bool)
    nonempty = journeys.lengths > 0
    first = np.where(nonempty, journeys.codes[np.minimum(journeys.offsets[:-1],
                                                         max(journeys.n_events - 1, 0))], -1)
    last = np.where(nonempty, journeys.codes[np.maximum(journeys.offsets[1:] - 1, 0)], -1)
    return {"weight": w, "success": success, "first": first, "last": last,
            "duration": case_durations(journeys), "nonempty": nonempty}


def case_spans(journeys: Journeys):
    """``(first, last)`` seconds of each non-empty case: its first start and its latest
    completion (for instants, its first and last event). None without times."""
    t = journeys.times
    if t is None:
        return None
    if len(t) == 0:
        return np.zeros(len(journeys)), np.zeros(len(journeys))
    lo = np.minimum(journeys.offsets[:-1], len(t) - 1)
    first = journeys.event_starts[lo]
    if journeys.starts is None:
        last = t[np.maximum(journeys.offsets[1:] - 1, 0)]
    else:  # instances are ordered by start: an earlier one may finish last
        last = np.maximum.reduceat(t, lo)
    return first, last


def case_durations(journeys: Journeys, calendar=None) -> np.ndarray | None:
    """Seconds from each case's first event to its last (0 for empty cases; None without
    times). With activity instances: from the first start to the latest completion. On
    ``calendar``, business seconds."""
    spans = case_spans(journeys)
    if spans is None:
        return None
    if calendar is not None:
        span = business_time(journeys, calendar, spans[0], spans[1])
    else:
        span = elapsed(spans[1], spans[0])
    return np.where(journeys.lengths > 0, span, 0.0)


def transition_index(journeys: Journeys) -> np.ndarray:
    """Event positions ``i`` such that events ``i`` and ``i + 1`` are in the same case."""
    if journeys.n_events < 2:
        return np.zeros(0, dtype=np.int64)
    inside = np.ones(journeys.n_events - 1, dtype=bool)
    bounds = journeys.offsets[1:-1]
    inside[bounds[(bounds > 0) & (bounds < journeys.n_events)] - 1] = False
    return np.flatnonzero(inside)


def transition_waits(journeys: Journeys, idx: np.ndarray, calendar=None) -> np.ndarray:
    """Waiting time of the transitions ``idx -> idx + 1`` in seconds.

    For instants, the time between the two events. For activity instances, the time from
    the completion of the first to the start of the second, and 0 when the second started
    before the first completed (they overlap): the rule of pm4py's performance DFG with a
    start timestamp, so overlapping work is never counted as negative waiting. With a
    :class:`~cxpath.calendar.BusinessCalendar`, the business seconds in between.
    """
    if journeys.times is None:
        return np.zeros(len(idx))
    later = journeys.event_starts[idx + 1]
    earlier = journeys.times[idx]
    if calendar is not None:
        return np.maximum(business_time(journeys, calendar, earlier, later), 0.0)
    if journeys.starts is None:
        return elapsed(later, earlier)
    return np.maximum(elapsed(later, earlier), 0.0)


def service_times(journeys: Journeys, calendar=None) -> np.ndarray | None:
    """Start-to-completion seconds of each activity instance (on ``calendar`` if given)."""
    if journeys.starts is None or calendar is None:
        return journeys.service_times
    return business_time(journeys, calendar, journeys.starts, journeys.times)


def business_time(journeys: Journeys, calendar, start: np.ndarray,
                  end: np.ndarray) -> np.ndarray:
    """Business seconds on ``calendar`` between times of ``journeys``.

    Journeys without a time zone hold naive wall-clock times: they are read as local time
    in the calendar's zone (the documented rule; :func:`clock_name` says so in results).
    """
    if journeys.tz is None:
        start, end = naive_instants(calendar, start, end)
    return calendar.business_duration(start, end)


def clock_name(journeys: Journeys, calendar) -> str:
    """The clock a result was measured on, for its summary line."""
    return calendar_clock_name(calendar, journeys.tz is None and journeys.times is not None)


def _edges(journeys: Journeys, with_case: bool = True, calendar=None):
    """Source code, target code, wait and case index (or None) of every transition."""
    idx = transition_index(journeys)
    case = np.searchsorted(journeys.offsets, idx, side="right") - 1 if with_case else None
    return (journeys.codes[idx], journeys.codes[idx + 1],
            transition_waits(journeys, idx, calendar), case)


def _gather_paths(codes, offsets, rows):
    """The CSR arrays of the paths ``rows`` of (codes, offsets), in that order."""
    lengths = np.diff(offsets)[rows]
    new_offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    gather = np.repeat(offsets[rows] - new_offsets[:-1], lengths) + np.arange(new_offsets[-1])
    return codes[gather], new_offsets


def _counts(journeys: Journeys, edges=None) -> dict:
    """The first-order counts and transition times of :class:`JourneyStats` (no variants)."""
    from .._kernels.paths import reach_counts
    from .._kernels.transitions import first_order_counts

    n = len(journeys.vocab)
    facts = case_facts(journeys)
    w, ok = facts["weight"], facts["success"]
    ws = w * ok
    trans, starts, ends = first_order_counts(journeys.codes, journeys.offsets, w, n)
    trans_s, _, ends_s = first_order_counts(journeys.codes, journeys.offsets, ws, n)
    event_w = np.repeat(w, journeys.lengths)
    visits = np.bincount(journeys.codes, weights=event_w, minlength=n).astype(np.int64)
    reached = reach_counts(journeys.codes, journeys.offsets, n)
    reach = (reached * w[:, None]).sum(axis=0).astype(np.int64)
    reach_s = (reached * ws[:, None]).sum(axis=0).astype(np.int64)
    src, dst, wait, _ = _edges(journeys, with_case=False) if edges is None else edges
    edge = src * n + dst
    wait_sum = np.bincount(edge, weights=wait, minlength=n * n).reshape(n, n)
    wait_count = np.bincount(edge, minlength=n * n).reshape(n, n).astype(np.int64)
    wait_min = np.full(n * n, np.inf)
    wait_max = np.full(n * n, -np.inf)
    np.minimum.at(wait_min, edge, wait)
    np.maximum.at(wait_max, edge, wait)
    service = journeys.service_times
    svc = np.zeros(n) if service is None else np.bincount(journeys.codes, weights=service,
                                                           minlength=n)
    svc_count = (np.zeros(n, dtype=np.int64) if service is None else
                 np.bincount(journeys.codes, minlength=n).astype(np.int64))
    svc_min, svc_max = np.full(n, np.inf), np.full(n, -np.inf)
    if service is not None:
        np.minimum.at(svc_min, journeys.codes, service)
        np.maximum.at(svc_max, journeys.codes, service)
    return dict(vocab=journeys.vocab, n_cases=int(w.sum()), n_success=int(ws.sum()),
                service_sum=svc, service_count=svc_count, service_min=svc_min,
                service_max=svc_max, has_service=service is not None,
                starts=starts, ends=ends, ends_success=ends_s, visits=visits, reach=reach,
                reach_success=reach_s, transitions=trans, transitions_success=trans_s,
                wait_sum=wait_sum, wait_count=wait_count, wait_min=wait_min.reshape(n, n),
                wait_max=wait_max.reshape(n, n), has_times=journeys.times is not None)


@attrs.frozen(repr=False, eq=False)
class JourneyStats:
    """Sufficient statistics of journeys that add up over disjoint sets of cases.

    Everything the graph, variants, breakpoints and bottleneck rankings need, except exact
    quantiles of times (kept only as sums, counts, minima and maxima here, so the mean is
    exact after merging; medians and p90 need the journeys). Build with
    :meth:`from_journeys`, combine with :meth:`merge` (associative and commutative, with
    :meth:`empty` as identity).

    Attributes
    ----------
    vocab : tuple of str
    order : int
        Width minus one of the counted windows (``order`` = 1: transitions).
    n_cases, n_success : int
        Cases and successful cases (weighted).
    starts, ends, ends_success, visits, reach, reach_success : ndarray (n_states,)
        Weighted counts per touchpoint: cases starting there, ending there (and successful),
        events there, cases reaching it (and successful).
    transitions, transitions_success : ndarray (n_states, n_states)
        First-order transition counts (all cases / successful cases).
    wait_sum, wait_count, wait_min, wait_max : ndarray (n_states, n_states)
        Transition times in seconds (unweighted, one per observed transition); waiting
        times (previous completion to next start) for activity instances.
    service_sum, service_count, service_min, service_max : ndarray (n_states,)
        Service times (start to completion) of the events at each touchpoint in seconds
        (unweighted; zeros and infinities without activity instances).
    window_keys, window_counts, window_success : ndarray
        Windows of ``order + 1`` consecutive touchpoints (keys in base ``n_states``).
    variant_codes, variant_offsets, variant_counts, variant_success, variant_duration_sum
        Distinct paths in CSR layout with their weighted counts and summed durations.
    variant_value : ndarray
        Summed value of each distinct path's successful cases (zeros without values), so
        value attribution runs on statistics too.
    has_times, has_value, has_service : bool
        Whether the journeys had event times / case values / activity instances.
    """

    vocab: tuple
    order: int
    n_cases: int
    n_success: int
    starts: np.ndarray = attrs.field(converter=_ro)
    ends: np.ndarray = attrs.field(converter=_ro)
    ends_success: np.ndarray = attrs.field(converter=_ro)
    visits: np.ndarray = attrs.field(converter=_ro)
    reach: np.ndarray = attrs.field(converter=_ro)
    reach_success: np.ndarray = attrs.field(converter=_ro)
    transitions: np.ndarray = attrs.field(converter=_ro)
    transitions_success: np.ndarray = attrs.field(converter=_ro)
    wait_sum: np.ndarray = attrs.field(converter=_ro)
    wait_count: np.ndarray = attrs.field(converter=_ro)
    wait_min: np.ndarray = attrs.field(converter=_ro)
    wait_max: np.ndarray = attrs.field(converter=_ro)
    service_sum: np.ndarray = attrs.field(converter=_ro)
    service_count: np.ndarray = attrs.field(converter=_ro)
    service_min: np.ndarray = attrs.field(converter=_ro)
    service_max: np.ndarray = attrs.field(converter=_ro)
    window_keys: np.ndarray = attrs.field(converter=_ro)
    window_counts: np.ndarray = attrs.field(converter=_ro)
    window_success: np.ndarray = attrs.field(converter=_ro)
    variant_codes: np.ndarray = attrs.field(converter=_ro)
    variant_offsets: np.ndarray = attrs.field(converter=_ro)
    variant_counts: np.ndarray = attrs.field(converter=_ro)
    variant_success: np.ndarray = attrs.field(converter=_ro)
    variant_duration_sum: np.ndarray = attrs.field(converter=_ro)
    variant_value: np.ndarray = attrs.field(converter=_ro)
    has_times: bool = False
    has_value: bool = False
    has_service: bool = False

    @property
    def n_states(self) -> int:
        """Number of touchpoints."""
        return len(self.vocab)

    @classmethod
    def empty(cls, vocab: Sequence[str], order: int = 1, has_times: bool = False,
              has_value: bool = False, has_service: bool = False) -> JourneyStats:
        """The identity of :meth:`merge` for this vocabulary and order."""
        order = v.check_int(order, "order", "JourneyStats.empty", low=1, high=4)
        n = len(vocab)
        zi, zf = np.zeros(n, dtype=np.int64), np.zeros((n, n))
        return cls(vocab=tuple(str(x) for x in vocab), order=order, n_cases=0, n_success=0,
                   starts=zi, ends=zi, ends_success=zi, visits=zi, reach=zi, reach_success=zi,
                   transitions=np.zeros((n, n), dtype=np.int64),
                   transitions_success=np.zeros((n, n), dtype=np.int64), wait_sum=zf,
                   wait_count=np.zeros((n, n), dtype=np.int64), wait_min=np.full((n, n), np.inf),
                   wait_max=np.full((n, n), -np.inf), service_sum=np.zeros(n),
                   service_count=zi, service_min=np.full(n, np.inf),
                   service_max=np.full(n, -np.inf), window_keys=np.zeros(0, dtype=np.int64),
                   window_counts=np.zeros(0, dtype=np.int64),
                   window_success=np.zeros(0, dtype=np.int64),
                   variant_codes=np.zeros(0, dtype=np.int64),
                   variant_offsets=np.zeros(1, dtype=np.int64),
                   variant_counts=np.zeros(0, dtype=np.int64),
                   variant_success=np.zeros(0, dtype=np.int64),
                   variant_duration_sum=np.zeros(0), variant_value=np.zeros(0),
                   has_times=has_times, has_value=has_value, has_service=has_service)

    @classmethod
    def from_journeys(cls, journeys: Journeys, order: int = 1) -> JourneyStats:
        """Summarise ``journeys``; ``order`` (1–4) sets the width of the counted windows.

        Examples
        --------
        >>> from cxpath import Journeys
        >>> from cxpath.journeys import JourneyStats
        >>> j = Journeys.from_paths(["a > b", "a"], conversions=[1, 0], nulls=[1, 2])
        >>> s = JourneyStats.from_journeys(j)
        >>> s.n_cases, s.n_success, s.transitions.tolist()
        (4, 1, [[0, 2], [0, 0]])
        """
        from .._kernels.paths import window_keys

        func = "JourneyStats.from_journeys"
        if not isinstance(journeys, Journeys):
            v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
        order = v.check_int(order, "order", func, low=1, high=4)
        counts = _counts(journeys)
        n = len(journeys.vocab)
        facts = case_facts(journeys)
        w, ok = facts["weight"], facts["success"]
        ws = w * ok
        keys, owner = window_keys(journeys.codes, journeys.offsets, order + 1, n)
        ukeys, inv = np.unique(keys, return_inverse=True)
        wcount = np.bincount(inv, weights=w[owner], minlength=len(ukeys)).astype(np.int64)
        wsucc = np.bincount(inv, weights=ws[owner], minlength=len(ukeys)).astype(np.int64)
        from .variants import canonical_groups

        rep, group, n_groups = canonical_groups(journeys.codes, journeys.offsets)
        vcount = np.bincount(group, weights=w, minlength=n_groups).astype(np.int64)
        vsucc = np.bincount(group, weights=ws, minlength=n_groups).astype(np.int64)
        dur = facts["duration"] if facts["duration"] is not None else np.zeros(len(w))
        vdur = np.bincount(group, weights=dur * w, minlength=n_groups)
        value = journeys.value if journeys.value is not None else np.zeros(len(w))
        vval = np.bincount(group, weights=value * ok, minlength=n_groups)
        vcodes, voff = _gather_paths(journeys.codes, journeys.offsets, rep)
        return cls(order=order, **counts, window_keys=ukeys, window_counts=wcount,
                   window_success=wsucc,
                   variant_codes=vcodes, variant_offsets=voff, variant_counts=vcount,
                   variant_success=vsucc, variant_duration_sum=vdur, variant_value=vval,
                   has_value=journeys.value is not None)

    def merge(self, other: JourneyStats) -> JourneyStats:
        """Statistics of the union of two disjoint sets of cases.

        Raises
        ------
        VocabularyMismatchError
            When the vocabularies or orders differ.
        """
        if not isinstance(other, JourneyStats):
            v.fail("other", "JourneyStats.merge", "a JourneyStats", got=type(other).__name__)
        if self.vocab != other.vocab or self.order != other.order:
            raise VocabularyMismatchError(
                "The 'other' parameter of JourneyStats.merge must have the same vocabulary "
                f"and order. Got vocabularies of {len(self.vocab)} and {len(other.vocab)} "
                f"touchpoints (equal: {self.vocab == other.vocab}) and orders {self.order} "
                f"and {other.order} instead. Build both with the same fixed vocab "
                "(Journeys.from_events(..., vocab=...)).")
        keys = np.concatenate([self.window_keys, other.window_keys])
        ukeys, inv = np.unique(keys, return_inverse=True)

        def windows(a, b):
            return np.bincount(inv, weights=np.concatenate([a, b]),
                               minlength=len(ukeys)).astype(np.int64)

        codes = np.concatenate([self.variant_codes, other.variant_codes])
        lengths = np.concatenate([np.diff(self.variant_offsets), np.diff(other.variant_offsets)])
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        from .variants import canonical_groups

        rep, group, n_groups = canonical_groups(codes, offsets)

        def variant_sum(a, b, dtype):
            return np.bincount(group, weights=np.concatenate([a, b]),
                               minlength=n_groups).astype(dtype)

        vcodes, voff = _gather_paths(codes, offsets, rep)
        return JourneyStats(
            vocab=self.vocab, order=self.order, n_cases=self.n_cases + other.n_cases,
            n_success=self.n_success + other.n_success,
            **{name: getattr(self, name) + getattr(other, name) for name in (
                "starts", "ends", "ends_success", "visits", "reach", "reach_success",
                "transitions", "transitions_success", "wait_sum", "wait_count",
                "service_sum", "service_count")},
            wait_min=np.minimum(self.wait_min, other.wait_min),
            wait_max=np.maximum(self.wait_max, other.wait_max),
            service_min=np.minimum(self.service_min, other.service_min),
            service_max=np.maximum(self.service_max, other.service_max),
            window_keys=ukeys, window_counts=windows(self.window_counts, other.window_counts),
            window_success=windows(self.window_success, other.window_success),
            variant_codes=vcodes, variant_offsets=voff,
            variant_counts=variant_sum(self.variant_counts, other.variant_counts, np.int64),
            variant_success=variant_sum(self.variant_success, other.variant_success,
                                        np.int64),
            variant_duration_sum=variant_sum(self.variant_duration_sum,
                                             other.variant_duration_sum, np.float64),
            variant_value=variant_sum(self.variant_value, other.variant_value, np.float64),
            has_times=self._flag(other, "has_times"), has_value=self._flag(other, "has_value"),
            has_service=self._flag(other, "has_service"))

    def _flag(self, other: JourneyStats, name: str) -> bool:
        """A merged has_* flag: both sides have it, an empty side (the identity) aside."""
        if self.n_cases == 0 or other.n_cases == 0:
            return getattr(other if self.n_cases == 0 else self, name)
        return getattr(self, name) and getattr(other, name)

    def equals(self, other: JourneyStats, rtol: float = 1e-9) -> bool:
        """Equal counts (exactly) and times (to ``rtol``).

        Variants are kept in a content-based order, so equal statistics list them alike.
        """
        a, b = self, other
        if (a.vocab, a.order, a.n_cases, a.n_success) != (b.vocab, b.order, b.n_cases,
                                                          b.n_success):
            return False
        for f in attrs.fields(JourneyStats):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if isinstance(x, np.ndarray):
                if x.shape != y.shape:
                    return False
                if x.dtype.kind == "f":
                    if not np.allclose(x, y, rtol=rtol, atol=1e-9 * max(1.0, np.abs(
                            x[np.isfinite(x)]).max(initial=0.0))):
                        return False
                elif not np.array_equal(x, y):
                    return False
        return True

    def __repr__(self) -> str:
        return (f"JourneyStats(order={self.order}, {self.n_cases:,} cases, "
                f"{self.n_success:,} successful, {self.n_states} touchpoints, "
                f"{len(self.variant_counts):,} variants, {len(self.window_keys):,} windows)")
