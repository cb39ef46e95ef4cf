"""The bundled sample: schema, determinism, and the planted patterns measured directly."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.datasets import generate_sample, load_sample
from cxpath.datasets.sample import CACHE
from cxpath.errors import InvalidParameterError


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_schema_and_sizes(sample):
    assert set(sample.events) == {"case_id", "customer_id", "touchpoint", "channel",
                                  "timestamp"}
    assert sample.events["timestamp"].dtype == np.dtype("datetime64[s]")
    assert len(sample.tickets["ticket_id"]) == 5000 == sample.service_orders
    assert sample.tickets["resolved_at"].dtype == np.dtype("datetime64[s]")
    assert len(sample.survey["ticket_id"]) == 1200
    assert len(sample.failure_modes["failure_mode"]) == 15
    assert len(sample.failures["ticket_id"]) == 2000
    assert len(sample.daily_contacts["date"]) == 730
    assert len(sample.daily_complaints["date"]) == 365
    assert len(sample.interval_volumes["start"]) == 336
    assert sample.weekly_parts["demand"].shape == (40, 104)
    for items in sample.survey_constructs.values():
        assert all(item in sample.survey for item in items)
    assert CACHE.stat().st_size < 2 * 2**20


def test_generator_is_deterministic_and_seed_dependent():
    a, b = generate_sample(seed=3, n_cases=300), generate_sample(seed=3, n_cases=300)
    c = generate_sample(seed=4, n_cases=300)
    assert np.array_equal(a.events["touchpoint"], b.events["touchpoint"])
    assert not np.array_equal(a.events["timestamp"][:50], c.events["timestamp"][:50])


def test_cache_matches_the_generator_in_summary(sample):
    # exact streams may change with numpy versions, so compare summary statistics
    fresh = generate_sample()
    assert abs(len(fresh.events["case_id"]) - len(sample.events["case_id"])) < 600
    assert abs(fresh.tickets["resolved"].mean() - sample.tickets["resolved"].mean()) < 0.03


def _journey_frame(sample):
    j = sample.journeys
    labels = np.asarray(j.vocab)
    return j, labels


def test_planted_breakpoint_is_the_chatbot(sample):
    j, labels = _journey_frame(sample)
    last = labels[j.codes[j.offsets[1:] - 1]]
    dropped_after = {}
    for tp in labels:
        if tp == "resolved":
            continue
        reached = np.array([tp in labels[j.codes[a:b]] for a, b in zip(j.offsets[:-1],
                                                                        j.offsets[1:])])
        dropped_after[tp] = ((last == tp) & ~j.outcome).sum() / reached.sum()
    assert 0.33 < dropped_after["chatbot"] < 0.43
    others = [rate for tp, rate in dropped_after.items() if tp != "chatbot"]
    # every other touchpoint drops 10 % or less by design (sampling noise on small counts)
    assert max(others) < 0.16
    assert dropped_after["chatbot"] > 2.5 * max(others)


def test_planted_bottleneck_is_escalation_to_field_visit(sample):
    j, labels = _journey_frame(sample)
    same_case = np.ones(j.n_events - 1, dtype=bool)
    same_case[j.offsets[1:-1] - 1] = False
    src, dst = labels[j.codes[:-1]][same_case], labels[j.codes[1:]][same_case]
    wait = np.diff(j.times)[same_case]
    totals = {}
    for a, b, w in zip(src, dst, wait):
        totals[(a, b)] = totals.get((a, b), 0.0) + w
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    assert ranked[0][0] == ("escalation", "field_visit")
    assert ranked[0][1] > 1.5 * ranked[1][1]
    waits = wait[(src == "escalation") & (dst == "field_visit")]
    assert 2.5 < np.median(waits) / 86400 < 3.5  # median about three days


def test_planted_fcr_step_on_july_first(sample):
    t = sample.tickets
    after = t["created"] >= np.datetime64("2025-07-01")
    fcr = t["first_contact_resolution"]
    assert 0.05 < fcr[after].mean() - fcr[~after].mean() < 0.14


def test_planted_complaint_shift(sample):
    d = sample.daily_complaints
    rate = d["complaints"] / d["orders"]
    after = d["date"] >= np.datetime64("2025-09-15")
    assert 1.25 < rate[after].mean() / rate[~after].mean() < 1.55


def test_survey_items_follow_the_path_model(sample):
    s = sample.survey

    def score(construct):
        return np.nanmean([s[i] for i in sample.survey_constructs[construct]], axis=0)

    r = np.corrcoef([score(c) for c in ("reso", "sat", "loyal", "wait")])
    assert r[0, 1] > 0.35 and r[1, 2] > 0.35  # resolution -> satisfaction -> loyalty
    same = np.corrcoef(np.nan_to_num(s["sat1"], nan=4.0), np.nan_to_num(s["sat2"], nan=4.0))
    assert same[0, 1] > 0.5
    missing = np.isnan(np.column_stack([s[i] for c in sample.survey_constructs.values()
                                        for i in c])).mean()
    assert 0.01 < missing < 0.03


def test_invariants(sample):
    d = sample.daily_contacts
    assert np.array_equal(d["phone"] + d["chat"] + d["app"] + d["web"], d["contacts"])
    j = sample.journeys
    assert j.cleaning_report.clean
    t = sample.tickets
    assert (t["first_response"] > t["created"]).all()
    assert np.array_equal(np.isnat(t["resolved_at"]), ~t["resolved"])
    assert np.array_equal(j.outcome, t["resolved"])  # both sorted by ticket id
    assert (sample.weekly_parts["demand"] == 0).mean() > 0.4  # intermittent


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(n_cases=-5), "'n_cases' parameter of datasets.generate_sample"),
    (dict(seed=1.5), "'seed' parameter of datasets.generate_sample must be an integer"),
])
def test_bad_input(kwargs, fragment):
    with pytest.raises(InvalidParameterError, match=fragment):
        generate_sample(**kwargs)
