"""Removal effects of every channel from one absorbing chain, solved component by component.

Path-estimated chains have one large strongly connected component and many single states
(at order 4 about half the states are singletons: windows whose every continuation leads
away). The solver here

* prunes the states that cannot reach conversion (their probability and value are 0),
* orders the strongly connected components sinks first, so a single state is
  solved exactly from its successors and a component by Gauss-Seidel sweeps inside it
  (states inside a component in :func:`sweep_order`, for memory locality),
* certifies every solve by a weighted bound (derived in :func:`plan`): with ``res`` the
  final residual of each row and ``w`` a proven upper bound on the expected visits to
  each state from the start, ``|x(start) - x_exact(start)| <= sum(w * res) + U max(res)``
  (``U`` a small proven term for the error of ``w``); each component sweeps until its
  share of :data:`ACCURACY` is met, so rows the journeys rarely visit may keep larger
  residuals. A solve whose bound is not below :data:`ACCURACY` after :data:`MAX_SWEEPS`
  sweeps is done by a sparse LU instead (exact up to rounding),
* certifies the removal effects ``1 - P(-c) / P`` to :data:`EFFECT_ACCURACY` whatever
  ``P``: where ``P`` is small (below about 0.02) the whole chain and the removals are
  solved to ``EFFECT_ACCURACY / 2`` times a certified lower bound on ``P`` instead
  (:func:`relative`; an absolute 1e-12 on ``P = 0.001`` certifies effects only to 2e-9),
* removes channel ``c`` by keeping only the states that do not contain ``c`` (a journey
  reaches those only through a state whose latest touch is ``c``, which leads nowhere), and
  reuses the whole-chain solution for every component that cannot reach a removed state,
* runs the per-channel solves on threads (the kernels release the GIL).

No BLAS call is made unless a solve falls back to the LU, so the time does not depend on
the BLAS thread count or on other processes holding the cores.
"""

from __future__ import annotations

import itertools
import os

import attrs
import numpy as np

from .._blas import one_blas_thread

ACCURACY = 1e-12  # certified bound on |P(-c) - exact| (and on values relative to max(1, vmax))
EFFECT_ACCURACY = 1e-10  # certified bound on every removal effect, whatever P (see relative)
MAX_SHARE = 1 / 16  # share of ACCURACY for the U * max(res) term of the weighted bound
MAX_SWEEPS = 1000  # Gauss-Seidel sweeps per component before the LU takes over
DENSE_WORK = 2e9  # solves x states**3 up to which dense LUs run (~0.3 s; no kernel to
# compile, while 20 channels at order 2 on 5,000 journeys, 343 states and 21 solves, take
# 0.13 s of LUs at load 7)
# Seconds the first call of removal_solve takes to compile in a fresh process without a
# disk cache: 3.8-4.0 s on the 2-core x86 machine at load ~1.2 (numba 0.6x; 5.0-5.3 s
# before the kernel's rewrite, 6-16 s under load), after numba's own first-use cost of
# about 1.3 s. Of that, about 2.4 s is lowering to LLVM and optimising it (1.4 s at -O0:
# numba's cost per line of a kernel, not one slow feature), 0.7 s type inference and
# 0.1-0.3 s per numpy helper it specialises (np.zeros per dtype and rank, np.finfo: now
# one dtype and a literal eps). A cold chain whose LU route is estimated below this takes
# the LU route instead (see :func:`lu_first`).
COMPILE_SECONDS = 4.0
THREAD_STATES = 20_000  # chains from this many states solve channels on threads
BATCH = 8  # removals solved together in one pass over the chain (memory-bound sweeps)
BATCH_BYTES = 256 * 2**20  # cap on a batch's sweep arrays (3 x 16 bytes per state and removal)
# Wall-time model of one certified solve on one core, fitted on the 2-core x86 machine when
# it was quiet (benchmarks/bench_attribution.py, 1M journeys; order 4 over 20, 40 and 60
# channels came out at 0.66/4.5/9.9 s of solves against 0.56/6.1/10.7 s measured in all):
# about SWEEP_NNZ seconds per transition and sweep (removals batched 8 at a time), SWEEPS
# sweeps per solve (23-30 measured), plus PER_STATE per state. A busy machine is slower
# by its load. Re-checked at load ~1 (2026-12-01): 20 x 4, 40 x 4 and 60 x 3 estimated
# 0.69/4.5/5.0 s against 0.48/9.4/3.6 s measured, i.e. within about 2x either way: the
# sweeps per removal vary with how much of the largest component a channel touches.
SWEEP_NNZ = 1e-8
SWEEPS = 25
PER_STATE = 5e-8


