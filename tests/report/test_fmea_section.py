"""The FMEA section of the demo report."""

from __future__ import annotations

from cxpath.datasets import load_sample
from cxpath.report import section_text


def test_demo_section_runs_on_the_sample():
    text = section_text("fmea", load_sample())
    assert text.startswith("15 failure modes; AIAG-VDA Action Priority H 1, M 8, L 6")
    assert "Chatbot cannot hand over to an agent" in text
    assert "Pareto of recorded failures" in text
    assert max(len(line) for line in text.splitlines()) <= 100
