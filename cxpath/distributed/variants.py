"""The most frequent variants of a Dask event log in bounded memory (mergeable summaries)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._results import Result, alias, result
from .stats import (
    check_success_if,
    merge_tallies,
    partition_journeys,
    prepare,
    tree_reduce,
    warn_cleaning,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import dask.dataframe as dd
    from distributed import Client


__all__ = ["TopVariants", "top_variants"]

FUNC = "distributed.top_variants"


@result
class TopVariants(Result):
    """The most frequent paths of a distributed log, with bounds on their counts.

    Counts come from a Misra–Gries summary of at most ``capacity`` paths per partition and
    per merge. ``count_low`` is the number of cases seen on the path while it was tracked
    (never more than the truth); ``count_high`` adds the largest possible undercount, so the
    true count lies in ``[count_low, count_high]``. The undercount never exceeds
    ``n_cases / (capacity + 1)``, so every path followed by more cases than that survives
    the summary. Paths are ranked by ``count_low``: two paths whose intervals overlap may
    be listed in the wrong order, and a path just outside the ``k`` listed can be truly
    larger than the last one listed when their intervals overlap. With ``exact`` (no
    summary ever overflowed) the two bounds are equal and the counts exact.

    Attributes
    ----------
    vocab : tuple of str
    paths : ndarray of str
        ``'a > b > c'``, ranked by ``count_low``.
    count_low, count_high : ndarray of float
        Weighted cases on the path: lower and upper bound.
    success : ndarray of float
        Successful cases among the ``count_low`` counted.
    success_rate : ndarray of float
        ``success / count_low``.
    n_cases : float
        Weighted cases in the whole log (exact).
    capacity : int
    max_undercount : float
        The largest amount by which a count can fall short (0 when exact).
    exact : bool
    path : ndarray of str
        ``paths`` under its column name.
    share_low : ndarray of float
        ``count_low / n_cases``.
    """

    vocab: tuple
    paths: np.ndarray
    count_low: np.ndarray
    count_high: np.ndarray
    success: np.ndarray
    success_rate: np.ndarray
    n_cases: float
    capacity: int
    max_undercount: float
    exact: bool

    path = alias("paths")

    @property
    def share_low(self) -> np.ndarray:
        """``count_low / n_cases``: the lower bound of each path's share of the cases."""
        return self.count_low / self.n_cases

    def _summary(self):
        how = ("exact counts" if self.exact else
               f"counts within {self.max_undercount:,.0f} cases "
               f"(summaries of {self.capacity:,} paths)")
        return [f"top {len(self.paths)} paths of {self.n_cases:,.0f} cases; {how}"]

    def _columns(self):
        return {"path": self.paths, "count_low": self.count_low,
                "count_high": self.count_high, "share_low": self.share_low,
                "success_rate": self.success_rate}


class _Summary:
    """Misra–Gries counters of paths: ``{path key: [count, seen, success]}``.

    ``count`` is decremented when the summary overflows, ``seen`` and ``success`` are not;
    ``undercount`` is the sum of every decrement that could have reached a counter;
    ``cleaning`` tallies the rows cleaning removed or changed.
    """

    __slots__ = ("cleaning", "counters", "n_cases", "undercount")

    def __init__(self, counters: dict, n_cases: float, undercount: float, cleaning: dict):
        self.counters = counters
        self.n_cases = n_cases
        self.undercount = undercount
        self.cleaning = cleaning

    def shrink(self, capacity: int):
        """Keep at most ``capacity`` counters: subtract the (capacity+1)-th largest count."""
        if len(self.counters) <= capacity:
            return self
        counts = np.fromiter((c[0] for c in self.counters.values()), dtype=np.float64,
                             count=len(self.counters))
        cut = float(np.partition(counts, len(counts) - capacity - 1)[-capacity - 1])
        self.counters = {key: [c[0] - cut, c[1], c[2]]
                         for key, c in self.counters.items() if c[0] > cut}
        self.undercount += cut
        return self


def _partition_summary(frame, columns: dict, vocab: tuple, success, strict, capacity: int,
                       success_if=None):
    """Exact variant counts of one partition, shrunk to ``capacity`` counters."""
    from ..journeys.variants import distinct_paths

    journeys, tally = partition_journeys(frame, columns, vocab, success, strict, FUNC,
                                         success_if)
    if journeys is None:
        return _Summary({}, 0.0, 0.0, tally)
    rep, group, n_groups = distinct_paths(journeys)
    w = journeys.case_weights.astype(np.float64)
    ok = journeys.outcome if journeys.outcome is not None else np.zeros(len(w), bool)
    counts = np.bincount(group, weights=w, minlength=n_groups)
    wins = np.bincount(group, weights=w * ok, minlength=n_groups)
    cut = 0.0
    keep = np.arange(n_groups)
    if n_groups > capacity:
        cut = float(np.partition(counts, n_groups - capacity - 1)[-capacity - 1])
        keep = np.flatnonzero(counts > cut)
    codes, offsets = journeys.codes.astype(np.int32), journeys.offsets
    counters = {codes[offsets[r]:offsets[r + 1]].tobytes(): [counts[g] - cut, counts[g],
                                                              wins[g]]
                for g, r in zip(keep.tolist(), rep[keep].tolist())}
    return _Summary(counters, float(w.sum()), cut, tally)


