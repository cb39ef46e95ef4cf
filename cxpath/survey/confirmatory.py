"""Confirmatory factor analysis and structural equation models with latent variables.

Models are written in lavaan syntax (``visual =~ x1 + x2 + x3``, ``loyal ~ sat``,
``x1 ~~ x2``, fixed values ``1*x1``, freed ones ``NA*x1``) and fitted by maximum likelihood
with lavaan's defaults, so figures match ``lavaan::cfa`` / ``lavaan::sem`` output.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._progress import reporter
from .._results import derived_columns, format_p, result
from .._warnings import collected, warn
from ..errors import CxpathWarning
from ._common import bootstrap_covariances, read_items
from ._fiml import mlr_complete
from ._model_fit import _MlFit
from ._sem_model import RamModel, independence_trace, satorra_bentler
from .paths import _NAME, _effects, _mediated_paths, _order, _path_products, parse_paths
from .validity import ConstructValidity, _htmt_matrix

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd
    import polars as pl

    from .._typing import TableLike

__all__ = ["Sem", "SemValidity", "cfa", "parse_model", "sem"]

_OPS = ("=~", "~~", "~")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _term(term: str, where: str, func: str) -> tuple[str, float | None, bool]:
    """``'0.5*x1'`` -> ``('x1', 0.5, False)``; ``'NA*x1'`` -> ``('x1', None, True)``."""
    mod, name = None, term
    if "*" in term:
        mod, name = (s.strip() for s in term.split("*", 1))
    if not _NAME.match(name):
        v.fail("model", func, "variable names (letters, digits, '_' or '.') joined by '+', "
               "optionally prefixed by a fixed value such as '1*x1' or 'NA*x1'",
               got=f"{name!r} in {where}")
    if mod is None:
        return name, None, False
    if mod == "NA":
        return name, None, True
    if not _NUM.match(mod):
        v.fail("model", func, "a number or NA before '*' (labels and start() are not "
               "supported)", got=f"{mod!r} in {where}")
    return name, float(mod), False


def parse_model(model: str | Mapping | Sequence, func: str = "survey.parse_model"
                ) -> list[tuple[str, str, str, float | None, bool]]:
    """Parse a lavaan-style model into ``(lhs, op, rhs, fixed, free)`` statements.

    Parameters
    ----------
    model : str, dict or list
        lavaan syntax, one formula per line or separated by ``;`` (``#`` starts a comment):
        ``f =~ a + b + c`` (factor ``f`` measured by items), ``y ~ f + x`` (regression),
        ``a ~~ b`` ((residual) covariance; ``a ~~ a`` a variance). A term ``1*a`` fixes the
        parameter at 1, ``NA*a`` frees one fixed by default (the first loading).
        A dict ``{"f": ["a", "b", "c"]}`` is a measurement model; a list of
        ``(lhs, op, rhs)`` or ``(lhs, op, rhs, value)`` tuples gives statements directly.
    func : str
        The caller named in error messages.

    Returns
    -------
    list of (lhs, op, rhs, fixed, free)
        ``fixed`` is the fixed value (None if free); ``free`` is True for ``NA*``.

    Raises
    ------
    InvalidParameterError
        A malformed line (the message quotes the line and its number), an unknown operator.

    Examples
    --------
    >>> for st in parse_model("f =~ a + b + 0.5*c\\nf ~ x  # a covariate"):
    ...     print(st)
    ('f', '=~', 'a', None, False)
    ('f', '=~', 'b', None, False)
    ('f', '=~', 'c', 0.5, False)
    ('f', '~', 'x', None, False)
    >>> parse_model({"f": ["a", "b"]})
    [('f', '=~', 'a', None, False), ('f', '=~', 'b', None, False)]
    """
    if isinstance(model, Mapping):
        if not model:
            v.fail("model", func, "lavaan syntax or a dict of factor -> items", model)
        out = []
        for f, items in model.items():
            if not isinstance(f, str) or isinstance(items, (str, bytes, Mapping)) or \
                    not isinstance(items, Sequence) or not items:
                v.fail("model", func, "a dict mapping each factor name to a list of items",
                       got=f"{v.show(f)}: {v.show(items)}")
            _term(f, "a factor name", func)
            out.extend((f, "=~", *_term(str(it), f"the items of {f!r}", func))
                       for it in items)
        return out
    if isinstance(model, (list, tuple)):
        if not model:
            v.fail("model", func, "at least one statement", model)
        out = []
        for n, st in enumerate(model, start=1):
            if not isinstance(st, (list, tuple)) or len(st) not in (3, 4) or \
                    st[1] not in _OPS or not all(isinstance(s, str) for s in st[:3]):
                v.fail("model", func, "statements (lhs, op, rhs[, value]) with op one of "
                       "'=~', '~', '~~'", got=f"{v.show(st)} (statement {n})")
            where = f"statement {n}"
            lhs = _term(st[0], where, func)[0]
            rhs = _term(st[2], where, func)
            if len(st) == 4:
                val = st[3]
                if val is None:
                    rhs = (rhs[0], None, True)
                else:
                    val = v.check_real(val, "model", func)
                    rhs = (rhs[0], float(val), False)
            out.append((lhs, st[1], *rhs))
        return out
    if not isinstance(model, str):
        v.fail("model", func, "lavaan syntax (str), a dict of factor -> items or a list of "
               "statements", model, wrong_type=True)
    out = []
    lines = model.splitlines()
    for lineno, raw in enumerate(lines, start=1):
        text = raw.split("#", 1)[0]
        for part in text.split(";"):
            part = part.strip()
            if not part:
                continue
            where = f"line {lineno} ({part!r})"
            op = next((o for o in _OPS if o in part), None)
            if op is None:
                v.fail("model", func, "formulas with '=~', '~' or '~~'", got=where)
            lhs, rhs = (s.strip() for s in part.split(op, 1))
            if any(o in rhs for o in ("~", "=")) or "=" in lhs or "~" in lhs:
                v.fail("model", func, "one operator per formula", got=where)
            if not _NAME.match(lhs):
                v.fail("model", func, "a variable name on the left of the operator",
                       got=f"{lhs!r} in {where}")
            terms = [t.strip() for t in rhs.split("+")]
            if op == "~" and "*" not in rhs:
                # plain regressions share the path-model parser's checks
                try:
                    parse_paths(f"{lhs} ~ {rhs}", func)
                except v.InvalidParameterError as exc:
                    raise type(exc)(f"{exc} (at {where})") from None
            for t in terms:
                if not t:
                    v.fail("model", func, "terms joined by '+'", got=f"an empty term in {where}")
                name, fixed, free = _term(t, where, func)
                out.append((lhs, op, name, fixed, free))
    if not out:
        v.fail("model", func, "at least one formula", model)
    return out


class _Spec:
    """Variables, RAM matrices and parameter table built from parsed statements."""

    def __init__(self, stmts, std_lv, func):
        self.latent = list(dict.fromkeys(lhs for lhs, op, *_ in stmts if op == "=~"))
        lat = set(self.latent)
        observed = []
        for lhs, op, rhs, *_ in stmts:
            for n in ((rhs,) if op == "=~" else (lhs, rhs)):
                if n not in lat and n not in observed:
                    observed.append(n)
        if not observed:
            v.fail("model", func, "observed variables (data columns)", got="none")
        self.observed = observed
        self.names = observed + self.latent
        pos = {n: i for i, n in enumerate(self.names)}
        self.pos = pos
        p, m = len(observed), len(self.latent)
        nv = p + m
        # entries: key (mat, i, j) -> [fixed value or None, op, lhs, rhs, user?]
        entries: dict = {}

        def put(key, fixed, op, lhs, rhs, user):
            if key in entries and entries[key][4] and user:
                v.fail("model", func, "each parameter once",
                       got=f"{lhs} {op} {rhs} given twice")
            if key not in entries or user:
                entries[key] = [fixed, op, lhs, rhs, user]

        first_done = set()
        for lhs, op, rhs, fixed, free in stmts:
            if op == "=~":
                if rhs == lhs:
                    v.fail("model", func, "a factor measured by other variables",
                           got=f"{lhs} =~ {rhs}")
                key = (0, pos[rhs], pos[lhs])
                if lhs not in first_done:
                    first_done.add(lhs)
                    if fixed is None and not free and not std_lv:
                        fixed = 1.0
                put(key, fixed, "=~", lhs, rhs, True)
            elif op == "~":
                if rhs == lhs:
                    v.fail("model", func, "a recursive model (no variable may predict "
                           "itself)", got=f"{lhs} ~ {rhs}")
                put((0, pos[lhs], pos[rhs]), fixed, "~", lhs, rhs, True)
            else:
                i, j = sorted((pos[lhs], pos[rhs]))
                put((1, j, i), fixed, "~~", self.names[i], self.names[j], True)
        a_adj = np.zeros((nv, nv), dtype=bool)
        for (mat, i, j) in entries:
            if mat == 0:
                a_adj[i, j] = True
        reach = a_adj.copy()
        for _ in range(nv):
            reach = reach | ((reach.astype(np.int64) @ a_adj.astype(np.int64)) > 0)
        if np.diag(reach).any():
            cyc = self.names[int(np.flatnonzero(np.diag(reach))[0])]
            v.fail("model", func, "a recursive model (no feedback loops)",
                   got=f"a cycle through {cyc!r}")
        endo = a_adj.any(axis=1)
        predictor = a_adj.any(axis=0)  # has an effect on something
        regress_pred = np.zeros(nv, dtype=bool)
        for _lhs, op, rhs, *_ in stmts:
            if op == "~":
                regress_pred[pos[rhs]] = True
        user_cov = {n for lhs, op, rhs, *_ in stmts if op == "~~" for n in (lhs, rhs)}
        # lavaan's fixed.x: observed exogenous covariates keep their sample (co)variances
        self.fixed_x = [i for i in range(p) if not endo[i] and regress_pred[i]
                        and self.names[i] not in user_cov]
        for i in range(nv):
            if i in self.fixed_x:
                continue
            fixed = None
            if std_lv and i >= p:
                fixed = 1.0
            put((1, i, i), fixed, "~~", self.names[i], self.names[i], False)
        lat_idx = list(range(p, nv))
        exo_lat = [i for i in lat_idx if not endo[i]]
        for a, i in enumerate(exo_lat):
            for j in exo_lat[a + 1:]:
                put((1, j, i), None, "~~", self.names[i], self.names[j], False)
        # lavaan's auto.cov.y: residuals of dependent variables that predict nothing covary
        pure_y = [i for i in range(nv) if endo[i] and not predictor[i]
                  and any(op == "~" and pos[lhs] == i for lhs, op, *_ in stmts)]
        for a, i in enumerate(pure_y):
            for j in pure_y[a + 1:]:
                if not (reach[i, j] or reach[j, i]):
                    put((1, max(i, j), min(i, j)), None, "~~", self.names[min(i, j)],
                        self.names[max(i, j)], False)
        for f in self.latent:
            i = pos[f]
            loads = [k for k in entries if k[0] == 0 and k[2] == i and entries[k][1] == "=~"]
            scaled = any(entries[k][0] not in (None, 0.0) for k in loads) or \
                entries.get((1, i, i), [None])[0] is not None
            if not scaled:
                v.fail("model", func, "an identified model: every factor needs a scale (a "
                       "fixed loading such as '1*x1', or a fixed variance 'f ~~ 1*f', or "
                       "std_lv=True)", got=f"factor {f!r} with all loadings and its variance "
                       "free")
        self.entries = entries
        a0 = np.zeros((nv, nv))
        s0 = np.zeros((nv, nv))
        free = []
        self.table = []  # (lhs, op, rhs, mat, i, j, free index or -1)
        order = list(entries)  # statement order first, then the defaults lavaan adds
        order.sort(key=lambda k: {"=~": 0, "~": 1, "~~": 2}[entries[k][1]])
        for key in order:
            fixed, op, lhs, rhs, _ = entries[key]
            mat, i, j = key
            if fixed is None:
                free.append(key)
                idx = len(free) - 1
            else:
                (a0 if mat == 0 else s0)[i, j] = fixed
                if mat == 1:
                    s0[j, i] = fixed
                idx = -1
            self.table.append((lhs, op, rhs, mat, i, j, idx))
        self.a0, self.s0, self.free = a0, s0, free
        self.endo = endo
        self.p = p


def _start(spec: _Spec, s: np.ndarray) -> np.ndarray:
    """Start values: half the observed variances for residuals, marker-based loadings."""
    p = spec.p
    theta = np.zeros(len(spec.free))
    lat_var = {}
    for f in spec.latent:
        i = spec.pos[f]
        inds = [k[1] for k in spec.entries if k[0] == 0 and k[2] == i and k[1] < p
                and spec.entries[k][1] == "=~"]
        lat_var[i] = 0.5 * float(np.mean(np.diag(s)[inds])) if inds else 1.0
    for idx, (mat, i, j) in enumerate(spec.free):
        if mat == 1 and i == j:
            theta[idx] = 0.5 * s[i, i] if i < p else 0.5 * lat_var[i]
        elif mat == 0 and spec.entries[(mat, i, j)][1] == "=~" and i < p:
            marker = next((k[1] for k in spec.entries if k[0] == 0 and k[2] == j
                           and k[1] < p and spec.entries[k][0] not in (None, 0.0)), None)
            if marker is not None and lat_var[j] > 0:
                fx = spec.entries[(0, marker, j)][0]
                theta[idx] = s[i, marker] / (fx * lat_var[j])
            else:
                theta[idx] = np.sqrt(max(s[i, i], 1e-12) * 0.5)
        elif mat == 0 and spec.entries[(mat, i, j)][1] == "=~":
            theta[idx] = 1.0  # a factor measured by factors: zero would be a saddle point
    return theta


def _rmsea_ci(chi2, df, n, level=0.90):
    """RMSEA interval by inverting the noncentral chi-square in its noncentrality."""
    from scipy import optimize, stats

    def bound(target):
        f = lambda lam: stats.ncx2.cdf(chi2, df, lam) - target  # noqa: E731
        if df == 0 or stats.chi2.cdf(chi2, df) < target:
            return 0.0
        hi = max(chi2, 1.0)
        while f(hi) > 0:
            hi *= 2
        return optimize.brentq(f, 0.0, hi, xtol=1e-10)

    a = (1 - level) / 2
    lo, up = bound(1 - a), bound(a)
    return np.sqrt(lo / (df * n)) if df else np.nan, np.sqrt(up / (df * n)) if df else np.nan


def fit_lines(fit, after_parameters: str = "") -> list[str]:
    """The χ²/CFI/TLI/RMSEA/SRMR line and the loglik/AIC/BIC line of an ML fit's summary
    (:class:`Sem`, :class:`~cxpath.survey.MultiGroupSem`)."""
    return [f"chi2 = {fit.chi2:.3f}, df = {fit.df}, {format_p(fit.p_chi2)}; "
            f"CFI = {fit.cfi:.3f}, TLI = {fit.tli:.3f}, RMSEA = {fit.rmsea:.3f} "
            f"[{fit.rmsea_low:.3f}, {fit.rmsea_high:.3f}], SRMR = {fit.srmr:.3f}",
            f"loglik = {fit.loglik:.3f}, AIC = {fit.aic:.3f}, BIC = {fit.bic:.3f}; "
            f"{fit.n_free} free parameters{after_parameters}"
            + ("" if fit.converged else " (did NOT converge)")]


def scaled_measures(chi2: float, df: int, c: float, b_chi2: float, b_df: int, c_b: float,
                    n: int, n_groups: int = 1) -> dict:
    """lavaan's scaled and robust CFI, TLI and RMSEA from the standard statistics
    ``chi2``, ``b_chi2`` (model, baseline), their scaling factors ``c``, ``c_b`` and
    ``n`` respondents in ``n_groups`` groups, named as ``fitMeasures()``.

    ``*.scaled`` put the scaled statistics T/c into the usual formulas; ``*.robust`` are
    the population-corrected versions of Brosseau-Liard, Savalei & Li (2012) and
    Brosseau-Liard & Savalei (2014): the noncentrality estimate T − c·df replaces
    T − df (CFI, TLI and RMSEA), and the RMSEA interval is the scaled one times √c.
    """
    nan = float("nan")
    keys = ("cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust", "rmsea.scaled",
            "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.robust",
            "rmsea.ci.lower.robust", "rmsea.ci.upper.robust")
    if not (df > 0 and b_df > 0 and np.isfinite(c) and np.isfinite(c_b)):
        return dict.fromkeys(keys, nan)
    t, tb = chi2 / c, b_chi2 / c_b
    g = np.sqrt(n_groups)

    def cfi(m, b):
        den = max(m, b, 0.0)
        return 1.0 - max(m, 0.0) / den if den > 0 else 1.0

    lo, hi = _rmsea_ci(t, df, n)
    rmsea_sc = float(np.sqrt(max(t - df, 0.0) / (df * n)) * g)
    return dict(zip(keys, (
        cfi(t - df, tb - b_df), (tb / b_df - t / df) / (tb / b_df - 1.0),
        cfi(chi2 - c * df, b_chi2 - c_b * b_df),
        1.0 - ((chi2 - c * df) / df) / ((b_chi2 - c_b * b_df) / b_df),
        rmsea_sc, float(lo * g), float(hi * g),
        float(np.sqrt(max(chi2 - c * df, 0.0) / (df * n)) * g),
        float(lo * g * np.sqrt(c)), float(hi * g * np.sqrt(c)))))


def fit_measure_dict(fit, ntotal: int, n_groups: int = 1) -> dict:
    """An ML fit's measures named as lavaan's ``fitMeasures()`` (``ntotal`` respondents in
    ``n_groups`` groups), with the scaled and robust ones under MLM / MLR."""
    out = {"npar": fit.n_free, "chisq": fit.chi2, "df": fit.df,
           "pvalue": fit.p_chi2, "baseline.chisq": fit.baseline_chi2,
           "baseline.df": fit.baseline_df, "cfi": fit.cfi, "tli": fit.tli,
           "logl": fit.loglik, "unrestricted.logl": fit.loglik_saturated,
           "aic": fit.aic, "bic": fit.bic, "ntotal": ntotal,
           "rmsea": fit.rmsea, "rmsea.ci.lower": fit.rmsea_low,
           "rmsea.ci.upper": fit.rmsea_high, "rmsea.pvalue": fit.rmsea_p_close,
           "srmr": fit.srmr, "chisq.scaled": fit.chi2_scaled,
           "chisq.scaling.factor": fit.scaling_factor, "pvalue.scaled": fit.p_scaled,
           "baseline.chisq.scaled": fit.baseline_chi2 / fit.baseline_scaling_factor,
           "baseline.chisq.scaling.factor": fit.baseline_scaling_factor}
    return out | scaled_measures(fit.chi2, fit.df, fit.scaling_factor, fit.baseline_chi2,
                                 fit.baseline_df, fit.baseline_scaling_factor, ntotal,
                                 n_groups)


@result
class Sem(_MlFit):
    """A structural equation model fitted by maximum likelihood.

    Attributes
    ----------
    lhs, op, rhs : ndarray of str
        The parameter table in lavaan's notation (``f =~ x`` loadings, ``y ~ x``
        regressions, ``a ~~ b`` (residual) variances and covariances).
    est, se, z, p_value : ndarray
        Estimates, standard errors from the expected information (NaN for fixed
        parameters), Wald z and two-sided p values.
    std_all : ndarray
        lavaan's ``std.all`` standardised solution (loadings and regressions in units of
        the model-implied standard deviations; (residual) covariances as correlations;
        variances as proportions of the implied variance).
    free : ndarray of bool
        Whether each parameter is estimated.
    observed, latent : ndarray of str
        The model's observed (data columns) and latent variables.
    sample_cov, implied_cov : ndarray (p, p)
        The sample covariance matrix (divisor N, as lavaan) and Σ(θ̂).
    chi2, df, p_chi2 : float, int, float
        Likelihood-ratio test of the model against the saturated one, :math:`N F_{ML}`.
    baseline_chi2, baseline_df : float, int
        The same for the independence model.
    cfi, tli, rmsea, rmsea_low, rmsea_high, rmsea_p_close, srmr : float
        Fit indices; the RMSEA interval is 90 %, ``rmsea_p_close`` tests RMSEA <= 0.05.
    loglik, loglik_saturated, aic, bic : float
        Log-likelihood of the model and the saturated model, and information criteria.
    n_obs, n_rows, n_free, iterations : int
        Respondents used, rows read, free parameters and optimiser iterations.
    estimator : str
        ``'ML'``, or ``'MLM'`` / ``'MLR'`` (robust standard errors in ``se``).
    chi2_scaled, scaling_factor, p_scaled : float
        Satorra–Bentler (MLM) or Yuan–Bentler (MLR) scaled χ² = ``chi2 /
        scaling_factor`` and its p value (NaN under ``'ML'``).
    baseline_scaling_factor : float
        The same scaling factor for the independence model (NaN under ``'ML'``); with
        ``scaling_factor`` it gives ``fit_measures()``'s scaled and robust CFI, TLI and
        RMSEA (lavaan's ``cfi.scaled``, ``cfi.robust`` …). With
        ``nan_policy='fiml'`` the table also has ``~1`` rows (intercepts and factor
        means) and ``sample_cov`` is the EM estimate.
    mi_lhs, mi_op, mi_rhs, mi, mi_epc, mi_sepc_all : ndarray
        Modification indices of every cross-loading and residual covariance left out
        (``modification_indices()``): the score statistic (χ² with 1 df), the expected
        parameter change and its ``std.all`` version.
    effect_variables : ndarray of str
        Variables of the structural (regression) part.
    direct, indirect, total : ndarray (n_effect_variables, n_effect_variables)
        Effects of the column variable on the row variable; ``total = direct + indirect``.
    effect_ci : dict of str to ndarray
        Bootstrap percentile intervals (``'direct'``, ``'indirect'``, ``'total'``), each of
        shape (n_effect_variables, n_effect_variables, 2); empty without bootstrap.
    specific_paths, specific_effects, specific_ci : ndarray
        Every directed path through at least one mediator, its effect (product of the
        coefficients) and bootstrap interval.
    """

    sample_cov: np.ndarray
    implied_cov: np.ndarray
    latent_cov: np.ndarray
    n_obs: int
    n_rows: int
    std_lv: bool
    mi_lhs: np.ndarray
    mi_op: np.ndarray
    mi_rhs: np.ndarray
    mi: np.ndarray
    mi_epc: np.ndarray
    mi_sepc_all: np.ndarray
    effect_variables: np.ndarray
    direct: np.ndarray
    indirect: np.ndarray
    total: np.ndarray
    effect_ci: dict
    specific_paths: np.ndarray
    specific_effects: np.ndarray
    specific_ci: np.ndarray
    n_boot: int
    n_boot_ok: int
    confidence: float
    seed: int | None

    _derived = derived_columns({})

    def _title(self) -> str:
        return f"Structural equation model (ML, n = {self.n_obs})"

    def _summary(self) -> list[str]:
        return fit_lines(self, f", {self.iterations} iterations") + (
                    [f"{'Satorra' if self.estimator == 'MLM' else 'Yuan'}-Bentler scaled "
                     f"chi2 = {self.chi2_scaled:.3f} (scaling factor "
                     f"{self.scaling_factor:.3f}), {format_p(self.p_scaled)}; robust "
                     "standard errors"] if self.estimator in ("MLM", "MLR") else [])

    def fit_measures(self) -> dict:
        """The fit measures as a dict named as lavaan's ``fitMeasures()``.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import cfa
        >>> rng = np.random.default_rng(0)
        >>> f = rng.standard_normal(300)
        >>> data = {f"x{i}": f + rng.standard_normal(300) for i in range(4)}
        >>> fm = cfa(data, "f =~ x0 + x1 + x2 + x3").fit_measures()
        >>> fm["df"], fm["npar"]
        (2, 8)
        """
        return fit_measure_dict(self, self.n_obs)

    def modification_indices(self, backend: str = "pandas", *, minimum: float = 0.0
                             ) -> pd.DataFrame | pl.DataFrame | dict:
        """Modification indices, largest first: parameters whose freeing would most
        lower χ².

        Parameters
        ----------
        backend : {'pandas', 'polars', 'dict'}
            Table type returned.
        minimum : float
            Leave out indices below this (3.84 is the 5 % critical value of χ² with 1 df).

        Returns
        -------
        table
            Columns lhs, op, rhs, mi, epc, sepc_all (lavaan's ``modindices()`` names).

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import cfa
        >>> rng = np.random.default_rng(0)
        >>> f = rng.standard_normal(400)
        >>> e = rng.standard_normal(400)
        >>> data = {f"x{i}": f + rng.standard_normal(400) for i in range(6)}
        >>> data["x2"] = data["x2"] + e
        >>> data["x3"] = data["x3"] + e
        >>> fit = cfa(data, "f =~ x0 + x1 + x2 + x3 + x4 + x5")
        >>> mi = fit.modification_indices("dict", minimum=3.84)
        >>> str(mi["lhs"][0]), str(mi["op"][0]), str(mi["rhs"][0])
        ('x2', '~~', 'x3')
        """
        from .._frames import make_frame

        func = "survey.Sem.modification_indices"
        minimum = v.check_real(minimum, "minimum", func, low=0.0)
        keep = np.flatnonzero(~np.isnan(self.mi) & (self.mi >= minimum))
        keep = keep[np.argsort(-self.mi[keep], kind="stable")]
        cols = {"lhs": self.mi_lhs[keep].astype(object), "op": self.mi_op[keep].astype(object),
                "rhs": self.mi_rhs[keep].astype(object), "mi": self.mi[keep],
                "epc": self.mi_epc[keep], "sepc_all": self.mi_sepc_all[keep]}
        return make_frame(cols, backend, func=func)

    def effects_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """Direct, indirect and total effects of each (source, target) pair joined by a
        regression path, with bootstrap intervals when ``n_boot > 0``.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import sem
        >>> rng = np.random.default_rng(0)
        >>> x = rng.standard_normal(300)
        >>> m = 0.5 * x + rng.standard_normal(300)
        >>> y = 0.5 * m + rng.standard_normal(300)
        >>> fit = sem({"x": x, "m": m, "y": y}, "m ~ x; y ~ m")
        >>> f = fit.effects_frame("dict")
        >>> [f"{s}->{t}" for s, t in zip(f["source"], f["target"])]
        ['x->m', 'x->y', 'm->y']
        """
        from .._frames import make_frame

        k = len(self.effect_variables)
        pos = {str(nm): i for i, nm in enumerate(self.effect_variables)}
        adj = np.zeros((k, k), dtype=np.int64)
        for lhs, op, rhs in zip(self.lhs, self.op, self.rhs):
            if op == "~":
                adj[pos[str(lhs)], pos[str(rhs)]] = 1
        reach = adj > 0
        for _ in range(k):
            reach = reach | ((reach.astype(np.int64) @ adj) > 0)
        src, dst = [], []
        for j in range(k):
            for i in range(k):
                if reach[i, j]:
                    src.append(j)
                    dst.append(i)
        s, d = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
        cols = {"source": self.effect_variables[s].astype(object),
                "target": self.effect_variables[d].astype(object),
                "direct": self.direct[d, s], "indirect": self.indirect[d, s],
                "total": self.total[d, s]}
        for name in ("direct", "indirect", "total"):
            if name in self.effect_ci:
                cols[f"{name}_low"] = self.effect_ci[name][d, s, 0]
                cols[f"{name}_high"] = self.effect_ci[name][d, s, 1]
        return make_frame(cols, backend, func="Sem.effects_frame")

    def indirect_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """One row per specific indirect path: source, target, path, effect and interval.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import sem
        >>> rng = np.random.default_rng(0)
        >>> x = rng.standard_normal(300)
        >>> m = 0.5 * x + rng.standard_normal(300)
        >>> y = 0.5 * m + rng.standard_normal(300)
        >>> fit = sem({"x": x, "m": m, "y": y}, "m ~ x; y ~ m", n_boot=50, seed=1)
        >>> f = fit.indirect_frame("dict")
        >>> f["path"].tolist(), bool(f["low"][0] < f["effect"][0] < f["high"][0])
        (['x -> m -> y'], True)
        """
        from .._frames import make_frame

        parts = [q.split(" -> ") for q in self.specific_paths]
        cols = {"source": np.array([q[0] for q in parts], dtype=object),
                "target": np.array([q[-1] for q in parts], dtype=object),
                "path": self.specific_paths.astype(object), "effect": self.specific_effects}
        if self.n_boot and len(self.specific_ci) == len(self.specific_paths):
            cols["low"] = self.specific_ci[:, 0]
            cols["high"] = self.specific_ci[:, 1]
        return make_frame(cols, backend, func="Sem.indirect_frame")

    def _std_loadings(self) -> dict:
        out = {}
        for f in self.latent:
            sel = (self.op == "=~") & (self.lhs == f)
            out[str(f)] = (self.rhs[sel], self.std_all[sel])
        return out

    def validity(self, *, cr_threshold: float = 0.7, ave_threshold: float = 0.5,
                 htmt_threshold: float = 0.85) -> SemValidity:
        """Composite reliability (omega), AVE and the Fornell–Larcker table of each factor.

        Parameters
        ----------
        cr_threshold, ave_threshold, htmt_threshold : float
            Cut-offs flagged in the table (0.7, 0.5 and 0.85).

        Returns
        -------
        SemValidity
            One row per factor, as :func:`~cxpath.survey.construct_validity` but from the
            fitted model: ``cr`` is omega from the standardised loadings and residual
            (co)variances, ``ave`` the mean squared standardised loading and
            ``correlations`` the latent correlations of the CFA.

        Notes
        -----
        With standardised loadings :math:`\\lambda_i` and standardised residual
        variances :math:`\\theta_{ii}` (and covariances :math:`\\theta_{ij}`) of a factor's
        items, :math:`\\omega = (\\sum\\lambda_i)^2 / ((\\sum\\lambda_i)^2 +
        \\sum_i\\theta_{ii} + 2\\sum_{i<j}\\theta_{ij})` (Raykov 1997; semTools
        ``compRelSEM``) and :math:`\\mathrm{AVE} = \\overline{\\lambda^2}` (Fornell &
        Larcker 1981). ``alpha`` (standardised) and ``htmt`` come from the sample
        correlations of the items.

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import cfa
        >>> rng = np.random.default_rng(0)
        >>> f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], 500)
        >>> data = {f"a{i}": f[:, 0] + rng.standard_normal(500) for i in range(3)}
        >>> data.update({f"b{i}": f[:, 1] + rng.standard_normal(500) for i in range(3)})
        >>> val = cfa(data, "A =~ a0 + a1 + a2; B =~ b0 + b1 + b2").validity()
        >>> val.to_frame("dict")["fornell_larcker_ok"].tolist()
        [True, True]
        """
        func = "survey.Sem.validity"
        cr_t = v.check_real(cr_threshold, "cr_threshold", func, low=0.0, high=1.0)
        ave_t = v.check_real(ave_threshold, "ave_threshold", func, low=0.0, high=1.0)
        htmt_t = v.check_real(htmt_threshold, "htmt_threshold", func, low=0.0,
                              closed="neither")
        obs = [str(o) for o in self.observed]
        # first-order factors: those measured by observed items only
        names = [str(f) for f in self.latent
                 if all(str(r) in obs for r in self.rhs[(self.op == "=~") & (self.lhs == f)])]
        if not names:
            v.fail("model", func, "a model with factors measured by observed items",
                   got="only factors of factors")
        keep = [list(map(str, self.latent)).index(f) for f in names]
        c = len(names)
        sd = np.sqrt(np.diag(self.implied_cov))
        theta = np.zeros((len(obs), len(obs)))
        for lhs, op, rhs, est in zip(self.lhs, self.op, self.rhs, self.est):
            if op == "~~" and lhs in obs and rhs in obs:
                i, j = obs.index(str(lhs)), obs.index(str(rhs))
                theta[i, j] = theta[j, i] = est / (sd[i] * sd[j])
        r = self.sample_cov / np.sqrt(np.outer(np.diag(self.sample_cov),
                                              np.diag(self.sample_cov)))
        cr, ave, alpha, loads, n_items = (np.empty(c) for _ in range(5))
        loads = {}
        idx = {}
        for j, f in enumerate(names):
            items, lam = self._std_loadings()[f]
            ii = [obs.index(str(x)) for x in items]
            idx[f] = np.array(ii)
            loads[f] = lam
            sub = theta[np.ix_(ii, ii)]
            num = lam.sum() ** 2
            cr[j] = num / (num + sub.sum())
            ave[j] = float(np.mean(lam**2))
            k = len(ii)
            n_items[j] = k
            if k > 1:
                mr = (r[np.ix_(ii, ii)].sum() - k) / (k * (k - 1))
                alpha[j] = k * mr / (1 + (k - 1) * mr)
            else:
                alpha[j] = np.nan
        lc = self.latent_cov[np.ix_(keep, keep)]
        corr = lc / np.sqrt(np.outer(np.diag(lc), np.diag(lc)))
        fl = corr.copy()
        np.fill_diagonal(fl, np.sqrt(ave))
        disjoint = len({i for a in idx.values() for i in a}) == sum(len(a) for a in
                                                                   idx.values())
        h = np.full((c, c), np.nan)
        if disjoint and c > 1:
            with contextlib.suppress(v.InvalidParameterError):
                h, _ = _htmt_matrix(r, idx, True, func)
        np.fill_diagonal(h, 1.0)
        return SemValidity(constructs=np.array(names), n_items=n_items.astype(np.int64),
                           alpha=alpha, cr=cr, ave=ave, loadings=loads, correlations=corr,
                           fornell_larcker=fl, htmt=h, cr_threshold=cr_t,
                           ave_threshold=ave_t, htmt_threshold=htmt_t, n_obs=self.n_obs,
                           nan_policy="listwise")


@result
class SemValidity(ConstructValidity):
    """Convergent and discriminant validity of the factors of a fitted CFA / SEM.

    The fields of :class:`~cxpath.survey.ConstructValidity`, with ``cr`` the composite
    reliability (omega) and ``ave`` the average variance extracted from the fitted
    standardised loadings, and ``correlations`` the model's latent correlations (so the
    Fornell–Larcker check is the strict, disattenuated one). ``htmt`` is NaN when factors
    share items.

    Attributes
    ----------
    constructs : ndarray of str
        The factors.
    """

    def _title(self) -> str:
        return "Construct validity from the fitted model"


def _modification_indices(spec, ram, theta, s, n, c):
    """Score tests of the cross-loadings and residual covariances left out of the model.

    For a candidate parameter j fixed at 0, with per-observation expected information I
    over the free parameters and j, and d = -1/2 dF_ML/dtheta_j at the estimate,
    MI = N d^2 / (I_jj - I_jf I_ff^-1 I_fj) and EPC = d / (I_jj - I_jf I_ff^-1 I_fj)
    (Sörbom 1989; lavaan's ``modindices()`` with the expected information).
    """
    p = spec.p
    cands = []
    indicators = sorted({k[1] for k, e in spec.entries.items() if e[1] == "=~"})
    for f in spec.latent:
        j = spec.pos[f]
        for i in indicators:
            if (0, i, j) not in spec.entries:
                cands.append(((0, i, j), f, "=~", spec.names[i]))
    fx = set(spec.fixed_x)
    for i in range(p):
        for j in range(i + 1, p):
            if i in fx or j in fx or (1, j, i) in spec.entries:
                continue
            cands.append(((1, j, i), spec.names[i], "~~", spec.names[j]))
    if not cands:
        return [], np.empty(0), np.empty(0), np.empty(0)
    s_hat = ram.matrices(theta)[1]
    big = RamModel(p, ram.a0, ram.s0, spec.free + [cd[0] for cd in cands])
    th = np.concatenate([theta, np.zeros(len(cands))])
    _, g = big.objective(th, s, float(np.linalg.slogdet(s)[1]))
    info = big.information(th)
    k = ram.k
    iff = info[:k, :k]
    ifj = info[:k, k:]
    v_j = np.diag(info)[k:] - np.einsum("kj,kj->j", ifj, np.linalg.solve(iff, ifj))
    d = -0.5 * g[k:]
    with np.errstate(invalid="ignore", divide="ignore"):
        mi = np.where(v_j > 1e-12, n * d**2 / v_j, np.nan)
        epc = np.where(v_j > 1e-12, d / v_j, np.nan)
    sd = np.sqrt(np.clip(np.diag(c), 0.0, None))
    sepc = np.empty(len(cands))
    for q, ((mat, i, j), *_ ) in enumerate(cands):
        if mat == 0:
            sepc[q] = epc[q] * sd[j] / sd[i]
        else:
            sepc[q] = epc[q] / np.sqrt(abs(s_hat[i, i] * s_hat[j, j]))
    return [cd[1:] for cd in cands], mi, epc, sepc


def _structural(spec):
    """Regression equations (lavaan '~') as path-model equations and variable positions."""
    eqs = {}
    for lhs, op, rhs, *_ in spec.table:
        if op == "~":
            eqs.setdefault(lhs, []).append(rhs)
    if not eqs:
        return [], [], {}
    names = _order(list(eqs.items()), "survey.sem")  # causal order, exogenous first
    return list(eqs.items()), names, {nm: i for i, nm in enumerate(names)}


def _effects_of(a, spec, names):
    idx = [spec.pos[nm] for nm in names]
    b = a[np.ix_(idx, idx)].copy()
    # loadings never link two structural variables, but keep only regression edges
    k = len(names)
    mask = np.zeros((k, k), dtype=bool)
    for lhs, op, rhs, *_ in spec.table:
        if op == "~":
            mask[names.index(lhs), names.index(rhs)] = True
    return np.where(mask, b, 0.0)


def _scoring(ram, s, theta, steps=50):
    """Fisher scoring from a nearby start (a bootstrap resample from the estimate), with
    step halving; returns the estimate and whether the gradient vanished."""
    logdet_s = float(np.linalg.slogdet(s)[1])
    f, g = ram.objective(theta, s, logdet_s)
    for _ in range(steps):
        try:
            step = np.linalg.solve(2 * ram.information(theta), g)
        except np.linalg.LinAlgError:
            return theta, False
        for _half in range(30):
            f_new, g_new = ram.objective(theta - step, s, logdet_s)
            if f_new <= f + 1e-12:
                break
            step = step / 2
        else:
            return theta, False
        theta, f, g = theta - step, f_new, g_new
        if np.max(np.abs(g)) < 1e-8:
            return theta, True
    return theta, bool(np.max(np.abs(g)) < 1e-6)


def _optimise(ram, s, theta, max_iter, polish=20):
    """Minimise F_ML: BFGS with the analytic gradient, then Fisher-scoring steps."""
    from scipy import optimize

    logdet_s = float(np.linalg.slogdet(s)[1])
    res = optimize.minimize(ram.objective, theta, args=(s, logdet_s), jac=True,
                            method="BFGS", options={"maxiter": max_iter, "gtol": 1e-6})
    theta = res.x
    iterations = int(res.nit)
    for _ in range(polish):  # Newton steps with the expected information E[d2 F] = 2 I
        f, g = ram.objective(theta, s, logdet_s)
        try:
            step = np.linalg.solve(2 * ram.information(theta), g)
        except np.linalg.LinAlgError:
            break
        t_new = theta - step
        f_new, _ = ram.objective(t_new, s, logdet_s)
        if not f_new <= f + 1e-12:
            break
        theta = t_new
        iterations += 1
        if np.max(np.abs(step)) < 1e-10:
            break
    return theta, iterations


def _fit(data, model, func, std_lv, nan_policy, max_iter, n_boot, confidence, seed, progress,
         estimator):
    from scipy import stats

    std_lv = v.check_bool(std_lv, "std_lv", func)
    max_iter = v.check_int(max_iter, "max_iter", func, low=1)
    n_boot = v.check_int(n_boot, "n_boot", func, low=0)
    if isinstance(estimator, str) and estimator.upper() in ("WLSMV", "DWLS", "WLSM", "ULSMV"):
        v.fail("estimator", func, "one of 'ML', 'MLM', 'MLR' (ordinal items by DWLS with "
               "WLSMV statistics: survey.cfa_ordinal)", estimator)
    v.check_option(estimator, "estimator", func, ("ML", "MLM", "MLR"))
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    v.check_option(nan_policy, "nan_policy", func, ("listwise", "error", "fiml"))
    stmts = parse_model(model, func)
    spec = _Spec(stmts, std_lv, func)
    if isinstance(data, np.ndarray):
        v.fail("data", func, "a table (DataFrame or dict of columns) naming the model's "
               "observed variables", got=f"a bare array of shape {data.shape}")
    if nan_policy == "fiml":
        return _fit_fiml(data, spec, func, std_lv, max_iter, n_boot, estimator)
    it = read_items(data, spec.observed, func, nan_policy=nan_policy, min_items=1,
                    min_rows=3)
    x = it.x
    n, p = x.shape
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / n  # lavaan's likelihood="normal": divisor N
    w, _ = np.linalg.eigh(s)
    if w[0] <= 1e-10 * max(w[-1], 1e-300):
        v.fail("data", func, "a positive-definite sample covariance matrix (no observed "
               "variable a linear combination of others, more respondents than variables)",
               got=f"smallest eigenvalue {w[0]:.3g} with {n} respondents and {p} "
                   "variables", data=True)
    nx = len(spec.fixed_x)
    s0 = spec.s0.copy()
    for a in spec.fixed_x:
        for b in spec.fixed_x:
            s0[a, b] = s[a, b]
    ram = RamModel(p, spec.a0, s0, spec.free)
    moments = p * (p + 1) // 2 - nx * (nx + 1) // 2
    df = moments - ram.k
    if df < 0:
        v.fail("model", func, "an identified model (no more free parameters than "
               "variances and covariances)", got=f"{ram.k} free parameters for {moments} "
               "moments (df = {})".format(df))
    logdet_s = float(np.linalg.slogdet(s)[1])
    theta, iterations = _optimise(ram, s, _start(spec, s), max_iter)
    f, g = ram.objective(theta, s, logdet_s)
    converged = bool(np.isfinite(f) and f < 1e9 and np.max(np.abs(g)) < 1e-5)
    info = ram.information(theta)
    ev = np.linalg.eigvalsh(info) if ram.k else np.ones(1)
    if ram.k and ev[0] <= 1e-10 * max(ev[-1], 1e-300):
        wv = np.linalg.eigh(info)[1][:, 0]
        bad = np.argsort(-np.abs(wv))[:3]
        shown = ", ".join(f"{spec.table[[t[6] for t in spec.table].index(b)][0]} "
                          f"{spec.table[[t[6] for t in spec.table].index(b)][1]} "
                          f"{spec.table[[t[6] for t in spec.table].index(b)][2]}"
                          for b in sorted(bad) if abs(wv[b]) > 1e-3)
        v.fail("model", func, "an identified model (the information matrix is singular: "
               "fix a loading or a variance, or drop a parameter)",
               got=f"parameters that cannot be told apart, including {shown}")
    if not converged:
        warn(f"{func}: the optimiser did not converge after {iterations} "
             f"iterations (largest gradient {np.max(np.abs(g)):.3g}); raise "
             "max_iter or check the model", CxpathWarning, stacklevel=3)
    vcov = np.linalg.inv(n * info) if ram.k else np.zeros((0, 0))
    chi2_sc = c_sb = p_sc = c_base = np.nan
    if estimator in ("MLM", "MLR"):
        if nx:
            v.fail("estimator", func, "'ML' for a model with observed covariates (their "
                   "fixed sample moments are not handled by the robust statistics yet)",
                   estimator)
        pst = p * (p + 1) // 2
        check_memory(16.0 * n * pst + 8.0 * (p * p) ** 2, func,
                     f"the fourth moments of {p} variables over {n:,} respondents",
                     how="Use estimator='ML', or raise the cap with the CXPATH_MAX_MEMORY "
                         "environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
        trace_ug, vcov = (satorra_bentler if estimator == "MLM" else mlr_complete)(
            ram, theta, x)
        if moments - p > 0:
            c_base = independence_trace(x, estimator) / (moments - p)
        if df > 0:
            c_sb = trace_ug / df
            chi2_sc = float(n * f) / c_sb
            p_sc = float(stats.chi2.sf(chi2_sc, df))
    se_free = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    sigma, _, c = ram.implied(theta)
    a_hat, s_hat = ram.matrices(theta)
    sd_all = np.sqrt(np.clip(np.diag(c), 0.0, None))
    rows = len(spec.table)
    est, se, std = np.empty(rows), np.full(rows, np.nan), np.empty(rows)
    heywood = []
    for r_, (lhs, _op, _rhs, mat, i, j, idx) in enumerate(spec.table):
        val = (a_hat if mat == 0 else s_hat)[i, j]
        est[r_] = val
        if idx >= 0:
            se[r_] = se_free[idx]
        if mat == 0:
            std[r_] = val * sd_all[j] / sd_all[i]
        elif i == j:
            std[r_] = val / c[i, i]
            if val < 0:
                heywood.append(lhs)
        else:
            d = np.sqrt(abs(s_hat[i, i] * s_hat[j, j]))
            std[r_] = val / d if d > 0 else np.nan
    if heywood:
        warn(f"{func}: negative variance estimate(s) for {', '.join(heywood)} "
             "(a Heywood case): the model is misspecified or the sample too "
             "small", CxpathWarning, stacklevel=3)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = est / se
    pval = 2 * stats.norm.sf(np.abs(z))
    chi2 = float(n * f)
    p_chi2 = float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan
    # independence model (with fixed.x the covariates keep their sample block)
    dg = np.diag(np.diag(s))
    for a in spec.fixed_x:
        for b in spec.fixed_x:
            dg[a, b] = s[a, b]
    b_chi2 = float(n * (np.linalg.slogdet(dg)[1] - logdet_s))
    b_df = moments - (p - nx)
    cfi_den = max(chi2 - df, b_chi2 - b_df, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / cfi_den if cfi_den > 0 else 1.0
    tli = ((b_chi2 / b_df - chi2 / df) / (b_chi2 / b_df - 1.0)
           if df > 0 and b_df > 0 else np.nan)
    rmsea = float(np.sqrt(max(chi2 - df, 0.0) / (df * n))) if df > 0 else np.nan
    lo, hi = _rmsea_ci(chi2, df, n) if df > 0 else (np.nan, np.nan)
    pclose = float(stats.ncx2.sf(chi2, df, 0.05**2 * df * n)) if df > 0 else np.nan
    sdv = np.sqrt(np.diag(s))
    resid = (s - sigma) / np.outer(sdv, sdv)
    srmr = float(np.sqrt(np.mean(resid[np.tril_indices(p)] ** 2)))
    ll_sat = -0.5 * n * (p * np.log(2 * np.pi) + logdet_s + p)
    ll = ll_sat - 0.5 * chi2
    k = ram.k
    lat_i = [spec.pos[f] for f in spec.latent]
    mi_names, mi, epc, sepc = _modification_indices(spec, ram, theta, s, n, c)
    eqs, snames, spos = _structural(spec)
    direct = _effects_of(a_hat, spec, snames)
    total, indirect = _effects(direct) if snames else (direct, direct)
    paths = _mediated_paths(eqs, spos) if snames else []
    specific = _path_products(direct, paths) if paths else np.empty(0)
    ci, specific_ci, good = {}, np.empty((0, 2)), 0
    if n_boot and snames:  # a model without regressions has no effects to resample
        nv = len(snames)
        check_memory(8.0 * n_boot * (3 * nv * nv + len(paths) + 1), func,
                     f"{n_boot:,} bootstrap resamples of {3 * nv * nv:,} effects",
                     how="Ask for fewer resamples ('n_boot'), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
        draws = np.empty((3, n_boot, nv, nv))
        report = reporter(progress, n_boot, "resamples", func)
        rng = np.random.default_rng(seed)
        for done, cb in enumerate(bootstrap_covariances(x, n_boot, rng), start=1):
            report(done)
            sb = cb * ((n - 1) / n)
            if np.linalg.eigvalsh(sb)[0] <= 1e-10 * np.trace(sb):
                continue
            if nx:
                s0b = spec.s0.copy()
                for a_ in spec.fixed_x:
                    for b_ in spec.fixed_x:
                        s0b[a_, b_] = sb[a_, b_]
                ramb = RamModel(p, spec.a0, s0b, spec.free)
            else:
                ramb = ram
            tb, ok = _scoring(ramb, sb, theta)
            if not ok:
                with collected():  # a bootstrap draw's non-convergence: checked below
                    tb, _ = _optimise(ramb, sb, theta, max_iter)
                fb, gb = ramb.objective(tb, sb, float(np.linalg.slogdet(sb)[1]))
                if not (fb < 1e9 and np.max(np.abs(gb)) < 1e-6):
                    continue
            db = _effects_of(ramb.matrices(tb)[0], spec, snames)
            totb, indb = _effects(db)
            draws[0, good], draws[1, good], draws[2, good] = db, indb, totb
            good += 1
        report.close()
        if good < 2:
            v.fail("data", func, "enough variation for the bootstrap",
                   got=f"{n_boot - good} of {n_boot} failed resamples", data=True)
        lo_q = (1.0 - confidence) / 2
        for j_, name in enumerate(("direct", "indirect", "total")):
            q = np.quantile(draws[j_, :good], [lo_q, 1 - lo_q], axis=0)
            ci[name] = np.moveaxis(q, 0, -1)
        if paths:
            prods = _path_products(draws[0, :good], paths).reshape(good, len(paths))
            specific_ci = np.quantile(prods, [lo_q, 1 - lo_q], axis=0).T
    return Sem(lhs=np.array([t[0] for t in spec.table]),
               op=np.array([t[1] for t in spec.table]),
               rhs=np.array([t[2] for t in spec.table]), est=est, se=se, z=z,
               p_value=pval, std_all=std, free=np.array([t[6] >= 0 for t in spec.table]),
               observed=np.array(spec.observed), latent=np.array(spec.latent, dtype=str),
               sample_cov=s, implied_cov=sigma, latent_cov=c[np.ix_(lat_i, lat_i)],
               chi2=chi2, df=int(df), p_chi2=p_chi2, baseline_chi2=b_chi2,
               baseline_df=int(b_df), cfi=float(cfi), tli=float(tli), rmsea=rmsea,
               rmsea_low=float(lo), rmsea_high=float(hi), rmsea_p_close=pclose, srmr=srmr,
               loglik=float(ll), loglik_saturated=float(ll_sat), aic=float(-2 * ll + 2 * k),
               bic=float(-2 * ll + k * np.log(n)), n_obs=n, n_rows=it.n_rows, n_free=k,
               iterations=iterations, converged=converged, std_lv=std_lv,
               mi_lhs=np.array([m[0] for m in mi_names], dtype=str),
               mi_op=np.array([m[1] for m in mi_names], dtype=str),
               mi_rhs=np.array([m[2] for m in mi_names], dtype=str), mi=mi, mi_epc=epc,
               mi_sepc_all=sepc, effect_variables=np.array(snames, dtype=str),
               direct=direct, indirect=indirect, total=total, effect_ci=ci,
               specific_paths=np.array([" -> ".join(snames[i] for i in q) for q in paths],
                                       dtype=str),
               specific_effects=specific, specific_ci=specific_ci, n_boot=n_boot,
               n_boot_ok=good, confidence=confidence, seed=seed, estimator=estimator,
               chi2_scaled=float(chi2_sc), scaling_factor=float(c_sb), p_scaled=float(p_sc),
               baseline_scaling_factor=float(c_base))


def sem(data: TableLike, model: str | Mapping | Sequence, *, std_lv: bool = False,
        nan_policy: str = "listwise", max_iter: int = 10_000, n_boot: int = 0,
        confidence: float = 0.95, seed: int | None = None,
        progress: bool | Callable[[int, int], Any] | None = None,
        estimator: str = "ML") -> Sem:
    """Fit a structural equation model with latent variables by maximum likelihood.

    Parameters
    ----------
    data : table
        A pandas / polars DataFrame, pyarrow Table or dict of columns holding every
        observed variable of the model.
    model : str, dict or list
        lavaan syntax (see :func:`parse_model`): ``=~`` measurement, ``~`` regressions,
        ``~~`` (residual) covariances, ``1*x`` fixed and ``NA*x`` freed parameters; a dict
        ``{factor: [items]}``; or a list of ``(lhs, op, rhs[, value])`` statements.
    std_lv : bool
        Scale factors by fixing their variances at 1 and freeing every loading (lavaan's
        ``std.lv=TRUE``) instead of fixing each factor's first loading at 1.
    nan_policy : {'listwise', 'error', 'fiml'}
        Drop respondents with a missing answer in a model variable, refuse them, or use
        every answer given by full-information ML (lavaan's ``missing="ml"``: a mean
        structure is added, the saturated model comes from EM, standard errors from the
        observed information; no bootstrap, no modification indices, no observed
        covariates).
    max_iter : int
        Iteration limit of the quasi-Newton optimiser.
    n_boot : int
        Bootstrap resamples (respondents drawn with replacement, the model refitted to
        each) for percentile intervals of the direct, indirect and total effects of the
        regressions (``effects_frame()``, ``indirect_frame()``); 0, the default, skips them.
    confidence : float
        Level of the bootstrap intervals.
    seed : int, optional
        Seed of the bootstrap, for reproducible intervals.
    progress : bool or callable, optional
        ``True`` shows the bootstrap's progress (a tqdm bar when tqdm is installed, else
        lines on stderr); a callable is called as ``progress(done, n_boot)``.
    estimator : {'ML', 'MLM', 'MLR'}
        Maximum likelihood with normal-theory standard errors and χ² (lavaan's default), or
        the same estimates with robust (sandwich) standard errors and the Satorra–Bentler
        scaled χ² (``chi2_scaled``, ``scaling_factor``, ``p_scaled``), for non-normal
        answers such as Likert items (lavaan's ``estimator="MLM"``); or ``'MLR'``:
        Huber–White standard errors (observed information as bread) and the
        Yuan–Bentler scaled χ² (lavaan's ``estimator="MLR"``), also with
        ``nan_policy='fiml'``.

    Returns
    -------
    Sem
        The parameter table (``to_frame()``: lhs, op, rhs, estimate, SE, z, p,
        ``std_all``), fit measures (``fit_measures()``, lavaan's names) and
        reliability / validity of the factors (``validity()``).

    Raises
    ------
    InvalidParameterError
        A malformed model (the message names the line), a factor without a scale, more
        free parameters than moments, or a model whose information matrix is singular
        (not identified); an unknown column.
    DataError
        Non-numeric or constant columns, or a sample covariance matrix that is not
        positive definite (collinear variables, fewer respondents than variables).

    Warns
    -----
    CxpathWarning
        The optimiser did not converge, or a variance estimate is negative (Heywood case).

    Notes
    -----
    The conventions are lavaan's defaults for ``cfa()`` / ``sem()`` with
    ``estimator="ML"``, ``likelihood="normal"``: the sample covariance :math:`S` has
    divisor :math:`N`; the first loading of each factor is fixed at 1; residual variances
    of every variable, covariances among exogenous factors and among the residuals of
    dependent variables that predict nothing else are added; observed exogenous
    covariates keep their sample (co)variances (``fixed.x=TRUE``). The estimate minimises
    :math:`F_{ML} = \\log|\\Sigma| + \\mathrm{tr}(S\\Sigma^{-1}) - \\log|S| - p` with
    :math:`\\Sigma(\\theta)` the RAM-implied covariance (McArdle & McDonald 1984), by
    BFGS (``scipy.optimize.minimize``) with the analytic gradient, polished by Fisher
    scoring. Standard errors come
    from the expected information :math:`\\frac N2 \\Delta'(\\Sigma^{-1}\\otimes
    \\Sigma^{-1})\\Delta`. :math:`\\chi^2 = N F_{ML}`; CFI and TLI against the
    independence model; :math:`\\mathrm{RMSEA} = \\sqrt{\\max(\\chi^2-df, 0)/(df\\,N)}`
    with its 90 % interval from the noncentral :math:`\\chi^2` and the test of close fit
    (RMSEA ≤ 0.05); SRMR is Bentler's (variances included); AIC and BIC count the free
    parameters. Means are saturated (no mean structure), so the log-likelihood is
    lavaan's ``logl``.

    References
    ----------
    Bollen, K. A. (1989). Structural equations with latent variables. Wiley.
    Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. Journal of
    Statistical Software 48(2).
    McArdle, J. J., & McDonald, R. P. (1984). Some algebraic properties of the reticular
    action model for moment structures. British Journal of Mathematical and Statistical
    Psychology 37, 234–251.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import sem
    >>> rng = np.random.default_rng(0)
    >>> sat = rng.standard_normal(400)
    >>> loyal = 0.6 * sat + 0.8 * rng.standard_normal(400)
    >>> data = {f"s{i}": sat + 0.7 * rng.standard_normal(400) for i in range(3)}
    >>> data.update({f"l{i}": loyal + 0.7 * rng.standard_normal(400) for i in range(3)})
    >>> fit = sem(data, '''
    ...     satisfaction =~ s0 + s1 + s2
    ...     loyalty =~ l0 + l1 + l2
    ...     loyalty ~ satisfaction''')
    >>> fit.df, bool(fit.cfi > 0.95)
    (8, True)
    >>> row = fit.loc(("loyalty", "~", "satisfaction"))
    >>> bool(0.5 < row["std_all"] < 0.7)
    True
    """
    return _fit(data, model, "survey.sem", std_lv, nan_policy, max_iter, n_boot,
                confidence, seed, progress, estimator)


def cfa(data: TableLike, model: str | Mapping | Sequence, *, std_lv: bool = False,
        nan_policy: str = "listwise", max_iter: int = 10_000, n_boot: int = 0,
        confidence: float = 0.95, seed: int | None = None,
        progress: bool | Callable[[int, int], Any] | None = None,
        estimator: str = "ML") -> Sem:
    """Confirmatory factor analysis by maximum likelihood (lavaan's ``cfa()``).

    The same estimator as :func:`sem`; factors are correlated and each factor's first
    loading is fixed at 1 unless ``std_lv=True``.

    Parameters
    ----------
    data : table
        A pandas / polars DataFrame, pyarrow Table or dict of columns with the items.
    model : str, dict or list
        lavaan syntax such as ``"visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6"``, or
        ``{"visual": ["x1", "x2", "x3"], ...}`` (see :func:`parse_model`).
    std_lv : bool
        Fix factor variances at 1 and free every loading.
    nan_policy : {'listwise', 'error', 'fiml'}
        Drop respondents with a missing answer, refuse them, or full-information ML
        (see :func:`sem`).
    max_iter : int
        Iteration limit of the optimiser.
    n_boot, confidence, seed, progress
        Bootstrap intervals of the effects of any regressions, as in :func:`sem`.
    estimator : {'ML', 'MLM', 'MLR'}
        Normal-theory ML, or ML with robust standard errors and the Satorra–Bentler
        (``'MLM'``) or Yuan–Bentler (``'MLR'``) scaled χ² (see :func:`sem`). Ordinal items
        by DWLS with WLSMV statistics (lavaan's ``ordered=``): :func:`cfa_ordinal`.

    Returns
    -------
    Sem
        See :func:`sem`; ``validity()`` gives omega, AVE and the Fornell–Larcker table.

    Raises
    ------
    InvalidParameterError
        A malformed or unidentified model, an unknown column.
    DataError
        Non-numeric or constant items, a sample covariance matrix that is not positive
        definite.

    Examples
    --------
    >>> import cxpath
    >>> from cxpath.survey import cfa
    >>> s = cxpath.datasets.load_sample()
    >>> fit = cfa(s.survey, s.survey_constructs)
    >>> bool(fit.cfi > 0.9), fit.validity().to_frame("dict")["construct"].tolist()
    (True, ['wait', 'reso', 'staff', 'sat', 'loyal'])
    """
    return _fit(data, model, "survey.cfa", std_lv, nan_policy, max_iter, n_boot,
                confidence, seed, progress, estimator)


def _fit_fiml(data, spec, func, std_lv, max_iter, n_boot, estimator):
    """One group by full-information ML (``nan_policy='fiml'``) with a mean structure."""
    from ._fiml import fit_groups

    if n_boot:
        v.fail("n_boot", func, "0 with nan_policy='fiml' (the bootstrap intervals need "
               "complete answers)", n_boot)
    if estimator == "MLM":
        v.fail("estimator", func, "'ML' or 'MLR' with nan_policy='fiml' (MLM needs "
               "complete answers)", estimator)
    it = read_items(data, spec.observed, func, nan_policy="pairwise", min_items=1,
                    min_rows=3)
    x = it.x[~np.isnan(it.x).all(axis=1)]
    if len(x) <= spec.p:
        v.fail("data", func, "more respondents than observed variables",
               got=f"{len(x)} respondents with an answer for {spec.p} variables", data=True)
    fit = fit_groups(spec, [x], (), std_lv, estimator, max_iter, func)
    ram, idx = fit["rams"][0], fit["idxs"][0]
    a_hat = ram.matrices(fit["theta"][idx])[0]
    _mu, sigma, c, _em = fit["implied"][0]
    lat_i = [spec.pos[f] for f in spec.latent]
    eqs, snames, spos = _structural(spec)
    direct = _effects_of(a_hat, spec, snames)
    total, indirect = _effects(direct) if snames else (direct, direct)
    paths = _mediated_paths(eqs, spos) if snames else []
    specific = _path_products(direct, paths) if paths else np.empty(0)
    empty_s, empty_f = np.array([], dtype=str), np.empty(0)
    return Sem(lhs=fit["lhs"], op=fit["op"], rhs=fit["rhs"], est=fit["est"], se=fit["se"],
               z=fit["z"], p_value=fit["p_value"], std_all=fit["std_all"], free=fit["free"],
               observed=np.array(spec.observed), latent=np.array(spec.latent, dtype=str),
               sample_cov=fit["sat"][0][1], implied_cov=sigma,
               latent_cov=c[np.ix_(lat_i, lat_i)], chi2=fit["chi2"], df=int(fit["df"]),
               p_chi2=fit["p_chi2"], baseline_chi2=fit["baseline_chi2"],
               baseline_df=int(fit["baseline_df"]), cfi=fit["cfi"], tli=fit["tli"],
               rmsea=fit["rmsea"], rmsea_low=fit["rmsea_low"], rmsea_high=fit["rmsea_high"],
               rmsea_p_close=fit["rmsea_p_close"], srmr=fit["srmr"], loglik=fit["loglik"],
               loglik_saturated=fit["loglik_saturated"], aic=float(fit["aic"]),
               bic=float(fit["bic"]), n_obs=int(fit["n_obs"][0]), n_rows=it.n_rows,
               n_free=int(fit["n_free"]), iterations=int(fit["iterations"]),
               converged=bool(fit["converged"]), std_lv=std_lv, mi_lhs=empty_s,
               mi_op=empty_s, mi_rhs=empty_s, mi=empty_f, mi_epc=empty_f,
               mi_sepc_all=empty_f, effect_variables=np.array(snames, dtype=str),
               direct=direct, indirect=indirect, total=total, effect_ci={},
               specific_paths=np.array([" -> ".join(snames[i] for i in q) for q in paths],
                                       dtype=str),
               specific_effects=specific, specific_ci=np.empty((0, 2)), n_boot=0,
               n_boot_ok=0, confidence=0.95, seed=None, estimator=estimator,
               chi2_scaled=fit["chi2_scaled"], scaling_factor=fit["scaling_factor"],
               p_scaled=fit["p_scaled"],
               baseline_scaling_factor=fit["baseline_scaling_factor"])
