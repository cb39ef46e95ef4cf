"""Complaint reasons: text classifiers on TF-IDF, time-based validation, misrouted tickets.

:func:`classify_reasons` trains a linear model (scikit-learn's ``LogisticRegression`` by
default, the ``text`` extra) on labelled tickets and validates it in expanding time
windows (:func:`time_folds`: every fold trains on tickets strictly earlier than the ones
it tests). The result holds the confusion matrix, per-reason precision, recall and F1,
the final model (:class:`TextModel`, with ``predict_proba``) and
:meth:`ReasonClassification.misrouted`, the tickets whose predicted reason disagrees with
the recorded one with high confidence.

Examples
--------
>>> from cxpath.text import classify_reasons
>>> docs = ["refund not paid", "charged twice refund", "engineer late", "engineer no show",
...         "refund invoice wrong", "engineer missed visit"] * 4
>>> reasons = ["billing", "billing", "field", "field", "billing", "field"] * 4
>>> r = classify_reasons(docs, reasons, list(range(24)), n_folds=3, min_df=1)
>>> r.accuracy
1.0
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._optional import require
from .._results import Result, result
from .terms import _count, _weigh, token_lists

__all__ = ["Misrouted", "ReasonClassification", "TextModel", "classify_reasons", "time_folds"]


def _sparse():
    import scipy.sparse

    return scipy.sparse


# --------------------------------------------------------------------------- features


def features(lists: list, ngrams: int) -> list:
    """Token lists with adjacent-token bigrams (``'not good'``) added when ``ngrams == 2``."""
    if ngrams == 1:
        return lists
    return [d + [f"{a} {b}" for a, b in itertools.pairwise(d)] for d in lists]


def _vectorise(lists: list, index: Mapping, idf: np.ndarray, sublinear: bool):
    """TF-IDF rows of ``lists`` on a fixed vocabulary (unknown terms dropped), l2 rows."""
    sp = _sparse()
    rows, cols = [], []
    for i, d in enumerate(lists):
        for t in d:
            j = index.get(t)
            if j is not None:
                rows.append(i)
                cols.append(j)
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lists), idf.size))
    m.sum_duplicates()
    if sublinear:
        m.data = 1.0 + np.log(m.data)
    m.data *= idf[m.indices]
    norm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    rep = np.repeat(np.where(norm > 0, norm, 1.0), np.diff(m.indptr))
    m.data /= rep
    return m


def _fit_vocabulary(lists: list, min_df: int, func: str):
    dt = _count(lists, func)
    keep = dt.document_frequency >= min_df
    if not keep.any():
        v.fail("min_df", func, "a value that leaves at least one term",
               got=f"min_df={min_df} on {dt.vocabulary.size} terms", data=True)
    if not keep.all():
        m = dt.matrix[:, np.flatnonzero(keep)].tocsr()
        from .terms import _terms

        dt = _terms(m, dt.vocabulary[keep])
    _, idf = _weigh(dt, "l2", True, False)
    return dt.vocabulary, idf


def check_estimator(estimator, func: str):
    """A fresh copy of ``estimator`` (``fit`` and ``predict_proba``), or the default."""
    lm = require("sklearn.linear_model", "Text classifiers (the cxpath 'text' extra)")
    if estimator is None:
        return lm.LogisticRegression(C=10.0, max_iter=2000)
    if not (callable(getattr(estimator, "fit", None))
            and callable(getattr(estimator, "predict_proba", None))
            and callable(getattr(estimator, "get_params", None))):
        v.fail("estimator", func, "None or a scikit-learn classifier with fit and "
               "predict_proba", got=type(estimator).__name__, wrong_type=True)
    from sklearn.base import clone

    return clone(estimator)


def check_labels(labels, n: int, name: str, func: str) -> np.ndarray:
    """One non-missing label per document, as an object array."""
    if isinstance(labels, (str, bytes, Mapping)) or not hasattr(labels, "__len__"):
        v.fail(name, func, "a 1-D sequence of labels", got=type(labels).__name__,
               wrong_type=True)
    values = v.array(labels, name, func, dtype=object)
    if values.ndim != 1 or values.size != n:
        v.fail(name, func, f"one label per document ({n})", got=f"an array of shape "
               f"{values.shape}")
    from ..privacy import _is_missing

    for i, x in enumerate(values.tolist()):
        if _is_missing(x):
            v.fail(name, func, "free of missing labels", got=f"a missing label at position {i}",
                   data=True)
        try:
            hash(x)
        except TypeError:
            v.fail(name, func, "hashable labels", got=f"{type(x).__name__} at position {i}",
                   wrong_type=True)
    return values


def _classes(values: np.ndarray, name: str, func: str) -> np.ndarray:
    labels = list(dict.fromkeys(values.tolist()))
    try:
        labels = sorted(labels)
    except TypeError:
        v.fail(name, func, "labels of one comparable type (all str or all numbers)",
               got=v.show_list(labels), wrong_type=True)
    if len(labels) < 2:
        v.fail(name, func, "labels of at least two classes", got=v.show_list(labels), data=True)
    out = np.empty(len(labels), dtype=object)
    out[:] = labels
    return out


# --------------------------------------------------------------------------- the model


@result
class TextModel(Result):
    """A fitted text classifier: TF-IDF on a fixed vocabulary, then a scikit-learn model.

    Attributes
    ----------
    classes : ndarray
        The labels, sorted: the columns of :meth:`predict_proba`.
    training_documents : ndarray of int64
        Training documents per class.
    vocabulary : ndarray of str
        The terms (and bigrams ``'a b'`` when ``ngrams == 2``) of the training documents.
    idf : ndarray of float
        Smooth idf of the training documents (``ln((1 + n) / (1 + df)) + 1``).
    estimator : object
        The fitted scikit-learn classifier.
    ngrams : int
    sublinear_tf : bool
    tokenize : dict
        The options of :func:`~cxpath.text.tokenize` used for raw documents.

    Examples
    --------
    >>> from cxpath.text import train_sentiment
    >>> m = train_sentiment(["good great", "great fast", "bad slow", "slow awful"] * 3,
    ...                     [1, 1, 0, 0] * 3, cv=2, min_df=1)
    >>> m.classes.tolist(), m.predict(["great", "awful"]).tolist()
    ([0, 1], [1, 0])
    """

    classes: np.ndarray
    training_documents: np.ndarray
    vocabulary: np.ndarray
    idf: np.ndarray
    estimator: Any
    ngrams: int
    sublinear_tf: bool
    tokenize: dict

    _key = "classes"

    def _title(self) -> str:
        return f"Text model ({type(self.estimator).__name__})"

    def _summary(self) -> list[str]:
        return [f"{int(self.training_documents.sum()):,} training documents, "
                f"{self.vocabulary.size:,} terms, {self.classes.size} classes"]

    def _columns(self) -> dict:
        return {"classes": self.classes, "training_documents": self.training_documents}

    def transform(self, docs: Any) -> Any:
        """TF-IDF rows of ``docs`` on the model's vocabulary (a sparse matrix).

        Examples
        --------
        >>> from cxpath.text import train_sentiment
        >>> m = train_sentiment(["good", "bad"] * 4, [1, 0] * 4, cv=2, min_df=1, ngrams=1)
        >>> m.transform(["good unknown"]).toarray().tolist()
        [[0.0, 1.0]]
        """
        func = "text.TextModel.transform"
        lists = token_lists(docs, "docs", func, None if _is_token_lists(docs)
                            else self.tokenize)
        check_memory(24.0 * sum(map(len, lists)) * self.ngrams, func, "the documents' terms")
        index = {t: i for i, t in enumerate(self.vocabulary.tolist())}
        return _vectorise(features(lists, self.ngrams), index, self.idf, self.sublinear_tf)

    def predict_proba(self, docs: Any) -> np.ndarray:
        """Probability of each class (columns in :attr:`classes` order) for each document.

        Examples
        --------
        >>> from cxpath.text import train_sentiment
        >>> m = train_sentiment(["good", "bad"] * 4, [1, 0] * 4, cv=2, min_df=1)
        >>> m.predict_proba(["good"]).shape
        (1, 2)
        """
        x = self.transform(docs)
        p = np.asarray(self.estimator.predict_proba(x), dtype=np.float64)
        return _align(p, list(self.estimator.classes_), self.classes)

    def predict(self, docs: Any) -> np.ndarray:
        """The most probable class of each document.

        Examples
        --------
        >>> from cxpath.text import train_sentiment
        >>> m = train_sentiment(["good", "bad"] * 4, ["pos", "neg"] * 4, cv=2, min_df=1)
        >>> m.predict(["good", "bad"]).tolist()
        ['pos', 'neg']
        """
        p = self.predict_proba(docs)
        return self.classes[np.argmax(p, axis=1)]


def _is_token_lists(docs) -> bool:
    try:
        return len(docs) > 0 and all(isinstance(d, (list, tuple)) for d in docs)
    except TypeError:
        return False


def _align(p: np.ndarray, fitted: list, classes: np.ndarray) -> np.ndarray:
    """Probabilities of the fitted classes put in the columns of ``classes`` (0 if absent)."""
    out = np.zeros((p.shape[0], classes.size))
    pos = {c: i for i, c in enumerate(classes.tolist())}
    for j, c in enumerate(fitted):
        out[:, pos[c]] = p[:, j]
    return out


def fit_model(lists: list, labels: np.ndarray, classes: np.ndarray, estimator, *,
              min_df: int, ngrams: int, sublinear_tf: bool, options: dict,
              func: str) -> TextModel:
    """Fit the vocabulary, idf and ``estimator`` (already a fresh copy) on token lists."""
    feats = features(lists, ngrams)
    vocab, idf = _fit_vocabulary(feats, min_df, func)
    index = {t: i for i, t in enumerate(vocab.tolist())}
    x = _vectorise(feats, index, idf, sublinear_tf)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's ConvergenceWarning
        try:
            estimator.fit(x, labels.tolist())
        except ValueError as exc:
            v.fail("labels", func, "labels the estimator can fit", got=str(exc), data=True)
    pos = {c: i for i, c in enumerate(classes.tolist())}
    counts = np.bincount([pos[x] for x in labels.tolist()], minlength=classes.size)
    return TextModel(classes=classes, training_documents=counts.astype(np.int64),
                     vocabulary=vocab, idf=idf, estimator=estimator, ngrams=ngrams,
                     sublinear_tf=sublinear_tf, tokenize=dict(options))


def check_options(min_df, ngrams, sublinear_tf, func):
    min_df = v.check_int(min_df, "min_df", func, low=1)
    ngrams = v.check_int(ngrams, "ngrams", func, low=1, high=2)
    sublinear_tf = v.check_bool(sublinear_tf, "sublinear_tf", func)
    return min_df, ngrams, sublinear_tf


def tokenize_options(tokenize, func: str) -> dict:
    if tokenize is not None and not isinstance(tokenize, Mapping):
        v.fail("tokenize", func, "None or a mapping of text.tokenize options",
               got=type(tokenize).__name__, wrong_type=True)
    return {"stop_words": (), **dict(tokenize or {})}


def documents(docs, func: str, options: dict) -> list:
    return token_lists(docs, "docs", func, None if _is_token_lists(docs) else options)


# --------------------------------------------------------------------------- time folds


def _times(timestamps, n: int | None, func: str) -> np.ndarray:
    if isinstance(timestamps, (str, bytes, Mapping)) or not hasattr(timestamps, "__len__"):
        v.fail("timestamps", func, "a 1-D sequence of times (numbers or datetimes)",
               got=type(timestamps).__name__, wrong_type=True)
    raw = v.array(timestamps, "timestamps", func)
    if raw.dtype.kind == "M":
        if np.isnat(raw).any():
            v.fail("timestamps", func, "free of missing times",
                   got=f"NaT at position {int(np.argmax(np.isnat(raw)))}", data=True)
        t = raw.astype("datetime64[ns]").astype(np.int64).astype(np.float64)
    else:
        t = v.as_float_array(raw, "timestamps", func)
    if t.ndim != 1 or (n is not None and t.size != n):
        v.fail("timestamps", func, f"one time per document ({n})",
               got=f"an array of shape {t.shape}")
    return t


def time_folds(timestamps: Any, n_folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds in time: each trains on everything strictly before its test.

    The tickets, ordered by time, are cut into ``n_folds + 1`` blocks of (about) equal
    size, never splitting tickets with the same time; fold ``k`` tests block ``k + 1``
    and trains on blocks ``0 … k`` (scikit-learn's ``TimeSeriesSplit`` on the time order).

    Parameters
    ----------
    timestamps : array-like of numbers or datetime64
        The time of each ticket, in any order.
    n_folds : int, default 5

    Returns
    -------
    list of (train, test)
        Positions (into ``timestamps``) of the training and test tickets of each fold.

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad ``timestamps`` or ``n_folds``.
    DataError
        Missing times, or fewer than ``n_folds + 1`` distinct times.

    Examples
    --------
    >>> from cxpath.text import time_folds
    >>> [(tr.tolist(), te.tolist()) for tr, te in time_folds([5, 1, 2, 2, 4, 3], 2)]
    [([1, 2, 3], [5]), ([1, 2, 3, 5], [0, 4])]
    """
    func = "text.time_folds"
    n_folds = v.check_int(n_folds, "n_folds", func, low=1)
    t = _times(timestamps, None, func)
    return _folds(t, n_folds, func)


