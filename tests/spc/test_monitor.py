"""Monitoring many charts: streaming equals batch, FDR across charts, valid p-values,
AR(1) residual charts, immutability, bad inputs."""

import threading

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.spc import cusum, ewma, run_rules
from cxpath.spc.monitor import Monitor, MonitorUpdate, benjamini_hochberg

build = Monitor.from_baseline
P = "parameter of spc.Monitor.from_baseline"


def _pairs_from_signals(signals):
    return {(int(i), str(r)) for i, r in zip(signals.index, signals.rule)}


def _pairs_from_updates(steps):
    out = set()
    for s in steps:
        for p, codes in zip(s.period.tolist(), s.rules.tolist()):
            for code in filter(None, codes.split(",")):
                out.add((p, code))
    return out


def _stream(m, x, chunks=None):
    """Feed ``x`` (periods × charts) one period at a time (or in the given chunk sizes)."""
    steps, at = [], 0
    sizes = chunks or [1] * x.shape[0]
    for n in sizes:
        s = m.update(x[at:at + n])
        steps.append(s)
        m, at = s.monitor, at + n
    assert at == x.shape[0]
    return m, steps


def _series(seed, n=300, shift_at=150, shift=1.2):
    rng = np.random.default_rng(seed)
    x = rng.normal(10.0, 2.0, n)
    x[shift_at:] += shift * 2.0
    return x


def test_streaming_shewhart_equals_batch_run_rules():
    x = _series(1)
    m = build(np.zeros((5, 1)), rules="we", target=10.0, sigma=2.0)
    _, steps = _stream(m, x.reshape(-1, 1))
    batch = run_rules(x, 10.0, 2.0, rules="we")
    assert len(batch) > 5  # the shift is found, so the comparison is not empty
    assert _pairs_from_updates(steps) == _pairs_from_signals(batch)


def test_streaming_chunks_equal_one_at_a_time():
    x = np.column_stack([_series(s) for s in range(4)])
    m = build(np.zeros((5, 4)), rules="nelson", target=10.0, sigma=2.0)
    _, one = _stream(m, x)
    _, chunked = _stream(m, x, chunks=[7, 1, 50, 2, 100, 140])
    a = [(p, c, r) for s in one for p, c, r in zip(s.period, s.chart, s.rules)]
    b = [(p, c, r) for s in chunked for p, c, r in zip(s.period, s.chart, s.rules)]
    assert a == b
    # Nelson rules (trend, alternating, ...) per chart equal the batch chart
    assert np.isnan(m.arl0)  # trend rules: no exact chain
    for c in range(4):
        batch = run_rules(x[:, c], 10.0, 2.0, rules="nelson")
        mine = _pairs_from_updates(
            [MonitorUpdate(s.period[s.chart == str(c)], s.chart[s.chart == str(c)],
                           s.value, s.statistic, s.p_value, s.rules[s.chart == str(c)], None,
                           s.monitor) for s in one])
        assert mine == _pairs_from_signals(batch)


def test_streaming_ewma_equals_batch():
    x = _series(2, shift=0.6)
    m = build(np.zeros((5, 1)), chart="ewma", lam=0.1, L=2.7, target=10.0, sigma=2.0)
    _, steps = _stream(m, x.reshape(-1, 1))
    batch = ewma(x, lam=0.1, L=2.7, params={"chart": "ewma", "target": 10.0, "sigma": 2.0},
                 asymptotic=True)
    assert len(batch.signals) > 5
    assert _pairs_from_updates(steps) == _pairs_from_signals(batch.signals)
    # the statistic is the batch EWMA standardised by its asymptotic σ
    stat = np.concatenate([s.statistic for s in steps])
    assert np.allclose(stat, (batch.values - 10.0) / batch.sigma)


@pytest.mark.parametrize("reset", [False, True])
def test_streaming_cusum_equals_batch(reset):
    x = _series(3, shift=-0.8)
    m = build(np.zeros((5, 1)), chart="cusum", k=0.5, h=4.0, reset=reset, target=10.0,
                sigma=2.0)
    _, steps = _stream(m, x.reshape(-1, 1))
    batch = cusum(x, k=0.5, h=4.0, params={"chart": "cusum", "target": 10.0, "sigma": 2.0},
                  reset=reset)
    assert len(batch.signals) > 3
    assert _pairs_from_updates(steps) == _pairs_from_signals(batch.signals)


def test_monitor_is_immutable_and_thread_safe():
    rng = np.random.default_rng(4)
    m = build(rng.normal(size=(40, 30)), chart="cusum", fdr=0.1)
    before = m.state.copy()
    x = rng.normal(0.5, 1.0, size=(20, 30))
    first = m.update(x)
    assert np.array_equal(m.state, before) and m.periods == 0
    results = [None] * 4

    def work(i):
        results[i] = m.update(x)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert np.array_equal(r.statistic, first.statistic)
        assert np.array_equal(r.monitor.state, first.monitor.state)
    assert first.monitor.periods == 20


