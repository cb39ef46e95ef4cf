"""Shared argument checks with one error-message shape.

Every check raises :class:`~cxpath.errors.InvalidParameterError` (or
:class:`~cxpath.errors.DataError` for array contents) with the message::

    The '<name>' parameter of <func> must be <constraint>. Got <value> instead.

``func`` is the public name the user called, e.g. ``"fmea.rpn"``.
"""

from __future__ import annotations

import datetime
import math
import numbers
import os
import pathlib
import re
from collections.abc import Iterable

import numpy as np

from ._warnings import warn
from .errors import DataError, InvalidParameterError, InvalidTypeError

__all__ = [
    "as_float_array",
    "as_int_array",
    "check_bool",
    "check_duration",
    "check_int",
    "check_option",
    "check_path",
    "check_probability",
    "check_seed",
    "renamed",
    "check_real",
    "check_same_length",
    "array",
    "fail",
    "ndim",
    "show",
    "show_list",
    "message",
]


def show(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for the 'Got …' part of a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_list(items, limit: int = 8) -> str:
    """A list for an error message, cut after ``limit`` items so messages stay short.

    Examples
    --------
    >>> show_list(["a", "b", "c"], limit=2)
    "['a', 'b', … and 1 more]"
    """
    items = list(items)
    if len(items) <= limit:
        return repr(items)
    return repr(items[:limit])[:-1] + f", … and {len(items) - limit:,} more]"


def array(value, name: str, func: str, dtype=None) -> np.ndarray:
    """``numpy.asarray(value, dtype)``, with the library's error for input numpy cannot read
    (ragged lists, objects that are not numbers).

    Examples
    --------
    >>> array([1, 2], "x", "f").tolist()
    [1, 2]
    """
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as error:
        fail(name, func, "array-like" if dtype is None else f"an array of {np.dtype(dtype).name}",
             got=f"an object numpy cannot read ({error})", wrong_type=True)


def ndim(value) -> int:
    """``numpy.ndim`` of ``value``, or -1 for input numpy cannot shape (ragged lists).

    Examples
    --------
    >>> ndim([1, 2]), ndim(3), ndim([[1, 2], [3]])
    (1, 0, -1)
    """
    try:
        return int(np.ndim(value))
    except (TypeError, ValueError):
        return -1


def message(name: str, func: str, must: str, got: str) -> str:
    """Build the one message shape used for every argument error.

    Examples
    --------
    >>> message("severity", "fmea.rpn", "an integer in [1, 10]", "11")
    "The 'severity' parameter of fmea.rpn must be an integer in [1, 10]. Got 11 instead."
    """
    return f"The '{name}' parameter of {func} must be {must}. Got {got} instead."


def fail(name: str, func: str, must: str, value=None, *, got: str | None = None, data=False,
         wrong_type=False):
    """Raise the shaped error. ``got`` overrides the ``repr`` of ``value``.

    ``wrong_type=True`` raises :class:`~cxpath.errors.InvalidTypeError` (also a ``TypeError``).
    """
    cls = DataError if data else InvalidTypeError if wrong_type else InvalidParameterError
    raise cls(message(name, func, must, got if got is not None else show(value)))


def _interval(low, high, closed: str) -> str:
    left = "[" if closed in ("both", "left") else "("
    right = "]" if closed in ("both", "right") else ")"
    lo = "-inf" if low is None else f"{low:g}" if isinstance(low, float) else str(low)
    hi = "inf" if high is None else f"{high:g}" if isinstance(high, float) else str(high)
    return f"{left}{lo}, {hi}{right}"


def _in_interval(x, low, high, closed: str) -> bool:
    if low is not None and (x < low or (x == low and closed in ("neither", "right"))):
        return False
    return not (high is not None and (x > high or (x == high and closed in ("neither", "left"))))


def check_int(value, name: str, func: str, *, low=None, high=None, closed: str = "both") -> int:
    """Return ``value`` as ``int`` if it is an integer (not bool) within the interval.

    Examples
    --------
    >>> check_int(3, "k", "f", low=1, high=4)
    3
    >>> check_int(0, "k", "f", low=1)
    Traceback (most recent call last):
    ...
    cxpath.errors.InvalidParameterError: The 'k' parameter of f must be an integer in [1, inf]. Got 0 instead.
    """
    if isinstance(value, (bool, np.timedelta64, np.datetime64)) or \
            not isinstance(value, numbers.Integral):
        fail(name, func, "an integer" + (f" in {_interval(low, high, closed)}"
                                         if low is not None or high is not None else ""), value,
             wrong_type=True)
    value = int(value)
    if not _in_interval(value, low, high, closed):
        fail(name, func, f"an integer in {_interval(low, high, closed)}", value)
    return value


def check_real(value, name: str, func: str, *, low=None, high=None, closed: str = "both",
               allow_inf: bool = False) -> float:
    """Return ``value`` as ``float`` if it is a real number (not bool, not NaN) in the interval.

    Examples
    --------
    >>> check_real(0.5, "alpha", "f", low=0.0, high=1.0, closed="neither")
    0.5
    """
    must = "a real number" + (f" in {_interval(low, high, closed)}"
                              if low is not None or high is not None else "")
    if isinstance(value, (bool, np.timedelta64, np.datetime64)) or \
            not isinstance(value, numbers.Real):
        fail(name, func, must, value, wrong_type=True)
    value = float(value)
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        fail(name, func, "a finite real number" if not allow_inf else must, value)
    if not _in_interval(value, low, high, closed):
        fail(name, func, must, value)
    return value


_DURATION_UNITS = {"w": 604800.0, "week": 604800.0, "weeks": 604800.0,
                   "d": 86400.0, "day": 86400.0, "days": 86400.0,
                   "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0,
                   "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
                   "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
                   "ms": 1e-3}
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*")


def _duration_text(text: str):
    pos, total, seen = 0, 0.0, False
    text = text.strip().lower()
    while pos < len(text):
        m = _DURATION_PART.match(text, pos)
        if m is None or m.group(2) not in _DURATION_UNITS:
            return None
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        pos, seen = m.end(), True
    return total if seen else None


def check_duration(value, name: str, func: str, *, low: float | None = 0.0,
                   closed: str = "both") -> float:
    """Return a duration in seconds.

    Accepts a number of seconds, :class:`datetime.timedelta` (so also
    ``pandas.Timedelta``), :class:`numpy.timedelta64`, or a string such as ``"48h"``,
    ``"2d 4h"``, ``"90 min"`` or ``"1.5 hours"`` (``m`` is minutes; units: w, d, h, min, s,
    ms and their long names).

    Examples
    --------
    >>> import datetime
    >>> check_duration("2d 4h", "sla", "f"), check_duration(datetime.timedelta(minutes=5),
    ...                                                      "sla", "f")
    (187200.0, 300.0)
    >>> check_duration(np.timedelta64(90, "s"), "sla", "f")
    90.0
    """
    must = ("a duration: seconds, a datetime.timedelta, numpy.timedelta64, pandas.Timedelta "
            "or a string such as '48h' or '2d 4h'")
    if isinstance(value, np.timedelta64):
        if np.isnat(value):
            fail(name, func, must, got="NaT")
        try:
            seconds = float(value / np.timedelta64(1, "s"))
        except TypeError:  # years and months have no fixed length in seconds
            fail(name, func, must + " in a unit of fixed length (not years or months)", value)
    elif isinstance(value, datetime.timedelta):
        seconds = value.total_seconds()
        if math.isnan(seconds):
            fail(name, func, must, got="NaT")
    elif isinstance(value, str):
        seconds = _duration_text(value)
        if seconds is None:
            fail(name, func, must, value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        seconds = float(value)
        if math.isnan(seconds) or math.isinf(seconds):
            fail(name, func, must + " (finite)", value)
    else:
        fail(name, func, must, value)
    if not _in_interval(seconds, low, None, closed):
        bound = "above" if closed in ("neither", "right") else "at least"
        fail(name, func, f"a duration {bound} {low:g} s", got=f"{seconds:g} s")
    return seconds


def fail_unknown_column(name: str, func: str, spec, names, where: str = "of 'data'"):
    """Raise the shaped error for a column name that is not there, with close matches.

    >>> fail_unknown_column("case", "f", "tiket", ["ticket", "step"])
    Traceback (most recent call last):
    ...
    cxpath.errors.InvalidParameterError: The 'case' parameter of f must be a column of 'data' \
(one of 'ticket', 'step'). Got 'tiket' (close: 'ticket') instead.
    """
    import difflib

    names = [str(n) for n in names]
    shown = ", ".join(repr(n) for n in names[:12]) + (", …" if len(names) > 12 else "")
    close = difflib.get_close_matches(str(spec), names, n=3, cutoff=0.6)
    hint = f" (close: {', '.join(map(repr, close))})" if close else ""
    fail(name, func, f"a column {where} (one of {shown})", got=f"{spec!r}{hint}")


def renamed(old_value, new_value, old: str, new: str, func: str):
    """The value of a renamed argument: ``new_value``, or ``old_value`` (with a
    :class:`DeprecationWarning`) when only the old name was given.

    ``old_value`` is None when the old name was not passed.
    """
    if old_value is None:
        return new_value

    warn(f"The '{old}' parameter of {func} is renamed '{new}'; '{old}' will be "
         "removed.", DeprecationWarning, stacklevel=3)
    return old_value


def check_path(value, name: str, func: str) -> pathlib.Path:
    """Return a file-system path given as ``str`` or ``os.PathLike`` (not empty, no NUL byte).

    Only the argument is checked here: a missing file, a directory where a file is wanted
    or a permission problem raises the usual :class:`OSError` subclass when the file is
    opened (``FileNotFoundError``, ``IsADirectoryError`` …), as the documented exception to
    the one-error-shape rule, so that ``except FileNotFoundError`` keeps working.

    Examples
    --------
    >>> check_path("out.csv", "path", "f").name
    'out.csv'
    >>> check_path(3, "path", "f")
    Traceback (most recent call last):
    ...
    cxpath.errors.InvalidTypeError: The 'path' parameter of f must be a file path (str or \
os.PathLike). Got 3 instead.
    """
    if isinstance(value, (bytes, bool)) or not isinstance(value, (str, os.PathLike)):
        fail(name, func, "a file path (str or os.PathLike)", value, wrong_type=True)
    text = os.fspath(value)
    if not isinstance(text, str) or not text or "\x00" in text:
        fail(name, func, "a non-empty file path without NUL characters", value)
    return pathlib.Path(text)


def check_seed(seed, name: str, func: str) -> np.random.Generator:
    """``seed`` (None, an integer >= 0 or a ``numpy.random.Generator``) as a Generator.

    Examples
    --------
    >>> bool(check_seed(7, "seed", "f").integers(10) == check_seed(7, "seed", "f").integers(10))
    True
    """
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        fail(name, func, "None, an integer >= 0 or a numpy Generator", seed, wrong_type=True)
    return np.random.default_rng(check_int(seed, name, func, low=0))


def check_probability(value, name: str, func: str, *, closed: str = "both") -> float:
    """A real number in [0, 1] (or the open/half-open interval given by ``closed``)."""
    return check_real(value, name, func, low=0.0, high=1.0, closed=closed)


def check_bool(value, name: str, func: str) -> bool:
    """Return ``value`` if it is a bool (numpy bools included)."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, func, "True or False", value, wrong_type=True)
    return bool(value)


def check_option(value, name: str, func: str, options: Iterable):
    """Return ``value`` if it is one of ``options``.

    Examples
    --------
    >>> check_option("volume", "by", "critical_path", ("probability", "volume", "time"))
    'volume'
    """
    options = tuple(options)
    try:
        ok = bool(value in options)
    except (TypeError, ValueError):  # unhashable, or an array compared element-wise
        ok = False
    if not ok:
        typed = all(isinstance(o, str) for o in options) and not isinstance(value, str)
        fail(name, func, "one of " + ", ".join(repr(o) for o in options), value,
             wrong_type=typed)
    return value


def _as_array(values, name: str, func: str, ndim: int | None):
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        fail(name, func, "array-like", got=f"an object numpy cannot read ({exc})", wrong_type=True)
    if ndim is not None and arr.ndim != ndim:
        fail(name, func, f"a {ndim}-dimensional array", got=f"an array of shape {arr.shape}")
    return arr


def as_float_array(values, name: str, func: str, *, ndim: int | None = 1, allow_nan=False,
                   allow_inf=False, low=None, high=None, closed="both", min_size=1) -> np.ndarray:
    """Coerce to a contiguous float64 array and check its contents.

    Errors name the first offending position so the user can find the bad value.

    Examples
    --------
    >>> as_float_array([1, 2.5], "x", "f")
    array([1. , 2.5])
    >>> as_float_array([1, float("nan")], "x", "f")
    Traceback (most recent call last):
    ...
    cxpath.errors.DataError: The 'x' parameter of f must be free of NaN. Got NaN at position 1 instead.
    """
    arr = _as_array(values, name, func, ndim)
    if arr.dtype.kind == "O":
        arr = _object_to_float(arr, name, func)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        fail(name, func, "numeric", got=f"an array of dtype {arr.dtype}", data=True)
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.size < min_size:
        fail(name, func, f"an array with at least {min_size} element(s)",
             got=f"{arr.size} element(s)", data=True)
    if not allow_nan:
        bad = np.isnan(arr)
        if bad.any():
            pos = np.unravel_index(int(np.argmax(bad)), arr.shape)
            fail(name, func, "free of NaN", got=f"NaN at position {_pos(pos)}", data=True)
    if not allow_inf:
        bad = np.isinf(arr)
        if bad.any():
            pos = np.unravel_index(int(np.argmax(bad)), arr.shape)
            fail(name, func, "finite", got=f"{arr[pos]} at position {_pos(pos)}", data=True)
    _check_range(arr, name, func, low, high, closed)
    return arr


def as_int_array(values, name: str, func: str, *, ndim: int | None = 1, low=None, high=None,
                 closed="both", min_size=1) -> np.ndarray:
    """Coerce to a contiguous int64 array; floats are accepted only when integral.

    Examples
    --------
    >>> as_int_array([1.0, 2.0], "n", "f", low=0)
    array([1, 2])
    >>> as_int_array([1, -2], "n", "f", low=0)
    Traceback (most recent call last):
    ...
    cxpath.errors.DataError: The 'n' parameter of f must be in [0, inf]. Got -2 at position 1 instead.
    >>> as_int_array([1.0, 2.5], "n", "f")
    Traceback (most recent call last):
    ...
    cxpath.errors.DataError: The 'n' parameter of f must be whole numbers. Got 2.5 at position 1 instead.
    """
    arr = _as_array(values, name, func, ndim)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            pos = np.unravel_index(int(np.argmax(bad)), arr.shape)
            fail(name, func, "whole numbers", got=f"{float(arr[pos])!r} at position {_pos(pos)}",
                 data=True)
        _check_range(arr, name, func, low, high, closed)  # before the cast can wrap around
        big = np.abs(arr) >= 2.0 ** 63
        if big.any():
            pos = np.unravel_index(int(np.argmax(big)), arr.shape)
            fail(name, func, "within the 64-bit integer range",
                 got=f"{float(arr[pos]):g} at position {_pos(pos)}", data=True)
    elif arr.dtype.kind == "u" and arr.size and arr.max() >= 2**63:  # would wrap negative
        pos = np.unravel_index(int(np.argmax(arr >= 2**63)), arr.shape)
        _check_range(arr, name, func, low, high, closed)
        fail(name, func, "within the 64-bit integer range",
             got=f"{int(arr[pos])} at position {_pos(pos)}", data=True)
    elif arr.dtype.kind not in "iub":
        fail(name, func, "integers", got=f"an array of dtype {arr.dtype}", data=True)
    arr = np.ascontiguousarray(arr, dtype=np.int64)
    if arr.size < min_size:
        fail(name, func, f"an array with at least {min_size} element(s)",
             got=f"{arr.size} element(s)", data=True)
    _check_range(arr, name, func, low, high, closed)
    return arr


def _object_to_float(arr: np.ndarray, name: str, func: str) -> np.ndarray:
    """Numbers held in an object array (None counts as NaN); anything else is an error."""
    flat = arr.ravel().tolist()
    for i, x in enumerate(flat):
        if x is not None and (isinstance(x, (bool, np.bool_)) or
                              not isinstance(x, (numbers.Real, np.number))):
            pos = np.unravel_index(i, arr.shape)
            fail(name, func, "numeric", got=f"{x!r} at position {_pos(pos)}", data=True)
    return np.array([np.nan if x is None else x for x in flat],
                    dtype=np.float64).reshape(arr.shape)


def _pos(pos) -> str:
    return str(pos[0]) if len(pos) == 1 else str(tuple(int(p) for p in pos))


def _check_range(arr, name, func, low, high, closed):
    if (low is None and high is None) or arr.size == 0:
        return
    bad = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        bad |= arr < low if closed in ("both", "left") else arr <= low
    if high is not None:
        bad |= arr > high if closed in ("both", "right") else arr >= high
    if bad.any():
        pos = np.unravel_index(int(np.argmax(bad)), arr.shape)
        value = arr[pos]
        shown = int(value) if arr.dtype.kind in "iu" else float(value)
        fail(name, func, f"in {_interval(low, high, closed)}",
             got=f"{shown} at position {_pos(pos)}", data=True)


def check_same_length(func: str, **arrays) -> int:
    """Check that every non-None array has the same length; return it.

    Examples
    --------
    >>> check_same_length("f", case=[1, 2], touchpoint=["a"])
    Traceback (most recent call last):
    ...
    cxpath.errors.DataError: The 'touchpoint' parameter of f must be of the same length as 'case' (2). Got length 1 instead.
    """
    first = None
    for key, arr in arrays.items():
        if arr is None:
            continue
        n = len(arr)
        if first is None:
            first = (key, n)
        elif n != first[1]:
            fail(key, func, f"of the same length as '{first[0]}' ({first[1]})",
                 got=f"length {n}", data=True)
    return 0 if first is None else first[1]
