"""Service-level agreements: attainment per priority, SLA clocks that pause, the at-risk list.

* :func:`sla_attainment` — from a ticket table (start and end columns): the share of tickets
  meeting their priority's target, with Wilson intervals, on elapsed or business time.
* :func:`sla_clocks` — from an event log (:class:`~cxpath.journeys.Journeys`), as service
  desks run the clock: it starts at the first event (or a start activity), **pauses** while
  the ticket is in a waiting state (pending customer, awaiting parts) and stops at a stop
  activity (resolved, first response). Per ticket: target, elapsed and paused business time,
  breach time, remaining time; :meth:`SLAClocks.at_risk` lists open tickets that will
  breach within a horizon and :meth:`SLAClocks.attainment` gives Wilson intervals by
  segment.

Targets are durations: ``datetime.timedelta``, ``numpy.timedelta64``, ``pandas.Timedelta``,
strings such as ``"4h"`` or ``"2d"``, or numbers of seconds (``sla_attainment`` still reads
plain numbers as hours, deprecated).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, duration_columns, result
from .._stats import wilson_interval
from .._warnings import warn
from ._clock import choose_calendar, measure, read_instants, read_pair, show_time
from ._common import refuse_bools, segments

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .._typing import ArrayLike, ColumnLike, DurationLike, TableLike, TimeLike
    from ..calendar import BusinessCalendar
    from ..journeys import Journeys

__all__ = ["SLA", "AtRisk", "SLAClocks", "sla_attainment", "sla_clocks"]


# ------------------------------------------------------------------ attainment table

@result
class SLA(Result):
    """SLA attainment per segment and priority.

    Attributes
    ----------
    segment, priority : ndarray of str
    target : ndarray
        Target in seconds (of business time when a calendar was given).
    threshold_h : ndarray
        The same target in hours (kept for code written before ``target``).
    due : ndarray of int
        Tickets whose outcome is known: ended, or still open past the target.
    met, missed, pending : ndarray of int
        ``pending``: still open and within the target at ``as_of`` (not counted).
    attainment, ci_low, ci_high : ndarray
        ``met / due`` with a Wilson interval (NaN where nothing is due).
    as_of : numpy.datetime64
        When open tickets were judged, on the clock of the input times (UTC for aware
        times, the wall clock for naive ones).
    clock : str
        ``'elapsed time'`` or the business calendar (and how naive times were read).
    confidence : float
    """

    segment: np.ndarray
    priority: np.ndarray
    target: np.ndarray
    threshold_h: np.ndarray
    due: np.ndarray
    met: np.ndarray
    missed: np.ndarray
    pending: np.ndarray
    attainment: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    as_of: np.datetime64
    clock: str
    confidence: float

    _duration_columns = duration_columns(target=1.0)

    @property
    def business_hours(self) -> bool:
        """Whether the targets were measured on a business calendar."""
        return self.clock != "elapsed time"

    def _summary(self):
        return [f"as of {self.as_of}; on {self.clock}; open tickets still within target are "
                "pending"]

    def _columns(self):
        return {"segment": self.segment, "priority": self.priority, "target": self.target,
                "due": self.due, "met": self.met, "missed": self.missed,
                "pending": self.pending, "attainment": self.attainment,
                "ci_low": self.ci_low, "ci_high": self.ci_high}


def _attainment(met, missed, pending, priority, target_of, codes, labels, as_of, clock,
                confidence) -> SLA:
    """Count met / missed / pending per (segment, priority) into an :class:`SLA`."""
    p_labels, p_codes = np.unique(priority, return_inverse=True)
    key = codes * len(p_labels) + p_codes.ravel()
    used = np.unique(key)
    seg_of, pri_of = used // len(p_labels), used % len(p_labels)
    idx = np.searchsorted(used, key)
    m = len(used)
    n_met = np.bincount(idx, weights=met, minlength=m).astype(np.int64)
    n_missed = np.bincount(idx, weights=missed, minlength=m).astype(np.int64)
    n_pending = np.bincount(idx, weights=pending, minlength=m).astype(np.int64)
    due = n_met + n_missed
    lo, hi = wilson_interval(n_met, due, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        att = np.where(due > 0, n_met / np.maximum(due, 1), np.nan)
    target = np.array([target_of[p] for p in p_labels[pri_of].tolist()], dtype=np.float64)
    return SLA(segment=labels[seg_of], priority=p_labels[pri_of].astype(object),
               target=target, threshold_h=target / 3600.0, due=due, met=n_met,
               missed=n_missed, pending=n_pending, attainment=att,
               ci_low=np.where(due > 0, lo, np.nan), ci_high=np.where(due > 0, hi, np.nan),
               as_of=np.datetime64(int(np.floor(as_of)), "s"), clock=clock,
               confidence=float(confidence))


def _targets(targets, present, name, func, *, hours_for_numbers=False) -> dict:
    """Priority label -> target seconds, a target for every label in ``present``."""
    if not isinstance(targets, dict) or not targets:
        v.fail(name, func, "a non-empty dict priority -> duration", targets)
    out, numbers = {}, []
    for key, value in targets.items():
        label = f"{name}[{key!r}]"
        if hours_for_numbers and isinstance(value, (int, float, np.integer, np.floating)) \
                and not isinstance(value, (bool, np.bool_)):
            numbers.append(key)
            out[str(key)] = v.check_real(value, label, func, low=0.0, closed="neither") * 3600.
        else:
            out[str(key)] = v.check_duration(value, label, func, low=0.0, closed="neither")
    if numbers:
        warn(f"{func}: plain numbers in '{name}' are read as hours, which is "
             "deprecated: everywhere else in cxpath a number of time is seconds. "
             f"Write durations such as {{{numbers[0]!r}: '4h'}} or "
             "datetime.timedelta(hours=4) instead.", DeprecationWarning,
             stacklevel=3)
    lacking = [p for p in present if p not in out]
    if lacking:
        v.fail(name, func, "a target for every priority in the data",
               got=f"no target for {lacking}")
    return out


def sla_attainment(start: ColumnLike, end: ColumnLike, priority: ColumnLike,
                   thresholds: Mapping[Any, DurationLike], *, data: TableLike | None = None,
                   by: ColumnLike | None = None, as_of: TimeLike | str | None = None,
                   calendar: BusinessCalendar | None = None,
                   business_hours: Mapping[str, Any] | None = None,
                   confidence: float = 0.95) -> SLA:
    """Share of tickets meeting their priority's time target (response or resolution).

    Parameters
    ----------
    start, end : str or array of datetime64, datetimes or ISO strings
        E.g. ``created`` and ``resolved_at`` (NaT while open) or ``first_response``.
    priority : str or array
        Priority per ticket.
    thresholds : dict
        Priority -> target: a duration (``"4h"``, ``datetime.timedelta``,
        ``numpy.timedelta64``, ``pandas.Timedelta``). Plain numbers are still read as
        **hours** with a :class:`DeprecationWarning`. Every priority present needs one.
    data : table, optional
    by : str or array, optional
        Segment column; rows are segment × priority.
    as_of : datetime64 or str, optional
        When open tickets are judged (default: the latest timestamp in the data). An open
        ticket already older than its target is a miss; a younger one is pending.
    calendar : cxpath.calendar.BusinessCalendar, optional
        Measure on business time in the calendar's zone (naive times are read as local
        time there).
    business_hours : dict, optional
        Deprecated dict calendar (see :func:`~cxpath.kpi.response_times`).
    confidence : float, default 0.95

    Returns
    -------
    SLA

    Raises
    ------
    InvalidParameterError, DataError
        Priorities without a target, non-positive targets, ends before starts.

    Examples
    --------
    >>> from cxpath.kpi import sla_attainment
    >>> r = sla_attainment(["2025-01-01T08:00"] * 3,
    ...                    ["2025-01-01T09:00", "2025-01-01T20:00", "NaT"],
    ...                    ["P1", "P1", "P2"], {"P1": "4h", "P2": "2d"},
    ...                    as_of="2025-01-02T08:00")
    >>> r.attainment.tolist()[0], int(r.pending[1])
    (0.5, 1)
    """
    func = "kpi.sla_attainment"
    v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    s, e, naive, zone = read_pair(data, start, end, ("start", "end"), func)
    if priority is None:
        v.fail("priority", func, "a column name or an array of priorities", None,
               wrong_type=True)
    pr = np.asarray(column(data, priority, "priority", func)).astype(str)
    if pr.ndim != 1:
        v.fail("priority", func, "one-dimensional", got=f"an array of shape {pr.shape}",
               data=True)
    v.check_same_length(func, start=s, end=e, priority=pr)
    target_of = _targets(thresholds, np.unique(pr).tolist(), "thresholds", func,
                         hours_for_numbers=True)
    if np.isnan(s).any():
        i = int(np.argmax(np.isnan(s)))
        v.fail("start", func, "free of missing times", got=f"NaT at position {i}", data=True)
    if as_of is None:
        as_of_s = float(np.fmax(s.max(), np.fmax.reduce(e)))
    else:
        refuse_bools(as_of, "as_of", func)
        at, naive_at, _ = read_instants(None, [as_of], "as_of", func)
        if np.isnan(at[0]):
            v.fail("as_of", func, "a timestamp", got="NaT")
        if naive_at != naive:
            v.fail("as_of", func, "time-zone aware exactly when the ticket times are",
                   as_of)
        as_of_s = float(at[0])
    cal = choose_calendar(calendar, business_hours, zone, naive, func)
    open_ = np.isnan(e)
    clock_end = np.where(open_, as_of_s, e)
    x, clock = measure(s, clock_end, naive, cal)
    neg = x < 0
    if neg.any():
        i = int(np.argmax(neg))
        v.fail("end", func, "at or after 'start' (and 'as_of' after every open start)",
               got=f"{show_time(clock_end[i])} before {show_time(s[i])} at position {i}",
               data=True)
    limit = np.array([target_of[p] for p in pr.tolist()])
    met = ~open_ & (x <= limit)
    missed = x > limit
    pending = open_ & (x <= limit)
    codes, labels = segments(data, by, s.size, func)
    return _attainment(met, missed, pending, pr, target_of, codes, labels, as_of_s, clock,
                       confidence)


# ------------------------------------------------------------------ SLA clocks from a log

_STATUSES = ("met", "missed", "overdue", "running", "paused", "not started")


@result
class SLAClocks(Result):
    """The SLA clock of every ticket of an event log, as of one time.

    Attributes
    ----------
    case_id : ndarray
    priority : ndarray of str
        The label that chose each ticket's target.
    target, elapsed, paused, remaining : ndarray of float
        Seconds (of business time on a calendar): the target, the time the clock has run
        (up to its stop, or ``as_of``), the time it was paused, and ``target - elapsed``
        (negative once breached).
    started, stopped, breach_at : ndarray of datetime64[s]
        When the clock started and stopped (NaT: still open at ``as_of``), and when it
        reached the target: the breach time, or for a running open ticket the projected
        due time if nothing pauses it (NaT when the ticket met its target or is paused).
        Times are local wall-clock times: in the journeys' ``tz``, or for naive journeys
        on a calendar in the calendar's zone (as the input was read).
    status : ndarray of str
        ``'met'`` (stopped within target), ``'missed'`` (stopped late), ``'overdue'`` (open
        past target), ``'running'`` or ``'paused'`` (open within target), ``'not started'``
        (no start activity yet).
    as_of : numpy.datetime64
    clock : str
        ``'elapsed time'`` or the business calendar (and how naive times were read).
    """

    case_id: np.ndarray
    priority: np.ndarray
    target: np.ndarray
    elapsed: np.ndarray
    paused: np.ndarray
    remaining: np.ndarray
    started: np.ndarray
    stopped: np.ndarray
    breach_at: np.ndarray
    status: np.ndarray
    as_of: np.datetime64
    clock: str
    _attributes: dict = None

    _duration_columns = duration_columns(target=1.0, elapsed=1.0, paused=1.0, remaining=1.0)

    def _summary(self):
        counts = {k: int((self.status == k).sum()) for k in _STATUSES}
        shown = ", ".join(f"{n:,} {k}" for k, n in counts.items() if n)
        return [f"as of {self.as_of}; on {self.clock}", shown]

    def _columns(self):
        return {"case_id": self.case_id, "priority": self.priority, "status": self.status,
                "target": self.target, "elapsed": self.elapsed, "paused": self.paused,
                "remaining": self.remaining, "started": self.started,
                "stopped": self.stopped, "breach_at": self.breach_at}

    def at_risk(self, horizon: DurationLike, *, include_overdue: bool = True) -> AtRisk:
        """Open tickets whose clock will reach its target within ``horizon``.

        Parameters
        ----------
        horizon : duration
            Seconds of (business) clock time, or a timedelta / ``"4h"``.
        include_overdue : bool, default True
            Also list open tickets already past their target (first).

        Returns
        -------
        AtRisk
            Ranked by remaining time, least first. Paused tickets are listed too (their
            clock will resume): ``status`` tells them apart.

        Examples
        --------
        >>> from cxpath.kpi.sla import _example_clocks
        >>> _example_clocks().at_risk("2h").case_id.tolist()
        ['B']
        """
        func = "SLAClocks.at_risk"
        h = v.check_duration(horizon, "horizon", func)
        include_overdue = v.check_bool(include_overdue, "include_overdue", func)
        wanted = ("running", "paused") + (("overdue",) if include_overdue else ())
        rows = np.flatnonzero(np.isin(self.status, wanted) & (self.remaining <= h))
        rows = rows[np.argsort(self.remaining[rows], kind="stable")]
        return AtRisk(case_id=self.case_id[rows], priority=self.priority[rows],
                      status=self.status[rows], remaining=self.remaining[rows],
                      due_at=self.breach_at[rows], target=self.target[rows],
                      horizon=h, as_of=self.as_of, clock=self.clock)

    def attainment(self, *, by: ColumnLike | None = None, confidence: float = 0.95) -> SLA:
        """Attainment per priority (and segment) with Wilson intervals.

        Parameters
        ----------
        by : str or array, optional
            A case attribute of the journeys, or one label per ticket.
        confidence : float, default 0.95

        Returns
        -------
        SLA
            ``met``: stopped within target; ``missed``: stopped late or open past target;
            ``pending``: open within target. Tickets whose clock has not started are left
            out.

        Examples
        --------
        >>> from cxpath.kpi.sla import _example_clocks
        >>> _example_clocks().attainment().attainment.tolist()  # P1 missed, P2 pending
        [0.0, nan]
        """
        func = "SLAClocks.attainment"
        v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
        started = self.status != "not started"
        n = len(self.case_id)
        if by is None:
            codes, labels = np.zeros(n, dtype=np.int64), np.array(["all"], dtype=object)
        else:
            if isinstance(by, str):
                attributes = self._attributes or {}
                if by not in attributes:
                    v.fail("by", func, "a case attribute of the journeys "
                           f"({', '.join(map(repr, attributes)) or 'none'}) or labels",
                           by)
                values = np.asarray(attributes[by].decoded(), dtype=object)
            else:
                try:
                    values = np.asarray(by, dtype=object)
                except ValueError:  # ragged
                    values = None
                if values is None or values.ndim != 1 or not all(
                        isinstance(x, Hashable) and not isinstance(x, np.ndarray)
                        for x in values.tolist()):
                    v.fail("by", func, "a case attribute name or one label per ticket", by,
                           wrong_type=True)
                v.check_same_length(func, by=values, tickets=self.case_id)
            labels, codes = np.unique(values.astype(str), return_inverse=True)
            labels = labels.astype(object)
        keep = np.flatnonzero(started)
        status = self.status[keep]
        target_of = dict(zip(self.priority.tolist(), self.target.tolist()))
        return _attainment(status == "met", np.isin(status, ("missed", "overdue")),
                           np.isin(status, ("running", "paused")), self.priority[keep],
                           target_of, codes.ravel()[keep], labels,
                           float(self.as_of.astype("datetime64[s]").astype(np.int64)),
                           self.clock, confidence)


@result
class AtRisk(Result):
    """Open tickets that will breach their SLA within a horizon, least time left first.

    Attributes
    ----------
    case_id, priority, status : ndarray
    remaining, target : ndarray of float
        Seconds of clock time left (negative: overdue) and the target.
    due_at : ndarray of datetime64[s]
        When the clock reaches the target if it keeps running (NaT while paused; the
        breach time for overdue tickets).
    horizon : float
        Seconds.
    as_of : numpy.datetime64
    clock : str
    """

    case_id: np.ndarray
    priority: np.ndarray
    status: np.ndarray
    remaining: np.ndarray
    due_at: np.ndarray
    target: np.ndarray
    horizon: float
    as_of: np.datetime64
    clock: str

    _duration_columns = duration_columns(remaining=1.0, target=1.0)

    def _summary(self):
        return [f"as of {self.as_of}; horizon {self.horizon:g} s on {self.clock}"]

    def _columns(self):
        return {"case_id": self.case_id, "priority": self.priority, "status": self.status,
                "remaining": self.remaining, "due_at": self.due_at, "target": self.target}


def _label_set(values, journeys, name, func) -> np.ndarray:
    """Codes of a set of touchpoint labels (each must be in the vocabulary)."""
    if values is None:
        return None
    if isinstance(values, str):
        values = (values,)
    try:
        values = list(values)
    except TypeError:
        v.fail(name, func, "touchpoint labels", values)
    for x in values:
        if not isinstance(x, Hashable) or isinstance(x, np.ndarray):
            v.fail(name, func, "touchpoint labels", got=f"{v.show(x)} among them",
                   wrong_type=True)
    index = {label: i for i, label in enumerate(journeys.vocab)}
    unknown = [x for x in values if x not in index]
    if unknown:
        v.fail(name, func, "touchpoints of the journeys", got=f"unknown {unknown}")
    return np.array([index[x] for x in values], dtype=np.int64)


def _is_missing(x) -> bool:
    """None, NaN, NaT or pandas.NA (whose ``x != x`` is NA, not a bool)."""
    if x is None or type(x).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(x != x)
    except (TypeError, ValueError):
        return False


def _case_labels(journeys, priority, func) -> np.ndarray:
    n = len(journeys)
    if isinstance(priority, str):
        if priority not in journeys.case_attributes:
            v.fail("priority", func, "a case attribute of the journeys "
                   f"({', '.join(map(repr, journeys.case_attributes)) or 'none'}; pass "
                   "case_attributes= to from_events) or one label per case", priority)
        labels = np.asarray(journeys.case_attributes[priority].decoded(), dtype=object)
    else:
        try:
            ndim = np.ndim(priority)
        except (TypeError, ValueError):  # ragged nested sequences
            ndim = -1
        if isinstance(priority, bytes) or ndim != 1:
            v.fail("priority", func, "a case attribute name or one label per case", priority,
                   wrong_type=ndim == 0)
        labels = np.asarray(priority, dtype=object)
        v.check_same_length(func, priority=labels, cases=np.empty(n))
    missing = np.array([_is_missing(x) for x in labels.tolist()], dtype=bool)
    if missing.any():
        i = int(np.argmax(missing))
        v.fail("priority", func, "a label for every case",
               got=f"none for case {_plain(journeys.case_ids[i])!r}", data=True)
    return labels.astype(str)


def _plain(x):
    """A numpy scalar as the Python value (so messages show 'Y', not np.str_('Y'))."""
    return x.item() if isinstance(x, np.generic) else x


def _stamps(instants, zone) -> np.ndarray:
    """datetime64[s] of instants, on the wall clock of ``zone`` when given."""
    t = np.asarray(instants, dtype=np.float64)
    if zone is not None:
        from .._zones import wall_clock

        t = wall_clock(t, zone)
    out = np.full(t.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = np.isfinite(t)
    out[ok] = np.floor(t[ok]).astype(np.int64).astype("datetime64[s]")
    return out


def sla_clocks(journeys: Journeys, targets: Mapping[Any, DurationLike], *,
               priority: str | ArrayLike = "priority", pause: Iterable[str] = (),
               start: Iterable[str] | None = None, stop: Iterable[str] | None = None,
               calendar: BusinessCalendar | None = None,
               as_of: TimeLike | str | None = None) -> SLAClocks:
    """SLA clocks from an event log: start, pause while waiting, stop, breach, time left.

    The clock of a ticket (case) starts at its first event, or at its first ``start``
    activity, and stops at the completion of its first ``stop`` activity after that (by
    default: the completion of its last event, i.e. a case is closed once its last event
    is done). While the ticket is in a ``pause`` state — from the start of such an event to
    the start of the next event of the case — the clock does not run. Only events begun by
    ``as_of`` are used, so the clocks are what a live desk would have seen then.

    Parameters
    ----------
    journeys : Journeys
        With times (activity instances or instants).
    targets : dict
        Priority label -> target duration (seconds, ``"4h"``, timedelta …).
    priority : str or array, default "priority"
        A case attribute of the journeys, or one label per case, choosing the target.
    pause : iterable of str
        Touchpoints that pause the clock (``"pending_customer"``, ``"awaiting_parts"``).
    start, stop : iterable of str, optional
        Touchpoints that start and stop the clock (e.g. ``stop={"resolved"}`` for a
        resolution SLA, ``{"first_response"}`` for a response SLA).
    calendar : cxpath.calendar.BusinessCalendar, optional
        Run the clock on business time; naive journeys are read as local time in the
        calendar's zone.
    as_of : datetime64, str or datetime, optional
        The time the clocks are read at (default: the last completion in the log).

    Returns
    -------
    SLAClocks

    Raises
    ------
    InvalidParameterError, DataError
        Journeys without times, unknown touchpoints, cases without a priority, missing
        or non-positive targets.

    Examples
    --------
    >>> from cxpath.kpi.sla import _example_clocks
    >>> c = _example_clocks()  # see its source: two tickets, one paused for the customer
    >>> c.status.tolist(), (c.elapsed / 3600).tolist(), (c.paused / 3600).tolist()
    (['missed', 'running'], [4.5, 3.0], [2.0, 0.0])
    """
    from ..calendar import check_calendar, clock_name, naive_instants
    from ..journeys import Journeys

    func = "kpi.sla_clocks"
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a cxpath Journeys", got=type(journeys).__name__)
    if journeys.times is None:
        v.fail("journeys", func, "journeys with timestamps", got="journeys without times")
    cal = check_calendar(calendar, func)
    pr = _case_labels(journeys, priority, func)
    target_of = _targets(targets, np.unique(pr).tolist(), "targets", func)
    pause_codes = _label_set(pause, journeys, "pause", func)
    start_codes = _label_set(start, journeys, "start", func)
    stop_codes = _label_set(stop, journeys, "stop", func)
    n = len(journeys)
    naive = journeys.tz is None
    naive_zone = cal.timezone if naive and cal is not None and cal.timezone != "UTC" else None
    st, ct = journeys.event_starts, journeys.times
    if naive and cal is not None:
        st, ct = naive_instants(cal, st, ct)
    if as_of is None:
        now = float(np.fmax.reduce(ct)) if ct.size else 0.0
    else:
        refuse_bools(as_of, "as_of", func)
        at, naive_at, _ = read_instants(None, [as_of], "as_of", func)
        if np.isnan(at[0]):
            v.fail("as_of", func, "a timestamp", got="NaT")
        if naive_at and (journeys.tz or naive_zone) is not None:
            from .._zones import localize

            at = localize(at, journeys.tz or naive_zone)
        elif not naive_at and naive and naive_zone is None:
            v.fail("as_of", func, "naive, like the journeys' times (they have no time zone)",
                   as_of)
        now = float(at[0])

    def between(a, b):
        return cal.business_duration(a, b) if cal is not None else b - a

    def after(a, x):
        return cal.add_business_time(a, x) if cal is not None else a + x

    lengths = journeys.lengths
    ci = np.repeat(np.arange(n), lengths)
    code = journeys.codes
    live = st <= now  # a prefix of every case: events are ordered by start
    first = journeys.offsets[:-1]
    big = np.inf
    if start_codes is None:
        cs = np.where(lengths > 0, st[np.minimum(first, max(len(st) - 1, 0))], np.nan)
    else:
        cs = _first_per_case(np.where(live & np.isin(code, start_codes), st, big), ci, n)
    cs = np.where(np.isfinite(cs) & (cs <= now), cs, np.nan)  # not begun by as_of
    if stop_codes is None:
        last = np.fmax.reduceat(ct, np.minimum(first, max(len(ct) - 1, 0))) if len(ct) else \
            np.zeros(n)
        sp = np.where((lengths > 0) & (last <= now), last, np.nan)
    else:
        hit = live & np.isin(code, stop_codes) & (st >= cs[ci]) & (ct <= now)
        sp = _first_per_case(np.where(hit, ct, big), ci, n)
        sp = np.where(np.isfinite(sp), sp, np.nan)
    started = ~np.isnan(cs)
    closed = started & ~np.isnan(sp)
    end_c = np.where(closed, sp, now)
    end_c = np.where(started, np.maximum(end_c, cs), np.nan)
    next_st = np.append(st[1:], big)
    next_st[np.minimum(journeys.offsets[1:], len(st)) - 1] = big  # last event of a case
    next_st = np.where(np.append(live[1:], False), next_st, big)
    lo, hi = cs[ci], end_c[ci]
    a = np.clip(st, lo, hi)
    b = np.clip(next_st, lo, hi)
    ok = live & started[ci]
    seg = np.where(ok, between(np.where(ok, a, 0.0), np.where(ok, b, 0.0)), 0.0)
    paused_state = np.isin(code, pause_codes) if pause_codes is not None else \
        np.zeros(len(code), dtype=bool)
    run = np.where(paused_state, 0.0, seg)
    elapsed = np.bincount(ci, weights=run, minlength=n)
    paused = np.bincount(ci, weights=seg - run, minlength=n)
    target = np.array([target_of[p] for p in pr.tolist()], dtype=np.float64)
    remaining = target - elapsed
    # breach: the running segment in which the cumulated clock reaches the target
    cum = np.cumsum(run)
    before_case = np.concatenate(([0.0], cum))[np.minimum(first, len(cum))]
    cum_case = cum - before_case[ci]
    cross = ok & ~paused_state & (run > 0) & (cum_case >= target[ci])
    first_cross = _first_per_case(np.where(cross, np.arange(len(ci)), big), ci, n)
    breach = np.full(n, np.nan)
    has = np.isfinite(first_cross)
    k = first_cross[has].astype(np.int64)
    if k.size:
        breach[has] = after(a[k], target[has] - (cum_case[k] - run[k]))
    last_live = _last_per_case(np.where(ok, np.arange(len(ci)), -1), ci, n)
    paused_now = np.zeros(n, dtype=bool)
    with_last = last_live >= 0
    paused_now[with_last] = paused_state[last_live[with_last]]
    project = started & ~closed & ~has & ~paused_now
    if project.any():
        breach[project] = after(np.full(int(project.sum()), now), remaining[project])
    status = np.full(n, "not started", dtype=object)
    status[closed & (elapsed <= target)] = "met"
    status[closed & (elapsed > target)] = "missed"
    open_ = started & ~closed
    status[open_ & (elapsed > target)] = "overdue"
    status[open_ & (elapsed <= target) & paused_now] = "paused"
    status[open_ & (elapsed <= target) & ~paused_now] = "running"
    breach[status == "met"] = np.nan  # reached exactly at the stop: not a breach
    shown = journeys.tz if journeys.tz is not None else naive_zone
    return SLAClocks(case_id=journeys.case_ids, priority=pr.astype(object), target=target,
                     elapsed=np.where(started, elapsed, np.nan),
                     paused=np.where(started, paused, np.nan),
                     remaining=np.where(started, remaining, np.nan),
                     started=_stamps(cs, shown), stopped=_stamps(sp, shown),
                     breach_at=_stamps(breach, shown), status=status,
                     as_of=_stamps(np.array([now]), shown)[0],
                     clock=clock_name(cal, naive), attributes=journeys.case_attributes)


def _first_per_case(values, ci, n) -> np.ndarray:
    out = np.full(n, np.inf)
    np.minimum.at(out, ci, values)
    return out


def _last_per_case(values, ci, n) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int64)
    np.maximum.at(out, ci, values.astype(np.int64))
    return out


def _example_clocks() -> SLAClocks:
    """Two tickets on a 24/7 clock, read at 15:00 (the docstring examples use them).

    A (P1, target 4 h): opened 08:00, pending customer 09:00-11:00, resolved 14:30:
    4.5 h on the clock, 2 h paused, breached at 14:00, missed. B (P2, target 4 h): opened
    12:00, still open at 15:00 after 3 h: running, 1 h left.
    """
    from ..journeys import Journeys

    j = Journeys.from_events(
        {"case": ["A", "A", "A", "A", "B"],
         "step": ["open", "pending_customer", "work", "resolved", "open"],
         "at": ["2025-01-06T08:00", "2025-01-06T09:00", "2025-01-06T11:00",
                "2025-01-06T14:30", "2025-01-06T12:00"],
         "priority": ["P1", "P1", "P1", "P1", "P2"]},
        case="case", touchpoint="step", timestamp="at", case_attributes=["priority"])
    return sla_clocks(j, {"P1": "4h", "P2": "4h"}, pause={"pending_customer"},
                      stop={"resolved"}, as_of="2025-01-06T15:00")
