"""The component solver of Markov removal effects (#27 point 1) against direct solves."""

import itertools
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import _removal as rm
from cxpath.attribution import markov
from cxpath.attribution._chain import build_chain
from cxpath.attribution._paths import prepare

from ._reference import dense_markov

M = sys.modules["cxpath.attribution.markov"]  # the module (the package exports the function)


def _chain(journeys, order, collapse=False):
    paths = prepare(journeys, "f")
    chain = build_chain(paths, order, collapse, "f").without_self_loops()
    return paths, chain, chain.probabilities()


def _both_routes(journeys, order, collapse=False):
    paths, chain, probs = _chain(journeys, order, collapse)
    n = paths.n_channels
    structured = M._effects(chain, probs, n, order)
    lu = M._effects(chain, probs, n, order, route="lu")
    return structured, lu


def _zipf(n_paths, n_channels, seed):
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, n_channels + 1)
    p /= p.sum()
    lengths = np.minimum(rng.geometric(0.3, n_paths), 10)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    return Journeys(codes=rng.choice(n_channels, offsets[-1], p=p), offsets=offsets,
                    vocab=tuple(f"c{i:02d}" for i in range(n_channels)),
                    case_ids=np.arange(n_paths), outcome=rng.random(n_paths) < 0.2,
                    value=rng.gamma(2.0, 50.0, n_paths))


@pytest.mark.parametrize(("n_channels", "order"), [(10, 1), (10, 2), (10, 3), (10, 4),
                                                   (20, 2), (20, 3), (40, 2)])
def test_component_solver_equals_the_lu_solve(n_channels, order):
    # reference: the direct route (dense LU up to 400 states, certified GMRES or SuperLU
    # above) of every system; the contract is 1e-10 on the removal effects
    journeys = _zipf(20_000, n_channels, 3)
    (base, effects), (base_lu, effects_lu) = _both_routes(journeys, order)
    # the certified accuracy: ACCURACY on P, ACCURACY times the largest value per
    # conversion on the expected value (plus the LU's own rounding)
    _, r_conv, _, r_value = _chain(journeys, order)[2]
    vmax = max(1.0, (r_value / np.where(r_conv > 0, r_conv, 1.0)).max())
    assert abs(base[0] - base_lu[0]) <= rm.ACCURACY * 1.01
    assert abs(base[1] - base_lu[1]) <= rm.ACCURACY * vmax * 1.01
    np.testing.assert_allclose(effects, effects_lu, rtol=0, atol=1e-10)
    assert (effects[0] > 0).all()  # every channel matters: the comparison is not vacuous


def test_the_benchmark_chain_at_order_three_has_one_large_component():
    # the structure the solver relies on: one strongly connected component and singletons
    from scipy.sparse.csgraph import connected_components

    _, chain, probs = _chain(_zipf(20_000, 20, 3), 3)
    n_comp, label = connected_components(chain.moves, directed=True, connection="strong")
    sizes = np.sort(np.bincount(label))[::-1]
    assert sizes[1] == 1 and sizes[0] > 1000
    p = rm.plan(*(probs[k] for k in (0, 1, 3)))
    assert len(p.blocks) - 1 == n_comp
    # every transition leads into the same or an earlier component (sinks first)
    block = np.repeat(np.arange(len(p.blocks) - 1), np.diff(p.blocks))
    rows = np.repeat(np.arange(p.n_states), np.diff(p.indptr))
    assert (block[p.indices] <= block[rows]).all()
    assert (block[p.indices] < block[rows]).any()
    # the certified bound on the expected steps from the start, over the states that can
    # still convert (the others are 0 exactly), holds; exact: sparse LU
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    live = np.zeros(p.n_states, dtype=bool)
    live[p.seq] = p.live
    assert (~live).sum() == 703  # of 5,388 states: 13% cannot convert and are pruned
    q = probs[0][live][:, live]
    t = spla.spsolve((sp.identity(q.shape[0], format="csc") - q).tocsc(), np.ones(q.shape[0]))
    assert t[0] <= p.bound < t[0] * (1 + 1e-6)


