"""Fault trees: AND, OR and k-out-of-n gates over independent basic events.

A :class:`FaultTree` is built from gate objects (:class:`And`, :class:`Or`,
:class:`AtLeast`), from a mapping ``gate name -> gate`` (where a gate may also be written as a
tuple ``("or", [...])``, ``("and", [...])`` or ``("atleast", k, [...])``), or both nested.
Every name that is not a gate is a basic event, so a basic event may feed several gates
(a *shared* event); that is what makes the top-event probability differ from the naive
product-and-sum over the tree.

What it computes:

* minimal cut sets (:meth:`FaultTree.cut_sets`), bottom-up MOCUS with absorption, exact and
  optionally truncated at an order;
* the top-event probability (:meth:`FaultTree.probability`): exact through a binary decision
  diagram (BDD) over a depth-first variable order, or the rare-event approximation or the
  min-cut upper bound;
* importance measures of every basic event (:meth:`FaultTree.importance`): Birnbaum,
  criticality, Fussell-Vesely, risk achievement worth and risk reduction worth, exact from
  the BDD and the cut sets.

Basic-event probabilities can come from an FMEA: :func:`probabilities_from_worksheet` reads
them off the occurrence ratings (the AIAG FMEA-4 table's printed rates) and
:func:`probabilities_from_counts` from observed failures per exposure (or an
:class:`~cxpath.fmea.ObservedOccurrence`).

Work is capped: ``max_cut_sets`` (default 100,000 sets at any gate, and 200 times as many
steps of cut-set products and absorption checks) and ``max_nodes`` (default 1,000,000 BDD
nodes) raise :class:`~cxpath.errors.CostError` as soon as a computation would pass them;
both are parameters, so a caller who has the memory and the time raises them.

References
----------
Vesely, W. E., Goldberg, F. F., Roberts, N. H. and Haasl, D. F. (1981). *Fault Tree
Handbook*, NUREG-0492. U.S. Nuclear Regulatory Commission.

Stamatelatos, M. et al. (2002). *Fault Tree Handbook with Aerospace Applications*, version
1.1. NASA Office of Safety and Mission Assurance.

Rausand, M. and Hoyland, A. (2004). *System Reliability Theory*, 2nd ed., chapter 5
(importance measures). Wiley.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, result
from ..errors import CostError, InvalidParameterError
from ._bdd import BDD

if TYPE_CHECKING:
    from ..fmea import ObservedOccurrence, Worksheet

__all__ = ["AIAG_FMEA4_OCCURRENCE_PROBABILITY", "And", "AtLeast", "CutSets", "FaultTree",
           "Gate", "Importance", "Or", "probabilities_from_counts",
           "probabilities_from_worksheet"]

#: Probability of a failure per item for each AIAG FMEA-4 (2008) PFMEA occurrence rating:
#: the rate printed in the manual's occurrence table (10: >= 100 per 1,000, 9: 50, 8: 20,
#: 7: 10, 6: 2, 5: 0.5, 4: 0.1, 3: 0.01, 2: <= 0.001 per 1,000; 1: eliminated through
#: prevention, taken as 0). See :data:`cxpath.fmea.AIAG_FMEA4_PFMEA_OCCURRENCE`.
AIAG_FMEA4_OCCURRENCE_PROBABILITY: Mapping[int, float] = {
    10: 0.1, 9: 0.05, 8: 0.02, 7: 0.01, 6: 0.002, 5: 5e-4, 4: 1e-4, 3: 1e-5, 2: 1e-6, 1: 0.0}

_KINDS = {"and": "and", "or": "or", "atleast": "atleast", "at_least": "atleast",
          "vote": "atleast", "voting": "atleast", "kofn": "atleast", "k/n": "atleast"}


# --------------------------------------------------------------------------- gates

def _check_name(x, name: str, func: str) -> str:
    if not isinstance(x, str):
        v.fail(name, func, "a name (a non-empty string)", x, wrong_type=True)
    if not x.strip():
        v.fail(name, func, "a non-empty name", x)
    return x


def _check_inputs(inputs, func: str) -> tuple:
    if not inputs:
        v.fail("inputs", func, "at least one input (an event name or a gate)", got="none")
    out = []
    for x in inputs:
        if isinstance(x, (Gate, tuple)):
            out.append(_as_gate(x, "inputs", func))
        else:
            out.append(_check_name(x, "inputs", func))
    names = [x for x in out if isinstance(x, str)]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        v.fail("inputs", func, "distinct events (each input once)", got=f"{dup!r} twice")
    return tuple(out)


class Gate:
    """A gate of a fault tree: its output occurs when at least ``k`` of its inputs occur.

    Use :class:`And` (``k`` = number of inputs), :class:`Or` (``k = 1``) or
    :class:`AtLeast`. Inputs are basic-event or gate names (str) or nested gates.

    Attributes
    ----------
    kind : {'and', 'or', 'atleast'}
    k : int
    inputs : tuple of str or Gate
    name : str or None
        None for an unnamed gate; the tree then names it after its parent.
    """

    __slots__ = ("inputs", "k", "kind", "name")
    kind: str
    k: int
    inputs: tuple
    name: str | None

    def _set(self, kind: str, k: int, inputs: tuple, name: str | None) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "name", name)

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self):
        return _rebuild_gate, (type(self), self.kind, self.k, self.inputs, self.name)

    def __repr__(self) -> str:
        inner = ", ".join(repr(x) for x in self.inputs)
        k = f"{self.k}, " if self.kind == "atleast" else ""
        name = f", name={self.name!r}" if self.name is not None else ""
        return f"{type(self).__name__}({k}{inner}{name})"


class And(Gate):
    """AND gate: the output occurs when all inputs occur.

    Examples
    --------
    >>> And("S", Or("K1", "R"), name="E3")
    And('S', Or('K1', 'R'), name='E3')
    """

    __slots__ = ()

    def __init__(self, *inputs: str | Gate | tuple, name: str | None = None) -> None:
        func = "rca.And"
        ins = _check_inputs(inputs, func)
        self._set("and", len(ins), ins, None if name is None else _check_name(name, "name", func))


class Or(Gate):
    """OR gate: the output occurs when any input occurs.

    Examples
    --------
    >>> Or("T", "K2", name="TOP").k
    1
    """

    __slots__ = ()

    def __init__(self, *inputs: str | Gate | tuple, name: str | None = None) -> None:
        func = "rca.Or"
        ins = _check_inputs(inputs, func)
        self._set("or", 1, ins, None if name is None else _check_name(name, "name", func))


class AtLeast(Gate):
    """k-out-of-n (voting) gate: the output occurs when at least ``k`` inputs occur.

    Examples
    --------
    >>> AtLeast(2, "pump A", "pump B", "pump C")
    AtLeast(2, 'pump A', 'pump B', 'pump C')
    """

    __slots__ = ()

    def __init__(self, k: int, *inputs: str | Gate | tuple, name: str | None = None) -> None:
        func = "rca.AtLeast"
        ins = _check_inputs(inputs, func)
        k = v.check_int(k, "k", func, low=1, high=max(len(ins), 1))
        self._set("atleast", k, ins, None if name is None else _check_name(name, "name", func))


def _rebuild_gate(cls: type, kind: str, k: int, inputs: tuple, name: str | None) -> Gate:
    """Unpickle a gate (its attributes are read-only, so pickle cannot set them)."""
    gate = object.__new__(cls)
    gate._set(kind, k, inputs, name)
    return gate


def _as_gate(spec, name: str, func: str) -> Gate:
    """A Gate from a Gate or a tuple ``(kind, inputs)`` / ``("atleast", k, inputs)``."""
    if isinstance(spec, Gate):
        return spec
    must = ("a gate: And/Or/AtLeast, or a tuple ('and', [inputs]), ('or', [inputs]) or "
            "('atleast', k, [inputs])")
    if not isinstance(spec, tuple) or len(spec) not in (2, 3) or not isinstance(spec[0], str):
        v.fail(name, func, must, spec, wrong_type=not isinstance(spec, tuple))
    kind = _KINDS.get(spec[0].strip().lower().replace("-", "").replace(" ", ""))
    if kind is None:
        v.fail(name, func, "a gate kind among 'and', 'or', 'atleast'", spec[0])
    if (kind == "atleast") != (len(spec) == 3):
        v.fail(name, func, must, spec)
    inputs = spec[-1]
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        v.fail(name, func, "a gate whose inputs are a list of names or gates",
               got=f"inputs {v.show(inputs)}", wrong_type=True)
    try:
        if kind == "and":
            return And(*inputs)
        if kind == "or":
            return Or(*inputs)
        return AtLeast(spec[1], *inputs)
    except InvalidParameterError as error:  # re-attribute to the caller's parameter
        raise type(error)(f"In gate {v.show(spec)} of the '{name}' parameter of {func}: "
                          f"{error}") from None


# --------------------------------------------------------------------------- results

def _popcount(x: int) -> int:
    return bin(x).count("1")


@result
class CutSets(Result):
    """Minimal cut sets of a fault tree, most probable first.

    Attributes
    ----------
    cut_sets : ndarray of tuple
        Basic events of each minimal cut set (tuples of names, in the tree's event order).
    labels : ndarray of str
        ``'S & K1'``; also the table column ``cut_set``.
    order : ndarray of int
        Number of events in the set.
    probability : ndarray of float
        Product of the events' probabilities (NaN when the tree has none).
    share : ndarray of float
        ``probability`` over the rare-event sum: the set's share of the top event.
    top : str
    max_order : int or None
        Sets larger than this were not looked for (None: all sets).
    rare_event, min_cut_upper_bound : float
        Sum of the set probabilities, and ``1 - prod(1 - probability)`` (NaN without
        probabilities).
    """

    cut_sets: np.ndarray
    labels: np.ndarray
    order: np.ndarray
    probability: np.ndarray
    share: np.ndarray
    top: str
    max_order: int | None
    rare_event: float
    min_cut_upper_bound: float

    cut_set = alias("labels")

    @property
    def sets(self) -> list[frozenset]:
        """The cut sets as frozensets of event names."""
        return [frozenset(c) for c in self.cut_sets]

    def _title(self) -> str:
        return f"Minimal cut sets of {self.top!r}"

    def _summary(self) -> list[str]:
        if not len(self.order):
            return ["the top event cannot occur (no cut set)"]
        counts = np.bincount(self.order.astype(np.int64))
        by = ", ".join(f"{c} of order {k}" for k, c in enumerate(counts) if c)
        lines = [f"{len(self.order)} sets: {by}"]
        if self.max_order is not None:
            lines.append(f"sets of order above {self.max_order} not searched")
        if not math.isnan(self.rare_event):
            lines.append(f"rare-event sum {self.rare_event:.4g}, min-cut upper bound "
                         f"{self.min_cut_upper_bound:.4g}")
        return lines

    def _columns(self) -> dict:
        return {"cut_set": self.labels, "order": self.order, "probability": self.probability,
                "share": self.share}


@result
class Importance(Result):
    """Importance measures of every basic event, most critical first.

    With ``P`` the top-event probability, ``P1``/``P0`` the top-event probability with the
    event certain to occur/not to occur and ``p`` the event's probability:

    Attributes
    ----------
    event : ndarray of str
    probability : ndarray of float
        ``p``.
    birnbaum : ndarray of float
        ``P1 - P0`` (= dP/dp, the tree being linear in each ``p``).
    criticality : ndarray of float
        ``birnbaum * p / P``: probability that the event is critical and has occurred,
        given the top event.
    fussell_vesely : ndarray of float
        Probability that a minimal cut set containing the event has occurred, given the top
        event (exact, from a BDD of those cut sets).
    raw : ndarray of float
        Risk achievement worth ``P1 / P``.
    rrw : ndarray of float
        Risk reduction worth ``P / P0`` (inf when the top event needs the event).
    p_top_if_failed, p_top_if_working : ndarray of float
        ``P1`` and ``P0``.
    top : str
    top_probability : float
        ``P`` (exact).
    """

    event: np.ndarray
    probability: np.ndarray
    birnbaum: np.ndarray
    criticality: np.ndarray
    fussell_vesely: np.ndarray
    raw: np.ndarray
    rrw: np.ndarray
    p_top_if_failed: np.ndarray
    p_top_if_working: np.ndarray
    top: str
    top_probability: float

    def _title(self) -> str:
        return f"Importance of the basic events of {self.top!r}"

    def _summary(self) -> list[str]:
        return [f"top-event probability {self.top_probability:.4g} (exact, BDD)"]

    def _columns(self) -> dict:
        return {"event": self.event, "probability": self.probability,
                "birnbaum": self.birnbaum, "criticality": self.criticality,
                "fussell_vesely": self.fussell_vesely, "raw": self.raw, "rrw": self.rrw,
                "p_top_if_failed": self.p_top_if_failed,
                "p_top_if_working": self.p_top_if_working}


# --------------------------------------------------------------------------- the tree

def _check_cap(value, name: str, func: str) -> int:
    return v.check_int(value, name, func, low=1)


class FaultTree:
    """A fault tree: gates over independent basic events, with their probabilities.

    Parameters
    ----------
    gates : Gate or mapping
        The top gate (gates nested in it, named or not), or a mapping ``gate name -> gate``
        whose values are :class:`Gate` objects or tuples ``("and", [inputs])``,
        ``("or", [inputs])``, ``("atleast", k, [inputs])``. Inputs name gates of the mapping,
        named nested gates or basic events: every name that is not a gate is a basic event,
        and may feed several gates.
    probabilities : mapping, optional
        ``basic event -> probability`` in [0, 1], needed by :meth:`probability` and
        :meth:`importance` (:meth:`cut_sets` works without). Entries for names that are not
        in the tree are ignored (a whole FMEA's probabilities may be passed).
    top : str, optional
        The top gate of a mapping; by default the one gate no other gate uses.

    Raises
    ------
    InvalidParameterError
        A malformed gate, a ``top`` that is not a gate, several candidate tops, a missing or
        out-of-range probability.
    DataError
        A cycle (a gate that is, through other gates, its own input) or a name defined as two
        different gates.

    Examples
    --------
    The pressure-tank example of the NRC *Fault Tree Handbook* (NUREG-0492, chapter VIII):

    >>> ft = FaultTree({"E1": ("or", ["T", "E2"]), "E2": ("or", ["K2", "E3"]),
    ...                 "E3": ("and", ["S", "E4"]), "E4": ("or", ["S1", "E5"]),
    ...                 "E5": ("or", ["K1", "R"])},
    ...                probabilities={"T": 5e-6, "K2": 3e-5, "S": 1e-4, "S1": 3e-5,
    ...                               "K1": 3e-5, "R": 1e-4})
    >>> ft.top, ft.events
    ('E1', ('T', 'K2', 'S', 'S1', 'K1', 'R'))
    >>> ft.cut_sets().labels.tolist()
    ['K2', 'T', 'S & R', 'S & S1', 'S & K1']
    >>> round(ft.probability(), 10)
    3.50158e-05
    """

    def __init__(self, gates: Gate | Mapping[str, Gate | tuple],
                 probabilities: Mapping[str, float] | None = None, *,
                 top: str | None = None) -> None:
        func = "rca.FaultTree"
        defined: dict[str, Gate] = {}
        named: dict[int, str] = {}
        if isinstance(gates, (Gate, tuple)):
            root = _as_gate(gates, "gates", func)
            if top is not None:
                v.fail("top", func, "None when 'gates' is the top gate itself", top)
            top = root.name
            if top is None:  # "TOP", unless an event or nested gate has that name
                taken, top = _all_names(root), "TOP"
                while top in taken:
                    top += "_"
            self._collect(top, root, defined, named, func)
        elif isinstance(gates, Mapping):
            if not gates:
                v.fail("gates", func, "at least one gate", got="an empty mapping")
            for key, spec in gates.items():
                key = _check_name(key, "gates", func)
                gate = _as_gate(spec, "gates", func)
                if gate.name is not None and gate.name != key:
                    v.fail("gates", func, "keyed by the gates' own names",
                           got=f"gate {gate.name!r} under the key {key!r}", data=True)
                self._collect(key, gate, defined, named, func)
            fed = {x for g in defined.values() for x in self._names(g, named)}
            roots = [g for g in defined if g not in fed]
            if top is None:
                if len(roots) != 1:
                    v.fail("top", func, "given: the gates do not have exactly one top "
                           "(a gate no other gate uses)",
                           got=f"candidates {v.show_list(roots)}" if roots else "none (every "
                           "gate feeds another: a cycle)")
                top = roots[0]
            else:
                top = _check_name(top, "top", func)
                if top not in defined:
                    v.fail("top", func, f"one of the gates {v.show_list(list(defined))}", top)
        else:
            v.fail("gates", func, "a gate (And/Or/AtLeast) or a mapping gate name -> gate",
                   gates, wrong_type=True)
        spec = {name: (g.kind, g.k, self._names(g, named)) for name, g in defined.items()}
        self._check_acyclic(spec, func)
        # basic events in depth-first order from the top; gates reached from the top
        events: list[str] = []
        used: list[str] = []
        seen: set = set()
        with _deep(len(spec)):
            self._walk(top, spec, events, used, seen)
        self._top = top
        self._spec = {g: spec[g] for g in used}
        self._events = tuple(events)
        self._index = {e: i for i, e in enumerate(events)}
        self._p = None if probabilities is None else \
            self._check_probabilities(probabilities, func)

    # construction helpers
    @staticmethod
    def _names(gate: Gate, named: dict) -> tuple:
        return tuple(x if isinstance(x, str) else named[id(x)] for x in gate.inputs)

    def _collect(self, name: str, gate: Gate, defined: dict, named: dict, func: str) -> None:
        """Register ``gate`` under ``name`` and its nested gates (unnamed: ``name.i``)."""
        old = defined.get(name)
        if old is not None and old is not gate and not _same_gate(old, gate, named):
            v.fail("gates", func, "one definition per gate name",
                   got=f"two different gates named {name!r}", data=True)
        defined[name] = gate
        named[id(gate)] = name
        for i, x in enumerate(gate.inputs):
            if isinstance(x, Gate) and id(x) not in named:
                self._collect(x.name if x.name is not None else f"{name}.{i + 1}", x,
                              defined, named, func)

    @staticmethod
    def _check_acyclic(spec: dict, func: str) -> None:
        state: dict[str, int] = {}
        for start in spec:
            if state.get(start):
                continue
            stack = [(start, iter(spec[start][2]))]
            path = [start]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next((x for x in it if x in spec), None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                    path.pop()
                    continue
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt):], nxt]
                    v.fail("gates", func, "acyclic (no gate may be its own input, directly or "
                           "through other gates)", got="the cycle " + " -> ".join(cycle),
                           data=True)
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, iter(spec[nxt][2])))
                    path.append(nxt)

    def _walk(self, gate: str, spec: dict, events: list, used: list, seen: set) -> None:
        seen.add(gate)
        used.append(gate)
        for x in spec[gate][2]:
            if x in spec:
                if x not in seen:
                    self._walk(x, spec, events, used, seen)
            elif x not in seen:
                seen.add(x)
                events.append(x)

    def _check_probabilities(self, probabilities, func: str) -> np.ndarray:
        if not isinstance(probabilities, Mapping):
            v.fail("probabilities", func, "a mapping basic event -> probability",
                   probabilities, wrong_type=True)
        missing = [e for e in self._events if e not in probabilities]
        if missing:
            v.fail("probabilities", func, "a mapping with a probability for every basic "
                   "event", got=f"none for {v.show_list(missing)}")
        gates = [g for g in self._spec if g in probabilities]
        if gates:
            v.fail("probabilities", func, "probabilities of basic events only (a gate's "
                   "follows from its inputs)", got=f"one for the gate {gates[0]!r}")
        return np.array([v.check_probability(probabilities[e], f"probabilities[{e!r}]", func)
                         for e in self._events], dtype=float)

    # public attributes
    @property
    def top(self) -> str:
        """Name of the top gate."""
        return self._top

    @property
    def events(self) -> tuple:
        """Basic events, in depth-first order from the top (the default BDD order)."""
        return self._events

    @property
    def gates(self) -> dict:
        """``gate name -> (kind, k, input names)`` of the gates under the top."""
        return dict(self._spec)

    @property
    def probabilities(self) -> dict | None:
        """``basic event -> probability``, or None."""
        return None if self._p is None else dict(zip(self._events, self._p.tolist()))

    def with_probabilities(self, probabilities: Mapping[str, float]) -> FaultTree:
        """The same tree with other basic-event probabilities.

        Examples
        --------
        >>> ft = FaultTree(Or("a", And("b", "c")))
        >>> ft.with_probabilities({"a": 0.1, "b": 0.5, "c": 0.5}).probability()
        0.325
        """
        new = object.__new__(FaultTree)
        new.__dict__.update(self.__dict__)
        new._p = self._check_probabilities(probabilities, "rca.FaultTree.with_probabilities")
        return new

    def __repr__(self) -> str:
        probs = "with" if self._p is not None else "without"
        shared = sum(1 for e in self._events
                     if sum(e in ins for _, _, ins in self._spec.values()) > 1)
        return (f"FaultTree(top {self._top!r}: {len(self._spec)} gates, {len(self._events)} "
                f"basic events ({shared} shared), {probs} probabilities)")

    def _need_p(self, func: str) -> np.ndarray:
        if self._p is None:
            v.fail("probabilities", func, "given to the FaultTree (or through "
                   "with_probabilities) before probabilities are computed", None)
        return self._p

    # cut sets
    def _mcs(self, func: str, max_order: int | None, max_cut_sets: int) -> list[int]:
        memo: dict[str, list[int]] = {}
        cap_text = ("Truncate with 'max_order', or raise the cap with the 'max_cut_sets' "
                    "parameter (the work allowed grows with it).")
        work = [0, 200 * max_cut_sets + 10_000]  # steps done, steps allowed
        where_now = [""]

        def check(n: int, where: str) -> None:
            if n > max_cut_sets:
                raise CostError(f"{func} would need more than {max_cut_sets:,} cut sets at "
                                f"{where}. {cap_text}")

        def spend(n: int) -> None:
            work[0] += n
            if work[0] > work[1]:
                raise CostError(f"{func} would need more than {work[1]:,} steps (cut-set "
                                f"products and absorption checks) at {where_now[0]}. "
                                f"{cap_text}")

        def minimal(sets) -> list[int]:
            return _minimal(sets, spend)

        def product(a: list[int], b: list[int], where: str) -> list[int]:
            out: set[int] = set()
            for x in a:
                spend(len(b))
                for y in b:
                    z = x | y
                    if max_order is None or _popcount(z) <= max_order:
                        out.add(z)
                check(len(out) // 4, where)
            out = minimal(out)
            check(len(out), where)
            return out

        def family(name: str) -> list[int]:
            if name in self._index:
                return [1 << self._index[name]]
            got = memo.get(name)
            if got is not None:
                return got
            kind, k, ins = self._spec[name]
            fams = [family(x) for x in ins]
            where = where_now[0] = f"gate {name!r}"
            if kind == "or":
                out = minimal({s for f in fams for s in f})
            elif kind == "and":
                out = [0]
                for f in fams:
                    out = product(out, f, where)
            else:  # at least k: row[j] = sets making at least j of the inputs seen so far
                row: list[list[int]] = [[0]] + [[] for _ in range(k)]
                for f in fams:
                    new = [[0]]
                    for j in range(1, k + 1):
                        add = product(row[j - 1], f, where) if row[j - 1] else []
                        new.append(minimal(set(row[j]) | set(add)))
                    row = new
                out = row[k]
            check(len(out), where)
            memo[name] = out
            return out

        with _deep(len(self._spec)):
            return family(self._top)

    def cut_sets(self, *, max_order: int | None = None,
                 max_cut_sets: int = 100_000) -> CutSets:
        """Minimal cut sets: the smallest sets of basic events whose joint occurrence makes
        the top event occur.

        Parameters
        ----------
        max_order : int, optional
            Look only for sets of at most this many events (exact for those orders).
        max_cut_sets : int, default 100000
            Cap on the number of sets held at any gate; more, or more than
            ``200 * max_cut_sets + 10000`` steps of set products and absorption checks,
            raises ``CostError``.

        Returns
        -------
        CutSets
            Sorted by probability (largest first) when the tree has probabilities, else by
            order; ties by the tree's event order.

        Raises
        ------
        CostError
            More than ``max_cut_sets`` sets at a gate.

        Examples
        --------
        NUREG-0492 chapter VII: ``T = (A + B + C)(C + AB)`` reduces to ``C + AB``.

        >>> ft = FaultTree({"T": ("and", ["E1", "E2"]), "E1": ("or", ["A", "E3"]),
        ...                 "E3": ("or", ["B", "C"]), "E2": ("or", ["C", "E4"]),
        ...                 "E4": ("and", ["A", "B"])})
        >>> ft.cut_sets().labels.tolist()
        ['C', 'A & B']
        """
        func = "rca.FaultTree.cut_sets"
        if max_order is not None:
            max_order = v.check_int(max_order, "max_order", func, low=1)
        max_cut_sets = _check_cap(max_cut_sets, "max_cut_sets", func)
        masks = self._mcs(func, max_order, max_cut_sets)
        sets = [tuple(e for i, e in enumerate(self._events) if m >> i & 1) for m in masks]
        order = np.array([len(s) for s in sets], dtype=np.int64)
        if self._p is not None:
            prob = np.array([float(np.prod(self._p[[self._index[e] for e in s]]))
                             for s in sets])
        else:
            prob = np.full(len(sets), np.nan)
        first = [tuple(self._index[e] for e in s) for s in sets]
        keys = sorted(range(len(sets)), key=lambda i: (
            -prob[i] if self._p is not None else 0.0, order[i], first[i]))
        sets = [sets[i] for i in keys]
        order, prob = order[keys], prob[keys]
        rare = float(prob.sum()) if self._p is not None else math.nan
        mcub = float(1.0 - np.prod(1.0 - prob)) if self._p is not None else math.nan
        share = prob / rare if self._p is not None and rare > 0 else np.full(len(sets), np.nan)
        arr = np.empty(len(sets), dtype=object)
        arr[:] = sets
        labels = np.array([" & ".join(s) for s in sets], dtype=object)
        return CutSets(cut_sets=arr, labels=labels, order=order, probability=prob,
                       share=share, top=self._top, max_order=max_order, rare_event=rare,
                       min_cut_upper_bound=mcub)

    # BDD
    def _levels(self, order, func: str) -> np.ndarray:
        """Level (position in the BDD order) of every event, by event index."""
        if order is None:
            return np.arange(len(self._events))
        if isinstance(order, (str, bytes)) or not isinstance(order, Sequence):
            v.fail("order", func, "a sequence of the basic events' names", order,
                   wrong_type=True)
        names = list(order)
        if sorted(map(str, names)) != sorted(self._events) or len(set(map(str, names))) != \
                len(names) or not all(isinstance(x, str) for x in names):
            v.fail("order", func, "every basic event exactly once",
                   got=v.show(names) if len(names) < 20 else f"{len(names)} names")
        levels = np.empty(len(self._events), dtype=np.int64)
        for level, e in enumerate(names):
            levels[self._index[e]] = level
        return levels

    def _bdd(self, func: str, order, max_nodes: int) -> tuple[BDD, int, np.ndarray]:
        levels = self._levels(order, func)
        bdd = BDD(len(self._events), max_nodes=max_nodes, func=func, cap_name="max_nodes")
        memo: dict[str, int] = {}

        def build(name: str) -> int:
            if name in self._index:
                return bdd.variable(int(levels[self._index[name]]))
            got = memo.get(name)
            if got is not None:
                return got
            kind, k, ins = self._spec[name]
            nodes = [build(x) for x in ins]
            if kind == "and":
                out = 1
                for u in nodes:
                    out = bdd.apply_and(out, u)
            elif kind == "or":
                out = 0
                for u in nodes:
                    out = bdd.apply_or(out, u)
            else:
                out = bdd.at_least(k, nodes)
            memo[name] = out
            return out

        with _deep(len(self._spec)):
            return bdd, build(self._top), levels

    def probability(self, method: str = "exact", *, order: Sequence[str] | None = None,
                    max_nodes: int = 1_000_000, max_cut_sets: int = 100_000) -> float:
        """Probability of the top event, basic events independent.

        Parameters
        ----------
        method : {'exact', 'rare_event', 'mcub'}, default 'exact'
            ``'exact'``: through a BDD of the tree (Shannon decomposition; shared events
            counted once). ``'rare_event'``: the sum of the minimal cut sets' probabilities
            (an upper bound, close when every event is rare; it can pass 1).
            ``'mcub'``: the min-cut upper bound ``1 - prod(1 - P(cut set))``.
        order : sequence of str, optional
            BDD variable order (every basic event once); default :attr:`events`, the
            depth-first order from the top, which keeps events of one subtree together.
        max_nodes : int, default 1000000
            Cap on the BDD nodes (exact method); more raises ``CostError``.
        max_cut_sets : int, default 100000
            Cap on the cut sets (approximations).

        Returns
        -------
        float

        Raises
        ------
        InvalidParameterError
            The tree has no probabilities, an unknown method or a bad order.
        CostError
            A cap is passed.

        Examples
        --------
        >>> ft = FaultTree(And(Or("a", "b"), Or("a", "c")),
        ...                probabilities={"a": 0.1, "b": 0.2, "c": 0.3})
        >>> round(ft.probability(), 6), round(ft.probability("rare_event"), 6)
        (0.154, 0.16)
        """
        func = "rca.FaultTree.probability"
        v.check_option(method, "method", func, ("exact", "rare_event", "mcub"))
        p = self._need_p(func)
        max_nodes = _check_cap(max_nodes, "max_nodes", func)
        max_cut_sets = _check_cap(max_cut_sets, "max_cut_sets", func)
        if method == "exact":
            bdd, root, levels = self._bdd(func, order, max_nodes)
            return bdd.probability(root, _by_level(p, levels))
        if order is not None:
            self._levels(order, func)
        masks = self._mcs(func, None, max_cut_sets)
        probs = np.array([_mask_probability(m, p) for m in masks])
        if method == "rare_event":
            return float(probs.sum())
        return float(1.0 - np.prod(1.0 - probs))

    def importance(self, *, order: Sequence[str] | None = None, max_nodes: int = 1_000_000,
                   max_cut_sets: int = 100_000) -> Importance:
        """Birnbaum, criticality, Fussell-Vesely, RAW and RRW of every basic event.

        Parameters
        ----------
        order : sequence of str, optional
            BDD variable order, as in :meth:`probability`.
        max_nodes, max_cut_sets : int
            Caps, as in :meth:`probability` (Fussell-Vesely needs the cut sets).

        Returns
        -------
        Importance
            Sorted by criticality, largest first (ties in event order). Measures divided by
            a zero top-event probability are NaN.

        Raises
        ------
        InvalidParameterError
            The tree has no probabilities.
        CostError
            A cap is passed.

        Examples
        --------
        >>> ft = FaultTree(Or("a", And("b", "c")),
        ...                probabilities={"a": 0.1, "b": 0.5, "c": 0.5})
        >>> imp = ft.importance()
        >>> imp.event.tolist(), imp.birnbaum.round(3).tolist()
        (['b', 'c', 'a'], [0.45, 0.45, 0.75])
        >>> imp.raw.round(4).tolist(), imp.rrw.round(4).tolist()
        ([1.6923, 1.6923, 3.0769], [3.25, 3.25, 1.3])
        """
        func = "rca.FaultTree.importance"
        p = self._need_p(func)
        max_nodes = _check_cap(max_nodes, "max_nodes", func)
        max_cut_sets = _check_cap(max_cut_sets, "max_cut_sets", func)
        bdd, root, levels = self._bdd(func, order, max_nodes)
        pl = _by_level(p, levels)
        top, grad = bdd.gradient(root, pl)
        birn = grad[levels]
        p1 = np.clip(top + (1.0 - p) * birn, 0.0, 1.0)
        p0 = np.clip(top - p * birn, 0.0, 1.0)
        p0[p0 <= 8 * np.finfo(float).eps * top] = 0.0  # rounding left of an exact 0
        # Fussell-Vesely: P(some minimal cut set containing the event) / P(top)
        masks = self._mcs(func, None, max_cut_sets)
        terms: list[int] = []
        containing: list[list[int]] = [[] for _ in self._events]
        for c, m in enumerate(masks):
            term = 1
            for j in _bits(m):
                term = bdd.apply_and(term, bdd.variable(int(levels[j])))
                containing[j].append(c)
            terms.append(term)
        union = np.zeros(len(self._events))
        for i, sets in enumerate(containing):
            f = 0
            for c in sets:
                f = bdd.apply_or(f, terms[c])
            union[i] = bdd.probability(f, pl)
        with np.errstate(divide="ignore", invalid="ignore"):
            ok = top > 0
            crit = birn * p / top if ok else np.full(len(p), np.nan)
            fv = union / top if ok else np.full(len(p), np.nan)
            raw = p1 / top if ok else np.full(len(p), np.nan)
            rrw = np.where(p0 > 0, top / np.where(p0 > 0, p0, 1.0), np.inf) if ok else \
                np.full(len(p), np.nan)
        key = np.lexsort((np.arange(len(p)), -np.nan_to_num(crit, nan=-1.0)))
        ev = np.array(self._events, dtype=object)
        return Importance(event=ev[key], probability=p[key], birnbaum=birn[key],
                          criticality=crit[key], fussell_vesely=fv[key], raw=raw[key],
                          rrw=rrw[key], p_top_if_failed=p1[key], p_top_if_working=p0[key],
                          top=self._top, top_probability=float(top))


def _all_names(gate: Gate) -> set:
    """Every event and gate name written in ``gate`` and the gates nested in it."""
    out, todo = set(), [gate]
    while todo:
        g = todo.pop()
        if g.name is not None:
            out.add(g.name)
        for x in g.inputs:
            if isinstance(x, Gate):
                todo.append(x)
            else:
                out.add(x)
    return out


def _same_gate(a: Gate, b: Gate, named: dict) -> bool:
    """Same kind and inputs (a name defined twice the same way is one gate)."""
    def names(g):
        return tuple(x if isinstance(x, str) else x.name or named.get(id(x)) for x in g.inputs)

    return a.kind == b.kind and a.k == b.k and names(a) == names(b)


@contextlib.contextmanager
def _deep(n: int):
    old = sys.getrecursionlimit()
    need = 3 * n + 1000
    if need > old:
        sys.setrecursionlimit(need)
    try:
        yield
    finally:
        if need > old:
            sys.setrecursionlimit(old)


def _by_level(p: np.ndarray, levels: np.ndarray) -> np.ndarray:
    out = np.empty_like(p)
    out[levels] = p
    return out


def _bits(m: int) -> list[int]:
    """Positions of the set bits of ``m``, ascending."""
    out, i = [], 0
    while m:
        if m & 1:
            out.append(i)
        m >>= 1
        i += 1
    return out


def _mask_probability(m: int, p: np.ndarray) -> float:
    out, i = 1.0, 0
    while m:
        if m & 1:
            out *= p[i]
        m >>= 1
        i += 1
    return out


def _minimal(sets, spend) -> list[int]:
    """The sets of ``sets`` (bit masks) that contain no other set of ``sets``.

    Kept sets are bucketed by their lowest event, so a candidate is compared only with the
    kept sets whose lowest event it contains; ``spend(n)`` is charged for the comparisons.
    """
    kept: list[int] = []
    by_low: dict[int, list[int]] = {}
    for s in sorted(set(sets), key=lambda x: (_popcount(x), x)):
        if s == 0:  # the empty set (the top event certain) absorbs everything
            return [0]
        absorbed = False
        rest = s
        while rest and not absorbed:
            low = rest & -rest
            bucket = by_low.get(low, ())
            spend(len(bucket) + 1)
            absorbed = any(s & k == k for k in bucket)
            rest ^= low
        if not absorbed:
            kept.append(s)
            by_low.setdefault(s & -s, []).append(s)
    return kept


# --------------------------------------------------------------------------- FMEA link

def probabilities_from_worksheet(worksheet: Worksheet, *,
                                 table: Mapping[int, float] | None = None) -> dict[str, float]:
    """Basic-event probabilities from an FMEA worksheet's occurrence ratings.

    Each failure mode becomes a basic event named after it, with the probability its
    occurrence rating stands for.

    Parameters
    ----------
    worksheet : Worksheet
        Failure modes with distinct names.
    table : mapping int -> float, optional
        Probability of each rating; default :data:`AIAG_FMEA4_OCCURRENCE_PROBABILITY` (the
        per-item rate the AIAG FMEA-4 occurrence table prints for the rating).

    Returns
    -------
    dict
        ``failure mode -> probability``, for :class:`FaultTree`'s ``probabilities``.

    Raises
    ------
    InvalidParameterError, DataError
        Not a worksheet, repeated failure modes, a rating the table lacks, a table value
        outside [0, 1].

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["wrong address", "courier late"],
    ...                            "S": [7, 5], "O": [6, 8], "D": [4, 3]})
    >>> probabilities_from_worksheet(ws)
    {'wrong address': 0.002, 'courier late': 0.02}
    """
    from ..fmea import Worksheet

    func = "rca.probabilities_from_worksheet"
    if not isinstance(worksheet, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
               got=f"an object of type {type(worksheet).__name__}", wrong_type=True)
    if table is None:
        table = AIAG_FMEA4_OCCURRENCE_PROBABILITY
    elif not isinstance(table, Mapping):
        v.fail("table", func, "a mapping rating -> probability", table, wrong_type=True)
    modes = [str(m) for m in worksheet.failure_mode.tolist()]
    if len(set(modes)) != len(modes):
        dup = next(m for m in modes if modes.count(m) > 1)
        v.fail("worksheet", func, "a worksheet whose failure modes have distinct names",
               got=f"{dup!r} more than once", data=True)
    out = {}
    for m, r in zip(modes, worksheet.occurrence.tolist()):
        if r not in table:
            v.fail("table", func, "a mapping with a probability for every occurrence rating "
                   "of the worksheet", got=f"none for rating {r} ({m!r})", data=True)
        out[m] = v.check_probability(table[r], f"table[{r}]", func)
    return out


def probabilities_from_counts(counts: Mapping[str, int] | ObservedOccurrence,
                              exposure: float | Mapping[str, float] | None = None, *,
                              bound: str = "point", confidence: float = 0.95
                              ) -> dict[str, float]:
    """Basic-event probabilities from observed failures per exposure.

    Parameters
    ----------
    counts : mapping or ObservedOccurrence
        ``event -> failures observed``, or the result of
        :func:`cxpath.fmea.observed_occurrence` (its counts and exposures).
    exposure : float or mapping, optional
        Items, orders or demands the failures were counted on: one number for all events or
        ``event -> exposure`` (not with an ObservedOccurrence, which has its own).
    bound : {'point', 'upper'}, default 'point'
        ``'point'``: failures / exposure. ``'upper'``: the exact (Clopper-Pearson) upper
        bound at ``confidence``, so that few observations do not earn a small probability.
    confidence : float, default 0.95

    Returns
    -------
    dict
        ``event -> probability``.

    Raises
    ------
    InvalidParameterError, DataError
        Negative or fractional counts, missing or non-positive exposure, more failures than
        exposure.

    Examples
    --------
    >>> probabilities_from_counts({"label missing": 3, "scanner down": 0}, exposure=1000)
    {'label missing': 0.003, 'scanner down': 0.0}
    >>> p = probabilities_from_counts({"scanner down": 0}, 1000, bound="upper")
    >>> round(p["scanner down"], 5)
    0.00368
    """
    from ..fmea import ObservedOccurrence
    from ..fmea.occurrence import _exact_interval

    func = "rca.probabilities_from_counts"
    v.check_option(bound, "bound", func, ("point", "upper"))
    confidence = v.check_probability(confidence, "confidence", func, closed="neither")
    if isinstance(counts, ObservedOccurrence):
        if exposure is not None:
            v.fail("exposure", func, "None with an ObservedOccurrence (it has its own)",
                   exposure)
        names = [str(m) for m in counts.failure_mode.tolist()]
        k = counts.count.astype(float)
        n = counts.exposure.astype(float)
    else:
        if not isinstance(counts, Mapping):
            v.fail("counts", func, "a mapping event -> failures, or an ObservedOccurrence",
                   counts, wrong_type=True)
        names = [_check_name(x, "counts", func) for x in counts]
        k = np.array([v.check_int(counts[x], f"counts[{x!r}]", func, low=0) for x in names],
                     dtype=float)
        if exposure is None:
            v.fail("exposure", func, "given (items, orders or demands the failures were "
                   "counted on)", None)
        if isinstance(exposure, Mapping):
            missing = [x for x in names if x not in exposure]
            if missing:
                v.fail("exposure", func, "a mapping with an exposure for every event",
                       got=f"none for {v.show_list(missing)}", data=True)
            n = np.array([v.check_real(exposure[x], f"exposure[{x!r}]", func, low=0.0,
                                       closed="neither") for x in names])
        elif isinstance(exposure, numbers.Real) and not isinstance(exposure, bool):
            n = np.full(len(names), v.check_real(exposure, "exposure", func, low=0.0,
                                                 closed="neither"))
        else:
            v.fail("exposure", func, "a positive number or a mapping event -> exposure",
                   exposure, wrong_type=True)
        over = k > n
        if over.any():
            i = int(np.argmax(over))
            v.fail("exposure", func, "at least the number of failures",
                   got=f"{n[i]:g} for {names[i]!r} with {int(k[i])} failures", data=True)
    if bound == "point":
        p = k / n
    else:
        p = _exact_interval(k, n, confidence)[1] if len(k) else k
    return dict(zip(names, (float(x) for x in np.clip(p, 0.0, 1.0))))
