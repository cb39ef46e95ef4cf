"""Reports show counts and neutral labels, not raw case or customer ids, unless asked (#18 point 6).

The bundled sample with every case id rewritten as ``ZQK-<id>-X`` and every customer id as
``ZQU-<id>-X``: strings that occur nowhere else, so a search of each rendering for ``ZQK-``
and ``ZQU-`` finds exactly the ids that leaked.
"""

from __future__ import annotations

import csv
import pathlib
import zipfile

import attrs
import numpy as np
import pytest

from cxpath.cli import main
from cxpath.datasets import load_sample
from cxpath.errors import InvalidTypeError
from cxpath.report import build_report, sample_inputs, write_report

CASE, CUSTOMER = "ZQK-", "ZQU-"


def _relabel(values, prefix):
    return np.array([f"{prefix}{x}-X" for x in np.asarray(values).tolist()], dtype=object)


@pytest.fixture(scope="module")
def sample():
    s = load_sample()
    events = dict(s.events, case_id=_relabel(s.events["case_id"], CASE),
                  customer_id=_relabel(s.events["customer_id"], CUSTOMER))
    tickets = dict(s.tickets, ticket_id=_relabel(s.tickets["ticket_id"], CASE),
                   customer_id=_relabel(s.tickets["customer_id"], CUSTOMER))
    survey = dict(s.survey, ticket_id=_relabel(s.survey["ticket_id"], CASE))
    failures = dict(s.failures, ticket_id=_relabel(s.failures["ticket_id"], CASE))
    return attrs.evolve(s, events=events, tickets=tickets, survey=survey, failures=failures)


@pytest.fixture(scope="module")
def report(sample):
    return build_report(sample_inputs(sample))


def _xlsx_text(path: pathlib.Path) -> str:
    """Every cell of the workbook as text: the XML parts of the zip (shared strings, sheets)."""
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist()
                       if n.endswith(".xml"))


def _renderings(report, tmp_path, **kw) -> dict:
    pytest.importorskip("openpyxl")
    html = write_report(tmp_path / "html", report, "html", xlsx=True, **kw)
    md = write_report(tmp_path / "md", report, "md", **kw)
    # Markdown backslashes '-' (ZQK\-T0000\-X): search it without the escapes
    return {"text": report.to_text(**kw),
            "markdown": md.read_text(encoding="utf-8").replace("\\", ""),
            "html": html.read_text(encoding="utf-8"),
            "xlsx": _xlsx_text(tmp_path / "html" / "report.xlsx")}


def test_the_sample_carries_the_recognisable_ids(sample):
    j = sample.journeys
    assert j.case_ids[0] == "ZQK-T0000-X" and len(j) == 5000
    assert j.to_text(show_ids=True).count(CASE) == 5  # lists the first five cases
    assert CASE not in repr(j)  # the repr labels them #1 … #5


def test_no_id_in_any_rendering_by_default(report, tmp_path):
    for kind, text in _renderings(report, tmp_path).items():
        assert CASE not in text, kind
        assert CUSTOMER not in text, kind
    text = report.to_text()
    assert "  Journey(case=#1, 'app_self_service > resolved', success=True, 2 events over " \
        "6.23 min)" in text  # the data section's first case, as its position
    assert "(cases listed as #1, #2 … instead of their ids: show_ids=True or --show-ids " \
        "shows them)" in text
    # the slowest case of the sample is T0981, the 982nd case: 21 days (report.journeys)
    assert " #982                                        ivr > phone_agent > escalation > " \
        "field_visit       4       21 d" in text


def test_show_ids_shows_the_case_ids_everywhere(report, tmp_path):
    found = _renderings(report, tmp_path, show_ids=True)
    # data section: 5 first cases (text, Markdown, HTML); slowest cases: 5 (every format)
    assert {k: t.count(CASE) for k, t in found.items()} == \
        {"text": 10, "markdown": 10, "html": 10, "xlsx": 5}
    assert "Journey(case='ZQK-T0000-X', 'app_self_service > resolved'" in found["text"]
    assert "ZQK-T0981-X" in found["xlsx"]  # the slowest case by id
    assert all(CUSTOMER not in t for t in found.values())  # no section lists customers


def test_build_report_show_ids_is_the_default_of_the_renderings(sample, report):
    shown = build_report(sample_inputs(sample), sections=("data",), show_ids=True)
    assert shown.show_ids and not report.show_ids
    assert shown.to_text().count(CASE) == 5
    assert shown.to_text(show_ids=False).count(CASE) == 0
    assert shown.to_markdown(show_ids=False).count(CASE) == 0
    assert shown.to_html(figures=False, show_ids=False).count(CASE) == 0
    assert report.to_html(figures=False, show_ids=True).count(CASE) == 10


def test_show_ids_must_be_a_bool(report, tmp_path):
    with pytest.raises(InvalidTypeError, match=r"^The 'show_ids' parameter of "
                       r"report\.build_report must be True or False\. Got 'yes' instead\.$"):
        build_report(sample_inputs(), sections=("data",), show_ids="yes")
    with pytest.raises(InvalidTypeError, match=r"^The 'show_ids' parameter of "
                       r"report\.write_report must be True or False\. Got 1 instead\.$"):
        write_report(tmp_path / "out", report, show_ids=1)
    with pytest.raises(InvalidTypeError, match=r"^The 'show_ids' parameter of "
                       r"Report\.to_text must be True or False\. Got 'no' instead\.$"):
        report.to_text(show_ids="no")
    with pytest.raises(InvalidTypeError, match=r"^The 'report' parameter of "
                       r"report\.write_report must be a Report \(from build_report\)\. Got "
                       r"str instead\.$"):
        write_report(tmp_path / "out", "report.html")


def _events_csv(folder: pathlib.Path) -> pathlib.Path:
    rows = []
    for k in range(40):
        steps = ["web_form", "triage", "fix"] + (["resolved"] if k % 4 else ["callback"])
        for i, step in enumerate(steps):
            rows.append({"ticket": f"ZQK-{k:03d}-X", "step": step,
                         "at": f"2025-03-{1 + k % 20:02d}T{8 + 2 * i + k % 3:02d}:00:00"})
    path = folder / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


FLAGS = ["--case", "ticket", "--activity", "step", "--timestamp", "at", "--success", "resolved"]


def test_cli_hides_ids_unless_show_ids(tmp_path, capsys):
    path = _events_csv(tmp_path)
    assert main(["report", str(path), *FLAGS, "-q"]) == 0
    assert CASE not in capsys.readouterr().out
    assert main(["report", str(path), *FLAGS, "-q", "--show-ids"]) == 0
    out = capsys.readouterr().out
    assert "Journey(case='ZQK-000-X', 'web_form > triage > fix > callback'" in out
    assert out.count(CASE) == 10  # 5 first cases + the 5 slowest
    for flags, expected in (([], 0), (["--show-ids"], 10)):
        folder = tmp_path / f"out{len(flags)}"
        assert main(["report", str(path), *FLAGS, "-q", "--out", str(folder), *flags]) == 0
        capsys.readouterr()
        assert (folder / "report.html").read_text(encoding="utf-8").count(CASE) == expected
