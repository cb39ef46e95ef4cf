"""Keyed pseudonyms: HMAC-SHA-256 checked against RFC 4231's published test vectors."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.privacy import pseudonymize


def test_rfc_4231_test_case_6():
    # RFC 4231 section 4.7: key = 0xaa * 131, data "Test Using Larger Than Block-Size Key -
    # Hash Key First", HMAC-SHA-256 = 60e43159 1ee0b67f ...
    key = bytes([0xAA]) * 131
    data = "Test Using Larger Than Block-Size Key - Hash Key First"
    assert pseudonymize([data], key, length=64).tolist() == [
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"]


def test_stable_joinable_and_reversible_only_through_the_mapping():
    secret = "a long team secret, kept safe"
    a = pseudonymize(["C-1", "C-2", None, "C-1", 7, float("nan")], secret)
    b = pseudonymize(np.array(["C-2", "7"]), secret)
    assert a[0] == a[3] and a[1] == b[0] and a[4] == b[1]  # 7 and "7" alike
    assert a[2] is None and a[5] is None
    assert all(len(p) == 16 for p in a[[0, 1, 3, 4]])
    assert pseudonymize(["C-1"], secret + "!")[0] != a[0]  # another secret, other names
    codes, mapping = pseudonymize(["C-1", "C-2", "C-1"], secret, return_mapping=True)
    assert [mapping[c] for c in codes] == ["C-1", "C-2", "C-1"]


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match="at least 16 bytes"):
        pseudonymize(["x"], "short")
    with pytest.raises(InvalidParameterError, match="'secret' parameter"):
        pseudonymize(["x"], 12345678901234567890)
    with pytest.raises(InvalidParameterError, match="'length'"):
        pseudonymize(["x"], "a long team secret, kept safe", length=4)
    # 8 hex characters (32 bits) over 200,000 ids collide (birthday bound): reported
    with pytest.raises(DataError, match="share"):
        pseudonymize(np.arange(200_000), "a long team secret, kept safe", length=8)
