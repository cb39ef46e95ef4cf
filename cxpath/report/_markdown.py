"""Markdown rendering of a report (tables as pipe tables, figures as saved PNGs)."""

from __future__ import annotations

from ._blocks import Figure, Table, Text, cell_text

__all__ = ["render_markdown"]


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


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


def render_markdown(report, figures: dict) -> str:
    """The whole report; ``figures`` maps ``id(figure)`` to an image path."""
    lines = ["# cxpath report", "",
             f"Generated {report.generated} by cxpath {report.version}.", ""]
    for s in report.inputs.sources:
        lines.append(f"- Input ({s.role}): {s.path}, {s.rows:,} {s.note}".rstrip())
    if report.findings:
        lines += ["", "## Summary", ""] + [f"- {f}" for f in report.findings]
    for section in report.sections:
        lines += ["", f"## {section.title}", ""]
        if section.skipped is not None:
            lines.append(f"*Skipped: {section.skipped}.*")
            continue
        for block in section.blocks:
            if isinstance(block, Text):
                lines.append(block.text.strip() + "  " if block.text.strip() else "")
            elif isinstance(block, Table):
                lines += ["", *_table(block)]
            elif isinstance(block, Figure) and id(block) in figures:
                lines += ["", f"![{block.caption}]({figures[id(block)]})", ""]
    return "\n".join(lines) + "\n"
