"""Mergeable journey statistics computed per partition of a Dask DataFrame."""

from __future__ import annotations

import importlib

from .. import _validate as v
from .._optional import require
from ..errors import DataError

__all__ = ["journey_stats", "prepare", "tree_reduce"]

FUNC = "distributed.journey_stats"


def _partition_stats(frame, columns: dict, vocab: tuple, order: int, success):
    """JourneyStats of one partition (a pandas DataFrame holding whole cases)."""
    from ..journeys import Journeys, JourneyStats

    if len(frame) == 0:
        return JourneyStats.empty(vocab, order=order)
    journeys = Journeys.from_events(frame, vocab=vocab, success=success, **columns)
    return JourneyStats.from_journeys(journeys, order=order)


def _merge_all(*parts):
    result = parts[0]
    for part in parts[1:]:
        result = result.merge(part)
    return result


def _split_cases(ddf, case: str, scheduler, func: str):
    """Case ids found in more than one partition (at most 5 shown)."""
    pd = require("pandas", func)

    def distinct(series):
        return pd.Series(series.dropna().unique())

    counts = ddf[case].map_partitions(distinct, meta=(case, ddf[case].dtype)).value_counts()
    split = counts[counts > 1].head(5, npartitions=-1, compute=False)
    return split.compute(scheduler=scheduler).index.tolist()


def journey_stats(ddf, *, case: str, touchpoint: str, timestamp: str | None = None,
                  channel: str | None = None, outcome: str | None = None,
                  value: str | None = None, value_agg: str = "sum", success=None,
                  order: int = 1, vocab=None, partitioned_by_case: bool = False,
                  scheduler=None, split_every: int = 8):
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
    ddf, vocab = prepare(ddf, columns, vocab, partitioned_by_case, scheduler, FUNC)
    return tree_reduce(ddf, _partition_stats, (columns, vocab, order, success), _merge_all,
                       split_every, scheduler)


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
