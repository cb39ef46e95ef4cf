"""From activity logs to customer histories: durations, churn, RFM features, leakage-free.

:func:`customer_histories` turns a table of activities (contacts, orders, logins: one row
each, with the customer, the time, an optional amount and an optional event type), or
:class:`~cxpath.Journeys` whose cases carry a customer case attribute, into one row per
customer: recency/frequency/monetary features, the inputs of the BG/NBD and Gamma–Gamma
models (:mod:`cxpath.customers.ltv`), and times to churn, to the first repeat activity and to
the first complaint with their event flags, ready for :func:`~cxpath.customers.kaplan_meier`
and :func:`~cxpath.customers.cox`.

**Observation and churn, precisely.**

* The observation ends at ``end`` (activities at or before it are used; default the last
  activity) or, for features built as of a cut-off date, just before ``cutoff``: only
  activities **strictly before** the cut-off enter anything computed per customer, and the
  outcome window ``[cutoff, cutoff + horizon)`` gives the outcome columns.
* With ``churn_after = W``, a customer churns at the first moment they have gone ``W``
  without activity: at ``s + W`` for the first of their activities ``s`` whose next
  activity is at ``s + W`` or later, or that is their last and ``end − s >= W``. A customer
  whose last activity is less than ``W`` before the end (and had no earlier gap of ``W``)
  has not been seen to churn: **censored** at the end (``churned`` False, duration
  ``end − first``), not churned.
* With ``churn_event``, an activity of that event type (a cancellation, say) is a churn at
  its time. With both, the earlier churn counts.
* Durations run from each customer's first activity and are in ``unit`` (days by default).
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column, column_zone, in_zone
from .._results import Result, result
from ._data import refuse_missing_labels

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike, TimeLike

__all__ = ["CustomerHistories", "customer_histories"]

_F = "customers.customer_histories"
_UNITS = {"s": 1.0, "h": 3600.0, "D": 86400.0, "W": 604800.0}
_FAR = 1e13  # seconds: ~317,000 years, far inside datetime64[s]
_TIMES = "timestamps (datetime64, datetimes, ISO-8601 strings or epoch seconds)"


def _instants(values, name: str, func: str, scalar: bool = False) -> np.ndarray:
    """Float epoch seconds of ``values``; strings are read as ISO-8601."""
    from ..calendar import to_epoch_seconds

    if isinstance(values, (bool, np.bool_)):
        v.fail(name, func, _TIMES, values, wrong_type=True)
    arr = values if hasattr(values, "dtype") else np.asarray(values, dtype=object) \
        if not isinstance(values, (int, float, str)) else np.asarray(values)
    if getattr(arr, "dtype", None) is not None and arr.dtype.kind == "b":
        v.fail(name, func, _TIMES, got="booleans", data=True)
    if isinstance(arr, np.ndarray) and arr.dtype.kind == "O":
        items = arr.ravel().tolist()
        if any(isinstance(x, (bool, np.bool_)) for x in items):
            v.fail(name, func, _TIMES, got="booleans", data=True)
        if items and all(isinstance(x, str) for x in items):
            arr = arr.astype(str)
        elif items and all(isinstance(x, (int, float, np.integer, np.floating))
                           for x in items):
            arr = arr.astype(np.float64)
    if isinstance(arr, np.ndarray) and arr.dtype.kind in "US":
        try:
            arr = arr.astype("datetime64[us]")
        except (TypeError, ValueError):
            v.fail(name, func, _TIMES, got="text that is not an ISO-8601 time", data=True)
    if scalar and np.ndim(arr) == 0:
        arr = np.reshape(np.asarray(arr), 1)
    elif scalar:
        v.fail(name, func, "one instant", values, wrong_type=True)
    try:
        secs = to_epoch_seconds(arr, name=name, func=func)
    except (TypeError, ValueError, OverflowError):
        v.fail(name, func, _TIMES, got=f"values of type {type(values).__name__}", data=True)
    secs = np.asarray(secs, dtype=np.float64)
    if scalar:
        if secs.shape != (1,) or not np.isfinite(secs[0]):
            v.fail(name, func, "one finite instant", values)
        if abs(secs[0]) > _FAR:
            v.fail(name, func, "an instant within ±300,000 years of 1970", values)
        return secs[0]
    if secs.ndim != 1:
        v.fail(name, func, "one-dimensional", got=f"shape {secs.shape}", data=True)
    bad = ~np.isfinite(secs)
    if bad.any():
        v.fail(name, func, "free of missing or infinite times",
               got=f"{values[int(np.argmax(bad))]!r} at position {int(np.argmax(bad))}"
               if isinstance(values, (list, tuple)) else
               f"a missing time at position {int(np.argmax(bad))}", data=True)
    far = np.abs(secs) > _FAR
    if far.any():
        v.fail(name, func, "instants within ±300,000 years of 1970",
               got=f"{secs[int(np.argmax(far))]:g} s at position {int(np.argmax(far))}",
               data=True)
    return secs


_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$")  # an ISO-8601 time with its UTC offset


def _instant_on(value, zone: str | None, name: str, func: str) -> float:
    """One instant (:func:`_instants`); a naive date or time (no UTC offset, not a number of
    epoch seconds) is a wall-clock time of ``zone``, the timestamps' own zone, when they
    are time-zone aware: ``'2025-03-01'`` is local midnight, not midnight UTC."""
    if isinstance(value, str) and _OFFSET.search(value.strip()):
        # read with its offset (numpy would drop it, with a warning); on failure
        # _instants says what is wrong with it
        with contextlib.suppress(ValueError):
            value = datetime.datetime.fromisoformat(value.strip())
    secs = float(_instants(value, name, func, scalar=True))
    aware = isinstance(value, (int, float, np.number)) or (
        isinstance(value, datetime.datetime) and value.tzinfo is not None) or (
        isinstance(value, str) and _OFFSET.search(value.strip()) is not None)
    if zone is not None and not aware:
        from .._zones import localize

        secs = float(localize(np.array([secs]), zone)[0])
    return secs


def _label_set(values, name: str, func: str) -> frozenset:
    if isinstance(values, str):
        return frozenset([values])
    if isinstance(values, Collection) and all(isinstance(x, str) for x in values) \
            and len(values):
        return frozenset(values)
    v.fail(name, func, "an event type or a non-empty collection of event types (str)",
           values, wrong_type=True)


def _labels_of(values, name: str, func: str, n: int | None = None) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        v.fail(name, func, "one-dimensional", got=f"shape {arr.shape}", data=True)
    refuse_missing_labels(arr, name, func)
    if arr.dtype.kind not in "iuUSO" and arr.dtype.kind != "f":
        v.fail(name, func, "labels (str or int)", got=f"an array of dtype {arr.dtype}",
               data=True)
    if n is not None and arr.size != n:
        v.fail(name, func, f"of the same length as 'customer' ({n})",
               got=f"length {arr.size}", data=True)
    return arr


def _from_journeys(j, customer, timestamp, amount, event, func):
    """Per-case columns of :class:`~cxpath.Journeys`: customer, start time, amount, event."""
    if not isinstance(customer, str):
        v.fail("customer", func, "the name of a case attribute of the journeys", customer,
               wrong_type=True)
    attr = j.case_attributes.get(customer)
    if attr is None:
        v.fail("customer", func, "a case attribute of the journeys ("
               + (", ".join(map(repr, j.case_attributes)) or "none carried") + ")", customer)
    if attr.missing.any():
        v.fail("customer", func, "known for every case",
               got=f"a missing customer in case {int(np.argmax(attr.missing))}", data=True)
    cust = attr.decoded()
    if timestamp is None:
        if j.times is None:
            v.fail("timestamp", func, "given when the journeys carry no times", None)
        starts = j.event_starts
        empty = j.lengths == 0
        if empty.any():
            v.fail("data", func, "journeys without empty cases",
                   got=f"an empty case at position {int(np.argmax(empty))}", data=True)
        t = starts[j.offsets[:-1]].astype(np.float64)
    else:
        t = _instants(timestamp, "timestamp", func)

    def per_case(spec, name, kind):
        if spec is None:
            return None
        if isinstance(spec, str):
            if spec == "value" and "value" not in j.case_attributes:
                if j.value is None:
                    v.fail(name, func, "a case attribute, or 'value' of journeys with values",
                           spec)
                return j.value
            a = j.case_attributes.get(spec)
            if a is None:
                v.fail(name, func, "a case attribute of the journeys ("
                       + (", ".join(map(repr, j.case_attributes)) or "none carried") + ")",
                       spec)
            if kind == "number" and a.kind != "number":
                v.fail(name, func, "a numeric case attribute", got=f"{spec!r} ({a.kind})")
            if kind == "label" and a.kind != "category":
                v.fail(name, func, "a category case attribute", got=f"{spec!r} ({a.kind})")
            return a.decoded() if kind == "label" else a.values
        return spec

    amt = per_case(amount, "amount", "number")
    ev = per_case(event, "event", "label")
    if ev is not None and isinstance(ev, np.ndarray) and ev.dtype.kind == "O":
        ev = np.array(["" if x is None else x for x in ev.tolist()], dtype=object)
    return cust, t, amt, ev


@result
class CustomerHistories(Result):
    """One row per customer: features as of the end of observation, durations and outcomes.

    Attributes
    ----------
    customer : ndarray
        Customer keys (sorted).
    first, last : ndarray of datetime64[s]
        First and last activity used.
    n_activities : ndarray of int
        Activities used (before the cut-off, or up to ``end``).
    frequency : ndarray of float
        Repeat activities: ``n_activities − 1`` (the BG/NBD ``x``).
    recency : ndarray of float
        ``end − last``: time since the last activity (RFM recency; smaller is more recent).
    span : ndarray of float
        ``last − first`` (the BG/NBD ``t_x``).
    age : ndarray of float
        ``end − first`` (the BG/NBD ``T``).
    total : ndarray of float or None
        Sum of the amounts (with ``amount``).
    monetary : ndarray of float or None
        Mean amount of the repeat activities (all but the first; 0 without any), the input
        of :func:`~cxpath.customers.gamma_gamma`.
    mean_amount : ndarray of float or None
        Mean amount over all activities (RFM monetary).
    churn_duration : ndarray of float or None
        Time from the first activity to churn, or to the end for a censored customer (with
        ``churn_after`` or ``churn_event``).
    churned : ndarray of bool or None
        True: churn seen before the end; False: censored.
    repeat_duration : ndarray of float
        Time from the first activity to the second, or to the end (censored).
    repeated : ndarray of bool
    complaint_duration : ndarray of float or None
        Time from the first activity to the first complaint (0 if the first activity is
        one), or to the end (censored) (with ``event`` and ``complaint``).
    complained : ndarray of bool or None
    future_activities : ndarray of int or None
        Activities in the outcome window ``[cutoff, cutoff + horizon)`` (with ``horizon``).
    future_amount : ndarray of float or None
        Their amounts (with ``horizon`` and ``amount``).
    future_active : ndarray of bool or None
        At least one activity in the outcome window.
    end : numpy.datetime64
        End of observation (the cut-off itself when ``cutoff`` is given, excluded).
    cutoff : bool
        Whether ``end`` is a cut-off (activities at it excluded) rather than included.
    horizon, churn_after : float or None
        In ``unit``.
    unit : str
    n_unused : int
        Input rows not used for the features (at or after the cut-off, or after ``end``).
    tz : str, optional
        The zone of time-zone-aware timestamps (or of the journeys): ``first``, ``last``
        and ``end`` are UTC instants, which ``to_frame()`` and the repr show in it.
    """

    customer: np.ndarray
    first: np.ndarray
    last: np.ndarray
    n_activities: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    span: np.ndarray
    age: np.ndarray
    total: np.ndarray | None
    monetary: np.ndarray | None
    mean_amount: np.ndarray | None
    churn_duration: np.ndarray | None
    churned: np.ndarray | None
    repeat_duration: np.ndarray
    repeated: np.ndarray
    complaint_duration: np.ndarray | None
    complained: np.ndarray | None
    future_activities: np.ndarray | None
    future_amount: np.ndarray | None
    future_active: np.ndarray | None
    end: np.datetime64
    cutoff: bool
    horizon: float | None
    churn_after: float | None
    unit: str
    n_unused: int
    tz: str | None = None

    _key = "customer"
    _NAMES = ("customer", "first", "last", "n_activities", "frequency", "recency", "span",
              "age", "total", "monetary", "mean_amount", "churn_duration", "churned",
              "repeat_duration", "repeated", "complaint_duration", "complained",
              "future_activities", "future_amount", "future_active")

    def _title(self) -> str:
        return "Customer histories"

    def _zones(self) -> dict:
        return {"first": self.tz, "last": self.tz}

    def _summary(self) -> list[str]:
        when = "before the cut-off" if self.cutoff else "up to"
        end = self.end if self.tz is None else in_zone([self.end], self.tz)[0]
        out = [f"{self.customer.size} customers; activities {when} {end}; durations "
               f"in {self.unit}"]
        if self.churned is not None:
            out.append(f"{int(self.churned.sum())} churned, "
                       f"{int((~self.churned).sum())} censored")
        return out

    def _columns(self) -> dict:
        return {k: getattr(self, k) for k in self._NAMES if getattr(self, k) is not None}


def customer_histories(data: TableLike = None, *, customer: ColumnLike,
                       timestamp: ColumnLike | None = None, amount: ColumnLike | None = None,
                       event: ColumnLike | None = None, end: TimeLike | None = None,
                       cutoff: TimeLike | None = None, horizon: float | None = None,
                       churn_after: float | None = None,
                       churn_event: str | Collection[str] | None = None,
                       complaint: str | Collection[str] | None = None,
                       unit: str = "D") -> CustomerHistories:
    """One row per customer from an activity log: features, durations and event flags.

    Parameters
    ----------
    data : table or Journeys, optional
        A table of activities (pandas/polars DataFrame, pyarrow Table, dict of columns)
        whose columns the other arguments name, or :class:`~cxpath.Journeys` (one activity
        per case): ``customer`` then names a case attribute, the time is the case's first
        event unless ``timestamp`` is given, ``amount`` a numeric case attribute (or
        ``'value'``: the journeys' values) and ``event`` a category case attribute.
    customer : column or array-like
        The customer of each activity.
    timestamp : column or array-like of times
        When it happened (datetime64, datetimes, ISO-8601 strings or epoch seconds).
    amount : column or array-like of float, optional
        Its value (order amount, revenue).
    event : column or array-like of str, optional
        Its type (``'order'``, ``'complaint'``, ``'cancel'`` …).
    end : instant, optional
        End of observation: activities at or before it are used (default: the last
        activity). Not with ``cutoff``.
    cutoff : instant, optional
        Build everything as of this cut-off: only activities strictly before it are used;
        censoring is at the cut-off.
    horizon : float, optional
        Length of the outcome window after the cut-off (in ``unit``; needs ``cutoff``).
    churn_after : float, optional
        Inactivity window (in ``unit``, > 0) that defines churn (module notes).
    churn_event : str or collection of str, optional
        Event types that are a churn (needs ``event``).
    complaint : str or collection of str, optional
        Event types that are a complaint, for the time to the first complaint.
    unit : {'D', 'W', 'h', 's'}, default 'D'
        Unit of the durations (days, weeks, hours, seconds) and of ``horizon`` and
        ``churn_after``.

    Returns
    -------
    CustomerHistories

    Raises
    ------
    InvalidParameterError
        Both ``end`` and ``cutoff``; ``horizon`` without ``cutoff``; ``churn_event`` or
        ``complaint`` without ``event``; an unknown unit.
    DataError
        Columns of different lengths, missing customers or times, non-finite amounts, no
        activity in the observation window.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.customers import customer_histories, kaplan_meier
    >>> log = {"customer": ["a", "a", "a", "b", "b", "c"],
    ...        "at": np.array(["2025-01-01", "2025-01-11", "2025-03-01", "2025-01-05",
    ...                        "2025-01-06", "2025-03-25"], "datetime64[D]"),
    ...        "amount": [10.0, 20.0, 30.0, 5.0, 7.0, 50.0]}
    >>> h = customer_histories(log, customer="customer", timestamp="at", amount="amount",
    ...                        end="2025-03-31", churn_after=30)
    >>> h.frequency.tolist(), h.recency.tolist(), h.churned.tolist()
    ([2.0, 1.0, 0.0], [30.0, 84.0, 6.0], [True, True, False])
    >>> h.churn_duration.tolist()  # a: 11 Jan + 30 days; b: 6 Jan + 30; c: censored
    [40.0, 31.0, 6.0]
    >>> kaplan_meier(h.churn_duration, h.churned).survival.tolist()
    [1.0, 0.5, 0.0]
    """
    func = _F
    if customer is None:
        v.fail("customer", func, "a column name or an array", None, wrong_type=True)
    scale = _UNITS[v.check_option(unit, "unit", func, tuple(_UNITS))]
    from ..journeys.model import Journeys

    if isinstance(data, Journeys):
        cust, t, amt, ev = _from_journeys(data, customer, timestamp, amount, event, func)
        zone = data.tz if timestamp is None else column_zone(None, timestamp)
    else:
        if timestamp is None:
            v.fail("timestamp", func, "a column name or an array of times", None,
                   wrong_type=True)
        cust = column(data, customer, "customer", func)
        t = _instants(column(data, timestamp, "timestamp", func), "timestamp", func)
        zone = column_zone(data, timestamp)
        amt = None if amount is None else column(data, amount, "amount", func)
        ev = None if event is None else column(data, event, "event", func)
    cust = _labels_of(cust, "customer", func)
    n = cust.size
    check_memory(n * 80.0, func, "its per-activity arrays")
    if t.size != n:
        v.fail("timestamp", func, f"of the same length as 'customer' ({n})",
               got=f"length {t.size}", data=True)
    if amt is not None:
        amt = v.as_float_array(amt, "amount", func, min_size=0)
        if amt.size != n:
            v.fail("amount", func, f"of the same length as 'customer' ({n})",
                   got=f"length {amt.size}", data=True)
    if ev is not None:
        ev = _labels_of(ev, "event", func, n).astype(str)
    if n == 0:
        v.fail("customer", func, "an array with at least 1 element(s)", got="0 element(s)",
               data=True)
    if end is not None and cutoff is not None:
        v.fail("cutoff", func, "None when 'end' is given (one end of observation)", cutoff)
    if horizon is not None and cutoff is None:
        v.fail("horizon", func, "None without 'cutoff' (the outcome window follows it)",
               horizon)
    if horizon is not None:
        horizon = v.check_real(horizon, "horizon", func, low=0.0, closed="neither")
    if churn_after is not None:
        churn_after = v.check_real(churn_after, "churn_after", func, low=0.0,
                                   closed="neither")
    churn_set = None if churn_event is None else _label_set(churn_event, "churn_event", func)
    complaint_set = None if complaint is None else _label_set(complaint, "complaint", func)
    for name, val in (("churn_event", churn_set), ("complaint", complaint_set)):
        if val is not None and ev is None:
            v.fail(name, func, "None without 'event' (it names event types)", sorted(val))

    if cutoff is not None:
        stop = _instant_on(cutoff, zone, "cutoff", func)
        used = t < stop
    else:
        stop = float(t.max()) if end is None else _instant_on(end, zone, "end", func)
        used = t <= stop
    if not used.any():
        v.fail("cutoff" if cutoff is not None else "end", func,
               "after the first activity (no activity is in the observation window)",
               cutoff if cutoff is not None else end, data=True)
    try:
        ids, code = np.unique(cust, return_inverse=True)
    except TypeError:
        v.fail("customer", func, "labels of one comparable type", got="labels of mixed types",
               data=True)
    code = code.reshape(-1)
    rows = np.flatnonzero(used)
    rows = rows[np.lexsort((t[rows], code[rows]))]
    c, tt = code[rows], t[rows]
    known = np.unique(c)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    stops = np.r_[starts[1:], c.size]
    count = stops - starts
    first, last = tt[starts], tt[stops - 1]
    frequency = (count - 1).astype(np.float64)
    total = monetary = mean_amount = None
    if amt is not None:
        a = amt[rows]
        total = np.add.reduceat(a, starts)
        monetary = np.where(count > 1, (total - a[starts]) / np.maximum(count - 1, 1), 0.0)
        mean_amount = total / count

    churn_duration = churned = None
    if churn_after is not None or churn_set is not None:
        big = np.inf
        when = np.full(known.size, big)
        if churn_after is not None:
            w = churn_after * scale
            nxt = np.r_[tt[1:], np.inf]
            is_last = np.zeros(c.size, bool)
            is_last[stops - 1] = True
            gap_end = np.where(is_last, stop, nxt)
            lapse = np.where(gap_end - tt >= w, tt + w, big)
            lapse[is_last & (stop - tt < w)] = big
            when = np.minimum(when, np.minimum.reduceat(lapse, starts))
        if churn_set is not None:
            hit = np.isin(ev[rows], list(churn_set))
            when = np.minimum(when, np.minimum.reduceat(np.where(hit, tt, big), starts))
        churned = np.isfinite(when) & (when <= stop)
        churn_duration = (np.where(churned, when, stop) - first) / scale

    second = np.where(count > 1, tt[np.minimum(starts + 1, c.size - 1)], np.nan)
    repeated = count > 1
    repeat_duration = (np.where(repeated, second, stop) - first) / scale

    complaint_duration = complained = None
    if complaint_set is not None:
        hit = np.isin(ev[rows], list(complaint_set))
        at = np.minimum.reduceat(np.where(hit, tt, np.inf), starts)
        complained = np.isfinite(at)
        complaint_duration = (np.where(complained, at, stop) - first) / scale

    future_activities = future_amount = future_active = None
    if horizon is not None:
        lookup = np.full(ids.size, -1)
        lookup[known] = np.arange(known.size)
        fut = (t >= stop) & (t < stop + horizon * scale)
        who = lookup[code[fut]]
        keep = who >= 0
        future_activities = np.bincount(who[keep], minlength=known.size).astype(np.int64)
        future_active = future_activities > 0
        if amt is not None:
            future_amount = np.bincount(who[keep], weights=amt[fut][keep],
                                        minlength=known.size)

    def stamp(x):
        return np.round(x).astype(np.int64).astype("datetime64[s]")

    labels = ids[known]
    if labels.dtype.kind in "US":
        labels = labels.astype(object)
    return CustomerHistories(
        labels, stamp(first), stamp(last), count.astype(np.int64), frequency,
        (stop - last) / scale, (last - first) / scale, (stop - first) / scale, total, monetary,
        mean_amount, churn_duration, churned, repeat_duration, repeated, complaint_duration,
        complained, future_activities, future_amount, future_active,
        np.datetime64(round(stop), "s"), cutoff is not None, horizon, churn_after, unit,
        int(n - rows.size), zone)
