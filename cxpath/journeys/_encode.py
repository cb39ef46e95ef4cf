"""Turning raw columns into integer codes and epoch seconds, without a dataframe dependency.

Factorisation is done by the fastest means the input allows: pandas' or pyarrow's hash
tables when the data already comes from them, a dense ``bincount`` map for integers of a
compact range, and a Python dict otherwise. Uniques are always returned sorted, so the codes
do not depend on the input's backend or row order.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import numpy as np

from .. import _validate as v

__all__ = ["factorize", "to_epoch_seconds"]

_DENSE_RANGE_FACTOR = 8  # use a bincount map when max - min < 8 * n (+ 1024)


def _missing_mask(values: np.ndarray) -> np.ndarray:
    kind = values.dtype.kind
    if kind == "f":
        return np.isnan(values)
    if kind in "mM":
        return np.isnat(values)
    if kind == "O":
        return np.fromiter((x is None or x != x for x in values), dtype=bool, count=len(values))
    return np.zeros(len(values), dtype=bool)


def factorize(values: np.ndarray, name: str, func: str):
    """Return ``(codes, uniques)``: int64 codes (-1 where missing) into sorted ``uniques``.

    Examples
    --------
    >>> codes, uniques = factorize(np.array(["b", "a", None, "b"], dtype=object), "x", "f")
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, -1, 1], ['a', 'b'])
    """
    n = len(values)
    kind = values.dtype.kind
    if kind in "iub":
        return _factorize_int(values.astype(np.int64, copy=False))
    if kind == "f":
        ok = ~np.isnan(values)
        present = values[ok]
        if (present.size and np.isfinite(present).all()
                and np.array_equal(present, np.round(present)) and np.abs(present).max() < 2**53):
            codes = np.full(n, -1, dtype=np.int64)
            codes[ok], uniques = _factorize_int(present.astype(np.int64))
            return codes, uniques
    if kind in "fMmUS":
        missing = _missing_mask(values)
        ok = ~missing
        uniques, inverse = np.unique(values[ok], return_inverse=True)
        codes = np.full(n, -1, dtype=np.int64)
        codes[ok] = inverse
        return codes, uniques
    if "pandas" in sys.modules:  # its hash table is the fastest; only used when loaded
        import pandas as pd

        raw, firsts = pd.factorize(values, sort=False, use_na_sentinel=True)
        raw = raw.astype(np.int64, copy=False)
        firsts = list(firsts)
    else:
        table: dict = {}
        setdefault = table.setdefault
        missing = _missing_mask(values)
        raw = np.fromiter((-1 if m else setdefault(x, len(table))
                           for x, m in zip(values.tolist(), missing.tolist())),
                          dtype=np.int64, count=n)
        firsts = list(table)
    try:
        order = sorted(range(len(firsts)), key=firsts.__getitem__)
    except TypeError:
        _mixed_types(name, func)
    rank = np.empty(len(firsts) + 1, dtype=np.int64)
    rank[order] = np.arange(len(firsts))
    rank[-1] = -1  # raw code -1 (missing) stays -1
    uniques = np.empty(len(firsts), dtype=object)
    uniques[:] = [firsts[i] for i in order]
    return rank[raw], uniques


def _mixed_types(name, func):
    v.fail(name, func, "values of one type (all strings or all numbers)",
           got="a mix of types", data=True)


def _factorize_int(values: np.ndarray):
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < _DENSE_RANGE_FACTOR * n + 1024:
        shifted = values - lo
        present = np.bincount(shifted, minlength=hi - lo + 1) > 0
        rank = np.cumsum(present) - 1
        return rank[shifted].astype(np.int64, copy=False), np.flatnonzero(present) + lo
    uniques, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64, copy=False), uniques


_EPOCH = np.datetime64(0, "s")


def to_epoch_seconds(values: np.ndarray, time_format: str | None, name: str, func: str):
    """Convert timestamps to float64 seconds since 1970-01-01 UTC.

    Returns ``(seconds, missing, unparseable)``; bad entries are NaN in ``seconds``.
    Accepts datetime64, numbers (epoch seconds), ISO-8601 strings (with ``Z`` or a UTC
    offset, converted to UTC; naive strings are taken as UTC) and, given ``time_format``,
    strings in that :func:`~datetime.datetime.strptime` format.

    Examples
    --------
    >>> s, missing, bad = to_epoch_seconds(
    ...     np.array(["1970-01-01T00:01:00Z", "1970-01-01 01:00:00+01:00", "soon", None],
    ...              dtype=object), None, "timestamp", "f")
    >>> s[:2].tolist(), missing.tolist(), bad.tolist()
    ([60.0, 0.0], [False, False, False, True], [False, False, True, False])
    """
    kind = values.dtype.kind
    n = len(values)
    no = np.zeros(n, dtype=bool)
    if kind == "M":
        missing = np.isnat(values)
        secs = (values - _EPOCH) / np.timedelta64(1, "s")
        return secs.astype(np.float64, copy=False), missing, no
    if kind in "iuf":
        secs = values.astype(np.float64, copy=False)
        missing = np.isnan(secs)
        bad = np.isinf(secs)
        if bad.any():
            secs = np.where(bad, np.nan, secs)  # never write into the caller's array
        return secs, missing, bad
    if kind == "b":
        v.fail(name, func, "datetimes, epoch seconds or ISO-8601 strings",
               got="booleans", data=True)
    if kind not in "OUS":
        v.fail(name, func, "datetimes, epoch seconds or ISO-8601 strings",
               got=f"an array of dtype {values.dtype}", data=True)
    codes, uniques = factorize(values.astype(object) if kind != "O" else values, name, func)
    parsed = np.empty(len(uniques), dtype=np.float64)
    for i, text in enumerate(uniques.tolist()):
        parsed[i] = _parse_one(text, time_format)
    missing = codes < 0
    secs = np.full(n, np.nan)
    secs[~missing] = parsed[codes[~missing]]
    bad = ~missing & np.isnan(secs)
    if bad.any() and bad.sum() == (~missing).sum():
        example = values[int(np.argmax(bad))]
        hint = ("ISO-8601 strings (e.g. '2025-01-31T14:05:00Z') or strings in the given "
                "'time_format'" if time_format else
                "ISO-8601 strings (e.g. '2025-01-31T14:05:00Z'); for other layouts pass "
                "time_format, e.g. time_format='%Y/%m/%d %H:%M:%S'")
        v.fail(name, func, hint, got=f"no parseable value (first: {example!r})", data=True)
    return secs, missing, bad


def _parse_one(text, time_format) -> float:
    if not isinstance(text, str):
        if isinstance(text, datetime):
            dt = text
        else:
            return np.nan
    else:
        text = text.strip()
        try:
            if time_format is None:
                if text.endswith(("Z", "z")):
                    text = text[:-1] + "+00:00"
                dt = datetime.fromisoformat(text)
            else:
                dt = datetime.strptime(text, time_format)
        except ValueError:
            return np.nan
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()
