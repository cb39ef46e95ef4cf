"""The ``cxpath`` command: demo, report on the user's files, config files, exit codes."""

from __future__ import annotations

import csv
import gzip
import pathlib
import re
import subprocess
import sys

import pytest

from cxpath.cli import main
from cxpath.report import SECTIONS

DATA = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"


def events_csv(folder: pathlib.Path, name="events.csv") -> pathlib.Path:
    """A small service log: tickets through triage, a fix and (mostly) resolution."""
    rows = []
    for k in range(60):
        steps = ["web_form", "triage", "fix"] + (["resolved"] if k % 4 else ["callback"])
        if k % 5 == 0:
            steps.insert(2, "escalation")
        for i, step in enumerate(steps):
            day, hour = 1 + k % 20, 8 + 2 * i + k % 3
            rows.append({"ticket": f"T{k:03d}", "step": step,
                         "at": f"2025-03-{day:02d}T{hour:02d}:{(7 * k) % 60:02d}:00",
                         "agent": ["ana", "ben", "chloe"][(k + i) % 3]})
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


FLAGS = ["--case", "ticket", "--activity", "step", "--timestamp", "at", "--resource", "agent",
         "--success", "resolved"]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_prints_every_section_and_the_planted_findings(capsys):
    code, out, err = run(["demo"], capsys)
    assert code == 0
    titles = [line.split("  [")[0] for line in out.splitlines() if line.endswith(" s]")]
    assert len(titles) == len(SECTIONS)
    assert "5,000 cases" in out and "Summary:" in out
    # the planted segment bottleneck of the sample (docs/guide/datasets.md) is found
    assert ("Drill-down of escalation -> field_visit: median wait for fridge" in out
            and "by team: field_south" in out)
    assert "compiling kernels, first run only" in err  # progress on stderr


def test_report_on_a_csv_with_flags_writes_one_self_contained_page(tmp_path, capsys):
    path = events_csv(tmp_path)
    code, out, err = run(["report", str(path), *FLAGS, "--out", str(tmp_path / "out")],
                         capsys)
    assert code == 0, err
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert out.strip().endswith("report.html")
    assert "<h2>Paths: variants, breakpoints, bottlenecks, critical path</h2>" in page
    assert "Hand-overs of work" in page and "Resolutions credited" in page
    assert "events.csv" in page and "252 rows" in page  # provenance: file and rows
    # sections without their input say what would enable them
    assert "Skipped: a daily demand history (--demand FILE" in page
    assert not re.search(r"""(src|href)=["'](https?:|//)""", page)  # no network
    assert ("data:image/png;base64," in page) == _has_matplotlib()


def test_config_file_is_the_same_as_flags(tmp_path, capsys):
    path = events_csv(tmp_path)
    (tmp_path / "cxpath.toml").write_text(
        'events = "events.csv"\ncase = "ticket"\nactivity = "step"\ntimestamp = "at"\n'
        'resource = "agent"\nsuccess = "resolved"\n', encoding="utf-8")
    _, by_flags, _ = run(["report", str(path), *FLAGS, "-q"], capsys)
    code, by_config, err = run(["report", "--config", str(tmp_path / "cxpath.toml"), "-q"],
                               capsys)
    assert code == 0 and err == ""  # -q: nothing on stderr

    def body(text):  # the generation time and the file path are the only differences
        return [line for line in text.splitlines()[2:] if "[" not in line]

    assert body(by_config) == body(by_flags)


def test_without_success_attribution_is_skipped_with_a_reason(tmp_path, capsys):
    path = events_csv(tmp_path)
    code, out, _ = run(["report", str(path), "--case", "ticket", "--activity", "step",
                        "--timestamp", "at", "-q"], capsys)
    assert code == 0
    assert "(skipped: an event log with --success LABEL or --outcome COLUMN would add " \
           "attribution)" in out


def test_bad_column_exits_3_naming_it_and_close_matches(tmp_path, capsys):
    path = events_csv(tmp_path)
    code, _, err = run(["report", str(path), "--case", "tiket", "--activity", "step",
                        "--timestamp", "at", "-q"], capsys)
    assert code == 3
    assert "'case' parameter" in err and "'tiket' (close: 'ticket')" in err


def test_bad_arguments_exit_2(tmp_path, capsys):
    path = events_csv(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["report", str(path), "--activity", "step", "-q"])
    assert info.value.code == 2
    assert "--case is needed" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["report", "--config", str(tmp_path / "missing.toml")])
    assert info.value.code == 2
    (tmp_path / "bad.toml").write_text('events = "events.csv"\ncolour = "red"\n')
    with pytest.raises(SystemExit) as info:
        main(["report", "--config", str(tmp_path / "bad.toml")])
    assert info.value.code == 2 and "unknown keys" in capsys.readouterr().err


def test_missing_file_exits_3(tmp_path, capsys):
    code, _, err = run(["report", str(tmp_path / "none.csv"), *FLAGS, "-q"], capsys)
    assert code == 3 and "none.csv" in err


