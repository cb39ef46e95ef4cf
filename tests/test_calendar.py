"""BusinessCalendar against a brute-force minute-by-minute count, inversion, regressions."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.calendar import BusinessCalendar, CalendarSet, to_epoch_seconds
from cxpath.errors import CxpathError, DataError, InvalidParameterError, MissingExtraError

UTC = dt.timezone.utc
# DST switch days (local dates) of the three zones in 2025, and the 2024/25 year end
DST_DAYS = {
    "Europe/Berlin": ("2025-03-30", "2025-10-26"),  # 02:00 -> 03:00; 03:00 -> 02:00
    "America/New_York": ("2025-03-09", "2025-11-02"),  # 02:00 -> 03:00; 02:00 -> 01:00
    "Australia/Sydney": ("2025-04-06", "2025-10-05"),  # 03:00 -> 02:00; 02:00 -> 03:00
}
SPAN = ("2024-12-20", "2025-11-10")  # covers the year end and all six switch days


def _epoch(local: str, zone: str) -> float:
    """Epoch seconds of a local wall-clock time (fold=0)."""
    naive = dt.datetime.fromisoformat(local)
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone)).timestamp()


def _spec(zone: str, kind: str) -> dict:
    """Calendar specs as plain data, read independently by the oracle and the calendar."""
    if kind == "office":  # lunch break, Saturday mornings, holidays, closures, openings
        a, b = DST_DAYS[zone]
        return {
            "week": {0: [("09:00", "12:00"), ("13:00", "17:30")],
                     1: [("09:00", "12:00"), ("13:00", "17:30")],
                     2: [("09:00", "12:00"), ("13:00", "17:30")],
                     3: [("09:00", "12:00"), ("13:00", "17:30")],
                     4: [("09:00", "12:00"), ("13:00", "16:00")],
                     5: [("10:00", "14:00")], 6: []},
            "holidays": {"2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-05-01"},
            # extra openings straddle the skipped and the repeated wall-clock hours
            "openings": {a: [("00:30", "02:30"), ("04:00", "05:00")],
                         b: [("00:30", "02:30"), ("02:45", "03:15")],
                         "2025-01-01": [("10:00", "12:00")]},
            "closures": {"2025-03-31": [("11:00", "14:00")], "2025-06-06": None},
        }
    if kind == "shift":  # night shift across midnight, weekend cover
        return {
            "week": {d: [("00:00", "06:00"), ("18:00", "24:00")] for d in range(5)}
            | {5: [("00:00", "24:00")], 6: [("00:00", "02:30"), ("12:00", "24:00")]},
            "holidays": {"2024-12-31"}, "openings": {}, "closures": {},
        }
    return {"week": {d: [("00:00", "24:00")] for d in range(7)},  # 24/7
            "holidays": set(), "openings": {}, "closures": {}}


def _calendar(zone: str, kind: str) -> BusinessCalendar:
    spec = _spec(zone, kind)
    if kind == "always":
        return BusinessCalendar(zone, hours="24/7")
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return BusinessCalendar(zone, hours={names[d]: v for d, v in spec["week"].items()},
                            holidays=spec["holidays"], openings=spec["openings"],
                            closures=spec["closures"], name=kind)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _open_minutes_of_day(spec: dict, day: dt.date) -> np.ndarray:
    """Oracle: which local minutes of ``day`` are open (weekday hours, holiday, extras)."""
    mask = np.zeros(1440, dtype=bool)
    key = day.isoformat()
    if key not in spec["holidays"]:
        for a, b in spec["week"][day.weekday()]:
            mask[_minutes(a):_minutes(b)] = True
    for a, b in spec["openings"].get(key, []):
        mask[_minutes(a):_minutes(b)] = True
    if key in spec["closures"]:
        cut = spec["closures"][key]
        if cut is None:
            mask[:] = False
        else:
            for a, b in cut:
                mask[_minutes(a):_minutes(b)] = False
    return mask


_LOCAL_CACHE: dict = {}


def _local_minutes(zone: str):
    """UTC minute grid over SPAN and, per minute, its local date and minute of day."""
    if zone not in _LOCAL_CACHE:
        tz = zoneinfo.ZoneInfo(zone)
        t0 = int(dt.datetime.fromisoformat(SPAN[0]).replace(tzinfo=UTC).timestamp())
        t1 = int(dt.datetime.fromisoformat(SPAN[1]).replace(tzinfo=UTC).timestamp())
        grid = np.arange(t0, t1, 60, dtype=np.int64)
        dates, mods = [], []
        for t in grid.tolist():  # the wall clock of every single minute, from zoneinfo
            local = dt.datetime.fromtimestamp(t, tz)
            dates.append(local.date().toordinal())
            mods.append(local.hour * 60 + local.minute)
        _LOCAL_CACHE[zone] = grid, np.array(dates), np.array(mods)
    return _LOCAL_CACHE[zone]


def _oracle_prefix(zone: str, kind: str):
    """Open minutes before each grid minute, counted one by one (minute start open?)."""
    grid, dates, mods = _local_minutes(zone)
    spec = _spec(zone, kind)
    first = dates.min()
    days = {o: _open_minutes_of_day(spec, dt.date.fromordinal(o))
            for o in range(first, dates.max() + 1)}
    table = np.stack([days[o] for o in range(first, dates.max() + 1)])
    is_open = table[dates - first, mods]
    return grid, np.concatenate([[0], np.cumsum(is_open)])


def _pairs(zone: str, grid: np.ndarray, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Random whole-minute index pairs: anywhere, near switch days, and at the year end."""
    m = grid.shape[0]
    focus = [_epoch(d + "T00:00", zone) for d in DST_DAYS[zone]]
    focus.append(_epoch("2024-12-31T12:00", zone))
    i = rng.integers(0, m, n)
    near = rng.random(n) < 0.6  # most pairs start within a day of a switch or year end
    centre = (np.array(focus)[rng.integers(0, len(focus), n)] - grid[0]) // 60
    i[near] = np.clip(centre[near] + rng.integers(-1440, 2880, near.sum()), 0, m - 1)
    length = np.where(rng.random(n) < 0.5, rng.integers(0, 3000, n),
                      rng.integers(0, 60 * 24 * 40, n))
    j = np.clip(i + length, 0, m - 1)
    swap = rng.random(n) < 0.1  # some reversed pairs: negative durations
    i[swap], j[swap] = j[swap], i[swap]
    return i, j


