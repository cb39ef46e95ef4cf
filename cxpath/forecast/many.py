"""Fit and forecast many series in one call, on a thread pool over nogil kernels."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column, frame_kind
from .._progress import reporter
from .._results import Result, derived_columns, result
from ._base import Forecast, check_h, check_levels
from ._registry import check_options, resolve

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .._typing import ArrayLike, TableLike

__all__ = ["ForecastSet", "forecast_many", "split_series"]


@result
class ForecastSet(Result):
    """Forecasts of many series keyed by series id.

    Attributes
    ----------
    ids : ndarray
        Series ids in input order.
    forecasts : tuple of Forecast
        One forecast per id.
    seconds : float
        Wall time of the run.
    """

    ids: np.ndarray
    forecasts: tuple
    seconds: float

    _derived = derived_columns({
        "series_id": "the series of the row (``ids``); one row per series and step",
        "step": "the step ``1..h`` of that series' forecast",
        "mean": "its point forecast, ``self[series_id].mean``",
        "lo_{level}": "lower end of its level % interval (when every series has the level)",
        "hi_{level}": "upper end of its level % interval",
        "model": "its model, ``models``"})
    _key = ("series_id", "step")

    def __getitem__(self, series_id) -> Forecast:
        """The forecast of one series (``loc((series_id, step))`` gives one row)."""
        hit = np.flatnonzero(self.ids == series_id)
        if hit.size == 0:
            v.fail("series_id", "ForecastSet[...]", "one of the ids of the set", series_id)
        return self.forecasts[int(hit[0])]

    def __len__(self) -> int:
        return len(self.forecasts)

    @property
    def models(self) -> np.ndarray:
        """Model name of each series' forecast."""
        return np.array([f.model for f in self.forecasts])

    def mean_matrix(self) -> np.ndarray:
        """Point forecasts as an array of shape (n_series, h)."""
        return np.vstack([f.mean for f in self.forecasts])

    def _title(self) -> str:
        return f"ForecastSet of {len(self.forecasts)} series"

    def _summary(self) -> list[str]:
        names, counts = np.unique(self.models, return_counts=True)
        top = ", ".join(f"{n} x{c}" for n, c in sorted(zip(names, counts),
                                                      key=lambda t: -t[1])[:5])
        return [f"models: {top}", f"seconds: {self.seconds:.3f}"]

    def _columns(self) -> dict:
        ids, steps, means = [], [], []
        bands = {}
        for sid, f in zip(self.ids, self.forecasts):
            ids.append(np.repeat(np.asarray([sid], dtype=object), f.h))
            steps.append(np.arange(1, f.h + 1))
            means.append(f.mean)
            for i, lev in enumerate(f.levels):
                bands.setdefault(f"lo_{lev:g}", []).append(f.lower[i])
                bands.setdefault(f"hi_{lev:g}", []).append(f.upper[i])
        cols = {"series_id": np.concatenate(ids) if ids else np.empty(0, dtype=object),
                "step": np.concatenate(steps) if steps else np.empty(0, dtype=np.int64),
                "mean": np.concatenate(means) if means else np.empty(0)}
        for key, parts in bands.items():
            if len(parts) == len(self.forecasts):
                cols[key] = np.concatenate(parts)
        cols["model"] = np.concatenate([np.repeat(f.model, f.h) for f in self.forecasts]) \
            if self.forecasts else np.empty(0, dtype=str)
        return cols


def split_series(series, *, id=None, value=None, order=None, func="forecast.forecast_many"):
    """``(ids, list of 1-D arrays)`` from a 2-D array, a mapping id -> series, or a table.

    A table (pandas, polars, pyarrow, dict of columns) needs the ``id`` and ``value``
    column names; ``order`` (e.g. a date column) sorts the rows within each series.
    """
    kind = frame_kind(series)
    if id is not None or value is not None:
        if kind in ("none", "unknown"):
            v.fail("series", func, "a table (pandas, polars, pyarrow or dict of columns) "
                   "when 'id' and 'value' are given", got=type(series).__name__)
        if id is None or value is None:
            v.fail("id" if id is None else "value", func, "a column name (both 'id' and "
                   "'value' are needed for a long table)", None)
        keys = column(series, id, "id", func)
        vals = column(series, value, "value", func)
        v.check_same_length(func, id=keys, value=vals)
        ordv = column(series, order, "order", func) if order is not None else None
        uniq, first, inv = np.unique(keys, return_index=True, return_inverse=True)
        rank = np.argsort(first, kind="stable")
        ids = uniq[rank]
        out = []
        for code in rank:
            rows = np.flatnonzero(inv == code)
            if ordv is not None:
                rows = rows[np.argsort(ordv[rows], kind="stable")]
            out.append(vals[rows])
        return ids, out
    if isinstance(series, Mapping):
        ids = np.asarray(list(series.keys()), dtype=object)
        return ids, [series[k] for k in series]
    arr = v.array(series, "series", func)
    if arr.ndim != 2:
        v.fail("series", func, "a 2-D array (one series per row), a mapping id -> series, "
               "or a table with 'id' and 'value'", got=f"an array of shape {arr.shape}")
    return np.arange(arr.shape[0]), [arr[i] for i in range(arr.shape[0])]


