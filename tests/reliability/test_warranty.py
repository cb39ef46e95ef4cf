"""Warranty claims (issue #23 point 2): the Nevada triangle, claim rates, the lifetime fit
from the triangle, claim forecasts and the dashboard, checked against hand computations
and a seeded simulation study."""

from __future__ import annotations

import math
import time

import attrs
import numpy as np
import pytest
from scipy import stats

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError, InvalidTypeError
from cxpath.reliability import (
    LifeData,
    WarrantyData,
    fit,
    forecast_claims,
    nevada,
    warranty_dashboard,
)

# A hand-sized triangle: 3 production months of 100, 120 and 90 units, observed at the end
# of month 3 (ages 3, 2, 1). Row = production month, column = month in service.
CLAIMS = [[2, 3, 1], [4, 2, 0], [1, 0, 0]]
SALES = [100, 120, 90]


def test_claim_rates_and_at_risk_counts_by_hand():
    r = nevada(CLAIMS, SALES).claim_rates()
    # month 1: every period reached it: 310 units, none claimed before, 2 + 4 + 1 claims
    # month 2: periods 0 and 1: 220 units, at risk (100 - 2) + (120 - 4) = 214, 3 + 2 claims
    # month 3: period 0 only: 100 units, at risk 100 - 2 - 3 = 95, 1 claim
    assert r.month.tolist() == [1, 2, 3]
    assert r.units.tolist() == [310.0, 220.0, 100.0]
    assert r.at_risk.tolist() == [310.0, 214.0, 95.0]
    assert r.claims.tolist() == [7.0, 5.0, 1.0]
    assert r.hazard.tolist() == pytest.approx([7 / 310, 5 / 214, 1 / 95], rel=1e-15)
    assert r.claims_per_unit.tolist() == pytest.approx([7 / 310, 5 / 220, 1 / 100])
    km = 1 - (1 - 7 / 310) * (1 - 5 / 214) * (1 - 1 / 95)
    assert r.cumulative[-1] == pytest.approx(km, rel=1e-14)


def test_triangle_as_life_data_by_hand():
    w = nevada(CLAIMS, SALES)
    assert w.age.tolist() == [3, 2, 1]
    d = w.to_life_data()
    rows = sorted(zip(d.lower.tolist(), d.upper.tolist(), d.count.tolist()))
    # claims in (k-1, k], then the unclaimed units right-censored at the age:
    # period 0: 100 - 6 = 94 at 3; period 1: 120 - 6 = 114 at 2; period 2: 90 - 1 = 89 at 1
    assert rows == sorted([(0.0, 1.0, 2.0), (1.0, 2.0, 3.0), (2.0, 3.0, 1.0),
                           (0.0, 1.0, 4.0), (1.0, 2.0, 2.0), (0.0, 1.0, 1.0),
                           (3.0, math.inf, 94.0), (2.0, math.inf, 114.0),
                           (1.0, math.inf, 89.0)])
    f = fit(w.to_life_data())
    direct = fit(LifeData.from_bounds([0, 1, 2, 0, 1, 0, 3, 2, 1],
                                      [1, 2, 3, 1, 2, 1, np.inf, np.inf, np.inf],
                                      [2, 3, 1, 4, 2, 1, 94, 114, 89]))
    assert f.estimate == pytest.approx(direct.estimate, rel=1e-9)
    assert f.log_likelihood == pytest.approx(direct.log_likelihood, rel=1e-12)


def test_calendar_layout_and_records_give_the_same_triangle():
    cal = nevada([[2, 3, 1], [0, 4, 2], [0, 0, 1]], SALES, layout="calendar",
                 start="2025-01")
    assert cal.claims.tolist() == nevada(CLAIMS, SALES).claims.tolist()
    assert cal.period.tolist() == ["2025-01", "2025-02", "2025-03"]
    # one row per claim: production month, claim month (month in service = difference + 1)
    prod = ["2025-01"] * 6 + ["2025-02"] * 6 + ["2025-03"]
    claim = (["2025-01"] * 2 + ["2025-02"] * 3 + ["2025-03"]
             + ["2025-02"] * 4 + ["2025-03"] * 2 + ["2025-03"])
    cost = np.arange(1.0, 14.0)
    rec = WarrantyData.from_records(prod, claim, SALES, cost=cost)
    assert rec.claims.tolist() == cal.claims.tolist()
    assert rec.period.tolist() == cal.period.tolist()
    assert rec.claims_cost.tolist() == [21.0, 57.0, 13.0]  # 1+…+6, 7+…+12, 13
    assert rec.cost[0].tolist() == [3.0, 12.0, 6.0]  # (1+2), (3+4+5), 6
    ints = WarrantyData.from_records([0, 0, 1], [0, 2, 2], [10, 10, 10])
    assert ints.claims.tolist() == [[1, 0, 1], [0, 1, 0], [0, 0, 0]]
    assert ints.period.tolist() == [0, 1, 2]


