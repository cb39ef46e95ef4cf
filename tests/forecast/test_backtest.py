"""Rolling-origin backtests and the leaderboard."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import backtest, leaderboard, mae, mase, naive, seasonal_naive


def weekly(n=120, seed=0):
    rng = np.random.default_rng(seed)
    return 100 + 20 * np.tile([0, 1, 2, 3, 2, -4, -4], n // 7 + 1)[:n] + rng.normal(0, 2, n)


def test_origins_and_rows_reproduce_direct_forecasts():
    y = weekly()
    bt = backtest(y, 7, ["naive", "seasonal_naive"], 7, n_origins=3, step=5)
    origins = sorted(set(bt.origin.tolist()))
    assert origins == [120 - 7 - 10, 120 - 7 - 5, 120 - 7]
    sel = (bt.model == "seasonal_naive") & (bt.origin == 108)
    assert np.allclose(bt.mean[sel], seasonal_naive(y[:108], 7, 7).mean)
    assert np.allclose(bt.actual[sel], y[108:115])


def test_leaderboard_metrics_match_direct_computation():
    y = weekly()
    bt = backtest(y, 7, ["naive", "seasonal_naive", "auto_ets"], 7, n_origins=2, level=[80])
    lb = bt.leaderboard()
    assert lb.best in ("seasonal_naive", "auto_ets")
    row = list(lb.model).index("naive")
    errs, scaled = [], []
    for t in (106, 113):
        f = naive(y[:t], 7)
        errs.append(mae(y[t:t + 7], f.mean))
        scaled.append(mase(y[t:t + 7], f.mean, y[:t], m=7))
    assert lb.metrics["mae"][row] == pytest.approx(np.mean(errs))
    assert lb.metrics["mase"][row] == pytest.approx(np.mean(scaled))
    assert set(lb.to_frame("dict")) == {"model", "mae", "rmse", "mase", "smape", "wape",
                                        "pinball", "coverage_80"}


def test_sliding_window_and_many_series_leaderboard():
    bts = [backtest(weekly(seed=s), 7, {"snaive": "seasonal_naive", "mean": "mean"}, 7,
                    n_origins=2, window=56) for s in range(3)]
    lb = leaderboard(*bts, sort_by="rmse")
    assert lb.model.tolist()[0] == "snaive"
    assert np.all(np.diff(lb.metrics["rmse"]) >= 0)


def test_callable_method():
    def last_week(y, h, level=None, series_id=None):
        return seasonal_naive(y, h, 7, level=level, series_id=series_id)

    bt = backtest(weekly(), 7, [last_week], 7, n_origins=1)
    assert set(bt.model.tolist()) == {"last_week"}


def test_bad_inputs():
    y = weekly(30)
    with pytest.raises(DataError, match=r"long enough for 9 origins"):
        backtest(y, 7, ["naive"], n_origins=9)
    with pytest.raises(InvalidParameterError, match=r"'methods' parameter of forecast.backtest"):
        backtest(y, 7, ["prophet"])
    with pytest.raises(InvalidParameterError, match=r"'window' parameter"):
        backtest(y, 7, ["naive"], window=1)
    with pytest.raises(DataError, match=r"method 'holt_winters' failed at origin"):
        backtest(y, 7, ["holt_winters"], 12, n_origins=1)
    with pytest.raises(InvalidParameterError, match=r"'sort_by' parameter"):
        leaderboard(backtest(y, 7, ["naive"], n_origins=1), sort_by="r2")
    with pytest.raises(InvalidParameterError, match=r"'backtests' parameter"):
        leaderboard()
