"""Reading item matrices and computing covariance / correlation matrices under a missing-data
policy. Private helpers shared by the survey modules."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._blas import one_blas_thread
from .._frames import column, frame_kind

__all__ = ["NAN_POLICIES", "Items", "bootstrap_covariances", "check_correlation", "check_pairs",
           "complete_rows", "correlation", "covariance", "read_items"]

NAN_POLICIES = ("pairwise", "listwise", "error")


class Items:
    """An (n, k) float matrix of answers with item labels and the rows used."""

    __slots__ = ("labels", "n_rows", "n_used", "policy", "x")

    def __init__(self, x, labels, policy, n_rows):
        self.x = x
        self.labels = labels
        self.policy = policy
        self.n_rows = n_rows
        self.n_used = x.shape[0]


def read_items(data, items, func: str, *, nan_policy: str = "pairwise", min_items: int = 2,
               min_rows: int = 2, name: str = "data") -> Items:
    """Read the answers as an (n, k) float matrix with labels, then apply ``nan_policy``.

    ``data`` is a 2-D array (``items`` gives optional labels) or a table (pandas, polars,
    pyarrow or a dict of columns) with ``items`` naming the columns (all columns when None).
    """
    v.check_option(nan_policy, "nan_policy", func, NAN_POLICIES)
    kind = frame_kind(data)
    if kind in ("pandas", "polars", "arrow", "dict"):
        if items is None:
            names = (list(data.columns) if kind in ("pandas", "polars") else
                     list(data.column_names) if kind == "arrow" else list(data))
        else:
            names = _names(items, func)
        cols = []
        for nm in names:
            col = column(data, str(nm), "items", func)
            cols.append(_numeric(col, str(nm), func))
        if not cols:
            v.fail("items", func, f"at least {min_items} item columns", got="none")
        x = np.column_stack(cols) if cols else np.empty((0, 0))
        labels = tuple(str(nm) for nm in names)
    else:
        try:
            arr = np.asarray(data) if not isinstance(data, np.ndarray) else data
        except (TypeError, ValueError):  # ragged rows, or an object numpy cannot read
            v.fail(name, func, "a 2-D array (respondents x items) or a table",
                   got="rows of different lengths or an object numpy cannot read",
                   data=True)
        if arr.ndim != 2:
            v.fail(name, func, "a 2-D array (respondents x items) or a table",
                   got=f"an object of shape {arr.shape}", data=True)
        if arr.dtype.kind not in "iuf":
            if arr.dtype.kind == "O":
                x = v.as_float_array(arr, name, func, ndim=2, allow_nan=True, min_size=0)
            else:
                v.fail(name, func, "numeric", got=f"an array of dtype {arr.dtype}", data=True)
        x = np.ascontiguousarray(arr, dtype=np.float64) if arr.dtype.kind != "O" else x
        if items is None:
            labels = tuple(f"item{j + 1}" for j in range(x.shape[1]))
        else:
            labels = tuple(str(s) for s in _names(items, func))
            if len(labels) != x.shape[1]:
                v.fail("items", func, f"{x.shape[1]} labels, one per column of 'data'",
                       got=f"{len(labels)} labels", data=True)
    n_rows, k = x.shape
    if k < min_items:
        v.fail("items", func, f"at least {min_items} items", got=f"{k} item(s)", data=True)
    if len(set(labels)) != len(labels):
        dup = next(s for s in labels if labels.count(s) > 1)
        v.fail("items", func, "distinct item names", got=f"{dup!r} twice", data=True)
    if np.isinf(x).any():
        r, c = np.argwhere(np.isinf(x))[0]
        v.fail(name, func, "finite", got=f"{x[r, c]} in item {labels[c]!r} at row {r}",
               data=True)
    missing = np.isnan(x)
    if missing.any():
        if nan_policy == "error":
            r, c = np.argwhere(missing)[0]
            v.fail(name, func, "free of missing answers (nan_policy='error')",
                   got=f"NaN in item {labels[c]!r} at row {r}", data=True)
        if nan_policy == "listwise":
            x = x[~missing.any(axis=1)]
    if x.shape[0] < min_rows:
        v.fail(name, func, f"at least {min_rows} respondents"
               + (" with complete answers" if nan_policy == "listwise" else ""),
               got=f"{x.shape[0]}", data=True)
    counts = (~np.isnan(x)).sum(axis=0)
    for j in range(k):
        if counts[j] < 2:
            v.fail(name, func, "at least 2 answers per item",
                   got=f"{counts[j]} answer(s) for item {labels[j]!r}", data=True)
        col = x[:, j][~np.isnan(x[:, j])]
        if np.all(col == col[0]):
            v.fail(name, func, "items with some variance",
                   got=f"the constant item {labels[j]!r} (every answer is {col[0]:g})",
                   data=True)
    return Items(x, labels, nan_policy, n_rows)


def _names(items, func):
    if isinstance(items, str):
        return [items]
    try:
        return list(items)
    except TypeError:
        v.fail("items", func, "a sequence of column names", items)


def _numeric(col, name, func):
    if col.dtype.kind in "iuf":
        return col.astype(np.float64)
    if col.dtype.kind == "O":
        return v.as_float_array(col, name, func, allow_nan=True, min_size=0)
    v.fail("data", func, "numeric answers", got=f"column {name!r} of dtype {col.dtype}",
           data=True)


def covariance(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise-complete covariance matrix (ddof=1) and the pairwise counts.

    Each entry uses the rows where both items are answered, with means over those rows
    (the convention of pandas ``DataFrame.cov`` and R ``cov(use="pairwise")``).
    """
    m = (~np.isnan(x)).astype(np.float64)
    with one_blas_thread():  # tall-skinny products (see cxpath._blas)
        if m.all():
            n = x.shape[0]
            return np.cov(x, rowvar=False, ddof=1), np.full((x.shape[1],) * 2, float(n))
        x0 = np.where(m > 0, x, 0.0)
        n = m.T @ m
        s = x0.T @ m  # s[i, j] = sum of item i over rows where j is answered
        c = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (c - s * s.T / n) / (n - 1)
    return cov, n


