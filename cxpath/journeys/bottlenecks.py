"""Bottlenecks: where journeys lose time (volume × wait)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, alias, drawn_by, duration_columns, format_duration, in_hours, result
from .._stats import quantiles_by_group
from .model import Journeys
from .stats import compact_keys, transition_names

if TYPE_CHECKING:

    from .._typing import DurationLike
    from ..calendar import BusinessCalendar
    from .segments import Segmented
    from .stats import JourneyStats

__all__ = ["Bottlenecks", "bottlenecks"]


@drawn_by("bottlenecks")
@result
class Bottlenecks(Result):
    """Transitions or touchpoints ranked by the waiting (or service) time they contribute.

    Attributes
    ----------
    steps : ndarray of str
        ``'a -> b'`` (level ``'transition'``) or a touchpoint (level ``'touchpoint'``).
    count : ndarray of int
        Weighted transitions (or events) observed.
    total_wait, mean_wait, median_wait, p90_wait : ndarray of float
        Waiting time in seconds: between the two events of a transition (for activity
        instances, from the first's completion to the second's start, 0 where they
        overlap); for a touchpoint, the wait from it to the next event of the case.
        ``total_wait`` is the weighted sum.
    share_of_wait : ndarray of float
        Share of all waiting time.
    total_service, mean_service, median_service, p90_service, share_of_service : ndarray
        Service time (start to completion) of the touchpoint's events in seconds, for
        activity instances at level ``'touchpoint'``; None otherwise.
    sla_breach : ndarray of float or None
        Weighted share of waits longer than ``sla`` seconds.
    sla : float or None
    rank_by : {'wait', 'service'}
        The ranking key: ``total_wait`` or ``total_service``.
    clock : str
        ``'elapsed time'``, or the business calendar the times were measured on.
    step, share : ndarray
        ``steps`` and ``share_of_wait`` under their column names.
    total_wait_h, mean_wait_h, median_wait_h, p90_wait_h : ndarray of float
        The waits in hours (the table's columns; ``to_frame()`` gives timedeltas).
    total_service_h, mean_service_h, median_service_h, p90_service_h : ndarray or None
        The service times in hours.
    """

    steps: np.ndarray
    count: np.ndarray
    total_wait: np.ndarray
    share_of_wait: np.ndarray
    mean_wait: np.ndarray
    median_wait: np.ndarray
    p90_wait: np.ndarray
    sla_breach: np.ndarray | None
    sla: float | None
    total_service: np.ndarray | None = None
    share_of_service: np.ndarray | None = None
    mean_service: np.ndarray | None = None
    median_service: np.ndarray | None = None
    p90_service: np.ndarray | None = None
    rank_by: str = "wait"
    clock: str = "elapsed time"

    _duration_columns = duration_columns(
        total_wait_h=3600.0, mean_wait_h=3600.0, median_wait_h=3600.0, p90_wait_h=3600.0,
        total_service_h=3600.0, mean_service_h=3600.0, median_service_h=3600.0,
        p90_service_h=3600.0)
    _key = "step"
    step = alias("steps")
    share = alias("share_of_wait")
    total_wait_h = in_hours("total_wait")
    mean_wait_h = in_hours("mean_wait")
    median_wait_h = in_hours("median_wait")
    p90_wait_h = in_hours("p90_wait")
    total_service_h = in_hours("total_service")
    mean_service_h = in_hours("mean_service")
    median_service_h = in_hours("median_service")
    p90_service_h = in_hours("p90_service")

    def _summary(self):
        hours = self.total_wait.sum() / 3600
        extra = f"; SLA {format_duration(self.sla)}" if self.sla is not None else ""
        line = f"{hours:,.0f} hours of waiting in all"
        if self.total_service is not None:
            line += f", {self.total_service.sum() / 3600:,.0f} hours of service"
        return [f"{line}; ranked by total {self.rank_by}{extra}; clock: {self.clock}"]

    def _columns(self):
        cols = {"step": self.steps, "count": self.count, "total_wait_h": self.total_wait_h,
                "share": self.share_of_wait, "mean_wait_h": self.mean_wait_h,
                "median_wait_h": self.median_wait_h, "p90_wait_h": self.p90_wait_h}
        if self.total_service is not None:
            cols.update(total_service_h=self.total_service_h,
                        share_of_service=self.share_of_service,
                        mean_service_h=self.mean_service_h,
                        median_service_h=self.median_service_h,
                        p90_service_h=self.p90_service_h)
        if self.sla_breach is not None:
            cols["sla_breach"] = self.sla_breach
        return cols


def bottlenecks(journeys: Journeys | JourneyStats, *, sla: DurationLike | None = None,
                level: str = "transition", min_count: int = 1, rank_by: str = "wait",
                by: str | None = None,
                calendar: BusinessCalendar | None = None) -> Bottlenecks | Segmented:
    """Rank transitions (or touchpoints) by the waiting or service time they contribute.

    The wait of a transition ``a -> b`` is the time between the two events; for activity
    instances (lifecycle start/complete pairs, or a start timestamp), the time from ``a``'s
    completion to ``b``'s start, so processing time is never mistaken for waiting. The wait
    of a touchpoint is the time from it to the next event of the case (its dwell); with
    activity instances a touchpoint also has its service time (start to completion), and
    ``rank_by='service'`` ranks by that instead. A case of weight *w* counts *w* times;
    quantiles are over observed transitions.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        With timestamps. From :class:`JourneyStats` (e.g. computed on Dask) only the
        totals and means are available: quantiles are NaN and ``sla`` is refused; waits
        are then counted once per observed transition (not weighted).
    sla : float, timedelta or str, optional
        Threshold: seconds, a ``datetime.timedelta`` / ``numpy.timedelta64`` /
        ``pandas.Timedelta``, or a string such as ``"48h"``; reports the share of waits
        above it.
    level : {'transition', 'touchpoint'}
    min_count : int, default 1
        Leave out steps observed fewer times.
    rank_by : {'wait', 'service'}, default 'wait'
        ``'service'`` needs activity instances and ``level='touchpoint'``.
    by : str, optional
        Drill down by a case attribute (the cases of each segment) or an event attribute
        such as ``'resource'`` or a team: a transition belongs to the segment of the event
        it leads to (who picks the work up), a touchpoint to its own event's. Returns a
        :class:`~cxpath.journeys.segments.Segmented` whose counts and totals add up to the
        unsegmented ranking.
    calendar : cxpath.calendar.BusinessCalendar, optional
        Measure waits and service times in business seconds on this calendar (opening
        hours, holidays, time zone) instead of elapsed time; ``sla`` is then business time
        too. The result's ``clock`` says which clock was used.

    Returns
    -------
    Bottlenecks, or Segmented of Bottlenecks with ``by``

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.journeys import bottlenecks
    >>> bottlenecks(load_sample().journeys).steps[0]
    'escalation -> field_visit'
    """
    from .stats import (
        JourneyStats,
        _edges,
        check_calendar,
        clock_name,
        service_times,
        transition_index,
    )

    func = "journeys.bottlenecks"
    v.check_option(rank_by, "rank_by", func, ("wait", "service"))
    calendar = check_calendar(calendar, func)
    if isinstance(journeys, JourneyStats):
        if by is not None:
            v.fail("by", func, "None for JourneyStats (drill-down needs the journeys)", by)
        if calendar is not None:
            v.fail("calendar", func, "None for JourneyStats (business time needs the "
                   "journeys)", calendar)
        return _from_stats(journeys, sla, level, min_count, rank_by, func)
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys or JourneyStats", got=type(journeys).__name__)
    if journeys.times is None:
        v.fail("journeys", func, "journeys with timestamps", got="journeys without times")
    v.check_option(level, "level", func, ("transition", "touchpoint"))
    if rank_by == "service":
        _check_service(journeys.starts is not None, level, func)
    if sla is not None:
        sla = v.check_duration(sla, "sla", func, low=0.0, closed="neither")
    min_count = v.check_int(min_count, "min_count", func, low=1)
    clock = clock_name(journeys, calendar)
    sums = _sums_one_pass(journeys, level, sla) if by is None and _one_pass_fits(
        journeys, calendar) else None
    if sums is not None:
        return attrs.evolve(_table(journeys.vocab, level, sla, min_count, rank_by, sums),
                            clock=clock)
    src, dst, wait, case = _edges(journeys, calendar=calendar)
    event_w = np.repeat(journeys.case_weights, journeys.lengths).astype(np.float64)
    trans = {"src": src, "dst": dst, "wait": wait, "w": journeys.case_weights[case]
             .astype(np.float64), "event": transition_index(journeys)}
    events = {"code": journeys.codes, "service": service_times(journeys, calendar),
              "w": event_w}

    def rank(trans_mask=None, event_mask=None):
        sums = _sums(len(journeys.vocab), level, sla, trans, events, trans_mask, event_mask)
        return attrs.evolve(_table(journeys.vocab, level, sla, min_count, rank_by, sums),
                            clock=clock)

    if by is None:
        return rank()
    from .segments import by_case_segment, events_segmented, segment_of

    codes, labels, seg_level = segment_of(journeys, by, func, levels=("case", "event"))
    if seg_level == "case":
        return by_case_segment(journeys, by, func, lambda sub: bottlenecks(
            sub, sla=sla, level=level, min_count=min_count, rank_by=rank_by,
            calendar=calendar))
    if level == "transition":  # a transition is in the segment of the event it leads to
        return events_segmented(by, codes[trans["event"] + 1], labels,
                                lambda mask: rank(trans_mask=mask))
    # a touchpoint's dwell starts at its event (the transition's source)
    return events_segmented(by, codes, labels, lambda mask: rank(
        trans_mask=mask[trans["event"]], event_mask=mask))


def _check_service(has_service, level, func):
    if not has_service:
        v.fail("rank_by", func, "'wait' for journeys without activity instances (service "
               "times need lifecycle start/complete pairs or a start timestamp)", "service")
    if level != "touchpoint":
        v.fail("rank_by", func, "'wait' at level 'transition' (service time belongs to a "
               "touchpoint: use level='touchpoint')", "service")


def _one_pass_fits(journeys: Journeys, calendar) -> bool:
    """Whether :func:`_sums_one_pass` applies: elapsed time, a dense pair table, and enough
    events to be worth compiling its kernels (small logs take numpy passes, cxpath#19)."""
    from . import stats

    n = len(journeys.vocab)
    return (calendar is None and n * n <= stats.DENSE_TRANSITIONS
            and journeys.n_events >= stats.SMALL_EVENTS)


def _sums(n, level, sla, trans, events, trans_mask, event_mask) -> dict:
    """The per-step sums and quantiles :func:`_table` ranks, from the transition and event
    lists (restricted to the masks): one ``numpy.bincount`` each."""
    src, dst, wait, w = trans["src"], trans["dst"], trans["wait"], trans["w"]
    if trans_mask is not None:
        src, dst, wait, w = src[trans_mask], dst[trans_mask], wait[trans_mask], w[trans_mask]
    names = None
    if level == "transition":  # only the observed transitions: memory O(transitions)
        names, key = compact_keys(src * n + dst, n * n)
        size = len(names)
    else:
        key, size = src, n
    out = {"names": names, "total": np.bincount(key, weights=w * wait, minlength=size),
           "q": quantiles_by_group(key, wait, size, [0.5, 0.9]), "breach": None,
           "waits_seen": np.bincount(key, weights=w, minlength=size), "service": None}
    if sla is not None:
        out["breach"] = np.bincount(key, weights=w * (wait > sla), minlength=size)
    if level == "transition":
        out["count"] = out["waits_seen"]
    else:
        code, ev_w, svc = events["code"], events["w"], events["service"]
        if event_mask is not None:
            code, ev_w = code[event_mask], ev_w[event_mask]
            svc = None if svc is None else svc[event_mask]
        out["count"] = np.bincount(code, weights=ev_w, minlength=size)
        out["service"] = _service(code, ev_w, svc, size)
    return out


def _service(code, ev_w, svc, size):
    """Weighted service totals and quantiles per touchpoint (None without service times)."""
    if svc is None:
        return None
    return (np.bincount(code, weights=ev_w * svc, minlength=size),
            quantiles_by_group(code, svc, size, [0.5, 0.9]))


def _sums_one_pass(journeys: Journeys, level, sla) -> dict:
    """:func:`_sums` over all of ``journeys`` without the transition list: one kernel pass
    for the weighted sums (on one thread it also counts the waits by bucket), and the
    quantiles by :func:`~cxpath.journeys.stats.grouped_wait_quantiles` (on several
    threads beside the weighted pass). Memory: O(transition pairs); the same numbers as
    :func:`_sums`. None without any transition (the
    bincounts of an empty list are integers: that path keeps their types)."""
    from .._kernels.bottleneck_sums import weighted_waits
    from .stats import (
        _NO_TABLE,
        _kernel_clock,
        alongside,
        grouped_wait_quantiles,
        wait_bucket_table,
    )

    n = len(journeys.vocab)
    w = journeys.case_weights
    hist = wait_bucket_table(journeys)

    def sums():  # the weighted pass (and, on one thread, the waits' bucket counts)
        return weighted_waits(journeys.codes, journeys.offsets, w.astype(np.float64),
                              *_kernel_clock(journeys), np.inf if sla is None else float(sla),
                              n, _NO_TABLE if hist is None else hist)

    if hist is not None:
        per_key, per_state = sums()
        keys, per_edge, per_source = grouped_wait_quantiles(journeys, [0.5, 0.9], hist)
    else:  # the weighted pass on a thread of its own beside the bucket passes
        (per_key, per_state), (keys, per_edge, per_source) = alongside(
            journeys.n_events, sums, lambda: grouped_wait_quantiles(journeys, [0.5, 0.9]))
    if len(keys) == 0:
        return None
    if level == "transition":
        sums, q, names = per_key[:, keys], per_edge, keys
    else:
        sums, q, names = per_state, per_source, None
    out = {"names": names, "total": sums[1], "q": q, "waits_seen": sums[0],
           "breach": None if sla is None else sums[2], "service": None}
    if level == "transition":
        out["count"] = sums[0]
    else:
        out["count"] = sums[3]
        if journeys.starts is not None:
            ev_w = np.repeat(w, journeys.lengths).astype(np.float64)
            out["service"] = _service(journeys.codes, ev_w, journeys.service_times, n)
    return out


def _table(vocab, level, sla, min_count, rank_by, sums) -> Bottlenecks:
    """Rank the steps of ``sums`` (see :func:`_sums`) into a :class:`Bottlenecks`."""
    names, total, q, breach = sums["names"], sums["total"], sums["q"], sums["breach"]
    count, waits_seen, service = sums["count"], sums["waits_seen"], sums["service"]
    seen = np.flatnonzero(count >= min_count)
    order_key = total if rank_by == "wait" else service[0]
    seen = seen[np.argsort(-order_key[seen], kind="stable")]
    labels = np.asarray(vocab, dtype=object)
    steps = (transition_names(labels, names[seen]) if level == "transition"
             else labels[seen])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(waits_seen[seen] > 0, total[seen] / waits_seen[seen], np.nan)
        out = dict(steps=steps, count=count[seen].astype(np.int64), total_wait=total[seen],
                   share_of_wait=total[seen] / max(total.sum(), 1e-300), mean_wait=mean,
                   median_wait=q[seen, 0], p90_wait=q[seen, 1],
                   sla_breach=None if breach is None else breach[seen] / waits_seen[seen],
                   sla=sla, rank_by=rank_by)
        if service is not None:
            s_total, s_q = service
            out.update(total_service=s_total[seen],
                       share_of_service=s_total[seen] / max(s_total.sum(), 1e-300),
                       mean_service=s_total[seen] / count[seen], median_service=s_q[seen, 0],
                       p90_service=s_q[seen, 1])
    return Bottlenecks(**out)


def _from_stats(stats, sla, level, min_count, rank_by, func) -> Bottlenecks:
    if not stats.has_times:
        v.fail("journeys", func, "statistics of journeys with timestamps",
               got="statistics without times")
    if sla is not None:
        v.fail("sla", func, "None for JourneyStats (SLA shares need the journeys)", sla)
    v.check_option(level, "level", func, ("transition", "touchpoint"))
    if rank_by == "service":
        _check_service(stats.has_service, level, func)
    min_count = v.check_int(min_count, "min_count", func, low=1)
    n = stats.n_states
    total, count = stats.edge_wait_sum, stats.edge_wait_count.astype(np.float64)
    if level == "touchpoint":
        total = np.bincount(stats.edge_sources, weights=total, minlength=n)
        count = np.bincount(stats.edge_sources, weights=count, minlength=n)
    seen = np.flatnonzero(count >= min_count)
    svc = stats.service_sum if level == "touchpoint" and stats.has_service else None
    seen = seen[np.argsort(-(total if svc is None or rank_by == "wait" else svc)[seen],
                           kind="stable")]
    labels = np.asarray(stats.vocab, dtype=object)
    steps = (transition_names(labels, stats.edge_keys[seen]) if level == "transition"
             else labels[seen])
    nan = np.full(len(seen), np.nan)
    service = {}
    if svc is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            service = dict(total_service=svc[seen],
                           share_of_service=svc[seen] / max(svc.sum(), 1e-300),
                           mean_service=svc[seen] / stats.service_count[seen],
                           median_service=nan, p90_service=nan)
    return Bottlenecks(steps=steps, count=count[seen].astype(np.int64), total_wait=total[seen],
                       share_of_wait=total[seen] / max(total.sum(), 1e-300),
                       mean_wait=total[seen] / count[seen], median_wait=nan, p90_wait=nan,
                       sla_breach=None, sla=None, rank_by=rank_by, **service)
