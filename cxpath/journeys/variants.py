"""Variants: the distinct paths customers take, exactly grouped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, derived_columns, duration_columns, result
from .._stats import quantiles_by_group
from .model import Journeys

if TYPE_CHECKING:
    from ..calendar import BusinessCalendar
    from .segments import Segmented
    from .stats import JourneyStats

__all__ = ["Variants", "distinct_paths", "variants"]


def distinct_paths(journeys: Journeys):
    """Group cases by their exact touchpoint sequence.

    Returns ``(representative, group, n_groups)``: a representative case per group, the group
    of every case, and the number of groups. Cases are hashed (64-bit) and every case is then
    compared with its group's representative, so a hash collision can never merge two
    different paths: colliding cases are split into groups of their own.
    """
    return group_paths(journeys.codes, journeys.offsets)


def group_paths(codes: np.ndarray, offsets: np.ndarray):
    """:func:`distinct_paths` over any CSR arrays (codes, offsets).

    Groups are numbered in order of first appearance (cases split off by a hash collision
    included), so ``representative`` increases.
    """
    return _hashed_groups(codes, offsets)[:3]


def _hashed_groups(codes: np.ndarray, offsets: np.ndarray, parts: int | None = None):
    """:func:`group_paths` and the groups' hashes (``None`` without cases), on ``parts``
    threads (default: as many as the journeys' size allows, :func:`~.stats._parts`)."""
    from .._kernels._jit import by_work
    from .._kernels.paths import case_hashes
    from .stats import INTERPRETED_EVENTS, _parts

    if len(offsets) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0, None
    parts = _parts(len(codes)) if parts is None else parts
    group, rep, hashes = path_groups(codes, offsets, parts)
    odd = np.flatnonzero(group < 0)
    if len(odd):  # hash collision: regroup the odd ones exactly
        extra: dict = {}
        odd_hashes = by_work(case_hashes, len(codes), INTERPRETED_EVENTS)(codes, offsets)[odd]
        for case, h in zip(odd.tolist(), odd_hashes):
            key = codes[offsets[case]:offsets[case + 1]].tobytes()
            if key not in extra:
                extra[key] = len(rep)
                rep, hashes = np.append(rep, case), np.append(hashes, h)
            group[case] = extra[key]
        # number the split-off groups among the others, by first appearance
        order = np.argsort(rep, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        group, rep, hashes = rank[group], rep[order], hashes[order]
    return rep, group, len(rep), hashes


def path_groups(codes: np.ndarray, offsets: np.ndarray, parts: int = 1):
    """Group cases by their code sequence, numbered by first appearance, on ``parts``
    threads (the same numbers on any count).

    Exact, with no per-case array but the hashes and groups: hash every case
    (:func:`~cxpath._kernels.paths.hashes_into`, by case range), group equal hashes in
    open-addressing tables (O(n) expected, against the O(n log n) sort of
    ``numpy.unique``; :func:`~cxpath._kernels.paths.hash_groups`, one table per hash part,
    each numbered by first appearance in its part), merge the parts' numberings by first
    case (:func:`~cxpath._kernels.paths.merge_firsts`), then renumber and compare every case,
    code by code, with its group's first case (:func:`~cxpath._kernels.paths.check_groups`,
    by case range). Returns ``(group, first, group_hash)``; a case whose hash is a group's
    but whose codes differ (a 64-bit collision) gets group -1. On one thread, small jobs
    run the kernels interpreted while they are not compiled
    (:func:`~.stats.kernel_runner`).
    """
    from .._kernels.paths import check_groups, hash_groups, hashes_into, merge_firsts
    from .stats import _on_threads, _split, kernel_runner

    run = kernel_runner(parts, len(codes))
    n = len(offsets) - 1
    hashes = np.empty(n, dtype=np.uint64)
    group = np.empty(n, dtype=np.int64)
    ranges = _split(offsets, parts)
    _on_threads(lambda _, lo, hi: run(hashes_into)(codes, offsets, lo, hi, hashes), ranges)
    firsts = _on_threads(lambda part, _lo, _hi: run(hash_groups)(hashes, part, parts, group),
                         np.arange(parts + 1))
    if parts == 1:
        first = firsts[0]
        rank = bounds = np.zeros(0, dtype=np.int64)
    else:
        bounds = np.zeros(parts + 1, dtype=np.int64)
        np.cumsum([len(f) for f in firsts], out=bounds[1:])
        first, rank = merge_firsts(np.concatenate(firsts), bounds)
    _on_threads(lambda _, lo, hi: run(check_groups)(codes, offsets, hashes, lo, hi, parts,
                                                    rank, bounds, first, group), ranges)
    return group, first, hashes[first]


RADIX_GROUPS = 1 << 16
"""From this many distinct paths on, :func:`canonical_order` orders them by the O(n) radix
kernel; fewer go by ``numpy.lexsort`` (same order; nothing to compile in a fresh process)."""


def canonical_order(codes: np.ndarray, offsets: np.ndarray, parts: int | None = None):
    """Like :func:`group_paths`, with groups numbered in a content-based order (grouped on
    ``parts`` threads, as :func:`_hashed_groups`).

    Groups are ordered by (path length, path hash), which depends only on the paths, so
    statistics built from any partition of the cases list their variants identically.
    Returns ``(first, rank, group, n)``: ``first`` the first case of each group in order of
    first appearance, ``rank`` those groups' numbers in the content-based order, ``group``
    every case's content-based number.
    """
    from .._kernels.paths import length_hash_order

    rep, group, n, hashes = _hashed_groups(codes, offsets, parts)
    if n == 0:
        return rep, np.zeros(0, dtype=np.int64), group, n
    lengths = offsets[rep + 1] - offsets[rep]
    order = (length_hash_order(lengths, hashes) if n >= RADIX_GROUPS
             else np.lexsort((hashes, lengths)))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rep, rank, rank[group], n


@result
class Variants(Result):
    """Distinct paths ranked by weighted case count.

    Attributes
    ----------
    vocab : tuple of str
    path_codes, path_offsets : ndarray of int
        The variants' touchpoint codes in CSR layout, in rank order; ``paths`` (the labels
        joined with ``' > '``) and ``path(i)`` are built from them on demand.
    lengths, counts, success : ndarray of int
        Path length, weighted cases and weighted successful cases.
    share, success_rate : ndarray of float
    median_duration, p90_duration : ndarray of float
        Seconds from first to last event over the variant's cases (NaN without times;
        quantiles are over cases, not weighted).
    n_cases, n_variants : int
        Weighted cases in all, and distinct paths in all (before ``top``).
    clock : str
        ``'elapsed time'``, or the business calendar the durations were measured on.
    length, cases, median_duration_s, p90_duration_s : ndarray
        ``lengths``, ``counts``, ``median_duration`` and ``p90_duration`` (seconds) under
        their column names.
    """

    vocab: tuple
    path_codes: np.ndarray
    path_offsets: np.ndarray
    lengths: np.ndarray
    counts: np.ndarray
    share: np.ndarray
    success: np.ndarray
    success_rate: np.ndarray
    median_duration: np.ndarray
    p90_duration: np.ndarray
    n_cases: int
    n_variants: int
    clock: str = "elapsed time"

    _duration_columns = duration_columns(median_duration_s=1.0, p90_duration_s=1.0)
    _derived = derived_columns({"path": "the variant as ``'a > b > c'``: ``paths`` (and "
                                        "``path(i)`` for variant ``i``)"})
    length = alias("lengths")
    cases = alias("counts")
    median_duration_s = alias("median_duration")
    p90_duration_s = alias("p90_duration")

    def path(self, i: int) -> str:
        """Variant ``i`` as ``'a > b > c'``."""
        i = v.check_int(i, "i", "Variants.path", low=-len(self.counts),
                        high=len(self.counts) - 1)
        i %= max(len(self.counts), 1)
        codes = self.path_codes[self.path_offsets[i]:self.path_offsets[i + 1]]
        return " > ".join(self.vocab[c] for c in codes)

    @property
    def paths(self) -> np.ndarray:
        """Every variant as a string (built on access)."""
        return np.array([self.path(i) for i in range(len(self.counts))], dtype=object)

    def __repr__(self):
        head = Variants(vocab=self.vocab, path_codes=self.path_codes,
                        path_offsets=self.path_offsets[:11], lengths=self.lengths[:10],
                        counts=self.counts[:10], share=self.share[:10],
                        success=self.success[:10], success_rate=self.success_rate[:10],
                        median_duration=self.median_duration[:10],
                        p90_duration=self.p90_duration[:10], n_cases=self.n_cases,
                        n_variants=self.n_variants, clock=self.clock)
        text = Result.__repr__(head).replace(f"({len(head.counts)} rows)",
                                             f"({len(self.counts)} rows)")
        more = len(self.counts) - len(head.counts)
        return text + (f"\n… {more:,} more rows" if more > 0 else "")

    def _summary(self):
        lines = [f"{self.n_variants:,} distinct paths over {self.n_cases:,} cases; the "
                 f"{len(self.paths)} shown cover {self.share.sum():.1%}"]
        if self.clock != "elapsed time":
            lines.append(f"durations on {self.clock}")
        return lines

    def _columns(self):
        return {"path": self.paths, "length": self.lengths, "cases": self.counts,
                "share": self.share, "success_rate": self.success_rate,
                "median_duration_s": self.median_duration, "p90_duration_s": self.p90_duration}


def variants(journeys: Journeys | JourneyStats, top: int | None = None, *,
             by: str | None = None,
             calendar: BusinessCalendar | None = None) -> Variants | Segmented:
    """Rank the distinct paths (variants) of ``journeys``.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        From :class:`JourneyStats` the durations are not available (NaN).
    top : int, optional
        Keep the ``top`` most frequent variants (ties broken by path order).
    by : str, optional
        Drill down by a case attribute (product, priority, region …): the analysis runs
        on the cases of each segment and returns a
        :class:`~cxpath.journeys.segments.Segmented` (one table, the segment first).
    calendar : cxpath.calendar.BusinessCalendar, optional
        Measure the times in business seconds on this calendar (naive journeys are read
        as local time in its zone); the result's ``clock`` says which clock was used.

    Returns
    -------
    Variants, or Segmented of Variants with ``by``

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import variants
    >>> j = Journeys.from_paths(["a > b", "a", "a > b"], conversions=[1, 0, 2],
    ...                         nulls=[0, 5, 1])
    >>> variants(j).to_frame("dict")["path"].tolist()
    ['a', 'a > b']
    """
    from .stats import JourneyStats, _gather_paths, _parts, alongside, check_calendar, clock_name

    func = "journeys.variants"
    if top is not None:
        top = v.check_int(top, "top", func, low=1)
    calendar = check_calendar(calendar, func)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func,
                               lambda sub: variants(sub, top, calendar=calendar))
    clock = "elapsed time"
    quantiles = None  # the duration quantiles per variant, when there are times
    if isinstance(journeys, JourneyStats):
        if calendar is not None:
            v.fail("calendar", func, "None for JourneyStats (business time needs the "
                   "journeys)", calendar)
        stats = journeys
        labels = stats.vocab
        counts, success = stats.variant_counts, stats.variant_success
        offsets, codes = stats.variant_offsets, stats.variant_codes
        rows = np.arange(len(counts))
    elif isinstance(journeys, Journeys):
        labels = journeys.vocab
        rep, group, n_groups = distinct_paths(journeys)
        w = journeys.case_weights
        ok = journeys.outcome if journeys.outcome is not None else np.zeros(len(w), bool)
        counts = np.bincount(group, weights=w, minlength=n_groups).astype(np.int64)
        success = np.bincount(group, weights=w * ok, minlength=n_groups).astype(np.int64)
        offsets, codes, rows = journeys.offsets, journeys.codes, rep
        if journeys.times is not None:
            from .stats import case_durations

            clock = clock_name(journeys, calendar)

            def quantiles():
                return quantiles_by_group(group, case_durations(journeys, calendar),
                                          n_groups, [0.5, 0.9])
    else:
        v.fail("journeys", func, "a Journeys or JourneyStats",
               got=type(journeys).__name__)
    parts = _parts(len(codes))

    def ranked(threads):
        # rank by count; ties keep the order of first appearance (the first case of each
        # variant from journeys, the stored content-based order from statistics): groups
        # are numbered in that order, so a stable sort suffices
        order = np.argsort(-counts, kind="stable")
        if top is not None:
            order = order[:top]
        return order, _gather_paths(codes, offsets, rows[order], threads)

    if quantiles is None:
        order, (path_codes, path_offsets) = ranked(parts)
        median = p90 = np.full(len(counts), np.nan)
    else:  # the quantiles on a thread of their own beside the ranking (on several threads)
        q, (order, (path_codes, path_offsets)) = alongside(
            len(codes), quantiles, lambda: ranked(max(1, parts - 1)))
        median, p90 = q[:, 0], q[:, 1]
    total = int(counts.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = success / counts
    return Variants(vocab=tuple(labels), path_codes=path_codes, path_offsets=path_offsets,
                    lengths=np.diff(path_offsets), counts=counts[order],
                    share=counts[order] / max(total, 1), success=success[order],
                    success_rate=rate[order], median_duration=median[order],
                    p90_duration=p90[order], n_cases=total, n_variants=len(counts),
                    clock=clock)
