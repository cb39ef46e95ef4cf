"""All attribution models in one call, in one table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import _validate as v
from ..journeys import Journeys
from .heuristic import HEURISTIC_MODELS, heuristic
from .markov import markov
from .result import Attribution
from .shapley import shapley

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ColumnLike, TableLike
    from ..journeys import JourneyStats

__all__ = ["MODELS", "attribute"]

FUNC = "attribution.attribute"
MODELS = (*HEURISTIC_MODELS, "markov_1", "markov_2", "markov_3", "markov_4", "shapley")
DEFAULT = ("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov_1",
           "shapley")


def attribute(data: Journeys | JourneyStats | TableLike,
              models: str | Sequence[str] | None = None, *, by: str = "touchpoint",
              exclude: str | Sequence[str] | None = None, path: ColumnLike | None = None,
              conversions: ColumnLike | None = None, nulls: ColumnLike | None = None,
              value: ColumnLike | None = None, sep: str = ">",
              **options: Any) -> Attribution:
    """Run several attribution models on the same journeys and compare their credit.

    Parameters
    ----------
    data : Journeys, JourneyStats or table
        As in :func:`markov`.
    models : sequence of str, optional
        Names from ``MODELS`` (``"markov"`` means ``"markov_1"``). By default first touch,
        last touch, linear, position-based, time decay (when the data have times),
        first-order Markov and Shapley.
    by, exclude, path, conversions, nulls, value, sep
        As in :func:`markov`.
    **options
        Passed on: ``half_life``, ``first``, ``last`` to :func:`heuristic`;
        ``collapse_repeats``, ``n_boot``, ``level``, ``seed``, ``progress`` to
        :func:`markov`; ``method``, ``n_permutations`` to :func:`shapley`.

    Returns
    -------
    Attribution
        One row per channel and one column per model, channels ranked by the headline
        model's credit (the first Markov or Shapley model asked for); ``details`` holds the
        Markov and Shapley results.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import attribute
    >>> j = Journeys.from_paths(["web > chat", "web", "chat"], conversions=[3, 1, 1],
    ...                         nulls=[1, 5, 0])
    >>> a = attribute(j, models=("first_touch", "markov", "shapley"))
    >>> a.to_frame("dict")["shapley"].tolist()
    [2.5, 2.5]
    """
    explicit = models is not None
    if models is None:
        models = DEFAULT
    models = (models,) if isinstance(models, str) else tuple(models)
    models = tuple("markov_1" if m == "markov" else m for m in models)
    for m in models:
        v.check_option(m, "models", FUNC, (*MODELS, "markov"))
    groups = {"heuristic": ("half_life", "first", "last"),
              "markov": ("collapse_repeats", "n_boot", "level", "seed", "progress"),
              "shapley": ("method", "n_permutations", "seed")}
    known = {name for names in groups.values() for name in names}
    for name in options:
        if name not in known:
            v.fail(name, FUNC, f"one of the model options ({', '.join(sorted(known))})",
                   options[name])
    common = dict(by=by, exclude=exclude, path=path, conversions=conversions, nulls=nulls,
                  value=value, sep=sep)

    def opts(kind):
        return {k: options[k] for k in groups[kind] if k in options}

    result = None
    rules = [m for m in models if m in HEURISTIC_MODELS]
    if rules:
        timed = isinstance(data, Journeys) and data.times is not None
        if not explicit and not timed:  # time decay by default only when there are times
            rules.remove("time_decay")
        result = heuristic(data, rules, **common, **opts("heuristic"))
    for m in models:
        if m.startswith("markov_"):
            part = markov(data, order=int(m[-1]), **common, **opts("markov")).to_attribution()
        elif m == "shapley":
            part = shapley(data, **common, **opts("shapley")).to_attribution()
        else:
            continue
        result = part if result is None else result.join(part)
    order = [result.models.index(m) for m in models if m in result.models]
    return Attribution(channels=result.channels, models=tuple(result.models[i] for i in order),
                       conversions=result.conversions[order],
                       value=None if result.value is None else result.value[order],
                       total_conversions=result.total_conversions,
                       total_value=result.total_value,
                       unattributed_conversions=result.unattributed_conversions,
                       unattributed_value=result.unattributed_value,
                       details=result.details)._ranked()
