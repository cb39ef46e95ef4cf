"""Rolling-origin backtests of many series: cross-validation tables, scaled accuracy per
series and aggregated, and a leaderboard with win counts."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._progress import reporter
from .._results import Result, derived_columns, result
from ._base import Forecast, check_h, check_levels, check_series, where
from ._registry import check_options, option_names, resolve, resolve_methods
from .accuracy import mase_scale, rmsse_scale

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import dask.dataframe as dd
    from distributed import Client

    from .._typing import ArrayLike, TableLike

__all__ = ["BASELINES", "BacktestSet", "Evaluation", "SeriesLeaderboard", "backtest_many"]

#: The default methods of :func:`backtest_many`: statsforecast's usual baselines.
BASELINES = ("naive", "seasonal_naive", "drift", "mean", "theta", "ses", "auto_ets")

METRICS = ("mase", "rmsse", "smape", "wape", "scaled_pinball", "coverage", "mae", "rmse")
AGGREGATES = ("mean", "median", "weighted")
LAYOUTS = ("rows", "cross_validation")


@result
class BacktestSet(Result):
    """Rolling-origin forecasts of many series by several methods, against the actuals.

    Rows are ordered by series, then window (oldest cutoff first), then step; every series
    has ``n_windows`` windows of ``h`` steps.

    Attributes
    ----------
    ids : ndarray
        Series ids in input order.
    labels : ndarray
        Method labels.
    series_id, cutoff, ds, step, y : ndarray
        Per row: the series, the last training time (its date, or its position ``0..n-1``
        when the series have no dates), the forecast time (date or position), the step
        ``1..h`` and the actual value.
    mean : ndarray of shape (n_methods, rows)
        Point forecasts of each method.
    levels : ndarray
        Interval levels (percent).
    lower, upper : ndarray of shape (n_methods, k, rows)
        Interval bounds of each method and level (NaN when a method gives none).
    scale, scale2 : ndarray
        Per row: the in-sample seasonal-naive MAE (MASE scale) and mean squared seasonal
        difference (RMSSE scale) of the window's training data.
    h, n_windows, m : int
        Horizon, windows per series, season length of the scales.
    layout : str
        ``to_frame()`` table: ``"rows"`` (``unique_id, cutoff, ds, step, model, y, mean,
        lo_<L>, hi_<L>``, one row per series, window, step and method) or
        ``"cross_validation"`` (statsforecast's ``cross_validation`` layout: ``unique_id,
        ds, cutoff, y`` then per method ``<label>``, ``<label>-lo-<L>`` …,
        ``<label>-hi-<L>`` …, one row per series, window and step).
    names : tuple of str
        The id, date and value column names of the tables.
    seconds : float
        Wall time of the run.
    tz : str, optional
        The time zone of time-zone-aware dates, whose ``cutoff`` and ``ds`` are then UTC
        instants that ``to_frame()`` shows in the zone; else None.
    """

    ids: np.ndarray
    labels: np.ndarray
    series_id: np.ndarray
    cutoff: np.ndarray
    ds: np.ndarray
    step: np.ndarray
    y: np.ndarray
    mean: np.ndarray
    levels: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    scale: np.ndarray
    scale2: np.ndarray
    h: int
    n_windows: int
    m: int
    layout: str = "rows"
    names: tuple = ("unique_id", "ds", "y")
    seconds: float = 0.0
    tz: str | None = None

    _derived = derived_columns({
        "unique_id": "the series of the row, ``series_id`` (named after the input's id "
                     "column, ``names[0]``)",
        "model": "rows layout: the method, ``labels``",
        "lo_{level}": "rows layout: lower end of the method's level % interval, "
                      "``lower[method, i]`` for ``levels[i] == level``",
        "hi_{level}": "rows layout: upper end, ``upper[method, i]``",
        "{column}": "the date column (``ds``, named ``names[1]``), the value column (``y``, "
                    "``names[2]``); cross_validation layout: one column of point forecasts "
                    "per method (``mean[j]``, named ``labels[j]``) and its bands "
                    "``<label>-lo-<level>`` / ``<label>-hi-<level>`` (``lower[j, i]``, "
                    "``upper[j, i]``)"})

    def _explain_column(self, column: str) -> str | None:
        return self._match_derived(self._derived, column) or self._derived["{column}"]

    def _key_columns(self, columns: dict) -> tuple:
        if self.layout == "cross_validation":
            return (self.names[0], "cutoff", self.names[1])
        return (self.names[0], "cutoff", "step", "model")

    def evaluate(self, metrics: Sequence[str] | None = None) -> Evaluation:
        """Accuracy of every method on every series (see :class:`Evaluation`).

        A scaled metric is NaN on a series when one of its windows' training data is not
        longer than ``m`` (no seasonal-naive scale), and ``inf`` when the scale is 0 (a
        constant history) and the errors are not; aggregates ignore NaN.

        Parameters
        ----------
        metrics : sequence of str, optional
            Among ``mase, rmsse, smape, wape, scaled_pinball, coverage, mae, rmse``;
            default all (``scaled_pinball`` and ``coverage`` only with interval levels).

        Returns
        -------
        Evaluation

        Raises
        ------
        InvalidParameterError
            An unknown metric, or an interval metric without levels.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.forecast import backtest_many
        >>> y = np.vstack([np.arange(30.0), np.arange(30.0) % 7 + 0.1 * np.arange(30)])
        >>> cv = backtest_many(y, 7, ["naive", "drift"], 7, n_windows=2)
        >>> cv.evaluate(["mase"]).metrics["mase"][:, 1].round(3).tolist()
        [0.0, 3.242]
        """
        return _evaluate(self, metrics)

    def leaderboard(self, metric: str = "mase", aggregate: str = "mean") -> SeriesLeaderboard:
        """Methods ranked by a metric aggregated over the series, with win counts.

        Shorthand for ``self.evaluate().leaderboard(metric, aggregate)``.

        Parameters
        ----------
        metric : str, default "mase"
            The ranking metric (a column of :meth:`evaluate`, e.g. ``coverage_95``).
        aggregate : str, default "mean"
            ``mean``, ``median`` or ``weighted`` over the series.

        Returns
        -------
        SeriesLeaderboard

        Raises
        ------
        InvalidParameterError
            Unknown metric or aggregate.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.forecast import backtest_many
        >>> y = np.vstack([np.arange(30.0), np.arange(30.0) % 7 + 0.1 * np.arange(30)])
        >>> lb = backtest_many(y, 7, ["naive", "drift"], 7, n_windows=2).leaderboard()
        >>> lb.model.tolist(), lb.wins.tolist()
        (['seasonal_naive', 'drift', 'naive'], [1, 1, 0])
        """
        return self.evaluate().leaderboard(metric, aggregate)

    def _title(self) -> str:
        return (f"BacktestSet of {len(self.ids)} series, {self.labels.size} methods, "
                f"{self.n_windows} windows of {self.h} steps")

    def _summary(self) -> list[str]:
        return [f"methods: {', '.join(map(str, self.labels))}",
                f"seconds: {self.seconds:.3f}"]

    def _zones(self) -> dict:
        return {self.names[1]: self.tz, "cutoff": self.tz}

    def _columns(self) -> dict:
        idn, dsn, yn = self.names
        if self.layout == "cross_validation":
            cols = {idn: self.series_id, dsn: self.ds, "cutoff": self.cutoff, yn: self.y}
            for j, lab in enumerate(self.labels):
                cols[str(lab)] = self.mean[j]
                for side, arr in (("lo", self.lower), ("hi", self.upper)):
                    for i, lev in enumerate(self.levels):
                        cols[f"{lab}-{side}-{lev:g}"] = arr[j, i]
            return cols
        k = self.labels.size
        rows = self.y.shape[0]
        rep = lambda a: np.repeat(a, k)  # noqa: E731
        cols = {idn: rep(self.series_id), "cutoff": rep(self.cutoff), dsn: rep(self.ds),
                "step": rep(self.step), "model": np.tile(self.labels, rows), yn: rep(self.y),
                "mean": self.mean.T.reshape(-1)}
        for i, lev in enumerate(self.levels):
            cols[f"lo_{lev:g}"] = self.lower[:, i].T.reshape(-1)
            cols[f"hi_{lev:g}"] = self.upper[:, i].T.reshape(-1)
        return cols


@result
class Evaluation(Result):
    """Accuracy of each method on each series over all its backtest windows.

    MASE, RMSSE and the scaled pinball loss are computed per window (each scaled by its
    own training data) and averaged over the windows; MAE, RMSE, sMAPE, WAPE and coverage
    pool the series' windows.

    Attributes
    ----------
    ids : ndarray
        Series ids.
    labels : ndarray
        Method labels.
    metrics : dict
        Metric name -> array of shape (n_series, n_methods).
    weights : ndarray
        Volume of each series: the sum of its absolute actuals over the windows (the
        weights of ``aggregate="weighted"``).
    levels : ndarray
        Interval levels of the coverage columns.
    """

    ids: np.ndarray
    labels: np.ndarray
    metrics: dict
    weights: np.ndarray
    levels: np.ndarray

    _derived = derived_columns({
        "unique_id": "the series of the row, ``ids``",
        "model": "the method, ``labels``",
        "{metric}": "the metric on that series, ``metrics[metric][series, method]``"})
    _key = ("unique_id", "model")

    def _explain_column(self, column: str) -> str | None:
        if column in self.metrics:
            return self._derived["{metric}"]
        return self._match_derived(self._derived, column)

    def aggregate(self, how: str = "mean") -> dict:
        """Each metric over the series: ``{metric: array over methods}``.

        Parameters
        ----------
        how : str, default "mean"
            ``mean`` or ``median`` over the series (NaN ignored), or ``weighted``: the mean
            weighted by each series' volume ``weights`` (for WAPE this is the pooled
            ``sum|y - f| / sum|y|`` of all series).

        Returns
        -------
        dict

        Raises
        ------
        InvalidParameterError
            Unknown ``how``.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.forecast import backtest_many
        >>> y = np.vstack([np.arange(30.0), np.arange(30.0) % 7 + 0.1 * np.arange(30)])
        >>> ev = backtest_many(y, 7, ["drift"], 7, n_windows=2, benchmark=None).evaluate()
        >>> ev.aggregate("median")["mase"].round(3).tolist()
        [1.621]
        """
        how = v.check_option(how, "how", "forecast.Evaluation.aggregate", AGGREGATES)
        return {k: _aggregate(val, self.weights, how) for k, val in self.metrics.items()}

    def leaderboard(self, metric: str = "mase", aggregate: str = "mean") -> SeriesLeaderboard:
        """Methods ranked by ``metric`` aggregated over the series, with win counts.

        A method wins a series when its metric there is the best of all methods (the
        smallest; for ``coverage_<L>`` the closest to ``L`` %); tied methods all win.
        Series where every method's metric is NaN count for nobody.

        Parameters
        ----------
        metric : str, default "mase"
            A metric of :attr:`metrics` (``coverage_<L>`` for coverage).
        aggregate : str, default "mean"
            ``mean``, ``median`` or ``weighted`` (see :meth:`aggregate`).

        Returns
        -------
        SeriesLeaderboard

        Raises
        ------
        InvalidParameterError
            Unknown metric or aggregate.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.forecast import backtest_many
        >>> y = np.vstack([np.arange(30.0), np.arange(30.0) % 7 + 0.1 * np.arange(30)])
        >>> ev = backtest_many(y, 7, ["naive", "drift"], 7, n_windows=2).evaluate()
        >>> ev.leaderboard("wape", "weighted").best
        'drift'
        """
        func = "forecast.Evaluation.leaderboard"
        metric = v.check_option(metric, "metric", func, list(self.metrics))
        aggregate = v.check_option(aggregate, "aggregate", func, AGGREGATES)
        agg = self.aggregate(aggregate)
        per = _key(metric, self.metrics[metric])
        with np.errstate(invalid="ignore"):
            finite = ~np.all(np.isnan(per), axis=1)
            best = np.full(per.shape[0], np.nan)
            best[finite] = np.nanmin(per[finite], axis=1)
            wins = np.sum(per == best[:, None], axis=0)
        order = np.argsort(_key(metric, agg[metric]), kind="stable")
        return SeriesLeaderboard(self.labels[order], wins[order].astype(np.int64),
                                 {k: val[order] for k, val in agg.items()}, metric, aggregate,
                                 int(self.ids.shape[0]))

    def _title(self) -> str:
        return f"Evaluation of {self.labels.size} methods on {self.ids.shape[0]} series"

    def _columns(self) -> dict:
        s, k = self.ids.shape[0], self.labels.size
        ids = np.empty(s * k, dtype=object)
        ids[:] = np.repeat(np.asarray(self.ids, dtype=object), k)
        return {"unique_id": ids, "model": np.tile(self.labels, s),
                **{name: val.reshape(-1) for name, val in self.metrics.items()}}


@result
class SeriesLeaderboard(Result):
    """Methods ranked by an aggregated metric over many series, best first.

    Attributes
    ----------
    model : ndarray
        Method labels, best first.
    wins : ndarray
        Number of series on which each method is the best by ``sort_by`` (ties count for
        every tied method).
    metrics : dict
        Metric -> array over the methods, aggregated over the series by ``aggregate``.
    sort_by : str
        The ranking metric (ascending; ``coverage_<L>`` by distance to ``L`` %).
    aggregate : str
        ``mean``, ``median`` or ``weighted``.
    n_series : int
        Number of series.
    """

    model: np.ndarray
    wins: np.ndarray
    metrics: dict
    sort_by: str
    aggregate: str
    n_series: int

    _derived = derived_columns({"{metric}": "the metric over the series, ``metrics[metric]``"})
    _key = "model"

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{metric}"] if column in self.metrics else None

    @property
    def best(self) -> str:
        """The top method."""
        return str(self.model[0])

    def _title(self) -> str:
        return (f"Leaderboard over {self.n_series} series (sorted by {self.aggregate} "
                f"{self.sort_by})")

    def _columns(self) -> dict:
        return {"model": self.model, "wins": self.wins, **self.metrics}


def _key(metric: str, values: np.ndarray) -> np.ndarray:
    """Smaller is better: coverage becomes its distance to the nominal level."""
    if metric.startswith("coverage_"):
        return np.abs(values - float(metric.split("_", 1)[1]) / 100.0)
    return values


def _aggregate(values: np.ndarray, weights: np.ndarray, how: str) -> np.ndarray:
    """Column-wise median, weighted mean or mean over the non-NaN rows; NaN for a column
    with none (computed on the other columns only, so numpy has no all-NaN slice to warn
    about)."""
    out = np.full(values.shape[1], np.nan)
    ok = ~np.isnan(values)
    cols = np.flatnonzero(ok.any(axis=0))
    if cols.size == 0:
        return out
    v_, ok = values[:, cols], ok[:, cols]
    if how == "median":
        out[cols] = np.nanmedian(v_, axis=0)
    elif how == "weighted":
        w = np.where(ok, weights[:, None], 0.0)
        num = np.sum(np.where(ok, v_, 0.0) * w, axis=0)
        den = np.sum(w, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[cols] = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    else:
        out[cols] = np.nanmean(v_, axis=0)
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with a zero scale giving 0 (no error) or inf, NaN scales NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den == 0, np.where(num == 0, 0.0, np.inf), out)


def _evaluate(bt: BacktestSet, metrics) -> Evaluation:
    func = "forecast.BacktestSet.evaluate"
    if metrics is None:
        metrics = [x for x in METRICS if bt.levels.size or x not in ("scaled_pinball",
                                                                     "coverage")]
    elif isinstance(metrics, str):
        metrics = [metrics]
    elif not isinstance(metrics, (list, tuple, np.ndarray)):
        v.fail("metrics", func, "a metric name or a sequence of them", metrics,
               wrong_type=True)
    metrics = [v.check_option(x, "metrics", func, METRICS) for x in metrics]
    if not metrics:
        v.fail("metrics", func, "at least one metric name", got="an empty sequence")
    if not bt.levels.size and any(x in ("scaled_pinball", "coverage") for x in metrics):
        v.fail("metrics", func, "point metrics only when the backtest has no interval "
               "levels (level=None)", metrics)
    s, w, h, k = len(bt.ids), bt.n_windows, bt.h, bt.labels.size
    a = bt.y.reshape(s, w, h)
    f = bt.mean.reshape(k, s, w, h)
    e = a[None] - f
    sc = bt.scale.reshape(s, w, h)[:, :, 0][None]
    sc2 = bt.scale2.reshape(s, w, h)[:, :, 0][None]
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in metrics:
            if name == "mae":
                out["mae"] = np.mean(np.abs(e), axis=(2, 3))
            elif name == "rmse":
                out["rmse"] = np.sqrt(np.mean(e ** 2, axis=(2, 3)))
            elif name == "mase":
                out["mase"] = np.mean(_ratio(np.mean(np.abs(e), axis=3), sc), axis=2)
            elif name == "rmsse":
                out["rmsse"] = np.mean(np.sqrt(_ratio(np.mean(e ** 2, axis=3), sc2)), axis=2)
            elif name == "smape":
                den = np.abs(a)[None] + np.abs(f)
                out["smape"] = np.mean(np.where(den > 0, 200.0 * np.abs(e) / den, 0.0),
                                       axis=(2, 3))
            elif name == "wape":
                out["wape"] = _ratio(np.sum(np.abs(e), axis=(2, 3)),
                                     np.sum(np.abs(a), axis=(1, 2))[None])
            elif name == "scaled_pinball":
                lo = bt.lower.reshape(k, -1, s, w, h)
                hi = bt.upper.reshape(k, -1, s, w, h)
                qlo = (0.5 - bt.levels / 200.0)[None, :, None, None, None]
                dlo, dhi = a[None, None] - lo, a[None, None] - hi
                loss = (np.maximum(qlo * dlo, (qlo - 1.0) * dlo)
                        + np.maximum((1.0 - qlo) * dhi, -qlo * dhi))
                per_window = np.mean(loss, axis=(1, 4)) / 2.0  # mean over 2k quantiles, h
                out["scaled_pinball"] = np.mean(_ratio(per_window, sc), axis=2)
            else:
                for i, lev in enumerate(bt.levels):
                    lo = bt.lower[:, i].reshape(k, s, w, h)
                    hi = bt.upper[:, i].reshape(k, s, w, h)
                    inside = (a[None] >= lo) & (a[None] <= hi)
                    cov = np.mean(inside, axis=(2, 3))
                    cov[np.isnan(lo).all(axis=(2, 3))] = np.nan
                    out[f"coverage_{lev:g}"] = cov
    weights = np.sum(np.abs(a), axis=(1, 2))
    return Evaluation(bt.ids, bt.labels, {n: np.ascontiguousarray(val.T)
                                          for n, val in out.items()}, weights, bt.levels)


def _methods(methods, benchmark, func):
    """``[(label, method, call)]`` of the methods, the benchmark added when missing."""
    if methods is None:
        methods = list(BASELINES)
    out = resolve_methods(methods, func)
    for lab, _, _ in out:
        if not isinstance(lab, str):
            v.fail("methods", func, "a mapping with string labels", got=repr(lab))
    labels = [x[0] for x in out]
    if len(set(labels)) != len(labels):
        dup = next(lab for lab in labels if labels.count(lab) > 1)
        v.fail("methods", func, "methods with distinct labels (use a mapping label -> "
               "method)", got=f"{dup!r} twice")
    if benchmark is not None:
        if not isinstance(benchmark, str):
            v.fail("benchmark", func, "a method name or None", benchmark, wrong_type=True)
        _, call = resolve(benchmark, "benchmark", func)
        if not any(meth == benchmark for _, meth, _ in out) and benchmark not in labels:
            out.append((benchmark, benchmark, call))
    return out


_FREE = ("naive", "seasonal_naive", "mean", "drift", "adida", "imapa")  # nothing to refit


def _frozen(meth: str, f: Forecast, kw: dict) -> tuple:
    """``(method, options)`` that forecast with the parameters of ``f`` kept (refit=False)."""
    if meth in _FREE:
        return meth, kw
    params = dict(f.params)
    if meth == "auto_ets" or meth == "ets":
        import re

        comp = re.fullmatch(r"ETS\((\w),(\w)(d?),(\w)\)", f.model)
        if comp is None:  # pragma: no cover - every ETS model is named so
            return meth, kw
        spec = comp.group(1) + comp.group(2) + ("d" if comp.group(3) else "") + comp.group(4)
        keep = {k: params[k] for k in ("alpha", "beta", "gamma", "phi") if k in params}
        extra = {k: kw[k] for k in kw if k in ("intervals", "npaths", "seed")}
        return "ets", {**extra, "model": spec, **keep}
    names = option_names(meth)
    return meth, {**kw, **{k: params[k] for k in names if k in params
                           and k not in ("seasonal_test", "seasonal", "variant")}}


def _one_series(y, sid, h, n_windows, step, window, methods, m, levels, refit, kws, func):
    """Arrays of one series: origins, actuals, and the methods' means and bands."""
    y = check_series(y, func, series_id=sid, min_size=2)
    n = y.shape[0]
    last = n - h
    if last - step * (n_windows - 1) < 2:
        v.fail("series", where(func, sid), f"long enough for {n_windows} windows of step "
               f"{step} and horizon {h} (at least {h + step * (n_windows - 1) + 2} "
               "observations)", got=f"{n} observations", data=True)
    origins = [last - step * k for k in range(n_windows - 1, -1, -1)]
    k = levels.shape[0]
    mean = np.empty((len(methods), n_windows * h))
    lower = np.full((len(methods), k, n_windows * h), np.nan)
    upper = np.full((len(methods), k, n_windows * h), np.nan)
    scale = np.empty(n_windows)
    scale2 = np.empty(n_windows)
    for w, t in enumerate(origins):
        train = y[:t] if window is None else y[max(0, t - window):t]
        scale[w] = mase_scale(train, m)
        scale2[w] = rmsse_scale(train, m)
    for j, (label, meth, call) in enumerate(methods):
        kw = kws.get(label, {})
        frozen = None
        for w, t in enumerate(origins):
            train = y[:t] if window is None else y[max(0, t - window):t]
            try:
                if callable(meth):
                    f = call(train, h, m, levels, sid)
                elif w % refit and frozen is not None:
                    f = frozen[1](train, h, m, levels, sid, frozen[2])
                else:
                    f = call(train, h, m, levels, sid, kw)
                    if refit > 1:
                        name, opts = _frozen(meth, f, kw)
                        frozen = (name, resolve(name, "methods", func)[1], opts)
            except ValueError as exc:
                raise type(exc)(f"{where(func, sid)}: method {label!r} failed at the window "
                                f"with cutoff {t - 1}: {exc}") from exc
            if not isinstance(f, Forecast) or f.mean.shape != (h,):
                v.fail("methods", where(func, sid), "methods returning a "
                       "cxpath.forecast.Forecast of h steps", got=f"{label!r} returning "
                       f"{type(f).__name__}", wrong_type=True)
            cols = slice(w * h, (w + 1) * h)
            mean[j, cols] = f.mean
            if f.lower.shape == (k, h):
                lower[j, :, cols] = f.lower
                upper[j, :, cols] = f.upper
    return (np.asarray(origins, dtype=np.int64), y, mean, lower, upper, scale, scale2)


