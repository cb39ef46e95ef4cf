"""Helpers shared by the kpi modules: scenario arrays, segments, z values."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._frames import column

__all__ = ["broadcast", "scenario", "segments", "z_value"]


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
