"""Themes: NMF and LDA topics of service text, the number of themes, shares by segment.

:func:`themes` fits non-negative matrix factorisation (on TF-IDF) or latent Dirichlet
allocation (on counts) with scikit-learn (the ``text`` extra) and gives each theme's top
terms, coherence and share of documents; :meth:`Themes.representative` and
:meth:`Themes.shares` give representative documents and the shares by segment or period.
:func:`choose_themes` fits a range of ``k`` and picks the most coherent one (NPMI or
UMass coherence of the top terms).

Examples
--------
>>> from cxpath.text import themes
>>> docs = ["refund invoice charge"] * 5 + ["engineer visit repair"] * 5
>>> t = themes(docs, 2, top=3)
>>> sorted(" ".join(sorted(x.split(", "))) for x in t.top_terms)
['charge invoice refund', 'engineer repair visit']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._optional import require
from .._progress import reporter
from .._results import Result, result
from .terms import DocumentTerms, _segments, _weigh, as_document_terms, memory_text

__all__ = ["ThemeChoice", "ThemeDocuments", "ThemeShares", "Themes", "choose_themes",
           "coherence", "themes"]

FUNC = "text.themes"
_METHODS = ("nmf", "lda")
_COHERENCE = ("npmi", "umass")


def _pairs_coherence(binary, top_idx: np.ndarray, measure: str) -> float:
    """Mean NPMI or UMass coherence over the pairs of ``top_idx`` (in rank order)."""
    b = binary[:, top_idx]
    co = np.asarray((b.T @ b).todense(), dtype=np.float64)
    d = np.diag(co).copy()
    n = binary.shape[0]
    vals = []
    for m in range(1, top_idx.size):
        for ell in range(m):
            dml = co[m, ell]
            if measure == "umass":
                vals.append(np.log((dml + 1.0) / d[ell]))
            elif dml == 0:
                vals.append(-1.0)
            else:
                pij = dml / n
                pmi = np.log(pij / ((d[m] / n) * (d[ell] / n)))
                vals.append(pmi / -np.log(pij) if pij < 1.0 else 1.0)
    return float(np.mean(vals)) if vals else float("nan")


def coherence(docs: Any, terms: Iterable[Iterable[str]], *, measure: str = "npmi",
              tokenize: Mapping[str, Any] | None = None) -> np.ndarray:
    """Coherence of each list of terms (a theme's top terms) in a corpus.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
        The reference corpus (usually the one the themes were fitted on).
    terms : iterable of iterables of str
        Each theme's terms, best first; at least two per theme, all in the corpus.
    measure : {'npmi', 'umass'}, default 'npmi'
        ``'npmi'``: mean normalised pointwise mutual information of the pairs, with
        document co-occurrence probabilities (Bouma 2009; −1 for pairs never together),
        in [−1, 1]. ``'umass'``: mean over pairs ``m > l`` of ``ln((D(w_m, w_l) + 1) /
        D(w_l))`` (Mimno et al. 2011), at most 0 — ``D`` counts documents.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.

    Returns
    -------
    ndarray of float
        One coherence per theme; higher is more coherent.

    Raises
    ------
    InvalidParameterError
        A theme with fewer than two terms, or a term not in the corpus.

    References
    ----------
    Mimno, D., Wallach, H., Talley, E., Leenders, M. & McCallum, A. (2011). Optimizing
    semantic coherence in topic models. *EMNLP 2011*, 262–272.
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *GSCL 2009*, 31–40.
    Röder, M., Both, A. & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *WSDM 2015*, 399–408.

    Examples
    --------
    >>> from cxpath.text import coherence
    >>> docs = [["refund", "invoice"], ["refund", "invoice"], ["engineer", "visit"]]
    >>> coherence(docs, [["refund", "invoice"], ["refund", "visit"]]).tolist()
    [1.0, -1.0]
    """
    fn = "text.coherence"
    measure = v.check_option(measure, "measure", fn, _COHERENCE)
    dt = as_document_terms(docs, "docs", fn, tokenize)
    if isinstance(terms, str) or not isinstance(terms, Iterable):
        v.fail("terms", fn, "an iterable of term lists", got=type(terms).__name__,
               wrong_type=True)
    index = {t: i for i, t in enumerate(dt.vocabulary.tolist())}
    binary = _binary(dt)
    out = []
    for k, theme in enumerate(terms):
        if isinstance(theme, str) or not isinstance(theme, Iterable):
            v.fail("terms", fn, "an iterable of term lists",
                   got=f"{type(theme).__name__} at position {k}", wrong_type=True)
        theme = list(theme)
        if len(theme) < 2:
            v.fail("terms", fn, "lists of at least two terms",
                   got=f"{len(theme)} term(s) at position {k}")
        missing = [t for t in theme if not isinstance(t, str) or t not in index]
        if missing:
            v.fail("terms", fn, "terms of the corpus", got=f"{missing[0]!r} at position {k}")
        out.append(_pairs_coherence(binary, np.array([index[t] for t in theme]), measure))
    if not out:
        v.fail("terms", fn, "at least one term list", got="none")
    return np.asarray(out)


def _binary(dt: DocumentTerms):
    b = dt.matrix.copy()
    b.data = np.ones_like(b.data, dtype=np.float64)
    return b


# --------------------------------------------------------------------------- results


@result
class ThemeDocuments(Result):
    """The documents that load most on each theme.

    Attributes
    ----------
    theme : ndarray of int
    rank : ndarray of int
    document : ndarray of int
        Position of the document in the corpus.
    weight : ndarray of float
        The document's theme weight (its row of ``Themes.weights``).
    """

    theme: np.ndarray
    rank: np.ndarray
    document: np.ndarray
    weight: np.ndarray

    _key = ("theme", "rank")

    def _title(self) -> str:
        return "Representative documents"

    def _columns(self) -> dict:
        return {"theme": self.theme, "rank": self.rank, "document": self.document,
                "weight": self.weight}


@result
class ThemeShares(Result):
    """Theme shares by segment or period: the mean theme weight of the segment's documents.

    Attributes
    ----------
    segment : ndarray
    theme : ndarray of int
    share : ndarray of float
        Mean of the documents' theme weights (each document's weights sum to 1); the
        shares of a segment sum to 1.
    documents : ndarray of int64
        Documents of the segment with at least one term.
    """

    segment: np.ndarray
    theme: np.ndarray
    share: np.ndarray
    documents: np.ndarray

    _key = ("segment", "theme")

    def _title(self) -> str:
        return "Theme shares"

    def _columns(self) -> dict:
        return {"segment": self.segment, "theme": self.theme, "share": self.share,
                "documents": self.documents}


@result
class Themes(Result):
    """Themes of a corpus: top terms, coherence and share per theme.

    Attributes
    ----------
    theme : ndarray of int
        0 to ``k − 1``, by decreasing share of the documents.
    top_terms : ndarray of str
        The theme's top terms, best first, joined by ``', '``.
    share : ndarray of float
        Share of the documents (with terms) whose strongest theme it is; the shares sum
        to ``explained``.
    coherence : ndarray of float
        Coherence of the top terms (``measure``; see :func:`coherence`).
    terms : ndarray of object
        Each theme's top terms as a list.
    components : ndarray of float, shape (k, terms)
        Term weights per theme (NMF's ``H``; LDA's topic-term distributions).
    weights : ndarray of float, shape (documents, k)
        Theme weights per document, rows summing to 1 (0 for documents without terms).
    assignment : ndarray of int
        Each document's strongest theme; −1 for a document without terms or not
        explained by the themes (``fit`` below 0.2).
    fit : ndarray of float
        How well the themes rebuild each document: the cosine of its row (TF-IDF for NMF,
        counts for LDA) and of the row rebuilt from its theme weights (``W H``; LDA:
        ``θ φ``), in [0, 1].
    explained : float
        Share of the documents with terms that are assigned a theme.
    vocabulary : ndarray of str
    method : str
    measure : str
    """

    theme: np.ndarray
    top_terms: np.ndarray
    share: np.ndarray
    coherence: np.ndarray
    terms: np.ndarray
    components: np.ndarray
    weights: np.ndarray
    assignment: np.ndarray
    fit: np.ndarray
    vocabulary: np.ndarray
    method: str
    measure: str

    _key = "theme"

    @property
    def explained(self) -> float:
        return float(self.share.sum())

    def _title(self) -> str:
        return f"Themes ({self.method.upper()}, k = {self.theme.size})"

    @property
    def nbytes(self) -> int:
        """Memory held by the document weights, term components and per-document arrays."""
        return int(self.weights.nbytes + self.components.nbytes + self.assignment.nbytes
                   + self.fit.nbytes)

    def _summary(self) -> list[str]:
        return [f"{self.weights.shape[0]:,} documents, {self.explained:.1%} explained; mean "
                f"{self.measure} coherence {float(np.nanmean(self.coherence)):.3f}; "
                f"{memory_text(self.nbytes)}"]

    def _columns(self) -> dict:
        return {"theme": self.theme, "top_terms": self.top_terms, "share": self.share,
                "coherence": self.coherence}

    def representative(self, n: int = 3) -> ThemeDocuments:
        """The ``n`` documents with the highest weight of each theme (assigned to it).

        Examples
        --------
        >>> from cxpath.text import themes
        >>> t = themes(["refund invoice"] * 3 + ["engineer visit"] * 3, 2)
        >>> t.representative(1).document.size
        2
        """
        n = v.check_int(n, "n", "text.Themes.representative", low=1)
        th, rk, doc, w = [], [], [], []
        for k in range(self.theme.size):
            idx = np.flatnonzero(self.assignment == k)
            order = idx[np.lexsort((idx, -self.weights[idx, k]))][:n]
            th += [k] * order.size
            rk += range(1, order.size + 1)
            doc += order.tolist()
            w += self.weights[order, k].tolist()
        return ThemeDocuments(theme=np.asarray(th, dtype=np.int64),
                              rank=np.asarray(rk, dtype=np.int64),
                              document=np.asarray(doc, dtype=np.int64), weight=np.asarray(w))

    def shares(self, by: Any) -> ThemeShares:
        """Theme shares per segment or period (``by``: one label per document).

        Examples
        --------
        >>> from cxpath.text import themes
        >>> t = themes(["refund invoice"] * 3 + ["engineer visit"] * 3, 2)
        >>> s = t.shares(["2025-01"] * 3 + ["2025-02"] * 3)
        >>> s.share.round(2).tolist()
        [1.0, 0.0, 0.0, 1.0]
        """
        fn = "text.Themes.shares"
        labels, code = _segments(by, self.weights.shape[0], fn)
        used = self.assignment >= 0
        seg, th, share, docs = [], [], [], []
        for s in range(labels.size):
            rows = (code == s) & used
            m = self.weights[rows].mean(axis=0) if rows.any() else np.zeros(self.theme.size)
            seg += [labels[s]] * self.theme.size
            th += self.theme.tolist()
            share += m.tolist()
            docs += [int(rows.sum())] * self.theme.size
        segment = np.empty(len(seg), dtype=object)
        segment[:] = seg
        return ThemeShares(segment=segment, theme=np.asarray(th, dtype=np.int64),
                           share=np.asarray(share), documents=np.asarray(docs, dtype=np.int64))


@result
class ThemeChoice(Result):
    """Coherence and coverage over a range of numbers of themes, and the best fit.

    Attributes
    ----------
    k : ndarray of int
    coherence : ndarray of float
        Mean coherence of the themes' top terms (``measure``).
    explained : ndarray of float
        Share of the documents the themes explain (:attr:`Themes.explained`).
    best : int
        The ``k`` of highest coherence among those explaining at least ``min_explained``
        of the documents (the smallest among ties; the ``k`` explaining most if none does).
    themes : Themes
        The themes fitted with ``best``.
    measure : str
    min_explained : float
    """

    k: np.ndarray
    coherence: np.ndarray
    explained: np.ndarray
    best: int
    themes: Themes
    measure: str
    min_explained: float

    def _title(self) -> str:
        return "Number of themes"

    def _summary(self) -> list[str]:
        return [f"best k = {self.best}: highest mean {self.measure} coherence among the k "
                f"explaining at least {self.min_explained:.0%} of the documents"]

    def _columns(self) -> dict:
        return {"k": self.k, "coherence": self.coherence, "explained": self.explained}


def _check_common(method, top, seed, max_iter, n_init, measure, func):
    method = v.check_option(method, "method", func, _METHODS)
    top = v.check_int(top, "top", func, low=2)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        v.fail("seed", func, "an integer", seed, wrong_type=True)
    seed = v.check_int(seed, "seed", func, low=0, high=2**32 - 1)
    max_iter = v.check_int(max_iter, "max_iter", func, low=1)
    n_init = v.check_int(n_init, "n_init", func, low=1, high=100)
    measure = v.check_option(measure, "measure", func, _COHERENCE)
    return method, top, seed, max_iter, n_init, measure


#: A document is explained by the themes when the cosine of its row and the row rebuilt
#: from its theme weights is at least this.
EXPLAINED = 0.2


def _fit_cosine(x, w: np.ndarray, h: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Cosine of each row of sparse ``x`` and of ``w @ h``, without the dense product."""
    x = x.tocsr()
    n = x.shape[0]
    rows = np.repeat(np.arange(n), np.diff(x.indptr))
    dot = np.zeros(n)
    for lo in range(0, x.nnz, chunk):
        hi = min(lo + chunk, x.nnz)
        r, c = rows[lo:hi], x.indices[lo:hi]
        dot += np.bincount(r, weights=x.data[lo:hi] * np.einsum("ik,ki->i", w[r], h[:, c]),
                           minlength=n)
    rebuilt = np.sqrt(np.maximum(np.einsum("ik,kl,il->i", w, h @ h.T, w), 0.0))
    norm = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    den = rebuilt * norm
    return np.where(den > 0, dot / np.where(den > 0, den, 1.0), 0.0)


