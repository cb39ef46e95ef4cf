"""Mergeable journey statistics computed per partition of a Dask DataFrame."""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING

from .. import _validate as v
from .._optional import require
from ..errors import CxpathWarning, DataError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import dask.dataframe as dd
    from distributed import Client

    from ..journeys import JourneyStats

__all__ = ["journey_stats", "merge_tallies", "partition_journeys", "prepare", "tree_reduce",
           "warn_cleaning"]

FUNC = "distributed.journey_stats"


def partition_journeys(frame, columns: dict, vocab: tuple, success, strict: bool):
    """Journeys of one partition (None when no row is usable) and its cleaning tally.

    The tally counts rows by what ``from_events`` did to them (``'removed: <reason>'``,
    ``'changed: <reason>'``), so the partitions' cleaning can be reported as one.
    """
    from ..journeys import Journeys

    if len(frame) == 0:
        return None, {}
    try:
        journeys = Journeys.from_events(frame, vocab=vocab, success=success, strict=strict,
                                        **columns)
    except DataError as err:
        report = getattr(err, "cleaning_report", None)
        if report is None:
            raise
        return None, _tally(report)
    return journeys, _tally(journeys.cleaning_report)


def _tally(report) -> dict:
    out = {f"removed: {why}": len(rows) for why, rows in report.removed.items() if len(rows)}
    out.update({f"changed: {why}": len(rows) for why, rows in report.changed.items()
                if len(rows)})
    return out


def merge_tallies(tallies) -> dict:
    """Sum cleaning tallies."""
    out: dict = {}
    for tally in tallies:
        for why, count in tally.items():
            out[why] = out.get(why, 0) + count
    return out


def warn_cleaning(tally: dict, func: str) -> None:
    """One warning for everything the partitions' cleaning removed or changed."""
    if tally:
        what = ", ".join(f"{why} {count:,}" for why, count in sorted(tally.items()))
        warnings.warn(f"{func} cleaned the rows of every partition as Journeys.from_events "
                      f"does ({what} rows); pass strict=True to raise instead.",
                      CxpathWarning, stacklevel=3)


def _partition_stats(frame, columns: dict, vocab: tuple, order: int, success, strict):
    """JourneyStats of one partition (a pandas DataFrame holding whole cases), and its
    cleaning tally."""
    from ..journeys import JourneyStats

    journeys, tally = partition_journeys(frame, columns, vocab, success, strict)
    if journeys is None:
        return JourneyStats.empty(vocab, order=order), tally
    return JourneyStats.from_journeys(journeys, order=order), tally


def _merge_all(*parts):
    result = parts[0][0]
    for part, _ in parts[1:]:
        result = result.merge(part)
    return result, merge_tallies(tally for _, tally in parts)


def _split_cases(ddf, case: str, scheduler, func: str):
    """Case ids found in more than one partition (at most 5 shown)."""
    pd = require("pandas", func)

    def distinct(series):
        return pd.Series(series.dropna().unique())

    counts = ddf[case].map_partitions(distinct, meta=(case, ddf[case].dtype)).value_counts()
    split = counts[counts > 1].head(5, npartitions=-1, compute=False)
    return split.compute(scheduler=scheduler).index.tolist()


