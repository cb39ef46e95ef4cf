"""cxpath.text themes, choose_themes and coherence on corpora with planted themes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError, MissingExtraError
from cxpath.text import ThemeChoice, choose_themes, coherence, document_terms, themes

pytest.importorskip("sklearn")
pytest.importorskip("jieba")
optimize = pytest.importorskip("scipy.optimize")

# Five planted themes, each with its own vocabulary (Chinese and English words mixed)
PLANTED = [
    ["退款", "发票", "扣费", "账单", "refund", "invoice", "charge", "billing"],
    ["工程师", "上门", "维修", "备件", "engineer", "visit", "repair", "spare"],
    ["登录", "密码", "闪退", "更新", "login", "password", "crash", "update"],
    ["快递", "物流", "包裹", "签收", "courier", "parcel", "tracking", "delivery"],
    ["坐席", "态度", "转接", "排队", "agent", "rude", "transfer", "queue"],
]
BACKGROUND = ["客户", "问题", "customer", "issue", "today"]


def _corpus(n=500, seed=7, own=6, noise=2):
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for i in range(n):
        k = i % len(PLANTED)
        words = list(rng.choice(PLANTED[k], own)) + list(rng.choice(BACKGROUND, noise))
        rng.shuffle(words)
        docs.append(" ".join(str(w) for w in words))
        truth.append(k)
    return docs, np.array(truth)


def _match(fit):
    """Planted theme of each fitted theme, by the overlap of top terms (Hungarian)."""
    overlap = np.array([[len(set(terms) & set(p)) for p in PLANTED] for terms in fit.terms])
    rows, cols = optimize.linear_sum_assignment(-overlap)
    return dict(zip(rows.tolist(), cols.tolist())), overlap[rows, cols]


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_planted_themes_are_recovered(method):
    docs, truth = _corpus()
    # LDA: restarts keep the fit of highest likelihood bound (seed 0 alone merges two)
    fit = themes(docs, 5, method=method, top=8, seed=0, n_init=1 if method == "nmf" else 3,
                 max_iter=60)
    match, overlap = _match(fit)
    assert np.all(overlap >= 7), (fit.top_terms, overlap)  # top 8 terms: 7+ of the planted 8
    assigned = np.array([match[a] for a in fit.assignment])
    assert np.mean(assigned == truth) >= 0.9
    assert fit.share.sum() == pytest.approx(1.0)
    assert np.all(np.diff(fit.share) <= 0)  # themes by decreasing share
    np.testing.assert_allclose(fit.weights.sum(axis=1), 1.0)


def test_same_seed_same_themes_and_empty_documents():
    docs, _ = _corpus(100)
    docs = [*docs, "", None]
    a = themes(docs, 5, seed=3)
    b = themes(docs, 5, seed=3)
    assert a.top_terms.tolist() == b.top_terms.tolist()
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.assignment[-2:].tolist() == [-1, -1]
    assert a.weights[-2:].sum() == 0


def test_representative_documents_load_most_on_their_theme():
    docs, _ = _corpus(200)
    fit = themes(docs, 5, seed=0)
    rep = fit.representative(3)
    assert rep.theme.tolist() == [k for k in range(5) for _ in range(3)]
    for k in range(5):
        rows = rep.document[rep.theme == k]
        assert np.all(fit.assignment[rows] == k)
        members = np.flatnonzero(fit.assignment == k)
        best = np.sort(fit.weights[members, k])[::-1][:3]
        np.testing.assert_allclose(rep.weight[rep.theme == k], best)


def test_shares_by_segment_and_over_time():
    rng = np.random.default_rng(11)
    docs, truth = [], []
    segment, month = [], []
    for i in range(600):
        seg = "chat" if i % 2 else "phone"
        # chat: billing 70 %, app 30 %; phone: field 50 %, agent 50 %
        k = rng.choice([0, 2], p=[0.7, 0.3]) if seg == "chat" else rng.choice([1, 4])
        docs.append(" ".join(str(w) for w in rng.choice(PLANTED[k], 6)))
        truth.append(k)
        segment.append(seg)
        month.append("2025-01" if i < 300 else "2025-02")
    fit = themes(docs, 4, seed=0, top=8)
    match, _ = _match(fit)
    s = fit.shares(segment)
    got = {(seg, match[t]): x for seg, t, x in zip(s.segment, s.theme, s.share)}
    truth = np.array(truth)
    for seg, parity in (("chat", 1), ("phone", 0)):
        rows = np.arange(600) % 2 == parity
        for k in set(truth[rows].tolist()):
            assert got[(seg, k)] == pytest.approx(np.mean(truth[rows] == k), abs=0.03)
    by_month = fit.shares(month)
    assert by_month.segment.tolist() == ["2025-01"] * 4 + ["2025-02"] * 4
    for m in ("2025-01", "2025-02"):
        assert by_month.share[by_month.segment == m].sum() == pytest.approx(1.0)
    assert by_month.documents.tolist() == [300] * 8


def test_coherence_equals_hand_computation():
    docs = [["a", "b"], ["a", "b", "c"], ["a"], ["c", "d"]]
    # D(a)=3, D(b)=2, D(c)=2, D(d)=1, D(a,b)=2, D(a,c)=1, D(b,c)=1, N=4
    umass = coherence(docs, [["a", "b", "c"]], measure="umass")[0]
    # Mimno et al.: ln((D(b,a)+1)/D(a)) + ln((D(c,a)+1)/D(a)) + ln((D(c,b)+1)/D(b)), mean
    assert umass == pytest.approx((math.log(3 / 3) + math.log(2 / 3) + math.log(2 / 2)) / 3)

    def npmi(dij, di, dj, n=4):
        p = dij / n
        return math.log(p / (di / n * dj / n)) / -math.log(p)

    got = coherence(docs, [["a", "b", "c"], ["b", "d"]])
    assert got[0] == pytest.approx((npmi(2, 3, 2) + npmi(1, 3, 2) + npmi(1, 2, 2)) / 3)
    assert got[1] == -1.0  # never in the same document


def test_choose_themes_reports_coherence_of_each_k():
    docs, _ = _corpus(300)
    c = choose_themes(docs, [3, 5, 7], top=8)
    assert isinstance(c, ThemeChoice)
    assert c.k.tolist() == [3, 5, 7]
    assert c.best == 5  # the planted number: merged or split themes mix vocabularies
    dt = document_terms(docs)
    for k, x in zip(c.k, c.coherence):
        fit = themes(dt, int(k), top=8)
        assert x == pytest.approx(np.mean(coherence(dt, fit.terms.tolist())))
    assert c.themes.theme.size == 5


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn.decomposition", None)
    with pytest.raises(MissingExtraError, match=r"the cxpath 'text' extra"):
        themes([["a", "b"], ["c", "d"]], 2)


@pytest.mark.parametrize("call, cls, msg", [
    (lambda: themes([["a"], ["b"]], 0), InvalidParameterError, r"'n_themes'"),
    (lambda: themes([["a"], ["b"]], 3), DataError, r"at most the number of documents"),
    (lambda: themes([["a"], ["b"]], 2, method="pca"), InvalidParameterError, r"'method'"),
    (lambda: themes([["a"], ["b"]], 2, top=1), InvalidParameterError, r"'top'"),
    (lambda: themes([["a"], ["b"]], 2, seed=1.5), InvalidTypeError, r"'seed'"),
    (lambda: themes([["a"], ["b"]], 2, max_iter=0), InvalidParameterError, r"'max_iter'"),
    (lambda: themes([["a"], ["b"]], 2, n_init=0), InvalidParameterError, r"'n_init'"),
    (lambda: themes([["a"], ["b"]], 2, measure="cv"), InvalidParameterError, r"'measure'"),
    (lambda: themes("a b", 2), InvalidTypeError, r"'docs' parameter of text\.themes"),
    (lambda: choose_themes([["a"], ["b"]], []), InvalidParameterError, r"'ks'"),
    (lambda: choose_themes([["a"], ["b"]], 3), InvalidTypeError, r"'ks'"),
    (lambda: choose_themes([["a"], ["b"]], [0]), InvalidParameterError, r"'ks'"),
    (lambda: choose_themes([["a"], ["b"]], [1], min_explained=2), InvalidParameterError,
     r"'min_explained'"),
    (lambda: coherence([["a", "b"]], [["a"]]), InvalidParameterError, r"at least two terms"),
    (lambda: coherence([["a", "b"]], [["a", "z"]]), InvalidParameterError,
     r"terms of the corpus"),
    (lambda: coherence([["a", "b"]], "ab"), InvalidTypeError, r"'terms'"),
    (lambda: coherence([["a", "b"]], []), InvalidParameterError, r"at least one term list"),
    (lambda: coherence([["a", "b"]], [["a", "b"]], measure="x"), InvalidParameterError,
     r"'measure'"),
    (lambda: themes([["a"], ["b"]], 2).representative(0), InvalidParameterError, r"'n'"),
    (lambda: themes([["a"], ["b"]], 2).shares(["x"]), InvalidParameterError,
     r"'by' parameter of text\.Themes\.shares"),
])
def test_bad_input(call, cls, msg):
    with pytest.raises(cls, match=msg):
        call()


def _three_planted():
    rng = np.random.default_rng(0)
    planted = [["退款", "发票", "refund", "invoice", "charge"],
               ["工程师", "上门", "engineer", "repair", "spare"],
               ["登录", "闪退", "login", "crash", "update"]]
    return [" ".join(rng.choice(planted[i % 3], 4)) for i in range(300)]


def test_choose_themes_needs_the_themes_to_explain_the_corpus():
    docs = _three_planted()
    c = choose_themes(docs, [2, 3, 4], top=5)
    # NMF with 2 themes leaves the third planted group without a theme (1/3 of documents)
    assert c.explained.round(4).tolist() == [0.6667, 1.0, 1.0]
    assert c.coherence[0] > c.coherence[1]  # coherence alone would pick 2
    assert c.best == 3
    assert choose_themes(docs, [2, 3, 4], top=5, min_explained=0.0).best == 2
    two = themes(docs, 2, top=5)
    assert np.all(two.fit[two.assignment == -1] < 0.2)
    assert two.explained == pytest.approx(2 / 3)


def test_fit_is_the_cosine_of_document_and_rebuilt_row():
    from sklearn.decomposition import NMF

    from cxpath.text import tfidf

    docs = _three_planted()[:60]
    t = themes(docs, 3)
    x = tfidf(docs).matrix.toarray()
    model = NMF(3, init="nndsvda", random_state=0, max_iter=200)
    w = model.fit_transform(x)
    r = w @ model.components_
    cos = (r * x).sum(1) / (np.linalg.norm(r, axis=1) * np.linalg.norm(x, axis=1))
    np.testing.assert_allclose(t.fit, cos, rtol=1e-6)
