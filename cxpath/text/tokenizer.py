"""Tokenisation of service text: Chinese through jieba, space-delimited languages built in.

:func:`tokenize` turns a column of documents (ticket notes, chat lines, survey comments)
into lists of tokens: private details masked by :func:`cxpath.privacy.mask_text` first,
traditional Chinese characters folded to simplified ones, Chinese segmented by a private
``jieba.Tokenizer`` (the ``zh`` extra) with an optional service-domain user dictionary,
other text split on letters and digits, then lower-cased, mapped through synonyms and
cleared of stop words.

Examples
--------
>>> from cxpath.text import tokenize
>>> tokenize(["The agents closed 3 tickets, call me on (415) 555-2671!", None],
...          fold_plurals=True)
[['agent', 'closed', 'ticket', 'call'], []]
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from .. import _validate as v
from .._optional import require
from .._progress import reporter
from ..privacy import KINDS, _documents, mask_text

__all__ = ["STOP_WORDS", "TRADITIONAL", "tokenize"]

FUNC = "text.tokenize"

# --------------------------------------------------------------------------- built-in lists

#: Small built-in stop-word lists (function words of service text), by language.
STOP_WORDS: Mapping[str, frozenset] = {
    "en": frozenset("""a about above after again against all am an and any are as at be
        because been before being below between both but by can could did do does doing
        down during each few for from further had has have having he her here hers him his
        how i if in into is it its itself just me more most my no nor not now of off on once
        only or other our ours out over own same she should so some such than that the
        their theirs them then there these they this those through to too under until up
        very was we were what when where which while who whom why will with would you your
        yours yourself please hi hello thanks thank also get got still would could us let
        s t don didn doesn isn wasn won can't i'm it's""".split()),  # noqa: SIM905
    "zh": frozenset("""的 了 和 是 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 我 你
        他 她 它 这 那 这个 那个 这些 那些 在 也 又 但 但是 所以 因为 如果 就是 还是 已经 还
        对 把 被 让 给 向 从 到 于 为 为了 以 之 吧 吗 呢 啊 呀 哦 嗯 哈 么 很 非常 太 有 没 不
        要 会 能 可以 一下 一些 什么 怎么 这样 那样 自己 请 您 亲 谢谢 你好 好的 然后 等 等等
        上 下 中 里 时候 现在 其实 可能 而且 并且 只是 一直 一样 每次""".split()),  # noqa: SIM905
}

# Traditional characters and their simplified forms, for the characters of service text
# (orders, repairs, complaints, accounts) and the most frequent function words; only
# characters whose simplified form is unambiguous in this domain. Extend it with
# ``traditional=`` (or convert whole texts with OpenCC before calling :func:`tokenize`).
_PAIRS = (
    "這这個个們们來来時时為为說说對对會会還还沒没過过後后現现問问題题應应從从開开關关點点"
    "務务單单號号碼码電电話话訊讯機机線线質质貨货發发訂订購购買买賣卖價价費费錢钱帳账賬账"
    "戶户員员師师維维備备換换處处態态長长張张經经驗验體体網网頁页錯错誤误無无聯联繫系係系"
    "滿满響响實实際际級级別别達达遲迟確确認认證证詢询諮咨議议評评記记錄录調调報报訴诉決决"
    "辦办標标準准轉转則则規规設设計计狀状況况間间幾几與与並并將将樣样麼么嗎吗讓让給给請请"
    "謝谢車车輛辆門门廣广東东區区幫帮寫写讀读學学習习書书頭头產产廠厂裝装運运輸输遞递郵邮"
    "額额積积優优專专業业熱热掛挂斷断隊队億亿萬万條条項项類类總总結结統统數数據据庫库軟软"
    "舊旧壞坏損损檢检測测試试導导責责負负擔担絕绝鐘钟鐵铁銀银鎖锁鑰钥飛飞場场難难雙双勞劳"
    "動动權权紅红綠绿藍蓝黃黄圖图視视頻频聲声樂乐觀观覺觉願愿讚赞贊赞歡欢愛爱氣气憤愤惡恶"
    "極极爛烂滯滞緩缓漲涨貴贵虧亏賠赔償偿補补鬧闹煩烦務务辭辞職职態态傳传遠远週周碼码齊齐"
    "夠够壓压靜静熱热溫温濕湿燈灯鍵键盤盘螢萤幕幕顯显響响充充纜缆蓋盖殼壳膠胶鏡镜櫃柜櫥橱"
    "箱箱門门鎖锁資资訊讯紀纪綁绑註注冊册碼码驗验權权隱隐私私讀读寫写錄录態态擊击續续費费"
    "約约預预銷销貨货倉仓儲储點点櫃柜臺台檯台灣湾產产區区縣县鄉乡鎮镇個个簡简繁繁體体"
)
#: The built-in map from traditional to simplified Chinese characters.
TRADITIONAL: Mapping[str, str] = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)
                                  if _PAIRS[i] != _PAIRS[i + 1]}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PLACEHOLDER = re.compile("(" + "|".join(re.escape(t) for t in KINDS.values()) + ")")