def _times(panel, i: int, n: int, positions: np.ndarray):
    """The dates (or integer times, or positions) of observations ``positions`` of series
    ``i`` of ``panel``, which has ``n`` observations."""
    if panel.lasts is None:
        return positions
    last = panel.lasts[i]
    back = (n - 1 - positions).astype(np.int64)
    if isinstance(panel.off, int):
        return np.int64(last) - back * panel.off
    import pandas as pd

    if isinstance(panel.off, pd.offsets.Tick) and panel.tz is None:
        return (np.int64(last.value) - back * np.int64(panel.off.nanos)).view("M8[ns]")
    # aware dates: the local calendar's periods, as UTC instants (``.values``)
    stamps = pd.date_range(end=last, periods=n, freq=panel.off).values.astype("M8[ns]")
    return stamps[positions]


def backtest_many(series: ArrayLike | Mapping[Any, ArrayLike] | TableLike | dd.DataFrame,
                  h: int,
                  methods: Sequence[str | Callable[..., Forecast]]
                  | Mapping[str, str | Callable[..., Forecast]] | None = None,
                  m: int | None = None, *, n_windows: int = 3, step: int | None = None,
                  refit: bool | int = True, window: int | None = None,
                  benchmark: str | None = "seasonal_naive", id: str | None = None,
                  value: str | None = None, ds: str | None = None,
                  freq: str | int | None = None, level: float | Sequence[float] | None = (80, 95),
                  options: Mapping[str, Mapping[str, Any]] | None = None,
                  layout: str = "rows", n_jobs: int = 1,
                  progress: bool | Callable[[int, int], Any] | None = None,
                  scheduler: str | Client | None = None) -> BacktestSet:
    """Rolling-origin evaluation of several methods on many series.

    Every series is cut at ``n_windows`` cutoffs counted back from its own end: the last
    window leaves exactly ``h`` observations to test, earlier ones step back by ``step``.
    At each cutoff every method is fitted to the observations before it (all of them, or
    the last ``window``) and forecasts ``h`` ahead, as :func:`backtest` does for one
    series; ``evaluate()`` scores each series (MASE, RMSSE, sMAPE, WAPE, scaled pinball
    loss, coverage) and ``leaderboard()`` ranks the methods with their win counts.

    Parameters
    ----------
    series : 2-D array, mapping, long or wide table, or dask DataFrame
        The series, read as by :func:`forecast_many` (a long table ``unique_id, ds, y``,
        a wide table with dates, a 2-D array one series per row, a mapping id -> series,
        a long table with ``id`` and ``value`` but no dates, or a Dask DataFrame in the
        long layout partitioned by series).
    h : int
        Horizon of every window.
    methods : sequence of str or callable, or mapping label -> method, optional
        Methods as accepted by :func:`forecast_many`; default :data:`BASELINES`
        (``naive, seasonal_naive, drift, mean, theta, ses, auto_ets``).
    m : int, optional
        Season length of the seasonal methods and of the MASE/RMSSE scales; default from
        the dates' frequency (``D`` → 7 …), else 1.
    n_windows : int, default 3
        Number of cutoffs per series.
    step : int, optional
        Observations between consecutive cutoffs; default ``h``.
    refit : bool or int, default True
        Refit every method at every cutoff. With False each method's parameters
        (smoothing weights, the ETS model chosen) are estimated at the first cutoff and
        kept for the later windows (the initial states are estimated again on each
        window's data, as statsforecast's ``forward``); an integer ``k`` refits at every
        ``k``-th cutoff (windows ``0, k, 2k …``) as in statsforecast. Parameter-free
        methods are unaffected; callables must be refitted every time.
    window : int, optional
        Sliding training window length; None = expanding (every observation before the
        cutoff).
    benchmark : str or None, default "seasonal_naive"
        A method name added to ``methods`` when missing, so every leaderboard shows it.
    id, value, ds, freq :
        The table's column names and the dates' frequency, as in :func:`forecast_many`.
    level : float, sequence of float or None, default (80, 95)
        Interval levels in percent (for coverage and the scaled pinball loss); None for
        point forecasts only.
    options : dict, optional
        ``label -> dict`` of extra keyword arguments for a named method.
    layout : str, default "rows"
        The table of ``to_frame()``: ``"rows"`` (one row per series, window, step and
        method) or ``"cross_validation"`` (statsforecast's ``cross_validation`` layout:
        ``unique_id, ds, cutoff, y`` and one column per method and band).
    n_jobs : int, default 1
        Worker threads over the series (the model kernels release the GIL).
    progress : bool or callable, optional
        ``True`` shows progress; a callable is called as ``progress(done, total)`` after
        each series (on Dask: once, when the partitions are done).
    scheduler : str or distributed.Client, optional
        For a Dask DataFrame in the long layout, partitioned by series (every series in
        one partition): passed to ``dask.compute``; each partition is backtested where it
        lives by the same code, so the result equals the run on ``ddf.compute()``.

    Returns
    -------
    BacktestSet
        The forecasts and actuals of every series, window, step and method.

    Raises
    ------
    InvalidParameterError
        Unknown method, bad ``h``/``n_windows``/``step``/``window``/``layout``,
        ``refit`` other than True with a callable, ``scheduler`` without a Dask DataFrame.
    DataError
        A series too short for the windows, a bad series or irregular dates, a method
        failing (the message names the series, method and cutoff); on Dask, a series
        spread over several partitions.
    MissingExtraError
        A Dask DataFrame without the ``dask`` extra installed.

    Notes
    -----
    ``cutoff`` is the last training time of the window (as in statsforecast): its date,
    its integer time for integer dates, else its position ``0..n-1`` in the series.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import backtest_many
    >>> y = np.vstack([np.arange(30.0), np.arange(30.0) % 7 + 0.1 * np.arange(30)])
    >>> cv = backtest_many(y, 7, ["naive", "drift"], 7, n_windows=2)
    >>> cv.leaderboard().best
    'seasonal_naive'
    >>> backtest_many(y, 2, "naive", n_windows=1, benchmark=None, level=None,
    ...               layout="cross_validation").to_frame()
       unique_id  ds  cutoff     y  naive
    0          0  28      27  28.0   27.0
    1          0  29      27  29.0   27.0
    2          1  28      27   2.8    8.7
    3          1  29      27   3.9    8.7
    """
    from .many import read_panel

    func = "forecast.backtest_many"
    h = check_h(h, func)
    if m is not None:
        m = v.check_int(m, "m", func, low=1)
    n_windows = v.check_int(n_windows, "n_windows", func, low=1)
    step = h if step is None else v.check_int(step, "step", func, low=1)
    asked = refit
    if refit is True or refit is False or isinstance(refit, np.bool_):
        refit = 1 if refit else n_windows + 1
    else:
        refit = v.check_int(refit, "refit", func, low=1)
    if window is not None:
        window = v.check_int(window, "window", func, low=2)
    levels = check_levels(level, func)
    layout = v.check_option(layout, "layout", func, LAYOUTS)
    n_jobs = v.check_int(n_jobs, "n_jobs", func, low=1)
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        v.fail("progress", func, "True, False, None or a callable(done, total)", progress,
               wrong_type=True)
    resolved = _methods(methods, benchmark, func)
    if refit > 1:
        bad = [lab for lab, meth, _ in resolved if callable(meth)]
        if bad:
            v.fail("refit", func, "True when a method is a callable (its parameters cannot "
                   "be kept)", got=f"refit={asked!r} with the callable {bad[0]!r}")
    if options is not None and not isinstance(options, Mapping):
        v.fail("options", func, "a dict label -> dict of keyword arguments", options,
               wrong_type=True)
    kws = {}
    for key, kw in (options or {}).items():
        hit = [x for x in resolved if x[0] == key]
        if not hit:
            v.fail("options", func, "keyed by method labels: " + ", ".join(
                repr(x[0]) for x in resolved), got=f"the key {key!r}")
        if not isinstance(kw, Mapping):
            v.fail("options", func, "a dict label -> dict of keyword arguments",
                   got=f"{type(kw).__name__} for {key!r}", wrong_type=True)
        if callable(hit[0][1]):
            v.fail("options", func, "without entries for callables", got=f"the key {key!r}")
        kws[key] = check_options(hit[0][1], dict(kw), "options", func)
    args = (h, m, n_windows, step, window, resolved, levels, refit, kws, layout, value,
            n_jobs, func)
    if _is_dask(series):
        return _on_dask(series, args, id=id, ds=ds, freq=freq, progress=progress,
                        scheduler=scheduler)
    if scheduler is not None:
        v.fail("scheduler", func, "None unless 'series' is a dask DataFrame", scheduler)
    panel = read_panel(series, id=id, value=value, ds=ds, freq=freq, func=func)
    if not panel.parts:
        v.fail("series", func, "at least one series", got="none", data=True)
    check_h(h, func, series=len(panel.parts) * n_windows * len(resolved))
    report = reporter(progress, len(panel.parts), "series", func)
    start = time.perf_counter()
    out = _run(panel, *args, report)
    report.close()
    return attrs.evolve(out, seconds=time.perf_counter() - start)


