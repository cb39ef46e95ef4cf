"""Result instances of cxpath.forecast.mstl (#20 point 1) for test_result_columns: an MSTL
decomposition and a dated MSTL forecast."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    import pandas as pd

    from cxpath.forecast import mstl_decompose, mstl_forecast

    t = np.arange(24 * 7 * 3)
    y = 50 + 5 * np.sin(2 * np.pi * t / 24) + 2 * np.sin(2 * np.pi * t / 168) + 0.1 * (t % 5)
    idx = pd.date_range("2024-01-01", periods=t.size, freq="h")
    return {
        "mstl_decomposition": mstl_decompose(y, [24, 168]),
        "mstl_forecast_dated": mstl_forecast(pd.Series(y, index=idx), 6, level=80),
    }