ZONES = tuple(DST_DAYS)
KINDS = ("office", "shift", "always")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("kind", KINDS)
def test_business_duration_equals_a_minute_by_minute_count(zone, kind):
    # 3 zones x 3 calendars x 1,200 pairs = 10,800 pairs, about 60% near the DST switch
    # days and the year end; expected: the oracle above (each minute's wall clock from
    # zoneinfo, open if that local minute is open on its local date)
    grid, prefix = _oracle_prefix(zone, kind)
    rng = np.random.default_rng(abs(hash((zone, kind))) % 2**32)
    i, j = _pairs(zone, grid, 1200, rng)
    expected = (prefix[j] - prefix[i]) * 60.0
    cal = _calendar(zone, kind)
    got = cal.business_duration(grid[i].astype(float), grid[j].astype(float))
    np.testing.assert_array_equal(got, expected)
    if kind == "always":  # 24/7: business time is elapsed time, DST or not
        np.testing.assert_array_equal(got, (grid[j] - grid[i]).astype(float))


@pytest.mark.parametrize("zone", ZONES)
def test_every_dst_switch_day_whole(zone):
    # local midnight to next local midnight on a 24/7 calendar: 23 h and 25 h
    cal = BusinessCalendar(zone, hours="24/7")
    for day in DST_DAYS[zone]:
        d = dt.date.fromisoformat(day)
        a = _epoch(d.isoformat() + "T00:00", zone)
        b = _epoch((d + dt.timedelta(days=1)).isoformat() + "T00:00", zone)
        hours = float(cal.business_duration(a, b)) / 3600
        assert hours in (23.0, 25.0)
        assert hours == (b - a) / 3600


