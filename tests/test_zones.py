"""Local wall clocks: zone offsets, naive versus aware input, and journeys that keep a zone.

Reference: Python's own ``datetime`` with ``zoneinfo`` and ``fold=0`` (PEP 495), one value
at a time.
"""

import datetime as dt
import zoneinfo

import numpy as np
import pandas as pd
import pytest

from cxpath import Journeys
from cxpath._zones import localize, offsets, wall_clock, wall_clock_datetimes
from cxpath.calendar import BusinessCalendar
from cxpath.errors import CxpathError, DataError
from cxpath.journeys import bottlenecks

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney"]
UTC = dt.timezone.utc


def switch_days(zone):
    """Midnights (wall clock, epoch numbers) of the 2025 days on which ``zone`` switches."""
    z = zoneinfo.ZoneInfo(zone)
    days = []
    for k in range(365):
        d = dt.datetime(2025, 1, 1) + dt.timedelta(days=k)
        a = d.replace(tzinfo=z).utcoffset()
        b = (d + dt.timedelta(days=1)).replace(tzinfo=z).utcoffset()
        if a != b:
            days.append(d.replace(tzinfo=UTC).timestamp())
    return days


def oracle_localize(wall, zone):
    z = zoneinfo.ZoneInfo(zone)
    return np.array([dt.datetime.fromtimestamp(w, UTC).replace(tzinfo=None, fold=0)
                     .replace(tzinfo=z).timestamp() for w in wall.tolist()])


@pytest.mark.parametrize("zone", ZONES)
def test_localize_equals_datetime_fold0_minute_by_minute_on_switch_days(zone):
    days = switch_days(zone)
    assert len(days) == 2  # both directions of the switch are covered
    wall = np.concatenate([d + 60.0 * np.arange(-6 * 60, 30 * 60) for d in days])
    rng = np.random.default_rng(7)
    wall = np.concatenate([wall, rng.uniform(1.70e9, 1.80e9, 3000).round()])
    got = localize(wall, zone)
    assert np.array_equal(got, oracle_localize(wall, zone))
    # wall_clock inverts localize except on the skipped hour (which never happens)
    back = wall_clock(got, zone)
    skipped = back != wall
    dense = np.arange(wall.size) < 2 * 36 * 60
    assert skipped[dense].sum() == 60  # the spring-forward hour, minute by minute
    assert np.all(back[skipped] - wall[skipped] == 3600.0)


def test_offsets_and_nan():
    t = np.array([1735689600.0, np.nan, 1751328000.0])  # 2025-01-01 and 2025-07-01 UTC
    assert offsets(t, "Europe/Berlin").tolist() == [3600.0, 0.0, 7200.0]
    assert np.isnan(localize(t, "Europe/Berlin")[1])
    assert np.isnan(localize(np.array([np.nan]), "Europe/Berlin")).all()


def berlin_ticket(kind):
    """A case open 08:30-09:30 local time in Berlin, as aware, naive or offset input."""
    local = pd.to_datetime(["2025-01-06 08:30", "2025-01-06 09:30"])
    if kind == "aware":
        t = local.tz_localize("Europe/Berlin")
    elif kind == "offset strings":
        t = ["2025-01-06T08:30+01:00", "2025-01-06T09:30+01:00"]
    else:
        t = local
    return pd.DataFrame({"case": [1, 1], "step": ["open", "close"], "t": t})


CAL = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})


@pytest.mark.parametrize("kind, tz, zone", [
    ("aware", None, "Europe/Berlin"),
    ("offset strings", None, "UTC"),
    ("naive", "Europe/Berlin", "Europe/Berlin"),
    ("naive", None, None),
])
def test_the_berlin_ticket_gets_half_an_hour_however_its_times_come(kind, tz, zone):
    # issue 16's first regression: aware input once lost the wall clock (0.0 h)
    j = Journeys.from_events(berlin_ticket(kind), case="case", touchpoint="step",
                             timestamp="t", tz=tz)
    assert j.tz == zone
    b = bottlenecks(j, calendar=CAL)
    assert float(b.total_wait[0]) == 1800.0
    if zone is None:
        assert "naive times read as local time in Europe/Berlin" in b.clock
    else:
        assert "naive" not in b.clock


