"""Bottlenecks: where journeys lose time (volume × wait)."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._results import Result, result
from .._stats import quantiles_by_group
from .model import Journeys

__all__ = ["Bottlenecks", "bottlenecks"]


@result
class Bottlenecks(Result):
    """Transitions or touchpoints ranked by the total waiting time they contribute.

    Attributes
    ----------
    steps : ndarray of str
        ``'a -> b'`` (level ``'transition'``) or a touchpoint (time to the next event).
    count : ndarray of int
        Weighted transitions observed.
    total_wait, mean_wait, median_wait, p90_wait : ndarray of float
        Seconds; ``total_wait`` is the weighted sum, the ranking key.
    share_of_wait : ndarray of float
        Share of all waiting time.
    sla_breach : ndarray of float or None
        Weighted share of waits longer than ``sla`` seconds.
    sla : float or None
    """

    steps: np.ndarray
    count: np.ndarray
    total_wait: np.ndarray
    share_of_wait: np.ndarray
    mean_wait: np.ndarray
    median_wait: np.ndarray
    p90_wait: np.ndarray
    sla_breach: np.ndarray | None
    sla: float | None

    def _summary(self):
        hours = self.total_wait.sum() / 3600
        extra = f"; SLA {self.sla:g} s" if self.sla is not None else ""
        return [f"{hours:,.0f} hours of waiting in all; ranked by total wait{extra}"]

    def _columns(self):
        cols = {"step": self.steps, "count": self.count,
                "total_wait_h": self.total_wait / 3600, "share": self.share_of_wait,
                "mean_wait_h": self.mean_wait / 3600, "median_wait_h": self.median_wait / 3600,
                "p90_wait_h": self.p90_wait / 3600}
        if self.sla_breach is not None:
            cols["sla_breach"] = self.sla_breach
        return cols


def bottlenecks(journeys: Journeys, *, sla: float | None = None, level: str = "transition",
                min_count: int = 1) -> Bottlenecks:
    """Rank transitions (or touchpoints) by the waiting time they contribute.

    The wait of a transition ``a -> b`` is the time between the two events; the wait of a
    touchpoint is the time from it to the next event of the case (its dwell). A case of
    weight *w* counts *w* times; quantiles are over observed transitions.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        With timestamps. From :class:`JourneyStats` (e.g. computed on Dask) only the
        totals and means are available: quantiles are NaN and ``sla`` is refused; waits
        are then counted once per observed transition (not weighted).
    sla : float, optional
        Threshold in seconds; reports the share of waits above it.
    level : {'transition', 'touchpoint'}
    min_count : int, default 1
        Leave out steps observed fewer times.

    Returns
    -------
    Bottlenecks

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> from cxpath.journeys import bottlenecks
    >>> bottlenecks(load_sample().journeys).steps[0]
    'escalation -> field_visit'
    """
    from .stats import JourneyStats, _edges

    func = "journeys.bottlenecks"
    if isinstance(journeys, JourneyStats):
        return _from_stats(journeys, sla, level, min_count, func)
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys or JourneyStats", got=type(journeys).__name__)
    if journeys.times is None:
        v.fail("journeys", func, "journeys with timestamps", got="journeys without times")
    v.check_option(level, "level", func, ("transition", "touchpoint"))
    if sla is not None:
        sla = v.check_real(sla, "sla", func, low=0.0, closed="neither")
    min_count = v.check_int(min_count, "min_count", func, low=1)
    n = len(journeys.vocab)
    src, dst, wait, case = _edges(journeys)
    w = journeys.case_weights[case].astype(np.float64)
    key = src * n + dst if level == "transition" else src
    size = n * n if level == "transition" else n
    count = np.bincount(key, weights=w, minlength=size)
    total = np.bincount(key, weights=w * wait, minlength=size)
    q = quantiles_by_group(key, wait, size, [0.5, 0.9])
    breach = None
    if sla is not None:
        breach = np.bincount(key, weights=w * (wait > sla), minlength=size)
    seen = np.flatnonzero(count >= min_count)
    seen = seen[np.argsort(-total[seen], kind="stable")]
    labels = np.asarray(journeys.vocab, dtype=object)
    steps = (np.array([f"{labels[k // n]} -> {labels[k % n]}" for k in seen], dtype=object)
             if level == "transition" else labels[seen])
    return Bottlenecks(steps=steps, count=count[seen].astype(np.int64), total_wait=total[seen],
                       share_of_wait=total[seen] / max(total.sum(), 1e-300),
                       mean_wait=total[seen] / count[seen], median_wait=q[seen, 0],
                       p90_wait=q[seen, 1],
                       sla_breach=None if breach is None else breach[seen] / count[seen],
                       sla=sla)


def _from_stats(stats, sla, level, min_count, func) -> Bottlenecks:
    if not stats.has_times:
        v.fail("journeys", func, "statistics of journeys with timestamps",
               got="statistics without times")
    if sla is not None:
        v.fail("sla", func, "None for JourneyStats (SLA shares need the journeys)", sla)
    v.check_option(level, "level", func, ("transition", "touchpoint"))
    min_count = v.check_int(min_count, "min_count", func, low=1)
    n = stats.n_states
    total, count = stats.wait_sum.ravel(), stats.wait_count.ravel().astype(np.float64)
    if level == "touchpoint":
        total = stats.wait_sum.sum(axis=1)
        count = stats.wait_count.sum(axis=1).astype(np.float64)
    seen = np.flatnonzero(count >= min_count)
    seen = seen[np.argsort(-total[seen], kind="stable")]
    labels = np.asarray(stats.vocab, dtype=object)
    steps = (np.array([f"{labels[k // n]} -> {labels[k % n]}" for k in seen], dtype=object)
             if level == "transition" else labels[seen])
    nan = np.full(len(seen), np.nan)
    return Bottlenecks(steps=steps, count=count[seen].astype(np.int64), total_wait=total[seen],
                       share_of_wait=total[seen] / max(total.sum(), 1e-300),
                       mean_wait=total[seen] / count[seen], median_wait=nan, p90_wait=nan,
                       sla_breach=None, sla=None)