def test_berlin_ticket_half_an_hour_with_aware_timestamps():
    # regression from the issue: a ticket open 08:30-09:30 Berlin time, hours 09:00-17:00,
    # gets 0.5 h (not 0.0 h as when aware timestamps were read as UTC wall clocks)
    pd = pytest.importorskip("pandas")
    cal = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})
    opened = pd.Series(pd.to_datetime(["2025-03-04 08:30", "2025-07-15 08:30"])
                       ).dt.tz_localize("Europe/Berlin")
    closed = opened + pd.Timedelta(hours=1)
    np.testing.assert_array_equal(cal.business_duration(opened, closed), [1800.0, 1800.0])
    tz = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime(2025, 3, 4, 8, 30, tzinfo=tz)
    end = dt.datetime(2025, 3, 4, 9, 30, tzinfo=tz)
    assert cal.business_duration([start], [end])[0] == 1800.0
    # the same instants as UTC datetime64 and as epoch seconds
    as_utc = np.array(["2025-03-04T07:30", "2025-03-04T08:30"], dtype="datetime64[m]")
    assert cal.business_duration(as_utc[0], as_utc[1]) == 1800.0
    assert cal.business_duration(start.timestamp(), end.timestamp()) == 1800.0


def test_holidays_are_not_ignored_and_durations_are_seconds_not_days():
    # pm4py's reported failures: holidays ignored; business hours scaled by 24 into days
    cal = BusinessCalendar("UTC", hours={"weekdays": [("09:00", "17:00")]},
                           holidays=["2025-12-25", "2025-12-26"])
    mon = _epoch("2025-12-22T00:00", "UTC")
    week = cal.business_duration(mon, mon + 7 * 86400)
    assert week == 3 * 8 * 3600.0  # Mon, Tue, Wed; Thu and Fri are holidays
    one_day = cal.business_duration(mon, mon + 86400)
    assert one_day == 28800.0  # 8 hours in seconds, not 8 * 24 or 8 / 24
    no_holidays = BusinessCalendar("UTC", hours={"weekdays": [("09:00", "17:00")]})
    assert no_holidays.business_duration(mon, mon + 7 * 86400) == 5 * 28800.0


def test_closures_extra_openings_and_precedence():
    cal = BusinessCalendar("UTC", hours={"daily": [("09:00", "17:00")], "sun": []},
                           holidays=["2025-06-09"],
                           openings={"2025-06-09": [("10:00", "12:00")],
                                     "2025-06-08": ("08:00", "09:00")},
                           closures={"2025-06-10": [("12:00", "13:00")],
                                     "2025-06-11": None})
    day = {d: _epoch(f"2025-06-{d:02d}T00:00", "UTC") for d in range(7, 13)}
    dur = {d: float(cal.business_duration(day[d], day[d] + 86400)) / 3600 for d in day}
    assert dur == {7: 8.0, 8: 1.0, 9: 2.0, 10: 7.0, 11: 0.0, 12: 8.0}
    closed = BusinessCalendar("UTC", closures=[dt.date(2025, 6, 10)])
    assert closed.business_duration(day[10], day[10] + 86400) == 0.0


