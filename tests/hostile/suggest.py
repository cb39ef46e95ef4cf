"""A first guess at a registry entry for a new callable, from its annotations and names.

The coverage test prints it when a public callable has no entry; check the kinds and paste
it into :mod:`hostile.registry`.
"""

from __future__ import annotations

import inspect

from .api import Callable

_PROBABILITY = {"confidence", "level", "quantile", "q", "p", "service_level", "min_coverage",
                "cut", "cutoff", "threshold", "min_share", "label_share", "max_abandon",
                "cr_threshold", "ave_threshold", "htmt_threshold", "alpha", "alpha_d",
                "alpha_p", "beta", "gamma", "phi", "first", "last", "flag_level", "lam",
                "share", "coverage", "target", "promoters", "detractors", "rtol"}
_COUNT_PREFIXES = ("n_", "max_", "min_", "top")
_COUNT = {"h", "horizon", "m", "k", "window", "order", "periods", "steps", "refit",
          "restarts", "split_every", "npaths", "capacity", "run_length", "trend_length",
          "mixture_length", "alternating_length", "stratification_length", "promax_power",
          "length", "agents", "n", "indent", "rows", "count", "season_length", "i", "index"}
_COLUMNS = {"case", "touchpoint", "timestamp", "channel", "outcome", "value", "by", "customer",
            "resource", "column", "key", "segment", "start_timestamp", "lifecycle", "id",
            "object_type", "attribute", "label", "node", "u", "v", "success", "color_by"}
_TEXT = {"title", "caption", "name", "text", "sep", "note", "source", "action", "cause",
         "effect", "function", "step", "owner", "prevention", "detection_control",
         "how_to_read", "generated", "version", "failure_mode", "role", "code", "spec",
         "color", "fill", "stroke", "text_color", "delimiter", "weekmask", "unit", "path"}


def kind_of(name: str, annotation: str, default=inspect.Parameter.empty) -> str:
    """The parameter kind (see :data:`hostile.strategies.KIND_NAMES`) guessed for one param."""
    a = annotation.replace(" | None", "").replace("None | ", "").strip()
    if name in ("seed", "random_state", "rng"):
        return "seed"
    if name == "ax" or "Axes" in a:
        return "axes"
    if "Journeys" in a and ("JourneyStats" in a or "TableLike" in a):
        return "stats"
    if "Journeys" in a and "JourneyGraph" not in a:
        return "journeys"
    if "JourneyStats" in a:
        return "stats"
    if "JourneyGraph" in a or "DiGraph" in a:
        return "graph"
    if "BusinessCalendar" in a or "CalendarSet" in a or name == "calendar":
        return "calendar"
    if "PathLike" in a or "IO[" in a or name in ("out_dir", "folder"):
        return "path"
    if "DurationLike" in a or name in ("sla", "interval", "half_life", "patience", "seconds"):
        return "duration"
    if "TimeLike" in a or "date" in a or name in ("start", "end", "as_of", "at", "t"):
        return "instant"
    if "TableLike" in a and "ArrayLike" in a:
        return "matrix"
    if "TableLike" in a or "DataFrame" in a or name in ("data", "frame", "ddf"):
        return "frame"
    if a.startswith("Callable") or (name == "func" and "str" not in a):
        return "callable"
    if a == "bool" or name in ("progress", "strict", "force"):
        return "bool"
    if a.startswith("int") and "ArrayLike" not in a and "Iterable" not in a:
        if name in _COUNT or name.startswith(_COUNT_PREFIXES):
            return "count"
        return "int"
    if a.startswith("float") and "Sequence" not in a and "ArrayLike" not in a:
        return "probability" if name in _PROBABILITY else "real"
    if "ColumnLike" in a:
        return "column"
    if any(s in a for s in ("ArrayLike", "np.ndarray", "Sequence[float]", "Iterable[float]",
                            "Iterable[int]", "Sequence[int]")):
        return "array"
    if "Sequence[str]" in a or "Iterable[str]" in a:
        return "labels"
    if "Mapping" in a or a.startswith("dict"):
        return "mapping"
    if a.startswith("str") or a in ("object", "Any"):
        if name in _COLUMNS:
            return "column"
        if name in _TEXT:
            return "text"
        if isinstance(default, str) or a.startswith("str"):
            return "option"
    if a[:1].isupper() and a.isidentifier() and a != "Any":
        return "result"
    return "any"


def suggest(target: Callable) -> str:
    """The registry line for ``target``."""
    kinds = {}
    for p in target.params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        kinds[p.name] = kind_of(p.name, str(p.annotation), p.default)
    body = ", ".join(f"{k!r}: {v!r}" for k, v in kinds.items())
    return f"    {target.name!r}: E({{{body}}}),"