def test_warranty_limit_caps_ages_and_censors_at_the_limit():
    m = np.zeros((5, 5))
    m[0, :2] = [3, 1]
    m[3, 1] = 2
    w = nevada(m, [50] * 5, limit=2)
    assert w.age.tolist() == [2, 2, 2, 2, 1]
    assert w.claims.shape == (5, 2)
    assert nevada(m[:, :2], [50] * 5, limit=2).claims.tolist() == w.claims.tolist()
    wide = nevada(np.pad(CLAIMS, ((0, 0), (0, 2))), SALES)  # empty columns past the ages
    assert wide.claims.shape == (3, 3)
    d = w.to_life_data()
    right = d.upper == np.inf
    assert d.lower[right].max() == 2.0  # survivors censored at the limit, not at age 5
    with pytest.raises(DataError, match=r"beyond the warranty limit"):
        nevada([[1, 0, 1], [0, 0, 0], [0, 0, 0]], [10, 10, 10], limit=2)


def test_dashboard_u_chart_by_hand():
    d = warranty_dashboard(nevada(CLAIMS, SALES))
    # exposure = sales x months in service: 100*3, 120*2, 90*1 unit-months
    assert d.exposure.tolist() == [300.0, 240.0, 90.0]
    assert d.claims.tolist() == [6.0, 6.0, 1.0]
    u = 13 / 630  # Montgomery (2009) §7.3: centre Σc/Σe, limits ū ± 3 √(ū / e)
    assert d.center.tolist() == pytest.approx([u] * 3, rel=1e-14)
    assert d.ucl.tolist() == pytest.approx([u + 3 * math.sqrt(u / e) for e in (300, 240, 90)])
    assert d.lcl.tolist() == [0.0, 0.0, 0.0]  # u - 3√(u/e) < 0, clipped
    assert d.rate.tolist() == pytest.approx([6 / 300, 6 / 240, 1 / 90])
    w1 = warranty_dashboard(nevada(CLAIMS, SALES), window=1)  # month 1 only
    assert w1.claims.tolist() == [2.0, 4.0, 1.0] and w1.exposure.tolist() == [100, 120, 90]


def test_dashboard_flags_a_bad_production_month():
    rng = np.random.default_rng(3)
    n = 20
    m = np.zeros((n, n))
    for i in range(n):
        rate = 0.01 if i != 12 else 0.04  # month 12 built with a bad batch
        m[i, : n - i] = rng.poisson(rate * 1000, n - i)
    d = warranty_dashboard(nevada(m, [1000] * n), rules="limits")  # beyond 3 sigma only
    # the bad month is the only point above its upper limit (it also pulls the phase I
    # centre line up, so good months may fall below the lower one)
    above = d.rate > d.ucl
    assert above.tolist() == [i == 12 for i in range(n)]
    assert d.signal[12] and d.signal[above].all()


def _zero_cov(f):
    return attrs.evolve(f, covariance=np.zeros_like(f.covariance))


