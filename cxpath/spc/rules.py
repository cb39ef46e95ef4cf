"""Run rules: Western Electric 1–4 and Nelson 1–8, each switchable and configurable.

A :class:`RuleSet` is an ordered tuple of :class:`Rule` patterns. Build one with
:func:`western_electric` or :func:`nelson` (or combine, ``we + nelson``), or name one with a
string in any chart function: ``"we"`` (Western Electric 1–4, the default), ``"nelson"``,
``"limits"`` (rule 1 only) or ``"none"``. :func:`run_rules` applies a set to any series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, result

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["Rule", "RuleSet", "Signals", "nelson", "resolve_rules", "run_rules",
           "western_electric"]

KINDS = ("beyond", "m_of_n", "trend", "alternating", "within", "outside")
#: Rule checks (points x rules, over every chart of one call) up to this many run the
#: ``rule_flags`` kernel interpreted while it is not compiled in this process: about 2 µs
#: each, so at most ~0.1 s, against ~1.5 s of CPU to compile it in a fresh process (#19).
SMALL_RULE_WORK = 50_000


@attrs.frozen
class Rule:
    """One run-rule pattern.

    Attributes
    ----------
    code : str
        Short name shown in signals, e.g. ``"WE2"`` or ``"N5"``.
    kind : str
        One of ``"beyond"``, ``"m_of_n"``, ``"trend"``, ``"alternating"``, ``"within"``,
        ``"outside"`` (see :mod:`cxpath._kernels.spc`).
    window : int
        Number of consecutive points the pattern spans.
    count : int
        For ``m_of_n``: how many of the ``window`` points must be beyond ``k`` on one side.
    k : float
        Zone boundary in σ units (``beyond`` uses the chart's limit multiple instead).
    """

    code: str
    kind: str
    window: int = 1
    count: int = 1
    k: float = 0.0

    def describe(self, side: int) -> str:
        """A short explanation of the pattern; ``side`` is +1 (above), -1 (below) or 2.

        Examples
        --------
        >>> Rule("WE1", "beyond").describe(-1)
        'point below the lower control limit'
        """
        func = "spc.Rule.describe"
        typed = isinstance(side, (bool, np.bool_)) or not isinstance(side, (int, np.integer))
        if typed or side not in (1, -1, 2):
            v.fail("side", func, "one of the integers 1 (above), -1 (below) or 2", side,
                   wrong_type=typed)
        where = "above" if side > 0 else "below"
        if self.kind == "beyond":
            return f"point {where} the {'upper' if side > 0 else 'lower'} control limit"
        if self.kind == "m_of_n":
            if self.k == 0.0 and self.count == self.window:
                return f"{self.window} points in a row {where} the centre line"
            return (f"{self.count} of {self.window} points more than {self.k:g}σ {where} the "
                    "centre line")
        if self.kind == "trend":
            return (f"{self.window} points in a row steadily "
                    f"{'increasing' if side > 0 else 'decreasing'}")
        if self.kind == "alternating":
            return f"{self.window} points in a row alternating up and down"
        if self.kind == "within":
            return f"{self.window} points in a row within {self.k:g}σ of the centre line"
        return f"{self.window} points in a row more than {self.k:g}σ from the centre line"


@attrs.frozen
class RuleSet:
    """An ordered set of run rules; ``a + b`` joins two sets (duplicates by code dropped).

    Examples
    --------
    >>> [r.code for r in western_electric(rules=(1, 4), run_length=9).rules]
    ['WE1', 'WE4']
    """

    rules: tuple = ()

    def __add__(self, other: RuleSet) -> RuleSet:
        if not isinstance(other, RuleSet):
            return NotImplemented
        seen = {r.code for r in self.rules}
        return RuleSet(self.rules + tuple(r for r in other.rules if r.code not in seen))

    @property
    def codes(self) -> tuple:
        """The rule codes in order."""
        return tuple(r.code for r in self.rules)

    def without_zones(self) -> RuleSet:
        """Only the 'beyond the limits' rules (for dispersion and time-weighted charts)."""
        return RuleSet(tuple(r for r in self.rules if r.kind == "beyond"))


def _pick(rules, allowed, func):
    if isinstance(rules, (int, np.integer)) and not isinstance(rules, bool):
        rules = (rules,)
    try:
        chosen = tuple(rules)
    except TypeError:
        v.fail("rules", func, f"a sequence of rule numbers from {allowed[0]}..{allowed[-1]}",
               rules)
    for r in chosen:
        if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r not in allowed:
            v.fail("rules", func, f"rule numbers from {allowed[0]}..{allowed[-1]}", rules)
    return sorted(set(int(r) for r in chosen))


def western_electric(rules: Sequence[int] = (1, 2, 3, 4), *, run_length: int = 8) -> RuleSet:
    """The Western Electric zone rules 1–4.

    1. One point beyond the control limits (3σ).
    2. Two of three consecutive points beyond 2σ on the same side.
    3. Four of five consecutive points beyond 1σ on the same side.
    4. ``run_length`` (8, or 9 as some texts use) consecutive points on one side of the
       centre line.

    Parameters
    ----------
    rules : sequence of int, default (1, 2, 3, 4)
        Which rules to switch on.
    run_length : int, default 8
        Length of the same-side run of rule 4 (8 or 9).

    Returns
    -------
    RuleSet

    Raises
    ------
    InvalidParameterError
        If a rule number is not 1–4 or ``run_length`` is not 8 or 9.

    References
    ----------
    Western Electric (1956). *Statistical Quality Control Handbook*. Indianapolis.

    Examples
    --------
    >>> western_electric().codes
    ('WE1', 'WE2', 'WE3', 'WE4')
    """
    func = "spc.western_electric"
    chosen = _pick(rules, (1, 2, 3, 4), func)
    v.check_option(run_length, "run_length", func, (8, 9))
    table = {1: Rule("WE1", "beyond", 1, 1, 3.0), 2: Rule("WE2", "m_of_n", 3, 2, 2.0),
             3: Rule("WE3", "m_of_n", 5, 4, 1.0),
             4: Rule("WE4", "m_of_n", run_length, run_length, 0.0)}
    return RuleSet(tuple(table[r] for r in chosen))


def nelson(rules: Sequence[int] = (1, 2, 3, 4, 5, 6, 7, 8), *, run_length: int = 9,
           trend_length: int = 6, alternating_length: int = 14, stratification_length: int = 15,
           mixture_length: int = 8) -> RuleSet:
    """The eight Nelson tests.

    1. One point beyond the control limits (3σ).
    2. ``run_length`` (9; 8 in some texts) points in a row on one side of the centre line.
    3. ``trend_length`` (6) points in a row steadily increasing or decreasing.
    4. ``alternating_length`` (14) points in a row alternating up and down.
    5. Two of three points beyond 2σ on the same side.
    6. Four of five points beyond 1σ on the same side.
    7. ``stratification_length`` (15) points in a row within 1σ (stratification).
    8. ``mixture_length`` (8) points in a row beyond 1σ, either side (mixture).

    Parameters
    ----------
    rules : sequence of int, default 1..8
        Which tests to switch on.
    run_length, trend_length, alternating_length, stratification_length, mixture_length : int
        Pattern lengths of tests 2, 3, 4, 7 and 8 (``run_length`` must be 8 or 9).

    Returns
    -------
    RuleSet

    Raises
    ------
    InvalidParameterError
        If a test number is not 1–8 or a length is out of range.

    References
    ----------
    Nelson, L. S. (1984). The Shewhart control chart — tests for special causes. *Journal
    of Quality Technology* 16(4), 237–239.

    Examples
    --------
    >>> nelson(rules=(1, 2), run_length=8).codes
    ('N1', 'N2')
    """
    func = "spc.nelson"
    chosen = _pick(rules, tuple(range(1, 9)), func)
    v.check_option(run_length, "run_length", func, (8, 9))
    trend = v.check_int(trend_length, "trend_length", func, low=3, high=50)
    alt = v.check_int(alternating_length, "alternating_length", func, low=4, high=100)
    strat = v.check_int(stratification_length, "stratification_length", func, low=2,
                        high=100)
    mix = v.check_int(mixture_length, "mixture_length", func, low=2, high=100)
    table = {1: Rule("N1", "beyond", 1, 1, 3.0),
             2: Rule("N2", "m_of_n", run_length, run_length, 0.0),
             3: Rule("N3", "trend", trend, trend, 0.0),
             4: Rule("N4", "alternating", alt, alt, 0.0),
             5: Rule("N5", "m_of_n", 3, 2, 2.0), 6: Rule("N6", "m_of_n", 5, 4, 1.0),
             7: Rule("N7", "within", strat, strat, 1.0),
             8: Rule("N8", "outside", mix, mix, 1.0)}
    return RuleSet(tuple(table[r] for r in chosen))


_NAMED = ("we", "western_electric", "nelson", "limits", "none")


def resolve_rules(rules, func: str) -> RuleSet:
    """Turn a chart's ``rules`` argument (name, RuleSet or sequence of Rule) into a RuleSet."""
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, str):
        name = v.check_option(rules, "rules", func, _NAMED)
        if name in ("we", "western_electric"):
            return western_electric()
        if name == "nelson":
            return nelson()
        if name == "limits":
            return western_electric(rules=(1,))
        return RuleSet(())
    if isinstance(rules, Rule):
        return RuleSet((rules,))
    try:
        items = tuple(rules)
    except TypeError:
        items = None
    if items is None or not all(isinstance(r, Rule) for r in items):
        v.fail("rules", func, "a RuleSet, a sequence of Rule or one of "
               + ", ".join(repr(n) for n in _NAMED), rules)
    for r in items:
        v.check_option(r.kind, "rules", func, KINDS)
    return RuleSet(items)


