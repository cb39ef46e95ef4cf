"""EWMA and tabular CUSUM: Montgomery's Examples 9.1 and 9.2, phase II, bad inputs."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.spc import cusum, ewma

from ._textbook import TABLE_9_1

# Montgomery (2009) Table 9.2: upper CUSUM C+ for periods 1..29 (μ0 = 10, σ = 1, k = 0.5,
# h = 5); C- stays small and never signals.
MONTGOMERY_C_PLUS = [0.0, 0.0, 0.0, 1.16, 2.82, 2.50, 0.04, 1.00, 0.0, 0.0, 0.0, 0.97, 0.98,
                     0.0, 0.0, 0.0, 0.12, 0.0, 0.0, 0.34, 0.74, 0.0, 1.79, 2.79, 2.89, 3.47,
                     3.35, 4.47, 5.28]


def test_cusum_montgomery_example_9_1():
    chart = cusum(TABLE_9_1, target=10.0, sigma=1.0, k=0.5, h=5.0)
    assert np.round(chart.values[:29], 2).tolist() == MONTGOMERY_C_PLUS
    # first signal at period 29 with N+ = 7: the shift began after period 22, and the new
    # mean is estimated as 10 + 0.5 + 5.28/7 = 11.25
    first = chart.signals.index[0]
    assert first + 1 == 29 and chart.signals.rule[0] == "CUSUM+"
    assert chart.extra["n_upper"][first] == 7
    assert chart.signals.start[0] + 1 == 23
    assert "after point 21" in chart.signals.explanation[0]  # 0-based 21 = period 22
    assert "estimated mean 11.25" in chart.signals.explanation[0]
    assert "CUSUM-" not in set(chart.signals.rule)
    assert np.all(chart.ucl == 5.0)


def test_cusum_reset_restarts_sums():
    chart = cusum(TABLE_9_1, target=10.0, sigma=1.0, reset=True)
    # after the signal at period 29 the upper sum restarts: C+_30 = 10.52 - 10.5 = 0.02
    assert chart.values[29] == pytest.approx(0.02)


def test_cusum_estimates_and_phase_two():
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(100, 4, 50), rng.normal(104, 4, 50)])
    chart = cusum(x, baseline=50)
    assert chart.params["target"] == pytest.approx(x[:50].mean())
    assert chart.params["sigma"] == pytest.approx(np.abs(np.diff(x[:50])).mean() / 1.128379,
                                                  rel=1e-5)
    assert (chart.signals.index >= 50).any()
    frozen = cusum(x[50:], params=chart.params)
    assert frozen.params["target"] == chart.params["target"]
    assert len(frozen.signals) and frozen.signals.rule[0] == "CUSUM+"


def test_ewma_montgomery_example_9_2():
    # Montgomery (2009) Example 9.2: λ = 0.1, L = 2.7, μ0 = 10, σ = 1:
    # z1 = 9.945, z2 = 9.7495; UCL1 = 10.27, LCL1 = 9.73, UCL2 = 10.36
    chart = ewma(TABLE_9_1, lam=0.1, L=2.7, target=10.0, sigma=1.0)
    assert np.round(chart.values[:2], 4).tolist() == [9.945, 9.7495]
    assert round(float(chart.ucl[0]), 2) == 10.27 and round(float(chart.lcl[0]), 2) == 9.73
    assert round(float(chart.ucl[1]), 2) == 10.36
    # steady-state limits 10 ± 2.7 √(0.1/1.9) = [9.38, 10.62]
    assert round(float(chart.ucl[-1]), 2) == 10.62
    # the statistic first exceeds the UCL at period 29 (z29 = 10.6468 > 10.6187)
    assert (chart.signals.index + 1).tolist() == [29, 30]
    assert round(float(chart.values[28]), 4) == 10.6468


def test_ewma_matches_recursion_and_asymptotic():
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1, 40)
    chart = ewma(x, lam=0.3, target=0.0, sigma=1.0, asymptotic=True)
    z, prev = [], 0.0
    for xi in x:
        prev = 0.3 * xi + 0.7 * prev
        z.append(prev)
    assert chart.values == pytest.approx(np.array(z))
    assert np.ptp(chart.ucl) == 0.0
    assert chart.ucl[0] == pytest.approx(3 * np.sqrt(0.3 / 1.7))


def test_ewma_phase_two_restarts_at_target():
    x = np.array([5.0, 5.2, 4.9, 5.1, 5.0, 4.8, 5.3, 5.1])
    phase1 = ewma(x)
    phase2 = ewma([6.0, 6.2], params=phase1.params)
    assert phase2.values[0] == pytest.approx(0.2 * 6.0 + 0.8 * phase1.params["target"])


def test_bad_inputs_timeweighted():
    with pytest.raises(InvalidParameterError, match=r"'lam' parameter of spc.ewma"):
        ewma([1.0, 2.0], lam=0.0)
    with pytest.raises(InvalidParameterError, match=r"'L' parameter of spc.ewma"):
        ewma([1.0, 2.0], L=-1)
    with pytest.raises(DataError, match=r"'x' parameter of spc.ewma must be free of NaN"):
        ewma([1.0, np.nan])
    with pytest.raises(InvalidParameterError, match=r"'sigma' parameter of spc.cusum"):
        cusum([1.0, 2.0], sigma=0.0)
    with pytest.raises(InvalidParameterError, match=r"'k' parameter of spc.cusum"):
        cusum([1.0, 2.0], k=-0.5)
    with pytest.raises(InvalidParameterError, match=r"'h' parameter of spc.cusum"):
        cusum([1.0, 2.0], h=0)
    with pytest.raises(DataError, match=r"sigma estimate is 0"):
        cusum([3.0, 3.0, 3.0])
    with pytest.raises(DataError, match=r"two consecutive points"):
        ewma([1.0, 2.0], baseline=1)
    with pytest.raises(InvalidParameterError, match=r"'params' parameter of spc.cusum"):
        cusum([1.0, 2.0], params=ewma([1.0, 2.0, 1.5]).params)
    with pytest.raises(DataError, match=r"finite"):
        cusum([1.0, np.inf])


def _run_lengths(shift, n_series=1500, length=4000, seed=123):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_series):
        chart = cusum(rng.standard_normal(length) + shift, target=0.0, sigma=1.0)
        out.append(chart.signals.index[0] + 1 if len(chart.signals) else length)
    return np.array(out)


def test_cusum_average_run_lengths():
    # Montgomery (2009) Table 9.3 (k = 0.5, h = 5): ARL0 = 465, ARL(1σ shift) = 10.4.
    # Loose check on seeded simulations (standard error of the ARL0 estimate ≈ 12).
    assert _run_lengths(0.0).mean() == pytest.approx(465, rel=0.12)
    assert _run_lengths(1.0, n_series=3000, length=200).mean() == pytest.approx(10.4, rel=0.05)
