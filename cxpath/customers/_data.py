"""The one reader of time-to-event input for :mod:`cxpath.customers`.

Every public function takes the same columns: ``durations`` (time to the event or to
censoring, >= 0), ``event`` (1/True for an observed event, 0/False for a censored row;
default all events), optional ``entry`` (left truncation: the time a customer came under
observation, before the duration; in Cox models the start of a (start, stop] interval),
``weights`` (case weights > 0) and labels (``group``, ``strata``, ``cluster``). Each is a
column name of ``data`` or the values themselves. Censoring and entry are handled here once,
so that every estimator sees checked, aligned float arrays.
"""

from __future__ import annotations

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column

__all__ = ["SurvivalInput", "labels", "read"]


@attrs.frozen
class SurvivalInput:
    """Checked, aligned columns: float durations, bool events, optional entry and weights."""

    durations: np.ndarray
    event: np.ndarray
    entry: np.ndarray | None
    weights: np.ndarray
    weighted: bool

    @property
    def n(self) -> int:
        return int(self.durations.size)


def _flags(values, name: str, func: str) -> np.ndarray:
    arr = values
    if arr.dtype.kind == "b":
        return np.ascontiguousarray(arr, dtype=bool)
    if arr.dtype.kind == "O":
        arr = v.as_float_array(arr, name, func, allow_nan=False)
    if arr.dtype.kind not in "iuf":
        v.fail(name, func, "event flags (0/1 or True/False)",
               got=f"an array of dtype {arr.dtype}", data=True)
    arr = np.asarray(arr, dtype=np.float64)
    bad = ~((arr == 0) | (arr == 1))
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "event flags (0/1 or True/False)",
               got=f"{float(arr[i])!r} at position {i}", data=True)
    return arr == 1


def read(func: str, durations, event=None, *, data=None, entry=None, weights=None,
         strict_entry: bool = True) -> SurvivalInput:
    """Read and check ``durations``, ``event``, ``entry`` and ``weights``.

    Durations are finite and >= 0; events are 0/1 or bool; entry times are finite, >= 0 and
    before the duration of their row (``entry < duration``; ``strict_entry=False`` allows
    equality); weights are finite and > 0.
    """
    t = v.as_float_array(column(data, durations, "durations", func), "durations", func,
                         low=0.0)
    n = t.size
    if event is None:
        e = np.ones(n, dtype=bool)
    else:
        e = _flags(column(data, event, "event", func), "event", func)
    a = None
    if entry is not None:
        a = v.as_float_array(column(data, entry, "entry", func), "entry", func, low=0.0,
                             min_size=0)
    w = None
    if weights is not None:
        w = v.as_float_array(column(data, weights, "weights", func), "weights", func,
                             low=0.0, closed="right", min_size=0)
    v.check_same_length(func, durations=t, event=e, entry=a, weights=w)
    if a is not None:
        bad = a >= t if strict_entry else a > t
        if bad.any():
            i = int(np.argmax(bad))
            v.fail("entry", func, "before the duration of its row (entry < exit)"
                   if strict_entry else "at most the duration of its row (entry <= exit)",
                   got=f"entry {a[i]:g} and duration {t[i]:g} at position {i}", data=True)
    return SurvivalInput(t, e, a, np.ones(n) if w is None else w, w is not None)


def refuse_missing_labels(arr: np.ndarray, name: str, func: str) -> None:
    """The shaped error for a NaN or None among labels (group, customer, event type …)."""
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        v.fail(name, func, "free of missing labels",
               got=f"NaN at position {int(np.argmax(np.isnan(arr)))}", data=True)
    if arr.dtype.kind == "O":
        for i, x in enumerate(arr.tolist()):
            if x is None or (isinstance(x, float) and x != x):
                v.fail(name, func, "free of missing labels", got=f"{x!r} at position {i}",
                       data=True)


def labels(func: str, name: str, values, data, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct labels (sorted) and the code of each row, for ``group``/``strata``/``cluster``."""
    arr = column(data, values, name, func)
    if arr.size != n:
        v.fail(name, func, f"of the same length as 'durations' ({n})",
               got=f"length {arr.size}", data=True)
    refuse_missing_labels(arr, name, func)
    try:
        names, codes = np.unique(arr, return_inverse=True)
    except TypeError:
        v.fail(name, func, "labels of one comparable type", got="labels of mixed types",
               data=True)
    return names, codes.reshape(-1).astype(np.int64)
