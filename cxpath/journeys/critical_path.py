"""The critical path of the journeys, by probability, volume or elapsed time."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np

from .. import _validate as v
from .._results import Result, result
from .graph import START, SUCCESS, journey_graph
from .model import Journeys

__all__ = ["CriticalPath", "critical_path"]


@result
class CriticalPath(Result):
    """One path from start to success and why it is critical.

    Attributes
    ----------
    by : str
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
    """

    by: str
    steps: tuple
    probability: float
    cases: int
    successes: int
    median_duration: float
    total_time: float

    def _title(self):
        return f"CriticalPath by {self.by}"

    def _summary(self):
        return [" > ".join(self.steps),
                f"probability {self.probability:.4g}; {self.cases:,} cases follow it "
                f"({self.successes:,} successful); median duration "
                f"{self.median_duration / 3600:.3g} h"]

    def _columns(self):
        return {"position": np.arange(len(self.steps)),
                "touchpoint": np.asarray(self.steps, dtype=object)}

    def __repr__(self):
        return "\n".join([self._title(), *self._summary()])


def critical_path(journeys: Journeys, by: str = "probability", *,
                  min_share: float = 0.01) -> CriticalPath:
    """The critical path of the journeys, under one of three precise definitions.

    * ``by='probability'``: the most probable path from start to the success end in the
      first-order journey graph, i.e. the path maximising the product of transition
      probabilities (each probability counts every way out of a touchpoint, drop-offs
      included). Found by Dijkstra's algorithm on ``-log p``; all weights are non-negative,
      so cycles cannot make it loop.
    * ``by='volume'``: the successful variant (exact path) followed by the most successful
      cases.
    * ``by='time'``: among variants followed by at least ``min_share`` of all cases, the one
      accounting for the most elapsed time (cases × mean duration).

    Parameters
    ----------
    journeys : Journeys
        With an outcome; ``by='time'`` needs timestamps.
    by : {'probability', 'volume', 'time'}
    min_share : float, default 0.01
        Frequency floor of the variants considered by ``by='time'``.

    Returns
    -------
    CriticalPath

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.journeys import critical_path
    >>> critical_path(load_sample().journeys, by="volume").steps
    ('ivr', 'phone_agent', 'resolved')
    """
    from .stats import case_facts
    from .variants import distinct_paths

    func = "journeys.critical_path"
    v.check_option(by, "by", func, ("probability", "volume", "time"))
    min_share = v.check_real(min_share, "min_share", func, low=0.0, high=1.0)
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
    if journeys.outcome is None:
        v.fail("journeys", func, "journeys with an outcome", got="journeys without outcome")
    if by == "time" and journeys.times is None:
        v.fail("by", func, "'probability' or 'volume' for journeys without times", by)
    graph = journey_graph(journeys)
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

    if by == "probability":
        if SUCCESS not in graph or graph.in_degree(SUCCESS) == 0:
            v.fail("journeys", func, "journeys with at least one success", got="none")
        for _, _, data in graph.edges(data=True):
            data["cost"] = -math.log(data["probability"])
        path = nx.dijkstra_path(graph, START, SUCCESS, weight="cost")
        steps = tuple(path[1:-1])
        match = [g for g in range(n_groups) if steps_of(g) == steps]
        chosen = match[0] if match else None
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
    return CriticalPath(by=by, steps=steps, probability=probability, cases=cases,
                        successes=successes, median_duration=median, total_time=total)


def _path_probability(graph: nx.DiGraph, steps) -> float:
    nodes = [START, *steps, SUCCESS]
    p = 1.0
    for a, b in itertools.pairwise(nodes):
        if not graph.has_edge(a, b):
            return 0.0
        p *= graph.edges[a, b]["probability"]
    return p
