"""Shift rosters: how many agents to put on each shift pattern to cover a requirement at the
fewest paid hours (an integer programme, with a greedy fallback)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from .._warnings import warn
from ..errors import CxpathWarning

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["Roster", "ShiftPatterns", "shift_patterns", "shift_roster"]

#: Coverage-matrix cells (intervals x patterns) above which ``method='milp'`` hands over to
#: the greedy heuristic.
MAX_MILP_CELLS = 5_000_000


@result
class ShiftPatterns(Result):
    """Shift patterns a roster may use (:func:`shift_patterns`), one row per pattern.

    Attributes
    ----------
    name : ndarray of str
    start : ndarray of int
        First interval of the shift (position in the requirement).
    length : ndarray of int
        Intervals from the start to the end of the shift, breaks included.
    breaks : ndarray of str
        The break intervals as offsets from the start, ``"8"`` or ``"6,12"`` (``""``: none).
    paid_hours : ndarray
        Paid hours of one agent on the shift.
    """

    name: np.ndarray
    start: np.ndarray
    length: np.ndarray
    breaks: np.ndarray
    paid_hours: np.ndarray

    def _offsets(self, i: int) -> np.ndarray:
        """Worked offsets of pattern ``i`` (its length without the breaks)."""
        off = np.arange(int(self.length[i]))
        gone = [int(x) for x in str(self.breaks[i]).split(",") if x]
        return np.setdiff1d(off, gone)

    def _columns(self):
        return {"name": self.name, "start": self.start, "length": self.length,
                "breaks": self.breaks, "paid_hours": self.paid_hours}


def _break_lists(breaks, n: int, lengths: np.ndarray, func: str) -> list[list[int]]:
    if breaks is None:
        return [[] for _ in range(n)]
    if isinstance(breaks, (int, np.integer)) and not isinstance(breaks, bool):
        breaks = [breaks]
    try:
        items = list(breaks)
    except TypeError:
        v.fail("breaks", func, "None, offsets, or one list of offsets per pattern", breaks,
               wrong_type=True)
    if not items or all(isinstance(x, (int, np.integer)) and not isinstance(x, bool)
                        for x in items):
        shared = [int(x) for x in items]
        out = [list(shared) for _ in range(n)]
    else:
        if len(items) != n:
            v.fail("breaks", func, f"one list of offsets per pattern ({n})",
                   got=f"length {len(items)}", data=True)
        out = []
        for x in items:
            if x is None:
                out.append([])
                continue
            arr = v.as_int_array([x] if np.ndim(x) == 0 else x, "breaks", func, low=0,
                                 min_size=0)
            out.append(arr.tolist())
    for i, offs in enumerate(out):
        for o in offs:
            if not 0 <= o < lengths[i]:
                v.fail("breaks", func, "offsets inside their shift (0 <= offset < length)",
                       got=f"{o} in pattern {i} of length {int(lengths[i])}", data=True)
        if len(set(offs)) >= lengths[i]:
            v.fail("breaks", func, "leaving at least one worked interval in each shift",
                   got=f"{len(set(offs))} breaks in pattern {i} of length {int(lengths[i])}",
                   data=True)
    return [sorted(set(o)) for o in out]


def shift_patterns(start: ArrayLike, length: ArrayLike, *, breaks: ArrayLike | None = None,
                   name: ArrayLike | None = None, paid_hours: ArrayLike | None = None,
                   interval: float = 1800.0, repeat: int = 1,
                   period: int | None = None) -> ShiftPatterns:
    """Shift patterns: start interval, length, breaks and paid hours of each.

    Parameters
    ----------
    start : int or array of int
        First interval of each pattern (position in the requirement, from 0).
    length : int or array of int
        Intervals from start to end, breaks included (≥ 1); one value or one per pattern.
    breaks : list, optional
        Unpaid break intervals as offsets from the start: one list shared by all patterns
        (``[8]``) or one list per pattern (``[[8], [6, 12], []]``).
    name : array of str, optional
        Pattern names; default ``"s<start>+<length>"``.
    paid_hours : float or array, optional
        Paid hours of one agent on each pattern; default the worked intervals
        (length minus breaks) times ``interval`` / 3600.
    interval : float, default 1800
        Interval length in seconds (for the default paid hours).
    repeat : int, default 1
        Repeat every pattern this many times, ``period`` intervals apart (7 days of a
        daily set: ``repeat=7, period=48``).
    period : int, optional
        Intervals between repeats; needed when ``repeat > 1``.

    Returns
    -------
    ShiftPatterns

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Negative starts, lengths below 1, breaks outside their shift or covering it all,
        lengths of the arrays that differ.

    Examples
    --------
    >>> from cxpath.kpi import shift_patterns
    >>> p = shift_patterns([0, 4], 9, breaks=[4])
    >>> p.name.tolist(), p.paid_hours.tolist()
    (['s0+9', 's4+9'], [4.0, 4.0])
    >>> shift_patterns(16, 18, breaks=[8], repeat=2, period=48).start.tolist()
    [16, 64]
    """
    func = "kpi.shift_patterns"
    starts = v.as_int_array(np.atleast_1d(v.array(start, "start", func)), "start", func,
                            low=0, high=2**31)
    lengths = v.as_int_array(np.atleast_1d(v.array(length, "length", func)), "length", func,
                             low=1, high=2**20)
    if lengths.size == 1:
        lengths = np.full(starts.size, int(lengths[0]), dtype=np.int64)
    v.check_same_length(func, start=starts, length=lengths)
    interval = v.check_real(interval, "interval", func, low=0.0, closed="neither")
    repeat = v.check_int(repeat, "repeat", func, low=1, high=10_000)
    if repeat > 1:
        if period is None:
            v.fail("period", func, "given when repeat > 1", None)
        period = v.check_int(period, "period", func, low=1, high=2**31)
    offs = _break_lists(breaks, starts.size, lengths, func)
    if name is None:
        names = [f"s{s}+{n}" for s, n in zip(starts.tolist(), lengths.tolist())]
    else:
        names = [str(x) for x in np.atleast_1d(v.array(name, "name", func)).tolist()]
        if len(names) != starts.size:
            v.fail("name", func, f"one name per pattern ({starts.size})",
                   got=f"length {len(names)}", data=True)
    if paid_hours is None:
        paid = np.array([(n - len(o)) * interval / 3600.0 for n, o in zip(lengths, offs)])
    else:
        paid = v.as_float_array(np.atleast_1d(v.array(paid_hours, "paid_hours", func)),
                                "paid_hours", func, low=0.0, closed="neither")
        if paid.size == 1:
            paid = np.full(starts.size, float(paid[0]))
        v.check_same_length(func, start=starts, paid_hours=paid)
    if repeat > 1:
        shift = (np.arange(repeat) * period)[:, None]
        starts = (starts[None, :] + shift).ravel()
        names = [f"{x} d{d + 1}" for d in range(repeat) for x in names]
        lengths, paid, offs = np.tile(lengths, repeat), np.tile(paid, repeat), offs * repeat
    brk = np.array([",".join(map(str, o)) for o in offs], dtype=object)
    return ShiftPatterns(name=np.array(names, dtype=object), start=starts.astype(np.int64),
                         length=lengths.astype(np.int64), breaks=brk,
                         paid_hours=paid.astype(np.float64))


@result
class Roster(Result):
    """Agents on each shift pattern covering a requirement (:func:`shift_roster`).

    Attributes
    ----------
    patterns : ShiftPatterns
    count : ndarray of int
        Agents on each pattern.
    requirement : ndarray of int
        Agents required per interval.
    coverage : ndarray of int
        Agents the roster puts in each interval (at least the requirement).
    method : str
        ``'milp'`` or ``'greedy'`` (what produced the roster).
    optimal : bool
        True when the integer programme proved the roster optimal.
    seconds : float
        Time spent solving.
    name, start, length, paid_hours : ndarray
        The patterns' columns.
    """

    patterns: ShiftPatterns
    count: np.ndarray
    requirement: np.ndarray
    coverage: np.ndarray
    method: str
    optimal: bool
    seconds: float

    @property
    def name(self) -> np.ndarray:
        """Pattern names."""
        return self.patterns.name

    @property
    def start(self) -> np.ndarray:
        """Pattern start intervals."""
        return self.patterns.start

    @property
    def length(self) -> np.ndarray:
        """Pattern lengths (intervals)."""
        return self.patterns.length

    @property
    def paid_hours(self) -> np.ndarray:
        """Paid hours of one agent on each pattern."""
        return self.patterns.paid_hours

    @property
    def total_paid_hours(self) -> float:
        """Paid hours of the whole roster, ``count @ paid_hours``."""
        return float(self.count @ self.patterns.paid_hours)

    @property
    def surplus(self) -> np.ndarray:
        """Agents above the requirement per interval."""
        return self.coverage - self.requirement

    def _title(self):
        return f"Roster ({self.method}{', optimal' if self.optimal else ''})"

    def _summary(self):
        return [f"{int(self.count.sum()):,} shifts, {self.total_paid_hours:,.1f} paid hours; "
                f"surplus {int(self.surplus.sum()):,} agent-intervals; "
                f"solved in {self.seconds:.3f} s"]

    def _columns(self):
        return {"name": self.name, "start": self.start, "length": self.length,
                "paid_hours": self.paid_hours, "count": self.count}


def _coverage_matrix(patterns: ShiftPatterns, horizon: int, cyclic: bool, func: str):
    """Sparse 0/1 matrix (intervals x patterns): 1 where the pattern works the interval."""
    from scipy.sparse import csc_matrix

    rows, cols = [], []
    for i in range(patterns.start.size):
        pos = int(patterns.start[i]) + patterns._offsets(i)
        if cyclic:
            pos = pos % horizon
        elif pos.size and pos[-1] >= horizon:
            v.fail("shifts", func, f"patterns that end within the requirement's {horizon} "
                   "intervals (or cyclic=True to wrap them around)",
                   got=f"pattern {patterns.name[i]!r} working interval {int(pos[-1])}",
                   data=True)
        rows.append(pos)
        cols.append(np.full(pos.size, i))
    r, c = np.concatenate(rows), np.concatenate(cols)
    m = csc_matrix((np.ones(r.size), (r, c)), shape=(horizon, patterns.start.size))
    m.sum_duplicates()
    m.data[:] = np.minimum(m.data, 1.0)
    return m


def _greedy(a, req: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Greedy set multicover: add the pattern with the most unmet agent-intervals per paid
    hour until the requirement is met, then drop shifts that are not needed (approximate)."""
    a = a.tocsc()
    dense = a.toarray()
    x = np.zeros(a.shape[1], dtype=np.int64)
    short = req.astype(np.float64).copy()
    while (short > 0).any():
        gain = (short > 0).astype(np.float64) @ dense
        score = np.where(gain > 0, gain / cost, -np.inf)
        j = int(np.argmax(score))
        # add as many copies as the least short covered interval still needs
        need = short[dense[:, j] > 0]
        k = max(1, int(need[need > 0].min()))
        x[j] += k
        short -= k * dense[:, j]
    cover = dense @ x
    for j in np.argsort(-cost, kind="stable"):  # costly shifts first
        while x[j] > 0 and (cover - dense[:, j] >= req).all():
            x[j] -= 1
            cover -= dense[:, j]
    return x


