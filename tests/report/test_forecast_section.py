"""The forecasting section of the demo report runs on the bundled sample."""

from cxpath.datasets import load_sample
from cxpath.report import section_text


def test_demo_section_reports_contacts_leaderboard_and_parts():
    text = section_text("forecast", load_sample())
    assert "auto_ets picked ETS(" in text
    assert "Next 4 weekly totals" in text
    assert "Backtest, 3 origins x 28 days" in text and "seasonal_naive" in text
    assert "next quarter (13 weeks), Croston-SBA" in text
    assert "nan" not in text.lower().replace("nanos", "")
