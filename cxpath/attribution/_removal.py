"""Removal effects of every channel from one absorbing chain, solved component by component.

Path-estimated chains have one large strongly connected component and many single states
(at order 4 about half the states are singletons: windows whose every continuation leads
away). The solver here

* prunes the states that cannot reach conversion (their probability and value are 0),
* orders the strongly connected components sinks first, so a single state is
  solved exactly from its successors and a component by Gauss-Seidel sweeps inside it
  (states inside a component in :func:`sweep_order`, for memory locality),
* certifies every solve: with ``t`` the expected steps to absorption (solved once, its own
  residual accounted for), ``|x(start) - x_exact(start)| <= max residual * t(start)``
  because ``(I - Q)^-1`` is non-negative, and removing states only shrinks it; a solve
  whose bound is not below :data:`ACCURACY` after :data:`MAX_SWEEPS` sweeps is done by a
  sparse LU instead (exact up to rounding),
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
MAX_SWEEPS = 1000  # Gauss-Seidel sweeps per component before the LU takes over
DENSE_WORK = 2e9  # solves x states**3 up to which dense LUs run (~0.3 s; no kernel to
# compile: removal_solve's first compile takes 6-16 s in a fresh process without cache,
# while 20 channels at order 2 on 5,000 journeys, 343 states and 21 solves, take 0.13 s of
# LUs at load 7)
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
    (``blocks``), sinks first, so the kernel reads the CSR rows in memory order.
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
    tol: np.ndarray

    @property
    def n_states(self) -> int:
        return len(self.live)

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


def plan(q, r_conv: np.ndarray, r_value: np.ndarray,
         within: np.ndarray | None = None) -> Plan | None:
    """Order, prune and certify the chain ``(I - Q) x = r``; None if only the LU can solve it.

    ``q`` is CSR without diagonal; ``within`` sorts the states inside each component (the
    sweeps' memory order, e.g. :func:`sweep_order`; any order gives the same certified
    answers). The expected steps ``t`` are solved once (to a
    residual of 1e-9); ``bound`` is then a proven upper bound on ``t(start)``,
    ``t(start) + rho * max t / (1 - rho)`` with ``rho`` the certified residual.
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
    t, rho, _, failed = removal_solve(indptr, indices, data, np.ones((m, 1)), blocks,
                                      live[:, None], np.zeros((m, 1)), False,
                                      np.array([1e-9]), MAX_SWEEPS)
    if failed >= 0 or not rho[0] < 0.5:
        return None
    t_max = float(t[live, 0].max()) if live.any() else 0.0
    bound = (float(t[start, 0]) if m else 0.0) + float(rho[0]) * t_max / (1.0 - float(rho[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_conv = np.where(r_conv > 0, r_value / np.where(r_conv > 0, r_conv, 1.0), 0.0)
    vmax = max(1.0, float(per_conv.max()) if m else 1.0)
    tol = np.array([ACCURACY, ACCURACY * vmax]) / max(bound, 1.0)
    # the rounding of a row's sum alone must leave room below the tolerance
    terms = int(np.diff(indptr).max()) + 2 if m else 2
    floor = 2.0 * terms * np.finfo(np.float64).eps * np.array([1.0, vmax])
    if (floor * 4 > tol).any():
        return None
    return Plan(indptr=indptr, indices=indices, data=data, rhs=rhs, live=live, seq=seq,
                blocks=blocks, start=start, bound=bound, tol=tol)


def solve(p: Plan, keep: np.ndarray | None = None,
          base: np.ndarray | None = None) -> np.ndarray:
    """x over the live states in ``keep``, in the new numbering: (m, 2), or (m, g, 2).

    ``keep`` is None (all states), one mask (m,) or ``g`` masks (m, g) in the original
    numbering, solved together. Certified to :data:`ACCURACY` at the start state, or by
    sparse LU where the sweeps cannot certify it. ``base`` is the solution of the whole
    chain (``keep=None``), reused for the components that do not change.
    """
    from .._kernels.attribution import removal_solve

    m = p.n_states
    single = keep is None or np.ndim(keep) == 1
    masks = np.ones((m, 1), dtype=bool) if keep is None else \
        np.asarray(keep, dtype=bool).reshape(m, -1)
    inside = np.ascontiguousarray(p.live[:, None] & masks[p.seq])
    reuse = base is not None
    start = np.zeros((m, 2)) if base is None else base
    x, _, _, failed = removal_solve(p.indptr, p.indices, p.data, p.rhs, p.blocks, inside,
                                    start, reuse, p.tol, MAX_SWEEPS)
    x = x.reshape(m, inside.shape[1], 2)
    if failed >= 0:
        from ._chain import AbsorbingSolver

        solver = AbsorbingSolver(p.matrix())
        with one_blas_thread():
            x = np.stack([solver.solve(p.rhs, keep=inside[:, s])
                          for s in range(inside.shape[1])], axis=1)
    return x[:, 0] if single else x


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
