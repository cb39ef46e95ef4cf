"""Doctest set-up for ``pytest --doctest-modules`` over cxpath/.

Modules whose optional dependency is missing are not collected (their doctests would fail
on the import, not on cxpath).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

collect_ignore = []
for folder, needs in (("cxpath/plot", "matplotlib"), ("cxpath/distributed", "dask")):
    if importlib.util.find_spec(needs) is None:
        collect_ignore.append(folder)


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["np"] = np


@pytest.fixture(autouse=True)
def _pandas_display_defaults():
    """Peers change pandas' global display options on import (``reliability`` sets a
    float format); doctests that print frames must see pandas' defaults."""
    import sys

    pd = sys.modules.get("pandas")
    if pd is not None:
        pd.reset_option("display.float_format")
    yield

