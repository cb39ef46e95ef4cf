"""Segments (cxpath.customers.segments): planted clusters of customers and of journeys are
recovered (adjusted Rand index >= 0.9, issue #22), the number of clusters is the planted one,
and the pieces equal independent computations written here or scikit-learn 1.7's own:

* ``_agreement`` (adjusted Rand, Hubert & Arabie 1985) equals
  ``sklearn.metrics.adjusted_rand_score`` on the rows expanded by their weights;
* the weighted silhouette of k-medoids equals ``sklearn.metrics.silhouette_score(metric=
  'precomputed')`` on the cases expanded from their distinct paths;
* the edit-distance kernel equals a textbook Levenshtein recursion written here (Wagner &
  Fischer 1974).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.customers import (
    ClusterSelection,
    ClusterStability,
    CustomerSegments,
    JourneyClusters,
    segment_customers,
    segment_journeys,
)
from cxpath.customers import segments as seg_mod
from cxpath.errors import CostError, DataError, InvalidParameterError, InvalidTypeError

metrics = pytest.importorskip("sklearn.metrics", reason="scikit-learn (extra 'text') missing")


def _blobs(n_per=(120, 80, 60), seed=0, sep=6.0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [sep, 0.0, sep / 2], [0.0, sep, -sep / 2]])
    x = np.vstack([rng.normal(c, 1.0, (m, 3)) for c, m in zip(centres, n_per)])
    truth = np.repeat(np.arange(3), n_per)
    # features in very different units: spend in euros, visits, tenure in days
    x = x * np.array([100.0, 1.0, 30.0]) + np.array([500.0, 10.0, 400.0])
    return x, truth


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_planted_customer_clusters_are_recovered(method):
    x, truth = _blobs()
    seg = segment_customers({"spend": x[:, 0], "visits": x[:, 1], "tenure": x[:, 2]},
                            method=method, k=range(2, 7), n_boot=10, seed=1)
    ari = metrics.adjusted_rand_score(truth, seg.codes)
    assert ari >= 0.9, ari
    assert seg.k == 3
    assert seg.selection.k[seg.selection.chosen].tolist() == [3]
    assert seg.size.tolist() == [120, 80, 60]  # numbered by size
    # profiles in the original units: the planted centres
    np.testing.assert_allclose(seg.means[:, 0], [500.0, 1100.0, 500.0], atol=30)
    assert seg.stability.ari.mean() > 0.95
    assert (seg.stability.jaccard > 0.85).all()


def test_selection_criteria_are_sklearns():
    x, _ = _blobs(seed=2)
    seg = segment_customers(x, k=[2, 3, 4], n_boot=0, seed=3)
    z = (x - x.mean(0)) / x.std(0)
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    for kk, sil in zip(seg.selection.k, seg.selection.score):
        with threadpool_limits(1):
            lab = KMeans(int(kk), n_init=10, random_state=0).fit(z).labels_
        assert abs(metrics.silhouette_score(z, lab) - sil) < 1e-3  # same optimum partition
    gm = segment_customers(x, method="gmm", k=[2, 3, 4], n_boot=0, seed=3)
    assert gm.selection.criterion == "bic"
    assert np.argmin(gm.selection.score) == 1  # BIC smallest at the planted k = 3
    assert "bic" in gm.selection.to_frame("dict")


def test_standardised_features_do_not_depend_on_units():
    x, truth = _blobs(seed=4)
    a = segment_customers(x, k=3, n_boot=0, seed=5)
    b = segment_customers(x * np.array([0.001, 1000.0, 1.0]), k=3, n_boot=0, seed=5)
    assert metrics.adjusted_rand_score(a.codes, b.codes) == 1.0
    # without standardisation the euro column dominates: the tenure split is lost
    raw = segment_customers(x * np.array([100.0, 1.0, 0.01]), k=3, n_boot=0, seed=5,
                            standardise=False)
    assert metrics.adjusted_rand_score(truth, raw.codes) < 0.9
    np.testing.assert_allclose(a.center, x.mean(0))
    np.testing.assert_allclose(a.scale, x.std(0))


def test_unstructured_data_is_unstable():
    rng = np.random.default_rng(6)
    x = rng.uniform(size=(300, 2))
    seg = segment_customers(x, k=6, n_boot=15, seed=7)
    assert seg.stability.ari.mean() < 0.9
    assert seg.stability.jaccard.min() < 0.85


def test_labels_plug_into_by_and_frames():
    pd = pytest.importorskip("pandas")
    x, _truth = _blobs(seed=8)
    df = pd.DataFrame({"id": [f"c{i}" for i in range(len(x))], "spend": x[:, 0],
                       "visits": x[:, 1], "tenure": x[:, 2]})
    seg = segment_customers(["spend", "visits", "tenure"], data=df, customer="id", k=3,
                            n_boot=0)
    assert seg.customer[:2].tolist() == ["c0", "c1"]
    assert seg.labels.dtype == object and set(seg.labels) == {"segment 1", "segment 2",
                                                              "segment 3"}
    frame = seg.to_frame("dict")
    assert list(frame) == ["segment", "size", "share", "mean_spend", "mean_visits",
                           "mean_tenure", "jaccard"]
    # the labels are a plain by= column, e.g. for a Kaplan-Meier per segment
    from cxpath.customers import logrank_test

    t = np.where(seg.codes == 0, 5.0, 10.0) + np.arange(len(x)) % 3
    lr = logrank_test(t, np.ones(len(x)), group=seg.labels)
    assert lr.p_value < 1e-10
    assert isinstance(seg, CustomerSegments) and isinstance(seg.selection, ClusterSelection)
    assert isinstance(seg.stability, ClusterStability)


def test_agreement_equals_sklearn_adjusted_rand():
    rng = np.random.default_rng(9)
    a = rng.integers(0, 4, 200)
    b = np.where(rng.uniform(size=200) < 0.7, a, rng.integers(0, 3, 200))
    w = rng.integers(1, 4, 200)
    ari, jac = seg_mod._agreement(a, b, 4, 4, w.astype(float))
    ea, eb = np.repeat(a, w), np.repeat(b, w)
    assert abs(ari - metrics.adjusted_rand_score(ea, eb)) < 1e-12
    for c in range(4):
        best = max(((ea == c) & (eb == d)).sum() / ((ea == c) | (eb == d)).sum()
                   for d in range(4))
        assert abs(jac[c] - best) < 1e-12


def _lev(a, b):
    if not a:
        return len(b)
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def test_edit_distance_kernel_equals_levenshtein():
    from cxpath._kernels.sequences import edit_distances

    rng = np.random.default_rng(10)
    seqs = [rng.integers(0, 4, rng.integers(0, 7)).tolist() for _ in range(25)]
    off = np.concatenate([[0], np.cumsum([len(s) for s in seqs])]).astype(np.int64)
    codes = np.array([c for s in seqs for c in s], dtype=np.int64)
    d = edit_distances(codes, off)
    for i in range(25):
        for j in range(25):
            assert d[i, j] == _lev(seqs[i], seqs[j])


def test_weighted_silhouette_equals_sklearn_on_expanded_cases():
    rng = np.random.default_rng(11)
    m = 30
    pts = rng.normal(size=(m, 2))
    dist = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    lab = rng.integers(0, 3, m)
    w = rng.integers(1, 4, m).astype(float)
    ours = seg_mod._weighted_silhouette(dist, lab, w, 3)
    rep = np.repeat(np.arange(m), w.astype(int))
    ref = metrics.silhouette_score(dist[np.ix_(rep, rep)], lab[rep], metric="precomputed")
    assert abs(ours - ref) < 1e-12


_ARCHETYPES = (("web", "faq", "chat", "resolved"), ("call", "ivr", "agent", "callback", "agent"),
               ("app", "shop", "cart", "pay", "review"))
_NOISE = ("email", "sms", "push", "survey")


def _planted_journeys(n=300, seed=12):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    paths = []
    for c in truth:
        p = list(_ARCHETYPES[c])
        for _ in range(rng.integers(0, 2)):  # an extra touchpoint, or one dropped
            if rng.uniform() < 0.5:
                p.insert(int(rng.integers(0, len(p) + 1)), str(rng.choice(_NOISE)))
            else:
                del p[int(rng.integers(1, len(p)))]
        paths.append(" > ".join(p))
    return Journeys.from_paths(paths), truth


@pytest.mark.parametrize("distance", ["kgram", "edit"])
@pytest.mark.parametrize(("n", "seed"), [(300, 12), (300, 3), (3000, 3)])
def test_planted_journey_clusters_are_recovered(distance, n, seed):
    j, truth = _planted_journeys(n, seed=seed)
    cl = segment_journeys(j, k=range(2, 7), distance=distance, n_boot=10, seed=2)
    ari = metrics.adjusted_rand_score(truth, cl.codes)
    assert ari >= 0.9, ari
    assert cl.k == 3
    assert cl.stability.ari.mean() > 0.9
    tops = {p.split(" > ")[0] for p in cl.top_path.tolist()}
    assert tops == {"web", "call", "app"}
    assert cl.cases.sum() == n


def test_silhouette_counts_each_distinct_path_once():
    """Counted per case, heavy duplicate paths split off: k = 5-8 instead of 3 (measured)."""
    j, truth = _planted_journeys(3000, seed=3)
    cl = segment_journeys(j, k=range(2, 9), n_boot=0, seed=0)
    assert cl.k == 3 and metrics.adjusted_rand_score(truth, cl.codes) == 1.0
    assert cl.n_paths < 100  # 3,000 cases, few distinct paths: the duplicates are heavy


def test_attach_plugs_clusters_into_by():
    from cxpath.journeys import funnel, variants

    j, _truth = _planted_journeys(120, seed=13)
    cl = segment_journeys(j, k=3, n_boot=0)
    tagged = cl.attach(j, name="path_cluster")
    attr = tagged.case_attributes["path_cluster"]
    assert attr.decoded().tolist() == cl.labels.tolist()
    v = variants(tagged, by="path_cluster").to_frame("dict")
    counts = {s: int(np.sum(np.asarray(v["cases"])[np.asarray(v["path_cluster"]) == s]))
              for s in set(v["path_cluster"].tolist())}
    assert counts == dict(zip(cl.cluster.tolist(), cl.cases.tolist()))
    f = funnel(tagged, ["web", "faq"], by="path_cluster")
    assert "path_cluster" in f.to_frame("dict")


def test_aggregated_journeys_weigh_their_paths():
    j = Journeys.from_paths(["a > b > c", "a > b", "x > y > z", "x > y"],
                            conversions=[30, 10, 25, 5], nulls=[0, 0, 0, 0])
    cl = segment_journeys(j, k=2, distance="edit", n_boot=3)
    assert cl.cases.tolist() == [40, 30]
    assert cl.labels.tolist() == ["cluster 1", "cluster 1", "cluster 2", "cluster 2"]


def test_edit_distance_is_refused_past_the_budget(monkeypatch):
    j, _ = _planted_journeys(60, seed=14)
    monkeypatch.setattr(seg_mod, "EDIT_BUDGET", 100)
    with pytest.raises(CostError, match=r"customers.segment_journeys would need about .* "
                                         r"edit-distance cell updates .* more than the budget "
                                         r"of 100 .*Use distance='kgram'"):
        segment_journeys(j, distance="edit")
    segment_journeys(j, k=3, distance="kgram", n_boot=0)  # k-grams are not bounded by it


def test_segment_customers_bad_input():
    x, _ = _blobs()
    f = "customers.segment_customers"
    with pytest.raises(DataError, match=rf"The 'features\['plan'\]' parameter of {f} must be "
                                        r"numbers \(one-hot encode a categorical feature"):
        segment_customers({"spend": x[:, 0], "plan": np.array(["a", "b"] * 130)})
    with pytest.raises(DataError, match=rf"The 'features' parameter of {f} must be features "
                                        r"that vary .* Got constant \['flat'\]"):
        segment_customers({"spend": x[:, 0], "flat": np.ones(260)})
    with pytest.raises(DataError, match=rf"The 'k' parameter of {f} must be at most the number "
                                        r"of customers minus one \(3\)\. Got k = 4"):
        segment_customers(x[:4], k=[2, 4])
    with pytest.raises(InvalidParameterError, match=rf"The 'k' parameter of {f} must be"):
        segment_customers(x, k=1)
    with pytest.raises(InvalidTypeError, match=rf"The 'k' parameter of {f} must be an integer"):
        segment_customers(x, k="3")
    with pytest.raises(InvalidParameterError, match=rf"The 'method' parameter of {f}"):
        segment_customers(x, method="dbscan")
    with pytest.raises(DataError, match=rf"The 'features\['x0'\]' parameter of {f}"):
        bad = x.copy()
        bad[3, 0] = np.nan
        segment_customers(bad)
    with pytest.raises(DataError, match=rf"The 'features' parameter of {f} must be columns of "
                                        r"one length"):
        segment_customers({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0]})
    with pytest.raises(DataError, match=rf"The 'features' parameter of {f} must be a table"):
        segment_customers(np.arange(10.0))
    with pytest.raises(InvalidTypeError, match=rf"The 'data' parameter of {f} must be a table"):
        segment_customers(["spend"])
    with pytest.raises(DataError, match=rf"The 'customer' parameter of {f} must be one label"):
        segment_customers(x, customer=["a", "b"])


def test_segment_journeys_bad_input():
    f = "customers.segment_journeys"
    j = Journeys.from_paths(["a > b", "c > d", "a > b > e"])
    with pytest.raises(InvalidTypeError, match=rf"The 'journeys' parameter of {f} must be a "
                                               r"Journeys object"):
        segment_journeys(["a > b"])
    with pytest.raises(DataError, match=rf"The 'k' parameter of {f} must be at most the number "
                                        r"of distinct paths \(3\)\. Got k = 5"):
        segment_journeys(j, k=5)
    with pytest.raises(InvalidParameterError, match=rf"The 'distance' parameter of {f}"):
        segment_journeys(j, k=2, distance="cosine")
    with pytest.raises(InvalidParameterError, match=rf"The 'gram' parameter of {f}"):
        segment_journeys(j, k=2, gram=0)
    cl = segment_journeys(j, k=2, n_boot=0)
    other = Journeys.from_paths(["a > b", "c > d"])
    with pytest.raises(DataError, match=r"The 'journeys' parameter of JourneyClusters.attach "
                                        r"must be the journeys that were clustered"):
        cl.attach(other)
    with pytest.raises(InvalidTypeError, match=r"The 'name' parameter of JourneyClusters.attach"):
        cl.attach(j, name="")
    assert isinstance(cl, JourneyClusters)


def test_plots_draw_the_selection_and_the_profiles():
    matplotlib = pytest.importorskip("matplotlib", reason="matplotlib (extra 'plot') missing")
    matplotlib.use("Agg")
    from cxpath.plot._segments import cluster_selection, segment_profiles

    x, _ = _blobs(seed=15)
    seg = segment_customers({"spend": x[:, 0], "visits": x[:, 1], "tenure": x[:, 2]},
                            k=[2, 3, 4], n_boot=0)
    ax = seg.selection.plot()
    assert ax.lines[0].get_xdata().tolist() == [2, 3, 4]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), seg.selection.score)
    assert ax.lines[1].get_xdata().tolist() == [3]  # the chosen k, circled
    ax = seg.plot()
    z = (seg.means - seg.center) / seg.scale
    np.testing.assert_allclose(ax.images[0].get_array(), z)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["spend", "visits", "tenure"]
    j, _ = _planted_journeys(90, seed=16)
    assert cluster_selection(segment_journeys(j, k=[2, 3], n_boot=0)).lines
    with pytest.raises(InvalidParameterError, match=r"The 'result' parameter of "
                                                    r"plot.segment_profiles must be a "
                                                    r"CustomerSegments"):
        segment_profiles(seg.selection)
    matplotlib.pyplot.close("all")
