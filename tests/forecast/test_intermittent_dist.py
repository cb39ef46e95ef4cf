"""Predictive distributions of intermittent demand (cxpath.forecast.intermittent_dist)."""

from __future__ import annotations

import importlib.util
import math
import os

import numpy as np
import pytest
from scipy import stats

from cxpath._kernels import inventory as K
from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import spares_forecast
from cxpath.forecast.intermittent_dist import PRIOR

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "benchmarks", "bench_spares_policy.py")
DATA = os.path.join(ROOT, "..", "shared", "data", "carparts.csv.gz")


def _bench():
    import sys

    sys.path.insert(0, os.path.dirname(BENCH))
    spec = importlib.util.spec_from_file_location("bench_spares_policy", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_prefix_states_by_hand():
    # Harvey-Fernandes updates with one discount 0.9 and the Beta(.5,.5)/Gamma(.5,.5) prior:
    # y = [0, 2]: a = 0.9*0.5 = 0.45, b = 0.45 + 1 = 1.45; then a = 0.405 + 1, b = 1.305
    w = np.array([0.9])
    a, b, s, r, _io, _iz, ll = K.count_model_prefix(np.array([[0.0, 2.0]]), w, w, np.ones(1),
                                                    0, *PRIOR)
    assert a[0].tolist() == pytest.approx([0.5, 0.45, 1.405])
    assert b[0].tolist() == pytest.approx([0.5, 1.45, 1.305])
    # size 2 = 1 + 1 extra unit: s = 0.9*0.5 + 1, r = 0.9*0.5 + 1
    assert s[0, 2] == pytest.approx(1.45) and r[0, 2] == pytest.approx(1.45)
    occ = math.log(0.5) + math.log(0.405 / 1.71)
    size = stats.nbinom.logpmf(1, 0.45, 0.45 / 1.45)  # 1 extra unit, NB(s, r / (r + 1))
    assert ll[0, 2] == pytest.approx(occ + size, rel=1e-12)


def test_one_period_pmf_is_bernoulli_times_shifted_negbin():
    a, b, s, r = 0.8, 2.4, 1.5, 0.7
    p = K.count_model_pmf(np.array([a]), np.array([b]), np.array([s]), np.array([r]), 1,
                          np.array([30]))[0]
    want = np.concatenate([[b / (a + b)],
                           a / (a + b) * stats.nbinom.pmf(np.arange(30), s, r / (r + 1))])
    assert p == pytest.approx(want, abs=1e-13)


def test_lead_time_pmf_matches_the_generative_model():
    # Monte Carlo of the model itself: p ~ Beta(a, b), lam ~ Gamma(s, rate r),
    # k ~ Binomial(3, p), total = k + Poisson(k lam)
    a, b, s, r = 0.8, 2.4, 1.5, 0.7
    rng = np.random.default_rng(7)
    n = 400_000
    p = rng.beta(a, b, n)
    lam = rng.gamma(s, 1 / r, n)
    k = rng.binomial(3, p)
    tot = k + rng.poisson(k * lam)
    emp = np.bincount(tot, minlength=8)[:8] / n
    pmf = K.count_model_pmf(np.array([a]), np.array([b]), np.array([s]), np.array([r]), 3,
                            np.array([200]))[0]
    se = np.sqrt(pmf[:8] * (1 - pmf[:8]) / n)
    assert np.all(np.abs(emp - pmf[:8]) < 4.5 * se)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)


def test_uncalibrated_mean_is_the_model_mean():
    y = np.array([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0], [1, 0, 1, 1, 0, 2, 1, 0, 1, 1, 0, 1]])
    f = spares_forecast(y, 3, calibrate=False)
    a, b, s, r = f.states.T
    # E D_L = L a / (a + b) (1 + s / r)
    assert f.ltd_mean == pytest.approx(3 * a / (a + b) * (1 + s / r), rel=1e-9)
    assert f.mean == pytest.approx(f.occurrence * f.size_mean)
    assert f.quantiles([0.5, 0.9], periods=3).tolist() == [[1, 4], [2, 4]]
    ltd = f.lead_time_demand("1")
    assert ltd.mean == pytest.approx(f.ltd_mean[1]) and ltd.lead_time == 3


def test_calibrated_distribution_is_a_distribution_and_needs_a_window():
    rng = np.random.default_rng(3)
    y = rng.binomial(1, 0.3, (40, 30)) * (1 + rng.poisson(1.0, (40, 30)))
    f = spares_forecast(y, 3)
    p = f.pmf()
    assert f.calibrated and (p >= 0).all() and p.sum(axis=1) == pytest.approx(1.0)
    assert 3 in f.maps and f.maps[3][0] == 0.0 and f.maps[3][-1] == 1.0
    short = spares_forecast(y[:, :8], 3)  # 8 - 3 < BURN_IN: no in-sample window
    assert not short.calibrated


def test_errors():
    with pytest.raises(DataError, match=r"must be whole units\. Got 0\.5 at position \(0, 1\)"):
        spares_forecast([[1, 0.5]])
    with pytest.raises(DataError, match=r"'demand' parameter of forecast\.spares_forecast"):
        spares_forecast([1, -1])
    with pytest.raises(DataError):
        spares_forecast([1.0, np.nan])
    with pytest.raises(InvalidParameterError, match=r"'lead_time'"):
        spares_forecast([1, 0], 0)
    with pytest.raises(InvalidParameterError, match=r"percentage in \(1, 100\)"):
        spares_forecast([1, 0], level=0.95)
    with pytest.raises(DataError, match=r"one label per part \(1\)"):
        spares_forecast([1, 0], parts=["a", "b"])
    f = spares_forecast([1, 0, 2])
    with pytest.raises(InvalidParameterError, match=r"'part' parameter"):
        f.lead_time_demand("zz")


def test_scaled_pinball_helper_matches_cxpath():
    from cxpath.forecast import scaled_pinball

    b = _bench()
    rng = np.random.default_rng(1)
    hist = rng.poisson(1.0, (3, 20)).astype(float)
    act = rng.poisson(1.0, (3, 3)).astype(float)
    qf = np.sort(rng.uniform(0, 3, (3, 5, 3)), axis=1)
    scale = np.abs(np.diff(hist, axis=1)).mean(axis=1)
    mine = b._pinball(act, qf, scale)
    for i in range(3):
        assert mine[i] == pytest.approx(scaled_pinball(act[i], qf[i], b.QS, hist[i]))


@pytest.mark.skipif(not os.path.exists(DATA), reason="../shared/data/carparts.csv.gz absent")
def test_carparts_coverage_and_pinball_against_statsforecast():
    b = _bench()
    y = b.load(DATA)[::4]
    peers = importlib.util.find_spec("statsforecast") is not None
    ev = b.evaluate(y, range(24, 49, 3), peers=peers)
    cov = ev["coverage"]["pit"]
    # non-randomised PIT coverage (Czado, Gneiting & Held 2009) within 3 points of nominal
    for span in ("3-month", "1-month"):
        for lev in (80, 95):
            assert abs(100 * cov[(span, lev)] - lev) <= 3.0, (span, lev, cov[(span, lev)])
            # intervals of whole units hold at least their level
            assert ev["coverage"]["interval"][(span, lev)] >= lev / 100 - 0.03
    if not peers:
        pytest.skip("statsforecast not installed: coverage checked, peer comparison skipped")
    cx = ev["pinball"]["cxpath"]
    for name in b.PEERS:
        assert cx < ev["pinball"][f"{name} (poisson)"], name
        assert cx < ev["pinball"][f"{name} (point)"], name
