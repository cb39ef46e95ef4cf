"""Progress and memory reporting of the text pipeline (#21 point 6)."""

from __future__ import annotations

import sys

import pytest

from cxpath.errors import InvalidTypeError
from cxpath.text import document_terms, tfidf, themes, tokenize
from cxpath.text.terms import memory_text

DOCS = ["refund invoice charge", "engineer visit repair", "refund charge late"] * 4


def test_tokenize_reports_every_ten_thousand_documents_and_the_end():
    seen = []
    tokenize(["late refund"] * 25_001, language="en", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(10_000, 25_001), (20_000, 25_001), (25_001, 25_001)]


def test_themes_reports_the_tokenising_then_each_fit():
    seen = []
    themes(DOCS, 2, n_init=3, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(12, 12), (1, 3), (2, 3), (3, 3)]


def test_themes_on_token_lists_reports_the_fits_only():
    seen = []
    themes([d.split() for d in DOCS], 2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 1)]


@pytest.mark.parametrize("func", [lambda p: tokenize(DOCS, progress=p),
                                  lambda p: themes(DOCS, 2, progress=p)])
def test_a_bad_progress_value_is_refused_before_the_work(func):
    with pytest.raises(InvalidTypeError, match=r"The 'progress' parameter of text\.\w+ must be"):
        func("yes")


def test_memory_of_the_matrices_is_the_bytes_of_their_arrays():
    dt = document_terms(DOCS)
    m = dt.matrix
    strings = sum(sys.getsizeof(t) for t in dt.vocabulary.tolist())
    # direct count: CSR arrays + object pointers + the str objects + two int64 arrays
    assert dt.nbytes == (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
                         + 8 * dt.vocabulary.size + strings + 2 * 8 * dt.vocabulary.size)
    tf = tfidf(DOCS)
    assert tf.nbytes == (tf.matrix.data.nbytes + tf.matrix.indices.nbytes
                         + tf.matrix.indptr.nbytes + 8 * tf.vocabulary.size + strings
                         + 2 * 8 * tf.vocabulary.size)
    th = themes(DOCS, 2)
    n, k, terms = len(DOCS), 2, dt.vocabulary.size
    assert th.nbytes == 8 * (n * k + k * terms + n + n)
    assert memory_text(th.nbytes) in str(th)


@pytest.mark.parametrize(("nbytes", "text"), [(999, "999 B in memory"),
                                              (1_536, "1.5 KiB in memory"),
                                              (2_340_000, "2.2 MiB in memory"),
                                              (3 * 2**30, "3.0 GiB in memory")])
def test_memory_text(nbytes, text):
    assert memory_text(nbytes) == text