def _run(panel, h, m, n_windows, step, window, resolved, levels, refit, kws, layout, value,
         n_jobs, func, report) -> BacktestSet:
    """The backtest of every series of ``panel`` (arguments checked)."""
    from ._dates import season_length

    if m is None:
        m = season_length(panel.off) if panel.off is not None and \
            not isinstance(panel.off, int) else 1
    total = len(panel.parts)

    def one(i):
        return _one_series(panel.parts[i], panel.ids[i], h, n_windows, step, window,
                           resolved, m, levels, refit, kws, func)

    outs = [None] * total
    if n_jobs == 1 or total <= 1:
        for i in range(total):
            outs[i] = one(i)
            report(i + 1)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            futures = [pool.submit(one, i) for i in range(total)]
            for done, fut in enumerate(futures, start=1):
                outs[done - 1] = fut.result()
                report(done)
    steps = np.arange(h)
    cut, when, actual = [], [], []
    for i, (origins, y, *_rest) in enumerate(outs):
        n = y.shape[0]
        pos = (origins[:, None] + steps[None, :]).reshape(-1)
        when.append(_times(panel, i, n, pos))
        cut.append(np.repeat(_times(panel, i, n, origins - 1), h))
        actual.append(y[pos])
    sids = np.empty(total * n_windows * h, dtype=object)
    sids[:] = np.repeat(np.asarray(panel.ids, dtype=object), n_windows * h)
    idn, dsn = (panel.names if panel.layout == "long" else
                ("unique_id", panel.names[1] if panel.layout == "wide" else "ds"))
    valn = value if (value is not None and panel.layout == "long") else "y"
    ids = panel.ids if panel.layout == "wide" else np.asarray(panel.ids)
    return BacktestSet(
        ids, np.asarray([x[0] for x in resolved]), sids, np.concatenate(cut),
        np.concatenate(when), np.tile(np.arange(1, h + 1), total * n_windows),
        np.concatenate(actual), np.concatenate([o[2] for o in outs], axis=1), levels,
        np.concatenate([o[3] for o in outs], axis=2),
        np.concatenate([o[4] for o in outs], axis=2),
        np.repeat(np.concatenate([o[5] for o in outs]), h),
        np.repeat(np.concatenate([o[6] for o in outs]), h), h, n_windows, m, layout,
        (idn, dsn, valn), tz=panel.tz)


