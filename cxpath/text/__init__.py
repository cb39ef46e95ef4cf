"""Text: voice of the customer — tokens, keywords, distinctive terms and themes.

:func:`tokenize` splits ticket notes, chat lines and survey comments into tokens: private
details masked (:func:`cxpath.privacy.mask_text`), Chinese segmented by jieba (the ``zh``
extra) with a service-domain dictionary, traditional characters folded to simplified,
English and other space-delimited languages split by a built-in tokeniser, stop words
dropped. :func:`document_terms` and :func:`tfidf` build the sparse document-term matrix
and its TF-IDF weights; :func:`keywords` ranks the terms of each document or segment by
TextRank or TF-IDF; :func:`distinctive_terms` finds the terms a segment, period or
touchpoint uses more than the rest (log-odds with an informative Dirichlet prior);
:func:`themes` and :func:`choose_themes` find NMF or LDA themes (the ``text`` extra,
scikit-learn) with their top terms, coherence, representative documents and shares by
segment or period.

Examples
--------
>>> from cxpath.text import distinctive_terms, tokenize
>>> notes = ["The engineer was late, again", "Engineer late, part missing",
...          "Refund still not paid", "Charged twice, refund please"]
>>> tokenize(notes[1])
['engineer', 'late', 'part', 'missing']
>>> d = distinctive_terms(notes, ["field", "field", "billing", "billing"], top=2)
>>> d.term.tolist()
['refund', 'charged', 'engineer', 'late']
"""

from .distinctive import DistinctiveTerms, distinctive_terms
from .terms import DocumentTerms, Keywords, TfIdf, document_terms, keywords, tfidf
from .themes import (
    ThemeChoice,
    ThemeDocuments,
    Themes,
    ThemeShares,
    choose_themes,
    coherence,
    themes,
)
from .tokenizer import STOP_WORDS, TRADITIONAL, tokenize

__all__ = ["STOP_WORDS", "TRADITIONAL", "DistinctiveTerms", "DocumentTerms", "Keywords",
           "TfIdf", "ThemeChoice", "ThemeDocuments", "ThemeShares", "Themes", "choose_themes",
           "coherence", "distinctive_terms", "document_terms", "keywords", "themes", "tfidf",
           "tokenize"]
