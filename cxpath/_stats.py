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


SMALL_QUANTILE_VALUES = 1 << 16
"""Below this many values :func:`quantiles_by_group` sorts in numpy instead of compiling its
kernel in a fresh process (cxpath#19); the results are the same bit for bit."""


def quantiles_by_group(groups, values, n_groups: int, qs) -> np.ndarray:
    """Quantiles (numpy's linear method) of ``values`` within each group id.

    Returns an array of shape ``(n_groups, len(qs))``; empty groups give NaN.

    Examples
    --------
    >>> quantiles_by_group(np.array([0, 0, 1]), np.array([1.0, 3.0, 5.0]), 2, [0.5]).ravel()
    array([2., 5.])
    """
    if len(values) < SMALL_QUANTILE_VALUES:
        return _quantiles_by_sort(np.asarray(groups, dtype=np.int64),
                                  np.asarray(values, dtype=np.float64), int(n_groups), qs)
    from ._kernels.bucket_select import BUCKETS
    from ._kernels.ordering import grouped_quantiles

    groups = np.ascontiguousarray(groups, dtype=np.int64)
    values = np.ascontiguousarray(values, dtype=np.float64)
    qs = np.ascontiguousarray(qs, dtype=np.float64)
    if n_groups * BUCKETS * BUCKET_SHARE <= len(values):
        return _quantiles_by_buckets(groups, values, int(n_groups), qs)
    return grouped_quantiles(groups, int(n_groups), values, qs)


BUCKET_SHARE = 4
""":func:`quantiles_by_group` selects by buckets (two reads of the values, a table of
``n_groups × BUCKETS`` counts) when there are at least this many values per table cell,
and groups every value (a counting sort, then selection in place) otherwise."""


def _quantiles_by_buckets(groups: np.ndarray, values: np.ndarray, n_groups: int,
                          qs: np.ndarray) -> np.ndarray:
    """:func:`quantiles_by_group` by bucket selection (:mod:`cxpath._kernels.bucket_select`):
    counts per group and bucket, the keys of the buckets holding the wanted ranks, the
    order statistics selected among them. The same values as a sort's, bit for bit."""
    from ._kernels.bucket_select import (
        gather_value_keys,
        plan_selection,
        select_planned,
        value_histograms,
    )

    counts = value_histograms(groups, values, 0, len(values), n_groups)
    slots, plan, end = plan_selection(counts, qs, 0)
    keys = np.empty(end, dtype=np.int64)
    gather_value_keys(groups, values, 0, len(values), slots.copy(), keys)
    return select_planned(keys, counts, slots, plan, qs)


def _quantiles_by_sort(groups: np.ndarray, values: np.ndarray, n_groups: int,
                       qs) -> np.ndarray:
    """:func:`quantiles_by_group` by a numpy sort, bit for bit (the same order statistics
    and interpolation as the kernel), for small inputs: a first call compiles nothing."""
    qs = np.asarray(qs, dtype=np.float64)
    ordered = values[np.lexsort((values, groups))]
    size = np.bincount(groups, minlength=n_groups)
    first = np.cumsum(size) - size
    pos = qs[None, :] * (size[:, None] - 1)
    below = np.floor(pos)
    frac = pos - below
    below = below.astype(np.int64)
    above = np.minimum(below + 1, size[:, None] - 1)
    seen = size > 0
    out = np.full((n_groups, len(qs)), np.nan)
    at = first[seen, None]
    out[seen] = (ordered[at + below[seen]] * (1.0 - frac[seen])
                 + ordered[at + above[seen]] * frac[seen])
    return out
