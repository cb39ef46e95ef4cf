"""Fit and forecast many series in one call, on a thread pool over nogil kernels."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column, column_zone, frame_kind
from .._optional import require
from .._progress import reporter
from .._results import Result, derived_columns, result
from .._warnings import collected, warn
from ._base import Forecast, check_h, check_levels, where
from ._registry import check_options, resolve

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import dask.dataframe as dd
    from distributed import Client

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
    layout : str
        The table ``to_frame()`` gives: ``"set"`` (``series_id, step, [ds,] mean,
        lo_80 …, model``), ``"long"`` for a long table with dates in (statsforecast's
        layout: ``unique_id, ds, <method>, <method>-lo-80, <method>-lo-95,
        <method>-hi-80, <method>-hi-95``, with the input's column names) or ``"wide"`` for
        a wide table in (``ds`` then one column of point forecasts per series, then
        ``<id>-lo-<level>`` and ``<id>-hi-<level>``).
    names : tuple of str
        The id and date column names of the long or wide table (empty for ``"set"``).
    label : str
        The method's name (or the callable's ``__name__``): the long table's forecast
        column.
    """

    ids: np.ndarray
    forecasts: tuple
    seconds: float
    layout: str = "set"
    names: tuple = ()
    label: str = ""

    _derived = derived_columns({
        "series_id": "the series of the row (``ids``); one row per series and step",
        "step": "the step ``1..h`` of that series' forecast",
        "mean": "its point forecast, ``self[series_id].mean``",
        "lo_{level}": "lower end of its level % interval (when every series has the level)",
        "hi_{level}": "upper end of its level % interval",
        "model": "its model, ``models``",
        "ds": "the future timestamp of the step, ``self[series_id].ds`` (when dates are "
              "known)",
        "{column}": "long layout: the id column (``ids``), the date column "
                    "(``self[id].ds``), the point forecasts (named after the method, "
                    "``label``) and the bands ``<label>-lo-<level>`` / "
                    "``<label>-hi-<level>``; wide layout: the date column, one column of "
                    "point forecasts per series (named by its id) and the bands "
                    "``<id>-lo-<level>`` / ``<id>-hi-<level>``"})
    _key = ("series_id", "step")

    def _key_columns(self, columns: dict) -> tuple:
        if self.layout == "long":
            return self.names
        if self.layout == "wide":
            return (self.names[1],)
        return self._key

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

    def _zones(self) -> dict:
        zone = self.forecasts[0].tz if self.forecasts else None
        return {self.names[1] if self.layout in ("long", "wide") else "ds": zone}

    def _columns(self) -> dict:
        if self.layout == "long":
            return self._long_columns()
        if self.layout == "wide":
            return self._wide_columns()
        cols = self._set_columns()
        if self.forecasts and all(f.ds is not None for f in self.forecasts):
            cols = {"series_id": cols.pop("series_id"), "step": cols.pop("step"),
                    "ds": np.concatenate([f.ds for f in self.forecasts]), **cols}
        return cols

    def _bands(self, prefix: str, parts: list) -> dict:
        """``prefix-lo-<level>`` then ``prefix-hi-<level>``, levels ascending, as
        statsforecast 2.x orders them."""
        levels = self.forecasts[0].levels if self.forecasts else np.empty(0)
        if any(f.levels.shape != levels.shape or not np.array_equal(f.levels, levels)
               for f in self.forecasts):
            return {}
        out = {}
        for side, attr in (("lo", "lower"), ("hi", "upper")):
            for i in range(levels.size):
                out[f"{prefix}-{side}-{levels[i]:g}"] = parts(attr, i)
        return out

    def _long_columns(self) -> dict:
        idn, dsn = self.names
        fs = self.forecasts
        cols = {idn: np.concatenate([np.repeat(np.asarray([sid], dtype=object), f.h)
                                     for sid, f in zip(self.ids, fs)])
                if fs else np.empty(0, dtype=object),
                dsn: np.concatenate([f.ds for f in fs]) if fs else np.empty(0, "M8[ns]"),
                self.label: np.concatenate([f.mean for f in fs]) if fs else np.empty(0)}
        cols.update(self._bands(self.label, lambda attr, i: np.concatenate(
            [getattr(f, attr)[i] for f in fs])))
        return cols

    def _wide_columns(self) -> dict:
        fs = self.forecasts
        cols = {self.names[1]: fs[0].ds if fs else np.empty(0, "M8[ns]")}
        for sid, f in zip(self.ids, fs):
            cols[str(sid)] = f.mean
        for sid, f in zip(self.ids, fs):
            one = ForecastSet(np.asarray([sid]), (f,), 0.0)
            cols.update(one._bands(str(sid), lambda attr, i, f=f: getattr(f, attr)[i]))
        return cols

    def _set_columns(self) -> dict:
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


