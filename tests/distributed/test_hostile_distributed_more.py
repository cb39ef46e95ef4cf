"""Regression tests for hostile-input failures of cxpath.distributed (issue #18)."""

from __future__ import annotations

import pytest

from cxpath.errors import InvalidParameterError, InvalidTypeError

pytest.importorskip("dask")

from cxpath.distributed import journey_stats, top_variants


@pytest.mark.parametrize("func", [journey_stats, top_variants])
@pytest.mark.parametrize(("scheduler", "cls"), [("", InvalidParameterError),
                                                (-1051, InvalidTypeError)])
def test_scheduler(func, scheduler, cls):
    with pytest.raises(cls, match=rf"'scheduler' parameter of distributed\.{func.__name__} "
                       r"must be .*'threads'"):
        func(None, case="c", touchpoint="t", scheduler=scheduler)
