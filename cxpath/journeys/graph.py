"""The journey graph: touchpoints as nodes, transitions as edges, with virtual start/end."""

from __future__ import annotations

import networkx as nx
import numpy as np

from .. import _validate as v
from .._stats import quantiles_by_group
from .model import Journeys

__all__ = ["DROP", "START", "SUCCESS", "journey_graph", "transition_times"]

START, SUCCESS, DROP = "__start__", "__success__", "__drop__"


def _as_stats(journeys, func, edges=None):
    """(counts with JourneyStats' attribute names, the journeys or None)."""
    from types import SimpleNamespace

    from .stats import JourneyStats, _counts

    if isinstance(journeys, JourneyStats):
        return journeys, None
    if isinstance(journeys, Journeys):
        counts = SimpleNamespace(**_counts(journeys, edges))
        counts.n_states = len(counts.vocab)
        return counts, journeys
    v.fail("journeys", func, "a Journeys or JourneyStats", got=type(journeys).__name__)


def transition_times(journeys: Journeys, edges=None):
    """Per-edge transition-time quantiles: arrays (n, n) of median, p90 (NaN if unseen)."""
    from .stats import _edges

    n = len(journeys.vocab)
    src, dst, wait, _ = _edges(journeys, with_case=False) if edges is None else edges
    q = quantiles_by_group(src * n + dst, wait, n * n, [0.5, 0.9])
    return q[:, 0].reshape(n, n), q[:, 1].reshape(n, n)


def _dwell(journeys: Journeys, edges):
    n = len(journeys.vocab)
    src, _, wait, _ = edges
    mean = np.bincount(src, weights=wait, minlength=n) / np.maximum(
        np.bincount(src, minlength=n), 1)
    q = quantiles_by_group(src, wait, n, [0.5, 0.9])
    return mean, q[:, 0], q[:, 1]


def _service_quantiles(journeys: Journeys):
    q = quantiles_by_group(journeys.codes, journeys.service_times, len(journeys.vocab),
                           [0.5, 0.9])
    return q[:, 0], q[:, 1]


def journey_graph(journeys, *, min_count: int = 1, min_coverage: float = 0.0,
                  by: str | None = None):
    """Directed graph of the journeys with virtual start, success-end and drop-end nodes.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        With :class:`JourneyStats`, times carry mean/min/max only (no median or p90).
    min_count : int, default 1
        Drop edges seen in fewer (weighted) cases' transitions than this.
    min_coverage : float, default 0.0
        Drop touchpoints reached by less than this share of cases (with their edges).
    by : str, optional
        Drill down by a case attribute: one graph per segment, in a
        :class:`~cxpath.journeys.segments.Segmented` whose table lists every segment's
        edges (``seg["x"]`` is segment x's graph).

    Returns
    -------
    networkx.DiGraph
        Nodes are touchpoint labels plus ``"__start__"``, ``"__success__"`` and
        ``"__drop__"``. Touchpoint node attributes: ``visits`` (events), ``cases``
        (cases reaching it), ``starts``, ``success_exits``, ``drop_exits``, ``drop_rate``
        (drop exits / cases reaching), ``dwell_mean``, ``dwell_median``, ``dwell_p90``
        (seconds to the next event in the case; for activity instances, from this
        completion to the next start), and for activity instances the service times
        ``service_mean``, ``service_min``, ``service_max``, ``service_median``,
        ``service_p90`` (start to completion, seconds). Edge attributes: ``count``,
        ``probability`` (count / all ways out of the source, exits included),
        ``success_share`` (share of the count in successful cases), and with times
        ``time_mean``, ``time_min``, ``time_max``, ``time_median``, ``time_p90`` (seconds
        between the events; for activity instances the waiting time from the source's
        completion to the target's start, 0 where they overlap).
        Edges out of start and into the end nodes carry ``count`` and ``probability``.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import journey_graph
    >>> j = Journeys.from_events(case=[1, 1, 2], touchpoint=["web", "chat", "web"],
    ...                          timestamp=[0, 60, 0], success={"chat"})
    >>> g = journey_graph(j)
    >>> g.edges["web", "chat"]["count"], g.nodes["web"]["drop_rate"]
    (1, 0.5)
    """
    func = "journeys.journey_graph"
    min_count = v.check_int(min_count, "min_count", func, low=1)
    min_coverage = v.check_real(min_coverage, "min_coverage", func, low=0.0, high=1.0)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func, lambda sub: journey_graph(
            sub, min_count=min_count, min_coverage=min_coverage))
    edges = None
    if isinstance(journeys, Journeys):
        from .stats import _edges

        edges = _edges(journeys, with_case=False)
    stats, raw = _as_stats(journeys, func, edges)
    labels = stats.vocab
    keep = stats.reach >= min_coverage * max(stats.n_cases, 1)
    keep &= stats.reach > 0
    timed = stats.has_times
    median = p90 = dwell = service_q = None
    if raw is not None and timed:
        median, p90 = transition_times(raw, edges)
        dwell = _dwell(raw, edges)
        if stats.has_service:
            service_q = _service_quantiles(raw)
    drops = stats.ends - stats.ends_success
    out_total = stats.transitions.sum(axis=1) + stats.ends
    g = nx.DiGraph(n_cases=stats.n_cases, n_success=stats.n_success)
    g.add_node(START, virtual=True)
    g.add_node(SUCCESS, virtual=True)
    g.add_node(DROP, virtual=True)
    for i in np.flatnonzero(keep):
        attrs = {"visits": int(stats.visits[i]), "cases": int(stats.reach[i]),
                 "starts": int(stats.starts[i]), "success_exits": int(stats.ends_success[i]),
                 "drop_exits": int(drops[i]),
                 "drop_rate": float(drops[i] / stats.reach[i]), "virtual": False}
        if dwell is not None:
            attrs.update(dwell_mean=float(dwell[0][i]), dwell_median=float(dwell[1][i]),
                         dwell_p90=float(dwell[2][i]))
        if stats.has_service and stats.service_count[i]:
            attrs.update(service_mean=float(stats.service_sum[i] / stats.service_count[i]),
                         service_min=float(stats.service_min[i]),
                         service_max=float(stats.service_max[i]))
            if service_q is not None:
                attrs.update(service_median=float(service_q[0][i]),
                             service_p90=float(service_q[1][i]))
        g.add_node(labels[i], **attrs)
        if stats.starts[i] >= min_count:
            g.add_edge(START, labels[i], count=int(stats.starts[i]),
                       probability=float(stats.starts[i] / max(stats.n_cases, 1)))
        for end, count in ((SUCCESS, stats.ends_success[i]), (DROP, drops[i])):
            if count >= min_count:
                g.add_edge(labels[i], end, count=int(count),
                           probability=float(count / out_total[i]))
    for i, j in zip(*np.nonzero(stats.transitions >= min_count)):
        if not (keep[i] and keep[j]):
            continue
        count = stats.transitions[i, j]
        attrs = {"count": int(count), "probability": float(count / out_total[i]),
                 "success_share": float(stats.transitions_success[i, j] / count)}
        if timed and stats.wait_count[i, j]:
            attrs.update(time_mean=float(stats.wait_sum[i, j] / stats.wait_count[i, j]),
                         time_min=float(stats.wait_min[i, j]),
                         time_max=float(stats.wait_max[i, j]))
            if median is not None:
                attrs.update(time_median=float(median[i, j]), time_p90=float(p90[i, j]))
        g.add_edge(labels[i], labels[j], **attrs)
    return g
