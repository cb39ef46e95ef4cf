"""Cross-channel switching: how journeys move between channels and what it costs."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._results import Result, alias, duration_columns, result
from .model import Journeys

__all__ = ["ChannelSwitching", "channel_switching"]


@result
class ChannelSwitching(Result):
    """Channel-to-channel movement and outcomes by number of switches.

    Attributes
    ----------
    channels : tuple of str
    matrix : ndarray (n_channels, n_channels)
        Weighted transitions between consecutive events' channels (unknown channels left
        out); the diagonal holds stays in the same channel.
    switch_share : float
        Share of cases with at least one channel switch.
    switches : ndarray of int
        0, 1, 2 and "3 or more" (3) switches per case; the table shows them as ``'0'``,
        ``'1'``, ``'2'`` and ``'3+'``.
    cases, success_rate, median_duration : ndarray
        Per number of switches.
    dropoff_after_switch, dropoff_after_stay : float
        Share of switch (stay) transitions after which the case ended without success.
    median_duration_s : ndarray
        ``median_duration`` (seconds) under its column name.
    """

    channels: tuple
    matrix: np.ndarray
    switch_share: float
    switches: np.ndarray
    cases: np.ndarray
    success_rate: np.ndarray
    median_duration: np.ndarray
    dropoff_after_switch: float
    dropoff_after_stay: float

    _duration_columns = duration_columns(median_duration_s=1.0)
    median_duration_s = alias("median_duration")

    def _summary(self):
        return [f"{self.switch_share:.1%} of cases switch channel; drop-off right after a "
                f"switch {self.dropoff_after_switch:.1%} vs after staying "
                f"{self.dropoff_after_stay:.1%}"]

    def _columns(self):
        return {"switches": np.array(["0", "1", "2", "3+"], dtype=object)[self.switches],
                "cases": self.cases, "success_rate": self.success_rate,
                "median_duration_s": self.median_duration}


def channel_switching(journeys: Journeys) -> ChannelSwitching:
    """Channel-switch matrix, share of switching journeys and their outcomes.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import channel_switching
    >>> j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["faq", "agent", "faq", "faq"],
    ...                          channel=["web", "phone", "web", "web"], outcome=[1, 1, 0, 0])
    >>> cs = channel_switching(j)
    >>> cs.switch_share, cs.matrix.tolist()
    (0.5, [[0, 0], [1, 1]])
    """
    from .stats import case_facts, transition_index

    func = "journeys.channel_switching"
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object", got=type(journeys).__name__)
    if journeys.channels is None:
        v.fail("journeys", func, "journeys with channels (channel=)", got="no channels")
    m = len(journeys.channel_vocab)
    facts = case_facts(journeys)
    w, ok = facts["weight"], facts["success"]
    idx = transition_index(journeys)  # events idx and idx + 1 share a case
    case = np.searchsorted(journeys.offsets, idx, side="right") - 1
    a, b = journeys.channels[idx], journeys.channels[idx + 1]
    known = (a >= 0) & (b >= 0)
    matrix = np.bincount(a[known] * m + b[known], weights=w[case[known]],
                         minlength=m * m).reshape(m, m).astype(np.int64)
    switch = known & (a != b)
    per_case = np.bincount(case[switch], minlength=len(journeys))
    bucket = np.minimum(per_case, 3)
    cases = np.bincount(bucket, weights=w, minlength=4)
    success = np.bincount(bucket, weights=w * ok, minlength=4)
    median = np.full(4, np.nan)
    if facts["duration"] is not None:
        for k in range(4):
            if (bucket == k).any():
                median[k] = float(np.median(facts["duration"][bucket == k]))
    last_transition = idx + 2 == journeys.offsets[1:][case]
    ended_bad = last_transition & ~ok[case]
    stay = known & (a == b)

    def rate(mask):
        total = w[case[mask]].sum()
        return float(w[case[mask & ended_bad]].sum() / total) if total else float("nan")

    with np.errstate(invalid="ignore", divide="ignore"):
        success_rate = success / cases
    return ChannelSwitching(channels=journeys.channel_vocab, matrix=matrix,
                            switch_share=float(w[per_case > 0].sum() / max(w.sum(), 1)),
                            switches=np.arange(4), cases=cases.astype(np.int64),
                            success_rate=success_rate, median_duration=median,
                            dropoff_after_switch=rate(switch), dropoff_after_stay=rate(stay))