_LANGUAGES = ("auto", "zh", "en")
_PROGRESS_EVERY = 10_000

# --------------------------------------------------------------------------- jieba, privately

_LOCK = threading.Lock()
_BASE: list = []  # the one jieba.Tokenizer loaded from jieba's dictionary (read only)
_CACHE: OrderedDict = OrderedDict()  # user dictionary -> private jieba.Tokenizer
_CACHE_SIZE = 8


def _jieba_tokenizer(words: tuple):
    """A private ``jieba.Tokenizer`` knowing ``words`` (``(word, freq or None)`` pairs).

    jieba's global dictionary is never touched: the default dictionary is loaded once into
    a base instance, and each user dictionary gets its own instance with a copy of it.
    """
    jieba = require("jieba", "Chinese tokenisation (the cxpath 'zh' extra)")
    with _LOCK:
        if words in _CACHE:
            _CACHE.move_to_end(words)
            return _CACHE[words]
        if not _BASE:
            base = jieba.Tokenizer()
            base.initialize()
            _BASE.append(base)
        base = _BASE[0]
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
        for word, freq in words:
            tk.add_word(word, freq)
        _CACHE[words] = tk
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return tk


# --------------------------------------------------------------------------- checks


def _str_set(value, name: str, func: str, what: str) -> frozenset:
    if isinstance(value, str) or not isinstance(value, Iterable) or isinstance(value, Mapping):
        v.fail(name, func, what, got=type(value).__name__, wrong_type=True)
    out = []
    for i, x in enumerate(value):
        if not isinstance(x, str) or not x.strip():
            v.fail(name, func, what, got=f"{x!r} at position {i}",
                   wrong_type=not isinstance(x, str))
        out.append(x)
    return frozenset(out)


def _user_words(value, func: str) -> tuple:
    if value is None:
        return ()
    what = "None, an iterable of words or a mapping of word to frequency (a positive integer)"
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str):
        items = [(w, None) for w in value]
    else:
        v.fail("user_words", func, what, got=type(value).__name__, wrong_type=True)
    out = {}
    for word, freq in items:
        if not isinstance(word, str) or not word.strip() or any(c.isspace() for c in word):
            v.fail("user_words", func, "words of text without spaces", got=repr(word),
                   wrong_type=not isinstance(word, str))
        if freq is not None:
            freq = v.check_int(freq, "user_words", func, low=1)
        out[word] = freq
    return tuple(sorted(out.items(), key=lambda kv: kv[0]))


def _char_map(value, func: str) -> dict:
    if value is None or value is True:
        return dict(TRADITIONAL)
    if value is False:
        return {}
    if not isinstance(value, Mapping):
        v.fail("traditional", func, "True, False or a mapping of traditional to simplified "
               "characters", got=type(value).__name__, wrong_type=True)
    out = dict(TRADITIONAL)
    for k, x in value.items():
        if not (isinstance(k, str) and isinstance(x, str) and len(k) == 1 and len(x) == 1):
            v.fail("traditional", func, "a mapping of single characters to single characters",
                   got=f"{k!r}: {x!r}")
        out[k] = x
    return out


