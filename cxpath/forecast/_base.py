"""The forecast result type and the checks every forecasting function shares."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, derived_columns, drawn_by, result
from ..errors import DataError
from ._dates import dated  # noqa: F401 - the models' decorator for dates= and freq=

if TYPE_CHECKING:
    pass

__all__ = ["Forecast"]


@drawn_by("forecast")
@result
class Forecast(Result):
    """Point forecasts with prediction intervals, in-sample fit and the model used.

    Attributes
    ----------
    model : str
        Model name, e.g. ``"ETS(M,Ad,M)"``, ``"Croston(SBA)"``, ``"SeasonalNaive"``.
    mean : ndarray of shape (h,)
        Point forecasts for steps ``1..h``.
    levels : ndarray of shape (k,)
        Interval levels in percent, ascending.
    lower, upper : ndarray of shape (k, h)
        Interval bounds, row ``i`` for ``levels[i]``; nested by construction.
    fitted, residuals : ndarray of shape (n,)
        One-step in-sample fitted values and ``y - fitted`` (NaN where undefined, e.g.
        the first observation of a naive model).
    interval_method : str
        ``"analytic"``, ``"simulated"`` or ``"empirical"`` — how the bands were made.
    params : dict
        Estimated or given parameters.
    info : dict
        Model facts: for ETS the components, AIC/AICc/BIC, log-likelihood, sigma2, states.
    series_id : object
        The series' id when fitted as part of many series, else None.
    ds : ndarray of datetime64[ns], optional
        Future timestamps of the steps when the series came with dates (a pandas Series
        with a ``DatetimeIndex``, or ``dates=``), else None; ``to_frame()`` then has a
        ``ds`` column after ``step``. For time-zone-aware dates, the instants in UTC
        (unambiguous across daylight-saving switches, where local wall-clock times repeat
        or skip an hour), and ``to_frame()`` shows them in ``tz``.
    freq : str, optional
        The dates' frequency alias (``"D"``, ``"MS"`` …) when there are dates, else None.
    tz : str, optional
        The time zone of time-zone-aware dates (``"Europe/Berlin"``), else None. Steps of a
        day or longer follow its calendar (local midnights), shorter ones elapsed time.
    step : ndarray of int
        The steps ``1..h`` (the table's first column).
    """

    model: str
    mean: np.ndarray
    levels: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray
    interval_method: str
    params: dict = attrs.field(factory=dict)
    info: dict = attrs.field(factory=dict)
    series_id: object = None
    ds: np.ndarray | None = None
    freq: str | None = None
    tz: str | None = None

    _derived = derived_columns({
        "lo_{level}": "lower end of the level % interval, ``lower[i]`` for "
                      "``levels[i] == level`` (``band(level)[0]``)",
        "hi_{level}": "upper end of the level % interval, ``upper[i]`` (``band(level)[1]``)"})

    @property
    def step(self) -> np.ndarray:
        """The steps ``1..h`` (the table's first column)."""
        return np.arange(1, self.h + 1)

    @property
    def h(self) -> int:
        """Forecast horizon."""
        return int(self.mean.shape[0])

    def band(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """``(lower, upper)`` of the interval at ``level`` percent."""
        level = v.check_real(level, "level", "Forecast.band")
        hit = np.flatnonzero(np.isclose(self.levels, level))
        if hit.size == 0:
            v.fail("level", "Forecast.band", "one of the forecast's levels "
                   + ", ".join(f"{x:g}" for x in self.levels), level)
        return self.lower[hit[0]], self.upper[hit[0]]

    def _title(self) -> str:
        who = f" of series {self.series_id!r}" if self.series_id is not None else ""
        return f"Forecast {self.model}{who}"

    def _summary(self) -> list[str]:
        lines = [f"intervals: {self.interval_method}"]
        for key in ("note", "reason"):
            if isinstance(self.info.get(key), str):
                lines.append(f"{key}: {self.info[key]}")
        for key in ("aicc", "sigma2"):
            if key in self.info and np.isfinite(self.info[key]):
                lines.append(f"{key}: {self.info[key]:.6g}")
        if self.params:
            shown = ", ".join(f"{k}={val:.4g}" for k, val in self.params.items()
                              if isinstance(val, (float, int)) and not isinstance(val, bool)
                              and np.isfinite(val))
            if shown:
                lines.append("params: " + shown)
        return lines

    def _zones(self) -> dict:
        return {"ds": self.tz}

    def _columns(self) -> dict:
        cols = {"step": self.step, "mean": self.mean}
        if self.ds is not None:
            cols = {"step": self.step, "ds": self.ds, "mean": self.mean}
        for i, lev in enumerate(self.levels):
            cols[f"lo_{lev:g}"] = self.lower[i]
            cols[f"hi_{lev:g}"] = self.upper[i]
        return cols


def kernels():
    """The forecast kernel module, imported on first use (keeps numba out of import)."""
    global _KERNELS
    if _KERNELS is None:
        from .._kernels import forecast

        _KERNELS = forecast
    return _KERNELS


_KERNELS = None
#: Series up to this length are scanned by the Python function of the ``scan`` kernel
#: (~6 ms) while the kernel is neither compiled nor cached, against ~0.1 s to compile it in
#: a fresh process (:func:`~cxpath._kernels._jit.by_work`; the same comparisons, the same
#: result).
SMALL_SCAN = 100_000


def where(func: str, series_id) -> str:
    """The public name with the series id, for messages about one of many series."""
    if isinstance(series_id, np.generic):
        series_id = series_id.item()
    return func if series_id is None else f"{func} (series {series_id!r})"


def check_series(y, func: str, *, series_id=None, min_size: int = 1,
                 positive: bool = False, nonnegative: bool = False) -> np.ndarray:
    """A 1-D float64 series without NaN/inf; errors name the series id when there is one."""
    if type(y) is np.ndarray and y.ndim == 1 and y.dtype.kind in "fiu" and \
            y.shape[0] >= max(min_size, 1):  # fast path: a clean numeric vector
        arr = y if y.dtype == np.float64 and y.flags.c_contiguous else \
            np.ascontiguousarray(y, dtype=np.float64)
        from .._kernels._jit import by_work

        low, finite = by_work(kernels().scan, arr.shape[0], SMALL_SCAN)(arr)
        if finite and (not positive or low > 0) and (not nonnegative or low >= 0):
            return arr
    name = where(func, series_id)
    arr = v.as_float_array(y, "y", name, min_size=1)
    if arr.shape[0] < min_size:
        v.fail("y", name, f"a series of at least {min_size} observations",
               got=f"{arr.shape[0]} observation(s)", data=True)
    if positive and (arr <= 0).any():
        pos = int(np.argmax(arr <= 0))
        v.fail("y", name, "strictly positive for a multiplicative model",
               got=f"{arr[pos]:g} at position {pos}", data=True)
    if nonnegative and (arr < 0).any():
        pos = int(np.argmax(arr < 0))
        v.fail("y", name, "non-negative (demand)", got=f"{arr[pos]:g} at position {pos}",
               data=True)
    return arr


# bytes held per forecast step: the mean, two levels' bounds, the steps and temporaries.
# Measured with tracemalloc at h=10**6 and the default two levels: peak 56 B/step for ses,
# holt, drift and theta, 48 for naive and mean, 89 for croston and tsb (72 for ses before
# normal_bands reused its temporary).
BYTES_PER_STEP = 128


def check_h(h, func: str, *, series: int = 1) -> int:
    """A positive horizon whose forecasts (``series`` of them) fit the memory cap."""
    if not (type(h) is int and h >= 1):
        h = v.check_int(h, "h", func, low=1)
    if h * series > 2**20:
        check_memory(float(BYTES_PER_STEP) * h * series, func,
                     f"forecasts of {h:,} steps" + (f" for {series:,} series" if series > 1
                                                    else ""),
                     how="Ask for a shorter horizon 'h', or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
    return h


def check_unit(value, name: str, func: str) -> float:
    """A real number in (0, 1]."""
    if type(value) is float and 0.0 < value <= 1.0:
        return value
    return v.check_real(value, name, func, low=0.0, high=1.0, closed="right")


_LEVEL_MUST = ("a percentage in (1, 100) — forecast levels are percent, as in statsforecast "
               "(level=95); a fraction such as 0.95 is the confidence= convention of the "
               "rest of cxpath")


def check_level(x, func: str) -> float:
    """One interval level in percent, in (1, 100): a value ≤ 1 is a fraction given by mistake
    (``level=0.95`` would silently be a 0.95 % interval)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        v.fail("level", func, _LEVEL_MUST, x)
    x = float(x)
    if not 1.0 < x < 100.0:
        v.fail("level", func, _LEVEL_MUST, x)
    return x


def part_labels(parts, m: int, func: str) -> np.ndarray:
    """``parts`` as ``m`` str labels (``'0'``, ``'1'`` … when None).

    >>> part_labels(None, 2, "f").tolist(), part_labels(["a", 7], 2, "f").tolist()
    (['0', '1'], ['a', '7'])
    """
    if parts is None:
        return np.arange(m).astype(str)
    raw = v.array(parts, "parts", func)
    if raw.ndim != 1 or raw.dtype.kind == "S":
        v.fail("parts", func, "a sequence of part labels", parts, wrong_type=True)
    labels = raw.astype(str)
    if labels.size != m:
        v.fail("parts", func, f"one label per part ({m})", got=f"{labels.size} labels",
               data=True)
    return labels


def check_levels(level, func: str) -> np.ndarray:
    """Interval levels in percent, each in (1, 100), returned sorted and unique."""
    if level is None:
        return np.empty(0)
    if isinstance(level, (int, float, np.integer, np.floating)) and not isinstance(level,
                                                                                  bool):
        level = [level]
    try:
        items = list(level)
    except TypeError:
        v.fail("level", func, "a number or a sequence of numbers in (1, 100)", level)
    return np.unique(np.asarray([check_level(x, func) for x in items], dtype=np.float64))


def z_values(levels: np.ndarray) -> np.ndarray:
    """Two-sided standard-normal quantiles for levels in percent."""
    from scipy.special import ndtri

    return ndtri(0.5 + levels / 200.0)


def normal_bands(mean: np.ndarray, se: np.ndarray, levels: np.ndarray):
    """``mean -/+ z * se`` for every level: arrays of shape (k, h)."""
    upper = z_values(levels)[:, None] * se[None, :]  # one (k, h) temporary, reused in place
    lower = mean[None, :] - upper
    upper += mean[None, :]
    return lower, upper


def quantile_bands(paths: np.ndarray, levels: np.ndarray):
    """Per-step quantile bands from sample paths of shape (npaths, h)."""
    lo = np.quantile(paths, 0.5 - levels / 200.0, axis=0)
    hi = np.quantile(paths, 0.5 + levels / 200.0, axis=0)
    return np.atleast_2d(lo), np.atleast_2d(hi)


def finite_or_fail(arr: np.ndarray, what: str, func: str, series_id=None) -> np.ndarray:
    """Never hand back NaN silently: fail naming the series when a forecast is not finite."""
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{where(func, series_id)} produced a non-finite {what}; the "
                        "model does not fit this series (try another model).")
    return arr


def sigma_scale(n_used: int, k: int) -> float:
    """Degrees of freedom ``n_used - k`` guarded to be at least 1."""
    return float(max(n_used - k, 1))


def isclose_constant(y: np.ndarray) -> bool:
    return bool(np.all(y == y[0]))


def zt(level: float) -> float:
    return float(z_values(np.array([level]))[0]) if not math.isnan(level) else math.nan
