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
