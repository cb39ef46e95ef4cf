"""Time-zone offsets, vectorised: wall clock to instant and back.

Instants everywhere in cxpath are float64 seconds since the Unix epoch (UTC). A *wall-clock*
time is the same number read as a local date and time (what a naive timestamp holds).
:func:`localize` turns wall-clock times of a zone into instants, :func:`wall_clock` the
reverse. Both look offsets up in a table of constant-offset UTC segments built once per call
with :mod:`zoneinfo`, so the cost is a binary search per value, not a Python call.

Rules for wall-clock times that a daylight-saving switch makes odd are those of
:mod:`datetime` with ``fold=0`` (PEP 495):

* a time repeated by a fall-back switch (02:30 twice) is its **first** pass;
* a time skipped by a spring-forward switch (02:30 never happens) is read with the offset
  in force before the switch, i.e. shifted forward by the gap (02:30 becomes 03:30).

Examples
--------
>>> import numpy as np

>>> wall = np.array([1735720200.0])  # 2025-01-01 08:30 as a wall-clock time
>>> float(localize(wall, "Europe/Berlin")[0] - wall[0])  # 08:30 in Berlin is 07:30 UTC
-3600.0
>>> bool(wall_clock(localize(wall, "Europe/Berlin"), "Europe/Berlin")[0] == wall[0])
True
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo

import numpy as np

from ._validate import fail

__all__ = ["localize", "offsets", "parse_zone", "wall_clock", "wall_clock_datetimes",
           "zone_segments"]

_MARGIN = 2 * 86400  # no zone changes its offset twice within two days


def parse_zone(value, name: str, func: str) -> str:
    """The IANA name of ``value`` (a name or a :class:`zoneinfo.ZoneInfo`), else the error."""
    if isinstance(value, zoneinfo.ZoneInfo):
        return value.key
    if isinstance(value, str):
        try:
            zoneinfo.ZoneInfo(value)
            return value
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: too long
            pass
    fail(name, func, "an IANA time-zone name such as 'Europe/Berlin'", value)


def _offsets_at(zone: zoneinfo.ZoneInfo, t: np.ndarray) -> np.ndarray:
    utc = _dt.timezone.utc
    return np.array([_dt.datetime.fromtimestamp(x, utc).astimezone(zone)
                     .utcoffset().total_seconds() for x in t.tolist()])


def zone_segments(zone: zoneinfo.ZoneInfo, lo: int, hi: int):
    """UTC segments ``[a, b)`` of constant UTC offset covering ``[lo, hi)``, with offsets.

    Offsets are sampled every 6 hours and each change is located to the second by
    bisection (time zones change offset at most once in 6 hours).
    """
    grid = np.arange(lo, hi + 21600, 21600, dtype=np.int64)
    offs = _offsets_at(zone, grid)
    bounds, values = [lo], [offs[0]]
    for i in np.flatnonzero(offs[1:] != offs[:-1]):
        a, b = int(grid[i]), int(grid[i + 1])  # offset(a) != offset(b)
        while b - a > 1:
            mid = (a + b) // 2
            if _offsets_at(zone, np.array([mid]))[0] == offs[i]:
                a = mid
            else:
                b = mid
        if lo < b < hi:
            bounds.append(b)
            values.append(offs[i + 1])
    bounds.append(hi)
    return bounds, values


def _lookup(zone: str, t: np.ndarray):
    """A function giving the UTC offset (seconds) at instants near ``t``'s range."""
    finite = t[np.isfinite(t)]
    if finite.size == 0:
        return lambda u: np.zeros(np.shape(u))
    lo = int(np.floor(finite.min())) - _MARGIN
    hi = int(np.ceil(finite.max())) + _MARGIN
    bounds, values = zone_segments(zoneinfo.ZoneInfo(zone), lo, hi)
    inner = np.asarray(bounds[1:-1], dtype=np.float64)
    table = np.asarray(values, dtype=np.float64)
    return lambda u: table[np.searchsorted(inner, u, side="right")]


def offsets(instants, zone: str) -> np.ndarray:
    """UTC offset in seconds of ``zone`` at each instant (0 where the instant is NaN)."""
    t = np.asarray(instants, dtype=np.float64)
    return np.where(np.isnan(t), 0.0, _lookup(zone, t)(t))


def wall_clock(instants, zone: str) -> np.ndarray:
    """Local wall-clock times (as epoch-second numbers) of instants in ``zone``."""
    t = np.asarray(instants, dtype=np.float64)
    return t + _lookup(zone, t)(t)


def wall_clock_datetimes(values, zone: str | None) -> np.ndarray:
    """``datetime64`` UTC instants (a time-zone-aware column as :func:`~cxpath._frames.column`
    reads it) as wall-clock times of ``zone``, in the same unit, NaT kept: the clock to
    bucket them into local days, weeks and months. Unchanged without a zone."""
    arr = np.asarray(values)
    if zone is None or arr.dtype.kind != "M":
        return arr
    unit = np.datetime_data(arr.dtype)[0]
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}.get(unit)
    if per_second is None:  # whole days or coarser carry no time of day to shift
        return arr
    ints = arr.astype(np.int64)
    nat = np.isnat(arr)
    shift = offsets(np.where(nat, np.nan, ints / per_second), zone).astype(np.int64)
    out = (ints + shift * per_second).astype(arr.dtype)
    out[nat] = np.datetime64("NaT")
    return out


def localize(wall, zone: str) -> np.ndarray:
    """Instants of wall-clock times in ``zone`` (NaN stays NaN), with ``fold=0`` rules."""
    w = np.asarray(wall, dtype=np.float64)
    if zone == "UTC":
        return w.copy()
    off = _lookup(zone, w)
    before, after = off(w - 86400.0), off(w + 86400.0)
    u_before, u_after = w - before, w - after
    valid_before = off(u_before) == before
    valid_after = off(u_after) == after
    return np.where(~valid_before & valid_after, u_after, u_before)
