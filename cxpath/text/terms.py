"""Document-term matrices, TF-IDF and TextRank keywords.

:func:`document_terms` counts tokens into a ``scipy.sparse`` CSR matrix (documents ×
terms, terms sorted); :func:`tfidf` weights it as scikit-learn's ``TfidfVectorizer`` does
by default (smooth idf, l2-normalised rows); :func:`keywords` ranks the terms of each
document or segment by TextRank or TF-IDF.

Every function takes raw documents (tokenised with :func:`cxpath.text.tokenize`, options
in ``tokenize=``), lists of tokens, or a :class:`DocumentTerms`.

Examples
--------
>>> from cxpath.text import document_terms, tfidf
>>> docs = [["refund", "late"], ["refund", "refund", "rude"], ["late", "parts"]]
>>> dt = document_terms(docs)
>>> dt.vocabulary.tolist(), dt.matrix.toarray().tolist()
(['late', 'parts', 'refund', 'rude'], [[1, 0, 1, 0], [0, 0, 2, 1], [1, 1, 0, 0]])
>>> tfidf(dt).idf.round(4).tolist()  # ln((1 + 3) / (1 + df)) + 1
[1.2877, 1.6931, 1.2877, 1.6931]
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory, format_bytes
from .._lazy import lazy_module
from .._results import Result, result
from .tokenizer import tokenize as _tokenize

sparse = lazy_module("scipy.sparse")

__all__ = ["DocumentTerms", "Keywords", "TfIdf", "document_terms", "keywords", "tfidf"]


# --------------------------------------------------------------------------- inputs


def token_lists(docs: Any, name: str, func: str, options: Mapping | None,
                progress: Any = None) -> list:
    """Lists of tokens from raw documents (tokenised with ``options`` and ``progress``) or
    token lists."""
    if options is not None and not isinstance(options, Mapping):
        v.fail("tokenize", func, "None or a mapping of text.tokenize options",
               got=type(options).__name__, wrong_type=True)
    if isinstance(docs, str) or not hasattr(docs, "__len__") or isinstance(docs, Mapping):
        v.fail(name, func, "a 1-D sequence of documents (str) or of token lists",
               got=type(docs).__name__, wrong_type=True)
    items = docs.to_list() if hasattr(docs, "to_list") and not isinstance(docs, np.ndarray) \
        else docs.tolist() if isinstance(docs, np.ndarray) or hasattr(docs, "tolist") \
        else list(docs)
    if isinstance(docs, np.ndarray) and docs.ndim != 1:
        v.fail(name, func, "a 1-D sequence of documents", got=f"an array of shape {docs.shape}")
    if not items:
        v.fail(name, func, "at least one document", got="an empty sequence", data=True)
    nested = [isinstance(x, (list, tuple)) for x in items]
    if all(nested):
        flat = itertools.chain.from_iterable
        if set(map(type, flat(items))) - {str} or min(map(len, flat(items)), default=1) == 0:
            for i, doc in enumerate(items):  # the first bad token, for the message
                for t in doc:
                    if not isinstance(t, str) or not t:
                        v.fail(name, func, "token lists of non-empty str",
                               got=f"{t!r} in document {i}", wrong_type=not isinstance(t, str))
        if options:
            v.fail("tokenize", func, "None when the documents are already token lists",
                   got=repr(dict(options)))
        return [doc if type(doc) is list else list(doc) for doc in items]  # read, never changed
    if any(nested):
        i = nested.index(not nested[0])
        v.fail(name, func, "all documents (str) or all token lists",
               got=f"a mix ({type(items[0]).__name__} at 0, {type(items[i]).__name__} at {i})",
               wrong_type=True)
    try:
        return _tokenize(items, **{"progress": progress, **dict(options or {})})
    except TypeError as exc:
        if isinstance(exc, v.InvalidParameterError):
            raise
        v.fail("tokenize", func, "options of text.tokenize", got=str(exc))


def as_document_terms(docs: Any, name: str, func: str, options: Mapping | None,
                      progress: Any = None) -> DocumentTerms:
    """A :class:`DocumentTerms` as it is, or one counted from documents."""
    if isinstance(docs, DocumentTerms):
        if options:
            v.fail("tokenize", func, "None when the documents are a DocumentTerms",
                   got=repr(dict(options)))
        return docs
    return _count(token_lists(docs, name, func, options, progress), func)


def _count(lists: list, func: str) -> DocumentTerms:
    lengths = np.fromiter((len(d) for d in lists), dtype=np.int64, count=len(lists))
    total = int(lengths.sum())
    if total == 0:
        v.fail("docs", func, "documents with at least one token",
               got=f"{len(lists)} document(s) without tokens", data=True)
    check_memory(total * 24.0, func, "the tokens of the document-term matrix")
    seen: dict = {}
    ids = np.fromiter((seen.setdefault(t, len(seen)) for d in lists for t in d),
                      dtype=np.int64, count=total)
    names = np.array(list(seen))  # in order of first use
    order = np.argsort(names, kind="stable")  # code-point order, as sorted()
    remap = np.empty(order.size, dtype=np.int64)
    remap[order] = np.arange(order.size)
    vocabulary = names[order]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    m = sparse.csr_matrix((np.ones(total, dtype=np.int64), remap[ids], indptr),
                          shape=(len(lists), vocabulary.size))
    m.sum_duplicates()
    m.sort_indices()
    return _terms(m, vocabulary.astype(object))


def sparse_nbytes(m) -> int:
    """Bytes of a CSR/CSC matrix's three arrays."""
    return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes)