def test_forecast_means_equal_the_conditional_probabilities():
    m = np.zeros((6, 4))
    m[:, 0] = [3, 2, 4, 1, 2, 3]
    m[:4, 1] = [5, 3, 2, 4]
    m[:3, 2] = [4, 6, 3]
    m[:2, 3] = [6, 5]
    w = nevada(m, [200, 210, 190, 205, 220, 180], limit=4)
    f = _zero_cov(fit(w.to_life_data()))
    fc = forecast_claims(w, f, horizon=3, future_sales=[100, 150, 0], n_sims=20000, seed=5)
    R = f.reliability
    inst, new = np.zeros(3), np.zeros(3)
    for a, s in zip(w.age, w.unclaimed):
        for h in (1, 2, 3):
            lo, hi = min(a + h - 1, 4), min(a + h, 4)  # no claim beyond the 4-month limit
            inst[h - 1] += s * (R(lo) - R(hi)) / R(a)
    for j, q in ((1, 100), (2, 150)):
        for h in range(j, 4):
            new[h - 1] += q * (R(h - j) - R(h - j + 1))
    assert fc.installed == pytest.approx(inst, rel=1e-9)
    assert fc.new == pytest.approx(new, rel=1e-9)
    assert fc.total == pytest.approx(inst.sum() + new.sum(), rel=1e-9)
    # with the parameters fixed, the count is Poisson: interval = its 10 % and 90 % points
    assert fc.total_lower == pytest.approx(stats.poisson.ppf(0.1, fc.total), abs=1)
    assert fc.total_upper == pytest.approx(stats.poisson.ppf(0.9, fc.total), abs=1)
    assert fc.draws.shape == (20000, 3)


def test_forecast_of_many_months_of_sales_by_convolution():
    w = nevada(CLAIMS, SALES)
    f = _zero_cov(fit(w.to_life_data()))
    plan = np.arange(1.0, 71.0)  # 70 months of sales: more than 64, the FFT path
    fc = forecast_claims(w, f, horizon=70, future_sales=plan, n_sims=3, seed=0)
    R = f.reliability
    new = [sum(plan[j - 1] * (R(h - j) - R(h - j + 1)) for j in range(1, h + 1))
           for h in range(1, 71)]
    assert fc.new == pytest.approx(new, rel=1e-9)


@pytest.mark.parametrize(("name", "theta"), [
    ("weibull", [20.0, 1.5]), ("lognormal", [3.0, 0.8]), ("gamma", [10.0, 2.0]),
    ("weibull_mixture", [5.0, 0.8, 30.0, 2.0, 0.3]),  # not broadcastable: row by row
])
def test_survival_rows_equal_one_call_per_parameter_row(name, theta):
    from cxpath.reliability._models import FAMILIES
    from cxpath.reliability.warranty import _logsf_rows

    fam = FAMILIES[name]
    rows = np.array(theta)[None, :] * np.array([[1.0], [1.05], [0.95]])
    rows[:, -1] = theta[-1] if name == "weibull_mixture" else rows[:, -1]
    grid = np.arange(12, dtype=float)
    expected = np.array([fam.logsf(grid, th) for th in rows])
    assert _logsf_rows(fam, grid, rows) == pytest.approx(expected, rel=1e-12)


def test_huge_volumes_use_the_normal_limit():
    w = nevada(CLAIMS, SALES)
    fc = forecast_claims(w, horizon=1, future_sales=1e300, n_sims=50, seed=0)
    assert np.isfinite(fc.draws).all() and fc.total > 1e295


def test_forecast_cost_is_count_times_cost_per_claim():
    w = nevada(CLAIMS, SALES, cost=[[20, 30, 10], [40, 20, 0], [10, 0, 0]])
    fc = forecast_claims(w, horizon=2, seed=1, n_sims=500)
    assert fc.cost_per_claim == pytest.approx(130 / 13)
    assert fc.expected_cost.tolist() == pytest.approx((fc.expected * 10).tolist())
    assert fc.cost_upper.tolist() == (fc.upper * 10).tolist()
    assert math.isnan(forecast_claims(nevada(CLAIMS, SALES), seed=1, n_sims=10)
                      .cost_per_claim)
    again = forecast_claims(w, horizon=2, seed=1, n_sims=500)
    assert again.draws.tolist() == fc.draws.tolist()  # seeded


def test_dated_forecast_labels_follow_the_last_month():
    w = nevada(CLAIMS, SALES, start="2025-11")
    assert forecast_claims(w, seed=0, n_sims=10).period.tolist() == \
        ["2026-02", "2026-03", "2026-04"]