def threads() -> int:
    """Worker threads for the per-channel solves: the cores this process may use (max 8)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def warm() -> bool:
    """Whether calling removal_solve costs no compile: compiled in this process, or an
    index of it in numba's disk cache (cxpath's kernels are cached by default)."""
    from .._kernels._jit import cached, compiled
    from .._kernels.attribution import removal_solve

    return compiled(removal_solve) or cached(removal_solve)


def lu_first(low: float, n_states: int) -> bool:
    """Whether a chain should take the direct (LU) route while removal_solve is not
    :func:`warm`, to avoid compiling it.

    ``low`` is the direct route's estimated seconds when GMRES certifies (the low end of
    :func:`cxpath.attribution.markov.estimate_seconds`, all fits): at most
    :data:`COMPILE_SECONDS`, the direct route answers first; where GMRES then fails on the
    chain, :func:`~cxpath.attribution.markov` compiles after all unless the LU route's high
    end is below that too. Measured on 1M journeys (load ~0.6): 10 channels at order 3
    (890 states) 0.14 s, at order 4 (5,704) 0.42 s, 20 at order 3 (6,308) 0.69 s, 60 at
    order 2 (3,304) 2.2 s, against about 4 s of compile (the component solver then takes
    0.01-0.2 s).

    Examples
    --------
    >>> lu_first(0.5, 100)  # small enough for the dense LU anyway
    False
    """
    from ._chain import DENSE_SOLVE

    return n_states > DENSE_SOLVE and low <= COMPILE_SECONDS


def dense_first(n_states: int, n_solves: int) -> bool:
    """Whether ``n_solves`` dense LUs of the chain cost less than compiling the kernels."""
    from ._chain import DENSE_SOLVE

    return n_states <= DENSE_SOLVE and n_solves * float(n_states) ** 3 <= DENSE_WORK


def estimate_seconds(n_states: int, n_transitions: int, n_solves: int,
                     workers: int | None = None) -> float:
    """Rough wall time of ``n_solves`` certified solves on a chain of this size."""
    workers = (threads() if n_states >= THREAD_STATES else 1) if workers is None else workers
    one = SWEEPS * SWEEP_NNZ * n_transitions + PER_STATE * n_states
    return n_solves * one / max(1, min(workers, n_solves))


@attrs.frozen(eq=False)
class Plan:
    """A chain prepared for its solves, states renumbered into solving order.

    ``seq[i]`` is the original number of state ``i``; components are contiguous
    (``blocks``), sinks first, so the kernel reads the CSR rows in memory order. A solve's
    error at the start state is at most ``sum(weight * res) + u * max(res)`` per ``rhs``
    column (``res`` the certified row residuals); the kernel stops sweeping component
    ``b`` once its rows meet ``budget[b]`` and ``cap``, which keeps that below
    ``accuracy``.
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    rhs: np.ndarray
    live: np.ndarray
    seq: np.ndarray
    blocks: np.ndarray
    start: int  # the start state's new number
    bound: float  # certified bound on the expected steps from the start state
    weight: np.ndarray  # (m,) bound on the expected visits from the start (0: unweighted)
    budget: np.ndarray  # (n_blocks, 2) share of accuracy of each component's residuals
    cap: np.ndarray  # (2,) bound on every row's residual
    u: float
    accuracy: np.ndarray  # (2,) the certified error: ACCURACY, ACCURACY * max value
    visits: tuple | None = None  # (w, u) of :func:`_visits`, kept for :func:`relative`

    @property
    def n_states(self) -> int:
        return len(self.live)

    @property
    def weighted(self) -> bool:
        """Whether the solves use the weighted bound (else ``u * max(res)`` alone)."""
        return bool(self.weight.any())

    def matrix(self):
        """``Q`` in the new numbering (scipy CSR), for the LU fallback."""
        import scipy.sparse as sp

        m = self.n_states
        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=(m, m))


