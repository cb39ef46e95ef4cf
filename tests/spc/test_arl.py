"""Run lengths: published ARL tables, Monte Carlo within its standard error, limit solving,
the run-length distribution, and bad inputs."""

import numpy as np
import pytest
from scipy.stats import norm

from cxpath._kernels import spc as _k
from cxpath.errors import CostError, DataError, InvalidParameterError
from cxpath.spc import Rule, RuleSet, nelson, western_electric
from cxpath.spc.arl import (
    RunLength,
    RunLengthDistribution,
    arl_cusum,
    arl_ewma,
    arl_shewhart,
    cusum_limit,
    ewma_limit,
    shewhart_limit,
)
from cxpath.spc.rules import KINDS

# --- Shewhart with run rules -------------------------------------------------------------


def test_rule_one_is_geometric():
    # 3σ limits: p = 2 Φ(-3) = 0.0026998, ARL = 1/p = 370.40, SD = sqrt(1-p)/p = 369.90
    p = 2 * norm.sf(3.0)
    r = arl_shewhart("limits")
    assert r.arl[0] == pytest.approx(1 / p, rel=1e-12)
    assert round(float(r.arl[0]), 1) == 370.4
    assert r.sd[0] == pytest.approx(np.sqrt(1 - p) / p, rel=1e-10)
    # shift 1σ: p = Φ(-2) + Φ(-4) -> ARL 43.89 (Champ & Woodall 1987, Table 2, rule C1)
    assert round(float(arl_shewhart("limits", shift=1.0).arl[0]), 2) == 43.89


@pytest.mark.parametrize(("rules", "published"), [
    # Champ & Woodall (1987), Technometrics 29(4), 393-399, table of in-control ARLs of
    # the combined rules (C1 with C2 = 2 of 3 beyond 2σ, C3 = 4 of 5 beyond 1σ, C4 = 8 in a
    # row on one side); rules 1-4 = 91.75 (the value the Wikipedia article on the Western
    # Electric rules quotes from it)
    ((1, 2), 225.44), ((1, 3), 166.05), ((1, 4), 152.73), ((1, 2, 3), 132.89),
    ((1, 2, 4), 122.05), ((1, 3, 4), 105.78), ((1, 2, 3, 4), 91.75)])
def test_western_electric_champ_woodall(rules, published):
    r = arl_shewhart(western_electric(rules))
    assert round(float(r.arl[0]), 2) == published


def test_shewhart_names_and_rulesets_agree():
    assert arl_shewhart("we").arl[0] == pytest.approx(arl_shewhart(western_electric()).arl[0])
    # the same Rule objects built by hand give the same chain
    own = RuleSet((Rule("A", "beyond", 1, 1, 3.0), Rule("B", "m_of_n", 3, 2, 2.0)))
    assert arl_shewhart(own).arl[0] == pytest.approx(225.44, abs=0.005)


def _simulate_rule_rl(ruleset, nsigma, shift, n_rep, length, seed):
    """Run lengths by simulation with the chart's own rule kernel (first flagged point)."""
    rng = np.random.default_rng(seed)
    kinds = np.array([KINDS.index(r.kind) for r in ruleset.rules], dtype=np.int64)
    windows = np.array([r.window for r in ruleset.rules], dtype=np.int64)
    counts = np.array([r.count for r in ruleset.rules], dtype=np.int64)
    ks = np.array([nsigma if r.kind == "beyond" else r.k for r in ruleset.rules])
    out = np.empty(n_rep)
    z = rng.normal(shift, 1.0, size=(n_rep, length))
    for i in range(n_rep):
        series = z[i]
        while True:
            flags = _k.rule_flags(series, kinds, windows, counts, ks)
            hit = np.flatnonzero(flags.any(axis=0))
            if hit.size:
                break
            # no signal yet (rare): continue the same series
            series = np.concatenate([series, rng.normal(shift, 1.0, length)])
        out[i] = hit[0] + 1
    return out


