"""cxpath.text complaint-reason classification: time folds, scores, misrouted tickets."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.text import ReasonClassification, classify_reasons, time_folds

pytest.importorskip("sklearn")

# Four reasons with planted vocabularies, plus shared background words
VOCAB = {
    "billing": ["refund", "invoice", "charged", "twice", "bill", "payment", "退款", "扣费"],
    "field": ["engineer", "visit", "repair", "late", "technician", "appointment", "上门", "维修"],
    "app": ["login", "password", "crash", "update", "screen", "error", "登录", "闪退"],
    "delivery": ["parcel", "courier", "tracking", "delivered", "box", "address", "快递", "物流"],
}
BACKGROUND = ["customer", "called", "again", "today", "please", "still", "ticket"]


def _tickets(n=1200, share=0.05, seed=11):
    rng = np.random.default_rng(seed)
    names = sorted(VOCAB)
    true = rng.choice(names, n)
    docs = [" ".join([*rng.choice(VOCAB[r], 4), *rng.choice(BACKGROUND, 2)]) for r in true]
    recorded = true.astype(object)
    planted = np.sort(rng.choice(n, round(share * n), replace=False))
    for i in planted:
        recorded[i] = rng.choice([r for r in names if r != true[i]])
    times = rng.uniform(0, 365 * 86400.0, n)
    return docs, recorded, times, planted


@pytest.fixture(scope="module")
def fitted():
    docs, recorded, times, planted = _tickets()
    return classify_reasons(docs, recorded, times), docs, recorded, times, planted


# --------------------------------------------------------------------------- time folds


def test_time_folds_example():
    # times 1, 2, 2 | 3 | 4, 5 (three blocks of two, the tie at 2 kept together)
    folds = time_folds([5, 1, 2, 2, 4, 3], 2)
    assert [(tr.tolist(), te.tolist()) for tr, te in folds] == [([1, 2, 3], [5]),
                                                              ([1, 2, 3, 5], [0, 4])]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_time_folds_never_train_on_later_tickets(seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 60, 500).astype(float)  # many ties
    folds = time_folds(t, 5)
    assert len(folds) == 5
    for k, (train, test) in enumerate(folds):
        assert t[train].max() < t[test].min()  # fails if a fold trains on later tickets
        assert np.intersect1d(train, test).size == 0
        assert set(train) == set(np.flatnonzero(t < t[test].min()))  # expanding: all before
        if k:
            assert set(folds[k - 1][0]) < set(train)
    sizes = [te.size for _, te in folds]
    assert min(sizes) > 500 / 6 * 0.6  # about equal blocks: 83 tickets each


def test_time_folds_datetimes():
    t = np.array(["2025-03-01", "2025-01-01", "2025-02-01", "2025-04-01"], dtype="datetime64[D]")
    assert [te.tolist() for _, te in time_folds(t, 3)] == [[2], [0], [3]]


def test_classification_folds_do_not_leak(fitted):
    r, _, _, times, _ = fitted
    assert r.fold_train_end.size == 5
    assert np.all(r.fold_train_end < r.fold_test_start)
    for k in range(5):  # training tickets of fold k: those tested earlier or never tested
        before = (r.fold < k) & (r.fold >= -1)
        assert times[before].max() < times[r.fold == k].min()
    assert (r.fold == -1).sum() == 200  # the first of six blocks of 1,200 tickets


# --------------------------------------------------------------------------- scores


def test_scores_match_sklearn(fitted):
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    r, _, recorded, _, _ = fitted
    tested = r.fold >= 0
    y, p = recorded[tested].astype(str), r.predicted[tested].astype(str)
    labels = r.reason.tolist()
    np.testing.assert_array_equal(r.confusion, confusion_matrix(y, p, labels=labels))
    pr, rc, f1, sup = precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
    np.testing.assert_allclose(r.precision, pr)
    np.testing.assert_allclose(r.recall, rc)
    np.testing.assert_allclose(r.f1, f1)
    np.testing.assert_array_equal(r.support, sup)
    assert r.accuracy == pytest.approx(np.mean(y == p))
    assert r.macro_f1 == pytest.approx(np.mean(f1))
    # 5 % of the recorded reasons are wrong, so accuracy against them is at most ≈ 0.95
    assert 0.9 < r.accuracy <= 0.97
    assert isinstance(r, ReasonClassification) and "macro-F1" in repr(r)


def test_misrouted_top_k_precision(fitted):
    """Measured: top-60 precision 1.000 (60 planted misroutes of 1,200), recall 1.000."""
    r, _, _, _, planted = fitted
    k = planted.size
    m = r.misrouted(min_confidence=0.5, top=k)
    precision = np.isin(m.ticket, planted).mean()
    print(f"top-{k} precision {precision:.3f}; flagged at 0.8: {r.misrouted().ticket.size}")
    assert precision >= 0.9
    assert np.all(np.diff(m.confidence) <= 0)  # ranked, most confident first
    assert np.all(m.confidence >= 0.5) and np.all(m.recorded != m.predicted)
    hi = r.misrouted(0.8)
    assert np.isin(hi.ticket, planted).mean() >= 0.95


def test_final_model_predicts_new_tickets(fitted):
    r = fitted[0]
    assert r.model.predict(["refund charged twice", "engineer late visit",
                            "app crash login", "parcel courier lost"]).tolist() == [
        "billing", "field", "app", "delivery"]
    np.testing.assert_allclose(r.model.predict_proba(["refund"]).sum(axis=1), 1.0)


def test_any_estimator():
    from sklearn.naive_bayes import MultinomialNB

    docs, recorded, times, _ = _tickets(300, 0.0)
    r = classify_reasons(docs, recorded, times, estimator=MultinomialNB(), n_folds=3)
    assert type(r.model.estimator).__name__ == "MultinomialNB" and r.accuracy > 0.95


# --------------------------------------------------------------------------- bad input


def test_bad_input():
    docs = ["refund", "engineer"] * 5
    reasons = ["billing", "field"] * 5
    t = list(range(10))
    with pytest.raises(DataError, match=r"'timestamps' parameter of text.classify_reasons must "
                       r"be at least n_folds \+ 1 = 6 distinct times. Got 3 instead."):
        classify_reasons(docs, reasons, [0, 1, 2] * 3 + [2])
    with pytest.raises(InvalidParameterError, match=r"one time per document \(10\)"):
        classify_reasons(docs, reasons, [0, 1])
    with pytest.raises(DataError, match=r"'timestamps' .* free of NaN"):
        classify_reasons(docs, reasons, [float("nan"), *t[1:]])
    with pytest.raises(InvalidTypeError, match=r"'timestamps'"):
        classify_reasons(docs, reasons, "2025-01-01")
    with pytest.raises(DataError, match=r"'reasons' .* labels of at least two classes"):
        classify_reasons(docs, ["billing"] * 10, t)
    with pytest.raises(DataError, match=r"'reasons' .* missing label at position 0"):
        classify_reasons(docs, [None, *reasons[1:]], t)
    with pytest.raises(InvalidTypeError, match=r"'estimator' parameter of text.classify_reasons"
                       r" must be None or a scikit-learn classifier"):
        classify_reasons(docs, reasons, t, estimator="logistic")
    with pytest.raises(InvalidParameterError, match=r"'n_folds'"):
        classify_reasons(docs, reasons, t, n_folds=0)
    with pytest.raises(InvalidTypeError, match=r"'seed'"):
        classify_reasons(docs, reasons, t, seed=1.5)
    with pytest.raises(InvalidTypeError, match=r"'docs'"):
        classify_reasons("refund", reasons, t)
    with pytest.raises(InvalidParameterError, match=r"'n_folds'"):
        time_folds(t, 0)
    with pytest.raises(DataError, match=r"distinct times"):
        time_folds([1.0] * 10, 2)
    with pytest.raises(DataError, match=r"times spread enough"):
        time_folds([0.0] * 20 + [1.0, 2.0], 2)
    with pytest.raises(DataError, match=r"NaT"):
        time_folds(np.array(["NaT", "2025-01-01"], dtype="datetime64[D]"), 1)
    r = classify_reasons(docs, reasons, t, n_folds=2, min_df=1)
    with pytest.raises(InvalidParameterError, match=r"'min_confidence' parameter of "
                       r"text.ReasonClassification.misrouted must be a real number in \[0, 1\]"):
        r.misrouted(1.5)
    with pytest.raises(InvalidParameterError, match=r"'top'"):
        r.misrouted(top=0)
