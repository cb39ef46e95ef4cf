"""Instances of the segment results (cxpath.customers.segments) and of Gray's test."""

from __future__ import annotations

import numpy as np

from cxpath import Journeys
from cxpath.customers import gray_test, segment_customers, segment_journeys


def build(sample, tmp) -> dict:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0, 1, (20, 2)), rng.normal(6, 1, (20, 2))])
    seg = segment_customers({"visits": x[:, 0], "spend": x[:, 1]}, k=[2, 3], n_boot=2,
                            n_init=2)
    j = Journeys.from_paths(["web > chat"] * 3 + ["web > faq > chat"] * 2
                            + ["call > shop > pay"] * 3 + ["call > pay"] * 2)
    cl = segment_journeys(j, k=2, distance="edit", n_boot=2, n_init=2)
    t = [1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 4, 5, 6, 7, 8, 9]
    e = [1, 1, 2, 1, 0, 1, 2, 1, 2, 0, 1, 2, 2, 0, 1, 2]
    return {"customer_segments": seg, "cluster_selection": seg.selection,
            "cluster_stability": seg.stability, "journey_clusters": cl,
            "journey_clusters_kgram": segment_journeys(j, k=2, n_boot=0, n_init=2),
            "gray_test": gray_test(t, e, ["a"] * 8 + ["b"] * 8)}
