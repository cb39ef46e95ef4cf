"""Restricted mean survival time: the point estimate against lifelines 0.30
(``utils.restricted_mean_survival_time`` of a Kaplan–Meier fit), the variance against
Klein & Moeschberger (2003) eq. 4.5.2 written as a loop, and properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.customers import kaplan_meier, rmst
from cxpath.errors import DataError, InvalidParameterError

pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.utils import restricted_mean_survival_time


def _variance_oracle(t, e, tau):
    """Σ_{t_i <= tau} A_i² d_i / (n_i (n_i − d_i)), A_i = ∫_{t_i}^tau S."""
    km = kaplan_meier(t, e)
    total = 0.0
    for i, ti in enumerate(km.time):
        if ti > tau or km.events[i] == 0 or km.at_risk[i] == km.events[i]:
            continue
        grid = [ti, *[x for x in km.time if ti < x <= tau], tau]
        area = sum(km.at([a]).survival[0] * (b - a) for a, b in itertools.pairwise(grid))
        total += area ** 2 * km.events[i] / (km.at_risk[i] * (km.at_risk[i] - km.events[i]))
    return total


@pytest.mark.parametrize("tau", [20.0, 40.0, 52.0])
def test_rmst_matches_lifelines_and_the_textbook_variance_on_rossi(tau):
    r = load_rossi()
    res = rmst("week", "arrest", data=r, tau=tau)
    kmf = KaplanMeierFitter().fit(r.week, r.arrest)
    assert res.rmst[0] == pytest.approx(restricted_mean_survival_time(kmf, t=tau), abs=1e-6)
    assert res.se[0] ** 2 == pytest.approx(_variance_oracle(r.week, r.arrest, tau), rel=1e-10)


def test_rmst_difference_of_two_groups_on_waltons():
    w = load_waltons()
    res = rmst("T", "E", data=w, group="group", tau=50.0)
    assert res.group.tolist() == ["control", "miR-137"]
    for k, g in enumerate(res.group):
        part = w[w.group == g]
        kmf = KaplanMeierFitter().fit(part["T"], part["E"])
        assert res.rmst[k] == pytest.approx(restricted_mean_survival_time(kmf, t=50.0), abs=1e-6)
    assert res.difference == pytest.approx(res.rmst[0] - res.rmst[1])
    assert res.difference_se == pytest.approx(math.hypot(*res.se))
    z = res.difference / res.difference_se
    assert res.difference_p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert res.difference_lower < res.difference < res.difference_upper


def test_rmst_hand_example():
    # S = 1 on [0, 5), .8 on [5, 8), .6 on [8, 12), .3 on [12, 15]: 5 + 2.4 + 2.4 + 0.9
    assert rmst([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], tau=15).rmst[0] == pytest.approx(10.7)
    one = rmst([5, 8, 8, 12, 20], [1, 1, 0, 1, 0], tau=15)
    assert math.isnan(one.difference)


@settings(max_examples=40)
@given(st.lists(st.floats(0.0, 50.0, allow_nan=False), min_size=1, max_size=30),
       st.floats(0.5, 60.0))
def test_rmst_without_censoring_is_the_mean_of_min_t_tau(t, tau):
    res = rmst(t, tau=tau)
    assert res.rmst[0] == pytest.approx(np.minimum(t, tau).mean(), rel=1e-9, abs=1e-9)


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(0, 20), st.booleans()), min_size=1, max_size=30),
       st.integers(1, 25))
def test_rmst_is_the_area_under_the_km_step_curve(rows, tau):
    t, e = (np.array(c) for c in zip(*rows))
    km = kaplan_meier(t, e)
    knots = np.unique(np.concatenate([[0.0], km.time[km.time < tau], [tau]]))
    area = sum(km.at([a]).survival[0] * (b - a) for a, b in itertools.pairwise(knots))
    assert rmst(t, e, tau=tau).rmst[0] == pytest.approx(area, rel=1e-12, abs=1e-12)


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match=r"'tau' parameter of customers\.rmst must "
                       r"be a real number in \(0, inf\)\. Got 0\.0 instead"):
        rmst([1, 2], tau=0)
    with pytest.raises(DataError, match=r"'durations' parameter of customers\.rmst must be in "
                       r"\[0, inf\]"):
        rmst([1, -2], tau=3)
    with pytest.raises(DataError, match=r"'event' parameter of customers\.rmst must be event "
                       r"flags"):
        rmst([1, 2], [1, -1], tau=3)
    with pytest.raises(DataError, match=r"'entry' parameter of customers\.rmst must be before"):
        rmst([1, 2], [1, 1], entry=[3, 0], tau=3)