def _permuted(indptr, indices, data, seq):
    """CSR rows and columns renumbered so that old state ``seq[i]`` becomes ``i``."""
    m = len(seq)
    inv = np.empty(m, dtype=np.int64)
    inv[seq] = np.arange(m)
    lengths = np.diff(indptr)[seq]
    new_indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_indptr[1:])
    pos = np.repeat(indptr[seq] - new_indptr[:-1], lengths) + np.arange(new_indptr[-1])
    return new_indptr, inv[indices[pos]], data[pos], inv


def _live_states(q, r_conv: np.ndarray) -> np.ndarray:
    """States from which conversion can be reached."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order

    m = q.shape[0]
    exits = np.flatnonzero(r_conv > 0)
    if len(exits) == 0:
        return np.zeros(m, dtype=bool)
    # a sink state m reached from every converting state; BFS on the reversed graph
    coo = q.tocoo()
    rows = np.concatenate([coo.col, np.full(len(exits), m)])
    cols = np.concatenate([coo.row, exits])
    rev = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(m + 1, m + 1))
    reached = breadth_first_order(rev, m, directed=True, return_predecessors=False)
    live = np.zeros(m + 1, dtype=bool)
    live[reached] = True
    return live[:m]


def sweep_order(keys: np.ndarray, n_channels: int, order: int) -> np.ndarray:
    """Sort key of the states inside a component: their touches newest first.

    State keys hold the oldest touch in the top digit, so in key order a state's
    successors (its window shifted by one touch) sit together but far from the state, one
    random jump per row of a sweep. With the digits reversed the rows that share
    successors come together and each sweep reads the solution in a few dozen rising
    streams: the same sweeps in about 1/1.4 of the time, and the removals at order 4 x 40
    and order 3 x 60 channels (1M journeys) 1.7x faster.

    Examples
    --------
    >>> sweep_order(np.array([1 * 9 + 2 * 3 + 0, 2 * 9 + 1 * 3 + 1]), 2, 3).tolist()
    [7, 14]
    """
    base = n_channels + 1
    out = np.zeros(len(keys), dtype=np.int64)
    for d in range(order):
        out = out * base + (keys // base ** d) % base
    return out


def _components(q, indptr, indices, within=None):
    """``(seq, blocks)``: states by strongly connected component, sinks first.

    scipy's labels (Pearce's algorithm) come in reverse topological order, every edge
    between components going to a lower label; that is checked (one pass over the
    edges), and the Tarjan kernel :func:`~cxpath._kernels.attribution.chain_blocks`
    orders the states if it ever does not hold. Inside a component the states are sorted
    by ``within`` (default: their number).
    """
    from scipy.sparse.csgraph import connected_components

    m = q.shape[0]
    n_comp, label = connected_components(q, directed=True, connection="strong")
    rows = np.repeat(np.arange(m), np.diff(indptr))
    if (label[indices] <= label[rows]).all():
        seq = (np.argsort(label, kind="stable") if within is None else
               np.lexsort((within, label))).astype(np.int64)
        blocks = np.zeros(n_comp + 1, dtype=np.int64)
        np.cumsum(np.bincount(label, minlength=n_comp), out=blocks[1:])
        return seq, blocks
    from .._kernels.attribution import chain_blocks  # pragma: no cover - scipy changed

    return chain_blocks(indptr, indices)  # pragma: no cover


def _rounding(indptr) -> np.ndarray:
    """Per row, the factor ``2 (terms + 2) eps`` of the kernel's rounding bound."""
    return 2.0 * (np.diff(indptr) + 2) * np.finfo(np.float64).eps


