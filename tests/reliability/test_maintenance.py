"""Availability, age replacement and periodic PM (issue #23, point 3). Expected values are
direct formulas, brute-force optima or named published figures."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from scipy import integrate, optimize

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.reliability import (
    AgeReplacement,
    Availability,
    PMInterval,
    age_replacement,
    availability,
    crow_amsaa,
    fit,
    pm_interval,
)

T = [16, 34, 53, 75, 93, 120, 150, 191]


def weibull(alpha: float, beta: float):
    """A LifeFit with the given Weibull parameters."""
    return attrs.evolve(fit(T, "weibull"), estimate=np.array([alpha, beta], dtype=float))


# -- availability ------------------------------------------------------------------------

LOG = dict(system=["p1", "p1", "p1", "p2", "p2"],
           down=[100.0, 400.0, 700.0, 250.0, 600.0],
           repair_start=[102.0, 401.0, 710.0, 260.0, 600.0],
           repair_end=[106.0, 405.0, 715.0, 262.0, 608.0],
           kind=["corrective", "preventive", "corrective", "corrective", "preventive"])


def test_availability_by_hand():
    a = availability(**LOG, observed={"p1": 1000.0, "p2": 800.0})
    assert isinstance(a, Availability)
    p1 = a.loc("p1")
    # p1: downtimes 6, 5, 15 (down → repair end); active 4, 4, 5; two corrective
    up = 1000 - 26
    assert p1["uptime"] == up and p1["failures"] == 2 and p1["maintenances"] == 3
    assert p1["mtbf"] == up / 2 and p1["mttr"] == (4 + 5) / 2
    assert p1["mtbm"] == up / 3 and p1["mean_active"] == pytest.approx(13 / 3)
    assert p1["mdt"] == pytest.approx(26 / 3)
    # Ebeling (2010) §9.3 definitions
    assert p1["inherent"] == pytest.approx((up / 2) / (up / 2 + 4.5), rel=1e-14)
    assert p1["achieved"] == pytest.approx((up / 3) / (up / 3 + 13 / 3), rel=1e-14)
    assert p1["operational"] == pytest.approx(up / 1000, rel=1e-14)
    assert p1["operational"] == pytest.approx((up / 3) / (up / 3 + 26 / 3), rel=1e-14)
    fleet = a.loc("all")
    assert fleet["observed"] == 1800 and fleet["uptime"] == 1800 - 26 - 12 - 8
    assert fleet["failures"] == 3 and fleet["mttr"] == pytest.approx((4 + 5 + 2) / 3)
    assert a.inherent[-1] > a.achieved[-1] > a.operational[-1]


def test_availability_defaults():
    a = availability(["x"], [10.0], [11.0], [13.0])
    assert a.observed.tolist() == [13.0, 13.0]  # observed to the last repair end
    assert a.failures.tolist() == [1, 1]
    b = availability(["x", "y"], [10.0, 5.0], [10.0, 5.0], [12.0, 6.0],
                     kind=["preventive", "preventive"], observed=100)
    assert math.isinf(b.mtbf[0]) and b.inherent[0] == 1.0 and math.isnan(b.mttr[0])


def test_availability_bad_input():
    f = "reliability.availability"
    with pytest.raises(DataError, match=rf"The 'repair_start' parameter of {f} must be at "
                       r"least 'down' in every row. Got 99 < 100 at position 0 instead."):
        availability(["a"], [100.0], [99.0], [101.0])
    with pytest.raises(DataError, match=r"'repair_end' parameter .* at least 'repair_start'"):
        availability(["a"], [100.0], [101.0], [100.5])
    with pytest.raises(DataError, match=r"'down' parameter .* after the previous repair of "
                       r"the same system ended. Got 103 before 105 for system 'a' instead."):
        availability(["a", "a"], [100.0, 103.0], [101.0, 104.0], [105.0, 106.0])
    with pytest.raises(DataError, match=r"'repair_end' parameter .* within the observation"):
        availability(["a"], [100.0], [101.0], [105.0], observed=104)
    with pytest.raises(DataError, match=r"'kind' parameter .* 'corrective' or 'preventive' "
                       r"in every row. Got 'pm' at position 0 instead."):
        availability(["a"], [100.0], [101.0], [105.0], kind=["pm"])
    with pytest.raises(DataError, match=r"'down' parameter .* in \[0, inf\]"):
        availability(["a"], [-1.0], [101.0], [105.0])
    with pytest.raises(DataError, match=r"'repair_start' parameter .* same length as 'down'"):
        availability(["a"], [1.0], [2.0, 3.0], [4.0])
    with pytest.raises(DataError, match=r"no length for system 'b'"):
        availability(["a", "b"], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], observed={"a": 9})
    with pytest.raises(InvalidTypeError, match=r"'kind' parameter .* 1-D sequence"):
        availability(["a"], [1.0], [2.0], [3.0], kind="corrective")


# -- age replacement ---------------------------------------------------------------------

def _cost_rate(f, cp, cf, t):
    r = f.reliability(t)
    area = integrate.quad(f.reliability, 0, t, epsabs=0, epsrel=1e-13, limit=500)[0]
    return (cp * r + cf * (1 - r)) / area


def test_age_replacement_equals_brute_force():
    f = weibull(1000.0, 2.5)
    r = age_replacement(f, 1.0, 5.0)
    assert isinstance(r, AgeReplacement) and r.finite
    # brute force: a fine grid then a scalar optimiser on the directly integrated C(T)
    grid = np.linspace(50, 2000, 80)
    costs = [_cost_rate(f, 1, 5, t) for t in grid]
    t0 = grid[int(np.argmin(costs))]
    res = optimize.minimize_scalar(lambda t: _cost_rate(f, 1, 5, t),
                                   bounds=(t0 - 25, t0 + 25), method="bounded",
                                   options={"xatol": 1e-8})
    assert r.interval == pytest.approx(res.x, rel=1e-5)
    assert r.cost_rate == pytest.approx(res.fun, rel=1e-10)
    # the `reliability` package (optimal_replacement_time, Cp 1, Cf 5, Weibull 1000, 2.5,
    # q=0) reports 493.185 (on its grid) and a minimum cost 0.0034620429
    assert r.interval == pytest.approx(493.185, abs=0.5)
    assert r.cost_rate == pytest.approx(0.0034620429189943167, rel=1e-6)
    assert r.run_to_failure == pytest.approx(5 / f.mttf, rel=1e-12)
    assert r.saving == pytest.approx(1 - r.cost_rate / r.run_to_failure)
    # the curve is C(T) at its ages
    for k in (0, 57, 199):
        assert r.curve[k] == pytest.approx(_cost_rate(f, 1, 5, r.age[k]), rel=1e-8)


def test_age_replacement_has_no_finite_optimum_for_exponential_or_falling_hazard():
    e = fit(T, "exponential")
    r = age_replacement(e, 1.0, 10.0)
    # C(T) = λ (Cf + Cp R/F) > λ Cf for every T: run to failure
    assert not r.finite and math.isinf(r.interval)
    assert r.cost_rate == pytest.approx(10 * e.params["lambda"], rel=1e-12)
    assert np.all(r.curve > r.run_to_failure)
    assert not age_replacement(weibull(100.0, 0.8), 1.0, 10.0).finite
    assert not age_replacement(weibull(100.0, 3.0), 10.0, 10.0).finite   # Cp = Cf


def test_age_replacement_bad_input():
    f = "reliability.age_replacement"
    with pytest.raises(InvalidTypeError, match=rf"The 'fit' parameter of {f} must be a "
                       r"LifeFit"):
        age_replacement([1, 2, 3], 1.0, 2.0)
    w = weibull(100.0, 3.0)
    with pytest.raises(InvalidParameterError, match=r"'cost_preventive' parameter .* \(0, "
                       r"inf\)"):
        age_replacement(w, 0.0, 2.0)
    with pytest.raises(InvalidParameterError, match=r"'cost_failure' parameter"):
        age_replacement(w, 1.0, -2.0)
    with pytest.raises(InvalidParameterError, match=r"'points' parameter .* \[2, 100000\]"):
        age_replacement(w, 1.0, 2.0, points=1)
    with pytest.raises(InvalidParameterError, match=r"'upper' parameter"):
        age_replacement(w, 1.0, 2.0, upper=0.0)


# -- periodic PM -------------------------------------------------------------------------

def test_pm_interval_formula_and_brute_force():
    r = pm_interval(500.0, 2000.0, beta=2.0, theta=1000.0)
    assert isinstance(r, PMInterval) and r.finite
    # T* = θ (Cp / (Cf (β − 1)))^(1/β) = 1000 · (0.25)^(1/2) = 500
    assert r.interval == pytest.approx(500.0, rel=1e-14)
    res = optimize.minimize_scalar(lambda t: (500 + 2000 * (t / 1000) ** 2) / t,
                                   bounds=(1, 5000), method="bounded",
                                   options={"xatol": 1e-9})
    assert r.interval == pytest.approx(res.x, rel=1e-7)
    assert r.cost_rate == pytest.approx(res.fun, rel=1e-12)
    b = pm_interval(1.0, 3.0, beta=3.4, theta=17.0)
    assert b.interval == pytest.approx(17.0 * (1 / (3 * 2.4)) ** (1 / 3.4), rel=1e-14)


def test_pm_interval_from_a_power_law_fit():
    p = crow_amsaa([40, 180, 260, 330, 370, 420, 450, 480], end=500)
    assert p.beta > 1
    r = pm_interval(100.0, 400.0, model=p)
    theta = p.lam ** (-1 / p.beta)
    assert r.theta == pytest.approx(theta, rel=1e-14)
    assert r.interval == pytest.approx(theta * (100 / (400 * (p.beta - 1))) ** (1 / p.beta),
                                       rel=1e-13)
    flat = pm_interval(1.0, 2.0, beta=1.0, theta=50.0)
    assert not flat.finite and math.isinf(flat.interval) and flat.cost_rate == 2.0 / 50.0


def test_pm_interval_bad_input():
    f = "reliability.pm_interval"
    with pytest.raises(InvalidParameterError, match=rf"The 'beta' parameter of {f} must be "
                       r"given with 'theta'"):
        pm_interval(1.0, 2.0, beta=2.0)
    with pytest.raises(InvalidTypeError, match=r"'model' parameter .* a PowerLawFit"):
        pm_interval(1.0, 2.0, model="fit")
    p = crow_amsaa([40, 180, 260, 330], end=500)
    with pytest.raises(InvalidParameterError, match=r"'model' parameter .* None when"):
        pm_interval(1.0, 2.0, model=p, beta=2.0, theta=3.0)
    with pytest.raises(InvalidParameterError, match=r"'theta' parameter .* \(0, inf\)"):
        pm_interval(1.0, 2.0, beta=2.0, theta=0.0)
    with pytest.raises(InvalidParameterError, match=r"'cost_failure' parameter"):
        pm_interval(1.0, 0.0, beta=2.0, theta=3.0)


def test_maintenance_results_print():
    for r in (availability(**LOG), age_replacement(weibull(100.0, 3.0), 1.0, 10.0),
              age_replacement(fit(T, "exponential"), 1.0, 10.0),
              pm_interval(1.0, 3.0, beta=2.0, theta=10.0),
              pm_interval(1.0, 3.0, beta=0.5, theta=10.0)):
        assert repr(r) and r.to_frame("dict")
