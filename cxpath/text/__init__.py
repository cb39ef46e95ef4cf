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
segment or period. :func:`lexicon_sentiment` scores sentiment from a Chinese and English
lexicon with negation and degree words (per aspect term: :func:`aspect_sentiment`),
:func:`train_sentiment` fits a calibrated model on labelled text, and
:func:`classify_reasons` trains a complaint-reason classifier validated in time folds
(:func:`time_folds`) with a list of likely misrouted tickets.

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

from .classify import (
    Misrouted,
    ReasonClassification,
    TextModel,
    classify_reasons,
    time_folds,
)
from .distinctive import DistinctiveTerms, distinctive_terms
from .sentiment import (
    DEGREES,
    NEGATIONS,
    SENTIMENT_LEXICON,
    AspectSentiment,
    Sentiment,
    aspect_sentiment,
    lexicon_sentiment,
    train_sentiment,
)
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

__all__ = ["DEGREES", "NEGATIONS", "SENTIMENT_LEXICON", "STOP_WORDS", "TRADITIONAL",
           "AspectSentiment", "DistinctiveTerms", "DocumentTerms", "Keywords", "Misrouted",
           "ReasonClassification", "Sentiment", "TextModel", "TfIdf", "ThemeChoice",
           "ThemeDocuments", "ThemeShares", "Themes", "aspect_sentiment", "choose_themes",
           "classify_reasons", "coherence", "distinctive_terms", "document_terms", "keywords",
           "lexicon_sentiment", "themes", "tfidf", "time_folds", "tokenize", "train_sentiment"]