def _visits(indptr, indices, data, blocks, live, start, t_max, t_start):
    """``(w, u)``: a proven bound ``w`` on the expected visits to each live state from
    ``start`` (over the live states), and ``u`` with ``e_start' N |res| <= w |res| +
    u max|res|``; None if the adjoint solve fails.

    The visits ``y' = e_start' (I - Q)^-1`` solve the transposed system; numbered in
    reverse, its components come sinks first again, so the same kernel solves it. With
    ``z`` the residual of the computed ``y~`` (plus its rounding), ``y <= max(y~, 0) +
    N' |z|`` and ``|z|' N |res| <= sum|z| * max(t) * max|res|``: ``u = sum|z| max(t)``.
    ``y~`` is solved until ``u`` is a small fraction of ``t(start)`` (``t_start``, a bound
    on it; ``t_max`` one on the largest ``t``).
    """
    import scipy.sparse as sp

    from .._kernels.attribution import removal_solve

    m = len(live)
    rev = np.arange(m)[::-1].copy()
    qt = sp.csr_matrix((data, indices, indptr), shape=(m, m)).T.tocsr()
    t_ptr, t_idx, t_dat, _ = _permuted(qt.indptr.astype(np.int64),
                                       qt.indices.astype(np.int64), qt.data, rev)
    e = np.zeros((m, 1))
    e[m - 1 - start] = 1.0
    n_blocks = len(blocks) - 1
    # the visits are at most t(start): a cap above their rounding, 8x, can be certified
    cap = max(t_start / (1024.0 * max(live.sum(), 1) * max(t_max, 1.0)),
              8.0 * float(_rounding(t_ptr).max()) * max(t_start, 1.0))
    t_blocks = np.ascontiguousarray(m - blocks[::-1])
    y, _, _, _, failed = removal_solve(t_ptr, t_idx, t_dat, e, t_blocks,
                                       np.ascontiguousarray(live[rev, None]), np.zeros((m, 1)),
                                       False, np.zeros(m), np.zeros((n_blocks, 1)),
                                       np.array([cap]), MAX_SWEEPS)
    if failed >= 0:
        return None
    y = np.where(live[rev], y[:, 0], 0.0)
    qty = sp.csr_matrix((t_dat, t_idx, t_ptr), shape=(m, m))
    z = np.abs(e[:, 0] + qty @ y - y) + _rounding(t_ptr) * (e[:, 0] + abs(qty) @ np.abs(y)
                                                            + np.abs(y))
    z_sum = float(z[live[rev]].sum()) * (1.0 + 2.0 * m * np.finfo(np.float64).eps)
    return np.maximum(y, 0.0)[rev], z_sum * t_max


