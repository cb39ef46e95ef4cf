"""Result instances of cxpath.survey multiple-group CFA / measurement invariance for
test_result_columns."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.survey import measurement_invariance, multigroup_cfa

    rng = np.random.default_rng(0)
    f = rng.standard_normal(300)
    data = {f"x{i}": f + rng.standard_normal(300) for i in range(4)}
    data["g"] = np.repeat(["a", "b"], 150)
    model = "f =~ x0 + x1 + x2 + x3"
    return {
        "survey_multigroup_cfa": multigroup_cfa(data, model, group="g"),
        "survey_invariance": measurement_invariance(data, model, group="g"),
        "survey_invariance_mlr": measurement_invariance(data, model, group="g",
                                                        estimator="MLR"),
    }
