"""Notebook tables of results: head and tail rows, right-aligned numbers, the shape."""

from __future__ import annotations

import re

import numpy as np

from cxpath._results import Result, duration_columns, result


@result
class _Waits(Result):
    labels: np.ndarray
    waits: np.ndarray

    _duration_columns = duration_columns(wait=1.0)

    def _columns(self):
        return {"label": self.labels, "wait": self.waits}


def test_short_tables_show_every_row_and_the_shape():
    r = _Waits(np.array(["a", "b"], dtype=object), np.array([90.0, np.nan]))
    page = r._repr_html_()
    assert page.count("<tr>") == 3  # header and two rows
    assert "<td>1 min 30 s</td>" in page and "<td>nan</td>" in page
    assert "2 rows × 2 columns" in page
    # numbers right-aligned by a rule scoped to this table; labels left
    tag = re.search(r'<div class="(cx[0-9a-f]{8})">', page).group(1)
    assert f".{tag} td:nth-child(2){{text-align:right}}" in page


def test_long_tables_show_head_and_tail_like_pandas():
    n = 45
    r = _Waits(np.array([f"r{i}" for i in range(n)], dtype=object), np.arange(n) * 60.0)
    page = r._repr_html_()
    shown = re.findall(r"<tr><td>(r\d+)</td>", page)
    assert shown == [f"r{i}" for i in range(10)] + [f"r{i}" for i in range(40, 45)]
    assert "<tr><td>…</td><td>…</td></tr>" in page and "45 rows × 2 columns" in page
