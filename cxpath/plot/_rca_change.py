"""Picture of a KPI change split into mix and rate effects per segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._common import check_result, check_top, get_axes, short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..rca import ChangeDecomposition

__all__ = ["change_decomposition"]


def change_decomposition(result: ChangeDecomposition, ax: Axes | None = None, *,
                         top: int | None = 10, **style: Any) -> Axes:
    """Horizontal bars of each segment's mix and rate effect, with its contribution.

    Parameters
    ----------
    result : ChangeDecomposition
        From :func:`cxpath.rca.decompose_change`.
    ax : matplotlib Axes, optional
    top : int or None, default 10
        Segments drawn (the largest contributions; the rest are summed in one bar
        'other'); None draws all.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        Per segment (largest contribution on top) a bar of the mix effect and one of the
        rate effect starting where it ends, a dot at the contribution with its interval,
        and a vertical line at 0; the title gives the change.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a ChangeDecomposition, or ``top`` is not None or a positive
        integer.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.plot._rca_change import change_decomposition
    >>> from cxpath.rca import decompose_change
    >>> d = decompose_change([1, 1, 0, 1, 0, 0, 1, 0], ["a"] * 4 + ["b"] * 4,
    ...                      by={"channel": ["chat", "chat", "phone", "phone"] * 2})
    >>> ax = change_decomposition(d)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['chat', 'phone']
    """
    from ..rca import ChangeDecomposition

    func = "change_decomposition"
    check_result(result, ChangeDecomposition, func,
                 "a cxpath.rca.ChangeDecomposition (rca.decompose_change)")
    top = check_top(top, func)
    k = len(result.contribution)
    shown = k if top is None or top >= k else top
    labels = [short(" × ".join(map(str, row))) for row in result.cells[:shown]]
    mix = list(result.mix_effect[:shown])
    rate = list(result.rate_effect[:shown])
    total = list(result.contribution[:shown])
    low = list(result.ci_low[:shown])
    high = list(result.ci_high[:shown])
    if shown < k:
        labels.append(f"other ({k - shown})")
        mix.append(float(np.sum(result.mix_effect[shown:])))
        rate.append(float(np.sum(result.rate_effect[shown:])))
        total.append(float(np.sum(result.contribution[shown:])))
        low.append(np.nan)
        high.append(np.nan)
    n = len(labels)
    ax = get_axes(ax, func, figsize=(7.0, max(2.5, 0.4 * n + 1.5)))
    y = np.arange(n)[::-1]
    height = style.pop("height", 0.6)
    ax.barh(y, mix, height=height, label="mix effect", color="#9ecae1", **style)
    ax.barh(y, rate, left=mix, height=height, label="rate effect", color="#3182bd", **style)
    err = np.array([np.subtract(total, low), np.subtract(high, total)])
    ax.errorbar(total, y, xerr=np.where(np.isfinite(err), err, 0.0), fmt="o", color="black",
                ms=4, capsize=3, label=f"contribution ({result.confidence:.0%} CI)")
    ax.axvline(0.0, color="grey", lw=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(f"contribution to the change of {result.kpi}")
    ax.set_title(f"{result.kpi}: {result.kpi_before:.4g} → {result.kpi_after:.4g} "
                 f"({result.change:+.4g})")
    ax.legend(loc="best", fontsize=8)
    return ax
