"""``python -m cxpath demo --out DIR``: the demo report as Markdown or HTML with figures."""

from __future__ import annotations

import html
import importlib
import pathlib
import re
import sys

__all__ = ["write_report"]

FUNC = "cxpath demo --out"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _section_figures(module, sample, folder: pathlib.Path, stem: str):
    """Save the section's figures (``demo_figures(sample)``) as PNGs; [(caption, file)]."""
    make = getattr(module, "demo_figures", None)
    if make is None:
        return []
    import matplotlib.pyplot as plt

    saved = []
    for i, (caption, fig) in enumerate(make(sample), start=1):
        name = f"{stem}-{i}.png"
        fig.savefig(folder / name, dpi=110, bbox_inches="tight")
        plt.close(fig)
        saved.append((caption, f"figures/{name}"))
    return saved


def write_report(out_dir, sample=None, fmt: str = "html") -> pathlib.Path:
    """Run every demo section and write ``report.html`` or ``report.md`` into ``out_dir``.

    Figures (PNG, under ``figures/``) need the ``plot`` extra (matplotlib); without it the
    report holds the text sections and says that figures were left out.

    Examples
    --------
    >>> import tempfile, cxpath._report as r
    >>> path = r.write_report(tempfile.mkdtemp(), fmt="md")  # doctest: +SKIP
    """
    from . import _validate as v
    from ._demo import SECTIONS

    fmt = v.check_option(fmt, "fmt", FUNC, ("html", "md"))
    out = pathlib.Path(out_dir)
    figures_dir = out / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    if sample is None:
        from .datasets import load_sample

        sample = load_sample()
    try:
        import matplotlib

        matplotlib.use("Agg")
        plotting = True
    except ImportError:
        plotting = False
        print("cxpath demo: matplotlib is not installed (pip install 'cxpath[plot]'); the "
              "report has no figures", file=sys.stderr)
    parts = []
    for module_name, title in SECTIONS:
        module = importlib.import_module(module_name)
        text = module.demo_section(sample)
        figures = _section_figures(module, sample, figures_dir, _slug(title)) \
            if plotting else []
        parts.append((title, text, figures))
    intro = "cxpath demo: an after-sales service operation (bundled sample data)"
    note = "" if plotting else "Figures left out: install the plot extra (matplotlib)."
    if fmt == "md":
        lines = [f"# {intro}", ""] + ([note, ""] if note else [])
        for title, text, figures in parts:
            lines += [f"## {title}", "", "```text", text.rstrip(), "```", ""]
            lines += [f"![{caption}]({path})\n" for caption, path in figures]
        path = out / "report.md"
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        body = [f"<h1>{html.escape(intro)}</h1>"] + ([f"<p>{html.escape(note)}</p>"]
                                                      if note else [])
        for title, text, figures in parts:
            body.append(f"<h2>{html.escape(title)}</h2><pre>{html.escape(text)}</pre>")
            body += [f'<figure><img src="{p}" alt="{html.escape(c)}">'
                     f"<figcaption>{html.escape(c)}</figcaption></figure>"
                     for c, p in figures]
        path = out / "report.html"
        path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>cxpath demo</title>"
            "<style>body{font-family:sans-serif;max-width:72rem;margin:auto}"
            "pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%}"
            "</style></head><body>" + "".join(body) + "</body></html>", encoding="utf-8")
    return path
