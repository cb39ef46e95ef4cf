"""The absorbing Markov chain of a set of paths, and exact solves on it."""

from __future__ import annotations

import attrs
import numpy as np

from .. import _validate as v
from ._paths import AttributionPaths

__all__ = ["AbsorbingSolver", "Chain", "build_chain", "solve_absorbing"]

DENSE_CELLS = 1 << 23  # dense counting up to 8M cells (64 MB); sparse route beyond
DENSE_SOLVE = 400  # states up to which a dense LU beats a sparse one
KRYLOV_SOLVE = 2000  # states from which a certified GMRES solve is tried before sparse LU
KRYLOV_ACCURACY = 1e-12  # certified bound on |x - x_exact| relative to max |x| (or 1)
KRYLOV_RESTARTS = 5  # GMRES cycles of 60 steps before giving up for the LU
NUMPY_EVENTS = 20_000  # touches up to which the dense counts run in numpy (no compile)
KEY_MAP = 1 << 25  # state keys up to which a dense key -> state map (256 MB) replaces a sort


@attrs.frozen(eq=False)
class Chain:
    """Transient states (``keys``), transition counts between them and to the two exits.

    ``keys`` are sorted, so the start state (key 0) is state 0. ``moves`` is a CSR matrix of
    weighted transition counts between states; ``to_conversion``, ``to_null`` and
    ``value`` the weighted exits and the converting value leaving each state.
    """

    n_channels: int
    order: int
    keys: np.ndarray
    moves: object
    to_conversion: np.ndarray
    to_null: np.ndarray
    value: np.ndarray

    @property
    def n_states(self) -> int:
        return len(self.keys)

    @property
    def out_total(self) -> np.ndarray:
        return np.asarray(self.moves.sum(axis=1)).ravel() + self.to_conversion + self.to_null

    def without_self_loops(self) -> Chain:
        """The chain with every state's moves back to itself left out.

        Absorption probabilities and expected absorbed value do not change (a self-loop
        only delays leaving); expected steps and times do. ChannelAttribution reports its
        transition matrices this way.
        """
        import scipy.sparse as sp

        moves = self.moves.tocsr()
        rows = np.repeat(np.arange(moves.shape[0]), np.diff(moves.indptr))
        off = (moves.indices != rows) & (moves.data != 0)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[off],
                                                            minlength=moves.shape[0]))))
        moves = sp.csr_matrix((moves.data[off], moves.indices[off], indptr),
                              shape=moves.shape)
        return attrs.evolve(self, moves=moves)

    def probabilities(self):
        """``(Q, r_conversion, r_null, r_value)``: row-normalised moves and exits."""
        import scipy.sparse as sp

        total = self.out_total
        inv = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
        q = sp.diags(inv) @ self.moves
        return q.tocsr(), self.to_conversion * inv, self.to_null * inv, self.value * inv

    def last_channel(self) -> np.ndarray:
        """Code of the latest touch in each state (-1 for the start state)."""
        return self.keys % (self.n_channels + 1) - 1

    def labels(self, channels) -> list[str]:
        """``"(start)"`` and ``"a > b"`` style labels of the states."""
        base = self.n_channels + 1
        names = np.array(["", *channels], dtype=object)
        out = np.full(len(self.keys), "", dtype=object)
        for d in range(self.order - 1, -1, -1):  # oldest touch first; missing ones are 0
            digit = (self.keys // base ** d) % base
            glue = np.where((out != "") & (digit > 0), " > ", "")
            out = out + glue + names[digit]
        out[out == ""] = "(start)"
        return out.tolist()


def _dense_counts(codes, offsets, conv, null, value, n: int, order: int, collapse: bool):
    """:func:`~cxpath._kernels.attribution.markov_dense_counts` in numpy (no compile).

    Used for small inputs, where compiling the kernel would cost more than the work.
    """
    codes = np.asarray(codes, dtype=np.int64)
    offsets = np.asarray(offsets, dtype=np.int64)
    base = n + 1
    n_keys = base ** order
    counts = np.zeros((n_keys, n + 3))
    lengths = np.diff(offsets)
    case = np.repeat(np.arange(len(lengths)), lengths)
    w = conv + null
    used = (w > 0)[case]  # cases without weight add nothing (as in the kernel)
    if collapse:
        first = np.zeros(len(codes), dtype=bool)
        first[offsets[:-1][lengths > 0]] = True
        same = np.zeros(len(codes), dtype=bool)
        same[1:] = codes[1:] == codes[:-1]
        used &= first | ~same
    codes, case = codes[used], case[used]
    starts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]]) if len(case) else case
    pos = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    key = np.zeros(len(codes), dtype=np.int64)  # the state before each touch
    for d in range(1, order + 1):
        back = pos >= d
        idx = np.flatnonzero(back)
        key[idx] += (codes[idx - d] + 1) * base ** (d - 1)
    np.add.at(counts, (key, codes), w[case])
    # the state after each case's last touch: its exits and value
    ends = np.r_[starts[1:], len(codes)] - 1 if len(codes) else starts
    last = (key[ends] * base + codes[ends] + 1) % n_keys
    cases = case[ends]
    np.add.at(counts[:, n], last, conv[cases])
    np.add.at(counts[:, n + 1], last, null[cases])
    np.add.at(counts[:, n + 2], last, value[cases])
    return counts


