"""What a report section is made of: sentences, tables with units, figures drawn on demand.

A section is composed from analysis results and rendered three ways (plain text for the
terminal, Markdown, one self-contained HTML page) without the analyses knowing about it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs
import numpy as np

from .._results import format_duration, format_table

__all__ = ["Figure", "Section", "Table", "Text", "cell_text", "shown", "table_of"]


@attrs.frozen
class Text:
    """A paragraph (plain text; rendered escaped).

    ``text`` is what every report shows by default: counts or neutral labels (``#1``) in
    place of case and customer ids. ``with_ids``, when the paragraph can name them, is the
    same paragraph with the raw ids, shown with ``show_ids=True``.
    """

    text: str
    with_ids: str | None = None


@attrs.frozen
class Table:
    """A table with a plain-language title, units and a line on how to read it.

    Parameters
    ----------
    title : str
    columns : dict of str to 1-D array
        In display order; the header shown is ``headers.get(name, name)``.
    how_to_read : str
        One sentence for the reader of the HTML report.
    headers : dict, optional
        Plain-language column headers (``{'dropoff_rate': 'drop-off rate'}``).
    percent : tuple of str
        Columns holding fractions, shown as percentages.
    durations : mapping of str to float
        Columns holding durations, with their seconds per unit.
    max_rows : int
    with_ids : dict of str to 1-D array, optional
        For columns that stand for case or customer ids: ``columns`` holds neutral labels
        (``#1``, ``#2`` …) and this the raw ids, shown instead with ``show_ids=True``.
    """

    title: str
    columns: dict
    how_to_read: str = ""
    headers: dict = attrs.field(factory=dict)
    percent: tuple = ()
    durations: Mapping = attrs.field(factory=dict)
    max_rows: int = 10
    with_ids: Mapping = attrs.field(factory=dict)

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


@attrs.frozen
class Figure:
    """A figure made when the report is written: ``make() -> matplotlib Figure``, and
    optionally ``svg() -> str``, drawn without matplotlib, which the HTML page prefers."""

    caption: str
    make: Callable
    svg: Callable | None = None


@attrs.frozen
class Section:
    """One topic of the report.

    ``findings`` are the sentences (with numbers) that may go into the executive summary;
    ``skipped`` says, when the section could not run, what input would enable it.
    """

    key: str
    title: str
    blocks: tuple = ()
    findings: tuple = ()
    skipped: str | None = None
    seconds: float = 0.0


def shown(block, show_ids: bool):
    """The block as a report shows it: with the raw ids of ``with_ids`` when ``show_ids``,
    else as it is (neutral labels where ids would stand)."""
    if not show_ids:
        return block
    if isinstance(block, Text) and block.with_ids is not None:
        return Text(block.with_ids)
    if isinstance(block, Table) and block.with_ids:
        return attrs.evolve(block, columns={**block.columns, **block.with_ids}, with_ids={})
    return block


def table_of(result, columns, *, title: str, how_to_read: str = "", rows=None,
             k: int = 10, headers=None, percent=()) -> Table:
    """A :class:`Table` of some ``columns`` of a result's ``_columns()`` (rows ``rows``)."""
    cols = result._columns()
    pick = slice(None) if rows is None else rows
    chosen = {c: np.asarray(cols[c])[pick][:k] for c in columns}
    durations = {c: s for c, s in result._durations(cols).items() if c in chosen}
    return Table(title=title, columns=chosen, how_to_read=how_to_read,
                 headers=dict(headers or {}), percent=tuple(percent), durations=durations,
                 max_rows=k)


def cell_text(table: Table, name: str, value) -> str:
    """One cell as the HTML and Markdown reports show it: units, separators, percentages."""
    if name in table.durations:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return "–"
        return format_duration(float(value) * table.durations[name])
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if np.isnan(x):
            return "–"
        if name in table.percent:
            return f"{100 * x:.1f} %"
        if x == int(x) and abs(x) < 1e15:
            return f"{int(x):,}"
        ax = abs(x)
        return f"{x:,.0f}" if ax >= 1000 else f"{x:.3g}" if ax < 0.01 else f"{x:,.2f}"
    if isinstance(value, np.datetime64):
        return str(value).replace("T", " ")
    return str(value)


def text_table(table: Table) -> str:
    """The terminal rendering: the title, then the right-aligned table."""
    body = format_table(table.columns, max_rows=table.max_rows, durations=table.durations)
    return f"{table.title}:\n{body}" if table.title else body
