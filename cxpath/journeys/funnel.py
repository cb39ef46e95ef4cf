"""Funnels: how many journeys reach each of a sequence of steps, and where the rest go."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, drawn_by, duration_columns, result
from .model import Journeys, elapsed

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..calendar import BusinessCalendar
    from .segments import Segmented

__all__ = ["Funnel", "funnel"]

MODES = {"ordered": 0, "consecutive": 1, "any_order": 2}
END = "(journey ended)"


@drawn_by("funnel")
@result
class Funnel(Result):
    """Reach and conversion per funnel step.

    Attributes
    ----------
    steps : ndarray of str
    mode : str
    reached : ndarray of int
        Weighted cases reaching each step (and every step before it).
    step_conversion, overall_conversion : ndarray of float
        Reach over the previous step's reach, and over the cases entering the funnel
        (reaching step 1). Step 1's conversions are 1.
    entry_rate : float
        Share of all cases reaching step 1.
    median_time : ndarray of float
        Median seconds from the previous step to this one (NaN for step 1, for
        ``mode='any_order'`` and without times).
    went_next : ndarray of str
        For the cases reaching a step but not the next, their most common next touchpoints
        (``'(journey ended)'`` when nothing followed), with shares.
    clock : str
        ``'elapsed time'``, or the business calendar the step times were measured on.
    step, median_time_s, lost_went_to : ndarray
        ``steps``, ``median_time`` (seconds) and ``went_next`` under their column names.
    """

    steps: np.ndarray
    mode: str
    reached: np.ndarray
    step_conversion: np.ndarray
    overall_conversion: np.ndarray
    entry_rate: float
    median_time: np.ndarray
    went_next: np.ndarray
    clock: str = "elapsed time"

    _duration_columns = duration_columns(median_time_s=1.0)
    _key = "step"
    step = alias("steps")
    median_time_s = alias("median_time")
    lost_went_to = alias("went_next")

    def _summary(self):
        clock = "" if self.clock == "elapsed time" else f"; step times on {self.clock}"
        return [f"mode {self.mode}; {self.entry_rate:.1%} of cases enter the funnel{clock}"]

    def _columns(self):
        return {"step": self.steps, "reached": self.reached,
                "step_conversion": self.step_conversion,
                "overall_conversion": self.overall_conversion,
                "median_time_s": self.median_time, "lost_went_to": self.went_next}


def funnel(journeys: Journeys, steps: Sequence[str], mode: str = "ordered", top_next: int = 3,
           *, by: str | None = None,
           calendar: BusinessCalendar | None = None) -> Funnel | Segmented:
    """Funnel analysis over touchpoint steps.

    Parameters
    ----------
    journeys : Journeys
    steps : sequence of str
        Touchpoint labels, at least one.
    mode : {'ordered', 'consecutive', 'any_order'}
        ``'ordered'``: the steps in this order, other touchpoints allowed in between (first
        match of each step after the previous one); ``'consecutive'``: the steps as an
        unbroken run (a case reaches step *k* when its longest run of the first steps has
        length ≥ *k*); ``'any_order'``: a case reaches step *k* when it contains steps 1…*k*
        in any order.
    top_next : int, default 3
        How many next touchpoints to list for the cases lost after each step.
    by : str, optional
        Drill down by a case attribute (product, priority, region …): the analysis runs
        on the cases of each segment and returns a
        :class:`~cxpath.journeys.segments.Segmented` (one table, the segment first).
    calendar : cxpath.calendar.BusinessCalendar, optional
        Measure the times in business seconds on this calendar (naive journeys are read
        as local time in its zone); the result's ``clock`` says which clock was used.

    Returns
    -------
    Funnel, or Segmented of Funnel with ``by``

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import funnel
    >>> j = Journeys.from_paths(["ivr > agent > resolved", "ivr > chatbot", "web"])
    >>> funnel(j, ["ivr", "agent", "resolved"]).reached.tolist()
    [2, 1, 1]
    """
    from .._kernels.paths import funnel_match
    from .stats import business_time, check_calendar, clock_name

    func = "journeys.funnel"
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
    calendar = check_calendar(calendar, func)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func, lambda sub: funnel(
            sub, steps, mode, top_next, calendar=calendar))
    v.check_option(mode, "mode", func, tuple(MODES))
    top_next = v.check_int(top_next, "top_next", func, low=1)
    if isinstance(steps, str) or v.ndim(steps) != 1 or len(steps) == 0:
        v.fail("steps", func, "a non-empty sequence of touchpoint labels", steps,
               wrong_type=isinstance(steps, str) or v.ndim(steps) == 0)
    index = {label: i for i, label in enumerate(journeys.vocab)}
    unknown = [s for s in steps if not isinstance(s, str) or s not in index]
    if unknown:
        v.fail("steps", func, "touchpoints of the journeys",
               got=f"unknown labels {v.show_list(unknown)}")
    codes = np.array([index[s] for s in steps], dtype=np.int64)
    pos = funnel_match(journeys.codes, journeys.offsets, codes, MODES[mode])
    w = journeys.case_weights
    hit = pos >= 0
    reached = (hit * w[:, None]).sum(axis=0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        step_conv = reached / np.r_[reached[0], reached[:-1]]
        overall = reached / reached[0]
    median = np.full(len(steps), np.nan)
    if journeys.times is not None and mode != "any_order":
        for k in range(1, len(steps)):
            both = hit[:, k]
            if both.any():
                later = journeys.event_starts[pos[both, k]]
                earlier = journeys.times[pos[both, k - 1]]
                gaps = elapsed(later, earlier) if calendar is None else business_time(
                    journeys, calendar, earlier, later)
                if journeys.starts is not None:  # overlapping instances wait 0
                    gaps = np.maximum(gaps, 0.0)
                median[k] = float(np.median(np.repeat(gaps, w[both])))
    went = []
    labels = journeys.vocab
    case_end = journeys.offsets[1:]
    for k in range(len(steps)):
        lost = hit[:, k] & (~hit[:, k + 1] if k + 1 < len(steps) else False)
        if k + 1 == len(steps) or not lost.any():
            went.append("")
            continue
        after = pos[lost, k] + 1
        nxt = [labels[journeys.codes[a]] if a < e else END
               for a, e in zip(after, case_end[lost])]
        tally = Counter()
        for name, weight in zip(nxt, w[lost]):
            tally[name] += int(weight)
        total = sum(tally.values())
        went.append(", ".join(f"{name} {c / total:.0%}" for name, c in
                              sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:top_next]))
    return Funnel(steps=np.asarray(steps, dtype=object), mode=mode, reached=reached,
                  step_conversion=step_conv, overall_conversion=overall,
                  entry_rate=float(reached[0] / max(w.sum(), 1)), median_time=median,
                  went_next=np.asarray(went, dtype=object),
                  clock=clock_name(journeys, calendar))
