"""AbsorbingSolver (dense LU, sparse LU, GMRES) certified at the start state relative to
x(start): removal effects within 1e-10 whatever P."""

import sys
import warnings

import attrs
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import _chain
from cxpath.attribution._paths import prepare
from cxpath.attribution._removal import EFFECT_ACCURACY

from .test_removal_relative import _exact, _rare_chain

M = sys.modules["cxpath.attribution.markov"]  # the module (the package exports the function)
ROUTES = {"dense_lu": (10**9, 10**9), "sparse_lu": (0, 10**9), "krylov": (0, 0)}


def _route(mp, route):
    dense, krylov = ROUTES[route]
    mp.setattr(_chain, "DENSE_SOLVE", dense)
    mp.setattr(_chain, "KRYLOV_SOLVE", krylov)


def _check_effects(q, rhs, masks, whole, removed):
    """The largest ``|effect - exact| - EFFECT_ACCURACY - reference error`` over the
    removals; reference: numpy.linalg.solve with its own error bounded (``_exact``)."""
    m = len(rhs)
    exact, exact_error = _exact(q, rhs, np.ones(m, dtype=bool))
    excess = -np.inf
    for s in range(masks.shape[1]):
        exact_r, exact_r_error = _exact(q, rhs, masks[:, s])
        reference = (exact_error + exact_r_error) / exact
        effect = 1.0 - removed[s][0] / whole[0]
        excess = max(excess, float((np.abs(effect - (1.0 - exact_r / exact))
                                    - EFFECT_ACCURACY - reference).max()))
    return excess


@pytest.mark.parametrize("route", list(ROUTES))
@settings(max_examples=25, deadline=None)
@given(st.integers(5, 120), st.integers(0, 2**32 - 1), st.floats(0.04, 0.5),
       st.floats(-4.0, -1.0), st.floats(0.05, 0.5), st.integers(1, 5))
def test_every_route_certifies_effects_and_p_for_p_from_1e4_to_01(
        route, m, seed, leave, log_p, density, n_masks):
    # reference: numpy.linalg.solve of every system, its own error bounded (_exact)
    q, conv, value = _rare_chain(m, seed, leave, 10.0 ** log_p, density)
    rhs = np.column_stack([conv, value])
    rng = np.random.default_rng(seed)
    masks = rng.random((m, n_masks)) < rng.uniform(0.5, 1.0, n_masks)
    masks[0] = True  # the start state stays
    with pytest.MonkeyPatch.context() as mp:
        _route(mp, route)
        solver = _chain.AbsorbingSolver(sp.csr_matrix(q))
        whole = solver.solve(rhs)
        whole_error = solver.error
        removed, errors = [], []
        for s in range(n_masks):
            removed.append(solver.solve(rhs, keep=masks[:, s]))
            errors.append(solver.error)
    assert solver.certified
    exact, exact_error = _exact(q, rhs, np.ones(m, dtype=bool))
    # the stated bounds hold, and are the contract's: P to 1e-12 and RELATIVE * P
    assert (np.abs(whole[0] - exact) <= whole_error[0] + exact_error).all()
    assert (whole_error[0] <= _chain.RELATIVE * np.abs(whole[0])).all()
    assert whole_error[1, 0] <= _chain.ACCURACY
    for s in range(n_masks):
        exact_r, exact_r_error = _exact(q, rhs, masks[:, s])
        assert (np.abs(removed[s][0] - exact_r) <= errors[s][0] + exact_r_error).all()
        assert (errors[s][0] <= _chain.RELATIVE * np.abs(whole[0])).all()
    assert _check_effects(q, rhs, masks, whole, removed) <= 0.0


