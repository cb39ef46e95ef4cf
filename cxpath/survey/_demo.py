"""Demo section: reliability, factorability, validity and key drivers of the sample survey."""

from __future__ import annotations

import numpy as np

from .._results import format_p, format_table
from .drivers import importance_performance, key_drivers
from .factorability import bartlett_sphericity, kmo
from .paths import path_model
from .reliability import cronbach_alpha
from .validity import construct_validity


def demo_section(sample) -> str:
    """Survey checks and key drivers of satisfaction on the sample's survey answers."""
    survey = sample.survey
    constructs = sample.survey_constructs
    items = [i for names in constructs.values() for i in names]
    names = list(constructs)
    alphas = [cronbach_alpha(survey, constructs[c]) for c in names]
    val = construct_validity(survey, constructs)
    rel = {"construct": np.array(names),
           "alpha": np.array([a.alpha for a in alphas]),
           "ci_low": np.array([a.ci_low for a in alphas]),
           "ci_high": np.array([a.ci_high for a in alphas]),
           "cr": val.cr, "ave": val.ave}
    k = kmo(survey, items)
    b = bartlett_sphericity(survey, items)
    h = val.htmt[np.triu_indices(len(names), 1)]
    scores = {c: np.nanmean(np.column_stack([survey[i] for i in constructs[c]]), axis=1)
              for c in names}
    kd = key_drivers(scores, "sat", ["wait", "reso", "staff"], n_boot=200, seed=1)
    kcols = kd._columns()
    drv = {c: kcols[c] for c in ("driver", "mean", "beta", "relative_weight",
                                 "relative_weight_low", "relative_weight_high", "dominance")}
    ipa = importance_performance(kd, scale=(1, 7))
    pm = path_model(scores, "sat ~ wait + reso + staff; loyal ~ sat + reso", n_boot=200,
                    seed=1)
    f = pm._columns()
    j = int(np.flatnonzero((f["source"] == "reso") & (f["target"] == "loyal"))[0])
    lines = [f"Reliability per construct ({len(survey[items[0]])} respondents, pairwise):",
             format_table(rel), "",
             f"Factorability of the {len(items)} items: KMO = {k.overall:.3f} ({k.verdict}); "
             f"Bartlett chi2 = {b.statistic:.0f}, df = {b.df}, {format_p(b.p_value)}",
             f"Discriminant validity: max HTMT = {h.max():.3f} "
             f"({int((h > 0.85).sum())} pair(s) above 0.85)", "",
             f"Key drivers of satisfaction (construct scores, R2 = {kd.r2:.3f}, "
             f"bootstrap 95% intervals):", format_table(drv), "",
             "Priority (importance-performance): " + ", ".join(f"{d} ({q})" for d, q in
                                       zip(ipa.drivers, ipa.quadrant)),
             f"Path model: reso -> loyal direct {f['direct'][j]:.3f}, indirect via sat "
             f"{f['indirect'][j]:.3f} [{f['indirect_low'][j]:.3f}, "
             f"{f['indirect_high'][j]:.3f}], R2(loyal) = {pm.r2['loyal']:.3f}"]
    return "\n".join(lines)


def demo_figures(sample) -> list:
    """Figure for ``demo --out``: loadings of a five-factor EFA of the survey items."""
    import matplotlib.pyplot as plt

    from .. import plot
    from .factor_analysis import efa

    items = [i for names in sample.survey_constructs.values() for i in names]
    fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
    plot.loadings(efa(sample.survey, items, n_factors=5, rotation="oblimin"), ax=ax)
    return [("Survey items: oblimin loadings of five factors", fig)]