def test_scipy_component_order_equals_the_tarjan_kernel():
    # the plan orders components with scipy's labels; the Tarjan kernel is the reference
    from cxpath._kernels.attribution import chain_blocks

    *_, probs = _chain(_zipf(5_000, 8, 5), 3)
    q = probs[0]
    indptr, indices = q.indptr.astype(np.int64), q.indices.astype(np.int64)
    seq, blocks = rm._components(q, indptr, indices)
    seq_t, blocks_t = chain_blocks(indptr, indices)
    assert len(blocks) == len(blocks_t)
    members = {frozenset(seq[a:b].tolist()) for a, b in itertools.pairwise(blocks)}
    assert members == {frozenset(seq_t[a:b].tolist())
                       for a, b in itertools.pairwise(blocks_t)}
    for order in (seq, seq_t):  # both sinks first: edges never point to a later component
        block = np.empty(len(order), dtype=np.int64)
        block[order] = np.repeat(np.arange(len(blocks) - 1), np.diff(blocks))
        rows = np.repeat(np.arange(len(order)), np.diff(indptr))
        assert (block[indices] <= block[rows]).all()


def _substochastic(draw, largest=40):
    """A random absorbing chain: sparse non-negative rows summing below 1, no diagonal."""
    m = draw(st.integers(2, largest))
    density = draw(st.floats(0.05, 0.6)) * min(1.0, 20.0 / m)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    mask = rng.random((m, m)) < density
    np.fill_diagonal(mask, False)
    w = np.where(mask, rng.random((m, m)), 0.0)
    leave = rng.uniform(0.02, 1.0, m) * (rng.random(m) < 0.7)
    leave[rng.integers(0, m)] = max(leave.max(), 0.1)  # somewhere to leave
    total = w.sum(axis=1) + leave
    total[total == 0] = 1.0
    q = w / total[:, None]
    exit_share = leave / total
    conv = exit_share * rng.random(m) * (rng.random(m) < 0.8)
    value = conv * rng.uniform(1, 200, m)
    return q, conv, value, rng.random(m) < 0.3


@st.composite
def chains(draw, largest=40):
    return _substochastic(draw, largest)


def _exact(q, rhs, kept):
    """numpy.linalg.solve of (I - Q) x = r on the kept states (0 elsewhere)."""
    a = np.eye(kept.sum()) - q[np.ix_(kept, kept)]
    exact = np.zeros(rhs.shape)
    exact[kept] = np.linalg.solve(a, rhs[kept])
    return exact


@settings(max_examples=60, deadline=None)
@given(chains())
def test_component_solver_equals_a_dense_solve_on_random_chains(chain):
    # reference: numpy.linalg.solve of (I - Q) x = r on the kept states
    import scipy.sparse as sp

    q, conv, value, drop = chain
    m = len(conv)
    # a chain that cannot be certified goes to the LU: either way the answer is exact;
    # the order of the states inside the components (``within``) must not matter
    within = np.random.default_rng(int(conv.sum() * 1e6)).permutation(m)
    for p, kept in itertools.product(
            (rm.plan(sp.csr_matrix(q), conv, value),
             rm.plan(sp.csr_matrix(q), conv, value, within)),
            (np.ones(m, dtype=bool), np.r_[True, ~drop[1:]])):
        if p is None:
            continue
        exact = _exact(q, np.column_stack([conv, value]), kept)
        base = rm.solve(p)
        got, error = rm.solve(p, kept, base if not kept.all() else None, with_error=True)
        start = got[p.start]
        vmax = max(1.0, (value / np.where(conv > 0, conv, 1)).max())
        assert abs(start[0] - exact[0, 0]) <= rm.ACCURACY
        assert abs(start[1] - exact[0, 1]) <= rm.ACCURACY * vmax
        # the stated bound holds (NaN: solved by the LU instead)
        assert (np.isnan(error) | (np.abs(start - exact[0]) <= error)).all()


