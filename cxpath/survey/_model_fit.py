"""Fields shared by the results of fitted factor models (:class:`~cxpath.survey.Sem`,
:class:`~cxpath.survey.MultiGroupSem`, :class:`~cxpath.survey.OrdinalCfa`): the parameter
table, the model test and the fit indices, declared once.

The bases are keyword-only attrs classes, so each result keeps its own fields in its
own order after them; every public result documents the inherited attributes itself.
"""

from __future__ import annotations

import attrs
import numpy as np

from .._results import Result

__all__: list[str] = []

_NAN = float("nan")


@attrs.frozen(repr=False, eq=False, kw_only=True)
class _ModelFit(Result):
    """A fitted model: parameter table (lavaan notation), model test and fit indices."""

    lhs: np.ndarray
    op: np.ndarray
    rhs: np.ndarray
    est: np.ndarray
    se: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    std_all: np.ndarray
    free: np.ndarray
    observed: np.ndarray
    latent: np.ndarray
    chi2: float
    df: int
    p_chi2: float
    baseline_chi2: float
    baseline_df: int
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    n_free: int
    iterations: int
    converged: bool
    chi2_scaled: float = _NAN
    scaling_factor: float = _NAN
    p_scaled: float = _NAN

    _key = ("lhs", "op", "rhs")

    def _columns(self) -> dict:
        return {"lhs": self.lhs, "op": self.op, "rhs": self.rhs, "est": self.est,
                "se": self.se, "z": self.z, "p_value": self.p_value,
                "std_all": self.std_all, "free": self.free}


@attrs.frozen(repr=False, eq=False, kw_only=True)
class _MlFit(_ModelFit):
    """A model fitted by maximum likelihood: likelihoods, information criteria, the RMSEA
    interval and, under MLM / MLR, the baseline model's scaling factor."""

    rmsea_low: float
    rmsea_high: float
    rmsea_p_close: float
    loglik: float
    loglik_saturated: float
    aic: float
    bic: float
    estimator: str = "ML"
    baseline_scaling_factor: float = _NAN