def _folds(t: np.ndarray, n_folds: int, func: str) -> list:
    order = np.argsort(t, kind="stable")
    ts = t[order]
    distinct = np.unique(ts)
    if distinct.size < n_folds + 1:
        v.fail("timestamps", func, f"at least n_folds + 1 = {n_folds + 1} distinct times",
               got=f"{distinct.size}", data=True)
    n = t.size
    cuts = [0]
    for k in range(1, n_folds + 1):
        target = min(round(k * n / (n_folds + 1)), n - 1)
        left = int(np.searchsorted(ts, ts[target], side="left"))  # before the tied
        right = int(np.searchsorted(ts, ts[target], side="right"))  # or after them
        ok = [c for c in (right, left) if cuts[-1] < c < n]
        c = min(ok, key=lambda c: abs(c - target)) if ok else n  # the nearer; ties: after
        if c <= cuts[-1] or c >= n:
            v.fail("timestamps", func, f"times spread enough for {n_folds} folds",
                   got=f"{distinct.size} distinct times with many tickets at one time",
                   data=True)
        cuts.append(c)
    cuts.append(n)
    return [(np.sort(order[:cuts[k]]), np.sort(order[cuts[k]:cuts[k + 1]]))
            for k in range(1, n_folds + 1)]


# --------------------------------------------------------------------------- results


