"""Early warning: actuals outside the forecast band, with the size of the excursion."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from ._base import Forecast, check_level

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["Excursions", "flag_outside"]


@result
class Excursions(Result):
    """Actuals compared with a forecast band.

    Attributes
    ----------
    step : ndarray of int
        Horizon step (1-based) of each actual.
    actual, mean, lower, upper : ndarray
        Observed value, point forecast and band at ``level``.
    outside : ndarray of bool
        Actual strictly outside ``[lower, upper]``.
    excursion : ndarray
        Signed distance beyond the band (``actual - upper`` above, ``actual - lower``
        below, 0 inside).
    score : ndarray
        Excursion in units of the band's half-width (0 inside), comparable across steps;
        ``inf`` for a zero-width band.
    level : float
        Band level in percent.
    """

    step: np.ndarray
    actual: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    outside: np.ndarray
    excursion: np.ndarray
    score: np.ndarray
    level: float

    @property
    def n_outside(self) -> int:
        """Number of flagged actuals."""
        return int(self.outside.sum())

    def _title(self) -> str:
        return f"Excursions outside the {self.level:g}% band"

    def _summary(self) -> list[str]:
        return [f"flagged: {self.n_outside} of {self.outside.shape[0]}"]

    def _columns(self) -> dict:
        return {"step": self.step, "actual": self.actual, "mean": self.mean,
                "lower": self.lower, "upper": self.upper, "outside": self.outside,
                "excursion": self.excursion, "score": self.score}


def flag_outside(actual: ArrayLike, forecast: Forecast, level: float = 95) -> Excursions:
    """Flag actuals that leave a forecast's prediction band, and by how much.

    Parameters
    ----------
    actual : array-like of shape (k,)
        Observed values for steps ``1..k`` of the forecast (``k <= h``).
    forecast : Forecast
        The forecast made before the actuals were known.
    level : float, default 95
        Which of the forecast's interval levels to use.

    Returns
    -------
    Excursions
        Per step: inside/outside, signed excursion and excursion in band half-widths —
        the input the control-chart layer can treat as a signal.

    Raises
    ------
    InvalidParameterError
        ``forecast`` not a Forecast, ``level`` not among its levels.
    DataError
        More actuals than forecast steps, NaN or inf.

    Examples
    --------
    >>> from cxpath.forecast import flag_outside, naive
    >>> f = naive([10.0, 11.0, 10.0, 12.0, 11.0], 3)
    >>> flag_outside([11.0, 30.0, 10.5], f).outside
    array([False,  True, False])
    """
    func = "forecast.flag_outside"
    if not isinstance(forecast, Forecast):
        v.fail("forecast", func, "a Forecast result", got=type(forecast).__name__)
    a = v.as_float_array(actual, "actual", func)
    if a.shape[0] > forecast.h:
        v.fail("actual", func, f"at most as long as the forecast horizon ({forecast.h})",
               got=f"length {a.shape[0]}", data=True)
    level = check_level(level, func)
    if not np.isclose(forecast.levels, level).any():
        v.fail("level", func, "one of the forecast's levels "
               + ", ".join(f"{x:g}" for x in forecast.levels), level)
    lo, hi = forecast.band(level)
    k = a.shape[0]
    lo, hi, mean = lo[:k], hi[:k], forecast.mean[:k]
    above = a > hi
    below = a < lo
    exc = np.where(above, a - hi, np.where(below, a - lo, 0.0))
    half = (hi - lo) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(exc == 0, 0.0, np.where(half > 0, exc / half, np.sign(exc) * np.inf))
    return Excursions(np.arange(1, k + 1), a, mean, lo, hi, above | below, exc, score,
                      float(level))
