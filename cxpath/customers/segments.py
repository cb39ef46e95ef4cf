"""Segments found in the data: clusters of customers on their features, and of journeys by path.

* :func:`segment_customers` clusters customers on numeric features (RFM values, tenure,
  contacts, NPS …) with k-means or a Gaussian mixture (scikit-learn, extra ``text``).
* :func:`segment_journeys` clusters the cases of a :class:`~cxpath.journeys.Journeys` by the
  path they took: k-gram profiles clustered by k-means, or edit distances between the
  touchpoint sequences clustered by k-medoids.

Both choose the number of clusters over a range (``k=``), report the criterion for every
``k`` tried (:class:`ClusterSelection`) and measure how stable the chosen clusters are under
bootstrap resampling (:class:`ClusterStability`). The labels are plain arrays, one per
customer or case: they plug into any ``by=`` (for journeys through
:meth:`JourneyClusters.attach`, which adds them as a case attribute).

**Features** (customers) are numbers only: a categorical column is refused (one-hot encode it
first, e.g. with ``pandas.get_dummies``; a Euclidean distance on category codes means
nothing). With ``standardise=True`` (the default) every feature is centred on its mean and
divided by its standard deviation (``ddof=0``) before clustering, so that a feature in euros
does not outweigh one in counts; a constant feature is refused. Profiles are reported in the
original units.

**Number of clusters.** k-means: the largest mean silhouette (Rousseeuw 1987), computed on
every customer up to 5,000 and on a seeded random sample of 5,000 above. Gaussian mixture
(full covariances): the smallest BIC (Schwarz 1978). k-medoids on edit distances: the
largest silhouette, exact. For journeys the silhouette counts each distinct path once
(see :func:`segment_journeys`).

**Stability** (Hennig 2007, with the resampled solution extended to every row). Each of
``n_boot`` bootstrap resamples is clustered again with the chosen ``k``; the resampled
solution assigns every original row (nearest centre, most probable component, nearest
medoid). The adjusted Rand index (Hubert & Arabie 1985) compares that assignment with the
reference one, and each reference cluster ``C`` gets the Jaccard similarity
``|C ∩ D| / |C ∪ D|`` of the most similar resampled cluster ``D``. Hennig's reading: a mean
Jaccard below 0.5 is a dissolved cluster, 0.6–0.75 a pattern, above 0.85 a highly stable one.

References
----------
Rousseeuw, P. J. (1987). Silhouettes. *J. Comput. Appl. Math.* 20, 53–65.
Schwarz, G. (1978). Estimating the dimension of a model. *Ann. Statist.* 6, 461–464.
Hubert, L. & Arabie, P. (1985). Comparing partitions. *J. Classification* 2, 193–218.
Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Comput. Statist. Data
Anal.* 52, 258–271. Kaufman, L. & Rousseeuw, P. J. (1990). *Finding Groups in Data*
(k-medoids). Levenshtein, V. I. (1966). Binary codes capable of correcting deletions,
insertions and reversals. *Soviet Physics Doklady* 10, 707–710.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column, frame_kind
from .._optional import require
from .._results import Result, derived_columns, drawn_by, result
from ..errors import CostError, DataError

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike
    from ..journeys import Journeys

__all__ = ["EDIT_BUDGET", "ClusterSelection", "ClusterStability", "CustomerSegments",
           "JourneyClusters", "segment_customers", "segment_journeys"]

_SC = "customers.segment_customers"
_SJ = "customers.segment_journeys"
_ATTACH = "JourneyClusters.attach"
_SILHOUETTE_SAMPLE = 5000
_THREADED_ROWS = 1_000_000

#: Most edit-distance cell updates :func:`segment_journeys` does (``Σ_{i<j} (L_i+1)(L_j+1)``
#: over the distinct paths, bootstrap included): about 4 s on one core.
EDIT_BUDGET = 2 * 10**9


# --- shared pieces -----------------------------------------------------------------------
def _comb2(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=np.float64)
    return float((x * (x - 1) / 2).sum())


def _agreement(ref: np.ndarray, other: np.ndarray, k_ref: int, k_other: int,
               w: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Adjusted Rand index (Hubert & Arabie 1985) and, per reference cluster, the largest
    Jaccard similarity with a cluster of ``other``; ``w``: integer multiplicities."""
    table = np.bincount(ref * k_other + other, weights=w, minlength=k_ref * k_other)
    table = table.reshape(k_ref, k_other)
    a, b = table.sum(1), table.sum(0)
    n = table.sum()
    index, sa, sb = _comb2(table), _comb2(a), _comb2(b)
    expected = sa * sb / _comb2(np.array([n])) if n > 1 else 0.0
    top = (sa + sb) / 2
    ari = 1.0 if top == expected else (index - expected) / (top - expected)
    union = a[:, None] + b[None, :] - table
    jac = np.where(union > 0, table / np.where(union > 0, union, 1.0), 0.0).max(1)
    return float(ari), jac


