"""Business calendars: time zones, opening hours, holidays and business durations.

A :class:`BusinessCalendar` says when a service is open, in the local wall-clock time of
one IANA time zone (standard library :mod:`zoneinfo`): opening intervals per weekday (lunch
breaks and split shifts are several intervals a day; ``"24/7"`` is always open), holidays
(dates, or a country from the optional ``holidays`` package), one-off closures and extra
openings. It measures business time between instants and finds due dates:

* :meth:`BusinessCalendar.business_duration` — open seconds between two instants;
* :meth:`BusinessCalendar.add_business_time` — the instant at which a given amount of open
  time has passed (a due date);
* :meth:`BusinessCalendar.is_open`, :meth:`BusinessCalendar.next_open`.

:class:`CalendarSet` holds named calendars (per region, support tier …) and picks one per
row.

Instants are float64 seconds since the Unix epoch (UTC), the unit of ``Journeys.times``;
numpy ``datetime64`` (naive values are UTC instants), pandas or polars time-zone-aware
timestamps and :class:`datetime.datetime` (naive ones are UTC) are converted by
:func:`to_epoch_seconds`. Durations are always **seconds** of business time.

Rules (exact, and the same for every query):

* An instant is open when its local wall-clock time lies in an opening interval of its
  local date. Intervals are half-open ``[open, close)``; ``"24:00"`` closes at the next
  local midnight. An overnight shift is written as two intervals on two weekdays.
* Daylight saving time follows from that rule. Wall-clock times skipped by a spring-forward
  switch never occur, so an interval opening inside the gap opens at the first instant
  after it (a 00:00–24:00 day lasts 23 hours). Wall-clock times repeated by a fall-back
  switch are open on both passes (a 00:00–24:00 day lasts 25 hours; 09:00–17:00 lasts 8).
* A date's intervals are its weekday's hours, none on a holiday, plus its extra openings,
  minus its closures (a closure of a whole day removes the extra openings too).
* ``business_duration(start, end)`` is antisymmetric: negative when ``end < start``. NaN
  (or NaT) in gives NaN out.

Examples
--------
>>> from cxpath.calendar import BusinessCalendar, to_epoch_seconds
>>> cal = BusinessCalendar("Europe/Berlin",
...                        hours={"weekdays": [("09:00", "12:00"), ("13:00", "17:00")]},
...                        holidays=["2025-12-25", "2025-12-26"])
>>> t = to_epoch_seconds(np.array(["2025-12-22T07:30", "2025-12-29T10:00"],
...                               dtype="datetime64[s]"))  # UTC: 08:30 and 11:00 Berlin
>>> float(cal.business_duration(t[0], t[1])) / 3600  # Mon 9-17, Tue, Wed; Thu-Fri holidays
23.0
>>> due = cal.add_business_time(t[0], 7 * 3600)  # 7 business hours after Monday 08:30
>>> np.datetime64(int(due), "s")  # Monday 17:00 in Berlin is 16:00 UTC
np.datetime64('2025-12-22T16:00:00')
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import threading
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ._validate import array as as_array
from ._validate import fail
from ._zones import parse_zone, zone_segments

if TYPE_CHECKING:
    from ._typing import ArrayLike, TimeLike

__all__ = ["BusinessCalendar", "CalendarSet", "to_epoch_seconds"]

_DAY = 86400
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUPS = {"daily": range(7), "weekdays": range(5), "weekend": (5, 6)}
_FULL_NAMES = {"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
               "friday": "fri", "saturday": "sat", "sunday": "sun"}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_EPOCH = _dt.date(1970, 1, 1)
_BUCKET = 3600.0  # seconds per lookup bucket of the kernel
_CLS = "calendar.BusinessCalendar"
# Instants a calendar answers for: the years 1900 to 2199 (UTC). A query builds the table of
# open intervals for every year its values span (about 4 ms a year and calendar on one
# core), so a stray year such as 1111 is refused instead of taking tens of seconds.
_FIRST_INSTANT = float((_dt.date(1900, 1, 1) - _EPOCH).days * 86400)
_END_INSTANT = float((_dt.date(2200, 1, 1) - _EPOCH).days * 86400)


def _show_instant(t: float) -> str:
    """An epoch-second value for an error message, with its UTC date when it has one."""
    try:
        when = _dt.datetime.fromtimestamp(t, _dt.timezone.utc).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return f"{t:g}"
    return f"{t:g} ({when})"


# ----------------------------------------------------------------------------- conversion

def to_epoch_seconds(values: TimeLike | ArrayLike, *, name: str = "values",
                     func: str = "calendar.to_epoch_seconds") -> np.ndarray:
    """Instants as float64 seconds since the Unix epoch (UTC); NaT and None become NaN.

    Accepts numbers (already epoch seconds), numpy ``datetime64`` of any unit (naive
    values are taken as UTC instants), pandas/polars series or indexes of time-zone-aware
    or naive timestamps, and :class:`datetime.datetime` objects (aware ones are converted;
    naive ones are taken as UTC, like naive ``datetime64``). Scalars give 0-d arrays.

    Parameters
    ----------
    values : scalar or array-like
        The instants.
    name, func : str
        Names used in the error message.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    InvalidParameterError
        When the values are not instants (strings, booleans, …).

    Examples
    --------
    >>> to_epoch_seconds(np.datetime64("2025-01-01T00:00:01"))
    array(1.7356896e+09)
    >>> import datetime, zoneinfo
    >>> berlin = datetime.datetime(2025, 1, 1, 1, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    >>> float(to_epoch_seconds([berlin])[0])  # 01:00 in Berlin is midnight UTC
    1735689600.0
    """
    dtype = getattr(values, "dtype", None)
    if dtype is not None and getattr(dtype, "tz", None) is not None:  # pandas aware
        values = values.to_numpy(dtype="datetime64[ns]")
    elif dtype is not None and getattr(dtype, "time_zone", None) is not None:  # polars
        values = values.dt.convert_time_zone("UTC").dt.replace_time_zone(None).to_numpy()
    elif dtype is not None and type(values).__module__.startswith("pandas"):
        values = values.to_numpy()
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        fail(name, func, "instants (epoch seconds, datetime64 or datetimes)",
             got=f"an object numpy cannot read ({exc})")
    if arr.dtype.kind == "M":
        unit = np.datetime_data(arr.dtype)[0]
        if unit in ("ms", "us", "ns", "ps", "fs", "as"):
            scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15,
                     "as": 1e-18}[unit] * np.datetime_data(arr.dtype)[1]
            secs = arr.view(np.int64).astype(np.float64) * scale
        else:
            secs = arr.astype("datetime64[s]").view(np.int64).astype(np.float64)
        secs[np.isnat(arr)] = np.nan
        return secs
    if arr.dtype.kind in "iuf":
        return arr.astype(np.float64, copy=False)
    if arr.dtype.kind == "O":
        flat = arr.ravel()
        out = np.empty(flat.shape[0], dtype=np.float64)
        for i, v in enumerate(flat):
            out[i] = _one_instant(v, name, func)
        return out.reshape(arr.shape)
    fail(name, func, "instants (epoch seconds, datetime64 or datetimes)",
         got=f"an array of dtype {arr.dtype}")


def _one_instant(v, name, func) -> float:
    if v is None or type(v).__name__ == "NaTType":  # pandas.NaT (a datetime subclass)
        return math.nan
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None or v.tzinfo.utcoffset(v) is None:
            v = v.replace(tzinfo=_dt.timezone.utc)
        return v.timestamp()
    if isinstance(v, np.datetime64):
        return float(to_epoch_seconds(v))
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return float(v)
    fail(name, func, "instants (epoch seconds, datetime64 or datetimes)", v)


# ----------------------------------------------------------------------------- parsing

def _parse_time(value, name) -> int:
    if isinstance(value, _dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, str):
        m = _TIME.match(value.strip())
        if m:
            h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
            secs = h * 3600 + mi * 60 + s
            if mi < 60 and s < 60 and secs <= _DAY:
                return secs
    fail(name, _CLS, "opening intervals of (open, close) times as 'HH:MM' strings "
         "(00:00 to 24:00) or datetime.time", value)


def _is_time(x) -> bool:
    return isinstance(x, (str, _dt.time))


def _parse_intervals(value, name) -> tuple:
    """A day's intervals as a sorted, merged tuple of (open, close) seconds of day."""
    must = ("a list of (open, close) pairs of 'HH:MM' strings or datetime.time, "
            "with open < close")
    if value is None:
        return ()
    if isinstance(value, str):
        if value.strip().lower() in ("24h", "00:00-24:00"):
            return ((0, _DAY),)
        if value.strip().lower() == "closed":
            return ()
        fail(name, _CLS, must, value)
    if isinstance(value, tuple) and len(value) == 2 and all(_is_time(x) for x in value):
        value = [value]
    if not isinstance(value, Iterable):
        fail(name, _CLS, must, value)
    pairs = []
    for pair in value:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            fail(name, _CLS, must, pair)
        a, b = _parse_time(pair[0], name), _parse_time(pair[1], name)
        if a >= b:
            fail(name, _CLS, must, tuple(pair))
        pairs.append((a, b))
    return _merge_pairs(pairs)


def _merge_pairs(pairs) -> tuple:
    out = []
    for a, b in sorted(pairs):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _subtract_pairs(pairs, cut) -> tuple:
    out = list(pairs)
    for c0, c1 in cut:
        nxt = []
        for a, b in out:
            if c1 <= a or c0 >= b:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if c1 < b:
                nxt.append((c1, b))
        out = nxt
    return tuple(out)


def _parse_hours(value: Mapping[str, Any] | str) -> tuple:
    if isinstance(value, str):
        if value.strip() == "24/7":
            return (((0, _DAY),),) * 7
        fail("hours", _CLS, "'24/7' or a mapping of weekday ('mon' … 'sun', 'weekdays', "
             "'weekend', 'daily') to opening intervals", value)
    if not isinstance(value, Mapping):
        fail("hours", _CLS, "'24/7' or a mapping of weekday ('mon' … 'sun', 'weekdays', "
             "'weekend', 'daily') to opening intervals", value)
    week: list = [None] * 7
    rank = [-1] * 7  # specific weekday (2) > weekdays/weekend (1) > daily (0)
    for key, intervals in value.items():
        k = key.strip().lower() if isinstance(key, str) else key
        k = _FULL_NAMES.get(k, k)
        if k in _GROUPS:
            days, level = _GROUPS[k], 0 if k == "daily" else 1
        elif k in _WEEKDAYS:
            days, level = (_WEEKDAYS.index(k),), 2
        else:
            fail("hours", _CLS, "a mapping whose keys are 'mon' … 'sun', 'weekdays', "
                 "'weekend' or 'daily'", key)
        parsed = _parse_intervals(intervals, "hours")
        for d in days:
            if level > rank[d]:
                week[d], rank[d] = parsed, level
    week = tuple(w if w is not None else () for w in week)
    if not any(week):
        fail("hours", _CLS, "opening hours with at least one open interval in the week",
             value)
    return week


def _parse_date(value, name) -> _dt.date:
    if isinstance(value, _dt.datetime):
        fail(name, _CLS, "dates (datetime.date, 'YYYY-MM-DD' or datetime64[D])", value)
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, np.datetime64) and not np.isnat(value):
        return value.astype("datetime64[D]").item()
    fail(name, _CLS, "dates (datetime.date, 'YYYY-MM-DD' or datetime64[D])", value)