def test_gap_and_fold_rules_on_berlin_switch_days():
    zone = "Europe/Berlin"
    # an opening 01:30-02:30 on the spring-forward day: 02:00-02:30 never happens
    spring = BusinessCalendar(zone, hours={"sun": [("01:30", "02:30")], "mon": []},
                              )
    a = _epoch("2025-03-30T00:00", zone)
    assert spring.business_duration(a, a + 86400) == 1800.0
    # the same on the fall-back day: 01:30-02:00 once, 02:00-02:30 twice
    assert spring.business_duration(_epoch("2025-10-26T00:00", zone),
                                    _epoch("2025-10-27T00:00", zone)) == 5400.0
    # an interval starting inside the gap opens at 03:00 CEST
    gap = BusinessCalendar(zone, hours={"sun": [("02:30", "04:00")]})
    start = gap.next_open(a)
    assert start == _epoch("2025-03-30T03:00", zone)
    assert gap.business_duration(a, a + 86400) == 3600.0


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("kind", ("office", "shift"))
def test_is_open_and_next_open_match_the_oracle(zone, kind):
    grid, prefix = _oracle_prefix(zone, kind)
    open_oracle = np.diff(prefix).astype(bool)
    rng = np.random.default_rng(7)
    idx = rng.integers(0, grid.shape[0] - 20000, 3000)
    cal = _calendar(zone, kind)
    np.testing.assert_array_equal(cal.is_open(grid[idx].astype(float)), open_oracle[idx])
    nxt = cal.next_open(grid[idx].astype(float))
    # oracle: first open minute at or after each index
    open_at = np.flatnonzero(open_oracle)
    first = open_at[np.searchsorted(open_at, idx)]
    np.testing.assert_array_equal(nxt, grid[first].astype(float))


_BERLIN = _calendar("Europe/Berlin", "office")
_SYDNEY = _calendar("Australia/Sydney", "shift")
_T0 = _epoch("2024-12-20T00:00", "UTC")


@settings(max_examples=300, deadline=None)
@given(start=st.floats(0, 330 * 86400), seconds=st.floats(0, 60 * 86400),
       which=st.sampled_from([_BERLIN, _SYDNEY]))
def test_add_business_time_inverts_business_duration(start, seconds, which):
    t = _T0 + start
    due = which.add_business_time(t, seconds)
    assert due >= t
    assert abs(which.business_duration(t, due) - seconds) <= 1e-6 * max(1.0, seconds)
    if seconds > 0:  # the earliest such instant: just before it, less time has passed
        assert which.business_duration(t, due - 1e-3) < seconds


@settings(max_examples=200, deadline=None)
@given(start=st.floats(0, 330 * 86400), length=st.floats(0, 30 * 86400))
def test_business_duration_then_add_lands_on_or_before_the_end(start, length):
    a, b = _T0 + start, _T0 + start + length
    d = float(_BERLIN.business_duration(a, b))
    if d > 0:
        due = _BERLIN.add_business_time(a, d)
        assert due <= b + 1e-6
        assert abs(_BERLIN.business_duration(due, b)) <= 1e-6
    back = _BERLIN.add_business_time(b, -d)  # counting back
    if d > 0:
        assert abs(_BERLIN.business_duration(back, b) - d) <= 1e-6
        assert back >= a - 1e-6


def test_add_business_time_due_dates_across_the_year_end_and_far_ahead():
    cal = _calendar("America/New_York", "office")
    start = _epoch("2024-12-24T16:00", "America/New_York")  # Tue; Dec 25/26 holidays
    due = cal.add_business_time(start, 2 * 3600)
    # Tue 16:00-17:30 (1.5 h), then Fri Dec 27 09:00 + 0.5 h (Friday hours)
    assert due == _epoch("2024-12-27T09:30", "America/New_York")
    far = cal.add_business_time(start, 3000 * 3600.0)  # beyond the cached span
    assert far > start + 365 * 86400
    assert cal.business_duration(start, far) == 3000 * 3600.0
    assert cal.add_business_time(start, 0.0) == start  # open: itself
    assert np.isnan(cal.add_business_time(np.nan, 10.0))
    assert np.isnan(cal.add_business_time(start, np.nan))


def test_nan_and_nat_propagate_and_shapes_broadcast():
    cal = BusinessCalendar("UTC", hours="24/7")
    got = cal.business_duration(np.array([0.0, np.nan, 10.0]), np.array([5.0, 1.0, np.nan]))
    assert got[0] == 5.0 and np.isnan(got[1:]).all()
    nat = np.array(["2025-01-01T00:00", "NaT"], dtype="datetime64[s]")
    assert np.isnan(cal.business_duration(nat, nat)[1])
    assert cal.business_duration(0.0, np.arange(4.0).reshape(2, 2)).shape == (2, 2)
    assert not cal.is_open(np.nan)
    assert np.isnan(cal.next_open(np.nan))