@pytest.mark.parametrize(("rules", "shift"), [("we", 0.0), ("we", 1.0),
                                              (nelson((1, 2, 5, 6, 7, 8)), 0.5)])
def test_shewhart_monte_carlo(rules, shift):
    from cxpath.spc.rules import resolve_rules

    ruleset = resolve_rules(rules, "test")
    exact = arl_shewhart(ruleset, shift=shift)
    rl = _simulate_rule_rl(ruleset, 3.0, shift, 3000, 400, seed=11)
    se = rl.std(ddof=1) / np.sqrt(rl.size)
    assert abs(rl.mean() - exact.arl[0]) < 3 * se
    assert abs(rl.std(ddof=1) - exact.sd[0]) < 0.08 * exact.sd[0]


def test_shewhart_refuses_trend_rules_and_empty_sets():
    with pytest.raises(InvalidParameterError, match=r"rules N3, N4"):
        arl_shewhart("nelson")
    with pytest.raises(InvalidParameterError, match=r"at least one rule"):
        arl_shewhart("none")


# --- EWMA ---------------------------------------------------------------------------------

# Lucas & Saccucci (1990), Technometrics 32(1), Table 3, as reprinted in Montgomery (2009)
# Table 9.11 (ARL0 = 500 designs), shifts 0, 0.5, 1.0, 2.0, 3.0 in σ
LUCAS_SACCUCCI = {
    (0.05, 2.615): [500, 28.8, 11.4, 5.2, 3.5],
    (0.10, 2.814): [500, 31.3, 10.3, 4.4, 2.9],
    (0.20, 2.962): [500, 41.8, 10.5, 3.7, 2.4],
    (0.40, 3.054): [500, 71.2, 14.3, 3.5, 2.0],
}


@pytest.mark.parametrize("design", sorted(LUCAS_SACCUCCI))
def test_ewma_lucas_saccucci_table(design):
    lam, L = design
    r = arl_ewma(lam, L, shift=[0.0, 0.5, 1.0, 2.0, 3.0])
    published = LUCAS_SACCUCCI[design]
    assert round(float(r.arl[0])) == published[0]
    assert np.round(r.arl[1:], 1).tolist() == published[1:]


def test_ewma_sas_crowder_value():
    # SAS/QC EWMAARL(1.00, 0.25, 3.0) = 11.154267016 (Crowder's method, SAS documentation)
    assert arl_ewma(0.25, 3.0, shift=1.0).arl[0] == pytest.approx(11.154267016, abs=1e-8)


def test_ewma_lambda_one_is_shewhart():
    assert arl_ewma(1.0, 3.0).arl[0] == pytest.approx(arl_shewhart("limits").arl[0],
                                                      rel=1e-9)


def _lucas_saccucci_chain(lam, L, shift, m):
    """Lucas & Saccucci's Markov chain: 2m+1 equal cells across the limits."""
    c = L * np.sqrt(lam / (2 - lam))
    width = 2 * c / (2 * m + 1)
    mid = -c + width * (np.arange(2 * m + 1) + 0.5)
    lo, hi = mid - width / 2, mid + width / 2
    q = (norm.cdf((hi[None, :] - (1 - lam) * mid[:, None]) / lam - shift)
         - norm.cdf((lo[None, :] - (1 - lam) * mid[:, None]) / lam - shift))
    a = np.linalg.solve(np.eye(q.shape[0]) - q, np.ones(q.shape[0]))
    return a[m]


def test_ewma_quadrature_is_the_limit_of_the_markov_chain():
    exact = arl_ewma(0.2, 3.0, shift=[0.0, 1.0]).arl
    chain = [_lucas_saccucci_chain(0.2, 3.0, s, 300) for s in (0.0, 1.0)]
    assert np.allclose(chain, exact, rtol=2e-3)
    # and doubling the nodes changes nothing at 8 digits
    r = arl_ewma(0.2, 3.0, shift=[0.0, 1.0])
    twice = arl_ewma(0.2, 3.0, shift=[0.0, 1.0], nodes=2 * r.params["nodes"])
    assert np.allclose(r.arl, twice.arl, rtol=1e-8)