def journey_stats(ddf: dd.DataFrame, *, case: str, touchpoint: str, timestamp: str | None = None,
                  channel: str | None = None, outcome: str | None = None, value: str | None = None,
                  value_agg: str = "sum", success: Iterable[str] | None = None, order: int = 1,
                  vocab: Sequence[str] | None = None, partitioned_by_case: bool = False,
                  strict: bool = False, scheduler: str | Client | None = None,
                  split_every: int = 8) -> JourneyStats:
    """Compute :class:`~cxpath.journeys.JourneyStats` of a Dask DataFrame event log.

    The vocabulary is fixed first (given, or one distinct pass over ``touchpoint``), each
    case is brought into exactly one partition (a shuffle on ``case`` unless the data is
    declared partitioned by case, which is then checked), each partition is summarised with
    the same kernels as on one machine, and the per-partition statistics are merged in a
    tree. The result is the object the single-machine path returns.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Long event log, one row per event.
    case, touchpoint, timestamp, channel, outcome, value : str
        Column names, as in :meth:`Journeys.from_events <cxpath.Journeys.from_events>`.
        With ``value``, the statistics keep each distinct path's converting value, for
        value attribution.
    value_agg : str, default 'sum'
        How row values make the case value (see ``from_events``).
    success : set of str, optional
        Touchpoints meaning success when they end a case.
    order : int, default 1
        Order of the transition counts (1 to 4).
    vocab : sequence of str, optional
        The touchpoint vocabulary; computed (sorted labels) when absent.
    partitioned_by_case : bool, default False
        Declare that no case spans two partitions (skips the shuffle). The declaration is
        checked and a :class:`~cxpath.errors.DataError` names split cases.
    strict : bool, default False
        Every partition is cleaned as :meth:`Journeys.from_events
        <cxpath.Journeys.from_events>` cleans (a partition left without usable rows counts
        as empty), and one :class:`~cxpath.errors.CxpathWarning` reports how many rows were
        removed or changed for each reason. ``True`` raises
        :class:`~cxpath.errors.StrictCleaningError` instead.
    scheduler : str or distributed.Client, optional
        Passed to ``dask.compute``: ``"threads"`` (kernels release the GIL), ``"processes"``,
        ``"synchronous"`` or a ``distributed.Client``; default: dask's current scheduler.
    split_every : int, default 8
        Fan-in of the merge tree.

    Returns
    -------
    JourneyStats
    """
    order = v.check_int(order, "order", FUNC, low=1, high=4)
    split_every = v.check_int(split_every, "split_every", FUNC, low=2)
    columns = {"case": case, "touchpoint": touchpoint, "timestamp": timestamp,
               "channel": channel, "outcome": outcome, "value": value}
    if value is not None:
        columns["value_agg"] = v.check_option(value_agg, "value_agg", FUNC,
                                              ("sum", "first", "last", "max", "mean"))
    strict = v.check_bool(strict, "strict", FUNC)
    ddf, vocab = prepare(ddf, columns, vocab, partitioned_by_case, scheduler, FUNC)
    stats, tally = tree_reduce(ddf, _partition_stats, (columns, vocab, order, success, strict),
                               _merge_all, split_every, scheduler)
    warn_cleaning(tally, FUNC)
    return stats


def prepare(ddf, columns: dict, vocab, partitioned_by_case, scheduler, func: str):
    """Checked columns, the vocabulary, and ``ddf`` with every case in one partition."""
    require("dask", func)
    if hasattr(scheduler, "run") and hasattr(scheduler, "submit"):  # a distributed.Client
        # workers import pandas before the first frame arrives: unpickling a DataFrame in a
        # worker that has not imported pandas yet can hit a partial-import race
        scheduler.run(importlib.import_module, "pandas")
    if not (hasattr(ddf, "to_delayed") and hasattr(ddf, "npartitions")):
        v.fail("ddf", func, "a dask DataFrame", got=f"an object of type {type(ddf).__name__}")
    partitioned_by_case = v.check_bool(partitioned_by_case, "partitioned_by_case", func)
    for name, col in columns.items():
        if name != "value_agg" and col is not None and col not in ddf.columns:
            v.fail(name, func, "a column of the dask DataFrame", col)
    if vocab is None:
        labels = ddf[columns["touchpoint"]].dropna().unique().compute(scheduler=scheduler)
        vocab = tuple(str(x) for x in sorted(labels.tolist()))
    vocab = tuple(str(x) for x in vocab)
    if partitioned_by_case:
        split = _split_cases(ddf, columns["case"], scheduler, func)
        if split:
            raise DataError(f"The 'partitioned_by_case' parameter of {func} was True but "
                            f"cases span several partitions (e.g. {split}). Pass "
                            "partitioned_by_case=False to shuffle on the case column.")
    else:
        ddf = ddf.shuffle(on=columns["case"])
    return ddf, vocab


def tree_reduce(ddf, summarise, args: tuple, merge, split_every: int, scheduler):
    """``summarise(partition, *args)`` per partition, merged ``split_every`` at a time."""
    import dask

    parts = [dask.delayed(summarise)(p, *args) for p in ddf.to_delayed()]
    while len(parts) > 1:
        parts = [dask.delayed(merge)(*parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    (result,) = dask.compute(parts[0], scheduler=scheduler)
    return result
