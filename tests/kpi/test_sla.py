"""SLA attainment and SLA clocks: business time, pauses, breaches, the at-risk list.

References: hand-computed clocks on a constructed log (written out next to each number);
the minute-level calendar is checked in tests/test_calendar.py.
"""

import numpy as np
import pandas as pd
import pytest

from cxpath import Journeys
from cxpath._zones import localize, wall_clock
from cxpath.calendar import BusinessCalendar
from cxpath.datasets import load_sample
from cxpath.errors import CxpathError, DataError, InvalidParameterError
from cxpath.kpi import business_seconds, response_times, sla_attainment, sla_clocks

H = 3600.0
BERLIN = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})


def desk_log():
    """Three tickets, Berlin local times, Mon-Fri 09-17 (2025-01-06 is a Monday).

    X (P1, 8 h): Mon 16:00 open; Tue 10:00 pending customer; Wed 14:00 reply; Thu 13:00
       resolved. Running Mon 16-17, Tue 9-10, Wed 14-17, Thu 9-13 = 1+1+3+4 = 9 h; paused
       Tue 10-17 + Wed 9-14 = 12 h; the 8th hour ends Thu 12:00 -> breach, missed.
    Y (P2, 15 h): Fri 01-10 15:00 open; 16:00 pending; Mon 01-13 10:00 reply; open at Mon
       15:00. Running 1 h + Mon 10-15 5 h = 6 h; paused Fri 16-17 + Mon 9-10 = 2 h; 9 h
       left: Mon 15-17 (2) + Tue 9-16 (7) -> due Tue 01-14 16:00.
    Z (P2, 15 h): Mon 01-13 09:00 open; 11:00 pending; still pending at 15:00: 2 h run,
       4 h paused, 13 h left, no due time while paused.
    """
    rows = [("X", "open", "2025-01-06 16:00"), ("X", "pending_customer", "2025-01-07 10:00"),
            ("X", "reply", "2025-01-08 14:00"), ("X", "resolved", "2025-01-09 13:00"),
            ("Y", "open", "2025-01-10 15:00"), ("Y", "pending_customer", "2025-01-10 16:00"),
            ("Y", "reply", "2025-01-13 10:00"),
            ("Z", "open", "2025-01-13 09:00"), ("Z", "pending_customer", "2025-01-13 11:00")]
    df = pd.DataFrame(rows, columns=["case", "step", "at"])
    df["at"] = pd.to_datetime(df["at"])
    df["priority"] = df["case"].map({"X": "P1", "Y": "P2", "Z": "P2"})
    return df


def clocks(as_of="2025-01-13T15:00", tz="Europe/Berlin", **kw):
    j = Journeys.from_events(desk_log(), case="case", touchpoint="step", timestamp="at",
                             case_attributes=["priority"], tz=tz)
    return sla_clocks(j, {"P1": "8h", "P2": "15h"}, pause={"pending_customer"},
                      stop={"resolved"}, calendar=BERLIN, as_of=as_of, **kw)


def test_clocks_pause_and_breach_as_computed_by_hand():
    c = clocks()
    assert c.status.tolist() == ["missed", "running", "paused"]
    assert (c.elapsed / H).tolist() == [9.0, 6.0, 2.0]
    assert (c.paused / H).tolist() == [12.0, 2.0, 4.0]
    assert (c.remaining / H).tolist() == [-1.0, 9.0, 13.0]
    assert c.breach_at.astype(str).tolist() == ["2025-01-09T12:00:00", "2025-01-14T16:00:00",
                                                "NaT"]
    assert c.stopped.astype(str).tolist()[0] == "2025-01-09T13:00:00"  # Berlin wall clock
    assert str(c.as_of) == "2025-01-13T15:00:00"
    risk = c.at_risk("10h")
    assert risk.case_id.tolist() == ["Y"]  # Z has 13 h left, X is closed
    assert c.at_risk("14h").case_id.tolist() == ["Y", "Z"]
    a = c.attainment()
    assert a.priority.tolist() == ["P1", "P2"]
    assert a.missed.tolist() == [1, 0] and a.pending.tolist() == [0, 2]
    assert "business time on BusinessCalendar('Europe/Berlin'" in a.clock


def test_naive_journeys_are_read_on_the_calendars_clock():
    naive = clocks(tz=None)
    aware = clocks()
    assert naive.elapsed.tolist() == aware.elapsed.tolist()
    assert naive.breach_at.tolist() == aware.breach_at.tolist()
    assert "naive times read as local time in Europe/Berlin" in naive.clock


