"""Shared helpers of the plot functions: lazy matplotlib, axes and argument checks."""

from __future__ import annotations

from .. import _validate as v
from .._optional import require


def pyplot(func: str):
    """``matplotlib.pyplot``, or a MissingExtraError naming the ``plot`` extra."""
    require("matplotlib", f"plot.{func}")
    return require("matplotlib.pyplot", f"plot.{func}")


def get_axes(ax, func: str, figsize=(7.0, 4.5)):
    """``ax`` checked to be a matplotlib Axes, or a new figure's Axes when None."""
    plt = pyplot(func)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        v.fail("ax", f"plot.{func}", "None or a matplotlib Axes", got=type(ax).__name__)
    return ax


def check_result(result, cls, func: str, what: str, name: str = "result"):
    """Fail with the shaped message unless ``result`` is a ``cls``."""
    if not isinstance(result, cls):
        v.fail(name, f"plot.{func}", what, got=f"an object of type {type(result).__name__}")
    return result


def check_top(top, func: str):
    """``top``: None or a positive int."""
    return None if top is None else v.check_int(top, "top", f"plot.{func}", low=1)


def cmap(name, func: str):
    """A matplotlib colormap by name (or a Colormap passed through)."""
    mpl = require("matplotlib", f"plot.{func}")
    if isinstance(name, mpl.colors.Colormap):
        return name
    try:
        return mpl.colormaps[name]
    except (KeyError, TypeError):
        v.fail("cmap", f"plot.{func}", "a matplotlib colormap or its name", name)


def short(text, width: int = 28) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def cell_text_color(value, vmin, vmax) -> str:
    """Black or white text for a heat-map cell, by how dark the cell is."""
    if vmax <= vmin:
        return "black"
    return "white" if (value - vmin) / (vmax - vmin) > 0.6 else "black"