LONG = ("unique_id", "ds", "y")  # statsforecast's long layout


@attrs.frozen
class Panel:
    """Series read from the input: ids, values, each series' last date, the frequency (a
    pandas offset, an integer step for integer dates, or None) and the output layout."""

    ids: np.ndarray
    parts: list
    lasts: list | None = None
    off: Any = None
    layout: str = "set"
    names: tuple = ()
    tz: str | None = None  # the dates' time zone (aware dates: ``lasts`` are aware too)


def _names(data, kind) -> list:
    if kind == "pandas":
        return [str(c) for c in data.columns]
    if kind == "polars":
        return list(data.columns)
    if kind == "arrow":
        return list(data.column_names)
    return [str(k) for k in data]


def _dated_frame_index(series):
    index = getattr(series, "index", None)
    return index if type(index).__name__ in ("DatetimeIndex", "PeriodIndex") else None


def read_panel(series, *, id=None, value=None, order=None, ds=None, freq=None,
               func="forecast.forecast_many") -> Panel:
    """The series of a 2-D array, a mapping, a long table or a wide table (see
    :func:`forecast_many` for how the layout is told apart)."""
    kind = frame_kind(series)
    table = kind in ("pandas", "polars", "arrow", "dict")
    if ds is not None:
        if isinstance(ds, bool) or not isinstance(ds, str):
            v.fail("ds", func, "a column name (the dates)", ds, wrong_type=True)
        if order is not None:
            v.fail("order", func, "None when 'ds' is given (the dates order the rows)", order)
        if not table:
            v.fail("series", func, "a table (pandas, polars, pyarrow or dict of columns) "
                   "when 'ds' is given", got=type(series).__name__, wrong_type=True)
    if table and (ds is not None or (id is None and value is None)):
        cols = _names(series, kind)
        idn = LONG[0] if id is None else id
        valn = LONG[2] if value is None else value
        dsn = LONG[1] if ds is None else ds
        if id is not None or value is not None or (idn in cols and valn in cols
                                                   and dsn in cols):
            return read_long(series, idn, valn, dsn, freq, func)
        if dsn in cols or (kind == "pandas" and _dated_frame_index(series) is not None):
            return read_wide(series, kind, cols, dsn if dsn in cols else None, freq, func)
        if ds is not None:
            v.fail_unknown_column("ds", func, ds, cols)
    if freq is not None:
        v.fail("freq", func, "None unless the series come with dates (a long table with a "
               "'ds' column, or a wide table with a DatetimeIndex or a 'ds' column)", freq)
    ids, parts = split_series(series, id=id, value=value, order=order, func=func)
    return Panel(np.asarray(ids), parts)


def _int_step(freq, func):
    if freq is None:
        return None
    if isinstance(freq, bool) or not isinstance(freq, (int, np.integer)) or freq < 1:
        v.fail("freq", func, "a positive integer step when the dates are integers", freq)
    return int(freq)


