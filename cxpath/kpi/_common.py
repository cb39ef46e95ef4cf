"""Helpers shared by the kpi modules: scenario arrays, segments, z values."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._frames import column

__all__ = ["broadcast", "refuse_bools", "required", "scenario", "segments", "z_value"]

TIME_MUST = "datetimes, epoch seconds or ISO-8601 strings"


def required(value, name: str, func: str, must: str) -> None:
    """Refuse None for a required column or array with the shaped (type) error."""
    if value is None:
        v.fail(name, func, must, None, wrong_type=True)


def refuse_bools(values, name: str, func: str, must: str = TIME_MUST) -> None:
    """Refuse booleans where times are expected: numpy reads ``[True, 5]`` as the numbers
    ``[1, 5]``, which would silently become epoch seconds.

    Examples
    --------
    >>> refuse_bools([5.0, True], "start", "kpi.business_seconds")
    Traceback (most recent call last):
    ...
    cxpath.errors.DataError: The 'start' parameter of kpi.business_seconds must be datetimes, \
epoch seconds or ISO-8601 strings. Got True (a boolean) at position 1 instead.
    """
    if isinstance(values, (bool, np.bool_)):
        v.fail(name, func, must, got=f"{values!r} (a boolean)", data=True)
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "b":
            v.fail(name, func, must, got="booleans", data=True)
        if values.dtype.kind != "O":
            return
        items = values.ravel().tolist()
    elif isinstance(values, (list, tuple)):
        items = values
    else:
        return
    for i, x in enumerate(items):
        if isinstance(x, (bool, np.bool_)):
            v.fail(name, func, must, got=f"{x!r} (a boolean) at position {i}", data=True)


def scenario(value, name: str, func: str, *, low=None, high=None, closed="both",
             allow_inf=False) -> np.ndarray:
    """A scalar or 1-D array of floats checked against an interval."""
    arr = v.as_float_array(value, name, func, ndim=None, low=low, high=high, closed=closed,
                           allow_inf=allow_inf)
    if np.ndim(value) > 1:
        v.fail(name, func, "a number or a 1-dimensional array",
               got=f"an array of shape {np.shape(value)}")
    return arr


def broadcast(func: str, **arrays) -> tuple[list[np.ndarray], bool]:
    """Broadcast scenario arrays to one length; also say whether all have one element."""
    scalar = all(a.size == 1 for a in arrays.values())
    try:
        out = np.broadcast_arrays(*[np.atleast_1d(a) for a in arrays.values()])
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(a)}" for k, a in arrays.items())
        v.fail(next(iter(arrays)), func, "broadcastable with the other scenario arrays",
               got=f"shapes {shapes}")
    return [np.ascontiguousarray(a) for a in out], scalar


def z_value(confidence: float, func: str) -> float:
    """Two-sided normal quantile for a confidence level in (0, 1)."""
    from scipy import stats

    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def segments(data, by, n: int, func: str):
    """Group codes and labels for ``by`` (a column name, values or None = one group 'all')."""
    if by is None:
        return np.zeros(n, dtype=np.int64), np.array(["all"], dtype=object)
    keys = column(data, by, "by", func)
    if len(keys) != n:
        v.fail("by", func, f"of the same length as the data ({n})", got=f"length {len(keys)}",
               data=True)
    labels, codes = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    return codes.astype(np.int64).ravel(), labels.astype(object)
