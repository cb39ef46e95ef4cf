"""Mergeable journey statistics computed per partition of a Dask DataFrame."""

from __future__ import annotations

import importlib
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._optional import require
from .._warnings import warn
from ..errors import CxpathError, CxpathWarning, DataError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import dask.dataframe as dd
    from distributed import Client

    from ..journeys import JourneyStats

__all__ = ["check_success_if", "journey_stats", "merge_tallies", "outcome_flags",
           "partition_journeys", "prepare", "tree_reduce", "warn_cleaning"]

FUNC = "distributed.journey_stats"
ROW = "__cxpath_row__"  # global row position carried through the shuffle
_PARTITION_BITS = 40  # row key: partition number << 40 | row within the partition


def check_success_if(success_if, outcome, func: str):
    """``success_if`` if it is None, a callable, a value or a collection of values."""
    if success_if is None:
        return None
    if outcome is None:
        v.fail("success_if", func, "None when no 'outcome' column is given", success_if)
    if callable(success_if) or isinstance(success_if, (str, numbers.Number, np.generic)):
        return success_if
    if isinstance(success_if, (set, frozenset, list, tuple)) and success_if:
        try:
            return frozenset(success_if)
        except TypeError:
            pass
    v.fail("success_if", func, "a value meaning success, a non-empty collection of such "
           "values or a callable returning one boolean per outcome value", success_if,
           wrong_type=True)


def _shown(values: list, limit: int = 6) -> str:
    seen = list(dict.fromkeys(repr(x) for x in values))
    return ", ".join(seen[:limit]) + (", ..." if len(seen) > limit else "")


def outcome_flags(raw: np.ndarray, success_if, func: str) -> np.ndarray:
    """Success flags of an outcome column: 1.0, 0.0, or NaN where the outcome is missing.

    Without ``success_if`` the column must hold booleans or the numbers 0 and 1 (what
    :meth:`Journeys.from_events <cxpath.Journeys.from_events>` reads as success); any
    other value is a :class:`~cxpath.errors.DataError` naming the values seen. With
    ``success_if`` a value (or collection of values) means success, or a callable gets
    the non-missing values as a numpy array and returns one boolean per value.
    """
    import pandas as pd

    series = pd.Series(raw)
    missing = series.isna().to_numpy()
    present = raw[~missing]
    out = np.full(len(raw), np.nan)
    if success_if is None:
        if raw.dtype.kind == "b":
            return raw.astype(np.float64)
        items = present.tolist()
        bad = [x for x in items if isinstance(x, (str, bytes)) or not (
            isinstance(x, (bool, np.bool_)) or (isinstance(x, numbers.Real) and x in (0, 1)))]
        if bad:
            v.fail("outcome", func, "booleans or the numbers 0 and 1 (give success_if= to say "
                   "which other values mean success)",
                   got=f"the values {_shown(items)}", data=True)
        out[~missing] = np.asarray(items, dtype=np.float64)
        return out
    if callable(success_if):
        try:
            flags = np.asarray(success_if(present))
        except Exception as err:  # the user's rule failed: say so in the library's shape
            v.fail("success_if", func, "a callable that accepts the outcome values as a "
                   "numpy array", got=f"{type(err).__name__}: {err}")
        if flags.shape != present.shape or flags.dtype.kind != "b":
            v.fail("success_if", func, "a callable returning one boolean per outcome value",
                   got=f"an array of dtype {flags.dtype} and shape {flags.shape} for "
                       f"{len(present)} values")
    else:
        wanted = success_if if isinstance(success_if, frozenset) else [success_if]
        flags = pd.Series(present).isin(list(wanted)).to_numpy()
    out[~missing] = flags.astype(np.float64)
    return out