def test_tickets_and_calendar_add_their_sections(tmp_path, capsys):
    path = events_csv(tmp_path)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "created,first_response,resolved_at,resolved,first_contact_resolution,"
        "handle_time_s,contacts,priority\n"
        "2025-03-03T09:00,2025-03-03T09:30,2025-03-03T15:00,1,1,300,1,P1\n"
        "2025-03-03T10:00,2025-03-03T12:00,,0,0,420,2,P2\n"
        "2025-03-04T09:00,2025-03-04T09:10,2025-03-06T09:00,1,0,200,3,P3\n",
        encoding="utf-8")
    (tmp_path / "desk.toml").write_text(
        'timezone = "Europe/Berlin"\nholidays = ["2025-03-05"]\n'
        '[hours]\nweekdays = [["09:00", "17:00"]]\n', encoding="utf-8")
    code, out, err = run(["report", str(path), *FLAGS, "--tickets", str(tickets),
                          "--calendar", str(tmp_path / "desk.toml"), "--sla", "8h", "-q"],
                         capsys)
    assert code == 0, err
    assert "Resolution SLA attainment" in out and "Ticket KPIs" in out
    assert "Bottlenecks (waiting time; SLA 8 h)" in out


def test_console_script_and_version():
    exe = pathlib.Path(sys.executable).parent / "cxpath"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "cxpath"]
    out = subprocess.run([*command, "--version"], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("cxpath 0.")
    helptext = subprocess.run([*command, "report", "--help"], capture_output=True, text=True,
                              check=True).stdout
    assert "examples:" in helptext and "--config" in helptext


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "helpdesk.xes.gz").exists(),
                    reason="../shared/data/helpdesk.xes.gz is not present")
def test_report_on_the_helpdesk_xes_log(tmp_path, capsys):
    with gzip.open(DATA / "helpdesk.xes.gz", "rb") as fh:
        assert fh.read(5)  # readable
    code, out, err = run(["report", str(DATA / "helpdesk.xes.gz"), "--success",
                          "Closed", "-q"], capsys)
    assert code == 0, err
    assert "Top variants" in out and "Resolutions credited" in out


def _has_matplotlib() -> bool:
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def test_markdown_and_excel_outputs(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    path = events_csv(tmp_path)
    code, _, err = run(["report", str(path), *FLAGS, "--out", str(tmp_path / "md"),
                        "--format", "md", "--xlsx", "-q"], capsys)
    assert code == 0, err
    text = (tmp_path / "md" / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# cxpath report") and "## Summary" in text
    assert "| path | cases | share | success rate |" in text
    figures = sorted((tmp_path / "md" / "figures").glob("*.png"))
    assert all(f"](figures/{f.name})" in text for f in figures)
    book = openpyxl.load_workbook(tmp_path / "md" / "report.xlsx")
    assert book.sheetnames[0] == "report" and len(book.sheetnames) > 4
    variants = next(book[n] for n in book.sheetnames if n.startswith("Top variants"))
    header = [c.value for c in variants[3]]
    assert header == ["path", "cases", "share", "success rate"]
    assert isinstance(variants[4][1].value, int)  # counts stay numbers


def test_html_escapes_touchpoint_names(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("case,step,at\n1,<b>web & co</b>,2025-01-01T10:00\n"
                    "1,resolved,2025-01-01T11:00\n2,<b>web & co</b>,2025-01-02T10:00\n",
                    encoding="utf-8")
    code, _, err = run(["report", str(path), "--case", "case", "--activity", "step",
                        "--timestamp", "at", "--success", "resolved", "--out",
                        str(tmp_path / "out"), "-q"], capsys)
    assert code == 0, err
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<b>web" not in page and "&lt;b&gt;web &amp; co&lt;/b&gt;" in page


def test_output_folder_with_files_needs_force_and_links_are_refused(tmp_path, capsys):
    path = events_csv(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, _, err = run(["report", str(path), *FLAGS, "--out", str(out), "-q"], capsys)
    assert code == 3 and "an empty or new folder" in err and "--force" in err
    code, _, err = run(["report", str(path), *FLAGS, "--out", str(out), "--force", "-q"],
                       capsys)
    assert code == 0 and (out / "notes.txt").read_text() == "mine"
    victim = tmp_path / "elsewhere.html"
    victim.write_text("keep")
    (out / "report.html").unlink()
    (out / "report.html").symlink_to(victim)
    code, _, err = run(["report", str(path), *FLAGS, "--out", str(out), "--force", "-q"],
                       capsys)
    assert code == 3 and "is a link" in err and victim.read_text() == "keep"


def test_markdown_escapes_names_as_html_does(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("case,step,at\n1,*web* [x](y) <b>,2025-01-01T10:00\n"
                    "1,resolved,2025-01-01T11:00\n", encoding="utf-8")
    code, _, err = run(["report", str(path), "--case", "case", "--activity", "step",
                        "--timestamp", "at", "--success", "resolved", "--out",
                        str(tmp_path / "md"), "--format", "md", "-q"], capsys)
    assert code == 0, err
    text = (tmp_path / "md" / "report.md").read_text(encoding="utf-8")
    assert "*web* [x](y) <b>" not in text
    assert r"\*web\* \[x\]\(y\) &lt;b&gt;" in text
