"""Confirmatory factor analysis of ordinal items by DWLS with WLSMV statistics.

Likert answers are treated as ordered categories of unobserved normal responses: the
model is fitted to the polychoric correlations by diagonally weighted least squares,
with robust (sandwich) standard errors and the mean-and-variance adjusted
(scaled-and-shifted) χ² — lavaan's ``cfa(..., ordered=TRUE)`` with its default
``estimator="WLSMV"`` (the same as Mplus's WLSMV since version 6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import format_p, result
from .._warnings import warn
from ..errors import CxpathWarning
from ._common import read_items
from ._model_fit import _ModelFit

if TYPE_CHECKING:

    from .._typing import TableLike

__all__ = ["OrdinalCfa", "cfa_ordinal"]

FUNC = "survey.cfa_ordinal"


@result
class OrdinalCfa(_ModelFit):
    """A factor model of ordinal items fitted by DWLS (WLSMV statistics).

    Attributes
    ----------
    lhs, op, rhs : ndarray of str
        The parameter table in lavaan's notation: ``f =~ x`` loadings, ``a ~~ b``
        variances and covariances, ``x | t1`` thresholds.
    est, se, z, p_value : ndarray
        Estimates, robust (sandwich) standard errors (NaN for fixed and derived
        parameters: the residual variances ``1 - diag(ΛΦΛ')`` of the delta
        parameterisation), Wald z and two-sided p values.
    std_all : ndarray
        Standardised estimates (lavaan's ``std.all``): the latent responses have unit
        variance, so loadings times the factor's standard deviation; factor covariances
        as correlations.
    free : ndarray of bool
        Whether each parameter is estimated.
    observed, latent : ndarray of str
        Items and factors.
    polychoric, implied : ndarray (p, p)
        The polychoric correlations and the model-implied correlations.
    thresholds : dict of str to ndarray
        Each item's sample thresholds (equal to the estimates: they are saturated).
    nacov : ndarray (q, q)
        Γ, the asymptotic covariance of √n (thresholds, correlations), in the order all
        thresholds (item by item) then the correlations ``i < j`` row by row.
    chi2, df, p_chi2 : float, int, float
        The DWLS statistic :math:`T = n F_{DWLS}` (lavaan's "Standard" column).
    chi2_scaled, p_scaled, scaling_factor, shift : float
        The scaled-and-shifted statistic :math:`aT + b` (lavaan's "Scaled" column), its
        p value, :math:`1/a` ("Scaling correction factor") and :math:`b` ("Shift
        parameter").
    baseline_chi2, baseline_chi2_scaled, baseline_df : float, float, int
        The same for the independence model (all correlations 0).
    cfi, tli, rmsea, cfi_scaled, tli_scaled, rmsea_scaled : float
        Fit indices from the standard and from the scaled statistics (lavaan's ``cfi``,
        ``cfi.scaled`` …, see Notes of :func:`cfa_ordinal`).
    rmsea_low_scaled, rmsea_high_scaled : float
        90 % interval of ``rmsea_scaled``.
    srmr : float
        Root mean square of the correlation residuals (off-diagonal).
    n_obs, n_rows, n_free, iterations : int
        Respondents used, rows read, free parameters (thresholds included) and function
        evaluations of the optimiser.
    """

    polychoric: np.ndarray
    implied: np.ndarray
    thresholds: dict
    nacov: np.ndarray
    shift: float
    baseline_chi2_scaled: float
    cfi_scaled: float
    tli_scaled: float
    rmsea_scaled: float
    rmsea_low_scaled: float
    rmsea_high_scaled: float
    n_obs: int
    n_rows: int
    std_lv: bool

    def _title(self) -> str:
        return f"Ordinal CFA (DWLS, WLSMV statistics; n = {self.n_obs})"

    def _summary(self) -> list[str]:
        return [f"chi2 = {self.chi2:.3f} (scaled-shifted {self.chi2_scaled:.3f}, scaling "
                f"factor {self.scaling_factor:.3f}, shift {self.shift:.3f}), df = {self.df}, "
                f"{format_p(self.p_scaled)}",
                f"CFI = {self.cfi_scaled:.3f}, TLI = {self.tli_scaled:.3f}, RMSEA = "
                f"{self.rmsea_scaled:.3f} [{self.rmsea_low_scaled:.3f}, "
                f"{self.rmsea_high_scaled:.3f}] (scaled); SRMR = {self.srmr:.3f}; "
                f"{self.n_free} free parameters" + ("" if self.converged else
                                                    " (did NOT converge)")]

    def fit_measures(self) -> dict:
        """The fit measures as a dict named as lavaan's ``fitMeasures()``.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import cfa_ordinal
        >>> rng = np.random.default_rng(1)
        >>> z = rng.standard_normal((500, 1)) * 0.8 + rng.standard_normal((500, 4)) * 0.6
        >>> data = {f"q{i}": np.digitize(z[:, i], [-0.6, 0.3, 1.0]) for i in range(4)}
        >>> fm = cfa_ordinal(data, "f =~ q0 + q1 + q2 + q3").fit_measures()
        >>> fm["df"], fm["npar"]
        (2, 16)
        """
        return {"npar": self.n_free, "chisq": self.chi2, "df": self.df,
                "pvalue": self.p_chi2, "chisq.scaled": self.chi2_scaled,
                "df.scaled": self.df, "pvalue.scaled": self.p_scaled,
                "chisq.scaling.factor": self.scaling_factor,
                "chisq.shift.parameters": self.shift,
                "baseline.chisq": self.baseline_chi2, "baseline.df": self.baseline_df,
                "baseline.chisq.scaled": self.baseline_chi2_scaled,
                "cfi": self.cfi, "tli": self.tli, "cfi.scaled": self.cfi_scaled,
                "tli.scaled": self.tli_scaled, "rmsea": self.rmsea,
                "rmsea.scaled": self.rmsea_scaled,
                "rmsea.ci.lower.scaled": self.rmsea_low_scaled,
                "rmsea.ci.upper.scaled": self.rmsea_high_scaled, "srmr": self.srmr,
                "ntotal": self.n_obs}


def _fit_pair_factory(correct: float):
    from .ordinal import _correct, _fit_table

    def fit(table, where):
        if (table == 0).any() and correct > 0:
            table, _ = _correct(table, correct)
        return _fit_table(table, where, FUNC, "ignore")[0]

    return fit


def cfa_ordinal(data: TableLike, model: str | Mapping | Sequence, *, std_lv: bool = False,
                nan_policy: str = "listwise", max_iter: int = 10_000,
                max_items: int = 60) -> OrdinalCfa:
    """Confirmatory factor analysis of ordinal (Likert) items by DWLS, WLSMV statistics.

    lavaan's ``cfa(model, data, ordered=TRUE)`` (``estimator="WLSMV"``, delta
    parameterisation): two-step thresholds and polychoric correlations, their asymptotic
    covariance Γ from the casewise scores, a diagonally weighted least-squares fit of the
    factor model to the correlations, robust standard errors and the scaled-and-shifted
    test statistic.

    Parameters
    ----------
    data : table
        A pandas / polars DataFrame, pyarrow Table or dict of columns with the ordinal
        items (numeric codes; each item's distinct answers are its ordered categories).
    model : str, dict or list
        lavaan syntax (``"f1 =~ q1 + q2 + q3; f2 =~ q4 + q5 + q6"``, residual correlations
        ``q1 ~~ q2``) or ``{"f1": ["q1", "q2", "q3"], ...}`` (see
        :func:`~cxpath.survey.parse_model`). Regressions among factors are allowed;
        observed variables must all be ordinal items (no covariates).
    std_lv : bool
        Fix factor variances at 1 and free every loading (otherwise each factor's first
        loading is fixed at 1).
    nan_policy : {'listwise', 'error'}
        Drop respondents with a missing answer (lavaan's default), or refuse them.
    max_iter : int
        Function-evaluation limit of the least-squares optimiser.
    max_items : int, default 60
        Budget: more items raise :class:`~cxpath.errors.CostError` before any work (Γ
        needs n x (thresholds + pairs) floats; 60 items is 1,770 pairs).

    Returns
    -------
    OrdinalCfa
        One row per parameter (loadings, factor (co)variances, residual variances,
        thresholds); fit statistics as attributes and in ``fit_measures()``.

    Raises
    ------
    InvalidParameterError
        A malformed or unidentified model, an unknown column, a fixed residual variance of
        an item (they are determined by the delta parameterisation).
    DataError
        Non-numeric items, an item with one category or more than 50, a polychoric
        estimate on the boundary, a sample without enough respondents.
    CostError
        More items than ``max_items`` or Γ larger than the memory cap.

    Warns
    -----
    CxpathWarning
        The optimiser did not converge; an implied residual variance below 0 (a Heywood
        case).

    Notes
    -----
    With :math:`s` the thresholds and polychoric correlations, :math:`\\Gamma` their
    asymptotic covariance (×n) and :math:`W = \\operatorname{diag}(\\Gamma)^{-1}`, DWLS
    minimises :math:`F = (s - \\sigma(\\theta))' W (s - \\sigma(\\theta))`; thresholds are
    saturated (their estimates are the sample thresholds) so only the correlations move
    the loadings. :math:`T = nF`, with :math:`\\Delta = \\partial\\sigma/\\partial\\theta'`
    and :math:`U = W - W\\Delta(\\Delta'W\\Delta)^{-1}\\Delta'W`:
    :math:`a = \\sqrt{df / \\operatorname{tr}(U\\Gamma U\\Gamma)}`,
    :math:`b = df - a \\operatorname{tr}(U\\Gamma)` and the scaled-shifted statistic is
    :math:`aT + b` on ``df`` degrees of freedom (Asparouhov & Muthén 2010). Standard errors
    are :math:`n^{-1}(\\Delta'W\\Delta)^{-1}\\Delta'W\\Gamma W\\Delta(\\Delta'W\\Delta)^{-1}`.

    Fit indices follow lavaan's ``fitMeasures()``: ``cfi``/``tli``/``rmsea`` from the
    standard statistics, ``*_scaled`` from the scaled-shifted statistics of the model and
    of the independence model (:math:`\\mathrm{CFI} = 1 - \\max(T-df, 0)/\\max(T-df,
    T_0-df_0, 0)`, :math:`\\mathrm{RMSEA} = \\sqrt{\\max(T/(n\\,df) - 1/n, 0)}`), the
    "scaled" (not the Savalei 2021 "robust") versions. Empty cells of a pair's table are
    kept as zero counts (lavaan's default for tables larger than 2 x 2).

    References
    ----------
    Muthén, B. (1984). A general structural equation model with dichotomous, ordered
    categorical, and continuous latent variable indicators. Psychometrika 49, 115–132.
    Muthén, B., du Toit, S. H. C. & Spisic, D. (1997). Robust inference using weighted least
    squares and quadratic estimating equations in latent variable modeling with
    categorical and continuous outcomes. Unpublished technical report.
    Asparouhov, T. & Muthén, B. (2010). Simple second order chi-square correction. Mplus
    technical appendix.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import cfa_ordinal
    >>> rng = np.random.default_rng(1)
    >>> f = rng.standard_normal((800, 2)) @ np.array([[1.0, 0.5], [0.0, 0.87]])
    >>> z = np.repeat(f, 3, axis=1) * 0.75 + rng.standard_normal((800, 6)) * 0.66
    >>> data = {f"q{i}": np.digitize(z[:, i], [-1.0, 0.0, 0.8]) + 1 for i in range(6)}
    >>> fit = cfa_ordinal(data, "a =~ q0 + q1 + q2; b =~ q3 + q4 + q5", std_lv=True)
    >>> fit.df, bool(fit.cfi_scaled > 0.95)
    (8, True)
    """
    from scipy import stats

    from .._budget import check_memory
    from ._wls import DeltaModel, dwls, ordinal_moments, robust, scaled_shifted
    from .confirmatory import _rmsea_ci, _Spec, _start, parse_model
    from .ordinal import _codes

    std_lv = v.check_bool(std_lv, "std_lv", FUNC)
    max_iter = v.check_int(max_iter, "max_iter", FUNC, low=1)
    max_items = v.check_int(max_items, "max_items", FUNC, low=2)
    v.check_option(nan_policy, "nan_policy", FUNC, ("listwise", "error"))
    stmts = parse_model(model, FUNC)
    spec = _Spec(stmts, std_lv, FUNC)
    if any(op == "~~" and lhs == rhs and lhs in spec.observed
           for lhs, op, rhs, *_ in stmts):
        v.fail("model", FUNC, "free of item variances (the delta parameterisation fixes each "
               "item's residual variance at 1 - its communality)",
               got=next(f"{lhs} ~~ {rhs}" for lhs, op, rhs, *_ in stmts
                        if op == "~~" and lhs == rhs and lhs in spec.observed))
    if spec.fixed_x:
        v.fail("model", FUNC, "a model whose observed variables are all ordinal items (no "
               "observed covariates)", got=f"{spec.observed[spec.fixed_x[0]]!r} as a "
               "predictor")
    if isinstance(data, np.ndarray):
        v.fail("data", FUNC, "a table (DataFrame or dict of columns) naming the model's "
               "items", got=f"a bare array of shape {data.shape}")
    p = spec.p
    if p > max_items:
        from ..errors import CostError

        raise CostError(f"{FUNC} would analyse {p} items ({p * (p - 1) // 2:,} polychoric "
                        f"pairs), more than max_items={max_items}. Analyse fewer items, or "
                        f"raise the cap (max_items={p}).")
    it = read_items(data, spec.observed, FUNC, nan_policy=nan_policy, min_items=2,
                    min_rows=3)
    x = it.x
    n = x.shape[0]
    if n < 10:
        v.fail("data", FUNC, "at least 10 complete respondents", got=f"{n}", data=True)
    codes = np.empty(x.shape, dtype=np.int64)
    ncat = []
    for j in range(p):
        cats, cj = _codes(x[:, j], f"item {spec.observed[j]!r}", FUNC)
        codes[:, j] = cj
        ncat.append(len(cats))
    q = sum(ncat) - p + p * (p - 1) // 2
    check_memory(8.0 * (n * q + 3 * q * q), FUNC, f"the casewise scores of {p} items over "
                 f"{n:,} respondents",
                 how="Analyse fewer items, or raise the cap with the CXPATH_MAX_MEMORY "
                     "environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
    mom = ordinal_moments(codes, ncat, _fit_pair_factory(0.0), spec.observed)
    r = mom["r"]
    nth = mom["n_thresholds"]
    gamma = mom["nacov"]
    g_rr = gamma[nth:, nth:]
    w = 1.0 / np.diag(g_rr)
    free = [f for f in spec.free if not (f[0] == 1 and f[1] == f[2] and f[1] < p)]
    model_ = DeltaModel(p, spec.a0, spec.s0, free)
    k = len(free)
    pstar = p * (p - 1) // 2
    df = pstar - k
    if df < 0:
        v.fail("model", FUNC, "an identified model (no more free parameters than "
               "polychoric correlations)", got=f"{k} free parameters for {pstar} "
               f"correlations (df = {df})")
    full_start = _start(spec, r)
    keep = [i for i, f in enumerate(spec.free) if f in set(free)]
    theta, iterations, converged = dwls(model_, r, w, full_start[keep], max_iter)
    delta = model_.jacobian(theta)
    if k and np.linalg.matrix_rank(delta) < k:
        v.fail("model", FUNC, "an identified model (the Jacobian of the correlations is "
               "rank deficient: fix a loading or a variance, or drop a parameter)",
               got=f"rank {np.linalg.matrix_rank(delta)} for {k} free parameters")
    if not converged:
        warn(f"{FUNC}: the optimiser did not converge after {iterations} "
             "evaluations; raise max_iter or check the model", CxpathWarning,
             stacklevel=2)
    implied = model_.implied(theta)
    resid_var = 1.0 - np.diag(implied)
    if (resid_var < 0).any():
        j = int(np.argmin(resid_var))
        warn(f"{FUNC}: Heywood case: the residual variance of item "
             f"{spec.observed[j]!r} is {resid_var[j]:.3f} (< 0); the solution is "
             "improper", CxpathWarning, stacklevel=2)
    rows, cols = mom["rows"], mom["cols"]
    e = r[rows, cols] - implied[rows, cols]
    t = float(n * np.sum(w * e * e))
    if k:
        vcov, ug = robust(delta, w, g_rr, n)
    else:
        vcov, ug = np.zeros((0, 0)), w[:, None] * g_rr
    t_ss, c_fac, shift = scaled_shifted(t, df, ug)
    tb = float(n * np.sum(w * r[rows, cols] ** 2))
    tb_ss, _, _ = scaled_shifted(tb, pstar, w[:, None] * g_rr)
    p_chi2 = float(stats.chi2.sf(t, df)) if df > 0 else np.nan
    p_sc = float(stats.chi2.sf(t_ss, df)) if df > 0 else np.nan

    def cfi(tm, tbm):
        den = max(tm - df, tbm - pstar, 0.0)
        return float(1.0 - max(tm - df, 0.0) / den) if den > 0 else 1.0

    def tli(tm, tbm):
        if df <= 0:
            return np.nan
        return float((tbm / pstar - tm / df) / (tbm / pstar - 1.0))

    def rmsea(tm):
        return float(np.sqrt(max(tm / (n * df) - 1.0 / n, 0.0))) if df > 0 else np.nan

    lo, hi = _rmsea_ci(t_ss, df, n) if df > 0 else (np.nan, np.nan)
    srmr = float(np.sqrt(np.mean(e * e))) if len(e) else 0.0
    # parameter table
    se_free = np.sqrt(np.maximum(np.diag(vcov), 0.0)) if k else np.zeros(0)
    idx_of = {f: i for i, f in enumerate(free)}
    a_mat, s_mat = model_.ram.matrices(theta)
    lat_var = {}
    cov_lat = model_.ram.implied(theta)[2]
    for f in spec.latent:
        lat_var[spec.pos[f]] = float(cov_lat[spec.pos[f], spec.pos[f]])
    lhs, op, rhs, est, se, std, isfree = [], [], [], [], [], [], []
    for (lh, o, rh, mat, i, j, _idx) in spec.table:
        key = (mat, i, j)
        if mat == 1 and i == j and i < p:
            val = float(resid_var[i])
            lhs.append(lh), op.append(o), rhs.append(rh), est.append(val), se.append(np.nan)
            std.append(val), isfree.append(False)
            continue
        val = float(a_mat[i, j] if mat == 0 else s_mat[i, j])
        s_ = float(se_free[idx_of[key]]) if key in idx_of else np.nan
        if mat == 0:
            sd_from = np.sqrt(max(lat_var.get(j, 1.0), 0.0)) if j >= p else 1.0
            sd_to = np.sqrt(max(cov_lat[i, i], 1e-300)) if i >= p else 1.0
            sv = val * sd_from / sd_to
        elif i >= p and j >= p:
            sv = val / np.sqrt(max(cov_lat[i, i] * cov_lat[j, j], 1e-300))
        else:
            sv = val
        lhs.append(lh), op.append(o), rhs.append(rh), est.append(val), se.append(s_)
        std.append(float(sv)), isfree.append(key in idx_of)
    th_se = np.sqrt(np.diag(gamma[:nth, :nth]) / n)
    pos = 0
    thresholds = {}
    for j, name in enumerate(spec.observed):
        tau = mom["taus"][j]
        thresholds[name] = tau
        for m, tv in enumerate(tau):
            lhs.append(name), op.append("|"), rhs.append(f"t{m + 1}")
            est.append(float(tv)), se.append(float(th_se[pos])), std.append(float(tv))
            isfree.append(True)
            pos += 1
    est_a, se_a = np.array(est), np.array(se)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se_a > 0, est_a / se_a, np.nan)
    pv = 2.0 * stats.norm.sf(np.abs(z))
    return OrdinalCfa(lhs=np.array(lhs), op=np.array(op), rhs=np.array(rhs), est=est_a,
                      se=se_a, z=z, p_value=pv, std_all=np.array(std),
                      free=np.array(isfree), observed=np.array(spec.observed),
                      latent=np.array(spec.latent), polychoric=r, implied=implied,
                      thresholds=thresholds, nacov=gamma, chi2=t, df=df, p_chi2=p_chi2,
                      chi2_scaled=float(t_ss), p_scaled=p_sc, scaling_factor=float(c_fac),
                      shift=float(shift), baseline_chi2=tb, baseline_chi2_scaled=float(tb_ss),
                      baseline_df=pstar, cfi=cfi(t, tb), tli=tli(t, tb), rmsea=rmsea(t),
                      cfi_scaled=cfi(t_ss, tb_ss), tli_scaled=tli(t_ss, tb_ss),
                      rmsea_scaled=rmsea(t_ss), rmsea_low_scaled=float(lo),
                      rmsea_high_scaled=float(hi), srmr=srmr, n_obs=n, n_rows=it.n_rows,
                      n_free=k + nth, iterations=iterations, converged=converged,
                      std_lv=std_lv)