@settings(max_examples=40, deadline=None)
@given(chains(largest=300), st.integers(1, 9))
def test_the_weighted_bound_holds_for_every_removal(chain, n_masks):
    # reference: numpy.linalg.solve of every system. Several masks are solved together
    # and reuse the whole chain's solution, as markov does; each system's error at the
    # start state must be within the bound the solve states, and that within ACCURACY
    import scipy.sparse as sp

    q, conv, value, _ = chain
    m = len(conv)
    p = rm.plan(sp.csr_matrix(q), conv, value)
    if p is None:
        return
    rng = np.random.default_rng(m * 7919 + n_masks)
    masks = rng.random((m, n_masks)) < rng.uniform(0.5, 1.0, n_masks)
    masks[0] = True  # the start state stays
    base = rm.solve(p)
    got, error = rm.solve(p, masks, base, with_error=True)
    rhs = np.column_stack([conv, value])
    for s in range(n_masks):
        exact = _exact(q, rhs, masks[:, s])[0]
        if np.isnan(error[s]).any():
            continue
        assert (np.abs(got[p.start, s] - exact) <= error[s]).all()
        assert (error[s] <= p.accuracy).all()


@settings(max_examples=40, deadline=None)
@given(chains(largest=200), st.integers(0, 2**32 - 1))
def test_the_visit_weights_bound_the_expected_visits(chain, seed):
    # reference: the start row of the dense (I - Q)^-1 over the live states. The bound the
    # solves rest on: e_s' N res <= sum(weight * res) + u * max(res) for any res >= 0
    import scipy.sparse as sp

    q, conv, value, _ = chain
    p = rm.plan(sp.csr_matrix(q), conv, value)
    if p is None or not p.weighted:
        return
    order = np.argsort(p.seq)  # original state -> new number
    live = p.live[order]
    n = np.zeros((len(conv), len(conv)))
    n[np.ix_(live, live)] = np.linalg.inv(np.eye(live.sum()) - q[np.ix_(live, live)])
    visits = n[0]
    weight = p.weight[order]
    rng = np.random.default_rng(seed)
    for res in (np.ones(len(conv)), rng.random(len(conv)), rng.random(len(conv)) ** 8):
        assert visits @ res <= weight @ res + p.u * res.max() + 1e-12 * visits.sum()
    assert visits.sum() <= p.bound * (1 + 1e-9)


def test_sweep_order_reverses_the_digits_of_the_state_keys():
    # reference: the touches of each key written out in plain Python, newest first
    n, order = 3, 3
    keys = np.arange((n + 1) ** order)
    got = rm.sweep_order(keys, n, order)
    for key, value in zip(keys.tolist(), got.tolist()):
        digits = [(key // (n + 1) ** d) % (n + 1) for d in range(order)]  # newest first
        assert value == sum(dig * (n + 1) ** (order - 1 - i) for i, dig in enumerate(digits))
    # so a state sorts by its latest touch, then the one before
    assert np.array_equal(np.argsort(got[[1 * 16 + 2 * 4 + 3, 3 * 16 + 2 * 4 + 1]]), [1, 0])


def test_plan_sorts_the_states_inside_components_by_within(monkeypatch):
    # the components (as sets, in the same sinks-first order) do not change; inside each,
    # the states follow ``within``; the removal effects equal the LU route to 1e-10
    _, chain, probs = _chain(_zipf(20_000, 10, 3), 4)
    q, r_conv, _, r_value = probs
    key = rm.sweep_order(chain.keys, 10, 4)
    plain, ordered = rm.plan(q, r_conv, r_value), rm.plan(q, r_conv, r_value, key)
    assert np.array_equal(plain.blocks, ordered.blocks)
    assert not np.array_equal(plain.seq, ordered.seq)
    for a, b in itertools.pairwise(plain.blocks):
        assert set(plain.seq[a:b]) == set(ordered.seq[a:b])
        assert (np.diff(key[ordered.seq[a:b]]) > 0).all()
    seen = []
    real = rm.plan
    monkeypatch.setattr(rm, "plan", lambda *args: seen.append(args[3]) or real(*args))
    base, effects = M._effects(chain, probs, 10, 4, route="structured")
    base_lu, effects_lu = M._effects(chain, probs, 10, 4, route="lu")
    assert base == pytest.approx(base_lu, rel=1e-12)
    np.testing.assert_allclose(effects, effects_lu, rtol=0, atol=1e-10)
    assert (effects[0] > 0).all()
    assert len(seen) == 1 and np.array_equal(seen[0], key)  # markov sweeps in this order


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from("abcd"), min_size=1, max_size=7),
                          st.integers(0, 4), st.integers(0, 4)),
                min_size=1, max_size=25),
       st.integers(1, 4), st.booleans())
