"""Invariants of life-data fits (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.reliability import LifeData, fit

samples = st.lists(st.floats(1.0, 1000.0, allow_nan=False), min_size=4, max_size=25,
                   unique=True)


@settings(max_examples=25, deadline=None)
@given(samples, st.sampled_from(["weibull", "lognormal", "loglogistic", "gamma"]))
def test_reliability_decreases_and_b_life_increases(times, name):
    f = fit(times, name)
    t = np.sort(np.asarray(times))
    r = f.reliability(t)
    assert np.all(np.diff(r) <= 1e-15)
    b = f.b_lives([1, 5, 10, 50, 90]).life
    assert np.all(np.diff(b) > 0)
    assert np.all(f.hazard(t) >= 0)
    np.testing.assert_allclose(f.reliability(t) + f.cdf(t), 1.0, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(samples, st.integers(0, 3))
def test_censored_fit_maximises_its_own_likelihood(times, k):
    """Censoring the largest times gives a likelihood the censored fit maximises: at the
    exact-data estimates it can only be lower than at its own."""
    t = np.sort(np.asarray(times))
    failed = np.ones(t.size, dtype=bool)
    failed[t.size - 1 - k % (t.size - 2):] = False  # censor the largest times
    exact = fit(t, "weibull")
    cens = fit(LifeData.from_times(t, failed=failed), "weibull")
    # the censored fit maximises its own likelihood: at the exact fit's parameters it can
    # only be lower
    from cxpath.reliability._models import FAMILIES
    from cxpath.reliability._optim import Prepared

    at_exact = Prepared(cens.data).loglik(FAMILIES["weibull"], exact.estimate)
    assert cens.log_likelihood >= at_exact - 1e-9 * abs(at_exact)


@settings(max_examples=20, deadline=None)
@given(samples)
def test_bounds_contain_the_estimates(times):
    f = fit(times, "weibull")
    assert np.all(f.lower <= f.estimate) and np.all(f.estimate <= f.upper)
    b = f.b_lives([10])
    assert b.lower[0] <= b.life[0] <= b.upper[0]
    rb = f.reliability_bounds([float(np.median(times))])
    assert rb.lower[0] <= rb.reliability[0] <= rb.upper[0]
