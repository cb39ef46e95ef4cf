"""Mergeable sufficient statistics of a set of journeys: :class:`JourneyStats`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from ..calendar import check_calendar, naive_instants
from ..calendar import clock_name as calendar_clock_name
from ..errors import VocabularyMismatchError
from .model import Journeys, elapsed

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["JourneyStats", "case_durations", "case_facts", "case_spans", "check_calendar",
           "transition_index", "transition_waits"]


def _ro(x: ArrayLike) -> np.ndarray:
    try:
        x = np.ascontiguousarray(x)
    except (TypeError, ValueError) as error:  # ragged or unreadable
        v.fail("arrays", "JourneyStats", "numeric arrays", got=f"{type(error).__name__}: "
               f"{error}", wrong_type=True)
    x.setflags(write=False)
    return x


def _vocab(x: Sequence[str], func: str) -> tuple:
    if isinstance(x, (str, bytes)) or v.ndim(x) != 1:
        v.fail("vocab", func, "a sequence of touchpoint labels", x, wrong_type=True)
    return tuple(str(s) for s in x)


def _stats_vocab(x: Sequence[str]) -> tuple:
    return _vocab(x, "JourneyStats")


def case_facts(journeys: Journeys) -> dict:
    """Per-case arrays the analyses share: weights, success, first/last code, duration."""
    w = journeys.case_weights
    success = journeys.outcome if journeys.outcome is not None else np.zeros(len(journeys),
                                                                           dtype=bool)
    nonempty = journeys.lengths > 0
    if journeys.n_events == 0:  # only empty cases: nothing to index
        first = last = np.full(len(journeys), -1, dtype=np.int64)
    else:
        first = np.where(nonempty, journeys.codes[np.minimum(journeys.offsets[:-1],
                                                             journeys.n_events - 1)], -1)
        last = np.where(nonempty, journeys.codes[np.maximum(journeys.offsets[1:] - 1, 0)], -1)
    return {"weight": w, "success": success, "first": first, "last": last,
            "duration": case_durations(journeys), "nonempty": nonempty}


def case_spans(journeys: Journeys):
    """``(first, last)`` seconds of each non-empty case: its first start and its latest
    completion (for instants, its first and last event). None without times."""
    t = journeys.times
    if t is None:
        return None
    if len(t) == 0:
        return np.zeros(len(journeys)), np.zeros(len(journeys))
    lo = np.minimum(journeys.offsets[:-1], len(t) - 1)
    first = journeys.event_starts[lo]
    if journeys.starts is None:
        last = t[np.maximum(journeys.offsets[1:] - 1, 0)]
    else:  # instances are ordered by start: an earlier one may finish last
        full = journeys.lengths > 0  # reduce over the non-empty cases only: a clipped start
        last = np.zeros(len(journeys))  # of trailing empty cases would cut the one before
        last[full] = np.maximum.reduceat(t, journeys.offsets[:-1][full])
    return first, last


def case_durations(journeys: Journeys, calendar=None) -> np.ndarray | None:
    """Seconds from each case's first event to its last (0 for empty cases; None without
    times). With activity instances: from the first start to the latest completion. On
    ``calendar``, business seconds."""
    spans = case_spans(journeys)
    if spans is None:
        return None
    if calendar is not None:
        span = business_time(journeys, calendar, spans[0], spans[1])
    else:
        span = elapsed(spans[1], spans[0])
    return np.where(journeys.lengths > 0, span, 0.0)


def transition_index(journeys: Journeys) -> np.ndarray:
    """Event positions ``i`` such that events ``i`` and ``i + 1`` are in the same case."""
    if journeys.n_events < 2:
        return np.zeros(0, dtype=np.int64)
    inside = np.ones(journeys.n_events - 1, dtype=bool)
    bounds = journeys.offsets[1:-1]
    inside[bounds[(bounds > 0) & (bounds < journeys.n_events)] - 1] = False
    return np.flatnonzero(inside)


def transition_waits(journeys: Journeys, idx: np.ndarray, calendar=None) -> np.ndarray:
    """Waiting time of the transitions ``idx -> idx + 1`` in seconds.

    For instants, the time between the two events. For activity instances, the time from
    the completion of the first to the start of the second, and 0 when the second started
    before the first completed (they overlap): the rule of pm4py's performance DFG with a
    start timestamp, so overlapping work is never counted as negative waiting. With a
    :class:`~cxpath.calendar.BusinessCalendar`, the business seconds in between.
    """
    if journeys.times is None:
        return np.zeros(len(idx))
    later = journeys.event_starts[idx + 1]
    earlier = journeys.times[idx]
    if calendar is not None:
        return np.maximum(business_time(journeys, calendar, earlier, later), 0.0)
    if journeys.starts is None:
        return elapsed(later, earlier)
    return np.maximum(elapsed(later, earlier), 0.0)


def service_times(journeys: Journeys, calendar=None) -> np.ndarray | None:
    """Start-to-completion seconds of each activity instance (on ``calendar`` if given)."""
    if journeys.starts is None or calendar is None:
        return journeys.service_times
    return business_time(journeys, calendar, journeys.starts, journeys.times)


def business_time(journeys: Journeys, calendar, start: np.ndarray,
                  end: np.ndarray) -> np.ndarray:
    """Business seconds on ``calendar`` between times of ``journeys``.

    Journeys without a time zone hold naive wall-clock times: they are read as local time
    in the calendar's zone (the documented rule; :func:`clock_name` says so in results).
    """
    if journeys.tz is None:
        start, end = naive_instants(calendar, start, end)
    return calendar.business_duration(start, end)


def clock_name(journeys: Journeys, calendar) -> str:
    """The clock a result was measured on, for its summary line."""
    return calendar_clock_name(calendar, journeys.tz is None and journeys.times is not None)


DENSE_KEYS = 1 << 22
"""Key spaces up to this size are compacted by counting (O(space + keys)), larger ones by
sorting (O(keys log keys)): memory stays proportional to the data either way."""


def compact_keys(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct ``keys`` (each in ``[0, space)``) and the position of each key.

    Like ``numpy.unique(keys, return_inverse=True)``; counts instead of sorting when the key
    space is small, so dense fast paths never allocate more than ``DENSE_KEYS`` slots.

    Examples
    --------
    >>> compact_keys(np.array([7, 2, 7]), 10)
    (array([2, 7]), array([1, 0, 1]))
    """
    keys = np.asarray(keys, dtype=np.int64)
    if space <= max(DENSE_KEYS, 4 * len(keys)):
        present = np.bincount(keys, minlength=space) > 0
        unique = np.flatnonzero(present)
        slot = np.cumsum(present) - 1
        return unique, slot[keys]
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, inverse.reshape(-1)


