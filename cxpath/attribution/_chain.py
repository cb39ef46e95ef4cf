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
        moves = self.moves.tolil()
        moves.setdiag(0)
        moves = moves.tocsr()
        moves.eliminate_zeros()
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
        out = []
        for key in self.keys.tolist():
            digits = []
            for _ in range(self.order):
                key, d = divmod(key, base)
                if d:
                    digits.append(channels[d - 1])
            out.append(" > ".join(reversed(digits)) if digits else "(start)")
        return out


def build_chain(paths: AttributionPaths, order: int, collapse: bool, func: str) -> Chain:
    """Count the order-``order`` chain of ``paths`` (dense keys when small, else sparse)."""
    import scipy.sparse as sp

    from .._kernels.attribution import markov_dense_counts, markov_transitions

    n = paths.n_channels
    base = n + 1
    n_keys = base ** order
    if n_keys > 2 ** 62:
        v.fail("order", func, f"small enough that {n} channels fit in 64-bit state keys",
               order)
    if n_keys * (n + 3) <= DENSE_CELLS:
        counts = markov_dense_counts(paths.codes, paths.offsets, paths.conversions,
                                     paths.nulls, paths.value, n, order, collapse)
        keys = np.flatnonzero(counts[:, :n + 2].sum(axis=1) > 0)
        sub = counts[keys]
        rows, cols = np.nonzero(sub[:, :n])
        weights = sub[rows, cols]
        to_key = (keys[rows] * base + cols + 1) % n_keys
        conv, null, value = sub[:, n], sub[:, n + 1], sub[:, n + 2]
    else:
        from_key, to_col, owner = markov_transitions(paths.codes, paths.offsets, n, order,
                                                     collapse)
        keys, state = np.unique(from_key, return_inverse=True)
        exits = to_col == n
        m = len(keys)
        conv = np.bincount(state[exits], weights=paths.conversions[owner[exits]], minlength=m)
        null = np.bincount(state[exits], weights=paths.nulls[owner[exits]], minlength=m)
        value = np.bincount(state[exits], weights=paths.value[owner[exits]], minlength=m)
        moving = ~exits
        rows = state[moving]
        weights = (paths.conversions + paths.nulls)[owner[moving]]
        to_key = (from_key[moving] * base + to_col[moving] + 1) % n_keys
    m = len(keys)
    moves = sp.csr_matrix((weights, (rows, np.searchsorted(keys, to_key))), shape=(m, m))
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
        import scipy.linalg
        import scipy.sparse as sp
        import scipy.sparse.linalg as spla

        m = self.q.shape[0]
        rhs = np.asarray(rhs, dtype=np.float64).reshape(m, -1)
        out = np.zeros_like(rhs)
        idx = np.arange(m) if keep is None else np.flatnonzero(keep)
        if len(idx) == 0:
            return out
        sub = self.q[idx][:, idx]
        if len(idx) <= DENSE_SOLVE:
            a = np.eye(len(idx)) - sub.toarray()
            out[idx] = scipy.linalg.solve(a, rhs[idx], check_finite=False)
            return out
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
