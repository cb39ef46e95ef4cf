"""Result instances of cxpath.forecast with dates (#19) for test_result_columns: a dated
Forecast and the long and wide layouts of ForecastSet."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    import pandas as pd

    from cxpath.forecast import forecast_many, naive

    days = pd.date_range("2024-01-01", periods=6, freq="D")
    y = np.array([1.0, 3.0, 2.0, 4.0, 3.0, 5.0])
    long = pd.DataFrame({"unique_id": ["a"] * 6 + ["b"] * 6, "ds": list(days) * 2,
                         "y": np.concatenate([y, y[::-1]])})
    wide = pd.DataFrame({"a": y, "b": y[::-1]}, index=days)
    return {
        "forecast_dated": naive(pd.Series(y, index=days), 2),
        "forecast_set_long": forecast_many(long, 2, "naive"),
        "forecast_set_wide": forecast_many(wide, 2, "drift", level=80),
        "forecast_set_dated_mapping": forecast_many({"a": pd.Series(y, index=days)}, 2,
                                                    "naive"),
    }
