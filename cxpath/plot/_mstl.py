"""Picture of an MSTL decomposition: the series and its components in stacked panels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import check_result, get_axes, pyplot

if TYPE_CHECKING:
    from ..forecast.mstl import MSTLDecomposition

__all__ = ["mstl_decomposition"]


def mstl_decomposition(result: MSTLDecomposition, ax: Any = None, *, last: int | None = None,
                       **style: Any) -> Any:
    """Observed series, trend, each seasonal component and the remainder.

    Parameters
    ----------
    result : MSTLDecomposition
        From :func:`cxpath.forecast.mstl_decompose` (or ``info["decomposition"]`` of
        :func:`cxpath.forecast.mstl_forecast`).
    ax : matplotlib Axes, optional
        None: a new figure with one panel per component (returned). An Axes: every
        component drawn on it, one line each (the Axes is returned).
    last : int, optional
        Draw only the last ``last`` observations (default all).
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot` for every line.

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes

    Raises
    ------
    InvalidParameterError
        If ``result`` is not an MSTLDecomposition, or ``last`` is not a positive integer.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from cxpath.forecast import mstl_decompose
    >>> t = np.arange(336)
    >>> d = mstl_decompose(10 + np.sin(2 * np.pi * t / 12) + np.cos(2 * np.pi * t / 84),
    ...                    [12, 84])
    >>> fig = d.plot()
    >>> len(fig.axes)  # observed, trend, two seasonal components, remainder
    5
    """
    from ..forecast.mstl import MSTLDecomposition

    func = "plot.mstl_decomposition"
    check_result(result, MSTLDecomposition, "mstl_decomposition",
                 "a cxpath.forecast.MSTLDecomposition")
    n = result.observed.shape[0]
    last = n if last is None else min(v.check_int(last, "last", func, low=1), n)
    part = slice(n - last, n)
    x = np.arange(n)[part]
    panels = [("observed", result.observed), ("trend", result.trend)]
    panels += [(f"seasonal {p}", s) for p, s in zip(result.periods, result.seasonal)]
    panels.append(("remainder", result.remainder))
    style = {"linewidth": 0.8, **style}
    if ax is not None:
        ax = get_axes(ax, "mstl_decomposition")
        for name, values in panels:
            ax.plot(x, values[part], label=name, **style)
        ax.legend(fontsize=7, loc="upper left")
        ax.set_xlabel("observation")
        ax.set_title(result._title())
        return ax
    plt = pyplot("mstl_decomposition")
    fig, axes = plt.subplots(len(panels), 1, sharex=True, layout="constrained",
                             figsize=(9.0, 1.6 * len(panels)))
    for a, (name, values) in zip(axes, panels):
        a.plot(x, values[part], color="#08306b", **style)
        a.set_ylabel(name, fontsize=8)
    axes[-1].set_xlabel("observation")
    fig.suptitle(result._title())
    return fig
