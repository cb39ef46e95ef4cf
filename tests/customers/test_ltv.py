"""BG/NBD, Gamma–Gamma, CLV and repurchase rate (cxpath.customers.ltv).

The CDNOW sample summary (2357 customers, 39 weeks; x, t_x, T and the mean repeat spend
zbar) is ``cdnow_customers_summary_with_transactions.csv``, shipped by the ``lifetimes``
package (MIT; a test extra) from Fader & Hardie's CDNOW sample; the CDNOW tests skip when
it is not installed.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import pathlib

import attrs
import numpy as np
import pytest

from cxpath.customers import (
    CLV,
    BGNBDFit,
    GammaGammaFit,
    bgnbd,
    clv,
    gamma_gamma,
    repurchase_rate,
    simulate_customers,
)
from cxpath.customers.ltv import _bg_loglik, _gg_loglik
from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError


@pytest.fixture(scope="module")
def cdnow():
    spec = importlib.util.find_spec("lifetimes")
    if spec is None:
        pytest.skip("the CDNOW sample ships with the 'lifetimes' package (test extra)")
    data = (pathlib.Path(spec.origin).parent / "datasets"
            / "cdnow_customers_summary_with_transactions.csv")
    with data.open() as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in ("x", "t_x", "T", "zbar")}


@pytest.fixture(scope="module")
def cdnow_fit(cdnow):
    return bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])


@pytest.fixture(scope="module")
def cdnow_gg(cdnow):
    return gamma_gamma(cdnow["x"], cdnow["zbar"])


# ----------------------------------------------------------------------------- CDNOW

def test_cdnow_has_the_published_sample_size(cdnow):
    # Fader, Hardie & Lee (2005), §4: 2357 customers, 946 of them with repeat purchases
    # (Fader & Hardie 2013, note 025).
    assert cdnow["x"].size == 2357
    assert int((cdnow["x"] > 0).sum()) == 946


def test_bgnbd_cdnow_parameters_equal_the_paper(cdnow_fit):
    # Fader, Hardie & Lee (2005), p. 280: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
    # LL = -9582.4.
    fit = cdnow_fit
    assert [round(x, 3) for x in (fit.r, fit.alpha, fit.a, fit.b)] == \
        [0.243, 4.414, 0.793, 2.426]
    assert round(fit.log_likelihood, 1) == -9582.4
    assert fit.converged


def test_bgnbd_cdnow_matches_clvtools_to_four_digits(cdnow_fit):
    # R CLVTools tests/testthat/test_correctness_bgnbd.R: r = 0.2425945, alpha = 4.4136019,
    # a = 0.7929199, b = 2.4258881, LL = -9582.429 (ours: -9582.4256, a hair higher).
    np.testing.assert_allclose(cdnow_fit.estimate, [0.2425945, 4.4136019, 0.7929199,
                                                    2.4258881], rtol=2e-4)
    assert cdnow_fit.log_likelihood == pytest.approx(-9582.429, abs=0.01)


def test_bgnbd_cdnow_standard_errors_match_lifetimes(cdnow_fit):
    # lifetimes 0.11.3 BetaGeoFitter(...).fit on the same data, summary se(coef), run
    # 2026-12-01: r 0.012557, alpha 0.378221, a 0.185719, b 0.705345 (inverse Hessian).
    np.testing.assert_allclose(cdnow_fit.std_error, [0.012557, 0.378221, 0.185719, 0.705345],
                               rtol=0.01)
    lo, hi = cdnow_fit.lower, cdnow_fit.upper
    np.testing.assert_allclose(hi - lo, 2 * 1.959964 * cdnow_fit.std_error, rtol=1e-6)


def test_bgnbd_cdnow_conditional_expectation(cdnow_fit):
    # Fader, Hardie & Lee (2005) §5 / lifetimes' test suite: a customer with x = 2,
    # t_x = 30.43, T = 38.86 is expected to make 1.226 transactions in the next 39 weeks.
    got = cdnow_fit.expected_transactions(39, [2], [30.43], [38.86])
    assert got[0] == pytest.approx(1.226, abs=5e-4)


def test_bgnbd_cdnow_expected_cumulative_repeat_transactions(cdnow, cdnow_fit):
    # FHL (2005) Figure 3: the model's cumulative repeat transactions track the data over
    # the calibration period; at its end, sum_i E[X(T_i)] (eq. 8) is within 3% of the
    # 2457 repeat transactions in the sample.
    assert cdnow["x"].sum() == 2457
    expected = float(cdnow_fit.expected_population(cdnow["T"]).sum())
    assert expected == pytest.approx(2457, rel=0.03)


def test_gamma_gamma_cdnow_parameters_equal_the_note(cdnow_gg):
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", p = 6.25,
    # q = 3.74, gamma = 15.44.
    gg = cdnow_gg
    # (our gamma is 15.4478; the note prints 15.44, lifetimes 15.447: agree to 0.01)
    np.testing.assert_allclose([gg.p, gg.q, gg.gamma], [6.25, 3.74, 15.44], atol=0.01)
    assert gg.n == 946.0
    # population mean p gamma / (q - 1) = 35.2 (the note's E(M))
    assert gg.population_mean == pytest.approx(6.25 * 15.44 / 2.74, rel=5e-3)


def test_gamma_gamma_expected_value_is_the_weighted_mean(cdnow_gg):
    # Fader & Hardie (2013), eq. 5: E(M | x, mbar) = w E(M) + (1 - w) mbar with
    # w = (q - 1) / (p x + q - 1).
    p, q, g = cdnow_gg.estimate
    x, m = np.array([1.0, 4.0, 20.0]), np.array([10.0, 50.0, 30.0])
    w = (q - 1) / (p * x + q - 1)
    np.testing.assert_allclose(cdnow_gg.expected_value(x, m),
                               w * p * g / (q - 1) + (1 - w) * m, rtol=1e-12)


# ----------------------------------------------------------------------------- formulas

@pytest.mark.parametrize("x,tx,t", [(0, 0.0, 10.0), (1, 3.0, 10.0), (3, 8.5, 12.0),
                                    (5, 2.0, 30.0)])
def test_bgnbd_likelihood_equals_numerical_integration(x, tx, t):
    # FHL (2005) eq. 6 is the individual likelihood
    # (1-p)^x l^x e^(-l T) + [x > 0] p (1-p)^(x-1) l^x e^(-l t_x)
    # integrated over l ~ Gamma(r, alpha) and p ~ Beta(a, b); integrate it directly.
    from scipy import integrate

    r, alpha, a, b = 1.3, 3.0, 1.4, 2.5  # r > 1: no singularity of the gamma density at 0

    def integrand(p, lam):
        ind = (1 - p) ** x * lam ** x * math.exp(-lam * t)
        if x > 0:
            ind += p * (1 - p) ** (x - 1) * lam ** x * math.exp(-lam * tx)
        gamma_pdf = math.exp(r * math.log(alpha) + (r - 1) * math.log(lam) - alpha * lam
                             - math.lgamma(r)) if lam > 0 else 0.0
        beta_pdf = p ** (a - 1) * (1 - p) ** (b - 1) * math.exp(
            math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))
        return ind * gamma_pdf * beta_pdf

    direct, _ = integrate.dblquad(integrand, 0, 25, 0, 1, epsabs=1e-12, epsrel=1e-7)
    ours = math.exp(float(_bg_loglik(np.array([r, alpha, a, b]), np.array([float(x)]),
                                     np.array([tx]), np.array([t]))[0]))
    assert ours == pytest.approx(direct, rel=1e-5)


@pytest.mark.parametrize("x,m", [(1, 20.0), (4, 35.0), (10, 12.5)])
def test_gamma_gamma_likelihood_equals_numerical_integration(x, m):
    # Fader & Hardie (2013), eq. 3: the density of the mean mbar of x values ~ Gamma(p, nu)
    # is Gamma(p x, rate x nu), integrated over nu ~ Gamma(q, rate gamma).
    from scipy import integrate, stats

    p, q, g = 3.0, 4.0, 20.0

    def integrand(nu):
        return stats.gamma.pdf(m, p * x, scale=1 / (x * nu)) * \
            stats.gamma.pdf(nu, q, scale=1 / g)

    direct, _ = integrate.quad(integrand, 0, np.inf, epsabs=1e-14, epsrel=1e-10, limit=200)
    ours = math.exp(float(_gg_loglik(np.array([p, q, g]), np.array([float(x)]),
                                     np.array([m]))[0]))
    assert ours == pytest.approx(direct, rel=1e-7)


def test_fit_log_likelihood_is_the_sum_at_the_estimate(cdnow, cdnow_fit):
    ll = _bg_loglik(cdnow_fit.estimate, cdnow["x"], cdnow["t_x"], cdnow["T"]).sum()
    assert cdnow_fit.log_likelihood == pytest.approx(float(ll), rel=1e-12)


def test_new_customer_expectation_is_the_conditional_one_at_zero(cdnow_fit):
    # FHL (2005) eq. 10 with x = t_x = T = 0 reduces to eq. 8.
    t = [1.0, 10.0, 52.0]
    np.testing.assert_allclose(
        [cdnow_fit.expected_transactions(h, [0], [0.0], [0.0])[0] for h in t],
        cdnow_fit.expected_population(t), rtol=1e-10)


def test_p_alive_formula(cdnow_fit):
    # FHL (2005) eq. 11 (P(alive)): 1 / (1 + a / (b + x - 1) ((alpha + T)/(alpha + t_x))^(r+x))
    r, al, a, b = cdnow_fit.estimate
    got = cdnow_fit.p_alive([0, 2, 7], [0.0, 30.43, 35.0], [38.86, 38.86, 38.86])
    want = [1.0, 1 / (1 + a / (b + 1) * ((al + 38.86) / (al + 30.43)) ** (r + 2)),
            1 / (1 + a / (b + 6) * ((al + 38.86) / (al + 35.0)) ** (r + 7))]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_expected_population_matches_simulation():
    # E[X(t)] (eq. 8) against the mean repeat count of customers simulated for t weeks.
    true = np.array([0.5, 4.0, 1.5, 3.0])
    sim = simulate_customers(40_000, r=0.5, alpha=4.0, a=1.5, b=3.0, age=20.0, seed=7)
    fit = attrs.evolve(bgnbd([1, 0, 2], [1.0, 0.0, 3.0], [5.0, 5.0, 5.0], max_iter=5),
                       estimate=true)  # the true parameters
    mean, se = sim["frequency"].mean(), sim["frequency"].std() / math.sqrt(40_000)
    assert abs(float(fit.expected_population([20.0])[0]) - mean) < 4 * se


# ----------------------------------------------------------------------------- recovery

def test_bgnbd_recovers_simulated_parameters_within_their_errors():
    true = np.array([0.5, 6.0, 0.8, 2.5])
    sim = simulate_customers(6000, r=0.5, alpha=6.0, a=0.8, b=2.5, age=78.0, seed=11)
    fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
    z = (fit.estimate - true) / fit.std_error
    assert np.all(np.abs(z) < 3), z
    assert np.all(fit.std_error < 0.5 * true)  # informative enough for the test to bite


def test_gamma_gamma_recovers_simulated_parameters_within_their_errors():
    true = np.array([4.0, 3.5, 12.0])
    sim = simulate_customers(8000, r=1.0, alpha=4.0, a=0.8, b=2.5, p=4.0, q=3.5,
                             gamma=12.0, age=52.0, seed=3)
    gg = gamma_gamma(sim["frequency"], sim["monetary"])
    z = (gg.estimate - true) / gg.std_error
    assert np.all(np.abs(z) < 3), z


def test_weights_equal_repeated_rows():
    sim = simulate_customers(400, age=np.repeat([30.0, 39.0], 200), seed=5)
    rows = np.stack([sim["frequency"], sim["span"], sim["age"]], axis=1)
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    assert unique.shape[0] < 300  # customers without repeat purchases coincide
    a = bgnbd(*unique.T, weights=counts)
    b = bgnbd(*rows.T)
    assert a.log_likelihood == pytest.approx(b.log_likelihood, rel=1e-8)
    np.testing.assert_allclose(a.estimate, b.estimate, rtol=1e-3)
    assert a.n == 400.0


# ----------------------------------------------------------------------------- CLV

@pytest.fixture(scope="module")
def sim_fits():
    sim = simulate_customers(600, seed=2)
    return sim, bgnbd(sim["frequency"], sim["span"], sim["age"]), \
        gamma_gamma(sim["frequency"], sim["monetary"])


def test_clv_one_undiscounted_period_is_transactions_times_value(sim_fits):
    sim, fit, gg = sim_fits
    out = clv(fit, gg, sim["frequency"], sim["span"], sim["age"], sim["monetary"],
              periods=1, period_length=26.0, discount_rate=0.0)
    want = fit.expected_transactions(26.0, sim["frequency"], sim["span"], sim["age"]) * \
        gg.expected_value(sim["frequency"], sim["monetary"])
    np.testing.assert_allclose(out.clv, want, rtol=1e-12)
    assert isinstance(out, CLV) and out.customer.tolist() == list(range(600))


def test_clv_discounts_each_period(sim_fits):
    sim, fit, gg = sim_fits
    cols = [sim[k][:5] for k in ("frequency", "span", "age")]
    out = clv(fit, gg, *cols, sim["monetary"][:5], periods=3, period_length=4.0,
              discount_rate=0.05, customer=list("abcde"))
    e = [fit.expected_transactions(4.0 * k, *cols) for k in range(4)]
    value = gg.expected_value(cols[0], sim["monetary"][:5])
    want = sum((e[k] - e[k - 1]) * value / 1.05 ** k for k in (1, 2, 3))
    np.testing.assert_allclose(out.clv, want, rtol=1e-12)
    np.testing.assert_allclose(out.expected_transactions, e[3], rtol=1e-12)
    assert out["c"]["clv"] == pytest.approx(float(want[2]))


# ----------------------------------------------------------------------------- repurchase

def test_repurchase_rate_wilson_interval():
    # Wilson (1927) score interval for 4 of 8 at 95%, by hand (z = 1.959964):
    # centre 0.5, half-width z/(1 + z²/8) sqrt(0.25/8 + z²/256) = 0.2847839.
    rr = repurchase_rate([0, 2, 1, 0, 0, 5, 0, 1])
    assert (rr.rate, rr.n, rr.repeaters) == (0.5, 8.0, 4.0)
    assert rr.lower == pytest.approx(0.5 - 0.2847839, abs=1e-6)
    assert rr.upper == pytest.approx(0.5 + 0.2847839, abs=1e-6)


def test_repurchase_rate_weights():
    rr = repurchase_rate([0, 3], weights=[3, 1])
    assert rr.rate == 0.25 and rr.n == 4.0


# ----------------------------------------------------------------------------- bad input

def test_bgnbd_bad_inputs():
    with pytest.raises(DataError, match=r"'frequency' parameter of customers.bgnbd must be "
                                        r"whole numbers"):
        bgnbd([1.5, 0], [1.0, 0], [2.0, 2.0])
    with pytest.raises(DataError, match=r"'span' parameter of customers.bgnbd must be at "
                                        r"most the age"):
        bgnbd([1, 0], [3.0, 0], [2.0, 2.0])
    with pytest.raises(DataError, match=r"must be 0 for a customer without repeat"):
        bgnbd([0, 1], [1.0, 1.0], [2.0, 2.0])
    with pytest.raises(DataError, match=r"must be > 0 for a customer with repeat"):
        bgnbd([2, 1], [0.0, 1.0], [2.0, 2.0])
    with pytest.raises(DataError, match=r"same length"):
        bgnbd([1, 0], [1.0, 0], [2.0])
    with pytest.raises(DataError, match=r"'age' parameter .* finite"):
        bgnbd([1, 0], [1.0, 0], [2.0, np.inf])
    with pytest.raises(DataError, match=r"'frequency' .* must be in \[0, inf\]"):
        bgnbd([-1, 0], [1.0, 0], [2.0, 2.0])
    with pytest.raises(InvalidParameterError, match=r"'level' parameter"):
        bgnbd([1, 0], [1.0, 0], [2.0, 2.0], level=1.5)
    with pytest.raises(InvalidParameterError, match=r"'max_iter' parameter"):
        bgnbd([1, 0], [1.0, 0], [2.0, 2.0], max_iter=0)
    with pytest.raises(DataError, match=r"'weights' parameter .* must be in \(0, inf\]"):
        bgnbd([1, 0], [1.0, 0], [2.0, 2.0], weights=[1, 0])


def test_bgnbd_method_bad_inputs(sim_fits):
    _, fit, _ = sim_fits
    with pytest.raises(InvalidParameterError, match=r"'horizon' parameter of "
                                                    r"BGNBDFit.expected_transactions"):
        fit.expected_transactions(-1)
    with pytest.raises(InvalidParameterError, match=r"all three or none"):
        fit.p_alive([1])
    with pytest.raises(DataError, match=r"'times' parameter of BGNBDFit.expected_population"):
        fit.expected_population([-1.0])
    assert isinstance(fit, BGNBDFit)


def test_gamma_gamma_bad_inputs(sim_fits):
    with pytest.raises(DataError, match=r"'monetary' parameter of customers.gamma_gamma must "
                                        r"be > 0 for customers with repeat"):
        gamma_gamma([1, 2], [0.0, 3.0])
    with pytest.raises(DataError, match=r"at least 2 customers"):
        gamma_gamma([0, 2], [0.0, 3.0])
    with pytest.raises(DataError, match=r"whole numbers"):
        gamma_gamma([0.5, 2], [1.0, 3.0])
    with pytest.raises(DataError, match=r"same length"):
        gamma_gamma([1, 2], [1.0])
    _, _, gg = sim_fits
    assert isinstance(gg, GammaGammaFit)
    with pytest.raises(DataError, match=r"'monetary' parameter of "
                                        r"GammaGammaFit.expected_value must be in \[0, inf\]"):
        gg.expected_value([1], [-2.0])


def test_clv_bad_inputs(sim_fits):
    sim, fit, gg = sim_fits
    cols = (sim["frequency"], sim["span"], sim["age"], sim["monetary"])
    with pytest.raises(InvalidTypeError, match=r"'transactions' parameter of customers.clv "
                                               r"must be a BGNBDFit"):
        clv(gg, gg, *cols)
    with pytest.raises(InvalidTypeError, match=r"'spend' parameter"):
        clv(fit, fit, *cols)
    with pytest.raises(InvalidParameterError, match=r"'periods' parameter"):
        clv(fit, gg, *cols, periods=0)
    with pytest.raises(InvalidParameterError, match=r"'period_length' parameter"):
        clv(fit, gg, *cols, period_length=0)
    with pytest.raises(InvalidParameterError, match=r"'discount_rate' parameter"):
        clv(fit, gg, *cols, discount_rate=-0.1)
    with pytest.raises(DataError, match=r"'customer' parameter .* same length"):
        clv(fit, gg, *cols, customer=["a"])


def test_repurchase_and_simulate_bad_inputs():
    with pytest.raises(DataError, match=r"'frequency' parameter of customers.repurchase_rate"):
        repurchase_rate([])
    with pytest.raises(DataError, match=r"'frequency' .* in \[0, inf\]"):
        repurchase_rate([-1])
    with pytest.raises(InvalidParameterError, match=r"'level' parameter"):
        repurchase_rate([1], level=0)
    with pytest.raises(InvalidParameterError, match=r"'n' parameter of "
                                                    r"customers.simulate_customers"):
        simulate_customers(0)
    with pytest.raises(InvalidParameterError, match=r"'r' parameter"):
        simulate_customers(3, r=0)
    with pytest.raises(DataError, match=r"'age' parameter .* one number or 3 numbers"):
        simulate_customers(3, age=[1.0, 2.0])
