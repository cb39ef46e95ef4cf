"""Report section: reliability, factorability, validity and key drivers of a survey."""

from __future__ import annotations

import numpy as np

from .._results import format_p
from ._blocks import Figure, Section, Table, Text

__all__ = ["section"]


def section(inputs) -> Section:
    """Survey checks and key drivers of satisfaction on the sample's survey answers."""
    from ..survey import (
        bartlett_sphericity,
        construct_validity,
        cronbach_alpha,
        importance_performance,
        key_drivers,
        kmo,
        path_model,
    )

    title = "Survey reliability, validity and key drivers"
    sample = inputs.sample
    if sample is None:
        return Section("survey", title, skipped="survey constructs come with the bundled "
                       "sample only (cxpath demo); see cxpath.survey for your own")
    survey, constructs = sample.survey, sample.survey_constructs
    items = [i for names in constructs.values() for i in names]
    names = list(constructs)
    alphas = [cronbach_alpha(survey, constructs[c]) for c in names]
    val = construct_validity(survey, constructs)
    rel = {"construct": np.array(names), "alpha": np.array([a.alpha for a in alphas]),
           "ci_low": np.array([a.ci_low for a in alphas]),
           "ci_high": np.array([a.ci_high for a in alphas]), "cr": val.cr, "ave": val.ave}
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
    blocks = [
        Table(title=f"Reliability per construct ({len(survey[items[0]])} respondents, "
                    "pairwise)", columns=rel,
              headers={"ci_low": "alpha 95% low", "ci_high": "alpha 95% high",
                       "cr": "composite reliability", "ave": "AVE"},
              how_to_read="Cronbach's alpha with its interval, composite reliability and "
                          "average variance extracted: 0.7, 0.7 and 0.5 are the usual bars."),
        Text(""),
        Text(f"Factorability of the {len(items)} items: KMO = {k.overall:.3f} ({k.verdict}); "
             f"Bartlett chi2 = {b.statistic:.0f}, df = {b.df}, {format_p(b.p_value)}"),
        Text(f"Discriminant validity: max HTMT = {h.max():.3f} "
             f"({int((h > 0.85).sum())} pair(s) above 0.85)"), Text(""),
        Table(title=f"Key drivers of satisfaction (construct scores, R2 = {kd.r2:.3f}, "
                    "bootstrap 95% intervals)", columns=drv,
              headers={"relative_weight": "relative weight",
                       "relative_weight_low": "95% low", "relative_weight_high": "95% high"},
              how_to_read="How much of the explained variance (R²) of satisfaction each "
                          "driver carries (relative weights sum to R²), with the "
                          "regression weight and the dominance weight."),
        Text(""),
        Text("Priority (importance-performance): " + ", ".join(
            f"{d} ({q})" for d, q in zip(ipa.drivers, ipa.quadrant))),
        Text(f"Path model: reso -> loyal direct {f['direct'][j]:.3f}, indirect via sat "
             f"{f['indirect'][j]:.3f} [{f['indirect_low'][j]:.3f}, "
             f"{f['indirect_high'][j]:.3f}], R2(loyal) = {pm.r2['loyal']:.3f}"),
        Figure("Survey items: oblimin loadings of five factors", lambda: _figure(sample)),
    ]
    lead = int(np.argmax(kd.relative_weight))
    share = kd.relative_weight[lead] / kd.r2
    findings = (f"{kd.drivers[lead]} drives satisfaction most: {share:.0%} of the explained "
                f"variance (R² = {kd.r2:.2f}).",)
    return Section("survey", title, tuple(blocks), findings)


def _figure(sample):
    import matplotlib.pyplot as plt

    from .. import plot
    from ..survey import efa

    items = [i for names in sample.survey_constructs.values() for i in names]
    fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
    plot.loadings(efa(sample.survey, items, n_factors=5, rotation="oblimin"), ax=ax)
    return fig
