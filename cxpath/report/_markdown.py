"""Markdown rendering of a report (tables as pipe tables, figures as saved PNGs)."""

from __future__ import annotations

import html
import re

from ._blocks import Figure, Table, Text, cell_text, shown

__all__ = ["render_markdown"]


_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def _escape(text: str) -> str:
    """Text as Markdown shows it literally: HTML escaped, Markdown's specials backslashed."""
    return _SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)).replace("\n", " ")


def _table(table: Table) -> list:
    names = list(table.columns)
    head = [_escape(table.headers.get(n, n)) for n in names]
    lines = ([f"**{_escape(table.title)}**", ""] if table.title else [])
    if table.how_to_read:
        lines += [f"*{_escape(table.how_to_read)}*", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(names)]
    for i in range(min(table.n_rows, table.max_rows)):
        lines.append("| " + " | ".join(_escape(cell_text(table, n, table.columns[n][i]))
                                       for n in names) + " |")
    return [*lines, ""]


def render_markdown(report, figures: dict, *, show_ids: bool = False) -> str:
    """The whole report; ``figures`` maps ``id(figure)`` to an image path; ids as ``#1`` …
    unless ``show_ids``."""
    lines = ["# cxpath report", "",
             f"Generated {report.generated} by cxpath {report.version}.", ""]
    for s in report.inputs.sources:
        lines.append(f"- Input ({s.role}): {_escape(s.path)}, {s.rows:,} {s.note}".rstrip())
    if report.findings:
        lines += ["", "## Summary", ""] + [f"- {_escape(f)}" for f in report.findings]
    for section in report.sections:
        lines += ["", f"## {_escape(section.title)}", ""]
        if section.skipped is not None:
            lines.append(f"*Skipped: {_escape(section.skipped)}.*")
            continue
        for original in section.blocks:
            block = shown(original, show_ids)
            if isinstance(block, Text):
                text = block.text.strip()
                lines.append("  \n".join(_escape(t) for t in text.splitlines()) + "  "
                             if text else "")
            elif isinstance(block, Table):
                lines += ["", *_table(block)]
            elif isinstance(block, Figure) and id(original) in figures:
                lines += ["", f"![{_escape(block.caption)}]({figures[id(block)]})", ""]
    return "\n".join(lines) + "\n"