def _arrays_nbytes(vocabulary: np.ndarray, *arrays: np.ndarray) -> int:
    """Bytes of numeric arrays plus an object array of str (pointers and the strings)."""
    strings = sum(sys.getsizeof(t) for t in vocabulary.tolist())
    return int(vocabulary.nbytes + strings + sum(a.nbytes for a in arrays))


def memory_text(nbytes: int) -> str:
    """``'12.3 MiB in memory'``, in the binary units of the cost guards' messages."""
    return f"{format_bytes(nbytes)} in memory"


def _terms(m, vocabulary) -> DocumentTerms:
    df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.int64)
    count = np.asarray(m.sum(axis=0)).ravel().astype(np.int64)
    return DocumentTerms(matrix=m, vocabulary=np.asarray(vocabulary, dtype=object),
                         document_frequency=df, count=count)


# --------------------------------------------------------------------------- document_terms


@result
class DocumentTerms(Result):
    """Counts of terms in documents: a sparse document-term matrix and its vocabulary.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of int64
        ``matrix[i, j]``: how often term ``j`` occurs in document ``i`` (documents in the
        input order, terms in ``vocabulary`` order).
    vocabulary : ndarray of str
        The terms, sorted (code-point order, as scikit-learn's vectorizers).
    document_frequency : ndarray of int64
        Documents holding each term.
    count : ndarray of int64
        Occurrences of each term in all documents.

    Examples
    --------
    >>> from cxpath.text import document_terms
    >>> document_terms([["late", "refund"], ["refund"]]).loc("refund")
    {'term': 'refund', 'document_frequency': 2, 'count': 2}
    """

    matrix: Any
    vocabulary: np.ndarray
    document_frequency: np.ndarray
    count: np.ndarray

    _key = "term"

    @property
    def term(self) -> np.ndarray:
        return self.vocabulary

    @property
    def n_documents(self) -> int:
        return int(self.matrix.shape[0])

    def _title(self) -> str:
        return "Document-term matrix"

    @property
    def nbytes(self) -> int:
        """Memory held by the sparse matrix and the per-term arrays, in bytes."""
        return sparse_nbytes(self.matrix) + _arrays_nbytes(
            self.vocabulary, self.document_frequency, self.count)

    def _summary(self) -> list[str]:
        return [f"{self.n_documents:,} documents × {self.vocabulary.size:,} terms, "
                f"{int(self.count.sum()):,} tokens; {memory_text(self.nbytes)}"]

    def _columns(self) -> dict:
        return {"term": self.vocabulary, "document_frequency": self.document_frequency,
                "count": self.count}


