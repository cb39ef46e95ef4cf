"""Drawing a report's figures (needs the ``plot`` extra: matplotlib)."""

from __future__ import annotations

import base64
import io
import pathlib

from ._blocks import Figure

__all__ = ["figure_png", "have_matplotlib", "save_figures"]


def have_matplotlib() -> bool:
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    return True


def figure_png(figure: Figure) -> bytes:
    """The PNG bytes of one figure."""
    import matplotlib.pyplot as plt

    fig = figure.make()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def refuse_link(path: pathlib.Path) -> None:
    """The shaped error when ``path`` is a symbolic link: the report never writes through
    one, so nothing lands outside its folder."""
    if path.is_symlink():
        from .._validate import fail

        fail("out_dir", "report.write_report", "free of symbolic links where the report is "
             "written", got=f"{path} is a link")


def save_figures(report, folder: pathlib.Path) -> dict:
    """Save every figure as ``folder/<section>-<i>.png``; ``{id(figure): relative path}``."""
    if not have_matplotlib():
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    saved = {}
    for section in report.sections:
        figures = [b for b in section.blocks if isinstance(b, Figure)]
        for i, figure in enumerate(figures, start=1):
            name = f"{section.key}-{i}.png"
            refuse_link(folder / name)
            (folder / name).write_bytes(figure_png(figure))
            saved[id(figure)] = f"{folder.name}/{name}"
    return saved
