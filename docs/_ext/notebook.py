"""Sphinx extension ``notebook``: a downloadable Jupyter notebook of a guide page.

Each page named in the ``runblock_notebooks`` setting (docnames, e.g. ``"guide/walkthrough"``)
becomes ``<page>.ipynb`` (nbformat 4): its Markdown prose as Markdown cells, each
``{runblock}`` as a code cell with the same code. When the page was executed in the build,
the cells carry what the block printed, the HTML/text of its last expression and its figures,
so the notebook reads like the page even before it is run.

The notebook is written to ``_generated/<page-name>.ipynb`` in the source folder (so the page
can link it with ``{download}``) and copied next to the page in the HTML output
(``guide/walkthrough.ipynb``). A paragraph of the page that links the notebook itself is left
out of the notebook.

:func:`markdown_to_notebook` is plain Python (no Sphinx), so tests can call it directly.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil

GENERATED = "_generated"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_OPTION = re.compile(r"^:[\w-]+:(\s.*)?$")


def split_page(text: str) -> list[tuple[str, str]]:
    """Cut a MyST page into ``("markdown", text)`` and ``("code", code)`` pieces, in order.

    Only ``{runblock}`` fences become code; every other fence (```bash, ```text …) stays in
    the Markdown. Directive options at the top of a runblock (``:name: value`` lines, or a
    ``---`` front-matter block) are not code and are dropped.
    """
    pieces: list[tuple[str, str]] = []
    prose: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            prose.append(lines[i])
            i += 1
            continue
        fence, info = match["fence"], match["info"]
        end = i + 1
        while end < len(lines) and not (lines[end].startswith(fence[0] * len(fence))
                                        and lines[end].strip(fence[0]).strip() == ""):
            end += 1
        body = lines[i + 1:end]
        if info.split(" ")[0] == "{runblock}":
            pieces.append(("markdown", "\n".join(prose)))
            prose = []
            pieces.append(("code", "\n".join(_strip_options(body))))
        else:
            prose.extend(lines[i:end + 1])
        i = end + 1
    pieces.append(("markdown", "\n".join(prose)))
    return pieces


def _strip_options(body: list[str]) -> list[str]:
    if body and body[0].strip() == "---":
        close = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        if close is not None:
            body = body[close + 1:]
    else:
        while body and _OPTION.match(body[0]):
            body = body[1:]
    while body and not body[0].strip():
        body = body[1:]
    while body and not body[-1].strip():
        body = body[:-1]
    return body


def runblock_sources(text: str) -> list[str]:
    """The code of every ``{runblock}`` of a MyST page, in order."""
    return [code for kind, code in split_page(text) if kind == "code"]


def _markdown(text: str) -> str:
    """MyST prose as plain Markdown: roles become code spans, notebook links are dropped."""
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    kept = [p for p in paragraphs if not re.search(r"\{download\}`[^`]*\.ipynb", p)]

    def role(match: re.Match) -> str:
        text = match.group(1).strip()
        titled = _TITLED.match(text)
        if titled and titled["title"]:
            text = titled["title"]
        return f"`{text.lstrip('~')}`"

    return "\n\n".join(_ROLE.sub(role, p) for p in kept).strip()


def _lines(text: str) -> list[str]:
    """nbformat's multi-line string: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def markdown_to_notebook(text: str, outputs: list[dict] | None = None) -> dict:
    """A MyST page (with ``{runblock}`` fences) as an nbformat-4 notebook, as a dict.

    ``outputs``, when given, is one record per runblock in page order, as the ``runblock``
    directive keeps them (``{"code": ..., "outputs": [...]}``); a record's outputs are used
    when its code matches the cell's, so a stale record never lands on the wrong cell. Without
    them the code cells have no outputs (the notebook is not executed).
    """
    cells = []
    count = 0
    records = list(outputs or [])
    for kind, body in split_page(text):
        if kind == "markdown":
            prose = _markdown(body)
            if prose:
                cells.append({"cell_type": "markdown", "metadata": {}, "source": _lines(prose)})
            continue
        cell = {"cell_type": "code", "execution_count": None, "metadata": {},
                "outputs": [], "source": _lines(body)}
        record = records[count] if count < len(records) else None
        count += 1
        if record is not None and record.get("code", "").strip() == body.strip():
            cell["execution_count"] = count
            for output in record.get("outputs", []):
                output = dict(output)
                if output["output_type"] == "execute_result":
                    output["execution_count"] = count
                cell["outputs"].append(output)
        cells.append(cell)
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": dict(KERNELSPEC),
                         "language_info": {"name": "python", "pygments_lexer": "ipython3"}},
            "cells": [dict(cell, id=f"cell-{n}") for n, cell in enumerate(cells)]}


def write_notebook(path: pathlib.Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- Sphinx ---------------------------------------------------------------------------------

def _target(app, docname: str) -> pathlib.Path:
    return pathlib.Path(app.srcdir) / GENERATED / f"{docname.rsplit('/', 1)[-1]}.ipynb"


def _source(app, docname: str) -> str:
    return (pathlib.Path(app.srcdir) / f"{docname}.md").read_text(encoding="utf-8")


def _write_all(app, with_outputs: bool) -> None:
    records = getattr(app.env, "runblock_outputs", {}) if with_outputs else {}
    for docname in app.config.runblock_notebooks:
        notebook = markdown_to_notebook(_source(app, docname), records.get(docname))
        write_notebook(_target(app, docname), notebook)


def _builder_inited(app) -> None:
    # the page's {download} link needs the file while the page is read: write the code now;
    # the executed version replaces it once every page is read (env-updated)
    for docname in app.config.runblock_notebooks:
        if not _target(app, docname).exists():
            write_notebook(_target(app, docname), markdown_to_notebook(_source(app, docname)))


def _env_updated(app, env) -> list[str]:
    _write_all(app, with_outputs=True)
    return []


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.config.runblock_notebooks:
        folder = pathlib.Path(app.outdir) / docname.rpartition("/")[0]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_target(app, docname), folder / _target(app, docname).name)


def setup(app):
    app.add_config_value("runblock_notebooks", [], "env")
    app.connect("builder-inited", _builder_inited)
    app.connect("env-updated", _env_updated)
    app.connect("build-finished", _build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
