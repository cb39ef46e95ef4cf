"""Rolling-origin evaluation of forecasting methods and a leaderboard of accuracy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, result
from ._base import check_h, check_levels, check_series
from ._registry import resolve_methods
from .accuracy import mase_scale

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .._typing import ArrayLike
    from ._base import Forecast

    #: A forecasting method: a name of :func:`~cxpath.forecast.forecast_many` or a callable.
    Method = str | Callable[..., Forecast]

__all__ = ["Backtest", "Leaderboard", "backtest", "leaderboard"]


@result
class Backtest(Result):
    """Forecasts of each method from each origin, against the actuals.

    Attributes
    ----------
    model, origin, step : ndarray
        Method label, origin (number of observations used to fit), horizon step.
    actual, mean : ndarray
        Observed value and point forecast.
    levels : ndarray
        Interval levels (percent).
    lower, upper : ndarray of shape (k, rows)
        Interval bounds per level.
    scale : ndarray
        MASE scale (in-sample seasonal-naive MAE of the training window) of each row.
    m : int
        Seasonal period used for MASE.
    series_id : object
        Series id, if any.
    """

    model: np.ndarray
    origin: np.ndarray
    step: np.ndarray
    actual: np.ndarray
    mean: np.ndarray
    levels: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    scale: np.ndarray
    m: int
    series_id: object = None

    _derived = derived_columns({
        "lo_{level}": "lower end of the level % interval, ``lower[i]`` for "
                      "``levels[i] == level``",
        "hi_{level}": "upper end of the level % interval, ``upper[i]``"})
    _key = ("model", "origin", "step")

    def leaderboard(self, sort_by: str = "mase") -> Leaderboard:
        """Accuracy of each method over all origins and steps (see :func:`leaderboard`)."""
        return leaderboard(self, sort_by=sort_by)

    def _title(self) -> str:
        return "Backtest" + (f" of series {self.series_id!r}" if self.series_id is not None
                             else "")

    def _columns(self) -> dict:
        cols = {"model": self.model, "origin": self.origin, "step": self.step,
                "actual": self.actual, "mean": self.mean}
        for i, lev in enumerate(self.levels):
            cols[f"lo_{lev:g}"] = self.lower[i]
            cols[f"hi_{lev:g}"] = self.upper[i]
        return cols


@result
class Leaderboard(Result):
    """Accuracy table, one row per method, best first.

    Attributes
    ----------
    model : ndarray
        Method labels.
    metrics : dict
        Column name -> array (``mae, rmse, mase, smape, wape, pinball, coverage_<L>``).
    sort_by : str
        The metric the rows are sorted by (ascending; coverage by distance to nominal).
    """

    model: np.ndarray
    metrics: dict
    sort_by: str

    _derived = derived_columns({"{metric}": "the metric's values, ``metrics[metric]``"})

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{metric}"] if column in self.metrics else None

    @property
    def best(self) -> str:
        """The top method."""
        return str(self.model[0])

    def _title(self) -> str:
        return f"Leaderboard (sorted by {self.sort_by})"

    def _columns(self) -> dict:
        return {"model": self.model, **self.metrics}


def backtest(y: ArrayLike, h: int,
             methods: Sequence[Method] | Mapping[str, Method] = ("naive", "seasonal_naive",
                                                                 "auto_ets"),
             m: int = 1, *, n_origins: int = 5, step: int | None = None,
             window: int | None = None, level: float | Sequence[float] = (80, 95),
             options: Mapping[str, Mapping[str, Any]] | None = None,
             series_id: Any = None) -> Backtest:
    """Rolling-origin evaluation: refit every method at each origin, forecast ``h`` ahead.

    The last origin leaves exactly ``h`` observations to test; earlier origins step back
    by ``step``. With ``window`` the fit uses only the last ``window`` observations before
    the origin (sliding window); otherwise all of them (expanding window).

    Parameters
    ----------
    y : array-like of shape (n,)
        The series.
    h : int
        Horizon of every forecast.
    methods : sequence of str or callable, or mapping label -> method
        Methods as accepted by :func:`forecast_many`.
    m : int, default 1
        Season length (seasonal methods and the MASE scale).
    n_origins : int, default 5
        Number of forecast origins.
    step : int, optional
        Distance between origins; defaults to ``h``.
    window : int, optional
        Sliding training window length; None = expanding.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    options : dict, optional
        ``label -> dict`` of extra keyword arguments for a method.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Backtest
        One row per method, origin and step; ``.leaderboard()`` ranks the methods.

    Raises
    ------
    InvalidParameterError
        Unknown method, bad ``h``/``n_origins``/``step``/``window``.
    DataError
        Series too short for the origins asked for; a method failing at an origin (the
        message names the method and origin).

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import backtest
    >>> y = np.arange(30, dtype=float) % 7 + 10
    >>> bt = backtest(y, 7, ["naive", "seasonal_naive"], 7, n_origins=2)
    >>> bt.leaderboard().best
    'seasonal_naive'
    """
    func = "forecast.backtest"
    h = check_h(h, func)
    m = v.check_int(m, "m", func, low=1)
    n_origins = v.check_int(n_origins, "n_origins", func, low=1)
    step = h if step is None else v.check_int(step, "step", func, low=1)
    if window is not None:
        window = v.check_int(window, "window", func, low=2)
    levels = check_levels(level, func)
    resolved = resolve_methods(methods, func)
    y = check_series(y, func, series_id=series_id, min_size=2)
    n = y.shape[0]
    last = n - h
    if last - step * (n_origins - 1) < 2:
        v.fail("y", func, f"long enough for {n_origins} origins of step {step} and horizon "
               f"{h} (at least {h + step * (n_origins - 1) + 2} observations)",
               got=f"{n} observations", data=True)
    origins = [last - step * k for k in range(n_origins - 1, -1, -1)]
    if options is not None and not isinstance(options, Mapping):
        v.fail("options", func, "a dict label -> dict of keyword arguments", options)
    rows = {k: [] for k in ("model", "origin", "step", "actual", "mean", "scale")}
    lows, highs = [], []
    for label, meth, call in resolved:
        kw = dict((options or {}).get(label, {}))
        for t in origins:
            train = y[:t] if window is None else y[max(0, t - window):t]
            try:
                f = call(train, h, m, levels, series_id) if callable(meth) else \
                    call(train, h, m, levels, series_id, kw)
            except ValueError as exc:
                raise type(exc)(f"{func}: method {label!r} failed at origin {t}: {exc}") \
                    from exc
            actual = y[t:t + h]
            rows["model"].append(np.repeat(label, h))
            rows["origin"].append(np.full(h, t))
            rows["step"].append(np.arange(1, h + 1))
            rows["actual"].append(actual)
            rows["mean"].append(f.mean)
            rows["scale"].append(np.full(h, mase_scale(train, m)))
            lows.append(f.lower if f.lower.shape[0] == levels.shape[0] else
                        np.full((levels.shape[0], h), np.nan))
            highs.append(f.upper if f.upper.shape[0] == levels.shape[0] else
                         np.full((levels.shape[0], h), np.nan))
    cat = {k: np.concatenate(val) for k, val in rows.items()}
    return Backtest(cat["model"], cat["origin"], cat["step"], cat["actual"], cat["mean"],
                    levels, np.concatenate(lows, axis=1), np.concatenate(highs, axis=1),
                    cat["scale"], m, series_id)


def _metrics(bt_rows, levels):
    a, f, lo, hi, sc = bt_rows
    err = a - f
    out = {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err ** 2)))}
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.abs(err) / sc
    scaled = np.where(sc == 0, np.where(err == 0, 0.0, np.inf), scaled)
    out["mase"] = float(np.mean(scaled))
    den = np.abs(a) + np.abs(f)
    out["smape"] = float(np.mean(np.divide(200 * np.abs(err), den, out=np.zeros_like(den),
                                           where=den > 0)))
    tot = float(np.sum(np.abs(a)))
    out["wape"] = float(np.sum(np.abs(err)) / tot) if tot > 0 else (
        0.0 if np.all(err == 0) else float("inf"))
    losses = [np.mean(np.maximum(0.5 * err, -0.5 * err))]
    for i, lev in enumerate(levels):
        for q, b in ((0.5 - lev / 200, lo[i]), (0.5 + lev / 200, hi[i])):
            d = a - b
            losses.append(np.mean(np.maximum(q * d, (q - 1) * d)))
    out["pinball"] = float(np.mean(losses))
    for i, lev in enumerate(levels):
        out[f"coverage_{lev:g}"] = float(np.mean((a >= lo[i]) & (a <= hi[i])))
    return out


def leaderboard(*backtests: Backtest, sort_by: str = "mase") -> Leaderboard:
    """Rank methods by accuracy over one or several backtests (e.g. many series).

    Metrics are averaged over every origin, step and series: MAE, RMSE, MASE (each row
    scaled by its training window's seasonal-naive in-sample MAE), sMAPE (percent), WAPE,
    mean pinball loss over the median (point forecast) and every interval bound taken as
    a quantile, and the empirical coverage of each interval level.

    Parameters
    ----------
    *backtests : Backtest
        One or more backtests with the same levels.
    sort_by : str, default "mase"
        ``mae, rmse, mase, smape, wape, pinball`` (ascending) or ``coverage_<L>`` (closest
        to nominal first).

    Returns
    -------
    Leaderboard

    Raises
    ------
    InvalidParameterError
        No backtest, mixed levels, unknown ``sort_by``.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import backtest, leaderboard
    >>> y = np.arange(40, dtype=float)
    >>> lb = leaderboard(backtest(y, 5, ["naive", "drift"], n_origins=2))
    >>> lb.best, float(lb.metrics["mae"][0])
    ('drift', 0.0)
    """
    func = "forecast.leaderboard"
    if not backtests or not all(isinstance(b, Backtest) for b in backtests):
        v.fail("backtests", func, "one or more Backtest results",
               got=", ".join(type(b).__name__ for b in backtests) or "nothing")
    levels = backtests[0].levels
    if any(b.levels.shape != levels.shape or not np.allclose(b.levels, levels)
           for b in backtests):
        v.fail("backtests", func, "backtests with the same interval levels", got="mixed levels")
    names = ["mae", "rmse", "mase", "smape", "wape", "pinball"] + \
        [f"coverage_{lev:g}" for lev in levels]
    v.check_option(sort_by, "sort_by", func, names)
    model = np.concatenate([b.model for b in backtests])
    labels = list(dict.fromkeys(model.tolist()))
    cols = {"a": np.concatenate([b.actual for b in backtests]),
            "f": np.concatenate([b.mean for b in backtests]),
            "lo": np.concatenate([b.lower for b in backtests], axis=1),
            "hi": np.concatenate([b.upper for b in backtests], axis=1),
            "sc": np.concatenate([b.scale for b in backtests])}
    table = {k: [] for k in names}
    for lab in labels:
        sel = model == lab
        res = _metrics((cols["a"][sel], cols["f"][sel], cols["lo"][:, sel],
                        cols["hi"][:, sel], cols["sc"][sel]), levels)
        for k in names:
            table[k].append(res[k])
    arr = {k: np.asarray(val, dtype=np.float64) for k, val in table.items()}
    if sort_by.startswith("coverage_"):
        key = np.abs(arr[sort_by] - float(sort_by.split("_", 1)[1]) / 100.0)
    else:
        key = arr[sort_by]
    order = np.argsort(key, kind="stable")
    return Leaderboard(np.asarray(labels)[order], {k: val[order] for k, val in arr.items()},
                       sort_by)
