"""Run-rule and CUSUM kernels for :mod:`cxpath.spc`.

Rules work on standardised points ``z = (x - centre) / σ`` (σ per point, so varying limits
are handled by the caller). Each rule is one row of ``kinds / windows / counts / ks``:

=====  ===========  ================================================================
kind   name         fires at point i when …
=====  ===========  ================================================================
0      beyond       ``|z_i| > k`` (rule 1)
1      m_of_n       ``z_i`` beyond ``k`` on one side and at least ``count`` of the last
                    ``window`` points (i included) are beyond ``k`` on that side
                    (``k = 0`` and ``count = window`` is a same-side run)
2      trend        the last ``window`` points are strictly increasing or decreasing
3      alternating  the last ``window`` points alternate up and down
4      within       the last ``window`` points all have ``|z| < k``
5      outside      the last ``window`` points all have ``|z| > k`` (either side)
=====  ===========  ================================================================

The output code is +1 (upward / above), -1 (downward / below) or 2 (no side).
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel

__all__ = ["cusum_sums", "rule_flags"]


def _rule_example():
    z = np.array([0.5, -1.2, 3.5, 2.1, 2.2, 0.3, -0.1, 1.5], dtype=np.float64)
    kinds = np.array([0, 1, 2, 3, 4, 5], dtype=np.int64)
    windows = np.array([1, 3, 6, 14, 15, 8], dtype=np.int64)
    counts = np.array([1, 2, 6, 14, 15, 8], dtype=np.int64)
    ks = np.array([3.0, 2.0, 0.0, 0.0, 1.0, 1.0], dtype=np.float64)
    return z, kinds, windows, counts, ks


@kernel(example=_rule_example)
def rule_flags(z, kinds, windows, counts, ks):
    """Signal codes (int8, shape ``(n_rules, n_points)``) of every rule at every point."""
    n = z.shape[0]
    n_rules = kinds.shape[0]
    out = np.zeros((n_rules, n), dtype=np.int8)
    for r in range(n_rules):
        kind = kinds[r]
        w = windows[r]
        m = counts[r]
        k = ks[r]
        if kind == 0:
            for i in range(n):
                if z[i] > k:
                    out[r, i] = 1
                elif z[i] < -k:
                    out[r, i] = -1
        elif kind == 1:
            up = 0
            down = 0
            for i in range(n):
                if z[i] > k:
                    up += 1
                elif z[i] < -k:
                    down += 1
                if i >= w:
                    old = z[i - w]
                    if old > k:
                        up -= 1
                    elif old < -k:
                        down -= 1
                if z[i] > k and up >= m:
                    out[r, i] = 1
                elif z[i] < -k and down >= m:
                    out[r, i] = -1
        elif kind == 2:
            inc = 0
            dec = 0
            for i in range(1, n):
                if z[i] > z[i - 1]:
                    inc += 1
                    dec = 0
                elif z[i] < z[i - 1]:
                    dec += 1
                    inc = 0
                else:
                    inc = 0
                    dec = 0
                if inc >= w - 1:
                    out[r, i] = 1
                elif dec >= w - 1:
                    out[r, i] = -1
        elif kind == 3:
            run = 0  # number of consecutive differences alternating in sign
            prev = 0.0
            for i in range(1, n):
                d = z[i] - z[i - 1]
                if d != 0.0 and prev != 0.0 and (d > 0.0) != (prev > 0.0):
                    run += 1
                elif d != 0.0:
                    run = 1
                else:
                    run = 0
                prev = d
                if run >= w - 1:
                    out[r, i] = 2
        elif kind == 4:
            run = 0
            for i in range(n):
                if abs(z[i]) < k:
                    run += 1
                else:
                    run = 0
                if run >= w:
                    out[r, i] = 2
        else:
            run = 0
            for i in range(n):
                if abs(z[i]) > k:
                    run += 1
                else:
                    run = 0
                if run >= w:
                    out[r, i] = 2
    return out


def _cusum_example():
    return (np.array([0.1, 1.2, 0.9, 2.0], dtype=np.float64), 0.5, 5.0, False)


@kernel(example=_cusum_example)
def cusum_sums(d, k, h, reset):
    """Tabular CUSUM of deviations ``d = x - target``.

    Returns ``(upper, lower, n_upper, n_lower)``: ``C+_i = max(0, d_i - k + C+_{i-1})``,
    ``C-_i = max(0, -d_i - k + C-_{i-1})`` and the number of consecutive periods each sum
    has been non-zero. With ``reset`` a sum restarts at 0 after it exceeds ``h``.
    """
    n = d.shape[0]
    upper = np.zeros(n, dtype=np.float64)
    lower = np.zeros(n, dtype=np.float64)
    n_up = np.zeros(n, dtype=np.int64)
    n_low = np.zeros(n, dtype=np.int64)
    cu = 0.0
    cl = 0.0
    nu = 0
    nl = 0
    for i in range(n):
        cu = max(0.0, d[i] - k + cu)
        cl = max(0.0, -d[i] - k + cl)
        nu = nu + 1 if cu > 0.0 else 0
        nl = nl + 1 if cl > 0.0 else 0
        upper[i] = cu
        lower[i] = cl
        n_up[i] = nu
        n_low[i] = nl
        if reset:
            if cu > h:
                cu = 0.0
                nu = 0
            if cl > h:
                cl = 0.0
                nl = 0
    return upper, lower, n_up, n_low
