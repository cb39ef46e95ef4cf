"""Private keys: stable pseudonyms for case and customer ids (keyed HMAC-SHA-256).

:func:`pseudonymize` replaces each id by a keyed hash. It is stable across runs and machines
for the same secret, so tables pseudonymized separately still join. Without the secret it
cannot be reversed or recomputed from a list of candidate ids (unlike a plain hash of a
phone number); reversing is possible only through the mapping the caller chooses to keep
(``return_mapping=True``). It is written on :mod:`hmac` from the standard library.

Examples
--------
>>> from cxpath.privacy import pseudonymize
>>> pseudonymize(["C-001", "C-002", "C-001"], secret="a long team secret, kept safe").tolist()
['598e6bfbc218e264', '4c7e3bc0822886d3', '598e6bfbc218e264']
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import numpy as np

from . import _validate as v

__all__ = ["pseudonymize"]

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
