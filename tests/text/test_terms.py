"""cxpath.text document_terms, tfidf and keywords against scikit-learn and networkx."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError, UnknownLabelError
from cxpath.text import DocumentTerms, document_terms, keywords, tfidf
from cxpath.text.terms import pagerank

sk_text = pytest.importorskip("sklearn.feature_extraction.text")


def _corpus(n=200, seed=3):
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(40)] + ["工单", "备件", "退款"]
    p = 1.0 / np.arange(1, len(vocab) + 1)
    p /= p.sum()
    return [list(rng.choice(vocab, rng.integers(0, 12), p=p)) for _ in range(n)]


def _identity(doc):
    return doc


def test_document_terms_equals_count_vectorizer():
    docs = _corpus()
    dt = document_terms(docs)
    cv = sk_text.CountVectorizer(analyzer=_identity)
    ref = cv.fit_transform(docs)
    assert dt.vocabulary.tolist() == cv.get_feature_names_out().tolist()
    assert (dt.matrix != ref).nnz == 0
    assert dt.matrix.dtype == np.int64 and dt.matrix.format == "csr"
    assert dt.document_frequency.tolist() == np.asarray((ref > 0).sum(axis=0)).ravel().tolist()


@pytest.mark.parametrize("min_df, max_df", [(2, 1.0), (1, 0.3), (5, 0.5)])
def test_document_frequency_filters_equal_count_vectorizer(min_df, max_df):
    docs = _corpus()
    dt = document_terms(docs, min_df=min_df, max_df=max_df)
    cv = sk_text.CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df)
    ref = cv.fit_transform(docs)
    assert dt.vocabulary.tolist() == cv.get_feature_names_out().tolist()
    assert (dt.matrix != ref).nnz == 0


def test_max_terms_keeps_the_most_frequent():
    dt = document_terms([["a", "a", "b", "c"], ["c", "d"]], max_terms=2)
    assert dt.vocabulary.tolist() == ["a", "c"]  # a: 2, c: 2; b and d: 1
    assert dt.matrix.toarray().tolist() == [[2, 1], [0, 1]]


@pytest.mark.parametrize("norm", ["l2", "l1", None])
@pytest.mark.parametrize("smooth", [True, False])
@pytest.mark.parametrize("sublinear", [False, True])
def test_tfidf_equals_tfidf_vectorizer(norm, smooth, sublinear):
    docs = _corpus()
    t = tfidf(docs, norm=norm, smooth_idf=smooth, sublinear_tf=sublinear)
    vec = sk_text.TfidfVectorizer(analyzer=_identity, norm=norm, smooth_idf=smooth,
                                  sublinear_tf=sublinear)
    ref = vec.fit_transform(docs)
    assert t.vocabulary.tolist() == vec.get_feature_names_out().tolist()
    np.testing.assert_allclose(t.idf, vec.idf_, rtol=1e-14)
    np.testing.assert_allclose(t.matrix.toarray(), ref.toarray(), rtol=1e-12, atol=1e-15)


def test_tfidf_of_raw_text_tokenises_with_options():
    t = tfidf(["Parts late", "parts refunded"], tokenize={"fold_plurals": True})
    assert t.vocabulary.tolist() == ["late", "part", "refunded"]
    # idf: ln(3/2) + 1 = 1.405465 (df 1), ln(3/3) + 1 = 1 (df 2)
    np.testing.assert_allclose(t.idf, [1.4054651081081644, 1.0, 1.4054651081081644])


def test_document_terms_result_table():
    dt = document_terms([["late"], ["late", "refund"]])
    assert dt.loc("late") == {"term": "late", "document_frequency": 2, "count": 2}
    assert isinstance(tfidf(dt).terms, DocumentTerms)
    assert "2 documents × 2 terms" in repr(dt)


def _graph(docs, window):
    import networkx as nx

    g = nx.Graph()
    for doc in docs:
        g.add_nodes_from(doc)
        for i, a in enumerate(doc):
            for b in doc[i + 1:i + window]:
                if a != b:
                    w = g.get_edge_data(a, b, {"weight": 0})["weight"]
                    g.add_edge(a, b, weight=w + 1)
    return g


def test_textrank_equals_networkx_pagerank():
    import networkx as nx

    docs = _corpus(30, seed=5)
    docs = [d for d in docs if d]
    kw = keywords(docs, by=["all"] * len(docs), top=100, window=3)
    ref = nx.pagerank(_graph(docs, 3), alpha=0.85, weight="weight", tol=1e-14, max_iter=1000)
    got = dict(zip(kw.term.tolist(), kw.score.tolist()))
    assert set(got) == set(ref)
    for t, x in ref.items():
        assert got[t] == pytest.approx(x, rel=1e-8)
    assert kw.rank.tolist() == list(range(1, len(ref) + 1))
    assert sum(got.values()) == pytest.approx(1.0)


def test_pagerank_of_a_graph_with_an_isolated_node():
    import networkx as nx

    g = nx.Graph()
    g.add_edge(0, 1, weight=2.0)
    g.add_edge(1, 2, weight=1.0)
    g.add_node(3)
    ref = nx.pagerank(g, weight="weight", tol=1e-14, max_iter=1000)
    w = nx.to_numpy_array(g, nodelist=[0, 1, 2, 3])
    np.testing.assert_allclose(pagerank(w), [ref[i] for i in range(4)], rtol=1e-9)


def test_keywords_per_document_and_per_segment():
    docs = ["engineer late again, engineer never called", "refund late",
            "spare part missing, engineer waiting for part"]
    per_doc = keywords(docs, top=1)
    assert per_doc.segment.tolist() == [0, 1, 2]
    assert per_doc.top(0) == ["engineer"]  # the hub of document 0's graph
    seg = keywords(docs, by=["field", "billing", "field"], top=2)
    assert seg.top("field") == ["engineer", "part"]
    tf = keywords(docs, by=["field", "billing", "field"], method="tfidf", top=1)
    # billing has one document: idf refund = ln(4/2) + 1 = 1.693147 (df 1), late =
    # ln(4/3) + 1 = 1.287682 (df 2); l2 weight 1.693147 / √(1.693147² + 1.287682²) = 0.795961
    assert tf.top("billing") == ["refund"]
    assert tf.loc(("billing", "refund"))["score"] == pytest.approx(0.795961, abs=1e-6)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, cls, msg", [
    (lambda: document_terms("a b"), InvalidTypeError, r"'docs' parameter of text\.document_terms"),
    (lambda: document_terms([]), DataError, r"at least one document"),
    (lambda: document_terms([None, ""]), DataError, r"documents with at least one token"),
    (lambda: document_terms([["a"], "b"]), InvalidTypeError, r"all documents \(str\) or all"),
    (lambda: document_terms([["a", 3]]), InvalidTypeError, r"token lists of non-empty str"),
    (lambda: document_terms([["a"]], min_df=0), InvalidParameterError, r"'min_df'"),
    (lambda: document_terms([["a"]], min_df=2), DataError, r"leave at least one term"),
    (lambda: document_terms([["a"]], max_df=0.0), InvalidParameterError, r"'max_df'"),
    (lambda: document_terms([["a"]], max_terms=0), InvalidParameterError, r"'max_terms'"),
    (lambda: document_terms(["a"], tokenize={"bogus": 1}), InvalidParameterError,
     r"'tokenize' parameter of text\.document_terms must be options"),
    (lambda: document_terms(["a"], tokenize=3), InvalidTypeError, r"'tokenize'"),
    (lambda: document_terms([["a"]], tokenize={"numbers": False}), InvalidParameterError,
     r"None when the documents are already token lists"),
    (lambda: tfidf([["a"]], norm="l3"), InvalidParameterError, r"'norm'"),
    (lambda: tfidf([["a"]], smooth_idf=1), InvalidTypeError, r"'smooth_idf'"),
    (lambda: tfidf([["a"]], sublinear_tf="x"), InvalidTypeError, r"'sublinear_tf'"),
    (lambda: tfidf(np.array([["a"]])), InvalidParameterError, r"1-D sequence"),
    (lambda: keywords([["a"]], method="rake"), InvalidParameterError, r"'method'"),
    (lambda: keywords([["a"]], top=0), InvalidParameterError, r"'top'"),
    (lambda: keywords([["a"]], window=1), InvalidParameterError, r"'window'"),
    (lambda: keywords([["a"]], damping=1.0), InvalidParameterError, r"'damping'"),
    (lambda: keywords([["a"]], by=["x", "y"]), InvalidParameterError,
     r"one segment label per document \(1\)"),
    (lambda: keywords([["a"]], by=[None]), DataError, r"free of missing labels"),
    (lambda: keywords([[]]), DataError, r"at least one token"),
    (lambda: keywords([["a"]]).top(5), UnknownLabelError, r"'segment'"),
])
def test_bad_input(call, cls, msg):
    with pytest.raises(cls, match=msg):
        call()


def test_tfidf_with_empty_documents_at_the_end_equals_tfidf_vectorizer():
    docs = [["a", "b"], [], ["b"], [], []]
    t = tfidf(docs)
    ref = sk_text.TfidfVectorizer(analyzer=_identity).fit_transform(docs)
    np.testing.assert_allclose(t.matrix.toarray(), ref.toarray(), rtol=1e-12)
    assert t.matrix[3:].nnz == 0