def test_removal_effects_equal_the_dense_reference_on_generated_paths(rows, order, collapse):
    # reference: tests/attribution/_reference.py dense_markov (tuple states, numpy inv)
    rows = [(p, c, n + (c + n == 0), c * 10.0) for p, c, n in rows]
    if sum(c for _, c, _, _ in rows) == 0:
        rows[0] = (rows[0][0], 1, rows[0][2], 10.0)
    j = Journeys.from_paths([" > ".join(p) for p, *_ in rows], [r[1] for r in rows],
                            [r[2] for r in rows], [r[3] for r in rows])
    channels, base, effects = dense_markov(rows, order=order, collapse=collapse)
    got = markov(j, order=order, collapse_repeats=collapse)
    at = [channels.index(c) for c in got.channels]
    assert got.conversion_probability == pytest.approx(base[0], abs=1e-12)
    np.testing.assert_allclose(got.removal_effects, effects[at, 0], atol=1e-10)
    np.testing.assert_allclose(got.removal_effects_value, effects[at, 1], atol=1e-10)
    # the component solver itself (markov takes the dense LU for chains this small)
    paths, chain, probs = _chain(j, order, collapse)
    whole, eff = M._effects(chain, probs, paths.n_channels, order, route="structured")
    at = [channels.index(c) for c in paths.channels]
    assert whole[0] == pytest.approx(base[0], abs=1e-12)
    np.testing.assert_allclose(eff[0], effects[at, 0], atol=1e-10)
    np.testing.assert_allclose(eff[1], effects[at, 1], atol=1e-10)


def test_a_chain_the_sweeps_cannot_certify_is_solved_by_lu():
    import scipy.sparse as sp

    # a two-state loop leaving with probability 1e-9: expected steps ~1e9, so no residual
    # proves 1e-12; the plan declines and markov's LU route answers (P = 1 exactly)
    eps = 1e-9
    q = sp.csr_matrix(np.array([[0.0, 1.0 - eps], [1.0, 0.0]]))
    assert rm.plan(q, np.array([eps, 0.0]), np.zeros(2)) is None


def test_threads_give_the_same_answer_and_report_in_channel_order(monkeypatch):
    j = _zipf(5_000, 12, 1)
    alone = markov(j, order=3)
    monkeypatch.setattr(rm, "THREAD_STATES", 0)
    monkeypatch.setattr(rm, "threads", lambda: 2)
    calls = []
    threaded = markov(j, order=3, progress=lambda done, total: calls.append((done, total)))
    np.testing.assert_array_equal(threaded.removal_effects, alone.removal_effects)
    assert calls == [(d, 13) for d in range(1, 14)]  # the chain, then 12 channels

    def interrupt(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        markov(j, order=3, progress=interrupt)


@pytest.mark.parametrize("collapse", [False, True])
def test_numpy_counts_equal_the_kernel(collapse):
    # small inputs are counted in numpy (no compile); the kernel is the reference
    from cxpath._kernels.attribution import markov_dense_counts
    from cxpath.attribution._chain import _dense_counts

    paths = prepare(_zipf(300, 5, 4), "f")
    for order in (1, 2, 3, 4):
        args = (paths.codes, paths.offsets, paths.conversions, paths.nulls, paths.value, 5,
                order, collapse)
        np.testing.assert_allclose(_dense_counts(*args), markov_dense_counts(*args),
                                   rtol=1e-13, atol=0)


def test_the_structured_solve_makes_no_blas_call(monkeypatch):
    # the solves are numba loops: scipy.linalg and the sparse LU are never reached
    import scipy.linalg
    import scipy.sparse.linalg as spla

    def forbidden(*args, **kwargs):
        raise AssertionError("a BLAS/LAPACK solve was called")

    j = _zipf(3_000, 10, 2)
    first = markov(j, order=3)  # compile first
    assert not rm.dense_first(len(first.states) - 2, 11)  # the structured route, not dense LU
    monkeypatch.setattr(scipy.linalg, "solve", forbidden)
    monkeypatch.setattr(np.linalg, "solve", forbidden)
    monkeypatch.setattr(spla, "splu", forbidden)
    monkeypatch.setattr(spla, "gmres", forbidden)
    assert markov(j, order=3).conversions.sum() > 0


def test_small_chains_take_the_dense_lu_and_agree_with_the_component_solver():
    # below DENSE_WORK the dense LU (LAPACK, the reference) runs instead of compiling
    # the sweep kernel; both routes must give the same removal effects to 1e-10
    module = sys.modules["cxpath.attribution.markov"]
    j = _zipf(2_000, 8, 5)
    chain_states = len(markov(j, order=2).states) - 2
    assert rm.dense_first(chain_states, 9) and not rm.dense_first(401, 2)
    assert rm.dense_first(343, 21)  # 20 channels at order 2 on 5,000 journeys
    real = module._effects
    got = {}
    for route in ("lu", "structured"):
        module._effects = lambda *a, r=route, **kw: real(*a, **{**kw, "route": r})
        try:
            got[route] = markov(j, order=2).removal_effects
        finally:
            module._effects = real
    np.testing.assert_allclose(got["structured"], got["lu"], rtol=0, atol=1e-10)
    np.testing.assert_array_equal(markov(j, order=2).removal_effects, got["lu"])


def test_progress_true_says_the_size_and_time_before_the_solves(capsys):
    j = Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1])
    markov(j, progress=True)
    err = capsys.readouterr().err
    # 3 states (start, a, b); 2 channels + the chain = 3 solves; tiny: one core; the line
    # comes before the first solve is reported
    line = "attribution.markov: order-1 chain of 3 states, 3 solves, roughly 0 s on one core"
    assert line in err.replace("\r", "\n").splitlines()
    assert "1/3" not in err.split(line)[0]


