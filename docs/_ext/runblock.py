"""Sphinx directive ``runblock``: run Python at build time and show its code, output and figures.

Blocks of one page share a namespace, so a guide reads as one executed script. An exception
fails the build (with ``-W``, any warning does). Figures left open by a block are saved as
PNG next to the page's build images and shown below the block, then closed.

Usage in MyST Markdown::

    ```{runblock}
    print(1 + 1)
    ```
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import traceback

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

GENERATED = "_generated"


class RunBlock(SphinxDirective):
    has_content = True

    def run(self):
        env = self.env
        namespaces = env.temp_data.setdefault("runblock_namespaces", {})
        namespace = namespaces.setdefault(env.docname, {"__name__": "__runblock__"})
        counter = env.temp_data.setdefault("runblock_counter", {})
        code = "\n".join(self.content)
        out = io.StringIO()
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - docs extra installs matplotlib
            plt = None
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"<{env.docname} runblock>", "exec"), namespace)
        except Exception as err:
            raise self.error(f"runblock failed in {env.docname}:\n"
                             f"{traceback.format_exc()}") from err
        result = [nodes.literal_block(code, code, language="python")]
        text = out.getvalue()
        if text.strip():
            result.append(nodes.literal_block(text, text, language="text"))
        if plt is not None:
            folder = pathlib.Path(env.srcdir) / GENERATED
            folder.mkdir(exist_ok=True)
            for number in plt.get_fignums():
                n = counter[env.docname] = counter.get(env.docname, 0) + 1
                name = f"{env.docname.replace('/', '-')}-{n}.png"
                plt.figure(number).savefig(folder / name, dpi=100, bbox_inches="tight")
                depth = env.docname.count("/")
                result.append(nodes.image(uri="../" * depth + f"{GENERATED}/{name}",
                                          alt=f"figure {n}"))
            plt.close("all")
        return result


def setup(app):
    app.add_directive("runblock", RunBlock)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
