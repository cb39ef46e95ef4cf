"""Markov attribution: exact removal effects against independent solves and peers."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import markov
from cxpath.errors import CxpathError
from cxpath.journeys import JourneyStats

from ._reference import dense_markov, random_paths


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("collapse", [True, False])
def test_removal_effects_equal_a_dense_solve(rows, journeys, order, collapse):
    # reference: tests/attribution/_reference.py dense_markov (explicit tuple states, numpy inv)
    channels, base, effects = dense_markov(rows, order=order, collapse=collapse)
    m = markov(journeys, order=order, collapse_repeats=collapse)
    assert sorted(m.channels) == channels
    assert (np.diff(m.conversions) <= 0).all()  # ranked by credit, largest first
    at = [channels.index(c) for c in m.channels]
    assert m.conversion_probability == pytest.approx(base[0], abs=1e-12)
    assert m.expected_value == pytest.approx(base[1], rel=1e-12)
    np.testing.assert_allclose(m.removal_effects, effects[at, 0], atol=1e-10)
    np.testing.assert_allclose(m.removal_effects_value, effects[at, 1], atol=1e-10)


@pytest.mark.parametrize("krylov", [False, True])
def test_sparse_route_equals_dense_route(rows, journeys, monkeypatch, krylov):
    from cxpath.attribution import _chain

    dense = markov(journeys, order=3)
    monkeypatch.setattr(_chain, "DENSE_CELLS", 0)
    monkeypatch.setattr(_chain, "DENSE_SOLVE", 0)
    monkeypatch.setattr(_chain, "KRYLOV_SOLVE", 0 if krylov else 10**9)
    sparse = markov(journeys, order=3)
    np.testing.assert_allclose(sparse.removal_effects, dense.removal_effects, atol=1e-12)
    np.testing.assert_allclose(sparse.removal_effects_value, dense.removal_effects_value,
                               atol=1e-12)
    assert sparse.states == dense.states


def test_certified_krylov_solve_declines_when_it_cannot_prove_accuracy():
    import scipy.sparse as sp

    from cxpath.attribution._chain import _certified_krylov, solve_absorbing

    # a two-state loop leaving with probability 1e-9: (I - Q)^-1 has norm ~1e9, so no
    # residual GMRES reaches proves 1e-12; the sparse LU answers instead
    eps = 1e-9
    q = sp.csr_matrix(np.array([[0.0, 1.0 - eps], [1.0, 0.0]]))
    a = (sp.identity(2) - q).tocsc()
    rhs = np.array([[eps], [0.0]])
    assert _certified_krylov(a, rhs) is None
    np.testing.assert_allclose(solve_absorbing(q, rhs), [[1.0], [1.0]], rtol=1e-6)
    # a well-conditioned chain is certified and equals the direct solve
    q = sp.csr_matrix(np.array([[0.0, 0.5], [0.25, 0.0]]))
    rhs = np.array([[0.5], [0.75]])
    x = _certified_krylov((sp.identity(2) - q).tocsc(), rhs)
    np.testing.assert_allclose(x, np.linalg.solve(np.eye(2) - q.toarray(), rhs), atol=1e-14)


def test_a_chain_gmres_cannot_certify_goes_straight_to_lu(monkeypatch):
    import scipy.sparse as sp

    from cxpath.attribution import _chain

    monkeypatch.setattr(_chain, "DENSE_SOLVE", 0)
    monkeypatch.setattr(_chain, "KRYLOV_SOLVE", 0)
    calls = []
    real = _chain._certified_krylov
    monkeypatch.setattr(_chain, "_certified_krylov",
                        lambda a, rhs: calls.append(1) or real(a, rhs))
    eps = 1e-9
    q = sp.csr_matrix(np.array([[0.0, 1.0 - eps, 0.0], [1.0, 0.0, 0.0], [0.0, 0.5, 0.0]]))
    solver = _chain.AbsorbingSolver(q)
    rhs = np.array([eps, 0.0, 0.5])
    first = solver.solve(rhs)
    second = solver.solve(rhs, keep=np.array([True, True, False]))
    assert calls == [1] and not solver.krylov
    np.testing.assert_allclose(first[:, 0], [1.0, 1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(second[:2, 0], [1.0, 1.0], rtol=1e-6)


def _mam_frame(rows):
    pl = pytest.importorskip("polars")
    recs = []
    for i, (path, conv, null, value) in enumerate(rows):
        if conv:
            recs.append((f"{i}c", path, True, conv, value))
        if null:
            recs.append((f"{i}n", path, False, null, 0.0))
    return pl.DataFrame({"journey_id": [r[0] for r in recs], "channels": [r[1] for r in recs],
                         "has_conversion": [r[2] for r in recs],
                         "weight": [r[3] for r in recs],
                         "conversion_value": [r[4] for r in recs]})


def test_order_one_equals_marketing_attribution_models(rows, journeys):
    # marketing-attribution-models 2.1.1 (package mam): MarkovModel solves (I - Q)^-1 exactly
    mam_markov = pytest.importorskip("mam.models.markov")
    model = mam_markov.MarkovModel()
    model._compute_markov(_mam_frame(rows))
    peer = model.removal_effect_df["removal_effect"]
    m = markov(journeys)
    np.testing.assert_allclose(m.removal_effects, peer.loc[list(m.channels)].to_numpy(),
                               atol=1e-10)


def _aggregated(rows):
    frame = pd.DataFrame({"path": [" > ".join(p) for p, *_ in rows],
                          "conv": [r[1] for r in rows], "null": [r[2] for r in rows],
                          "value": [r[3] for r in rows]})
    return frame.groupby("path", as_index=False).sum()


def test_credit_within_two_percent_of_channelattribution_simulation(rows):
    # ChannelAttribution 2.2.5 markov_model, 2M simulated journeys; max_step raised so that
    # simulated journeys are not cut at the longest observed path (its default)
    ca = pytest.importorskip("ChannelAttribution")
    data = _aggregated(rows)
    peer = ca.markov_model(data, "path", "conv", var_value="value", var_null="null", order=1,
                           nsim_start=2e6, max_step=200, verbose=False, flg_pro=False)
    peer = peer.set_index("channel_name")
    m = markov(data, path="path", conversions="conv", nulls="null", value="value")
    np.testing.assert_allclose(m.conversions,
                               peer.loc[list(m.channels), "total_conversions"], rtol=0.02)
    np.testing.assert_allclose(m.value,
                               peer.loc[list(m.channels), "total_conversion_value"], rtol=0.02)


@pytest.mark.parametrize("order", [2, 3])
def test_higher_orders_within_one_percent_of_channelattribution(rows, order):
    # ChannelAttribution 2.2.5 keeps repeated touches in its order-k states (the default
    # here); 2M simulated journeys (seed 1), max_step raised as above. Measured gap 0.37%
    # (order 2) and 0.22% (order 3); with collapse_repeats=True it is 1.8% and 4.1%.
    ca = pytest.importorskip("ChannelAttribution")
    data = _aggregated(rows)
    peer = ca.markov_model(data, "path", "conv", var_null="null", order=order,
                           nsim_start=2e6, max_step=200, seed=1, verbose=False,
                           flg_pro=False).set_index("channel_name")
    m = markov(data, path="path", conversions="conv", nulls="null", order=order)
    np.testing.assert_allclose(m.conversions,
                               peer.loc[list(m.channels), "total_conversions"], rtol=0.01)


def test_repeats_stay_in_higher_order_states_unless_collapsed():
    # by hand, order 2 (start -> first pair of touches; a path shorter than 2 is its own
    # state). Kept repeats: start -> ab 7/20, bb 5/20, cb 5/20, bc 3/20; bb -> bc 4/9;
    # bc converts 5/7. Without a only start -> bb -> bc and start -> bc convert:
    # P(-a) = 5/20 * 4/9 * 5/7 + 3/20 * 5/7 = 47/252 and P = 9/20, so RE_a = 332/567.
    # Collapsed, bb disappears and only start -> bc converts: RE_a = 1 - (3/28) / (9/20)
    # = 16/21.
    data = pd.DataFrame({"path": ["a > b > b > c", "b > b > a", "c > b > a", "a > b > a",
                                  "b > c"],
                         "conv": [3, 2, 1, 1, 2], "null": [1, 3, 4, 2, 1]})
    kept = markov(data, path="path", conversions="conv", nulls="null", order=2)
    collapsed = markov(data, path="path", conversions="conv", nulls="null", order=2,
                       collapse_repeats=True)
    assert kept.conversion_probability == pytest.approx(9 / 20, abs=1e-12)
    assert kept.loc("a")["removal_effect"] == pytest.approx(332 / 567, abs=1e-12)
    assert collapsed["a"]["removal_effect"] == pytest.approx(16 / 21, abs=1e-12)
    assert "b > b" in kept.states and "b > b" not in collapsed.states
    # moves of a state back to itself are left out, as in ChannelAttribution's matrices
    t = kept.transitions()
    assert not ((t["from"] == t["to"]) & (t["from"] == "b > b")).any()


def test_hand_computed_chain():
    # by hand: start->a 1/2, start->b 1/2; a->b 1/2, a->null 1/2; b->conv 2/3.
    # P = 1/2 * 1/2 * 2/3 + 1/2 * 2/3 = 1/2; without a: 1/3 (RE 1/3); without b: 0 (RE 1)
    j = Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1])
    m = markov(j)
    assert m.conversion_probability == pytest.approx(0.5)
    assert m.channels == ("b", "a")  # ranked by credit
    np.testing.assert_allclose(m.removal_effects, [1.0, 1 / 3])
    np.testing.assert_allclose(m.conversions, [1.5, 0.5])
    matrix = m.transition_matrix()
    assert matrix[m.states.index("(start)"), m.states.index("a")] == pytest.approx(0.5)
    assert matrix[m.states.index("b"), m.states.index("(conversion)")] == pytest.approx(2 / 3)
    frame = m.transitions()
    assert set(frame.columns) == {"from", "to", "probability"}
    np.testing.assert_allclose(frame.groupby("from")["probability"].sum(), 1.0)


def test_channelattribution_example_of_the_docs():
    # ChannelAttribution 2.2.5 on these four rows reports transition a->b 0.8, a->c 0.2
    # (the move a->a left out) and removal effects ~0.357/0.451/0.571 by simulation; the exact
    # values (dense solve in _reference.dense_markov) are 0.35918/0.45143/0.57143
    data = pd.DataFrame({"path": ["a > a > b", "b", "a > b > a > c", "c > c"],
                         "conv": [2, 1, 1, 3], "val": [10.0, 5, 4, 9], "null": [1, 2, 0, 1]})
    m = markov(data, path="path", conversions="conv", nulls="null", value="val")
    assert m.channels == ("c", "b", "a")  # ranked by credit
    np.testing.assert_allclose(m.removal_effects, [0.571429, 0.451429, 0.359184], atol=1e-6)
    np.testing.assert_allclose(m.removal_effects_value, [0.464286, 0.554286, 0.398980],
                               atol=1e-6)
    t = m.transitions()
    a_to = dict(zip(t[t["from"] == "a"]["to"], t[t["from"] == "a"]["probability"]))
    assert a_to == pytest.approx({"b": 0.8, "c": 0.2})


def test_journeys_and_their_statistics_agree(journeys):
    a = markov(journeys, order=2)
    b = markov(JourneyStats.from_journeys(journeys), order=2)
    np.testing.assert_allclose(a.conversions, b.conversions, rtol=1e-12)
    np.testing.assert_allclose(a.value, b.value, rtol=1e-12)


def test_bootstrap_is_seeded_and_reports_progress(journeys):
    calls = []
    a = markov(journeys, n_boot=30, seed=5, progress=lambda d, t: calls.append((d, t)))
    b = markov(journeys, n_boot=30, seed=5)
    np.testing.assert_array_equal(a.conversions_ci, b.conversions_ci)
    # progress counts solves: (n_boot + 1) fits x (5 channels + the chain itself) = 31 x 6
    assert calls[-1] == (186, 186) and len(calls) == 186
    assert [d for d, _ in calls] == list(range(1, 187))
    assert np.all(a.conversions_ci[:, 0] <= a.conversions + 1e-9)
    assert np.all(a.conversions_ci[:, 1] >= a.conversions - 1e-9)
    assert "conversions_low" in a.to_frame("dict")


def test_exclude_drops_labels_and_reports_empty_journeys():
    j = Journeys.from_paths(["web > resolved", "resolved", "web"], conversions=[2, 1, 0],
                            nulls=[0, 0, 3])
    m = markov(j, exclude="resolved")
    assert m.channels == ("web",)
    assert m.total_conversions == 2 and m.unattributed_conversions == 1
    assert m.conversions.tolist() == [2.0]


paths_strategy = st.lists(
    st.tuples(st.lists(st.sampled_from("abcd"), min_size=1, max_size=5),
              st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(paths_strategy, st.integers(1, 3), st.randoms(use_true_random=False))
def test_credit_sums_to_conversions_and_ignores_row_order(rows, order, rnd):
    rows = [r for r in rows if r[1] + r[2] > 0] or [(["a"], 1, 0)]
    names = [" > ".join(p) for p, *_ in rows]
    conv = [r[1] for r in rows]
    null = [r[2] for r in rows]
    value = [2.5 * c for c in conv]
    m = markov(Journeys.from_paths(names, conv, null, value), order=order)
    if sum(conv):
        assert m.conversions.sum() == pytest.approx(sum(conv))
        assert m.value.sum() == pytest.approx(sum(value))
    else:
        assert not m.conversions.any()
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    shuffled = markov(Journeys.from_paths([names[i] for i in perm], [conv[i] for i in perm],
                                          [null[i] for i in perm],
                                          [value[i] for i in perm]), order=order)
    np.testing.assert_allclose(shuffled.conversions, m.conversions, atol=1e-9)



@settings(max_examples=40, deadline=None)
@given(paths_strategy, st.integers(1, 3))
def test_a_channel_that_cannot_lead_to_conversion_earns_nothing(rows, order):
    # 'z' ends some non-converting journeys only, so no chain path through it converts.
    # (A channel merely absent from converting journeys can still earn credit in a
    # first-order chain: 'a' in a/0, b/1, a>b/0 leads to b, which converts.)
    rows = [r for r in rows if r[1] + r[2] > 0] or [(["a"], 1, 0)]
    names = [" > ".join(p) for p, *_ in rows] + [" > ".join(rows[0][0]) + " > z", "z"]
    conv = [r[1] for r in rows] + [0, 0]
    null = [r[2] for r in rows] + [2, 1]
    m = markov(Journeys.from_paths(names, conv, null), order=order)
    assert m.conversions[m.channels.index("z")] == pytest.approx(0.0, abs=1e-9)
    assert m.removal_effects[m.channels.index("z")] == pytest.approx(0.0, abs=1e-12)


def test_first_order_chain_credits_a_channel_leading_to_conversion():
    # by hand: start->a 2/3, start->b 1/3; a->b 1/2; b->conv 1/2: P = 2/3*1/2*1/2 + 1/3*1/2
    # without a: 1/6, so a's removal effect is 1/2 though no converting journey touched a
    j = Journeys.from_paths(["a", "b", "a > b"], conversions=[0, 1, 0], nulls=[1, 0, 1])
    m = markov(j)
    assert m.conversion_probability == pytest.approx(1 / 3)
    assert m.removal_effects[m.channels.index("a")] == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"order": 5}, "'order' parameter of attribution.markov"),
    ({"n_boot": -1}, "'n_boot'"),
    ({"confidence": 1.0}, "'confidence'"),
    ({"progress": "yes"}, "'progress'"),
    ({"by": "channel"}, "'by'"),
    ({"exclude": "nowhere"}, "'exclude'"),
    ({"collapse_repeats": "no"}, "'collapse_repeats'"),
])
def test_bad_parameters(journeys, kwargs, fragment):
    with pytest.raises(CxpathError, match=fragment):
        markov(journeys, **kwargs)


def test_bad_data():
    with pytest.raises(CxpathError, match=r"'data' parameter of attribution.markov"):
        markov([1, 2, 3])
    with pytest.raises(CxpathError, match="outcomes"):
        markov(Journeys.from_paths(["a > b"]))
    with pytest.raises(CxpathError, match="'path'"):
        markov({"p": ["a"], "c": [1]}, conversions="c")


def test_random_reference_data_have_many_states():
    rows = random_paths(np.random.default_rng(1), n_rows=200, channels="abcdefgh")
    channels, _base, effects = dense_markov(rows, order=2)
    j = Journeys.from_paths([" > ".join(p) for p, *_ in rows], [r[1] for r in rows],
                            [r[2] for r in rows], [r[3] for r in rows])
    m = markov(j, order=2)
    assert len(m.states) > 40
    at = [channels.index(c) for c in m.channels]
    np.testing.assert_allclose(m.removal_effects, effects[at, 0], atol=1e-10)
