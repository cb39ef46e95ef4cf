"""Life-data analysis: fitting lifetime distributions to failure and censored times.

:class:`LifeData` holds exact failures and right-, left- and interval-censored units with
counts. :func:`fit` fits a Weibull (2- or 3-parameter), lognormal, exponential (1- or
2-parameter), gamma, log-logistic or 2-component Weibull mixture by maximum likelihood or
median-rank regression, with Fisher-matrix and likelihood-ratio bounds on parameters,
B-lives and reliability; :func:`fit_best` ranks distributions by AICc or BIC;
:func:`plotting_positions` and :func:`probability_plot` give the probability-plot
coordinates; :func:`fit_competing` fits competing failure modes; :func:`fit_groups` fits
a Weibull per group (part number) in one kernel pass.

Warranty claims: :func:`nevada` and :meth:`WarrantyData.from_records` build the Nevada
triangle of claims by production month and month in service, with claim rates and
:meth:`WarrantyData.to_life_data` for :func:`fit`; :func:`forecast_claims` forecasts
claims and their cost with intervals; :func:`warranty_dashboard` charts the claim rate by
production month. :func:`compare_lifetimes` tests a common Weibull shape (and lifetime)
across suppliers or batches; :func:`rate_ratios` compares claim rates.

Examples
--------
>>> from cxpath.reliability import LifeData, fit
>>> d = LifeData.from_times([16, 34, 53, 75, 93, 120], failed=[1, 1, 1, 1, 1, 1])
>>> f = fit(d, "weibull")
>>> round(f.params["beta"], 3), round(f.params["alpha"], 2)
(1.933, 73.53)
"""

from .compare import LifeComparison, RateRatios, compare_lifetimes, rate_ratios
from .competing import CompetingModes, fit_competing
from .data import KINDS, LifeData
from .fitting import (
    BLives,
    DistributionRanking,
    LifeFit,
    ParameterBounds,
    ReliabilityBounds,
    fit,
    fit_best,
)
from .groups import GroupFits, fit_groups
from .maintenance import (
    AgeReplacement,
    Availability,
    PMInterval,
    age_replacement,
    availability,
    pm_interval,
)
from .ranks import PlottingPositions, ProbabilityPlot, plotting_positions, probability_plot
from .repairable import (
    MeanCumulativeFunction,
    PowerLawFit,
    TrendTest,
    crow_amsaa,
    mcf,
    trend_test,
)
from .spares import (
    InstalledBaseDemand,
    LastTimeBuy,
    LeadTimeDemand,
    installed_base_demand,
    last_time_buy,
    lead_time_demand,
)
from .warranty import (
    ClaimForecast,
    ClaimRates,
    WarrantyDashboard,
    WarrantyData,
    forecast_claims,
    nevada,
    warranty_dashboard,
)

__all__ = ["KINDS", "BLives", "CompetingModes", "DistributionRanking", "GroupFits",
           "LifeData", "LifeFit", "ParameterBounds", "PlottingPositions", "ProbabilityPlot",
           "ReliabilityBounds", "fit", "fit_best", "fit_competing", "fit_groups",
           "plotting_positions", "probability_plot"]
__all__ += ["ClaimForecast", "ClaimRates", "LifeComparison", "RateRatios",
            "WarrantyDashboard", "WarrantyData", "compare_lifetimes", "forecast_claims",
            "nevada", "rate_ratios", "warranty_dashboard"]
__all__ += ["AgeReplacement", "Availability", "InstalledBaseDemand", "LastTimeBuy",
            "LeadTimeDemand", "MeanCumulativeFunction", "PMInterval", "PowerLawFit",
            "TrendTest", "age_replacement", "availability", "crow_amsaa",
            "installed_base_demand", "last_time_buy", "lead_time_demand", "mcf",
            "pm_interval", "trend_test"]