def transition_names(labels: Sequence[str], keys: np.ndarray) -> np.ndarray:
    """``'a -> b'`` for each transition key ``source * len(labels) + target``.

    Examples
    --------
    >>> transition_names(["a", "b"], np.array([1, 2])).tolist()
    ['a -> b', 'b -> a']
    """
    n = max(len(labels), 1)
    return np.array([f"{labels[k // n]} -> {labels[k % n]}" for k in keys.tolist()],
                    dtype=object)


def _kernel_clock(journeys: Journeys) -> tuple[np.ndarray, np.ndarray, bool]:
    """``(times, event_starts, intervals)`` as the journey kernels take them (empty arrays
    without times)."""
    if journeys.times is None:
        return np.zeros(0), np.zeros(0), journeys.starts is not None
    return journeys.times, journeys.event_starts, journeys.starts is not None


def _edges(journeys: Journeys, with_case: bool = True, calendar=None, kernel: bool = True):
    """Source code, target code, wait and case index (or None) of every transition
    (``kernel=False``: by numpy, which compiles nothing)."""
    if calendar is None and kernel:  # one kernel pass
        from .._kernels._jit import by_work
        from .._kernels.journey_counts import transitions

        run = by_work(transitions, journeys.n_events, INTERPRETED_EVENTS)
        src, dst, wait, case = run(journeys.codes, journeys.offsets, *_kernel_clock(journeys),
                                   with_case)
        return src, dst, wait, case if with_case else None
    idx = transition_index(journeys)
    case = None
    if with_case:
        owner = np.repeat(np.arange(len(journeys), dtype=np.int64), journeys.lengths)
        case = owner[idx]
    return (journeys.codes[idx], journeys.codes[idx + 1],
            transition_waits(journeys, idx, calendar), case)


def kernel_runner(parts: int, work: float):
    """How a journey pass calls its kernels on ``parts`` threads for a job of ``work``
    events: on one, through :func:`~cxpath._kernels._jit.by_work` (small jobs interpreted
    while the kernel is not compiled, :data:`INTERPRETED_EVENTS`); on several, compiled
    (passes split only from :data:`PARALLEL_EVENTS` events)."""
    if parts > 1:
        return lambda kern: kern
    from .._kernels._jit import by_work

    return lambda kern: by_work(kern, work, INTERPRETED_EVENTS)


def _gather_paths(codes, offsets, rows, parts: int = 1):
    """The CSR arrays of the paths ``rows`` of (codes, offsets), in that order: their
    offsets, then the rows copied (on ``parts`` threads by row range: the same arrays; on
    one, small jobs run the kernels interpreted while they are not compiled)."""
    from .._kernels.paths import copy_rows, row_offsets

    codes = np.ascontiguousarray(codes)
    offsets = np.ascontiguousarray(offsets, np.int64)
    rows = np.ascontiguousarray(rows, np.int64)
    run = kernel_runner(parts, len(rows) + len(codes))
    new_offsets = run(row_offsets)(offsets, rows)
    out = np.empty(int(new_offsets[-1]), dtype=codes.dtype)
    _on_threads(lambda _, lo, hi: run(copy_rows)(codes, offsets, rows, new_offsets, lo, hi,
                                                 out), _split(new_offsets, parts))
    return out, new_offsets


def _gather_by_length_rank(codes, offsets, first, rank, parts: int = 1):
    """:func:`_gather_paths` of the rows ``first`` (increasing) put in ``rank`` order, an
    order that lists shorter paths first (the canonical variant order, :func:`~.variants.
    canonical_order`): every place follows from the length and the rank, so the rows are
    read in order and written to their places (:func:`~cxpath._kernels.paths.scatter_rows`;
    on ``parts`` threads by row range)."""
    from .._kernels.paths import scatter_rows

    codes = np.ascontiguousarray(codes)
    offsets = np.ascontiguousarray(offsets, np.int64)
    first = np.ascontiguousarray(first, np.int64)
    lengths = offsets[first + 1] - offsets[first]
    per_length = np.bincount(lengths) if len(lengths) else np.zeros(1, dtype=np.int64)
    if parts > 1:  # row ranges of about equal work
        work = np.zeros(len(first) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=work[1:])
        bounds = _split(work, parts)
        del work
    else:
        bounds = np.array([0, len(first)], dtype=np.int64)
    del lengths  # no per-row temporaries beside the output (peak memory)
    rank_start = np.zeros(len(per_length), dtype=np.int64)
    np.cumsum(per_length[:-1], out=rank_start[1:])
    code_start = np.zeros(len(per_length), dtype=np.int64)
    np.cumsum((per_length * np.arange(len(per_length)))[:-1], out=code_start[1:])
    new_offsets = np.zeros(len(first) + 1, dtype=np.int64)
    for length in np.flatnonzero(per_length):  # the lengths in rank order, then summed
        new_offsets[1 + rank_start[length]:1 + rank_start[length] + per_length[length]] = length
    np.cumsum(new_offsets, out=new_offsets)
    out = np.empty(int(new_offsets[-1]), dtype=codes.dtype)
    run = kernel_runner(parts, len(first) + len(out))
    _on_threads(lambda _, lo, hi: run(scatter_rows)(codes, offsets, first, rank, rank_start,
                                                    code_start, lo, hi, out), bounds)
    return out, new_offsets


