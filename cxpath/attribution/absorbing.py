"""Absorbing-chain measures per touchpoint: success probability, steps and time to the end."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, duration_columns, in_hours, result
from ..journeys import Journeys, JourneyStats
from ._chain import build_chain, solve_absorbing
from ._paths import prepare

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["AbsorbingMeasures", "absorbing_measures"]

FUNC = "attribution.absorbing_measures"


@result
class AbsorbingMeasures(Result):
    """What the first-order chain expects once a journey is at each touchpoint.

    Attributes
    ----------
    touchpoints : tuple of str
    touchpoint : ndarray of object
        ``touchpoints`` as the table's column.
    visits : ndarray
        Weighted visits to each touchpoint in the chain.
    success_probability : ndarray
        Probability that a journey now at the touchpoint ends in success.
    observed_success_rate : ndarray
        Share of the journeys reaching the touchpoint that succeeded (the data's answer,
        for comparison with the chain's).
    expected_steps : ndarray
        Expected further transitions until the journey ends (the last one being the exit).
    expected_time, expected_time_to_success : ndarray or None
        Expected time in seconds until the journey ends, and until success among the
        journeys that succeed (NaN where success is impossible); None without times.
    expected_time_h, expected_time_to_success_h : ndarray or None
        The same in hours (the table's columns).
    start_success_probability, start_expected_steps : float
        The same measures from the start of a journey.
    """

    touchpoints: tuple
    visits: np.ndarray
    success_probability: np.ndarray
    observed_success_rate: np.ndarray
    expected_steps: np.ndarray
    start_success_probability: float
    start_expected_steps: float
    expected_time: np.ndarray | None = None
    expected_time_to_success: np.ndarray | None = None

    _duration_columns = duration_columns(expected_time_h=3600.0,
                                         expected_time_to_success_h=3600.0)
    _key = "touchpoint"
    expected_time_h = in_hours("expected_time")
    expected_time_to_success_h = in_hours("expected_time_to_success")

    @property
    def touchpoint(self) -> np.ndarray:
        """``touchpoints`` as the table's column."""
        return np.array(self.touchpoints, dtype=object)

    def _columns(self) -> dict:
        cols = {"touchpoint": self.touchpoint, "visits": self.visits,
                "success_probability": self.success_probability,
                "observed_success_rate": self.observed_success_rate,
                "expected_steps": self.expected_steps}
        if self.expected_time is not None:
            cols["expected_time_h"] = self.expected_time_h
            cols["expected_time_to_success_h"] = self.expected_time_to_success_h
        return cols

    def _summary(self) -> list[str]:
        return [f"From the start: P(success) = {self.start_success_probability:.4g}, "
                f"{self.start_expected_steps:.4g} expected transitions"]


def _mean_waits(data, paths, n: int, exclude) -> np.ndarray | None:
    """Mean time of each observed transition between touchpoints (n × n), or None."""
    if isinstance(data, JourneyStats):
        if not data.has_times or exclude is not None:
            return None
        return np.divide(data.wait_sum, data.wait_count, out=np.zeros((n, n)),
                         where=data.wait_count > 0)
    if paths.times is None:
        return None
    inside = np.ones(len(paths.codes), dtype=bool)
    inside[paths.offsets[1:] - 1] = False
    idx = np.flatnonzero(inside)
    edge = paths.codes[idx] * n + paths.codes[idx + 1]
    wait = paths.times[idx + 1] - paths.times[idx]
    w = np.repeat(paths.conversions + paths.nulls, np.diff(paths.offsets))[idx]
    total = np.bincount(edge, weights=wait * w, minlength=n * n)
    count = np.bincount(edge, weights=w, minlength=n * n)
    return np.divide(total, count, out=np.zeros(n * n), where=count > 0).reshape(n, n)


def absorbing_measures(data: Journeys | JourneyStats, *, by: str = "touchpoint",
                       exclude: str | Sequence[str] | None = None,
                       collapse_repeats: bool = False) -> AbsorbingMeasures:
    """Success probability, expected steps and expected time from every touchpoint.

    The journeys make a first-order absorbing chain (exits: success and drop). With ``Q``
    the transient part and ``N = (I - Q)⁻¹`` its fundamental matrix, a touchpoint's
    success probability is ``N r`` (``r``: one-step success probabilities), its expected
    remaining transitions ``N 1``, and its expected remaining time ``N b`` with ``b`` the
    expected time of the next transition. Time to success conditions the chain on
    success (Doob's h-transform: ``Q'ᵢⱼ = Qᵢⱼ hⱼ / hᵢ`` with ``h`` the success
    probabilities).

    Parameters
    ----------
    data : Journeys or JourneyStats
        Journeys with outcomes (times give the time measures).
    by, exclude
        As in :func:`markov`.
    collapse_repeats : bool, default False
        Count a repeated touch as one step.

    Returns
    -------
    AbsorbingMeasures

    References
    ----------
    Kemeny and Snell (1976), Finite Markov Chains, chapter III (absorbing chains).

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import absorbing_measures
    >>> j = Journeys.from_paths(["ivr > agent", "ivr"], conversions=[3, 0], nulls=[1, 4])
    >>> a = absorbing_measures(j)
    >>> a.success_probability.round(3).tolist(), a.expected_steps.tolist()
    ([0.75, 0.375], [1.0, 1.5])
    """
    if not isinstance(data, (Journeys, JourneyStats)):
        v.fail("data", FUNC, "Journeys or JourneyStats",
               got=f"an object of type {type(data).__name__}", wrong_type=True)
    collapse = v.check_bool(collapse_repeats, "collapse_repeats", FUNC)
    paths = prepare(data, FUNC, by=by, exclude=exclude, use_value=False)
    n = paths.n_channels
    chain = build_chain(paths, 1, collapse, FUNC)
    q, r_conv, _, _ = chain.probabilities()
    m = chain.n_states
    solved = solve_absorbing(q, np.column_stack([r_conv, np.ones(m)]))
    state_of = np.full(n, -1)
    state_of[chain.last_channel()[1:]] = np.arange(1, m)
    present = state_of >= 0

    def per_touchpoint(x, fill=0.0):
        out = np.full(n, fill)
        out[present] = x[state_of[present]]
        return out

    visits = per_touchpoint(chain.out_total)
    reach = np.zeros(n)
    reach_ok = np.zeros(n)
    case = np.repeat(np.arange(len(paths.offsets) - 1), np.diff(paths.offsets))
    first_visit = np.unique(case * n + paths.codes)
    np.add.at(reach, first_visit % n, (paths.conversions + paths.nulls)[first_visit // n])
    np.add.at(reach_ok, first_visit % n, paths.conversions[first_visit // n])
    measures = dict(
        touchpoints=paths.channels, visits=visits,
        success_probability=per_touchpoint(solved[:, 0]),
        observed_success_rate=np.divide(reach_ok, reach, out=np.zeros(n), where=reach > 0),
        expected_steps=per_touchpoint(solved[:, 1]),
        start_success_probability=float(solved[0, 0]),
        start_expected_steps=float(solved[0, 1]))
    waits = _mean_waits(data, paths, n, exclude)
    if waits is not None:
        src = chain.last_channel()
        coo = q.tocoo()
        inner = src[coo.row] >= 0
        step_wait = np.zeros(coo.nnz)
        step_wait[inner] = waits[src[coo.row[inner]], src[coo.col[inner]]]
        b = np.bincount(coo.row, weights=coo.data * step_wait, minlength=m)
        h = solved[:, 0]
        alive = h > 0
        scale = np.divide(1.0, h, out=np.zeros(m), where=alive)
        import scipy.sparse as sp

        q_ok = (sp.diags(scale) @ q @ sp.diags(h)).tocsr()
        b_ok = np.bincount(coo.row, weights=coo.data * step_wait * h[coo.col],
                           minlength=m) * scale
        t_all = solve_absorbing(q, b)[:, 0]
        t_ok = solve_absorbing(q_ok, b_ok, keep=alive)[:, 0]
        t_ok[~alive] = np.nan
        measures["expected_time"] = per_touchpoint(t_all)
        measures["expected_time_to_success"] = per_touchpoint(t_ok, np.nan)
    return AbsorbingMeasures(**measures)
