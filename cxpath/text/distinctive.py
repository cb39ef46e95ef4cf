"""Terms that distinguish a segment, period or touchpoint from the rest.

:func:`distinctive_terms` compares each segment's term counts with those of all other
documents by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
Quinn 2008, "Fightin' words"), and ranks the terms by its z-score: "what do customers of
channel X complain about more" is one call.

Examples
--------
>>> from cxpath.text import distinctive_terms
>>> docs = [["late", "engineer"], ["late", "engineer", "rude"], ["refund", "late"],
...         ["refund", "invoice"]]
>>> d = distinctive_terms(docs, ["field", "field", "billing", "billing"], top=1)
>>> d.term.tolist(), d.z.round(3).tolist()
(['refund', 'engineer'], [1.133, 0.91])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, result
from .terms import _segments, as_document_terms, same_label

sparse = lazy_module("scipy.sparse")

__all__ = ["DistinctiveTerms", "distinctive_terms"]

FUNC = "text.distinctive_terms"


@result
class DistinctiveTerms(Result):
    """Log-odds ratios of terms, each segment against the rest, with z-scores.

    One row per segment and term, highest z-score first within the segment.

    Attributes
    ----------
    segment : ndarray
    term : ndarray of str
    count : ndarray of int64
        Occurrences of the term in the segment (``y_i``).
    rest_count : ndarray of int64
        Occurrences in all other documents (``y_j``).
    log_odds : ndarray of float
        ``δ = ln((y_i + α) / (n_i + α₀ − y_i − α)) − ln((y_j + α) / (n_j + α₀ − y_j − α))``.
    se : ndarray of float
        ``√(1 / (y_i + α) + 1 / (y_j + α))``.
    z : ndarray of float
        ``δ / se``: above 1.96, the term is used more in the segment at about the 5 % level.
    prior_size : float
        ``α₀``; each term's prior ``α = α₀ · y / n`` is its share of the whole corpus.
    """

    segment: np.ndarray
    term: np.ndarray
    count: np.ndarray
    rest_count: np.ndarray
    log_odds: np.ndarray
    se: np.ndarray
    z: np.ndarray
    prior_size: float

    _key = ("segment", "term")

    def _title(self) -> str:
        return "Distinctive terms (log-odds, informative Dirichlet prior)"

    def _summary(self) -> list[str]:
        return [f"each segment against the rest; prior size α₀ = {self.prior_size:g}"]

    def _columns(self) -> dict:
        return {"segment": self.segment, "term": self.term, "count": self.count,
                "rest_count": self.rest_count, "log_odds": self.log_odds, "se": self.se,
                "z": self.z}


def distinctive_terms(docs: Any, by: Any, *, target: Any = None,
                      prior_size: float | None = None, top: int | None = 20,
                      min_count: int = 1,
                      tokenize: Mapping[str, Any] | None = None) -> DistinctiveTerms:
    """The terms each segment uses more than the rest, by log-odds with an informative prior.

    Parameters
    ----------
    docs : sequence of str, sequence of token lists, or DocumentTerms
        The documents (raw ones tokenised with ``tokenize`` options).
    by : array-like
        A segment (channel, product, period, touchpoint) per document; at least two.
    target : object, optional
        Only this segment against the rest; default every segment.
    prior_size : float, optional
        ``α₀``, the weight of the prior in pseudo-tokens (term ``w`` gets ``α₀ · y_w / n``,
        its share of the whole corpus). Default: the number of tokens ``n`` of the corpus,
        so the prior of a term is its corpus count (the usual choice of "Fightin' words"
        code). Smaller values shrink less.
    top : int or None, default 20
        Terms kept per segment (None: all).
    min_count : int, default 1
        Leave out terms with fewer occurrences in the whole corpus.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` for raw documents.

    Returns
    -------
    DistinctiveTerms

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents or options, ``by`` of the wrong length, a ``target`` not in ``by``.
    DataError
        Fewer than two segments; no tokens; a missing segment label.

    Notes
    -----
    With ``y_i`` the count of a term in segment ``i`` (``n_i`` tokens), ``y_j`` and
    ``n_j`` in the rest, Monroe et al.'s eq. 16 and 18–19 give
    ``δ = ln((y_i + α) / (n_i + α₀ − y_i − α)) − ln((y_j + α) / (n_j + α₀ − y_j − α))``,
    ``Var δ ≈ 1 / (y_i + α) + 1 / (y_j + α)`` and ``z = δ / √Var δ``. Terms are ranked by
    ``z`` (ties by term).

    References
    ----------
    Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: Lexical
    feature selection and evaluation for identifying the content of political conflict.
    *Political Analysis* 16(4), 372–403.

    Examples
    --------
    >>> from cxpath.text import distinctive_terms
    >>> docs = ["app crashed again", "app login crashed", "agent was rude", "agent hung up"]
    >>> distinctive_terms(docs, ["app", "app", "phone", "phone"], target="phone",
    ...                   top=2).term.tolist()
    ['agent', 'hung']
    """
    if prior_size is not None:
        prior_size = v.check_real(prior_size, "prior_size", FUNC, low=0.0, closed="neither")
    if top is not None:
        top = v.check_int(top, "top", FUNC, low=1)
    min_count = v.check_int(min_count, "min_count", FUNC, low=1)
    dt = as_document_terms(docs, "docs", FUNC, tokenize)
    labels, code = _segments(by, dt.n_documents, FUNC)
    if labels.size < 2:
        v.fail("by", FUNC, "at least two segments", got=f"{labels.size} segment", data=True)
    if target is not None:
        hit = [i for i, x in enumerate(labels.tolist()) if same_label(x, target)]
        if not hit:
            v.fail("target", FUNC, "None or one of the segments " + v.show_list(labels.tolist()),
                   target)
        wanted = hit
    else:
        wanted = range(labels.size)
    keep = np.flatnonzero(dt.count >= min_count)
    if keep.size == 0:
        v.fail("min_count", FUNC, "at most the largest term count",
               got=f"{min_count} (largest {int(dt.count.max())})", data=True)
    g = sparse.csr_matrix((np.ones(code.size), (code, np.arange(code.size))),
                          shape=(labels.size, code.size))
    y = np.asarray((g @ dt.matrix).todense(), dtype=np.float64)[:, keep]  # segments × terms
    vocab = dt.vocabulary[keep]
    total = y.sum(axis=0)
    n = float(dt.count.sum())
    a0 = n if prior_size is None else prior_size
    alpha = a0 * dt.count[keep] / n
    sizes = np.asarray(g @ np.asarray(dt.matrix.sum(axis=1), dtype=np.float64)).ravel()
    seg, term, cnt, rest, delta, se, z = [], [], [], [], [], [], []
    for s in wanted:
        yi = y[s]
        yj = total - yi
        ni = sizes[s]
        nj = n - ni
        d = np.log((yi + alpha) / (ni + a0 - yi - alpha)) - \
            np.log((yj + alpha) / (nj + a0 - yj - alpha))
        e = np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        zz = d / e
        order = np.lexsort((vocab.astype(str), -zz))
        if top is not None:
            order = order[:top]
        seg += [labels[s]] * order.size
        term += vocab[order].tolist()
        cnt += yi[order].tolist()
        rest += yj[order].tolist()
        delta += d[order].tolist()
        se += e[order].tolist()
        z += zz[order].tolist()
    segment = np.empty(len(seg), dtype=object)
    segment[:] = seg
    return DistinctiveTerms(segment=segment, term=np.asarray(term, dtype=object),
                            count=np.asarray(cnt, dtype=np.int64),
                            rest_count=np.asarray(rest, dtype=np.int64),
                            log_odds=np.asarray(delta), se=np.asarray(se), z=np.asarray(z),
                            prior_size=float(a0))
