"""Choosing the Markov order from data (#27 point 2).

References: the held-out log-likelihood is recomputed here by counting transitions in plain
Python dictionaries (Lidstone smoothing written out); the weighted AUC is scikit-learn's
``roc_auc_score`` with sample weights; the one-standard-error rule is Hastie, Tibshirani &
Friedman, *The Elements of Statistical Learning* (2nd ed., 2009), §7.10.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import OrderChoice, markov, markov_order
from cxpath.attribution._paths import prepare
from cxpath.attribution.order import _fold_counts, _order_scores, _weighted_auc
from cxpath.errors import CxpathError, InvalidTypeError


def _chain_journeys(order_true: int, n: int, seed: int, channels=("a", "b", "c")):
    """Journeys whose next touch depends on the last ``order_true`` touches."""
    rng = np.random.default_rng(seed)
    k = len(channels)
    table = {}
    paths, conv = [], []
    for _ in range(n):
        hist: list[int] = []
        while True:
            ctx = tuple(hist[-order_true:])
            if ctx not in table:
                table[ctx] = rng.dirichlet(np.full(k + 2, 0.4))
            step = rng.choice(k + 2, p=table[ctx])
            if step >= k or len(hist) >= 12:
                conv.append(int(step == k))
                break
            hist.append(int(step))
        if not hist:
            hist = [0]
        paths.append(" > ".join(channels[c] for c in hist))
    conv = np.array(conv)
    return Journeys.from_paths(paths, conversions=conv, nulls=1 - conv)


def _direct_loglik(paths, order, conv, null, smoothing, fold):
    """Held-out log-likelihood per journey of fold ``fold``, by dictionary counting."""
    n = paths.n_channels
    seqs = [paths.codes[paths.offsets[i]:paths.offsets[i + 1]].tolist()
            for i in range(len(paths.offsets) - 1)]

    def states(seq):
        hist, out = [], []
        for c in seq:
            out.append((tuple(hist[-order:]), c))
            hist.append(c)
        return out, tuple(hist[-order:])

    moves, exits_c, exits_n, totals = Counter(), Counter(), Counter(), Counter()
    train_c = conv.sum(axis=0) - conv[fold]
    train_n = null.sum(axis=0) - null[fold]
    for i, seq in enumerate(seqs):
        steps, last = states(seq)
        w = train_c[i] + train_n[i]
        for s, c in steps:
            moves[(s, c)] += w
            totals[s] += w
        exits_c[last] += train_c[i]
        exits_n[last] += train_n[i]
        totals[last] += train_c[i] + train_n[i]
    ll = 0.0
    for i, seq in enumerate(seqs):
        steps, last = states(seq)
        w = conv[fold][i] + null[fold][i]
        for s, c in steps:
            ll += w * math.log((moves[(s, c)] + smoothing) / (totals[s] + smoothing * (n + 2)))
        denom = totals[last] + smoothing * (n + 2)
        ll += conv[fold][i] * math.log((exits_c[last] + smoothing) / denom)
        ll += null[fold][i] * math.log((exits_n[last] + smoothing) / denom)
    return ll / (conv[fold].sum() + null[fold].sum())


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 3), st.sampled_from([0.5, 0.1, 2.0]))
def test_held_out_log_likelihood_equals_dictionary_counting(seed, order, smoothing):
    j = _chain_journeys(2, 120, seed)
    paths = prepare(j, "test", use_value=False)
    rng = np.random.default_rng(seed)
    conv = rng.multinomial(paths.conversions.astype(np.int64), [1 / 3] * 3).T.astype(float)
    null = rng.multinomial(paths.nulls.astype(np.int64), [1 / 3] * 3).T.astype(float)
    _, ll, _ = _order_scores(paths, order, False, conv, null, smoothing)
    for fold in range(3):
        assert ll[fold] == pytest.approx(
            _direct_loglik(paths, order, conv, null, smoothing, fold), rel=1e-10)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_weighted_auc_equals_scikit_learn(seed):
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 40))
    score = rng.integers(0, 5, m) / 4.0  # ties
    pos, neg = rng.integers(0, 4, m).astype(float), rng.integers(0, 4, m).astype(float)
    if pos.sum() == 0 or neg.sum() == 0:
        assert math.isnan(_weighted_auc(score, pos, neg))
        return
    y = np.r_[np.ones(m), np.zeros(m)]
    want = roc_auc_score(y, np.r_[score, score], sample_weight=np.r_[pos, neg])
    assert _weighted_auc(score, pos, neg) == pytest.approx(want, rel=1e-12)


def test_a_second_order_process_is_recognised_as_second_order():
    j = _chain_journeys(2, 6000, seed=7)
    choice = markov_order(j, orders=(1, 2, 3), seed=3)
    assert choice.chosen == 2
    ll = dict(zip(choice.orders.tolist(), choice.log_likelihood.tolist()))
    assert ll[2] > ll[1] + 10 * choice.log_likelihood_se[0]


def test_one_se_rule_keeps_first_order_for_a_first_order_process():
    j = _chain_journeys(1, 4000, seed=11)
    choice = markov_order(j, orders=(1, 2, 3, 4), seed=5, rule="one_se")
    assert choice.chosen == 1
    best = int(np.argmax(choice.log_likelihood))
    # the rule as defined: lowest order within one SE of the best mean
    within = choice.log_likelihood >= (choice.log_likelihood[best]
                                       - choice.log_likelihood_se[best])
    assert choice.orders[np.flatnonzero(within).min()] == choice.chosen


def test_auc_criterion_and_the_states_of_each_order():
    j = _chain_journeys(2, 3000, seed=2)
    choice = markov_order(j, orders=(1, 2), criterion="auc", seed=1)
    assert np.all((choice.auc > 0.5) & (choice.auc <= 1.0))
    assert choice.chosen == int(choice.orders[np.argmax(choice.auc)])
    # order 1 over 3 channels: the start state and one state per channel
    assert choice.states[0] == 4


def test_markov_auto_uses_the_chosen_order_and_keeps_the_comparison():
    j = _chain_journeys(2, 3000, seed=4)
    auto = markov(j, order="auto", seed=9)
    assert isinstance(auto.order_choice, OrderChoice)
    assert auto.order == auto.order_choice.chosen == 2
    fixed = markov(j, order=2)
    np.testing.assert_allclose(auto.conversions, fixed.conversions, rtol=1e-12)
    assert "chosen by 5-fold held-out likelihood" in repr(auto)
    assert markov(j, order=2).order_choice is None


def test_fold_assignment_is_reproducible_with_a_seed():
    j = _chain_journeys(2, 500, seed=1)
    a, b = markov_order(j, seed=4), markov_order(j, seed=4)
    np.testing.assert_array_equal(a.log_likelihood, b.log_likelihood)



@given(st.lists(st.integers(0, 4), min_size=2, max_size=6), st.integers(0, 2**31),
       st.integers(2, 5))
@settings(max_examples=60, deadline=None)
def test_folds_are_balanced_and_keep_every_journey(counts, seed, folds):
    # k-fold cross-validation deals N journeys into folds of N // k or N // k + 1 (Hastie,
    # Tibshirani & Friedman 2009, §7.10.1); an empty fold has no held-out likelihood
    # (0 / 0: the RuntimeWarning the old multinomial dealing raised on 10 journeys)
    if sum(counts) < folds:
        counts = [*counts, folds]
    n = len(counts)
    paths = ["a > b"] * n
    j = Journeys.from_paths(paths, conversions=counts, nulls=counts[::-1])
    p = prepare(j, "test", use_value=False)
    conv, null = _fold_counts(p, folds, np.random.default_rng(seed), "test")
    sizes = conv.sum(axis=1) + null.sum(axis=1)
    total = p.conversions.sum() + p.nulls.sum()
    assert sizes.min() >= total // folds and sizes.max() <= total // folds + 1
    np.testing.assert_array_equal(conv.sum(axis=0), p.conversions)
    np.testing.assert_array_equal(null.sum(axis=0), p.nulls)
    assert (conv >= 0).all() and (null >= 0).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"orders": (1, 5)}, r"'orders' parameter of attribution.markov_order"),
    ({"orders": (2, 2)}, r"'orders' .* distinct"),
    ({"orders": ()}, r"'orders' .* non-empty"),
    ({"folds": 1}, r"'folds'"),
    ({"criterion": "aic"}, r"'criterion'"),
    ({"rule": "min"}, r"'rule'"),
    ({"smoothing": 0.0}, r"'smoothing'"),
])
def test_bad_options_are_clear_errors(kwargs, match):
    j = _chain_journeys(1, 50, seed=0)
    with pytest.raises(CxpathError, match=match):
        markov_order(j, **kwargs)


def test_bad_data_are_clear_errors():
    with pytest.raises(InvalidTypeError, match=r"'orders'"):
        markov_order(_chain_journeys(1, 20, 0), orders="12")
    import attrs

    from cxpath.attribution.order import choose_order

    paths = prepare(Journeys.from_paths(["a > b", "b"], conversions=[1, 0], nulls=[0, 2]),
                    "test", use_value=False)
    weighted = attrs.evolve(paths, conversions=np.array([1.5, 0.0]))  # merged weighted stats
    with pytest.raises(CxpathError, match=r"whole journey counts"):
        choose_order(weighted, (1, 2), 2, "likelihood", "best", 0.5, False,
                     np.random.default_rng(0))
    few = Journeys.from_paths(["a > b", "b"], conversions=[1, 0], nulls=[0, 1])
    with pytest.raises(CxpathError, match=r"'folds' .* at most the number of journeys"):
        markov_order(few, folds=5)
    only = Journeys.from_paths(["a > b", "b"] * 5, conversions=[1, 1] * 5)
    with pytest.raises(CxpathError, match=r"'criterion' .* 'likelihood' when no fold"):
        markov_order(only, criterion="auc")
    with pytest.raises(CxpathError, match=r"'order' parameter of attribution.markov must be "
                                          r"an integer from 1 to 4 or 'auto'"):
        markov(only, order="best")
