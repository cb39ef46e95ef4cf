"""Staffing from a forecast under uncertainty: a discrete-event simulation, adaptive
quadrature, Erlang C, the band arithmetic, and bad inputs."""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import ndtri

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast._base import Forecast
from cxpath.kpi import (
    erlang_c,
    expected_service_level,
    interval_staffing,
    shift_patterns,
    staffing_plan,
)

AHT, T, INTERVAL = 180.0, 20.0, 1800.0


def _forecast(mean, rate_sd, levels=(80.0, 95.0), ds=None):
    """A Forecast whose bands are normal count intervals: Var(count) = mean + rate_sd**2."""
    mean = np.asarray(mean, dtype=float)
    sd = np.sqrt(np.maximum(mean, 0.0) + np.asarray(rate_sd, dtype=float) ** 2)
    lv = np.asarray(levels, dtype=float)
    z = ndtri(0.5 + lv / 200.0)[:, None]
    return Forecast(model="test", mean=mean, levels=lv, lower=mean - z * sd,
                    upper=mean + z * sd, fitted=np.empty(0), residuals=np.empty(0),
                    interval_method="analytic", ds=ds)


def _simulate(lam, agents, customers=1500, warmup=300, seed=0):
    """M/M/N FIFO queues, vectorised over scenarios: arrivals Poisson(lam per interval)
    given each scenario's rate, exponential service of mean AHT; share of the customers
    after the warm-up answered within T. ``agents`` is a list of candidate counts
    simulated with common random numbers. Returns the mean share per candidate."""
    rng = np.random.default_rng(seed)
    s = lam.size
    rate = lam / INTERVAL
    arrive = np.cumsum(rng.exponential(1.0, (s, customers)) / rate[:, None], axis=1)
    serve = rng.exponential(AHT, (s, customers))
    c = len(agents)
    nmax = max(agents)
    free = np.full((c, s, nmax), np.inf)
    for i, n in enumerate(agents):
        free[i, :, :n] = 0.0
    free = free.reshape(c * s, nmax)
    rows = np.arange(c * s)
    hits = np.zeros(c * s)
    for k in range(customers):
        a = np.tile(arrive[:, k], c)
        j = free.argmin(axis=1)
        start = np.maximum(free[rows, j], a)
        if k >= warmup:
            hits += start - a <= T
        free[rows, j] = start + np.tile(serve[:, k], c)
    return (hits / (customers - warmup)).reshape(c, s).mean(axis=1)


# (mean contacts per 30 min, rate sd): loads of 10, 20 and 4 Erlangs, rate CV 10-15 %
CASES = [(100.0, 10.0), (200.0, 30.0), (40.0, 6.0)]


def test_expected_service_level_matches_a_discrete_event_simulation():
    # 1,000 scenarios per interval: rate lambda ~ Gamma(mean, sd^2), then an M/M/N FIFO
    # queue of 1,500 customers (first 300 discarded as warm-up) at that rate. The
    # simulated minimum staffing is the fewest candidates among N-2..N+1 (common random
    # numbers) whose mean simulated share within 20 s reaches the 80 % target.
    mean = np.array([m for m, _ in CASES])
    sd = np.array([x for _, x in CASES])
    f = _forecast(mean, sd)
    plan = staffing_plan(f, AHT, target=0.8, answer_time=T, interval=INTERVAL)
    np.testing.assert_allclose(plan.sd, sd, rtol=1e-9)  # band arithmetic (count band)
    rng = np.random.default_rng(20)
    t0 = time.perf_counter()
    for i, (m, s) in enumerate(CASES):
        n = int(plan.agents[i])
        lam = rng.gamma((m / s) ** 2, s * s / m, size=1000)
        cands = [n - 2, n - 1, n, n + 1]
        sim = _simulate(lam, cands, seed=i)
        pred = expected_service_level(_forecast([m] * 4, [s] * 4), AHT, cands,
                                      interval=INTERVAL, answer_time=T)
        # the staffed interval: predicted within 2 points of the simulation
        assert abs(pred[2] - sim[2]) < 0.02, (m, s, pred, sim)
        sim_min = next((k for k, x in zip(cands, sim) if x >= 0.8), n + 2)
        assert abs(sim_min - n) <= 1, (m, s, cands, sim)
    assert time.perf_counter() - t0 < 60


