"""The control-chart section of the sample report shows the planted shift."""

import re


def test_demo_section_shows_the_planted_shift():
    from cxpath.datasets import load_sample
    from cxpath.report import section_text

    text = section_text("spc", load_sample())
    assert text.splitlines()[0].startswith("u-chart of complaints per 1,000 orders")
    # the planted shift (2025-09-15) is signalled within a few weeks, by the u-chart and
    # by the upper CUSUM
    line = next(s for s in text.splitlines() if "first signal on or after" in s)
    days = int(re.search(r", (\d+) day\(s\) later", line).group(1))
    assert 0 <= days <= 21
    assert "upper CUSUM" in text and "(0 upper alarm(s) before the shift)" in text
