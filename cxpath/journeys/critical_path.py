"""The critical path of the journeys, by probability, volume or elapsed time."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, format_duration, result
from .._warnings import warn
from .graph import START, SUCCESS, journey_graph
from .model import Journeys

if TYPE_CHECKING:
    import networkx as nx

    from .segments import Segmented

__all__ = ["CriticalPath", "critical_path"]


@result
class CriticalPath(Result):
    """One path from start to success and why it is critical.

    Attributes
    ----------
    rank_by : str
        ``'probability'``, ``'volume'`` or ``'time'``.
    steps : tuple of str
        Touchpoints in order.
    probability : float
        Product of the first-order transition probabilities from start, along the steps,
        to the success end.
    cases : int
        Cases that followed exactly this path (weighted) and of them successful.
    successes : int
    median_duration : float
        Median seconds from first to last event over the cases of the path (NaN if none).
    total_time : float
        ``cases`` × mean duration: the elapsed time the path accounts for.
    observed_steps : tuple of str or None
        With ``rank_by='probability'``: the most probable path that at least ``min_cases``
        successful cases followed exactly (the graph's most probable path may be a
        combination of transitions that no case took). None when no variant qualifies.
    observed_probability : float
    observed_cases : int
        Cases (weighted) that followed ``observed_steps``.
    min_cases : int
    """

    rank_by: str
    steps: tuple
    probability: float
    cases: int
    successes: int
    median_duration: float
    total_time: float
    observed_steps: tuple | None = None
    observed_probability: float = float("nan")
    observed_cases: int = 0
    min_cases: int = 1

    _derived = derived_columns({"position": "0-based position of the step in ``steps``",
                                "touchpoint": "the step, ``steps[position]``"})

    def _title(self):
        return f"CriticalPath by {self.rank_by}"

    def _summary(self):
        lines = [" > ".join(self.steps),
                 f"probability {self.probability:.4g}; {self.cases:,} cases follow it "
                 f"({self.successes:,} successful); median duration "
                 f"{format_duration(self.median_duration)}"]
        if self.rank_by == "probability" and self.observed_steps != self.steps:
            if self.observed_steps is None:
                lines.append(f"no successful path is followed by {self.min_cases:,} or more "
                             "cases")
            else:
                lines.append(f"most probable path followed by at least {self.min_cases:,} "
                             f"case(s): {' > '.join(self.observed_steps)} (probability "
                             f"{self.observed_probability:.4g}, {self.observed_cases:,} "
                             "cases)")
        return lines

    def _columns(self):
        return {"position": np.arange(len(self.steps)),
                "touchpoint": np.asarray(self.steps, dtype=object)}

    def __repr__(self):
        return "\n".join([self._title(), *self._summary()])


_RANKINGS = ("probability", "volume", "time")


def critical_path(journeys: Journeys, rank_by: str = "probability", *,
                  min_share: float = 0.01, min_cases: int = 1,
                  by: str | None = None) -> CriticalPath | Segmented:
    """The critical path of the journeys, under one of three precise definitions.

    * ``rank_by='probability'``: the most probable path from start to the success end in
      the first-order journey graph, i.e. the path maximising the product of transition
      probabilities (each probability counts every way out of a touchpoint, drop-offs
      included). Found by Dijkstra's algorithm on ``-log p``; all weights are non-negative,
      so cycles cannot make it loop. Such a path may be followed by no case at all: the
      result says how many cases follow it, and also gives the most probable path that at
      least ``min_cases`` successful cases followed exactly (``observed_steps``).
    * ``rank_by='volume'``: the successful variant (exact path) followed by the most
      successful cases.
    * ``rank_by='time'``: among variants followed by at least ``min_share`` of all cases,
      the one accounting for the most elapsed time (cases × mean duration).

    Parameters
    ----------
    journeys : Journeys
        With an outcome; ``rank_by='time'`` needs timestamps.
    rank_by : {'probability', 'volume', 'time'}
    min_share : float, default 0.01
        Frequency floor of the variants considered by ``rank_by='time'``.
    min_cases : int, default 1
        Successful cases that must follow ``observed_steps`` exactly.
    by : str, optional
        Drill down by a case attribute (a Segmented result, one path per segment). For
        compatibility, ``by='probability' | 'volume' | 'time'`` still names the ranking
        when the journeys have no attribute of that name (deprecated: use ``rank_by``).

    Returns
    -------
    CriticalPath, or Segmented of CriticalPath with ``by``

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.journeys import critical_path
    >>> critical_path(load_sample().journeys, rank_by="volume").steps
    ('ivr', 'phone_agent', 'resolved')
    """
    import networkx as nx

    from .stats import case_facts
    from .variants import distinct_paths

    func = "journeys.critical_path"
    if (isinstance(by, str) and by in _RANKINGS and isinstance(journeys, Journeys)
            and by not in journeys.case_attributes):
        warn("critical_path(by=...) naming the ranking is deprecated: pass "
             f"rank_by={by!r} (by= now drills down by a case attribute)",
             DeprecationWarning, stacklevel=2)
        rank_by, by = by, None
    v.check_option(rank_by, "rank_by", func, _RANKINGS)
    min_share = v.check_real(min_share, "min_share", func, low=0.0, high=1.0)
    min_cases = v.check_int(min_cases, "min_cases", func, low=1)
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
    if journeys.outcome is None:
        v.fail("journeys", func, "journeys with an outcome", got="journeys without outcome")
    if rank_by == "time" and journeys.times is None:
        v.fail("rank_by", func, "'probability' or 'volume' for journeys without times",
               rank_by)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func, lambda sub: critical_path(
            sub, rank_by, min_share=min_share, min_cases=min_cases))
    by = rank_by
    graph = journey_graph(journeys).graph
    facts = case_facts(journeys)
    w, ok = facts["weight"], facts["success"]
    rep, group, n_groups = distinct_paths(journeys)
    counts = np.bincount(group, weights=w, minlength=n_groups)
    wins = np.bincount(group, weights=w * ok, minlength=n_groups)
    dur = facts["duration"] if facts["duration"] is not None else np.zeros(len(w))
    mean_dur = np.bincount(group, weights=w * dur, minlength=n_groups) / np.maximum(counts, 1)
    labels = journeys.vocab

    def steps_of(g):
        r = rep[g]
        return tuple(labels[c] for c in journeys.codes[journeys.offsets[r]:
                                                       journeys.offsets[r + 1]])

    observed = {}
    if by == "probability":
        if SUCCESS not in graph or graph.in_degree(SUCCESS) == 0:
            v.fail("journeys", func, "journeys with at least one success", got="none")
        for _, _, data in graph.edges(data=True):
            data["cost"] = -math.log(data["probability"])
        path = nx.dijkstra_path(graph, START, SUCCESS, weight="cost")
        steps = tuple(path[1:-1])
        match = [g for g in range(n_groups) if steps_of(g) == steps]
        chosen = match[0] if match else None
        if chosen is not None and wins[chosen] >= min_cases:  # followed: it is its own answer
            observed = {"observed_steps": steps, "observed_probability":
                        _path_probability(graph, steps), "observed_cases": int(counts[chosen])}
        else:
            observed = _most_probable_followed(graph, steps_of, wins, counts, min_cases)
    elif by == "volume":
        if wins.max(initial=0) == 0:
            v.fail("journeys", func, "journeys with at least one success", got="none")
        chosen = int(np.lexsort((np.arange(n_groups), -wins))[0])
        steps = steps_of(chosen)
    else:
        frequent = np.flatnonzero(counts >= min_share * counts.sum())
        chosen = int(frequent[np.argmax(counts[frequent] * mean_dur[frequent])])
        steps = steps_of(chosen)
    probability = _path_probability(graph, steps)
    if chosen is None:
        cases = successes = 0
        median = total = float("nan")
    else:
        members = group == chosen
        cases, successes = int(counts[chosen]), int(wins[chosen])
        median = float(np.median(dur[members])) if facts["duration"] is not None else np.nan
        total = float(counts[chosen] * mean_dur[chosen])
    return CriticalPath(rank_by=by, steps=steps, probability=probability, cases=cases,
                        successes=successes, median_duration=median, total_time=total,
                        min_cases=min_cases, **observed)


def _most_probable_followed(graph, steps_of, wins, counts, min_cases) -> dict:
    """The successful variant with ``min_cases`` or more successes of highest probability."""
    best = None
    for g in np.flatnonzero(wins >= min_cases):
        steps = steps_of(g)
        p = _path_probability(graph, steps)
        if best is None or p > best[0] or (p == best[0] and steps < best[1]):
            best = (p, steps, int(counts[g]))
    if best is None:
        return {}
    return {"observed_steps": best[1], "observed_probability": best[0],
            "observed_cases": best[2]}


def _path_probability(graph: nx.DiGraph, steps) -> float:
    nodes = [START, *steps, SUCCESS]
    p = 1.0
    for a, b in itertools.pairwise(nodes):
        if not graph.has_edge(a, b):
            return 0.0
        p *= graph.edges[a, b]["probability"]
    return p