def test_journeys_show_local_times_and_state_the_zone():
    j = Journeys.from_events(berlin_ticket("aware"), case="case", touchpoint="step",
                             timestamp="t")
    assert "from 2025-01-06T08:30:00 to 2025-01-06T09:30:00 (Europe/Berlin)" in repr(j)
    n = Journeys.from_events(berlin_ticket("naive"), case="case", touchpoint="step",
                             timestamp="t")
    assert "(naive times, no time zone)" in repr(n)
    # a declared zone on naive input gives the same instants as aware input
    d = Journeys.from_events(berlin_ticket("naive"), case="case", touchpoint="step",
                             timestamp="t", tz="Europe/Berlin")
    assert d.times.tolist() == j.times.tolist()
    # a declared zone on aware input keeps the instants and changes only the display
    ny = Journeys.from_events(berlin_ticket("aware"), case="case", touchpoint="step",
                              timestamp="t", tz="America/New_York")
    assert ny.times.tolist() == j.times.tolist()
    assert "from 2025-01-06T02:30:00" in repr(ny)
    assert j.select([1]).tz == "Europe/Berlin"


def test_mixing_naive_and_aware_times_is_an_error_naming_rows():
    df = pd.DataFrame({"case": [1, 1, 2, 2], "step": list("abab"),
                       "t": ["2025-01-06T08:30+01:00", "2025-01-06T09:30",
                             "2025-01-06T10:00Z", "2025-01-06T11:00"]})
    with pytest.raises(DataError, match=r"rows \[0, 2\] have an offset.*rows \[1, 3\] do not"):
        Journeys.from_events(df, case="case", touchpoint="step", timestamp="t")
    objs = [dt.datetime(2025, 1, 6, 8, tzinfo=UTC), dt.datetime(2025, 1, 6, 9)]
    with pytest.raises(DataError, match="aware"):
        Journeys.from_events({"case": [1, 1], "step": ["a", "b"], "t": np.array(objs)},
                             case="case", touchpoint="step", timestamp="t")


def test_start_and_completion_times_must_agree_on_a_zone():
    df = pd.DataFrame({"case": [1], "step": ["a"], "start": ["2025-01-06T08:30"],
                       "end": ["2025-01-06T09:30Z"]})
    with pytest.raises(DataError, match=r"start_timestamp.*aware exactly when"):
        Journeys.from_events(df, case="case", touchpoint="step", timestamp="end",
                             start_timestamp="start")


def test_bad_zone_names_the_parameter():
    with pytest.raises(CxpathError, match=r"'tz' parameter of Journeys.from_events"):
        Journeys.from_events(berlin_ticket("naive"), case="case", touchpoint="step",
                             timestamp="t", tz="Mars/Olympus")
    with pytest.raises(CxpathError, match="'tz' parameter of Journeys"):
        Journeys(codes=[0], offsets=[0, 1], vocab=["a"], case_ids=[1], tz=3)


def test_xes_times_are_instants_and_tz_only_picks_the_display(tmp_path):
    from cxpath.io import read_xes

    xes = tmp_path / "tiny.xes"
    xes.write_text('<log><trace><string key="concept:name" value="c1"/>'
                   '<event><string key="concept:name" value="call"/>'
                   '<date key="time:timestamp" value="2025-01-06T08:30:00+01:00"/></event>'
                   '<event><string key="concept:name" value="close"/>'
                   '<date key="time:timestamp" value="2025-01-06T09:30:00+01:00"/></event>'
                   "</trace></log>")
    utc = read_xes(xes)
    berlin = read_xes(xes, tz="Europe/Berlin")
    assert utc.tz == "UTC" and berlin.tz == "Europe/Berlin"
    assert utc.times.tolist() == berlin.times.tolist() == [1736148600.0, 1736152200.0]
    assert "from 2025-01-06T08:30:00 to 2025-01-06T09:30:00 (Europe/Berlin)" in repr(berlin)
    assert float(bottlenecks(berlin, calendar=CAL).total_wait[0]) == 1800.0


def test_wall_clock_datetimes_against_zoneinfo():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    instants = np.array(["2025-03-30T00:59:59", "2025-03-30T01:00:00", "2025-10-26T00:30",
                         "2025-10-26T01:30", "NaT"], dtype="datetime64[us]")
    got = wall_clock_datetimes(instants, "Europe/Berlin")
    assert got.dtype == instants.dtype and np.isnat(got[-1])
    for u, w in zip(instants[:-1].tolist(), got[:-1].tolist()):
        # the reference: datetime's own conversion of the UTC instant to Berlin time
        assert u.replace(tzinfo=dt.timezone.utc).astimezone(berlin).replace(tzinfo=None) == w
    assert (wall_clock_datetimes(instants[:-1], None) == instants[:-1]).all()
