"""Fixtures of the survey tests: the bundled sample's items."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="session")
def sample():
    import cxpath

    return cxpath.datasets.load_sample()


@pytest.fixture(scope="session")
def survey_items(sample):
    """(complete-row item matrix, item names) of the sample survey's 15 Likert items."""
    names = [i for items in sample.survey_constructs.values() for i in items]
    x = np.column_stack([sample.survey[i] for i in names])
    return x[~np.isnan(x).any(axis=1)], names


@pytest.fixture(scope="session")
def two_factor_data():
    """Correlated two-factor data with a cross-loading item (seeded)."""
    rng = np.random.default_rng(11)
    f = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], 800)
    lam = np.array([[0.8, 0], [0.7, 0], [0.6, 0.2], [0.5, 0], [0, 0.8], [0, 0.7], [0.1, 0.6],
                    [0, 0.5]])
    noise = rng.standard_normal((800, 8)) * np.sqrt(1 - (lam**2).sum(1) - 0.1)
    return f @ lam.T + noise

