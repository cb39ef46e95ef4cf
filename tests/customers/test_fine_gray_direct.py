"""Fine–Gray without the expanded data (cxpath.customers.competing._fg_sums): the closed-form
weighted risk sets give the same fit as the weighted Cox regression of Geskus' (2011)
counting-process data (the path ``_EXPAND = True`` keeps), to 1e-8, with and without ties,
several covariates, labels and a cause with few events."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import competing, fine_gray

FIELDS = ("coef", "se", "se_geskus", "covariance", "covariance_geskus", "baseline", "time",
          "mean")


def _data(n, seed, ties):
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 2, n).astype(float)
    x2 = rng.normal(size=n)
    x3 = rng.poisson(2, n).astype(float)
    t1 = rng.exponential(10 * np.exp(-0.6 * x1 + 0.3 * x2))
    t2 = rng.exponential(14 * np.exp(0.4 * x1 - 0.1 * x3))
    t3 = rng.exponential(40, n)
    c = rng.uniform(2, 25, n)
    t = np.minimum.reduce([t1, t2, t3, c])
    cause = np.select([c == t, t1 == t, t2 == t], [0, 1, 2], 3)
    return (np.ceil(t) if ties else t), cause, {"x1": x1, "x2": x2, "x3": x3}


def _both(monkeypatch, *args, **kw):
    monkeypatch.setattr(competing, "_EXPAND", True)
    expanded = fine_gray(*args, **kw)
    monkeypatch.setattr(competing, "_EXPAND", False)
    return expanded, fine_gray(*args, **kw)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("cause", [1, 2, 3])
def test_direct_risk_sets_equal_the_expanded_fit(monkeypatch, ties, cause):
    t, e, x = _data(500, 11, ties)
    a, b = _both(monkeypatch, t, e, x, cause=cause)
    for f in FIELDS:
        np.testing.assert_allclose(getattr(b, f), getattr(a, f), rtol=0, atol=1e-8,
                                   err_msg=f)
    assert abs(a.log_likelihood - b.log_likelihood) < 1e-8
    assert a.n_expanded == b.n_expanded
    # Newton steps are taken on covariates scaled by their SD: the expanded fit's SD is
    # weighted over the expanded rows, so the last step may fall either side of tol
    assert abs(a.iterations - b.iterations) <= 1
    np.testing.assert_allclose(b.predict({"x1": [0, 1], "x2": [0, 0], "x3": [1, 2]}).incidence,
                               a.predict({"x1": [0, 1], "x2": [0, 0], "x3": [1, 2]}).incidence,
                               atol=1e-8)


def test_no_censoring_and_labels(monkeypatch):
    t, e, x = _data(300, 12, True)
    e = np.where(e == 0, 3, e)  # every row has a cause: G = 1
    labels = np.array(["-", "churn", "move", "upgrade"], dtype=object)[e]
    a, b = _both(monkeypatch, t, labels, x, cause="move", censored=None)
    for f in FIELDS:
        np.testing.assert_allclose(getattr(b, f), getattr(a, f), atol=1e-8, err_msg=f)


def test_direct_fit_needs_no_expanded_rows(monkeypatch):
    """The expansion is O(competing rows × later event blocks); the direct path is O(n)."""
    t, e, x = _data(4000, 13, False)
    fit = fine_gray(t, e, x, cause=1)
    assert fit.n_expanded > 20 * t.size  # what the expansion would have built
    monkeypatch.setenv("CXPATH_MAX_MEMORY", "64MiB")  # far below the expanded data's need
    again = fine_gray(t, e, x, cause=1)
    np.testing.assert_allclose(again.coef, fit.coef, atol=1e-12)
