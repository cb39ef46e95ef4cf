"""STL decomposition kernels: Cleveland, Cleveland, McRae & Terpenning (1990).

A port of the NETLIB ``stl.f`` routines as statsmodels' ``_stl.pyx`` has them (with the
corrected median in the robustness weights): loess smoothing ``_ess`` with tricube weights
and optional local linear fit (``_est``), cycle-subseries smoothing (``_ss``), the low-pass
filter of three moving averages (``_fts``), the inner loop (``_onestp``) and the bisquare
robustness weights (``_rwts``, in :mod:`cxpath.forecast.mstl`). One public kernel,
:func:`stl_inner`, runs the inner loop; the helpers compile with it.

Indices follow the Fortran code (1-based positions ``xs``, ``nleft``, ``nright``) so that
the port can be read next to the original line by line.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

_Y = np.array([10.0, 14.0, 9.0, 12.0, 11.0, 15.0, 10.0, 13.0, 12.0, 16.0, 11.0, 14.0,
               13.0, 17.0, 12.0, 15.0])


@kernel()
def _est(y, n, len_, ideg, xs, nleft, nright, w, userw, rw):
    """Loess value at 1-based position ``xs`` from ``y[nleft-1:nright]`` (NaN: no weight)."""
    rng = n - 1.0
    h = float(max(xs - nleft, nright - xs))
    if len_ > n:
        h += float((len_ - n) // 2)
    h9 = 0.999 * h
    h1 = 0.001 * h
    a = 0.0
    for j in range(nleft - 1, nright):
        w[j] = 0.0
        r = abs(j + 1 - xs)
        if r <= h9:
            if r <= h1:
                w[j] = 1.0
            else:
                q = r / h
                q = 1.0 - q * q * q
                w[j] = q * q * q
            if userw:
                w[j] = w[j] * rw[j]
            a = a + w[j]
    if a <= 0.0:
        return np.nan
    for j in range(nleft - 1, nright):
        w[j] = w[j] / a
    if h > 0.0 and ideg > 0:
        a = 0.0
        for j in range(nleft - 1, nright):
            a = a + w[j] * (j + 1)
        b = xs - a
        c = 0.0
        for j in range(nleft - 1, nright):
            d = j + 1 - a
            c = c + w[j] * d * d
        if math.sqrt(c) > 0.001 * rng:
            b = b / c
            for j in range(nleft - 1, nright):
                w[j] = w[j] * (b * (j + 1 - a) + 1.0)
    ys = 0.0
    for j in range(nleft - 1, nright):
        ys = ys + w[j] * y[j]
    return ys


@kernel()
def _ess(y, n, len_, ideg, njump, userw, rw, ys, res):
    """Loess smooth of ``y[:n]`` into ``ys`` every ``njump`` points, interpolated between."""
    if n < 2:
        ys[0] = y[0]
        return
    newnj = min(njump, n - 1)
    one = n - n + 1  # typed, not literal (see stl_inner)
    nleft = one
    nright = n
    if len_ >= n:
        i = 0
        while i < n:
            ys[i] = _est(y, n, len_, ideg, i + 1, nleft, nright, res, userw, rw)
            if math.isnan(ys[i]):
                ys[i] = y[i]
            i += newnj
    elif newnj == 1:
        nsh = (len_ + 2) // 2
        nright = len_
        for i in range(n):
            if i + 1 > nsh and nright != n:
                nleft += 1
                nright += 1
            ys[i] = _est(y, n, len_, ideg, i + 1, nleft, nright, res, userw, rw)
            if math.isnan(ys[i]):
                ys[i] = y[i]
    else:
        nsh = (len_ + 1) // 2
        i = 0
        while i < n:
            if i + 1 < nsh:
                nleft = one
                nright = len_
            elif i + 1 >= n - nsh + 1:
                nleft = n - len_ + 1
                nright = n
            else:
                nleft = i + 1 - nsh + 1
                nright = len_ + i + 1 - nsh
            ys[i] = _est(y, n, len_, ideg, i + 1, nleft, nright, res, userw, rw)
            if math.isnan(ys[i]):
                ys[i] = y[i]
            i += newnj
    if newnj == 1:
        return
    i = 0
    while i < n - newnj:
        delta = (ys[i + newnj] - ys[i]) / newnj
        for j in range(i, i + newnj):
            ys[j] = ys[i] + delta * ((j + 1) - (i + 1))
        i += newnj
    k = ((n - 1) // newnj) * newnj + 1
    if k != n:
        ys[n - 1] = _est(y, n, len_, ideg, n, nleft, nright, res, userw, rw)
        if math.isnan(ys[n - 1]):
            ys[n - 1] = y[n - 1]
        if k != n - 1:
            delta = (ys[n - 1] - ys[k - 1]) / (n - k)
            for j in range(k, n):
                ys[j] = ys[k - 1] + delta * ((j + 1) - k)


@kernel()
def _ma(x, n, len_, ave):
    """Moving average of length ``len_`` over ``x[:n]`` into ``ave[:n - len_ + 1]``."""
    newn = n - len_ + 1
    v = 0.0
    for i in range(len_):
        v += x[i]
    ave[0] = v / len_
    for j in range(1, newn):
        v += x[len_ + j - 1] - x[j - 1]
        ave[j] = v / len_


@kernel(example=lambda: (_Y, 4, 7, 7, 5, 1, 1, 1, 1, 1, 1, 2, False, np.ones(16),
                         np.zeros(16), np.zeros(16)))
def stl_inner(y, period, ns, nt, nl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, inner,
              userw, rw, season, trend):
    """``inner`` passes of STL's inner loop on ``y``, updating ``season`` and ``trend``.

    ``period`` >= 2; ``ns``, ``nt``, ``nl`` odd window lengths (seasonal, trend, low-pass);
    ``*deg`` loess degrees (0 or 1); ``*jump`` interpolation steps; ``rw`` robustness
    weights used when ``userw``. The outer (robustness) loop and its bisquare weights are
    the caller's (:func:`cxpath.forecast.mstl.stl_decompose`): a median needs a sort,
    whose numba compile alone would double this kernel's.
    """
    n = y.shape[0]
    npd = period
    # typed (not literal) constants: a literal argument compiles a helper once more
    zero = n - n
    one = zero + 1
    three = zero + 3
    never = n < 0
    big = n + 2 * npd
    w0 = np.zeros(big)
    w1 = np.zeros(big)
    w2 = np.zeros(big)
    w3 = np.zeros(big)
    w4 = np.zeros(big)
    for _ in range(inner):
        for i in range(n):
            w0[i] = y[i] - trend[i]
        # _ss: cycle-subseries smoothing of work[0] into work[1] (n + 2 np values)
        for j in range(npd):
            kk = (n - (j + 1)) // npd + 1
            for i in range(kk):
                w2[i] = w0[i * npd + j]
            if userw:
                for i in range(kk):
                    w4[i] = rw[i * npd + j]
            _ess(w2, kk, ns, isdeg, nsjump, userw, w4, w3[1:], season)
            nright = min(ns, kk)
            w3[0] = _est(w2, kk, ns, isdeg, zero, one, nright, season, userw, w4)
            if math.isnan(w3[0]):
                w3[0] = w3[1]
            nleft = max(1, kk - ns + 1)
            w3[kk + 1] = _est(w2, kk, ns, isdeg, kk + 1, nleft, kk, season, userw, w4)
            if math.isnan(w3[kk + 1]):
                w3[kk + 1] = w3[kk]
            for m in range(kk + 2):
                w1[m * npd + j] = w3[m]
        # _fts: low-pass filter of work[1] into work[2], then its loess into work[0]
        _ma(w1, big, npd, w2)
        _ma(w2, big - npd + 1, npd, w0)
        _ma(w0, big - 2 * npd + 2, three, w2)
        _ess(w2, n, nl, ildeg, nljump, never, w3, w0, w4)
        for i in range(n):
            season[i] = w1[npd + i] - w0[i]
            w0[i] = y[i] - season[i]
        _ess(w0, n, nt, itdeg, ntjump, userw, rw, trend, w2)
