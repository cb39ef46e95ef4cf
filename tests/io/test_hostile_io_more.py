"""Regression tests for hostile-input failures of cxpath.io (issue #18)."""

from __future__ import annotations

import pytest

from cxpath.errors import InvalidParameterError
from cxpath.io import read_events


@pytest.mark.parametrize("encoding", ["", "\x84", "\x00", "no-such-codec", "base64"])
def test_unknown_encoding(tmp_path, encoding):
    path = tmp_path / "ev.csv"
    path.write_text("case,tp,t\n1,a,2025-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=r"'encoding' parameter of io\.read_events "
                       r"must be the name of a text encoding Python knows"):
        read_events(path, encoding=encoding)
