"""Result instances of cxpath.spc run lengths and monitoring for test_result_columns."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.spc import Monitor, arl_cusum, arl_ewma, arl_shewhart

    base = np.random.default_rng(0).normal(10.0, 1.0, size=(30, 3))
    mon = Monitor.from_baseline(base, names=["web", "app", "phone"], fdr=0.1)
    step = mon.update([[10.0, 9.5, 15.0], [10.2, 10.1, 10.0]])
    cus = Monitor.from_baseline(base, chart="cusum", residuals="ar1")
    return {
        "spc_run_length_shewhart": arl_shewhart("we", shift=[0.0, 1.0]),
        "spc_run_length_ewma": arl_ewma(0.2, 3.0),
        "spc_run_length_cusum_two": arl_cusum(0.5, 4.0, shift=[0.0, 1.0]),
        "spc_run_length_distribution": arl_shewhart("limits").distribution(upto=5),
        "spc_monitor": mon,
        "spc_monitor_cusum": cus.update(base[:3]).monitor,
        "spc_monitor_update": step,
        "spc_monitor_update_no_fdr": cus.update(base[:2]),
    }