@result
class Misrouted(Result):
    """Tickets whose predicted reason disagrees with the recorded one, most confident first.

    Attributes
    ----------
    ticket : ndarray of int64
        Position of the ticket in the input.
    recorded, predicted : ndarray
        The recorded reason and the one the model predicts (cross-fitted: by a model that
        did not see the ticket).
    confidence : ndarray of float
        The predicted reason's probability.
    recorded_probability : ndarray of float
        The recorded reason's probability.
    """

    ticket: np.ndarray
    recorded: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    recorded_probability: np.ndarray

    _key = "ticket"

    def _title(self) -> str:
        return "Likely misrouted tickets"

    def _columns(self) -> dict:
        return {"ticket": self.ticket, "recorded": self.recorded, "predicted": self.predicted,
                "confidence": self.confidence,
                "recorded_probability": self.recorded_probability}


@result
class ReasonClassification(Result):
    """A complaint-reason classifier validated in time, with per-reason scores.

    Attributes
    ----------
    reason : ndarray
        The reasons (sorted).
    precision, recall, f1 : ndarray of float
        Per reason, on the tickets of the time folds' test blocks (NaN where undefined:
        no ticket predicted, or none recorded, with the reason).
    support : ndarray of int64
        Tested tickets recorded with the reason.
    confusion : ndarray of int64, shape (reasons, reasons)
        ``confusion[i, j]``: tested tickets recorded as ``reason[i]`` and predicted as
        ``reason[j]``.
    accuracy, macro_f1 : float
        On the tested tickets (macro-F1 over reasons with support, NaN F1 counted as 0).
    fold : ndarray of int64
        The time fold testing each ticket (−1: only ever trained on, the first block).
    predicted : ndarray
        The out-of-fold prediction of each tested ticket (None for the first block).
    fold_train_end, fold_test_start : ndarray of float
        Per fold, the latest training time and the earliest test time (the first is
        always before the second: no fold trains on later tickets).
    probabilities : ndarray of float, shape (tickets, reasons)
        Cross-fitted probabilities (each ticket scored by a model of ``n_folds`` shuffled
        folds that left it out), used by :meth:`misrouted`.
    recorded : ndarray
        The recorded reason of each ticket.
    model : TextModel
        The model fitted on all tickets, for new ones (``model.predict_proba(docs)``).
    """

    reason: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    confusion: np.ndarray
    accuracy: float
    macro_f1: float
    fold: np.ndarray
    predicted: np.ndarray
    fold_train_end: np.ndarray
    fold_test_start: np.ndarray
    probabilities: np.ndarray
    recorded: np.ndarray
    model: TextModel

    _key = "reason"

    def _title(self) -> str:
        return "Complaint-reason classification"

    def _summary(self) -> list[str]:
        tested = int((self.fold >= 0).sum())
        return [f"{self.fold_train_end.size} expanding time folds, {tested:,} tickets tested: "
                f"accuracy {self.accuracy:.3f}, macro-F1 {self.macro_f1:.3f}"]

    def _columns(self) -> dict:
        return {"reason": self.reason, "precision": self.precision, "recall": self.recall,
                "f1": self.f1, "support": self.support}

    def misrouted(self, min_confidence: float = 0.8, top: int | None = None) -> Misrouted:
        """Tickets predicted as another reason with probability ≥ ``min_confidence``.

        Ranked by the predicted reason's probability (highest first), then by the recorded
        reason's probability (lowest first), then by position.

        Examples
        --------
        >>> from cxpath.text import classify_reasons
        >>> docs = ["refund not paid", "engineer late"] * 10 + ["refund not paid"]
        >>> reasons = ["billing", "field"] * 10 + ["field"]
        >>> r = classify_reasons(docs, reasons, range(21), n_folds=2, min_df=1)
        >>> r.misrouted(0.6).ticket.tolist()
        [20]
        """
        fn = "text.ReasonClassification.misrouted"
        min_confidence = v.check_probability(min_confidence, "min_confidence", fn)
        if top is not None:
            top = v.check_int(top, "top", fn, low=1)
        p = self.probabilities
        best = np.argmax(p, axis=1)
        pos = {c: i for i, c in enumerate(self.reason.tolist())}
        rec = np.array([pos[x] for x in self.recorded.tolist()], dtype=np.int64)
        conf = p[np.arange(p.shape[0]), best]
        rec_p = p[np.arange(p.shape[0]), rec]
        hit = np.flatnonzero((best != rec) & (conf >= min_confidence))
        order = hit[np.lexsort((hit, rec_p[hit], -conf[hit]))]
        if top is not None:
            order = order[:top]
        return Misrouted(ticket=order.astype(np.int64), recorded=self.recorded[order],
                         predicted=self.reason[best[order]], confidence=conf[order],
                         recorded_probability=rec_p[order])


