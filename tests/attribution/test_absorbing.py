"""Absorbing-chain measures against a dense fundamental matrix and by-hand chains."""

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.attribution import absorbing_measures
from cxpath.errors import CxpathError
from cxpath.journeys import JourneyStats


def test_by_hand_chain():
    # by hand: start->ivr 8; ivr->agent 4, ivr->null 4;
    # agent->conv 3, agent->null 1. P(agent) = 3/4, P(ivr) = 1/2 * 3/4 = 3/8.
    # steps: agent 1 (its exit); ivr 1 + 1/2 * 1 = 1.5
    j = Journeys.from_paths(["ivr > agent", "ivr"], conversions=[3, 0], nulls=[1, 4])
    a = absorbing_measures(j)
    np.testing.assert_allclose(a.success_probability, [0.75, 0.375])
    np.testing.assert_allclose(a.expected_steps, [1.0, 1.5])
    np.testing.assert_allclose(a.observed_success_rate, [0.75, 3 / 8])
    assert a.start_success_probability == pytest.approx(3 / 8)
    assert a.expected_time is None


def test_times_by_hand():
    # a -(10 s)-> b -> success ; a -(30 s)-> c -> drop ; b -(20 s)-> a -(10 s)-> b -> success
    day = np.array([0, 10, 0, 30, 0, 20, 30])
    j = Journeys.from_events({"c": [1, 1, 2, 2, 3, 3, 3], "t": list("abacbab"), "at": day,
                              "ok": [1, 1, 0, 0, 1, 1, 1]},
                             case="c", touchpoint="t", timestamp="at", outcome="ok")
    a = absorbing_measures(j)
    # chain: a->b 2/3 (mean 10 s), a->c 1/3 (30 s); b->succ 2/3, b->a 1/3 (20 s); c->drop
    # T_a = 2/3 (10 + T_b) + 1/3 * 30 and T_b = 1/3 (20 + T_a), solved densely:
    q = np.array([[0, 2 / 3, 1 / 3], [1 / 3, 0, 0], [0, 0, 0]])
    b = np.array([2 / 3 * 10 + 1 / 3 * 30, 1 / 3 * 20, 0])
    t = np.linalg.solve(np.eye(3) - q, b)
    np.testing.assert_allclose(a.expected_time, t)
    # conditioned on success c is impossible: h = (h_a, h_b, 0)
    h = np.linalg.solve(np.eye(3) - q, [0, 2 / 3, 0])
    qh = q * h[None, :] / np.where(h > 0, h, 1)[:, None]
    bh = (q * np.array([[0, 10, 30], [20, 0, 0], [0, 0, 0]]) * h[None, :]).sum(1)
    bh = bh / np.where(h > 0, h, 1)
    th = np.linalg.solve(np.eye(2) - qh[:2, :2], bh[:2])
    np.testing.assert_allclose(a.expected_time_to_success[:2], th)
    assert np.isnan(a.expected_time_to_success[2])
    np.testing.assert_allclose(a.success_probability, h)


def test_statistics_and_journeys_agree():
    import cxpath.datasets as d

    j = d.load_sample().journeys
    a = absorbing_measures(j)
    b = absorbing_measures(JourneyStats.from_journeys(j))
    np.testing.assert_allclose(a.success_probability, b.success_probability, atol=1e-12)
    np.testing.assert_allclose(a.expected_time, b.expected_time, rtol=1e-9)
    # the first-order chain reproduces the observed success rates closely on the sample
    np.testing.assert_allclose(a.success_probability, a.observed_success_rate, atol=0.03)


def test_bad_input():
    with pytest.raises(CxpathError, match=r"'data' parameter of attribution.absorbing"):
        absorbing_measures({"path": ["a"]})
    j = Journeys.from_paths(["a"], conversions=[1])
    with pytest.raises(CxpathError, match="'collapse_repeats'"):
        absorbing_measures(j, collapse_repeats=None)


@pytest.mark.parametrize("route", ["sparse_lu", "krylov"])
def test_every_solver_route_gives_the_dense_answer(route, monkeypatch):
    from cxpath.attribution import _chain
    from cxpath.datasets import load_sample

    j = load_sample().journeys
    dense = absorbing_measures(j)
    monkeypatch.setattr(_chain, "DENSE_SOLVE", 0)
    monkeypatch.setattr(_chain, "KRYLOV_SOLVE", 0 if route == "krylov" else 10**9)
    other = absorbing_measures(j)
    for name in ("success_probability", "expected_steps", "expected_time"):
        np.testing.assert_allclose(getattr(other, name), getattr(dense, name), rtol=1e-12)
