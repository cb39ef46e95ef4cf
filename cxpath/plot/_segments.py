"""Pictures of segments: the criterion per number of clusters, and segment profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import cell_text_color, check_result, cmap, get_axes, short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..customers import ClusterSelection, CustomerSegments, JourneyClusters

__all__ = ["cluster_selection", "segment_profiles"]


def cluster_selection(result: ClusterSelection | CustomerSegments | JourneyClusters,
                      ax: Axes | None = None, **style: Any) -> Axes:
    """The criterion (silhouette or BIC) for each number of clusters tried, the chosen marked.

    Parameters
    ----------
    result : ClusterSelection, CustomerSegments or JourneyClusters
        From :func:`~cxpath.customers.segment_customers` or
        :func:`~cxpath.customers.segment_journeys` (their ``selection``).
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes
        One point per ``k``, joined; the chosen ``k`` circled.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from cxpath.customers import segment_customers
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(6, 1, (30, 2))])
    >>> ax = segment_customers(x, k=[2, 3, 4], n_boot=0).selection.plot()
    >>> ax.lines[0].get_xdata().tolist()
    [2, 3, 4]
    """
    from ..customers import ClusterSelection, CustomerSegments, JourneyClusters

    if isinstance(result, (CustomerSegments, JourneyClusters)):
        result = result.selection
    check_result(result, ClusterSelection, "cluster_selection",
                 "a ClusterSelection, CustomerSegments or JourneyClusters "
                 "(customers.segment_customers, customers.segment_journeys)")
    ax = get_axes(ax, "cluster_selection", figsize=(6.0, 3.5))
    k = result.k.tolist()
    ax.plot(k, result.score, marker="o", **style)
    best = result.chosen
    ax.plot(result.k[best], result.score[best], marker="o", markersize=14, fillstyle="none",
            linestyle="none", color="black", label="chosen")
    rule = "largest wins" if result.criterion == "silhouette" else "smallest wins"
    ax.set_xticks(k)
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"{'mean silhouette' if result.criterion == 'silhouette' else 'BIC'}")
    ax.set_title(f"Number of clusters by {result.criterion} ({rule})")
    ax.legend(loc="best", fontsize=8)
    return ax


def segment_profiles(result: CustomerSegments, ax: Axes | None = None, *,
                     cmap_name: str = "RdBu_r", annotate: bool = True) -> Axes:
    """Heat map of the segments' feature means, standardised (z-scores), sizes on the axis.

    Parameters
    ----------
    result : CustomerSegments
    ax : matplotlib Axes, optional
    cmap_name : str, default 'RdBu_r'
        A diverging colormap: above the overall mean red, below blue.
    annotate : bool, default True
        Write the mean in original units in each cell.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from cxpath.customers import segment_customers
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(6, 1, (30, 2))])
    >>> ax = segment_customers({"visits": x[:, 0], "spend": x[:, 1]}, k=2, n_boot=0).plot()
    >>> ax.images[0].get_array().shape
    (2, 2)
    """
    from ..customers import CustomerSegments

    check_result(result, CustomerSegments, "segment_profiles",
                 "a CustomerSegments (customers.segment_customers)")
    annotate = v.check_bool(annotate, "annotate", "plot.segment_profiles")
    k, p = result.means.shape
    ax = get_axes(ax, "segment_profiles", figsize=(max(5.0, 1.1 * p + 2.5),
                                                   max(2.5, 0.45 * k + 1.5)))
    z = (result.means - result.center) / result.scale
    lim = float(max(np.abs(z).max(), 1e-9))
    image = ax.imshow(z, cmap=cmap(cmap_name, "segment_profiles"), vmin=-lim, vmax=lim,
                      aspect="auto")
    if annotate:
        for (i, j), val in np.ndenumerate(result.means):
            ax.text(j, i, f"{val:.3g}", ha="center", va="center", fontsize=8,
                    color=cell_text_color(abs(z[i, j]), 0.0, lim))
    ax.set_xticks(np.arange(p), [short(f, 16) for f in result.features])
    ax.set_yticks(np.arange(k), [f"{s} (n={n:,})" for s, n in zip(result.segment,
                                                                  result.size.tolist())],
                  fontsize=8)
    ax.figure.colorbar(image, ax=ax, label="standardised mean (z)")
    ax.set_title("Segment profiles")
    return ax