def test_the_time_model_scales_with_transitions_and_solves():
    # rm.estimate_seconds: SWEEPS * SWEEP_NNZ seconds per transition and solve, plus
    # PER_STATE per state, spread over the workers
    one = rm.estimate_seconds(10_000, 50_000, 1, workers=1)
    assert one == pytest.approx(rm.SWEEPS * rm.SWEEP_NNZ * 50_000 + rm.PER_STATE * 10_000)
    assert rm.estimate_seconds(10_000, 50_000, 40, workers=2) == pytest.approx(20 * one)


def test_a_cold_kernel_sends_mid_size_chains_to_the_lu(cold_kernel, monkeypatch):
    # reference: the component solver (route='structured') on the same chain. A chain above
    # the dense LU's size whose direct solves are estimated below COMPILE_SECONDS takes the
    # LU while removal_solve is neither compiled nor cached, and the answers agree to 1e-10
    from cxpath._kernels import attribution as kernels

    _, chain, probs = _chain(_zipf(20_000, 10, 3), 3)
    assert chain.n_states > 400
    low, _ = M.estimate_seconds(chain, 10)
    assert rm.lu_first(low, chain.n_states)
    calls = []
    real = kernels.removal_solve
    monkeypatch.setattr(kernels, "removal_solve", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(rm, "warm", lambda: False)
    cold = M._effects(chain, probs, 10, 3)
    assert calls == []  # nothing compiled (or called)
    structured = M._effects(chain, probs, 10, 3, route="structured")
    assert calls
    np.testing.assert_allclose(cold[1], structured[1], rtol=0, atol=1e-10)
    monkeypatch.setattr(rm, "warm", lambda: True)  # compiled: the component solver
    calls.clear()
    M._effects(chain, probs, 10, 3)
    assert calls
    # many fits (bootstrap) make the LUs cost more than one compile
    assert not rm.lu_first(M.estimate_seconds(chain, 10, n_fits=1000)[0], chain.n_states)


def test_warm_sees_the_compiled_kernel(cold_kernel):
    # reference: numba's own record of compiled signatures (or the kernel's Python self
    # under NUMBA_DISABLE_JIT=1, which counts as compiled)
    from cxpath._kernels import attribution as kernels
    from cxpath._kernels._jit import compiled

    if compiled(kernels.removal_solve):
        assert rm.warm()
    else:
        assert rm.warm() == rm.os.path.exists(
            kernels.removal_solve._cache._cache_file._index_path)
