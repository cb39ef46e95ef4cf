"""Helpers shared by the readers: path checks and the hand-over to ``Journeys``."""

from __future__ import annotations

import inspect
import os
import pathlib

import numpy as np

from .. import _validate as v

__all__ = ["check_path", "to_journeys"]


def check_path(path, func: str, suffixes: tuple[str, ...], what: str) -> pathlib.Path:
    """``path`` as a Path to an existing file whose name ends with one of ``suffixes``
    (``suffixes=()`` accepts any name)."""
    if not isinstance(path, (str, os.PathLike)):
        v.fail("path", func, "a file path (str or os.PathLike)", path)
    p = pathlib.Path(path)
    if suffixes and not p.name.lower().endswith(suffixes):
        v.fail("path", func, f"{what} ({', '.join(suffixes)})", got=repr(str(path)))
    if not p.is_file():
        v.fail("path", func, "an existing file", got=f"{str(path)!r}, which "
               + ("is a directory" if p.is_dir() else "does not exist"))
    return p


def _accepted() -> set[str] | None:
    from ..journeys import Journeys

    params = inspect.signature(Journeys.from_events).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return None
    return set(params)


def to_journeys(table: dict, auto: dict, options: dict):
    """``Journeys.from_events(table, **auto, **options)``.

    ``auto`` holds the keywords the reader chose from the table's columns (``lifecycle=``,
    ``resource=`` …); keywords that this version of ``Journeys.from_events`` does not know are
    left out (they only refine the model). ``options`` are the caller's and override ``auto``;
    they are passed as given.
    """
    from ..journeys import Journeys

    accepted = _accepted()
    kwargs = {k: val for k, val in auto.items() if accepted is None or k in accepted}
    kwargs.update(options)
    return Journeys.from_events(table, **kwargs)


def xes_journeys_keywords(table: dict, case: str) -> dict:
    """The ``Journeys.from_events`` keywords that fit an XES-shaped table (pm4py names)."""
    auto = {"case": case, "touchpoint": "concept:name"}
    if "time:timestamp" in table:
        auto["timestamp"] = "time:timestamp"
        auto["tz"] = "UTC"  # the reader converts every offset to UTC: instants
    life = table.get("lifecycle:transition")
    if life is not None and any(isinstance(x, str) and x.lower() == "start"
                                for x in _distinct(life)):
        auto["lifecycle"] = "lifecycle:transition"
    if "org:resource" in table:
        auto["resource"] = "org:resource"
    if "start_timestamp" in table:
        auto["start_timestamp"] = "start_timestamp"
    return auto


def _distinct(values: np.ndarray) -> list:
    if values.dtype.kind == "O":
        return list(set(values.tolist()) - {None})
    return np.unique(values).tolist()
