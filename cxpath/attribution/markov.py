"""k-order Markov attribution with exact removal effects (absorbing-chain solves)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, alias, drawn_by, result
from ._chain import AbsorbingSolver, build_chain
from ._paths import AttributionPaths, check_seed, prepare
from .order import OrderChoice, choose_order
from .result import Attribution, rank_channels

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    import polars as pl

    from .._typing import ColumnLike, TableLike
    from ..journeys import Journeys, JourneyStats

__all__ = ["MarkovAttribution", "markov"]

FUNC = "attribution.markov"


@drawn_by("attribution")
@result
class MarkovAttribution(Result):
    """Removal effects and credit of a k-order Markov model, solved exactly.

    Channels are ranked by their conversion credit, largest first (equal credit: label
    order).

    Attributes
    ----------
    channels : tuple of str
    channel : ndarray of object
        ``channels`` as the table's column.
    order : int
    collapse_repeats : bool
    conversion_probability : float
        Probability that a journey from the start state converts.
    expected_value : float
        Expected converting value per journey (0 without value).
    removal_effects, removal_effects_value : ndarray (n_channels,)
        ``1 - P(-c) / P``: the share of conversions (of value) lost when channel ``c`` is
        removed, i.e. every state whose latest touch is ``c`` leads nowhere.
    conversions, value : ndarray (n_channels,)
        Removal effects normalised to total conversions and to total value.
    total_conversions, total_value, unattributed_conversions, unattributed_value : float
    missing_value_conversions : float
        Conversions on journeys without a value, left out of the value credit.
    states : tuple of str
        ``"(start)"``, the transient states (``"a > b"`` for order 2) and the exits
        ``"(conversion)"`` and ``"(null)"``.
    transition_from, transition_to : ndarray of int
        Indexes into ``states`` of every non-zero transition probability.
    transition_probability : ndarray of float
    n_boot : int
        Bootstrap resamples behind the intervals (0: none).
    confidence : float
    conversions_ci, value_ci, removal_effects_ci : ndarray (n_channels, 2) or None
        Percentile bootstrap intervals.
    removal_effect, removal_effect_value : ndarray (n_channels,)
        ``removal_effects`` and ``removal_effects_value`` under their column names.
    conversions_low, conversions_high, value_low, value_high : ndarray or None
        The ends of ``conversions_ci`` and ``value_ci`` (None without bootstrap).
    order_choice : OrderChoice or None
        The cross-validated comparison of orders 1–4 behind ``order='auto'`` (None for a
        given order).
    """

    channels: tuple
    order: int
    collapse_repeats: bool
    conversion_probability: float
    expected_value: float
    removal_effects: np.ndarray
    removal_effects_value: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    total_conversions: float
    total_value: float
    unattributed_conversions: float
    unattributed_value: float
    has_value: bool
    states: tuple
    transition_from: np.ndarray
    transition_to: np.ndarray
    transition_probability: np.ndarray
    n_boot: int = 0
    confidence: float = 0.95
    conversions_ci: np.ndarray | None = None
    value_ci: np.ndarray | None = None
    removal_effects_ci: np.ndarray | None = None
    missing_value_conversions: float = 0.0
    order_choice: OrderChoice | None = None

    _key = "channel"
    removal_effect = alias("removal_effects")
    removal_effect_value = alias("removal_effects_value")

    @property
    def channel(self) -> np.ndarray:
        """``channels`` as the table's column."""
        return np.array(self.channels, dtype=object)

    @property
    def conversions_low(self) -> np.ndarray | None:
        """Lower end of ``conversions_ci`` (None without bootstrap)."""
        return None if self.conversions_ci is None else self.conversions_ci[:, 0]

    @property
    def conversions_high(self) -> np.ndarray | None:
        """Upper end of ``conversions_ci`` (None without bootstrap)."""
        return None if self.conversions_ci is None else self.conversions_ci[:, 1]

    @property
    def value_low(self) -> np.ndarray | None:
        """Lower end of ``value_ci`` (None without bootstrap)."""
        return None if self.value_ci is None else self.value_ci[:, 0]

    @property
    def value_high(self) -> np.ndarray | None:
        """Upper end of ``value_ci`` (None without bootstrap)."""
        return None if self.value_ci is None else self.value_ci[:, 1]

    def transition_matrix(self) -> np.ndarray:
        """The labelled (dense) transition matrix, rows and columns in ``states`` order."""
        m = len(self.states)
        out = np.zeros((m, m))
        out[self.transition_from, self.transition_to] = self.transition_probability
        return out

    def transitions(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """Non-zero transition probabilities as a long table (from, to, probability)."""
        from .._frames import make_frame

        if not isinstance(backend, str):
            v.fail("backend", "MarkovAttribution.transitions", "one of 'pandas', 'polars', "
                   "'dict'", backend, wrong_type=True)
        labels = np.array(self.states, dtype=object)
        return make_frame({"from": labels[self.transition_from],
                           "to": labels[self.transition_to],
                           "probability": self.transition_probability}, backend,
                          func="MarkovAttribution.transitions")

    def to_attribution(self) -> Attribution:
        """This model as an :class:`Attribution` (for comparison with other models)."""
        name = f"markov_{self.order}"
        return Attribution(channels=self.channels, models=(name,),
                           conversions=self.conversions[None, :],
                           value=self.value[None, :] if self.has_value else None,
                           total_conversions=self.total_conversions,
                           total_value=self.total_value,
                           unattributed_conversions=self.unattributed_conversions,
                           unattributed_value=self.unattributed_value,
                           missing_value_conversions=self.missing_value_conversions,
                           details={name: self})

    def _columns(self) -> dict:
        cols = {"channel": self.channel, "removal_effect": self.removal_effect,
                "conversions": self.conversions}
        if self.conversions_ci is not None:
            cols["conversions_low"] = self.conversions_low
            cols["conversions_high"] = self.conversions_high
        if self.has_value:
            cols["removal_effect_value"] = self.removal_effect_value
            cols["value"] = self.value
            if self.value_ci is not None:
                cols["value_low"] = self.value_low
                cols["value_high"] = self.value_high
        return cols

    def _title(self) -> str:
        return f"Markov attribution, order {self.order}"

    def _summary(self) -> list[str]:
        lines = [f"P(conversion) = {self.conversion_probability:.6g} over "
                 f"{len(self.states) - 2:,} states; {self.total_conversions:,.6g} conversions"]
        if self.n_boot:
            lines.append(f"{self.confidence:.0%} intervals from {self.n_boot} bootstrap resamples")
        if self.order_choice is not None:
            lines.append(self.order_choice._summary()[0])
        return lines


def _credit(effects: np.ndarray, total: float) -> np.ndarray:
    s = effects.sum()
    return effects / s * total if s > 0 else np.zeros_like(effects)


MAX_STATES = 200_000  # default cap on the chain's transient states (max_states=)
MAX_SOLVES = 200_000  # default cap on the solves, (n_boot + 1) * (n_channels + 1) (max_solves=)
# Work per fit besides the solves (resampling the journeys, building the chain): about 10 ms
# on the 3-path docstring example, measured on one core of the 2-core x86 machine.
FIT_SECONDS = 0.01
# Wall-time model of the direct (LU) route of the solves, fitted on one core of a 2-core
# x86 machine (scipy 1.17) on chains of 12k-97k states (60 channels at order 4, 30 and 60
# channels at order 3).
# Sparse LU (SuperLU, COLAMD): each solve about LU_PER_STATE * states +
# min(LU_FILL * e**2, DENSE * m**3), with m the largest group of states that reach each
# other and e the transitions inside it (the fill of the factors grows with them).
# Certified GMRES, used instead when it converges (fast-mixing chains; tried once per
# chain from KRYLOV_SOLVE states): about KRYLOV * states**1.5 per solve.
LU_PER_STATE = 3e-6
LU_FILL = 1.5e-8
DENSE = 1e-10
KRYLOV = 1.3e-7


def estimate_seconds(chain, n_channels: int, n_fits: int = 1) -> tuple[float, float]:
    """Rough wall time ``(low, high)`` of the direct (LU) route of the solves on ``chain``.

    The route :func:`markov` falls back to when the component solver cannot certify a
    chain (see :func:`plan_seconds` for the usual route). ``n_fits`` fits (the data and
    each bootstrap resample) of ``n_channels + 1`` solves each. The two ends are the
    certified iterative route and the sparse LU route of the model above; which one a chain
    takes is only known once GMRES is tried. Cheap: one pass over the transitions for the
    strongly connected components.
    """
    from scipy.sparse.csgraph import connected_components

    from ._chain import KRYLOV_SOLVE

    m = chain.n_states
    moves = chain.moves.tocoo()
    _, group = connected_components(chain.moves, directed=True, connection="strong")
    sizes = np.bincount(group) if m else np.zeros(1, dtype=np.int64)
    largest = int(np.argmax(sizes))
    inside = int(np.count_nonzero((group[moves.row] == largest)
                                  & (group[moves.col] == largest))) if m else 0
    solves = n_fits * (n_channels + 1)
    lu = LU_PER_STATE * m + min(LU_FILL * inside ** 2, DENSE * float(sizes.max()) ** 3)
    if m < KRYLOV_SOLVE:
        return solves * lu, solves * lu
    krylov = KRYLOV * m ** 1.5
    routes = (solves * krylov, n_fits * krylov + solves * lu)  # iterative; failed try + LU
    return min(routes), max(routes)


def plan_seconds(chain, n_channels: int, n_fits: int = 1) -> tuple[float, int]:
    """Rough wall time of the solves of :func:`markov` on ``chain``, and the threads used.

    The model of :mod:`._removal`: each of the ``n_fits * (n_channels + 1)`` solves
    sweeps the chain's transitions about ``SWEEPS`` times, removals in batches of up to
    8 and spread over the cores from 20,000 states. It does not know in advance whether
    a chain is too slowly mixing to certify (then the sparse LU takes over, see
    :func:`estimate_seconds`); path-estimated chains are not.
    """
    from . import _removal as rm

    workers = rm.threads() if chain.n_states >= rm.THREAD_STATES else 1
    seconds = rm.estimate_seconds(chain.n_states, chain.moves.nnz, n_fits * (n_channels + 1),
                                  workers)
    return seconds, workers


def _cores(workers: int) -> str:
    return "one core" if workers == 1 else f"{workers} cores"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _check_cost(chain, n_channels: int, order: int, n_fits: int, max_states: int,
                func: str, max_solves: int | None = None) -> None:
    """Refuse, before any solve, a chain with more than ``max_states`` states, or more than
    ``max_solves`` solves in all."""
    from ..errors import CostError

    n_solves = n_fits * (n_channels + 1)
    seconds, workers = plan_seconds(chain, n_channels, n_fits)
    if max_solves is not None and n_solves > max_solves:
        span = _duration(seconds + n_fits * FIT_SECONDS)
        raise CostError(
            f"{func} would solve a chain of {chain.n_states:,} states {n_solves:,} times "
            f"({n_fits:,} fits of {n_channels + 1:,} solves; roughly {span} on "
            f"{_cores(workers)}), more than the max_solves={max_solves:,} cap. Ask for fewer "
            f"bootstrap resamples (n_boot=), or raise the cap (max_solves={n_solves}).")
    if chain.n_states <= max_states:
        return
    raise CostError(
        f"{func} would solve an order-{order} chain of {chain.n_states:,} states over "
        f"{n_channels:,} channels {n_solves:,} times (roughly {_duration(seconds)} on "
        f"{_cores(workers)}), more than the max_states={max_states:,} cap. Lower the order, "
        f"merge or exclude rare channels, or raise the cap (max_states={chain.n_states}).")


def _say(text: str) -> None:
    """The plan line shown with ``progress=True`` before the solves start."""
    import sys

    try:  # above the progress bar, when there is one
        from tqdm import tqdm
    except ImportError:
        print(text, file=sys.stderr)
    else:
        tqdm.write(text, file=sys.stderr)


class _Steps:
    """Counts solves and passes the count to a progress reporter."""

    def __init__(self, report):
        self.report, self.done = report, 0

    def __call__(self) -> None:
        self.done += 1
        self.report(self.done)


def _removal(paths, order: int, collapse: bool, func: str, step=None, max_states=None,
             n_fits: int = 1, max_solves: int | None = None, say=None):
    """Chain, base solution and removal effects of ``paths``.

    ``step`` is called after each of the ``n_channels + 1`` solves, skipped channels
    included, from the calling thread and in channel order (a KeyboardInterrupt or an
    exception in ``step`` stops the call; solves already running on other threads finish,
    the rest never start).
    """
    chain = build_chain(paths, order, collapse, func).without_self_loops()
    if max_states is not None:
        _check_cost(chain, paths.n_channels, order, n_fits, max_states, func, max_solves)
        if say is not None:
            seconds, workers = plan_seconds(chain, paths.n_channels, n_fits)
            say(f"{func}: order-{order} chain of {chain.n_states:,} states, "
                f"{n_fits * (paths.n_channels + 1):,} solves, roughly {_duration(seconds)} on "
                f"{_cores(workers)}")
    probs = chain.probabilities()
    base, effects = _effects(chain, probs, paths.n_channels, order, step, n_fits=n_fits)
    return chain, probs, base, effects


def _effects(chain, probs, n: int, order: int, step=None, route: str | None = None,
             n_fits: int = 1):
    """``(base, effects)``: P and expected value from the start, and the removal effects.

    ``route='structured'`` is the component solver of :mod:`._removal` (certified, LU where
    it cannot certify); ``'lu'`` the direct solve of every system (dense LU up to
    ``DENSE_SOLVE`` states, certified GMRES or sparse LU above), kept as its reference.
    By default chains small enough for :func:`._removal.dense_first` take the dense LU
    (nothing to compile; BLAS on one thread, see :mod:`cxpath._blas`), and so do chains
    whose ``n_fits`` fits of direct solves are estimated to take less than compiling the
    component solver's kernel when it is not compiled or cached yet
    (:func:`._removal.lu_first`; if GMRES cannot certify the chain and the sparse LUs
    would take longer than that, the removals go to the component solver after all).
    Larger chains take the component solver.
    """
    from .._blas import one_blas_thread
    from . import _removal as rm

    cold = None
    if route is None:
        route = "lu" if rm.dense_first(chain.n_states, n + 1) else "structured"
        if route == "structured" and not rm.warm():
            low, high = estimate_seconds(chain, n, n_fits)
            if rm.lu_first(low, chain.n_states):
                route, cold = "lu", high

    q, r_conv, _, r_value = probs
    rhs = np.column_stack([r_conv, r_value])
    effects = np.zeros((2, n))
    within = rm.sweep_order(chain.keys, n, order)

    def direct():  # the LU route's solver and the whole chain's solution
        lu = AbsorbingSolver(q)
        with one_blas_thread():
            return lu, lu.solve(rhs)[0]

    solver = None
    p = rm.plan(q, r_conv, r_value, within) if route == "structured" else None
    if p is None:
        solver, whole = direct()
        if cold is not None and not solver.krylov and cold > rm.COMPILE_SECONDS:
            p = rm.plan(q, r_conv, r_value, within)  # GMRES failed: LUs would cost more
    unproven = []  # a structured solve whose LU fallback could not certify its answers
    if p is not None:  # the effects' accuracy, relative to P (see _removal.relative)
        p, full, full_error = rm.relative(p)
        if p is None and solver is None:
            solver, whole = direct()
        elif p is not None and np.isnan(full_error).any():
            unproven.append(True)
    if p is None:
        def solve(masks):
            with one_blas_thread():
                return np.stack([solver.solve(rhs, keep=masks[:, s])[0]
                                 for s in range(masks.shape[1])])
    else:
        whole = full[p.start]

        def solve(masks):
            x, error = rm.solve(p, masks, full, with_error=True)
            if np.isnan(error).any():
                unproven.append(True)  # list.append: safe from the worker threads
            return x[p.start]

    if step is not None:
        step()
    digits = rm.contains(chain.keys, n, order)
    wanted = [c for c in range(n) if (digits == c + 1).any()]
    big = p is not None and chain.n_states >= rm.THREAD_STATES
    workers = rm.threads() if big else 1
    groups = rm.batches(len(wanted), chain.n_states, workers) if p is not None else \
        [range(s, s + 1) for s in range(len(wanted))]

    def removed(group):  # the removal of channels wanted[group]: (len(group), 2)
        cs = [wanted[s] for s in group]
        masks = np.column_stack([~(digits == c + 1).any(axis=1) for c in cs])
        return cs, solve(masks)

    def record(cs, x):
        for c, xc in zip(cs, x):
            for k in range(2):
                if whole[k] > 0:
                    effects[k, c] = 1.0 - xc[k] / whole[k]

    reported = 0

    def report_up_to(c_done):
        nonlocal reported
        while reported < c_done:
            reported += 1
            if step is not None:
                step()

    if big:  # on threads (the kernels release the GIL), Ctrl-C lands between batches
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(min(workers, max(1, len(groups))))
        try:
            futures = [pool.submit(removed, group) for group in groups]
            for future in futures:
                cs, x = future.result()
                record(cs, x)
                report_up_to(cs[-1] + 1)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        for group in groups:
            cs, x = removed(group)
            record(cs, x)
            report_up_to(cs[-1] + 1)
    report_up_to(n)
    if unproven or (solver is not None and not solver.certified):
        from .._warnings import warn

        warn("markov: some removal effects could not be certified to 1e-10 (an "
             "ill-conditioned chain, e.g. loops left with probability near 0); they are the "
             "refined LU solution, unproven")
    return whole, effects


def _check_progress(progress, func: str):
    if not (progress is None or isinstance(progress, (bool, np.bool_)) or callable(progress)):
        v.fail("progress", func, "True, False, None or a callable (done, total)", progress,
               wrong_type=True)
    return bool(progress) if isinstance(progress, np.bool_) else progress


def _order(order, func: str):
    if func == FUNC and isinstance(order, str):
        if order != "auto":
            v.fail("order", func, "an integer from 1 to 4 or 'auto'", order)
        return order
    return v.check_int(order, "order", func, low=1, high=4)


def _options(func: str, *, order, collapse_repeats, n_boot, confidence, level, seed, progress,
             max_states, max_solves=MAX_SOLVES) -> dict:
    """Checked options of :func:`markov` (errors name ``func``)."""
    return dict(
        order=_order(order, func),
        collapse=v.check_bool(collapse_repeats, "collapse_repeats", func),
        n_boot=v.check_int(n_boot, "n_boot", func, low=0),
        confidence=v.check_real(v.renamed(level, confidence, "level", "confidence", func),
                                "confidence", func, low=0, high=1, closed="neither"),
        rng=check_seed(seed, func),
        progress=_check_progress(progress, func),
        max_states=v.check_int(max_states, "max_states", func, low=1),
        max_solves=v.check_int(max_solves, "max_solves", func, low=1))


def markov(data: Journeys | JourneyStats | TableLike, *, order: int | str = 1,
           collapse_repeats: bool = False, by: str = "touchpoint",
           exclude: str | Sequence[str] | None = None, n_boot: int = 0,
           confidence: float = 0.95, seed: int | np.random.Generator | None = None,
           progress: bool | Callable[[int, int], Any] | None = None,
           max_states: int = MAX_STATES, max_solves: int = MAX_SOLVES,
           path: ColumnLike | None = None, conversions: ColumnLike | None = None,
           nulls: ColumnLike | None = None, value: ColumnLike | None = None,
           sep: str = ">", level: float | None = None) -> MarkovAttribution:
    """Markov-chain attribution with exact removal effects, order 1 to 4.

    Journeys become an absorbing chain: a start state, one state per run of the last
    ``order`` touches, and the exits conversion and null. The conversion probability
    ``P`` and the expected value are solved from ``(I - Q) x = r`` with a proven error
    below 1e-12 (see Notes); removing channel ``c`` sends every state whose latest touch
    is ``c`` nowhere, and its removal effect is ``1 - P(-c) / P``, within 1e-10 for any
    ``P``. Credit is the removal effects normalised to total conversions; value credit
    uses the value removal effects (the expected converting value instead of the
    probability), normalised to total value.

    Parameters
    ----------
    data : Journeys, JourneyStats or table
        Journeys with outcomes, their statistics, or a table of aggregated paths (give the
        column names ``path``, ``conversions`` and optionally ``nulls`` and ``value``).
    order : int or 'auto', default 1
        Touches a state remembers (1–4). ``'auto'`` picks it from the data: the order with
        the best 5-fold held-out log-likelihood of the journeys
        (:func:`~cxpath.attribution.markov_order` with its defaults and ``seed``), kept in
        the result's ``order_choice``.
    collapse_repeats : bool, default False
        Treat a touch equal to the previous one as a single touch (``a > a > b`` is
        ``a > b``). By default repeats stay in the states (``b > b`` is an order-2 state),
        as in ChannelAttribution; either way a state's moves back to itself are left out,
        which changes no probability. At order 1 the option changes nothing; at higher
        orders it changes the states and so the credit (by up to about 6% on
        ChannelAttribution's test paths).
    by : {'touchpoint', 'channel'}, default 'touchpoint'
        Attribute touchpoints, or the channels of the events (journeys with channels).
    exclude : str or sequence of str, optional
        Labels to drop from every path first, e.g. the ``"resolved"`` event that marks
        success.
    n_boot : int, default 0
        Bootstrap resamples of the journeys for percentile intervals (0: none).
    confidence : float, default 0.95
        Confidence level of the bootstrap intervals.
    seed : int or numpy.random.Generator, optional
        Seed of the resampling (an integer >= 0).
    progress : bool or callable, optional
        Report the solves as they finish: ``True`` first prints the chain's state count,
        the number of solves and their estimated time on stderr, then shows a tqdm bar
        (about ten lines on stderr without tqdm); a callable gets ``(done, total)`` after
        each solve, in channel order. There are
        ``(n_boot + 1) * (n_channels + 1)`` solves: the chain, and the removal of each
        channel, for the data and each resample.
    max_states : int, default 200,000
        Cap on the chain's states. A larger chain raises
        :class:`~cxpath.errors.CostError` before any solve, with the state count, the
        number of solves and a rough estimate of their time (within about 2x either way
        on a quiet machine, slower by the machine's load); raise the cap to run it
        anyway. Order 4 over 60 channels reaches 100,000 states with 60,000 journeys, and
        637,000 states with 1M journeys.
    max_solves : int, default 200,000
        Cap on the solves, ``(n_boot + 1) * (n_channels + 1)``. More raise
        :class:`~cxpath.errors.CostError` before any solve, with the count and a rough
        range for the time (the solves plus about 10 ms per fit for resampling and building
        the chain); raise the cap to run it anyway. 60 channels allow 3,000 resamples.
    path, conversions, nulls, value : str, optional
        Columns of an aggregated path table: the path strings, the counts of converting
        and of non-converting journeys on each path (whole numbers >= 0 or booleans), and
        the path's converting value.
    sep : str, default ">"
        Separator in path strings.
    level : float, optional
        Deprecated name of ``confidence``.

    Returns
    -------
    MarkovAttribution
        Channels ranked by their credit, largest first.

    Notes
    -----
    Paths without a non-conversion count have zero nulls: every journey on them
    converted. ChannelAttribution estimates the same quantities by simulating journeys
    through the chain; here they are exact, so repeated runs agree to rounding.

    A converting journey whose value is missing (every value row of the case empty, or a
    NaN in the table's value column) keeps its conversions but adds nothing to the value
    credit or ``total_value``; a :class:`~cxpath.errors.CxpathWarning` says how many
    conversions that concerns and ``missing_value_conversions`` keeps the count. When no
    converting journey has a value the call raises :class:`~cxpath.errors.DataError`.
    Heuristic and Shapley attribution follow the same rule.

    The chain is built in time and memory linear in the events (at most one state per
    event); its state count is checked against ``max_states`` before the solves start.

    The solves follow the chain's structure: states that cannot reach conversion are
    dropped, the strongly connected components (on path data one large component and
    many single states) are solved sinks first, single states exactly and components by
    Gauss-Seidel sweeps, and the removal of ``c`` keeps only the states without ``c``
    and reuses the whole chain's solution wherever it cannot change. Every solve is
    certified: with ``w`` a proven bound on the expected visits to each state from the
    start (the transposed chain, solved once, its own error bounded), the error of
    ``P(-c)`` is at most the residuals weighted by ``w`` plus a small proven term, and
    the sweeps stop only once that is below 1e-12 (1e-12 times the largest value per
    conversion for the value); a chain where the sweeps cannot prove it (very slow
    mixing) is solved by sparse LU instead. A removal effect computed from ``P~`` and
    ``P~(-c)`` with proven errors ``e`` and ``e_c`` is within ``(e + e_c) / P~`` (as
    ``P(-c) <= P``), so for rare conversions (``P`` below about 0.02; value effects when
    the expected value is below about 0.02 times the largest value per conversion) the
    chain and the removals are solved further, to ``5e-11`` times a proven lower bound on
    ``P``: every removal effect is then within 1e-10, whatever ``P`` (an absolute 1e-12
    at ``P = 0.001`` proves only 2e-9). Small chains (channels + 1 times states cubed
    up to 2e9, e.g. 400 states over 20 channels) take dense LUs (exact up to their
    rounding, which is not bounded the same way), nothing to compile; so do
    larger ones whose direct solves are estimated under about 4 s while the sweep kernel
    is neither compiled nor in numba's cache (its first compile takes about that long).
    No BLAS call is involved otherwise, so the time does not swing with BLAS threads on
    a busy machine. From 20,000 states the removals run in batches on threads, one per
    core (the kernels release the GIL); Ctrl-C stops the call between batches.

    References
    ----------
    Anderl, Becker, von Wangenheim, Schumann (2016), Mapping the customer journey: Lessons
    learned from graph-based online attribution modeling. IJRM 33(3).

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import markov
    >>> j = Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1])
    >>> m = markov(j)
    >>> m.channels, round(m.conversion_probability, 4), m.removal_effects.round(4).tolist()
    (('b', 'a'), 0.5, [1.0, 0.3333])
    >>> m.conversions.round(4).tolist()
    [1.5, 0.5]
    """
    options = _options(FUNC, order=order, collapse_repeats=collapse_repeats, n_boot=n_boot,
                       confidence=confidence, level=level, seed=seed, progress=progress,
                       max_states=max_states, max_solves=max_solves)
    paths = prepare(data, FUNC, by=by, exclude=exclude, path=path, conversions=conversions,
                    nulls=nulls, value=value, sep=sep)
    if options["order"] != "auto":
        return _markov(paths, FUNC, **options)
    choice = choose_order(paths, (1, 2, 3, 4), 5, "likelihood", "best", 0.5,
                          options["collapse"], options["rng"], FUNC)
    res = _markov(paths, FUNC, **{**options, "order": choice.chosen})
    return attrs.evolve(res, order_choice=choice)


def _markov(paths: AttributionPaths, func: str, *, order: int, collapse: bool, n_boot: int,
            confidence: float, rng: np.random.Generator, progress, max_states: int,
            max_solves: int = MAX_SOLVES) -> MarkovAttribution:
    """Markov attribution of prepared paths (options checked by :func:`_options`)."""
    from .._budget import check_memory
    from .._progress import reporter

    n = paths.n_channels
    if n_boot:
        check_memory(n_boot * 3 * n * 8.0, func, f"{n_boot:,} bootstrap resamples",
                     how="Ask for fewer resamples (n_boot=), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable.")
    report = reporter(progress, (n_boot + 1) * (n + 1), "solves", func)
    step = _Steps(report)
    try:
        say = _say if progress is True else None
        chain, probs, base, effects = _removal(paths, order, collapse, func, step, max_states,
                                               n_boot + 1, max_solves, say)
        conv_credit = _credit(effects[0], paths.total_conversions)
        value_credit = _credit(effects[1], paths.total_value)
        conv_ci = value_ci = effects_ci = None
        if n_boot:
            draws = np.empty((n_boot, 3, n))
            for b in range(n_boot):
                sample = paths.resampled(rng)
                *_, eff = _removal(sample, order, collapse, func, step, n_fits=n_boot + 1)
                draws[b] = (_credit(eff[0], sample.total_conversions),
                            _credit(eff[1], sample.total_value), eff[0])
            tails = [(1 - confidence) / 2 * 100, (1 + confidence) / 2 * 100]
            conv_ci, value_ci, effects_ci = (np.percentile(draws[:, k], tails, axis=0).T
                                             for k in range(3))
    finally:
        report.close()

    q, r_conv, r_null, _ = probs
    coo = q.tocoo()
    conv_rows, null_rows = np.flatnonzero(r_conv), np.flatnonzero(r_null)
    m = chain.n_states
    res = MarkovAttribution(
        channels=paths.channels, order=order, collapse_repeats=collapse,
        conversion_probability=float(base[0]), expected_value=float(base[1]),
        removal_effects=effects[0], removal_effects_value=effects[1],
        conversions=conv_credit, value=value_credit,
        total_conversions=paths.total_conversions, total_value=paths.total_value,
        unattributed_conversions=paths.unattributed_conversions,
        unattributed_value=paths.unattributed_value, has_value=paths.has_value,
        missing_value_conversions=paths.missing_value_conversions,
        states=(*chain.labels(paths.channels), "(conversion)", "(null)"),
        transition_from=np.concatenate([coo.row, conv_rows, null_rows]).astype(np.int64),
        transition_to=np.concatenate([coo.col, np.full(len(conv_rows), m),
                                      np.full(len(null_rows), m + 1)]).astype(np.int64),
        transition_probability=np.concatenate([coo.data, r_conv[conv_rows],
                                               r_null[null_rows]]),
        n_boot=n_boot, confidence=confidence, conversions_ci=conv_ci, value_ci=value_ci,
        removal_effects_ci=effects_ci)
    return rank_channels(res, res.conversions, _PER_CHANNEL)


_PER_CHANNEL = ("removal_effects", "removal_effects_value", "conversions", "value",
                "conversions_ci", "value_ci", "removal_effects_ci")