DENSE_TRANSITIONS = 1 << 20
"""Vocabularies with at most this many ordered pairs (1,024 touchpoints) are counted in one
pass over the events with dense pair tables (48 bytes a pair); larger ones edge by edge."""


def _counts(journeys: Journeys, edges=None) -> dict:
    """The first-order counts and transition times of :class:`JourneyStats` (no variants).

    Memory is O(events + distinct transitions) for large vocabularies (transitions kept as
    an edge list keyed ``source * n_states + target``) and O(touchpoints²) up to
    :data:`DENSE_TRANSITIONS` pairs, where one kernel pass over the events counts
    everything: the same numbers as the edge-list formulation, which stays for the rest.
    """
    n = len(journeys.vocab)
    if n * n <= DENSE_TRANSITIONS:
        return _counts_one_pass(journeys)
    return _counts_by_edge(journeys, edges)


def _counts_one_pass(journeys: Journeys) -> dict:
    return first_order(journeys)[0]


def first_order(journeys: Journeys, hist: np.ndarray | None = None
                ) -> tuple[dict, np.ndarray, np.ndarray]:
    """``(counts, dwell_sum, dwell_count)`` in one kernel pass (vocabularies up to
    :data:`DENSE_TRANSITIONS` pairs): :func:`_counts` and, per touchpoint, the summed waits
    to the next event (in event order, as ``numpy.bincount``) and their number. ``hist``
    (from :func:`wait_bucket_table`) gets the waits counted for
    :func:`grouped_wait_quantiles` in the same pass."""
    from .._kernels._jit import by_work
    from .._kernels.journey_counts import first_order_counts

    n = len(journeys.vocab)
    w = journeys.case_weights
    ok = journeys.outcome if journeys.outcome is not None else np.zeros(len(journeys), bool)
    run = by_work(first_order_counts, journeys.n_events, INTERPRETED_EVENTS)
    state, edge, waits, wait_count = run(
        journeys.codes, journeys.offsets, w.astype(np.float64), ok, *_kernel_clock(journeys),
        n, _NO_TABLE if hist is None else hist)
    keys = np.flatnonzero(wait_count)
    has_service = journeys.starts is not None
    ints = state[:6].astype(np.int64)
    counts = dict(vocab=journeys.vocab, n_cases=int(w.sum()), n_success=int((w * ok).sum()),
                  service_sum=state[6], service_count=(state[9].astype(np.int64) if has_service
                                                       else np.zeros(n, dtype=np.int64)),
                  service_min=state[7], service_max=state[8], has_service=has_service,
                  starts=ints[0], ends=ints[1], ends_success=ints[2], visits=ints[3],
                  reach=ints[4], reach_success=ints[5], edge_keys=keys,
                  edge_counts=edge[0, keys].astype(np.int64),
                  edge_success=edge[1, keys].astype(np.int64),
                  edge_wait_sum=waits[0, keys], edge_wait_count=wait_count[keys],
                  edge_wait_min=waits[1, keys], edge_wait_max=waits[2, keys],
                  has_times=journeys.times is not None)
    return counts, state[10], wait_count.reshape(n, n).sum(axis=1)


SMALL_EVENTS = 1 << 16
#: Journeys of up to this many events run the journey kernels interpreted while they are
#: neither compiled nor cached (:func:`~cxpath._kernels._jit.by_work`): ~13 µs an event for
#: the heaviest (``first_order_counts``), so at most ~0.25 s, against ~1.5 s to compile it
#: in a fresh process (the bundled sample has 15,204 events). Same numbers either way.
INTERPRETED_EVENTS = 20_000
"""Journeys with fewer events get the graph's statistics from numpy passes (a fresh
process compiles almost nothing for them, cxpath#19); larger ones from the kernels."""

PARALLEL_EVENTS = 1 << 20
"""Journeys with at least this many events split the grouped-wait passes over the numba
thread count (``numba.set_num_threads``): smaller ones run on the calling thread."""


def _parts(n_events: int) -> int:
    if n_events < PARALLEL_EVENTS:
        return 1
    import numba

    return max(1, numba.get_num_threads())


def _split(cumulative: np.ndarray, parts: int) -> np.ndarray:
    """Boundaries ``0 = b0 <= … <= b_parts = len(cumulative) - 1`` cutting the items whose
    work prefix sums are ``cumulative`` into ``parts`` ranges of about equal work."""
    cuts = np.searchsorted(cumulative, cumulative[-1] * np.arange(1, parts) / parts)
    return np.concatenate(([0], cuts, [len(cumulative) - 1])).astype(np.int64)


def _on_threads(task, bounds: np.ndarray) -> list:
    """``task(k, lo, hi)`` for each range ``k`` of ``bounds``, on threads when there are
    several (the kernels release the GIL)."""
    ranges = list(zip(range(len(bounds) - 1), bounds[:-1].tolist(), bounds[1:].tolist()))
    if len(ranges) == 1:
        return [task(*ranges[0])]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(ranges)) as pool:
        return list(pool.map(lambda r: task(*r), ranges))


