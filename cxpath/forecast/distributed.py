"""Many series on Dask: :func:`~cxpath.forecast.forecast_many` partition by partition.

Each partition (a pandas DataFrame in the long layout, every series in one partition) is
read and forecast by the same code as a single-machine run, so the results are the same;
the partitions' forecasts are then put together in partition order. Needs the optional
extra ``dask`` (``pip install 'cxpath[dask]'``).
"""

from __future__ import annotations

import importlib
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._optional import require

if TYPE_CHECKING:
    import dask.dataframe as dd

    from .many import ForecastSet

__all__: list[str] = []


def _partition(frame, h, method, m, names, freq, levels, kw, n_jobs, func):
    """``(ids, forecasts, freq, warnings)`` of one partition (empty partitions give
    nothing)."""
    from ._registry import resolve
    from .many import read_long, run_panel

    if len(frame) == 0:
        return np.empty(0, dtype=object), (), None, []
    _label, call = resolve(method, "method", func)
    panel = read_long(frame, *names, freq, func)
    results, caught = run_panel(panel, h, m, levels, call, method, kw, n_jobs,
                                lambda done: None)
    off = panel.off if isinstance(panel.off, int) else panel.off.freqstr
    return np.asarray(panel.ids, dtype=object), results, off, caught


def long_columns(ddf, id, value, ds, scheduler, func: str) -> tuple[str, str, str]:
    """Check the scheduler and the long table's ``(id, value, ds)`` column names (defaults
    from :data:`~cxpath.forecast.many.LONG`); import pandas on every worker first."""
    from ..distributed.stats import check_scheduler
    from .many import LONG

    check_scheduler(scheduler, func)
    if hasattr(scheduler, "run") and hasattr(scheduler, "submit"):  # a distributed.Client
        scheduler.run(importlib.import_module, "pandas")  # as journey_stats: no import race
    cols = [str(c) for c in ddf.columns]
    names = (LONG[0] if id is None else id, LONG[2] if value is None else value,
             LONG[1] if ds is None else ds)
    for param, col in zip(("id", "value", "ds"), names):
        if isinstance(col, bool) or not isinstance(col, str):
            v.fail(param, func, "a column name of the dask DataFrame", col, wrong_type=True)
        if col not in cols:
            v.fail_unknown_column(param, func, col, cols, "of the dask DataFrame (a long "
                                  "table: one row per series and date)")
    return names


def forecast_dask(ddf: dd.DataFrame, h: int, method: Any, m: int | None, *, id, value, ds,
                  freq, levels, kw: dict, n_jobs: int, progress, scheduler, label: str,
                  func: str) -> ForecastSet:
    """The Dask branch of :func:`~cxpath.forecast.forecast_many` (arguments checked there,
    but for the table's own)."""
    require("dask", func)
    import dask

    from .._progress import reporter
    from ..errors import DataError
    from .many import ForecastSet, warn_once

    names = long_columns(ddf, id, value, ds, scheduler, func)
    if freq is not None and not isinstance(freq, (int, np.integer)):
        from ._dates import parse_freq

        parse_freq(freq, "freq", func)
    tasks = [dask.delayed(_partition)(p, h, method, m, names, freq, levels, kw, n_jobs, func)
             for p in ddf.to_delayed()]
    report = reporter(progress, len(tasks), "partitions", func)
    start = time.perf_counter()
    outs = dask.compute(*tasks, scheduler=scheduler)
    seconds = time.perf_counter() - start
    report(len(tasks))
    report.close()
    ids = [i for out in outs for i in out[0].tolist()]
    where_ = np.concatenate([np.full(out[0].shape[0], k) for k, out in enumerate(outs)]) \
        if outs else np.empty(0, dtype=np.int64)
    if len(set(ids)) != len(ids):
        seen: dict = {}
        for sid, part in zip(ids, where_.tolist()):
            if sid in seen and seen[sid] != part:
                raise DataError(
                    f"{func}: series {sid!r} is in partitions {seen[sid]} and {part} of the "
                    "dask DataFrame; every series must be in one partition. Repartition by "
                    f"series first: ddf.shuffle(on={names[0]!r}).")
            seen.setdefault(sid, part)
    offs = {out[2] for out in outs if out[2] is not None}
    if len(offs) > 1:
        raise DataError(f"{func}: the partitions' dates have different frequencies "
                        f"({', '.join(sorted(map(str, offs)))}); give freq= to name one.")
    forecasts = tuple(f for out in outs for f in out[1])
    warn_once([w for out in outs for w in out[3]], len(forecasts), func)
    arr = np.empty(len(ids), dtype=object)
    arr[:] = ids
    return ForecastSet(arr, forecasts, seconds, "long", (names[0], names[2]), label)