def test_to_epoch_seconds_units_and_datetimes():
    x = np.array(["2025-01-01T00:00:00.5"], dtype="datetime64[ms]")
    assert to_epoch_seconds(x)[0] == 1735689600.5
    assert to_epoch_seconds(np.array(["2025-01-01"], dtype="datetime64[D]"))[0] == 1735689600
    naive = dt.datetime(2025, 1, 1)  # naive: UTC, like naive datetime64
    assert to_epoch_seconds([naive, None])[0] == 1735689600.0
    assert np.isnan(to_epoch_seconds([naive, None])[1])
    assert to_epoch_seconds(5) == 5.0


def test_calendar_set_chooses_per_row():
    eu = _calendar("Europe/Berlin", "office")
    us = _calendar("America/New_York", "office")
    cals = CalendarSet({"EU": eu, "US": us}, default="EU")
    rng = np.random.default_rng(3)
    a = _T0 + rng.uniform(0, 300 * 86400, 500)
    b = a + rng.uniform(0, 10 * 86400, 500)
    seg = np.where(rng.random(500) < 0.5, "EU", "US")
    got = cals.business_duration(a, b, segment=seg)
    want = np.where(seg == "EU", eu.business_duration(a, b), us.business_duration(a, b))
    np.testing.assert_array_equal(got, want)
    codes = (seg == "US").astype(np.int64)
    np.testing.assert_array_equal(cals.business_duration(a, b, segment=codes), want)
    np.testing.assert_array_equal(cals.business_duration(a, b, segment="other"),
                                  eu.business_duration(a, b))  # unknown label: default
    due = cals.add_business_time(a, 3600.0, segment=seg)
    np.testing.assert_array_equal(
        due, np.where(seg == "EU", eu.add_business_time(a, 3600.0),
                      us.add_business_time(a, 3600.0)))
    assert cals["US"] is us and cals.labels == ("EU", "US")
    assert "CalendarSet({'EU'" in repr(cals)


def test_repr_is_readable():
    cal = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "12:00"),
                                                                ("13:00", "17:00")]},
                           holidays=["2025-12-25"], name="EU")
    assert repr(cal) == ("BusinessCalendar('Europe/Berlin', hours={mon-fri 09:00-12:00 "
                         "13:00-17:00}, holidays=1 dates, closures=0, openings=0, "
                         "name='EU')")
    assert "'24/7'" in repr(BusinessCalendar(hours="24/7"))


def test_hours_forms_are_equivalent():
    t0 = _epoch("2025-06-02T00:00", "UTC")  # a Monday
    week = t0 + np.arange(0, 8) * 86400.0
    forms = [
        {"weekdays": [("09:00", "17:00")]},
        {"mon": ("09:00", "17:00"), "tue": [("9:00", "17:00")],
         "wed": [(dt.time(9), dt.time(17))], "thursday": [("09:00", "13:00"),
                                                          ("12:00", "17:00")],
         "Fri": [("09:00:00", "17:00:00")], "sat": "closed"},
        {"daily": [("09:00", "17:00")], "weekend": []},
    ]
    results = [BusinessCalendar("UTC", hours=f).business_duration(week[:-1], week[1:])
               for f in forms]
    for r in results:
        np.testing.assert_array_equal(r, [28800.0] * 5 + [0.0, 0.0])
    late = BusinessCalendar("UTC", hours={"daily": [("22:00", "24:00")]})
    assert late.business_duration(t0, t0 + 86400) == 7200.0


