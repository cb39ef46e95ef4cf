"""All attribution models in one call, in one table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import _validate as v
from ._paths import check_seed, prepare
from .heuristic import DAY, HEURISTIC_MODELS, _heuristic, _models, model_names
from .heuristic import _options as _heuristic_options
from .markov import MAX_STATES, _markov
from .markov import _options as _markov_options
from .result import Attribution
from .shapley import _options as _shapley_options
from .shapley import _shapley

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ColumnLike, TableLike
    from ..journeys import Journeys, JourneyStats

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
        ``collapse_repeats``, ``n_boot``, ``confidence`` (or ``level``), ``seed``,
        ``progress``, ``max_states`` to :func:`markov`; ``method``, ``n_permutations``
        (and ``seed``) to :func:`shapley`. Every option is checked before the data are
        read, and errors name ``attribution.attribute``.

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
    models = DEFAULT if models is None else model_names(models, FUNC)
    models = tuple("markov_1" if m == "markov" else m for m in models)
    if not models:
        v.fail("models", FUNC, f"at least one of {', '.join(MODELS)}", models)
    for m in models:
        v.check_option(m, "models", FUNC, (*MODELS, "markov"))
    models = tuple(dict.fromkeys(models))  # a model asked for twice is one column
    groups = {"heuristic": ("half_life", "first", "last"),
              "markov": ("collapse_repeats", "n_boot", "confidence", "level", "seed",
                         "progress", "max_states"),
              "shapley": ("method", "n_permutations", "seed")}
    known = {name for names in groups.values() for name in names}
    for name in options:
        if name not in known:
            v.fail(name, FUNC, f"one of the model options ({', '.join(sorted(known))})",
                   options[name])
    defaults = {"half_life": 7 * DAY, "first": 0.4, "last": 0.4, "collapse_repeats": False,
                "n_boot": 0, "confidence": 0.95, "level": None, "seed": None,
                "progress": None, "max_states": MAX_STATES, "method": "auto",
                "n_permutations": 1000}
    opt = {**defaults, **options}
    rules = [m for m in models if m in HEURISTIC_MODELS]
    markov_orders = [int(m[-1]) for m in models if m.startswith("markov_")]
    # every option is checked before the data are read, and errors name attribute
    rule_opts = _heuristic_options(FUNC, opt["half_life"], opt["first"],
                                   opt["last"]) if rules else None
    markov_opts = _markov_options(
        FUNC, order=1, collapse_repeats=opt["collapse_repeats"], n_boot=opt["n_boot"],
        confidence=opt["confidence"], level=opt["level"], seed=opt["seed"],
        progress=opt["progress"], max_states=opt["max_states"]) if markov_orders else None
    shapley_opts = _shapley_options(FUNC, method=opt["method"],
                               n_permutations=opt["n_permutations"],
                               seed=opt["seed"]) if "shapley" in models else None
    paths = prepare(data, FUNC, by=by, exclude=exclude, path=path, conversions=conversions,
                    nulls=nulls, value=value, sep=sep)

    result = None
    if rules:
        if not explicit and paths.times is None:  # time decay by default only with times
            rules.remove("time_decay")
        result = _heuristic(paths, _models(FUNC, rules, paths), *rule_opts)
    for m in models:
        if m.startswith("markov_"):
            part = _markov(paths, FUNC, **{**markov_opts, "order": int(m[-1]),
                                              "rng": check_seed(opt["seed"], FUNC)}
                              ).to_attribution()
        elif m == "shapley":
            part = _shapley(paths, FUNC, **{**shapley_opts,
                                               "rng": check_seed(opt["seed"], FUNC)}
                               ).to_attribution()
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
                       missing_value_conversions=result.missing_value_conversions,
                       details=result.details)._ranked()