def test_the_old_gmres_rule_accepts_effects_off_by_more_than_1e10_at_p_1e3():
    # reference: numpy.linalg.solve (_exact). The chain of test_removal_relative's
    # absolute-rule test: 200 states, ~20 steps from the start, P = 1e-3. The old rule
    # accepted x when ||(I - Q)^-1||_inf * max(residual) <= 1e-12 max(1, max|x|); an x
    # whose residual is uniform just inside that passes it, and its P is off by about
    # t(start) / t_max * 1e-12, so every effect by about 1e-12 / P >> 1e-10
    m = 200
    q, conv, value = _rare_chain(m, 4, 0.05, 1e-3, 0.1)
    rhs = np.column_stack([conv, value])[:, :1]
    exact, _ = _exact(q, rhs, np.ones(m, dtype=bool))
    assert exact[0] == pytest.approx(1e-3, rel=1e-12)  # the chain is the one described
    a = np.eye(m) - q
    x = np.linalg.solve(a, rhs)
    t = np.linalg.solve(a, np.ones(m))
    x_old = x + 0.9 * _chain.ACCURACY / t.max() * t[:, None]  # residual 0.9e-12 / t_max
    a_sp = sp.csr_matrix(a)
    gamma = _chain._gamma(a_sp)
    residual = float(_chain._residual(a_sp, abs(a_sp), gamma, rhs, x_old).max())
    assert t.max() * residual <= _chain.ACCURACY  # the old bound: accepted
    masks = np.random.default_rng(4).random((m, 8)) < 0.9
    masks[0] = True
    removed = [_exact(q, rhs, masks[:, s])[0] for s in range(8)]
    old_effects = np.array([1.0 - r[0] / x_old[0, 0] for r in removed])
    effects = np.array([1.0 - r[0] / exact[0] for r in removed])
    assert np.abs(old_effects - effects).max() > 2 * EFFECT_ACCURACY  # the contract fails
    # the new bound rejects that x: its certified error at the start is above RELATIVE P
    bound = _chain._bound(a_sp, abs(a_sp), gamma,
                          lambda b, trans, atol: np.linalg.solve(a.T if trans else a, b))
    error = _chain._errors(a_sp, abs(a_sp), bound, rhs, x_old)
    assert error[0, 0] >= abs(x_old[0, 0] - exact[0]) > _chain.RELATIVE * exact[0]
    assert not _chain._met(error, x_old, None)
    # GMRES under the new rule certifies the chain and the removals, within 1e-10
    with pytest.MonkeyPatch.context() as mp:
        _route(mp, "krylov")
        solver = _chain.AbsorbingSolver(sp.csr_matrix(q))
        whole = solver.solve(rhs)
        got = [solver.solve(rhs, keep=masks[:, s]) for s in range(8)]
        assert solver.krylov and solver.certified  # GMRES answered every solve
    assert _check_effects(q, rhs, masks, whole, got) <= 0.0


def test_an_lu_answer_that_cannot_be_certified_says_so():
    # a two-state loop leaving with probability 1e-9: (I - Q)^-1 has norm ~2e9, so even a
    # refined LU answer cannot be proven to 1e-12 over all states; reference: by hand,
    # x = (1, 1) (every journey converts, eventually)
    eps = 1e-9
    q = sp.csr_matrix(np.array([[0.0, 1.0 - eps], [1.0, 0.0]]))
    solver = _chain.AbsorbingSolver(q)
    x = solver.solve(np.array([eps, 0.0]))
    np.testing.assert_allclose(x[:, 0], [1.0, 1.0], rtol=1e-6)
    assert not solver.certified and solver.error[1, 0] > _chain.ACCURACY


