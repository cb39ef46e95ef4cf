"""A small reduced ordered binary decision diagram (ROBDD) for coherent fault trees.

Nodes are integers: ``0`` is false, ``1`` is true, every other node ``u`` tests the
variable ``var[u]`` (its level in the variable order) and goes to ``lo[u]`` when the variable
is false and to ``hi[u]`` when it is true. Children are always created before their parent,
so node ids are a topological order (a parent's id is larger than its children's), which the
probability passes use instead of recursion.

The node count is capped: :class:`BDD` raises :class:`~cxpath.errors.CostError` as soon as a
build would create more than ``max_nodes`` nodes, naming the parameter that raises the cap.

References
----------
Bryant, R. E. (1986). Graph-based algorithms for Boolean function manipulation. IEEE
Transactions on Computers C-35(8), 677-691.

Rauzy, A. (1993). New algorithms for fault trees analysis. Reliability Engineering & System
Safety 40(3), 203-211.
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np

from ..errors import CostError

__all__ = ["BDD"]

_AND, _OR = 0, 1


@contextlib.contextmanager
def _deep_recursion(depth: int):
    """Allow ``depth`` nested Python calls for the duration (apply recurses per level)."""
    old = sys.getrecursionlimit()
    if depth > old:
        sys.setrecursionlimit(depth)
    try:
        yield
    finally:
        if depth > old:
            sys.setrecursionlimit(old)


class BDD:
    """A node table with the AND/OR apply operations, capped at ``max_nodes`` nodes.

    Examples
    --------
    >>> b = BDD(2, max_nodes=100, func="f", cap_name="max_nodes")
    >>> f = b.apply_or(b.variable(0), b.variable(1))
    >>> float(b.probability(f, np.array([0.5, 0.5])))
    0.75
    """

    def __init__(self, n_vars: int, *, max_nodes: int, func: str, cap_name: str):
        self.n_vars = n_vars
        self.max_nodes = max_nodes
        self.func = func
        self.cap_name = cap_name
        self.var = [n_vars, n_vars]
        self.lo = [0, 1]
        self.hi = [0, 1]
        self._unique: dict = {}
        self._cache: dict = {}

    def __len__(self) -> int:
        return len(self.var)

    def _node(self, v: int, lo: int, hi: int) -> int:
        if lo == hi:
            return lo
        key = (v, lo, hi)
        u = self._unique.get(key)
        if u is None:
            u = len(self.var)
            if u - 2 >= self.max_nodes:
                raise CostError(
                    f"{self.func} would need more than {self.max_nodes:,} BDD nodes for the "
                    f"top event. Give a better variable order ('order'), or raise the cap "
                    f"with the '{self.cap_name}' parameter.")
            self.var.append(v)
            self.lo.append(lo)
            self.hi.append(hi)
            self._unique[key] = u
        return u

    def variable(self, level: int) -> int:
        """The function 'variable at ``level`` is true'."""
        return self._node(level, 0, 1)

    def _apply(self, op: int, u: int, w: int) -> int:
        if op == _AND:
            if u == 0 or w == 0:
                return 0
            if u == 1:
                return w
            if w == 1 or u == w:
                return u
        else:
            if u == 1 or w == 1:
                return 1
            if u == 0:
                return w
            if w == 0 or u == w:
                return u
        if u > w:
            u, w = w, u
        key = (op, u, w)
        r = self._cache.get(key)
        if r is not None:
            return r
        var, lo, hi = self.var, self.lo, self.hi
        vu, vw = var[u], var[w]
        v = vu if vu < vw else vw
        u0, u1 = (lo[u], hi[u]) if vu == v else (u, u)
        w0, w1 = (lo[w], hi[w]) if vw == v else (w, w)
        r = self._node(v, self._apply(op, u0, w0), self._apply(op, u1, w1))
        if len(self._cache) > 4 * self.max_nodes + 1024:  # a cache, not a table: drop it
            self._cache.clear()
        self._cache[key] = r
        return r

    def apply_and(self, u: int, w: int) -> int:
        """``u AND w``."""
        with _deep_recursion(4 * self.n_vars + 1000):
            return self._apply(_AND, u, w)

    def apply_or(self, u: int, w: int) -> int:
        """``u OR w``."""
        with _deep_recursion(4 * self.n_vars + 1000):
            return self._apply(_OR, u, w)

    def at_least(self, k: int, inputs: list[int]) -> int:
        """At least ``k`` of ``inputs`` true (the k-out-of-n voting function)."""
        n = len(inputs)
        # row[j] = 'at least j of inputs[i:] are true', built from the last input back
        row = [1] + [0] * k
        for i in range(n - 1, -1, -1):
            new = [1]
            for j in range(1, k + 1):
                if j > n - i:
                    new.append(0)
                    continue
                new.append(self.apply_or(self.apply_and(inputs[i], row[j - 1]), row[j]))
            row = new
        return row[k]

    def reachable(self, root: int) -> np.ndarray:
        """Ids of the non-terminal nodes reachable from ``root``, ascending."""
        seen, todo = set(), [root]
        while todo:
            u = todo.pop()
            if u < 2 or u in seen:
                continue
            seen.add(u)
            todo.append(self.lo[u])
            todo.append(self.hi[u])
        return np.array(sorted(seen), dtype=np.int64)

    def probability(self, root: int, p: np.ndarray) -> float:
        """Probability that the function ``root`` is true, variables independent with
        probabilities ``p`` (indexed by level)."""
        return float(self._bottom_up(root, p, self.reachable(root))[root])

    def _bottom_up(self, root: int, p: np.ndarray, nodes: np.ndarray) -> dict:
        prob = {0: 0.0, 1: 1.0}
        var, lo, hi = self.var, self.lo, self.hi
        for u in nodes.tolist():
            q = p[var[u]]
            prob[u] = q * prob[hi[u]] + (1.0 - q) * prob[lo[u]]
        return prob

    def gradient(self, root: int, p: np.ndarray) -> tuple[float, np.ndarray]:
        """Top probability and its partial derivatives by each variable (Birnbaum measures).

        One pass up (probability of each node's function) and one pass down (probability of
        reaching each node from the root): ``dP/dp_i = sum over nodes u testing i of
        reach(u) * (P(hi(u)) - P(lo(u)))``; every path meets variable ``i`` at most once.
        """
        nodes = self.reachable(root)
        prob = self._bottom_up(root, p, nodes)
        grad = np.zeros(self.n_vars)
        if root < 2:
            return prob[root], grad
        reach = dict.fromkeys(nodes.tolist(), 0.0)
        reach[0] = reach[1] = 0.0
        reach[root] = 1.0
        var, lo, hi = self.var, self.lo, self.hi
        for u in nodes[::-1].tolist():
            r = reach[u]
            q = p[var[u]]
            grad[var[u]] += r * (prob[hi[u]] - prob[lo[u]])
            reach[hi[u]] += r * q
            reach[lo[u]] += r * (1.0 - q)
        return prob[root], grad
