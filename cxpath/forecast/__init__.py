"""Demand forecasting: ETS with automatic selection, intermittent demand, baselines,
prediction intervals, many series, rolling-origin backtests and early-warning flags.

Examples
--------
>>> from cxpath.forecast import seasonal_naive
>>> seasonal_naive([5.0, 7.0, 6.0, 8.0], 2, 2).mean
array([6., 8.])
"""

from ._base import Forecast
from .accuracy import coverage, mae, mase, pinball, rmse, smape, wape
from .anomaly import Excursions, flag_outside
from .backtest import Backtest, Leaderboard, backtest, leaderboard
from .baselines import drift, mean_forecast, naive, seasonal_naive, theta
from .ets import auto_ets, ets, holt, holt_winters, ses
from .intermittent import adida, croston, imapa, tsb
from .many import ForecastSet, forecast_many

__all__ = ["Backtest", "Excursions", "Forecast", "ForecastSet", "Leaderboard", "adida",
           "auto_ets", "backtest", "coverage", "croston", "drift", "ets", "flag_outside",
           "forecast_many", "holt", "holt_winters", "imapa", "leaderboard", "mae", "mase",
           "mean_forecast", "naive", "pinball", "rmse", "seasonal_naive", "ses", "smape",
           "theta", "tsb", "wape"]
