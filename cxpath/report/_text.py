"""Terminal rendering of a report (what ``cxpath demo`` prints)."""

from __future__ import annotations

from ._blocks import Figure, Table, Text, shown, text_table

__all__ = ["render_text", "section_body"]

RULE = "=" * 78


def section_body(section, *, show_ids: bool = False) -> str:
    """The text of one section's blocks (figures are left out); ids as ``#1`` … unless
    ``show_ids``."""
    if section.skipped is not None:
        return f"(skipped: {section.skipped})"
    parts = []
    for block in (shown(b, show_ids) for b in section.blocks):
        if isinstance(block, Text):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(text_table(block))
        elif not isinstance(block, Figure):
            raise TypeError(f"unknown report block {type(block).__name__}")
    return "\n".join(parts).rstrip()


def render_text(report, *, show_ids: bool = False) -> str:
    """Title, summary, then every section under a rule with its time."""
    lines = [f"cxpath report ({report.version}, {report.generated})"]
    lines += [f"  input: {s.path} ({s.rows:,} {s.note})".rstrip() for s in report.inputs.sources]
    if report.findings:
        lines += ["", "Summary:"] + [f"  - {f}" for f in report.findings]
    for section in report.sections:
        lines += ["", RULE, f"{section.title}  [{section.seconds:.2f} s]", RULE,
                  section_body(section, show_ids=show_ids)]
    return "\n".join(lines) + "\n"