FUNC_DT = "text.document_terms"


def document_terms(docs: Any, *, min_df: int = 1, max_df: float = 1.0,
                   max_terms: int | None = None,
                   tokenize: Mapping[str, Any] | None = None) -> DocumentTerms:
    """Count the terms of documents into a sparse document-term matrix.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
        Raw documents (tokenised by :func:`~cxpath.text.tokenize` with the ``tokenize``
        options) or documents already tokenised; a :class:`DocumentTerms` is filtered.
    min_df : int, default 1
        Keep terms found in at least this many documents.
    max_df : float, default 1.0
        Keep terms found in at most this share of the documents (in (0, 1]).
    max_terms : int, optional
        Keep the most frequent terms only (ties broken by the term).
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.

    Returns
    -------
    DocumentTerms

    Raises
    ------
    InvalidTypeError
        ``docs`` is not a sequence of documents.
    InvalidParameterError
        A bad ``min_df``, ``max_df``, ``max_terms`` or tokenize option.
    DataError
        No document has a token, or the filters leave no term.

    Examples
    --------
    >>> from cxpath.text import document_terms
    >>> dt = document_terms(["Refund late", "refund refused", "late parts"], min_df=2)
    >>> dt.vocabulary.tolist(), dt.matrix.toarray().tolist()
    (['late', 'refund'], [[1, 1], [0, 1], [1, 0]])
    """
    min_df = v.check_int(min_df, "min_df", FUNC_DT, low=1)
    max_df = v.check_real(max_df, "max_df", FUNC_DT, low=0.0, high=1.0, closed="right")
    if max_terms is not None:
        max_terms = v.check_int(max_terms, "max_terms", FUNC_DT, low=1)
    dt = as_document_terms(docs, "docs", FUNC_DT, tokenize)
    n = dt.n_documents
    keep = (dt.document_frequency >= min_df) & (dt.document_frequency <= max_df * n)
    if max_terms is not None and keep.sum() > max_terms:
        idx = np.flatnonzero(keep)
        order = np.lexsort((idx, -dt.count[idx]))  # most frequent, then vocabulary order
        keep = np.zeros_like(keep)
        keep[idx[order[:max_terms]]] = True
    if not keep.any():
        v.fail("min_df", FUNC_DT, "filters that leave at least one term",
               got=f"min_df={min_df}, max_df={max_df} on {dt.vocabulary.size} terms", data=True)
    if keep.all():
        return dt
    m = dt.matrix[:, np.flatnonzero(keep)].tocsr()
    m.sort_indices()
    return _terms(m, dt.vocabulary[keep])


# --------------------------------------------------------------------------- tfidf


@result
class TfIdf(Result):
    """TF-IDF weights of documents: a sparse matrix, its vocabulary and the idf.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of float64
        ``tf × idf`` per document and term, rows scaled to unit norm (``norm``).
    vocabulary : ndarray of str
    idf : ndarray of float
        ``ln((1 + n) / (1 + df)) + 1`` (smooth) or ``ln(n / df) + 1``.
    document_frequency : ndarray of int64
    terms : DocumentTerms
        The counts weighted.
    norm : str or None
    """

    matrix: Any
    vocabulary: np.ndarray
    idf: np.ndarray
    document_frequency: np.ndarray
    terms: DocumentTerms
    norm: str | None

    _key = "term"

    @property
    def term(self) -> np.ndarray:
        return self.vocabulary

    def _title(self) -> str:
        return "TF-IDF"

    @property
    def nbytes(self) -> int:
        """Memory held by the weights and the per-term arrays (the counts not included)."""
        return sparse_nbytes(self.matrix) + _arrays_nbytes(
            self.vocabulary, self.idf, self.document_frequency)

    def _summary(self) -> list[str]:
        return [f"{self.matrix.shape[0]:,} documents × {self.vocabulary.size:,} terms; "
                f"norm {self.norm}; {memory_text(self.nbytes)}"]

    def _columns(self) -> dict:
        return {"term": self.vocabulary, "document_frequency": self.document_frequency,
                "idf": self.idf}