def _is_dask(x) -> bool:
    from .many import _is_dask as is_dask

    return is_dask(x)


def _partition(frame, names, freq, args):
    """The backtest of one Dask partition (None when empty)."""
    from .many import read_long

    if len(frame) == 0:
        return None
    panel = read_long(frame, *names, freq, args[-1])
    return _run(panel, *args, lambda done: None)


def _on_dask(ddf, args, *, id, ds, freq, progress, scheduler) -> BacktestSet:
    """:func:`backtest_many` partition by partition (every series in one partition)."""

    from .._optional import require
    from ..errors import DataError

    func = args[-1]
    require("dask", func)
    import dask

    from .distributed import long_columns

    names = long_columns(ddf, id, args[10], ds, scheduler, func)
    tasks = [dask.delayed(_partition)(p, names, freq, args) for p in ddf.to_delayed()]
    report = reporter(progress, len(tasks), "partitions", func)
    start = time.perf_counter()
    outs = [o for o in dask.compute(*tasks, scheduler=scheduler) if o is not None]
    report(len(tasks))
    report.close()
    if not outs:
        v.fail("series", func, "at least one series", got="none", data=True)
    seen: dict = {}
    for k, out in enumerate(outs):
        for sid in out.ids.tolist():
            if sid in seen:
                raise DataError(
                    f"{func}: series {sid!r} is in partitions {seen[sid]} and {k} of the "
                    "dask DataFrame; every series must be in one partition. Repartition by "
                    f"series first: ddf.shuffle(on={names[0]!r}).")
            seen[sid] = k
    if len({o.m for o in outs}) > 1:
        raise DataError(f"{func}: the partitions' dates give different season lengths "
                        f"({', '.join(str(o.m) for o in outs)}); give m= or freq=.")
    ids = np.empty(len(seen), dtype=object)
    ids[:] = [sid for o in outs for sid in o.ids.tolist()]
    cat = lambda name, axis=0: np.concatenate([getattr(o, name) for o in outs],  # noqa: E731
                                              axis=axis)
    first = outs[0]
    return BacktestSet(ids, first.labels, cat("series_id"), cat("cutoff"), cat("ds"),
                       cat("step"), cat("y"), cat("mean", 1), first.levels, cat("lower", 2),
                       cat("upper", 2), cat("scale"), cat("scale2"), first.h,
                       first.n_windows, first.m, first.layout, first.names,
                       time.perf_counter() - start, first.tz)
