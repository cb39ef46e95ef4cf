"""Shapley attribution: exact transform against brute force, axioms, sampling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import shapley
from cxpath.errors import CxpathError

from ._reference import brute_shapley, random_paths


def _journeys(rows):
    return Journeys.from_paths([" > ".join(p) for p, *_ in rows], [r[1] for r in rows],
                               [r[2] for r in rows], [r[3] for r in rows])


def test_exact_equals_brute_force_over_all_orders():
    # reference: average marginal contribution over all 6! orders (_reference.brute_shapley)
    rows = random_paths(np.random.default_rng(4), n_rows=40, channels="abcdef")
    s = shapley(_journeys(rows), method="exact")
    index = {c: i for i, c in enumerate(s.channels)}
    sets = [frozenset(index[c] for c in p) for p, *_ in rows]
    np.testing.assert_allclose(s.conversions, brute_shapley(sets, [r[1] for r in rows], 6),
                               atol=1e-10)
    np.testing.assert_allclose(s.value, brute_shapley(sets, [r[3] for r in rows], 6),
                               atol=1e-9)


def test_exact_equals_equal_split_and_ordered_rows_add_up(journeys):
    # Zhao et al. (2018): with v(S) = conversions of journeys inside S the Shapley value is
    # each journey's conversions split equally over its distinct channels
    exact = shapley(journeys, method="exact")
    simple = shapley(journeys, method="simplified")
    ordered = shapley(journeys, method="ordered")
    np.testing.assert_allclose(exact.conversions, simple.conversions, atol=1e-10)
    np.testing.assert_allclose(ordered.ordered_conversions.sum(axis=1), exact.conversions,
                               atol=1e-10)
    assert "position_1" in ordered.to_frame("dict")


def test_ordered_positions_by_hand():
    j = Journeys.from_paths(["b > a > b", "a"], conversions=[2, 1])
    s = shapley(j, method="ordered")
    # b first (1), a second (1) in journey 1; a first (1) in journey 2
    np.testing.assert_allclose(s.ordered_conversions, [[1.0, 1.0], [1.0, 0.0]])


def test_permutation_sampling_agrees_within_its_standard_errors(journeys):
    exact = shapley(journeys, method="exact")
    sampled = shapley(journeys, method="permutation", n_permutations=4000, seed=3)
    z = np.abs(sampled.conversions - exact.conversions) / sampled.conversions_se
    assert np.all(z < 4.5)
    assert sampled.conversions.sum() == pytest.approx(exact.conversions.sum())
    again = shapley(journeys, method="permutation", n_permutations=4000, seed=3)
    np.testing.assert_array_equal(again.conversions, sampled.conversions)


def test_sixteen_channels_exact():
    rows = random_paths(np.random.default_rng(9), n_rows=500, channels="abcdefghijklmnop",
                        max_len=8)
    s = shapley(_journeys(rows))
    assert s.method == "exact" and len(s.channels) == 16
    np.testing.assert_allclose(s.conversions,
                               shapley(_journeys(rows), method="simplified").conversions,
                               atol=1e-9)


rows_strategy = st.lists(st.tuples(st.lists(st.sampled_from("abcde"), min_size=1, max_size=5),
                                   st.integers(0, 5)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_axioms(rows):
    names = [" > ".join(p) for p, _ in rows] + ["a > b", "b > a", "e"]
    conv = [c for _, c in rows] + [3, 3, 0]
    s = shapley(Journeys.from_paths(names, conv, [1] * len(names)), method="exact")
    # efficiency
    assert s.conversions.sum() == pytest.approx(sum(conv))
    # null player: a channel on no converting journey
    converting = {c for n, k in zip(names, conv) if k for c in n.split(" > ")}
    for ch, credit in zip(s.channels, s.conversions):
        if ch not in converting:
            assert credit == pytest.approx(0.0, abs=1e-9)
    # symmetry: swapping two labels everywhere swaps their credit
    swap = {"a": "b", "b": "a"}
    swapped = [" > ".join(swap.get(c, c) for c in n.split(" > ")) for n in names]
    t = shapley(Journeys.from_paths(swapped, conv, [1] * len(names)), method="exact")
    assert dict(zip(t.channels, t.conversions))["a"] == pytest.approx(
        dict(zip(s.channels, s.conversions))["b"])


@pytest.mark.parametrize("kwargs, fragment", [
    ({"method": "magic"}, "'method' parameter of attribution.shapley"),
    ({"n_permutations": 1}, "'n_permutations'"),
])
def test_bad_parameters(journeys, kwargs, fragment):
    with pytest.raises(CxpathError, match=fragment):
        shapley(journeys, **kwargs)


def test_exact_refuses_too_many_channels():
    names = [f"c{i}" for i in range(26)]
    with pytest.raises(CxpathError, match="beyond 24 channels"):
        shapley(Journeys.from_paths(names, [1] * 26), method="exact")


def test_more_than_sixty_two_channels_use_the_general_set_route():
    rng = np.random.default_rng(5)
    labels = [f"c{i}" for i in range(70)]
    names = [" > ".join(rng.choice(labels, int(rng.integers(1, 4)))) for _ in range(150)]
    conv = rng.integers(0, 4, len(names)).tolist()
    j = Journeys.from_paths(names, conv, [1] * len(names))
    simple = shapley(j)
    assert simple.method == "simplified"
    sampled = shapley(j, method="permutation", n_permutations=300, seed=2)
    assert sampled.n_channel_sets == simple.n_channel_sets
    assert sampled.conversions.sum() == pytest.approx(sum(conv))
    z = np.abs(sampled.conversions - simple.conversions) / np.maximum(sampled.conversions_se,
                                                                      1e-12)
    assert np.all(z[sampled.conversions_se > 0] < 5)
