"""The survey section of the demo report (cxpath.survey._demo)."""

from __future__ import annotations

import re

from cxpath.survey._demo import demo_section


def test_demo_section_reports_alpha_kmo_and_drivers(sample):
    text = demo_section(sample)
    for construct in sample.survey_constructs:
        assert f"\n{construct.rjust(9)}" in text or f" {construct} " in text
    assert "KMO = " in text and "Bartlett" in text
    assert "Key drivers of satisfaction" in text
    assert "reso" in text.split("Key drivers")[1]
    assert re.search(r"\bnan\b", text.lower()) is None
    assert 5 <= len(text.splitlines()) <= 30