def build_chain(paths: AttributionPaths, order: int, collapse: bool, func: str) -> Chain:
    """Count the order-``order`` chain of ``paths`` (dense keys when small, else sparse)."""
    import scipy.sparse as sp

    n = paths.n_channels
    base = n + 1
    n_keys = base ** order
    if n_keys > 2 ** 62:
        v.fail("order", func, f"small enough that {n} channels fit in 64-bit state keys",
               order)
    small = len(paths.codes) <= NUMPY_EVENTS
    if not small or n_keys * (n + 3) > DENSE_CELLS:  # numba only when the work is worth it
        from .._kernels.attribution import markov_dense_counts, markov_transitions
    if n_keys * (n + 3) <= DENSE_CELLS:
        slot = None
        count = _dense_counts if len(paths.codes) <= NUMPY_EVENTS else markov_dense_counts
        counts = count(paths.codes, paths.offsets, paths.conversions, paths.nulls,
                       paths.value, n, order, collapse)
        keys = np.flatnonzero(counts[:, :n + 2].sum(axis=1) > 0)
        sub = counts[keys]
        rows, cols = np.nonzero(sub[:, :n])
        weights = sub[rows, cols]
        to_key = (keys[rows] * base + cols + 1) % n_keys
        conv, null, value = sub[:, n], sub[:, n + 1], sub[:, n + 2]
    else:
        from_key, to_col, owner = markov_transitions(paths.codes, paths.offsets, n, order,
                                                     collapse)
        if n_keys <= KEY_MAP:  # a dense key -> state map: no sort of the events
            present = np.zeros(n_keys, dtype=bool)
            present[from_key] = True
            keys = np.flatnonzero(present)
            slot = np.empty(n_keys, dtype=np.int64)
            slot[keys] = np.arange(len(keys))
            state = slot[from_key]
        else:
            keys, state = np.unique(from_key, return_inverse=True)
            slot = None
        exits = to_col == n
        m = len(keys)
        conv = np.bincount(state[exits], weights=paths.conversions[owner[exits]], minlength=m)
        null = np.bincount(state[exits], weights=paths.nulls[owner[exits]], minlength=m)
        value = np.bincount(state[exits], weights=paths.value[owner[exits]], minlength=m)
        moving = ~exits
        rows = state[moving]
        weights = (paths.conversions + paths.nulls)[owner[moving]]
        to_key = (from_key[moving] * base + to_col[moving] + 1) % n_keys
        if slot is not None:
            to_state = slot[to_key]
    m = len(keys)
    if slot is None:
        to_state = np.searchsorted(keys, to_key)
    moves = sp.csr_matrix((weights, (rows, to_state)), shape=(m, m))
    moves.sum_duplicates()
    return Chain(n_channels=n, order=order, keys=keys, moves=moves,
                 to_conversion=np.asarray(conv, dtype=np.float64),
                 to_null=np.asarray(null, dtype=np.float64),
                 value=np.asarray(value, dtype=np.float64))


