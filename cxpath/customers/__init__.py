"""Customers over time: histories, churn and time-to-event analysis, segments and value.

:func:`kaplan_meier` (survival curve with Greenwood variance, log-log or plain intervals,
median survival with its interval, :meth:`KaplanMeier.at` for survival at given times),
:func:`nelson_aalen` (cumulative hazard with its variance), :func:`logrank_test` (k
groups, stratified, Wilcoxon/Tarone–Ware/Peto/Fleming–Harrington weights) and :func:`rmst`
(restricted mean survival time with its variance, and the difference of two groups) are in
:mod:`cxpath.customers.survival`; :func:`cox` (Cox proportional hazards: Efron or Breslow
ties, robust and cluster-robust errors, start–stop data, strata, concordance) and
:meth:`CoxFit.ph_test` (scaled Schoenfeld residual test of proportional hazards) in
:mod:`cxpath.customers.cox`. Competing risks (churn vs upgrade vs move) are in
:mod:`cxpath.customers.competing`: :func:`cumulative_incidence` (Aalen–Johansen) and
:func:`fine_gray` (subdistribution hazards). From an activity log,
:func:`customer_histories` builds one row per customer (RFM features, durations to churn,
repeat contact and complaint, leakage-free as of a cut-off); :func:`rfm_scores` scores and
names RFM segments; :func:`bgnbd`, :func:`gamma_gamma` and :func:`clv` give expected
transactions, spend and lifetime value; :func:`propensity_frame`, :func:`fit_propensity` and
:func:`outreach` score who will churn or complain next and whom to contact.

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

from .competing import (
    CumulativeIncidence,
    FineGrayFit,
    FineGrayPrediction,
    GrayTest,
    cumulative_incidence,
    fine_gray,
    gray_test,
)
from .cox import CoxFit, PHTest, cox
from .histories import CustomerHistories, customer_histories
from .ltv import (
    CLV,
    BGNBDFit,
    GammaGammaFit,
    RepurchaseRate,
    bgnbd,
    clv,
    gamma_gamma,
    repurchase_rate,
    simulate_customers,
)
from .propensity import (
    Calibration,
    Explanations,
    LiftTable,
    OutreachList,
    PropensityFrame,
    PropensityModel,
    calibration_table,
    fit_propensity,
    lift_table,
    outreach,
    propensity_frame,
    simulate_activity,
)
from .rfm import RFM_SEGMENTS, RFMScores, rfm_scores
from .segments import (
    EDIT_BUDGET,
    ClusterSelection,
    ClusterStability,
    CustomerSegments,
    JourneyClusters,
    segment_customers,
    segment_journeys,
)
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
__all__ += ["CumulativeIncidence", "FineGrayFit", "FineGrayPrediction", "cumulative_incidence",
            "fine_gray"]
__all__ += ["CLV", "RFM_SEGMENTS", "BGNBDFit", "CustomerHistories", "GammaGammaFit", "RFMScores",
            "RepurchaseRate", "bgnbd", "clv", "customer_histories", "gamma_gamma",
            "repurchase_rate", "rfm_scores", "simulate_customers"]
__all__ += ["Calibration", "Explanations", "LiftTable", "OutreachList", "PropensityFrame",
            "PropensityModel", "calibration_table", "fit_propensity", "lift_table", "outreach",
            "propensity_frame", "simulate_activity"]
__all__ += ["EDIT_BUDGET", "ClusterSelection", "ClusterStability", "CustomerSegments", "GrayTest",
            "JourneyClusters", "gray_test", "segment_customers", "segment_journeys"]