def _fit(dt: DocumentTerms, k: int, method: str, top: int, seed: int, max_iter: int,
         n_init: int, measure: str, func: str, progress: Any = None) -> Themes:
    n, n_terms = dt.matrix.shape
    if k > min(n, n_terms):
        v.fail("n_themes", func, f"at most the number of documents and terms "
               f"({min(n, n_terms)})", k, data=True)
    check_memory(8.0 * k * (n + n_terms) * 4, func, f"{k} themes of {n:,} documents")
    dec = require("sklearn.decomposition", "Themes (the cxpath 'text' extra)")
    if method == "nmf":
        x, _ = _weigh(dt, "l2", True, False)
    else:
        x = dt.matrix.astype(np.float64)
    import warnings

    best = None
    report = reporter(progress, n_init, "fits", func)
    for r in range(n_init):
        if method == "nmf":  # NNDSVDa first (deterministic), then random starts
            model = dec.NMF(n_components=k, init="nndsvda" if r == 0 else "random",
                            random_state=seed + r, max_iter=max_iter)
        else:
            model = dec.LatentDirichletAllocation(n_components=k, random_state=seed + r,
                                                  learning_method="batch", max_iter=max_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn's ConvergenceWarning: max_iter is given
            w_r = model.fit_transform(x)
        fit_score = -model.reconstruction_err_ if method == "nmf" else model.score(x)
        if best is None or fit_score > best[0]:
            best = (fit_score, w_r, model.components_)
        report(r + 1)
    report.close()
    _, w, comp = best
    comp = np.asarray(comp, dtype=np.float64)
    used = np.asarray(dt.matrix.sum(axis=1)).ravel() > 0
    if method == "lda":
        comp_fit = comp / comp.sum(axis=1, keepdims=True)  # topic-term distributions
    else:
        comp_fit = comp
    fit = _fit_cosine(x, w, comp_fit)
    rows = w.sum(axis=1)
    w = np.where(rows[:, None] > 0, w / np.where(rows > 0, rows, 1.0)[:, None], 0.0)
    w[~used] = 0.0
    assign = np.where((w.sum(axis=1) > 0) & (fit >= EXPLAINED), np.argmax(w, axis=1), -1)
    counts = np.bincount(assign[assign >= 0], minlength=k)
    order = np.lexsort((np.arange(k), -counts))  # themes by decreasing share
    comp, w = comp[order], w[:, order]
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    assign = np.where(assign >= 0, remap[np.maximum(assign, 0)], -1)
    binary = _binary(dt)
    m = min(top, n_terms)
    tops, cohs = [], []
    for j in range(k):
        idx = np.lexsort((np.arange(n_terms), -comp[j]))[:m]
        tops.append(dt.vocabulary[idx].tolist())
        cohs.append(_pairs_coherence(binary, idx, measure) if m >= 2 else float("nan"))
    terms = np.empty(k, dtype=object)
    terms[:] = tops
    used_n = max(int(used.sum()), 1)
    return Themes(theme=np.arange(k), top_terms=np.array([", ".join(t) for t in tops],
                                                          dtype=object),
                  share=counts[order] / used_n, coherence=np.asarray(cohs), terms=terms,
                  components=comp, weights=w, assignment=assign, fit=fit,
                  vocabulary=dt.vocabulary, method=method, measure=measure)


def themes(docs: Any, n_themes: int, *, method: str = "nmf", top: int = 10, seed: int = 0,
           max_iter: int = 200, n_init: int = 1, measure: str = "npmi",
           tokenize: Mapping[str, Any] | None = None, progress: Any = None) -> Themes:
    """Find ``n_themes`` themes in documents with NMF or LDA.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
        The documents; filter rare and common terms first with
        :func:`~cxpath.text.document_terms` (``min_df=``, ``max_df=``) for large corpora.
    n_themes : int
        Number of themes ``k`` (see :func:`choose_themes`).
    method : {'nmf', 'lda'}, default 'nmf'
        ``'nmf'``: non-negative matrix factorisation of the TF-IDF matrix (smooth idf, l2
        rows; scikit-learn's ``NMF`` with NNDSVDa initialisation, Frobenius loss).
        ``'lda'``: latent Dirichlet allocation of the counts (scikit-learn's
        ``LatentDirichletAllocation``, batch variational Bayes).
    top : int, default 10
        Top terms per theme (at least 2, for coherence).
    seed : int, default 0
        Random state of the fit: the same seed gives the same themes.
    max_iter : int, default 200
        Iterations of the fit.
    n_init : int, default 1
        Fits from different starts (seeds ``seed``, ``seed + 1`` …; for NMF the first
        starts from NNDSVDa, the others at random), keeping the one of least
        reconstruction error (NMF) or highest likelihood bound (LDA). LDA's variational
        fit often stops in a local optimum that merges two themes: use 3 or more.
    measure : {'npmi', 'umass'}, default 'npmi'
        Coherence of the top terms reported per theme (:func:`coherence`).
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.
    progress : bool or callable, optional
        ``True`` shows progress: the documents tokenised (raw documents), then the fits
        (a tqdm bar each with the ``progress`` extra, else about ten lines on stderr); a
        callable gets ``(done, total)`` for both, in that order.

    Returns
    -------
    Themes
        Themes by decreasing share of documents; its summary gives the memory it holds
        (:attr:`Themes.nbytes`).

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents or options.
    DataError
        No tokens, or more themes than documents or terms.
    MissingExtraError
        scikit-learn is not installed (``pip install 'cxpath[text]'``).

    References
    ----------
    Lee, D. D. & Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
    factorization. *Nature* 401, 788–791.
    Blei, D. M., Ng, A. Y. & Jordan, M. I. (2003). Latent Dirichlet allocation. *JMLR* 3,
    993–1022.

    Examples
    --------
    >>> from cxpath.text import themes
    >>> docs = ["退款 发票 扣费 refund", "refund invoice charge 退款", "工程师 上门 维修 engineer",
    ...         "engineer visit repair 维修"] * 3
    >>> t = themes(docs, 2, top=4)
    >>> [terms.split(", ")[:2] for terms in t.top_terms], t.share.tolist()
    ([['refund', '退款'], ['engineer', '维修']], [0.5, 0.5])
    """
    method, top, seed, max_iter, n_init, measure = _check_common(
        method, top, seed, max_iter, n_init, measure, FUNC)
    k = v.check_int(n_themes, "n_themes", FUNC, low=1)
    reporter(progress, 0, "fits", FUNC)  # a bad progress value fails before the work
    dt = as_document_terms(docs, "docs", FUNC, tokenize, progress)
    return _fit(dt, k, method, top, seed, max_iter, n_init, measure, FUNC, progress)


def choose_themes(docs: Any, ks: Iterable[int] = range(2, 11), *, method: str = "nmf",
                  top: int = 10, seed: int = 0, max_iter: int = 200, n_init: int = 1,
                  measure: str = "npmi", min_explained: float = 0.9,
                  tokenize: Mapping[str, Any] | None = None) -> ThemeChoice:
    """Fit themes for each ``k`` in ``ks`` and choose the most coherent ``k`` that explains
    the corpus.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
    ks : iterable of int, default range(2, 11)
        Numbers of themes tried.
    method, top, seed, max_iter, n_init, tokenize
        As :func:`themes`.
    measure : {'npmi', 'umass'}, default 'npmi'
        The coherence averaged over a model's themes (:func:`coherence`). NPMI is the
        default: Röder et al. (2015) found it closer to human ratings than UMass.
    min_explained : float, default 0.9
        Only a ``k`` whose themes explain at least this share of the documents (each
        assigned a theme: ``Themes.fit`` at least 0.2) is a candidate.

    Returns
    -------
    ThemeChoice

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad options or an empty ``ks``.
    DataError
        A ``k`` above the number of documents or terms.
    MissingExtraError
        scikit-learn is not installed.

    Notes
    -----
    Coherence is measured on the corpus the themes were fitted on (intrinsic); it favours
    themes whose top terms occur in the same documents, but not themes that describe all
    of the corpus: with too few themes NMF can give a whole group of documents no theme at
    all and still score well, hence the coverage condition. Read the themes of the
    runner-up ``k`` too before settling: coherence ranks, it does not name themes.

    Examples
    --------
    >>> from cxpath.text import choose_themes
    >>> rng = np.random.default_rng(1)
    >>> words = [["refund", "invoice", "charge", "billing", "paid"],
    ...          ["engineer", "visit", "repair", "part", "late"],
    ...          ["app", "login", "crash", "password", "update"]]
    >>> docs = [" ".join(rng.choice(words[i % 3], 3, replace=False)) for i in range(60)]
    >>> c = choose_themes(docs, [2, 3, 4, 5], top=6)
    >>> c.best, c.coherence.round(2).tolist()
    (3, [-0.07, -0.07, -0.14, -0.18])
    """
    fn = "text.choose_themes"
    method, top, seed, max_iter, n_init, measure = _check_common(
        method, top, seed, max_iter, n_init, measure, fn)
    min_explained = v.check_probability(min_explained, "min_explained", fn)
    if isinstance(ks, (str, bytes)) or not isinstance(ks, Iterable):
        v.fail("ks", fn, "an iterable of integers", got=type(ks).__name__, wrong_type=True)
    ks = sorted({v.check_int(k, "ks", fn, low=1) for k in ks})
    if not ks:
        v.fail("ks", fn, "at least one number of themes", got="none")
    dt = as_document_terms(docs, "docs", fn, tokenize)
    fits = [_fit(dt, k, method, top, seed, max_iter, n_init, measure, fn) for k in ks]
    coh = np.array([float(np.nanmean(f.coherence)) for f in fits])
    expl = np.array([f.explained for f in fits])
    ok = expl >= min_explained - 1e-12
    if ok.any():
        best = int(np.argmax(np.where(ok & ~np.isnan(coh), coh, -np.inf)))
    else:
        best = int(np.argmax(expl))
    return ThemeChoice(k=np.asarray(ks, dtype=np.int64), coherence=coh, explained=expl,
                       best=ks[best], themes=fits[best], measure=measure,
                       min_explained=min_explained)
