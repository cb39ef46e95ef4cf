import numpy as np
import pytest

from cxpath import Journeys

from ._reference import random_paths


@pytest.fixture
def rows():
    return random_paths(np.random.default_rng(7))


@pytest.fixture
def journeys(rows):
    return Journeys.from_paths([" > ".join(p) for p, *_ in rows], [r[1] for r in rows],
                               [r[2] for r in rows], [r[3] for r in rows])


@pytest.fixture
def cold_kernel():
    """Leave the removal kernel's compile state as it is (see ``_warm_removal_kernel``)."""


@pytest.fixture(autouse=True)
def _warm_removal_kernel(request, monkeypatch):
    """Take the component solver as if its kernel were compiled: the cold-start route to
    the LU depends on numba's cache. Tests that use the ``cold_kernel`` fixture see the
    real state."""
    if "cold_kernel" not in request.fixturenames:
        from cxpath.attribution import _removal as rm

        monkeypatch.setattr(rm, "warm", lambda: True)
