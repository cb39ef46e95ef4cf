"""Queueing for contact-centre staffing: Erlang B, Erlang C, Erlang A and staffing searches.

Every function is vectorised: each numeric argument may be a number or a 1-D array, and the
arguments broadcast against each other as *scenarios*. Times (``aht``, ``interval``,
``answer_time``, ``patience``) share one unit, seconds by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, result
from ..errors import DataError
from ._common import broadcast, required, scenario

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

__all__ = ["ErlangA", "ErlangC", "IntervalStaffing", "Staffing", "erlang_a", "erlang_b",
           "erlang_c", "interval_staffing", "staffing", "staffing_erlang_a"]


def _load(volume, aht, interval, func):
    volume = scenario(volume, "volume", func, low=0.0)
    aht = scenario(aht, "aht", func, low=0.0, closed="neither")
    interval = scenario(interval, "interval", func, low=0.0, closed="neither")
    return volume, aht, interval


def _loads(volume, aht, interval, func):
    """Offered load ``volume * aht / interval`` in Erlangs, at most ``MAX_LOAD``."""
    with np.errstate(over="ignore"):
        a = volume * aht / interval
    if not np.isfinite(a).all():
        i = int(np.argmax(~np.isfinite(a)))
        v.fail("volume", func, "a finite load (volume x aht / interval)",
               got=f"{a.flat[i]} Erlangs in scenario {i}", data=True)
    _check_load(a, func)
    return a


def _shrink(agents, shrinkage):
    """``ceil(agents / (1 - shrinkage))`` ignoring a relative excess below 1e-12."""
    x = agents / (1.0 - shrinkage)
    c = np.ceil(x)
    c -= (c - 1 >= x * (1.0 - 1e-12))
    return c.astype(np.int64)


_HALF_LOG_2PI = 0.9189385332046728  # log(2 pi) / 2
# agents counts must be exact in float64; loads above this many Erlangs are refused
MAX_AGENTS = 2**53
MAX_LOAD = 1e15


def _stirlerr(n: np.ndarray) -> np.ndarray:
    """``log(n!) - (n + 1/2) log n + n - log(2 pi)/2`` (Loader 2000) for n > 15, where its
    series is exact to double precision (smaller counts take the recursion, see
    :func:`_erlang_b`)."""
    i2 = 1.0 / (n * n)
    return (1 / 12 - i2 * (1 / 360 - i2 * (1 / 1260 - i2 * (1 / 1680 - i2 / 1188)))) / n


def _bd0(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``x log(x / m) + m - x`` without cancellation when ``x`` is close to ``m`` (Loader 2000)."""
    d = (m - x) / x
    near = np.abs(d) < 0.1
    with np.errstate(divide="ignore"):
        out = x * np.log(x / m) + (m - x)
    if near.any():  # x (d - log1p(d)) = x sum_{j>=2} (-d)^j / j
        dn = d[near]
        total = np.zeros_like(dn)
        power = dn * dn
        for j in range(2, 24):
            total += power / j if j % 2 == 0 else -power / j
            power = power * dn
        out[near] = x[near] * total
    return out