BAD_INIT = [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": 3}, "timezone"),
    ({"hours": "9 to 5"}, "hours"),
    ({"hours": ["09:00", "17:00"]}, "hours"),
    ({"hours": {"funday": [("09:00", "17:00")]}}, "hours"),
    ({"hours": {"mon": [("17:00", "09:00")]}}, "hours"),
    ({"hours": {"mon": [("09:00", "25:00")]}}, "hours"),
    ({"hours": {"mon": [("09:61", "10:00")]}}, "hours"),
    ({"hours": {"mon": [("09:00",)]}}, "hours"),
    ({"hours": {"mon": 9}}, "hours"),
    ({"hours": {"mon": []}}, "hours"),  # never open
    ({"holidays": ["2025-13-01"]}, "holidays"),
    ({"holidays": [dt.datetime(2025, 1, 1)]}, "holidays"),
    ({"holidays": dt.date(2025, 1, 1)}, "holidays"),
    ({"closures": "2025-01-01"}, "closures"),
    ({"closures": {"2025-01-01": [("12:00", "11:00")]}}, "closures"),
    ({"openings": ["2025-01-01"]}, "openings"),
    ({"openings": {"2025-01-01": None}}, "openings"),
    ({"name": 5}, "name"),
]


@pytest.mark.parametrize(("kwargs", "param"), BAD_INIT)
def test_bad_constructor_arguments_name_the_parameter(kwargs, param):
    with pytest.raises(InvalidParameterError,
                       match=rf"^The '{param}' parameter of calendar.BusinessCalendar must be"):
        BusinessCalendar(**kwargs)


def test_bad_query_arguments():
    cal = BusinessCalendar()
    with pytest.raises(InvalidParameterError, match=r"'start' parameter of calendar\.Business"):
        cal.business_duration(["yesterday"], [0.0])
    with pytest.raises(InvalidParameterError, match="'end' parameter"):
        cal.business_duration(np.zeros(3), np.zeros(2))
    with pytest.raises(InvalidParameterError, match="'end' parameter"):
        cal.business_duration(0.0, [True])
    with pytest.raises(DataError, match="'start' parameter"):
        cal.business_duration(0.0, 1e12)  # far beyond year 3800
    with pytest.raises(InvalidParameterError, match=r"'seconds' parameter of calendar\.B"):
        cal.add_business_time(0.0, "an hour")
    with pytest.raises(InvalidParameterError, match="'seconds' parameter"):
        cal.add_business_time(0.0, np.inf)
    with pytest.raises(InvalidParameterError, match="'seconds' parameter"):
        cal.add_business_time(np.zeros(3), np.zeros(2))
    with pytest.raises(InvalidParameterError, match=r"'t' parameter of calendar\.Business"):
        cal.is_open("now")
    with pytest.raises(InvalidParameterError, match=r"'t' parameter of calendar\.Business"):
        cal.next_open(["now"])
    with pytest.raises(InvalidParameterError, match=r"'values' parameter of calendar\.to_ep"):
        to_epoch_seconds(np.array([b"x"]))
    with pytest.raises(CxpathError):
        to_epoch_seconds([object()])


def test_bad_calendar_set_arguments():
    cal = BusinessCalendar()
    with pytest.raises(InvalidParameterError, match=r"'calendars' parameter of calendar\.Cal"):
        CalendarSet({})
    with pytest.raises(InvalidParameterError, match="'calendars' parameter"):
        CalendarSet({"a": "UTC"})
    with pytest.raises(InvalidParameterError, match="'default' parameter"):
        CalendarSet({"a": cal}, default="b")
    cals = CalendarSet({"a": cal})
    with pytest.raises(DataError, match=r"'segment' parameter of calendar\.CalendarSet\.busi"):
        cals.business_duration([0.0], [1.0], segment=["b"])
    with pytest.raises(DataError, match="'segment' parameter"):
        cals.business_duration([0.0], [1.0], segment=[3])
    with pytest.raises(InvalidParameterError, match="'segment' parameter"):
        cals.business_duration([0.0, 1.0], [1.0, 2.0], segment=["a"])
    with pytest.raises(InvalidParameterError, match="'start' parameter"):
        cals.add_business_time(["x"], [1.0], segment=["a"])


