"""Result instances of cxpath.survey ordinal items for test_result_columns."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.survey import (
        ordinal_alpha,
        ordinal_omega,
        polychoric,
        polychoric_matrix,
        polyserial,
    )

    rng = np.random.default_rng(0)
    z = rng.standard_normal((300, 1)) * 0.7 + rng.standard_normal((300, 3)) * 0.7
    x = np.digitize(z, [-0.5, 0.5]) + 1
    return {
        "survey_polychoric": polychoric(x[:, 0], x[:, 1]),
        "survey_polyserial": polyserial(z[:, 0], x[:, 1]),
        "survey_polychoric_matrix": polychoric_matrix(x, ["a", "b", "c"]),
        "survey_ordinal_alpha": ordinal_alpha(x),
        "survey_ordinal_omega": ordinal_omega(x),
    }