def alongside(n_events: int, task, other) -> tuple:
    """``(task(), other())``, ``task`` on a thread of its own while ``other`` runs when
    journeys of ``n_events`` split over threads (:func:`_parts`): a single-threaded pass
    (as the counting pass, whose float sums run in event order) beside the others."""
    if _parts(n_events) == 1:
        return task(), other()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(task)
        done = other()
        return running.result(), done


BUCKET_CELLS = 1 << 23
"""Vocabularies whose transition-by-bucket table (``n_states² × BUCKETS`` counts, 64 MiB:
128 touchpoints) is at most this large get the grouped wait quantiles by bucket selection
when there are at least ``BUCKET_SHARE`` (:mod:`cxpath._stats`) events per table cell;
others group every wait (the table would cost more than it saves)."""


_NO_TABLE = np.zeros((0, 0), dtype=np.int64)


def wait_bucket_table(journeys: Journeys) -> np.ndarray | None:
    """A zeroed ``(n_states², BUCKETS)`` table for a counting pass over all of ``journeys``
    to count the waits in (``first_order``, ``weighted_waits``) when
    :func:`grouped_wait_quantiles` would count them in one pass of its own on the calling
    thread; None when it selects by grouping or splits its passes over threads."""
    from .._kernels.bucket_select import BUCKETS

    n = len(journeys.vocab)
    if journeys.times is None or _parts(journeys.n_events) > 1 or not _by_buckets(journeys):
        return None
    return np.zeros((n * n, BUCKETS), dtype=np.int64)


def _by_buckets(journeys: Journeys) -> bool:
    """Whether :func:`grouped_wait_quantiles` selects by buckets (not by grouping)."""
    from .._kernels.bucket_select import BUCKETS
    from .._stats import BUCKET_SHARE

    n = len(journeys.vocab)
    cells = n * n * BUCKETS
    return 0 < cells <= BUCKET_CELLS and cells * BUCKET_SHARE <= journeys.n_events