def test_holidays_package_country_code():
    holidays = pytest.importorskip("holidays", reason="optional extra 'holidays' absent")
    cal = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]},
                           holidays="DE-BE")
    # Berlin: 2025-03-08 (Women's Day, a Saturday), Good Friday 2025-04-18, 2025-05-01
    week = _epoch("2025-04-14T00:00", "Europe/Berlin")  # Mon..Sun, Good Friday closed
    assert cal.business_duration(week, week + 7 * 86400) == 4 * 28800.0
    obj = holidays.country_holidays("US", subdiv="NY")
    us = BusinessCalendar("America/New_York", hours={"weekdays": [("09:00", "17:00")]},
                          holidays=obj)
    july = _epoch("2025-07-04T00:00", "America/New_York")  # Independence Day, a Friday
    assert us.business_duration(july, july + 86400) == 0.0
    assert "holidays package US-NY" in repr(us)
    with pytest.raises(InvalidParameterError, match="'holidays' parameter"):
        BusinessCalendar(holidays="XX")


def test_country_code_without_the_extra_names_it(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_holidays(name, *args, **kwargs):
        if name == "holidays" or name.startswith("holidays."):
            raise ImportError("no holidays")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_holidays)
    monkeypatch.delitem(__import__("sys").modules, "holidays", raising=False)
    with pytest.raises(MissingExtraError, match="holidays"):
        BusinessCalendar(holidays="DE")


# --- hostile-input regressions (issue #18) -----------------------------------------------

def _two_calendars():
    eu = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})
    us = BusinessCalendar("America/New_York", hours={"weekdays": [("09:00", "17:00")]})
    return CalendarSet({"EU": eu, "US": us})


def test_calendar_set_unhashable_default():
    cal = BusinessCalendar()
    with pytest.raises(InvalidParameterError, match=r"'default' parameter of calendar\."
                       r"CalendarSet must be one of the calendar labels 'EU'\. Got \[None\]"):
        CalendarSet({"EU": cal}, default=[None])


class _Opaque:
    pass


@pytest.mark.parametrize("segment", [_Opaque(), [_Opaque(), _Opaque()], [["a"], "EU"]])
def test_calendar_set_unorderable_segments(segment):
    start = np.array([1736496000.0, 1736496000.0])
    with pytest.raises(CxpathError, match=r"'segment' parameter of calendar\.CalendarSet\."
                       r"add_business_time must be"):
        _two_calendars().add_business_time(start, 3600.0, segment=segment)


def test_calendar_set_mixed_labels_still_map():
    start = np.array([1736496000.0, 1736496000.0])  # Fri 2025-01-10 08:00 UTC
    codes = _two_calendars()._codes(np.array(["US", "EU"], dtype=object), 2, "f")
    assert codes.tolist() == [1, 0]
    # 08:00 UTC is 09:00 in Berlin: one hour later is 10:00 Berlin = 09:00 UTC
    assert _two_calendars().add_business_time(start, 3600.0, segment=["EU", "EU"]).tolist() \
        == [1736499600.0, 1736499600.0]


def test_pandas_nat_is_missing():
    pd = pytest.importorskip("pandas")
    out = to_epoch_seconds([pd.NaT, pd.Timestamp("2025-01-01", tz="UTC")])
    assert np.isnan(out[0]) and out[1] == 1735689600.0  # 2025-01-01 00:00 UTC
    assert np.isnan(BusinessCalendar().business_duration(pd.NaT, 1736496000.0))


@pytest.mark.parametrize("start", [-27_000_000_000.0, np.datetime64("1111-01-01"),
                                   np.datetime64("1899-12-31T23:59:59"),
                                   np.datetime64("2200-01-01")])
def test_instants_outside_1900_2199_refused(start):
    with pytest.raises(DataError, match=r"'start' parameter of calendar\.BusinessCalendar\."
                       r"business_duration must be instants in the years 1900 to 2199 "
                       r"\(epoch seconds from -2208988800 to below 7258118400\)"):
        _two_calendars()["EU"].business_duration(start, 1736496000.0)


def test_instants_at_the_range_ends_accepted():
    cal = BusinessCalendar()
    first = np.datetime64("1900-01-01T00:00:00")
    last = np.datetime64("2199-12-31T23:59:59")
    assert float(cal.business_duration(first, first)) == 0.0
    assert float(cal.business_duration(last, last)) == 0.0