FUNC_TF = "text.tfidf"


def _weigh(dt: DocumentTerms, norm, smooth_idf: bool, sublinear_tf: bool):
    n = dt.n_documents
    df = dt.document_frequency.astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0 if smooth_idf else np.log(n / df) + 1.0
    m = dt.matrix.astype(np.float64)
    if sublinear_tf:
        m.data = 1.0 + np.log(m.data)
    m.data *= idf[m.indices]
    if norm is not None:
        per = m.data ** 2 if norm == "l2" else np.abs(m.data)
        rows = np.diff(m.indptr)
        sums = np.bincount(np.repeat(np.arange(n), rows), weights=per, minlength=n)
        scale = np.ones(n)
        has = rows > 0
        scale[has] = np.sqrt(sums[has]) if norm == "l2" else sums[has]
        m.data /= np.repeat(scale, rows)
    return m, idf


def tfidf(docs: Any, *, norm: str | None = "l2", smooth_idf: bool = True,
          sublinear_tf: bool = False, tokenize: Mapping[str, Any] | None = None) -> TfIdf:
    """TF-IDF weights of documents, as scikit-learn's ``TfidfVectorizer`` by default.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
        As :func:`document_terms` (its filters applied first, if you want them).
    norm : {'l2', 'l1', None}, default 'l2'
        Scale each document's row to unit Euclidean (or absolute) norm.
    smooth_idf : bool, default True
        ``idf = ln((1 + n) / (1 + df)) + 1`` (as if one more document held every term),
        else ``ln(n / df) + 1``.
    sublinear_tf : bool, default False
        Use ``1 + ln(tf)`` instead of the count ``tf``.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.

    Returns
    -------
    TfIdf

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents or options.
    DataError
        No document has a token.

    Notes
    -----
    The same numbers as ``sklearn.feature_extraction.text.TfidfVectorizer(analyzer=
    lambda d: d, norm=norm, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf)`` on the
    same token lists (the tests compare them). Documents without tokens are rows of zeros.

    Examples
    --------
    >>> from cxpath.text import tfidf
    >>> t = tfidf([["refund", "late"], ["refund"]])
    >>> t.matrix.toarray().round(4).tolist()
    [[0.8148, 0.5797], [0.0, 1.0]]
    """
    v.check_option(norm, "norm", FUNC_TF, ("l2", "l1", None))
    smooth_idf = v.check_bool(smooth_idf, "smooth_idf", FUNC_TF)
    sublinear_tf = v.check_bool(sublinear_tf, "sublinear_tf", FUNC_TF)
    dt = as_document_terms(docs, "docs", FUNC_TF, tokenize)
    m, idf = _weigh(dt, norm, smooth_idf, sublinear_tf)
    return TfIdf(matrix=m, vocabulary=dt.vocabulary, idf=idf,
                 document_frequency=dt.document_frequency, terms=dt, norm=norm)


# --------------------------------------------------------------------------- keywords