def test_fdr_across_500_charts():
    # 500 in-control charts, 25 with a planted +3σ shift; BH at q = 0.1 in every period;
    # 200 seeded runs of 10 periods (2000 families). BH gives E[FDP] = q m0/m = 0.095.
    q, n_charts, n_shift = 0.1, 500, 25
    blocks = []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        block = rng.normal(size=(10, n_charts))
        block[:, :n_shift] += 3.0
        blocks.append(block)
    x = np.vstack(blocks)
    m = build(np.zeros((3, n_charts)), rules="limits", target=0.0, sigma=1.0, fdr=q)
    s = m.update(x)
    rej = s.fdr_signal.reshape(x.shape)
    false = rej[:, n_shift:].sum(axis=1)
    fdp = false / np.maximum(rej.sum(axis=1), 1)
    se = fdp.std(ddof=1) / np.sqrt(fdp.size)
    power = rej[:, :n_shift].mean()
    print(f"mean FDP {fdp.mean():.4f} (se {se:.4f}), power {power:.3f}")
    assert fdp.mean() <= q
    assert abs(fdp.mean() - q * 475 / 500) < 4 * se  # not conservative by accident
    assert power > 0.45  # measured 0.51: BH at q = 0.1 finds half the 3σ shifts at once
    # the rule-1 chart alone would flag every chart beyond 3σ, with its own false alarms
    assert s.signalled.reshape(x.shape)[:, n_shift:].mean() == pytest.approx(0.0027,
                                                                            abs=0.0005)


def test_benjamini_hochberg_matches_definition():
    rng = np.random.default_rng(8)
    p = rng.uniform(size=(50, 40)) ** 3
    got = benjamini_hochberg(p, q=0.2)
    for row, dec in zip(p, got):
        srt = np.sort(row)
        ok = np.flatnonzero(srt <= 0.2 * np.arange(1, 41) / 40)
        cut = srt[ok[-1]] if ok.size else -1.0
        assert np.array_equal(dec, row <= cut)
    # scipy's adjusted p-values give the same decisions
    from scipy.stats import false_discovery_control

    assert np.array_equal(got, false_discovery_control(p, axis=-1) <= 0.2)


@pytest.mark.parametrize("chart", ["shewhart", "ewma", "cusum"])
def test_p_values_are_valid_in_control(chart):
    # P(p <= a) <= a for an in-control chart (the BH guarantee needs it); EWMA and CUSUM
    # after a burn-in are near their stationary law, so the rate is close to a too.
    rng = np.random.default_rng(12)
    m = build(np.zeros((3, 400)), chart=chart, target=0.0, sigma=1.0, rules="limits")
    s = m.update(rng.normal(size=(300, 400)))
    p = s.p_value.reshape(300, 400)[100:]
    for a in (0.01, 0.05, 0.2):
        rate = (p <= a).mean()
        se = np.sqrt(a * (1 - a) / p.size) * (1 if chart == "shewhart" else 6)
        assert rate <= a + 3 * se
        assert rate >= a * (0.85 if chart == "cusum" else 0.95)


def test_cusum_p_value_of_stationary_sum_by_simulation():
    # G(c) = P(M >= c), M the stationary reflected walk with steps x - 0.5: check by a long
    # simulation of one sum (ergodic average)
    from cxpath.spc.monitor import _cusum_p, _cusum_tail

    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 250))
    c = np.zeros(250)
    vals = []
    for t in range(4000):
        c = np.maximum(0, c + x[t] - 0.5)
        if t >= 200:
            vals.append(c.copy())
    vals = np.concatenate(vals)
    tail = _cusum_tail(0.5, "test")
    for level in (0.5, 1.0, 2.0, 4.0):
        assert _cusum_p(tail, np.array([level]))[0] == pytest.approx((vals >= level).mean(),
                                                                     abs=0.01)


def test_ar1_residual_chart():
    # a daily KPI with lag-1 autocorrelation 0.7: raw limits from MR-bar/d2 are far too
    # narrow (false alarms every few dozen days); the AR(1) residual chart is back near 1/370
    rng = np.random.default_rng(21)

    def ar1(n, k):
        e = rng.normal(size=(n, k))
        out = np.zeros((n, k))
        for t in range(1, n):
            out[t] = 0.7 * out[t - 1] + e[t]
        return 50.0 + out[100:]

    y = ar1(1100, 200)
    base, new = y[:700], y[700:]
    raw = build(base, rules="limits")
    res = build(base, rules="limits", residuals="ar1")
    assert res.phi.mean() == pytest.approx(0.7, abs=0.01)
    assert np.allclose(res.phi, 0.7, atol=0.15)
    raw_rate = raw.update(new).signalled.mean()
    res_rate = res.update(new).signalled.mean()
    assert raw_rate > 0.01
    assert res_rate == pytest.approx(0.0027, abs=0.0015)
    # streaming the residual chart equals the batch chart of the residuals
    one = res.update(new[:50])
    e = (new[:50] - res.target) - res.phi * (np.vstack([base[-1:], new[:49]]) - res.target)
    assert np.allclose(one.statistic.reshape(50, -1), e / res.sigma)