def grouped_wait_quantiles(journeys: Journeys, qs, hist: np.ndarray | None = None
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quantiles of the waits of each observed transition and out of each touchpoint.

    Returns ``(keys, per_edge, per_source)``: the sorted keys ``source * n_states + target``
    of the observed transitions, their quantiles ``(n_keys, len(qs))`` and the quantiles of
    the waits out of each touchpoint ``(n_states, len(qs))`` (NaN without any), equal to
    ``quantiles_by_group`` over the transition list. For vocabularies up to
    :data:`BUCKET_CELLS` and many events per table cell, by bucket selection
    (:mod:`cxpath._kernels.bucket_select`): one pass counts the waits per transition and
    bucket (a touchpoint's counts are the sums of its transitions'), a second gathers the
    waits of the buckets holding the wanted ranks, the order statistics are selected among
    those. Memory is O(transition pairs), whatever the number of events. Both passes split
    over threads (disjoint cases; the counts are integers, so the result does not depend on
    the split). Otherwise every wait is grouped. For vocabularies up
    to :data:`DENSE_TRANSITIONS` pairs, journeys with times. ``hist``: the first pass's
    counts when a counting pass already made them (:func:`wait_bucket_table`).
    """
    from .._kernels.bucket_select import BUCKETS, plan_selection, select_planned
    from .._kernels.journey_counts import gather_wait_keys, wait_histograms

    n = len(journeys.vocab)
    qs = np.asarray(qs, dtype=np.float64)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(qs))), np.zeros((0, len(qs)))
    if not _by_buckets(journeys):
        return _grouped_wait_quantiles_by_grouping(journeys, qs)
    codes, offsets = journeys.codes, journeys.offsets
    clock = _kernel_clock(journeys)
    cases = _split(offsets, 1 if hist is not None else _parts(journeys.n_events))
    edge_parts = [hist] if hist is not None else _on_threads(
        lambda _, lo, hi: wait_histograms(codes, offsets, *clock, lo, hi, n), cases)
    source_parts = [h.reshape(n, n, BUCKETS).sum(axis=1) for h in edge_parts]
    tables = []
    end = 0
    for parts in (edge_parts, source_parts):
        counts = parts[0] if len(parts) == 1 else np.sum(parts, axis=0)
        slots, plan, end = plan_selection(counts, qs, end)
        tables.append((counts, slots, plan, _part_cursors(slots, parts)))
    keys = np.empty(end, dtype=np.int64)
    (_, _, _, edge_cursors), (_, _, _, source_cursors) = tables
    _on_threads(lambda k, lo, hi: gather_wait_keys(
        codes, offsets, *clock, lo, hi, n, edge_cursors[k], source_cursors[k], keys), cases)
    per_edge, per_source = (select_planned(keys, counts, slots, plan, qs)
                            for counts, slots, plan, _ in tables)
    observed = np.flatnonzero(tables[0][0].sum(axis=1))
    return observed, per_edge[observed], per_source


def _part_cursors(slots: np.ndarray, parts: list) -> list:
    """Each case range's write cursors into the candidates: after the earlier ranges'."""
    cursors = [slots.copy()]
    for counts in parts[:-1]:
        cursors.append(np.where(slots >= 0, cursors[-1] + counts, -1))
    return cursors


def _grouped_wait_quantiles_by_grouping(journeys: Journeys, qs: np.ndarray):
    """:func:`grouped_wait_quantiles` for large vocabularies: the waits are written once,
    grouped by key (a counting sort in event order); a touchpoint's waits are then the
    contiguous run of its keys, so both quantiles select in place in that one array. The
    passes split over threads (disjoint cases, then disjoint keys)."""
    from .._kernels.journey_counts import key_counts, scatter_waits
    from .._kernels.ordering import segment_quantiles

    n = len(journeys.vocab)
    codes, offsets = journeys.codes, journeys.offsets
    clock = _kernel_clock(journeys)
    parts = _parts(journeys.n_events)
    cases = _split(offsets, parts)
    counts = _on_threads(lambda _, lo, hi: key_counts(codes, offsets, lo, hi, n), cases)
    total = np.sum(counts, axis=0) if len(counts) > 1 else counts[0]
    bounds = np.zeros(n * n + 1, dtype=np.int64)
    np.cumsum(total, out=bounds[1:])
    cursors = [bounds[:-1].copy()]
    for chunk in counts[:-1]:  # each case range writes after the ranges before it
        cursors.append(cursors[-1] + chunk)
    values = np.empty(int(bounds[-1]))

    _on_threads(lambda k, lo, hi: scatter_waits(codes, offsets, *clock, lo, hi, n, cursors[k],
                                                values), cases)
    per_edge = np.empty((n * n, len(qs)))
    per_source = np.empty((n, len(qs)))
    for seg_bounds, out in ((bounds, per_edge), (np.ascontiguousarray(bounds[::n]), per_source)):
        _on_threads(lambda _, lo, hi, b=seg_bounds, o=out: segment_quantiles(
            values, b, lo, hi, qs, o), _split(seg_bounds, parts))
    keys = np.flatnonzero(total)
    return keys, per_edge[keys], per_source


def _reach_by_sort(journeys: Journeys, weights: np.ndarray) -> np.ndarray:
    """``reach_totals`` by numpy (distinct case-touchpoint pairs, a sort): compiles nothing."""
    n = len(journeys.vocab)
    owner = np.repeat(np.arange(len(journeys), dtype=np.int64), journeys.lengths)
    pairs = np.unique(owner * n + journeys.codes)
    return np.column_stack([np.bincount(pairs % n, weights=weights[pairs // n, k],
                                        minlength=n) for k in range(weights.shape[1])])


def _counts_by_edge(journeys: Journeys, edges=None, kernel: bool = True) -> dict:
    """:func:`_counts` from the edge list: O(events + distinct transitions) memory
    (``kernel=False``: numpy only, for small journeys)."""
    n = len(journeys.vocab)
    facts = case_facts(journeys)
    w, ok, full = facts["weight"], facts["success"], facts["nonempty"]
    ws = w * ok

    def per_code(codes, weights):
        return np.bincount(codes, weights=weights, minlength=n).astype(np.int64)

    starts, ends = per_code(facts["first"][full], w[full]), per_code(facts["last"][full], w[full])
    ends_s = per_code(facts["last"][full], ws[full])
    visits = per_code(journeys.codes, np.repeat(w, journeys.lengths))
    both = np.column_stack([w, ws]).astype(np.float64)
    if kernel:
        from .._kernels.paths import reach_totals

        reached = reach_totals(journeys.codes, journeys.offsets, both, n)
    else:  # numpy only: numba is not even imported
        reached = _reach_by_sort(journeys, both)
    src, dst, wait, case = _edges(journeys) if edges is None or edges[3] is None else edges
    keys, edge = compact_keys(src * n + dst, n * n)
    n_edges = len(keys)

    def per_edge(weights, dtype=np.int64):
        return np.bincount(edge, weights=weights, minlength=n_edges).astype(dtype)

    wait_min, wait_max = np.full(n_edges, np.inf), np.full(n_edges, -np.inf)
    np.minimum.at(wait_min, edge, wait)
    np.maximum.at(wait_max, edge, wait)
    service = journeys.service_times
    svc = np.zeros(n) if service is None else np.bincount(
        journeys.codes, weights=service, minlength=n).astype(np.float64)  # int64 when empty
    svc_count = (np.zeros(n, dtype=np.int64) if service is None else
                 np.bincount(journeys.codes, minlength=n).astype(np.int64))
    svc_min, svc_max = np.full(n, np.inf), np.full(n, -np.inf)
    if service is not None:
        np.minimum.at(svc_min, journeys.codes, service)
        np.maximum.at(svc_max, journeys.codes, service)
    return dict(vocab=journeys.vocab, n_cases=int(w.sum()), n_success=int(ws.sum()),
                service_sum=svc, service_count=svc_count, service_min=svc_min,
                service_max=svc_max, has_service=service is not None,
                starts=starts, ends=ends, ends_success=ends_s, visits=visits,
                reach=reached[:, 0].astype(np.int64),
                reach_success=reached[:, 1].astype(np.int64), edge_keys=keys,
                edge_counts=per_edge(w[case]), edge_success=per_edge(ws[case]),
                edge_wait_sum=per_edge(wait, np.float64), edge_wait_count=per_edge(None),
                edge_wait_min=wait_min, edge_wait_max=wait_max,
                has_times=journeys.times is not None)


@attrs.frozen(repr=False, eq=False)
class JourneyStats:
    """Sufficient statistics of journeys that add up over disjoint sets of cases.

    Everything the graph, variants, breakpoints and bottleneck rankings need, except exact
    quantiles of times (kept only as sums, counts, minima and maxima here, so the mean is
    exact after merging; medians and p90 need the journeys). Build with
    :meth:`from_journeys`, combine with :meth:`merge` (associative and commutative, with
    :meth:`empty` as identity).

    Attributes
    ----------
    vocab : tuple of str
    order : int
        Width minus one of the counted windows (``order`` = 1: transitions).
    n_cases, n_success : int
        Cases and successful cases (weighted).
    starts, ends, ends_success, visits, reach, reach_success : ndarray (n_states,)
        Weighted counts per touchpoint: cases starting there, ending there (and successful),
        events there, cases reaching it (and successful).
    edge_keys : ndarray (n_edges,)
        The observed first-order transitions, sorted, as ``source * n_states + target``
        (:attr:`edge_sources`, :attr:`edge_targets`). Memory is proportional to the
        distinct transitions, whatever the number of touchpoints.
    edge_counts, edge_success : ndarray (n_edges,)
        Weighted transition counts (all cases / successful cases).
    edge_wait_sum, edge_wait_count, edge_wait_min, edge_wait_max : ndarray (n_edges,)
        Transition times in seconds (unweighted, one per observed transition); waiting
        times (previous completion to next start) for activity instances.
    transitions, transitions_success, wait_sum, wait_count, wait_min, wait_max
        The same as dense ``(n_states, n_states)`` matrices, built on demand (a
        :class:`~cxpath.errors.CostError` when too large: use the edge arrays).
    service_sum, service_count, service_min, service_max : ndarray (n_states,)
        Service times (start to completion) of the events at each touchpoint in seconds
        (unweighted; zeros and infinities without activity instances).
    window_keys, window_counts, window_success : ndarray
        Windows of ``order + 1`` consecutive touchpoints (keys in base ``n_states``).
    variant_codes, variant_offsets, variant_counts, variant_success, variant_duration_sum
        Distinct paths in CSR layout with their weighted counts and summed durations.
    variant_value : ndarray
        Summed value of each distinct path's successful cases (zeros without values), so
        value attribution runs on statistics too.
    has_times, has_value, has_service : bool
        Whether the journeys had event times / case values / activity instances.
    """

    vocab: tuple = attrs.field(converter=_stats_vocab)
    order: int
    n_cases: int
    n_success: int
    starts: np.ndarray = attrs.field(converter=_ro)
    ends: np.ndarray = attrs.field(converter=_ro)
    ends_success: np.ndarray = attrs.field(converter=_ro)
    visits: np.ndarray = attrs.field(converter=_ro)
    reach: np.ndarray = attrs.field(converter=_ro)
    reach_success: np.ndarray = attrs.field(converter=_ro)
    edge_keys: np.ndarray = attrs.field(converter=_ro)
    edge_counts: np.ndarray = attrs.field(converter=_ro)
    edge_success: np.ndarray = attrs.field(converter=_ro)
    edge_wait_sum: np.ndarray = attrs.field(converter=_ro)
    edge_wait_count: np.ndarray = attrs.field(converter=_ro)
    edge_wait_min: np.ndarray = attrs.field(converter=_ro)
    edge_wait_max: np.ndarray = attrs.field(converter=_ro)
    service_sum: np.ndarray = attrs.field(converter=_ro)
    service_count: np.ndarray = attrs.field(converter=_ro)
    service_min: np.ndarray = attrs.field(converter=_ro)
    service_max: np.ndarray = attrs.field(converter=_ro)
    window_keys: np.ndarray = attrs.field(converter=_ro)
    window_counts: np.ndarray = attrs.field(converter=_ro)
    window_success: np.ndarray = attrs.field(converter=_ro)
    variant_codes: np.ndarray = attrs.field(converter=_ro)
    variant_offsets: np.ndarray = attrs.field(converter=_ro)
    variant_counts: np.ndarray = attrs.field(converter=_ro)
    variant_success: np.ndarray = attrs.field(converter=_ro)
    variant_duration_sum: np.ndarray = attrs.field(converter=_ro)
    variant_value: np.ndarray = attrs.field(converter=_ro)
    has_times: bool = False
    has_value: bool = False
    has_service: bool = False

    def __attrs_post_init__(self):
        func = "JourneyStats"
        for name in ("order", "n_cases", "n_success"):
            v.check_int(getattr(self, name), name, func, low=0)
        n = len(self.vocab)
        for name in ("starts", "ends", "ends_success", "visits", "reach", "reach_success",
                     "service_sum", "service_count", "service_min", "service_max"):
            if getattr(self, name).shape != (n,):
                v.fail(name, func, f"an array of shape ({n},) (one per touchpoint)",
                       got=f"shape {getattr(self, name).shape}", data=True)
        m = self.edge_keys.shape
        for name in ("edge_counts", "edge_success", "edge_wait_sum", "edge_wait_count",
                     "edge_wait_min", "edge_wait_max"):
            if len(m) != 1 or getattr(self, name).shape != m:
                v.fail(name, func, f"an array of the shape of edge_keys {m}",
                       got=f"shape {getattr(self, name).shape}", data=True)

    @property
    def n_states(self) -> int:
        """Number of touchpoints."""
        return len(self.vocab)

    @property
    def edge_sources(self) -> np.ndarray:
        """Source touchpoint code of each observed transition."""
        return self.edge_keys // max(self.n_states, 1)

    @property
    def edge_targets(self) -> np.ndarray:
        """Target touchpoint code of each observed transition."""
        return self.edge_keys % max(self.n_states, 1)

    def _dense(self, values: np.ndarray, fill) -> np.ndarray:
        from .._budget import check_memory

        n = self.n_states
        check_memory(8.0 * n * n, "JourneyStats", f"a {n:,} × {n:,} transition matrix",
                     how="Use the edge arrays (edge_keys, edge_counts, …) instead.")
        out = np.full(n * n, fill, dtype=values.dtype)
        out[self.edge_keys] = values
        out = out.reshape(n, n)
        out.setflags(write=False)
        return out

    @property
    def transitions(self) -> np.ndarray:
        """Weighted first-order transition counts as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_counts, 0)

    @property
    def transitions_success(self) -> np.ndarray:
        """Transition counts of successful cases as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_success, 0)

    @property
    def wait_sum(self) -> np.ndarray:
        """Summed transition times (seconds) as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_wait_sum, 0.0)

    @property
    def wait_count(self) -> np.ndarray:
        """Timed transitions (unweighted) as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_wait_count, 0)

    @property
    def wait_min(self) -> np.ndarray:
        """Shortest transition time (inf where unseen) as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_wait_min, np.inf)

    @property
    def wait_max(self) -> np.ndarray:
        """Longest transition time (-inf where unseen) as an ``(n_states, n_states)`` matrix."""
        return self._dense(self.edge_wait_max, -np.inf)

    @classmethod
    def empty(cls, vocab: Sequence[str], order: int = 1, has_times: bool = False,
              has_value: bool = False, has_service: bool = False) -> JourneyStats:
        """The identity of :meth:`merge` for this vocabulary and order."""
        order = v.check_int(order, "order", "JourneyStats.empty", low=1, high=4)
        vocab = _vocab(vocab, "JourneyStats.empty")
        n = len(vocab)
        zi, none_i, none_f = np.zeros(n, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return cls(vocab=tuple(str(x) for x in vocab), order=order, n_cases=0, n_success=0,
                   starts=zi, ends=zi, ends_success=zi, visits=zi, reach=zi, reach_success=zi,
                   edge_keys=none_i, edge_counts=none_i, edge_success=none_i,
                   edge_wait_sum=none_f, edge_wait_count=none_i, edge_wait_min=none_f,
                   edge_wait_max=none_f, service_sum=np.zeros(n),
                   service_count=zi, service_min=np.full(n, np.inf),
                   service_max=np.full(n, -np.inf), window_keys=np.zeros(0, dtype=np.int64),
                   window_counts=np.zeros(0, dtype=np.int64),
                   window_success=np.zeros(0, dtype=np.int64),
                   variant_codes=np.zeros(0, dtype=np.int64),
                   variant_offsets=np.zeros(1, dtype=np.int64),
                   variant_counts=np.zeros(0, dtype=np.int64),
                   variant_success=np.zeros(0, dtype=np.int64),
                   variant_duration_sum=np.zeros(0), variant_value=np.zeros(0),
                   has_times=has_times, has_value=has_value, has_service=has_service)

    @classmethod
    def from_journeys(cls, journeys: Journeys, order: int = 1) -> JourneyStats:
        """Summarise ``journeys``; ``order`` (1–4) sets the width of the counted windows.

        Examples
        --------
        >>> from cxpath import Journeys
        >>> from cxpath.journeys import JourneyStats
        >>> j = Journeys.from_paths(["a > b", "a"], conversions=[1, 0], nulls=[1, 2])
        >>> s = JourneyStats.from_journeys(j)
        >>> s.n_cases, s.n_success, s.transitions.tolist()
        (4, 1, [[0, 2], [0, 0]])
        """
        from .._kernels.paths import window_keys

        func = "JourneyStats.from_journeys"
        if not isinstance(journeys, Journeys):
            v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
        order = v.check_int(order, "order", func, low=1, high=4)
        n = len(journeys.vocab)
        if n ** (order + 1) >= 2**63:  # window keys are base-n numbers of order + 1 digits
            widest = max(w for w in range(1, 6) if n ** w < 2**63) - 1
            v.fail("order", func, f"at most {widest} for {n:,} touchpoints (windows of order "
                   "+ 1 touchpoints are keyed by 64-bit integers)", order)
        from .variants import canonical_order

        # the counting pass on a thread of its own beside the variants (large journeys),
        # which then group on the calling thread alone: threads are not oversubscribed
        counts, (first, rank, group, n_groups) = alongside(
            journeys.n_events, lambda: _counts(journeys),
            lambda: canonical_order(journeys.codes, journeys.offsets, parts=1))
        w = journeys.case_weights
        ok = journeys.outcome if journeys.outcome is not None else np.zeros(len(w), bool)
        ws = w * ok
        if order == 1:  # the windows are the transitions, already counted
            ukeys, wcount, wsucc = (counts["edge_keys"], counts["edge_counts"],
                                    counts["edge_success"])
        else:
            keys, owner = window_keys(journeys.codes, journeys.offsets, order + 1, n)
            ukeys, inv = compact_keys(keys, n ** (order + 1))
            wcount = np.bincount(inv, weights=w[owner], minlength=len(ukeys)).astype(np.int64)
            wsucc = np.bincount(inv, weights=ws[owner], minlength=len(ukeys)).astype(np.int64)
        vcount = np.bincount(group, weights=w, minlength=n_groups).astype(np.int64)
        vsucc = np.bincount(group, weights=ws, minlength=n_groups).astype(np.int64)
        dur = case_durations(journeys)
        dur = dur if dur is not None else np.zeros(len(w))
        vdur = np.bincount(group, weights=dur * w, minlength=n_groups)
        value = journeys.value if journeys.value is not None else np.zeros(len(w))
        # only successful cases carry value: a missing value elsewhere must not poison it
        vval = np.bincount(group, weights=np.where(ok, value, 0.0), minlength=n_groups)
        del group, dur  # per-case arrays: not alive beside the variants' codes (peak memory)
        vcodes, voff = _gather_by_length_rank(journeys.codes, journeys.offsets, first, rank,
                                              _parts(journeys.n_events))
        return cls(order=order, **counts, window_keys=ukeys, window_counts=wcount,
                   window_success=wsucc,
                   variant_codes=vcodes, variant_offsets=voff, variant_counts=vcount,
                   variant_success=vsucc, variant_duration_sum=vdur, variant_value=vval,
                   has_value=journeys.value is not None)

    def merge(self, other: JourneyStats) -> JourneyStats:
        """Statistics of the union of two disjoint sets of cases.

        Raises
        ------
        VocabularyMismatchError
            When the vocabularies or orders differ.
        """
        if not isinstance(other, JourneyStats):
            v.fail("other", "JourneyStats.merge", "a JourneyStats", got=type(other).__name__)
        if self.vocab != other.vocab or self.order != other.order:
            raise VocabularyMismatchError(
                "The 'other' parameter of JourneyStats.merge must have the same vocabulary "
                f"and order. Got vocabularies of {len(self.vocab)} and {len(other.vocab)} "
                f"touchpoints (equal: {self.vocab == other.vocab}) and orders {self.order} "
                f"and {other.order} instead. Build both with the same fixed vocab "
                "(Journeys.from_events(..., vocab=...)).")
        keys = np.concatenate([self.window_keys, other.window_keys])
        ukeys, inv = np.unique(keys, return_inverse=True)

        def windows(a, b):
            return np.bincount(inv, weights=np.concatenate([a, b]),
                               minlength=len(ukeys)).astype(np.int64)

        ekeys, einv = np.unique(np.concatenate([self.edge_keys, other.edge_keys]),
                                return_inverse=True)

        def edge_sum(name, dtype=np.int64):
            return np.bincount(einv, weights=np.concatenate([getattr(self, name),
                                                             getattr(other, name)]),
                               minlength=len(ekeys)).astype(dtype)

        def edge_extreme(name, ufunc, fill):
            out = np.full(len(ekeys), fill)
            ufunc.at(out, einv, np.concatenate([getattr(self, name), getattr(other, name)]))
            return out

        codes = np.concatenate([self.variant_codes, other.variant_codes])
        lengths = np.concatenate([np.diff(self.variant_offsets), np.diff(other.variant_offsets)])
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        from .variants import canonical_order

        first, rank, group, n_groups = canonical_order(codes, offsets)

        def variant_sum(a, b, dtype):
            return np.bincount(group, weights=np.concatenate([a, b]),
                               minlength=n_groups).astype(dtype)

        vcodes, voff = _gather_by_length_rank(codes, offsets, first, rank)
        return JourneyStats(
            vocab=self.vocab, order=self.order, n_cases=self.n_cases + other.n_cases,
            n_success=self.n_success + other.n_success,
            **{name: getattr(self, name) + getattr(other, name) for name in (
                "starts", "ends", "ends_success", "visits", "reach", "reach_success",
                "service_sum", "service_count")},
            edge_keys=ekeys, edge_counts=edge_sum("edge_counts"),
            edge_success=edge_sum("edge_success"),
            edge_wait_sum=edge_sum("edge_wait_sum", np.float64),
            edge_wait_count=edge_sum("edge_wait_count"),
            edge_wait_min=edge_extreme("edge_wait_min", np.minimum, np.inf),
            edge_wait_max=edge_extreme("edge_wait_max", np.maximum, -np.inf),
            service_min=np.minimum(self.service_min, other.service_min),
            service_max=np.maximum(self.service_max, other.service_max),
            window_keys=ukeys, window_counts=windows(self.window_counts, other.window_counts),
            window_success=windows(self.window_success, other.window_success),
            variant_codes=vcodes, variant_offsets=voff,
            variant_counts=variant_sum(self.variant_counts, other.variant_counts, np.int64),
            variant_success=variant_sum(self.variant_success, other.variant_success,
                                        np.int64),
            variant_duration_sum=variant_sum(self.variant_duration_sum,
                                             other.variant_duration_sum, np.float64),
            variant_value=variant_sum(self.variant_value, other.variant_value, np.float64),
            has_times=self._flag(other, "has_times"), has_value=self._flag(other, "has_value"),
            has_service=self._flag(other, "has_service"))

    def _flag(self, other: JourneyStats, name: str) -> bool:
        """A merged has_* flag: both sides have it, an empty side (the identity) aside."""
        if self.n_cases == 0 or other.n_cases == 0:
            return getattr(other if self.n_cases == 0 else self, name)
        return getattr(self, name) and getattr(other, name)

    def equals(self, other: JourneyStats, rtol: float = 1e-9) -> bool:
        """Equal counts (exactly) and times (to ``rtol``).

        Variants are kept in a content-based order, so equal statistics list them alike.
        """
        if not isinstance(other, JourneyStats):
            v.fail("other", "JourneyStats.equals", "a JourneyStats", got=type(other).__name__,
                   wrong_type=True)
        rtol = v.check_real(rtol, "rtol", "JourneyStats.equals", low=0.0)
        a, b = self, other
        if (a.vocab, a.order, a.n_cases, a.n_success) != (b.vocab, b.order, b.n_cases,
                                                          b.n_success):
            return False
        for f in attrs.fields(JourneyStats):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if isinstance(x, np.ndarray):
                if x.shape != y.shape:
                    return False
                if x.dtype.kind == "f":
                    if not np.allclose(x, y, rtol=rtol, atol=1e-9 * max(1.0, np.abs(
                            x[np.isfinite(x)]).max(initial=0.0))):
                        return False
                elif not np.array_equal(x, y):
                    return False
        return True

    def __repr__(self) -> str:
        return (f"JourneyStats(order={self.order}, {self.n_cases:,} cases, "
                f"{self.n_success:,} successful, {self.n_states} touchpoints, "
                f"{len(self.variant_counts):,} variants, {len(self.window_keys):,} windows)")
