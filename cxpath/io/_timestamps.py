"""Vectorised ISO-8601 parsing: UTC instants (microseconds) and each text's UTC offset.

The common shape ``YYYY-MM-DD[T ]hh:mm:ss[.f…][Z|±hh:mm|±hhmm|±hh]`` is parsed with numpy
digit arithmetic on the code points of the strings; anything else (date only, basic
format, week dates …) goes through :meth:`datetime.datetime.fromisoformat` one value at a
time, so both paths follow the same rules as the standard library (which is also what pm4py's
XES reader uses): fractional digits beyond the sixth are truncated, a text without offset is
taken as UTC.

Examples
--------
>>> us, off, bad = parse_iso(["2011-10-01T00:38:44.546+02:00", "2011-10-01", "nope"])
>>> us.astype("datetime64[us]")
array(['2011-09-30T22:38:44.546000', '2011-10-01T00:00:00.000000',
       'NaT'], dtype='datetime64[us]')
>>> off.tolist(), bad.tolist()
([120, -32768, -32768], [False, False, True])
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

__all__ = ["NAT", "NO_OFFSET", "parse_iso"]

#: Offset value for a timestamp written without a UTC offset (taken as UTC) or missing.
NO_OFFSET = np.int16(np.iinfo(np.int16).min)
NAT = np.iinfo(np.int64).min  # int64 view of NaT

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = 1_000_000


def _one(text) -> tuple[int, int] | None:
    """(microseconds since the epoch UTC, offset minutes or NO_OFFSET), or None if invalid."""
    if not isinstance(text, str):
        return None
    s = text
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        offset = int(NO_OFFSET)
        dt = dt.replace(tzinfo=timezone.utc)
    else:
        offset = int(dt.utcoffset().total_seconds() // 60)
    delta = dt - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _US + delta.microseconds, offset


def parse_iso(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse ISO-8601 texts.

    Returns ``(us, offset, bad)``: int64 microseconds since 1970-01-01 UTC (``NAT`` when
    missing or invalid), int16 offset minutes (``NO_OFFSET`` when the text has none, is
    missing or invalid) and a mask of the texts that could not be parsed (``None`` is
    missing, not bad).
    """
    values = list(values)
    n = len(values)
    us = np.full(n, NAT, dtype=np.int64)
    off = np.full(n, NO_OFFSET, dtype=np.int16)
    bad = np.zeros(n, dtype=bool)
    if n == 0:
        return us, off, bad
    if set(map(type, values)) == {str}:
        present = np.ones(n, dtype=bool)
    else:
        present = np.array([isinstance(x, str) for x in values], dtype=bool)
    idx = np.flatnonzero(present)
    if len(idx) == 0:
        bad[:] = [x is not None for x in values]
        return us, off, bad
    strs = [values[i] for i in idx] if len(idx) < n else values
    width = max(map(len, strs))
    if width < 19 or width > 64:
        fast = np.zeros(len(idx), dtype=bool)
    else:
        try:
            arr = np.array(strs, dtype=f"S{width}")  # ASCII: one byte per character
        except UnicodeEncodeError:
            arr = None
        if arr is None:
            fast = np.zeros(len(idx), dtype=bool)
        else:
            fast, f_us, f_off = _fast(arr)
            us[idx[fast]] = f_us[fast]
            off[idx[fast]] = f_off[fast]
    for j in np.flatnonzero(~fast).tolist():
        parsed = _one(strs[j])
        i = idx[j]
        if parsed is None:
            bad[i] = True
        else:
            us[i], off[i] = parsed
    other = ~present & np.array([x is not None for x in values], dtype=bool)
    bad |= other
    return us, off, bad


def _isdigit(col):
    return (col >= 48) & (col <= 57)


