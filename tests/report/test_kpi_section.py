"""The kpi demo section runs on the bundled sample and shows the planted FCR step."""

from __future__ import annotations

from cxpath.datasets import load_sample
from cxpath.report import section_text


def test_demo_section_reports_each_kpi():
    text = section_text("kpi", load_sample())
    assert text.startswith("NPS ")
    assert "First-contact resolution (share) rose" in text and "a real change" in text
    assert "Resolution SLA attainment" in text
    assert "peak interval" in text and "scheduled" in text
    assert "Reorder points for 40 spare parts" in text
    assert "nan" not in text.lower()
