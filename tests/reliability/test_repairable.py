"""Repairable systems: mean cumulative function, power-law process, trend tests (issue #23,
point 3). Every expected value names its source."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.reliability import (
    MeanCumulativeFunction,
    PowerLawFit,
    TrendTest,
    crow_amsaa,
    mcf,
    trend_test,
)

# ReliaSoft's MCF example (5 systems; the last age of each list is its end of observation),
# as shipped in the `reliability` package (reliability.Datasets.MCF_1) with its printed
# MCF_nonparametric output.
RELIASOFT = [[5, 10, 15, 17], [6, 13, 17, 19], [12, 20, 25, 26], [13, 15, 24],
             [16, 22, 25, 28]]


def _split(histories):
    time, system, end = [], [], {}
    for i, h in enumerate(histories):
        time += h[:-1]
        system += [i] * (len(h) - 1)
        end[i] = h[-1]
    return time, system, end


# NIST/SEMATECH e-Handbook §8.4.5.2 (power-law model example): 10 failures, test ends at
# 1500 h.
NIST = [5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478]
# MIL-HDBK-189 (1981), Appendix C, individual failure-time example: 27 failures, T = 300.
MIL_1981 = [2.6, 16.5, 16.5, 17.0, 21.4, 29.1, 33.3, 56.5, 63.1, 70.6, 73.0, 77.7, 93.9,
            95.5, 98.1, 101.1, 132.0, 142.2, 147.7, 149.0, 167.2, 190.7, 193.0, 198.7,
            251.9, 282.5, 286.1]


# -- mean cumulative function ------------------------------------------------------------

def test_mcf_reproduces_the_reliasoft_example():
    time, system, end = _split(RELIASOFT)
    m = mcf(time, system, end)
    assert isinstance(m, MeanCumulativeFunction)
    # printed MCF column (reliability package / ReliaSoft), one value per distinct age
    # (ties at 13, 15, 25 are printed as two rows; the second is the value after both)
    assert m.time.tolist() == [5, 6, 10, 12, 13, 15, 16, 17, 20, 22, 25]
    printed = [0.2, 0.4, 0.6, 0.8, 1.2, 1.6, 1.8, 2.0, 2.33333, 2.66667, 3.66667]
    np.testing.assert_allclose(m.mcf, printed, atol=5e-6)
    assert m.at_risk.tolist() == [5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 2]
    assert m.events.tolist() == [1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2]


def test_mcf_robust_variance_by_hand():
    time, system, end = _split(RELIASOFT)
    m = mcf(time, system, end)
    # Nelson (1995): Var = Σ_i [Σ_k δ_ik (d_ik − d_k/r_k) / r_k]². At t=5 (system 0 fails,
    # r=5): (0.8/5)² + 4 (0.2/5)² = 0.032 (also the reliability package's printed value).
    assert m.se[0] ** 2 == pytest.approx(0.032, abs=1e-15)
    # at t=6 (system 1 fails): systems 0 and 1 have 0.8/5 − 0.2/5 = 0.12, the other three
    # −0.4/5 = −0.08: 2·0.0144 + 3·0.0064 = 0.048 (the package's 0.064 leaves out the
    # covariance of the two steps)
    assert m.se[1] ** 2 == pytest.approx(0.048, abs=1e-15)


def test_mcf_robust_variance_equals_spread_of_counts_when_ends_are_equal():
    rng = np.random.default_rng(4)
    n = 7
    times = [np.sort(rng.uniform(0, 10, rng.integers(0, 6))) for _ in range(n)]
    time = np.concatenate(times)
    system = np.concatenate([[i] * t.size for i, t in enumerate(times)])
    m = mcf(time, system, dict.fromkeys(range(n), 10.0))
    for k, t in enumerate(m.time):
        counts = np.array([np.sum(ti <= t) for ti in times])
        # direct formula: Σ_i (N_i(t) − M(t))² / n²
        assert m.se[k] ** 2 == pytest.approx(np.sum((counts - counts.mean()) ** 2) / n ** 2,
                                             rel=1e-12)
        assert m.mcf[k] == pytest.approx(counts.mean(), rel=1e-12)


def test_mcf_poisson_variance_and_bounds():
    time, system, end = _split(RELIASOFT)
    m = mcf(time, system, end, variance="poisson", level=0.90)
    # naive variance Σ d_k / r_k²: 1/25 after the first failure, 11 failures later ...
    assert m.se[0] ** 2 == pytest.approx(1 / 25, abs=1e-15)
    expected = np.cumsum(m.events / m.at_risk ** 2)
    np.testing.assert_allclose(m.se ** 2, expected, rtol=1e-12)
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(m.lower, m.mcf * np.exp(-z * m.se / m.mcf), rtol=1e-12)
    np.testing.assert_allclose(m.upper, m.mcf * np.exp(z * m.se / m.mcf), rtol=1e-12)
    plain = mcf(time, system, end, variance="poisson", transform="none", level=0.90)
    np.testing.assert_allclose(plain.lower, m.mcf - z * m.se, rtol=1e-12)


def test_mcf_reliability_package_bounds_use_z_1645():
    # the reliability package prints "95% CI" bounds 0.0459299 / 0.870893 at t=5 with its
    # variance 0.032: they are M exp(± 1.6449 se / M), i.e. our 90 % log bounds
    m = mcf([5], None, 17, level=0.90)
    se = math.sqrt(0.032)
    assert 0.2 * math.exp(-stats.norm.ppf(0.95) * se / 0.2) == pytest.approx(0.0459299,
                                                                             abs=5e-7)
    assert m.mcf[0] == 1.0


def test_mcf_cost_and_systems_without_recurrences():
    m = mcf([1.0, 2.0], ["a", "a"], {"a": 3, "b": 3}, cost=[10.0, 30.0])
    assert m.mcf.tolist() == [5.0, 20.0]          # costs over 2 systems
    assert m.n_systems == 2 and m.systems.tolist() == ["a", "b"]
    assert m.at(0.5) == 0.0 and m.at(2.0) == 20.0


def test_mcf_bad_input():
    f = "reliability.mcf"
    with pytest.raises(InvalidTypeError, match=rf"The 'end' parameter of {f} must be the "
                       r"end-of-observation age"):
        mcf([1.0, 2.0])
    with pytest.raises(DataError, match=r"'time' parameter .* must be at most the end age of "
                       r"its system. Got 5 for system 0 \(end age 4\) instead."):
        mcf([1.0, 5.0], end=4)
    with pytest.raises(DataError, match=r"'time' parameter .* must be in \(0, inf\)"):
        mcf([0.0, 1.0], end=4)
    with pytest.raises(DataError, match=r"no end age for system 'b'"):
        mcf([1.0, 2.0], ["a", "b"], {"a": 4})
    with pytest.raises(DataError, match=r"'system' parameter .* same length as 'time' \(2\)"):
        mcf([1.0, 2.0], ["a"], 4)
    with pytest.raises(InvalidParameterError, match=r"'variance' parameter .* one of "
                       r"'robust', 'poisson'"):
        mcf([1.0], end=4, variance="naive")
    with pytest.raises(InvalidParameterError, match=r"'transform' parameter"):
        mcf([1.0], end=4, transform="logit")
    with pytest.raises(InvalidParameterError, match=r"'level' parameter .* \(0, 1\)"):
        mcf([1.0], end=4, level=1.0)
    with pytest.raises(DataError, match=r"'end' parameter .* positive finite"):
        mcf([1.0], end=-1.0)
    with pytest.raises(InvalidTypeError, match=r"'system' parameter .* hashable labels"):
        mcf([1.0], [{1: 2}], 4)
    with pytest.raises(DataError, match=r"'cost' parameter .* same length as 'time'"):
        mcf([1.0, 2.0], end=4, cost=[1.0])
    m = mcf([1.0], end=4)
    with pytest.raises(DataError, match=r"'t' parameter of reliability.MeanCumulativeFunction"
                       r".at must be free of NaN"):
        m.at([np.nan])


# -- power-law process -------------------------------------------------------------------

def test_crow_amsaa_mil_hdbk_189_appendix_c():
    p = crow_amsaa(MIL_1981, end=300, level=0.90)
    assert isinstance(p, PowerLawFit)
    # MIL-HDBK-189 (1981) Appendix C example; expected values are the literals of the
    # independently worked fixture in the `reliability` package's Crow-AMSAA validation
    # tool ("MIL-HDBK-189 (1981) Appendix C": beta 0.7163392624, lambda 0.4538418614,
    # MTBF(300) 15.5109620, intensity 0.0644705336)
    assert p.beta == pytest.approx(0.7163392624, rel=1e-9)
    assert p.lam == pytest.approx(0.4538418614, rel=1e-9)
    assert p.mtbf == pytest.approx(15.5109620, rel=1e-8)
    assert p.intensity(300) == pytest.approx(0.0644705336, rel=1e-8)
    # closed form: beta = n / Σ ln(T/t), lambda = n / T^beta
    assert p.beta == pytest.approx(27 / np.sum(np.log(300 / np.array(MIL_1981))), rel=1e-13)


def test_crow_amsaa_nist_modified_mle():
    p = crow_amsaa(NIST, end=1500, unbiased=True)
    # NIST e-Handbook §8.4.5.2 modified MLE: b = (r − 1)/Σ ln(T/t_i), a = r / T^b,
    # MTBF at the end of test = T / (r b); the same fixture of the `reliability` package's
    # validation tool ("NIST modified"): b 0.483506, a 0.291300, MTBF 310.234
    assert p.beta == pytest.approx(0.483506, abs=5e-7)
    assert p.lam == pytest.approx(0.291300, abs=5e-7)
    assert p.mtbf == pytest.approx(310.234, abs=5e-4)
    b = 9 / np.sum(np.log(1500 / np.array(NIST)))
    assert p.beta == pytest.approx(b, rel=1e-13)
    assert p.mtbf == pytest.approx(1500 / (10 * b), rel=1e-12)
    assert p.beta_mle == pytest.approx(10 / 9 * b, rel=1e-13)
    assert p.trend == "improving"


def test_crow_amsaa_chi_square_and_mtbf_bounds():
    p = crow_amsaa(NIST, end=1500, level=0.90)
    n = 10
    # Crow (1974): 2 n beta / beta_hat ~ chi-square(2n), time-truncated
    assert p.beta_lower == pytest.approx(p.beta * stats.chi2.ppf(0.05, 2 * n) / (2 * n),
                                         rel=1e-12)
    assert p.beta_upper == pytest.approx(p.beta * stats.chi2.ppf(0.95, 2 * n) / (2 * n),
                                         rel=1e-12)
    assert p.beta_bounds == "chi-square"
    # Fisher bounds on the MTBF of one system: m exp(± z sqrt(2/n)) (the information of
    # (ln E N(T), ln beta) is diag(n, n))
    z = stats.norm.ppf(0.95)
    assert p.mtbf_lower == pytest.approx(p.mtbf * math.exp(-z * math.sqrt(2 / n)), rel=1e-9)
    assert p.mtbf_upper == pytest.approx(p.mtbf * math.exp(z * math.sqrt(2 / n)), rel=1e-9)
    assert p.expected_failures(1500) == pytest.approx(10.0, rel=1e-12)
    assert p.mtbf_at(1500) == pytest.approx(p.mtbf, rel=1e-12)


def test_crow_amsaa_failure_truncated():
    t = np.array(NIST, dtype=float)
    p = crow_amsaa(t, truncation="failure", level=0.95)
    n = t.size
    s = np.sum(np.log(t[-1] / t[:-1]))
    assert p.beta == pytest.approx(n / s, rel=1e-13)   # MIL-HDBK-189C, failure-truncated
    assert p.at == t[-1]
    # 2 n beta / beta_hat ~ chi-square(2(n − 1))
    assert p.beta_upper == pytest.approx(p.beta * stats.chi2.ppf(0.975, 2 * (n - 1)) / (2 * n),
                                         rel=1e-12)
    u = crow_amsaa(t, truncation="failure", unbiased=True)
    assert u.beta == pytest.approx((n - 2) / s, rel=1e-13)


def test_crow_amsaa_several_systems():
    # equal end ages: the closed form over all recurrences
    p = crow_amsaa([1.0, 4.0, 9.0, 2.0, 7.0], ["a", "a", "a", "b", "b"], end=10)
    t = np.array([1.0, 4.0, 9.0, 2.0, 7.0])
    assert p.beta == pytest.approx(5 / np.sum(np.log(10 / t)), rel=1e-13)
    assert p.lam == pytest.approx(5 / (2 * 10 ** p.beta), rel=1e-12)
    # unequal ends: the `reliability` package validation tool's independently solved
    # example (systems observed to 4 and 100): beta 0.3443837165829547, lambda
    # 0.9236718623385327 (per system)
    q = crow_amsaa([0.5, 1, 1.5, 2, 3, 50], [0, 0, 0, 0, 0, 1], end={0: 4, 1: 100})
    assert q.beta == pytest.approx(0.3443837165829547, rel=1e-10)
    assert q.lam == pytest.approx(0.9236718623385327, rel=1e-10)
    ev, ends = np.array([0.5, 1, 1.5, 2, 3, 50]), np.array([4.0, 100.0])
    w = ends ** q.beta
    score = 6 / q.beta + np.sum(np.log(ev)) - 6 * np.dot(w, np.log(ends)) / w.sum()
    assert abs(score) < 1e-9
    assert q.beta_bounds == "fisher" and q.beta_lower < q.beta < q.beta_upper


def test_crow_amsaa_bad_input():
    f = "reliability.crow_amsaa"
    with pytest.raises(DataError, match=rf"The 'time' parameter of {f} must be an array with "
                       r"at least 2 element\(s\)"):
        crow_amsaa([5.0], end=10)
    with pytest.raises(InvalidParameterError, match=r"'end' parameter .* None with "
                       r"truncation='failure'"):
        crow_amsaa(NIST, end=1500, truncation="failure")
    with pytest.raises(InvalidParameterError, match=r"'truncation' parameter .* one of "
                       r"'time', 'failure'"):
        crow_amsaa(NIST, end=1500, truncation="both")
    with pytest.raises(InvalidTypeError, match=r"'unbiased' parameter .* True or False"):
        crow_amsaa(NIST, end=1500, unbiased=1)
    with pytest.raises(DataError, match=r"at least one recurrence before its system's end"):
        crow_amsaa([3.0, 3.0], end=3)
    with pytest.raises(DataError, match=r"'unbiased' parameter .* False for these data"):
        crow_amsaa([1.0, 3.0], truncation="failure", unbiased=True)
    p = crow_amsaa(NIST, end=1500)
    with pytest.raises(DataError, match=r"'t' parameter of reliability.PowerLawFit.intensity "
                       r"must be in \(0, inf\)"):
        p.intensity(0.0)
    with pytest.raises(DataError, match=r"reliability.PowerLawFit.mtbf_at must be free"):
        p.mtbf_at([np.nan])
    with pytest.raises(DataError, match=r"reliability.PowerLawFit.expected_failures must be "
                       r"in \[0, inf\]"):
        p.expected_failures(-1.0)


# -- trend tests -------------------------------------------------------------------------

def test_trend_tests_against_direct_formulas():
    t = np.array(NIST, dtype=float)
    r = trend_test(t, end=1500)
    assert isinstance(r, TrendTest)
    n, T = t.size, 1500.0
    u = (t.sum() - n * T / 2) / (T * math.sqrt(n / 12))        # Laplace
    chi = 2 * np.sum(np.log(T / t))                            # MIL-HDBK-189
    gaps = np.diff(np.concatenate([[0.0], t]))
    lr = u / (gaps.std(ddof=1) / gaps.mean())                  # Lewis-Robinson
    np.testing.assert_allclose(r.statistic, [u, chi, lr], rtol=1e-12)
    assert r.df[1] == 2 * n
    assert r.p_value[0] == pytest.approx(2 * stats.norm.sf(abs(u)), rel=1e-12)
    assert r.p_value[1] == pytest.approx(2 * stats.chi2.sf(chi, 2 * n), rel=1e-12)
    # MIL-HDBK-189: chi = 2n / beta_hat, so chi < 2n means beta > 1 (deterioration)
    assert chi == pytest.approx(2 * n / crow_amsaa(t, end=1500).beta, rel=1e-12)
    assert r.trend.tolist() == ["none", "improving", "none"]
    assert r.loc("laplace")["p_value"] == r.p_value[0]


def test_trend_tests_failure_truncated_and_several_systems():
    t = np.array(NIST, dtype=float)
    r = trend_test(t, truncation="failure")
    T, used = t[-1], t[:-1]
    u = (used.sum() - used.size * T / 2) / (T * math.sqrt(used.size / 12))
    assert r.statistic[0] == pytest.approx(u, rel=1e-12)
    assert r.df[1] == 2 * (t.size - 1)
    # several systems: Σ over systems of (t − T_q/2) over √(Σ n_q T_q² / 12)
    r2 = trend_test([1.0, 8.0, 9.0, 3.0], ["a", "a", "a", "b"], {"a": 10, "b": 5})
    num = (1 + 8 + 9 - 3 * 5) + (3 - 2.5)
    den = math.sqrt((3 * 100 + 1 * 25) / 12)
    assert r2.statistic[0] == pytest.approx(num / den, rel=1e-12)
    chi = 2 * (math.log(10) + math.log(10 / 8) + math.log(10 / 9) + math.log(5 / 3))
    assert r2.statistic[1] == pytest.approx(chi, rel=1e-12)


def test_trend_test_detects_deterioration():
    rng = np.random.default_rng(1)
    t = np.sort(100 * rng.uniform(size=60) ** (1 / 3))  # power law beta = 3 on (0, 100]
    r = trend_test(t, end=100)
    assert r.trend[0] == "deteriorating" and r.trend[1] == "deteriorating"


def test_trend_test_bad_input():
    f = "reliability.trend_test"
    with pytest.raises(InvalidParameterError, match=rf"The 'alpha' parameter of {f} must be "
                       r"a real number in \(0, 1\)"):
        trend_test(NIST, end=1500, alpha=0.0)
    with pytest.raises(InvalidTypeError, match=r"'end' parameter .* a number when 'system' "
                       r"is not given"):
        trend_test(NIST, end={0: 1500})
    with pytest.raises(DataError, match=r"at least one recurrence before its system's end"):
        trend_test([4.0], truncation="failure")
    with pytest.raises(InvalidTypeError, match=r"'system' parameter .* 1-D sequence"):
        trend_test(NIST, "abc", 1500)


def test_results_print():
    time, system, end = _split(RELIASOFT)
    for r in (mcf(time, system, end), crow_amsaa(NIST, end=1500), trend_test(NIST, end=1500)):
        assert repr(r)
        assert r.to_frame("dict")


def test_brent_agrees_with_a_generic_optimiser():
    q = crow_amsaa([0.5, 1, 1.5, 2, 3, 50], [0, 0, 0, 0, 0, 1], end={0: 4, 1: 100})
    ev, ends = np.array([0.5, 1, 1.5, 2, 3, 50]), np.array([4.0, 100.0])

    def nll(x):
        lam, beta = np.exp(x)
        return -(6 * math.log(lam * beta) + (beta - 1) * np.log(ev).sum()
                 - lam * np.sum(ends ** beta))

    res = optimize.minimize(nll, [0.0, 0.0], method="Nelder-Mead",
                            options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 5000})
    assert np.exp(res.x[1]) == pytest.approx(q.beta, rel=1e-6)