def _check_k(k, n: int, func: str, what: str = "customers") -> np.ndarray:
    if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
        ks = [v.check_int(k, "k", func, low=2)]
    elif isinstance(k, (range, Sequence, np.ndarray)) and not isinstance(k, (str, bytes)):
        ks = [v.check_int(x, "k", func, low=2) for x in k]
        if not ks:
            v.fail("k", func, "an integer >= 2 or a non-empty sequence of them", got="empty")
    else:
        v.fail("k", func, "an integer >= 2 or a sequence of them (the numbers of clusters "
               "tried)", k, wrong_type=True)
    ks = sorted(set(ks))
    if ks[-1] > n:
        v.fail("k", func, f"at most the number of {what} ({n})", got=f"k = {ks[-1]}",
               data=True)
    return np.array(ks, dtype=np.int64)


def _relabel(labels: np.ndarray, k: int, w: np.ndarray | None = None) -> np.ndarray:
    """Clusters renumbered by size (largest first; ties: first appearance)."""
    size = np.bincount(labels, weights=w, minlength=k)
    first = np.full(k, labels.size)
    np.minimum.at(first, labels, np.arange(labels.size))
    order = np.lexsort((first, -size))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    return new[labels]


def _names(k: int, stem: str) -> np.ndarray:
    width = len(str(k))
    return np.array([f"{stem} {i + 1:0{width}d}" for i in range(k)], dtype=object)


