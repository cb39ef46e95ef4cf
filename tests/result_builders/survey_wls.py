"""Result instances of ordinal CFA, hierarchical omega and HTMT2 for test_result_columns."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.survey import cfa_ordinal, htmt2, omega_hierarchical

    rng = np.random.default_rng(0)
    z = rng.standard_normal((300, 1)) * 0.7 + rng.standard_normal((300, 4)) * 0.7
    data = {f"q{i}": np.digitize(z[:, i], [-0.5, 0.5]) + 1 for i in range(4)}
    g, f = np.array([0.9, 0.8, 0.7]), np.array([0.8, 0.7, 0.6] * 3)
    lam = np.zeros((9, 3))
    lam[np.arange(9), np.repeat(np.arange(3), 3)] = f
    r = lam @ (np.outer(g, g) + np.diag(1 - g**2)) @ lam.T
    np.fill_diagonal(r, 1.0)
    cons = {"A": ["q0", "q1"], "B": ["q2", "q3"]}
    return {
        "survey_cfa_ordinal": cfa_ordinal(data, "f =~ q0 + q1 + q2 + q3"),
        "survey_omega_hierarchical": omega_hierarchical(r, correlation="given"),
        "survey_htmt2": htmt2({k: v.astype(float) for k, v in data.items()}, cons,
                              n_boot=20, seed=0),
    }
