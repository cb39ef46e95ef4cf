"""Conformance: how many journeys leave the reference path, where, and how."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, result
from .graph import START, JourneyGraph
from .model import Journeys

if TYPE_CHECKING:
    import networkx as nx

    from .segments import Segmented

__all__ = ["Conformance", "conformance"]


@result
class Conformance(Result):
    """Share of abnormal journeys (点击路径异常率) and their most common deviations.

    Attributes
    ----------
    n_cases, abnormal : int
        Weighted cases, and those with at least one step outside the reference.
    abnormal_rate : float
    first_deviation_position : ndarray of int
        Weighted abnormal cases by the 0-based position of their first deviating event.
    deviations : ndarray of str
        Deviating steps, ``'a -> b'`` or ``'(start) -> a'``, ranked by cases.
    deviation_cases : ndarray of int
        Weighted cases containing each deviation (anywhere, not only first).
    first_deviation_cases : ndarray of int
        Weighted cases whose first deviation it is.
    success_rate_normal, success_rate_abnormal : float
        With an outcome; NaN otherwise.
    deviation : ndarray of str
        ``deviations`` under its column name.
    """

    n_cases: int
    abnormal: int
    abnormal_rate: float
    first_deviation_position: np.ndarray
    deviations: np.ndarray
    deviation_cases: np.ndarray
    first_deviation_cases: np.ndarray
    success_rate_normal: float
    success_rate_abnormal: float

    _key = "deviation"
    deviation = alias("deviations")

    def _summary(self):
        return [f"{self.abnormal:,} of {self.n_cases:,} cases abnormal "
                f"({self.abnormal_rate:.1%}); success {self.success_rate_normal:.1%} normal vs "
                f"{self.success_rate_abnormal:.1%} abnormal"]

    def _columns(self):
        return {"deviation": self.deviations, "deviation_cases": self.deviation_cases,
                "first_deviation_cases": self.first_deviation_cases}


def _reference(reference, labels, func):
    """(sorted allowed transition keys, allowed starts) from the three reference forms."""
    from .graph import is_digraph

    n = len(labels)
    index = {label: i for i, label in enumerate(labels)}
    starts = np.ones(n, dtype=np.bool_)

    def code(label):
        if label not in index:
            v.fail("reference", func, "touchpoints of the journeys",
                   got=f"unknown label {label!r}")
        return index[label]

    if is_digraph(reference) or isinstance(reference, JourneyGraph):
        edges = [(a, b) for a, b in reference.edges if a in index and b in index]
        if START in reference:
            starts[:] = False
            for s in reference.successors(START):
                if s in index:
                    starts[index[s]] = True
    elif isinstance(reference, Iterable) and not isinstance(reference, str):
        items = list(reference)
        if items and all(isinstance(x, str) for x in items):  # ordered expected steps
            codes = [code(x) for x in items]
            edges = [(items[i], items[i + 1]) for i in range(len(items) - 1)]
            edges += [(x, x) for x in items]
            starts[:] = False
            starts[codes[0]] = True
        elif items and all(isinstance(x, tuple) and len(x) == 2 for x in items):
            edges = items
        else:
            v.fail("reference", func, "a set of (from, to) pairs, a networkx DiGraph or an "
                   "ordered list of steps", got="an empty or mixed collection")
    else:
        v.fail("reference", func, "a set of (from, to) pairs, a networkx DiGraph or an "
               "ordered list of steps", got=type(reference).__name__)
    allowed = np.unique(np.array([code(a) * n + code(b) for a, b in edges], dtype=np.int64))
    return allowed, starts


def conformance(journeys: Journeys,
                reference: (Iterable[tuple[str, str]] | nx.DiGraph | JourneyGraph
                            | Sequence[str]),
                top: int = 10, *, by: str | None = None) -> Conformance | Segmented:
    """Check journeys against a reference and rank the deviations.

    Parameters
    ----------
    journeys : Journeys
    reference : set of (str, str), networkx.DiGraph, JourneyGraph or list of str
        Allowed transitions; a graph or the result of
        :func:`~cxpath.journeys.journey_graph` (its edges are allowed transitions, and the
        successors of ``'__start__'``, if present, the allowed first touchpoints); or an
        ordered list of expected steps (allowed: each step to itself or to the next; the
        first step is the only allowed start). With pairs, any first touchpoint is allowed.
    top : int, default 10
        Deviations to list.
    by : str, optional
        Drill down by a case attribute (product, priority, region …): the analysis runs
        on the cases of each segment and returns a
        :class:`~cxpath.journeys.segments.Segmented` (one table, the segment first).

    Returns
    -------
    Conformance, or Segmented of Conformance with ``by``

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import conformance
    >>> j = Journeys.from_paths(["login > search > pay", "login > pay", "search"])
    >>> c = conformance(j, ["login", "search", "pay"])
    >>> c.abnormal_rate, c.deviations.tolist()
    (0.6666666666666666, ['login -> pay', '(start) -> search'])
    """
    from .._kernels.paths import first_deviation
    from .stats import _edges, compact_keys

    func = "journeys.conformance"
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
    top = v.check_int(top, "top", func, low=1)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func,
                               lambda sub: conformance(sub, reference, top))
    labels = journeys.vocab
    n = len(labels)
    allowed, starts = _reference(reference, labels, func)
    first = first_deviation(journeys.codes, journeys.offsets, allowed, n, starts)
    w = journeys.case_weights
    bad = first >= 0
    position = first - journeys.offsets[:-1]
    pos_counts = np.bincount(position[bad], weights=w[bad]).astype(np.int64) if bad.any() \
        else np.zeros(0, dtype=np.int64)
    # every deviating step per case (start deviations coded n * n + code)
    src, dst, _, case = _edges(journeys)
    off = ~np.isin(src * n + dst, allowed)
    start_code = journeys.codes[journeys.offsets[:-1][journeys.lengths > 0]]
    start_case = np.flatnonzero(journeys.lengths > 0)
    off_start = ~starts[start_code]
    keys = np.concatenate([src[off] * n + dst[off], n * n + start_code[off_start]])
    owners = np.concatenate([case[off], start_case[off_start]])
    names, slot = compact_keys(keys, n * n + n)  # the deviations seen, not every pair
    m = max(len(names), 1)
    pair = np.unique(owners * m + slot)
    pk, pc = pair % m, pair // m
    cases_with = np.bincount(pk, weights=w[pc], minlength=len(names))
    is_start = position == 0
    first_key = np.where(is_start, n * n + journeys.codes[np.maximum(first, 0)],
                         journeys.codes[np.maximum(first - 1, 0)] * n +
                         journeys.codes[np.maximum(first, 0)])
    firsts = np.bincount(np.searchsorted(names, first_key[bad]), weights=w[bad],
                         minlength=len(names))
    seen = np.flatnonzero(cases_with > 0)
    seen = seen[np.lexsort((names[seen], -cases_with[seen]))][:top]

    def name(k):
        return f"(start) -> {labels[k - n * n]}" if k >= n * n else \
            f"{labels[k // n]} -> {labels[k % n]}"

    seen_keys = names[seen]
    ok = journeys.outcome
    total = w.sum()

    def success_rate(mask):
        if ok is None or w[mask].sum() == 0:
            return float("nan")
        return float((w * ok)[mask].sum() / w[mask].sum())

    return Conformance(n_cases=int(total), abnormal=int(w[bad].sum()),
                       abnormal_rate=float(w[bad].sum() / max(total, 1)),
                       first_deviation_position=pos_counts,
                       deviations=np.array([name(k) for k in seen_keys], dtype=object),
                       deviation_cases=cases_with[seen].astype(np.int64),
                       first_deviation_cases=firsts[seen].astype(np.int64),
                       success_rate_normal=success_rate(~bad),
                       success_rate_abnormal=success_rate(bad))
