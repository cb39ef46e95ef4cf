"""Drill-down: any journey analysis split by an attribute, as one long table.

``by=`` a case attribute (product, priority, region …) runs the analysis on the cases of
each segment; ``by=`` an event attribute (resource, team …), where an analysis offers it,
splits the events or transitions it counts. The result is a :class:`Segmented`: one result
per segment, shown and exported as one table with the segment as its first column.

Examples
--------
>>> from cxpath import Journeys
>>> from cxpath.journeys import rework
>>> j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "a", "a", "b"],
...                          case_attributes={"product": ["x", "x", "y", "y"]})
>>> r = rework(j, by="product")
>>> r.segments, r["x"].rework_cases.tolist()
(('x', 'y'), [1])
"""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, result
from .model import Journeys

__all__ = ["Segmented", "by_case_segment", "events_segmented", "segment_of"]


@result
class Segmented(Result):
    """One analysis result per segment of an attribute.

    Attributes
    ----------
    by : str
        The attribute the journeys were split by.
    level : {'case', 'event'}
        Whether it is a case or an event attribute.
    segments : tuple of str
        Segment labels (the attribute's values present), in label order.
    results : tuple
        The analysis result of each segment (a journey graph for ``journey_graph``).
    """

    by: str
    level: str
    segments: tuple
    results: tuple

    _derived = derived_columns({
        "{by}": "the row's segment (of ``segments``); the first column is named after ``by``",
        "{column}": "that column of the segment's result (in ``results``), empty where its "
                    "table has no such column"})

    def _explain_column(self, column: str) -> str | None:
        if column == self.by:
            return self._derived["{by}"]
        if any(column in _table(r) for r in self.results):
            return self._derived["{column}"]
        return None

    def _key_columns(self, columns: dict) -> tuple:
        inner = ("source", "target")
        if self.results and isinstance(self.results[0], Result):
            first = self.results[0]
            inner = first._key_columns(first._columns())
        return (self.by, *inner)

    def __getitem__(self, segment):
        """The result of one segment (``loc((segment, label))`` gives one row)."""
        try:
            return self.results[self.segments.index(segment)]
        except ValueError:
            v.fail("segment", "Segmented.__getitem__", f"one of {list(self.segments)}", segment)

    def __iter__(self):
        return iter(zip(self.segments, self.results))

    def __len__(self) -> int:
        return len(self.segments)

    def _title(self) -> str:
        kind = type(self.results[0]).__name__ if self.results else "results"
        return f"{kind} by {self.by}"

    def _summary(self):
        return [f"{len(self.segments)} segments of the {self.level} attribute {self.by!r}"]

    def _columns(self) -> dict:
        tables = [_table(r) for r in self.results]
        names: list = []
        for t in tables:
            names += [k for k in t if k not in names]
        rows = [len(next(iter(t.values()))) if t else 0 for t in tables]
        cols = {self.by: np.repeat(np.asarray(self.segments, dtype=object), rows)}
        for name in names:
            parts = [t[name] if name in t else np.full(k, None, dtype=object)
                     for t, k in zip(tables, rows)]
            cols[name] = np.concatenate(parts) if parts else np.zeros(0)
        return cols


def _table(r) -> dict:
    from .graph import is_digraph

    if is_digraph(r):  # the journey graph: its edge table
        edges = list(r.edges(data=True))
        keys: list = []
        for _, _, d in edges:
            keys += [k for k in d if k not in keys]
        cols = {"source": np.array([a for a, _, _ in edges], dtype=object),
                "target": np.array([b for _, b, _ in edges], dtype=object)}
        for k in keys:
            cols[k] = np.array([d.get(k, np.nan) for _, _, d in edges])
        return cols
    return r._columns()


def segment_of(journeys: Journeys, by: str, func: str, levels=("case",)):
    """``(codes, labels, level)`` of attribute ``by``: codes per case or per event.

    Numbers and times cannot segment (bin them into a category first); missing values get
    the segment ``'(missing)'`` so that the segments still add up to the whole.
    """
    if not isinstance(by, str):
        v.fail("by", func, "the name of a case or event attribute", by)
    attr, level = journeys.attribute(by, func)
    if level not in levels:
        allowed = " or ".join(f"a {x}" for x in levels)
        v.fail("by", func, f"{allowed} attribute (an event attribute cannot split cases here)",
               got=f"the {level} attribute {by!r}")
    if attr.kind != "category":
        v.fail("by", func, "a categorical attribute (bin numbers or times into categories "
               "first)", got=f"the {attr.kind} attribute {by!r}")
    codes, labels = attr.values, attr.labels
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = (*labels, "(missing)")
    return codes, labels, level


def by_case_segment(journeys: Journeys, by: str, func: str, analysis) -> Segmented:
    """Run ``analysis(sub_journeys)`` on the cases of each segment of case attribute ``by``."""
    if not isinstance(journeys, Journeys):
        v.fail("journeys", func, "a Journeys object (drill-down needs the cases' attributes)",
               got=type(journeys).__name__)
    codes, labels, level = segment_of(journeys, by, func)
    present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
    results = tuple(analysis(journeys.select(codes == k)) for k in present)
    return Segmented(by=by, level=level, segments=tuple(labels[k] for k in present),
                     results=results)


def events_segmented(by: str, codes: np.ndarray, labels: tuple, analysis) -> Segmented:
    """Segments over events or transitions: ``analysis(mask)`` for each present code."""
    present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
    return Segmented(by=by, level="event", segments=tuple(labels[k] for k in present),
                     results=tuple(analysis(codes == k) for k in present))

