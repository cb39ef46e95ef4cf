"""The report layer: sections composed from analysis results, rendered as text, Markdown or
one self-contained HTML page.

It sits above every analysis and :mod:`cxpath.plot`: analyses never draw and never compose
reports. A section is a function ``section(inputs) -> Section`` in a module of this package
(:mod:`~cxpath.report.journeys`, :mod:`~cxpath.report.attribution` …); it runs when its
inputs are there and otherwise says in one line what would enable it.

Reports show counts, and neutral labels (``#1``, ``#2`` …) where a case or customer id
would stand, unless asked for the ids (``show_ids=True``, ``cxpath report --show-ids``).

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
    """The sections of one report, with when and from what it was made.

    ``show_ids`` is whether its renderings show raw case and customer ids (by default
    neutral labels ``#1``, ``#2`` … stand for them); each ``to_*`` method may override it.
    """

    sections: tuple
    inputs: Inputs
    generated: str
    version: str
    show_ids: bool = False

    @property
    def findings(self) -> list:
        """The executive summary: the path findings (the first two), then the headline of
        each further section, at most five."""
        out = []
        for s in self.sections:
            out += list(s.findings[:2] if s.key == "journeys" else s.findings[:1])
        rest = [f for s in self.sections for f in s.findings if f not in out]
        return (out + rest)[:max(3, min(5, len(out)))]

    def _show_ids(self, show_ids: bool | None, func: str) -> bool:
        from .. import _validate as v

        if show_ids is None:
            return self.show_ids
        return v.check_bool(show_ids, "show_ids", func)

    def to_text(self, *, show_ids: bool | None = None) -> str:
        """The report as terminal text (``cxpath demo``); ``show_ids`` overrides the
        report's choice of showing raw case and customer ids."""
        from ._text import render_text

        return render_text(self, show_ids=self._show_ids(show_ids, "Report.to_text"))

    def to_markdown(self, figures: dict | None = None, *,
                    show_ids: bool | None = None) -> str:
        """The report as Markdown; ``figures`` maps figures to saved image paths."""
        from ._markdown import render_markdown

        if figures is not None and not isinstance(figures, dict):
            from .. import _validate as v

            v.fail("figures", "Report.to_markdown", "None or a dict of figure paths", figures,
                   wrong_type=True)
        return render_markdown(self, figures or {},
                               show_ids=self._show_ids(show_ids, "Report.to_markdown"))

    def to_html(self, *, figures: bool = True, show_ids: bool | None = None) -> str:
        """One self-contained HTML page (CSS inline, figures embedded, no network)."""
        from ._html import render_html

        return render_html(self, figures=figures,
                           show_ids=self._show_ids(show_ids, "Report.to_html"))


def _check_sample(sample, func: str):
    from .. import _validate as v
    from ..datasets import ServiceSample, load_sample

    if sample is None:
        return load_sample()
    if not isinstance(sample, ServiceSample):
        v.fail("sample", func, "None or a ServiceSample (cxpath.datasets.load_sample())",
               got=type(sample).__name__, wrong_type=True)
    return sample


def _check_sections(sections, func: str) -> tuple:
    from .. import _validate as v

    if isinstance(sections, str) or v.ndim(sections) != 1:
        v.fail("sections", func, "a sequence of section names", sections, wrong_type=True)
    return tuple(v.check_option(key, "sections", func, SECTIONS) for key in sections)


def sample_inputs(sample: ServiceSample | None = None) -> Inputs:
    """The inputs of the report on the bundled sample (or a generated one)."""
    sample = _check_sample(sample, "report.sample_inputs")
    sources = (Source("sample", "bundled sample (cxpath.datasets.load_sample)",
                      sample.journeys.n_events, "events"),)
    return Inputs(journeys=sample.journeys, success="resolved", sample=sample,
                  sources=sources, sla=2 * 86400.0)


def build_report(inputs: Inputs, *, sections: Sequence[str] = SECTIONS,
                 progress: Callable[[str], Any] | None = None,
                 show_ids: bool = False) -> Report:
    """Run the sections on ``inputs``; ``progress(key)`` is called before each.

    With ``show_ids=False`` (the default) the report shows counts, and neutral labels
    (``#1``, ``#2`` …) where a case or customer id would stand (the first journeys of the
    data section, the slowest cases); ``show_ids=True`` shows the raw ids.

    Examples
    --------
    >>> from cxpath.report import build_report, sample_inputs
    >>> report = build_report(sample_inputs(), sections=("data",))
    >>> "case=#1" in report.to_text(), "case='T0000'" in report.to_text()
    (True, False)
    >>> "case='T0000'" in report.to_text(show_ids=True)
    True
    """
    from .. import __version__
    from .. import _validate as v

    func = "report.build_report"
    show_ids = v.check_bool(show_ids, "show_ids", func)
    if not isinstance(inputs, Inputs):
        v.fail("inputs", func, "an Inputs (report.sample_inputs() or the CLI's reader)",
               got=type(inputs).__name__, wrong_type=True)
    sections = _check_sections(sections, func)
    if progress is not None and not callable(progress):
        v.fail("progress", func, "None or a callable progress(section_name)", progress,
               wrong_type=True)
    done = []
    for key in sections:
        module = importlib.import_module(f"{__name__}.{key}")
        if progress is not None:
            try:
                progress(key)
            except Exception as error:  # the caller's callback failed: say so in our shape
                v.fail("progress", func, "a callable progress(section_name) that works",
                       got=f"{type(error).__name__}: {error}")
        start = time.perf_counter()
        sec = module.section(inputs)
        done.append(attrs.evolve(sec, seconds=time.perf_counter() - start))
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Report(sections=tuple(done), inputs=inputs, generated=stamp, version=__version__,
                  show_ids=show_ids)


def section_text(key: str, sample: ServiceSample | None = None) -> str:
    """One section of the sample report as terminal text."""
    from .. import _validate as v
    from ._text import section_body

    key = v.check_option(key, "key", "report.section_text", SECTIONS)
    sample = _check_sample(sample, "report.section_text")
    module = importlib.import_module(f"{__name__}.{key}")
    return section_body(module.section(sample_inputs(sample)))


def write_report(out_dir: str | os.PathLike, report: Report, fmt: str = "html", *,
                 xlsx: bool = False, force: bool = False,
                 show_ids: bool | None = None) -> pathlib.Path:
    """Write ``report.html`` (self-contained) or ``report.md`` (with ``figures/``), and with
    ``xlsx=True`` also ``report.xlsx`` (every table as a sheet; extra ``excel``).

    A folder that already holds files is refused unless ``force=True`` (then the report's
    own files are replaced); a symbolic link where the report is written is always
    refused, so nothing is written outside the folder. ``show_ids`` (default: as the
    report was built, see :func:`build_report`) writes raw case and customer ids instead
    of the neutral labels ``#1``, ``#2`` …"""
    from .. import _validate as v

    fmt = v.check_option(fmt, "fmt", "report.write_report", ("html", "md"))
    xlsx = v.check_bool(xlsx, "xlsx", "report.write_report")
    force = v.check_bool(force, "force", "report.write_report")
    if not isinstance(report, Report):
        v.fail("report", "report.write_report", "a Report (from build_report)",
               got=type(report).__name__, wrong_type=True)
    show_ids = report._show_ids(show_ids, "report.write_report")
    out = v.check_path(out_dir, "out_dir", "report.write_report")
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

        write_xlsx(report, out / "report.xlsx", show_ids=show_ids)
    if fmt == "html":
        path = out / "report.html"
        path.write_text(report.to_html(show_ids=show_ids), encoding="utf-8")
        return path
    saved = save_figures(report, out / "figures")
    path = out / "report.md"
    path.write_text(report.to_markdown(saved, show_ids=show_ids), encoding="utf-8")
    return path
