"""Why auto_ets and statsforecast's AutoETS differ on short trending series (issue #19).

statsforecast 2.1's ``initparam`` narrows the bound arrays it is given in place
(``upper[1] = min(upper[1], alpha0)``, ``upper[2] = min(upper[2], 1 - alpha0)`` with R's
start ``alpha0 = 1e-4 + 0.2 (0.9999 - 1e-4) / m``), and ``etsmodel`` then optimises inside
the narrowed box: its trend smoothing never exceeds ``alpha0`` (about 0.2 for yearly, 0.05 for
quarterly data). R's ``initparam`` works on a copy, so R and statsmodels estimate ``beta``
over the whole usual region ``beta < alpha``, as cxpath does with ``beta_region="usual"``.
That difference was where cxpath's M1/Tourism accuracy gap came from
(``benchmarks/bench_forecast_accuracy.py --worst N``); cxpath's default ``beta_region="slow"``
caps ``beta`` at the same ``alpha0`` (not ``gamma``: ``1 - alpha0`` is hardly a cap). These
tests run statsforecast as the peer and pin both.
"""

import numpy as np
import pytest

from cxpath._kernels import forecast as _k
from cxpath.forecast import ets


def short_trend(seed=6, n=23):
    """A short yearly series whose slope drifts (local linear trend, Tourism-yearly length)."""
    rng = np.random.default_rng(seed)
    slope = 60 + np.cumsum(rng.normal(0, 40, n))
    return 2000 + np.cumsum(slope) + rng.normal(0, 20, n)


def criterion(y, alpha, beta, init):
    """cxpath's ETS(M,A,N) criterion ``n log SSE + 2 sum log|yhat|`` at one parameter vector."""
    init = np.ascontiguousarray(init, dtype=np.float64)
    return _k.ets_calc(y, init, 1, 2, 1, 0, alpha, beta, 0.0, 1.0, np.empty(y.size),
                       np.empty((0, 2)))


def test_statsforecast_narrows_the_beta_bound_to_its_alpha_start():
    sfe = pytest.importorskip("statsforecast.ets")
    y = short_trend()
    upper = np.array([0.9999, 0.9999, 0.9999, 0.98])
    sfe.ets_f(y, 1, "MAN", damped=False, lower=np.array([1e-4, 1e-4, 1e-4, 0.8]),
              upper=upper)
    # R forecast initparam's start: alpha0 = lower + 0.2 (upper - lower) / m, here m = 1
    alpha0 = 1e-4 + 0.2 * (0.9999 - 1e-4)
    assert upper[1] == pytest.approx(alpha0, abs=1e-12)


def test_cxpath_estimates_beta_over_the_usual_region_and_reaches_a_higher_likelihood():
    sfe = pytest.importorskip("statsforecast.ets")
    bound = 1e-4 + 0.2 * (0.9999 - 1e-4)  # the peer's narrowed beta bound for m = 1
    at_bound = 0
    for seed in range(30):
        y = short_trend(seed)
        if y.min() <= 0:
            continue  # a multiplicative error needs positive data
        theirs = sfe.ets_f(y, 1, "MAN", damped=False)
        a_sf, b_sf = theirs["par"][:2]
        assert b_sf <= bound + 1e-9
        if b_sf < bound - 1e-3:
            continue  # an interior optimum: the two libraries agree there
        at_bound += 1
        ours = ets(y, 1, model="MAN", level=[], beta_region="usual")
        # ours is inside the usual region beta <= alpha, at or beyond the peer's bound
        assert b_sf - 1e-3 <= ours.params["beta"] <= ours.params["alpha"]
        # both evaluated with cxpath's likelihood: ours is at least as good an optimum
        at_sf = criterion(y, a_sf, b_sf, theirs["par"][4:])
        at_ours = criterion(y, ours.params["alpha"], ours.params["beta"],
                            ours.info["initial_state"])
        assert at_ours <= at_sf + 1e-6
        # and that criterion is what cxpath reports (concentrated Gaussian loglik)
        n = y.size
        assert -2.0 * ours.info["loglik"] - n * (np.log(2 * np.pi) + 1 - np.log(n)) == \
            pytest.approx(at_ours, abs=1e-6)
    assert at_bound >= 5  # the drifting slopes push the peer to its bound often


def test_the_default_slow_region_is_statsforecasts_and_fits_at_least_as_well_there():
    sfe = pytest.importorskip("statsforecast.ets")
    bound = 1e-4 + 0.2 * (0.9999 - 1e-4)
    fitted = 0
    for seed in range(30):
        y = short_trend(seed)
        if y.min() <= 0:
            continue
        theirs = sfe.ets_f(y, 1, "MAN", damped=False)
        ours = ets(y, 1, model="MAN", level=[])
        assert ours.params["beta"] <= bound + 1e-12
        # the same region: ours is at least as good an optimum there (cxpath's likelihood)
        at_sf = criterion(y, *theirs["par"][:2], theirs["par"][4:])
        at_ours = criterion(y, ours.params["alpha"], ours.params["beta"],
                            ours.info["initial_state"])
        assert at_ours <= at_sf + 1e-6
        fitted += 1
    assert fitted >= 20