class AbsorbingSolver:
    """Solves ``(I - Q) x = rhs`` on one chain, over all states or a subset of them.

    Dense LU up to ``DENSE_SOLVE`` states, sparse LU above; from ``KRYLOV_SOLVE`` states a
    certified GMRES solve is tried first (see :func:`_certified_krylov`). Once GMRES fails
    to certify an answer on this chain, later solves on it go straight to the LU.
    """

    def __init__(self, q):
        self.q = q
        self.krylov = True

    def solve(self, rhs: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """Solve over the states in ``keep`` (others get ``x = 0``).

        Dropping a state from ``keep`` makes it absorbing with no reward: the removal of a
        channel in the removal-effect calculation.
        """
        import scipy.sparse as sp

        m = self.q.shape[0]
        rhs = np.asarray(rhs, dtype=np.float64).reshape(m, -1)
        out = np.zeros_like(rhs)
        idx = np.arange(m) if keep is None else np.flatnonzero(keep)
        if len(idx) == 0:
            return out
        sub = self.q[idx][:, idx]
        if len(idx) <= DENSE_SOLVE:
            a = np.eye(len(idx)) - sub.toarray()
            out[idx] = np.linalg.solve(a, rhs[idx])
            return out
        import scipy.sparse.linalg as spla

        a = (sp.identity(len(idx), format="csc") - sub).tocsc()
        x = None
        if self.krylov and len(idx) >= KRYLOV_SOLVE:
            x = _certified_krylov(a, rhs[idx])
            self.krylov = x is not None
        out[idx] = spla.splu(a).solve(rhs[idx]) if x is None else x
        return out


def solve_absorbing(q, rhs: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """One solve of ``(I - Q) x = rhs`` (see :class:`AbsorbingSolver`)."""
    return AbsorbingSolver(q).solve(rhs, keep)


def _certified_krylov(a, rhs: np.ndarray):
    """GMRES solutions of ``a x = rhs`` with a proven error bound, or None.

    ``a = I - Q`` with ``Q`` substochastic has a nonnegative inverse, so
    ``||a^-1||_inf = ||t||_inf`` for the solution ``t`` of ``a t = 1`` (the expected steps
    before absorption). A computed residual ``b - a x`` is off by at most
    ``gamma (|b| + |a| |x|)``, ``gamma = (k + 2) eps`` for ``k`` entries per row, so with
    ``r_t`` and ``r_x`` the residuals plus that term, ``||a^-1||_inf <= ||t||_inf /
    (1 - ||r_t||_inf)`` and ``||x - x_exact||_inf <= ||a^-1||_inf ||r_x||_inf``. Solutions
    are returned only when that bound is below ``KRYLOV_ACCURACY`` times ``max |x|`` (at
    least 1: absolute for probabilities). GMRES gets ``KRYLOV_RESTARTS`` restarts of 60
    steps, and is not run at all when the expected steps make the bound unreachable.
    """
    import scipy.sparse.linalg as spla

    m = a.shape[0]
    a = a.tocsr()
    abs_a = abs(a)
    gamma = (int(np.diff(a.indptr).max()) + 2) * np.finfo(np.float64).eps

    def solve(b):
        x, _ = spla.gmres(a, b, rtol=1e-15, atol=0.0, restart=min(m, 60),
                          maxiter=KRYLOV_RESTARTS)
        return x if np.isfinite(x).all() else None  # converged or not: the bound decides

    def residual(b, x):
        return float((np.abs(b - a @ x) + gamma * (np.abs(b) + abs_a @ np.abs(x))).max())

    ones = np.ones(m)
    t = solve(ones)
    if t is None:
        return None
    r_t = residual(ones, t)
    if not r_t < 0.5:
        return None
    inverse_norm = np.abs(t).max() / (1.0 - r_t)
    if inverse_norm * 3.0 * gamma > KRYLOV_ACCURACY:  # rounding alone would break the bound
        return None
    out = np.empty_like(rhs)
    for k in range(rhs.shape[1]):
        x = solve(rhs[:, k])
        if x is None:
            return None
        if not inverse_norm * residual(rhs[:, k], x) <= KRYLOV_ACCURACY * max(np.abs(x).max(),
                                                                              1.0):
            return None
        out[:, k] = x
    return out