def read_long(table, idn: str, valn: str, dsn: str, freq, func: str) -> Panel:
    """A long table (one row per series and date) split into its series, sorted by date."""
    from ._dates import follows, read_dates, regular_freq, zone_of

    keys = column(table, idn, "id", func)
    vals = column(table, valn, "value", func)
    dsv = column(table, dsn, "ds", func)
    v.check_same_length(func, id=keys, value=vals, ds=dsv)
    try:
        uniq, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    except TypeError:
        v.fail("id", func, "series ids of one comparable type, without missing values",
               got=f"ids of types {sorted({type(k).__name__ for k in keys.tolist()})}",
               data=True)
    rank = np.argsort(first, kind="stable")
    code_of = np.empty(rank.shape[0], dtype=np.int64)
    code_of[rank] = np.arange(rank.shape[0])
    code = code_of[inv.ravel()]
    ids = uniq[rank]
    integer = dsv.dtype.kind in "iu"
    zone = None
    if integer:
        tkey = dsv.astype(np.int64)
    else:
        stamps = read_dates(dsv, "ds", func)
        tkey = stamps.asi8  # UTC for aware dates
        zone = zone_of(stamps) or column_zone(table, dsn)
    rows = np.lexsort((tkey, code))
    code_s, t_s = code[rows], tkey[rows]
    bounds = np.flatnonzero(np.diff(code_s)) + 1
    parts = np.split(vals[rows], bounds)
    ends = np.append(bounds, rows.shape[0]) - 1
    same = code_s[1:] == code_s[:-1]
    if integer:
        off = _check_int_steps(t_s, same, code_s, ids, _int_step(freq, func), func)
        return Panel(ids, parts, t_s[ends].tolist() if rows.size else [], off, "long",
                     (idn, dsn))
    pd = require("pandas", func)
    sorted_stamps = pd.DatetimeIndex(t_s.view("M8[ns]"))
    if zone is not None:  # regular in the local calendar (a day is 23 or 25 hours at DST)
        sorted_stamps = sorted_stamps.tz_localize("UTC").tz_convert(zone)
    starts = np.append(0, bounds)
    if freq is None:
        longest = int(np.argmax(ends - starts)) if rows.size else 0
        seg = sorted_stamps[starts[longest]:ends[longest] + 1] if rows.size else \
            sorted_stamps
        off = regular_freq(seg, None, "ds", where(func, ids[longest] if rows.size else None))
    else:
        from ._dates import parse_freq

        off = parse_freq(freq, "freq", func)
    if rows.size > 1:
        bad = np.flatnonzero(same & ~follows(sorted_stamps, off))
        if bad.size:
            k = int(code_s[bad[0]])
            regular_freq(sorted_stamps[starts[k]:ends[k] + 1], off, "ds", where(func, ids[k]))
            v.fail("ds", where(func, ids[k]), f"regular dates of frequency {off.freqstr!r}",
                   got="irregular dates", data=True)  # pragma: no cover - caught above
    lasts = [sorted_stamps[e] for e in ends] if rows.size else []
    return Panel(ids, parts, lasts, off, "long", (idn, dsn), zone)


def _check_int_steps(t_s, same, code_s, ids, step, func):
    """The common step of integer dates (``freq``, else the usual one); gaps fail."""
    d = np.diff(t_s)[same]
    if step is None:
        if d.size == 0:
            return 1
        values, counts = np.unique(d, return_counts=True)
        step = int(values[np.argmax(counts)])
    bad = np.flatnonzero(same & (np.diff(t_s) != step))
    if bad.size:
        i = int(bad[0])
        sid = ids[int(code_s[i])]
        if t_s[i + 1] == t_s[i]:
            got = f"the time {t_s[i]} repeated"
        else:
            got = f"a step of {t_s[i + 1] - t_s[i]} from {t_s[i]} to {t_s[i + 1]}"
        v.fail("ds", where(func, sid), f"regular integer times with step {step} (no gaps, no "
               "repeats)", got=got, data=True)
    return step


