"""Private keys and private text: pseudonyms for ids, placeholders for contact details.

:func:`pseudonymize` replaces each id by a keyed hash. It is stable across runs and machines
for the same secret, so tables pseudonymized separately still join. Without the secret it
cannot be reversed or recomputed from a list of candidate ids (unlike a plain hash of a
phone number); reversing is possible only through the mapping the caller chooses to keep
(``return_mapping=True``). It is written on :mod:`hmac` from the standard library.

:func:`mask_text` replaces phone numbers and e-mail addresses in free text (ticket notes,
chat transcripts, survey comments) by placeholder tokens such as ``<PHONE>`` and
``<EMAIL>``, and optionally order ids and every other number.

Examples
--------
>>> from cxpath.privacy import mask_text, pseudonymize
>>> pseudonymize(["C-001", "C-002", "C-001"], secret="a long team secret, kept safe").tolist()
['598e6bfbc218e264', '4c7e3bc0822886d3', '598e6bfbc218e264']
>>> mask_text("请拨打 138-1234-5678 或发邮件到 li.wei@example.cn")
'请拨打 <PHONE> 或发邮件到 <EMAIL>'
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import _validate as v

__all__ = ["KINDS", "mask_text", "pseudonymize"]

FUNC = "privacy.pseudonymize"


def _secret_bytes(secret: Any) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, (bytes, bytearray)):
        v.fail("secret", FUNC, "a str or bytes", got=type(secret).__name__)
    if len(secret) < 16:
        v.fail("secret", FUNC, "at least 16 bytes long (a short secret can be guessed)",
               got=f"{len(secret)} bytes")
    return bytes(secret)


def pseudonymize(keys: Any, secret: str | bytes, *, length: int = 16,
                 return_mapping: bool = False) -> np.ndarray | tuple[np.ndarray, dict]:
    """Keyed pseudonyms of ids: ``HMAC-SHA-256(secret, str(id))`` as hex, truncated.

    Parameters
    ----------
    keys : array-like
        Case, customer or agent ids (any values; each is hashed as ``str(value)``, so
        ``7`` and ``"7"`` get the same pseudonym). ``None`` and NaN stay missing.
    secret : str or bytes
        At least 16 bytes. The same secret gives the same pseudonyms everywhere; keep it
        out of the data and out of version control.
    length : int, default 16
        Hex characters kept (4 bits each): 16 gives 64 bits, so collisions are negligible
        below about 10⁸ distinct ids; up to 64.
    return_mapping : bool, default False
        Also return ``{pseudonym: original id}`` for the caller to keep (the only way back).

    Returns
    -------
    ndarray of object, or (ndarray, dict)

    Raises
    ------
    InvalidParameterError
        A short or non-text secret, a bad length.
    DataError
        Two distinct ids with the same pseudonym (raise ``length``).
    """
    key = _secret_bytes(secret)
    length = v.check_int(length, "length", FUNC, low=8, high=64)
    return_mapping = v.check_bool(return_mapping, "return_mapping", FUNC)
    values = np.asarray(keys, dtype=object).ravel()
    missing = np.array([x is None or (isinstance(x, float) and x != x) for x in values.tolist()],
                       dtype=bool)
    texts = [str(x) for x in values[~missing].tolist()]
    distinct = sorted(set(texts))
    code = {t: hmac.new(key, t.encode("utf-8"), hashlib.sha256).hexdigest()[:length]
            for t in distinct}
    seen: dict = {}
    for text, pseudonym in code.items():
        if pseudonym in seen:
            v.fail("length", FUNC, "long enough for distinct pseudonyms",
                   got=f"{length}: {seen[pseudonym]!r} and {text!r} share {pseudonym!r}",
                   data=True)
        seen[pseudonym] = text
    out = np.full(values.size, None, dtype=object)
    out[~missing] = [code[t] for t in texts]
    if not return_mapping:
        return out
    originals = dict(zip(texts, values[~missing].tolist()))
    return out, {p: originals[t] for p, t in seen.items()}


# --------------------------------------------------------------------------- mask_text

MASK = "privacy.mask_text"

#: The kinds of private text :func:`mask_text` finds, in the order it masks them, with
#: their default placeholder tokens.
KINDS = {"email": "<EMAIL>", "order": "<ORDER>", "phone": "<PHONE>", "number": "<NUM>"}

# Full-width digits and signs (common in Chinese text) are matched as their ASCII forms; the
# translation keeps every character's position, so spans found on it apply to the original.
_FOLD = str.maketrans("０１２３４５６７８９＋－（）　．", "0123456789+-() .")

_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"  # RFC 5322 atext: what a local part is made of
_SYMBOLS = "!#$%&'*+/=?^_`{|}~-."
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?<![{_ATEXT}.])[{_ATEXT}.]+@(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9\-]*"
                    r"[A-Za-z0-9])?(?![A-Za-z0-9])")

# Phone candidates; each alternative has its own check (digit counts, dates) in _phone_span.
# Every group after the first needs a separator, so a digit run splits one way only.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,])(?:"
    r"(?P<cn>(?:(?:\+|00)86[ \-]?|\(\+?86\)[ \-]?)?1[3-9][0-9](?:[ \-]?[0-9]{4}){2})"
    r"|(?P<intl>(?:\+|00)[1-9][0-9]{0,14}(?:(?:[ .\-]|(?=\())\(?[0-9]{1,10}\)?){0,6})"
    r"|(?P<us>(?:1[ .\-])?(?:\([2-9][0-9]{2}\)[ .\-]?|[2-9][0-9]{2}[ .\-])[0-9]{3}[ .\-]"
    r"[0-9]{4})"
    r"|(?P<hotline>[48]00[ \-]?[0-9]{3}[ \-]?[0-9]{4})"
    r"|(?P<national>\(?0[0-9]{1,4}\)?(?:[ .\-/][0-9]{2,8}){1,4})"
    r")(?![0-9A-Za-z])(?![.,][0-9])")

_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")

# (fewest, most) digits of a phone number by kind: E.164 allows 15 after the '+'; national
# numbers with their leading 0 (trunk prefix) have 9 to 12 (Germany, France, the UK, China)
_PHONE_DIGITS = {"intl": (8, 15), "national": (9, 12)}


def _email_span(match: re.Match, text: str) -> tuple[int, int]:
    """The address of a match without leading punctuation (``'bob@x.org'`` keeps its
    quotes): symbols are legal in a local part, but rarely open one."""
    local = match[0][:match[0].index("@")]
    lead = len(local) - len(local.lstrip(_SYMBOLS))
    return (match.start() + (lead if lead < len(local) else 0), match.end())


def _phone_span(match: re.Match, text: str) -> tuple[int, int] | None:
    """The phone number of a candidate match, or None if it is not one.

    International and national numbers may have picked up a following number (``… 5678
    2024``): the number is then the longest run of leading digit groups within the kind's
    digit count. A national candidate shaped like a date (``01.02.2024``) is not a phone.
    """
    kind = match.lastgroup
    if kind not in _PHONE_DIGITS:
        return match.span()
    low, high = _PHONE_DIGITS[kind]
    groups = list(_DIGITS.finditer(text, match.start(), match.end()))
    if kind == "national" and len(groups) >= 3 and len(groups[0][0]) <= 2 \
            and len(groups[1][0]) <= 2 and len(groups[2][0]) == 4:
        return None  # dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy
    total, end = 0, None
    for g in groups:
        total += len(g[0])
        if total > high:
            break
        if total >= low:
            end = g.end()
    if end is not None and text.count("(", match.start(), end) != \
            text.count(")", match.start(), end):
        return None  # "(030 1234567": searched again from the next character
    return None if end is None else (match.start(), end)


def _mask(doc: str, regex: re.Pattern, token: str, check=None) -> tuple[str, int]:
    """``doc`` with every accepted match of ``regex`` replaced by ``token``.

    ``check(match, folded)`` gives the ``(start, end)`` to replace within the match (None:
    not accepted; the search then goes on from the next character).
    """
    folded = doc.translate(_FOLD)
    out, last, pos, n = [], 0, 0, 0
    while True:
        m = regex.search(folded, pos)
        if m is None:
            break
        span = m.span() if check is None else check(m, folded)
        if span is None or span[1] <= span[0]:
            pos = m.start() + 1
            continue
        out += [doc[last:span[0]], token]
        last = pos = span[1]
        n += 1
    if not n:
        return doc, 0
    out.append(doc[last:])
    return "".join(out), n


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and x != x) or \
        type(x).__name__ in ("NAType", "NaTType")


def _documents(texts) -> tuple[list, bool]:
    """The documents as a list, and whether a single str was given."""
    if isinstance(texts, str):
        return [texts], True
    if hasattr(texts, "to_list") and not isinstance(texts, np.ndarray):
        texts = texts.to_list()  # polars Series
    elif hasattr(texts, "tolist"):
        arr = np.asarray(texts, dtype=object) if not hasattr(texts, "dtype") else texts
        if getattr(arr, "ndim", 1) != 1:
            v.fail("texts", MASK, "a str or a 1-D list, array or Series of str",
                   got=f"an array of shape {np.shape(arr)}")
        texts = arr.tolist()
    elif isinstance(texts, (list, tuple)):
        texts = list(texts)
    else:
        v.fail("texts", MASK, "a str or a 1-D list, array or Series of str",
               got=type(texts).__name__, wrong_type=True)
    for i, x in enumerate(texts):
        if not isinstance(x, str) and not _is_missing(x):
            v.fail("texts", MASK, "documents of text (str, or None for a missing one)",
                   got=f"{type(x).__name__} {x!r} at position {i}", wrong_type=True)
    return texts, False


def _order_pattern(order_ids, tokens: dict) -> re.Pattern | None:
    if order_ids is None:
        return None
    if isinstance(order_ids, re.Pattern):
        pattern = order_ids
    elif isinstance(order_ids, str):
        try:
            pattern = re.compile(order_ids)
        except re.error as exc:
            v.fail("order_ids", MASK, "a regular expression", got=f"{order_ids!r} ({exc})")
    else:
        v.fail("order_ids", MASK, "None, a regular expression (str) or a compiled re.Pattern",
               got=type(order_ids).__name__, wrong_type=True)
    if not isinstance(pattern.pattern, str):
        v.fail("order_ids", MASK, "a text (str) pattern", got=repr(pattern.pattern),
               wrong_type=True)
    if pattern.fullmatch("") is not None:
        v.fail("order_ids", MASK, "a pattern that does not match empty text",
               got=repr(pattern.pattern))
    hit = [t for t in tokens.values() if pattern.search(t)]
    if hit:
        v.fail("order_ids", MASK, "a pattern that matches none of the placeholders",
               got=f"{pattern.pattern!r}, which matches {hit[0]!r}")
    return pattern


def _tokens(placeholders) -> dict:
    tokens = dict(KINDS)
    if placeholders is None:
        return tokens
    if not isinstance(placeholders, Mapping):
        v.fail("placeholders", MASK, "None or a mapping of kind to token",
               got=type(placeholders).__name__, wrong_type=True)
    for kind, token in placeholders.items():
        if kind not in KINDS:
            v.fail("placeholders", MASK, f"keyed by kinds ({', '.join(KINDS)})", got=repr(kind))
        if not isinstance(token, str) or not token.strip() or "@" in token or \
                any(c.isdigit() for c in token.translate(_FOLD)):
            v.fail("placeholders", MASK, "tokens of text without digits or '@' (masking "
                   "again must leave them alone)", got=f"{kind}: {token!r}")
        tokens[kind] = token
    return tokens


def mask_text(texts: Any, *, emails: bool = True, phones: bool = True,
              order_ids: str | re.Pattern | None = None, numbers: bool = False,
              placeholders: Mapping[str, str] | None = None,
              return_counts: bool = False) -> Any:
    """Replace e-mail addresses, phone numbers and optionally order ids and numbers in
    free text by placeholder tokens.

    Deterministic and idempotent (masking masked text changes nothing, as long as the
    ``order_ids`` pattern does not match a placeholder); made for ticket notes, chat
    transcripts and survey comments in Chinese, English and European languages, before
    they are stored, shared or tokenised.

    Parameters
    ----------
    texts : str, or 1-D list, tuple, ndarray, pandas or polars Series of str
        The documents. None, NaN and pandas' NA are missing documents and stay missing.
    emails : bool, default True
        Mask e-mail addresses (RFC 5322 dot-atom local part, domain of at least two
        labels) as ``<EMAIL>``.
    phones : bool, default True
        Mask phone numbers as ``<PHONE>``: Chinese mobiles (``1[3-9]`` and 9 digits, bare
        or as 3-4-4 groups, with an optional ``+86``, ``0086`` or ``(+86)``), international
        numbers in E.164 form (``+`` or ``00``, country code, 8 to 15 digits, groups
        separated by spaces, dots, hyphens or parentheses), North American numbers
        (``(415) 555-2671``, ``415-555-2671``, ``1-800-555-0199``), national numbers with a
        trunk 0 (``030 12345678``, ``06 12 34 56 78``, ``020 7946 0958``,
        ``010-12345678``: 9 to 12 digits) and Chinese service numbers (``400-820-8820``).
        Numbers inside words or longer digit runs are left alone, as are dates
        (``2024-01-15``, ``15.01.2024``), times, prices and version numbers.
    order_ids : str or re.Pattern, optional
        A regular expression of your order (or ticket, contract) ids, for instance
        ``r"SO\\d{8}"``; matches become ``<ORDER>``. Masked after e-mail addresses and
        before phone numbers.
    numbers : bool, default False
        Also mask every remaining number (runs of digits with ``.``, ``,`` or ``:`` inside)
        as ``<NUM>``: amounts, dates and times too.
    placeholders : mapping, optional
        Other tokens for some kinds (``{"phone": "[电话]"}``); keys among ``'email'``,
        ``'order'``, ``'phone'``, ``'number'``. Tokens hold no digit and no ``@``.
    return_counts : bool, default False
        Also return how many of each kind were masked in each document.

    Returns
    -------
    str or ndarray of object
        A str for a str, else one masked document per input document (None where one is
        missing). With ``return_counts=True``, a tuple of that and ``{kind: counts}`` (an
        int, or an int64 array per document) for the kinds masked.

    Raises
    ------
    InvalidTypeError
        ``texts`` is not text, or holds a document that is not a str.
    InvalidParameterError
        A bad ``order_ids`` pattern (not a regular expression, or matching empty text) or
        placeholder.

    Notes
    -----
    Full-width digits and signs (``１３８``, ``＋``) are read as their ASCII forms. The
    patterns are linear in the length of the text. Masking is pattern matching: a number
    written like a phone number (``13812345678`` as an amount) is masked, and a phone
    number written in words, or an address with a non-ASCII local part, is not.

    Examples
    --------
    >>> from cxpath.privacy import mask_text
    >>> mask_text(["Call +44 20 7946 0958 or (415) 555-2671, not on 2024-01-15.",
    ...            "订单 SO20240115 已发货，请联系 +86 139 1234 5678", None],
    ...           order_ids=r"SO\\d{8}")
    array(['Call <PHONE> or <PHONE>, not on 2024-01-15.', '订单 <ORDER> 已发货，请联系 <PHONE>',
           None], dtype=object)
    >>> masked, counts = mask_text("mail a.b@x.org, v1.2.3 costs $13.80", numbers=True,
    ...                            return_counts=True)
    >>> masked, counts
    ('mail <EMAIL>, v<NUM> costs $<NUM>', {'email': 1, 'phone': 0, 'number': 2})
    """
    docs, single = _documents(texts)
    emails = v.check_bool(emails, "emails", MASK)
    phones = v.check_bool(phones, "phones", MASK)
    numbers = v.check_bool(numbers, "numbers", MASK)
    return_counts = v.check_bool(return_counts, "return_counts", MASK)
    tokens = _tokens(placeholders)
    order = _order_pattern(order_ids, tokens)
    passes = [(kind, regex, check) for kind, on, regex, check in (
        ("email", emails, _EMAIL, _email_span), ("order", order is not None, order, None),
        ("phone", phones, _PHONE, _phone_span), ("number", numbers, _NUMBER, None)) if on]
    out = np.full(len(docs), None, dtype=object)
    counts = {kind: np.zeros(len(docs), dtype=np.int64) for kind, _, _ in passes}
    for i, doc in enumerate(docs):
        if _is_missing(doc):
            continue
        for kind, regex, check in passes:
            found = -1
            while found:  # again until none is left: a token next to a match may open one
                doc, found = _mask(doc, regex, tokens[kind], check)  # that text hid
                counts[kind][i] += found
                found = found and kind != "order"  # each other round takes digits or '@'
        out[i] = doc
    if single:
        out = out[0]
        counts = {k: int(c[0]) for k, c in counts.items()}
    return (out, counts) if return_counts else out
