"""The docs' runblock directive shows a block's final bare expression, as a notebook does."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

pytest.importorskip("sphinx")  # the docs extra; CI installs it before building the docs

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("docs_runblock_ext",
                                              ROOT / "docs" / "_ext" / "runblock.py")
runblock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runblock)


def test_final_expression_is_returned_and_prints_are_kept():
    namespace = {}
    out, err, value = runblock.run_code("x = 2\nprint('hi')\nx * 21", namespace, "<t>")
    assert (out, err, value) == ("hi\n", "", 42)
    assert namespace["x"] == 2


def test_statements_semicolon_and_stderr():
    assert runblock.run_code("y = 1", {}, "<t>")[2] is None
    assert runblock.run_code("1 + 1;", {}, "<t>")[2] is None
    _, err, _ = runblock.run_code("import sys\nprint('slow', file=sys.stderr)", {}, "<t>")
    assert err == "slow\n"


def test_html_repr_becomes_a_raw_html_node_with_a_text_fallback():
    class Table:
        def _repr_html_(self):
            return "<table><tr><td>1</td></tr></table>"

        def __repr__(self):
            return "Table(1)"

    outputs = []
    shown = runblock.RunBlock._show_value(Table(), outputs)
    html = shown[0].children[0]
    assert html.get("format") == "html" and "<table>" in html.astext()
    assert shown[1]["expr"] == "not html" and shown[1].astext() == "Table(1)"
    assert outputs[0]["output_type"] == "execute_result"
    assert outputs[0]["data"]["text/plain"] == ["Table(1)"]
    assert "".join(outputs[0]["data"]["text/html"]).startswith("<table>")