def test_the_live_view_uses_only_what_was_known():
    # Thursday 12:30: X is running past its target, nothing of 13:00 is known yet
    c = clocks(as_of="2025-01-09T12:30")
    assert c.status[0] == "overdue" and c.remaining[0] == -0.5 * H
    assert c.status[1:].tolist() == ["not started", "not started"]
    assert c.breach_at.astype(str)[0] == "2025-01-09T12:00:00"
    # Wednesday noon: X waits for the customer with 6 h left and no due time
    w = clocks(as_of="2025-01-08T12:00")
    assert w.status[0] == "paused" and w.remaining[0] == 6 * H and np.isnat(w.breach_at[0])
    assert w.at_risk("6h").case_id.tolist() == ["X"]
    assert w.at_risk("6h", include_overdue=False).case_id.tolist() == ["X"]


def test_without_a_calendar_the_clock_is_elapsed_time():
    j = Journeys.from_events(desk_log(), case="case", touchpoint="step", timestamp="at",
                             case_attributes=["priority"])
    e = sla_clocks(j, {"P1": "8h", "P2": "15h"}, pause={"pending_customer"},
                   stop={"resolved"})
    # X: Mon 16:00 -> Tue 10:00 (18 h) + Wed 14:00 -> Thu 13:00 (23 h) = 41 h running
    assert e.elapsed[0] == 41 * H and e.clock == "elapsed time"
    assert e.breach_at.astype(str)[0] == "2025-01-07T00:00:00"  # 8 h after Mon 16:00


def test_targets_per_priority_from_an_array_and_errors():
    j = Journeys.from_events(desk_log(), case="case", touchpoint="step", timestamp="at")
    c = sla_clocks(j, {"gold": "1d", "std": 86400 * 2}, priority=["gold", "std", "std"])
    assert c.target.tolist() == [86400.0, 172800.0, 172800.0]
    with pytest.raises(InvalidParameterError, match=r"'priority' parameter of kpi.sla_clocks"):
        sla_clocks(j, {"P1": "8h"})  # no case attribute 'priority'
    with pytest.raises(InvalidParameterError, match="no target for"):
        sla_clocks(j, {"gold": "1d"}, priority=["gold", "std", "std"])
    with pytest.raises(InvalidParameterError, match=r"'pause' parameter.*unknown"):
        sla_clocks(j, {"a": "1d"}, priority=["a"] * 3, pause={"on_hold"})
    with pytest.raises(InvalidParameterError, match=r"'targets\['a'\]'"):
        sla_clocks(j, {"a": "0h"}, priority=["a"] * 3)
    with pytest.raises(InvalidParameterError, match="'journeys' parameter"):
        sla_clocks([1, 2], {"a": "1d"})
    with pytest.raises(InvalidParameterError, match=r"'as_of' parameter.*naive"):
        sla_clocks(j, {"a": "1d"}, priority=["a"] * 3, as_of="2025-01-13T15:00Z")
    with pytest.raises(InvalidParameterError, match="'horizon'"):
        sla_clocks(j, {"a": "1d"}, priority=["a"] * 3).at_risk(-1)
    with pytest.raises(InvalidParameterError, match="'by' parameter"):
        sla_clocks(j, {"a": "1d"}, priority=["a"] * 3).attainment(by="region")


@pytest.fixture(scope="module")
def sample_journeys():
    return Journeys.from_events(load_sample().events, case="case_id", touchpoint="touchpoint",
                                timestamp="timestamp", case_attributes=["priority"])


SAMPLE_CAL = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("08:00", "20:00")],
                                                      "sat": [("09:00", "13:00")]},
                              holidays=["2025-12-25", "2025-12-26", "2026-01-01"])
SAMPLE_TARGETS = {"P1": "16h", "P2": "40h", "P3": "80h"}


def test_at_risk_lists_on_the_sample_agree_with_the_final_breaches(sample_journeys):
    """Every ticket listed at risk at t either breached, was resolved in time or is still
    open when the log ends; every ticket open at t that breached within the horizon was
    listed (pauses only delay a breach)."""
    j = sample_journeys
    kw = dict(pause={"parts_order"}, stop={"resolved"}, calendar=SAMPLE_CAL)
    final = sla_clocks(j, SAMPLE_TARGETS, **kw)
    outcome = dict(zip(final.case_id.tolist(), final.status.tolist()))
    breach = dict(zip(final.case_id.tolist(), final.breach_at))
    horizon = 8 * H
    listed = breached = in_time = still_open = unlisted_breaches = 0
    for t in pd.date_range("2025-01-06", "2025-12-22", freq="2D") + pd.Timedelta(hours=11):
        now = sla_clocks(j, SAMPLE_TARGETS, as_of=t.to_datetime64(), **kw)
        risk = now.at_risk(horizon, include_overdue=False)  # will breach, not breached yet
        for case in risk.case_id.tolist():
            assert outcome[case] != "not started"
            listed += 1
            breached += outcome[case] in ("missed", "overdue")
            in_time += outcome[case] == "met"
            still_open += outcome[case] in ("running", "paused")  # censored at the log's end
        # the horizon's end on the sample's (naive, Berlin) wall clock
        start = localize(np.array([t.to_datetime64().astype("datetime64[s]").astype(float)]),
                         SAMPLE_CAL.timezone)
        end = wall_clock(SAMPLE_CAL.add_business_time(start, horizon), SAMPLE_CAL.timezone)
        end = np.datetime64(int(end[0]), "s")
        listed_now = set(risk.case_id.tolist())
        for case in now.case_id[np.isin(now.status, ("running", "paused"))].tolist():
            if outcome[case] in ("missed", "overdue") and breach[case] <= end:
                unlisted_breaches += case not in listed_now
        for case in now.case_id[now.status == "overdue"].tolist():
            assert outcome[case] in ("missed", "overdue")  # a breach is never undone
        started = now.status != "not started"
        assert (now.elapsed[started] <= final.elapsed[started] + 1e-6).all()
    assert unlisted_breaches == 0
    assert listed > 50 and breached > 0 and in_time > 0
    assert listed == breached + in_time + still_open
    print(f"at-risk consistency: listed {listed}, breached {breached}, in time {in_time}, "
          f"open at the end {still_open}")