def test_quadrature_matches_adaptive_integration():
    # E[SL(N, lambda)] with scipy.integrate.quad over the Gamma density
    m, s, n = 100.0, 25.0, 14
    k, theta = (m / s) ** 2, s * s / m

    def sl(lam):
        return float(erlang_c(lam, AHT, n, answer_time=T).service_level[0])

    want, _ = integrate.quad(lambda x: sl(x) * stats.gamma.pdf(x, k, scale=theta), 0,
                             m * 4, points=[n * INTERVAL / AHT], limit=200)
    got = expected_service_level(_forecast([m], [s]), AHT, n, interval=INTERVAL,
                                 answer_time=T)
    assert got[0] == pytest.approx(want, abs=1e-4)


def test_no_uncertainty_is_erlang_c():
    # a band that is exactly the Poisson noise leaves no rate variance: plain Erlang C
    f = _forecast([100.0, 40.0, 0.0], [0.0, 0.0, 0.0])
    plan = staffing_plan(f, AHT, interval=INTERVAL)
    ref = interval_staffing([100.0, 40.0, 0.0], [AHT, AHT, AHT])
    assert plan.agents.tolist() == ref.agents.tolist() == [14, 7, 0]
    np.testing.assert_allclose(plan.expected_service_level, ref.service_level, atol=1e-12)


def test_mean_rule_is_interval_staffing_and_uncertainty_costs_agents():
    f = _forecast([100.0, 200.0, 60.0], [20.0, 40.0, 12.0])
    mean_plan = staffing_plan(f, AHT, rule="mean")
    assert mean_plan.agents.tolist() == interval_staffing([100, 200, 60], AHT).agents.tolist()
    plan = staffing_plan(f, AHT)
    assert (plan.agents >= mean_plan.agents).all()
    assert (plan.expected_service_level >= 0.8).all()
    # one agent fewer misses the expected target (minimality)
    fewer = expected_service_level(f, AHT, plan.agents - 1)
    assert (fewer < 0.8).all()
    assert (mean_plan.expected_service_level < mean_plan.service_level_at_mean).all()


def test_quantile_rule_meets_the_target_with_that_probability():
    f = _forecast([100.0, 200.0, 60.0], [20.0, 40.0, 12.0])
    q = 0.9
    plan = staffing_plan(f, AHT, rule="quantile", quantile=q)
    assert (plan.p_target >= q - 1e-9).all()
    # the Gamma 0.9 quantile of the rate, staffed with Erlang C (scipy.stats.gamma.ppf)
    m, s = np.array([100.0, 200.0, 60.0]), np.array([20.0, 40.0, 12.0])
    vol = stats.gamma.ppf(q, (m / s) ** 2, scale=s * s / m)
    assert plan.agents.tolist() == interval_staffing(vol, AHT).agents.tolist()
    # p_target by simulation of the rate: share of draws whose Erlang C SL meets 0.8
    lam = np.random.default_rng(1).gamma((100 / 20) ** 2, 400 / 100, size=20_000)
    met = erlang_c(lam, AHT, int(plan.agents[0])).service_level >= 0.8
    assert plan.p_target[0] == pytest.approx(met.mean(), abs=0.01)


def test_band_read_as_rate_and_level_choice():
    m = np.array([100.0])
    f = _forecast(m, [20.0])  # count sd sqrt(100 + 400)
    assert staffing_plan(f, AHT, band="rate").sd[0] == pytest.approx(np.sqrt(500.0))
    assert staffing_plan(f, AHT, level=95).sd[0] == pytest.approx(20.0)
    assert staffing_plan(f, AHT).level == 80.0


def test_interval_from_the_forecast_dates_and_shrinkage():
    ds = np.array(["2026-03-02T09:00", "2026-03-02T09:15"], dtype="datetime64[ns]")
    f = _forecast([50.0, 50.0], [0.0, 0.0], ds=ds)
    plan = staffing_plan(f, AHT, shrinkage=0.3)
    assert plan.interval == 900.0
    assert plan.start.tolist() == ds.tolist()
    # 50 contacts per 15 min = 100 per 30 min: Erlang C's 14, scheduled ceil(14 / 0.7) = 20
    assert plan.agents.tolist() == [14, 14] and plan.scheduled.tolist() == [20, 20]
    assert plan.scheduled_hours == pytest.approx(20 * 2 * 0.25)


def test_blocks_and_roster_roll_up():
    f = _forecast([100.0, 200.0, 60.0, 30.0], [20.0, 40.0, 12.0, 6.0])
    plan = staffing_plan(f, AHT)
    b = plan.blocks(3)
    assert b.peak.tolist() == [int(plan.scheduled[:3].max()), int(plan.scheduled[3])]
    assert b.intervals.tolist() == [3, 1]
    assert b.agent_hours.sum() == pytest.approx(plan.scheduled_hours)
    r = plan.roster(shift_patterns([0, 1], 3))
    assert (r.coverage >= plan.scheduled).all()


