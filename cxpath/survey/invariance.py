"""Multiple-group confirmatory factor analysis and measurement invariance.

One lavaan-syntax model fitted to every group of respondents (channel, region, wave) with
a mean structure, equality constraints across groups (lavaan's ``group.equal``) and the
configural → metric → scalar (→ strict) sequence of invariance tests, with Δχ² and ΔCFI
decisions, needed before latent means are compared between groups.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, derived_columns, format_p, result
from .._warnings import warn
from ..errors import CxpathWarning
from ._common import read_items
from ._fiml import EQUAL_CLASSES, fit_groups
from ._model_fit import _MlFit
from .confirmatory import _Spec, fit_lines, fit_measure_dict, parse_model

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from .._typing import TableLike

__all__ = ["Invariance", "MultiGroupSem", "measurement_invariance", "multigroup_cfa"]

#: Constraints each invariance step adds to the previous ones (lavaan ``group.equal``).
STEP_CONSTRAINTS = {"configural": (), "metric": ("loadings",), "scalar": ("intercepts",),
                    "strict": ("residuals",), "means": ("means",)}


@result
class MultiGroupSem(_MlFit):
    """A CFA / SEM fitted to several groups at once by maximum likelihood.

    Attributes
    ----------
    group, lhs, op, rhs : ndarray of str
        The parameter table, one block per group, in lavaan's notation; ``~1`` rows are
        intercepts (observed variables) and means (factors).
    est, se, z, p_value, std_all : ndarray
        Estimates, standard errors (NaN for fixed parameters), Wald tests and lavaan's
        ``std.all`` solution within each group.
    free : ndarray of bool
        Whether each row is estimated.
    param : ndarray of int
        The free parameter behind each row (-1 when fixed): rows constrained equal across
        groups share it.
    groups : ndarray of str
        The group labels, in order of first appearance (the first is the reference).
    n_obs : ndarray of int
        Respondents per group.
    chi2, df, p_chi2 : float, int, float
        Likelihood-ratio test against the saturated model of every group.
    chi2_groups : ndarray
        Each group's share of ``chi2`` (lavaan's "Test statistic for each group").
    baseline_chi2, baseline_df, cfi, tli, rmsea, rmsea_low, rmsea_high, rmsea_p_close, srmr
        Fit indices as lavaan computes them for several groups (RMSEA multiplied by the
        square root of the number of groups; SRMR with the means, weighted by group size).
    loglik, loglik_saturated, aic, bic : float
        Log-likelihoods and information criteria.
    n_free, iterations : int
        Free parameters and optimiser iterations.
    converged : bool
        Whether the gradient vanished.
    group_equal : tuple of str
        The parameter classes constrained equal across groups.
    estimator : str
        ``'ML'`` or ``'MLR'`` (Huber–White standard errors, Yuan–Bentler scaled χ²).
    nan_policy : str
        ``'listwise'``, ``'fiml'`` or ``'error'``.
    chi2_scaled, scaling_factor, p_scaled : float
        The Yuan–Bentler scaled test (NaN under ``'ML'``).
    baseline_scaling_factor : float
        Its scaling factor for the independence model, behind ``fit_measures()``'s scaled
        and robust CFI, TLI and RMSEA (NaN under ``'ML'``).
    observed, latent : ndarray of str
        Model variables.
    sample_mean, sample_cov, implied_mean, implied_cov : ndarray
        Per group (first axis): saturated (sample, or EM with missing answers) and
        model-implied means and covariances.
    group_partial : tuple of str
        Parameters left free across groups although their class is constrained.
    release_group, release_lhs, release_op, release_rhs, release_chi2, release_epc : ndarray
        One score test per cross-group equality (``release_tests()``): the group whose
        copy of the parameter would be freed, the parameter, the χ² (1 df) and the
        expected change of that copy.
    """

    group: np.ndarray
    param: np.ndarray
    groups: np.ndarray
    n_obs: np.ndarray
    chi2_groups: np.ndarray
    group_equal: tuple
    nan_policy: str
    sample_mean: np.ndarray
    sample_cov: np.ndarray
    implied_mean: np.ndarray
    implied_cov: np.ndarray
    group_partial: tuple = ()
    release_group: np.ndarray = attrs.field(factory=lambda: np.empty(0, dtype=str))
    release_lhs: np.ndarray = attrs.field(factory=lambda: np.empty(0, dtype=str))
    release_op: np.ndarray = attrs.field(factory=lambda: np.empty(0, dtype=str))
    release_rhs: np.ndarray = attrs.field(factory=lambda: np.empty(0, dtype=str))
    release_chi2: np.ndarray = attrs.field(factory=lambda: np.empty(0))
    release_epc: np.ndarray = attrs.field(factory=lambda: np.empty(0))

    _key = ("group", "lhs", "op", "rhs")

    def _title(self) -> str:
        return (f"Multiple-group SEM ({self.estimator}, {len(self.groups)} groups, "
                f"n = {int(np.sum(self.n_obs))})")

    def _summary(self) -> list[str]:
        eq = ", ".join(self.group_equal) if self.group_equal else "none"
        out = ["groups: " + ", ".join(f"{g} (n = {n})" for g, n in
                                       zip(self.groups, self.n_obs))
               + f"; equal across groups: {eq}", *fit_lines(self)]
        if self.estimator == "MLR":
            out.append(f"Yuan-Bentler scaled chi2 = {self.chi2_scaled:.3f} (scaling factor "
                       f"{self.scaling_factor:.3f}), {format_p(self.p_scaled)}; robust "
                       "(Huber-White) standard errors")
        return out

    def _columns(self) -> dict:
        return {"group": self.group, "lhs": self.lhs, "op": self.op, "rhs": self.rhs,
                "est": self.est, "se": self.se, "z": self.z, "p_value": self.p_value,
                "std_all": self.std_all, "free": self.free, "param": self.param}

    def fit_measures(self) -> dict:
        """The fit measures as a dict named as lavaan's ``fitMeasures()``.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import multigroup_cfa
        >>> rng = np.random.default_rng(0)
        >>> f = rng.standard_normal(400)
        >>> data = {f"x{i}": f + rng.standard_normal(400) for i in range(4)}
        >>> data["g"] = np.repeat(["a", "b"], 200)
        >>> fm = multigroup_cfa(data, "f =~ x0 + x1 + x2 + x3", group="g").fit_measures()
        >>> fm["df"], fm["npar"]
        (4, 24)
        """
        return fit_measure_dict(self, int(np.sum(self.n_obs)), len(self.groups))

    def release_tests(self, backend: str = "pandas", *, minimum: float = 0.0
                      ) -> pd.DataFrame | pl.DataFrame | dict:
        """Score tests of the cross-group equality constraints, largest first: which
        loading or intercept to free (``group_partial``) for partial invariance.

        Each row tests one constraint alone, as lavaan's ``lavTestScore()`` univariate
        tests: freeing the parameter in ``group`` (the others keep it equal to the first
        group's) lowers χ² by about ``chi2`` (1 df); ``epc`` is the expected change of
        that group's copy. The tests are normal-theory ones (expected information, or
        observed with missing answers) also under ``estimator='MLR'``.

        Parameters
        ----------
        backend : {'pandas', 'polars', 'dict'}
            Table type returned.
        minimum : float
            Leave out tests below this (3.84 is the 5 % critical value).

        Returns
        -------
        table
            Columns group, lhs, op, rhs, chi2, df, p_value, epc.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import multigroup_cfa
        >>> rng = np.random.default_rng(1)
        >>> f = rng.standard_normal(800)
        >>> data = {f"x{i}": 0.8 * f + 0.6 * rng.standard_normal(800) for i in range(4)}
        >>> data["x3"][400:] += 0.8
        >>> data["region"] = np.repeat(["north", "south"], 400)
        >>> fit = multigroup_cfa(data, "f =~ x0 + x1 + x2 + x3", group="region",
        ...                      group_equal=["loadings", "intercepts"])
        >>> top = fit.release_tests("dict")
        >>> str(top["lhs"][0]), str(top["op"][0]), str(top["group"][0])
        ('x3', '~1', 'south')
        """
        from scipy import stats

        from .._frames import make_frame

        func = "survey.MultiGroupSem.release_tests"
        minimum = v.check_real(minimum, "minimum", func, low=0.0)
        keep = np.flatnonzero(~np.isnan(self.release_chi2) & (self.release_chi2 >= minimum))
        keep = keep[np.argsort(-self.release_chi2[keep], kind="stable")]
        chi2 = self.release_chi2[keep]
        cols = {"group": self.release_group[keep].astype(object),
                "lhs": self.release_lhs[keep].astype(object),
                "op": self.release_op[keep].astype(object),
                "rhs": self.release_rhs[keep].astype(object), "chi2": chi2,
                "df": np.ones(len(keep), dtype=np.int64), "p_value": stats.chi2.sf(chi2, 1),
                "epc": self.release_epc[keep]}
        return make_frame(cols, backend, func=func)


def _read_groups(data, model, group, nan_policy, func):
    v.check_option(nan_policy, "nan_policy", func, ("listwise", "fiml", "error"))
    if isinstance(data, np.ndarray):
        v.fail("data", func, "a table (DataFrame or dict of columns) naming the model's "
               "observed variables and the group column", got=f"a bare array of shape "
               f"{data.shape}")
    if not isinstance(group, str):
        v.fail("group", func, "the name of the column holding each respondent's group",
               group, wrong_type=True)
    stmts = parse_model(model, func)
    return stmts, column(data, group, "group", func)


def _split(data, spec, labels, nan_policy, func):
    it = read_items(data, spec.observed, func,
                    nan_policy="error" if nan_policy == "error" else "pairwise",
                    min_items=1, min_rows=3)
    x = it.x
    if len(labels) != len(x):
        v.fail("group", func, "one label per respondent", got=f"{len(labels)} labels for "
               f"{len(x)} rows", data=True)
    lab = np.asarray(labels, dtype=object)
    bad = np.array([g is None or (isinstance(g, float) and np.isnan(g)) for g in lab])
    if bad.any():
        v.fail("group", func, "a group label for every respondent",
               got=f"a missing label at row {int(np.flatnonzero(bad)[0])}", data=True)
    keep = ~np.isnan(x).any(axis=1) if nan_policy == "listwise" else \
        ~np.isnan(x).all(axis=1)
    x, lab = x[keep], lab[keep]
    names = list(dict.fromkeys(str(g) for g in lab))
    text = np.array([str(g) for g in lab], dtype=object)
    if len(names) < 2:
        v.fail("group", func, "a column with at least two groups",
               got=f"the single group {names[0]!r}" if names else "no respondents",
               data=True)
    xs = []
    for nm in names:
        xg = x[text == nm]
        if len(xg) < spec.p + 1:
            v.fail("data", func, "more respondents than observed variables in every group",
                   got=f"{len(xg)} respondent(s) in group {nm!r} for {spec.p} variables",
                   data=True)
        xs.append(xg)
    return names, xs


def _group_equal(group_equal, func):
    if isinstance(group_equal, str):
        group_equal = (group_equal,)
    if not isinstance(group_equal, Sequence):
        v.fail("group_equal", func, f"a list of parameter classes among {list(EQUAL_CLASSES)}",
               group_equal, wrong_type=True)
    out = []
    for g in group_equal:
        v.check_option(g, "group_equal", func, EQUAL_CLASSES)
        if g not in out:
            out.append(g)
    return tuple(out)


def _param_names(spec) -> dict:
    """(mat, i, j) -> (lhs, op, rhs) for every parameter of one group, intercepts and
    means (``~1``) included."""
    out = {(mat, i, j): (lhs, op, rhs) for lhs, op, rhs, mat, i, j, _ in spec.table}
    out.update({(2, i, 0): (nm, "~1", "") for i, nm in enumerate(spec.names)})
    return out


_PARTIAL = re.compile(r"^\s*([^\s=~]+)\s*(=~|~~|~1|~)\s*([^\s=~]*)\s*$")


def _group_partial(group_partial, spec, func) -> frozenset:
    """lavaan's ``group.partial``: parameters such as ``"x3 ~1"`` or ``"f =~ x2"`` left
    free across groups although their class is in ``group_equal``."""
    if isinstance(group_partial, str):
        group_partial = (group_partial,)
    if not isinstance(group_partial, Sequence):
        v.fail("group_partial", func, "a list of parameters in lavaan syntax such as "
               "'x3 ~1' or 'f =~ x2'", group_partial, wrong_type=True)
    by_name = {t: key for key, t in _param_names(spec).items()}
    keys = set()
    for item in group_partial:
        m = _PARTIAL.match(item) if isinstance(item, str) else None
        found = None
        if m:
            lhs, op, rhs = m.groups()
            if (op == "~1") == (rhs == ""):
                found = by_name.get((lhs, op, rhs))
                if found is None and op == "~~":
                    found = by_name.get((rhs, op, lhs))
        if found is None:
            v.fail("group_partial", func, "parameters of the model in lavaan syntax (such "
                   "as 'x3 ~1' for an intercept or 'f =~ x2' for a loading)", item)
        keys.add(found)
    return frozenset(keys)


def _make(fit, names, spec, ge, estimator, nan_policy, partial=frozenset()):
    gi = fit["group_index"]
    pn = _param_names(spec)
    r_groups, r_keys, r_chi2, r_epc = fit["release"]
    shown = sorted(pn[k][0] + " " + pn[k][1] + (" " + pn[k][2] if pn[k][2] else "")
                   for k in partial)
    return MultiGroupSem(
        group=np.array(names, dtype=str)[gi], lhs=fit["lhs"], op=fit["op"], rhs=fit["rhs"],
        est=fit["est"], se=fit["se"], z=fit["z"], p_value=fit["p_value"],
        std_all=fit["std_all"], free=fit["free"], param=fit["param"],
        groups=np.array(names, dtype=str), n_obs=fit["n_obs"], chi2=fit["chi2"],
        chi2_groups=fit["chi2_groups"], df=int(fit["df"]), p_chi2=fit["p_chi2"],
        baseline_chi2=fit["baseline_chi2"], baseline_df=int(fit["baseline_df"]),
        cfi=fit["cfi"], tli=fit["tli"], rmsea=fit["rmsea"], rmsea_low=fit["rmsea_low"],
        rmsea_high=fit["rmsea_high"], rmsea_p_close=fit["rmsea_p_close"],
        srmr=fit["srmr"], loglik=fit["loglik"], loglik_saturated=fit["loglik_saturated"],
        aic=float(fit["aic"]), bic=float(fit["bic"]), n_free=int(fit["n_free"]),
        iterations=int(fit["iterations"]), converged=bool(fit["converged"]),
        group_equal=ge, estimator=estimator, nan_policy=nan_policy,
        chi2_scaled=fit["chi2_scaled"], scaling_factor=fit["scaling_factor"],
        p_scaled=fit["p_scaled"], baseline_scaling_factor=fit["baseline_scaling_factor"],
        observed=np.array(spec.observed, dtype=str),
        latent=np.array(spec.latent, dtype=str),
        sample_mean=np.array([s[0] for s in fit["sat"]]),
        sample_cov=np.array([s[1] for s in fit["sat"]]),
        implied_mean=np.array([m[0] for m in fit["implied"]]),
        implied_cov=np.array([m[1] for m in fit["implied"]]),
        group_partial=tuple(shown),
        release_group=np.array([names[g] for g in r_groups], dtype=str),
        release_lhs=np.array([pn[k][0] for k in r_keys], dtype=str),
        release_op=np.array([pn[k][1] for k in r_keys], dtype=str),
        release_rhs=np.array([pn[k][2] for k in r_keys], dtype=str),
        release_chi2=r_chi2, release_epc=r_epc)


def multigroup_cfa(data: TableLike, model: str | Mapping | Sequence, *, group: str,
                   group_equal: str | Sequence[str] = (),
                   group_partial: str | Sequence[str] = (), std_lv: bool = False,
                   estimator: str = "ML", nan_policy: str = "listwise",
                   max_iter: int = 10_000) -> MultiGroupSem:
    """Fit one CFA / SEM to several groups at once, with a mean structure
    (lavaan's ``cfa(model, data, group = "g", group.equal = ...)``).

    Parameters
    ----------
    data : table
        A pandas / polars DataFrame, pyarrow Table or dict of columns with the observed
        variables and the group column.
    model : str, dict or list
        lavaan syntax (see :func:`~cxpath.survey.parse_model`); the same model holds in
        every group.
    group : str
        The column naming each respondent's group; groups are ordered by first
        appearance and the first is the reference group.
    group_equal : str or list of str
        Parameter classes held equal across groups: ``'loadings'``, ``'intercepts'``,
        ``'residuals'``, ``'residual.covariances'``, ``'lv.variances'``,
        ``'lv.covariances'``, ``'regressions'``, ``'means'``.
    group_partial : str or list of str
        Parameters exempt from ``group_equal`` (lavaan's ``group.partial``), in lavaan
        syntax: ``'x3 ~1'`` (an intercept), ``'f =~ x2'`` (a loading), ``'x1 ~~ x1'``
        … — partial invariance; ``release_tests()`` of a constrained fit says which.
    std_lv : bool
        Scale the factors by unit variances (freed in the groups after the first when the
        loadings are equal, as lavaan) instead of a marker loading.
    estimator : {'ML', 'MLR'}
        Normal-theory ML, or ML with Huber–White standard errors and the Yuan–Bentler
        scaled χ² (lavaan's ``estimator="MLR"``).
    nan_policy : {'listwise', 'fiml', 'error'}
        Drop respondents with a missing answer, use every answer given by full-information
        ML (lavaan's ``missing="ml"``), or refuse missing answers.
    max_iter : int
        Iteration limit of the optimiser.

    Returns
    -------
    MultiGroupSem
        The parameter table with one block per group (``to_frame()``), fit measures
        (``fit_measures()``) and per-group moments.

    Raises
    ------
    InvalidParameterError
        A malformed or unidentified model, an unknown column or parameter class, a model
        with observed covariates (not supported with groups yet).
    DataError
        A single group, a group with fewer respondents than variables, a missing group
        label, a covariance matrix that is not positive definite in some group.

    Warns
    -----
    CxpathWarning
        The optimiser did not converge, or a variance estimate is negative.

    Notes
    -----
    lavaan's defaults for several groups: every observed variable has an intercept,
    factor means are fixed at 0 and, when the intercepts are equal across groups, freed
    in the groups after the first; the first loading of each factor is fixed at 1 in
    every group. The discrepancy is the normal log-likelihood with a mean structure,
    :math:`\\chi^2 = \\sum_g -2(\\log L_g - \\log L_g^{sat})`, df = groups × (p(p+1)/2 + p)
    − free parameters; standard errors come from the expected information (observed with
    missing answers, as lavaan). Equality constraints share one parameter between groups.

    References
    ----------
    Jöreskog, K. G. (1971). Simultaneous factor analysis in several populations.
    Psychometrika 36, 409–426.
    Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. Journal of
    Statistical Software 48(2).

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import multigroup_cfa
    >>> rng = np.random.default_rng(0)
    >>> f = np.concatenate([rng.normal(0, 1, 300), rng.normal(0.5, 1, 300)])
    >>> data = {f"x{i}": f + rng.standard_normal(600) for i in range(4)}
    >>> data["channel"] = np.repeat(["web", "phone"], 300)
    >>> fit = multigroup_cfa(data, "sat =~ x0 + x1 + x2 + x3", group="channel",
    ...                      group_equal=["loadings", "intercepts"])
    >>> fit.df, [str(g) for g in fit.groups]
    (10, ['web', 'phone'])
    >>> row = fit.loc(("phone", "sat", "~1", ""))
    >>> bool(0.3 < row["est"] < 0.7)
    True
    """
    func = "survey.multigroup_cfa"
    std_lv = v.check_bool(std_lv, "std_lv", func)
    max_iter = v.check_int(max_iter, "max_iter", func, low=1)
    v.check_option(estimator, "estimator", func, ("ML", "MLR"))
    ge = _group_equal(group_equal, func)
    stmts, labels = _read_groups(data, model, group, nan_policy, func)
    spec = _Spec(stmts, std_lv, func)
    partial = _group_partial(group_partial, spec, func)
    names, xs = _split(data, spec, labels, nan_policy, func)
    fit = fit_groups(spec, xs, ge, std_lv, estimator, max_iter, func, partial)
    return _make(fit, names, spec, ge, estimator, nan_policy, partial)


@result
class Invariance(Result):
    """Measurement invariance across groups: one row per nested step.

    Attributes
    ----------
    step : ndarray of str
        ``configural``, ``metric``, ``scalar`` (and ``strict``, ``means``).
    chi2, df, p_chi2, cfi, tli, rmsea, srmr, aic, bic : ndarray
        Fit of each step's multiple-group model.
    chi2_scaled, scaling_factor : ndarray
        Yuan–Bentler scaled χ² and its scaling factor (estimator ``'MLR'``).
    delta_chi2, delta_df, p_delta : ndarray
        χ² difference test against the previous step (NaN for the first): the plain
        difference under ML, the Satorra–Bentler (2001) scaled difference under MLR.
    delta_cfi, delta_rmsea, delta_srmr : ndarray
        Change in the fit index from the previous step.
    invariant : ndarray of bool
        The decision of ``rule`` (True for the first step).
    verdict : ndarray of str
        The decision in words.
    rule : str
        ``'cheung_rensvold'`` (ΔCFI ≤ −0.01 means non-invariance), ``'chen'``
        (ΔCFI ≤ −0.01 with ΔRMSEA ≥ 0.015 or ΔSRMR ≥ 0.030 for metric / 0.010 after) or
        ``'chi2'`` (Δχ² significant at ``alpha``).
    alpha : float
        Level of the Δχ² tests.
    estimator : str
        ``'ML'`` or ``'MLR'``.
    groups : ndarray of str
        Group labels.
    n_obs : ndarray of int
        Respondents per group.
    fits : dict of str to MultiGroupSem
        The fitted model of each step.
    """

    step: np.ndarray
    chi2: np.ndarray
    df: np.ndarray
    p_chi2: np.ndarray
    cfi: np.ndarray
    tli: np.ndarray
    rmsea: np.ndarray
    srmr: np.ndarray
    aic: np.ndarray
    bic: np.ndarray
    chi2_scaled: np.ndarray
    scaling_factor: np.ndarray
    delta_chi2: np.ndarray
    delta_df: np.ndarray
    p_delta: np.ndarray
    delta_cfi: np.ndarray
    delta_rmsea: np.ndarray
    delta_srmr: np.ndarray
    invariant: np.ndarray
    verdict: np.ndarray
    rule: str
    alpha: float
    estimator: str
    groups: np.ndarray
    n_obs: np.ndarray
    fits: dict

    _derived = derived_columns({})

    def _title(self) -> str:
        return (f"Measurement invariance across {len(self.groups)} groups "
                f"({self.estimator}, n = {int(np.sum(self.n_obs))})")

    def _summary(self) -> list[str]:
        bad = [str(s) for s, ok in zip(self.step, self.invariant) if not ok]
        rule = {"cheung_rensvold": "Cheung & Rensvold (2002): dCFI <= -0.01",
                "chen": "Chen (2007): dCFI <= -0.01 with dRMSEA >= 0.015 or dSRMR",
                "chi2": f"chi2 difference test at {self.alpha:g}"}[self.rule]
        out = [f"rule: {rule}; "
               + (f"not invariant at: {', '.join(bad)}" if bad else "every step holds")]
        fit = self.fits.get(bad[0]) if bad else None
        if fit is not None and len(fit.release_chi2) and np.isfinite(fit.release_chi2).any():
            j = int(np.nanargmax(fit.release_chi2))
            name = f"{fit.release_lhs[j]} {fit.release_op[j]} {fit.release_rhs[j]}".strip()
            out.append(f"largest score test at {bad[0]}: {name} in group "
                       f"{fit.release_group[j]} (chi2 = {fit.release_chi2[j]:.2f}); see "
                       f"fits[{bad[0]!r}].release_tests() and group_partial")
        return out

    def _columns(self) -> dict:
        cols = {"step": self.step, "chi2": self.chi2, "df": self.df, "p_chi2": self.p_chi2}
        if self.estimator == "MLR":
            cols.update(chi2_scaled=self.chi2_scaled, scaling_factor=self.scaling_factor)
        cols.update(cfi=self.cfi, tli=self.tli, rmsea=self.rmsea, srmr=self.srmr,
                    aic=self.aic, bic=self.bic, delta_chi2=self.delta_chi2,
                    delta_df=self.delta_df, p_delta=self.p_delta, delta_cfi=self.delta_cfi,
                    delta_rmsea=self.delta_rmsea, delta_srmr=self.delta_srmr,
                    invariant=self.invariant, verdict=self.verdict)
        return cols

    _key = "step"


def _scaled_difference(t0, df0, c0, t1, df1, c1):
    """Satorra & Bentler (2001): (T0 − T1) / cd, cd = (df0 c0 − df1 c1) / (df0 − df1),
    with T the unscaled statistics of the restricted (0) and freer (1) models."""
    cd = (df0 * c0 - df1 * c1) / (df0 - df1)
    return (t0 - t1) / cd if cd > 0 else np.nan


def measurement_invariance(data: TableLike, model: str | Mapping | Sequence, *,
                           group: str, steps: Sequence[str] | None = None,
                           strict: bool = False, rule: str = "cheung_rensvold",
                           alpha: float = 0.05, estimator: str = "ML",
                           nan_policy: str = "listwise", std_lv: bool = False,
                           group_partial: str | Sequence[str] = (),
                           max_iter: int = 10_000) -> Invariance:
    """Test measurement invariance across groups: configural, metric, scalar (and strict).

    Parameters
    ----------
    data : table
        Observed variables and the group column (pandas / polars / pyarrow / dict).
    model : str, dict or list
        The measurement model in lavaan syntax (see :func:`~cxpath.survey.parse_model`).
    group : str
        The column naming each respondent's group (the first group met is the reference).
    steps : list of str, optional
        The nested steps, each adding its constraint to the previous ones:
        ``'configural'`` (same pattern), ``'metric'`` (equal loadings), ``'scalar'``
        (equal intercepts), ``'strict'`` (equal residual variances), ``'means'`` (equal
        factor means). Default configural, metric, scalar (and strict with
        ``strict=True``).
    strict : bool
        Add the strict step to the default steps.
    rule : {'cheung_rensvold', 'chen', 'chi2'}
        Decision per step: ΔCFI ≤ −0.01 means non-invariance (Cheung & Rensvold 2002);
        the same together with ΔRMSEA ≥ 0.015 or ΔSRMR ≥ 0.030 (metric) / 0.010 (later
        steps) (Chen 2007); or a significant Δχ² at ``alpha``.
    alpha : float
        Level of the Δχ² tests.
    estimator : {'ML', 'MLR'}
        ML with the plain χ² difference, or MLR with the Satorra–Bentler (2001) scaled
        difference of the Yuan–Bentler statistics.
    nan_policy : {'listwise', 'fiml', 'error'}
        Missing answers: drop the respondent, full-information ML, or refuse.
    std_lv : bool
        Unit-variance factor scaling instead of marker loadings.
    group_partial : str or list of str
        Parameters left free across groups in every step (lavaan's ``group.partial``,
        e.g. ``['x3 ~1']``): partial invariance. The score tests of a rejected step's
        model (``fits['scalar'].release_tests()``) name the candidates.
    max_iter : int
        Iteration limit of each fit.

    Returns
    -------
    Invariance
        One row per step: χ², df, CFI, TLI, RMSEA, SRMR, the differences from the previous
        step, the Δχ² test and the verdict; ``fits`` holds the fitted models.

    Raises
    ------
    InvalidParameterError
        An unknown step or rule, a repeated step, a malformed model, an unknown column.
    DataError
        As :func:`multigroup_cfa`.

    Warns
    -----
    CxpathWarning
        A scaled difference that cannot be computed (negative denominator), or a fit that
        did not converge.

    Notes
    -----
    The steps follow semTools' ``measurementInvariance()`` with lavaan's ``group.equal``:
    metric adds ``"loadings"``, scalar ``"intercepts"`` (factor means then free in the
    groups after the first), strict ``"residuals"``, means ``"means"``. Each step is
    compared with the previous one, so a rejected step leaves the later comparisons
    relative to a rejected model: read the first rejection.

    References
    ----------
    Meredith, W. (1993). Measurement invariance, factor analysis and factorial invariance.
    Psychometrika 58, 525–543.
    Cheung, G. W., & Rensvold, R. B. (2002). Evaluating goodness-of-fit indexes for
    testing measurement invariance. Structural Equation Modeling 9, 233–255.
    Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement
    invariance. Structural Equation Modeling 14, 464–504.
    Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square test statistic
    for moment structure analysis. Psychometrika 66, 507–514.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import measurement_invariance
    >>> rng = np.random.default_rng(1)
    >>> f = rng.standard_normal(800)
    >>> data = {f"x{i}": 0.8 * f + 0.6 * rng.standard_normal(800) for i in range(4)}
    >>> data["x3"][400:] += 0.8  # item x3 reads higher in the second region
    >>> data["region"] = np.repeat(["north", "south"], 400)
    >>> mi = measurement_invariance(data, "f =~ x0 + x1 + x2 + x3", group="region")
    >>> mi.to_frame("dict")["invariant"].tolist()
    [True, True, False]
    """
    func = "survey.measurement_invariance"
    strict = v.check_bool(strict, "strict", func)
    v.check_option(rule, "rule", func, ("cheung_rensvold", "chen", "chi2"))
    alpha = v.check_real(alpha, "alpha", func, low=0.0, high=1.0, closed="neither")
    v.check_option(estimator, "estimator", func, ("ML", "MLR"))
    std_lv = v.check_bool(std_lv, "std_lv", func)
    max_iter = v.check_int(max_iter, "max_iter", func, low=1)
    if steps is None:
        steps = ["configural", "metric", "scalar"] + (["strict"] if strict else [])
    elif isinstance(steps, str) or not isinstance(steps, Sequence) or not steps:
        v.fail("steps", func, f"a non-empty list of steps among {list(STEP_CONSTRAINTS)}",
               steps, wrong_type=not isinstance(steps, (str, Sequence)))
    steps = list(steps)
    for s in steps:
        v.check_option(s, "steps", func, tuple(STEP_CONSTRAINTS))
    if len(set(steps)) != len(steps):
        v.fail("steps", func, "distinct steps", got=v.show(steps))
    stmts, labels = _read_groups(data, model, group, nan_policy, func)
    spec = _Spec(stmts, std_lv, func)
    partial = _group_partial(group_partial, spec, func)
    names, xs = _split(data, spec, labels, nan_policy, func)
    fits = {}
    ge: tuple = ()
    for s in steps:
        ge = ge + tuple(c for c in STEP_CONSTRAINTS[s] if c not in ge)
        fit = fit_groups(spec, xs, ge, std_lv, estimator, max_iter, func, partial)
        fits[s] = _make(fit, names, spec, ge, estimator, nan_policy, partial)
    from scipy import stats

    m = len(steps)
    col = {k: np.array([getattr(fits[s], k) for s in steps], dtype=float)
           for k in ("chi2", "p_chi2", "cfi", "tli", "rmsea", "srmr", "aic", "bic",
                     "chi2_scaled", "scaling_factor")}
    dfs = np.array([fits[s].df for s in steps], dtype=np.int64)
    d_chi2, d_df, p_d = np.full(m, np.nan), np.zeros(m, dtype=np.int64), np.full(m, np.nan)
    d_cfi, d_rmsea, d_srmr = (np.full(m, np.nan) for _ in range(3))
    ok = np.ones(m, dtype=bool)
    verdict = np.empty(m, dtype=object)
    verdict[0] = "reference"
    for t in range(1, m):
        d_df[t] = dfs[t] - dfs[t - 1]
        if estimator == "MLR":
            d_chi2[t] = _scaled_difference(col["chi2"][t], dfs[t], col["scaling_factor"][t],
                                           col["chi2"][t - 1], dfs[t - 1],
                                           col["scaling_factor"][t - 1])
            if np.isnan(d_chi2[t]):
                warn(f"{func}: the scaled chi2 difference of step {steps[t]!r} "
                     "has a negative scaling denominator and is left NaN",
                     CxpathWarning, stacklevel=2)
        else:
            d_chi2[t] = col["chi2"][t] - col["chi2"][t - 1]
        if d_df[t] > 0 and np.isfinite(d_chi2[t]):
            p_d[t] = float(stats.chi2.sf(max(d_chi2[t], 0.0), d_df[t]))
        d_cfi[t] = col["cfi"][t] - col["cfi"][t - 1]
        d_rmsea[t] = col["rmsea"][t] - col["rmsea"][t - 1]
        d_srmr[t] = col["srmr"][t] - col["srmr"][t - 1]
        eps = 1e-12
        if rule == "cheung_rensvold":
            bad = d_cfi[t] <= -0.01 + eps
            why = f"dCFI = {d_cfi[t]:.3f}"
        elif rule == "chen":
            cut = 0.030 if steps[t] == "metric" else 0.010
            bad = d_cfi[t] <= -0.01 + eps and (d_rmsea[t] >= 0.015 - eps
                                               or d_srmr[t] >= cut - eps)
            why = f"dCFI = {d_cfi[t]:.3f}, dRMSEA = {d_rmsea[t]:.3f}, dSRMR = {d_srmr[t]:.3f}"
        else:
            bad = bool(p_d[t] < alpha)
            why = f"chi2 difference {format_p(p_d[t])}"
        ok[t] = not bad
        verdict[t] = ("not invariant" if bad else "invariant") + f" ({why})"
    return Invariance(step=np.array(steps, dtype=str), chi2=col["chi2"], df=dfs,
                      p_chi2=col["p_chi2"], cfi=col["cfi"], tli=col["tli"],
                      rmsea=col["rmsea"], srmr=col["srmr"], aic=col["aic"], bic=col["bic"],
                      chi2_scaled=col["chi2_scaled"], scaling_factor=col["scaling_factor"],
                      delta_chi2=d_chi2, delta_df=d_df, p_delta=p_d, delta_cfi=d_cfi,
                      delta_rmsea=d_rmsea, delta_srmr=d_srmr, invariant=ok,
                      verdict=verdict.astype(str), rule=rule, alpha=float(alpha),
                      estimator=estimator, groups=np.array(names, dtype=str),
                      n_obs=fits[steps[0]].n_obs, fits=fits)
