"""The HTML report in a real browser: headless Chromium, network off, 1280 px wide.

Checks: no failed resource loads, no console or page errors, every figure rendered with a
non-zero size, no table (and no page) wider than the window. Screenshots are written to
``build/browser/`` for CI to keep. Needs Debian's ``chromium`` and the ``playwright``
Python package (both installed by ``.ci/run``); skipped with a reason otherwise.
"""

from __future__ import annotations

import importlib.util
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
SHOTS = ROOT / "build" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed"),
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH"),
]


def _open(page_path: pathlib.Path, shot: str) -> dict:
    from playwright.sync_api import sync_playwright

    problems = {"failed": [], "console": [], "errors": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        page = context.new_page()
        page.on("requestfailed", lambda r: problems["failed"].append(r.url[:120]))
        page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
        page.on("pageerror", lambda e: problems["errors"].append(str(e)))
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        facts = page.evaluate("""() => {
            const imgs = [...document.images].map(i => ({w: i.naturalWidth,
                h: i.naturalHeight, shown: i.getBoundingClientRect().width}));
            const svgs = [...document.querySelectorAll('figure .scroll')].map(d => {
                const r = d.getBoundingClientRect(), s = d.querySelector('svg');
                return {w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height,
                        right: r.right}; });
            const tables = [...document.querySelectorAll('table')].map(t => ({
                right: t.getBoundingClientRect().right, scroll: t.scrollWidth,
                client: t.clientWidth}));
            return {imgs, svgs, tables, pageWidth: document.documentElement.scrollWidth,
                    window: window.innerWidth, h2: document.querySelectorAll('h2').length};
        }""")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}-top.png"))
        page.screenshot(path=str(SHOTS / f"{shot}-full.png"), full_page=True)
        browser.close()
    return {**problems, **facts}


def _check(facts: dict, n_figures: int) -> None:
    assert facts["failed"] == [] and facts["console"] == [] and facts["errors"] == []
    assert len(facts["imgs"]) + len(facts["svgs"]) == n_figures
    for img in facts["imgs"]:
        assert img["w"] > 0 and img["h"] > 0 and img["shown"] > 0
    for svg in facts["svgs"]:  # inline maps: drawn at full size in a box within the window
        assert svg["w"] > 100 and svg["h"] > 20 and svg["right"] <= facts["window"]
    assert facts["pageWidth"] <= facts["window"]
    for table in facts["tables"]:
        assert table["scroll"] <= table["client"] + 1 and table["right"] <= facts["window"]


def _figures(report) -> int:
    from cxpath.report._blocks import Figure

    return sum(isinstance(b, Figure) for s in report.sections for b in s.blocks)


def test_the_sample_report_renders_in_chromium(tmp_path):
    from cxpath.report import build_report, sample_inputs, write_report

    report = build_report(sample_inputs())
    facts = _open(write_report(tmp_path, report), "sample")
    _check(facts, _figures(report))
    assert facts["h2"] == 1 + len(report.sections)  # the summary, then every section


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "helpdesk.xes.gz").exists(),
                    reason="../shared/data/helpdesk.xes.gz is not present")
def test_the_helpdesk_report_renders_in_chromium(tmp_path):
    from cxpath.cli import main

    assert main(["report", str(DATA / "helpdesk.xes.gz"), "--success", "Closed",
                 "--out", str(tmp_path), "-q"]) == 0
    facts = _open(tmp_path / "report.html", "helpdesk")
    assert facts["h2"] > 5
    _check(facts, len(facts["imgs"]) + len(facts["svgs"]))
    assert len(facts["svgs"]) == 1 and len(facts["imgs"]) >= 2  # map; bars, attribution