def plan(q, r_conv: np.ndarray, r_value: np.ndarray,
         within: np.ndarray | None = None) -> Plan | None:
    """Order, prune and certify the chain ``(I - Q) x = r``; None if only the LU can solve it.

    ``q`` is CSR without diagonal; ``within`` sorts the states inside each component (the
    sweeps' memory order, e.g. :func:`sweep_order`; any order gives the same certified
    answers).

    The bound. With ``N = (I - Q)^-1 >= 0`` and ``res = r + Q x - x`` the residual of the
    computed ``x`` (each row's certified by the kernel, rounding included), the error is
    ``x_exact - x = N res``, so at the start state ``s``
    ``|error| <= e_s' N |res| = sum_j y_j |res_j|`` with ``y_j`` the expected visits to
    ``j`` from ``s``. Removing states only shrinks ``N`` (entrywise), so the visits of the
    whole chain bound those of every removal and the same weights serve every solve.

    * Unweighted (the fallback): ``sum_j y_j = t(s)``, the expected steps, so
      ``|error| <= t(s) max|res|``. ``t`` is solved once (to a residual ``rho`` of 1e-9);
      ``bound = t(s) + rho max t / (1 - rho)`` is a proven upper bound on ``t(s)``.
    * Weighted: ``w`` and ``u`` from :func:`_visits` (the transposed system, solved once),
      so ``|error| <= sum_j w_j |res_j| + u max|res|``. :data:`MAX_SHARE` of
      :data:`ACCURACY` goes to the second term (``cap = MAX_SHARE * ACCURACY / u`` on every
      residual, loose since ``u`` is small), the rest to the first: single states carry
      only rounding (reserved for them at its worst, ``|x| <= 1`` for probabilities and
      ``<= max value per conversion`` for values), and the larger components share what
      is left in proportion to their visits ``sum_{j in b} w_j``. A component's rows then
      need ``sum w |res| <= budget[b]``, a weighted mean of the residuals against a
      uniform bound on the largest one: rarely visited rows may stay less converged.

    Each solve reports its certified error (the kernel's sums, times ``1 + 4 m eps`` for
    their own rounding); above ``accuracy`` the sparse LU answers instead.
    """
    from .._kernels.attribution import removal_solve

    m = q.shape[0]
    q = q.tocsr()
    indptr = np.ascontiguousarray(q.indptr, dtype=np.int64)
    indices = np.ascontiguousarray(q.indices, dtype=np.int64)
    data = np.ascontiguousarray(q.data, dtype=np.float64)
    live = _live_states(q, r_conv)
    seq, blocks = _components(q, indptr, indices, within)
    indptr, indices, data, inv = _permuted(indptr, indices, data, seq)
    live = live[seq]
    rhs = np.ascontiguousarray(np.column_stack([r_conv, r_value])[seq], dtype=np.float64)
    start = int(inv[0]) if m else 0
    n_blocks = len(blocks) - 1
    t, _, rho, _, failed = removal_solve(indptr, indices, data, np.ones((m, 1)), blocks,
                                         np.ascontiguousarray(live[:, None]), np.zeros((m, 1)),
                                         False, np.zeros(m), np.zeros((n_blocks, 1)),
                                         np.array([1e-9]), MAX_SWEEPS)
    if failed >= 0 or not rho[0] < 0.5:
        return None
    t_max = (float(t[live, 0].max()) if live.any() else 0.0) / (1.0 - float(rho[0]))
    t_start = float(t[start, 0]) if m else 0.0
    bound = t_start + float(rho[0]) * t_max
    with np.errstate(divide="ignore", invalid="ignore"):
        per_conv = np.where(r_conv > 0, r_value / np.where(r_conv > 0, r_conv, 1.0), 0.0)
    vmax = max(1.0, float(per_conv.max()) if m else 1.0)
    if m == 0:
        return None
    common = dict(indptr=indptr, indices=indices, data=data, rhs=rhs, live=live, seq=seq,
                  blocks=blocks, start=start, bound=bound)
    visits = _visits(indptr, indices, data, blocks, live, start, t_max, bound)
    if visits is not None:
        visits = (np.where(live, visits[0], 0.0), visits[1])
    return _certified(common, visits, np.array([ACCURACY, ACCURACY * vmax]),
                      np.array([1.0, vmax]))


def _certified(common: dict, visits, accuracy: np.ndarray, scale) -> Plan | None:
    """The plan of ``common`` (the chain, renumbered) certifying ``accuracy`` (2,) at the
    start; None if rounding alone leaves no room below it.

    ``scale`` (2,) or (m, 2) bounds ``|x|`` of each row (1 and the largest value per
    conversion; or the whole chain's solution, which bounds every removal's), for the share
    of the accuracy reserved for the rows' rounding. The unweighted bound needs the largest
    row's rounding times ``t(start)`` well below the accuracy; the weighted one only the
    rounding weighted by the visits (rows of a rarely converting chain that convert often,
    ``|x|`` near 1, are rarely visited).
    """
    indptr, blocks, bound = common["indptr"], common["blocks"], common["bound"]
    m, n_blocks = len(indptr) - 1, len(blocks) - 1
    rounding = _rounding(indptr)[:, None] * scale * 1.01  # at |x|'s largest
    common = {**common, "accuracy": accuracy, "visits": visits}
    # the rounding of a row's sum alone must leave room below the accuracy
    unweighted = None if (rounding.max(axis=0) * 4 * max(bound, 1.0) > accuracy).any() else \
        Plan(**common, weight=np.zeros(m), budget=np.zeros((n_blocks, 2)),
             cap=accuracy * (1.0 - 1e-6) / max(bound, 1.0), u=max(bound, 1.0))
    if visits is None:
        return unweighted
    w, u = visits
    block = np.repeat(np.arange(n_blocks), np.diff(blocks))
    single = (np.diff(blocks) == 1)[block]
    share = (1.0 - MAX_SHARE) * (1.0 - 1e-6) * accuracy
    spare = share - (w[single, None] * rounding[single]).sum(axis=0)
    mass = np.bincount(block, weights=np.where(single, 0.0, w), minlength=n_blocks)
    budget = spare * (mass / max(mass.sum(), 1e-300))[:, None]
    floor = np.zeros((n_blocks, 2))
    for c in range(2):
        floor[:, c] = np.bincount(block, weights=np.where(single, 0.0, w * rounding[:, c]),
                                  minlength=n_blocks)
    cap = MAX_SHARE * (1.0 - 1e-6) * accuracy / max(u, 1e-300)
    if (spare <= 0).any() or (budget < 4 * floor).any() or \
            (cap < 4 * rounding.max(axis=0)).any():
        return unweighted
    return Plan(**common, weight=w, budget=budget, cap=np.minimum(cap, 1e300), u=u)


