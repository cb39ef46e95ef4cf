"""Dates in and out of the one-series forecasts (#19 point 3): a Series with a DatetimeIndex
or ``dates=``/``freq=``, the season length from the frequency, future ``ds``, gaps refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast import (
    Forecast,
    adida,
    croston,
    drift,
    imapa,
    mean_forecast,
    naive,
    seasonal_naive,
    theta,
    tsb,
)
from cxpath.forecast._dates import season_length

pd = pytest.importorskip("pandas")

Y = np.array([5.0, 7, 6, 8, 9, 4, 3, 6, 8, 7, 9, 10, 5, 4, 7, 8, 9, 8, 11, 6, 5])  # 3 weeks


def daily(y=Y, start="2024-01-01", freq="D"):
    return pd.Series(y, index=pd.date_range(start, periods=len(y), freq=freq))


@pytest.mark.parametrize(("freq", "m"), [
    # the rule of issue #19 and FPP3 §2.1 (Hyndman & Athanasopoulos, seasonal periods):
    # hourly 24, daily 7, weekly 52 (52.18 → 52), monthly 12, quarterly 4, annual 1
    ("h", 24), ("H", 24), ("D", 7), ("W", 52), ("W-SUN", 52), ("W-MON", 52),
    ("M", 12), ("ME", 12), ("MS", 12), ("Q", 4), ("QS", 4), ("QE-DEC", 4),
    ("A", 1), ("Y", 1), ("YS", 1), ("30min", 48), ("15min", 96), ("min", 1440),
    # periods in the cycle above, when whole; else no season (1)
    ("B", 5), ("2W", 26), ("7D", 52), ("2D", 1), ("2h", 12), ("7h", 1), ("2MS", 6),
    ("SMS", 24)])
def test_season_length_rule(freq, m):
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")  # 'H', 'M', 'A' are deprecated aliases
        assert season_length(freq) == m


def test_series_with_datetime_index_infers_m_and_gives_future_dates():
    f = seasonal_naive(daily(), 4)
    assert f.params["m"] == 7  # D -> 7
    same = seasonal_naive(Y, 4, 7)
    assert np.array_equal(f.mean, same.mean) and np.array_equal(f.upper, same.upper)
    # 21 days from 2024-01-01 end on 2024-01-21: the horizon is Jan 22 .. 25
    assert list(pd.DatetimeIndex(f.ds)) == list(pd.date_range("2024-01-22", periods=4))
    assert f.ds.dtype == np.dtype("M8[ns]") and f.freq == "D"
    out = f.to_frame()
    assert list(out.columns) == ["step", "ds", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
    assert out["step"].tolist() == [1, 2, 3, 4]
    assert out["ds"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-22", "2024-01-23",
                                                          "2024-01-24", "2024-01-25"]


def test_arrays_in_give_the_same_results_as_before():
    f = seasonal_naive(Y, 3, 7)
    assert f.ds is None and f.freq is None
    assert list(f.to_frame("dict")) == ["step", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
    # seasonal naive by hand: the last week repeated, y[14 + (k % 7)]
    assert f.mean.tolist() == [7.0, 8.0, 9.0]
    # a Series without a DatetimeIndex is an array as before
    g = naive(pd.Series(Y), 2)
    assert g.ds is None and g.mean.tolist() == [5.0, 5.0]


def test_explicit_m_wins_over_the_frequency():
    f = seasonal_naive(daily(), 2, 3)
    assert f.params["m"] == 3 and f.mean.tolist() == seasonal_naive(Y, 2, 3).mean.tolist()
    g = seasonal_naive(daily(), 2, m=3)
    assert g.params["m"] == 3


def test_dates_parameter_equals_the_series_index():
    days = [str(d.date()) for d in pd.date_range("2024-01-01", periods=21)]
    a = seasonal_naive(Y, 3, dates=days)
    b = seasonal_naive(daily(), 3)
    assert np.array_equal(a.mean, b.mean) and np.array_equal(a.ds, b.ds)
    c = drift(Y, 2, dates=np.array(days, dtype="M8[D]"))
    assert pd.DatetimeIndex(c.ds).strftime("%Y-%m-%d").tolist() == ["2024-01-22", "2024-01-23"]
    # drift by hand: last + k * (last - first) / (n - 1) = 5 + k * 0 / 20
    assert c.mean.tolist() == [5.0, 5.0]


@pytest.mark.parametrize("fn", [naive, mean_forecast, drift, theta, croston, tsb, adida,
                                imapa])
def test_every_baseline_and_intermittent_method_takes_dates(fn):
    y = np.abs(Y - 6.0)  # non-negative demand with zeros for the intermittent ones
    f = fn(daily(y), 3)
    g = fn(y, 3)
    assert isinstance(f, Forecast) and np.array_equal(f.mean, g.mean)
    assert pd.DatetimeIndex(f.ds).strftime("%m-%d").tolist() == ["01-22", "01-23", "01-24"]


def test_theta_infers_its_season_from_monthly_dates():
    t = np.arange(48)
    y = 100 + 20 * np.sin(2 * np.pi * t / 12) + 0.1 * t
    f = theta(pd.Series(y, index=pd.date_range("2020-01-01", periods=48, freq="MS")), 12)
    assert f.params["seasonal"] is True  # m = 12 from MS, the seasonal test passes
    assert np.array_equal(f.mean, theta(y, 12, 12).mean)
    assert pd.DatetimeIndex(f.ds)[[0, -1]].strftime("%Y-%m-%d").tolist() == \
        ["2024-01-01", "2024-12-01"]


def test_month_end_quarterly_and_fifteen_minute_dates():
    me = naive(daily(Y[:6], "2024-01-31", "ME"), 2)
    assert pd.DatetimeIndex(me.ds).strftime("%Y-%m-%d").tolist() == ["2024-07-31",
                                                                     "2024-08-31"]
    q = naive(daily(Y[:5], "2023-01-01", "QS"), 1)
    assert pd.DatetimeIndex(q.ds).strftime("%Y-%m-%d").tolist() == ["2024-04-01"]
    y = 10 + np.sin(2 * np.pi * np.arange(192) / 96)
    f = seasonal_naive(pd.Series(y, index=pd.date_range("2024-03-01", periods=192,
                                                          freq="15min")), 2)
    assert f.params["m"] == 96  # 15min -> 96 a day
    assert pd.DatetimeIndex(f.ds).strftime("%d %H:%M").tolist() == ["03 00:00", "03 00:15"]


def test_period_index_and_time_zone_aware_dates():
    p = pd.Series(Y[:8], index=pd.period_range("2024-01", periods=8, freq="M"))
    f = naive(p, 1)
    assert pd.DatetimeIndex(f.ds).strftime("%Y-%m-%d").tolist() == ["2024-09-01"]
    z = pd.Series(Y[:5], index=pd.date_range("2024-03-30", periods=5, freq="D",
                                             tz="Europe/Berlin"))
    g = naive(z, 2)  # the local calendar: midnight stays midnight across the DST change
    assert g.tz == "Europe/Berlin"
    assert g.to_frame()["ds"].astype(str).tolist() == [
        "2024-04-04 00:00:00+02:00", "2024-04-05 00:00:00+02:00"]
    # ds holds the UTC instants (Berlin is UTC+2 in April)
    assert pd.DatetimeIndex(g.ds).strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-04-03 22:00", "2024-04-04 22:00"]
    assert "2024-04-04 00:00:00+02:00" in repr(g)  # the text shows the local times too


def test_time_zone_aware_days_follow_the_local_calendar_across_dst():
    # the history ends on the day the clocks go back (Europe/Berlin, 2024-10-27): the next
    # midnight is 25 hours later; pandas' Timestamp + Day would give 23:00 that evening
    z = pd.Series(Y[:7], index=pd.date_range("2024-10-21", periods=7, freq="D",
                                             tz="Europe/Berlin"))
    g = naive(z, 2)
    assert g.to_frame()["ds"].astype(str).tolist() == [
        "2024-10-28 00:00:00+01:00", "2024-10-29 00:00:00+01:00"]
    assert naive(z, 1, freq="D").to_frame()["ds"].astype(str).tolist() == [
        "2024-10-28 00:00:00+01:00"]  # a given 'D' checks the history in local days too


def test_hours_across_the_fall_back_are_distinct_instants():
    # the hour 02:00 happens twice on 2024-10-27 in Berlin: as wall-clock times the two
    # forecasts would share a label; as instants they are an hour apart
    idx = pd.date_range(end=pd.Timestamp("2024-10-27 01:00", tz="Europe/Berlin"),
                        periods=48, freq="h")
    f = naive(pd.Series(np.arange(48.0), index=idx), 3)
    assert f.to_frame()["ds"].astype(str).tolist() == [
        "2024-10-27 02:00:00+02:00", "2024-10-27 02:00:00+01:00",
        "2024-10-27 03:00:00+01:00"]
    assert (np.diff(f.ds) == np.timedelta64(3600, "s")).all()
    assert str(f.to_frame("polars")["ds"].dtype) == "Datetime(time_unit='ns', " \
        "time_zone='Europe/Berlin')"
    assert f.to_frame("dict")["ds"].dtype == np.dtype("M8[ns]")  # the dict: UTC instants


def test_a_single_date_needs_freq():
    f = naive([3.0, 4.0], 2, dates=["2024-01-15", "2024-01-16"])
    assert f.freq == "D"  # two dates: their difference
    with pytest.raises(InvalidParameterError, match=r"'m' parameter of forecast.seasonal_naive"):
        seasonal_naive([1.0, 2.0, 3.0], 2)  # no m, no dates


def test_irregular_dates_are_refused_naming_the_gaps():
    gap = daily().drop(pd.to_datetime(["2024-01-06", "2024-01-07"]))
    with pytest.raises(DataError, match=(
            r"^The 'y' parameter of forecast.naive must be regular dates \(one frequency, no "
            r"gaps\); give freq= to name the frequency, or fill the gaps. Got irregular "
            r"dates: the usual step is 1 day \(17 of 18\) but there are gaps of 3 days "
            r"between 2024-01-05 and 2024-01-08 instead.$")):
        naive(gap, 2)
    with pytest.raises(DataError, match=(
            r"^The 'y' parameter of forecast.naive must be regular dates of frequency 'D' "
            r"with no gaps. Got 2 date\(s\) missing: 2024-01-06, 2024-01-07 instead.$")):
        naive(gap, 2, freq="D")
    with pytest.raises(DataError, match=r"off the 'MS' grid: 2024-03-15"):
        naive([1.0, 2, 3], 1, dates=["2024-01-01", "2024-02-01", "2024-03-15"], freq="MS")


def test_repeated_and_unordered_dates():
    with pytest.raises(DataError, match=r"date 2024-01-02 repeated at positions 1 and 2"):
        naive([1.0, 2, 3], 1, dates=["2024-01-01", "2024-01-02", "2024-01-02"])
    with pytest.raises(DataError, match=r"out of order: 2024-01-01 at position 2"):
        naive([1.0, 2, 3], 1, dates=["2024-01-02", "2024-01-03", "2024-01-01"])


def test_bad_dates_and_freq():
    with pytest.raises(InvalidTypeError, match=r"'dates' parameter of forecast.naive must be "
                                               r"dates .*not numbers"):
        naive([1.0, 2.0, 3.0], 1, dates=[1, 2, 3])
    with pytest.raises(InvalidTypeError, match=r"'dates' parameter"):
        naive([1.0, 2.0, 3.0], 1, dates="2024-01-01")
    with pytest.raises(InvalidTypeError, match=r"'dates' parameter.*cannot read as dates"):
        naive([1.0, 2.0, 3.0], 1, dates=["a", "b", "c"])
    with pytest.raises(DataError, match=r"one date per observation \(3\). Got 2 dates"):
        naive([1.0, 2.0, 3.0], 1, dates=["2024-01-01", "2024-01-02"])
    with pytest.raises(DataError, match=r"without missing values. Got NaT at position 1"):
        naive([1.0, 2.0, 3.0], 1, dates=["2024-01-01", None, "2024-01-03"])
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter of forecast.naive must "
                                                    r"be a pandas frequency alias"):
        naive(daily(), 1, freq="fortnightly")
    with pytest.raises(InvalidTypeError, match=r"'freq' parameter"):
        naive(daily(), 1, freq=7)
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter of forecast.naive must "
                                                    r"be given together with 'dates'"):
        naive(Y, 1, freq="D")
    with pytest.raises(InvalidParameterError, match=r"'freq' parameter.*single date"):
        naive([1.0], 1, dates=["2024-01-01"])


def test_signature_and_docs_show_the_new_parameters():
    import inspect

    sig = inspect.signature(naive)
    assert list(sig.parameters)[-2:] == ["dates", "freq"]
    assert sig.parameters["dates"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "\n    dates : array-like of datetimes, optional" in naive.__doc__
    assert inspect.signature(seasonal_naive).parameters["m"].default is None


def test_plot_uses_dates_on_the_x_axis():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from cxpath import plot

    y = daily(Y[:8], "2024-01-01", "MS")
    f = seasonal_naive(y, 3, 2)
    ax = plot.forecast(f, history=y, actual=[8.0, 30.0])
    hist, mean = ax.lines[0].get_xdata(), ax.lines[1].get_xdata()
    # history ends on the last observation (Aug 1), the forecast starts a month later
    assert pd.DatetimeIndex(hist)[[0, -1]].strftime("%Y-%m").tolist() == ["2024-01", "2024-08"]
    assert pd.DatetimeIndex(mean).strftime("%Y-%m").tolist() == ["2024-09", "2024-10",
                                                                 "2024-11"]
    assert ax.get_xlabel() == "date (frequency MS)"
    assert len(ax.collections) == 3  # two bands and the flagged actual (30 is outside)
    plain = plot.forecast(seasonal_naive(Y[:8], 3, 2), history=Y[:8])
    assert plain.get_xlabel() == "step (0 = last observation)"


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/Sao_Paulo", "UTC"]


@settings(max_examples=60, deadline=None)
@given(zone=st.sampled_from(ZONES), freq=st.sampled_from(["h", "30min", "D", "W-SUN", "MS"]),
       start=st.integers(0, 3 * 365 * 24), n=st.integers(3, 60), h=st.integers(1, 40))
def test_aware_forecast_dates_are_the_local_calendars_next_periods(zone, freq, start, n, h):
    # reference: pandas' own aware date_range continued past the history, which follows
    # the zone's calendar for days and longer and elapsed time below a day
    first = pd.Timestamp("2023-01-01", tz=zone).floor("D") + pd.Timedelta(hours=start)
    if freq in ("D", "W-SUN", "MS"):
        first = first.floor("D")
    try:
        idx = pd.date_range(first, periods=n + h, freq=freq)
    except (ValueError, pd.errors.OutOfBoundsDatetime):  # a nonexistent local midnight
        return
    f = naive(pd.Series(np.arange(n, dtype=float), index=idx[:n]), h)
    shown = f.to_frame()["ds"]
    assert f.tz == zone and str(shown.dt.tz) == zone
    assert (pd.DatetimeIndex(shown) == idx[n:]).all()
    assert (np.diff(f.ds) > np.timedelta64(0, "ns")).all()  # UTC instants never repeat


def test_fixed_offsets_and_other_zone_objects_are_named_for_pandas_and_polars():
    import datetime as dt

    pytest.importorskip("polars")
    zones = [(dt.timezone(dt.timedelta(hours=2)), "+02:00"),
             (dt.timezone(dt.timedelta(hours=-5, minutes=-30)), "-05:30"),
             (dt.timezone.utc, "UTC")]
    pytz = pytest.importorskip("pytz")
    zones.append((pytz.timezone("America/Chicago"), "America/Chicago"))
    for zone, name in zones:
        idx = pd.date_range("2024-01-01", periods=10, freq="D", tz=zone)
        f = naive(pd.Series(np.arange(10.0), index=idx), 2)
        assert f.tz == name
        assert f.to_frame()["ds"].tolist() == list(idx[-1:] + pd.Timedelta(days=1)) + \
            list(idx[-1:] + pd.Timedelta(days=2))
        # polars knows fixed offsets of whole hours only: the others are shown in UTC
        assert f.to_frame("polars")["ds"].dtype.time_zone == (
            "UTC" if name == "-05:30" else "Etc/GMT-2" if name == "+02:00" else name)