def _simulate_ewma_rl(lam, L, shift, n_rep, seed):
    rng = np.random.default_rng(seed)
    c = L * np.sqrt(lam / (2 - lam))
    z = np.zeros(n_rep)
    rl = np.zeros(n_rep)
    alive = np.arange(n_rep)
    t = 0
    while alive.size and t < 100_000:
        t += 1
        z[alive] = lam * rng.normal(shift, 1.0, alive.size) + (1 - lam) * z[alive]
        out = np.abs(z[alive]) > c
        rl[alive[out]] = t
        alive = alive[~out]
    assert alive.size == 0
    return rl


@pytest.mark.parametrize(("lam", "L", "shift"), [(0.2, 2.962, 0.0), (0.1, 2.814, 1.0)])
def test_ewma_monte_carlo(lam, L, shift):
    exact = arl_ewma(lam, L, shift=shift)
    rl = _simulate_ewma_rl(lam, L, shift, 4000, seed=5)
    se = rl.std(ddof=1) / np.sqrt(rl.size)
    assert abs(rl.mean() - exact.arl[0]) < 3 * se
    assert abs(rl.std(ddof=1) - exact.sd[0]) < 0.08 * exact.sd[0]


# --- CUSUM --------------------------------------------------------------------------------

# Montgomery (2009), Introduction to SQC 6th ed., Table 9.3: two-sided tabular CUSUM with
# k = 1/2, shifts 0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4 (σ)
MONTGOMERY_9_3 = {
    4.0: [168, 74.2, 26.6, 13.3, 8.38, 4.75, 3.34, 2.62, 2.19, 1.71],
    5.0: [465, 139, 38.0, 17.0, 10.4, 5.75, 4.01, 3.11, 2.57, 2.01],
}
SHIFTS_9_3 = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]


def _printed(x, like):
    """Round ``x`` to the digits printed in the table (3 significant figures)."""
    if like >= 100:
        return round(x)
    return float(f"{x:.3g}")


@pytest.mark.parametrize("h", [4.0, 5.0])
def test_cusum_montgomery_table_9_3(h):
    r = arl_cusum(0.5, h, shift=SHIFTS_9_3)
    assert [_printed(a, p) for a, p in zip(r.arl, MONTGOMERY_9_3[h])] == MONTGOMERY_9_3[h]
    assert np.isnan(r.sd).all()


def test_cusum_one_sided_and_symmetry():
    up = arl_cusum(0.5, 5.0, sides="upper", shift=[0.0, 1.0])
    low = arl_cusum(0.5, 5.0, sides="lower", shift=[0.0, -1.0])
    assert np.allclose(up.arl, low.arl)
    # one-sided ARL0 with k = 0.5, h = 5 is 930.9: the two-sided 465 of Montgomery's
    # Table 9.3 is half of it (1/ARL = 1/ARL+ + 1/ARL- with equal sides)
    assert round(float(up.arl[0]), 1) == 930.9
    assert up.sd[0] > 0


def _simulate_cusum_rl(k, h, shift, n_rep, seed, sides="two"):
    rng = np.random.default_rng(seed)
    cu = np.zeros(n_rep)
    cl = np.zeros(n_rep)
    rl = np.zeros(n_rep)
    alive = np.arange(n_rep)
    t = 0
    while alive.size and t < 100_000:
        t += 1
        x = rng.normal(shift, 1.0, alive.size)
        cu[alive] = np.maximum(0, cu[alive] + x - k)
        cl[alive] = np.maximum(0, cl[alive] - x - k)
        out = cu[alive] > h
        if sides == "two":
            out |= cl[alive] > h
        rl[alive[out]] = t
        alive = alive[~out]
    return rl


