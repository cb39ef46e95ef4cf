"""The report's tables as an Excel workbook: one sheet per table (extra ``excel``)."""

from __future__ import annotations

import re

import numpy as np

from .._optional import require
from ._blocks import Table, cell_text, shown

__all__ = ["write_xlsx"]


def _sheet_name(title: str, used: set) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "table"
    name, k = base, 2
    while name.lower() in used:
        name, k = f"{base[:25]} {k}", k + 1
    used.add(name.lower())
    return name


def _value(table: Table, name: str, x):
    """Numbers stay numbers (durations in hours, fractions as fractions); the rest text."""
    if name in table.durations:
        return None if x is None or x != x else float(x) * table.durations[name] / 3600.0
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if np.isnan(x) else float(x)
    return cell_text(table, name, x)


def write_xlsx(report, path, *, show_ids: bool = False) -> None:
    """Write every table of ``report`` to ``path``, with the title and how to read it; ids
    as ``#1`` … unless ``show_ids``."""
    openpyxl = require("openpyxl", "Writing the report as an Excel workbook")
    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set = set()
    overview = book.create_sheet("report")
    overview.append(["cxpath report", f"generated {report.generated}",
                     f"cxpath {report.version}"])
    for s in report.inputs.sources:
        overview.append(["input", s.role, s.path, s.rows, s.note])
    overview.append([])
    for finding in report.findings:
        overview.append(["finding", finding])
    used.add("report")
    for section in report.sections:
        for block in (shown(b, show_ids) for b in section.blocks):
            if not isinstance(block, Table):
                continue
            sheet = book.create_sheet(_sheet_name(block.title or section.title, used))
            sheet.append([block.title or section.title])
            if block.how_to_read:
                sheet.append([block.how_to_read])
            names = list(block.columns)
            sheet.append([block.headers.get(n, n).replace("_", " ")
                          + (" (h)" if n in block.durations else "") for n in names])
            for i in range(block.n_rows):
                sheet.append([_value(block, n, block.columns[n][i]) for n in names])
    book.save(path)
