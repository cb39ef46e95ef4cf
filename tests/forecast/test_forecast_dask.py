"""forecast_many on a Dask DataFrame partitioned by series (#19 point 4): the same forecasts
as the single-machine run, on the threads scheduler and on a two-worker LocalCluster."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError, MissingExtraError
from cxpath.forecast import forecast_many

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")


def panel(k=200, n=42, seed=19):
    """``k`` daily series of ``n`` days, a weekly pattern and a trend each, long layout."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    days = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i:03d}", "ds": days,
        "y": 50 + 8 * (t % 7 == 5) + 0.05 * i * t + rng.normal(0, 1, n)}) for i in range(k)],
        ignore_index=True)


def by_series(frame, npartitions):
    """``frame`` in ``npartitions`` partitions of whole series."""
    ddf = dd.from_pandas(frame, npartitions=npartitions, sort=False)
    spans = ddf.map_partitions(lambda p: pd.DataFrame({"n": [p["unique_id"].nunique()]}),
                               meta={"n": "int64"}).compute(scheduler="synchronous")
    assert ddf.npartitions == npartitions and int(spans["n"].sum()) == frame[
        "unique_id"].nunique()  # no series in two partitions
    return ddf


def same(a, b):
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)
    assert a.ids.tolist() == b.ids.tolist() and a.models.tolist() == b.models.tolist()
    for fa, fb in zip(a.forecasts, b.forecasts):
        assert np.array_equal(fa.fitted, fb.fitted, equal_nan=True)
        assert fa.params == fb.params and fa.freq == fb.freq == "D"


def test_200_series_in_8_partitions_equal_the_single_machine_run():
    frame = panel()
    single = forecast_many(frame, 7, "auto_ets")
    ddf = by_series(frame, 8)
    got = forecast_many(ddf, 7, "auto_ets", scheduler="threads")
    same(got, single)
    assert {f.info["m"] for f in single.forecasts} == {7}  # D -> 7, seasonal fits
    assert got.layout == "long" and len(got) == 200
    assert got.to_frame().shape == (200 * 7, 7)


def test_two_worker_local_cluster():
    distributed = pytest.importorskip("distributed")
    frame = panel(40, 30)
    single = forecast_many(frame, 5, "theta", level=80)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        got = forecast_many(by_series(frame, 4), 5, "theta", level=80, scheduler=client)
    same(got, single)


def test_custom_names_options_and_progress():
    frame = panel(12, 28).rename(columns={"unique_id": "store", "ds": "day", "y": "sales"})
    single = forecast_many(frame, 3, "ets", id="store", ds="day", value="sales",
                           options={"model": "ANA"})
    seen = []
    got = forecast_many(dd.from_pandas(frame, npartitions=3, sort=False), 3, "ets",
                        id="store", ds="day", value="sales", options={"model": "ANA"},
                        scheduler="synchronous", progress=lambda d, t: seen.append((d, t)))
    pd.testing.assert_frame_equal(got.to_frame(), single.to_frame(), check_exact=True)
    assert seen[-1] == (3, 3)  # on dask: partitions, reported when done


def test_series_spread_over_partitions_is_refused():
    frame = panel(2, 10)
    with pytest.raises(DataError, match=r"series 's000' is in partitions 0 and 1 of the dask "
                                        r"DataFrame.*ddf.shuffle\(on='unique_id'\)"):
        forecast_many(dd.from_pandas(frame, npartitions=3, sort=False), 2, "naive",
                      scheduler="synchronous")
    shuffled = dd.from_pandas(frame, npartitions=3, sort=False).shuffle(on="unique_id")
    got = forecast_many(shuffled, 2, "naive", scheduler="synchronous")
    assert sorted(got.ids.tolist()) == ["s000", "s001"]
    ref = forecast_many(frame, 2, "naive")
    assert np.array_equal(got["s001"].mean, ref["s001"].mean)


def test_errors_inside_a_partition_name_the_series():
    frame = panel(6, 12)
    frame.loc[40, "y"] = np.nan  # series s003, position 4
    with pytest.raises(DataError, match=r"series 's003'.*NaN at position 4"):
        forecast_many(dd.from_pandas(frame, npartitions=2, sort=False), 2, "naive",
                      scheduler="synchronous")


def test_bad_dask_inputs():
    ddf = dd.from_pandas(panel(2, 10), npartitions=1)
    with pytest.raises(InvalidParameterError, match=r"'id' parameter of forecast.forecast_many "
                                                    r"must be a column of the dask DataFrame"):
        forecast_many(ddf, 2, "naive", id="store")
    with pytest.raises(InvalidTypeError, match=r"'value' parameter.*column name"):
        forecast_many(ddf, 2, "naive", value=1.5)
    with pytest.raises(InvalidParameterError, match=r"'scheduler' parameter"):
        forecast_many(ddf, 2, "naive", scheduler="warp-drive")
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter"):
        forecast_many(ddf, 2, "naive", freq="fortnightly")
    assert forecast_many(ddf, 2, "naive", freq="D", scheduler="synchronous")["s001"].freq == "D"


def test_missing_extra_names_it(monkeypatch):
    import sys

    ddf = dd.from_pandas(panel(2, 10), npartitions=1)
    monkeypatch.setitem(sys.modules, "dask", None)  # as if dask were not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'cxpath\[dask\]'"):
        forecast_many(ddf, 2, "naive")