@pytest.mark.parametrize(("h", "shift", "sides"), [(4.0, 0.0, "two"), (5.0, 0.5, "two"),
                                                   (4.0, 0.0, "upper")])
def test_cusum_monte_carlo(h, shift, sides):
    exact = arl_cusum(0.5, h, shift=shift, sides=sides)
    rl = _simulate_cusum_rl(0.5, h, shift, 4000, seed=9, sides=sides)
    se = rl.std(ddof=1) / np.sqrt(rl.size)
    assert abs(rl.mean() - exact.arl[0]) < 3 * se
    if sides != "two":
        assert abs(rl.std(ddof=1) - exact.sd[0]) < 0.08 * exact.sd[0]


# --- limits for a target ARL ----------------------------------------------------------------


def test_limits_for_target_arl():
    # Lucas & Saccucci / Montgomery Table 9.11: ARL0 = 500 at L = 2.814 (λ = 0.1),
    # 2.962 (λ = 0.2), 2.615 (λ = 0.05)
    assert round(ewma_limit(0.1, 500.0), 3) == 2.814
    assert round(ewma_limit(0.2, 500.0), 3) == 2.962
    assert round(ewma_limit(0.05, 500.0), 3) == 2.615
    # Montgomery Table 9.3: h = 4 -> 168, h = 5 -> 465
    assert round(cusum_limit(0.5, 465.0), 2) == 5.0
    assert round(cusum_limit(0.5, 168.0), 2) == 4.0
    # Shewhart: nsigma = Φ^{-1}(1 - 1/(2·ARL)) for rule 1 alone
    assert shewhart_limit(500.0) == pytest.approx(norm.isf(1 / 1000), abs=1e-8)
    # with rules 1-4 the limits must widen to keep ARL0 = 50 ... and round-trip
    ns = shewhart_limit(50.0, "we")
    assert arl_shewhart("we", nsigma=ns).arl[0] == pytest.approx(50.0, rel=1e-8)
    h = cusum_limit(0.25, 1000.0, sides="upper")
    assert arl_cusum(0.25, h, sides="upper").arl[0] == pytest.approx(1000.0, rel=1e-8)


def test_unreachable_target_says_so():
    # rules 2-4 alone (with the limit at infinity) give ARL0 ≈ 117: 500 is out of reach
    with pytest.raises(InvalidParameterError,
                       match=r"The 'target_arl' parameter of spc.shewhart_limit must be an "
                             r"in-control ARL this design can reach"):
        shewhart_limit(500.0, "we")


# --- distribution ---------------------------------------------------------------------------


def test_distribution_geometric_and_moments():
    p = 2 * norm.sf(3.0)
    d = arl_shewhart("limits").distribution(upto=50)
    assert isinstance(d, RunLengthDistribution)
    t = np.arange(1, 51)
    assert np.allclose(d.pmf, p * (1 - p) ** (t - 1), rtol=1e-10)
    assert np.allclose(d.cdf, 1 - (1 - p) ** t, rtol=1e-10)
    # the pmf of the EWMA chain reproduces its own ARL and SD
    r = arl_ewma(0.2, 2.962, shift=1.0)
    dd = r.distribution(upto=2000)
    mean = (dd.run_length * dd.pmf).sum()
    second = (dd.run_length ** 2 * dd.pmf).sum()
    assert mean == pytest.approx(r.arl[0], rel=1e-8)
    assert np.sqrt(second - mean ** 2) == pytest.approx(r.sd[0], rel=1e-6)
    # median of a geometric: ceil(log 0.5 / log(1-p)) = 257
    assert arl_shewhart("limits").quantile(0.5).tolist() == [257]