@result
class Keywords(Result):
    """The top terms of each document or segment, with their scores.

    Attributes
    ----------
    segment : ndarray
        The segment (``by`` value), or the document's position without ``by``.
    rank : ndarray of int
        1 for the best term of its segment.
    term : ndarray of str
    score : ndarray of float
        The TextRank score (PageRank of the term in the segment's co-occurrence graph:
        the scores of a segment sum to 1 over all its terms) or the TF-IDF weight.
    method : str
        ``'textrank'`` or ``'tfidf'``.
    """

    segment: np.ndarray
    rank: np.ndarray
    term: np.ndarray
    score: np.ndarray
    method: str

    _key = ("segment", "term")

    def _title(self) -> str:
        return f"Keywords ({self.method})"

    def _columns(self) -> dict:
        return {"segment": self.segment, "rank": self.rank, "term": self.term,
                "score": self.score}

    def top(self, segment: Any) -> list[str]:
        """The keywords of ``segment``, best first.

        Examples
        --------
        >>> from cxpath.text import keywords
        >>> keywords([["late", "refund"], ["late", "parts"]], method="tfidf").top(0)
        ['refund', 'late']
        """
        hit = np.array([same_label(s, segment) for s in self.segment.tolist()], dtype=bool)
        if not hit.any():
            from ..errors import UnknownLabelError

            raise UnknownLabelError(v.message("segment", "text.Keywords.top", "one of "
                                              + v.show_list(dict.fromkeys(self.segment.tolist())),
                                              v.show(segment)))
        return self.term[hit].tolist()


def pagerank(weights, damping: float = 0.85, tol: float = 1e-12,
             max_iter: int = 500) -> np.ndarray:
    """PageRank of a weighted graph given as a square sparse (or dense) matrix.

    A node's rank is ``(1 − d) / N + d Σ_j w_ji / W_j · r_j``; nodes without edges spread
    their rank over all nodes (networkx's ``pagerank`` does the same).

    Examples
    --------
    >>> import numpy as np
    >>> pagerank(np.array([[0, 1.0], [1.0, 0]])).tolist()
    [0.5, 0.5]
    """
    w = sparse.csr_matrix(weights, dtype=np.float64)
    n = w.shape[0]
    out_w = np.asarray(w.sum(axis=1)).ravel()
    dangling = out_w == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, out_w))
    p = sparse.diags(inv) @ w  # row-stochastic where there are edges
    pt = p.T.tocsr()
    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (pt @ r + r[dangling].sum() / n) + (1.0 - damping) / n
        done = np.abs(new - r).sum() < n * tol
        r = new
        if done:
            break
    return r


def _cooccurrence(lists: list, window: int):
    """Weighted co-occurrence graph of the tokens of ``lists`` (no edge across documents)."""
    vocab: dict = {}
    rows, cols = [], []
    for doc in lists:
        ids = [vocab.setdefault(t, len(vocab)) for t in doc]
        for i, a in enumerate(ids):
            for b in ids[i + 1:i + window]:
                if a != b:
                    rows += (a, b)
                    cols += (b, a)
    n = len(vocab)
    w = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    w.sum_duplicates()
    return w, np.array(list(vocab), dtype=object)


FUNC_KW = "text.keywords"


def same_label(x, label) -> bool:
    """Whether segment ``x`` is ``label`` (equal, or equal as text: ``"7"`` finds ``7``)."""
    try:
        if bool(x == label):
            return True
    except (TypeError, ValueError):  # arrays compared element-wise, odd objects
        return False
    return isinstance(label, (str, int, np.integer)) and str(x) == str(label)


def _segments(by, n: int, func: str):
    if by is None:
        return np.arange(n), np.arange(n)
    values = v.array(by, "by", func, dtype=object)
    if values.ndim != 1 or values.size != n:
        v.fail("by", func, f"one segment label per document ({n})",
               got=f"an array of shape {values.shape}")
    from ..privacy import _is_missing

    bad = [i for i, x in enumerate(values.tolist()) if _is_missing(x)]
    if bad:
        v.fail("by", func, "free of missing labels", got=f"a missing label at position {bad[0]}",
               data=True)
    labels = list(dict.fromkeys(values.tolist()))
    with contextlib.suppress(TypeError):
        labels = sorted(labels)
    code = {x: i for i, x in enumerate(labels)}
    out = np.empty(len(labels), dtype=object)
    out[:] = labels
    return out, np.array([code[x] for x in values.tolist()], dtype=np.int64)