@result
class Signals(Result):
    """Every run-rule signal of a chart: one row per (rule, point).

    Attributes
    ----------
    rule : numpy.ndarray of str
        Rule code (``"WE1"``, ``"N3"``, ``"CUSUM+"`` …).
    index : numpy.ndarray of int
        Position of the point at which the pattern is complete (the point flagged).
    start : numpy.ndarray of int
        First position of the pattern's window.
    side : numpy.ndarray of int
        +1 above / upward, -1 below / downward, 2 for patterns with no side.
    explanation : numpy.ndarray of str
        A short sentence for people.
    """

    rule: np.ndarray
    index: np.ndarray
    start: np.ndarray
    side: np.ndarray
    explanation: np.ndarray

    _key = ("rule", "index")

    def _title(self) -> str:
        return "Signals"

    def _columns(self) -> dict:
        return {"rule": self.rule, "index": self.index, "start": self.start,
                "side": self.side, "explanation": self.explanation}

    def __len__(self) -> int:
        return int(self.index.size)

    def at(self, index: int) -> tuple:
        """The rule codes that flag point ``index``."""
        index = v.check_int(index, "index", "Signals.at")
        return tuple(str(r) for r in self.rule[self.index == index])

    @property
    def points(self) -> np.ndarray:
        """Sorted unique positions flagged by any rule."""
        return np.unique(self.index)

    @classmethod
    def empty(cls) -> Signals:
        """No signals."""
        return _signals([], [], [], [], [])