def forecast_many(series: ArrayLike | Mapping[Any, ArrayLike] | TableLike, h: int,
                  method: str | Callable[..., Forecast] = "auto_ets", m: int = 1, *,
                  id: str | None = None, value: str | None = None, order: str | None = None,
                  level: float | Sequence[float] = (80, 95), n_jobs: int = 1,
                  progress: bool | Callable[[int, int], Any] | None = None,
                  options: Mapping[str, Any] | None = None) -> ForecastSet:
    """Forecast every series with one method, optionally on ``n_jobs`` threads.

    Parameters
    ----------
    series : 2-D array, mapping, or table
        One series per row of a 2-D array (ids ``0..k-1``), a mapping ``id -> series``,
        or a long table (pandas/polars/pyarrow/dict of columns) with ``id`` and ``value``.
    h : int
        Forecast horizon.
    method : str or callable, default "auto_ets"
        One of ``naive, seasonal_naive, mean, drift, theta, ses, holt, holt_winters,
        auto_ets, ets, croston, croston_sba, croston_optimized, tsb, adida, imapa``, or a
        callable ``f(y, h, level=..., series_id=...) -> Forecast``.
    m : int, default 1
        Season length passed to seasonal methods.
    id, value, order : str, optional
        Column names of a long table: series id, value, and a sort key within a series.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    n_jobs : int, default 1
        Worker threads. The model kernels release the GIL, so threads run in parallel.
    progress : bool or callable, optional
        ``True`` shows progress: a tqdm bar when tqdm is installed, else ``done/total``
        lines on stderr about every 10 %; a callable is called as ``progress(done, total)``
        after each series.
    options : dict, optional
        Extra keyword arguments for the method (e.g. ``{"model": "MAM"}`` for ``ets``).

    Returns
    -------
    ForecastSet
        Forecasts keyed by series id; ``to_frame()`` is a long table.

    Raises
    ------
    InvalidParameterError
        Unknown method, bad ``h``/``m``/``n_jobs``.
    DataError
        A bad series; the message names its id.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import forecast_many
    >>> fs = forecast_many(np.array([[1.0, 2, 3, 4], [4.0, 3, 2, 1]]), 2, "drift")
    >>> fs.mean_matrix()
    array([[ 5.,  6.],
           [ 0., -1.]])
    """
    func = "forecast.forecast_many"
    h = check_h(h, func)
    m = v.check_int(m, "m", func, low=1)
    n_jobs = v.check_int(n_jobs, "n_jobs", func, low=1)
    levels = check_levels(level, func)
    if options is not None and not isinstance(options, Mapping):
        v.fail("options", func, "a dict of keyword arguments", options)
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        v.fail("progress", func, "True, False, None or a callable(done, total)", progress,
               wrong_type=True)
    _label, call = resolve(method, "method", func)
    ids, parts = split_series(series, id=id, value=value, order=order, func=func)
    total = len(parts)
    check_h(h, func, series=max(total, 1))
    kw = dict(options or {})
    if callable(method) and kw:
        v.fail("options", func, "empty when 'method' is a callable", options)
    if not callable(method):
        check_options(method, kw, "options", func)

    def one(i):
        if callable(method):
            return call(parts[i], h, m, levels, ids[i])
        return call(parts[i], h, m, levels, ids[i], kw)

    report = reporter(progress, total, "series", func)
    start = time.perf_counter()
    results = [None] * total
    if n_jobs == 1 or total <= 1:
        for i in range(total):
            results[i] = one(i)
            report(i + 1)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            futures = [pool.submit(one, i) for i in range(total)]
            for done, fut in enumerate(futures, start=1):
                results[done - 1] = fut.result()
                report(done)
    report.close()
    return ForecastSet(np.asarray(ids), tuple(results), time.perf_counter() - start)