def _fast(arr: np.ndarray):
    """Vectorised path for ASCII ``YYYY-MM-DD[T ]hh:mm:ss[.f…][Z|±hh:mm|±hhmm|±hh]``.

    The zone is read from fixed columns of each group of equal-length texts and blanked out;
    numpy parses the rest (it truncates fractions beyond microseconds and rejects impossible
    dates, like ``fromisoformat``). Rows it cannot vouch for get ``ok`` False and are left to
    the standard library.
    """
    n = len(arr)
    width = arr.dtype.itemsize
    codes = arr.view(np.uint8).reshape(n, width)
    length = np.where(codes[:, -1] != 0, width, (codes != 0).sum(axis=1))
    ok = np.zeros(n, dtype=bool)
    total = np.full(n, NAT, dtype=np.int64)
    off = np.full(n, NO_OFFSET, dtype=np.int16)
    for size in np.unique(length).tolist():
        if size < 19:
            continue
        rows = None if size == width and length.min() == width else np.flatnonzero(
            length == size)
        a = (codes if rows is None else codes[rows])[:, :size].copy()
        g_ok, g_total, g_off = _fixed(a, size)
        if rows is None:
            ok, total, off = g_ok, g_total, g_off
        else:
            ok[rows], total[rows], off[rows] = g_ok, g_total, g_off
    return ok, total, off


def _fixed(a: np.ndarray, size: int):
    """Parse rows that all have ``size`` characters (uint8 matrix, modified in place)."""
    m = len(a)
    ok = (a[:, 4] == 45) & (a[:, 7] == 45) & ((a[:, 10] == 84) | (a[:, 10] == 32))
    ok &= (a[:, 13] == 58) & (a[:, 16] == 58)
    for k in (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18):
        ok &= _isdigit(a[:, k])
    ok &= (a[:, :4] != 48).any(axis=1)  # year 0000 does not exist for fromisoformat
    offset = np.zeros(m, dtype=np.int64)
    zone_len = np.zeros(m, dtype=np.int64)
    last = a[:, size - 1]
    zone_len[(last == 90) | (last == 122)] = 1  # Z or z
    for zsize in (6, 5, 3):
        if size - zsize < 19:
            continue
        sgn = a[:, size - zsize]
        cand = (zone_len == 0) & ((sgn == 43) | (sgn == 45))
        if zsize == 6:
            cand &= a[:, size - 3] == 58
        if not cand.any():
            continue
        d = [a[:, size - zsize + k].astype(np.int64) - 48 for k in (1, 2)]
        h = d[0] * 10 + d[1]
        cand &= _isdigit(a[:, size - zsize + 1]) & _isdigit(a[:, size - zsize + 2]) & (h <= 23)
        mins = np.zeros(m, dtype=np.int64)
        if zsize != 3:
            mins = (a[:, size - 2].astype(np.int64) - 48) * 10 + (a[:, size - 1] - 48)
            cand &= _isdigit(a[:, size - 2]) & _isdigit(a[:, size - 1]) & (mins <= 59)
        offset = np.where(cand, np.where(sgn == 45, -1, 1) * (h * 60 + mins), offset)
        zone_len[cand] = zsize
    body_end = size - zone_len
    if size > 19:
        ok &= (body_end == 19) | ((a[:, 19] == 46) & (body_end >= 21))
        for k in range(20, size):
            ok &= (k >= body_end) | _isdigit(a[:, k])
    ok &= body_end >= 19
    cols = np.arange(size)
    a[cols[None, :] >= body_end[:, None]] = 0  # blank the zone
    a[~ok] = 0
    total = np.full(m, NAT, dtype=np.int64)
    local = a.view(f"S{size}").ravel()
    try:
        total[:] = local.astype("datetime64[us]").view(np.int64)
    except ValueError:  # an impossible date somewhere (Feb 30, 24:00, second 60)
        for i in np.flatnonzero(ok).tolist():
            try:
                total[i] = np.datetime64(local[i].decode(), "us").view(np.int64)
            except ValueError:
                ok[i] = False
    ok &= total != NAT
    total = total - offset * (60 * _US)
    return ok, total, np.where(zone_len > 0, offset, int(NO_OFFSET)).astype(np.int16)