def _inverse_b_fraction(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``1 / B(n, a) = a h`` with ``h`` the Legendre continued fraction of
    ``Gamma(n + 1, a) / (e^-a a^(n+1))`` (modified Lentz); used where ``a`` is far above ``n``,
    where it converges in a few terms."""
    tiny = 1e-300
    b = a - n
    c = np.full_like(a, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, 10_000):
        an = -i * (i - n - 1.0)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return a * h


#: Erlang B of at most this many agents takes the textbook recursion
#: ``1/B(k) = 1 + (k / A) / B(k - 1)`` (positive terms: stable; a few µs a step),
#: more agents the O(1) Poisson ratio, which needs ``scipy.special`` (~0.15 s to import in a
#: fresh process): a first small staffing call does not pay for it (#19 point 2).
RECURSION_AGENTS = 100


def _erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B per scenario: the recursion up to :data:`RECURSION_AGENTS` agents, above
    it in O(1) as the Poisson ratio ``P(N = n) / P(N <= n)``, N ~ Poisson(a).

    The probability mass is built in log space with Loader's saddle-point form; the
    distribution function is ``gammaincc(n + 1, a)``; where that underflows (``a`` far above
    ``n``) a continued fraction gives ``1 / B`` directly.
    """
    n = np.asarray(n, dtype=np.float64)
    a = np.asarray(a, dtype=np.float64)
    out = np.where(n > 0, 0.0, 1.0)
    pos = (n > 0) & (a > 0)
    few = pos & (n <= RECURSION_AGENTS)
    if few.any():
        nf, af = n[few], a[few]
        inverse = np.ones_like(af)
        with np.errstate(over="ignore"):  # 1/B beyond 1e308: B is 0 in double precision
            for k in range(1, int(nf.max()) + 1):
                inverse = np.where(k <= nf, 1.0 + (k / af) * inverse, inverse)
        out[few] = 1.0 / inverse
    pos &= ~few
    if not pos.any():
        return out
    from scipy.special import gammaincc

    nn, aa = n[pos], a[pos]
    cdf = gammaincc(nn + 1.0, aa)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        log_pmf = -_HALF_LOG_2PI - 0.5 * np.log(nn) - _stirlerr(nn) - _bd0(nn, aa)
        b = np.exp(log_pmf - np.log(cdf))
    far = cdf < 1e-280
    if far.any():
        b[far] = 1.0 / _inverse_b_fraction(nn[far], aa[far])
    out[pos] = np.minimum(b, 1.0)
    return out


def _agents(agents, func: str, low: int) -> np.ndarray:
    """Agent counts as int64, each in [low, 2**53] (the true value in the message)."""
    if isinstance(agents, (int, np.integer)) and not isinstance(agents, (bool, np.bool_)):
        v.check_int(agents, "agents", func, low=low, high=MAX_AGENTS)
    elif isinstance(agents, (list, tuple)):
        for i, x in enumerate(agents):
            if isinstance(x, int) and not isinstance(x, bool) and not low <= x <= MAX_AGENTS:
                v.fail("agents", func, f"in [{low}, {MAX_AGENTS}]",
                       got=f"{x} at position {i}", data=True)
    raw = (v.array(agents, "agents", func)
           if isinstance(agents, (list, tuple, np.ndarray, float, np.floating)) else None)
    if raw is not None and raw.dtype.kind == "f":  # range first: int64 would wrap the value
        bad = np.isfinite(raw) & ((raw < low) | (raw > MAX_AGENTS))
        if bad.any():
            pos = np.unravel_index(int(np.argmax(bad)), raw.shape)
            where = "" if raw.ndim == 0 else f" at position {pos[0] if len(pos) == 1 else pos}"
            v.fail("agents", func, f"in [{low}, {MAX_AGENTS}]", got=f"{raw[pos]:g}{where}",
                   data=True)
    n = v.as_int_array(agents, "agents", func, ndim=None, low=low, high=MAX_AGENTS)
    if n.ndim > 1:
        v.fail("agents", func, "a number or a 1-dimensional array",
               got=f"an array of shape {n.shape}")
    return n


def _check_load(a: np.ndarray, func: str) -> None:
    big = a > MAX_LOAD
    if big.any():
        i = int(np.argmax(big))
        v.fail("volume", func, f"a load (volume x aht / interval) of at most {MAX_LOAD:g} "
               "Erlangs", got=f"{a.flat[i]:.6g} Erlangs in scenario {i}", data=True)


def erlang_b(agents: ArrayLike, load: ArrayLike) -> float | np.ndarray:
    """Erlang B: probability that an arrival finds all ``agents`` busy in a loss system.

    Parameters
    ----------
    agents : int or array of int
        Servers (trunks, agents), at least 0.
    load : float or array of float
        Offered load in Erlangs (arrival rate × mean holding time), at least 0.

    Returns
    -------
    float or ndarray
        A float when both arguments are scalars.

    Raises
    ------
    InvalidParameterError, DataError
        Negative agents or load, non-integer agents, NaN.

    Notes
    -----
    The definition ``B = (A^n / n!) / sum_{k<=n} A^k / k!`` is the ratio of a Poisson(A)
    probability to its distribution function, ``P(N = n) / P(N <= n)``. Up to
    :data:`RECURSION_AGENTS` agents it takes the stable recursion
    ``1/B(k) = 1 + (k / A) / B(k-1)``; above, it is computed in constant time whatever ``n``:
    the mass in log space (Loader's saddle-point form, no overflow past
    n ≈ 170 as ``A^n / n!`` has), the distribution function as the regularised incomplete
    gamma ``Q(n + 1, A)`` (``scipy.special.gammaincc``), and where that underflows (A far
    above n) the Legendre continued fraction of ``1 / B``. It agrees with the recursion
    ``B(k) = A B(k-1) / (k + A B(k-1))`` to about 1e-11 relative up to a million agents, and
    ``erlang_b(10**11, 10)`` takes microseconds, not the ``10**11`` steps of the recursion.
    Agents may be at most ``2**53`` (exact in float64).

    References
    ----------
    Erlang, A. K. (1917). Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges. *Elektroteknikeren* 13.
    Loader, C. (2000). Fast and accurate computation of binomial probabilities.

    Examples
    --------
    >>> from cxpath.kpi import erlang_b
    >>> round(erlang_b(2, 1.0), 4)
    0.2
    """

    func = "kpi.erlang_b"
    scalar = np.ndim(v.array(agents, "agents", func)) == 0 and \
        np.ndim(v.array(load, "load", func)) == 0
    n = _agents(agents, func, 0)
    a = scenario(load, "load", func, low=0.0)
    (n, a), _ = broadcast(func, agents=n, load=a)
    out = _erlang_b(n, a)
    return float(out[0]) if scalar else out


def _erlang_c_metrics(a, n, b, tau_aht, aht):
    """P(wait), service level, ASA (time units of ``aht``) and occupancy, no NaN."""
    nf = n.astype(np.float64)
    stable = nf > a
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c = np.where(stable, nf * b / (nf - a * (1.0 - b)), 1.0)
        sl = np.where(stable, 1.0 - c * np.exp(-(nf - a) * tau_aht), 0.0)
        asa = np.where(stable, c / (nf - a) * aht, np.inf)
        occ = np.where(nf > 0, np.minimum(a / nf, 1.0), 0.0)
    zero = a <= 0
    c = np.where(zero, 0.0, c)
    sl = np.where(zero, 1.0, np.clip(sl, 0.0, 1.0))
    asa = np.where(zero, 0.0, asa)
    return c, sl, asa, occ


@result
class ErlangC(Result):
    """Erlang C (M/M/n) performance of given agent counts, one row per scenario.

    Attributes
    ----------
    load : ndarray
        Offered load in Erlangs.
    agents : ndarray of int
    p_wait : ndarray
        Probability that a contact waits (Erlang C formula).
    service_level : ndarray
        Share answered within ``answer_time``.
    asa : ndarray
        Average speed of answer over all contacts (same unit as ``aht``); ``inf`` when the
        queue is unstable (agents ≤ load).
    occupancy : ndarray
        Load / agents, capped at 1.
    answer_time : ndarray
    """

    load: np.ndarray
    agents: np.ndarray
    p_wait: np.ndarray
    service_level: np.ndarray
    asa: np.ndarray
    occupancy: np.ndarray
    answer_time: np.ndarray

    def _columns(self):
        return {"load": self.load, "agents": self.agents, "p_wait": self.p_wait,
                "service_level": self.service_level, "asa": self.asa,
                "occupancy": self.occupancy}


def erlang_c(volume: ArrayLike, aht: ArrayLike, agents: ArrayLike, *, interval: ArrayLike = 1800.0,
             answer_time: ArrayLike = 20.0) -> ErlangC:
    """Erlang C waiting probability, service level, ASA and occupancy for given agents.

    Parameters
    ----------
    volume : float or array
        Contacts arriving per ``interval``.
    aht : float or array
        Average handle time (> 0), same unit as ``interval``.
    agents : int or array of int
        Agents on the phones (after shrinkage), at least 1.
    interval : float or array, default 1800
        Interval length (seconds by default: 30 minutes).
    answer_time : float or array, default 20
        Service-level threshold ("answered within t").

    Returns
    -------
    ErlangC

    Raises
    ------
    InvalidParameterError, DataError
        Negative volume, non-positive ``aht``/``interval``/``agents``, negative answer time.

    Notes
    -----
    With load :math:`A = \\lambda \\cdot AHT` and :math:`n > A` agents,
    :math:`C = n B / (n - A (1 - B))` with :math:`B` the Erlang B value,
    :math:`SL = 1 - C e^{-(n - A) t / AHT}`, :math:`ASA = C \\cdot AHT / (n - A)`.
    When :math:`n \\le A` the queue grows without bound: ``p_wait`` 1, service level 0,
    ASA ``inf``.

    References
    ----------
    Gans, N., Koole, G. and Mandelbaum, A. (2003). Telephone call centers: tutorial,
    review, and research prospects. *M&SOM* 5(2), 79–141.

    Examples
    --------
    >>> from cxpath.kpi import erlang_c
    >>> r = erlang_c(100, 180, 14)
    >>> round(float(r.p_wait[0]), 5), round(float(r.service_level[0]), 5)
    (0.17413, 0.88835)
    """
    func = "kpi.erlang_c"
    volume, aht, interval = _load(volume, aht, interval, func)
    n = _agents(agents, func, 1)
    t = scenario(answer_time, "answer_time", func, low=0.0)
    (volume, aht, interval, n, t), _ = broadcast(func, volume=volume, aht=aht,
                                                 interval=interval, agents=n, answer_time=t)
    a = _loads(volume, aht, interval, func)
    b = _erlang_b(n, a)
    c, sl, asa, occ = _erlang_c_metrics(a, n, b, t / aht, aht)
    return ErlangC(load=a, agents=n, p_wait=c, service_level=sl, asa=asa, occupancy=occ,
                   answer_time=t)


@result
class Staffing(Result):
    """Fewest agents meeting the targets, per scenario.

    Attributes
    ----------
    load : ndarray
        Offered load in Erlangs.
    agents : ndarray of int
        Agents needed on the phones.
    scheduled : ndarray of int
        Agents to schedule, ``ceil(agents / (1 - shrinkage))``.
    service_level, p_wait, asa, occupancy : ndarray
        Performance at ``agents`` (Erlang C; for Erlang A see :class:`ErlangA`).
    model : str
    """

    load: np.ndarray
    agents: np.ndarray
    scheduled: np.ndarray
    service_level: np.ndarray
    p_wait: np.ndarray
    asa: np.ndarray
    occupancy: np.ndarray
    model: str = "erlang_c"
    p_abandon: np.ndarray | None = None

    def _title(self):
        return f"Staffing ({self.model})"

    def _columns(self):
        cols = {"load": self.load, "agents": self.agents, "scheduled": self.scheduled,
                "service_level": self.service_level, "p_wait": self.p_wait, "asa": self.asa,
                "occupancy": self.occupancy}
        if self.p_abandon is not None:
            cols["p_abandon"] = self.p_abandon
        return cols


def staffing(volume: ArrayLike, aht: ArrayLike, *, interval: ArrayLike = 1800.0,
             answer_time: ArrayLike = 20.0, target: ArrayLike = 0.8, max_occupancy: ArrayLike = 1.0,
             max_asa: ArrayLike | None = None, shrinkage: ArrayLike = 0.0) -> Staffing:
    """Fewest agents meeting a service-level target under Erlang C, per scenario.

    Parameters
    ----------
    volume : float or array
        Contacts per ``interval`` (0 needs 0 agents).
    aht : float or array
        Average handle time (> 0), same unit as ``interval``.
    interval : float or array, default 1800
    answer_time : float or array, default 20
        Service-level threshold *t* ("80 % answered within 20 s").
    target : float or array, default 0.8
        Service-level target in [0, 1).
    max_occupancy : float or array, default 1.0
        Upper bound on load / agents, in (0, 1].
    max_asa : float or array, optional
        Upper bound on the average speed of answer.
    shrinkage : float or array, default 0
        Share of paid time off the phones (breaks, training), in [0, 1).

    Returns
    -------
    Staffing

    Raises
    ------
    InvalidParameterError, DataError
        Any argument outside its range.

    Notes
    -----
    The search starts at ``max(floor(A) + 1, ceil(A / max_occupancy))``, the fewest agents
    that keep the queue stable within the occupancy cap, and adds one agent at a time. The
    service level rises and the ASA falls with every agent once ``n > A``, so the first
    count meeting all targets is the minimum: the search never over-staffs. Starting at
    ``round(A + 1)`` instead (as some packages do) skips ``floor(A) + 1`` whenever the
    fractional part of *A* is 0.5 or more: for A = 1.6, t = AHT and a 50 % target, two
    agents already give 52.3 %. Shrinkage is applied last; ``ceil`` ignores floating-point
    excess below 1e-12 relative, so 14 / (1 - 0.3) is 20 agents, not 21.

    Examples
    --------
    >>> from cxpath.kpi import staffing
    >>> s = staffing(100, 180, answer_time=20, target=0.8, max_occupancy=0.85,
    ...              shrinkage=0.3)
    >>> int(s.agents[0]), int(s.scheduled[0]), round(float(s.service_level[0]), 5)
    (14, 20, 0.88835)
    >>> staffing([1.6, 1.6], 1.0, interval=1.0, answer_time=1.0, target=0.5).agents.tolist()
    [2, 2]
    """
    return _staffing("kpi.staffing", volume, aht, interval, answer_time, target,
                     max_occupancy, max_asa, shrinkage)


#: Erlang C searches up to this many estimated steps (scenarios x (8 + 4 sqrt(largest
#: load)), an upper bound several times the steps taken) run the kernel interpreted while it
#: is not compiled in this process: 0.4-0.7 µs per estimated step, so at most ~0.07 s, where
#: a fresh process would spend ~0.5 s compiling it (#19 point 2). A week of half-hours
#: (336 scenarios) at up to ~1,000 Erlangs stays below it.
SMALL_SEARCH_STEPS = 100_000


def _erlang_c_search(a):
    """The Erlang C search kernel for loads ``a``: interpreted when its work is at most
    :data:`SMALL_SEARCH_STEPS` and it is not compiled yet (the same numbers either way)."""
    from .._kernels import kpi as _k
    from .._kernels._jit import by_work

    steps = a.size * (8.0 + 4.0 * np.sqrt(np.max(a, initial=0.0)))
    return by_work(_k.erlang_c_search, steps, SMALL_SEARCH_STEPS)


def _staffing(func, volume, aht, interval, answer_time, target, max_occupancy, max_asa,
              shrinkage):
    """:func:`staffing` for the public function ``func`` that was called."""

    volume, aht, interval = _load(volume, aht, interval, func)
    t = scenario(answer_time, "answer_time", func, low=0.0)
    target = scenario(target, "target", func, low=0.0, high=1.0, closed="left")
    occ = scenario(max_occupancy, "max_occupancy", func, low=0.0, high=1.0, closed="right")
    max_asa = scenario(np.inf if max_asa is None else max_asa, "max_asa", func, low=0.0,
                       closed="neither", allow_inf=True)
    shrink = scenario(shrinkage, "shrinkage", func, low=0.0, high=1.0, closed="left")
    (volume, aht, interval, t, target, occ, max_asa, shrink), _ = broadcast(
        func, volume=volume, aht=aht, interval=interval, answer_time=t, target=target,
        max_occupancy=occ, max_asa=max_asa, shrinkage=shrink)
    a = _loads(volume, aht, interval, func)
    # first count: a stable queue within the occupancy cap (see Notes), B there in O(1)
    with np.errstate(over="ignore"):
        cap = a / occ
    if (cap > MAX_AGENTS).any():
        i = int(np.argmax(cap > MAX_AGENTS))
        v.fail("max_occupancy", func, f"large enough that load / max_occupancy is at most "
               f"{MAX_AGENTS} agents", got=f"{occ[i]:g} for a load of {a[i]:g} Erlangs "
               f"(scenario {i})", data=True)
    n_occ = np.ceil(cap)
    n_occ -= n_occ - 1 >= cap * (1.0 - 1e-12)
    start = np.maximum(np.floor(a) + 1.0, n_occ)
    n, b = _erlang_c_search(a)(a, np.ascontiguousarray(t / aht), target,
                              np.ascontiguousarray(max_asa / aht), start.astype(np.int64),
                              _erlang_b(start, a))
    c, sl, asa, occupancy = _erlang_c_metrics(a, n, b, t / aht, aht)
    return Staffing(load=a, agents=n, scheduled=_shrink(n, shrink), service_level=sl,
                    p_wait=c, asa=asa, occupancy=occupancy)


@result
class ErlangA(Result):
    """Erlang A (M/M/n+M, exponential patience) performance, one row per scenario.

    Attributes
    ----------
    load : ndarray
        Offered load in Erlangs.
    agents : ndarray of int
    p_wait : ndarray
        Probability that an arrival has to wait.
    p_abandon : ndarray
        Probability that a contact abandons before being answered.
    asa_all : ndarray
        Mean wait of all contacts, abandoned ones included (until they hang up).
    asa_answered : ndarray
        Mean wait of the answered contacts.
    service_level : ndarray
        Share of *all* contacts answered within ``answer_time`` (abandons count as misses).
    service_level_answered : ndarray
        Share of the answered contacts answered within ``answer_time``.
    occupancy : ndarray
        Answered load / agents.
    """

    load: np.ndarray
    agents: np.ndarray
    p_wait: np.ndarray
    p_abandon: np.ndarray
    asa_all: np.ndarray
    asa_answered: np.ndarray
    service_level: np.ndarray
    service_level_answered: np.ndarray
    occupancy: np.ndarray

    def _columns(self):
        return {"load": self.load, "agents": self.agents, "p_wait": self.p_wait,
                "p_abandon": self.p_abandon, "asa_all": self.asa_all,
                "asa_answered": self.asa_answered, "service_level": self.service_level,
                "service_level_answered": self.service_level_answered,
                "occupancy": self.occupancy}


def _erlang_a_inputs(volume, aht, patience, interval, answer_time, func):
    volume, aht, interval = _load(volume, aht, interval, func)
    patience = scenario(patience, "patience", func, low=0.0, closed="neither")
    t = scenario(answer_time, "answer_time", func, low=0.0)
    return volume, aht, interval, patience, t


def _check_status(status, func):
    from ..errors import CostError

    slow = np.flatnonzero(status == 2)
    if slow.size:
        from .._kernels.kpi import MAX_UNIFORM_WORK

        raise CostError(
            f"{func} would need more than {MAX_UNIFORM_WORK:.0e} steps for the "
            f"answered-within-answer_time share of scenario {int(slow[0])} (a long queue "
            "and an answer time of many handle times). Use a shorter 'answer_time', more "
            "agents, or kpi.erlang_c.")
    bad = np.flatnonzero(status != 0)
    if bad.size:
        raise DataError(
            f"The 'patience' parameter of {func} must be short enough for the overloaded "
            f"queue of scenario {int(bad[0])} to settle within "
            f"{2_000_000:,} waiting places. Got a patience that is too long instead; "
            "add agents or use kpi.erlang_c.")


_CHUNK = 256  # Erlang A scenarios per kernel call


def _chain_memory(agents: int, func: str) -> None:
    """The Erlang A chain holds one probability per state: ``agents`` below the servers
    and up to ``MAX_QUEUE_STATES`` queue states (twice more for the answered-within-t
    computation), 8 bytes each."""
    from .._budget import check_memory
    from .._kernels.kpi import MAX_QUEUE_STATES

    check_memory(8.0 * (agents + 1 + 3 * (MAX_QUEUE_STATES + 1)), func,
                 f"the birth-death chain of {agents:,} agents")


def _a_metrics(a, n, raw, aht):
    zero = a <= 0
    p_served = raw[5]
    with np.errstate(divide="ignore", invalid="ignore"):
        sl_ans = np.where(p_served > 0, raw[6] / p_served, 0.0)
        occ = np.where(n > 0, a * (1.0 - raw[2]) / np.maximum(n, 1), 0.0)
    unit = np.clip(raw[1:3], 0.0, 1.0)  # sums of probabilities may exceed 1 by an ulp
    return dict(p_wait=np.where(zero, 0.0, unit[0]), p_abandon=np.where(zero, 0.0, unit[1]),
                asa_all=np.where(zero, 0.0, raw[3] * aht),
                asa_answered=np.where(zero, 0.0, raw[4] * aht),
                service_level=np.where(zero, 1.0, np.clip(raw[6], 0.0, 1.0)),
                service_level_answered=np.where(zero, 1.0, np.clip(sl_ans, 0.0, 1.0)),
                occupancy=np.where(zero, 0.0, np.minimum(occ, 1.0)))


def erlang_a(volume: ArrayLike, aht: ArrayLike, agents: ArrayLike, patience: ArrayLike, *,
             interval: ArrayLike = 1800.0, answer_time: ArrayLike = 20.0) -> ErlangA:
    """Erlang A (M/M/n+M): waiting, abandonment, ASA and service level with impatient callers.

    Parameters
    ----------
    volume : float or array
        Contacts per ``interval``.
    aht : float or array
        Average handle time (> 0).
    agents : int or array of int
        Agents on the phones, at least 1.
    patience : float or array
        Mean time a caller is willing to wait (exponential), > 0.
    interval : float or array, default 1800
    answer_time : float or array, default 20

    Returns
    -------
    ErlangA

    Raises
    ------
    InvalidParameterError, DataError
        Bad ranges; or a patience so long that an overloaded queue does not settle within
        two million waiting places (use :func:`erlang_c` then).

    Notes
    -----
    Exact computation on the birth–death chain of the number of contacts in the system:
    births at rate λ, deaths at ``k μ`` below *n* and ``n μ + (k − n) θ`` above, with
    θ = 1 / patience. Stationary probabilities are built in log space and the chain is
    followed until the remaining tail is below ``e^-40`` of the largest term. Abandonment is
    ``θ E[queue] / λ`` and the mean wait of all contacts ``E[queue] / λ`` (Little's law). A
    contact arriving behind *j* waiting contacts is answered with probability
    ``n μ / (n μ + (j + 1) θ)`` after exponential stages of rates ``n μ + (i + 1) θ``,
    ``i = j, …, 0``; the answered-within-*t* probability is computed exactly for this
    absorbing chain by uniformisation. As patience grows without bound the results tend
    to Erlang C.

    References
    ----------
    Garnett, O., Mandelbaum, A. and Reiman, M. (2002). Designing a call center with
    impatient customers. *M&SOM* 4(3), 208–227.

    Examples
    --------
    >>> from cxpath.kpi import erlang_a
    >>> r = erlang_a(100, 180, 10, patience=120)
    >>> round(float(r.p_abandon[0]), 4), round(float(r.service_level[0]), 4)
    (0.1375, 0.6399)
    """
    from .._kernels import kpi as _k

    func = "kpi.erlang_a"
    volume, aht, interval, patience, t = _erlang_a_inputs(volume, aht, patience, interval,
                                                          answer_time, func)
    n = _agents(agents, func, 1)
    (volume, aht, interval, patience, t, n), _ = broadcast(
        func, volume=volume, aht=aht, interval=interval, patience=patience, answer_time=t,
        agents=n)
    a = _loads(volume, aht, interval, func)
    pos = a > 0
    raw = np.zeros((7, a.size))
    if pos.any():
        _chain_memory(int(n[pos].max()), func)
        idx = np.flatnonzero(pos)
        for lo in range(0, idx.size, _CHUNK):  # chunks: Ctrl-C works between them
            part = idx[lo:lo + _CHUNK]
            raw[:, part] = _k.erlang_a(np.ascontiguousarray(a[part]),
                                       np.ascontiguousarray(n[part], dtype=np.int64),
                                       np.ascontiguousarray(aht[part] / patience[part]),
                                       np.ascontiguousarray(t[part] / aht[part]))
            _check_status(raw[0, part], func)
    _check_status(raw[0], func)
    return ErlangA(load=a, agents=n, **_a_metrics(a, n, raw, aht))


def staffing_erlang_a(volume: ArrayLike, aht: ArrayLike, patience: ArrayLike, *,
                      interval: ArrayLike = 1800.0, answer_time: ArrayLike = 20.0,
                      target: ArrayLike = 0.8, max_abandon: ArrayLike = 1.0,
                      max_occupancy: ArrayLike = 1.0, max_asa: ArrayLike | None = None,
                      shrinkage: ArrayLike = 0.0) -> Staffing:
    """Fewest agents meeting service-level, abandonment, occupancy and ASA targets (Erlang A).

    Parameters
    ----------
    volume, aht, patience, interval, answer_time : float or array
        As in :func:`erlang_a`.
    target : float or array, default 0.8
        Share of all contacts answered within ``answer_time`` (abandons are misses), [0, 1).
    max_abandon : float or array, default 1.0
        Upper bound on the abandonment probability.
    max_occupancy : float or array, default 1.0
    max_asa : float or array, optional
        Upper bound on the mean wait of answered contacts.
    shrinkage : float or array, default 0

    Returns
    -------
    Staffing
        With ``model='erlang_a'``, ``asa`` the answered contacts' mean wait and
        ``p_abandon`` filled in.

    Raises
    ------
    InvalidParameterError, DataError
        Bad ranges.

    Notes
    -----
    The answered-within-*t* share cannot exceed ``n / A`` (agents' throughput), so the
    search starts at ``max(1, floor(A · target))``; the targets are monotone in the agents,
    so a galloping search brackets the first feasible count and a bisection finds it.
    Abandonment often lets Erlang A staff below Erlang C's ``floor(A) + 1``.

    Examples
    --------
    >>> from cxpath.kpi import staffing_erlang_a
    >>> int(staffing_erlang_a(100, 180, patience=120, target=0.8).agents[0])
    12
    """
    return _staffing_a("kpi.staffing_erlang_a", volume, aht, patience, interval, answer_time,
                       target, max_abandon, max_occupancy, max_asa, shrinkage)


def _staffing_a(func, volume, aht, patience, interval, answer_time, target, max_abandon,
                max_occupancy, max_asa, shrinkage):
    """:func:`staffing_erlang_a` for the public function ``func`` that was called."""
    from .._kernels import kpi as _k

    volume, aht, interval, patience, t = _erlang_a_inputs(volume, aht, patience, interval,
                                                          answer_time, func)
    target = scenario(target, "target", func, low=0.0, high=1.0, closed="left")
    max_ab = scenario(max_abandon, "max_abandon", func, low=0.0, high=1.0)
    occ = scenario(max_occupancy, "max_occupancy", func, low=0.0, high=1.0, closed="right")
    max_asa = scenario(np.inf if max_asa is None else max_asa, "max_asa", func, low=0.0,
                       closed="neither", allow_inf=True)
    shrink = scenario(shrinkage, "shrinkage", func, low=0.0, high=1.0, closed="left")
    (volume, aht, interval, patience, t, target, max_ab, occ, max_asa, shrink), _ = broadcast(
        func, volume=volume, aht=aht, interval=interval, patience=patience, answer_time=t,
        target=target, max_abandon=max_ab, max_occupancy=occ, max_asa=max_asa,
        shrinkage=shrink)
    a = _loads(volume, aht, interval, func)
    # the search may try up to about twice the load (galloping) before bisecting
    _chain_memory(int(2.0 * float(a.max(initial=0.0)) + 64), func)
    n = np.zeros(a.size, dtype=np.int64)
    raw = np.zeros((7, a.size))
    g, tau, asa = (np.ascontiguousarray(aht / patience), np.ascontiguousarray(t / aht),
                   np.ascontiguousarray(max_asa / aht))
    for lo in range(0, a.size, _CHUNK):  # chunks: Ctrl-C works between them
        sl = slice(lo, lo + _CHUNK)
        n[sl], raw[:, sl] = _k.erlang_a_staffing(a[sl], g[sl], tau[sl], target[sl],
                                                 max_ab[sl], occ[sl], asa[sl])
        _check_status(raw[0, sl], func)
    m = _a_metrics(a, n, raw, aht)
    return Staffing(load=a, agents=n, scheduled=_shrink(n, shrink),
                    service_level=m["service_level"], p_wait=m["p_wait"],
                    asa=m["asa_answered"], occupancy=m["occupancy"], model="erlang_a",
                    p_abandon=m["p_abandon"])


def _of_staffing(name: str) -> property:
    def get(self) -> np.ndarray:
        return getattr(self.staffing, name)

    return property(get, doc=f"``staffing.{name}`` per interval.")


@result
class IntervalStaffing(Result):
    """Staffing for each interval of a volume forecast.

    Attributes
    ----------
    start : ndarray
        Interval labels (start times or positions).
    volume, aht : ndarray
    staffing : Staffing
        The per-interval result (agents, scheduled, service level, …).
    interval : float
        Interval length.
    agents, scheduled, load, service_level, p_wait, asa, occupancy : ndarray
        The columns of ``staffing`` per interval.
    p_abandon : ndarray or None
        ``staffing.p_abandon`` (Erlang A only).
    """

    start: np.ndarray
    volume: np.ndarray
    aht: np.ndarray
    staffing: Staffing
    interval: float

    load = _of_staffing("load")
    service_level = _of_staffing("service_level")
    p_wait = _of_staffing("p_wait")
    asa = _of_staffing("asa")
    occupancy = _of_staffing("occupancy")
    p_abandon = _of_staffing("p_abandon")

    @property
    def agents(self) -> np.ndarray:
        """Agents needed on the phones per interval."""
        return self.staffing.agents

    @property
    def scheduled(self) -> np.ndarray:
        """Agents to schedule per interval (after shrinkage)."""
        return self.staffing.scheduled

    @property
    def peak(self) -> int:
        """Position of the interval needing the most scheduled agents."""
        return int(np.argmax(self.staffing.scheduled))

    @property
    def scheduled_hours(self) -> float:
        """Scheduled agent-hours over all intervals (interval in seconds)."""
        return float(self.staffing.scheduled.sum() * self.interval / 3600.0)

    def _title(self):
        return f"Interval staffing ({self.staffing.model})"

    def _summary(self):
        p = self.peak
        return [f"peak interval {self.start[p]}: {int(self.staffing.agents[p])} agents "
                f"({int(self.staffing.scheduled[p])} scheduled); "
                f"{self.scheduled_hours:,.1f} scheduled agent-hours in all"]

    def _columns(self):
        cols = {"start": self.start, "volume": self.volume, "aht": self.aht}
        cols.update(self.staffing._columns())
        return cols


def interval_staffing(volume: ColumnLike, aht: ColumnLike | float, *, data: TableLike | None = None,
                      start: ColumnLike | None = None, interval: float = 1800.0,
                      answer_time: ArrayLike = 20.0, target: ArrayLike = 0.8,
                      max_occupancy: ArrayLike = 1.0, max_asa: ArrayLike | None = None,
                      shrinkage: ArrayLike = 0.0, model: str = "erlang_c",
                      patience: float | None = None, max_abandon: float = 1.0) -> IntervalStaffing:
    """Agents per interval of a volume forecast (Erlang C or Erlang A).

    Parameters
    ----------
    volume : str or array
        Contacts per interval, or its column name in ``data``.
    aht : str, float or array
        Average handle time per interval (or one value). It may be 0 (or NaN) only in
        intervals with no contacts.
    data : table, optional
        pandas / polars / pyarrow table or dict of arrays holding the named columns.
    start : str or array, optional
        Interval labels (e.g. start times); positions when omitted.
    interval : float, default 1800
    answer_time, target, max_occupancy, max_asa, shrinkage
        As in :func:`staffing`.
    model : {'erlang_c', 'erlang_a'}
    patience : float, optional
        Mean patience, needed for ``model='erlang_a'``.
    max_abandon : float, default 1.0
        Erlang A only.

    Returns
    -------
    IntervalStaffing

    Raises
    ------
    InvalidParameterError, DataError
        Negative volumes, AHT ≤ 0 in an interval with contacts, bad targets.

    Examples
    --------
    >>> from cxpath.kpi import interval_staffing
    >>> r = interval_staffing([0, 100, 40], [0, 180, 200])
    >>> r.agents.tolist()
    [0, 14, 7]
    """
    func = "kpi.interval_staffing"
    v.check_option(model, "model", func, ("erlang_c", "erlang_a"))
    required(volume, "volume", func, "a column name or an array of volumes")
    vol = column(data, volume, "volume", func)
    vol = v.as_float_array(vol, "volume", func, low=0.0)
    if isinstance(aht, str):
        aht_arr = column(data, aht, "aht", func)
    else:
        aht_arr = v.as_float_array(aht, "aht", func, ndim=None, allow_nan=True)
        if np.ndim(aht) == 0:
            aht_arr = np.full(vol.shape, float(aht_arr[0]))
    aht_arr = v.as_float_array(aht_arr, "aht", func, allow_nan=True)
    v.check_same_length(func, volume=vol, aht=aht_arr)
    busy = vol > 0
    bad = busy & ~(aht_arr > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        v.fail("aht", func, "positive wherever the volume is positive",
               got=f"{aht_arr[i]!r} at position {i} (volume {vol[i]:g})", data=True)
    interval = v.check_real(interval, "interval", func, low=0.0, closed="neither")
    labels = column(data, start, "start", func) if start is not None else np.arange(vol.size)
    v.check_same_length(func, volume=vol, start=labels)
    safe_aht = np.where(busy, aht_arr, 1.0)
    if model == "erlang_c":
        res = _staffing(func, vol, safe_aht, interval, answer_time, target, max_occupancy,
                        max_asa, shrinkage)
    else:
        if patience is None:
            v.fail("patience", func, "given when model='erlang_a'", None)
        res = _staffing_a(func, vol, safe_aht, patience, interval, answer_time, target,
                          max_abandon, max_occupancy, max_asa, shrinkage)
    return IntervalStaffing(start=np.asarray(labels), volume=vol, aht=aht_arr, staffing=res,
                            interval=interval)