def correlation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise-complete Pearson correlation matrix and pairwise counts.

    Each correlation uses the means and variances of the rows where both items are answered
    (pandas ``DataFrame.corr`` convention).
    """
    m = (~np.isnan(x)).astype(np.float64)
    with one_blas_thread():
        if m.all():
            r = np.corrcoef(x, rowvar=False)
            np.fill_diagonal(r, 1.0)
            return r, np.full((x.shape[1],) * 2, float(x.shape[0]))
        x0 = np.where(m > 0, x, 0.0)
        n = m.T @ m
        s = x0.T @ m
        q = (x0 * x0).T @ m  # q[i, j] = sum of squares of item i over rows where j answered
        c = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = c - s * s.T / n
        var_i = q - s * s / n
        r = cov / np.sqrt(var_i * var_i.T)
    np.fill_diagonal(r, 1.0)
    return r, n


def check_pairs(n: np.ndarray, labels, func: str, minimum: int = 3) -> None:
    """Every pair of items needs ``minimum`` rows answered in common."""
    bad = np.argwhere(n < minimum)
    if bad.size:
        i, j = bad[0]
        v.fail("data", func, f"at least {minimum} respondents answering each pair of items",
               got=f"{int(n[i, j])} for {labels[i]!r} and {labels[j]!r}", data=True)


def check_correlation(r: np.ndarray, labels, func: str) -> None:
    """A correlation matrix must be finite and positive definite for KMO, Bartlett, EFA."""
    if not np.isfinite(r).all():
        i, j = np.argwhere(~np.isfinite(r))[0]
        v.fail("data", func, "items whose correlations can be computed",
               got=f"an undefined correlation between {labels[i]!r} and {labels[j]!r}",
               data=True)
    w, vec = np.linalg.eigh(r)
    if w[0] <= 1e-10 * max(w[-1], 1.0):
        idx = np.argsort(-np.abs(vec[:, 0]))[:3]
        shown = ", ".join(repr(labels[i]) for i in sorted(idx) if abs(vec[i, 0]) > 1e-3)
        hint = ("; pairwise deletion can make it indefinite, try nan_policy='listwise'"
                if w[0] < -1e-8 else "")
        v.fail("data", func, "a non-singular correlation matrix (no item may be a linear "
               "combination of others, and there must be more respondents than items)",
               got=f"smallest eigenvalue {w[0]:.3g}; items involved include {shown}{hint}",
               data=True)


def complete_rows(x: np.ndarray) -> np.ndarray:
    """Rows of ``x`` without NaN."""
    return x[~np.isnan(x).any(axis=1)]


def bootstrap_covariances(x: np.ndarray, n_boot: int, rng, chunk: int = 64):
    """Yield the covariance matrix (ddof=1) of each bootstrap resample of the rows of ``x``.

    Resample b draws ``rng.integers(0, n, n)``; its covariance comes from the row counts
    through chunked matrix products with the centred cross-products, without copying rows.
    """
    n, k = x.shape
    xc = x - x.mean(axis=0)
    iu = np.triu_indices(k)
    prods = xc[:, iu[0]] * xc[:, iu[1]]
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        w = np.empty((b, n))
        for i in range(b):
            w[i] = np.bincount(rng.integers(0, n, n), minlength=n)
        m = w @ xc / n
        s2 = w @ prods
        for i in range(b):
            c = np.empty((k, k))
            c[iu] = s2[i]
            c.T[iu] = s2[i]
            yield (c - n * np.outer(m[i], m[i])) / (n - 1)
        done += b
