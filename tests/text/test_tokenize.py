"""cxpath.text.tokenize: service-domain segmentation, both Chinese scripts, masking, inputs."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import threading

import numpy as np
import pytest

from cxpath.errors import InvalidParameterError, InvalidTypeError, MissingExtraError
from cxpath.text import STOP_WORDS, TRADITIONAL, tokenize

tk_mod = sys.modules["cxpath.text.tokenizer"]
needs_jieba = pytest.mark.skipif(importlib.util.find_spec("jieba") is None,
                                 reason="the 'zh' extra (jieba) is not installed")

# Domain words jieba 0.42.1's default dictionary splits (首次/解决/率 …), checked below.
DOMAIN = ["首次解决率", "平均处理时长", "一次修复率", "备件库存", "工单升级", "服务网点"]
SUBJECTS = ["这个月", "上周", "华东区", "本季度", "夜班", "新来的坐席"]
COMMENTS = ["明显下降", "比去年高", "需要改进", "客户很不满意", "影响了满意度"]
# 6 subjects × 6 domain words × 5 comments = 180 sentences, plus 120 with two domain words
SENTENCES = [f"{s}{w}{c}" for s, w, c in itertools.product(SUBJECTS, DOMAIN, COMMENTS)] + \
    [f"{s}{a}和{b}{c}" for (a, b), s, c in itertools.product(
        itertools.permutations(DOMAIN, 2), SUBJECTS[:2], COMMENTS[:2])]


def test_sentences_are_a_few_hundred():
    assert len(SENTENCES) == 300


@needs_jieba
def test_without_the_user_dictionary_domain_words_are_split():
    tokens = tokenize(SENTENCES, stop_words=None)
    flat = {t for doc in tokens for t in doc}
    assert not flat & set(DOMAIN)
    # jieba's own cut of the first one: 首次 / 解决 / 率
    assert tokenize("首次解决率", stop_words=None) == ["首次", "解决", "率"]


@needs_jieba
def test_user_dictionary_keeps_every_domain_word_whole():
    tokens = tokenize(SENTENCES, user_words=DOMAIN, stop_words=None)
    for sentence, doc in zip(SENTENCES, tokens):
        for w in DOMAIN:
            assert doc.count(w) == sentence.count(w), (sentence, doc)
    # and pieces of domain words no longer appear alone
    flat = [t for doc in tokens for t in doc]
    assert "解决" not in flat and "率" not in flat


@needs_jieba
def test_user_dictionary_with_frequencies_and_no_global_state():
    import jieba

    before = jieba.lcut("首次解决率")
    out = tokenize("首次解决率很差", user_words={"首次解决率": 50000}, stop_words=None)
    assert out[0] == "首次解决率"
    assert jieba.lcut("首次解决率") == before == ["首次", "解决", "率"]
    assert "首次解决率" not in jieba.dt.FREQ  # jieba's global dictionary untouched
    assert tokenize("首次解决率", stop_words=None) == ["首次", "解决", "率"]


@needs_jieba
def test_synonyms_map_english_abbreviations_to_the_chinese_term():
    out = tokenize(["FCR 太低", "首次解决率太低"], synonyms={"FCR": "首次解决率"})
    assert out[0][0] == out[1][0] == "首次解决率"


def _to_traditional(text: str) -> str:
    back: dict = {}
    for trad, simp in TRADITIONAL.items():
        back.setdefault(simp, trad)
    return "".join(back.get(c, c) for c in text)


@needs_jieba
def test_traditional_and_simplified_give_the_same_tokens():
    trad = [_to_traditional(s) for s in SENTENCES]
    changed = sum(a != b for a, b in zip(trad, SENTENCES))
    assert changed >= 250  # 决→決, 处→處, 备→備, 单→單, 务→務, 点→點 …
    assert trad[0] == "這個月首次解決率明顯下降"
    assert tokenize(trad, user_words=DOMAIN) == tokenize(SENTENCES, user_words=DOMAIN)
    # the seeds' own pairs
    assert tokenize("工單處理太慢，備件沒到") == tokenize("工单处理太慢，备件没到")
    # without folding, the traditional form stays as it is
    assert "備件" in "".join(tokenize("備件沒到", traditional=False, stop_words=None))


@needs_jieba
def test_traditional_map_can_be_extended():
    assert "乾" not in TRADITIONAL
    assert tokenize("乾", traditional={"乾": "干"}, stop_words=None) == ["干"]


@needs_jieba
def test_mixed_chinese_english_and_masking():
    text = "订单SO12345678的备件没到，电话138-1234-5678，邮件li.wei@example.cn，等了3天"
    out = tokenize(text, order_ids=r"SO\d{8}", keep_masked=True)
    # 的, 没, 到, 等, 了 are built-in stop words
    assert out == ["订单", "<ORDER>", "备件", "电话", "<PHONE>", "邮件", "<EMAIL>", "<NUM>", "天"]
    assert tokenize(text, order_ids=r"SO\d{8}") == ["订单", "备件", "电话", "邮件", "天"]


@needs_jieba
def test_thread_safe_with_different_dictionaries():
    tk_mod._CACHE.clear()
    serial = {i: tokenize(SENTENCES[:40], user_words=DOMAIN[:i]) for i in range(4)}
    tk_mod._CACHE.clear()
    got: dict = {}

    def run(i):
        got[i] = tokenize(SENTENCES[:40], user_words=DOMAIN[:i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == serial


def test_missing_jieba_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)
    monkeypatch.setattr(tk_mod, "_CACHE", type(tk_mod._CACHE)())
    with pytest.raises(MissingExtraError, match=r"Chinese tokenisation \(the cxpath 'zh' "
                                                r"extra\) needs the optional dependency 'jieba'"):
        tokenize("备件没到")
    # text without Chinese never needs jieba
    assert tokenize("parts missing") == ["parts", "missing"]


# --------------------------------------------------------------------------- English


def test_english_lowercase_punctuation_stop_words():
    assert tokenize("The engineer's visit was LATE!!! Again...") == \
        ["engineer's", "visit", "late"]
    assert tokenize("Café déjà-vu naïve") == ["café", "déjà", "vu", "naïve"]


def test_plural_folding():
    out = tokenize("tickets batteries boxes status glass this parts", fold_plurals=True,
                   stop_words=None)
    assert out == ["ticket", "battery", "box", "status", "glass", "this", "part"]


def test_stop_words_none_own_and_extra():
    assert tokenize("the part is late", stop_words=None) == ["the", "part", "is", "late"]
    assert tokenize("the part is late", stop_words=["late"]) == ["the", "part", "is"]
    assert tokenize("the part is late", extra_stop_words=["part"]) == ["late"]
    assert "the" in STOP_WORDS["en"] and "的" in STOP_WORDS["zh"]


def test_numbers_min_length_lowercase_and_keep_masked():
    assert tokenize("waited 45 min", keep_masked=True) == ["waited", "<NUM>", "min"]
    assert tokenize("waited 45 min", numbers=False) == ["waited", "45", "min"]
    assert tokenize("a bb ccc", min_length=2, stop_words=None) == ["bb", "ccc"]
    assert tokenize("Late", lowercase=False) == ["Late"]


def test_vectorised_inputs_and_determinism():
    pd = pytest.importorskip("pandas")
    docs = ["part late", None, float("nan"), "refund"]
    expected = [["part", "late"], [], [], ["refund"]]
    assert tokenize(docs) == expected
    assert tokenize(np.array(docs, dtype=object)) == expected
    assert tokenize(pd.Series(docs)) == expected
    assert tokenize(tuple(docs)) == tokenize(docs)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kw, cls, msg", [
    ({"texts": 3}, InvalidTypeError, r"'texts' parameter of text\.tokenize must be a str"),
    ({"texts": [["a"]]}, InvalidTypeError, r"'texts' parameter of text\.tokenize"),
    ({"language": "fr"}, InvalidParameterError, r"'language'.*one of 'auto', 'zh', 'en'"),
    ({"user_words": "首次"}, InvalidTypeError, r"'user_words'"),
    ({"user_words": ["a b"]}, InvalidParameterError, r"words of text without spaces"),
    ({"user_words": {"工单": 0}}, InvalidParameterError, r"'user_words'"),
    ({"synonyms": ["a"]}, InvalidTypeError, r"'synonyms'"),
    ({"synonyms": {"a": ""}}, InvalidParameterError, r"non-empty str"),
    ({"stop_words": 3}, InvalidTypeError, r"'stop_words'"),
    ({"stop_words": "english"}, InvalidParameterError, r"'stop_words'.*'default'"),
    ({"extra_stop_words": [""]}, InvalidParameterError, r"'extra_stop_words'"),
    ({"traditional": {"乾坤": "干"}}, InvalidParameterError, r"single characters"),
    ({"traditional": "yes"}, InvalidTypeError, r"'traditional'"),
    ({"order_ids": "("}, InvalidParameterError,
     r"'order_ids' parameter of text\.tokenize must be a regular expression"),
    ({"numbers": 1}, InvalidTypeError, r"'numbers'.*True or False"),
    ({"keep_masked": None}, InvalidTypeError, r"'keep_masked'"),
    ({"lowercase": "no"}, InvalidTypeError, r"'lowercase'"),
    ({"fold_plurals": 0}, InvalidTypeError, r"'fold_plurals'"),
    ({"min_length": 0}, InvalidParameterError, r"'min_length'"),
])
def test_bad_input(kw, cls, msg):
    kw = {"texts": ["part late"], **kw}
    with pytest.raises(cls, match=msg):
        tokenize(**kw)
