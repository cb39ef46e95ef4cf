"""Life data: exact failures, right-, left- and interval-censored units, with counts.

Every row is a time interval ``(lower, upper]`` in which the unit failed, with a count:

========================  =============================  =================================
row                       ``lower``, ``upper``           meaning
========================  =============================  =================================
exact failure             ``lower == upper == t``        failed at ``t``
right-censored            ``lower = t``, ``upper = inf``  still working at ``t``
left-censored             ``lower = 0``, ``upper = t``    found failed at ``t``
interval-censored         ``0 < lower < upper < inf``     failed between two inspections
========================  =============================  =================================
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as v
from .._results import Result, result

__all__ = ["KINDS", "LifeData", "as_life_data"]

#: The kinds of rows, in the order of :attr:`LifeData.kind_code`.
KINDS = ("failure", "right", "left", "interval")


@result
class LifeData(Result):
    """Times to failure and censored times, one row per group of identical units.

    Build it with :meth:`from_times` (failure or right-censored at a time),
    :meth:`from_bounds` (any censoring, as intervals) or :meth:`from_lists` (the lists
    practitioners keep: failures, right-censored, left-censored, intervals).

    Attributes
    ----------
    lower, upper : ndarray of float
        The unit failed in ``(lower, upper]``; ``lower == upper`` for an exact failure,
        ``upper = inf`` for a right-censored unit, ``lower = 0`` for a left-censored one.
    count : ndarray of float
        Number of units (or weight) of the row; rows with a zero count are dropped.
    kind : ndarray of str
        ``'failure'``, ``'right'``, ``'left'`` or ``'interval'`` for each row.

    Examples
    --------
    >>> from cxpath.reliability import LifeData
    >>> d = LifeData.from_times([120, 80, 300], failed=[True, True, False])
    >>> d.kind.tolist(), d.n_units, d.n_failures
    (['failure', 'failure', 'right'], 3.0, 2.0)
    """

    lower: np.ndarray
    upper: np.ndarray
    count: np.ndarray

    @property
    def kind_code(self) -> np.ndarray:
        """0 failure, 1 right-censored, 2 left-censored, 3 interval-censored (int8)."""
        code = np.full(self.lower.shape, 3, dtype=np.int8)
        code[self.lower == self.upper] = 0
        code[np.isinf(self.upper)] = 1
        code[(self.lower == 0) & np.isfinite(self.upper) & (self.upper > 0)] = 2
        return code

    @property
    def kind(self) -> np.ndarray:
        """The kind of each row, as text (see :data:`KINDS`)."""
        return np.asarray(KINDS, dtype=object)[self.kind_code]

    def _total(self, code: int) -> float:
        return float(self.count[self.kind_code == code].sum())

    @property
    def n_units(self) -> float:
        """Number of units (sum of the counts)."""
        return float(self.count.sum())

    @property
    def n_failures(self) -> float:
        """Units known to have failed: exact, left- and interval-censored."""
        return float(self.count[self.kind_code != 1].sum())

    @property
    def n_exact(self) -> float:
        """Units with an exact failure time."""
        return self._total(0)

    @property
    def n_right(self) -> float:
        """Right-censored units."""
        return self._total(1)

    @property
    def n_left(self) -> float:
        """Left-censored units."""
        return self._total(2)

    @property
    def n_interval(self) -> float:
        """Interval-censored units."""
        return self._total(3)

    @property
    def exact_or_right(self) -> bool:
        """True when every row is an exact failure or right-censored."""
        return bool(np.all(self.kind_code <= 1))

    def _title(self) -> str:
        return "LifeData"

    def _summary(self) -> list[str]:
        parts = [f"{self.n_exact:g} failures", f"{self.n_right:g} right-censored"]
        if self.n_left:
            parts.append(f"{self.n_left:g} left-censored")
        if self.n_interval:
            parts.append(f"{self.n_interval:g} interval-censored")
        return [", ".join(parts) + f" ({self.n_units:g} units)"]

    def _columns(self) -> dict:
        return {"lower": self.lower, "upper": self.upper, "count": self.count,
                "kind": self.kind}

    @classmethod
    def from_times(cls, time: Any, failed: Any = None, count: Any = None) -> LifeData:
        """Life data from times and a failure flag (False means right-censored at the time).

        Parameters
        ----------
        time : array-like of float
            Time of each unit (> 0 for a failure, ≥ 0 for a censored unit).
        failed : array-like of bool, optional
            True where the unit failed at ``time``; default all failed.
        count : array-like of float, optional
            Number of identical units in the row (≥ 0); default 1.

        Raises
        ------
        DataError
            If a time is NaN, infinite or negative, a failure time is 0, or the arrays
            differ in length.

        Examples
        --------
        >>> LifeData.from_times([5.0, 9.0], failed=[True, False], count=[3, 10]).n_units
        13.0
        """
        func = "reliability.LifeData.from_times"
        t = v.as_float_array(time, "time", func, low=0.0)
        f = np.ones(t.shape, dtype=bool) if failed is None else _bools(failed, "failed", func)
        w = _counts(count, t.size, func)
        v.check_same_length(func, time=t, failed=f, count=w)
        bad = f & (t <= 0)
        if bad.any():
            i = int(np.argmax(bad))
            v.fail("time", func, "positive where the unit failed", data=True,
                   got=f"{t[i]:g} at position {i}")
        upper = np.where(f, t, np.inf)
        return cls._make(t, upper, w)

    @classmethod
    def from_bounds(cls, lower: Any, upper: Any, count: Any = None) -> LifeData:
        """Life data from failure intervals ``(lower, upper]`` (any kind of censoring).

        ``lower == upper`` is an exact failure, ``upper = inf`` right-censoring at
        ``lower``, ``lower = 0`` left-censoring at ``upper``.

        Raises
        ------
        DataError
            If a bound is NaN or negative, ``lower`` is infinite, ``lower > upper``, an
            exact failure is at 0, or the arrays differ in length.

        Examples
        --------
        >>> d = LifeData.from_bounds([0, 10, 20, 30], [5, 15, 20, np.inf])
        >>> d.kind.tolist()
        ['left', 'interval', 'failure', 'right']
        """
        func = "reliability.LifeData.from_bounds"
        lo = v.as_float_array(lower, "lower", func, low=0.0)
        hi = v.as_float_array(upper, "upper", func, low=0.0, allow_inf=True)
        w = _counts(count, lo.size, func)
        v.check_same_length(func, lower=lo, upper=hi, count=w)
        bad = lo > hi
        if bad.any():
            i = int(np.argmax(bad))
            v.fail("upper", func, "at least 'lower' in every row", data=True,
                   got=f"lower {lo[i]:g} > upper {hi[i]:g} at position {i}")
        bad = hi <= 0
        if bad.any():
            i = int(np.argmax(bad))
            v.fail("upper", func, "positive (a failure at or before time 0 is impossible)",
                   data=True, got=f"{hi[i]:g} at position {i}")
        return cls._make(lo, hi, w)

    @classmethod
    def from_lists(cls, failures: Any = (), right_censored: Any = (), left_censored: Any = (),
                   interval_lower: Any = (), interval_upper: Any = ()) -> LifeData:
        """Life data from separate lists of failures and censored times (one unit each).

        Examples
        --------
        >>> d = LifeData.from_lists([10, 20], right_censored=[30], interval_lower=[5],
        ...                         interval_upper=[8])
        >>> d.kind.tolist()
        ['failure', 'failure', 'right', 'interval']
        """
        func = "reliability.LifeData.from_lists"
        parts = {}
        for name, x in (("failures", failures), ("right_censored", right_censored),
                        ("left_censored", left_censored), ("interval_lower", interval_lower),
                        ("interval_upper", interval_upper)):
            parts[name] = v.as_float_array(x, name, func, low=0.0, min_size=0)
        f, rc, lc = parts["failures"], parts["right_censored"], parts["left_censored"]
        il, iu = parts["interval_lower"], parts["interval_upper"]
        v.check_same_length(func, interval_lower=il, interval_upper=iu)
        for name, x in (("failures", f), ("left_censored", lc)):
            if (x <= 0).any():
                i = int(np.argmax(x <= 0))
                v.fail(name, func, "positive times", data=True, got=f"{x[i]:g} at position {i}")
        bad = ~(il < iu)
        if bad.any():
            i = int(np.argmax(bad))
            v.fail("interval_upper", func, "above 'interval_lower' in every row", data=True,
                   got=f"lower {il[i]:g}, upper {iu[i]:g} at position {i}")
        lower = np.concatenate([f, rc, np.zeros(lc.size), il])
        upper = np.concatenate([f, np.full(rc.size, np.inf), lc, iu])
        if lower.size == 0:
            v.fail("failures", func, "given with at least one unit in some list", data=True,
                   got="no units")
        return cls._make(lower, upper, np.ones(lower.size))

    @classmethod
    def _make(cls, lower, upper, count) -> LifeData:
        keep = count > 0
        return cls(np.ascontiguousarray(lower[keep]), np.ascontiguousarray(upper[keep]),
                   np.ascontiguousarray(count[keep]))

    def _select(self, mask: np.ndarray) -> LifeData:
        """The rows where the boolean ``mask`` (built by the library) is True."""
        return LifeData(self.lower[mask], self.upper[mask], self.count[mask])


def _bools(x, name: str, func: str) -> np.ndarray:
    arr = v.array(x, name, func)
    if arr.dtype.kind == "b":
        return np.ascontiguousarray(arr, dtype=bool)
    ints = v.as_int_array(x, name, func, low=0, high=1)
    return ints.astype(bool)


def _counts(count, n: int, func: str) -> np.ndarray:
    if count is None:
        return np.ones(n)
    return v.as_float_array(count, "count", func, low=0.0)


def as_life_data(data: Any, func: str, name: str = "data") -> LifeData:
    """``data`` as :class:`LifeData`: itself, or an array of exact failure times."""
    if isinstance(data, LifeData):
        if data.lower.size == 0:
            v.fail(name, func, "life data with at least one unit", data=True, got="no units")
        return data
    if isinstance(data, (str, bytes, dict)):
        v.fail(name, func, "a LifeData or an array of failure times", data, wrong_type=True)
    t = v.as_float_array(data, name, func, low=0.0, closed="neither")
    return LifeData(t, t.copy(), np.ones(t.size))
