"""Journey durations on a business calendar (hand-computed: Berlin, Mon–Fri 09:00–17:00)."""

from __future__ import annotations

import pytest

from cxpath import Journeys
from cxpath.calendar import BusinessCalendar
from cxpath.errors import CxpathError
from cxpath.journeys import JourneyStats, bottlenecks

BERLIN = BusinessCalendar("Europe/Berlin", hours={"weekdays": [("09:00", "17:00")]})


def _log():
    # Fri 2025-03-07 16:00 CET escalation, Mon 2025-03-10 10:00 CET field visit (start),
    # completed Mon 11:30: elapsed wait 66 h, business wait 1 h (Fri) + 1 h (Mon)
    return Journeys.from_events(
        case=["T1", "T1"], touchpoint=["escalation", "field_visit"],
        timestamp=["2025-03-07T16:00:00+01:00", "2025-03-10T11:30:00+01:00"],
        start_timestamp=["2025-03-07T16:00:00+01:00", "2025-03-10T10:00:00+01:00"])


def test_waits_and_service_on_the_business_clock():
    j = _log()
    elapsed = bottlenecks(j)
    assert elapsed.total_wait.tolist() == [66 * 3600.0] and elapsed.clock == "elapsed time"
    business = bottlenecks(j, calendar=BERLIN)
    assert business.total_wait.tolist() == [2 * 3600.0]
    assert business.clock.startswith("business time on BusinessCalendar('Europe/Berlin'")
    assert "clock: business time on" in repr(business)
    svc = bottlenecks(j, level="touchpoint", rank_by="service", calendar=BERLIN)
    assert svc.steps.tolist()[0] == "field_visit" and svc.total_service.tolist()[0] == 5400.0
    # the SLA is business time too: 2 business hours are not above 3
    assert bottlenecks(j, sla="3h", calendar=BERLIN).sla_breach.tolist() == [0.0]


def test_calendar_argument_is_checked():
    with pytest.raises(CxpathError, match=r"The 'calendar' parameter of journeys.bottlenecks "
                                          r"must be a cxpath.calendar.BusinessCalendar"):
        bottlenecks(_log(), calendar="Europe/Berlin")
    with pytest.raises(CxpathError, match=r"'calendar' parameter of journeys.bottlenecks must "
                                          r"be None for JourneyStats"):
        bottlenecks(JourneyStats.from_journeys(_log()), calendar=BERLIN)


def _team_log():
    # T1 as in _log, worked by the desk then the field team; T2 a naive one-day case
    return Journeys.from_events(
        case=["T1", "T1"], touchpoint=["escalation", "field_visit"],
        timestamp=["2025-03-07T16:00:00+01:00", "2025-03-10T11:30:00+01:00"],
        start_timestamp=["2025-03-07T16:00:00+01:00", "2025-03-10T10:00:00+01:00"],
        resource=["desk", "field"])


def test_variants_funnel_and_handovers_on_the_business_clock():
    from cxpath.journeys import funnel, handovers, variants

    j = _team_log()
    # case duration: Fri 16:00 -> Mon 11:30 is 67.5 h elapsed, 1 h + 2.5 h business
    assert variants(j).median_duration.tolist() == [67.5 * 3600]
    v = variants(j, calendar=BERLIN)
    assert v.median_duration.tolist() == [3.5 * 3600] and "durations on business" in repr(v)
    # funnel step time: completion of escalation (Fri 16:00) to the visit's start, 2 h
    f = funnel(j, ["escalation", "field_visit"], calendar=BERLIN)
    assert f.median_time.tolist()[1] == 2 * 3600.0 and f.clock.startswith("business time")
    assert funnel(j, ["escalation", "field_visit"]).median_time.tolist()[1] == 66 * 3600.0
    h = handovers(j, calendar=BERLIN)
    assert h.mean_wait.tolist() == [2 * 3600.0]
    assert h.workload.total_service.tolist() == [0.0, 5400.0]
    assert "waits and service times on business time" in repr(h)
    assert handovers(j).clock == "elapsed time"


def test_naive_journeys_on_a_calendar_are_local_time_and_say_so():
    from cxpath.journeys import variants

    j = Journeys.from_events(case=["T1", "T1"], touchpoint=["a", "b"],
                             timestamp=["2025-03-10T08:30", "2025-03-10T09:30"])
    v = variants(j, calendar=BERLIN)  # 08:30-09:30 Berlin wall clock: half an hour open
    assert v.median_duration.tolist() == [1800.0]
    assert "naive times read as local time in Europe/Berlin" in v.clock
    with pytest.raises(CxpathError, match=r"'calendar' parameter of journeys.variants"):
        variants(JourneyStats.from_journeys(j), calendar=BERLIN)
