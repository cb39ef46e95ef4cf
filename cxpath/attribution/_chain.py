"""The absorbing Markov chain of a set of paths, and exact solves on it."""

from __future__ import annotations

import attrs
import numpy as np

from .. import _validate as v
from ._paths import AttributionPaths
from ._removal import EFFECT_ACCURACY

__all__ = ["AbsorbingSolver", "Chain", "build_chain", "solve_absorbing"]

DENSE_CELLS = 1 << 23  # dense counting up to 8M cells (64 MB); sparse route beyond
DENSE_SOLVE = 400  # states up to which a dense LU beats a sparse one
KRYLOV_SOLVE = 2000  # states from which a certified GMRES solve is tried before sparse LU
ACCURACY = 1e-12  # certified bound on max |x - x_exact| relative to max |x| (at least 1)
# certified bound on |x - x_exact| at the start state relative to |x| there (see
# AbsorbingSolver): two of them keep every removal effect within EFFECT_ACCURACY
RELATIVE = EFFECT_ACCURACY * (1.0 - 1e-4) / 2.0
KRYLOV_RESTARTS = 5  # GMRES cycles of 60 steps before giving up for the LU
REFINEMENTS = 3  # steps of iterative refinement of an LU solution at most (one always)
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
    """Solves ``(I - Q) x = rhs`` on one chain, over all states or a subset of them, with a
    certified error at the start state and over all states.

    Dense LU up to ``DENSE_SOLVE`` states, sparse LU above; from ``KRYLOV_SOLVE`` states a
    certified GMRES solve is tried first (see :func:`_certified_krylov`). Once GMRES fails
    to certify an answer on this chain, later solves on it go straight to the LU.

    The contract, per ``rhs`` column, proven a posteriori from the residual (see
    :func:`_bound`): ``max |x - x_exact|`` at most :data:`ACCURACY` times ``max(1, max
    |x|)``, and at the start state ``|x - x_exact|`` at most :data:`RELATIVE` times the
    reference ``|x(start)|``: that of the solve itself, or, for a subset (``keep``) solved
    with the same ``rhs >= 0`` after the whole chain, the whole chain's (removing states
    only lowers ``x``). Removal effects ``1 - x_r / x`` are then within ``2 RELATIVE``
    (below ``EFFECT_ACCURACY``, see :func:`cxpath.attribution._removal.relative`) whatever
    ``x(start)``. An LU answer gets one step of iterative refinement, and up to
    :data:`REFINEMENTS` while the bound misses its target; GMRES stops on the bound or
    gives way to the LU. ``error`` (2, k) holds the last solve's certified bounds (at the
    start, over all states); ``certified`` turns False once an LU answer misses a target
    (an ill-conditioned chain: expected steps of about 1e3 and more).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> solver = AbsorbingSolver(sp.csr_matrix(np.array([[0.0, 0.5], [0.0, 0.0]])))
    >>> solver.solve(np.array([0.25, 0.5])).ravel().tolist(), solver.certified
    ([0.5, 0.5], True)
    """

    def __init__(self, q, start: int = 0):
        self.q = q.tocsr()
        self.start = start
        self.krylov = True
        self.certified = True
        self.error: np.ndarray | None = None
        self._whole = None  # (rhs, |x(start)|) of the last solve over the whole chain
        self._bound = None  # the whole chain's _Bound for GMRES, once a subset needs it

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
        self.error = np.zeros((2, rhs.shape[1]))
        if len(idx) == 0:
            return out
        at = int(np.searchsorted(idx, self.start))
        has_start = at < len(idx) and idx[at] == self.start
        if has_start:  # the start state first: row 0 is the one certified
            idx = np.concatenate(([self.start], np.delete(idx, at)))
            reference = self._reference(rhs, len(idx) < m)
        else:  # x(start) = 0 exactly: only the bound over all states matters
            reference = np.full(rhs.shape[1], np.inf)
        a = (sp.identity(len(idx), format="csr") - self.q[idx][:, idx]).tocsr()
        b = rhs[idx]
        x = None
        if self.krylov and len(idx) >= KRYLOV_SOLVE and len(idx) > DENSE_SOLVE:
            known = {} if reference is None else {"reference": reference}
            if len(idx) < m and self._whole is not None:  # the whole chain's bound serves
                known["bound"] = self._subset_bound(idx)
            x = _certified_krylov(a, b, **known)
            self.krylov = x is not None
            if x is not None:  # certified below its targets
                self.error = np.vstack(_targets(x, reference))
        if x is None:
            x, self.error, met = _refined_lu(a, b, reference, len(idx) <= DENSE_SOLVE)
            self.certified &= met
        out[idx] = x
        if has_start and len(idx) == m:
            self._whole = (rhs.copy(), np.abs(x[0]))
        return out

    def _subset_bound(self, idx: np.ndarray) -> _Bound | None:
        """The whole chain's GMRES bounds restricted to the states ``idx`` (start first):
        removing states only lowers ``(I - Q)^-1`` entrywise, so its expected steps and
        visits still bound the subset's (whose rows have no more entries). Computed once;
        None if GMRES cannot bound the whole chain."""
        import scipy.sparse as sp

        m, start = self.q.shape[0], self.start
        order = np.concatenate(([start], np.delete(np.arange(m), start)))
        if self._bound is None:
            a = (sp.identity(m, format="csr") - self.q[order][:, order]).tocsr()
            self._bound = (_krylov_bound(a),)
        bound = self._bound[0]
        if bound is None:
            return None
        position = np.where(idx == start, 0, np.where(idx < start, idx + 1, idx))
        return attrs.evolve(bound, weight=bound.weight[position])

    def _reference(self, rhs: np.ndarray, subset: bool) -> np.ndarray | None:
        """The whole chain's ``|x(start)|`` for a subset solved with its ``rhs >= 0``."""
        if not subset or self._whole is None or self._whole[0].shape != rhs.shape:
            return None
        same = np.array_equal(self._whole[0], rhs) and bool((rhs >= 0).all())
        return self._whole[1] if same else None


