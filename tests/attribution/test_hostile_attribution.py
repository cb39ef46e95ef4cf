"""Attribution under hostile input (#18): missing values, count coding, error shape.

Expected values are derived by hand in the comments (first-order absorbing chains small
enough to solve on paper) or are the library's documented messages.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.attribution import absorbing_measures, attribute, heuristic, markov, shapley
from cxpath.errors import CxpathError, CxpathWarning, DataError, InvalidTypeError
from cxpath.journeys import JourneyStats

pd = pytest.importorskip("pandas")

MISSING = ("{func}: 1 of 2 conversions are on journeys without a value (all their value rows "
           "are missing); they are credited in the conversions but left out of the value "
           "credit and total_value, and counted in missing_value_conversions.")


@pytest.fixture
def half_valued():
    """Case 1 'a > b' converts with no value at all, case 2 'b > a' converts with 5, case 3
    'c' does not convert (its missing value does not matter)."""
    events = pd.DataFrame({"case": [1, 1, 2, 2, 3], "step": ["a", "b", "b", "a", "c"],
                           "t": [0, 1, 0, 1, 0], "won": [1, 1, 1, 1, 0],
                           "revenue": [np.nan, np.nan, 5.0, np.nan, np.nan]})
    j = Journeys.from_events(events, case="case", touchpoint="step", timestamp="t",
                             outcome="won", value="revenue", value_agg="mean")
    assert j.value.tolist()[1] == 5.0 and np.isnan(j.value[[0, 2]]).all()
    return j


def _one_warning(func, call):
    with pytest.warns(CxpathWarning) as caught:
        out = call()
    assert [str(w.message) for w in caught] == [MISSING.format(func=func)]
    return out


def test_markov_leaves_a_journey_without_value_out_of_the_value_credit(half_valued):
    # By hand (order 1, self-loops none): start -> a, b, c each 1/3; a -> b 1/2,
    # a -> conversion 1/2 carrying value 5 (case 2); b -> a 1/2, b -> conversion 1/2
    # carrying 0 (case 1 has no value). V_a = (5 + V_b)/2, V_b = V_a/2: V_a = 10/3,
    # V_b = 5/3, V_start = 5/3. Without a: V_start = 0 (effect 1); without b: V_a = 5/2,
    # V_start = 5/6 (effect 1/2). Credit 5 * (1, 1/2) / 1.5 = (10/3, 5/3).
    # Before the fix: value credit [0, 0] with total_value NaN.
    m = _one_warning("attribution.markov", lambda: markov(half_valued))
    assert m.channels == ("a", "b", "c")
    assert m.value.tolist() == pytest.approx([10 / 3, 5 / 3, 0.0], abs=1e-12)
    assert m.total_value == 5.0 and m.expected_value == pytest.approx(5 / 3, abs=1e-12)
    # conversions are untouched: P = 2/3, removing a or b leaves 1/6 (effect 3/4 each)
    assert m.conversions.tolist() == pytest.approx([1.0, 1.0, 0.0], abs=1e-12)
    assert m.removal_effects.tolist() == pytest.approx([0.75, 0.75, 0.0], abs=1e-12)
    assert m.missing_value_conversions == 1.0 and m.total_conversions == 2.0


def test_shapley_and_last_touch_follow_the_same_rule(half_valued):
    # Shapley: only case 2 ({a, b}, value 5) carries value: 2.5 each (before: [nan, nan]).
    s = _one_warning("attribution.shapley", lambda: shapley(half_valued))
    assert s.value.tolist() == pytest.approx([2.5, 2.5, 0.0], abs=1e-12)
    assert s.conversions.tolist() == pytest.approx([1.0, 1.0, 0.0], abs=1e-12)
    assert s.missing_value_conversions == 1.0
    # last touch: case 2 ends on a with 5, case 1 ends on b with no value (before: [5, nan])
    h = _one_warning("attribution.heuristic", lambda: heuristic(half_valued, "last_touch"))
    assert h.channels == ("a", "b", "c")
    assert h.value.tolist() == [[5.0, 0.0, 0.0]]
    assert h.conversions.tolist() == [[1.0, 1.0, 0.0]]
    assert h.total_value == 5.0 and h.missing_value_conversions == 1.0


def test_attribute_warns_once_and_reports_the_count(half_valued):
    a = _one_warning("attribution.attribute",
                     lambda: attribute(half_valued, models=("last_touch", "markov", "shapley")))
    np.testing.assert_allclose(a.value, [[5.0, 0.0, 0.0], [10 / 3, 5 / 3, 0.0],
                                         [2.5, 2.5, 0.0]], atol=1e-12)
    assert a.missing_value_conversions == 1.0
    assert "1 conversions without a value are left out of the value credit" in repr(a)


def test_statistics_and_tables_follow_the_same_rule(half_valued):
    # statistics keep a NaN sum for the path of case 1: its conversion counts as missing
    stats = JourneyStats.from_journeys(half_valued)
    m = _one_warning("attribution.markov", lambda: markov(stats))
    assert m.value.tolist() == pytest.approx([10 / 3, 5 / 3, 0.0], abs=1e-12)
    table = pd.DataFrame({"path": ["a > b", "b > a", "c"], "conv": [1, 1, 0],
                          "null": [0, 0, 1], "value": [np.nan, 5.0, np.nan]})
    t = _one_warning("attribution.markov", lambda: markov(
        table, path="path", conversions="conv", nulls="null", value="value"))
    assert t.value.tolist() == pytest.approx([10 / 3, 5 / 3, 0.0], abs=1e-12)


def test_no_value_on_any_conversion_is_refused():
    j = Journeys(codes=np.array([0, 1]), offsets=np.array([0, 1, 2]), vocab=("a", "b"),
                 case_ids=np.array([0, 1]), outcome=np.array([True, True]),
                 value=np.array([np.nan, np.nan]))
    for func, call in (("markov", markov), ("shapley", shapley), ("heuristic", heuristic),
                       ("attribute", attribute)):
        with pytest.raises(DataError) as info:
            call(j)
        assert str(info.value) == (
            f"The 'data' parameter of attribution.{func} must be journeys with a value on at "
            "least one converting journey (leave out value= to attribute conversions only). "
            "Got no value on any of the 2 conversions instead.")


@pytest.mark.parametrize("column, values, shown", [
    ("conv", [-1, 1], "the values -1, 1 (-1 at row 0)"),  # outcome coded -1/1
    ("conv", [0.3, 0.9], "the values 0.3, 0.9 (0.3 at row 0)"),  # scores
    ("null", [1, -2], "the values 1, -2 (-2 at row 1)"),
    ("conv", [2**63, 1], "the values 9223372036854775808, 1 (9223372036854775808 at row 0)"),
])
def test_count_columns_must_hold_counts(column, values, shown):
    table = pd.DataFrame({"path": ["a", "b"], "conv": [1, 1], "null": [0, 1]})
    table[column] = np.array(values, dtype=np.uint64 if values[0] == 2**63 else None)
    name = "conversions" if column == "conv" else "nulls"
    with pytest.raises(DataError) as info:
        markov(table, path="path", conversions="conv", nulls="null")
    assert str(info.value) == (f"The '{name}' parameter of attribution.markov must be counts "
                               f"of journeys: whole numbers >= 0 (or booleans). Got {shown} "
                               "instead.")


def test_boolean_flags_are_counts_of_one():
    flags = pd.DataFrame({"path": ["a > b", "b"], "conv": [True, False],
                          "null": [False, True]})
    counts = flags.assign(conv=[1, 0], null=[0, 1])
    a, b = (markov(t, path="path", conversions="conv", nulls="null") for t in (flags, counts))
    # by hand: P_b = 1/2 = P_a = P; without a P = 1/4 (effect 1/2), without b 0 (effect 1)
    assert a.channels == b.channels == ("b", "a")
    assert a.conversions.tolist() == b.conversions.tolist()
    assert a.conversions.tolist() == pytest.approx([2 / 3, 1 / 3], abs=1e-12)


@pytest.mark.parametrize("options, message", [
    (dict(half_life=-1), "The 'half_life' parameter of attribution.attribute must be a real "
                         "number in (0, inf). Got -1.0 instead."),
    (dict(first=2), "The 'first' parameter of attribution.attribute must be a real number in "
                    "[0, 1]. Got 2.0 instead."),
    (dict(n_boot=-1), "The 'n_boot' parameter of attribution.attribute must be an integer in "
                      "[0, inf]. Got -1 instead."),
    (dict(method="fast"), "The 'method' parameter of attribution.attribute must be one of "
                          "'auto', 'exact', 'simplified', 'ordered', 'permutation'. Got 'fast' "
                          "instead."),
    (dict(n_permutations=1), "The 'n_permutations' parameter of attribution.attribute must be "
                             "an integer in [2, inf]. Got 1 instead."),
    (dict(seed=1.5), "The 'seed' parameter of attribution.attribute must be None, an integer "
                     ">= 0 or a numpy Generator. Got 1.5 instead."),
    (dict(max_states=0), "The 'max_states' parameter of attribution.attribute must be an "
                         "integer in [1, inf]. Got 0 instead."),
    (dict(by="case"), "The 'by' parameter of attribution.attribute must be one of "
                      "'touchpoint', 'channel'. Got 'case' instead."),
    (dict(exclude="zzz"), "The 'exclude' parameter of attribution.attribute must be labels of "
                          "the touchpoints (one of a, b). Got 'zzz' instead."),
    (dict(models=["time_decay"]), "The 'models' parameter of attribution.attribute must be "
                                  "models without 'time_decay' for journeys without event "
                                  "times (JourneyStats and aggregated paths have none). Got "
                                  "'time_decay' instead."),
    (dict(models=[]), "The 'models' parameter of attribution.attribute must be at least one of "
                      "first_touch, last_touch, linear, linear_unique, position_based, "
                      "time_decay, markov_1, markov_2, markov_3, markov_4, shapley. Got () "
                      "instead."),
])
def test_attribute_errors_name_attribute(options, message):
    # before: 'The ... parameter of attribution.heuristic ...' (or .markov, .shapley)
    j = Journeys.from_paths(["a > b", "b"], conversions=[1, 1], nulls=[1, 0])
    with pytest.raises(CxpathError) as info:
        attribute(j, **options)
    assert str(info.value) == message


@pytest.fixture(scope="module")
def small():
    return Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1],
                               value=[2.0, 3.0, 0.0])


ALL = (heuristic, markov, shapley, attribute, absorbing_measures)


@pytest.mark.parametrize("func", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("data", [None, np.ones((2, 2)), "a > b", 3])
def test_data_of_the_wrong_type(func, data):
    with pytest.raises(InvalidTypeError, match=rf"'data' parameter of attribution\."
                                               rf"{func.__name__} must be"):
        func(data)


@pytest.mark.parametrize("func", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("options, error, fragment", [
    (dict(by=np.array(["touchpoint", "channel"])), InvalidTypeError, "'by' parameter"),
    (dict(by=None), InvalidTypeError, "'by' parameter"),
    (dict(exclude=1.5), InvalidTypeError, "'exclude' parameter"),
    (dict(exclude=np.ones((2, 2))), InvalidTypeError, "'exclude' parameter"),
    (dict(exclude=["a", "b"]), DataError, "at least one has a touch and a weight above 0 once "
                                          "'exclude' is applied. Got no journey with a touch"),
])
def test_bad_common_options(func, small, options, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        func(small, **options)


@pytest.mark.parametrize("func", ALL, ids=lambda f: f.__name__)
def test_zero_cases_and_zero_weights(func):
    empty = JourneyStats.empty(("a", "b"))
    with pytest.raises(DataError, match=r"Got no journey with a touch instead"):
        func(empty)
    weightless = Journeys(codes=np.array([0, 1]), offsets=np.array([0, 1, 2]),
                          vocab=("a", "b"), case_ids=np.array([0, 1]),
                          outcome=np.array([True, False]), weight=np.array([0, 0]))
    with pytest.raises(DataError, match=r"Got 2 journeys with touches, all of weight 0 "
                                        r"instead"):
        func(weightless)


@pytest.mark.parametrize("call, error, message", [
    (lambda j: markov(j, n_boot=2, seed="x"), InvalidTypeError,
     "The 'seed' parameter of attribution.markov must be None, an integer >= 0 or a numpy "
     "Generator. Got 'x' instead."),
    (lambda j: markov(j, n_boot=2, seed=-1), CxpathError,
     "The 'seed' parameter of attribution.markov must be an integer in [0, inf]. Got -1 "
     "instead."),
    (lambda j: shapley(j, method="permutation", seed=2.5), InvalidTypeError,
     "The 'seed' parameter of attribution.shapley must be None, an integer >= 0 or a numpy "
     "Generator. Got 2.5 instead."),
    (lambda j: shapley(j, method=["exact"]), InvalidTypeError,
     "The 'method' parameter of attribution.shapley must be one of 'auto', 'exact', "
     "'simplified', 'ordered', 'permutation'. Got ['exact'] instead."),
    (lambda j: markov(j, order=2**70), CxpathError,
     "The 'order' parameter of attribution.markov must be an integer in [1, 4]. Got "
     "1180591620717411303424 instead."),
    (lambda j: markov(j, progress="yes"), InvalidTypeError,
     "The 'progress' parameter of attribution.markov must be True, False, None or a callable "
     "(done, total). Got 'yes' instead."),
    (lambda j: heuristic(j, models=1.5), InvalidTypeError,
     "The 'models' parameter of attribution.heuristic must be a model name or a sequence of "
     "model names. Got 1.5 instead."),
    (lambda j: heuristic(j, half_life=float("nan")), CxpathError,
     "The 'half_life' parameter of attribution.heuristic must be a finite real number. Got "
     "nan instead."),
    (lambda j: markov(j, conversions="c"), CxpathError,
     "The 'conversions' parameter of attribution.markov must be None unless 'data' is a table "
     "of aggregated paths. Got 'c' instead."),
    (lambda j: attribute(j, models="linear").credit(np.ones((2, 2))), InvalidTypeError,
     "The 'model' parameter of Attribution.credit must be a string. Got array([[1., 1.],\n"
     "       [1., 1.]]) instead."),
    (lambda j: markov(j).transitions(np.ones(2)), InvalidTypeError,
     "The 'backend' parameter of MarkovAttribution.transitions must be one of 'pandas', "
     "'polars', 'dict'. Got array([1., 1.]) instead."),
])
def test_bad_options(small, call, error, message):
    with pytest.raises(error) as info:
        call(small)
    assert str(info.value) == message


@pytest.mark.parametrize("columns, error, message", [
    (dict(path="p", conversions="c", sep=3), InvalidTypeError,
     "The 'sep' parameter of attribution.markov must be a non-empty string. Got 3 instead."),
    (dict(path="p", conversions="v"), DataError,
     "The 'conversions' parameter of attribution.markov must be counts of journeys: whole "
     "numbers >= 0 (or booleans). Got the values nan, 1.0 (nan at row 0) instead."),
    (dict(path="c", conversions="c"), DataError,
     "The 'path' parameter of attribution.markov must be path strings. Got 1 at row 0 "
     "instead."),
    (dict(path="q", conversions="c"), DataError,
     "The 'path' parameter of attribution.markov must be touchpoints separated by '>' with no "
     "empty label. Got 'a >> b' at row 0 instead."),
    (dict(path="p", conversions="z"), DataError,
     "The 'data' parameter of attribution.markov must hold at least one usable row. Got only "
     "rows with zero counts instead."),
    (dict(path="p", conversions="c", value="w"), DataError,
     "The 'value' parameter of attribution.markov must be finite. Got inf at position 0 "
     "instead."),
])
def test_bad_tables(columns, error, message):
    # before: these named Journeys.from_paths (and its 'paths' parameter)
    table = pd.DataFrame({"p": ["a > b", "b"], "q": ["a >> b", "b"], "c": [1, 1],
                          "z": [0, 0], "v": [np.nan, 1.0], "w": [np.inf, 1.0]})
    with pytest.raises(error) as info:
        markov(table, **columns)
    assert str(info.value) == message


def test_integer_and_repeated_column_labels():
    table = pd.DataFrame([["a > b", 1], ["b", 0]])  # pd.DataFrame(ndarray): labels 0, 1
    assert markov(table, path=0, conversions=1).conversions.tolist() == [0.5, 0.5]
    twice = pd.DataFrame([["a > b", 1, 1]], columns=["p", "c", "c"])
    with pytest.raises(DataError, match=r"'conversions' parameter of attribution.markov must "
                                        r"be a column name that appears once"):
        markov(twice, path="p", conversions="c")


def test_absorbing_measures_reads_no_value(half_valued):
    # no warning (pytest turns CxpathWarning into an error) and no refusal: it reads no value
    all_missing = Journeys(codes=np.array([0, 1]), offsets=np.array([0, 1, 2]),
                           vocab=("a", "b"), case_ids=np.array([0, 1]),
                           outcome=np.array([True, False]), value=np.array([np.nan, np.nan]))
    # by hand: a always succeeds, b never: start 1/2; one step from each touchpoint
    a = absorbing_measures(all_missing)
    assert a.success_probability.tolist() == [1.0, 0.0]
    assert a.start_success_probability == 0.5
    assert absorbing_measures(half_valued).touchpoints == ("a", "b", "c")
