"""Demand forecasting: ETS with automatic selection, intermittent demand, baselines,
prediction intervals, many series, rolling-origin backtests and early-warning flags.

Notes
-----
Dates: the models take a pandas Series with a ``DatetimeIndex`` (or ``dates=``, ``freq=``) and
return the future timestamps in ``Forecast.ds``. Without ``m``, the season length is the
number of periods in the natural cycle above the frequency, rounded down: sub-daily →
periods in a day (``h`` 24, ``30min`` 48, ``15min`` 96, ``min`` 1440); ``D`` → 7 (a week);
``B`` → 5; ``W`` → 52 (52.18 weeks a year); ``SM`` → 24; ``M``/``ME``/``MS`` → 12;
``Q``/``QE``/``QS`` → 4; ``A``/``Y``/``YE``/``YS`` → 1; a multiple divides the cycle when it
can (``2W`` → 26, ``2MS`` → 6, ``7D`` → 52) and gives 1 otherwise (``2D``, ``7h``); other
offsets (business hours …) → 1. Irregular dates are refused, naming the gaps.

Examples
--------
>>> from cxpath.forecast import seasonal_naive
>>> seasonal_naive([5.0, 7.0, 6.0, 8.0], 2, 2).mean
array([6., 8.])
"""

from ._base import Forecast
from .accuracy import coverage, mae, mase, pinball, rmse, rmsse, scaled_pinball, smape, wape
from .anomaly import Excursions, flag_outside
from .backtest import Backtest, Leaderboard, backtest, leaderboard
from .baselines import drift, mean_forecast, naive, seasonal_naive, theta
from .demand_classes import DemandClasses, demand_classes
from .ets import auto_ets, ets, holt, holt_winters, ses
from .evaluation import BASELINES, BacktestSet, Evaluation, SeriesLeaderboard, backtest_many
from .intermittent import adida, croston, imapa, tsb
from .intermittent_dist import SparesForecast, spares_forecast
from .many import ForecastSet, forecast_many
from .mstl import MSTLDecomposition, mstl_decompose, mstl_forecast

__all__ = ["BASELINES", "Backtest", "BacktestSet", "Evaluation", "Excursions", "Forecast",
           "ForecastSet", "Leaderboard", "SeriesLeaderboard", "adida", "backtest_many",
           "rmsse", "scaled_pinball",
           "MSTLDecomposition", "mstl_decompose", "mstl_forecast",
           "auto_ets", "backtest", "coverage", "croston", "drift", "ets", "flag_outside",
           "forecast_many", "holt", "holt_winters", "imapa", "leaderboard", "mae", "mase",
           "mean_forecast", "naive", "pinball", "rmse", "seasonal_naive", "ses", "smape",
           "theta", "tsb", "wape",
           "DemandClasses", "SparesForecast", "demand_classes", "spares_forecast"]