def read_wide(table, kind: str, cols: list, dsn: str | None, freq, func: str) -> Panel:
    """A wide table: one column per series, dates in ``dsn`` or the pandas index."""
    from ._dates import read_dates, regular_freq, zone_of

    if dsn is None:
        stamps = read_dates(_dated_frame_index(table), "series", func)
        labels = list(table.columns)
        names = [str(c) for c in labels]
    else:
        stamps = read_dates(column(table, dsn, "ds", func), "ds", func)
        zone = column_zone(table, dsn)
        if zone is not None and stamps.tz is None:  # the column's UTC instants, in its zone
            stamps = stamps.tz_localize("UTC").tz_convert(zone)
        labels = list(table.columns) if kind == "pandas" else list(cols)
        names = [str(c) for c in labels]
        keep = [i for i, n in enumerate(names) if n != dsn]
        labels, names = [labels[i] for i in keep], [names[i] for i in keep]
    if not labels:
        v.fail("series", func, "a wide table with at least one series column besides the "
               "dates", got="no series columns")
    off = regular_freq(stamps, freq, "ds" if dsn else "series", func)
    parts = []
    for name in names:
        arr = column(table, name, "series", func)
        if arr.dtype.kind == "f" and arr.size and np.isnan(arr[0]):
            seen = ~np.isnan(arr)
            arr = arr[int(np.argmax(seen)):] if seen.any() else arr  # leading gaps: later start
        parts.append(arr)
    ids = np.empty(len(labels), dtype=object)
    ids[:] = labels
    return Panel(ids, parts, [stamps[-1]] * len(parts), off, "wide",
                 ("", dsn or (getattr(table.index, "name", None) or "ds")), zone_of(stamps))


def future_for(panel: Panel, h: int, func: str = "forecast.forecast_many") -> list | None:
    """The future dates of every series (None without dates)."""
    if panel.lasts is None:
        return None
    if isinstance(panel.off, int):
        top = max((int(x) for x in panel.lasts), default=0) + panel.off * h
        if top > np.iinfo(np.int64).max:
            v.fail("h", func, "a horizon whose integer times fit in 64 bits",
                   got=f"{h} steps of {panel.off} after {max(panel.lasts)}")
        steps = np.arange(1, h + 1, dtype=np.int64) * panel.off
        return [np.int64(last) + steps for last in panel.lasts]
    from ._dates import check_fits, future_dates

    pd = require("pandas", func)
    if isinstance(panel.off, pd.offsets.Tick) and panel.tz is None:
        if panel.lasts:
            check_fits(max(last.value for last in panel.lasts), panel.off.nanos, h, func)
        steps = np.arange(1, h + 1, dtype=np.int64) * np.int64(panel.off.nanos)
        return [(np.int64(last.value) + steps).view("M8[ns]") for last in panel.lasts]
    return [future_dates(last, panel.off, h, func) for last in panel.lasts]


def run_panel(panel: Panel, h: int, m: int | None, levels, call, method, kw: dict,
              n_jobs: int, report) -> tuple:
    """Forecasts of every series of ``panel`` (dates attached), in order, and the cxpath
    warnings the series raised (:func:`~cxpath._warnings.collected` per series, so that
    other threads' warnings and the process's filters are left alone)."""
    from ._dates import season_length

    if m is None:
        m = season_length(panel.off) if panel.off is not None and \
            not isinstance(panel.off, int) else 1
    parts, ids = panel.parts, panel.ids
    total = len(parts)

    def one(i):
        with collected() as caught:  # per series, in the thread that runs it
            if callable(method):
                return call(parts[i], h, m, levels, ids[i]), caught
            return call(parts[i], h, m, levels, ids[i], kw), caught

    future = future_for(panel, h)  # before the work: a horizon past the calendar fails now
    results = [None] * total
    caught: list = []
    if n_jobs == 1 or total <= 1:
        for i in range(total):
            results[i], more = one(i)
            caught += more
            report(i + 1)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            futures = [pool.submit(one, i) for i in range(total)]
            for done, fut in enumerate(futures, start=1):
                results[done - 1], more = fut.result()
                caught += more
                report(done)
    if future is not None:
        if not all(isinstance(f, Forecast) for f in results):
            bad = next(f for f in results if not isinstance(f, Forecast))
            v.fail("method", "forecast.forecast_many", "a callable returning a "
                   "cxpath.forecast.Forecast", got=f"a {type(bad).__name__}", wrong_type=True)
        freq = panel.off.freqstr if not isinstance(panel.off, int) else None
        results = [attrs.evolve(f, ds=d, freq=freq, tz=panel.tz)
                   for f, d in zip(results, future)]
    return tuple(results), caught