def _synonyms(value, func: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        v.fail("synonyms", func, "None or a mapping of token to its canonical token",
               got=type(value).__name__, wrong_type=True)
    out = {}
    for k, x in value.items():
        if not (isinstance(k, str) and isinstance(x, str) and k.strip() and x.strip()):
            v.fail("synonyms", func, "a mapping of non-empty str to non-empty str",
                   got=f"{k!r}: {x!r}")
        out[k.lower()] = x.lower()
    return out


def _stop_words(stop_words, extra, func: str) -> frozenset:
    if isinstance(stop_words, str):
        v.check_option(stop_words, "stop_words", func, ("default",))
        base = STOP_WORDS["en"] | STOP_WORDS["zh"]
    elif stop_words is None:
        base = frozenset()
    else:
        base = _str_set(stop_words, "stop_words", func,
                        "'default', None or an iterable of str")
    more = _str_set(extra, "extra_stop_words", func, "an iterable of str")
    return frozenset(w.lower() for w in base | more)


# --------------------------------------------------------------------------- tokenize


def _fold_plural(word: str) -> str:
    """English plural to singular by suffix: ``batteries`` → ``battery``, ``boxes`` →
    ``box``, ``tickets`` → ``ticket``; ``status``, ``glass``, ``this`` stay."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def tokenize(texts: Any, *, language: str = "auto", user_words: Any = None,
             synonyms: Mapping[str, str] | None = None, stop_words: Any = "default",
             extra_stop_words: Iterable[str] = (), traditional: bool | Mapping[str, str] = True,
             order_ids: str | re.Pattern | None = None, numbers: bool = True,
             keep_masked: bool = False, lowercase: bool = True, fold_plurals: bool = False,
             min_length: int = 1, progress: Any = None) -> list:
    """Split service text into tokens, one list per document.

    Parameters
    ----------
    texts : str, or 1-D list, tuple, ndarray, pandas or polars Series of str
        The documents; None and NaN are missing and give an empty list.
    language : {'auto', 'zh', 'en'}, default 'auto'
        ``'zh'`` segments every document with jieba (which also splits the Latin words of
        mixed text); ``'en'`` splits on runs of letters and digits (English and other
        space-delimited languages: accents and apostrophes stay inside words); ``'auto'``
        uses jieba for documents holding a Chinese character, the built-in splitter for
        the others, so jieba is needed only when there is Chinese text.
    user_words : iterable of str or mapping of str to int, optional
        A service-domain dictionary for jieba (``["首次解决率", "工单", "备件"]``, or
        ``{word: frequency}``): these are kept as one word. Loaded into a private
        ``jieba.Tokenizer``, never into jieba's global dictionary.
    synonyms : mapping of str to str, optional
        Tokens replaced by a canonical one after lower-casing (``{"fcr":
        "首次解决率"}``); Chinese keys are added to the user dictionary.
    stop_words : 'default', None or iterable of str, default 'default'
        Tokens dropped: the built-in English and Chinese lists (:data:`STOP_WORDS`), none,
        or your own list.
    extra_stop_words : iterable of str, default ()
        Tokens dropped as well (extends ``stop_words``).
    traditional : bool or mapping, default True
        Fold traditional characters to simplified ones with the built-in map
        (:data:`TRADITIONAL`), so both scripts give the same tokens; a mapping adds or
        overrides characters; False leaves the text as it is.
    order_ids : str or re.Pattern, optional
        A regular expression of your order or ticket ids, masked before tokenising (see
        :func:`cxpath.privacy.mask_text`); e-mail addresses and phone numbers are always
        masked.
    numbers : bool, default True
        Mask every other number too.
    keep_masked : bool, default False
        Keep the placeholders (``<EMAIL>``, ``<PHONE>``, ``<ORDER>``, ``<NUM>``) as tokens
        instead of dropping them.
    lowercase : bool, default True
        Lower-case tokens (before synonyms and stop words).
    fold_plurals : bool, default False
        Fold English plurals by suffix (``tickets`` → ``ticket``, ``batteries`` →
        ``battery``).
    min_length : int, default 1
        Drop tokens with fewer characters.
    progress : bool or callable, optional
        ``True`` shows the documents done (a tqdm bar with the ``progress`` extra, else
        about ten lines on stderr); a callable gets ``(done, total)`` every
        10,000 documents and at the end.

    Returns
    -------
    list of str or list of list of str
        The tokens of a str, else one list of tokens per document.

    Raises
    ------
    InvalidTypeError
        ``texts`` is not text, or an option has the wrong type.
    InvalidParameterError
        A bad option value (unknown language, empty words, a bad order-id pattern).
    MissingExtraError
        Chinese text (or ``language='zh'``) without jieba installed (``pip install
        'cxpath[zh]'``).

    Notes
    -----
    Deterministic: the same documents and options give the same tokens, in any thread.
    Tokens are: masked placeholders, then jieba's words or the splitter's runs of letters
    and digits; whitespace and punctuation never become tokens. Folding traditional
    characters happens before segmentation (jieba's dictionary is simplified); OpenCC
    (``opencc-python-reimplemented``) converts whole phrases when the built-in character
    map is not enough.

    Examples
    --------
    >>> from cxpath.text import tokenize
    >>> tokenize("Refund for order SO12345678 please: mail a.b@example.com",
    ...          order_ids=r"SO\\d{8}", keep_masked=True)
    ['refund', 'order', '<ORDER>', 'mail', '<EMAIL>']
    >>> tokenize(["首次解决率太低，工单处理太慢", "首次解決率太低，工單處理太慢"],
    ...          user_words=["首次解决率"])
    [['首次解决率', '太低', '工单', '处理', '太慢'], ['首次解决率', '太低', '工单', '处理', '太慢']]
    """
    docs, single = _documents_for(texts)
    language = v.check_option(language, "language", FUNC, _LANGUAGES)
    words = _user_words(user_words, FUNC)
    syn = _synonyms(synonyms, FUNC)
    stops = _stop_words(stop_words, extra_stop_words, FUNC)
    fold = _char_map(traditional, FUNC)
    numbers = v.check_bool(numbers, "numbers", FUNC)
    keep_masked = v.check_bool(keep_masked, "keep_masked", FUNC)
    lowercase = v.check_bool(lowercase, "lowercase", FUNC)
    fold_plurals = v.check_bool(fold_plurals, "fold_plurals", FUNC)
    min_length = v.check_int(min_length, "min_length", FUNC, low=1)
    report = reporter(progress, len(docs), "documents", FUNC)
    table = str.maketrans(fold) if fold else None
    extra = {w: None for w in (*syn, *syn.values()) if _HAN.search(w)}
    words = tuple(sorted({**extra, **dict(words)}.items(), key=lambda kv: kv[0])) \
        if extra else words
    try:
        masked = mask_text(docs, order_ids=order_ids, numbers=numbers)
    except v.InvalidParameterError as exc:  # the message names privacy.mask_text's option
        raise type(exc)(str(exc).replace("privacy.mask_text", FUNC)) from None
    jieba_tk = None
    out = []
    for i, doc in enumerate(masked.tolist()):
        if i % _PROGRESS_EVERY == 0 and i:
            report(i)
        if doc is None:
            out.append([])
            continue
        if table is not None:
            doc = doc.translate(table)
        han = language == "zh" or (language == "auto" and _HAN.search(doc) is not None)
        if han and jieba_tk is None:
            jieba_tk = _jieba_tokenizer(words)
        tokens = []
        for k, piece in enumerate(_PLACEHOLDER.split(doc)):
            if k % 2:
                if keep_masked:
                    tokens.append(piece)
                continue
            raw = jieba_tk.cut(piece) if han else _WORD.findall(piece)
            for t in raw:
                if not _WORD.search(t):
                    continue  # whitespace, punctuation
                t = t.strip()
                if lowercase:
                    t = t.lower()
                if fold_plurals and t.isascii():
                    t = _fold_plural(t)
                t = syn.get(t, t)
                if len(t) >= min_length and t not in stops:
                    tokens.append(t)
        out.append(tokens)
    report(len(docs))
    report.close()
    return out[0] if single else out


def _documents_for(texts) -> tuple[list, bool]:
    """The documents as a list (privacy's reader, with this function's name in errors)."""
    try:
        return _documents(texts)
    except v.InvalidParameterError as exc:
        raise type(exc)(str(exc).replace("privacy.mask_text", FUNC)) from None