def shift_roster(requirement: ArrayLike, shifts: ShiftPatterns, *, method: str = "milp",
           time_limit: float = 60.0, cyclic: bool = False) -> Roster:
    """Agents per shift pattern covering a requirement at the fewest paid hours.

    Parameters
    ----------
    requirement : array of int
        Agents required in each interval (e.g. :attr:`StaffingPlan.scheduled`).
    shifts : ShiftPatterns
        The patterns allowed (:func:`shift_patterns`).
    method : {'milp', 'greedy'}, default 'milp'
        ``'milp'``: the integer programme, solved exactly by HiGHS through
        ``scipy.optimize.milp``; ``'greedy'``: the approximate heuristic.
    time_limit : float, default 60
        Seconds the integer programme may take.
    cyclic : bool, default False
        Wrap patterns past the last interval around to the first (a repeating week).

    Returns
    -------
    Roster

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Negative or fractional requirements, not ShiftPatterns, a pattern ending past the
        requirement (without ``cyclic``), an interval with a requirement that no pattern
        works.

    Warns
    -----
    CxpathWarning
        When ``method='milp'`` hands over to the greedy heuristic: SciPy older than 1.9
        (no ``milp``), more than :data:`MAX_MILP_CELLS` coverage cells, or no integer
        solution within ``time_limit``.

    Notes
    -----
    With :math:`a_{tj} = 1` when pattern *j* works interval *t* (breaks excluded),
    :math:`c_j` its paid hours and :math:`r_t` the requirement, the roster solves

    .. math:: \\min_x \\sum_j c_j x_j \\quad \\text{s.t.} \\quad \\sum_j a_{tj} x_j \\ge r_t,
              \\; x_j \\in \\{0, 1, 2, \\dots\\}

    with ``scipy.optimize.milp`` (SciPy ≥ 1.9; HiGHS' branch and bound, sparse coverage
    matrix). When the time limit ends with an integer solution that is not proved optimal
    that solution is returned with ``optimal=False``. The greedy heuristic adds, one
    pattern at a time, the one covering the most unmet agent-intervals per paid hour, then
    removes shifts the coverage does not need; it is approximate (a set multicover
    heuristic: within a factor ``H(max pattern length)`` of the optimum, usually a few
    percent above it) and never below the integer programme's optimum.

    References
    ----------
    Dantzig, G. B. (1954). A comment on Edie's "Traffic delays at toll booths".
    *Journal of the Operations Research Society of America* 2(3), 339–341.
    Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
    *Mathematical Programming Computation* 10, 119–142 (HiGHS).

    Examples
    --------
    >>> from cxpath.kpi import shift_patterns, shift_roster
    >>> shifts = shift_patterns([0, 2, 4], 4)
    >>> r = shift_roster([1, 2, 3, 3, 2, 2, 1, 1], shifts)
    >>> r.count.tolist(), r.total_paid_hours, r.optimal
    ([2, 1, 1], 8.0, True)
    """
    func = "kpi.shift_roster"
    if not isinstance(shifts, ShiftPatterns):
        v.fail("shifts", func, "ShiftPatterns (from kpi.shift_patterns)", shifts,
               wrong_type=True)
    v.check_option(method, "method", func, ("milp", "greedy"))
    time_limit = v.check_real(time_limit, "time_limit", func, low=0.0, closed="neither",
                              allow_inf=True)
    cyclic = v.check_bool(cyclic, "cyclic", func)
    req = v.as_int_array(requirement, "requirement", func, low=0, high=2**31)
    a = _coverage_matrix(shifts, req.size, cyclic, func)
    covered = np.asarray(a.sum(axis=1)).ravel() > 0
    bad = (req > 0) & ~covered
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("requirement", func, "zero in intervals that no shift pattern works",
               got=f"{int(req[i])} at position {i}", data=True)
    cost = shifts.paid_hours
    t0 = time.perf_counter()
    x, used, optimal = None, method, False
    if method == "milp":
        x, optimal, why = _milp(a, req, cost, time_limit)
        if x is None:
            warn(f"{func}: {why}; the roster comes from the greedy heuristic, "
                 "which is approximate.", CxpathWarning, stacklevel=2)
            used = "greedy"
    if x is None:
        x = _greedy(a, req, cost)
    seconds = time.perf_counter() - t0
    cover = np.asarray(a @ x).ravel().round().astype(np.int64)
    return Roster(patterns=shifts, count=x, requirement=req, coverage=cover, method=used,
                  optimal=optimal, seconds=seconds)


def _milp(a, req, cost, time_limit):
    """``(x, optimal, reason)``: x None with the reason when the greedy must take over."""
    import scipy.optimize

    milp = getattr(scipy.optimize, "milp", None)
    if milp is None:  # SciPy < 1.9
        return None, False, "scipy.optimize.milp is unavailable (SciPy < 1.9)"
    from scipy.optimize import LinearConstraint
    if a.shape[0] * a.shape[1] > MAX_MILP_CELLS:
        return None, False, (f"the coverage matrix has {a.shape[0] * a.shape[1]:,} cells, "
                             f"above MAX_MILP_CELLS = {MAX_MILP_CELLS:,}")
    keep = req > 0
    if not keep.any():
        return np.zeros(a.shape[1], dtype=np.int64), True, ""
    sub = a.tocsr()[np.flatnonzero(keep)]
    res = milp(cost, integrality=np.ones(a.shape[1]),
               constraints=LinearConstraint(sub, lb=req[keep].astype(float), ub=np.inf),
               bounds=(0, np.inf),
               options={"time_limit": float(min(time_limit, 1e9)), "disp": False})
    if res.x is None:
        return None, False, f"milp found no integer solution ({res.message})"
    return np.round(res.x).astype(np.int64), res.status == 0, ""
