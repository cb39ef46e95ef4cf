"""The survey section of the demo report (cxpath.report.survey)."""

from __future__ import annotations

import re

from cxpath.datasets import load_sample
from cxpath.report import section_text


def test_demo_section_reports_alpha_kmo_and_drivers():
    sample = load_sample()
    text = section_text("survey", sample)
    for construct in sample.survey_constructs:
        assert f"\n{construct.rjust(9)}" in text or f" {construct} " in text
    assert "KMO = " in text and "Bartlett" in text
    assert "Key drivers of satisfaction" in text
    assert "reso" in text.split("Key drivers")[1]
    assert re.search(r"\bnan\b", text.lower()) is None
    assert 5 <= len(text.splitlines()) <= 30
