"""Result instances of :mod:`cxpath.rca.impact` for ``test_result_columns``."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.rca import diff_in_diff, interrupted_time_series, synthetic_control

    rng = np.random.default_rng(0)
    t = np.arange(40)
    its = interrupted_time_series(10 + 0.1 * t + 2.0 * (t >= 20) + rng.normal(0, 1, 40), 20,
                                  period=4)
    unit = np.repeat(np.arange(6), 4)
    tt = np.tile(np.arange(4), 6)
    tr = (unit < 3).astype(float)
    post = (tt >= 2).astype(float)
    y = unit + tt + 1.5 * tr * post + rng.normal(0, 1, 24)
    panel = diff_in_diff(y, tr, post, unit=unit, time=tt)
    two = diff_in_diff(y, tr, post, cov="classical")
    donors = rng.normal(0, 1, (4, 8)).cumsum(axis=1)
    Y = np.vstack([donors[:2].mean(axis=0) + 1.0 * (np.arange(8) >= 6), donors])
    sc = synthetic_control(Y.ravel(), np.repeat(["T", "a", "b", "c", "d"], 8),
                           np.tile(np.arange(8), 5), treated_unit="T", start=6)
    return {"rca_its": its, "rca_did_panel": panel, "rca_did_2x2": two,
            "rca_event_study": panel.event_study, "rca_synthetic_control": sc}
