"""Service-efficiency KPIs from arrays or a ticket table, with segment breakdowns.

Rates (first-contact resolution, abandonment, repeat contacts, task completion) come with
Wilson intervals; durations (handle time, speed of answer, response and resolution times)
with means and percentiles; SLA attainment per priority optionally counts business hours
only; the backlog is followed over time with its ageing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column, column_zone
from .._results import Result, derived_columns, duration_columns, result
from .._stats import wilson_interval
from .._zones import localize, wall_clock_datetimes
from ._clock import (
    choose_calendar,
    legacy_calendar,
    measure,
    read_pair,
    read_times,
    show_time,
)
from ._common import required, segments

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from .._typing import ArrayLike, ColumnLike, TableLike
    from ..calendar import BusinessCalendar

__all__ = ["Backlog", "Durations", "Rates", "TicketKPIs", "abandonment_rate",
           "average_handle_time", "average_speed_of_answer", "backlog", "business_seconds",
           "durations", "first_contact_resolution", "rate", "repeat_contact_rate",
           "resolution_times", "response_times", "task_completion_rate",
           "ticket_kpis"]


# ------------------------------------------------------------------ helpers

def _flags(data, values, name, func) -> np.ndarray:
    required(values, name, func, "a column name or an array of booleans or 0/1 values")
    arr = column(data, values, name, func)
    if arr.dtype.kind == "b":
        if arr.size == 0:
            v.fail(name, func, "an array with at least 1 element(s)", got="0 element(s)",
                   data=True)
        return arr
    x = v.as_float_array(arr, name, func)
    bad = (x != 0) & (x != 1)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "booleans or 0/1 values", got=f"{x[i]:g} at position {i}",
               data=True)
    return x.astype(bool)


def business_seconds(start: ArrayLike, end: ArrayLike, *, calendar: BusinessCalendar | None = None,
                     open: float = 9, close: float = 17, weekmask: str = "1111100",
                     holidays: Iterable[Any] = ()) -> np.ndarray:
    """Elapsed business seconds between paired timestamps (NaN where either is missing).

    Parameters
    ----------
    start, end : array of datetime64, datetimes or ISO strings
        Aware values (a zone, ``Z`` or a UTC offset) are instants; naive ones are wall-clock
        times, read as local time in the calendar's zone.
    calendar : cxpath.calendar.BusinessCalendar, optional
        The calendar (time zone, hours, holidays). Without it, ``open``, ``close``,
        ``weekmask`` and ``holidays`` make one on the timestamps' own clock: the zone of a
        time-zone-aware column, else the naive wall clock (times with UTC offsets but no
        zone name need ``calendar``).
    open, close : float, default 9 and 17
        Opening hours, 0–24 (ignored with ``calendar``: give only one of the two).
    weekmask : str, default '1111100'
        Open weekdays, Monday first.
    holidays : sequence of dates
        Closed days.

    Returns
    -------
    ndarray of float

    Raises
    ------
    InvalidParameterError, DataError
        Bad hours or calendar, unequal lengths, naive mixed with aware times, an end
        before its start.

    Examples
    --------
    >>> from cxpath.kpi import business_seconds
    >>> # Friday 16:00 to Monday 10:00 is two business hours
    >>> business_seconds(["2025-07-04T16:00"], ["2025-07-07T10:00"]) / 3600
    array([2.])
    >>> from cxpath.calendar import BusinessCalendar
    >>> berlin = BusinessCalendar("Europe/Berlin")  # Monday-Friday 09:00-17:00 local
    >>> business_seconds(["2025-01-06T08:30+01:00"], ["2025-01-06T09:30+01:00"],
    ...                  calendar=berlin) / 3600
    array([0.5])
    """
    func = "kpi.business_seconds"
    s, e, naive, zone = read_pair(None, start, end, ("start", "end"), func)
    from collections.abc import Iterable as _Iterable

    if isinstance(holidays, str) or not isinstance(holidays, _Iterable):
        v.fail("holidays", func, "a sequence of dates", holidays, wrong_type=True)
    holidays = list(holidays)
    if not ((isinstance(weekmask, str) and len(weekmask) == 7 and set(weekmask) <= {"0", "1"})
            or (isinstance(weekmask, (list, tuple)) and len(weekmask) == 7)):
        v.fail("weekmask", func, "seven 0/1 flags, Monday first, such as '1111100'",
               weekmask)
    open = v.check_real(open, "open", func, low=0.0, high=24.0)
    close = v.check_real(close, "close", func, low=0.0, high=24.0)
    if close <= open and calendar is None:
        v.fail("close", func, f"later than 'open' ({open:g})", close)
    if calendar is None:
        calendar = legacy_calendar({"open": open, "close": close, "weekmask": weekmask,
                                     "holidays": holidays}, zone, naive, func, "start")
    elif (open, close, weekmask, tuple(holidays)) != (9, 17, "1111100", ()):
        v.fail("calendar", func, "None when 'open', 'close', 'weekmask' or 'holidays' are "
               "given (the calendar holds its own hours)", calendar)
    else:
        calendar = choose_calendar(calendar, None, zone, naive, func)
    backwards = e < s  # NaN compares False: missing times stay NaN
    if backwards.any():
        i = int(np.argmax(backwards))
        v.fail("end", func, "at or after 'start' (a duration is never negative here; "
               "BusinessCalendar.business_duration is signed if that is what you need)",
               got=f"{show_time(e[i])} before {show_time(s[i])} at position {i}", data=True)
    return measure(s, e, naive, calendar)[0]


# ------------------------------------------------------------------ rates

@result
class Rates(Result):
    """A proportion per segment with its Wilson interval.

    Attributes
    ----------
    segment : ndarray of str
    n : ndarray of int
        Rows counted.
    successes : ndarray of int
    rate : ndarray
    ci_low, ci_high : ndarray
    name : str
    confidence : float
    """

    segment: np.ndarray
    n: np.ndarray
    successes: np.ndarray
    rate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    name: str
    confidence: float

    def _title(self):
        return self.name

    def _columns(self):
        return {"segment": self.segment, "n": self.n, "successes": self.successes,
                "rate": self.rate, "ci_low": self.ci_low, "ci_high": self.ci_high}


def _rate(flags, codes, labels, name, confidence):
    k = len(labels)
    n = np.bincount(codes, minlength=k)
    hits = np.bincount(codes, weights=flags.astype(np.float64), minlength=k).astype(np.int64)
    lo, hi = wilson_interval(hits, n, confidence)
    return Rates(segment=labels, n=n, successes=hits, rate=hits / n, ci_low=lo, ci_high=hi,
                 name=name, confidence=confidence)


def rate(flags: ColumnLike, *, data: TableLike | None = None, by: ColumnLike | None = None,
         name: str = "rate", confidence: float = 0.95) -> Rates:
    """Share of true flags per segment, with a Wilson interval.

    Parameters
    ----------
    flags : str or array of bool or 0/1
    data : table, optional
        pandas / polars / pyarrow table or dict holding named columns.
    by : str or array, optional
        Segment column (channel, agent, product …).
    name : str, default 'rate'
        Label of the result.
    confidence : float, default 0.95

    Returns
    -------
    Rates

    Raises
    ------
    InvalidParameterError, DataError
        Values other than booleans or 0/1, empty input, a ``by`` of another length.

    Examples
    --------
    >>> from cxpath.kpi import rate
    >>> rate([1, 0, 1, 1], by=["a", "a", "b", "b"]).rate.tolist()
    [0.5, 1.0]
    """
    return _named_rate(flags, "flags", "kpi.rate", data, by, str(name), confidence)


def _named_rate(flags, param, func, data, by, name, confidence):
    """:func:`rate` for the public function ``func`` whose flags argument is ``param``."""
    v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    f = _flags(data, flags, param, func)
    codes, labels = segments(data, by, f.size, func)
    return _rate(f, codes, labels, name, confidence)


def first_contact_resolution(resolved_first_contact: ColumnLike, *, data: TableLike | None = None,
                             by: ColumnLike | None = None, confidence: float = 0.95) -> Rates:
    """First-contact resolution rate: share of cases resolved without a further contact.

    Parameters
    ----------
    resolved_first_contact : str or array of bool
        One flag per case (the sample's ``first_contact_resolution``).
    data, by, confidence
        As in :func:`rate`.

    Returns
    -------
    Rates

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`rate`.

    Examples
    --------
    >>> from cxpath.kpi import first_contact_resolution
    >>> round(float(first_contact_resolution([True, False, True]).rate[0]), 3)
    0.667
    """
    return _named_rate(resolved_first_contact, "resolved_first_contact",
                       "kpi.first_contact_resolution", data, by, "First-contact resolution",
                       confidence)


def abandonment_rate(abandoned: ColumnLike, *, data: TableLike | None = None,
                     by: ColumnLike | None = None, confidence: float = 0.95) -> Rates:
    """Share of offered contacts abandoned before an answer.

    Parameters
    ----------
    abandoned : str or array of bool
    data, by, confidence
        As in :func:`rate`.

    Returns
    -------
    Rates

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`rate`.

    Examples
    --------
    >>> from cxpath.kpi import abandonment_rate
    >>> float(abandonment_rate([0, 0, 1, 0]).rate[0])
    0.25
    """
    return _named_rate(abandoned, "abandoned", "kpi.abandonment_rate", data, by, "Abandonment",
                       confidence)


def task_completion_rate(completed: ColumnLike, *, data: TableLike | None = None,
                         by: ColumnLike | None = None, confidence: float = 0.95) -> Rates:
    """Share of attempted tasks (self-service, bot) completed.

    Parameters
    ----------
    completed : str or array of bool
    data, by, confidence
        As in :func:`rate`.

    Returns
    -------
    Rates

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`rate`.

    Examples
    --------
    >>> from cxpath.kpi import task_completion_rate
    >>> float(task_completion_rate([1, 1, 0, 1]).rate[0])
    0.75
    """
    return _named_rate(completed, "completed", "kpi.task_completion_rate", data, by,
                       "Task completion", confidence)


def repeat_contact_rate(contacts: ColumnLike, *, data: TableLike | None = None,
                        by: ColumnLike | None = None, confidence: float = 0.95) -> Rates:
    """Share of cases needing more than one contact.

    Parameters
    ----------
    contacts : str or array of int
        Contacts per case (≥ 1).
    data, by, confidence
        As in :func:`rate`.

    Returns
    -------
    Rates

    Raises
    ------
    InvalidParameterError, DataError
        Contacts below 1 or not whole.

    Examples
    --------
    >>> from cxpath.kpi import repeat_contact_rate
    >>> float(repeat_contact_rate([1, 2, 1, 3]).rate[0])
    0.5
    """
    func = "kpi.repeat_contact_rate"
    v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    c = v.as_int_array(column(data, contacts, "contacts", func), "contacts", func, low=1)
    codes, labels = segments(data, by, c.size, func)
    return _rate(c > 1, codes, labels, "Repeat contacts", confidence)


# ------------------------------------------------------------------ durations

@result
class Durations(Result):
    """A duration (or any positive quantity) summarised per segment.

    Attributes
    ----------
    segment : ndarray of str
    n : ndarray of int
        Values summarised.
    missing : ndarray of int
        Rows without a value (NaN / NaT: e.g. not yet resolved), left out.
    mean, sd : ndarray
    quantiles : ndarray
        Shape (segments, len(probs)); numpy's linear interpolation.
    probs : tuple of float
    name : str
    unit : str
    clock : str
        What the durations were measured on: ``'elapsed time'`` or the business calendar
        (and how naive times were read).

    Notes
    -----
    A segment whose rows all lack a value keeps its row with ``n = 0`` and NaN
    statistics.
    """

    segment: np.ndarray
    n: np.ndarray
    missing: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    quantiles: np.ndarray
    probs: tuple
    name: str
    unit: str
    clock: str = "elapsed time"

    _derived = derived_columns({
        "p{percent}": "the percent-th percentile, ``quantiles[:, j]`` for "
                      "``probs[j] == percent / 100``"})

    def _title(self):
        return f"{self.name} ({self.unit})"

    def _summary(self):
        return [] if self.clock == "elapsed time" else [f"on {self.clock}"]

    def _durations(self, columns: dict) -> dict:
        """Mean, sd and percentiles are durations when the unit is one of time."""
        scale = _UNIT_SECONDS.get(self.unit.removeprefix("business "))
        if scale is None:
            return {}
        return {k: scale for k in columns if k in ("mean", "sd") or k[:1] == "p"}

    def _columns(self):
        cols = {"segment": self.segment, "n": self.n, "missing": self.missing,
                "mean": self.mean, "sd": self.sd}
        for j, p in enumerate(self.probs):
            cols[f"p{100 * p:g}"] = self.quantiles[:, j]
        return cols


_UNIT_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def _durations(x, codes, labels, probs, name, unit, scale=1.0, clock="elapsed time"):
    k = len(labels)
    ok = ~np.isnan(x)
    n = np.bincount(codes[ok], minlength=k)
    missing = np.bincount(codes[~ok], minlength=k)
    mean = np.full(k, np.nan)
    sd = np.full(k, np.nan)
    q = np.full((k, len(probs)), np.nan)
    order = np.argsort(codes[ok], kind="stable")
    xs, cs = x[ok][order] / scale, codes[ok][order]
    bounds = np.searchsorted(cs, np.arange(k + 1))
    for g in range(k):
        part = xs[bounds[g]:bounds[g + 1]]
        if part.size:
            mean[g] = part.mean()
            sd[g] = part.std(ddof=1) if part.size > 1 else np.nan
            q[g] = np.quantile(part, probs)
    return Durations(segment=labels, n=n, missing=missing, mean=mean, sd=sd, quantiles=q,
                     probs=tuple(float(p) for p in probs), name=name, unit=unit, clock=clock)


def _probs(probs, func):
    p = v.as_float_array(probs, "probs", func, low=0.0, high=1.0)
    return p


def durations(values: ColumnLike, *, data: TableLike | None = None, by: ColumnLike | None = None,
              probs: Sequence[float] = (0.5, 0.8, 0.9, 0.95), name: str = "duration",
              unit: str = "s") -> Durations:
    """Mean, standard deviation and percentiles of a non-negative quantity per segment.

    Parameters
    ----------
    values : str or array of float
        NaN marks a missing value (left out and counted).
    data : table, optional
    by : str or array, optional
        Segment column.
    probs : sequence of float, default (0.5, 0.8, 0.9, 0.95)
        Percentiles as probabilities.
    name, unit : str
        Labels of the result.

    Returns
    -------
    Durations

    Raises
    ------
    InvalidParameterError, DataError
        Negative values, probabilities outside [0, 1].

    Examples
    --------
    >>> from cxpath.kpi import durations
    >>> durations([10.0, 20.0, 30.0, float("nan")], probs=[0.5]).quantiles.ravel().tolist()
    [20.0]
    """
    func = "kpi.durations"
    p = _probs(probs, func)
    x = v.as_float_array(column(data, values, "values", func), "values", func, allow_nan=True,
                         low=0.0)
    codes, labels = segments(data, by, x.size, func)
    return _durations(x, codes, labels, p, str(name), str(unit))


def average_handle_time(handle_time: ColumnLike, *, data: TableLike | None = None,
                        by: ColumnLike | None = None,
                        probs: Sequence[float] = (0.5, 0.9)) -> Durations:
    """Average handle time (talk + hold + wrap-up) with percentiles, per segment.

    Parameters
    ----------
    handle_time : str or array of float
        Seconds per handled contact.
    data, by, probs
        As in :func:`durations`.

    Returns
    -------
    Durations

    Raises
    ------
    InvalidParameterError, DataError
        Negative handle times.

    Examples
    --------
    >>> from cxpath.kpi import average_handle_time
    >>> float(average_handle_time([200.0, 400.0]).mean[0])
    300.0
    """
    func = "kpi.average_handle_time"
    p = _probs(probs, func)
    x = v.as_float_array(column(data, handle_time, "handle_time", func), "handle_time", func,
                         allow_nan=True, low=0.0)
    codes, labels = segments(data, by, x.size, func)
    return _durations(x, codes, labels, p, "Handle time", "s")


def average_speed_of_answer(wait: ColumnLike, answered: ColumnLike | None = None, *,
                            data: TableLike | None = None, by: ColumnLike | None = None,
                            probs: Sequence[float] = (0.5, 0.9)) -> Durations:
    """Average speed of answer: mean queue wait of the answered contacts, per segment.

    Parameters
    ----------
    wait : str or array of float
        Seconds in queue per offered contact.
    answered : str or array of bool, optional
        Whether each contact was answered; abandoned contacts are left out of the ASA
        (their waits are counted in ``missing``). All answered when omitted.
    data, by, probs
        As in :func:`durations`.

    Returns
    -------
    Durations

    Raises
    ------
    InvalidParameterError, DataError
        Negative waits, unequal lengths.

    Examples
    --------
    >>> from cxpath.kpi import average_speed_of_answer
    >>> float(average_speed_of_answer([10.0, 50.0, 30.0], [True, False, True]).mean[0])
    20.0
    """
    func = "kpi.average_speed_of_answer"
    p = _probs(probs, func)
    x = v.as_float_array(column(data, wait, "wait", func), "wait", func, low=0.0)
    if answered is not None:
        a = _flags(data, answered, "answered", func)
        v.check_same_length(func, wait=x, answered=a)
        x = np.where(a, x, np.nan)
    codes, labels = segments(data, by, x.size, func)
    return _durations(x, codes, labels, p, "Speed of answer", "s")


def _interval_times(data, start, end, by, probs, calendar, business_hours, name, func, names):
    p = _probs(probs, func)
    s, e, naive, zone = read_pair(data, start, end, names, func)
    cal = choose_calendar(calendar, business_hours, zone, naive, func)
    x, clock = measure(s, e, naive, cal)
    neg = x < 0
    if neg.any():
        i = int(np.argmax(neg))
        v.fail(names[1], func, f"at or after '{names[0]}'", got=f"{show_time(e[i])} before "
               f"{show_time(s[i])} at position {i}", data=True)
    codes, labels = segments(data, by, x.size, func)
    unit = "business h" if cal is not None else "h"
    return _durations(x, codes, labels, p, name, unit, scale=3600.0, clock=clock)


def response_times(created: ColumnLike, first_response: ColumnLike, *,
                   data: TableLike | None = None, by: ColumnLike | None = None,
                   probs: Sequence[float] = (0.5, 0.9), calendar: BusinessCalendar | None = None,
                   business_hours: Mapping[str, Any] | None = None) -> Durations:
    """First-response time in hours per segment (NaT responses are counted as missing).

    Parameters
    ----------
    created, first_response : str or array of datetime64, datetimes or ISO strings
    data, by, probs
        As in :func:`durations`.
    calendar : cxpath.calendar.BusinessCalendar, optional
        Count business time only, in the calendar's time zone (naive times are read as
        local time there; the result's ``clock`` says so).
    business_hours : dict, optional
        Deprecated: ``{'open': 9, 'close': 17, 'weekmask': '1111100', 'holidays': [...]}``
        on the timestamps' own clock; use ``calendar``.

    Returns
    -------
    Durations
        In hours (or business hours).

    Raises
    ------
    InvalidParameterError, DataError
        Responses before creation, unequal lengths, bad calendars, naive mixed with aware
        times.

    Examples
    --------
    >>> from cxpath.kpi import response_times
    >>> r = response_times(["2025-01-01T10:00"], ["2025-01-01T12:30"])
    >>> float(r.mean[0])
    2.5
    >>> from cxpath.calendar import BusinessCalendar
    >>> r = response_times(["2025-01-06T08:30"], ["2025-01-06T12:30"],
    ...                    calendar=BusinessCalendar("Europe/Berlin"))
    >>> float(r.mean[0]), r.clock.endswith("naive times read as local time in Europe/Berlin")
    (3.5, True)
    """
    return _interval_times(data, created, first_response, by, probs, calendar,
                           business_hours, "First response time", "kpi.response_times",
                           ("created", "first_response"))


def resolution_times(created: ColumnLike, resolved_at: ColumnLike, *, data: TableLike | None = None,
                     by: ColumnLike | None = None, probs: Sequence[float] = (0.5, 0.9),
                     calendar: BusinessCalendar | None = None,
                     business_hours: Mapping[str, Any] | None = None) -> Durations:
    """Time to resolution in hours per segment (unresolved tickets counted as missing).

    Parameters
    ----------
    created, resolved_at : str or array of datetime64, datetimes or ISO strings
    data, by, probs, calendar, business_hours
        As in :func:`response_times`.

    Returns
    -------
    Durations

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`response_times`.

    Examples
    --------
    >>> from cxpath.kpi import resolution_times
    >>> r = resolution_times(["2025-01-01T10:00", "2025-01-01T10:00"],
    ...                      ["2025-01-02T10:00", "NaT"])
    >>> float(r.mean[0]), int(r.missing[0])
    (24.0, 1)
    """
    return _interval_times(data, created, resolved_at, by, probs, calendar, business_hours,
                           "Resolution time", "kpi.resolution_times", ("created", "resolved_at"))


# ------------------------------------------------------------------ backlog

@result
class Backlog(Result):
    """Open tickets at a series of times, with their ageing, per segment.

    One row per (segment, time): every segment is measured at the same times.

    Attributes
    ----------
    segment : ndarray of str
        ``'all'`` without ``by``.
    at : ndarray of datetime64
    open : ndarray of int
        Tickets created at or before ``at`` and not resolved by then.
    opened, closed : ndarray of int
        Created / resolved since the previous time (since the first creation for row 0).
    mean_age_days, p90_age_days : ndarray
        Age of the open tickets (NaN when none is open).
    age_counts : ndarray of int
        Shape (times, len(age_bins) + 1): open tickets younger than each bin edge (days),
        then older than the last.
    age_bins : tuple of float
    tz : str, optional
        The time zone of a time-zone-aware ``created`` column: the default times are its
        local midnights (Mondays 00:00), ``at`` holds their UTC instants and ``to_frame()``
        shows them in the zone.
    """

    segment: np.ndarray
    at: np.ndarray
    open: np.ndarray
    opened: np.ndarray
    closed: np.ndarray
    mean_age_days: np.ndarray
    p90_age_days: np.ndarray
    age_counts: np.ndarray
    age_bins: tuple
    tz: str | None = None

    _duration_columns = duration_columns(mean_age_days=86400.0, p90_age_days=86400.0)
    _derived = derived_columns({
        "age_{low}_{high}d": "open tickets aged from low to high days, ``age_counts[:, j]`` "
                             "for the bin ``age_bins[j - 1]`` (0 for j = 0) to "
                             "``age_bins[j]``",
        "age_over_{days}d": "open tickets older than the last bin edge, "
                            "``age_counts[:, -1]``"})
    _key = ("segment", "at")

    def _zones(self) -> dict:
        return {"at": self.tz}

    def _columns(self):
        cols = {"segment": self.segment, "at": self.at, "open": self.open,
                "opened": self.opened,
                "closed": self.closed, "mean_age_days": self.mean_age_days,
                "p90_age_days": self.p90_age_days}
        edges = (0.0, *self.age_bins)
        for j in range(len(self.age_bins)):
            cols[f"age_{edges[j]:g}_{edges[j + 1]:g}d"] = self.age_counts[:, j]
        cols[f"age_over_{self.age_bins[-1]:g}d"] = self.age_counts[:, -1]
        return cols


def backlog(created: ColumnLike, resolved_at: ColumnLike, *, data: TableLike | None = None,
            by: ColumnLike | None = None, at: ArrayLike | None = None, freq: str = "W",
            age_bins: Sequence[float] = (1, 3, 7, 14, 30)) -> Backlog:
    """Backlog (open tickets) and its ageing at regular times.

    Parameters
    ----------
    created, resolved_at : str or array of datetime64
        ``resolved_at`` is NaT for tickets still open.
    data : table, optional
    by : str or array, optional
        Segment column (channel, agent, product …); every segment is measured at the same
        times.
    at : array of datetime64, optional
        Times to measure at; by default every day (``freq='D'``) or Monday 00:00
        (``freq='W'``) from the first creation to the last event, on the local clock of a
        time-zone-aware ``created`` column (naive ``at`` values are read on it too).
    freq : {'D', 'W'}, default 'W'
    age_bins : sequence of float, default (1, 3, 7, 14, 30)
        Increasing age edges in days.

    Returns
    -------
    Backlog

    Raises
    ------
    InvalidParameterError, DataError
        Resolutions before creation, missing creation times, bad bins.

    Examples
    --------
    >>> from cxpath.kpi import backlog
    >>> b = backlog(["2025-01-01", "2025-01-02", "2025-01-03"],
    ...             ["2025-01-02T12:00", "NaT", "2025-01-03T06:00"],
    ...             at=np.array(["2025-01-03T00:00", "2025-01-04T00:00"], "datetime64[s]"))
    >>> b.open.tolist(), b.closed.tolist()
    ([2, 1], [1, 1])
    """
    func = "kpi.backlog"
    s = read_times(data, created, "created", func)
    e = read_times(data, resolved_at, "resolved_at", func)
    v.check_same_length(func, created=s, resolved_at=e)
    if np.isnat(s).any():
        i = int(np.argmax(np.isnat(s)))
        v.fail("created", func, "free of missing times", got=f"NaT at position {i}",
               data=True)
    bad = ~np.isnat(e) & (e < s)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("resolved_at", func, "at or after 'created'",
               got=f"{e[i]} before {s[i]} at position {i}", data=True)
    bins = v.as_float_array(age_bins, "age_bins", func, low=0.0, closed="neither")
    if (np.diff(bins) <= 0).any():
        v.fail("age_bins", func, "strictly increasing", got=str(bins.tolist()))
    zone = column_zone(data, created)
    if at is None:
        v.check_option(freq, "freq", func, ("D", "W"))
        last = max(s.max(), e[~np.isnat(e)].max()) if (~np.isnat(e)).any() else s.max()
        last = wall_clock_datetimes(np.array([last]), zone)[0]  # local days of aware times
        first_day = wall_clock_datetimes(np.array([s.min()]), zone)[0].astype("datetime64[D]")
        if freq == "W":  # Mondays: 1970-01-01 was a Thursday
            first_day = first_day - ((first_day.astype(np.int64) + 3) % 7)
        step = 7 if freq == "W" else 1
        stop = last.astype("datetime64[D]") + step + 1
        points = max(0, int((stop - (first_day + step)).astype(np.int64)) // step + 1)
        _check_backlog_cost(points, s.size, bins.size, func,
                            f"from {first_day} to {last.astype('datetime64[D]')} "
                            f"(freq={freq!r})")
        days = np.arange(first_day + step, stop, step)
        at = days.astype("datetime64[s]")
        if zone is not None:  # local midnights as instants
            at = localize(at.astype(np.int64).astype(np.float64), zone).astype(
                np.int64).astype("datetime64[s]")
    else:
        at = read_times(None, at, "at", func, zone)  # naive: on the created column's clock
        if (np.diff(at.astype(np.int64)) <= 0).any():
            v.fail("at", func, "strictly increasing times", got="unsorted or repeated times")
    codes, labels = segments(data, by, s.size, func)
    _check_backlog_cost(at.size * len(labels), -(-s.size // len(labels)), bins.size, func,
                        f"at {at.size:,} times for {len(labels):,} segment(s)",
                        per_segment=at.size)
    parts = [_backlog_at(s[codes == g], e[codes == g], at, bins) for g in range(len(labels))]
    return Backlog(segment=np.repeat(labels, at.size), at=np.tile(at, len(labels)),
                   **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
                   age_bins=tuple(float(b) for b in bins), tz=zone)


# measuring points x tickets compared, about ten seconds of work; measuring times (rows of
# the table, each a pass of Python over the live tickets, about 80 microseconds)
MAX_BACKLOG_WORK = 2e9
MAX_BACKLOG_POINTS = 50_000


def _check_backlog_cost(points: int, tickets: int, n_bins: int, func: str, what: str, *,
                        per_segment: int | None = None) -> None:
    """Refuse a backlog over too many times before building it: memory is one row per
    measuring time and segment (open, opened, closed, ages and the age counts, 8 bytes each)
    and the work one comparison per ticket per time."""
    from .._budget import check_memory
    from ..errors import CostError

    check_memory(8.0 * points * (10 + n_bins), func, f"a backlog table of {points:,} rows "
                 f"{what}", how="Pass freq='W', fewer times in 'at', or raise the cap with "
                 "the CXPATH_MAX_MEMORY environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
    times = points if per_segment is None else per_segment
    if times > MAX_BACKLOG_POINTS:
        raise CostError(f"{func} would measure the backlog at {times:,} times {what}, more "
                        f"than the {MAX_BACKLOG_POINTS:,} cap (about 80 microseconds each). "
                        "Pass freq='W' or the times you need in 'at'; check the data for a "
                        "far-future date (e.g. 9999-12-31 standing for 'open').")
    work = float(points) * max(tickets, 1)
    if work > MAX_BACKLOG_WORK:
        raise CostError(f"{func} would compare {tickets:,} tickets at {points:,} times "
                        f"({work:.2g} comparisons, more than the {MAX_BACKLOG_WORK:.0e} cap) "
                        f"{what}. Pass freq='W' or fewer times in 'at', or split the tickets.")


def _backlog_at(s, e, at, bins) -> dict:
    """Backlog columns of one segment's tickets (created ``s``, resolved ``e``) at ``at``."""
    created_by = np.searchsorted(np.sort(s), at, side="right")
    resolved_by = np.searchsorted(np.sort(e[~np.isnat(e)]), at, side="right")
    mean_age = np.full(at.size, np.nan)
    p90 = np.full(at.size, np.nan)
    counts = np.zeros((at.size, bins.size + 1), dtype=np.int64)
    end_or_inf = np.where(np.isnat(e), np.datetime64("9999-01-01", "s"), e)
    for j, t in enumerate(at):
        live = (s <= t) & (end_or_inf > t)
        if live.any():
            age = (t - s[live]).astype(np.float64) / 86400.0
            mean_age[j] = age.mean()
            p90[j] = np.quantile(age, 0.9)
            counts[j] = np.bincount(np.searchsorted(bins, age, side="right"),
                                    minlength=bins.size + 1)
    return {"open": (created_by - resolved_by).astype(np.int64),
            "opened": np.diff(created_by, prepend=0).astype(np.int64),
            "closed": np.diff(resolved_by, prepend=0).astype(np.int64),
            "mean_age_days": mean_age, "p90_age_days": p90, "age_counts": counts}


# ------------------------------------------------------------------ one table

@result
class TicketKPIs(Result):
    """The headline efficiency KPIs of a ticket table, one row per segment.

    Attributes
    ----------
    segment : ndarray of str
    tickets : ndarray of int
    fcr, fcr_low, fcr_high : ndarray
        First-contact resolution with its Wilson interval.
    resolved : ndarray
        Share resolved.
    repeat : ndarray
        Share with more than one contact.
    aht_s : ndarray
        Mean handle time in seconds.
    frt_p50_h, frt_p90_h : ndarray
        First-response time percentiles (hours).
    ttr_p50_h, ttr_p90_h : ndarray
        Resolution time percentiles (hours, resolved tickets).
    """

    segment: np.ndarray
    tickets: np.ndarray
    fcr: np.ndarray
    fcr_low: np.ndarray
    fcr_high: np.ndarray
    resolved: np.ndarray
    repeat: np.ndarray
    aht_s: np.ndarray
    frt_p50_h: np.ndarray
    frt_p90_h: np.ndarray
    ttr_p50_h: np.ndarray
    ttr_p90_h: np.ndarray

    _duration_columns = duration_columns(aht_s=1.0, frt_p50_h=3600.0, frt_p90_h=3600.0,
                                         ttr_p50_h=3600.0, ttr_p90_h=3600.0)

    def _columns(self):
        return {"segment": self.segment, "tickets": self.tickets, "fcr": self.fcr,
                "fcr_low": self.fcr_low, "fcr_high": self.fcr_high,
                "resolved": self.resolved, "repeat": self.repeat, "aht_s": self.aht_s,
                "frt_p50_h": self.frt_p50_h, "frt_p90_h": self.frt_p90_h,
                "ttr_p50_h": self.ttr_p50_h, "ttr_p90_h": self.ttr_p90_h}


def ticket_kpis(data: TableLike, *, by: ColumnLike | None = None, created: ColumnLike = "created",
                first_response: ColumnLike = "first_response",
                resolved_at: ColumnLike = "resolved_at", resolved: ColumnLike = "resolved",
                fcr: ColumnLike = "first_contact_resolution",
                handle_time: ColumnLike = "handle_time_s", contacts: ColumnLike = "contacts",
                calendar: BusinessCalendar | None = None,
                business_hours: Mapping[str, Any] | None = None) -> TicketKPIs:
    """FCR, resolution, repeat contacts, AHT, response and resolution times per segment.

    Parameters
    ----------
    data : table
        One row per ticket; the default column names are the bundled sample's.
    by : str or array, optional
        Segment column (``'channel'``, ``'agent'``, ``'product'`` …).
    created, first_response, resolved_at, resolved, fcr, handle_time, contacts : str
        Column names (or arrays).
    calendar : cxpath.calendar.BusinessCalendar, optional
        Business calendar for the time KPIs (see :func:`response_times`).
    business_hours : dict, optional
        Deprecated dict calendar; use ``calendar``.

    Returns
    -------
    TicketKPIs

    Raises
    ------
    InvalidParameterError, DataError
        Missing columns or invalid values (as the single-KPI functions).

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.kpi import ticket_kpis
    >>> t = ticket_kpis(load_sample().tickets, by="channel")
    >>> t.segment.tolist()[:2]
    ['app', 'chat']
    """
    f = first_contact_resolution(fcr, data=data, by=by)
    res = rate(resolved, data=data, by=by)
    rep = repeat_contact_rate(contacts, data=data, by=by)
    aht = average_handle_time(handle_time, data=data, by=by)
    frt = response_times(created, first_response, data=data, by=by, calendar=calendar,
                         business_hours=business_hours)
    ttr = resolution_times(created, resolved_at, data=data, by=by, calendar=calendar,
                           business_hours=business_hours)
    return TicketKPIs(segment=f.segment, tickets=f.n, fcr=f.rate, fcr_low=f.ci_low,
                      fcr_high=f.ci_high, resolved=res.rate, repeat=rep.rate, aht_s=aht.mean,
                      frt_p50_h=frt.quantiles[:, 0], frt_p90_h=frt.quantiles[:, 1],
                      ttr_p50_h=ttr.quantiles[:, 0], ttr_p90_h=ttr.quantiles[:, 1])