def test_distribution_default_length_and_table():
    r = arl_shewhart("we", shift=[0.0, 2.0])
    d = r.distribution()
    assert d.cdf[d.shift == 0.0][-1] >= 0.99
    assert set(d.to_frame("dict")) == {"shift", "run_length", "pmf", "cdf", "survival"}


# --- bad inputs -------------------------------------------------------------------------------


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match=r"'nsigma' parameter of spc.arl_shewhart"):
        arl_shewhart("we", nsigma=0.0)
    with pytest.raises(DataError, match=r"'shift' parameter of spc.arl_shewhart must be free "
                                        r"of NaN"):
        arl_shewhart("we", shift=[0.0, np.nan])
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.arl_shewhart"):
        arl_shewhart("wec")
    with pytest.raises(InvalidParameterError, match=r"'lam' parameter of spc.arl_ewma"):
        arl_ewma(0.0, 3.0)
    with pytest.raises(InvalidParameterError, match=r"'L' parameter of spc.arl_ewma"):
        arl_ewma(0.2, -1.0)
    with pytest.raises(InvalidParameterError, match=r"'nodes' parameter of spc.arl_ewma"):
        arl_ewma(0.2, 3.0, nodes=2)
    with pytest.raises(TypeError, match=r"'lam' parameter of spc.arl_ewma"):
        arl_ewma("0.2", 3.0)
    with pytest.raises(InvalidParameterError, match=r"'k' parameter of spc.arl_cusum"):
        arl_cusum(-0.5, 4.0)
    with pytest.raises(InvalidParameterError, match=r"'sides' parameter of spc.arl_cusum must "
                                                    r"be one of 'two', 'upper', 'lower'"):
        arl_cusum(0.5, 4.0, sides="both")
    with pytest.raises(InvalidParameterError, match=r"'h' parameter of spc.arl_cusum"):
        arl_cusum(0.5, 0.0)
    with pytest.raises(InvalidParameterError, match=r"'target_arl' parameter of "
                                                    r"spc.ewma_limit"):
        ewma_limit(0.2, 0.5)
    with pytest.raises(InvalidParameterError, match=r"'lam' parameter of spc.ewma_limit"):
        ewma_limit(1.5, 370.0)
    with pytest.raises(InvalidParameterError, match=r"'target_arl' parameter of "
                                                    r"spc.cusum_limit"):
        cusum_limit(0.5, float("inf"))
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of "
                                                    r"spc.shewhart_limit"):
        shewhart_limit(370.0, "nelson")
    two = arl_cusum(0.5, 4.0)
    with pytest.raises(InvalidParameterError, match=r"not the two-sided CUSUM"):
        two.distribution()
    with pytest.raises(InvalidParameterError, match=r"not the two-sided CUSUM"):
        two.quantile(0.5)
    one = arl_shewhart("limits")
    with pytest.raises(InvalidParameterError, match=r"'upto' parameter of "
                                                    r"spc.RunLength.distribution"):
        one.distribution(upto=0)
    with pytest.raises(InvalidParameterError, match=r"'p' parameter of spc.RunLength.quantile"):
        one.quantile(1.0)
    assert isinstance(one, RunLength)


def test_designs_that_never_signal_have_infinite_arl():
    # 20σ limits: P(signal) = 2 Φ(-20) ≈ 5.5e-89 per point, far beyond floating point
    assert arl_ewma(1.0, 20.0).arl.tolist() == [np.inf]
    # an upper CUSUM facing a 4σ downward shift never signals; the two-sided one does
    assert arl_cusum(0.5, 4.0, sides="upper", shift=-4.0).arl.tolist() == [np.inf]
    assert round(float(arl_cusum(0.5, 4.0, shift=-4.0).arl[0]), 2) == 1.71  # Table 9.3


def test_huge_chain_is_refused(monkeypatch):
    import cxpath.spc.arl as arl

    monkeypatch.setattr(arl, "_MAX_STATES", 100)
    with pytest.raises(CostError, match=r"more than 100 states"):
        arl_shewhart("we")