def solve_absorbing(q, rhs: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """One solve of ``(I - Q) x = rhs`` (see :class:`AbsorbingSolver`)."""
    return AbsorbingSolver(q).solve(rhs, keep)


@attrs.frozen(eq=False)
class _Bound:
    """A posteriori error bounds of solves of ``a x = b`` (see :func:`_bound`)."""

    steps: float  # >= ||a^-1||_inf
    weight: np.ndarray  # with u: e_0' a^-1 rho <= weight' rho + u max(rho), rho >= 0
    u: float
    gamma: float  # rounding factor of a computed residual


def _gamma(a) -> float:
    """``(k + 2) eps / (1 - (k + 2) eps)`` for ``k`` entries in a row or column of ``a``."""
    k = max(int(np.diff(a.indptr).max()), int(np.bincount(a.indices).max()))
    g = (k + 2) * np.finfo(np.float64).eps
    return g / (1.0 - g)


def _residual(a, abs_a, gamma: float, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A proven bound on ``|b - a x|`` per row: the computed residual plus its rounding."""
    return np.abs(b - a @ x) + gamma * (np.abs(b) + abs_a @ np.abs(x))


def _bound(a, abs_a, gamma: float, inv) -> _Bound | None:
    """The bounds of :func:`_errors` for ``a = I - Q`` (start state first), from one solve
    of ``a t = 1`` and one of ``a' y = e_0`` by ``inv(b, transposed, atol)``; None when the
    first leaves a residual of 1/2 or more.

    With ``Q`` substochastic and absorbing, ``N = a^-1 >= 0``, so ``||N||_inf = ||t||_inf``
    (the most expected steps) and, with ``rho_t`` the certified residual of the computed
    ``t``, ``||N||_inf <= ||t||_inf / (1 - ||rho_t||_inf)`` (``steps``). The error of a
    computed ``x`` is ``N r`` (``r`` its residual, ``|r| <= rho``), so at the start
    ``|error| <= e_0' N rho = y' rho`` with ``y`` the expected visits to each state from
    the start (as in :func:`cxpath.attribution._removal.plan`). With ``z`` the certified
    residual of the computed ``y``, ``y <= max(y, 0) + N' z`` and ``z' N rho <= sum(z)
    steps max(rho)``: ``weight = max(y, 0)``, ``u = sum(z) steps``. Rows that convert often
    (``|x|`` near 1, so large rounding) are rarely visited where conversion is rare, so the
    bound scales with ``x(start)``, where ``steps max(rho)`` does not.
    """
    m = a.shape[0]
    eps = np.finfo(np.float64).eps
    ones = np.ones(m)
    t = inv(ones, False, 1e-8)
    if t is None:
        return None
    rho_t = float(_residual(a, abs_a, gamma, ones, t).max())
    if not rho_t < 0.5:
        return None
    steps = float(np.abs(t).max()) / (1.0 - rho_t) * (1.0 + 2.0 * eps)
    e = np.zeros(m)
    e[0] = 1.0
    y = inv(e, True, 1e-8 / (np.sqrt(m) * steps))
    if y is None:
        return None
    z = _residual(a.T, abs_a.T, gamma, e, y)
    u = float(z.sum()) * (1.0 + 2.0 * m * eps) * steps
    return _Bound(steps=steps, weight=np.maximum(y, 0.0), u=u, gamma=gamma)


def _errors(a, abs_a, bound: _Bound, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(2, k) certified bounds on ``|x - x_exact|`` of ``a x = b`` (b, x: (m, k)): at the
    start state (row 0) and over all states (see :func:`_bound`)."""
    rho = _residual(a, abs_a, bound.gamma, b, x)
    top = rho.max(axis=0)
    grow = 1.0 + 4.0 * (a.shape[0] + 2) * np.finfo(np.float64).eps  # the sums' own rounding
    return np.vstack([(bound.weight @ rho + bound.u * top) * grow, bound.steps * top * grow])


def _targets(x: np.ndarray, reference: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The contract's bounds on a solution ``x`` (m, k): at the start (:data:`RELATIVE`
    times ``reference``, by default ``|x(start)|``; none where that is 0) and over all
    states (:data:`ACCURACY` times ``max(1, max |x|)``)."""
    ref = np.abs(x[0]) if reference is None else reference
    with np.errstate(invalid="ignore"):
        start = np.where(ref > 0, RELATIVE * ref, np.inf)
    return start, ACCURACY * np.maximum(1.0, np.abs(x).max(axis=0))


def _met(error: np.ndarray, x: np.ndarray, reference) -> bool:
    start, everywhere = _targets(x, reference)
    return bool((error[0] <= start).all() and (error[1] <= everywhere).all())


def _refined_lu(a, b: np.ndarray, reference, dense: bool):
    """``(x, error, met)``: the LU solution of ``a x = b`` after one step of iterative
    refinement and up to :data:`REFINEMENTS` while its certified ``error`` (see
    :func:`_errors`; inf where :func:`_bound` fails) misses the targets."""
    if dense:
        import scipy.linalg as sl

        factors = sl.lu_factor(a.toarray(), check_finite=False)

        def inv(v, transposed=False, atol=None):
            return sl.lu_solve(factors, v, trans=int(transposed), check_finite=False)
    else:
        import scipy.sparse.linalg as spla

        factors = spla.splu(a.tocsc())

        def inv(v, transposed=False, atol=None):
            return factors.solve(v, trans="T" if transposed else "N")

    abs_a = abs(a)
    bound = _bound(a, abs_a, _gamma(a), inv)
    x = inv(b)
    error = np.full((2, b.shape[1]), np.inf)
    for _ in range(REFINEMENTS):
        x = x + inv(b - a @ x)
        if bound is None:
            break
        error = _errors(a, abs_a, bound, b, x)
        if _met(error, x, reference):
            return x, error, True
    return x, error, False


def _gmres(a, b: np.ndarray, atol: float, x0=None, cycles: int = KRYLOV_RESTARTS):
    """GMRES cycles of 60 steps on ``a x = b`` to a residual norm ``atol``; None if not
    finite (converged or not: the certified bound decides)."""
    import scipy.sparse.linalg as spla

    x, _ = spla.gmres(a, b, x0=x0, rtol=0.0, atol=atol, restart=min(a.shape[0], 60),
                      maxiter=cycles)
    return x if np.isfinite(x).all() else None


def _krylov_bound(a) -> _Bound | None:
    """:func:`_bound` of ``a`` (CSR, start first) with ``t`` and the visits by GMRES, to a
    loose tolerance: they only need to be known, not exact."""
    transposed = a.T.tocsr()
    return _bound(a, abs(a), _gamma(a),
                  lambda b, trans, atol: _gmres(transposed if trans else a, b, atol))


def _certified_krylov(a, rhs: np.ndarray, reference: np.ndarray | None = None,
                      bound: _Bound | None = None):
    """GMRES solutions of ``a x = rhs`` (start state first) meeting the certified targets
    of :class:`AbsorbingSolver`, or None.

    The bounds are ``bound`` (e.g. the whole chain's, for a subset) or
    :func:`_krylov_bound`'s. Each column then runs GMRES cycles of 60 steps, warm-started,
    until :func:`_errors` proves both targets (``reference`` as in :func:`_targets`), at
    most ``KRYLOV_RESTARTS`` cycles; GMRES is not run at all when the expected steps make
    the bound over all states unreachable (rounding alone, ``steps * 3 gamma``, above
    :data:`ACCURACY`).
    """
    a = a.tocsr()
    abs_a = abs(a)
    if bound is None:
        bound = _krylov_bound(a)
    if bound is None or bound.steps * 3.0 * bound.gamma > ACCURACY:
        return None  # rounding alone would break the bound
    out = np.empty_like(rhs)
    for k in range(rhs.shape[1]):
        b = rhs[:, k:k + 1]
        ref = None if reference is None else reference[k:k + 1]
        estimate = float(np.abs(bound.weight @ b)[0])  # y' b estimates |x(start)|
        guess = estimate if ref is None else float(ref[0])
        start = RELATIVE * guess if guess > 0 else np.inf
        scale = max(1.0, estimate)  # |x(start)| <= max |x|
        atol = 0.5 * min(ACCURACY * scale / bound.steps,
                         start / (bound.weight.sum() + bound.u))
        x = None
        for _ in range(KRYLOV_RESTARTS):
            x = _gmres(a, b[:, 0], atol, x0=x, cycles=1)
            if x is None:
                return None
            if _met(_errors(a, abs_a, bound, b, x[:, None]), x[:, None], ref):
                break
            atol /= 16.0
        else:
            return None
        out[:, k] = x
    return out