def _touchpoint_codes(values: np.ndarray, vocab: tuple, func: str) -> np.ndarray:
    """Codes into ``vocab`` of a numeric touchpoint column (labels, never codes); -1: missing.

    A number matches the label that is its text (``-1`` matches ``'-1'``; an integral
    float ``2.0`` matches ``'2'`` or ``'2.0'``).
    """
    from ..journeys._encode import factorize

    codes, uniques = factorize(values, "touchpoint", func)
    index = {label: i for i, label in enumerate(vocab)}
    mapping, unknown = [], []
    for u in uniques.tolist():
        text = str(u)
        if text not in index and isinstance(u, (int, float)) and float(u).is_integer():
            text = str(float(u)) if str(float(u)) in index else str(int(u))
        if text not in index:
            unknown.append(text)
        mapping.append(index.get(text, -1))
    if unknown:
        v.fail("touchpoint", func, "labels from 'vocab'",
               got=f"unknown labels {sorted(unknown)[:5]}", data=True)
    return np.asarray([*mapping, -1], dtype=np.int64)[codes]


def partition_journeys(frame, columns: dict, vocab: tuple, success, strict: bool,
                       func: str = FUNC, success_if=None):
    """Journeys of one partition (None when no row is usable) and its cleaning tally.

    The tally counts rows by what ``from_events`` did to them (``'removed: <reason>'``,
    ``'changed: <reason>'``), so the partitions' cleaning can be reported as one. Rows are
    first put back in their global order (the ``ROW`` column the shuffle carried), so
    events with equal times keep the order a single machine gives them; numeric touchpoints
    are read as labels and outcomes are checked by :func:`outcome_flags`.
    """
    from .._frames import column
    from ..journeys import Journeys

    if len(frame) == 0:
        return None, {}
    if ROW in frame.columns:
        frame = frame.sort_values(ROW, kind="stable").drop(columns=ROW)
    touchpoints = column(frame, columns["touchpoint"], "touchpoint", func)
    if touchpoints.dtype.kind in "iufb":
        frame = frame.assign(**{columns["touchpoint"]: _touchpoint_codes(touchpoints, vocab,
                                                                         func)})
    if columns.get("outcome") is not None:
        raw = column(frame, columns["outcome"], "outcome", func)
        frame = frame.assign(**{columns["outcome"]: outcome_flags(raw, success_if, func)})
    try:
        journeys = Journeys.from_events(frame, vocab=vocab, success=success, strict=strict,
                                        **columns)
    except DataError as err:
        report = getattr(err, "cleaning_report", None)
        if report is None:
            raise _in_callers_name(err, func) from None
        return None, _tally(report)
    except CxpathError as err:
        raise _in_callers_name(err, func) from None
    return journeys, _tally(journeys.cleaning_report)


def _in_callers_name(err: CxpathError, func: str) -> CxpathError:
    """``err`` as raised by the public function the user called."""
    new = type(err)(str(err).replace("Journeys.from_events", func))
    new.__dict__.update(err.__dict__)
    return new


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
        warn(f"{func} cleaned the rows of every partition as Journeys.from_events "
             f"does ({what} rows); pass strict=True to raise instead.",
             CxpathWarning, stacklevel=3)


