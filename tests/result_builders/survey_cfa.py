"""Result instances of cxpath.survey confirmatory factor analysis / SEM for
test_result_columns."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.survey import cfa, sem

    rng = np.random.default_rng(0)
    f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], 200)
    data = {f"a{i}": f[:, 0] + rng.standard_normal(200) for i in range(3)}
    data.update({f"b{i}": f[:, 1] + rng.standard_normal(200) for i in range(3)})
    fit = cfa(data, "A =~ a0 + a1 + a2; B =~ b0 + b1 + b2")
    return {
        "survey_sem_cfa": fit,
        "survey_sem_structural": sem(data, "A =~ a0 + a1 + a2; B =~ b0 + b1 + b2; B ~ A"),
        "survey_sem_validity": fit.validity(),
    }
