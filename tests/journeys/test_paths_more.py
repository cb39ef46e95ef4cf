"""Funnels, rework, repeat contacts, channel switching and conformance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.datasets import load_sample
from cxpath.errors import CxpathError
from cxpath.journeys import (
    channel_switching,
    conformance,
    funnel,
    journey_graph,
    repeat_contacts,
    rework,
)


def test_funnel_modes_by_hand():
    j = Journeys.from_events(
        case=[1, 1, 1, 1, 2, 2, 2, 3, 3],
        touchpoint=["a", "x", "b", "c", "b", "a", "c", "a", "b"],
        timestamp=[0, 10, 20, 50, 0, 5, 9, 0, 100])
    # ordered with gaps: case 1 a..b..c; case 2 a then c (no b after a); case 3 a b
    assert funnel(j, ["a", "b", "c"]).reached.tolist() == [3, 2, 1]
    # consecutive: case 1 has 'a x b' (run 'a' only), case 3 'a b'
    assert funnel(j, ["a", "b", "c"], mode="consecutive").reached.tolist() == [3, 1, 0]
    # any order: case 2 holds a, b and c
    assert funnel(j, ["a", "b", "c"], mode="any_order").reached.tolist() == [3, 3, 2]
    f = funnel(j, ["a", "b", "c"])
    assert f.median_time.tolist()[1:] == [60.0, 30.0]  # a->b: 20 and 100; b->c: 30
    assert f.step_conversion.tolist() == [1.0, 2 / 3, 0.5]
    assert f.went_next[0] == "c 100%"  # case 2 went from a to c
    assert f.went_next[1] == "(journey ended) 100%"


def test_rework_and_repeat_contacts_by_hand():
    j = Journeys.from_events(case=["t1", "t1", "t1", "t2", "t3"],
                             touchpoint=["ivr", "ivr", "agent", "ivr", "web"],
                             timestamp=[0, 10, 20, 100_000, 400_000])
    r = rework(j)
    assert r.touchpoints[0] == "ivr" and r.rework_cases[0] == 1 and r.self_repeats[0] == 1
    assert r.rework_share_of_cases == pytest.approx(1 / 3)
    rc = repeat_contacts(j, {"t1": "alice", "t2": "alice", "t3": "alice"}, window=86400 * 2)
    # t1 ends at 20 s, t2 starts 99,980 s later (repeat); t2 -> t3 gap 300,000 s (not)
    assert (rc.repeated, rc.n_cases) == (1, 3)
    assert rc.median_gap == 99_980.0


def test_sample_repeat_contacts_include_the_planted_ten_percent():
    s = load_sample()
    rc = repeat_contacts(s.journeys, "customer_id", data=s.events)
    assert 0.10 <= rc.rate < 0.2


def test_channel_switching_by_hand():
    j = Journeys.from_events(case=[1, 1, 1, 2, 2, 3],
                             touchpoint=["faq", "agent", "done", "faq", "bot", "faq"],
                             channel=["web", "phone", "phone", "web", "chat", "web"],
                             outcome=[1, 1, 1, 0, 0, 0], timestamp=[0, 1, 2, 0, 1, 0])
    cs = channel_switching(j)
    assert cs.switch_share == pytest.approx(2 / 3)
    assert cs.cases.tolist() == [1, 2, 0, 0]
    # two switches (web->phone, web->chat): case 2 ended unsuccessfully right after one
    assert cs.dropoff_after_switch == 0.5 and cs.dropoff_after_stay == 0.0
    assert cs.matrix[cs.channels.index("web"), cs.channels.index("phone")] == 1


paths = st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6),
                 min_size=1, max_size=15)


@settings(max_examples=60, deadline=None)
@given(rows=paths)
def test_a_journey_conforms_to_its_own_transitions(rows):
    j = Journeys.from_paths([" > ".join(p) for p in rows])
    own = {(p[i], p[i + 1]) for p in rows for i in range(len(p) - 1)}
    assert conformance(j, own | {(p[0], p[0]) for p in rows}).abnormal == 0
    assert conformance(j, journey_graph(j)).abnormal == 0


def test_conformance_against_expected_steps():
    j = Journeys.from_paths(["a > b > b > c", "a > c", "b > c", "a"],
                            conversions=[1, 1, 1, 0], nulls=[0, 0, 0, 2])
    c = conformance(j, ["a", "b", "c"])
    assert c.abnormal == 2 and c.n_cases == 5
    assert set(c.deviations) == {"a -> c", "(start) -> b"}
    assert c.first_deviation_position.tolist() == [1, 1]  # one at position 0, one at 1
    assert c.success_rate_normal == pytest.approx(1 / 3)


@pytest.mark.parametrize("call, fragment", [
    (lambda j: funnel(j, []), "non-empty sequence"),
    (lambda j: funnel(j, ["zz"]), "unknown labels ['zz']"),
    (lambda j: funnel(j, ["a"], mode="loose"), "'mode' parameter of journeys.funnel"),
    (lambda j: rework("j"), "a Journeys object"),
    (lambda j: repeat_contacts(j, [1]), "one customer per case"),
    (lambda j: repeat_contacts(j, {}), "a customer for every case id"),
    (lambda j: repeat_contacts(j, [1, 2], window=-1), "'window' parameter"),
    (lambda j: channel_switching(j), "journeys with channels"),
    (lambda j: conformance(j, ["a", "nope"]), "unknown label 'nope'"),
    (lambda j: conformance(j, 5), "a set of (from, to) pairs"),
    (lambda j: conformance(j, [("a", "b"), "c"]), "an empty or mixed collection"),
])
def test_bad_input(call, fragment):
    j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"], timestamp=[0, 1, 0])
    with pytest.raises(CxpathError) as info:
        call(j)
    assert fragment in str(info.value)