# -- simulation study ------------------------------------------------------------------------
# Weibull alpha = 60 months, beta = 1.5; 18 production months of 4000 + 100 i units;
# warranty 12 months; next quarter: 3 months with 5000 planned sales each.
ALPHA, BETA, N, LIMIT, H = 60.0, 1.5, 18, 12, 3
SIM_SALES = 4000 + 100 * np.arange(N)
FUTURE = np.array([5000, 5000, 5000])


def _cdf(t):
    return 1 - np.exp(-(np.asarray(t, dtype=float) / ALPHA) ** BETA)


def _replicate(seed: int):
    """A triangle observed at the end of month N, and the claims of the next H months."""
    rng = np.random.default_rng(seed)
    tri = np.zeros((N, LIMIT))
    actual = 0
    for i in range(N):
        a = min(N - i, LIMIT)
        top = min(a + H, LIMIT)
        p = np.diff(_cdf(np.arange(top + 1)))
        x = rng.multinomial(SIM_SALES[i], np.append(p, 1 - p.sum()))
        tri[i, :a] = x[:a]
        actual += int(x[a:top].sum())
    for j in range(1, H + 1):
        p = np.diff(_cdf(np.arange(H - j + 2)))
        actual += int(rng.multinomial(FUTURE[j - 1], np.append(p, 1 - p.sum()))[:-1].sum())
    return nevada(tri, SIM_SALES, limit=LIMIT), actual


@pytest.mark.slow
def test_simulation_recovers_parameters_and_forecast_intervals_cover():
    start = time.perf_counter()
    n_rep = 200
    hit_a = hit_b = hit_f = 0
    for seed in range(n_rep):
        w, actual = _replicate(seed)
        f = fit(w.to_life_data())
        hit_a += f.lower[0] <= ALPHA <= f.upper[0]
        hit_b += f.lower[1] <= BETA <= f.upper[1]
        fc = forecast_claims(w, f, horizon=H, future_sales=FUTURE, seed=seed)
        hit_f += fc.total_lower <= actual <= fc.total_upper
    elapsed = time.perf_counter() - start
    print(f"coverage alpha {hit_a / n_rep:.3f}, beta {hit_b / n_rep:.3f}, "
          f"forecast {hit_f / n_rep:.3f} in {elapsed:.1f} s")
    assert hit_a / n_rep >= 0.93 and hit_b / n_rep >= 0.93  # 95 % Fisher bounds
    assert 0.77 <= hit_f / n_rep <= 0.83  # 80 % prediction intervals


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"claims": [1, 2, 3]}, InvalidParameterError, r"'claims' .* 2-dimensional"),
    ({"claims": [[1, np.nan], [0, 0]]}, DataError, r"free of NaN in the observed cells"),
    ({"claims": [[1, 0], [0, 5]]}, DataError, r"'claims' .* 0 or NaN in cells not observed"),
    ({"claims": [[-1, 0], [0, 0]]}, DataError, r"'claims' .* non-negative"),
    ({"claims": [[1.5, 0], [0, 0]]}, DataError, r"whole numbers"),
    ({"claims": [[8, 5], [0, 0]]}, DataError, r"'sales' .* at least the claims"),
    ({"sales": [10, 10, 10]}, DataError, r"'sales' .* one value per row"),
    ({"sales": [10, -1]}, DataError, r"'sales'"),
    ({"layout": "diagonal"}, InvalidParameterError, r"'layout' .* one of 'age', 'calendar'"),
    ({"limit": 0}, InvalidParameterError, r"'limit'"),
    ({"claims": [[1, 0, 0], [0, 0, 0]], "layout": "calendar"}, DataError, r"square"),
    ({"claims": [[1, 0], [3, 0]], "layout": "calendar"}, DataError,
     r"before the production month"),
    ({"cost": [[1.0]]}, DataError, r"'cost' .* of the shape"),
    ({"start": "not a month"}, DataError, r"'start'"),
    ({"start": [[1, 2], [3]]}, InvalidTypeError, r"'start' .* array-like"),
    ({"claims": [[1], [3]]}, DataError, r"a column for every month in service up to the "
                                        r"oldest period's age \(2\), or give"),
])
def test_nevada_bad_input(kwargs, exc, match):
    args = {"claims": [[1, 2], [3, 0]], "sales": [10, 10]} | kwargs
    with pytest.raises(exc, match=match):
        nevada(**args)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"claim": [0, 0]}, DataError, r"'claim' .* on or after the production month"),
    ({"claim": [0, 3]}, DataError, r"'claim' .* within the months of 'sales'"),
    ({"claim": [0, 2], "limit": 1}, DataError, r"within the warranty limit of 1 months"),
    ({"production": [0, 5], "claim": [0, 5]}, DataError,
     r"'production' .* within the months of 'sales'"),
    ({"production": [0, 1], "start": 1}, DataError, r"'production' .* on or after 'start'"),
    ({"claim": [0]}, DataError, r"'claim' .* of the same length as 'production' \(2\)"),
    ({"claim": ["2025-01", "2025-02"]}, DataError, r"same kind as 'production'"),
    ({"production": [[0, 1]]}, InvalidParameterError, r"1-dimensional"),
    ({"cost": [1.0, -2.0]}, DataError, r"'cost'"),
    ({"production": [], "claim": []}, InvalidParameterError, r"'start' .* given when"),
    ({"sales": [1, 0, 5]}, DataError, r"'sales' .* at least the claims"),
])
def test_from_records_bad_input(kwargs, exc, match):
    args = {"production": [0, 1], "claim": [0, 2], "sales": [5, 5, 5]} | kwargs
    with pytest.raises(exc, match=match):
        WarrantyData.from_records(**args)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"data": [[1, 2], [3, 0]]}, InvalidTypeError, r"'data' .* a WarrantyData"),
    ({"fit": "weibull"}, InvalidTypeError, r"'fit' .* a LifeFit"),
    ({"horizon": 0}, InvalidParameterError, r"'horizon'"),
    ({"horizon": 1201}, InvalidParameterError, r"'horizon' .* in \[1, 1200\]"),
    ({"n_sims": 10**7}, InvalidParameterError, r"'n_sims' .* in \[1, 1000000\]"),
    ({"future_sales": [[1, 2], [3]]}, InvalidTypeError, r"'future_sales' .* array-like"),
    ({"future_sales": [1, 2]}, DataError, r"'future_sales' .* one value or 3 values"),
    ({"future_sales": -5}, DataError, r"'future_sales'"),
    ({"level": 1.0}, InvalidParameterError, r"'level'"),
    ({"n_sims": 0}, InvalidParameterError, r"'n_sims'"),
    ({"seed": "x"}, InvalidTypeError, r"'seed'"),
    ({"cost_per_claim": -1.0}, InvalidParameterError, r"'cost_per_claim'"),
])
def test_forecast_bad_input(kwargs, exc, match):
    args = {"data": nevada(CLAIMS, SALES)} | kwargs
    with pytest.raises(exc, match=match):
        forecast_claims(**args)