def test_target_arl_sets_limits_and_run_length():
    base = np.random.default_rng(0).normal(size=(30, 3))
    m = build(base, chart="cusum", k=0.5, target_arl=465.0)
    assert round(m.design["h"], 2) == 5.0  # Montgomery Table 9.3
    assert round(m.arl0) == 465
    assert m.run_length(1.0).arl.round(1).tolist() == [10.4]
    e = build(base, chart="ewma", lam=0.2, target_arl=500.0)
    assert round(e.design["L"], 3) == 2.962  # Lucas & Saccucci
    s = build(base, rules="limits", target_arl=500.0)
    assert round(s.design["nsigma"], 4) == 3.0902


def test_mapping_inputs_and_tables():
    base = {"nps_web": np.arange(10.0) % 3, "nps_app": np.arange(10.0) % 4}
    m = build(base)
    assert m.names.tolist() == ["nps_web", "nps_app"]
    s = m.update({"nps_app": [1.0, 30.0], "nps_web": [1.0, 1.0]})
    assert s.rules.tolist() == ["", "", "", "WE1"]
    assert s.chart.tolist() == ["nps_web", "nps_app"] * 2
    assert set(s.to_frame("dict")) == {"period", "chart", "value", "statistic", "p_value",
                                       "rules"}
    assert set(m.to_frame("dict")) == {"name", "target", "sigma", "phi", "statistic"}
    assert isinstance(s.monitor, Monitor)
    assert "Monitor shewhart (2 charts, 0 periods)" in repr(m)


def test_bad_inputs():
    base = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(InvalidParameterError, match=rf"'chart' {P} must be "
                                                    r"one of 'shewhart', 'ewma', 'cusum'"):
        build(base, chart="xbar")
    with pytest.raises(InvalidParameterError, match=rf"'residuals' {P}"):
        build(base, residuals="arima")
    with pytest.raises(DataError, match=rf"'baseline' {P} must be at "
                                        r"least 3 periods"):
        build(base[:2])
    with pytest.raises(DataError, match=r"free of NaN"):
        build(np.where(base > 1.5, np.nan, base))
    with pytest.raises(DataError, match=r"a constant chart '1'"):
        build(np.column_stack([base[:, 0], np.ones(20), base[:, 1]]))
    with pytest.raises(DataError, match=rf"'names' {P} must be one name "
                                        r"per column"):
        build(base, names=["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"unique chart names"):
        build(base, names=["a", "a", "b"])
    with pytest.raises(DataError, match=r"series of equal length"):
        build({"a": [1.0, 2.0, 4.0], "b": [1.0, 2.0, 3.0, 5.0]})
    with pytest.raises(InvalidParameterError, match=rf"'fdr' {P}"):
        build(base, fdr=1.0)
    with pytest.raises(InvalidParameterError, match=rf"'k' {P}"):
        build(base, chart="cusum", k=0.0)
    with pytest.raises(InvalidParameterError, match=rf"'rules' {P}"):
        build(base, rules="nelson", target_arl=300.0)
    with pytest.raises(DataError, match=rf"'sigma' {P} must be in"):
        build(base, sigma=[1.0, -1.0, 1.0])
    with pytest.raises(DataError, match=r"one value per chart \(3\)"):
        build(base, target=[1.0, 2.0])
    m = build(base)
    with pytest.raises(DataError, match=r"'new_points' parameter of spc.Monitor.update must be "
                                        r"one value per chart \(3 columns\)"):
        m.update([1.0, 2.0])
    with pytest.raises(DataError, match=r"free of NaN"):
        m.update([1.0, np.nan, 2.0])
    with pytest.raises(DataError, match=r"every chart name exactly once"):
        m.update({"0": [1.0], "1": [1.0]})
    with pytest.raises(InvalidParameterError, match=r"1-D\) or periods × charts"):
        m.update(np.zeros((2, 2, 3)))
    with pytest.raises(DataError, match=r"'shift' parameter of spc.arl_shewhart"):
        m.run_length(np.nan)
    with pytest.raises(DataError, match=r"'p_values' parameter of spc.benjamini_hochberg must "
                                        r"be in \[0, 1\]"):
        benjamini_hochberg([0.1, 1.2])
    with pytest.raises(InvalidParameterError, match=r"'q' parameter of "
                                                    r"spc.benjamini_hochberg"):
        benjamini_hochberg([0.1, 0.2], q=0.0)
    with pytest.raises(InvalidParameterError, match=r"1-D or 2-D array"):
        benjamini_hochberg(0.3)