def warn_once(caught: list, total: int, func: str) -> None:
    """One warning per category for the warnings the series raised (not one per series)."""
    groups: dict = {}
    for w in caught:
        groups.setdefault(w.category, []).append(str(w.message))
    for category, messages in groups.items():
        if len(messages) == 1:
            warn(messages[0], category, stacklevel=3)
            continue
        warn(f"{func}: {len(messages)} warnings ({category.__name__}) from the "
             f"{total} series; the first: {messages[0]}", category, stacklevel=3)


def _is_dask(x) -> bool:
    return type(x).__module__.split(".")[0] in ("dask", "dask_expr") and \
        hasattr(x, "npartitions") and hasattr(x, "to_delayed")


def forecast_many(series: ArrayLike | Mapping[Any, ArrayLike] | TableLike | dd.DataFrame,
                  h: int, method: str | Callable[..., Forecast] = "auto_ets",
                  m: int | None = None, *, id: str | None = None, value: str | None = None,
                  order: str | None = None, ds: str | None = None, freq: str | int | None = None,
                  level: float | Sequence[float] = (80, 95), n_jobs: int = 1,
                  progress: bool | Callable[[int, int], Any] | None = None,
                  options: Mapping[str, Any] | None = None,
                  scheduler: str | Client | None = None) -> ForecastSet:
    """Forecast every series with one method, optionally on ``n_jobs`` threads or on Dask.

    The input's layout is read so, and ``to_frame()`` gives the same layout back:

    * a **long table with dates** — ``ds`` given, or columns ``unique_id``, ``ds`` and
      ``y`` (statsforecast's layout; other names through ``id``, ``ds``, ``value``) — one
      row per series and date: the result's table is long too, with the id and date
      columns, the point forecast named after the method and the bands
      ``<method>-lo-<level>`` / ``<method>-hi-<level>`` as in statsforecast;
    * a **wide table** — one column per series and the dates in a ``DatetimeIndex`` or a
      ``ds`` column — gives a wide table: the future dates, then one column per series
      (leading missing values of a column are a later start, dropped);
    * a 2-D array (one series per row, ids ``0..k-1``), a mapping ``id -> series`` or a
      long table with ``id`` and ``value`` (and ``order``) but no dates give the table of
      :class:`ForecastSet` (``series_id, step, mean, …``), as before;
    * a **Dask DataFrame** in the long layout, partitioned by series (every series in one
      partition, e.g. after ``ddf.shuffle(on="unique_id")``), is forecast partition by
      partition on the scheduler (extra ``dask``); the result equals the single-machine
      run on ``ddf.compute()``.

    cxpath's own warnings from the series (a sanity fallback of ``auto_ets``, say) come
    as one warning per category with the count of series, not one per series; they are
    collected per call and thread, so the process's warning filters and other threads'
    warnings are left alone (a callable's own ``warnings.warn`` passes through as it is).

    Dates must be regular (one frequency, no gaps): irregular ones fail naming the
    series and its gaps. Integer dates (``ds`` of integers) step by ``freq`` (default
    their usual step). Time-zone-aware date columns are read in UTC, as everywhere in
    cxpath.

    Parameters
    ----------
    series : 2-D array, mapping, table or dask DataFrame
        The series, in one of the layouts above.
    h : int
        Forecast horizon.
    method : str or callable, default "auto_ets"
        One of ``naive, seasonal_naive, mean, drift, theta, ses, holt, holt_winters,
        auto_ets, ets, croston, croston_sba, croston_optimized, tsb, adida, imapa``, or a
        callable ``f(y, h, level=..., series_id=...) -> Forecast``.
    m : int, optional
        Season length passed to seasonal methods; by default the dates' frequency gives it
        (``D`` → 7, ``h`` → 24, ``W`` → 52, ``MS`` → 12, see :mod:`cxpath.forecast`),
        else 1.
    id, value, order : str, optional
        Column names of a long table: series id, value, and a sort key within a series.
    ds : str, optional
        The date column of a long (or wide) table; default ``"ds"`` when the table has
        the columns ``unique_id``, ``ds`` and ``y``, or has a ``ds`` column (wide).
    freq : str or int, optional
        Frequency alias of the dates (``"D"``, ``"W-SUN"``, ``"MS"``); inferred from the
        longest series when None and checked on every series. An integer step for
        integer dates.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    n_jobs : int, default 1
        Worker threads (in every partition, on Dask). The model kernels release the GIL,
        so threads run in parallel.
    progress : bool or callable, optional
        ``True`` shows progress: a tqdm bar when tqdm is installed, else ``done/total``
        lines on stderr about every 10 %; a callable is called as ``progress(done, total)``
        after each series (on Dask: once, when the partitions are done).
    options : dict, optional
        Extra keyword arguments for the method (e.g. ``{"model": "MAM"}`` for ``ets``).
    scheduler : str or distributed.Client, optional
        For a Dask DataFrame: passed to ``dask.compute`` (``"threads"``, ``"processes"``,
        ``"synchronous"`` or a ``distributed.Client``); default dask's current scheduler.

    Returns
    -------
    ForecastSet
        Forecasts keyed by series id; ``to_frame()`` is a table in the input's layout.

    Raises
    ------
    InvalidParameterError
        Unknown method, bad ``h``/``m``/``n_jobs``/``freq``, ``scheduler`` without a Dask
        DataFrame.
    DataError
        A bad series or irregular dates (the message names its id); on Dask, a series
        spread over several partitions.
    MissingExtraError
        A Dask DataFrame without the ``dask`` extra installed.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import forecast_many
    >>> fs = forecast_many(np.array([[1.0, 2, 3, 4], [4.0, 3, 2, 1]]), 2, "drift")
    >>> fs.mean_matrix()
    array([[ 5.,  6.],
           [ 0., -1.]])

    A long table in statsforecast's layout gives one back:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4,
    ...                    "ds": list(pd.date_range("2024-01-01", periods=4, freq="D")) * 2,
    ...                    "y": [1.0, 2, 3, 4, 4, 3, 2, 1]})
    >>> forecast_many(df, 2, "drift", level=80).to_frame()
      unique_id         ds  drift  drift-lo-80  drift-hi-80
    0         a 2024-01-05    5.0          5.0          5.0
    1         a 2024-01-06    6.0          6.0          6.0
    2         b 2024-01-05    0.0          0.0          0.0
    3         b 2024-01-06   -1.0         -1.0         -1.0
    """
    func = "forecast.forecast_many"
    h = check_h(h, func)
    if m is not None:
        m = v.check_int(m, "m", func, low=1)
    n_jobs = v.check_int(n_jobs, "n_jobs", func, low=1)
    levels = check_levels(level, func)
    if options is not None and not isinstance(options, Mapping):
        v.fail("options", func, "a dict of keyword arguments", options)
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        v.fail("progress", func, "True, False, None or a callable(done, total)", progress,
               wrong_type=True)
    label, call = resolve(method, "method", func)
    kw = dict(options or {})
    if callable(method) and kw:
        v.fail("options", func, "empty when 'method' is a callable", options)
    if not callable(method):
        check_options(method, kw, "options", func)
    if _is_dask(series):
        from .distributed import forecast_dask

        return forecast_dask(series, h, method, m, id=id, value=value, ds=ds, freq=freq,
                             levels=levels, kw=kw, n_jobs=n_jobs, progress=progress,
                             scheduler=scheduler, label=label, func=func)
    if scheduler is not None:
        v.fail("scheduler", func, "None unless 'series' is a dask DataFrame", scheduler)
    panel = read_panel(series, id=id, value=value, order=order, ds=ds, freq=freq, func=func)
    total = len(panel.parts)
    check_h(h, func, series=max(total, 1))
    report = reporter(progress, total, "series", func)
    start = time.perf_counter()
    results, caught = run_panel(panel, h, m, levels, call, method, kw, n_jobs, report)
    report.close()
    warn_once(caught, total, func)
    return ForecastSet(np.asarray(panel.ids) if panel.layout != "wide" else panel.ids,
                       results, time.perf_counter() - start, panel.layout, panel.names,
                       label)