# ------------------------------------------------------------------ ticket-table SLAs

def test_sla_attainment_thresholds_in_hours_are_deprecated_but_equal():
    created = ["2025-01-01T08:00"] * 3
    resolved = ["2025-01-01T09:00", "2025-01-01T20:00", "NaT"]
    with pytest.warns(DeprecationWarning, match="read as hours"):
        old = sla_attainment(created, resolved, ["P1"] * 3, {"P1": 4},
                             as_of="2025-01-02T08:00")
    new = sla_attainment(created, resolved, ["P1"] * 3, {"P1": pd.Timedelta(hours=4)},
                         as_of="2025-01-02T08:00")
    assert old.met.tolist() == new.met.tolist() == [1]
    assert old.target.tolist() == [4 * H] and new.threshold_h.tolist() == [4.0]


def test_sla_attainment_on_a_business_calendar_reads_naive_times_locally():
    # Mon 2025-01-06 16:00 -> Tue 11:00 Berlin: 1 h + 2 h = 3 h of business time
    r = sla_attainment(["2025-01-06T16:00"], ["2025-01-07T11:00"], ["P1"], {"P1": "3h"},
                       calendar=BERLIN)
    assert r.met.tolist() == [1] and "naive times read as local time" in r.clock
    r = sla_attainment(["2025-01-06T16:00"], ["2025-01-07T11:01"], ["P1"], {"P1": "3h"},
                       calendar=BERLIN)
    assert r.missed.tolist() == [1] and r.business_hours


def test_the_berlin_ticket_in_the_ticket_kpis():
    # issue 16's first regression: 08:30-09:30 Berlin with hours 09-17 is 0.5 h
    t = pd.Series(pd.to_datetime(["2025-01-06 08:30", "2025-01-06 09:30"])
                  .tz_localize("Europe/Berlin"))
    data = pd.DataFrame({"created": t.iloc[:1].reset_index(drop=True),
                         "answered": t.iloc[1:].reset_index(drop=True)})
    r = response_times("created", "answered", data=data, calendar=BERLIN)
    assert r.mean[0] == 0.5
    with pytest.warns(DeprecationWarning):
        old = response_times("created", "answered", data=data,
                             business_hours={"open": 9, "close": 17})
    assert old.mean[0] == 0.5  # was 0.0: the dict read the UTC clock
    assert business_seconds(data["created"], data["answered"])[0] == 1800.0
    with pytest.raises(DataError, match="UTC offsets but no zone"):
        business_seconds(["2025-01-06T08:30+01:00"], ["2025-01-06T09:30+01:00"])
    with pytest.raises(DataError, match="aware exactly when"):
        response_times(["2025-01-06T08:30Z"], ["2025-01-06T09:30"], calendar=BERLIN)
    with pytest.raises(InvalidParameterError, match="None when 'open'"):
        business_seconds(["2025-01-06T08:30"], ["2025-01-06T09:30"], calendar=BERLIN, open=8)
    with pytest.raises(CxpathError, match="None when 'calendar' is given"):
        response_times(["2025-01-06T08:30"], ["2025-01-06T09:30"], calendar=BERLIN,
                       business_hours={"open": 9})


def test_business_seconds_refuses_an_end_before_its_start():
    # issue 18: a negative duration came back silently
    with pytest.raises(DataError, match=r"'end' parameter.*2025-01-06T09:00:00 before "
                                        r"2025-01-06T10:00:00 at position 1"):
        business_seconds(["2025-01-06T08:00", "2025-01-06T10:00"],
                         ["2025-01-06T09:00", "2025-01-06T09:00"])
    out = business_seconds(["2025-01-06T08:00", "NaT"], ["2025-01-06T10:00", "NaT"])
    assert out[0] == 3600.0 and np.isnan(out[1])  # 09:00-10:00 open; missing stays NaN
