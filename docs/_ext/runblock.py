"""Sphinx directive ``runblock``: run Python at build time and show its code, output and figures.

Blocks of one page share a namespace, so a guide reads as one executed script, and run in
the page's source folder (as a notebook runs in its own), so relative paths such as
``../_data/...`` work wherever ``sphinx-build`` is started. An exception fails the build (with
``-W``, any warning does). What a block writes to stderr (progress lines, Python warnings) is
shown after its printed output, as a notebook shows it. Figures left open by a block are saved
as PNG next to the page's build images and shown below the block, then closed.

As in a notebook, a block that ends with a bare expression shows its value: a cxpath result,
a pandas DataFrame or anything else with ``_repr_html_`` as its HTML table (its text repr in
non-HTML builders), any other value (not ``None``) as its ``repr``. End the line with ``;`` to
show nothing.

Usage in MyST Markdown::

    ```{runblock}
    from cxpath.journeys import variants
    variants(journeys, top=5)
    ```

What each block printed and showed is kept per page (``env.runblock_outputs``), in notebook
(nbformat 4) output form, for the ``notebook`` extension.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import os
import pathlib
import traceback

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

GENERATED = "_generated"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def run_code(code: str, namespace: dict, filename: str):
    """Execute ``code`` in ``namespace``; return (stdout, stderr, value of a final expression).

    The value is ``None`` when the code does not end with an expression, or ends with ``;``.
    """
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    out, err = io.StringIO(), io.StringIO()
    value = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        exec(compile(tree, filename, "exec"), namespace)
        if last is not None:
            value = eval(compile(last, filename, "eval"), namespace)
    return out.getvalue(), err.getvalue(), value


class RunBlock(SphinxDirective):
    has_content = True

    def run(self):
        env = self.env
        namespaces = env.temp_data.setdefault("runblock_namespaces", {})
        namespace = namespaces.setdefault(env.docname, {"__name__": "__runblock__"})
        counter = env.temp_data.setdefault("runblock_counter", {})
        code = "\n".join(self.content)
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - docs extra installs matplotlib
            plt = None
        here = os.getcwd()
        try:
            os.chdir(pathlib.Path(env.doc2path(env.docname)).parent)
            text, errors, value = run_code(code, namespace, f"<{env.docname} runblock>")
        except Exception as err:
            raise self.error(f"runblock failed in {env.docname}:\n"
                             f"{traceback.format_exc()}") from err
        finally:
            os.chdir(here)
        outputs = []  # nbformat-4 outputs of this block, for the notebook extension
        result = [nodes.literal_block(code, code, language="python")]
        if text.strip():
            result.append(nodes.literal_block(text, text, language="text"))
            outputs.append({"output_type": "stream", "name": "stdout", "text": _lines(text)})
        if errors.strip():  # progress lines, Python warnings: shown as a notebook shows them
            result.append(nodes.literal_block(errors, errors, language="text",
                                              classes=["runblock-stderr"]))
            outputs.append({"output_type": "stream", "name": "stderr", "text": _lines(errors)})
        if value is not None:
            result.extend(self._show_value(value, outputs))
        if plt is not None:
            folder = pathlib.Path(env.srcdir) / GENERATED
            folder.mkdir(exist_ok=True)
            for number in plt.get_fignums():
                n = counter[env.docname] = counter.get(env.docname, 0) + 1
                name = f"{env.docname.replace('/', '-')}-{n}.png"
                figure = plt.figure(number)
                figure.savefig(folder / name, dpi=100, bbox_inches="tight")
                depth = env.docname.count("/")
                result.append(nodes.image(uri="../" * depth + f"{GENERATED}/{name}",
                                          alt=f"figure {n}"))
                png = base64.b64encode((folder / name).read_bytes()).decode("ascii")
                outputs.append({"output_type": "display_data", "metadata": {},
                                "data": {"image/png": png, "text/plain": [repr(figure)]}})
            plt.close("all")
        records = env.runblock_outputs.setdefault(env.docname, [])
        records.append({"code": code, "outputs": outputs})
        return result

    @staticmethod
    def _show_value(value, outputs):
        plain = repr(value)
        data = {"text/plain": _lines(plain)}
        shown = []
        html = None
        if hasattr(value, "_repr_html_") and not isinstance(value, type):
            html = value._repr_html_()
        if html:
            data["text/html"] = _lines(html)
            shown.append(nodes.container("", nodes.raw("", html, format="html"),
                                         classes=["runblock-html"]))
            fallback = addnodes.only(expr="not html")
            fallback += nodes.literal_block(plain, plain, language="text")
            shown.append(fallback)
        else:
            shown.append(nodes.literal_block(plain, plain, language="text"))
        outputs.append({"output_type": "execute_result", "execution_count": None,
                        "metadata": {}, "data": data})
        return shown


def _init_env(app, env, docnames):
    if not hasattr(env, "runblock_outputs"):
        env.runblock_outputs = {}


def _purge(app, env, docname):
    getattr(env, "runblock_outputs", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    env.runblock_outputs = getattr(env, "runblock_outputs", {})
    for docname in docnames:
        if docname in getattr(other, "runblock_outputs", {}):
            env.runblock_outputs[docname] = other.runblock_outputs[docname]


def setup(app):
    app.add_directive("runblock", RunBlock)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
