"""Pictures of the cause trees (cxpath.rca): the fishbone diagram with its counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import _validate as v
from ._common import check_result, get_axes, short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..rca import Fishbone

__all__ = ["fishbone"]


def fishbone(result: Fishbone, ax: Axes | None = None, *, depth: int = 2,
             **style: Any) -> Axes:
    """Ishikawa diagram: the spine to the effect, major bones above and below, sub-causes
    as ribs, each labelled with its total; the vital few in a darker colour.

    Parameters
    ----------
    result : Fishbone
        From :func:`cxpath.rca.fishbone`.
    ax : matplotlib Axes, optional
    depth : int, default 2
        Levels drawn (1: major bones only, 2: with their sub-causes, 3: and one level more,
        listed under each sub-cause).
    **style
        Passed to the lines (:meth:`~matplotlib.axes.Axes.plot`).

    Returns
    -------
    matplotlib.axes.Axes
        One line for the spine, one per major bone and one per drawn sub-cause.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Fishbone or ``depth`` is not in [1, 3].

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.rca import fishbone as count
    >>> fb = count({"People": ["untrained", "rude"], "System": ["CRM down"]},
    ...            {"untrained": 40, "rude": 10, "CRM down": 30})
    >>> ax = fishbone(fb)
    >>> len(ax.lines)  # spine, 2 bones, 3 ribs
    6
    """
    from ..rca import Fishbone

    func = "plot.fishbone"
    check_result(result, Fishbone, "fishbone", "a cxpath.rca.Fishbone (rca.fishbone)")
    depth = v.check_int(depth, "depth", func, low=1, high=3)
    ax = get_axes(ax, "fishbone", figsize=(10.0, 5.5))
    majors = [i for i in range(len(result.path)) if result.level[i] == 1]
    n_slots = max(1, (len(majors) + 1) // 2)
    length = 10.0
    ax.plot([0.0, length], [0.0, 0.0], color="black", linewidth=2.0, **style)
    ax.annotate(short(result.effect, 30), (length, 0.0), xytext=(6, 0),
                textcoords="offset points", va="center", ha="left", fontsize=10,
                fontweight="bold", bbox={"boxstyle": "round", "fc": "#f2f2f2"})
    dark, light = "#1f4e79", "#9dc3e6"
    for slot, i in enumerate(majors):
        up = 1.0 if slot % 2 == 0 else -1.0
        x_end = length * (0.85 - 0.8 * (slot // 2) / n_slots)
        x_start, y_start = x_end - 2.0, 3.0 * up
        color = dark if result.vital[i] else light
        ax.plot([x_start, x_end], [y_start, 0.0], color=color, linewidth=1.6, **style)
        ax.annotate(f"{short(result.cause[i], 22)} ({result.total[i]:g})", (x_start, y_start),
                    xytext=(0, 6 * up), textcoords="offset points", ha="center",
                    va="bottom" if up > 0 else "top", fontsize=9, fontweight="bold",
                    color=color)
        if depth < 2:
            continue
        kids = [j for j in range(len(result.path)) if result.parent[j] == result.cause[i]
                and result.level[j] == 2]
        for r, j in enumerate(kids):
            t = (r + 1) / (len(kids) + 1)
            x0, y0 = x_start + 2.0 * t, y_start * (1 - t)
            kid_color = dark if result.vital[j] else light
            ax.plot([x0 - 1.4, x0], [y0, y0], color=kid_color, linewidth=1.0, **style)
            text = f"{short(result.cause[j], 20)} ({result.total[j]:g})"
            if depth >= 3:
                grand = [k for k in range(len(result.path))
                         if result.parent[k] == result.cause[j]]
                text += "".join(f"\n  {short(result.cause[k], 18)} ({result.total[k]:g})"
                                for k in grand)
            ax.annotate(text, (x0 - 1.4, y0), xytext=(-3, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=7, color="black")
    ax.set_xlim(-3.0, length + 3.0)
    ax.set_ylim(-4.2, 4.2)
    ax.set_axis_off()
    ax.set_title(f"{result.measure} by cause (total {result.grand_total:g})", fontsize=10)
    return ax