def _seed_int(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


@drawn_by("cluster_selection")
@result
class ClusterSelection(Result):
    """The criterion for each number of clusters tried: one row per ``k``.

    Attributes
    ----------
    k : ndarray of int
    criterion : str
        ``'silhouette'`` (largest wins) or ``'bic'`` (smallest wins).
    score : ndarray of float
        Mean silhouette, or BIC, at each ``k``.
    fit : ndarray of float
        k-means inertia (within-cluster sum of squares of the standardised features),
        mixture log-likelihood, or k-medoids cost (sum of edit distances to the medoids).
    chosen : ndarray of bool
        The ``k`` kept.
    """

    k: np.ndarray
    criterion: str
    score: np.ndarray
    fit: np.ndarray
    chosen: np.ndarray

    _key = "k"

    def _title(self) -> str:
        return f"Number of clusters by {self.criterion}"

    def _summary(self) -> list[str]:
        best = int(self.k[self.chosen][0])
        rule = "largest" if self.criterion == "silhouette" else "smallest"
        return [f"k = {best} ({rule} {self.criterion} of k = {self.k.min()}..{self.k.max()})"]

    def _columns(self) -> dict:
        return {"k": self.k, self.criterion: self.score, "fit": self.fit,
                "chosen": self.chosen}

    def _explain_column(self, column: str) -> str | None:
        return "the 'score' attribute" if column == self.criterion else None



@result
class ClusterStability(Result):
    """Bootstrap stability of the chosen clusters (Hennig 2007): one row per cluster.

    Attributes
    ----------
    cluster : ndarray of str
    size : ndarray of float
        Customers (or cases) in the reference cluster.
    jaccard : ndarray of float
        Mean over the resamples of the largest Jaccard similarity with a resampled cluster.
    jaccard_min : ndarray of float
    dissolved : ndarray of float
        Share of resamples in which the cluster dissolved (Jaccard < 0.5).
    ari : ndarray of float
        Adjusted Rand index of each resample with the reference solution.
    n_boot : int
    """

    cluster: np.ndarray
    size: np.ndarray
    jaccard: np.ndarray
    jaccard_min: np.ndarray
    dissolved: np.ndarray
    ari: np.ndarray
    n_boot: int

    _key = "cluster"

    def _title(self) -> str:
        return "Bootstrap stability of the clusters"

    def _summary(self) -> list[str]:
        if self.n_boot == 0:
            return ["not measured (n_boot=0)"]
        return [f"{self.n_boot} resamples: mean adjusted Rand {self.ari.mean():.3f} "
                f"(min {self.ari.min():.3f}); mean Jaccard per cluster (Hennig: < 0.5 "
                "dissolved, > 0.85 highly stable)"]

    def _columns(self) -> dict:
        return {"cluster": self.cluster, "size": self.size, "jaccard": self.jaccard,
                "jaccard_min": self.jaccard_min, "dissolved": self.dissolved}


def _stability(names, ref, k, n_boot, refit, w=None) -> ClusterStability:
    """``refit(b)`` returns the labels the ``b``-th resampled solution gives every row."""
    size = np.bincount(ref, weights=w, minlength=k).astype(np.float64)
    aris = np.empty(n_boot)
    jac = np.empty((n_boot, k))
    for b in range(n_boot):
        other = refit(b)
        aris[b], jac[b] = _agreement(ref, other, k, k, w)
    if n_boot == 0:
        nan = np.full(k, np.nan)
        return ClusterStability(names, size, nan, nan, nan, aris, 0)
    return ClusterStability(names, size, jac.mean(0), jac.min(0), (jac < 0.5).mean(0), aris,
                            n_boot)


# --- customers ---------------------------------------------------------------------------
def _features(features, data, func: str) -> tuple[np.ndarray, list[str]]:
    """The feature matrix (n, p), numbers only, and the feature names."""
    if isinstance(features, str):
        features = [features]
    if isinstance(features, (list, tuple)) and features and \
            all(isinstance(c, str) for c in features):
        if frame_kind(data) in ("none", "unknown"):
            v.fail("data", func, "a table when 'features' names columns", data,
                   wrong_type=True)
        cols = [(c, c, data) for c in features]
    elif frame_kind(features) in ("pandas", "polars", "arrow", "dict"):
        from .._frames import _column_names

        cols = [(str(c), str(c), features)
                for c in _column_names(features, frame_kind(features))]
    elif isinstance(features, Mapping):
        cols = [(str(c), features[c], None) for c in features]
    else:
        arr = v.array(features, "features", func)
        if arr.ndim != 2:
            v.fail("features", func, "a table, a mapping of columns, column names or a 2-D "
                   "array (one row per customer)", got=f"an array of shape {arr.shape}",
                   data=True)
        cols = [(f"x{j}", arr[:, j], None) for j in range(arr.shape[1])]
    if not cols:
        v.fail("features", func, "at least one feature", got="none", data=True)
    names = [c[0] for c in cols]
    if len(set(names)) != len(names):
        v.fail("features", func, "distinct feature names", got=v.show_list(names), data=True)
    values = []
    for name, spec, table in cols:
        x = column(table, spec, f"features[{name!r}]", func)
        if x.dtype.kind == "b":
            x = x.astype(np.float64)
        if x.dtype.kind not in "iuf":
            if x.dtype.kind == "O":
                try:
                    x = np.asarray(x, dtype=np.float64)
                except (TypeError, ValueError):
                    x = None
            else:
                x = None
            if x is None:
                v.fail(f"features[{name!r}]", func, "numbers (one-hot encode a categorical "
                       "feature first, e.g. pandas.get_dummies: a distance on category codes "
                       "has no meaning)", got="a column of labels", data=True)
        values.append(v.as_float_array(x, f"features[{name!r}]", func, min_size=0))
    sizes = {x.size for x in values}
    if len(sizes) != 1:
        v.fail("features", func, "columns of one length", got=f"lengths {sorted(sizes)}",
               data=True)
    return np.column_stack(values), names


@drawn_by("segment_profiles")
@result
class CustomerSegments(Result):
    """Customer segments: one row per segment, its size and the mean of every feature.

    Attributes
    ----------
    segment : ndarray of str
        ``'segment 1'`` … (numbered by size, largest first).
    size : ndarray of int
        Customers in the segment.
    share : ndarray of float
    means : ndarray of float, shape (k, p)
        Mean of each feature in each segment, in the original units.
    features : tuple of str
    labels : ndarray of str
        The segment of every customer (in input order): a plain label array for ``by=``.
    codes : ndarray of int
        The same as integers ``0 … k − 1``.
    customer : ndarray
        Customer labels (positions when none were given).
    method : str
        ``'kmeans'`` or ``'gmm'``.
    k : int
    center, scale : ndarray of float
        Mean and standard deviation used to standardise each feature (0 and 1 without
        standardisation).
    selection : ClusterSelection
    stability : ClusterStability
    """

    segment: np.ndarray
    size: np.ndarray
    share: np.ndarray
    means: np.ndarray
    features: tuple
    labels: np.ndarray
    codes: np.ndarray
    customer: np.ndarray
    method: str
    k: int
    center: np.ndarray
    scale: np.ndarray
    selection: ClusterSelection
    stability: ClusterStability

    _key = "segment"
    _derived = derived_columns({"mean_{feature}": "column of 'means' for that feature",
                                "jaccard": "the 'jaccard' column of 'stability'"})

    def _title(self) -> str:
        return f"Customer segments ({'k-means' if self.method == 'kmeans' else 'Gaussian mixture'})"

    def _summary(self) -> list[str]:
        out = [f"{int(self.size.sum())} customers in {self.k} segments on "
               f"{len(self.features)} features; " + self.selection._summary()[0]]
        if self.stability.n_boot:
            out.append(f"bootstrap ({self.stability.n_boot}): mean adjusted Rand "
                       f"{self.stability.ari.mean():.3f}")
        return out

    def _columns(self) -> dict:
        out = {"segment": self.segment, "size": self.size, "share": self.share}
        for j, name in enumerate(self.features):
            out[f"mean_{name}"] = self.means[:, j]
        out["jaccard"] = self.stability.jaccard
        return out



def _kmeans(sk, z, k, seed, n_init, w=None):
    km = sk.cluster.KMeans(n_clusters=int(k), n_init=n_init, random_state=seed)
    km.fit(z, sample_weight=w)
    return km


def _gmm(sk, z, k, seed, n_init):
    gm = sk.mixture.GaussianMixture(n_components=int(k), covariance_type="full",
                                    n_init=n_init, random_state=seed, reg_covar=1e-6)
    return gm.fit(z)


def _silhouette(sk, z, labels, rng) -> float:
    if np.unique(labels).size < 2:
        return -1.0
    if labels.size > _SILHOUETTE_SAMPLE:
        idx = rng.choice(labels.size, _SILHOUETTE_SAMPLE, replace=False)
        z, labels = z[idx], labels[idx]
        if np.unique(labels).size < 2:
            return -1.0
    return float(sk.metrics.silhouette_score(z, labels))


class _SK:
    """scikit-learn's modules, imported on first use, and a thread limit for small inputs.

    scikit-learn's k-means and mixtures run OpenMP/BLAS threads; on a few hundred rows their
    start-up dominates and, on a busy machine, oversubscription made one 300-row k-means fit
    take 5 s instead of 0.05 s, and a 100,000-row one 2.6 s instead of 0.3 s (measured on 2
    shared cores). Below :data:`_THREADED_ROWS` rows the fits run on one thread.
    """

    def __init__(self, func: str):
        self.cluster = require("sklearn.cluster", func)
        self.mixture = require("sklearn.mixture", func)
        self.metrics = require("sklearn.metrics", func)


def _thread_limit(rows: int):
    """One OpenMP/BLAS thread below :data:`_THREADED_ROWS` rows (see :class:`_SK`)."""
    import contextlib

    if rows >= _THREADED_ROWS:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn depends on it; without it, no limit
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def segment_customers(features: ArrayLike | ColumnLike | list | Mapping | TableLike, *,
                      data: TableLike = None, customer: ColumnLike | None = None,
                      method: str = "kmeans", k: int | Sequence[int] = range(2, 9),
                      standardise: bool = True, n_boot: int = 20, n_init: int = 10,
                      seed: int | np.random.Generator | None = 0) -> CustomerSegments:
    """Cluster customers on their features; choose the number of clusters; measure stability.

    Parameters
    ----------
    features : table, mapping of columns, column names or 2-D array
        Numeric features, one row per customer (e.g. ``recency``, ``frequency``,
        ``monetary`` of :func:`~cxpath.customers.customer_histories`). Categorical columns
        are refused (module notes).
    data : table, optional
        When ``features`` names columns.
    customer : column or array-like, optional
        Customer labels.
    method : {'kmeans', 'gmm'}, default 'kmeans'
        k-means (number of clusters by silhouette) or a Gaussian mixture with full
        covariances (number of components by BIC).
    k : int or sequence of int, default 2..8
        Numbers of clusters tried.
    standardise : bool, default True
        Centre and scale every feature (module notes).
    n_boot : int, default 20
        Bootstrap resamples for the stability (0: not measured).
    n_init : int, default 10
        Restarts of each fit (the best is kept).
    seed : int or numpy Generator, default 0

    Returns
    -------
    CustomerSegments
        ``.labels`` per customer, ``.selection`` per ``k``, ``.stability`` per segment.

    Raises
    ------
    DataError
        Non-finite or categorical features, a constant feature, fewer customers than the
        largest ``k`` + 1.
    MissingExtraError
        Without scikit-learn (``pip install 'cxpath[text]'``).

    Notes
    -----
    The cost is ``(len(k) + n_boot) × n_init`` fits on all customers (the bootstrap fits
    resamples of the same size); the silhouette on at most 5,000 customers per ``k``.
    Measured: 100,000 customers × 3 features with the defaults, 20 s on one thread (2
    shared cores, busy).

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.customers import segment_customers
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(8, 1, (50, 2))])
    >>> seg = segment_customers({"visits": x[:, 0], "spend": x[:, 1]}, k=[2, 3, 4],
    ...                         n_boot=5)
    >>> seg.k, seg.size.tolist()
    (2, [50, 50])
    >>> seg.labels[[0, 99]].tolist(), round(float(seg.stability.ari.mean()), 3)
    (['segment 1', 'segment 2'], 1.0)
    >>> seg.means.round(1).tolist()  # visits, spend: the planted centres (0, 0) and (8, 8)
    [[-0.0, 0.2], [7.9, 8.0]]
    """
    method = v.check_option(method, "method", _SC, ("kmeans", "gmm"))
    standardise = v.check_bool(standardise, "standardise", _SC)
    n_boot = v.check_int(n_boot, "n_boot", _SC, low=0, high=10_000)
    n_init = v.check_int(n_init, "n_init", _SC, low=1, high=1000)
    rng = v.check_seed(seed, "seed", _SC)
    x, names = _features(features, data, _SC)
    n, p = x.shape
    if customer is None:
        ids = np.arange(n)
    else:
        ids = np.asarray(column(data, customer, "customer", _SC))
        if ids.ndim != 1 or ids.size != n:
            v.fail("customer", _SC, f"one label per customer ({n})", got=f"shape {ids.shape}",
                   data=True)
    ks = _check_k(k, n - 1, _SC, "customers minus one")
    check_memory(8.0 * n * p * 4 + 8.0 * n * 3, _SC, "the standardised features")
    if standardise:
        center, scale = x.mean(0), x.std(0)
        flat = [names[j] for j in range(p) if not scale[j] > 1e-12 * max(1.0, abs(center[j]))]
        if flat:
            v.fail("features", _SC, "features that vary (a constant feature cannot be "
                   "standardised)", got=f"constant {v.show_list(flat)}", data=True)
    else:
        center, scale = np.zeros(p), np.ones(p)
    z = (x - center) / scale
    sk = _SK(_SC)
    with _thread_limit(n):
        return _segment_customers(sk, x, z, names, ids, ks, method, n_init, n_boot, rng,
                                  center, scale)


def _segment_customers(sk, x, z, names, ids, ks, method, n_init, n_boot, rng, center, scale):
    n = x.shape[0]
    scores, fits, models = [], [], []
    for kk in ks:
        if method == "kmeans":
            model = _kmeans(sk, z, kk, _seed_int(rng), n_init)
            scores.append(_silhouette(sk, z, model.labels_, rng))
            fits.append(float(model.inertia_))
        else:
            model = _gmm(sk, z, kk, _seed_int(rng), n_init)
            scores.append(float(model.bic(z)))
            fits.append(float(model.score(z) * n))
        models.append(model)
    scores_a = np.array(scores)
    best = int(np.argmax(scores_a) if method == "kmeans" else np.argmin(scores_a))
    kb = int(ks[best])
    raw = models[best].labels_ if method == "kmeans" else models[best].predict(z)
    codes = _relabel(np.asarray(raw, dtype=np.int64), kb)
    seg_names = _names(kb, "segment")
    selection = ClusterSelection(ks, "silhouette" if method == "kmeans" else "bic", scores_a,
                                 np.array(fits), ks == kb)

    def refit(b):
        idx = rng.integers(0, n, n)
        if method == "kmeans":
            m = _kmeans(sk, z[idx], kb, _seed_int(rng), n_init)
        else:
            m = _gmm(sk, z[idx], kb, _seed_int(rng), n_init)
        return np.asarray(m.predict(z), dtype=np.int64)

    stability = _stability(seg_names, codes, kb, n_boot, refit)
    size = np.bincount(codes, minlength=kb)
    means = np.vstack([x[codes == j].mean(0) for j in range(kb)])
    return CustomerSegments(seg_names, size.astype(np.int64), size / n, means, tuple(names),
                            seg_names[codes], codes, ids, method, kb, center, scale, selection,
                            stability)


# --- journeys ----------------------------------------------------------------------------
def _kgram_profiles(codes, offsets, n_vocab: int, gram: int, func: str) -> np.ndarray:
    """k-gram counts of each path (padded with start and end markers), scaled to unit length.

    On unit vectors the squared Euclidean distance is ``2 (1 − cosine)``: k-means compares
    paths by the cosine similarity of their k-gram counts, whatever their length. (Shares
    instead of unit vectors over-split planted clusters: the silhouette picked k = 5–8 for 3
    planted path families, measured on the test's generator.)
    """
    m = offsets.size - 1
    lengths = np.diff(offsets)
    # padded sequences: [start] codes [end], start = n_vocab, end = n_vocab + 1
    plen = lengths + 2
    poff = np.concatenate([[0], np.cumsum(plen)])
    padded = np.empty(int(poff[-1]), dtype=np.int64)
    padded[poff[:-1]] = n_vocab
    padded[poff[1:] - 1] = n_vocab + 1
    inner = np.ones(padded.size, dtype=bool)
    inner[poff[:-1]] = False
    inner[poff[1:] - 1] = False
    padded[inner] = codes
    g = np.minimum(gram, plen)  # a path shorter than the gram is one gram
    count = plen - g + 1
    total = int(count.sum())
    owner = np.repeat(np.arange(m), count)
    first = np.repeat(poff[:-1], count) + (np.arange(total) - np.repeat(
        np.cumsum(count) - count, count))
    # gram keys: (length, digits) as exact tuples (no overflow): rows of a (total, gram) table
    keys = np.full((total, gram), -1, dtype=np.int64)
    glen = np.repeat(g, count)
    for q in range(gram):
        ok = q < glen
        keys[ok, q] = padded[first[ok] + q]
    uniq, col = np.unique(keys, axis=0, return_inverse=True)
    col = col.reshape(-1)
    check_memory(8.0 * m * uniq.shape[0] * 3, func, "the k-gram profiles",
                 how="Use a shorter gram (gram=1 or 2), or select fewer cases.")
    prof = np.zeros((m, uniq.shape[0]))
    np.add.at(prof, (owner, col), 1.0)
    return prof / np.sqrt((prof ** 2).sum(1))[:, None]


def _kmedoids(dist, w, k, rng, n_init, max_iter=100):
    """Weighted k-medoids on a distance matrix (k-means++ seeding, alternating updates)."""
    m = dist.shape[0]
    best = (np.inf, None, None)
    for _ in range(n_init):
        med = [int(rng.choice(m, p=w / w.sum()))]
        for _j in range(1, k):
            d2 = dist[:, med].min(1) ** 2 * w
            med.append(int(rng.choice(m, p=d2 / d2.sum())) if d2.sum() > 0 else
                       int(rng.choice(np.setdiff1d(np.arange(m), med))))
        med_a = np.array(med)
        for _it in range(max_iter):
            lab = np.argmin(dist[:, med_a], axis=1)
            new = med_a.copy()
            for c in range(k):
                members = np.flatnonzero(lab == c)
                if members.size:
                    cost = dist[np.ix_(members, members)] @ w[members]
                    new[c] = members[np.argmin(cost)]
            if np.array_equal(np.sort(new), np.sort(med_a)):
                med_a = new
                break
            med_a = new
        lab = np.argmin(dist[:, med_a], axis=1)
        cost = float((dist[np.arange(m), med_a[lab]] * w).sum())
        if cost < best[0]:
            best = (cost, med_a, lab)
    return best


def _weighted_silhouette(dist, lab, w, k) -> float:
    """Exact mean silhouette of the cases, each distinct path counted ``w`` times."""
    if np.unique(lab).size < 2:
        return -1.0
    s = np.column_stack([dist[:, lab == c] @ w[lab == c] for c in range(k)])
    size = np.bincount(lab, weights=w, minlength=k)
    own = lab
    m = lab.size
    a_den = size[own] - 1
    a = np.where(a_den > 0, s[np.arange(m), own] / np.where(a_den > 0, a_den, 1), 0.0)
    other = np.where(size[None, :] > 0, s / np.where(size > 0, size, 1)[None, :], np.inf)
    other[np.arange(m), own] = np.inf
    b = other.min(1)
    top = np.maximum(a, b)
    sil = np.where((a_den > 0) & (top > 0), (b - a) / np.where(top > 0, top, 1), 0.0)
    return float((sil * w).sum() / w.sum())


@result
class JourneyClusters(Result):
    """Clusters of journeys by path: one row per cluster.

    Attributes
    ----------
    cluster : ndarray of str
        ``'cluster 1'`` … (numbered by cases, largest first).
    cases : ndarray of int
        Cases in the cluster (by weight for aggregated journeys).
    share : ndarray of float
    top_path : ndarray of str
        The cluster's most frequent path (its medoid with ``distance='edit'``).
    mean_length : ndarray of float
        Mean number of touchpoints.
    labels : ndarray of str
        The cluster of every case (in the order of the journeys); None for a case of
        weight 0 (not clustered).
    codes : ndarray of int
        The same as integers ``0 … k − 1`` (-1: not clustered).
    case_ids : ndarray
    distance : str
        ``'kgram'`` or ``'edit'``.
    gram : int
        Length of the k-grams (``distance='kgram'``).
    k : int
    n_paths : int
        Distinct paths clustered.
    selection : ClusterSelection
    stability : ClusterStability
    """

    cluster: np.ndarray
    cases: np.ndarray
    share: np.ndarray
    top_path: np.ndarray
    mean_length: np.ndarray
    labels: np.ndarray
    codes: np.ndarray
    case_ids: np.ndarray
    distance: str
    gram: int
    k: int
    n_paths: int
    selection: ClusterSelection
    stability: ClusterStability

    _key = "cluster"
    _derived = derived_columns({"jaccard": "the 'jaccard' column of 'stability'"})

    def _title(self) -> str:
        how = f"{self.gram}-gram profiles, k-means" if self.distance == "kgram" else \
            "edit distance, k-medoids"
        return f"Journey clusters by path ({how})"

    def _summary(self) -> list[str]:
        out = [f"{int(self.cases.sum())} cases ({self.n_paths} distinct paths) in {self.k} "
               f"clusters; " + self.selection._summary()[0]]
        if self.stability.n_boot:
            out.append(f"bootstrap ({self.stability.n_boot}): mean adjusted Rand "
                       f"{self.stability.ari.mean():.3f}")
        return out

    def _columns(self) -> dict:
        return {"cluster": self.cluster, "cases": self.cases, "share": self.share,
                "top_path": self.top_path, "mean_length": self.mean_length,
                "jaccard": self.stability.jaccard}

    def attach(self, journeys: Journeys, name: str = "cluster") -> Journeys:
        """The journeys with the cluster of every case as the case attribute ``name``.

        Every analysis with ``by=`` then drills down by cluster.

        Parameters
        ----------
        journeys : Journeys
            The journeys that were clustered (the same cases in the same order).
        name : str, default 'cluster'
            Name of the new case attribute (an existing one of that name is replaced).

        Returns
        -------
        Journeys

        Examples
        --------
        >>> from cxpath import Journeys
        >>> from cxpath.customers import segment_journeys
        >>> from cxpath.journeys import variants
        >>> j = Journeys.from_paths(["web > chat"] * 4 + ["web > faq > chat"] * 2
        ...                         + ["call > shop > pay"] * 4 + ["call > pay"] * 2)
        >>> cl = segment_journeys(j, k=2, distance="edit", n_boot=0)
        >>> tagged = cl.attach(j)
        >>> tagged.case_attributes["cluster"].decoded()[[0, 6]].tolist()
        ['cluster 1', 'cluster 2']
        >>> variants(tagged, by="cluster").to_frame("dict")["cluster"].tolist()
        ['cluster 1', 'cluster 1', 'cluster 2', 'cluster 2']
        """
        from ..journeys import Journeys
        from ..journeys.attributes import Attribute

        if not isinstance(journeys, Journeys):
            v.fail("journeys", _ATTACH, "a Journeys object", journeys, wrong_type=True)
        if not isinstance(name, str) or not name:
            v.fail("name", _ATTACH, "a non-empty string", name, wrong_type=True)
        if journeys.n_cases != self.codes.size or not np.array_equal(
                np.asarray(journeys.case_ids), np.asarray(self.case_ids)):
            v.fail("journeys", _ATTACH, f"the journeys that were clustered ({self.codes.size} "
                   "cases, the same case ids in the same order)",
                   got=f"{journeys.n_cases} cases" + (
                       "" if journeys.n_cases != self.codes.size else " with other case ids"),
                   data=True)
        labels = tuple(self.cluster.tolist())  # zero-padded numbers: already sorted
        attr = Attribute(self.codes.astype(np.int64), labels, "category")
        return attrs.evolve(journeys, case_attributes={**journeys.case_attributes,
                                                       name: attr})


def segment_journeys(journeys: Journeys, k: int | Sequence[int] = range(2, 9), *,
                     distance: str = "kgram", gram: int = 2, n_boot: int = 20,
                     n_init: int = 10,
                     seed: int | np.random.Generator | None = 0) -> JourneyClusters:
    """Cluster the cases of ``journeys`` by the path they took.

    Parameters
    ----------
    journeys : Journeys
    k : int or sequence of int, default 2..8
        Numbers of clusters tried; the largest mean silhouette wins.
    distance : {'kgram', 'edit'}, default 'kgram'
        ``'kgram'``: each path is the vector of its k-gram counts (runs of ``gram``
        consecutive touchpoints, the path padded with a start and an end marker so that
        where a path starts and ends counts) scaled to unit length, so that paths compare
        by cosine similarity; clustered by k-means, silhouette on up to 5,000 sampled
        distinct paths. ``'edit'``: the edit (Levenshtein) distance between the
        touchpoint sequences (unit costs), clustered by weighted k-medoids, exact
        silhouette; refused with :class:`~cxpath.errors.CostError` past
        :data:`EDIT_BUDGET` cell updates (module notes).
    gram : int, default 2
        Length of the k-grams (1: which touchpoints, in any order).
    n_boot : int, default 20
        Bootstrap resamples of the cases for the stability (0: not measured).
    n_init : int, default 10
        Restarts of each fit.
    seed : int or numpy Generator, default 0

    Returns
    -------
    JourneyClusters
        ``.labels`` per case; :meth:`JourneyClusters.attach` adds them to the journeys as a
        case attribute for ``by=``.

    Raises
    ------
    DataError
        Fewer distinct paths than the largest ``k`` + 1.
    CostError
        Edit distances past :data:`EDIT_BUDGET`, or profiles past the memory cap.
    MissingExtraError
        Without scikit-learn for ``distance='kgram'`` (``pip install 'cxpath[text]'``).

    Notes
    -----
    Cases with the same path are one point with their number of cases as weight, so the
    cost grows with the distinct paths, not the cases. The silhouette that chooses ``k``
    counts each distinct path once: counted per case, a cluster of many identical paths
    scores a perfect silhouette, and the criterion splits frequent paths off into clusters
    of their own (measured on the tests' generator of 3 path families: ``k`` = 5–8 chosen
    with per-case silhouettes, 3 with per-path ones, on 300 to 20,000 cases).

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.customers import segment_journeys
    >>> j = Journeys.from_paths(
    ...     ["web > chat"] * 3 + ["web > faq > chat"] * 3 + ["web > faq"] * 2
    ...     + ["call > shop > pay"] * 3 + ["call > pay"] * 3 + ["call > shop"] * 2)
    >>> cl = segment_journeys(j, k=[2, 3, 4], distance="edit", n_boot=5)
    >>> cl.k, cl.cases.tolist(), cl.top_path.tolist()
    (2, [8, 8], ['web > chat', 'call > shop > pay'])
    >>> cl.labels[[0, 8]].tolist()
    ['cluster 1', 'cluster 2']

    The labels drill down any analysis with ``by=``:

    >>> from cxpath.journeys import variants
    >>> v = variants(cl.attach(j), by="cluster").to_frame("dict")
    >>> list(zip(v["cluster"].tolist(), v["path"].tolist()))[:2]
    [('cluster 1', 'web > chat'), ('cluster 1', 'web > faq > chat')]
    """
    from ..journeys import Journeys
    from ..journeys.variants import group_paths

    if not isinstance(journeys, Journeys):
        v.fail("journeys", _SJ, "a Journeys object", journeys, wrong_type=True)
    distance = v.check_option(distance, "distance", _SJ, ("kgram", "edit"))
    gram = v.check_int(gram, "gram", _SJ, low=1, high=10)
    n_boot = v.check_int(n_boot, "n_boot", _SJ, low=0, high=10_000)
    n_init = v.check_int(n_init, "n_init", _SJ, low=1, high=1000)
    rng = v.check_seed(seed, "seed", _SJ)
    n_cases = journeys.n_cases
    if n_cases == 0:
        raise DataError(f"{_SJ} needs at least one case (the journeys are empty).")
    rep, group, m = group_paths(journeys.codes, journeys.offsets)
    cw = journeys.case_weights.astype(np.float64)
    w = np.bincount(group, weights=cw, minlength=m)
    keep = w > 0
    if not keep.any():
        raise DataError(f"{_SJ} needs at least one case of positive weight.")
    ks = _check_k(k, int(keep.sum()), _SJ, "distinct paths")
    starts, ends = journeys.offsets[rep], journeys.offsets[rep + 1]
    lengths = ends - starts
    voff = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    vcodes = np.concatenate([journeys.codes[a:b] for a, b in zip(starts, ends)]) if m else \
        np.zeros(0, dtype=np.int64)
    vcodes = vcodes.astype(np.int64)
    # only distinct paths with weight take part
    idx = np.flatnonzero(keep)
    sub_off = np.concatenate([[0], np.cumsum(lengths[idx])]).astype(np.int64)
    sub_codes = np.concatenate([vcodes[voff[i]:voff[i + 1]] for i in idx]).astype(np.int64) \
        if idx.size else np.zeros(0, dtype=np.int64)
    ww = w[idx]
    mm = idx.size
    with _thread_limit(mm):
        if distance == "edit":
            cells = ((lengths[idx] + 1.0).sum() ** 2 - ((lengths[idx] + 1.0) ** 2).sum()) / 2
            if cells > EDIT_BUDGET:
                raise CostError(
                    f"{_SJ} would need about {cells:.3g} edit-distance cell updates for "
                    f"{mm} distinct paths, more than the budget of {EDIT_BUDGET:.3g} "
                    "(customers.segments.EDIT_BUDGET). Use distance='kgram' (k-gram profiles "
                    "scale to any number of paths), or select fewer cases.")
            check_memory(8.0 * mm * mm * 3, _SJ, "the edit-distance matrix",
                         how="Use distance='kgram', or select fewer cases.")
            from .._kernels.sequences import edit_distances

            dist = edit_distances(sub_codes, sub_off)
            scores, fits, sols = [], [], []
            for kk in ks:
                cost, med, lab = _kmedoids(dist, ww, int(kk), rng, n_init)
                scores.append(_weighted_silhouette(dist, lab, np.ones(mm), int(kk)))
                fits.append(cost)
                sols.append((med, lab))
        else:
            sk = _SK(_SJ)
            prof = _kgram_profiles(sub_codes, sub_off, len(journeys.vocab), gram, _SJ)
            paths = np.arange(mm)  # silhouette over distinct paths, each once (Notes)
            scores, fits, sols = [], [], []
            for kk in ks:
                model = _kmeans(sk, prof, kk, _seed_int(rng), n_init, ww)
                lab = np.asarray(model.labels_, dtype=np.int64)
                rows = paths if mm <= _SILHOUETTE_SAMPLE else \
                    rng.choice(mm, _SILHOUETTE_SAMPLE, replace=False)
                if np.unique(lab[rows]).size < 2:
                    scores.append(-1.0)
                else:
                    scores.append(float(sk.metrics.silhouette_score(prof[rows], lab[rows])))
                fits.append(float(model.inertia_))
                sols.append((model, lab))
        scores_a = np.array(scores)
        best = int(np.argmax(scores_a))
        kb = int(ks[best])
        raw = sols[best][1]
        vlab = _relabel(raw, kb, ww)
        names = _names(kb, "cluster")
        selection = ClusterSelection(ks, "silhouette", scores_a, np.array(fits), ks == kb)
        total = round(ww.sum())
        probs = ww / ww.sum()

        def refit(b):
            counts = rng.multinomial(total, probs).astype(np.float64)
            on = counts > 0
            if on.sum() <= kb:
                return vlab.copy()
            if distance == "edit":
                sub = np.flatnonzero(on)
                _, med, _ = _kmedoids(dist[np.ix_(sub, sub)], counts[sub], kb, rng, n_init)
                return np.argmin(dist[:, sub[med]], axis=1).astype(np.int64)
            model = _kmeans(sk, prof[on], kb, _seed_int(rng), n_init, counts[on])
            return np.asarray(model.predict(prof), dtype=np.int64)

        stability = _stability(names, vlab, kb, n_boot, refit, ww)
    # per case: distinct path -> position among the weighted paths
    pos = np.full(m, -1, dtype=np.int64)
    pos[idx] = np.arange(mm)
    case_code = np.where(pos[group] >= 0, vlab[np.maximum(pos[group], 0)], -1)
    # cases of weight 0 are not clustered: no label (missing in by=)
    case_labels = np.array([*names.tolist(), None], dtype=object)[case_code]
    cases = np.bincount(vlab, weights=ww, minlength=kb)
    vocab = np.array(journeys.vocab, dtype=object)
    top, mean_len = [], []
    for c in range(kb):
        members = np.flatnonzero(vlab == c)
        if distance == "edit":
            medoid = sols[best][0]
            # the medoid of this cluster: the medoid member
            inside = [mi for mi in medoid if vlab[mi] == c]
            j = inside[0] if inside else members[np.argmax(ww[members])]
        else:
            j = members[np.argmax(ww[members])]
        top.append(" > ".join(vocab[sub_codes[sub_off[j]:sub_off[j + 1]]].tolist()))
        mean_len.append(float((lengths[idx][members] * ww[members]).sum() / ww[members].sum()))
    return JourneyClusters(names, np.round(cases).astype(np.int64), cases / cases.sum(),
                           np.array(top, dtype=object), np.array(mean_len), case_labels,
                           case_code, np.asarray(journeys.case_ids), distance, gram, kb, mm,
                           selection, stability)