def _signals(rule, index, start, side, explanation) -> Signals:
    return Signals(np.asarray(rule, dtype=object), np.asarray(index, dtype=np.int64),
                   np.asarray(start, dtype=np.int64), np.asarray(side, dtype=np.int64),
                   np.asarray(explanation, dtype=object))


def _merge(*parts: Signals) -> Signals:
    parts = [p for p in parts if len(p)]
    if not parts:
        return Signals.empty()
    cols = {k: np.concatenate([getattr(p, k) for p in parts])
            for k in ("rule", "index", "start", "side", "explanation")}
    order = np.lexsort((cols["start"], cols["index"]))
    return Signals(**{k: c[order] for k, c in cols.items()})


def flags_to_signals(flags: np.ndarray, ruleset: RuleSet, labels=None,
                     prefix: str = "") -> Signals:
    """Convert the kernel's flag matrix into a :class:`Signals` table."""
    rule_idx, point = np.nonzero(flags)
    if point.size == 0:
        return Signals.empty()
    order = np.lexsort((rule_idx, point))
    rule_idx, point = rule_idx[order], point[order]
    side = flags[rule_idx, point].astype(np.int64)
    windows = np.array([r.window for r in ruleset.rules], dtype=np.int64)
    start = np.maximum(point - windows[rule_idx] + 1, 0)
    codes = np.array([r.code for r in ruleset.rules], dtype=object)
    texts = {}
    expl = []
    for ri, p, s, sd in zip(rule_idx.tolist(), point.tolist(), start.tolist(),
                            side.tolist()):
        key = (ri, sd)
        if key not in texts:
            texts[key] = ruleset.rules[ri].describe(sd)
        where = (f"{_label(labels, s)}–{_label(labels, p)}" if s != p
                 else _label(labels, p))
        expl.append(f"{prefix}{texts[key]} ({where})")
    return _signals(codes[rule_idx], point, start, side, expl)


