"""Survey reliability and validity, key-driver analysis and path models of satisfaction.

Modules: :mod:`~cxpath.survey.reliability` (Cronbach's alpha, omega),
:mod:`~cxpath.survey.factorability` (KMO, Bartlett),
:mod:`~cxpath.survey.factor_analysis` (exploratory factor analysis, number of factors),
:mod:`~cxpath.survey.validity` (CR, AVE, Fornell–Larcker, HTMT),
:mod:`~cxpath.survey.drivers` (key drivers, importance–performance) and
:mod:`~cxpath.survey.paths` (recursive path models).

Examples
--------
>>> import numpy as np
>>> from cxpath import survey
>>> x = np.array([[4, 5, 4], [2, 3, 3], [5, 5, 4], [3, 2, 2], [4, 4, 5]])
>>> round(survey.cronbach_alpha(x).alpha, 3)
0.886
"""

from .confirmatory import Sem, SemValidity, cfa, parse_model, sem
from .drivers import ImportancePerformance, KeyDrivers, importance_performance, key_drivers
from .factor_analysis import Efa, FactorCount, efa, n_factors
from .factorability import Bartlett, Kmo, bartlett_sphericity, kmo
from .invariance import Invariance, MultiGroupSem, measurement_invariance, multigroup_cfa
from .omega import OmegaHierarchical, omega_bifactor, omega_hierarchical
from .ordinal import (
    OrdinalAlpha,
    Polychoric,
    PolychoricMatrix,
    ordinal_alpha,
    ordinal_omega,
    polychoric,
    polychoric_matrix,
    polyserial,
)
from .ordinal_cfa import OrdinalCfa, cfa_ordinal
from .paths import PathModel, parse_paths, path_model
from .reliability import Alpha, Omega, cronbach_alpha, omega_total
from .validity import ConstructValidity, Htmt, Htmt2, construct_validity, htmt, htmt2

__all__ = ["Alpha", "Bartlett", "ConstructValidity", "Efa", "FactorCount", "Htmt",
           "ImportancePerformance", "KeyDrivers", "Kmo", "Omega", "PathModel",
           "bartlett_sphericity", "construct_validity", "cronbach_alpha", "efa",
           "htmt", "importance_performance", "key_drivers", "kmo", "n_factors",
           "omega_total", "parse_paths", "path_model",
           "Sem", "SemValidity", "cfa", "parse_model", "sem",
           "Invariance", "MultiGroupSem", "measurement_invariance", "multigroup_cfa",
           "OrdinalAlpha", "Polychoric", "PolychoricMatrix", "ordinal_alpha", "ordinal_omega",
           "polychoric", "polychoric_matrix", "polyserial",
           "Htmt2", "OmegaHierarchical", "OrdinalCfa", "cfa_ordinal", "htmt2",
           "omega_bifactor", "omega_hierarchical"]
