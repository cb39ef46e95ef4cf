"""Breakpoints (服务断点): the touchpoints and transitions where journeys end without success."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, drawn_by, result
from .._stats import wilson_interval
from .graph import _as_stats
from .model import Journeys

if TYPE_CHECKING:

    from .segments import Segmented
    from .stats import JourneyStats

__all__ = ["Breakpoints", "breakpoints"]


@drawn_by("breakpoints")
@result
class Breakpoints(Result):
    """Steps ranked by the successes their excess drop-offs cost.

    Attributes
    ----------
    steps : ndarray of str
        A touchpoint, or a transition ``'a -> b'``. Success markers (touchpoints where every
        case reaching them ends successfully, such as a ``resolved`` event) are left out.
    kind : ndarray of str
        ``'touchpoint'`` or ``'transition'``.
    cases : ndarray of int
        Cases (weighted) that reached the step.
    dropoffs : ndarray of int
        Of those, cases whose journey ended right there without success.
    dropoff_rate, ci_low, ci_high : ndarray of float
        Drop-off rate with its Wilson interval.
    lift : ndarray of float
        ``dropoff_rate`` over ``expected_rate``.
    excess_dropoffs : ndarray of float
        ``dropoffs - expected_rate * cases``.
    lost_successes : ndarray of float
        ``excess_dropoffs`` times the success rate of the cases that went on past the step:
        the successes the step would have kept at the expected drop-off rate.
    expected_rate : float
        Pooled drop-off rate of all steps of the same kind: all drop-offs over all reaches.
    step : ndarray of str
        ``steps`` under its column name.
    """

    steps: np.ndarray
    kind: np.ndarray
    cases: np.ndarray
    dropoffs: np.ndarray
    dropoff_rate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    lift: np.ndarray
    excess_dropoffs: np.ndarray
    lost_successes: np.ndarray
    expected_rate: float

    _key = "step"
    step = alias("steps")

    def _summary(self):
        return [f"pooled drop-off rate {self.expected_rate:.1%}; ranked by lost successes"]

    def _columns(self):
        return {"step": self.steps, "kind": self.kind, "cases": self.cases,
                "dropoffs": self.dropoffs, "dropoff_rate": self.dropoff_rate,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "lift": self.lift,
                "excess_dropoffs": self.excess_dropoffs, "lost_successes": self.lost_successes}


def _rank(steps, kind, reached, dropped, succeeded_after, continued, confidence):
    expected = dropped.sum() / max(reached.sum(), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = dropped / reached
        go_on_success = np.where(continued > 0, succeeded_after / continued, 0.0)
    lo, hi = wilson_interval(dropped, reached, confidence)
    excess = dropped - expected * reached
    lost = excess * go_on_success
    return dict(steps=steps, kind=kind, cases=reached, dropoffs=dropped, dropoff_rate=rate,
                ci_low=lo, ci_high=hi, lift=rate / expected if expected else rate * np.nan,
                excess_dropoffs=excess, lost_successes=lost), expected


def breakpoints(journeys: Journeys | JourneyStats, *, level: str = "touchpoint",
                min_cases: int = 1, confidence: float = 0.95, by: str | None = None,
                _markers: np.ndarray | None = None) -> Breakpoints | Segmented:
    """Rank where journeys end without success more often than expected.

    A case *drops off at* touchpoint ``t`` when its last event is ``t`` and it did not
    succeed; at transition ``a -> b`` when its last two events are ``a, b`` and it did not
    succeed. A step's drop-off rate is drop-offs over the cases that reached it (cases, not
    visits). The expected rate pools all steps of the level. Steps are ranked by lost
    successes: excess drop-offs times the success rate of the cases that continued past the
    step (cases reaching it that did not end there); ties by excess drop-offs, and steps
    without any drop-off come last.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        Needs an outcome. Transitions need :class:`Journeys`.
    level : {'touchpoint', 'transition'}
    min_cases : int, default 1
        Leave out steps reached by fewer cases.
    confidence : float, default 0.95
        Level of the Wilson intervals.
    by : str, optional
        Drill down by a case attribute (product, priority, region …): the analysis runs
        on the cases of each segment and returns a
        :class:`~cxpath.journeys.segments.Segmented` (one table, the segment first).

    Returns
    -------
    Breakpoints, or Segmented of Breakpoints with ``by``

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.journeys import breakpoints
    >>> breakpoints(load_sample().journeys).steps[0]
    'chatbot'
    """
    func = "journeys.breakpoints"
    v.check_option(level, "level", func, ("touchpoint", "transition"))
    min_cases = v.check_int(min_cases, "min_cases", func, low=1)
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if isinstance(journeys, Journeys) and journeys.outcome is None:
        v.fail("journeys", func, "journeys with an outcome (outcome= or success=)",
               got="journeys without outcome")
    if by is not None:
        from .segments import by_case_segment

        # success markers are judged on all cases, so that segments add up to the whole
        markers = _success_markers(_as_stats(journeys, func)[0])
        return by_case_segment(journeys, by, func, lambda sub: breakpoints(
            sub, level=level, min_cases=min_cases, confidence=confidence, _markers=markers))
    labels = None
    if level == "touchpoint":
        stats, _ = _as_stats(journeys, func)
        markers = _success_markers(stats) if _markers is None else _markers
        steps = np.flatnonzero((stats.reach > 0) & ~markers)
        labels = np.asarray(stats.vocab, dtype=object)[steps]
        dropped = (stats.ends - stats.ends_success)[steps]
        continued = (stats.reach - stats.ends)[steps]
        succeeded_after = (stats.reach_success - stats.ends_success)[steps]
        table, expected = _rank(labels, np.full(len(labels), "touchpoint", dtype=object),
                                stats.reach[steps], dropped, succeeded_after, continued,
                                confidence)
    else:
        if not isinstance(journeys, Journeys):
            v.fail("journeys", func, "a Journeys object for level='transition'",
                   got=type(journeys).__name__)
        table, expected = _transition_table(journeys, confidence)
    keep = np.flatnonzero(table["cases"] >= min_cases)
    # a step without drop-offs is never a breakpoint: it ranks after every step with some,
    # whatever its lost successes; ties go to the larger excess of drop-offs, then the name
    order = keep[np.lexsort((table["steps"][keep].astype(str),
                             -table["excess_dropoffs"][keep],
                             -table["lost_successes"][keep],
                             table["dropoffs"][keep] == 0))]
    return Breakpoints(**{k: x[order] for k, x in table.items()}, expected_rate=expected)


def _success_markers(stats) -> np.ndarray:
    """Touchpoints every case reaching ends at successfully (e.g. a 'resolved' event): they
    cannot be breakpoints and would dilute the pooled rate."""
    return (stats.reach > 0) & (stats.ends_success >= stats.reach)


def _transition_table(journeys: Journeys, confidence):
    from .stats import _edges, case_facts, compact_keys, transition_names

    n = len(journeys.vocab)
    facts = case_facts(journeys)
    w, ok = facts["weight"], facts["success"]
    src, dst, _, case = _edges(journeys)
    keys, edge = compact_keys(src * n + dst, n * n)  # observed transitions only
    m = len(keys)
    # cases having each transition (once per case), and those of them successful
    pair = np.unique(case * max(m, 1) + edge)
    pc, pk = pair // max(m, 1), pair % max(m, 1)
    reached = np.bincount(pk, weights=w[pc], minlength=m)
    reached_s = np.bincount(pk, weights=(w * ok)[pc], minlength=m)
    longer = journeys.lengths >= 2
    last_edge = np.full(len(w), -1)
    idx = journeys.offsets[1:][longer]
    # a case's last transition is among the observed ones: find its position
    last_edge[longer] = np.searchsorted(keys, journeys.codes[idx - 2] * n
                                        + journeys.codes[idx - 1])
    ended = last_edge >= 0
    dropped = np.bincount(last_edge[ended & ~ok], weights=w[ended & ~ok], minlength=m)
    ended_all = np.bincount(last_edge[ended], weights=w[ended], minlength=m)
    ended_s = np.bincount(last_edge[ended & ok], weights=w[ended & ok], minlength=m)
    seen = np.flatnonzero(reached > 0)
    steps = transition_names(journeys.vocab, keys[seen])
    return _rank(steps, np.full(len(seen), "transition", dtype=object),
                 reached[seen].astype(np.int64), dropped[seen].astype(np.int64),
                 (reached_s - ended_s)[seen], (reached - ended_all)[seen], confidence)