def keywords(docs: Any, *, by: Any = None, method: str = "textrank", top: int = 10,
             window: int = 5, damping: float = 0.85,
             tokenize: Mapping[str, Any] | None = None) -> Keywords:
    """The keywords of each document, or of each segment (channel, product, month).

    Parameters
    ----------
    docs : sequence of str or of token lists
        Raw documents (tokenised with ``tokenize`` options) or token lists, in order: the
        window of TextRank needs the order of the tokens.
    by : array-like, optional
        A segment label per document; without it, keywords per document.
    method : {'textrank', 'tfidf'}, default 'textrank'
        ``'textrank'``: PageRank on the graph of terms co-occurring within ``window``
        tokens (Mihalcea & Tarau 2004), edges weighted by how often, over the documents
        of the segment. ``'tfidf'``: the document's TF-IDF weights (:func:`tfidf`), or
        their mean over the segment's documents.
    top : int, default 10
        Keywords kept per segment (fewer if it has fewer terms).
    window : int, default 5
        Tokens ``i`` and ``j`` co-occur when ``0 < |i − j| < window`` (jieba's span).
    damping : float, default 0.85
        PageRank's damping factor, in (0, 1).
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.

    Returns
    -------
    Keywords
        One row per segment and keyword, best first within the segment (ties by term).

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents or options; ``by`` of the wrong length.
    DataError
        No document has a token; a missing segment label.

    References
    ----------
    Mihalcea, R. & Tarau, P. (2004). TextRank: Bringing order into texts. *EMNLP 2004*,
    404–411.

    Examples
    --------
    >>> from cxpath.text import keywords
    >>> docs = ["engineer late again, engineer never called", "refund late",
    ...         "spare part missing, engineer waiting for part"]
    >>> keywords(docs, by=["field", "billing", "field"], top=2).top("field")
    ['engineer', 'part']
    """
    method = v.check_option(method, "method", FUNC_KW, ("textrank", "tfidf"))
    top = v.check_int(top, "top", FUNC_KW, low=1)
    window = v.check_int(window, "window", FUNC_KW, low=2)
    damping = v.check_real(damping, "damping", FUNC_KW, low=0.0, high=1.0, closed="neither")
    lists = token_lists(docs, "docs", FUNC_KW, tokenize)
    labels, code = _segments(by, len(lists), FUNC_KW)
    if not any(lists):
        v.fail("docs", FUNC_KW, "documents with at least one token",
               got=f"{len(lists)} document(s) without tokens", data=True)
    seg, rank, term, score = [], [], [], []
    if method == "tfidf":
        t = tfidf(lists)
        g = sparse.csr_matrix((np.ones(code.size), (code, np.arange(code.size))),
                              shape=(labels.size, code.size))
        sizes = np.bincount(code, minlength=labels.size).astype(np.float64)
        mean = sparse.diags(1.0 / sizes) @ (g @ t.matrix)
        mean = sparse.csr_matrix(mean)
        mean.sort_indices()
        for s in range(labels.size):
            lo, hi = mean.indptr[s], mean.indptr[s + 1]
            idx, val = mean.indices[lo:hi], mean.data[lo:hi]
            names = t.vocabulary[idx]
            order = np.lexsort((names.astype(str), -val))[:top]
            seg += [labels[s]] * order.size
            rank += range(1, order.size + 1)
            term += names[order].tolist()
            score += val[order].tolist()
    else:
        members: list[list] = [[] for _ in range(labels.size)]
        for i, s in enumerate(code.tolist()):
            members[s].append(lists[i])
        for s in range(labels.size):
            w, names = _cooccurrence(members[s], window)
            if names.size == 0:
                continue
            val = pagerank(w, damping)
            order = np.lexsort((names.astype(str), -val))[:top]
            seg += [labels[s]] * order.size
            rank += range(1, order.size + 1)
            term += names[order].tolist()
            score += val[order].tolist()
    segment = np.empty(len(seg), dtype=object)
    segment[:] = seg
    if by is None:
        segment = segment.astype(np.int64)
    return Keywords(segment=segment, rank=np.asarray(rank, dtype=np.int64),
                    term=np.asarray(term, dtype=object), score=np.asarray(score, dtype=float),
                    method=method)
