"""Observed-variable recursive path models: direct, indirect and total effects."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._progress import reporter
from .._results import Result, derived_columns, format_table, result
from ._common import bootstrap_covariances, read_items

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd
    import polars as pl

    from .._typing import TableLike

__all__ = ["PathModel", "parse_paths", "path_model"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def parse_paths(spec: str, func: str = "survey.parse_paths") -> list[tuple[str, list[str]]]:
    """Parse ``"y ~ a + b; z ~ y + a"`` (``;`` or new lines between equations).

    Returns the equations as ``(outcome, [predictors])`` in the order given.

    Raises
    ------
    InvalidParameterError
        Malformed equations, an outcome with two equations, a variable predicting itself.

    Examples
    --------
    >>> parse_paths("sat ~ wait + reso; loyal ~ sat + reso")
    [('sat', ['wait', 'reso']), ('loyal', ['sat', 'reso'])]
    """
    if not isinstance(spec, str) or not spec.strip():
        v.fail("model", func, "equations such as 'sat ~ wait + reso; loyal ~ sat'", spec)
    eqs = []
    seen = set()
    for part in re.split(r"[;\n]", spec):
        part = part.strip()
        if not part:
            continue
        if part.count("~") != 1:
            v.fail("model", func, "equations of the form 'outcome ~ a + b'", part)
        lhs, rhs = (s.strip() for s in part.split("~"))
        preds = [s.strip() for s in rhs.split("+")]
        for name in (lhs, *preds):
            if not _NAME.match(name):
                v.fail("model", func, "variable names (letters, digits, '_' or '.') joined by "
                       "'~' and '+'", got=f"{name!r} in {part!r}")
        if lhs in seen:
            v.fail("model", func, "one equation per outcome", got=f"two equations for {lhs!r}")
        if lhs in preds:
            v.fail("model", func, "a recursive model (no variable may predict itself)",
                   got=f"{lhs!r} on both sides of {part!r}")
        if len(set(preds)) != len(preds):
            v.fail("model", func, "distinct predictors in each equation", got=repr(part))
        seen.add(lhs)
        eqs.append((lhs, preds))
    if not eqs:
        v.fail("model", func, "at least one equation", spec)
    return eqs


def _order(eqs, func):
    """Variables in a causal order; raises for a non-recursive (cyclic) model."""
    parents = {lhs: set(preds) for lhs, preds in eqs}
    names = []
    for lhs, preds in eqs:
        for n in (*preds, lhs):
            if n not in names:
                names.append(n)
    order, state = [], {}

    def visit(n, stack):
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cyc = [*stack[stack.index(n):], n]
            v.fail("model", func, "a recursive (acyclic) path model; feedback loops and "
                   "reciprocal paths need a non-recursive estimator",
                   got="the cycle " + " -> ".join(reversed(cyc)))
        state[n] = 1
        for p in sorted(parents.get(n, ()), key=names.index):
            visit(p, [*stack, n])
        state[n] = 2
        order.append(n)

    for n in names:
        visit(n, [])
    return order


def _fit(x, eqs, pos, standardized):
    """Direct-effect matrix B[target, source], coefficient tables and R² per equation."""
    n, k = x.shape
    if standardized:
        x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    b = np.zeros((k, k))
    out = []
    for lhs, preds in eqs:
        y = x[:, pos[lhs]]
        cols = [pos[p] for p in preds]
        design = np.column_stack([np.ones(n), x[:, cols]])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        resid = y - design @ coef
        ss_res = float(resid @ resid)
        ss_tot = float(((y - y.mean()) ** 2).sum())
        b[pos[lhs], cols] = coef[1:]
        out.append((coef, design, ss_res, ss_tot))
    return b, out


def _fit_cov(c, eqs, pos, standardized):
    """Direct-effect matrix from a covariance matrix (the normal equations of each OLS)."""
    k = len(c)
    if standardized:
        sd = np.sqrt(np.diag(c))
        c = c / np.outer(sd, sd)
    b = np.zeros((k, k))
    for lhs, preds in eqs:
        cols = [pos[p] for p in preds]
        b[pos[lhs], cols] = np.linalg.solve(c[np.ix_(cols, cols)], c[cols, pos[lhs]])
    return b


def _mediated_paths(eqs, pos):
    """Every directed path with at least two edges, as lists of variable positions."""
    children = {}
    for lhs, preds in eqs:
        for q in preds:
            children.setdefault(pos[q], []).append(pos[lhs])
    out = []

    def walk(path):
        if len(path) >= 3:
            out.append(list(path))
        for c in children.get(path[-1], ()):
            walk([*path, c])

    for s in sorted(set(pos.values())):
        walk([s])
    out.sort(key=lambda q: (q[0], q[-1], len(q), q))
    return out


def _path_products(b, paths):
    """Products of direct effects along each path; ``b`` is (k, k) or (n, k, k)."""
    out = []
    for q in paths:
        prod = 1.0
        for a, c in itertools.pairwise(q):
            prod = prod * b[..., c, a]
        out.append(prod)
    return np.array(out).T if np.ndim(b) == 3 else np.array(out, dtype=np.float64)


def _effects(b):
    k = len(b)
    indirect = np.linalg.solve(np.eye(k) - b, np.eye(k)) - np.eye(k) - b
    return b + indirect, indirect  # total assembled so that total == direct + indirect


@result
class PathModel(Result):
    """A fitted recursive path model.

    Attributes
    ----------
    variables : ndarray of str
        Model variables in causal order (exogenous first).
    direct, indirect, total : ndarray (n_variables, n_variables)
        Effects of the column variable on the row variable; ``total = direct + indirect``.
    equations : list of (str, list of str)
        The parsed equations.
    coefficients : dict of str to dict
        Per outcome: ``predictor -> (estimate, se, t, p)`` from OLS.
    r2 : dict of str to float
        R² of each equation.
    ci : dict of str to ndarray
        Bootstrap percentile intervals (``'direct'``, ``'indirect'``, ``'total'``), each
        of shape (n_variables, n_variables, 2).
    specific_paths : ndarray of str
        Every directed path with at least one mediator, e.g. ``'reso -> sat -> loyal'``.
    specific_effects : ndarray
        The product of the direct effects along each path; per (source, target) they sum to
        the indirect effect.
    specific_ci : ndarray (n_paths, 2)
        Bootstrap percentile intervals of the specific indirect effects (empty without
        bootstrap).
    """

    variables: np.ndarray
    direct: np.ndarray
    indirect: np.ndarray
    total: np.ndarray
    equations: list
    coefficients: dict
    r2: dict
    ci: dict
    standardized: bool
    confidence: float
    n_boot: int
    seed: int | None
    n_obs: int
    n_rows: int
    specific_paths: np.ndarray
    specific_effects: np.ndarray
    specific_ci: np.ndarray

    _derived = derived_columns({
        "source": "the cause, ``variables[s]``: one row per pair (source, target) joined "
                  "by a directed path",
        "target": "the effect, ``variables[t]``",
        "direct": "``direct[t, s]``", "indirect": "``indirect[t, s]``",
        "total": "``total[t, s]``",
        "{effect}_low": "lower end of the bootstrap interval, ``ci[effect][t, s, 0]``",
        "{effect}_high": "upper end, ``ci[effect][t, s, 1]``"})
    _key = ("source", "target")

    def _title(self) -> str:
        return "Path model" + (" (standardised)" if self.standardized else "")

    def _summary(self) -> list[str]:
        eq = {"equation": np.array([f"{lhs} ~ {' + '.join(p)}" for lhs, p in self.equations]),
              "r2": np.array([self.r2[lhs] for lhs, _ in self.equations])}
        return [f"n = {self.n_obs} of {self.n_rows} rows (listwise); bootstrap "
                f"{self.n_boot} resamples", format_table(eq)]

    def _columns(self) -> dict:
        src, dst = [], []
        k = len(self.variables)
        reach = self._reachable()
        for j in range(k):  # source
            for i in range(k):  # target
                if reach[i, j]:
                    src.append(j)
                    dst.append(i)
        s, d = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
        cols = {"source": self.variables[s], "target": self.variables[d],
                "direct": self.direct[d, s], "indirect": self.indirect[d, s],
                "total": self.total[d, s]}
        for name in ("direct", "indirect", "total"):
            if name in self.ci:
                cols[f"{name}_low"] = self.ci[name][d, s, 0]
                cols[f"{name}_high"] = self.ci[name][d, s, 1]
        return cols

    def _reachable(self) -> np.ndarray:
        k = len(self.variables)
        adj = np.zeros((k, k), dtype=bool)
        pos = {n: i for i, n in enumerate(self.variables)}
        for lhs, preds in self.equations:
            for p in preds:
                adj[pos[lhs], pos[p]] = True
        reach = adj.copy()
        for _ in range(k):
            reach = reach | ((reach.astype(np.int64) @ adj.astype(np.int64)) > 0)
        return reach

    def indirect_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """One row per specific indirect path: source, target, path, effect and interval."""
        from .._frames import make_frame

        parts = [s.split(" -> ") for s in self.specific_paths]
        cols = {"source": np.array([q[0] for q in parts], dtype=object),
                "target": np.array([q[-1] for q in parts], dtype=object),
                "path": self.specific_paths.astype(object), "effect": self.specific_effects}
        if len(self.specific_ci) == len(self.specific_paths) and self.n_boot:
            cols["low"] = self.specific_ci[:, 0]
            cols["high"] = self.specific_ci[:, 1]
        return make_frame(cols, backend, func="PathModel.indirect_frame")

    def coefficient_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """One row per equation term: estimate, standard error, t and p value, and R²."""
        from .._frames import make_frame

        rows = [(lhs, p, *self.coefficients[lhs][p], self.r2[lhs])
                for lhs, preds in self.equations for p in preds]
        names = ("outcome", "predictor", "estimate", "se", "t", "p_value", "r2")
        cols = {nm: np.array([r[i] for r in rows]) for i, nm in enumerate(names)}
        return make_frame(cols, backend, func="PathModel.coefficient_frame")


def path_model(data: TableLike, model: str, *, standardized: bool = True, n_boot: int = 1000,
               confidence: float = 0.95, seed: int | None = None,
               nan_policy: str = "listwise",
               progress: bool | Callable[[int, int], Any] | None = None) -> PathModel:
    """Estimate a recursive path model of observed variables, equation by equation.

    Parameters
    ----------
    data : table
        A pandas / polars DataFrame, pyarrow Table or dict of columns holding every model
        variable (item answers, construct scores, KPIs).
    model : str
        Equations ``"outcome ~ a + b"`` separated by ``;`` or new lines, e.g.
        ``"sat ~ wait + reso; loyal ~ sat + reso"``.
    standardized : bool
        Standardise every variable first (standardised path coefficients, the default) or
        keep raw units.
    n_boot : int
        Bootstrap resamples for intervals of direct, indirect and total effects (0 skips).
    confidence : float
        Level of the percentile intervals.
    seed : int, optional
        Seed of the bootstrap, for reproducible intervals.
    nan_policy : {'listwise', 'error'}
        Drop respondents with a missing value in any model variable, or refuse them.
    progress : bool or callable, optional
        ``True`` shows the bootstrap's progress (a tqdm bar when tqdm is installed, else
        lines on stderr); a callable is called as ``progress(done, n_boot)``.

    Returns
    -------
    PathModel
        One row per (source, target) pair connected by a directed path in ``to_frame()``;
        OLS coefficients in ``coefficient_frame()``; each specific indirect path (through
        which mediators) in ``indirect_frame()``.

    Raises
    ------
    InvalidParameterError
        A malformed or non-recursive model (a cycle such as ``a ~ b; b ~ a``), an unknown
        column.
    DataError
        Non-numeric or constant variables, too few respondents, collinear predictors.

    Notes
    -----
    Each equation is fitted by ordinary least squares, which is the maximum-likelihood
    estimator of a recursive model with uncorrelated disturbances. With :math:`B` the matrix
    of direct effects (``B[target, source]``), total effects are
    :math:`T = (I - B)^{-1} - I` (the sum over all directed paths of the product of their
    coefficients) and indirect effects are :math:`T - B`. Indirect effects are tested with
    percentile bootstrap intervals (Preacher & Hayes 2008) rather than the Sobel test.

    References
    ----------
    Bollen, K. A. (1989). Structural equations with latent variables, ch. 4. Wiley.
    Preacher, K. J., & Hayes, A. F. (2008). Asymptotic and resampling strategies for
    assessing and comparing indirect effects in multiple mediator models. Behavior Research
    Methods 40, 879–891.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import path_model
    >>> rng = np.random.default_rng(0)
    >>> reso = rng.standard_normal(500)
    >>> sat = 0.6 * reso + 0.8 * rng.standard_normal(500)
    >>> loyal = 0.5 * sat + 0.2 * reso + 0.8 * rng.standard_normal(500)
    >>> res = path_model({"reso": reso, "sat": sat, "loyal": loyal},
    ...                  "sat ~ reso; loyal ~ sat + reso", n_boot=200, seed=1)
    >>> f = res.to_frame("dict")
    >>> [f"{s}->{t}" for s, t in zip(f["source"], f["target"])]
    ['reso->sat', 'reso->loyal', 'sat->loyal']
    >>> bool(np.allclose(f["total"], f["direct"] + f["indirect"]))
    True
    """
    from scipy import stats

    func = "survey.path_model"
    standardized = v.check_bool(standardized, "standardized", func)
    n_boot = v.check_int(n_boot, "n_boot", func, low=0)
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    v.check_option(nan_policy, "nan_policy", func, ("listwise", "error"))
    eqs = parse_paths(model, func)
    order = _order(eqs, func)
    if isinstance(data, np.ndarray):
        v.fail("data", func, "a table (DataFrame or dict of columns)",
               got=f"a bare array of shape {data.shape}")
    max_p = max(len(p) for _, p in eqs)
    it = read_items(data, order, func, nan_policy=nan_policy, min_items=2,
                    min_rows=max_p + 3)
    x = it.x
    n = x.shape[0]
    pos = {name: i for i, name in enumerate(order)}
    for lhs, preds in eqs:
        xs = x[:, [pos[p] for p in preds]]
        if len(preds) > 1:
            rr = np.corrcoef(xs, rowvar=False)
            if np.linalg.eigvalsh(rr)[0] < 1e-10:
                v.fail("model", func, "predictors that are not collinear",
                       got=f"a singular set {preds} in the equation for {lhs!r}", data=True)
    b, fits = _fit(x, eqs, pos, standardized)
    total, indirect = _effects(b)
    coefs, r2 = {}, {}
    for (lhs, preds), (coef, design, ss_res, ss_tot) in zip(eqs, fits):
        dof = n - design.shape[1]
        sigma2 = ss_res / dof
        cov = sigma2 * np.linalg.inv(design.T @ design)
        se = np.sqrt(np.diag(cov))[1:]
        t = coef[1:] / se
        pval = 2 * stats.t.sf(np.abs(t), dof)
        coefs[lhs] = {p: (float(coef[1 + j]), float(se[j]), float(t[j]), float(pval[j]))
                      for j, p in enumerate(preds)}
        r2[lhs] = 1.0 - ss_res / ss_tot
    paths = _mediated_paths(eqs, pos)
    specific = _path_products(b, paths)
    specific_ci = np.empty((0, 2))
    ci = {}
    if n_boot:
        k = len(order)
        # the draws of three k x k effect matrices, np.quantile's copy of one, the paths
        check_memory(8.0 * n_boot * (4 * k * k + max(len(paths), 1)), func,
                     f"{n_boot:,} bootstrap resamples of {k * k * 3:,} effects",
                     how="Ask for fewer resamples ('n_boot'), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
        rng = np.random.default_rng(seed)
        draws = np.empty((3, n_boot, k, k))
        good = 0
        floor = 1e-12 * x.var(axis=0)
        report = reporter(progress, n_boot, "resamples", func)
        for done, cb in enumerate(bootstrap_covariances(x, n_boot, rng), start=1):
            report(done)
            if (np.diag(cb) <= floor).any():
                continue
            bb = _fit_cov(cb, eqs, pos, standardized)
            tb, ib = _effects(bb)
            draws[0, good], draws[1, good], draws[2, good] = bb, ib, tb
            good += 1
        report.close()
        if good < 2:
            v.fail("data", func, "enough variation for the bootstrap",
                   got=f"{n_boot - good} of {n_boot} resamples with a constant column",
                   data=True)
        a = (1.0 - confidence) / 2
        for j, name in enumerate(("direct", "indirect", "total")):
            q = np.quantile(draws[j, :good], [a, 1 - a], axis=0)
            ci[name] = np.moveaxis(q, 0, -1)
        if paths:
            prods = _path_products(draws[0, :good], paths).reshape(good, len(paths))
            specific_ci = np.quantile(prods, [a, 1 - a], axis=0).T
    return PathModel(variables=np.array(order), direct=b, indirect=indirect, total=total,
                     equations=eqs, coefficients=coefs, r2=r2, ci=ci,
                     standardized=standardized, confidence=confidence, n_boot=n_boot,
                     seed=seed, n_obs=n, n_rows=it.n_rows,
                     specific_paths=np.array([" -> ".join(order[i] for i in q) for q in paths],
                                             dtype=str),
                     specific_effects=specific, specific_ci=specific_ci)
