"""Small statistical helpers shared across subpackages."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

__all__ = ["quantiles_by_group", "wilson_interval"]


def wilson_interval(successes, n, confidence: float = 0.95):
    """Wilson score interval for binomial proportions (vectorised; n = 0 gives NaN).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22, 209–212.

    Examples
    --------
    >>> lo, hi = wilson_interval(45, 50)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.7864, 0.9565)
    """
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = NormalDist().inv_cdf((1.0 + confidence) / 2.0)  # stdlib: no scipy import for this
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    lo = np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(x == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


def quantiles_by_group(groups, values, n_groups: int, qs) -> np.ndarray:
    """Quantiles (numpy's linear method) of ``values`` within each group id.

    Returns an array of shape ``(n_groups, len(qs))``; empty groups give NaN.

    Examples
    --------
    >>> quantiles_by_group(np.array([0, 0, 1]), np.array([1.0, 3.0, 5.0]), 2, [0.5]).ravel()
    array([2., 5.])
    """
    from ._kernels.ordering import grouped_quantiles

    return grouped_quantiles(np.ascontiguousarray(groups, dtype=np.int64), int(n_groups),
                             np.ascontiguousarray(values, dtype=np.float64),
                             np.ascontiguousarray(qs, dtype=np.float64))
