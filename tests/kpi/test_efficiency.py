"""Service-efficiency KPIs: rates, durations, business hours, SLA, backlog, ticket table."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.kpi import (
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    backlog,
    business_seconds,
    durations,
    first_contact_resolution,
    rate,
    repeat_contact_rate,
    resolution_times,
    response_times,
    sla_attainment,
    task_completion_rate,
    ticket_kpis,
)

T = "datetime64[s]"


@pytest.fixture(scope="module")
def tickets():
    return load_sample().tickets


def test_fcr_by_channel_matches_hand_count(tickets):
    r = first_contact_resolution("first_contact_resolution", data=tickets, by="channel")
    for seg, n, hits in zip(r.segment, r.n, r.successes):
        sel = tickets["channel"] == seg
        assert n == sel.sum()  # hand count with numpy
        assert hits == tickets["first_contact_resolution"][sel].sum()
    assert r.n.sum() == len(tickets["ticket_id"])
    assert (r.ci_low <= r.rate).all() and (r.rate <= r.ci_high).all()


def test_rates_wilson_reference_and_pandas_input():
    pd = pytest.importorskip("pandas")
    # Wilson (1927): 45/50 -> [0.7864, 0.9565]
    r = abandonment_rate("ab", data=pd.DataFrame({"ab": [True] * 45 + [False] * 5}))
    assert float(r.ci_low[0]) == pytest.approx(0.7864, abs=5e-5)
    assert float(r.ci_high[0]) == pytest.approx(0.9565, abs=5e-5)
    assert r.name == "Abandonment"
    assert task_completion_rate([1, 0]).name == "Task completion"
    assert repeat_contact_rate([1, 1, 2, 5], by=["a", "b", "a", "b"]).rate.tolist() == [0.5,
                                                                                       0.5]


def test_durations_match_numpy_and_count_missing():
    x = np.array([3.0, 1.0, np.nan, 7.0, 2.0, 10.0])
    g = np.array(["a", "a", "a", "b", "b", "b"])
    r = durations(x, by=g, probs=[0.5, 0.9])
    assert r.missing.tolist() == [1, 0]
    assert r.quantiles[0].tolist() == np.quantile([3.0, 1.0], [0.5, 0.9]).tolist()
    assert r.quantiles[1].tolist() == np.quantile([7.0, 2.0, 10.0], [0.5, 0.9]).tolist()
    assert r.sd[1] == pytest.approx(np.std([7.0, 2.0, 10.0], ddof=1))
    assert "p90" in r.to_frame("dict")


def test_aht_and_asa(tickets):
    aht = average_handle_time("handle_time_s", data=tickets, by="agent")
    sel = tickets["agent"] == aht.segment[0]
    assert aht.mean[0] == pytest.approx(tickets["handle_time_s"][sel].mean())
    asa = average_speed_of_answer([5.0, 100.0, 15.0], [True, False, True])
    assert asa.mean[0] == 10.0 and asa.missing[0] == 1


def test_business_seconds_by_hand():
    start = np.array(["2025-07-04T16:00", "2025-07-07T08:00", "2025-07-07T12:00",
                      "2025-07-05T10:00"], T)
    end = np.array(["2025-07-07T10:00", "2025-07-07T18:00", "2025-07-08T12:00",
                    "2025-07-06T10:00"], T)
    # Fri 16-17 + Mon 9-10 = 2 h; Mon 9-17 = 8 h; Mon 12 -> Tue 12 = 8 h; weekend = 0
    hours = business_seconds(start, end) / 3600
    assert hours.tolist() == [2.0, 8.0, 8.0, 0.0]
    holiday = business_seconds(start[:1], end[:1], holidays=["2025-07-07"]) / 3600
    assert holiday.tolist() == [1.0]


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 30 * 86400), b=st.integers(0, 30 * 86400),
       c=st.integers(0, 30 * 86400))
def test_business_seconds_additive_and_bounded(a, b, c):
    a, b, c = sorted([a, b, c])
    base = np.datetime64("2025-03-01T00:00:00")
    ts = [base + np.timedelta64(x, "s") for x in (a, b, c)]
    ab = business_seconds([ts[0]], [ts[1]])[0]
    bc = business_seconds([ts[1]], [ts[2]])[0]
    ac = business_seconds([ts[0]], [ts[2]])[0]
    assert ab + bc == pytest.approx(ac)
    assert 0 <= ac <= c - a


def test_response_and_resolution_times(tickets):
    r = resolution_times("created", "resolved_at", data=tickets)
    assert r.missing[0] == (~tickets["resolved"]).sum()
    hours = (tickets["resolved_at"] - tickets["created"]).astype("timedelta64[s]").astype(
        float)[tickets["resolved"]] / 3600
    assert r.quantiles[0, 0] == pytest.approx(np.median(hours))
    with pytest.warns(DeprecationWarning, match="business_hours"):
        f = response_times("created", "first_response", data=tickets, by="priority",
                           business_hours={"open": 8, "close": 20})
    assert f.unit == "business h" and f.segment.tolist() == ["P1", "P2", "P3"]


def test_sla_attainment_by_hand():
    created = np.array(["2025-01-01T08:00"] * 4, T)
    resolved = np.array(["2025-01-01T10:00", "2025-01-01T13:00", "NaT", "NaT"], T)
    prio = ["P1", "P1", "P1", "P2"]
    r = sla_attainment(created, resolved, prio, {"P1": "4h", "P2": "48h"},
                       as_of="2025-01-02T08:00")
    # P1: met (2 h), missed (5 h), open 24 h > 4 h -> missed; P2 open 24 h < 48 h pending
    assert r.priority.tolist() == ["P1", "P2"]
    assert r.met.tolist() == [1, 0] and r.missed.tolist() == [2, 0]
    assert r.pending.tolist() == [0, 1]
    assert r.attainment[0] == pytest.approx(1 / 3) and np.isnan(r.attainment[1])


def test_sla_on_the_sample_by_channel(tickets):
    r = sla_attainment("created", "resolved_at", "priority",
                       {"P1": "24h", "P2": "72h", "P3": "168h"}, data=tickets, by="channel")
    assert (r.due + r.pending).sum() == len(tickets["ticket_id"])


def test_backlog_against_brute_force(tickets):
    b = backlog("created", "resolved_at", data=tickets, freq="W")
    for j in (0, 10, len(b.at) - 1):
        t = b.at[j]
        live = (tickets["created"] <= t) & (np.isnat(tickets["resolved_at"])
                                             | (tickets["resolved_at"] > t))
        assert b.open[j] == live.sum()
        assert b.age_counts[j].sum() == live.sum()
    assert b.opened.sum() <= len(tickets["ticket_id"])
    daily = backlog("created", "resolved_at", data=tickets, freq="D")
    assert len(daily.at) > len(b.at)


def test_backlog_by_segment_adds_up_and_matches_brute_force(tickets):
    whole = backlog("created", "resolved_at", data=tickets, freq="W")
    per = backlog("created", "resolved_at", data=tickets, by="channel", freq="W")
    labels = np.unique(tickets["channel"].astype(str))
    assert per.segment.tolist() == np.repeat(labels, len(whole.at)).tolist()
    assert (per.at.reshape(len(labels), -1) == whole.at).all()
    for col in ("open", "opened", "closed"):
        np.testing.assert_array_equal(getattr(per, col).reshape(len(labels), -1).sum(axis=0),
                                      getattr(whole, col))
    np.testing.assert_array_equal(per.age_counts.reshape(len(labels), len(whole.at), -1)
                                  .sum(axis=0), whole.age_counts)
    j = len(whole.at) // 2
    t = whole.at[j]
    sel = tickets["channel"].astype(str) == labels[0]
    live = sel & (tickets["created"] <= t) & (np.isnat(tickets["resolved_at"])
                                               | (tickets["resolved_at"] > t))
    assert per.open[j] == live.sum()
    assert per.to_frame("dict")["segment"][0] == labels[0]


def test_ticket_kpis_table(tickets):
    t = ticket_kpis(tickets, by="product")
    assert t.tickets.sum() == len(tickets["ticket_id"])
    sel = tickets["product"] == t.segment[0]
    assert t.repeat[0] == pytest.approx((tickets["contacts"][sel] > 1).mean())
    assert list(t.to_frame("dict"))[:3] == ["segment", "tickets", "fcr"]


@pytest.mark.parametrize(("call", "exc", "fragment"), [
    (lambda: rate([0, 2]), DataError, "booleans or 0/1 values. Got 2 at position 1"),
    (lambda: rate([]), DataError, "at least 1"),
    (lambda: rate(np.array([], bool)), DataError, "at least 1"),
    (lambda: rate([1, 0], by=["a"]), DataError, "'by' parameter of kpi.rate"),
    (lambda: first_contact_resolution([0.5]), DataError,
     r"'resolved_first_contact' parameter of kpi.first_contact_resolution"),
    (lambda: abandonment_rate([1], confidence=2), InvalidParameterError, "'confidence'"),
    (lambda: task_completion_rate(["x"]), DataError, "numeric"),
    (lambda: repeat_contact_rate([0, 1]), DataError, "'contacts' parameter"),
    (lambda: durations([-1.0]), DataError, "'values' parameter of kpi.durations"),
    (lambda: durations([1.0], probs=[1.5]), DataError, "'probs'"),
    (lambda: average_handle_time([-5.0]), DataError, "'handle_time'"),
    (lambda: average_speed_of_answer([1.0, 2.0], [True]), DataError, "'answered'"),
    (lambda: response_times(["2025-01-02"], ["2025-01-01"]), DataError, "at or after"),
    (lambda: resolution_times(["x"], ["2025-01-01"]), DataError, "ISO-8601 strings"),
    (lambda: response_times(["2025-01-01"], ["2025-01-02"], calendar={"open": 18}),
     InvalidParameterError, "'calendar' parameter of kpi.response_times"),
    (lambda: business_seconds(["2025-01-01"], ["2025-01-02"], weekmask="xyz"),
     InvalidParameterError, "weekmask"),
    (lambda: sla_attainment(["2025-01-01"], ["NaT"], ["P9"], {"P1": "4h"}),
     InvalidParameterError, "no target for ['P9']"),
    (lambda: sla_attainment(["2025-01-01"], ["NaT"], ["P1"], {"P1": "0h"}),
     InvalidParameterError, "thresholds['P1']"),
    (lambda: backlog(["2025-01-02"], ["2025-01-01"]), DataError, "'resolved_at'"),
    (lambda: backlog(["2025-01-01"], ["NaT"], age_bins=[3, 1]), InvalidParameterError,
     "strictly increasing"),
    (lambda: backlog(["2025-01-01"], ["NaT"], freq="M"), InvalidParameterError, "'freq'"),
    (lambda: backlog(["2025-01-01"], ["NaT"], by=["a", "b"]), DataError,
     "'by' parameter of kpi.backlog"),
    (lambda: ticket_kpis({"x": [1]}), InvalidParameterError, "a column of 'data'"),
])
def test_bad_inputs(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)


def test_backlog_of_aware_times_is_measured_at_local_midnights():
    pd = pytest.importorskip("pandas")
    # Berlin; summer time starts on 2025-03-30. Ticket 1 is resolved at 00:30 local on the
    # 30th, after local midnight: open at that midnight. Read on UTC midnights (01:00 local
    # that night) it was closed already.
    created = pd.to_datetime(["2025-03-28 10:00", "2025-03-29 23:30", "2025-03-31 09:00"])
    resolved = pd.to_datetime(["2025-03-30 00:30", "NaT", "2025-03-31 12:00"])
    data = pd.DataFrame({"c": created.tz_localize("Europe/Berlin"),
                         "r": resolved.tz_localize("Europe/Berlin")})
    b = backlog("c", "r", data=data, freq="D")
    frame = b.to_frame()
    assert b.tz == "Europe/Berlin"
    assert frame["at"].astype(str).tolist() == [
        "2025-03-29 00:00:00+01:00", "2025-03-30 00:00:00+01:00",
        "2025-03-31 00:00:00+02:00", "2025-04-01 00:00:00+02:00"]
    assert frame["open"].tolist() == [1, 2, 1, 1]
    # the same on naive local times (no zone): the wall clock is the only clock
    naive = backlog("c", "r", data=pd.DataFrame({"c": created, "r": resolved}), freq="D")
    assert naive.open.tolist() == [1, 2, 1, 1] and naive.tz is None
    # naive measuring times given with aware tickets are local times of their zone
    given = backlog("c", "r", data=data, at=["2025-03-30 00:00", "2025-03-31 00:00"])
    assert given.open.tolist() == [2, 1]
