"""cxpath.text.distinctive_terms: Monroe, Colaresi & Quinn (2008) log-odds z-scores."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.text import distinctive_terms, document_terms

COMMON = ["service", "customer", "called", "waited", "problem", "today", "again", "time"]
PLANTED = {"chat": ["bot", "transcript", "typing"], "phone": ["hold", "music", "transfer"],
           "field": ["engineer", "spare", "visit"]}


def _corpus(seed=0, n=300):
    rng = np.random.default_rng(seed)
    channels = list(PLANTED)
    docs, by = [], []
    for i in range(n):
        ch = channels[i % 3]
        words = list(rng.choice(COMMON, 6)) + list(rng.choice(PLANTED[ch], 2))
        # each channel also mentions the others' words now and then
        if rng.random() < 0.2:
            other = channels[(i + 1) % 3]
            words.append(str(rng.choice(PLANTED[other])))
        docs.append([str(w) for w in words])
        by.append(ch)
    return docs, by


def _direct(docs, by, segment, prior_size=None):
    """Monroe et al. (2008) eq. 16, 18-19, written out term by term from Counters."""
    seg = Counter(t for d, b in zip(docs, by) if b == segment for t in d)
    rest = Counter(t for d, b in zip(docs, by) if b != segment for t in d)
    total = seg + rest
    n = sum(total.values())
    ni, nj = sum(seg.values()), sum(rest.values())
    a0 = n if prior_size is None else prior_size
    out = {}
    for w, y in total.items():
        a = a0 * y / n
        yi, yj = seg[w], rest[w]
        d = math.log((yi + a) / (ni + a0 - yi - a)) - math.log((yj + a) / (nj + a0 - yj - a))
        out[w] = (d, d / math.sqrt(1 / (yi + a) + 1 / (yj + a)), yi, yj)
    return out


@pytest.mark.parametrize("prior_size", [None, 10.0, 500.0])
def test_z_scores_equal_a_direct_computation(prior_size):
    docs, by = _corpus()
    res = distinctive_terms(docs, by, top=None, prior_size=prior_size)
    for ch in PLANTED:
        ref = _direct(docs, by, ch, prior_size)
        rows = np.flatnonzero(res.segment == ch)
        assert rows.size == len(ref)
        for r in rows:
            d, z, yi, yj = ref[res.term[r]]
            assert res.log_odds[r] == pytest.approx(d, rel=1e-12)
            assert res.z[r] == pytest.approx(z, rel=1e-12)
            assert (res.count[r], res.rest_count[r]) == (yi, yj)
        assert np.all(np.diff(res.z[rows]) <= 0)  # ranked by z


def test_planted_segment_terms_rank_first():
    docs, by = _corpus()
    res = distinctive_terms(docs, by, top=3)
    for ch, words in PLANTED.items():
        top = res.term[res.segment == ch].tolist()
        assert sorted(top) == sorted(words), (ch, top)
        assert np.all(res.z[res.segment == ch] > 5)


def test_target_and_raw_text_and_document_terms_agree():
    docs, by = _corpus(1, 90)
    one = distinctive_terms(docs, by, target="phone", top=5)
    assert set(one.segment.tolist()) == {"phone"}
    again = distinctive_terms(document_terms(docs), by, target="phone", top=5)
    assert one.term.tolist() == again.term.tolist()
    text = distinctive_terms([" ".join(d) for d in docs], by, target="phone", top=5)
    assert text.term.tolist() == one.term.tolist()
    assert one.loc(("phone", one.term[0]))["z"] == one.z[0]


def test_min_count_drops_rare_terms_but_keeps_segment_sizes():
    docs, by = _corpus(2, 60)
    res = distinctive_terms(docs, by, top=None, min_count=15)
    ref = _direct(docs, by, "chat")
    rows = np.flatnonzero(res.segment == "chat")
    counts = Counter(t for d in docs for t in d)
    assert {res.term[r] for r in rows} == {w for w, c in counts.items() if c >= 15}
    for r in rows:
        assert res.z[r] == pytest.approx(ref[res.term[r]][1], rel=1e-12)


@pytest.mark.parametrize("call, cls, msg", [
    (lambda: distinctive_terms([["a"], ["b"]], ["x"]), InvalidParameterError,
     r"'by' parameter of text\.distinctive_terms must be one segment label per document"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", "x"]), DataError, r"at least two segments"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", None]), DataError, r"missing label"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", "y"], target="z"), InvalidParameterError,
     r"'target'.*one of the segments"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", "y"], prior_size=0), InvalidParameterError,
     r"'prior_size'"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", "y"], top=0), InvalidParameterError,
     r"'top'"),
    (lambda: distinctive_terms([["a"], ["b"]], ["x", "y"], min_count=5), DataError,
     r"'min_count'.*largest 1"),
    (lambda: distinctive_terms(5, ["x", "y"]), InvalidTypeError, r"'docs'"),
    (lambda: distinctive_terms([[], []], ["x", "y"]), DataError, r"at least one token"),
])
def test_bad_input(call, cls, msg):
    with pytest.raises(cls, match=msg):
        call()