def test_forecast_needs_a_claim_or_a_fit():
    empty = nevada([[0, 0], [0, 0]], [10, 10])
    with pytest.raises(DataError, match=r"at least one claim"):
        forecast_claims(empty)
    f = fit(nevada(CLAIMS, SALES).to_life_data())
    assert forecast_claims(empty, f, seed=0, n_sims=50).total > 0


def test_forecast_warns_without_a_covariance():
    w = nevada(CLAIMS, SALES)
    f = fit(w.to_life_data())
    bad = attrs.evolve(f, covariance=np.full((2, 2), np.nan))
    with pytest.warns(CxpathWarning, match=r"no finite covariance"):
        forecast_claims(w, bad, seed=0, n_sims=50)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"data": LifeData.from_times([1, 2])}, InvalidTypeError, r"'data' .* a WarrantyData"),
    ({"window": 0}, InvalidParameterError, r"'window'"),
    ({"nsigma": 0}, InvalidParameterError, r"'nsigma'"),
    ({"rules": "nope"}, InvalidParameterError, r"'rules'"),
])
def test_dashboard_bad_input(kwargs, exc, match):
    args = {"data": nevada(CLAIMS, SALES)} | kwargs
    with pytest.raises(exc, match=match):
        warranty_dashboard(**args)


def test_no_sales_is_a_data_error():
    w = nevada([[0, 0], [0, 0]], [0, 0])
    with pytest.raises(DataError, match=r"some units sold"):
        warranty_dashboard(w)
    with pytest.raises(DataError, match=r"at least one unit"):
        w.to_life_data()