def _merge(capacity):
    def merge(*parts):
        counters: dict = {}
        for part in parts:
            for key, (count, seen, wins) in part.counters.items():
                mine = counters.get(key)
                if mine is None:
                    counters[key] = [count, seen, wins]
                else:
                    mine[0] += count
                    mine[1] += seen
                    mine[2] += wins
        merged = _Summary(counters, sum(p.n_cases for p in parts),
                          sum(p.undercount for p in parts),
                          merge_tallies(p.cleaning for p in parts))
        return merged.shrink(capacity)
    return merge


def top_variants(ddf: dd.DataFrame, *, case: str, touchpoint: str, timestamp: str | None = None,
                 outcome: str | None = None, success: Iterable[str] | None = None,
                 success_if: Any = None, k: int = 20,
                 capacity: int | None = None, vocab: Sequence[str] | None = None,
                 partitioned_by_case: bool = False, strict: bool = False,
                 scheduler: str | Client | None = None, split_every: int = 8) -> TopVariants:
    """The ``k`` most frequent paths of a Dask event log, in memory bounded by ``capacity``.

    :func:`journey_stats` keeps every distinct path exactly, which grows with the log. This
    keeps at most ``capacity`` paths per partition and per merge (a mergeable Misra–Gries
    summary; Agarwal et al., 2012) and reports each listed path's count with guaranteed
    bounds. Partitions hold whole cases, as for :func:`journey_stats`.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Long event log, one row per event.
    case, touchpoint, timestamp, outcome : str
        Column names, as in :meth:`Journeys.from_events <cxpath.Journeys.from_events>`.
    success : set of str, optional
        Touchpoints meaning success when they end a case.
    success_if : value, collection of values or callable, optional
        How the ``outcome`` column codes success, as in :func:`journey_stats` (by default
        booleans or 0/1, anything else is an error).
    k : int, default 20
        Paths to report.
    capacity : int, optional
        Paths kept per summary (at least ``k``); default ``max(50 k, 1000)``. The undercount
        is at most ``n_cases / (capacity + 1)``.
    vocab, partitioned_by_case, strict, scheduler, split_every
        As in :func:`journey_stats` (cleaning is reported in one warning).

    Returns
    -------
    TopVariants

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from cxpath.distributed import top_variants
    >>> log = pd.DataFrame({"case": [1, 1, 2, 2, 3], "step": ["a", "b", "a", "b", "c"],
    ...                     "t": [0, 1, 0, 1, 0]})
    >>> top = top_variants(dd.from_pandas(log, npartitions=2), case="case", touchpoint="step",
    ...                    timestamp="t", k=1, scheduler="synchronous")
    >>> top.paths.tolist(), top.count_low.tolist(), top.exact
    (['a > b'], [2.0], True)
    """
    k = v.check_int(k, "k", FUNC, low=1)
    capacity = max(50 * k, 1000) if capacity is None else v.check_int(capacity, "capacity",
                                                                      FUNC, low=k)
    split_every = v.check_int(split_every, "split_every", FUNC, low=2)
    strict = v.check_bool(strict, "strict", FUNC)
    success_if = check_success_if(success_if, outcome, FUNC)
    columns = {"case": case, "touchpoint": touchpoint, "timestamp": timestamp,
               "outcome": outcome}
    ddf, vocab = prepare(ddf, columns, vocab, partitioned_by_case, scheduler, FUNC)
    summary = tree_reduce(ddf, _partition_summary,
                          (columns, vocab, success, strict, capacity, success_if),
                          _merge(capacity), split_every, scheduler)
    warn_cleaning(summary.cleaning, FUNC)
    keys = list(summary.counters)
    seen = np.array([summary.counters[key][1] for key in keys], dtype=np.float64)
    count = np.array([summary.counters[key][0] for key in keys], dtype=np.float64)
    wins = np.array([summary.counters[key][2] for key in keys], dtype=np.float64)
    paths = np.array([" > ".join(vocab[c] for c in np.frombuffer(key, dtype=np.int32))
                      for key in keys], dtype=object)
    order = np.lexsort((paths.astype(str), -seen))[:k]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = wins[order] / seen[order]
    return TopVariants(vocab=vocab, paths=paths[order], count_low=seen[order],
                       count_high=count[order] + summary.undercount, success=wins[order],
                       success_rate=rate, n_cases=summary.n_cases, capacity=capacity,
                       max_undercount=summary.undercount, exact=summary.undercount == 0)
