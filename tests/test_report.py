"""``python -m cxpath demo --out DIR`` writes a Markdown or HTML report with figures."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from cxpath._demo import SECTIONS
from cxpath._report import write_report
from cxpath.errors import CxpathError


@pytest.fixture(scope="module")
def markdown(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return out, write_report(out, fmt="md")


def test_markdown_report_has_every_section_and_its_figures(markdown):
    out, path = markdown
    text = path.read_text(encoding="utf-8")
    for _, title in SECTIONS:
        assert f"## {title}" in text
    expected = sum(hasattr(importlib.import_module(m), "demo_figures") for m, _ in SECTIONS)
    pngs = sorted((out / "figures").glob("*.png"))
    if importlib.util.find_spec("matplotlib") is not None:
        assert len(pngs) >= expected
        for png in pngs:
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert f"](figures/{png.name})" in text


def test_html_report_from_the_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cxpath", "demo", "--out", str(tmp_path)],
                         capture_output=True, text=True, check=True, timeout=600).stdout
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert out.strip().endswith("report.html")
    assert page.startswith("<!DOCTYPE html>") and page.count("<h2>") == len(SECTIONS)
    for img in (tmp_path / "figures").glob("*.png"):
        assert f'src="figures/{img.name}"' in page


def test_bad_format(tmp_path):
    with pytest.raises(CxpathError, match="'fmt'"):
        write_report(tmp_path, fmt="pdf")