def _label(labels, i: int) -> str:
    if labels is None:
        return f"point {i}"
    return str(labels[i])


def standardise(values, center, sigma_upper, sigma_lower) -> np.ndarray:
    """``z = (x - c)/σ_up`` above the centre and ``(x - c)/σ_low`` below (asymmetric zones)."""
    dev = values - center
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(dev >= 0, dev / sigma_upper, dev / sigma_lower)
    z[dev == 0] = 0.0
    return np.ascontiguousarray(z, dtype=np.float64)


def apply_rules(z: np.ndarray, ruleset: RuleSet, nsigma: float, labels=None,
                prefix: str = "") -> tuple[Signals, np.ndarray]:
    """Run ``ruleset`` over standardised points; return the signals and the flag matrix."""
    if not ruleset.rules or z.size == 0:
        return Signals.empty(), np.zeros((0, z.size), dtype=np.int8)
    kinds = np.array([KINDS.index(r.kind) for r in ruleset.rules], dtype=np.int64)
    windows = np.array([r.window for r in ruleset.rules], dtype=np.int64)
    counts = np.array([r.count for r in ruleset.rules], dtype=np.int64)
    ks = np.array([nsigma if r.kind == "beyond" else r.k for r in ruleset.rules],
                  dtype=np.float64)
    flags = rule_kernel(z.size * kinds.size)(np.ascontiguousarray(z, dtype=np.float64), kinds,
                                             windows, counts, ks)
    return flags_to_signals(flags, ruleset, labels, prefix), flags


def rule_kernel(work: int):
    """The ``rule_flags`` kernel for ``work`` rule checks (points x rules): interpreted up
    to :data:`SMALL_RULE_WORK` while it is not compiled in this process (the same
    operations in the same order, so the same flags), compiled otherwise."""
    from .._kernels import spc as _k
    from .._kernels._jit import by_work

    return by_work(_k.rule_flags, work, SMALL_RULE_WORK)


def run_rules(values: ArrayLike, center: ArrayLike, sigma: ArrayLike, *,
              rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
              sigma_lower: ArrayLike | None = None) -> Signals:
    """Apply run rules to any series given its centre line and σ (scalars or per point).

    Parameters
    ----------
    values : array-like of float
        The plotted statistic.
    center : float or array-like
        Centre line (per point or one value).
    sigma : float or array-like
        Standard deviation of each point (zone width); must be positive.
    rules : str, RuleSet or sequence of Rule, default "we"
        ``"we"`` (Western Electric 1–4), ``"nelson"``, ``"limits"`` (rule 1 only),
        ``"none"``, or a :class:`RuleSet`.
    nsigma : float, default 3.0
        Width of the control limits in σ (rule 1 fires beyond ``nsigma``).
    sigma_lower : float or array-like, optional
        σ below the centre line, for asymmetric limits (default ``sigma``).

    Returns
    -------
    Signals

    Raises
    ------
    DataError
        If ``values`` contains NaN or infinity, or lengths differ.
    InvalidParameterError
        If ``sigma`` is not positive or ``rules`` is unknown.

    Examples
    --------
    >>> s = run_rules([0, 0.5, 3.4, 0.2, 0.1], 0.0, 1.0, rules="limits")
    >>> s.rule.tolist(), s.index.tolist()
    (['WE1'], [2])
    """
    func = "spc.run_rules"
    x = v.as_float_array(values, "values", func)
    ruleset = resolve_rules(rules, func)
    nsig = v.check_real(nsigma, "nsigma", func, low=0.0, closed="neither")
    c = _broadcast(center, "center", func, x.size)
    s_up = _broadcast(sigma, "sigma", func, x.size, positive=True)
    s_low = s_up if sigma_lower is None else _broadcast(sigma_lower, "sigma_lower", func,
                                                        x.size, positive=True)
    return apply_rules(standardise(x, c, s_up, s_low), ruleset, nsig)[0]


def _broadcast(value, name, func, n, positive=False):
    arr = v.as_float_array(np.atleast_1d(v.array(value, name, func)), name, func,
                           low=0.0 if positive else None,
                           closed="neither" if positive else "both")
    if arr.size == 1:
        return np.full(n, arr[0])
    if arr.size != n:
        v.fail(name, func, f"a scalar or of the same length as 'values' ({n})",
               got=f"length {arr.size}", data=True)
    return arr
