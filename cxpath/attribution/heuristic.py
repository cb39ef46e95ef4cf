"""Rule-based attribution: first and last touch, linear, position-based, time decay."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from ._paths import AttributionPaths, prepare
from .result import Attribution

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ColumnLike, TableLike
    from ..journeys import Journeys, JourneyStats

__all__ = ["HEURISTIC_MODELS", "heuristic"]

FUNC = "attribution.heuristic"
HEURISTIC_MODELS = ("first_touch", "last_touch", "linear", "linear_unique", "position_based",
                    "time_decay")
DAY = 86400.0


def heuristic(data: Journeys | JourneyStats | TableLike,
              models: str | Sequence[str] | None = None, *, half_life: float = 7 * DAY,
              first: float = 0.4, last: float = 0.4, by: str = "touchpoint",
              exclude: str | Sequence[str] | None = None, path: ColumnLike | None = None,
              conversions: ColumnLike | None = None, nulls: ColumnLike | None = None,
              value: ColumnLike | None = None, sep: str = ">") -> Attribution:
    """Credit each converting journey's conversions and value by a fixed rule.

    Parameters
    ----------
    data : Journeys, JourneyStats or table
        As in :func:`markov`.
    models : sequence of str, optional
        Any of ``HEURISTIC_MODELS``; all that the data allow by default (``time_decay``
        needs event times, so only journeys with timestamps have it).
    half_life : float, default 7 days
        Time decay half-life in seconds: a touch ``half_life`` before the journey's last
        event weighs half as much as one at that event; weights are normalised per journey.
    first, last : float, default 0.4
        Position-based shares of the first and last touch; the rest is split equally over
        the touches between. A one-touch journey gives it everything; a two-touch journey
        splits ``first : last`` (0.5/0.5 by default).
    by, exclude, path, conversions, nulls, value, sep
        As in :func:`markov`.

    Returns
    -------
    Attribution
        One row per channel, ranked by the first model's credit (largest first), one column
        per model.

    Notes
    -----
    Repeated touches count once per touch in ``linear``, ``position_based`` and
    ``time_decay`` (ChannelAttribution's linear model does the same); ``linear_unique``
    splits equally over the distinct channels of the journey instead. The time decay
    reference is the journey's last event before ``exclude`` removes any (the resolution
    or conversion itself when it is an event).

    A converting journey without a value keeps its conversions but adds nothing to the
    value credit, with a :class:`~cxpath.errors.CxpathWarning` and the count in
    ``missing_value_conversions`` (see :func:`markov`).

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import heuristic
    >>> j = Journeys.from_paths(["web > app > web"], conversions=[6])
    >>> h = heuristic(j, models=("first_touch", "linear", "linear_unique", "position_based"))
    >>> h.channels, h.to_frame("dict")["linear"].tolist(), h.conversions[-1].round(6).tolist()
    (('web', 'app'), [4.0, 2.0], [4.8, 1.2])
    """
    half_life, first, last = _options(FUNC, half_life, first, last)
    paths = prepare(data, FUNC, by=by, exclude=exclude, path=path, conversions=conversions,
                    nulls=nulls, value=value, sep=sep)
    return _heuristic(paths, _models(FUNC, models, paths), half_life, first, last)


def _options(func: str, half_life, first, last) -> tuple[float, float, float]:
    """Checked ``half_life``, ``first`` and ``last`` (errors name ``func``)."""
    half_life = v.check_real(half_life, "half_life", func, low=0, closed="neither")
    first = v.check_real(first, "first", func, low=0, high=1)
    last = v.check_real(last, "last", func, low=0, high=1)
    if first + last > 1 or first + last == 0:
        v.fail("first", func, "a share that with 'last' adds up to more than 0 and at most 1",
               got=f"first={first}, last={last}")
    return half_life, first, last


def model_names(models, func: str) -> tuple:
    """``models`` (a name or a sequence of names) as a tuple of strings."""
    if isinstance(models, str):
        return (models,)
    try:
        names = tuple(models)
    except TypeError:
        names = None
    if isinstance(models, (bytes, dict)) or names is None or not all(
            isinstance(m, str) for m in names):
        v.fail("models", func, "a model name or a sequence of model names", models,
               wrong_type=True)
    return names


def _models(func: str, models, paths: AttributionPaths) -> tuple:
    """Checked heuristic model names; all that the data allow when ``models`` is None."""
    timed = paths.times is not None
    if models is None:
        return tuple(m for m in HEURISTIC_MODELS if timed or m != "time_decay")
    models = model_names(models, func)
    if not models:
        v.fail("models", func, f"at least one of {', '.join(HEURISTIC_MODELS)}", models)
    for m in models:
        v.check_option(m, "models", func, HEURISTIC_MODELS)
    if "time_decay" in models and not timed:
        v.fail("models", func, "models without 'time_decay' for journeys without event "
               "times (JourneyStats and aggregated paths have none)", "time_decay")
    return models


def _heuristic(paths: AttributionPaths, models: tuple, half_life: float, first: float,
               last: float) -> Attribution:
    """The heuristic credit of prepared paths."""
    from .._kernels._jit import by_work
    from .._kernels.attribution import heuristic_credit
    from ..journeys.stats import INTERPRETED_EVENTS

    timed = paths.times is not None
    empty = np.zeros(0)
    run = by_work(heuristic_credit, len(paths.codes), INTERPRETED_EVENTS)
    conv, val = run(paths.codes, paths.offsets, paths.times if timed else empty,
                    paths.end_time if timed else empty, paths.conversions, paths.value,
                    paths.n_channels, half_life, first, last)
    rows = [HEURISTIC_MODELS.index(m) for m in models]
    return Attribution(channels=paths.channels, models=models, conversions=conv[rows],
                       value=val[rows] if paths.has_value else None,
                       total_conversions=paths.total_conversions,
                       total_value=paths.total_value,
                       unattributed_conversions=paths.unattributed_conversions,
                       unattributed_value=paths.unattributed_value,
                       missing_value_conversions=paths.missing_value_conversions)._ranked()
