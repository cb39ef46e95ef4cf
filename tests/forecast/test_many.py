"""Many series: inputs, ids, threads, progress, errors naming the series."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import auto_ets, croston, forecast_many


def panel(k=6, n=70, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.array([50 + 10 * (t % 7 == 5) + 0.1 * i * t + rng.normal(0, 1, n)
                     for i in range(k)])


def test_threads_equal_sequential_and_single_calls():
    y = panel()
    one = forecast_many(y, 7, "auto_ets", 7)
    two = forecast_many(y, 7, "auto_ets", 7, n_jobs=2)
    assert np.array_equal(one.mean_matrix(), two.mean_matrix())
    assert np.allclose(one[3].mean, auto_ets(y[3], 7, 7).mean)
    assert one.models.shape == (6,)


def test_long_table_and_mapping_inputs():
    pd = pytest.importorskip("pandas")
    y = panel(3, 30)
    rows = [(f"s{i}", t, y[i, t]) for i in range(3) for t in range(30)][::-1]
    frame = pd.DataFrame(rows, columns=["sid", "day", "value"])
    fs = forecast_many(frame, 3, "naive", id="sid", value="value", order="day")
    assert fs.ids.tolist() == ["s2", "s1", "s0"]
    assert fs["s0"].mean[0] == y[0, -1]
    out = fs.to_frame("dict")
    assert out["series_id"].shape == (9,) and "lo_95" in out
    mp = forecast_many({"a": [0, 1, 0, 2], "b": [0, 0, 3, 0]}, 2, "croston")
    assert np.allclose(mp["b"].mean, croston([0, 0, 3, 0], 2).mean)


def test_progress_and_options():
    seen = []
    forecast_many(panel(4), 2, "ets", 7, options={"model": "ANN"},
                  progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4) and len(seen) == 4


def test_bad_inputs():
    y = panel(3, 30)
    y[1, 4] = np.nan
    with pytest.raises(DataError, match=r"series 1.*NaN at position 4"):
        forecast_many(y, 3, "naive")
    with pytest.raises(InvalidParameterError, match=r"'method' parameter"):
        forecast_many(panel(2), 3, "arima")
    with pytest.raises(InvalidParameterError, match=r"'n_jobs' parameter"):
        forecast_many(panel(2), 3, "naive", n_jobs=0)
    with pytest.raises(InvalidParameterError, match=r"'series' parameter"):
        forecast_many(np.ones(5), 3, "naive")
    with pytest.raises(InvalidParameterError, match=r"'progress' parameter"):
        forecast_many(panel(2), 3, "naive", progress="yes")