# --------------------------------------------------------------------------- classify


FUNC = "text.classify_reasons"


def _scores(rec: np.ndarray, pred: np.ndarray, k: int):
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (rec, pred), 1)
    tp = np.diag(confusion).astype(np.float64)
    col, row = confusion.sum(axis=0), confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(col > 0, tp / col, np.nan)
        recall = np.where(row > 0, tp / row, np.nan)
        f1 = np.where((precision + recall) > 0, 2 * precision * recall / (precision + recall),
                      np.where(np.isnan(precision) | np.isnan(recall), np.nan, 0.0))
    return confusion, precision, recall, f1, row.astype(np.int64)


def classify_reasons(docs: Any, reasons: Any, timestamps: Any, *, n_folds: int = 5,
                     estimator: Any = None, min_df: int = 2, ngrams: int = 1,
                     sublinear_tf: bool = True, seed: int = 0,
                     tokenize: Mapping[str, Any] | None = None) -> ReasonClassification:
    """Train a complaint-reason classifier on labelled tickets and validate it in time.

    Parameters
    ----------
    docs : sequence of str or of token lists
        The ticket texts.
    reasons : array-like
        The recorded reason (category) of each ticket.
    timestamps : array-like of numbers or datetime64
        When each ticket was raised: the folds are cut in this order (:func:`time_folds`).
    n_folds : int, default 5
        Expanding-window folds: fold ``k`` trains on the first ``k`` of ``n_folds + 1``
        time blocks and tests the next one. Vocabulary and idf are fitted on each fold's
        training tickets only.
    estimator : scikit-learn classifier, optional
        Any classifier with ``fit`` and ``predict_proba`` (cloned, never changed); default
        ``LogisticRegression(C=10, max_iter=2000)`` (multinomial, L2; ``C=10`` as TF-IDF
        rows have unit norm and small weights).
    min_df : int, default 2
        Keep terms found in at least this many training tickets.
    ngrams : {1, 2}, default 1
        2 adds adjacent-token bigrams to the terms.
    sublinear_tf : bool, default True
        ``1 + ln(tf)`` instead of counts.
    seed : int, default 0
        Shuffles the cross-fitting folds behind :meth:`~ReasonClassification.misrouted`.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` (stop words are kept unless given).

    Returns
    -------
    ReasonClassification

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents, reasons, times or options.
    DataError
        Missing reasons or times, fewer than two reasons, too few distinct times.
    MissingExtraError
        scikit-learn is not installed (``pip install 'cxpath[text]'``).

    Notes
    -----
    Time folds answer "how well would last month's model route this month's tickets"; a
    shuffled cross-validation would let the model learn from tickets after the ones it
    is scored on (new products, new wording) and overstate it. The misrouted list needs a
    score for every ticket, so it uses cross-fitted probabilities (shuffled folds): a
    ticket is never scored by a model that saw it.

    Examples
    --------
    >>> from cxpath.text import classify_reasons
    >>> docs = ["refund not paid", "engineer late", "refund missing", "engineer no show"] * 5
    >>> reasons = ["billing", "field", "billing", "field"] * 5
    >>> r = classify_reasons(docs, reasons, range(20), n_folds=3, min_df=1)
    >>> r.confusion.tolist(), r.f1.tolist()
    ([[7, 0], [0, 8]], [1.0, 1.0])
    """
    n_folds = v.check_int(n_folds, "n_folds", FUNC, low=1)
    min_df, ngrams, sublinear_tf = check_options(min_df, ngrams, sublinear_tf, FUNC)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        v.fail("seed", FUNC, "an integer", seed, wrong_type=True)
    seed = v.check_int(seed, "seed", FUNC, low=0, high=2**32 - 1)
    options = tokenize_options(tokenize, FUNC)
    base = check_estimator(estimator, FUNC)
    lists = documents(docs, FUNC, options)
    n = len(lists)
    rec = check_labels(reasons, n, "reasons", FUNC)
    classes = _classes(rec, "reasons", FUNC)
    t = _times(timestamps, n, FUNC)
    check_memory(8.0 * n * classes.size * 3 + 24.0 * sum(map(len, lists)) * ngrams, FUNC,
                 f"probabilities of {n:,} tickets")
    from sklearn.base import clone

    pos = {c: i for i, c in enumerate(classes.tolist())}
    code = np.array([pos[x] for x in rec.tolist()], dtype=np.int64)
    kw = {"min_df": min_df, "ngrams": ngrams, "sublinear_tf": sublinear_tf,
          "options": options, "func": FUNC}

    def fit_predict(train, test):
        sub = [lists[i] for i in train]
        if not any(sub):
            return np.full((test.size, classes.size), 1.0 / classes.size)
        labels = rec[train]
        if len(set(labels.tolist())) < 2:  # one reason only: it gets all the probability
            out = np.zeros((test.size, classes.size))
            out[:, pos[labels[0]]] = 1.0
            return out
        try:
            m = fit_model(sub, labels, classes, clone(base), **{**kw, "min_df": 1
                          if min_df > len(sub) else min_df})
        except v.DataError:  # no term frequent enough in this fold: no information
            return np.full((test.size, classes.size), 1.0 / classes.size)
        return m.predict_proba([lists[i] for i in test])

    folds = _folds(t, n_folds, FUNC)
    fold = np.full(n, -1, dtype=np.int64)
    pred_code = np.full(n, -1, dtype=np.int64)
    train_end, test_start = [], []
    for k, (train, test) in enumerate(folds):
        p = fit_predict(train, test)
        pred_code[test] = np.argmax(p, axis=1)
        fold[test] = k
        train_end.append(float(t[train].max()))
        test_start.append(float(t[test].min()))
    tested = fold >= 0
    confusion, precision, recall, f1, support = _scores(code[tested], pred_code[tested],
                                                        classes.size)
    accuracy = float(np.mean(code[tested] == pred_code[tested]))
    has = support > 0
    macro_f1 = float(np.mean(np.nan_to_num(f1[has], nan=0.0)))
    predicted = np.empty(n, dtype=object)
    predicted[tested] = classes[pred_code[tested]]
    # cross-fitted probabilities for the misrouted list
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    k_cf = min(max(n_folds, 2), n)
    proba = np.zeros((n, classes.size))
    for part in np.array_split(perm, k_cf):
        part = np.sort(part)
        train = np.setdiff1d(np.arange(n), part)
        proba[part] = fit_predict(train, part) if train.size else 1.0 / classes.size
    model = fit_model(lists, rec, classes, clone(base), **kw)
    return ReasonClassification(
        reason=classes, precision=precision, recall=recall, f1=f1, support=support,
        confusion=confusion, accuracy=accuracy, macro_f1=macro_f1, fold=fold,
        predicted=predicted, fold_train_end=np.asarray(train_end),
        fold_test_start=np.asarray(test_start), probabilities=proba, recorded=rec,
        model=model)
