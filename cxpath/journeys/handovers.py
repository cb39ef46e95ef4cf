"""Hand-over of work and working together between resources, teams or departments.

Social-network analysis of who passes work to whom (van der Aalst, Reijers and Song 2005,
"Discovering social networks from event logs"; pm4py's ``discover_handover_of_work_network``
and ``discover_working_together_network``), with the waiting time each hand-over costs
and the workload of every resource, for any categorical event attribute.

Examples
--------
>>> from cxpath import Journeys
>>> from cxpath.journeys.handovers import handovers
>>> j = Journeys.from_events(case=[1, 1, 1, 2, 2], touchpoint=list("abcab"),
...                          timestamp=[0, 60, 180, 0, 30], resource=list("xyxxy"))
>>> h = handovers(j)
>>> h.source.tolist(), h.target.tolist(), h.count.tolist()
(['x', 'y'], ['y', 'x'], [2, 1])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, duration_columns, in_hours, result
from .._stats import quantiles_by_group
from .model import Journeys
from .stats import (
    check_calendar,
    clock_name,
    service_times,
    transition_index,
    transition_waits,
)

if TYPE_CHECKING:
    import networkx as nx

    from ..calendar import BusinessCalendar
    from .segments import Segmented

__all__ = ["Handovers", "Workload", "WorkingTogether", "handovers"]

FUNC = "journeys.handovers"


def _hours(x):
    return None if x is None else x / 3600


@result
class Workload(Result):
    """Work done by each resource (or team), busiest first.

    Attributes
    ----------
    attribute : str
        The event attribute analysed (``'resource'``, a team …).
    resource : ndarray of str
        The values of ``attribute`` that occur in the journeys (resources, teams …).
    events : ndarray of int
        Events the resource performed (a case of weight *w* counts *w* times).
    cases : ndarray of int
        Cases the resource worked on (weighted).
    share_of_events : ndarray of float
        Share of all events that have a value of the attribute.
    handed_out, handed_in : ndarray of int
        Hand-overs from and to the resource (the ones counted in :class:`Handovers`, before
        ``min_count``).
    total_service, mean_service, median_service, p90_service : ndarray of float or None
        Service time (start to completion) of its events in seconds, for activity
        instances; None for logs of instants. ``mean_service`` is weighted, the quantiles
        are over observed events.
    total_service_h, mean_service_h, median_service_h, p90_service_h : ndarray or None
        The service times in hours (the table's columns).
    """

    attribute: str
    resource: np.ndarray
    events: np.ndarray
    cases: np.ndarray
    share_of_events: np.ndarray
    handed_out: np.ndarray
    handed_in: np.ndarray
    total_service: np.ndarray | None = None
    mean_service: np.ndarray | None = None
    median_service: np.ndarray | None = None
    p90_service: np.ndarray | None = None

    _duration_columns = duration_columns(total_service_h=3600.0, mean_service_h=3600.0,
                                         median_service_h=3600.0, p90_service_h=3600.0)
    _derived = derived_columns({"{attribute}": "``resource``; the first column is named "
                                               "after the attribute analysed"})
    total_service_h = in_hours("total_service")
    mean_service_h = in_hours("mean_service")
    median_service_h = in_hours("median_service")
    p90_service_h = in_hours("p90_service")

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{attribute}"] if column == self.attribute else None

    def _title(self) -> str:
        return f"Workload by {self.attribute}"

    def _columns(self) -> dict:
        cols = {self.attribute: self.resource, "events": self.events, "cases": self.cases,
                "share_of_events": self.share_of_events, "handed_out": self.handed_out,
                "handed_in": self.handed_in}
        if self.total_service is not None:
            cols.update(total_service_h=self.total_service_h,
                        mean_service_h=self.mean_service_h,
                        median_service_h=self.median_service_h,
                        p90_service_h=self.p90_service_h)
        return cols


@result
class WorkingTogether(Result):
    """Pairs of resources (or teams) that work on the same cases, most shared cases first.

    Attributes
    ----------
    attribute : str
    first, second : ndarray of str
        The two resources of a pair (an unordered pair, ``first`` before ``second`` in label
        order; the relation is symmetric).
    cases : ndarray of int
        Cases in which both performed at least one event (weighted).
    share : ndarray of float
        ``cases / n_cases``: pm4py's working-together value of both ``(first, second)`` and
        ``(second, first)`` on an event log object (on a pandas DataFrame pm4py divides by
        the number of events instead, ``cases / n_events``).
    n_cases : int
        Cases analysed (weighted), the denominator of ``share``.
    n_events : int
        Events analysed (weighted).
    """

    attribute: str
    first: np.ndarray
    second: np.ndarray
    cases: np.ndarray
    share: np.ndarray
    n_cases: int
    n_events: int

    _key = ("first", "second")

    def _title(self) -> str:
        return f"Working together by {self.attribute}"

    def _summary(self):
        return [f"{len(self.cases):,} pairs of {self.attribute} values sharing cases, "
                f"out of {self.n_cases:,} cases"]

    def _columns(self) -> dict:
        return {"first": self.first, "second": self.second, "cases": self.cases,
                "share": self.share}

    @property
    def graph(self) -> nx.Graph:
        """Undirected :class:`networkx.Graph`: an edge per pair with ``cases`` and ``share``."""
        import networkx as nx

        g = nx.Graph(kind="working_together", attribute=self.attribute)
        for a, b, c, s in zip(self.first.tolist(), self.second.tolist(), self.cases.tolist(),
                              self.share.tolist()):
            g.add_edge(a, b, cases=int(c), share=float(s))
        return g


@result
class Handovers(Result):
    """Hand-overs of work between resources (or teams), most frequent first.

    Attributes
    ----------
    attribute : str
        The event attribute analysed.
    source, target : ndarray of str
        Who handed the work over and who took it up.
    count : ndarray of int
        Hand-overs ``source -> target`` (every occurrence; a case of weight *w* counts *w*
        times).
    cases : ndarray of int
        Cases with at least one such hand-over (weighted).
    share : ndarray of float
        Share of all hand-overs counted (``count / n_handovers``).
    probability : ndarray of float
        Share of the source's hand-overs that go to this target (its outgoing hand-overs
        sum to 1 before ``min_count``).
    total_wait, mean_wait, median_wait, p90_wait : ndarray of float
        Waiting time at the hand-over in seconds: from the source's event to the target's
        (for activity instances from the source's completion to the target's start, 0
        where they overlap). ``total_wait`` and ``mean_wait`` are weighted, the quantiles
        are over observed hand-overs. NaN for journeys without timestamps.
    total_wait_h, mean_wait_h, median_wait_h, p90_wait_h : ndarray of float
        The same in hours (the table's columns; ``to_frame()`` gives timedeltas).
    working_together : WorkingTogether
        Pairs of resources working on the same cases.
    workload : Workload
        Events, cases, hand-overs and service times of each resource.
    n_transitions : int
        Consecutive pairs of events within cases (weighted).
    n_handovers : int
        Hand-overs counted (self-hand-overs included only with ``include_self``).
    n_self : int
        Consecutive events with the same value: the same resource carries on.
    n_unassigned : int
        Events without a value of the attribute (weighted). They are left out of the
        workload and break the chain: no hand-over is counted into or out of them.
    n_broken : int
        Consecutive pairs not counted because one of the two events has no value.
    include_self : bool
    min_count : int
    """

    attribute: str
    source: np.ndarray
    target: np.ndarray
    count: np.ndarray
    cases: np.ndarray
    share: np.ndarray
    probability: np.ndarray
    total_wait: np.ndarray
    mean_wait: np.ndarray
    median_wait: np.ndarray
    p90_wait: np.ndarray
    working_together: WorkingTogether
    workload: Workload
    n_transitions: int
    n_handovers: int
    n_self: int
    n_unassigned: int
    n_broken: int
    include_self: bool = False
    min_count: int = 1
    clock: str = "elapsed time"

    _duration_columns = duration_columns(total_wait_h=3600.0, mean_wait_h=3600.0,
                                         median_wait_h=3600.0, p90_wait_h=3600.0)
    _key = ("source", "target")
    total_wait_h = in_hours("total_wait")
    mean_wait_h = in_hours("mean_wait")
    median_wait_h = in_hours("median_wait")
    p90_wait_h = in_hours("p90_wait")

    def _title(self) -> str:
        return f"Handovers between {self.attribute} values"

    def _summary(self):
        rate = self.n_handovers / self.n_transitions if self.n_transitions else float("nan")
        lines = [f"{self.n_handovers:,} hand-overs between {len(self.workload.resource):,} "
                 f"{self.attribute} values in {self.n_transitions:,} transitions "
                 f"({rate:.1%}); {self.n_self:,} times the same {self.attribute} carried on"
                 f" ({'counted' if self.include_self else 'not counted'})"]
        if self.n_unassigned:
            lines.append(f"{self.n_unassigned:,} events without a {self.attribute}: "
                         f"{self.n_broken:,} transitions into or out of them not counted")
        if self.min_count > 1:
            lines.append(f"pairs seen fewer than {self.min_count} times left out")
        if self.clock != "elapsed time":
            lines.append(f"waits and service times on {self.clock}")
        return lines

    def _columns(self) -> dict:
        return {"source": self.source, "target": self.target, "count": self.count,
                "cases": self.cases, "share": self.share, "probability": self.probability,
                "total_wait_h": self.total_wait_h, "mean_wait_h": self.mean_wait_h,
                "median_wait_h": self.median_wait_h, "p90_wait_h": self.p90_wait_h}

    @property
    def graph(self) -> nx.DiGraph:
        """The hand-over network as a :class:`networkx.DiGraph`.

        Nodes are the attribute's values with the :class:`Workload` columns as attributes
        (``events``, ``cases``, ``share_of_events``, ``handed_out``, ``handed_in`` and the
        service times in seconds when present); edges are the hand-overs with ``count``,
        ``cases``, ``share``, ``probability`` and the waiting times in seconds. Graph
        attributes: ``kind='handovers'`` and ``attribute``. Export it with
        :func:`~cxpath.journeys.to_dot`, :func:`~cxpath.journeys.to_mermaid` or
        :func:`~cxpath.journeys.to_graphml`.
        """
        import networkx as nx

        g = nx.DiGraph(kind="handovers", attribute=self.attribute)
        wl = self.workload
        node_cols = {"events": wl.events, "cases": wl.cases,
                     "share_of_events": wl.share_of_events, "handed_out": wl.handed_out,
                     "handed_in": wl.handed_in}
        if wl.total_service is not None:
            node_cols.update(total_service=wl.total_service, mean_service=wl.mean_service,
                             median_service=wl.median_service, p90_service=wl.p90_service)
        node_cols = {k: x.tolist() for k, x in node_cols.items()}
        for i, name in enumerate(wl.resource.tolist()):
            g.add_node(name, **{k: x[i] for k, x in node_cols.items()})
        edge_cols = {"count": self.count, "cases": self.cases, "share": self.share,
                     "probability": self.probability, "total_wait": self.total_wait,
                     "mean_wait": self.mean_wait, "median_wait": self.median_wait,
                     "p90_wait": self.p90_wait}
        edge_cols = {k: x.tolist() for k, x in edge_cols.items()}
        for i, (a, b) in enumerate(zip(self.source.tolist(), self.target.tolist())):
            g.add_edge(a, b, **{k: x[i] for k, x in edge_cols.items()})
        return g


def handovers(journeys: Journeys, attribute: str = "resource", *, by: str | None = None,
              include_self: bool = False, min_count: int = 1,
              calendar: BusinessCalendar | None = None) -> Handovers | Segmented:
    """Hand-overs of work, working together and workload of resources (or teams).

    Within a case, two consecutive events whose ``attribute`` values differ, ``a`` then
    ``b``, are a hand-over of work from ``a`` to ``b``; every occurrence counts, and a case
    of weight *w* counts *w* times. Two consecutive events of the same value are not a
    hand-over (the same resource carries on; counted in ``n_self``) unless
    ``include_self=True``. Two values *work together* when both perform an event in the
    same case (counted once per case, symmetric).

    An event without a value (a missing resource) is left out of the workload and breaks
    the chain: the transitions into and out of it are not hand-overs (so ``a -> ? -> b``
    is not counted as ``a -> b``); both numbers are reported (``n_unassigned``,
    ``n_broken``), never dropped silently.

    Parameters
    ----------
    journeys : Journeys
        Carrying ``attribute`` as a categorical event attribute (``resource=`` of
        :meth:`~cxpath.journeys.Journeys.from_events`, or any of its ``event_attributes``:
        a team, a department …). Timestamps are optional; without them the waiting times
        are NaN.
    attribute : str, default 'resource'
        The event attribute whose values hand work over.
    by : str, optional
        Drill down by a case attribute (product, priority …): the analysis of the cases of
        each segment, as a :class:`~cxpath.journeys.segments.Segmented` whose counts add up
        to the whole.
    include_self : bool, default False
        Count consecutive events of the same value as (self-)hand-overs ``a -> a``, as
        pm4py's hand-over network does.
    min_count : int, default 1
        Leave out hand-over pairs (and working-together pairs) seen fewer times.
    calendar : cxpath.calendar.BusinessCalendar, optional
        Measure the times in business seconds on this calendar (naive journeys are read
        as local time in its zone); the result's ``clock`` says which clock was used.

    Returns
    -------
    Handovers, or Segmented of Handovers with ``by``
        ``to_frame()`` gives the hand-over table; ``.working_together`` and ``.workload``
        are results with their own tables; ``.graph`` is the hand-over network.

    Raises
    ------
    InvalidParameterError
        If ``attribute`` is not a categorical event attribute of the journeys, or another
        argument is out of range.

    Notes
    -----
    pm4py's ``discover_handover_of_work_network`` (``beta=0``) counts every directly
    following pair of resources, self-hand-overs included, and divides each count by the
    number of such pairs: with ``include_self=True`` and no missing resources its value of
    ``(a, b)`` is ``share``. Its ``discover_working_together_network`` counts, for every
    ordered pair of distinct resources of a case, the case once, divided by the number of
    cases for an event log object and by the number of *events* (rows) for a pandas
    DataFrame: ``WorkingTogether.share`` is the former, ``cases / n_events`` the latter.

    References
    ----------
    W. M. P. van der Aalst, H. A. Reijers, M. Song (2005). Discovering social networks
    from event logs. *Computer Supported Cooperative Work* 14(6), 549–593.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys.handovers import handovers
    >>> j = Journeys.from_events(
    ...     case=[1, 1, 1, 2, 2, 2], touchpoint=["log", "fix", "close"] * 2,
    ...     timestamp=[0, 3600, 5400, 0, 7200, 7260],
    ...     resource=["desk", "tech", "desk", "desk", "tech", "tech"])
    >>> h = handovers(j)
    >>> h.to_frame("dict")["source"].tolist(), h.count.tolist(), h.mean_wait.tolist()
    (['desk', 'tech'], [2, 1], [5400.0, 1800.0])
    >>> h.working_together.cases.tolist(), h.workload.events.tolist(), h.n_self
    ([2], [3, 3], 1)
    >>> sorted(h.graph.edges(data="count"))
    [('desk', 'tech', 2), ('tech', 'desk', 1)]
    """
    if not isinstance(journeys, Journeys):
        v.fail("journeys", FUNC, "a Journeys object", got=type(journeys).__name__)
    _check_attribute(journeys, attribute)
    include_self = v.check_bool(include_self, "include_self", FUNC)
    min_count = v.check_int(min_count, "min_count", FUNC, low=1)
    calendar = check_calendar(calendar, FUNC)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, FUNC, lambda sub: _analyse(
            sub, attribute, include_self, min_count, calendar))
    return _analyse(journeys, attribute, include_self, min_count, calendar)


def _check_attribute(journeys: Journeys, attribute) -> None:
    if not isinstance(attribute, str):
        v.fail("attribute", FUNC, "the name of a categorical event attribute", attribute)
    if attribute not in journeys.event_attributes:
        if attribute in journeys.case_attributes:
            v.fail("attribute", FUNC, "an event attribute (a case attribute is constant "
                   "within a case, so it never hands work over; use by= to drill down)",
                   got=f"the case attribute {attribute!r}")
        known = ", ".join(map(repr, journeys.event_attributes)) or "none carried"
        v.fail("attribute", FUNC, f"an event attribute of the journeys ({known}; pass "
               "resource= or event_attributes= to Journeys.from_events)", attribute)
    kind = journeys.event_attributes[attribute].kind
    if kind != "category":
        v.fail("attribute", FUNC, "a categorical event attribute",
               got=f"the {kind} attribute {attribute!r}")


def _pair_groups(keys: np.ndarray, size: int):
    """Group ids of ``keys`` (< ``size``) and the key of each group, in key order."""
    if size <= 1 << 22:  # dense: one bincount, no sort
        present = np.bincount(keys, minlength=size) > 0
        group_keys = np.flatnonzero(present)
        lookup = np.cumsum(present) - 1
        return lookup[keys], group_keys
    group_keys, inverse = np.unique(keys, return_inverse=True)
    return inverse.ravel(), group_keys


def _distinct_per_case(case: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """The unique ``case * n_groups + group`` keys (each (case, group) pair once)."""
    if len(case) == 0:
        return np.zeros(0, dtype=np.int64)
    # the keys are ordered by case already: a stable (merging) sort only orders within cases
    key = np.sort(case * np.int64(n_groups) + group, kind="stable")
    return key[np.concatenate(([True], key[1:] != key[:-1]))]


def _analyse(journeys: Journeys, attribute: str, include_self: bool,
             min_count: int, calendar=None) -> Handovers:
    attr = journeys.event_attributes[attribute]
    labels = np.asarray(attr.labels, dtype=object)
    n_res = len(labels)
    codes = attr.values
    w_case = journeys.case_weights
    lengths = journeys.lengths
    n_cases = len(journeys)
    case_of_event = np.repeat(np.arange(n_cases, dtype=np.int64), lengths)
    ev_w = w_case[case_of_event]

    # --- transitions and hand-overs -----------------------------------------------------
    all_idx = transition_index(journeys)
    a, b = codes[all_idx], codes[all_idx + 1]
    all_w = ev_w[all_idx]
    broken = (a < 0) | (b < 0)
    same = (a == b) & ~broken
    keep = ~broken if include_self else ~broken & ~same
    idx, a, b, tw = all_idx[keep], a[keep], b[keep], all_w[keep]
    group, pair_keys = _pair_groups(a * np.int64(n_res) + b, n_res * n_res)
    n_pairs = len(pair_keys)
    count = np.bincount(group, weights=tw, minlength=n_pairs).astype(np.int64)
    distinct = _distinct_per_case(case_of_event[idx], group, n_pairs)
    pair_cases = np.bincount(distinct % max(n_pairs, 1),
                             weights=w_case[distinct // max(n_pairs, 1)],
                             minlength=n_pairs).astype(np.int64)
    src, dst = pair_keys // max(n_res, 1), pair_keys % max(n_res, 1)
    if journeys.times is None:
        nan = np.full(n_pairs, np.nan)
        total_wait, mean_wait, q = nan, nan, np.full((n_pairs, 2), np.nan)
    else:
        wait = transition_waits(journeys, idx, calendar)
        total_wait = np.bincount(group, weights=tw * wait, minlength=n_pairs)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_wait = total_wait / count
        q = quantiles_by_group(group, wait, n_pairs, [0.5, 0.9])
    out_total = np.bincount(src, weights=count, minlength=n_res)
    in_total = np.bincount(dst, weights=count, minlength=n_res)
    n_handovers = int(count.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        probability = count / out_total[src]
        share = count / n_handovers if n_handovers else np.zeros(n_pairs)

    shown = np.flatnonzero(count >= min_count)
    shown = shown[np.argsort(-count[shown], kind="stable")]

    # --- workload -----------------------------------------------------------------------
    present = codes >= 0
    res_p, case_p, w_p = codes[present], case_of_event[present], ev_w[present]
    events = np.bincount(res_p, weights=w_p, minlength=n_res).astype(np.int64)
    res_cases_key = _distinct_per_case(case_p, res_p, n_res)
    res_case_c, res_case_r = res_cases_key // max(n_res, 1), res_cases_key % max(n_res, 1)
    res_cases = np.bincount(res_case_r, weights=w_case[res_case_c],
                            minlength=n_res).astype(np.int64)
    n_assigned = int(events.sum())
    active = np.flatnonzero(np.bincount(res_p, minlength=n_res) > 0)
    active = active[np.argsort(-events[active], kind="stable")]
    service = {}
    svc = service_times(journeys, calendar)
    if svc is not None:
        svc = svc[present]
        s_total = np.bincount(res_p, weights=w_p * svc, minlength=n_res)
        s_q = quantiles_by_group(res_p, svc, n_res, [0.5, 0.9])
        with np.errstate(invalid="ignore", divide="ignore"):
            s_mean = s_total / events
        service = dict(total_service=s_total[active], mean_service=s_mean[active],
                       median_service=s_q[active, 0], p90_service=s_q[active, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        share_ev = events[active] / n_assigned if n_assigned else np.zeros(len(active))
    workload = Workload(attribute=attribute, resource=labels[active], events=events[active],
                        cases=res_cases[active], share_of_events=share_ev,
                        handed_out=out_total[active].astype(np.int64),
                        handed_in=in_total[active].astype(np.int64), **service)

    # --- working together: co-occurrence of values in cases -----------------------------
    together = _working_together(res_case_c, res_case_r, w_case, n_cases, n_res, min_count)
    first, second, t_cases = together
    total_cases = int(w_case.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        t_share = t_cases / total_cases if total_cases else np.zeros(len(t_cases))
    wt = WorkingTogether(attribute=attribute, first=labels[first], second=labels[second],
                         cases=t_cases, share=t_share, n_cases=total_cases,
                         n_events=int(ev_w.sum()))

    return Handovers(
        attribute=attribute, source=labels[src[shown]], target=labels[dst[shown]],
        count=count[shown], cases=pair_cases[shown], share=share[shown],
        probability=probability[shown], total_wait=total_wait[shown],
        mean_wait=mean_wait[shown], median_wait=q[shown, 0], p90_wait=q[shown, 1],
        working_together=wt, workload=workload, n_transitions=int(all_w.sum()),
        n_handovers=n_handovers, n_self=int(all_w[same].sum()),
        n_unassigned=int(ev_w[~present].sum()), n_broken=int(all_w[broken].sum()),
        include_self=include_self, min_count=min_count, clock=clock_name(journeys, calendar))


def _working_together(case, res, w_case, n_cases, n_res, min_count):
    """Unordered pairs ``first < second`` of values sharing cases, and the weighted cases."""
    from scipy import sparse

    if len(case) == 0 or n_res < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    incidence = sparse.csr_matrix((np.ones(len(case), dtype=np.int64), (case, res)),
                                  shape=(n_cases, n_res))
    weighted = sparse.csr_matrix((w_case[case].astype(np.int64), (case, res)),
                                 shape=(n_cases, n_res))
    co = sparse.triu(incidence.T.tocsr() @ weighted, k=1).tocoo()
    first, second, cases = (co.row.astype(np.int64), co.col.astype(np.int64),
                            co.data.astype(np.int64))
    keep = cases >= min_count
    first, second, cases = first[keep], second[keep], cases[keep]
    order = np.lexsort((second, first, -cases))
    return first[order], second[order], cases[order]
