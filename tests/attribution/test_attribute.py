"""attribute(): all models in one table; the Attribution result."""

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.attribution import Attribution, attribute, heuristic, markov, shapley
from cxpath.errors import CxpathError


def test_models_side_by_side_equal_the_single_model_calls(journeys):
    a = attribute(journeys, models=("linear", "markov", "markov_2", "shapley"))
    assert a.models == ("linear", "markov_1", "markov_2", "shapley")
    assert a.headline == "markov_1"  # ranked by the first data-driven model
    assert (np.diff(a.conversions[1]) <= 0).all()

    def credit(res, row=None):
        conv = res.conversions if row is None else res.conversions[row]
        return dict(zip(res.channels, conv.tolist()))

    assert credit(a, 0) == pytest.approx(credit(heuristic(journeys, "linear"), 0))
    assert credit(a, 2) == pytest.approx(credit(markov(journeys, order=2)))
    assert credit(a, 3) == pytest.approx(credit(shapley(journeys)))
    assert a.credit("shapley") == pytest.approx(credit(shapley(journeys)))
    frame = a.to_frame()
    assert list(frame.columns[:5]) == ["channel", "linear", "markov_1", "markov_2", "shapley"]
    assert "shapley_value" in frame.columns
    np.testing.assert_allclose(frame[["linear", "markov_1", "shapley"]].sum(),
                               a.total_conversions)
    assert set(a.details) == {"markov_1", "markov_2", "shapley"}
    assert np.allclose(a.share().sum(axis=1), 1.0)


def test_defaults_follow_the_data():
    import cxpath.datasets as d

    j = d.load_sample().journeys
    a = attribute(j, exclude="resolved")
    assert a.models == ("first_touch", "last_touch", "linear", "position_based", "time_decay",
                        "markov_1", "shapley")
    b = attribute(Journeys.from_paths(["a > b"], conversions=[1]))
    assert "time_decay" not in b.models
    assert "Attribution" in repr(a) and "<table>" in a._repr_html_()


def test_options_reach_their_models(journeys):
    a = attribute(journeys, models=("markov", "shapley"), n_boot=5, seed=1,
                  method="permutation", n_permutations=50)
    assert a.details["markov_1"].n_boot == 5
    assert a.details["shapley"].method == "permutation"


def test_bad_input(journeys):
    with pytest.raises(CxpathError, match=r"'models' parameter of attribution.attribute"):
        attribute(journeys, models=("markov_9",))
    with pytest.raises(CxpathError, match=r"'speed' parameter of attribution.attribute"):
        attribute(journeys, speed=3)
    a = attribute(journeys, models="linear")
    with pytest.raises(CxpathError, match=r"'model' parameter of Attribution.credit"):
        a.credit("markov_1")
    with pytest.raises(CxpathError, match=r"'other' parameter of Attribution.join"):
        a.join(3)
    no_value = attribute(Journeys.from_paths(["a"], conversions=[1]), models="linear")
    with pytest.raises(CxpathError, match="'kind'"):
        no_value.credit("linear", "value")
    assert isinstance(no_value, Attribution)