def _holidays_package():
    from ._optional import require

    return require("holidays", "Holidays by country code (calendar.BusinessCalendar)")


def _parse_holidays(value: Any) -> Any:
    """A frozenset of dates, or a holidays-package object (kept; queried per year)."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        hol = _holidays_package()
        country, _, subdiv = value.strip().partition("-")
        try:
            return hol.country_holidays(country.upper(), subdiv=subdiv.upper() or None)
        except NotImplementedError:
            fail("holidays", _CLS, "dates, a holidays object or a country code known to the "
                 "holidays package ('DE', 'US-NY', …)", value)
    if type(value).__module__.split(".")[0] == "holidays":
        return value
    if isinstance(value, (_dt.date, np.datetime64)) or not isinstance(value, Iterable):
        fail("holidays", _CLS, "an iterable of dates, a holidays object or a country code",
             value)
    return frozenset(_parse_date(v, "holidays") for v in value)


def _parse_by_date(value, name, *, whole_day_ok) -> tuple:
    """Date → intervals as a sorted tuple of (date, intervals); None means the whole day."""
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items = value.items()
    elif whole_day_ok and isinstance(value, Iterable) and not isinstance(value, str):
        items = ((v, None) for v in value)
    else:
        fail(name, _CLS, "a mapping of date to opening intervals"
             + (" (None for the whole day) or a list of dates" if whole_day_ok else ""),
             value)
    out: dict = {}
    for key, intervals in items:
        day = _parse_date(key, name)
        if intervals is None:
            if not whole_day_ok:
                fail(name, _CLS, "a mapping of date to opening intervals", intervals)
            parsed = None
        else:
            parsed = _parse_intervals(intervals, name)
        if day in out and out[day] is not None and parsed is not None:
            parsed = _merge_pairs(out[day] + parsed)
        elif day in out:
            parsed = None
        out[day] = parsed
    return tuple(sorted(out.items()))


def _parse_closures(value: Mapping[Any, Any] | Iterable[Any] | None) -> tuple:
    return _parse_by_date(value, "closures", whole_day_ok=True)


def _parse_openings(value: Mapping[Any, Any] | None) -> tuple:
    return _parse_by_date(value, "openings", whole_day_ok=False)


def _parse_zone(value: str | zoneinfo.ZoneInfo) -> str:
    return parse_zone(value, "timezone", _CLS)


# ----------------------------------------------------------------------------- the table

@attrs.frozen
class _Table:
    """Open intervals over [lo, hi) UTC seconds: sorted, disjoint, non-touching."""

    lo: float
    hi: float
    starts: np.ndarray
    ends: np.ndarray
    lens: np.ndarray
    cum_start: np.ndarray
    cum_end: np.ndarray
    buckets: np.ndarray

    def cum(self, t: np.ndarray) -> np.ndarray:
        from ._kernels.calendar import cum_open

        return cum_open(t, self.starts, self.lens, self.cum_start, self.buckets,
                        self.lo, _BUCKET)


# ----------------------------------------------------------------------------- calendar

def _hours_repr(week) -> str:
    if all(w == ((0, _DAY),) for w in week):
        return "'24/7'"

    def hm(s):
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}" + (f":{s % 60:02d}" if s % 60 else "")

    parts, i = [], 0
    while i < 7:
        j = i
        while j + 1 < 7 and week[j + 1] == week[i]:
            j += 1
        if week[i]:
            days = _WEEKDAYS[i] if i == j else f"{_WEEKDAYS[i]}-{_WEEKDAYS[j]}"
            parts.append(days + " " + " ".join(f"{hm(a)}-{hm(b)}" for a, b in week[i]))
        i = j + 1
    return "{" + ", ".join(parts) + "}"


def _holidays_repr(h) -> str:
    if isinstance(h, frozenset):
        return f"{len(h)} dates"
    country = getattr(h, "country", "?")
    subdiv = getattr(h, "subdiv", None)
    return f"holidays package {country}{'-' + subdiv if subdiv else ''}"


@attrs.frozen(eq=False, repr=False)
class BusinessCalendar:
    """When a service is open, in the local time of one time zone.

    Parameters
    ----------
    timezone : str or zoneinfo.ZoneInfo, default "UTC"
        IANA time-zone name of the opening hours, e.g. ``"Europe/Berlin"``.
    hours : mapping or "24/7", default Monday–Friday 09:00–17:00
        Opening intervals per weekday: keys ``"mon"`` … ``"sun"``, ``"weekdays"``
        (Mon–Fri), ``"weekend"`` and ``"daily"`` (a named weekday overrides a group,
        a group overrides ``"daily"``); values are lists of ``(open, close)`` pairs of
        ``"HH:MM"`` / ``"HH:MM:SS"`` strings or :class:`datetime.time`, ``"24:00"``
        allowed as a closing time, ``"24h"`` for the whole day, ``[]`` or ``"closed"``
        for closed. Weekdays not named are closed. Overlapping intervals are merged.
        ``"24/7"`` is open every day all day.
    holidays : iterable of dates, country code or holidays object, optional
        Local dates on which the weekday hours do not apply: dates (``datetime.date``,
        ``"YYYY-MM-DD"``, ``datetime64``), a country code known to the ``holidays``
        package (``"DE"``, ``"US-NY"`` for a subdivision; optional extra ``holidays``),
        or an object from that package.
    closures : mapping of date to intervals, or iterable of dates, optional
        One-off closures: ``None`` (or a bare date in a list) closes the whole day,
        intervals close part of it.
    openings : mapping of date to intervals, optional
        Extra openings on given dates (a Sunday sale, weekend cover on a holiday).
    name : str, optional
        A label shown in the repr.

    Notes
    -----
    Queries are exact: the calendar's open intervals over the dates needed are converted
    once to UTC intervals with :mod:`zoneinfo` (cached per calendar and extended on
    demand), with cumulative open seconds, so a duration is ``cum(end) - cum(start)``,
    looked up by a numba kernel. See the module documentation for the daylight-saving
    rule (skipped wall-clock times never occur; repeated ones are open on both passes).

    Examples
    --------
    >>> BusinessCalendar("America/New_York", hours={"weekdays": [("08:00", "12:00"),
    ...                  ("12:30", "17:00")], "sat": [("10:00", "14:00")]})
    ... # doctest: +NORMALIZE_WHITESPACE
    BusinessCalendar('America/New_York',
        hours={mon-fri 08:00-12:00 12:30-17:00, sat 10:00-14:00},
        holidays=0 dates, closures=0, openings=0)
    >>> BusinessCalendar("UTC", hours="24/7").weekly_open_seconds / 3600
    168.0
    """

    timezone: str = attrs.field(default="UTC", converter=_parse_zone)
    hours: tuple = attrs.field(
        default=attrs.Factory(lambda: {"weekdays": [("09:00", "17:00")]}),
        converter=_parse_hours)
    holidays: object = attrs.field(default=None, converter=_parse_holidays)
    closures: tuple = attrs.field(default=None, converter=_parse_closures)
    openings: tuple = attrs.field(default=None, converter=_parse_openings)
    name: str | None = attrs.field(default=None)
    _cache: dict = attrs.field(factory=dict, init=False, repr=False)
    _lock: object = attrs.field(factory=threading.Lock, init=False, repr=False)

    @name.validator
    def _check_name(self, attribute, value):
        if value is not None and not isinstance(value, str):
            fail("name", _CLS, "a string or None", value)

    def __repr__(self) -> str:
        label = f", name={self.name!r}" if self.name is not None else ""
        return (f"BusinessCalendar({self.timezone!r}, hours={_hours_repr(self.hours)}, "
                f"holidays={_holidays_repr(self.holidays)}, closures={len(self.closures)}, "
                f"openings={len(self.openings)}{label})")

    @property
    def weekly_open_seconds(self) -> float:
        """Open seconds in a regular week (no holidays, no DST switch)."""
        return float(sum(b - a for day in self.hours for a, b in day))

    # ------------------------------------------------------------------ table building

    def _holiday_dates(self, first: _dt.date, last: _dt.date) -> set:
        h = self.holidays
        if isinstance(h, frozenset):
            return {d for d in h if first <= d <= last}
        for year in range(first.year, last.year + 1):
            _dt.date(year, 1, 1) in h  # noqa: B015 - populates the year in the package
        return {d for d in h if first <= d <= last}

    def _build(self, d0: int, d1: int) -> _Table:
        """The table valid for UTC instants in [(d0 + 2) days, (d1 - 2) days)."""
        days = np.arange(d0, d1, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
        first = _EPOCH + _dt.timedelta(days=int(d0))
        last = _EPOCH + _dt.timedelta(days=int(d1) - 1)
        holidays = self._holiday_dates(first, last)
        openings, closures = dict(self.openings), dict(self.closures)
        special = holidays | {d for d in (*openings, *closures) if first <= d <= last}
        regular = np.ones(days.shape[0], dtype=bool)
        for d in special:
            regular[(d - _EPOCH).days - d0] = False
        pieces_a, pieces_b = [], []
        for w in range(7):
            chosen = days[(weekday == w) & regular] * _DAY
            for a, b in self.hours[w]:
                pieces_a.append(chosen + a)
                pieces_b.append(chosen + b)
        for d in sorted(special):
            base = () if d in holidays else self.hours[d.weekday()]
            pairs = _merge_pairs(base + openings.get(d, ()))
            if d in closures:
                pairs = () if closures[d] is None else _subtract_pairs(pairs, closures[d])
            origin = (d - _EPOCH).days * _DAY
            pieces_a.append(np.array([origin + a for a, _ in pairs], dtype=np.int64))
            pieces_b.append(np.array([origin + b for _, b in pairs], dtype=np.int64))
        loc_a = np.concatenate(pieces_a)
        loc_b = np.concatenate(pieces_b)
        order = np.argsort(loc_a, kind="stable")
        loc_a, loc_b = _merge_sorted(loc_a[order], loc_b[order])
        lo, hi = (d0 + 2) * _DAY, (d1 - 2) * _DAY
        bounds, offs = zone_segments(zoneinfo.ZoneInfo(self.timezone), lo, hi)
        utc_a, utc_b = [], []
        for k, off in enumerate(offs):  # local = utc + off within a segment
            off = int(off)
            s0, s1 = bounds[k] + off, bounds[k + 1] + off
            i0 = np.searchsorted(loc_b, s0, side="right")
            i1 = np.searchsorted(loc_a, s1, side="left")
            a = np.maximum(loc_a[i0:i1], s0) - off
            b = np.minimum(loc_b[i0:i1], s1) - off
            keep = b > a
            utc_a.append(a[keep])
            utc_b.append(b[keep])
        starts, ends = _merge_sorted(np.concatenate(utc_a), np.concatenate(utc_b))
        starts = starts.astype(np.float64)
        ends = ends.astype(np.float64)
        lens = ends - starts
        cum_end = np.cumsum(lens)
        cum_start = cum_end - lens
        n_buckets = math.ceil((hi - lo) / _BUCKET) + 1
        grid = lo + _BUCKET * np.arange(n_buckets, dtype=np.float64)
        buckets = np.searchsorted(starts, grid, side="right").astype(np.int64) - 1
        return _Table(float(lo), float(hi), starts, ends, lens, cum_start, cum_end, buckets)

    def _table(self, t_min: float, t_max: float) -> _Table:
        """A table covering [t_min, t_max] (built, or reused from the cache)."""
        with self._lock:
            table = self._cache.get("table")
            if table is not None and table.lo <= t_min and t_max < table.hi:
                return table
            if table is not None:
                t_min, t_max = min(t_min, table.lo), max(t_max, table.hi - 1)
            y0 = _dt.datetime.fromtimestamp(t_min, _dt.timezone.utc).year
            y1 = _dt.datetime.fromtimestamp(t_max, _dt.timezone.utc).year
            d0 = (_dt.date(y0, 1, 1) - _EPOCH).days - 3
            d1 = (_dt.date(y1 + 1, 1, 1) - _EPOCH).days + 3
            table = self._build(d0, d1)
            self._cache["table"] = table
            return table

    def _table_for(self, *arrays, func: str = f"{_CLS}.business_duration",
                   name: str = "start") -> _Table:
        lows = [np.fmin.reduce(a) for a in arrays if a.size]  # NaN-skipping, no copies
        highs = [np.fmax.reduce(a) for a in arrays if a.size]
        lo = float(np.fmin.reduce(lows)) if lows else math.nan
        hi = float(np.fmax.reduce(highs)) if highs else math.nan
        if math.isnan(lo):
            return self._table(0.0, 0.0)
        if lo < _FIRST_INSTANT or hi >= _END_INSTANT:  # and infinities
            fail(name, func, "instants in the years 1900 to 2199 (epoch seconds from "
                 f"{_FIRST_INSTANT:.0f} to below {_END_INSTANT:.0f})",
                 got=f"values from {_show_instant(lo)} to {_show_instant(hi)}", data=True)
        return self._table(lo, hi)

    # ------------------------------------------------------------------ queries

    def business_duration(self, start: TimeLike | ArrayLike,
                          end: TimeLike | ArrayLike) -> np.ndarray | float:
        """Open seconds between ``start`` and ``end``, row by row.

        Parameters
        ----------
        start, end : instants (scalar or array-like, broadcast together)
            Epoch seconds (UTC), ``datetime64`` or aware timestamps
            (see :func:`to_epoch_seconds`).

        Returns
        -------
        numpy.ndarray of float64
            Seconds of business time (never hours or days); negative when
            ``end < start``; NaN where either is NaN/NaT.

        Raises
        ------
        InvalidParameterError
            When ``start`` or ``end`` are not instants or do not broadcast.

        Examples
        --------
        >>> cal = BusinessCalendar("UTC", hours={"weekdays": [("09:00", "17:00")]})
        >>> monday_8am = 1735516800.0 + 8 * 3600  # 2024-12-30 08:00 UTC
        >>> cal.business_duration(monday_8am, monday_8am + np.array([3600, 9 * 3600, 0]))
        array([    0., 28800.,     0.])
        >>> float(cal.business_duration(monday_8am + 9 * 3600, monday_8am))  # reversed
        -28800.0
        """
        func = f"{_CLS}.business_duration"
        a = to_epoch_seconds(start, name="start", func=func)
        b = to_epoch_seconds(end, name="end", func=func)
        a, b, shape = _flat_pair(a, b, "end", func)
        table = self._table_for(a, b)
        from ._kernels.calendar import business_durations

        out = business_durations(a, b, table.starts, table.lens, table.cum_start,
                                 table.buckets, table.lo, _BUCKET)
        return out.reshape(shape)[()]

    def is_open(self, t: TimeLike | ArrayLike) -> np.ndarray | np.bool_:
        """Whether the service is open at each instant (False for NaN).

        Examples
        --------
        >>> cal = BusinessCalendar("UTC", hours={"daily": [("09:00", "17:00")]})
        >>> cal.is_open(np.array([8.5, 9.0, 16.99, 17.0]) * 3600)
        array([False,  True,  True, False])
        """
        t = to_epoch_seconds(t, name="t", func=f"{_CLS}.is_open")
        flat = t.ravel()
        table = self._table_for(flat, func=f"{_CLS}.is_open", name="t")
        i = np.searchsorted(table.starts, np.nan_to_num(flat, nan=-np.inf), side="right") - 1
        ok = (i >= 0) & np.isfinite(flat)
        i = np.maximum(i, 0)
        return (ok & (flat < table.ends[i])).reshape(t.shape)[()]

    def next_open(self, t: TimeLike | ArrayLike) -> np.ndarray | float:
        """The earliest open instant at or after each ``t`` (``t`` itself when open).

        Examples
        --------
        >>> cal = BusinessCalendar("UTC", hours={"daily": [("09:00", "17:00")]})
        >>> cal.next_open(np.array([8.0, 10.0, 17.0]) * 3600) / 3600
        array([ 9., 10., 33.])
        """
        func = f"{_CLS}.next_open"
        t = to_epoch_seconds(t, name="t", func=func)
        flat = np.ascontiguousarray(t.ravel(), dtype=np.float64)
        out = np.full(flat.shape, np.nan)
        todo = np.isfinite(flat)
        horizon = 14 * _DAY
        while todo.any():
            table = self._table_for(flat[todo], flat[todo] + horizon, func=func, name="t")
            j = np.searchsorted(table.ends, flat[todo], side="right")
            found = j < table.starts.shape[0]
            idx = np.flatnonzero(todo)
            jj = np.minimum(j, table.starts.shape[0] - 1)
            value = np.maximum(flat[idx], table.starts[jj])
            good = found & (value < table.hi)
            out[idx[good]] = value[good]
            todo[idx[good]] = False
            horizon *= 4
            if horizon > 400 * 366 * _DAY:  # pragma: no cover - hours are never empty
                break
        return out.reshape(t.shape)[()]

    def add_business_time(self, start: TimeLike | ArrayLike,
                          seconds: float | ArrayLike) -> np.ndarray | float:
        """The instant at which ``seconds`` of open time have passed since ``start``.

        A due date: for ``seconds > 0`` the earliest instant ``t`` with
        ``business_duration(start, t) == seconds`` (so a deadline falling on a closing time
        is that closing time, not the next opening); for ``seconds == 0`` the next opening
        (``start`` itself when open); for ``seconds < 0`` the latest instant ``t`` with
        ``business_duration(t, start) == -seconds`` (counting back).

        Parameters
        ----------
        start : instants (scalar or array-like)
            See :func:`to_epoch_seconds`.
        seconds : float or array-like
            Business time to add, in seconds (broadcast against ``start``).

        Returns
        -------
        numpy.ndarray of float64
            Epoch seconds (UTC); NaN where ``start`` or ``seconds`` is NaN.

        Examples
        --------
        >>> cal = BusinessCalendar("UTC", hours={"weekdays": [("09:00", "12:00"),
        ...                                                  ("13:00", "17:00")]})
        >>> friday_11 = 1736506800.0  # 2025-01-10 11:00 UTC, a Friday
        >>> due = cal.add_business_time(friday_11, 3 * 3600)  # 1 h Friday morning, 2 h later
        >>> float(due - friday_11) / 3600  # Friday 15:00
        4.0
        >>> float(cal.add_business_time(friday_11, 8 * 3600) - friday_11) / 3600  # Mon 12:00
        73.0
        """
        func = f"{_CLS}.add_business_time"
        a = to_epoch_seconds(start, name="start", func=func)
        try:
            s = np.asarray(seconds, dtype=np.float64)
        except (TypeError, ValueError):
            fail("seconds", func, "real numbers of seconds", seconds)
        if np.isinf(s).any():
            fail("seconds", func, "finite numbers of seconds (or NaN)", got="infinite values")
        a, s, shape = _flat_pair(a, s, "seconds", func)
        out = np.full(a.shape, np.nan)
        ok = np.isfinite(a) & np.isfinite(s)
        zero = ok & (s == 0)
        if zero.any():
            out[zero] = self.next_open(a[zero])
        todo = ok & (s != 0)
        week = self.weekly_open_seconds
        pad = np.zeros(a.shape)
        pad[todo] = np.abs(s[todo]) / week * 7 * _DAY * 1.5 + 14 * _DAY
        while todo.any():
            idx = np.flatnonzero(todo)
            ai, si, pi = a[idx], s[idx], pad[idx]
            table = self._table_for(ai, ai + np.where(si > 0, pi, -pi), func=func)
            target = table.cum(ai) + si
            fwd = si > 0
            n = table.starts.shape[0]
            j = np.minimum(np.searchsorted(table.cum_end, target, side="left"), n - 1)
            res_f = table.starts[j] + (target - table.cum_start[j])
            k = np.searchsorted(table.cum_start, target, side="right") - 1
            kk = np.maximum(k, 0)
            res_b = table.starts[kk] + (target - table.cum_start[kk])
            # clamps: a tiny amount can vanish in cum + seconds (float rounding)
            res = np.where(fwd, np.maximum(res_f, ai), np.minimum(res_b, ai))
            good = np.where(fwd, target <= table.cum_end[-1], (k >= 0) & (target >= 0))
            good &= (res >= table.lo) & (res < table.hi)
            out[idx[good]] = res[good]
            todo[idx[good]] = False
            pad[idx] *= 4
            if pad[idx].min() > 400 * 366 * _DAY:  # pragma: no cover - hours never empty
                break
        return out.reshape(shape)[()]


def check_calendar(calendar, func: str):
    """``calendar`` if it is None or a :class:`BusinessCalendar`, else the shaped error."""
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        fail("calendar", func, "a cxpath.calendar.BusinessCalendar or None",
             got=type(calendar).__name__)
    return calendar


def naive_instants(calendar: BusinessCalendar, *times: np.ndarray) -> tuple:
    """Naive wall-clock times (epoch-second numbers) read as local time in the calendar's
    zone, as instants: the rule for naive input measured on a calendar."""
    if calendar.timezone == "UTC":
        return times
    from ._zones import localize

    return tuple(localize(t, calendar.timezone) for t in times)


def clock_name(calendar: BusinessCalendar | None, naive: bool) -> str:
    """What a result's durations were measured on, for its summary: ``'elapsed time'``, or
    the calendar and, for naive times, where they were read."""
    if calendar is None:
        return "elapsed time"
    name = f"business time on {calendar!r}"
    if naive:
        name += f"; naive times read as local time in {calendar.timezone}"
    return name


def _flat_pair(a, b, name: str, func: str):
    """``start`` (float64 instants) and a second argument broadcast together, as contiguous
    vectors, with the broadcast shape to give the result back in. The second keeps its
    dtype: the method it goes to checks it."""
    try:
        a, b = np.broadcast_arrays(a, b)
    except ValueError:
        fail(name, func, f"broadcastable with 'start' (shape {np.shape(a)})",
             got=f"shape {np.shape(b)}")
    return (np.ascontiguousarray(a.ravel(), dtype=np.float64), np.ascontiguousarray(b.ravel()),
            a.shape)


def _merge_sorted(a: np.ndarray, b: np.ndarray):
    """Merge intervals sorted by start that overlap or touch."""
    if a.shape[0] == 0:
        return a, b
    run_end = np.maximum.accumulate(b)
    new = np.ones(a.shape[0], dtype=bool)
    new[1:] = a[1:] > run_end[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, a.shape[0] - 1)
    return a[first], run_end[last]


# ----------------------------------------------------------------------------- sets

_SET = "calendar.CalendarSet"


def _check_calendars(value: Mapping[Any, BusinessCalendar]) -> tuple:
    if not isinstance(value, Mapping) or not value:
        fail("calendars", _SET, "a non-empty mapping of segment label to BusinessCalendar",
             value)
    for key, cal in value.items():
        if not isinstance(cal, BusinessCalendar):
            fail("calendars", _SET, "a mapping whose values are BusinessCalendar objects",
                 got=f"{type(cal).__name__} for {key!r}")
    return tuple(value.items())


@attrs.frozen(eq=False, repr=False)
class CalendarSet:
    """Named calendars (per region, support tier …), one chosen per row.

    Parameters
    ----------
    calendars : mapping of label to BusinessCalendar
        The calendars. Integer segment codes index them in this order.
    default : label, optional
        Calendar used for segment labels not in ``calendars`` (an error otherwise).

    Examples
    --------
    >>> eu = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})
    >>> us = BusinessCalendar("America/New_York", hours={"weekdays": [("09:00", "17:00")]})
    >>> cals = CalendarSet({"EU": eu, "US": us})
    >>> start = np.array([1736496000.0, 1736496000.0])  # 2025-01-10 08:00 UTC, a Friday
    >>> cals.business_duration(start, start + 6 * 3600, segment=["EU", "US"]) / 3600
    array([5., 0.])
    """

    calendars: tuple = attrs.field(converter=_check_calendars)
    default: object = attrs.field(default=None)

    def __attrs_post_init__(self):
        try:
            known = self.default is None or self.default in dict(self.calendars)
        except TypeError:  # unhashable
            known = False
        if not known:
            fail("default", _SET, "one of the calendar labels "
                 + ", ".join(repr(k) for k, _ in self.calendars), self.default)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {c!r}" for k, c in self.calendars)
        tail = f", default={self.default!r}" if self.default is not None else ""
        return f"CalendarSet({{{inner}}}{tail})"

    def __getitem__(self, label: Any) -> BusinessCalendar:
        return dict(self.calendars)[label]

    @property
    def labels(self) -> tuple:
        """The segment labels, in order (integer codes index this tuple)."""
        return tuple(k for k, _ in self.calendars)

    def _codes(self, segment, n: int, func: str) -> np.ndarray:
        try:
            seg = np.asarray(segment)
        except (TypeError, ValueError):  # ragged nested sequences
            fail("segment", func, f"one label per row ({n})",
                 got="an object numpy cannot read as a vector of labels")
        if seg.ndim == 0:
            seg = np.full(n, seg.item(), dtype=object)
        if seg.shape != (n,):
            fail("segment", func, f"one label per row ({n})", got=f"shape {seg.shape}")
        labels = self.labels
        if seg.dtype.kind in "iu":
            codes = seg.astype(np.int64)
            bad = (codes < 0) | (codes >= len(labels))
            if bad.any():
                fail("segment", func, f"codes in [0, {len(labels) - 1}] or labels",
                     seg[bad][0], data=True)
            return codes
        index = {k: i for i, k in enumerate(labels)}
        default = index.get(self.default, -1)
        must = "labels of the calendar set (" + ", ".join(repr(k) for k in labels) + ")"
        try:
            uniq, inverse = np.unique(seg.astype(object), return_inverse=True)
            uniq = uniq.tolist()
        except TypeError:  # labels that do not sort (mixed types, arbitrary objects)
            first: dict = {}
            inverse = np.empty(n, dtype=np.int64)
            for i, x in enumerate(seg.tolist()):
                try:
                    inverse[i] = first.setdefault(x, len(first))
                except TypeError:  # unhashable
                    fail("segment", func, must, got=f"{x!r} at row {i}", data=True)
            uniq = list(first)
        try:
            mapped = np.array([index.get(u, default) for u in uniq], dtype=np.int64)
        except TypeError:  # an unhashable label
            mapped = np.array([index.get(u, default) if getattr(u, "__hash__", None) else -1
                               for u in uniq], dtype=np.int64)
        if (mapped < 0).any():
            fail("segment", func, must, uniq[int(np.argmax(mapped < 0))], data=True)
        return mapped[np.asarray(inverse).ravel()]

    def _per_calendar(self, method: str, first, second, segment, func):
        a = to_epoch_seconds(first, name="start", func=func)
        if method == "add_business_time":
            b = as_array(second, "seconds", func)
        else:
            b = to_epoch_seconds(second, name="end", func=func)
        a, b, shape = _flat_pair(a, b, "seconds" if method == "add_business_time" else "end",
                                 func)
        codes = self._codes(segment, a.shape[0], func)
        out = np.full(a.shape, np.nan)
        for k, (_, cal) in enumerate(self.calendars):
            rows = codes == k
            if rows.any():
                out[rows] = getattr(cal, method)(a[rows], b[rows])
        return out.reshape(shape)[()]

    def business_duration(self, start: TimeLike | ArrayLike, end: TimeLike | ArrayLike, *,
                          segment: ArrayLike) -> np.ndarray | float:
        """Open seconds between ``start`` and ``end`` on each row's calendar.

        ``segment`` gives each row's calendar as a label or an integer code (index into
        :attr:`labels`); see :meth:`BusinessCalendar.business_duration`.
        """
        return self._per_calendar("business_duration", start, end, segment,
                                  f"{_SET}.business_duration")

    def add_business_time(self, start: TimeLike | ArrayLike, seconds: float | ArrayLike, *,
                          segment: ArrayLike) -> np.ndarray | float:
        """Due dates on each row's calendar; see :meth:`BusinessCalendar.add_business_time`."""
        return self._per_calendar("add_business_time", start, seconds, segment,
                                  f"{_SET}.add_business_time")
