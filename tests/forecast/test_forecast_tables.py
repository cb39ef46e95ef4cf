"""forecast_many with tables (#19 point 3): statsforecast's long layout in and out, wide
tables in and out, the season length from the dates, and the old layouts unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast import forecast_many, naive, seasonal_naive

pd = pytest.importorskip("pandas")

A = [1.0, 3, 2, 4, 3, 5, 4, 6, 5, 7]
B = [10.0, 9, 11, 8, 12, 7, 13, 6, 14, 5]
DAYS = pd.date_range("2024-01-01", periods=10, freq="D")


def long_frame(**names):
    n = {"id": "unique_id", "ds": "ds", "y": "y", **names}
    return pd.DataFrame({n["id"]: ["a"] * 10 + ["b"] * 10, n["ds"]: list(DAYS) * 2,
                         n["y"]: A + B})


def test_long_table_in_statsforecast_layout_out():
    out = forecast_many(long_frame(), 3, "naive").to_frame()
    # statsforecast 2.1.1: StatsForecast(models=[Naive()], freq="D").forecast(df=df, h=3,
    # level=[80, 95]) gives these columns (Naive -> naive) and these values
    assert list(out.columns) == ["unique_id", "ds", "naive", "naive-lo-80", "naive-lo-95",
                                 "naive-hi-80", "naive-hi-95"]
    assert out["unique_id"].tolist() == ["a"] * 3 + ["b"] * 3
    assert out["ds"].dt.strftime("%m-%d").tolist() == ["01-11", "01-12", "01-13"] * 2
    assert out["naive"].tolist() == [7.0] * 3 + [5.0] * 3
    np.testing.assert_allclose(out["naive-lo-80"], [4.907235, 4.040383, 3.375225,
                                                    -2.211694, -5.198875, -7.491020], atol=5e-7)
    np.testing.assert_allclose(out["naive-hi-95"], [10.200608, 11.526343, 12.543615,
                                                    16.029333, 20.597833, 24.103366], atol=5e-7)


def test_long_table_seasonal_naive_matches_statsforecast():
    out = forecast_many(long_frame(), 3, "seasonal_naive", 3).to_frame()
    # statsforecast 2.1.1 SeasonalNaive(season_length=3), level=[80, 95]
    assert out["seasonal_naive"].tolist() == [6.0, 5.0, 7.0, 6.0, 14.0, 5.0]
    np.testing.assert_allclose(out["seasonal_naive-lo-95"], [1.555219, 0.555219, 2.555219,
                                                             -4.554729, 3.445271, -5.554729],
                               atol=5e-7)


def test_column_names_are_configurable_and_rows_may_come_in_any_order():
    frame = long_frame(id="store", ds="date", y="sales").iloc[::-1]
    fs = forecast_many(frame, 2, "naive", id="store", ds="date", value="sales", level=80)
    out = fs.to_frame()
    assert list(out.columns) == ["store", "date", "naive", "naive-lo-80", "naive-hi-80"]
    assert fs.ids.tolist() == ["b", "a"]  # first appearance, as before
    assert fs["a"].mean.tolist() == [7.0, 7.0]  # sorted by date: the last is 7
    assert fs.layout == "long" and fs.names == ("store", "date") and fs.label == "naive"


def test_season_length_comes_from_the_dates():
    t = np.arange(36)
    y = 50 + 10 * np.sin(2 * np.pi * t / 12)
    frame = pd.DataFrame({"unique_id": "x", "ds": pd.date_range("2021-01-01", periods=36,
                                                               freq="MS"), "y": y})
    fs = forecast_many(frame, 4, "seasonal_naive")
    assert fs["x"].params["m"] == 12  # MS -> 12
    assert np.array_equal(fs["x"].mean, seasonal_naive(y, 4, 12).mean)
    assert forecast_many(frame, 4, "seasonal_naive", 6)["x"].params["m"] == 6


def test_wide_table_in_wide_table_out():
    wide = pd.DataFrame({"a": A, "b": B}, index=DAYS)
    fs = forecast_many(wide, 2, "naive", level=80)
    out = fs.to_frame()
    assert list(out.columns) == ["ds", "a", "b", "a-lo-80", "a-hi-80", "b-lo-80", "b-hi-80"]
    assert out["ds"].dt.strftime("%m-%d").tolist() == ["01-11", "01-12"]
    assert out["a"].tolist() == [7.0, 7.0] and out["b"].tolist() == [5.0, 5.0]
    assert np.array_equal(out["b-hi-80"], naive(B, 2, level=80).upper[0])
    # the same numbers as the long layout
    long = forecast_many(long_frame(), 2, "naive", level=80).to_frame()
    assert np.array_equal(long["naive-lo-80"].to_numpy(),
                          np.concatenate([out["a-lo-80"], out["b-lo-80"]]))


def test_wide_dict_and_polars_with_a_ds_column():
    fs = forecast_many({"ds": DAYS.to_numpy(), "a": A, "b": B}, 2, "naive")
    assert fs.layout == "wide" and fs.ids.tolist() == ["a", "b"]
    assert fs["b"].mean.tolist() == [5.0, 5.0]
    pl = pytest.importorskip("polars")
    wide = pl.DataFrame({"ds": DAYS.to_numpy(), "a": A, "b": B})
    out = forecast_many(wide, 2, "naive", level=80).to_frame("polars")
    assert out.columns == ["ds", "a", "b", "a-lo-80", "a-hi-80", "b-lo-80", "b-hi-80"]
    long = pl.from_pandas(long_frame())
    got = forecast_many(long, 2, "naive", level=80).to_frame("dict")
    assert got["naive"].tolist() == [7.0, 7.0, 5.0, 5.0]


def test_leading_gaps_of_a_wide_column_are_a_later_start():
    wide = pd.DataFrame({"a": A, "b": [np.nan, np.nan, *B[2:]]}, index=DAYS)
    fs = forecast_many(wide, 2, "drift")
    # drift on B[2:] by hand: 5 + k * (5 - 11) / 7
    np.testing.assert_allclose(fs["b"].mean, [5 - 6 / 7, 5 - 12 / 7])
    assert fs["b"].fitted.shape == (8,)


def test_integer_time_steps():
    frame = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4,
                          "ds": [10, 12, 14, 16, 0, 2, 4, 6], "y": [1.0, 2, 3, 4, 4, 3, 2, 1]})
    out = forecast_many(frame, 2, "drift", level=80).to_frame()
    assert out["ds"].tolist() == [18, 20, 8, 10]  # the usual step, 2
    assert out["drift"].tolist() == [5.0, 6.0, 0.0, -1.0]
    bad = frame.assign(ds=[10, 12, 15, 16, 0, 2, 4, 6])
    with pytest.raises(DataError, match=r"forecast.forecast_many \(series 'a'\) must be "
                                        r"regular integer times with step 2.*step of 3"):
        forecast_many(bad, 2, "drift")


def test_old_layouts_are_unchanged():
    y = np.array([A, B])
    fs = forecast_many(y, 2, "naive")
    assert fs.layout == "set"
    assert list(fs.to_frame("dict")) == ["series_id", "step", "mean", "lo_80", "hi_80",
                                         "lo_95", "hi_95", "model"]
    frame = long_frame(id="sid", ds="day", y="value")
    old = forecast_many(frame, 2, "naive", id="sid", value="value", order="day")
    assert old.layout == "set" and list(old.to_frame("dict"))[:3] == ["series_id", "step",
                                                                       "mean"]
    assert old["a"].mean.tolist() == [7.0, 7.0]
    mp = forecast_many({"a": A, "b": B}, 2, "naive")
    assert mp.layout == "set" and mp["b"].mean.tolist() == [5.0, 5.0]


def test_irregular_series_is_named_with_its_gaps():
    frame = long_frame().drop(index=[14, 15])  # b loses Jan 5 and Jan 6
    with pytest.raises(DataError, match=(
            r"^The 'ds' parameter of forecast.forecast_many \(series 'b'\) must be regular "
            r"dates of frequency 'D' with no gaps. Got 2 date\(s\) missing: 2024-01-05, "
            r"2024-01-06 instead.$")):
        forecast_many(frame, 2, "naive")
    dup = pd.concat([long_frame(), long_frame().iloc[[3]]])
    with pytest.raises(DataError, match=r"series 'a'.*2024-01-04 repeated"):
        forecast_many(dup, 2, "naive")
    wide = pd.DataFrame({"a": A[:9]}, index=DAYS.delete(4))
    with pytest.raises(DataError, match=r"'series' parameter.*gaps of 2 days between "
                                        r"2024-01-04 and 2024-01-06"):
        forecast_many(wide, 2, "naive")


def test_bad_new_parameters():
    frame = long_frame()
    with pytest.raises(InvalidTypeError, match=r"'ds' parameter of forecast.forecast_many "
                                               r"must be a column name"):
        forecast_many(frame, 2, "naive", ds=3)
    with pytest.raises(InvalidParameterError, match=r"'order' parameter.*None when 'ds'"):
        forecast_many(frame, 2, "naive", ds="ds", order="ds")
    with pytest.raises(InvalidParameterError, match=r"'ds' parameter"):
        forecast_many(frame.rename(columns={"ds": "when"}).drop(columns="unique_id"), 2,
                      "naive", ds="date")
    with pytest.raises(InvalidTypeError, match=r"'series' parameter.*table"):
        forecast_many(np.ones((2, 5)), 2, "naive", ds="ds")
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter.*None unless the "
                                                    r"series come with dates"):
        forecast_many(np.ones((2, 5)), 2, "naive", freq="D")
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter.*frequency alias"):
        forecast_many(frame, 2, "naive", freq="weekly-ish")
    with pytest.raises(DataError, match=r"regular dates of frequency 'W-SUN'"):
        forecast_many(frame, 2, "naive", freq="W")
    with pytest.raises(InvalidParameterError, match=r"'scheduler' parameter.*dask"):
        forecast_many(frame, 2, "naive", scheduler="threads")
    with pytest.raises(InvalidParameterError, match=r"'m' parameter"):
        forecast_many(frame, 2, "naive", m=0)
    with pytest.raises(InvalidTypeError, match=r"'ds' parameter.*dates .*not numbers"):
        forecast_many(frame.assign(ds=1.5), 2, "naive")
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter.*positive integer"):
        forecast_many(frame.assign(ds=np.tile(np.arange(10), 2)), 2, "naive", freq="D")


def test_set_layout_gets_ds_when_every_series_has_dates():
    s = pd.Series(A, index=DAYS)
    fs = forecast_many({"a": s, "b": pd.Series(B, index=DAYS)}, 2, "naive")
    out = fs.to_frame("dict")
    assert list(out)[:3] == ["series_id", "step", "ds"]
    assert out["ds"].shape == (4,)


def test_a_callable_method_gets_the_dates_too():
    def last_value(y, h, level, series_id):
        return naive(y, h, level=level, series_id=series_id)

    fs = forecast_many(long_frame(), 2, last_value, level=80)
    out = fs.to_frame()
    assert list(out.columns)[:3] == ["unique_id", "ds", "last_value"]  # named after it
    assert out["last_value"].tolist() == [7.0, 7.0, 5.0, 5.0]
    with pytest.raises(InvalidTypeError, match=r"'method' parameter.*returning a "
                                               r"cxpath.forecast.Forecast. Got a int"):
        forecast_many(long_frame(), 2, lambda y, h, level, series_id: 3)


def test_horizon_past_the_calendar_fails_before_the_work():
    frame = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2262-01-01", periods=4),
                          "y": [1.0, 2, 3, 4]})
    with pytest.raises(InvalidParameterError, match=r"'h' parameter of forecast.forecast_many "
                                                    r"must be a horizon whose dates fit"):
        forecast_many(frame, 500, "naive")
    with pytest.raises(InvalidParameterError, match=r"'h' parameter of forecast.naive must be "
                                                    r"a horizon whose dates fit"):
        naive(frame["y"].to_numpy(), 500, dates=frame["ds"])


def _berlin(freq, n, start="2024-10-20"):
    return pd.date_range(start, periods=n, freq=freq, tz="Europe/Berlin")


@pytest.mark.parametrize("freq, n, first", [
    # days across the clocks going back (2024-10-27): local midnights, 25 hours apart
    ("D", 8, "2024-10-28 00:00:00+01:00"),
    # month starts in the local calendar: a UTC reading put them at 22:00 or 23:00 of the
    # month before, off the 'MS' grid, and the table was refused
    ("MS", 8, "2025-07-01 00:00:00+02:00"),
    # hours: the forecasts' labels in the zone, not shifted by the UTC offset
    ("h", 200, "2024-10-28 07:00:00+01:00"),
])
def test_time_zone_aware_long_and_wide_tables_keep_their_zone(freq, n, first):
    idx = _berlin(freq, n)
    y = np.arange(1.0, n + 1)
    long = pd.DataFrame({"unique_id": ["a"] * n, "ds": idx, "y": y})
    out = forecast_many(long, 2, "naive").to_frame()
    assert str(out["ds"].dt.tz) == "Europe/Berlin"
    assert out["ds"].astype(str).tolist()[0] == first
    wide = forecast_many(pd.DataFrame({"a": y}, index=idx), 2, "naive").to_frame()
    assert wide.iloc[:, 0].astype(str).tolist()[0] == first
    if freq == "h":  # hours given as UTC instants: the same instants, shown in UTC
        utc = forecast_many(long.assign(ds=idx.tz_convert("UTC")), 2, "naive").to_frame()
        assert (utc["ds"] == out["ds"]).all() and str(utc["ds"].dt.tz) == "UTC"


def test_polars_microsecond_dates_are_read_as_dates():
    pl = pytest.importorskip("polars")
    # polars stores datetimes in microseconds: read as nanoseconds they were 1970 dates
    table = pl.DataFrame({"unique_id": ["a"] * 10, "ds": DAYS.to_list(), "y": A})
    assert table["ds"].dtype == pl.Datetime("us")
    out = forecast_many(table, 2, "naive").to_frame()
    assert out["ds"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-11", "2024-01-12"]


def test_time_zone_aware_polars_table_keeps_its_zone():
    pl = pytest.importorskip("polars")
    idx = _berlin("D", 8)
    table = pl.DataFrame({"unique_id": ["a"] * 8, "ds": idx.to_list(), "y": A[:8]})
    out = forecast_many(table, 2, "naive").to_frame("polars")
    assert out["ds"].dtype == pl.Datetime("ns", "Europe/Berlin")
    assert [str(d) for d in out["ds"].to_list()] == ["2024-10-28 00:00:00+01:00",
                                                     "2024-10-29 00:00:00+01:00"]


def test_a_period_column_is_read_as_the_periods_starts():
    frame = pd.DataFrame({"unique_id": "a", "y": A,
                          "ds": pd.period_range("2024-01", periods=10, freq="M")})
    out = forecast_many(frame, 2, "naive").to_frame()
    assert out["ds"].dt.strftime("%Y-%m-%d").tolist() == ["2024-11-01", "2024-12-01"]
