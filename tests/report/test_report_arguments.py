"""The report API refuses bad arguments with the library's error (#18 point 3; found by the
hostile suite: ModuleNotFoundError for unknown sections, AttributeError for a wrong sample)."""

from __future__ import annotations

import pytest

from cxpath.errors import CxpathError, InvalidTypeError
from cxpath.report import build_report, sample_inputs, section_text, write_report


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: section_text("no_such_section"), CxpathError,
     r"The 'key' parameter of report.section_text must be one of 'data', 'journeys'"),
    (lambda: sample_inputs("result"), InvalidTypeError,
     r"The 'sample' parameter of report.sample_inputs must be None or a ServiceSample"),
    (lambda: build_report(1.5), InvalidTypeError,
     r"The 'inputs' parameter of report.build_report must be an Inputs"),
    (lambda: build_report(sample_inputs(), sections=["data", "nope"]), CxpathError,
     r"The 'sections' parameter of report.build_report must be one of 'data'"),
    (lambda: build_report(sample_inputs(), sections=("data",), progress=[None]),
     InvalidTypeError, r"The 'progress' parameter of report.build_report must be None or a "
                       r"callable"),
])
def test_bad_report_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_write_report_checks_the_folder_argument(tmp_path):
    report = build_report(sample_inputs(), sections=("data",))
    with pytest.raises(InvalidTypeError, match=r"The 'out_dir' parameter of "
                                               r"report.write_report must be a file path"):
        write_report(float("nan"), report)
    with pytest.raises(CxpathError, match=r"'figures' parameter of Report.to_markdown"):
        report.to_markdown([])
    assert write_report(tmp_path / "out", report).name == "report.html"
