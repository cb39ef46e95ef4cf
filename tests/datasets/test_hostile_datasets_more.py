"""Regression tests for hostile-input failures of cxpath.datasets (issue #18)."""

from __future__ import annotations

import attrs
import pytest

from cxpath.datasets import load_sample, write_cache
from cxpath.errors import InvalidParameterError, InvalidTypeError


@pytest.mark.parametrize(("field", "value", "line"), [
    ("survey", {}, "  survey: no columns"),
    ("survey", {"x": -57}, "  survey: rows unknown, columns x"),
    ("failures", 0, "  failures: not a dict of columns (int)"),
    ("weekly_parts", True, "  weekly_parts: not a dict of columns (bool)"),
])
def test_repr_never_raises(field, value, line):
    text = repr(attrs.evolve(load_sample(), **{field: value}))
    assert line in text.splitlines()


def test_repr_bad_events():
    assert repr(attrs.evolve(load_sample(), events={})).splitlines()[0] == "ServiceSample"


def test_repr_unchanged():
    first = repr(load_sample()).splitlines()[0]
    assert first.startswith("ServiceSample: 5,000 cases, 15,204 events from 2025-01-01")


@pytest.mark.parametrize(("path", "cls"), [(float("inf"), InvalidTypeError),
                                           ("a\x00b", InvalidParameterError)])
def test_write_cache_path(path, cls):
    with pytest.raises(cls, match=r"'path' parameter of datasets\.write_cache must be"):
        write_cache(path)
