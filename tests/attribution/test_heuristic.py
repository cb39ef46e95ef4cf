"""Heuristic attribution against ChannelAttribution, MAM and hand computations."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.attribution import HEURISTIC_MODELS, heuristic
from cxpath.errors import CxpathError
from cxpath.journeys import JourneyStats

from ._reference import random_paths

CA_MODELS = {"first_touch": "first_touch", "last_touch": "last_touch",
             "linear": "linear_touch"}


def _touch_journeys(shared_data):
    events = pd.read_csv(shared_data / "attribution_touches.csv.gz")
    return events, Journeys.from_events(events, case="customer_id", touchpoint="channel",
                                        timestamp="time", outcome="conversion",
                                        value="conversion_value")


def _check_against_channelattribution(journeys, ca):
    """Aggregate to path rows exactly as ChannelAttribution expects, compare all three."""
    paths = np.array([x.path for x in journeys], dtype=object)
    frame = pd.DataFrame({"path": paths, "conv": journeys.outcome.astype(int),
                          "value": journeys.value * journeys.outcome})
    data = frame.groupby("path", as_index=False).sum()
    data = data[data["conv"] > 0]
    peer = ca.heuristic_models(data, "path", "conv", var_value="value", flg_pro=False)
    peer = peer.set_index("channel_name")
    ours = heuristic(journeys, models=tuple(CA_MODELS))
    for model, theirs in CA_MODELS.items():
        got = ours.credit(model)
        want = peer[f"{theirs}_conversions"].reindex(list(got), fill_value=0.0)
        np.testing.assert_allclose(list(got.values()), want, rtol=1e-12, atol=1e-9)
        got = ours.credit(model, "value")
        want = peer[f"{theirs}_value"].reindex(list(got), fill_value=0.0)
        np.testing.assert_allclose(list(got.values()), want, rtol=1e-12, atol=1e-9)


def test_equal_to_channelattribution_on_the_touch_log(shared_data):
    # ChannelAttribution 2.2.5 heuristic_models on ../shared/data/attribution_touches.csv.gz
    ca = pytest.importorskip("ChannelAttribution")
    _, journeys = _touch_journeys(shared_data)
    assert int(journeys.outcome.sum()) == 1642  # conversions listed in ../shared/data/README
    _check_against_channelattribution(journeys, ca)


def test_equal_to_channelattribution_on_generated_paths():
    # ChannelAttribution 2.2.5 heuristic_models on generated paths with repeated touches
    ca = pytest.importorskip("ChannelAttribution")
    rows = random_paths(np.random.default_rng(11), n_rows=300, channels="abcdefg")
    names = [" > ".join(p) for p, *_ in rows]
    conv = [r[1] for r in rows]
    j = Journeys.from_paths(names, conv, [r[2] for r in rows], [r[3] for r in rows])
    data = pd.DataFrame({"path": names, "conv": conv, "value": [r[3] for r in rows]})
    data = data.groupby("path", as_index=False).sum()
    data = data[data["conv"] > 0]
    peer = ca.heuristic_models(data, "path", "conv", var_value="value", flg_pro=False)
    peer = peer.set_index("channel_name")
    ours = heuristic(j)
    for model, theirs in CA_MODELS.items():
        got = ours.credit(model)
        np.testing.assert_allclose(list(got.values()),
                                   peer.loc[list(got), f"{theirs}_conversions"], rtol=1e-12)


def test_position_based_and_time_decay_by_hand():
    # one converting journey web(0 d) > app(7 d) > web(14 d), value 100
    day = 86400
    j = Journeys.from_events({"c": ["x"] * 3, "t": ["web", "app", "web"],
                              "at": np.array([0, 7 * day, 14 * day]), "ok": [0, 0, 1],
                              "v": [0.0, 0.0, 100.0]},
                             case="c", touchpoint="t", timestamp="at", outcome="ok", value="v")
    h = heuristic(j)
    # position-based 40/20/40: web 0.4 + 0.4, app 0.2
    assert h.credit("position_based") == pytest.approx({"app": 0.2, "web": 0.8})
    # half-life 7 days: weights 1/4, 1/2, 1 -> web (1/4 + 1) / (7/4), app (1/2) / (7/4)
    assert h.credit("time_decay") == pytest.approx({"app": 2 / 7, "web": 5 / 7})
    assert h.credit("time_decay", "value") == pytest.approx({"app": 200 / 7, "web": 500 / 7})
    # half-life 14 days: weights 2^-1, 2^-0.5, 1
    w = np.array([0.5, 2 ** -0.5, 1.0])
    h14 = heuristic(j, models="time_decay", half_life=14 * day)
    assert h14.credit("time_decay")["app"] == pytest.approx(w[1] / w.sum())
    # per unique channel: web and app 1/2 each; per touch: web 2/3
    assert h.credit("linear_unique") == pytest.approx({"app": 0.5, "web": 0.5})
    assert h.credit("linear")["web"] == pytest.approx(2 / 3)


def test_position_based_short_journeys_and_shares():
    j = Journeys.from_paths(["a", "a > b", "a > b > c > d"], conversions=[1, 1, 1])
    h = heuristic(j, models="position_based")
    # one touch: 1.0; two touches: 0.5/0.5; four: 0.4, 0.1, 0.1, 0.4
    assert h.credit("position_based") == pytest.approx({"a": 1.9, "b": 0.6, "c": 0.1,
                                                         "d": 0.4})
    h = heuristic(j, models="position_based", first=0.3, last=0.5)
    # two touches split 0.3 : 0.5
    assert h.credit("position_based")["a"] == pytest.approx(1 + 0.375 + 0.3)


def test_position_based_equals_mam():
    # marketing-attribution-models 2.1.1 PositionBasedModel (40/20/40) on generated paths
    mam = pytest.importorskip("mam")
    pl = pytest.importorskip("polars")
    rows = random_paths(np.random.default_rng(2), n_rows=80, repeats=False)
    frame = pl.DataFrame({"journey_id": [str(i) for i in range(len(rows))],
                          "channels": [r[0] for r in rows],
                          "has_conversion": [r[1] > 0 for r in rows],
                          "weight": [1] * len(rows),
                          "conversion_value": [r[3] for r in rows]})
    peer = mam.PositionBasedModel().get_aggregated_results(frame.filter(
        pl.col("has_conversion")))
    peer = dict(zip(peer["channels"].to_list(), peer["attribution"].to_list()))
    j = Journeys.from_paths([" > ".join(r[0]) for r in rows], [int(r[1] > 0) for r in rows],
                            [int(r[1] == 0) for r in rows], [r[3] for r in rows])
    ours = heuristic(j, models="position_based").credit("position_based", "value")
    assert ours == pytest.approx(peer, rel=1e-9)


def test_statistics_and_journeys_agree(journeys):
    a = heuristic(journeys)
    b = heuristic(JourneyStats.from_journeys(journeys))
    np.testing.assert_allclose(a.conversions, b.conversions, rtol=1e-12)
    assert "time_decay" not in a.models


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from("abcd"), min_size=1, max_size=6),
                          st.integers(0, 5), st.floats(0, 100)), min_size=1, max_size=10))
def test_every_model_credits_exactly_the_totals(rows):
    names = [" > ".join(p) for p, *_ in rows]
    conv = [r[1] for r in rows]
    value = [r[2] * (r[1] > 0) for r in rows]
    if not sum(conv):
        conv[0] = 1
    j = Journeys.from_paths(names, conv, [1] * len(rows), value)
    h = heuristic(j)
    np.testing.assert_allclose(h.conversions.sum(axis=1), sum(conv))
    np.testing.assert_allclose(h.value.sum(axis=1), sum(v for v, c in zip(value, conv) if c),
                               atol=1e-9)
    assert set(h.models) == set(HEURISTIC_MODELS) - {"time_decay"}


@pytest.mark.parametrize("kwargs, fragment", [
    ({"models": "nope"}, "'models' parameter of attribution.heuristic"),
    ({"models": "time_decay"}, "time_decay"),
    ({"half_life": 0}, "'half_life'"),
    ({"first": 0.7, "last": 0.7}, "'first'"),
    ({"last": -0.1}, "'last'"),
])
def test_bad_parameters(journeys, kwargs, fragment):
    with pytest.raises(CxpathError, match=fragment):
        heuristic(journeys, **kwargs)


def test_bad_data():
    with pytest.raises(CxpathError, match=r"'data' parameter of attribution.heuristic"):
        heuristic("a > b")
