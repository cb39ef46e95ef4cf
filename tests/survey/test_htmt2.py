"""HTMT2 (Roemer, Schuberth & Henseler 2021) beside HTMT, with percentile bootstrap
intervals (survey.htmt2), checked against direct computations written here."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.survey import htmt, htmt2

CONS = {"A": ["a0", "a1", "a2"], "B": ["b0", "b1", "b2", "b3"], "C": ["c0", "c1"]}


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    f = rng.multivariate_normal([0, 0, 0], [[1, .5, .3], [.5, 1, .6], [.3, .6, 1]], n)
    out = {}
    for c, items in enumerate(CONS.values()):
        for j, it in enumerate(items):
            out[it] = (0.5 + 0.15 * j) * f[:, c] + rng.standard_normal(n)
    return out


def _direct(r, cons, labels):
    """Loops over item pairs: arithmetic (HTMT) and geometric (HTMT2) means."""
    pos = {it: i for i, it in enumerate(labels)}
    names = list(cons)
    h1 = np.eye(len(names))
    h2 = np.eye(len(names))

    def within(items, geo):
        vals = [abs(r[pos[a], pos[b]]) for i, a in enumerate(items) for b in items[i + 1:]]
        return np.exp(np.mean(np.log(vals))) if geo else np.mean(vals)

    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            b = names[j]
            het = [abs(r[pos[x], pos[y]]) for x in cons[a] for y in cons[b]]
            h1[i, j] = h1[j, i] = np.mean(het) / np.sqrt(within(cons[a], False)
                                                         * within(cons[b], False))
            h2[i, j] = h2[j, i] = np.exp(np.mean(np.log(het))) / np.sqrt(
                within(cons[a], True) * within(cons[b], True))
    return h1, h2


def test_htmt2_equals_direct_computation():
    data = _data()
    labels = [it for items in CONS.values() for it in items]
    r = np.corrcoef(np.column_stack([data[c] for c in labels]), rowvar=False)
    res = htmt2(data, CONS)
    d1, d2 = _direct(r, CONS, labels)
    np.testing.assert_allclose(res.htmt, d1, atol=1e-12)
    np.testing.assert_allclose(res.htmt2, d2, atol=1e-12)
    np.testing.assert_allclose(res.htmt, htmt(data, CONS).matrix, atol=1e-12)
    f = res.to_frame("dict")
    assert f["construct_a"].tolist() == ["A", "A", "B"]
    np.testing.assert_array_equal(f["exceeds"], np.array(f["htmt2"]) > 0.85)


def test_bootstrap_intervals_equal_direct_resampling():
    data = _data(n=150, seed=2)
    labels = [it for items in CONS.values() for it in items]
    x = np.column_stack([data[c] for c in labels])
    res = htmt2(data, CONS, n_boot=300, seed=7, confidence=0.9)
    rng = np.random.default_rng(7)
    n = len(x)
    b1, b2 = [], []
    for _ in range(300):
        rows = np.repeat(np.arange(n), np.bincount(rng.integers(0, n, n), minlength=n))
        d1, d2 = _direct(np.corrcoef(x[rows], rowvar=False), CONS, labels)
        b1.append(d1)
        b2.append(d2)
    q1 = np.moveaxis(np.quantile(b1, [0.05, 0.95], axis=0), 0, -1)
    q2 = np.moveaxis(np.quantile(b2, [0.05, 0.95], axis=0), 0, -1)
    np.testing.assert_allclose(res.ci_htmt, q1, atol=1e-10)
    np.testing.assert_allclose(res.ci_htmt2, q2, atol=1e-10)
    assert res.n_boot_ok == 300 and res.n_boot_obs == 150
    # the same draws as survey.htmt's bootstrap (same seed): identical HTMT intervals
    old = htmt(data, CONS, n_boot=300, seed=7, confidence=0.9)
    np.testing.assert_allclose(res.ci_htmt, old.ci, atol=1e-10)


def test_htmt2_is_consistent_for_congeneric_items():
    """Population correlations lambda_i lambda_j rho with unequal loadings: HTMT2 equals
    the construct correlation rho exactly (Roemer et al. 2021), HTMT does not."""
    lam = {"A": [0.9, 0.5, 0.3], "B": [0.8, 0.4, 0.6]}
    rho = 0.6
    load = np.array(lam["A"] + lam["B"])
    fac = np.array([0, 0, 0, 1, 1, 1])
    r = np.outer(load, load) * np.where(fac[:, None] == fac[None, :], 1.0, rho)
    np.fill_diagonal(r, 1.0)
    rng = np.random.default_rng(0)
    z = rng.standard_normal((500, 6))
    z = (z - z.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)
    x = z @ np.linalg.cholesky(r).T       # sample correlation equals r exactly
    names = ["a0", "a1", "a2", "b0", "b1", "b2"]
    res = htmt2({n: x[:, i] for i, n in enumerate(names)},
                {"A": names[:3], "B": names[3:]})
    assert res.htmt2[0, 1] == pytest.approx(rho, abs=1e-10)
    assert abs(res.htmt[0, 1] - rho) > 0.01


def test_errors_and_signed_correlations():
    from cxpath.errors import DataError, InvalidParameterError

    data = _data()
    data["a1"] = -data["a1"]
    res = htmt2(data, CONS)                      # absolute=True: unchanged
    np.testing.assert_allclose(res.htmt2, htmt2(_data(), CONS).htmt2, atol=1e-12)
    with pytest.raises(DataError, match=r"correlate positively on average"):
        htmt2(data, CONS, absolute=False)
    flipped = _data()
    for it in CONS["C"]:
        flipped[it] = -flipped[it]          # within C positive, C with A and B negative
    with pytest.raises(DataError, match=r"The 'data' parameter of survey.htmt2 must be "
                       r"items whose correlations are all positive"):
        htmt2(flipped, CONS, absolute=False)
    with pytest.raises(InvalidParameterError, match=r"at least 2 constructs"):
        htmt2(_data(), {"A": CONS["A"]})
    with pytest.raises(InvalidParameterError, match=r"The 'n_boot' parameter"):
        htmt2(_data(), CONS, n_boot=-1)
