"""Structure of the ETS kernels that keeps the cold first ``auto_ets`` short (#19 point 2).

Not timed (timings live in ``benchmarks/bench_cold_start.py``): these tests guard the two
structural facts the cold start rests on. Every ETS kernel compiles for exactly one type
signature whatever the caller passes (list of ints, float32, a strided view, a pandas
Series; every model type), and the fitting drivers ``ets_fit`` / ``ets_fit_many_models``
are plain Python around the kernels, so that no compiled layer re-optimises and re-emits
the machine code of the whole Nelder-Mead closure a second and third time.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from ets_reference import init_states_reference

from cxpath._kernels import forecast as k

# an AirPassengers-like monthly series: trend and multiplicative season, positive
_T = np.arange(48)
_Y = (100.0 + 2.0 * _T) * (1.0 + 0.2 * np.sin(2.0 * np.pi * _T / 12.0)) + 3.0 * np.cos(_T)
_LOWER = np.array([1e-4, 1e-4, 1e-4, 0.8])
_UPPER = np.array([0.9999, 0.9999, 0.9999, 0.98])

_SCRIPT = r"""
import json, warnings
import numpy as np
import pandas as pd
import numba
from cxpath.errors import CxpathWarning
from cxpath.forecast import auto_ets, ets, holt, holt_winters, ses
from cxpath._kernels import forecast as k

t = np.arange(48)
y = (100.0 + 2.0 * t) * (1.0 + 0.2 * np.sin(2.0 * np.pi * t / 12.0)) + 3.0 * np.cos(t)
wide = np.repeat(y, 2)
inputs = [y, y.astype(np.float32), wide[::2], [int(v) for v in y],
          pd.Series(y, name="y")]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", CxpathWarning)
    for x in inputs:
        auto_ets(x, 6, m=12)
        auto_ets(x, 6, m=1, damped=True)
        auto_ets(x, 6, m=4, additive_only=True)
    ets(y, 6, 12, model="MAM", intervals="simulated", npaths=20)
    ets(y, 6, 12, model="AAdA", alpha=0.3)
    ses(y, 3)
    holt(y[::2], 3, damped=True)
    holt_winters(y.astype(np.float32), 3, 12, seasonal="multiplicative")
    # past the interpreted-route sizes (cxpath.forecast.ets.SMALL_CALC_WORK and
    # SMALL_POINT_STEPS): the final recursion and the point forecasts compiled
    ets(np.tile(y, 80), 100_001, 12, model="AAA", level=None)
out = {"signatures": {}, "plain": {}}
for name in dir(k):
    obj = getattr(k, name)
    if isinstance(obj, numba.core.registry.CPUDispatcher) and obj.signatures:
        out["signatures"][name] = [str(s) for s in obj.signatures]
for name in ("ets_fit", "ets_fit_many_models"):
    out["plain"][name] = not isinstance(getattr(k, name), numba.core.registry.CPUDispatcher)
print(json.dumps(out))
"""


@pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0",
                    reason="signatures exist only for compiled kernels")
def test_every_ets_kernel_compiles_for_one_signature_only():
    # a fresh process, so that no other test has called a kernel with other types; it
    # uses the normal on-disk cache (warm after the first run), so it is cheap
    env = {key: v for key, v in os.environ.items() if key != "NUMBA_DISABLE_JIT"}
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                          env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    several = {name: sigs for name, sigs in out["signatures"].items() if len(sigs) != 1}
    assert several == {}
    # the kernels called from Python were all exercised (the check above is not vacuous;
    # kernels called only from other kernels show no signature when loaded from the cache)
    # (initial states are computed in numpy: no initial-state kernel on the auto_ets path)
    assert {"scan", "ets_nelder_mead", "ets_objective", "ets_calc",
            "ets_point_forecast"} <= set(out["signatures"])
    assert out["plain"] == {"ets_fit": True, "ets_fit_many_models": True}


def test_ets_fit_normalises_argument_types_without_changing_the_fit():
    # ints for the float arguments, numpy ints for the codes, a strided float32-free view:
    # the same numbers as the canonical call, bit for bit
    canonical = k.ets_fit(_Y, 12, 2, 1, 2, False, np.full(4, np.nan), np.empty(0), 200,
                          1e-4, _LOWER, _UPPER, 0)
    strided = np.repeat(_Y, 2)[::2]
    other = k.ets_fit(strided, np.int64(12), np.int32(2), 1, np.int64(2), 0,
                      [np.nan] * 4, [], 200.0, 1e-4, list(_LOWER), tuple(_UPPER), 0)
    for a, b in zip(canonical, other):
        np.testing.assert_array_equal(a, b)
    # R forecast's parameter count: alpha, beta, gamma; level, slope, 11 free seasonal
    # states (the 12th is implied); + 1 for the error variance
    assert canonical[3] == 3 + 13 + 1
    assert bool(canonical[4]) is True


def test_fit_many_models_is_the_loop_of_single_fits():
    models = np.array([[1, 0, 0, 0], [1, 1, 0, 1], [2, 1, 2, 0], [1, 0, 1, 0]])
    par, sts, crit, nest = k.ets_fit_many_models(_Y, 12, models, np.full(4, np.nan), 200,
                                                 1e-4, _LOWER, _UPPER, 0)
    assert par.shape == (4, 4) and sts.shape == (4, 14) and nest.dtype == np.int64
    for i, (error, trend, season, damped) in enumerate(models):
        p, st, c, ne, ok = k.ets_fit(_Y, 12 if season else 1, error, trend, season,
                                     bool(damped), np.full(4, np.nan), np.empty(0), 200,
                                     1e-4, _LOWER, _UPPER, 0)
        np.testing.assert_array_equal(par[i], p)
        np.testing.assert_array_equal(sts[i, :st.shape[0]], st)
        assert np.isnan(sts[i, st.shape[0]:]).all()
        assert crit[i] == (c if ok else np.inf)
        assert nest[i] == ne
    # N/A/Ad/M pattern of missing parameters: NaN where the model has no such component
    assert np.isnan(par[0, 1:]).all() and np.isnan(par[1, 2])
    assert not np.isnan(par[2, :3]).any() and np.isnan(par[2, 3])


@pytest.mark.parametrize("m", [1, 2, 4, 7, 12])
def test_numpy_initial_states_equal_the_kernel_bit_for_bit(m):
    # reference: the loop version of the Hyndman et al. (2008) heuristic (ets_reference.py),
    # which the numpy version replaces on the auto_ets path; every trend and season code, long and
    # short (fewer than three cycles) seasonal series
    rng = np.random.default_rng(m)
    series = [rng.gamma(2.0, 5.0, n) + 20.0 for n in (8, 2 * m + 3, 3 * m + 1, 40, 79)]
    series.append(_Y)
    for y in series:
        for season in ((0, 1, 2) if m > 1 else (0,)):
            if season and y.shape[0] < m + 2:
                continue
            for trend in (0, 1, 2):
                want = init_states_reference(y, m, trend, season).tolist()
                assert k._initial_states(y, m, trend, season) == want, (m, trend, season)