def relative(p: Plan) -> tuple[Plan | None, np.ndarray | None, np.ndarray | None]:
    """``(plan, x, error)``: the plan of the removal solves, the whole chain's solution
    ``x`` (m, 2) and its certified error at the start (2,; NaN where unproven),
    such that every removal effect is certified to :data:`EFFECT_ACCURACY`, whatever
    ``P``; ``(None, None, None)`` if only the LU can meet that.

    The bound. Let ``P~ = P + d`` be the computed whole-chain solution at the start (of
    one column: probability or value) and ``P~_r = P_r + b`` that of a removal, with
    ``|d| <= e`` and ``|b| <= e_r`` certified. Removing states shrinks ``(I - Q)^-1``
    entrywise and ``r >= 0``, so ``0 <= P_r <= P``, and

        |P~_r / P~ - P_r / P| = |b P - P_r d| / (P P~) <= (e_r + e) / P~,

    so the effect ``1 - P~_r / P~`` is within ``(e + e_r) / P~`` (plus about 2 eps for
    its own rounding). With ``x~, e0`` the whole chain solved to the absolute plan's
    accuracy, ``L = x~ - e0 <= P`` is a certified lower bound on ``P``. Both the whole
    chain and every removal are then solved to ``a = min(accuracy, E L / (2 + E))``
    (``E`` = :data:`EFFECT_ACCURACY` less room for that rounding): the new whole-chain
    solution has ``P~ >= P - a >= L - a`` and ``2 a <= E (L - a)``, so
    ``(e + e_r) / P~ <= 2 a / P~ <= E``. Where ``a`` equals the absolute accuracy (``P``
    above about ``2 ACCURACY / E``: 0.02 for the probability) nothing is solved again. A
    column with ``x~ = 0`` (no value) has no effects and keeps its accuracy.
    """
    x, error = solve(p, with_error=True)
    top = EFFECT_ACCURACY * (1.0 - 1e-4)
    low = x[p.start] - np.nan_to_num(error)
    goal = np.where(x[p.start] > 0, top * low / (2.0 + top), np.inf)
    accuracy = np.minimum(p.accuracy, goal)
    if (accuracy >= p.accuracy).all():
        return p, x, error
    if not (accuracy > 0).all():
        return None, None, None  # P not even known to its own bound: the LU answers
    fields = ("indptr", "indices", "data", "rhs", "live", "seq", "blocks", "start", "bound")
    tight = _certified({f: getattr(p, f) for f in fields}, p.visits, accuracy,
                       1.01 * np.abs(x) + 1e-300)
    if tight is None:
        return None, None, None
    x, error = solve(tight, with_error=True, guess=x)  # from the looser solution
    return tight, x, error