def test_overall_service_level_weights_by_volume():
    f = _forecast([100.0, 0.0], [20.0, 0.0])
    plan = staffing_plan(f, AHT)
    assert plan.overall_service_level == pytest.approx(plan.expected_service_level[0])


# ---------------------------------------------------------------- bad input

F = _forecast([100.0, 40.0], [10.0, 5.0])


@pytest.mark.parametrize(("kw", "error", "match"), [
    ({"forecast": [100, 40]}, InvalidTypeError,
     r"The 'forecast' parameter of kpi.staffing_plan must be a cxpath.forecast.Forecast"),
    ({"rule": "median"}, InvalidParameterError, r"'rule' parameter .* one of 'expected'"),
    ({"target": 1.0}, InvalidParameterError, r"'target' parameter .* in \[0, 1\)"),
    ({"quantile": 0.0}, InvalidParameterError, r"'quantile' parameter .* in \(0, 1\)"),
    ({"aht": [180, 180, 180]}, DataError, r"'aht' parameter .* one per forecast step \(2\)"),
    ({"aht": 0}, DataError, r"'aht' parameter .* in \(0, inf\)"),
    ({"level": 90}, InvalidParameterError, r"'level' parameter .* levels 80, 95"),
    ({"band": "both"}, InvalidParameterError, r"'band' parameter .* 'count', 'rate'"),
    ({"nodes": 1}, InvalidParameterError, r"'nodes' parameter .* in \[2, 1000\]"),
    ({"shrinkage": 1.0}, InvalidParameterError, r"'shrinkage' parameter"),
    ({"interval": 0}, InvalidParameterError, r"'interval' parameter"),
])
def test_staffing_plan_bad_input(kw, error, match):
    args = {"forecast": F, "aht": AHT, **kw}
    with pytest.raises(error, match=match):
        staffing_plan(args.pop("forecast"), args.pop("aht"), **args)


def test_bad_forecasts():
    neg = _forecast([100.0, -1.0], [0.0, 0.0])
    with pytest.raises(DataError, match=r"non-negative means .* Got -1 at step 2 instead"):
        staffing_plan(neg, AHT)
    bare = Forecast(model="x", mean=np.ones(2), levels=np.empty(0), lower=np.empty((0, 2)),
                    upper=np.empty((0, 2)), fitted=np.empty(0), residuals=np.empty(0),
                    interval_method="analytic")
    with pytest.raises(DataError, match=r"a forecast with prediction bands"):
        staffing_plan(bare, AHT)
    with pytest.raises(DataError, match=r"a forecast with prediction bands"):
        expected_service_level(bare, AHT, 3)


@pytest.mark.parametrize(("args", "kw", "error", "match"), [
    ((F, AHT, -1), {}, DataError, r"'agents' parameter .* in \[0, 2147483648\]"),
    ((F, AHT, [1, 2, 3]), {}, DataError, r"'agents' parameter .* one per forecast step"),
    ((F, AHT, 1.5), {}, DataError, r"'agents' parameter .* whole numbers"),
    (("F", AHT, 3), {}, InvalidTypeError, r"'forecast' parameter"),
    ((F, AHT, 3), {"answer_time": -1}, InvalidParameterError, r"'answer_time' parameter"),
    ((F, AHT, 3), {"band": 1}, InvalidTypeError, r"'band' parameter"),
])
def test_expected_service_level_bad_input(args, kw, error, match):
    with pytest.raises(error, match=match):
        expected_service_level(*args, **kw)


def test_blocks_bad_input():
    with pytest.raises(InvalidParameterError,
                       match=r"The 'size' parameter of StaffingPlan.blocks must be"):
        staffing_plan(F, AHT).blocks(0)


def test_hourly_forecast_across_the_fall_back_staffs_hours():
    pd = pytest.importorskip("pandas")
    from cxpath.forecast import naive

    # Berlin's clocks go back on 2024-10-27: the forecast's hours 02:00 (summer time),
    # 02:00 (winter time), 03:00 are an hour apart; read as wall-clock times they were
    # 0 and 1 hour apart and the interval fell back to its 30-minute default
    idx = pd.date_range(end=pd.Timestamp("2024-10-27 01:00", tz="Europe/Berlin"),
                        periods=48, freq="h")
    f = naive(pd.Series(100.0 + np.arange(48) % 5, index=idx), 3)
    plan = staffing_plan(f, AHT, target=0.8, answer_time=T)
    assert plan.interval == 3600.0
    assert plan.tz == "Europe/Berlin"
    assert plan.to_frame()["start"].astype(str).tolist() == [
        "2024-10-27 02:00:00+02:00", "2024-10-27 02:00:00+01:00", "2024-10-27 03:00:00+01:00"]
