"""The report layer: sections composed from analysis results, rendered as text, Markdown or
one self-contained HTML page.

It sits above every analysis and :mod:`cxpath.plot`: analyses never draw and never compose
reports. A section is a function ``section(inputs) -> Section`` in a module of this package
(:mod:`~cxpath.report.journeys`, :mod:`~cxpath.report.attribution` …); it runs when its
inputs are there and otherwise says in one line what would enable it.

Examples
--------
>>> from cxpath.report import build_report, sample_inputs
>>> report = build_report(sample_inputs(), sections=("data",))
>>> report.sections[0].title
'Data overview and cleaning'
"""

from __future__ import annotations

import datetime as _dt
import importlib
import time
from typing import TYPE_CHECKING, Any

import attrs

from ._blocks import Figure, Section, Table, Text
from .inputs import Inputs, Source

if TYPE_CHECKING:
    import os
    import pathlib
    from collections.abc import Callable, Sequence

    from ..datasets import ServiceSample

__all__ = ["SECTIONS", "Figure", "Inputs", "Report", "Section", "Source", "Table", "Text",
           "build_report", "sample_inputs", "section_text", "write_report"]

#: Section keys in report order; each names a module of this package.
SECTIONS = ("data", "journeys", "attribution", "kpi", "fmea", "spc", "forecast", "survey")


@attrs.frozen
class Report:
    """The sections of one report, with when and from what it was made."""

    sections: tuple
    inputs: Inputs
    generated: str
    version: str

    @property
    def findings(self) -> list:
        """The executive summary: the path findings (the first two), then the headline of
        each further section, at most five."""
        out = []
        for s in self.sections:
            out += list(s.findings[:2] if s.key == "journeys" else s.findings[:1])
        rest = [f for s in self.sections for f in s.findings if f not in out]
        return (out + rest)[:max(3, min(5, len(out)))]

    def to_text(self) -> str:
        """The report as terminal text (``cxpath demo``)."""
        from ._text import render_text

        return render_text(self)

    def to_markdown(self, figures: dict | None = None) -> str:
        """The report as Markdown; ``figures`` maps figures to saved image paths."""
        from ._markdown import render_markdown

        return render_markdown(self, figures or {})

    def to_html(self, *, figures: bool = True) -> str:
        """One self-contained HTML page (CSS inline, figures embedded, no network)."""
        from ._html import render_html

        return render_html(self, figures=figures)


def sample_inputs(sample: ServiceSample | None = None) -> Inputs:
    """The inputs of the report on the bundled sample (or a generated one)."""
    if sample is None:
        from ..datasets import load_sample

        sample = load_sample()
    sources = (Source("sample", "bundled sample (cxpath.datasets.load_sample)",
                      sample.journeys.n_events, "events"),)
    return Inputs(journeys=sample.journeys, success="resolved", sample=sample,
                  sources=sources, sla=2 * 86400.0)


def build_report(inputs: Inputs, *, sections: Sequence[str] = SECTIONS,
                 progress: Callable[[str], Any] | None = None) -> Report:
    """Run the sections on ``inputs``; ``progress(key)`` is called before each."""
    from .. import __version__

    done = []
    for key in sections:
        module = importlib.import_module(f"{__name__}.{key}")
        if progress is not None:
            progress(key)
        start = time.perf_counter()
        sec = module.section(inputs)
        done.append(attrs.evolve(sec, seconds=time.perf_counter() - start))
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Report(sections=tuple(done), inputs=inputs, generated=stamp, version=__version__)


def section_text(key: str, sample: ServiceSample | None = None) -> str:
    """One section of the sample report as terminal text."""
    from ._text import section_body

    module = importlib.import_module(f"{__name__}.{key}")
    return section_body(module.section(sample_inputs(sample)))


def write_report(out_dir: str | os.PathLike, report: Report, fmt: str = "html", *,
                 xlsx: bool = False, force: bool = False) -> pathlib.Path:
    """Write ``report.html`` (self-contained) or ``report.md`` (with ``figures/``), and with
    ``xlsx=True`` also ``report.xlsx`` (every table as a sheet; extra ``excel``).

    A folder that already holds files is refused unless ``force=True`` (then the report's
    own files are replaced); a symbolic link where the report is written is always
    refused, so nothing is written outside the folder."""
    import pathlib

    from .. import _validate as v

    fmt = v.check_option(fmt, "fmt", "report.write_report", ("html", "md"))
    xlsx = v.check_bool(xlsx, "xlsx", "report.write_report")
    force = v.check_bool(force, "force", "report.write_report")
    out = pathlib.Path(out_dir)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        v.fail("out_dir", "report.write_report", "a folder (not a link or a file)", str(out))
    if out.exists() and any(out.iterdir()) and not force:
        v.fail("out_dir", "report.write_report", "an empty or new folder (pass force=True, "
               "or --force, to replace the report in it)", got=f"{out} with files in it")
    from ._figures import refuse_link, save_figures

    for name in ("report.html", "report.md", "report.xlsx", "figures"):
        refuse_link(out / name)
    out.mkdir(parents=True, exist_ok=True)
    if xlsx:
        from ._xlsx import write_xlsx

        write_xlsx(report, out / "report.xlsx")
    if fmt == "html":
        path = out / "report.html"
        path.write_text(report.to_html(), encoding="utf-8")
        return path
    saved = save_figures(report, out / "figures")
    path = out / "report.md"
    path.write_text(report.to_markdown(saved), encoding="utf-8")
    return path
