"""Markov attribution's cost guard, progress and interruptibility (#18 point 2)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.attribution import attribute, markov, shapley
from cxpath.attribution.markov import MAX_STATES, estimate_seconds
from cxpath.errors import CostError


@pytest.fixture
def tiny():
    # order 1 chain: (start), a, b -> 3 states; 2 channels -> 3 solves per fit
    return Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1])


def test_a_chain_over_the_cap_is_refused_before_any_solve(tiny):
    calls = []
    with pytest.raises(CostError) as info:
        markov(tiny, max_states=2, progress=lambda d, t: calls.append(d))
    assert str(info.value) == (
        "attribution.markov would solve an order-1 chain of 3 states over 2 channels 3 times "
        "(roughly 0 s on one core), more than the max_states=2 cap. Lower the order, merge or "
        "exclude rare channels, or raise the cap (max_states=3).")
    assert calls == []  # refused before the first solve
    assert markov(tiny, max_states=3).conversions.sum() == pytest.approx(2.0)
    with pytest.raises(CostError, match=r"^attribution\.attribute would solve an order-2 "):
        attribute(tiny, models=("linear", "markov_2"), max_states=2)


def test_many_channels_at_order_four_are_refused_by_default():
    # 60 channels, 80,000 journeys of 5 uniform touches: 229,450 distinct order-4 states
    # (start, 60 singles, 3,600 pairs, ~85,000 triples, ~140,000 windows of four); the
    # default cap refuses it after building the chain in linear time (about 2 s), before
    # the 61 solves
    rng = np.random.default_rng(0)
    n_paths = 80_000
    j = Journeys(codes=rng.integers(0, 60, 5 * n_paths), offsets=np.arange(n_paths + 1) * 5,
                 vocab=tuple(f"c{i:02d}" for i in range(60)), case_ids=np.arange(n_paths),
                 outcome=rng.random(n_paths) < 0.3)
    assert MAX_STATES == 200_000
    with pytest.raises(CostError, match=re.escape(
            "attribution.markov would solve an order-4 chain of 229,450 states over 60 "
            "channels 61 times (roughly ")) as info:
        markov(j, order=4)
    assert str(info.value).endswith("more than the max_states=200,000 cap. Lower the order, "
                                    "merge or exclude rare channels, or raise the cap "
                                    "(max_states=229450).")
    # bootstrap resamples multiply the solves
    with pytest.raises(CostError, match=r"channels 610 times"):
        markov(j, order=4, n_boot=9)


def zipf_journeys(n_paths, n_channels=60, seed=0):
    """The benchmark journeys of the cost model: Zipf channel popularity, geometric lengths
    (mean 4), half of them converting."""
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, n_channels + 1)
    p /= p.sum()
    names = [f"c{i}" for i in range(n_channels)]
    paths = [" > ".join(names[k] for k in rng.choice(n_channels, size, p=p))
             for size in rng.geometric(0.25, n_paths)]
    conv = rng.integers(0, 2, n_paths)
    return Journeys.from_paths(paths, conv, 1 - conv)


def test_estimate_brackets_the_measured_time():
    from cxpath.attribution._chain import build_chain
    from cxpath.attribution._paths import prepare

    paths = prepare(zipf_journeys(20_000), "f")
    chain = build_chain(paths, 4, False, "f").without_self_loops()
    assert chain.n_states == 38_038
    low, high = estimate_seconds(chain, 60)
    # measured: markov(order=4) on these journeys took 18.8 s (one OpenBLAS thread,
    # 2-core x86, scipy 1.17): GMRES was tried and failed, then 61 sparse LU solves
    assert low < 18.8 < high
    assert (low, high) == pytest.approx((13.3, 58.8), abs=0.05)
    eleven = estimate_seconds(chain, 60, n_fits=11)
    assert eleven == pytest.approx((11 * low, 11 * high))
    # a chain below the GMRES threshold has one route: both ends agree
    small = build_chain(prepare(zipf_journeys(300), "f"), 1, False, "f").without_self_loops()
    assert estimate_seconds(small, 60)[0] == estimate_seconds(small, 60)[1] < 0.1


def test_progress_counts_every_solve(tiny, capsys):
    calls = []
    markov(tiny, n_boot=2, seed=0, progress=lambda done, total: calls.append((done, total)))
    # (n_boot + 1) fits x (2 channels + the chain itself) = 9 solves
    assert calls == [(d, 9) for d in range(1, 10)]
    calls.clear()
    attribute(tiny, models=("markov", "markov_2"), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)] * 2


def test_an_interrupt_lands_between_solves(tiny):
    calls = []

    def interrupt(done, total):
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        markov(tiny, n_boot=50, seed=0, progress=interrupt)
    assert calls == [1, 2]  # no solve ran after the interrupt


def test_large_resample_counts_are_refused_up_front(tiny):
    with pytest.raises(CostError, match=r"^attribution\.markov would need about 48\.0 TiB "
                                        r"for 1,099,511,627,776 bootstrap resamples"):
        markov(tiny, n_boot=2**40)
    with pytest.raises(CostError, match=r"^attribution\.shapley would need about 48\.0 TiB "
                                        r"for 1,099,511,627,776 sampled orders of 2 channels"):
        shapley(tiny, method="permutation", n_permutations=2**40)


def test_permutations_in_chunks_equal_one_pass(tiny):
    # the chunked sampler (256 orders per kernel call) draws the same orders as one call
    # and merges the moments exactly (Chan, Golub, LeVeque 1979)
    from cxpath._kernels.attribution import permutation_credit
    from cxpath.attribution._paths import prepare
    from cxpath.attribution.shapley import _channel_sets

    j = Journeys.from_paths(["a > b > c", "b", "c > a", "d"], conversions=[3, 1, 2, 1],
                            nulls=[1, 1, 1, 1])
    got = shapley(j, method="permutation", n_permutations=700, seed=4)
    paths = prepare(j, "f")
    codes, offsets, group = _channel_sets(paths)
    weights = np.vstack([np.bincount(group, weights=paths.conversions,
                                     minlength=len(offsets) - 1),
                         np.bincount(group, weights=paths.value, minlength=len(offsets) - 1)])
    orders = np.random.default_rng(4).permuted(np.tile(np.arange(4, dtype=np.int64),
                                                       (700, 1)), axis=1)
    draws = permutation_credit(codes, offsets, weights, orders)
    at = [paths.channels.index(c) for c in got.channels]
    np.testing.assert_allclose(got.conversions, draws.mean(axis=0)[0][at], rtol=1e-12)
    np.testing.assert_allclose(got.conversions_se,
                               (draws.std(axis=0, ddof=1) / np.sqrt(700))[0][at], rtol=1e-10)
