"""cxpath.distributed under hostile input (#18): numeric labels, ties across partitions,
outcome coding, error shape. The reference is always the single-machine path on the same
rows (``Journeys.from_events`` then ``JourneyStats.from_journeys``)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.distributed import journey_stats, top_variants
from cxpath.errors import CxpathError, CxpathWarning, DataError, InvalidTypeError
from cxpath.journeys import JourneyStats

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe", reason="cxpath.distributed needs dask")


def single_machine(frame, order=1, **columns):
    return JourneyStats.from_journeys(Journeys.from_events(frame, **columns), order=order)


def test_integer_touchpoints_are_labels_not_codes():
    # cases -1 > 0 and 1 > 0: visits to '-1', '0', '1' are 1, 2, 1 (before: [2, 1, 0], the
    # labels read as codes into the vocabulary)
    log = pd.DataFrame({"case": [1, 1, 2, 2], "step": [-1, 0, 1, 0], "t": [0, 1, 0, 1]})
    cols = dict(case="case", touchpoint="step", timestamp="t")
    for vocab in (None, ["-1", "0", "1"]):
        got = journey_stats(dd.from_pandas(log, npartitions=2), vocab=vocab,
                            scheduler="synchronous", **cols)
        assert got.vocab == ("-1", "0", "1")
        assert got.visits.tolist() == [1, 2, 1]
        assert got.equals(single_machine(log, **cols))
    top = top_variants(dd.from_pandas(log, npartitions=2), scheduler="synchronous", **cols)
    assert sorted(top.paths.tolist()) == ["-1 > 0", "1 > 0"]


def test_float_and_boolean_touchpoints_match_one_machine():
    cols = dict(case="case", touchpoint="step", timestamp="t")
    floats = pd.DataFrame({"case": [1, 1, 2, 2, 3], "step": [1.0, 2.5, 1.0, np.nan, 2.5],
                           "t": [0, 1, 0, 1, 0]})
    whole = floats.assign(step=[10.0, 9.0, 10.0, np.nan, 9.0])  # labels '9', '10' by value
    flags = floats.assign(step=[True, False, True, True, False])
    for frame in (floats, whole, flags):
        ddf = dd.from_pandas(frame, npartitions=2)
        if frame["step"].isna().any():  # the row without a touchpoint is reported
            with pytest.warns(CxpathWarning, match=r"removed: missing_touchpoint 1 rows"):
                got = journey_stats(ddf, scheduler="synchronous", **cols)
        else:
            got = journey_stats(ddf, scheduler="synchronous", **cols)
        expected = single_machine(frame, **cols)
        assert got.vocab == expected.vocab
        assert got.equals(expected)
    assert expected.vocab == ("0", "1")  # booleans are labelled as from_events labels them
    assert journey_stats(dd.from_pandas(whole.dropna(), npartitions=1),
                         scheduler="synchronous", **cols).vocab == ("9", "10")


def tied_log(n_cases=300, seed=0):
    """Cases of three events at one timestamp: their order is the order of the rows."""
    rng = np.random.default_rng(seed)
    rows = [(f"c{case}", step, case * 60) for case in range(n_cases)
            for step in rng.permutation(["a", "b", "c"])]
    log = pd.DataFrame(rows, columns=["case", "step", "t"])
    return log.sample(frac=1.0, random_state=seed)  # rows unsorted, index unsorted


@pytest.mark.parametrize("n_parts", [3, 7])
def test_ties_keep_the_row_order_across_partitions(n_parts):
    log = tied_log()
    cols = dict(case="case", touchpoint="step", timestamp="t")
    ddf = dd.from_pandas(log, npartitions=n_parts, sort=False)  # the frame's own row order
    got = journey_stats(ddf, scheduler="synchronous", **cols)
    expected = single_machine(log, **cols)
    # without the carried row position: 3 (3 partitions) and 6 (7 partitions) counts differ
    assert got.equals(expected)
    np.testing.assert_array_equal(got.transitions, expected.transitions)
    # the transitions of the rows as written, counted by hand
    by_hand = np.zeros((3, 3), dtype=np.int64)
    for _, steps in log.groupby("case", sort=False)["step"]:
        codes = ["abc".index(s) for s in steps]
        for x, y in itertools.pairwise(codes):
            by_hand[x, y] += 1
    np.testing.assert_array_equal(got.transitions, by_hand)


def test_helpdesk_over_seven_partitions_with_an_unsorted_index(shared_data):
    # the case: before the fix 6 (here 14) transition counts differed
    frame = pd.read_csv(shared_data / "helpdesk.csv.gz")
    frame["ts"] = pd.to_datetime(frame["Complete Timestamp"], format="%Y/%m/%d %H:%M:%S")
    frame = frame.sample(frac=1.0, random_state=0)
    cols = dict(case="Case ID", touchpoint="Activity", timestamp="ts")
    expected = single_machine(frame, **cols)
    for ddf in (dd.from_pandas(frame, npartitions=7, sort=False),
                dd.from_pandas(frame.reset_index(drop=True), npartitions=7)):
        got = journey_stats(ddf, scheduler="threads", **cols)
        assert got.equals(expected)
        assert int((got.transitions != expected.transitions).sum()) == 0
        assert got.n_cases == 4580


def test_outcome_must_be_coded_zero_one_or_given_a_rule():
    log = pd.DataFrame({"case": [1, 1, 2, 2, 3], "step": ["a", "b", "a", "c", "b"],
                        "t": [0, 1, 0, 1, 0], "won": [-1, 1, -1, -1, -1]})
    cols = dict(case="case", touchpoint="step", timestamp="t", outcome="won")
    ddf = dd.from_pandas(log, npartitions=1)
    with pytest.raises(DataError) as info:  # before: every non-zero (-1 too) was a success
        journey_stats(ddf, scheduler="synchronous", **cols)
    assert str(info.value) == (
        "The 'outcome' parameter of distributed.journey_stats must be booleans or the numbers "
        "0 and 1 (give success_if= to say which other values mean success). Got the values "
        "-1, 1 instead.")
    with pytest.raises(DataError, match=r"^The 'outcome' parameter of distributed\."
                                        r"top_variants must be booleans"):
        top_variants(ddf, scheduler="synchronous", **cols)
    # success_if=1: only case 1 succeeds (its last row is 1)
    expected = single_machine(log.assign(won=log["won"] == 1), **cols)
    for rule in (1, {1}, [1], lambda won: won > 0):
        got = journey_stats(ddf, success_if=rule, scheduler="synchronous", **cols)
        assert got.n_success == 1 and got.equals(expected)
    top = top_variants(ddf, success_if=1, scheduler="synchronous", **cols)
    assert dict(zip(top.paths.tolist(), top.success.tolist())) == {"a > b": 1.0, "a > c": 0.0,
                                                                   "b": 0.0}


def test_outcome_as_text_or_score():
    log = pd.DataFrame({"case": [1, 1, 2, 3], "step": ["a", "b", "a", "b"], "t": [0, 1, 0, 0],
                        "answer": ["no", "yes", "no", None], "nps": [3.0, 9.0, 10.0, np.nan]})
    cols = dict(case="case", touchpoint="step", timestamp="t")
    ddf = dd.from_pandas(log, npartitions=2)
    with pytest.raises(DataError, match=r"Got the values 'no', 'yes' instead\.$"):
        journey_stats(dd.from_pandas(log, npartitions=1), outcome="answer",
                      scheduler="synchronous", **cols)
    with pytest.warns(Warning, match=r"missing_outcome"):  # case 3 has no answer: reported
        by_text = journey_stats(ddf, outcome="answer", success_if="yes",
                                scheduler="synchronous", **cols)
    assert by_text.n_success == 1
    with pytest.warns(Warning, match=r"missing_outcome"):
        by_score = journey_stats(ddf, outcome="nps", success_if=lambda s: s >= 9,
                                 scheduler="synchronous", **cols)
    assert by_score.n_success == 2  # cases 1 (9 on its last row) and 2 (10)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(success_if=1), CxpathError,
     "The 'success_if' parameter of distributed.journey_stats must be None when no "
     "'outcome' column is given. Got 1 instead."),
    (dict(outcome="won", success_if={"a": 1}), InvalidTypeError,
     "The 'success_if' parameter of distributed.journey_stats must be a value meaning "
     "success, a non-empty collection of such values or a callable returning one boolean "
     "per outcome value. Got {'a': 1} instead."),
    (dict(outcome="won", success_if=lambda won: 1), CxpathError,
     "The 'success_if' parameter of distributed.journey_stats must be a callable returning "
     "one boolean per outcome value. Got an array of dtype int64 and shape () for 3 values "
     "instead."),
    (dict(case=None), InvalidTypeError,
     "The 'case' parameter of distributed.journey_stats must be a column name of the dask "
     "DataFrame. Got None instead."),
    (dict(touchpoint=["step"]), InvalidTypeError,
     "The 'touchpoint' parameter of distributed.journey_stats must be a column name of the "
     "dask DataFrame. Got ['step'] instead."),
    (dict(timestamp="when"), CxpathError,
     "The 'timestamp' parameter of distributed.journey_stats must be a column of the dask "
     "DataFrame (one of 'case', 'step', 't', 'won'). Got 'when' instead."),
    (dict(vocab="abc"), InvalidTypeError,
     "The 'vocab' parameter of distributed.journey_stats must be a sequence of touchpoint "
     "labels. Got 'abc' instead."),
    (dict(vocab=["a", "a"]), CxpathError,
     "The 'vocab' parameter of distributed.journey_stats must be a non-empty sequence of "
     "distinct labels. Got 2 labels, 1 repeated instead."),
    (dict(vocab=["a"]), DataError,
     "The 'touchpoint' parameter of distributed.journey_stats must be labels from 'vocab' "
     "(or integer codes into it). Got unknown labels ['b'] instead."),
    (dict(success={"zzz"}), CxpathError,
     "The 'success' parameter of distributed.journey_stats must be touchpoints that occur in "
     "the data (e.g. 'a', 'b'). Got unknown labels ['zzz'] instead."),
    (dict(split_every=1), CxpathError, None),
    (dict(order=1.5), InvalidTypeError, None),
])
def test_bad_input_gets_the_library_message(kwargs, error, message):
    log = pd.DataFrame({"case": [1, 1, 2], "step": ["a", "b", "a"], "t": [0, 1, 0],
                        "won": [0, 1, 0]})
    args = dict(case="case", touchpoint="step", timestamp="t", scheduler="synchronous")
    args.update(kwargs)
    with pytest.raises(error) as info:
        journey_stats(dd.from_pandas(log, npartitions=1), **args)
    if message is not None:
        assert str(info.value) == message
    assert "distributed.journey_stats" in str(info.value)


def test_a_touchpoint_column_without_labels():
    log = pd.DataFrame({"case": [1, 2], "step": [np.nan, np.nan], "t": [0, 0]})
    with pytest.raises(DataError) as info:
        top_variants(dd.from_pandas(log, npartitions=1), case="case", touchpoint="step",
                     scheduler="synchronous")
    assert str(info.value) == ("The 'touchpoint' parameter of distributed.top_variants must be "
                               "a column with at least one touchpoint label. Got only missing "
                               "values instead.")
