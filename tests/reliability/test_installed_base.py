"""Installed-base spare-part demand, lead-time demand and last-time buy (issue #23, point
4): direct conditional probabilities, Monte Carlo simulation, exact convolutions."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from scipy import stats

from cxpath.errors import CostError, DataError, InvalidParameterError, InvalidTypeError
from cxpath.kpi import reorder_point
from cxpath.reliability import (
    InstalledBaseDemand,
    LastTimeBuy,
    LeadTimeDemand,
    fit,
    installed_base_demand,
    last_time_buy,
    lead_time_demand,
)

ALPHA, BETA = 20.0, 2.2       # Weibull life in months
AGES = np.array([0.0, 3.0, 7.5, 12.0, 30.0])
COUNTS = np.array([40, 25, 30, 20, 10])
ADDS = np.array([5, 0, 8, 3])


def weibull(alpha: float = ALPHA, beta: float = BETA):
    base = fit([16, 34, 53, 75, 93, 120], "weibull")
    return attrs.evolve(base, estimate=np.array([alpha, beta], dtype=float))


def R(t):
    return np.exp(-(np.asarray(t, dtype=float) / ALPHA) ** BETA)


def _pmf_direct(probs, counts):
    """Poisson-binomial pmf by direct convolution (the oracle)."""
    pmf = np.ones(1)
    for p, n in zip(probs, counts):
        pmf = np.convolve(pmf, stats.binom.pmf(np.arange(n + 1), n, p))
    return pmf


def test_no_renewal_equals_sum_of_conditional_probabilities():
    f = weibull()
    d = installed_base_demand(f, AGES, COUNTS, periods=6, additions=ADDS)
    assert isinstance(d, InstalledBaseDemand)
    expected_mean, expected_var = np.zeros(6), np.zeros(6)
    for h in range(1, 7):
        # p = (R(a + h − 1) − R(a + h)) / R(a), computed directly from the fitted life
        p = (f.reliability(AGES + h - 1) - f.reliability(AGES + h)) / f.reliability(AGES)
        expected_mean[h - 1] += COUNTS @ p
        expected_var[h - 1] += COUNTS @ (p * (1 - p))
        for c, n in enumerate(ADDS):        # added at the start of period c + 1, age 0
            if h > c:
                q = R(h - c - 1) - R(h - c)
                expected_mean[h - 1] += n * q
                expected_var[h - 1] += n * q * (1 - q)
    np.testing.assert_allclose(d.mean, expected_mean, rtol=1e-12)
    np.testing.assert_allclose(d.variance, expected_var, rtol=1e-12)


def test_quantiles_are_those_of_the_poisson_binomial():
    f = weibull()
    d = installed_base_demand(f, AGES, COUNTS, periods=3, levels=[0.5, 0.9, 0.99])
    for h in range(1, 4):
        p = (R(AGES + h - 1) - R(AGES + h)) / R(AGES)
        cdf = np.cumsum(_pmf_direct(p, COUNTS))
        expected = [int(np.searchsorted(cdf, q - 1e-12)) for q in (0.5, 0.9, 0.99)]
        assert d.quantiles[h - 1].tolist() == expected
    assert list(d.to_frame("dict"))[-3:] == ["q50", "q90", "q99"]


def _simulate(n_rep: int, periods: int, renewal: bool, seed: int) -> np.ndarray:
    """Demand per period over n_rep replications, by simulating every unit."""
    rng = np.random.default_rng(seed)
    ages = np.concatenate([np.repeat(AGES, COUNTS), np.zeros(ADDS.sum())])
    born = np.concatenate([np.zeros(COUNTS.sum()), np.repeat(np.arange(ADDS.size), ADDS)])
    out = np.zeros((n_rep, periods))
    m = ages.size
    # first lifetime, conditional on surviving to the current age
    u = rng.uniform(size=(n_rep, m))
    life = ALPHA * ((ages / ALPHA) ** BETA - np.log(u)) ** (1 / BETA)
    fail = born + np.ceil(life - ages)       # period (1-based) of the first failure
    rows = np.arange(n_rep)[:, None]
    while True:
        hit = fail <= periods
        if not hit.any():
            break
        idx = np.nonzero(hit)
        np.add.at(out, (idx[0], (fail[idx] - 1).astype(int)), 1.0)
        if not renewal:
            break
        # the part starts at age 0 at the start of the next period
        new = ALPHA * (-np.log(rng.uniform(size=fail.shape))) ** (1 / BETA)
        fail = np.where(hit, fail + np.ceil(new), np.inf)
    del rows
    return out


@pytest.mark.parametrize("renewal", [False, True])
def test_mean_equals_monte_carlo(renewal):
    f = weibull()
    periods = 8
    d = installed_base_demand(f, AGES, COUNTS, periods=periods, additions=ADDS,
                              renewal=renewal)
    sim = _simulate(20000, periods, renewal, seed=11 if renewal else 12)
    se = sim.std(axis=0, ddof=1) / math.sqrt(sim.shape[0])
    # within 4 standard errors of the simulation, period by period
    assert np.all(np.abs(sim.mean(axis=0) - d.mean) < 4 * se)
    # the variance too (Poisson-binomial: each slot fails at most once per period)
    assert np.all(np.abs(sim.var(axis=0, ddof=1) - d.variance) < 0.06 * d.variance + 0.02)
    # lead-time demand over periods 3-5 against the simulated totals
    ltd = lead_time_demand(d, 3, start=3)
    tot = sim[:, 2:5].sum(axis=1)
    assert abs(tot.mean() - ltd.mean) < 4 * tot.std(ddof=1) / math.sqrt(tot.size)
    assert abs(tot.var(ddof=1) - ltd.variance) < 0.06 * ltd.variance
    emp = np.mean(tot <= ltd.quantile[2])
    assert emp >= 0.95 - 4 * math.sqrt(0.95 * 0.05 / tot.size)


def test_renewal_adds_the_replacements():
    f = weibull()
    a = installed_base_demand(f, [0.0], [100], periods=60, renewal=False)
    b = installed_base_demand(f, [0.0], [100], periods=60, renewal=True)
    assert np.all(b.mean >= a.mean - 1e-12)
    # without renewal all 100 units fail eventually; with renewal the long-run rate is
    # 100 / MTTF per month (the elementary renewal theorem), up to the discretisation
    assert a.mean.sum() == pytest.approx(100 * (1 - R(60.0)), rel=1e-10)
    assert b.mean[-12:].mean() == pytest.approx(100 / (f.mttf + 0.5), rel=0.03)


def test_lead_time_demand_windows():
    f = weibull()
    d = installed_base_demand(f, AGES, COUNTS, periods=6, additions=ADDS)
    ltd = lead_time_demand(d, 3, start=2)
    assert isinstance(ltd, LeadTimeDemand)
    # without renewal a unit fails at most once in the window: Poisson-binomial with the
    # summed probabilities, mean = sum of the period means
    assert ltd.mean == pytest.approx(d.mean[1:4].sum(), rel=1e-12)
    probs = d.probabilities[:, 1:4].sum(axis=1)
    pmf = _pmf_direct(probs, d.counts)
    assert ltd.variance == pytest.approx(float(probs * (1 - probs) @ d.counts), rel=1e-12)
    np.testing.assert_allclose(ltd.pmf, pmf[: ltd.pmf.size], atol=1e-13)
    # one-period windows reproduce the per-period table, renewal or not
    r = installed_base_demand(f, AGES, COUNTS, periods=6, additions=ADDS, renewal=True)
    for h in range(1, 7):
        w = lead_time_demand(r, 1, start=h)
        assert w.mean == pytest.approx(r.mean[h - 1], rel=1e-12)
        assert w.variance == pytest.approx(r.variance[h - 1], rel=1e-12)
    # with renewal the window mean is still the sum of the period means
    assert lead_time_demand(r, 6).mean == pytest.approx(r.mean.sum(), rel=1e-12)


def test_lead_time_demand_feeds_reorder_point():
    d = installed_base_demand(weibull(), AGES, COUNTS, periods=6, renewal=True)
    ltd = lead_time_demand(d, 3)
    rp = reorder_point(ltd.per_period_mean, ltd.per_period_sd, ltd.lead_time,
                       service_level=0.95)
    # reorder_point rebuilds the lead-time demand: mean L d̄, sd √L σ_d
    assert float(rp.ltd_sd[0]) == pytest.approx(ltd.sd, rel=1e-12)
    z = stats.norm.ppf(0.95)
    assert float(rp.reorder_point[0]) == pytest.approx(ltd.mean + z * ltd.sd, rel=1e-9)
    assert ltd.cdf(ltd.quantile[2]) >= 0.95 > ltd.cdf(ltd.quantile[2] - 1)


def test_last_time_buy():
    f = weibull()
    b = last_time_buy(f, AGES, COUNTS, horizon=24, service_level=0.9, on_hand=30)
    assert isinstance(b, LastTimeBuy)
    d = installed_base_demand(f, AGES, COUNTS, periods=24, renewal=True, levels=[0.9])
    ltd = lead_time_demand(d, 24, levels=[0.9])
    assert b.stock_needed == int(ltd.quantile[0])
    assert b.quantity == b.stock_needed - 30
    assert b.mean == pytest.approx(d.mean.sum(), rel=1e-12)
    assert b.achieved >= 0.9 > b.coverage[b.stock_needed - 1]
    big = last_time_buy(f, AGES, COUNTS, horizon=24, service_level=0.9, on_hand=10_000)
    assert big.quantity == 0


def test_installed_base_bad_input():
    f = "reliability.installed_base_demand"
    w = weibull()
    with pytest.raises(InvalidTypeError, match=rf"The 'fit' parameter of {f} must be a "
                       r"LifeFit"):
        installed_base_demand("weibull", [1.0])
    with pytest.raises(DataError, match=r"'counts' parameter .* whole numbers. Got .*1.5.* at "
                       r"position 0 instead."):
        installed_base_demand(w, [1.0], [1.5])
    with pytest.raises(DataError, match=r"'ages' parameter .* in \[0, inf\]"):
        installed_base_demand(w, [-1.0], [1])
    with pytest.raises(DataError, match=r"'counts' parameter .* same length as 'ages'"):
        installed_base_demand(w, [1.0, 2.0], [1])
    with pytest.raises(DataError, match=r"'counts' parameter .* at least one unit"):
        installed_base_demand(w, [1.0], [0])
    with pytest.raises(DataError, match=r"'additions' parameter .* at most one count per "
                       r"period \(2\)"):
        installed_base_demand(w, [1.0], [1], periods=2, additions=[1, 2, 3])
    with pytest.raises(InvalidParameterError, match=r"'periods' parameter .* \[1, 2000\]"):
        installed_base_demand(w, [1.0], [1], periods=0)
    with pytest.raises(InvalidTypeError, match=r"'renewal' parameter .* True or False"):
        installed_base_demand(w, [1.0], [1], renewal="yes")
    with pytest.raises(DataError, match=r"'levels' parameter .* in \(0, 1\)"):
        installed_base_demand(w, [1.0], [1], levels=[1.0])
    with pytest.raises(InvalidParameterError, match=r"'period_length' parameter"):
        installed_base_demand(w, [1.0], [1], period_length=0.0)
    with pytest.raises(DataError, match=r"ages at which the fitted life still has survivors"):
        installed_base_demand(weibull(0.001, 200.0), [10.0], [1])
    with pytest.raises(CostError, match=r"the demand distribution"):
        installed_base_demand(w, [1.0], [10**15])


def test_lead_time_and_last_time_buy_bad_input():
    d = installed_base_demand(weibull(), [1.0], [5], periods=4)
    with pytest.raises(InvalidTypeError, match=r"The 'demand' parameter of "
                       r"reliability.lead_time_demand must be an InstalledBaseDemand"):
        lead_time_demand([1, 2], 2)
    with pytest.raises(InvalidParameterError, match=r"'lead_time' parameter .* at most 2 "
                       r"periods from start=3"):
        lead_time_demand(d, 3, start=3)
    with pytest.raises(InvalidParameterError, match=r"'lead_time' parameter .* \[1, 4\]"):
        lead_time_demand(d, 0)
    with pytest.raises(InvalidParameterError, match=r"'start' parameter"):
        lead_time_demand(d, 1, start=5)
    ltd = lead_time_demand(d, 2)
    with pytest.raises(DataError, match=r"'k' parameter of reliability.LeadTimeDemand.cdf "
                       r"must be free of NaN"):
        ltd.cdf(np.nan)
    f = "reliability.last_time_buy"
    with pytest.raises(InvalidParameterError, match=rf"The 'service_level' parameter of {f} "
                       r"must be a real number in \(0, 1\)"):
        last_time_buy(weibull(), [1.0], [5], horizon=4, service_level=1.0)
    with pytest.raises(InvalidParameterError, match=r"'on_hand' parameter .* \[0, inf\]"):
        last_time_buy(weibull(), [1.0], [5], horizon=4, on_hand=-1)
    with pytest.raises(InvalidParameterError, match=r"'horizon' parameter"):
        last_time_buy(weibull(), [1.0], [5], horizon=0)


def test_spares_results_print():
    d = installed_base_demand(weibull(), AGES, COUNTS, periods=3)
    for r in (d, lead_time_demand(d, 2), last_time_buy(weibull(), AGES, COUNTS, horizon=3)):
        assert repr(r) and r.to_frame("dict")


def test_large_base_is_exact_far_from_zero():
    # one age class, no renewal: the window demand is Binomial(n, P) exactly, far from 0
    # (the distribution is computed on a window around the mean and unwrapped)
    f = weibull()
    d = installed_base_demand(f, [10.0], [20000], periods=6, levels=[0.01, 0.5, 0.99])
    p_win = (R(10.0) - R(16.0)) / R(10.0)
    ltd = lead_time_demand(d, 6, levels=[0.01, 0.5, 0.99])
    k = np.arange(ltd.pmf.size)
    np.testing.assert_allclose(ltd.pmf, stats.binom.pmf(k, 20000, p_win), atol=1e-12)
    assert ltd.quantile.tolist() == stats.binom.ppf([0.01, 0.5, 0.99], 20000, p_win).tolist()
    p1 = (R(10.0) - R(11.0)) / R(10.0)
    assert d.quantiles[0].tolist() == stats.binom.ppf([0.01, 0.5, 0.99], 20000, p1).tolist()