def _partition_stats(frame, columns: dict, vocab: tuple, order: int, success, strict,
                     success_if=None):
    """JourneyStats of one partition (a pandas DataFrame holding whole cases), and its
    cleaning tally."""
    from ..journeys import JourneyStats

    journeys, tally = partition_journeys(frame, columns, vocab, success, strict, FUNC,
                                         success_if)
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
                  value_agg: str = "sum", success: Iterable[str] | None = None,
                  success_if: Any = None, order: int = 1,
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
        value attribution. Numeric touchpoints are labels (``-1``, ``0``, ``1`` are three
        touchpoints named by their text), never codes into ``vocab``.
    value_agg : str, default 'sum'
        How row values make the case value (see ``from_events``).
    success : set of str, optional
        Touchpoints meaning success when they end a case.
    success_if : value, collection of values or callable, optional
        How the ``outcome`` column codes success. By default it must hold booleans or the
        numbers 0 and 1 (missing values allowed), and any other value raises
        :class:`~cxpath.errors.DataError` naming the values seen, so that an outcome coded
        -1/1 or as a score is never read as "non-zero means success". Give the value
        meaning success (``success_if=1``, ``success_if="yes"``), a collection of such
        values, or a callable that gets the non-missing outcome values as a numpy array and
        returns one boolean per value (``success_if=lambda score: score >= 9``).
    order : int, default 1
        Order of the transition counts (1 to 4).
    vocab : sequence of str, optional
        The touchpoint vocabulary; computed when absent (the labels in the order
        :meth:`Journeys.from_events <cxpath.Journeys.from_events>` gives them: sorted,
        numbers by value).
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

    Notes
    -----
    The shuffle that brings each case into one partition carries every row's global
    position (partition, then row within it), and each partition is put back in that
    order before its journeys are built: events of a case with equal timestamps keep the
    order of the rows, exactly as on one machine.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from cxpath.distributed import journey_stats
    >>> log = pd.DataFrame({"case": [1, 1, 2, 2], "step": [-1, 0, 1, 0], "t": [0, 1, 0, 1],
    ...                     "won": [-1, 1, -1, -1]})
    >>> s = journey_stats(dd.from_pandas(log, npartitions=2), case="case", touchpoint="step",
    ...                   timestamp="t", outcome="won", success_if=1, scheduler="synchronous")
    >>> s.vocab, s.visits.tolist(), s.n_success
    (('-1', '0', '1'), [1, 2, 1], 1)
    """
    order = v.check_int(order, "order", FUNC, low=1, high=4)
    split_every = v.check_int(split_every, "split_every", FUNC, low=2)
    columns = {"case": case, "touchpoint": touchpoint, "timestamp": timestamp,
               "channel": channel, "outcome": outcome, "value": value}
    if value is not None:
        columns["value_agg"] = v.check_option(value_agg, "value_agg", FUNC,
                                              ("sum", "first", "last", "max", "mean"))
    strict = v.check_bool(strict, "strict", FUNC)
    success_if = check_success_if(success_if, outcome, FUNC)
    ddf, vocab = prepare(ddf, columns, vocab, partitioned_by_case, scheduler, FUNC)
    stats, tally = tree_reduce(ddf, _partition_stats,
                               (columns, vocab, order, success, strict, success_if),
                               _merge_all, split_every, scheduler)
    warn_cleaning(tally, FUNC)
    return stats


#: dask's scheduler names (``dask.base.named_schedulers`` where that exists)
SCHEDULERS = ("distributed", "multiprocessing", "processes", "single-threaded", "sync",
              "synchronous", "threading", "threads")


def check_scheduler(scheduler, func: str):
    """``scheduler`` if dask takes it: None, a scheduler name, a ``distributed.Client`` or
    ``concurrent.futures`` executor, or a ``get`` function.

    Examples
    --------
    >>> check_scheduler("threads", "distributed.journey_stats")
    'threads'
    """
    if scheduler is None or hasattr(scheduler, "submit"):
        return scheduler
    if callable(scheduler):  # a get function: get(dsk, keys, **kwargs)
        import inspect

        try:
            inspect.signature(scheduler).bind({}, [])
        except TypeError:
            v.fail("scheduler", func, "a dask get function get(dsk, keys, **kwargs)",
                   scheduler, wrong_type=True)
        except ValueError:  # no signature to check (a builtin): dask will tell
            pass
        return scheduler
    try:
        from dask.base import named_schedulers
        names = tuple(sorted(set(named_schedulers) | set(SCHEDULERS)))
    except ImportError:  # pragma: no cover - older or newer dask layouts
        names = SCHEDULERS
    if not isinstance(scheduler, str):
        v.fail("scheduler", func, "None, a dask scheduler name (" + ", ".join(map(repr, names))
               + "), a distributed.Client or an executor", scheduler, wrong_type=True)
    v.check_option(scheduler, "scheduler", func, names)
    return scheduler


def prepare(ddf, columns: dict, vocab, partitioned_by_case, scheduler, func: str):
    """Checked columns, the vocabulary, and ``ddf`` with every case in one partition."""
    require("dask", func)
    check_scheduler(scheduler, func)
    if hasattr(scheduler, "run") and hasattr(scheduler, "submit"):  # a distributed.Client
        # workers import pandas before the first frame arrives: unpickling a DataFrame in a
        # worker that has not imported pandas yet can hit a partial-import race
        scheduler.run(importlib.import_module, "pandas")
    if not (hasattr(ddf, "to_delayed") and hasattr(ddf, "npartitions")):
        v.fail("ddf", func, "a dask DataFrame", got=f"an object of type {type(ddf).__name__}",
               wrong_type=True)
    partitioned_by_case = v.check_bool(partitioned_by_case, "partitioned_by_case", func)
    names = list(ddf.columns)
    for name, col in columns.items():
        if name == "value_agg" or (col is None and name not in ("case", "touchpoint")):
            continue
        if isinstance(col, bool) or not isinstance(col, (str, numbers.Integral)):
            v.fail(name, func, "a column name of the dask DataFrame", col, wrong_type=True)
        if col not in names:
            v.fail_unknown_column(name, func, col, names, "of the dask DataFrame")
        if names.count(col) > 1:
            v.fail(name, func, "a column name that appears once in the dask DataFrame",
                   got=f"{col!r}, which {names.count(col)} columns share", data=True)
    if vocab is None:
        vocab = _vocabulary(ddf, columns["touchpoint"], scheduler, func)
    else:
        if isinstance(vocab, (str, bytes)) or not hasattr(vocab, "__iter__"):
            v.fail("vocab", func, "a sequence of touchpoint labels", vocab, wrong_type=True)
        vocab = tuple(str(x) for x in vocab)
        if not vocab or len(set(vocab)) != len(vocab):
            v.fail("vocab", func, "a non-empty sequence of distinct labels",
                   got=f"{len(vocab)} labels, {len(vocab) - len(set(vocab))} repeated")
    if partitioned_by_case:
        split = _split_cases(ddf, columns["case"], scheduler, func)
        if split:
            raise DataError(f"The 'partitioned_by_case' parameter of {func} was True but "
                            f"cases span several partitions (e.g. {split}). Pass "
                            "partitioned_by_case=False to shuffle on the case column.")
    else:
        meta = ddf._meta.assign(**{ROW: np.zeros(0, dtype=np.int64)})
        ddf = ddf.map_partitions(_with_row, meta=meta).shuffle(on=columns["case"])
    return ddf, vocab


def _with_row(frame, partition_info=None):
    """``frame`` with its rows' global positions (partition number, then row) in ``ROW``."""
    number = 0 if partition_info is None else int(partition_info["number"])
    return frame.assign(**{ROW: (number << _PARTITION_BITS)
                           + np.arange(len(frame), dtype=np.int64)})


def _vocabulary(ddf, touchpoint, scheduler, func: str) -> tuple:
    """The touchpoint labels in the order ``Journeys.from_events`` gives them."""
    from .._frames import column
    from ..journeys._encode import factorize

    labels = ddf[touchpoint].dropna().unique().compute(scheduler=scheduler)
    if len(labels) == 0:
        v.fail("touchpoint", func, "a column with at least one touchpoint label",
               got="only missing values", data=True)
    values = column(labels.to_frame(name="touchpoint"), "touchpoint", "touchpoint", func)
    if values.dtype.kind in "iufb":
        return tuple(str(x) for x in factorize(values, "touchpoint", func)[1].tolist())
    return tuple(str(x) for x in sorted(labels.tolist()))


def tree_reduce(ddf, summarise, args: tuple, merge, split_every: int, scheduler):
    """``summarise(partition, *args)`` per partition, merged ``split_every`` at a time."""
    import dask

    parts = [dask.delayed(summarise)(p, *args) for p in ddf.to_delayed()]
    while len(parts) > 1:
        parts = [dask.delayed(merge)(*parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    (result,) = dask.compute(parts[0], scheduler=scheduler)
    return result
