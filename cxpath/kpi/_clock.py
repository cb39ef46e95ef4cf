"""Time columns of ticket tables on one clock: instants, naive wall-clock times, calendars.

Shared by the efficiency and SLA KPIs: a time column is read as epoch seconds and told
naive (no offset: wall-clock times) or aware; a business calendar reads naive times as local
time in its own zone; the deprecated ``business_hours`` dict becomes a calendar on the
timestamps' own clock.
"""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._frames import column, column_zone
from .._warnings import warn

__all__ = ["choose_calendar", "legacy_calendar", "measure", "read_instants", "read_pair",
           "read_times", "show_time"]


def read_instants(data, values, name, func):
    """A time column as ``(epoch seconds, naive, zone)``: NaN where missing; ``naive`` when
    the values carry no offset (wall-clock times); ``zone`` of a typed aware column."""
    from ..journeys._encode import naive_times, to_epoch_seconds
    from ._common import refuse_bools, required

    required(values, name, func, "a column name or an array of timestamps")
    if not isinstance(values, str):
        refuse_bools(values, name, func)
    arr = column(data, values, name, func)
    refuse_bools(arr, name, func)
    if arr.size == 0:
        v.fail(name, func, "an array with at least 1 element(s)", got="0 element(s)",
               data=True)
    if arr.dtype.kind in "UO":  # numpy's spelling of a missing time, as in the examples
        nat = np.isin(arr, ["NaT", "nat", "NAT"])
        if nat.any():
            arr = arr.astype(object)
            arr[nat] = None
    secs, missing, bad, aware = to_epoch_seconds(arr, None, name, func)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "timestamps (datetime64, datetimes or ISO-8601 strings)",
               got=f"{arr[i]!r} at position {i}", data=True)
    zone = column_zone(data, values)
    return secs, naive_times(aware, ~missing, zone, arr, name, func), zone


def read_times(data, values, name, func, zone: str | None = None) -> np.ndarray:
    """Timestamps as datetime64[s] (NaT allowed) from a column or values; with ``zone``,
    naive values are wall-clock times of that zone (read as its instants)."""
    secs, naive, _ = read_instants(data, values, name, func)
    if zone is not None and naive:
        from .._zones import localize

        secs = localize(secs, zone)
    out = np.full(secs.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = ~np.isnan(secs)
    out[ok] = np.floor(secs[ok]).astype(np.int64).astype("datetime64[s]")
    return out


def legacy_calendar(business_hours, zone, naive, func, name="business_hours"):
    """The BusinessCalendar of an old ``business_hours`` dict, on the timestamps' clock:
    the zone of a typed aware column, or the naive wall clock. Times with UTC offsets but no
    zone name have no local clock to read hours on: an error asks for a calendar."""
    from ..calendar import BusinessCalendar

    if zone is None and not naive:
        v.fail(name, func, "used with naive times or a time-zone-aware datetime column "
               "(opening hours are local times)", got="times with UTC offsets but no zone; "
               "pass calendar=cxpath.calendar.BusinessCalendar('<your zone>', ...)",
               data=True)

    if not isinstance(business_hours, dict):
        v.fail("business_hours", func, "a dict with keys 'open', 'close' (hours) and "
               "optionally 'weekmask', 'holidays'", business_hours)
    unknown = set(business_hours) - {"open", "close", "weekmask", "holidays"}
    if unknown:
        v.fail("business_hours", func, "a dict with keys among 'open', 'close', 'weekmask', "
               "'holidays'", got=f"unknown keys {sorted(unknown)}")
    opens = v.check_real(business_hours.get("open", 9), "business_hours['open']", func,
                         low=0.0, high=24.0)
    close = v.check_real(business_hours.get("close", 17), "business_hours['close']", func,
                         low=opens, high=24.0, closed="right")
    if close <= opens:
        v.fail("business_hours['close']", func, "later than 'open'", close)
    mask = business_hours.get("weekmask", "1111100")
    if isinstance(mask, str) and len(mask) == 7 and set(mask) <= {"0", "1"}:
        days = [c == "1" for c in mask]
    elif isinstance(mask, (list, tuple, np.ndarray)) and np.ndim(mask) == 1 and len(mask) == 7:
        days = [bool(c) for c in mask]
    else:
        v.fail("business_hours['weekmask']", func, "seven 0/1 flags, Monday first, such as "
               "'1111100'", mask)

    def hm(hours):
        total = round(hours * 3600)
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"

    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    hours = {d: [(hm(opens), hm(close))] for d, on in zip(names, days) if on}
    try:
        days_off = np.asarray(business_hours.get("holidays", []), dtype="datetime64[D]")
        if days_off.ndim != 1:
            raise ValueError("not one-dimensional")
        holidays = [str(d)[:10] for d in days_off]
    except (TypeError, ValueError):
        v.fail("business_hours['holidays']", func, "dates", business_hours.get("holidays"))
    return BusinessCalendar(zone or "UTC", hours=hours, holidays=holidays)


def choose_calendar(calendar, business_hours, zone, naive, func):
    """The calendar to measure on (None: elapsed time), from ``calendar`` or the deprecated
    ``business_hours`` dict (read on the clock of the timestamps: their typed zone, else
    the naive wall clock)."""
    if business_hours is not None:
        if calendar is not None:
            v.fail("business_hours", func, "None when 'calendar' is given", business_hours)
        warn(f"The 'business_hours' parameter of {func} is deprecated: pass "
             "calendar=cxpath.calendar.BusinessCalendar(...), which also knows time "
             "zones, lunch breaks and holidays.", DeprecationWarning, stacklevel=4)
        return legacy_calendar(business_hours, zone, naive, func)
    from ..calendar import check_calendar

    return check_calendar(calendar, func)


def measure(start, end, naive, calendar):
    """Seconds from ``start`` to ``end`` (NaN where either is missing) and the clock's name.

    On a calendar, naive (wall-clock) times are read as local time in its zone."""
    from ..calendar import clock_name, naive_instants

    if calendar is None:
        return end - start, clock_name(None, naive)
    if naive:
        start, end = naive_instants(calendar, start, end)
    return calendar.business_duration(start, end), clock_name(calendar, naive)


def read_pair(data, start, end, names, func):
    """Two time columns on one clock: ``(start, end, naive, zone)``."""
    s, naive_s, zone_s = read_instants(data, start, names[0], func)
    e, naive_e, zone_e = read_instants(data, end, names[1], func)
    v.check_same_length(func, **{names[0]: s, names[1]: e})
    if naive_s != naive_e and (~np.isnan(s)).any() and (~np.isnan(e)).any():
        v.fail(names[1], func, f"time-zone aware exactly when '{names[0]}' is",
               got=f"{'naive' if naive_e else 'aware'} '{names[1]}' with "
                   f"{'naive' if naive_s else 'aware'} '{names[0]}'", data=True)
    return s, e, naive_s and naive_e, zone_s or zone_e


def show_time(secs: float) -> str:
    return str(np.datetime64(int(np.floor(secs)), "s")) if secs == secs else "NaT"