def effect_error(whole: np.ndarray, whole_error: np.ndarray,
                 removed_error: np.ndarray) -> np.ndarray:
    """The certified error of the removal effects ``1 - x_r / x`` (see :func:`relative`):
    ``(e + e_r) / x`` plus the rounding of the effect itself; 0 where ``x`` is 0, NaN where
    unproven.

    Examples
    --------
    >>> got = effect_error(np.array([1e-3, 0.0]), np.array([1e-14, 0.0]),
    ...                    np.array([4e-14, 0.0]))
    >>> [f"{e:.4g}" for e in got]  # 5e-14 / 1e-3, and no effects without value
    ['5e-11', '0']
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (whole_error + removed_error) / whole + 4.0 * np.finfo(np.float64).eps
    return np.where(whole > 0, out, 0.0)


def solve(p: Plan, keep: np.ndarray | None = None, base: np.ndarray | None = None,
          with_error: bool = False, guess: np.ndarray | None = None):
    """x over the live states in ``keep``, in the new numbering: (m, 2), or (m, g, 2).

    ``keep`` is None (all states), one mask (m,) or ``g`` masks (m, g) in the original
    numbering, solved together. Certified to the plan's ``accuracy`` at the start state,
    or by sparse LU where the sweeps cannot certify it. ``base`` is the solution of the
    whole chain (``keep=None``) by this plan, reused for the components that do not
    change; ``guess`` (m, 2) only starts the sweeps (nothing reused: e.g. a solution to a
    looser accuracy). With ``with_error``, also the certified error bound at the start
    state, (2,) or (g, 2): that of the sweeps, or of :class:`~._chain.AbsorbingSolver`'s
    refined LU where it answered (NaN if that LU could not certify its answers).
    """
    from .._kernels.attribution import removal_solve

    m = p.n_states
    single = keep is None or np.ndim(keep) == 1
    masks = np.ones((m, 1), dtype=bool) if keep is None else \
        np.asarray(keep, dtype=bool).reshape(m, -1)
    inside = np.ascontiguousarray(p.live[:, None] & masks[p.seq])
    reuse = base is not None
    start = base if reuse else np.zeros((m, 2)) if guess is None else guess
    x, wres, maxres, _, failed = removal_solve(p.indptr, p.indices, p.data, p.rhs, p.blocks,
                                               inside, start, reuse, p.weight, p.budget,
                                               p.cap, MAX_SWEEPS)
    g = inside.shape[1]
    x = x.reshape(m, g, 2)
    error = ((wres + p.u * maxres) * (1.0 + 4.0 * m * np.finfo(np.float64).eps)).reshape(g, 2)
    if failed >= 0 or (error > p.accuracy).any():
        from ._chain import AbsorbingSolver

        solver = AbsorbingSolver(p.matrix(), start=p.start)
        error = np.empty((g, 2))
        columns = []
        with one_blas_thread():
            for s in range(g):
                columns.append(solver.solve(p.rhs, keep=inside[:, s]))
                error[s] = solver.error[0]
        x = np.stack(columns, axis=1)
        if not solver.certified:  # some LU answer missed its bound: unproven
            error[:] = np.nan
    if single:
        x, error = x[:, 0], error[0]
    return (x, error) if with_error else x


def batches(n_systems: int, n_states: int, workers: int) -> list[range]:
    """Split ``n_systems`` solves into batches solved together (at most :data:`BATCH`,
    and at most :data:`BATCH_BYTES` of sweep state), a multiple of ``workers`` of them."""
    if n_systems == 0:
        return []
    by_memory = max(1, int(BATCH_BYTES // max(1, 3 * 16 * n_states)))
    size = max(1, min(BATCH, by_memory))
    count = -(-n_systems // size)
    count = -(-count // workers) * workers if count > 1 or workers > 1 else count
    count = min(count, n_systems)
    edges = np.linspace(0, n_systems, count + 1).round().astype(int)
    return [range(a, b) for a, b in itertools.pairwise(edges) if b > a]


def contains(keys: np.ndarray, n_channels: int, order: int) -> np.ndarray:
    """(m, order) digits of the state keys: channel code + 1 of each remembered touch."""
    base = n_channels + 1
    return np.column_stack([(keys // base ** d) % base for d in range(order)]) \
        if len(keys) else np.zeros((0, order), dtype=np.int64)
