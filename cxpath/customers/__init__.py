"""Customers over time: churn and time-to-event analysis (issue #22).

:func:`kaplan_meier` (survival curve with Greenwood variance, log-log or plain intervals,
median survival with its interval, :meth:`KaplanMeier.at` for survival at given times),
:func:`nelson_aalen` (cumulative hazard with its variance), :func:`logrank_test` (k
groups, stratified, Wilcoxon/Tarone–Ware/Peto/Fleming–Harrington weights) and :func:`rmst`
(restricted mean survival time with its variance, and the difference of two groups) are in
:mod:`cxpath.customers.survival`; :func:`cox` (Cox proportional hazards: Efron or Breslow
ties, robust and cluster-robust errors, start–stop data, strata, concordance) and
:meth:`CoxFit.ph_test` (scaled Schoenfeld residual test of proportional hazards) in
:mod:`cxpath.customers.cox`.

Inputs are arrays or the column names of a table (``data=``): durations, event flags (1:
churned, 0: censored), optional entry times, groups, strata and weights.

Examples
--------
>>> from cxpath.customers import kaplan_meier, logrank_test
>>> t = [5, 8, 8, 12, 20, 3, 4, 9, 10, 15]
>>> e = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1]
>>> kaplan_meier(t, e).median
9.0
>>> round(logrank_test(t, e, group=["a"] * 5 + ["b"] * 5).p_value, 4)
0.5287
"""

from .cox import CoxFit, PHTest, cox
from .survival import (
    RMST,
    KaplanMeier,
    LogRankTest,
    NelsonAalen,
    SurvivalAt,
    kaplan_meier,
    logrank_test,
    nelson_aalen,
    rmst,
)

__all__ = ["RMST", "CoxFit", "KaplanMeier", "LogRankTest", "NelsonAalen", "PHTest", "SurvivalAt",
           "cox", "kaplan_meier", "logrank_test", "nelson_aalen", "rmst"]