def test_a_removal_is_certified_relative_to_the_whole_chain():
    # by hand: start -> a (0.5), start -> b (0.5); a converts with 1e-6, b with 0.5; the
    # removal of b leaves P(-b) = 0.5e-6 against P = 0.25 + 0.5e-6: its target is
    # RELATIVE * P (the effect's), not RELATIVE * P(-b), so it is met and stated so
    q = sp.csr_matrix(np.array([[0.0, 0.5, 0.5], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    rhs = np.array([0.0, 1e-6, 0.5])
    solver = _chain.AbsorbingSolver(q)
    whole = solver.solve(rhs)
    assert whole[0, 0] == pytest.approx(0.25 + 0.5e-6, rel=1e-15)
    removed = solver.solve(rhs, keep=np.array([True, True, False]))
    assert removed[0, 0] == pytest.approx(0.5e-6, rel=1e-15)
    assert solver.certified and solver.error[0, 0] <= _chain.RELATIVE * whole[0, 0]


@pytest.mark.parametrize("route", list(ROUTES))
@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(-4.0, -1.0), st.integers(1, 2))
def test_markov_lu_route_effects_of_rare_conversions_equal_numpy(route, seed, log_rate, order):
    # reference: numpy.linalg.solve (_exact) on the chain's own transition probabilities,
    # the removal of c keeping the states whose labels do not hold c; P from ~1e-4 to 0.1
    rng = np.random.default_rng(seed)
    n_rows = 40
    paths = [" > ".join(rng.choice(list("abcd"), int(rng.integers(1, 5))))
             for _ in range(n_rows)]
    conv = (rng.random(n_rows) < 0.3).astype(float)
    conv[0] = 1.0
    nulls = np.ceil(rng.uniform(0.5, 1.5, n_rows) / 10.0 ** log_rate)
    j = Journeys.from_paths(paths, conv, nulls, conv * rng.uniform(1.0, 100.0, n_rows))
    prepared = prepare(j, "f")
    chain = _chain.build_chain(prepared, order, False, "f").without_self_loops()
    probs = chain.probabilities()
    with pytest.MonkeyPatch.context() as mp:
        _route(mp, route)
        whole, effects = M._effects(chain, probs, prepared.n_channels, order, route="lu")
    q, r_conv, _, r_value = probs
    rhs = np.column_stack([r_conv, r_value])
    labels = chain.labels(prepared.channels)
    exact, exact_error = _exact(q.toarray(), rhs, np.ones(chain.n_states, dtype=bool))
    assert (np.abs(whole - exact) <= 1e-12 * np.array([1.0, 100.0]) + exact_error).all()
    for c, name in enumerate(prepared.channels):
        keep = np.array([name not in label.split(" > ") for label in labels])
        exact_r, exact_r_error = _exact(q.toarray(), rhs, keep)
        reference = (exact_error + exact_r_error) / exact
        assert (np.abs(effects[:, c] - (1.0 - exact_r / exact))
                <= EFFECT_ACCURACY + reference).all()


def test_markov_warns_when_an_lu_answer_is_not_certified():
    # a target no residual can meet (ACCURACY = 0) stands for an ill-conditioned chain:
    # the answer is still the refined LU one (reference: the same call without the
    # patch), and markov says it is unproven instead of returning it silently
    j = Journeys.from_paths(["a > b", "b > c", "a", "c > a"], [1.0, 0.0, 1.0, 0.0])
    plain = M.markov(j, order=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_chain, "ACCURACY", 0.0)
        with pytest.warns(UserWarning, match="could not be certified"):
            got = M.markov(j, order=1)
    np.testing.assert_allclose(got.removal_effects, plain.removal_effects, rtol=1e-12)


def test_structured_route_lu_fallback_reports_its_certificate(monkeypatch):
    # sweeps held to an accuracy no residual can meet give way to the refined LU: the
    # answer is the LU route's (reference: route='lu'), its error is the LU's certified
    # bound instead of NaN, and an LU that cannot certify (ACCURACY = 0) makes markov warn
    from cxpath.attribution import _removal as rm

    j = Journeys.from_paths(["a > b", "b > c", "a", "c > a", "b > a > c"],
                            [1.0, 0.0, 1.0, 0.0, 1.0])
    paths = prepare(j, "f")
    chain = _chain.build_chain(paths, 2, False, "f").without_self_loops()
    probs = chain.probabilities()
    q, r_conv, _, r_value = probs
    p = rm.plan(q, r_conv, r_value)
    impossible = attrs.evolve(p, accuracy=np.full(2, 1e-300))
    x, error = rm.solve(impossible, with_error=True)
    np.testing.assert_allclose(x, rm.solve(p), rtol=1e-12)
    assert np.isfinite(error).all() and (error < rm.ACCURACY).all()
    real = rm.relative

    def tight(plan):
        plan, full, full_error = real(plan)
        return attrs.evolve(plan, accuracy=np.full(2, 1e-300)), full, full_error

    monkeypatch.setattr(rm, "relative", tight)
    lu = M._effects(chain, probs, paths.n_channels, 2, route="lu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = M._effects(chain, probs, paths.n_channels, 2, route="structured")
    np.testing.assert_allclose(got[1], lu[1], rtol=0, atol=1e-12)
    monkeypatch.setattr(_chain, "ACCURACY", 0.0)
    with pytest.warns(UserWarning, match="could not be certified"):
        M._effects(chain, probs, paths.n_channels, 2, route="structured")
