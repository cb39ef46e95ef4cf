"""Result instances of many-series backtests (#19 point 5) for test_result_columns: a
BacktestSet in both layouts, its Evaluation and SeriesLeaderboard."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    import attrs

    from cxpath.forecast import backtest_many

    y = np.vstack([np.arange(20.0), 10 + np.arange(20.0) % 5 + 0.1 * np.arange(20)])
    cv = backtest_many(y, 3, ["naive", "drift"], 5, n_windows=2, level=80)
    ev = cv.evaluate()
    return {
        "backtest_set_rows": cv,
        "backtest_set_cross_validation": attrs.evolve(cv, layout="cross_validation"),
        "backtest_evaluation": ev,
        "backtest_series_leaderboard": ev.leaderboard("coverage_80", "weighted"),
    }
