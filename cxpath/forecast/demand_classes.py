"""Demand classes of parts: ADI / CV² (smooth, erratic, intermittent, lumpy), ABC by value
share and XYZ by variability.

The ADI / CV² scheme (Syntetos, Boylan & Croston 2005) picks the forecasting method: SES
for smooth demand, SBA for the other three. ABC (value) and XYZ (variability) classes
decide where stock and planning effort go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from ._base import part_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["DemandClasses", "demand_classes"]


@result
class DemandClasses(Result):
    """Demand classes per part (see :func:`demand_classes`).

    Attributes
    ----------
    part : ndarray of str
    demands : ndarray of int
        Periods with a demand.
    adi : ndarray
        Average inter-demand interval (``inf`` without demand).
    cv2 : ndarray
        Squared coefficient of variation of the non-zero demand sizes (NaN without
        demand).
    category : ndarray of str
        'smooth', 'erratic', 'intermittent', 'lumpy' or 'none' (no demand).
    value : ndarray
        Total demand times unit cost (or total demand without costs).
    value_share : ndarray
        ``value`` over the total of all parts.
    abc : ndarray of str
        'A', 'B' or 'C' by cumulative value share.
    cv : ndarray
        Coefficient of variation of the demand per period, zeros included (NaN without
        demand).
    xyz : ndarray of str
        'X', 'Y', 'Z' by ``cv``, or 'none'.
    adi_cut, cv2_cut : float
    abc_cuts, xyz_cuts : tuple of float
    """

    part: np.ndarray
    demands: np.ndarray
    adi: np.ndarray
    cv2: np.ndarray
    category: np.ndarray
    value: np.ndarray
    value_share: np.ndarray
    abc: np.ndarray
    cv: np.ndarray
    xyz: np.ndarray
    adi_cut: float
    cv2_cut: float
    abc_cuts: tuple
    xyz_cuts: tuple

    _key = "part"

    def _title(self) -> str:
        return "Demand classes"

    def _summary(self) -> list[str]:
        names, counts = np.unique(self.category.astype(str), return_counts=True)
        parts = ", ".join(f"{c} {n}" for n, c in zip(names, counts))
        return [f"{self.part.size} parts (ADI cut {self.adi_cut:g}, CV² cut "
                f"{self.cv2_cut:g}): {parts}"]

    def _columns(self) -> dict:
        return {"part": self.part, "demands": self.demands, "adi": self.adi, "cv2": self.cv2,
                "category": self.category, "value": self.value,
                "value_share": self.value_share, "abc": self.abc, "cv": self.cv,
                "xyz": self.xyz}

    def counts(self) -> dict:
        """Parts per ADI / CV² category.

        Returns
        -------
        dict
            ``{category: number of parts}`` for the categories present.

        Examples
        --------
        >>> from cxpath.forecast import demand_classes
        >>> demand_classes([[3, 4, 3, 5, 4, 3], [0, 0, 9, 0, 1, 0]]).counts()
        {'lumpy': 1, 'smooth': 1}
        """
        names, counts = np.unique(self.category.astype(str), return_counts=True)
        return {str(n): int(c) for n, c in zip(names, counts)}


def demand_classes(demand: ArrayLike, *, unit_cost: ArrayLike | None = None,
                   parts: Sequence[str] | ArrayLike | None = None, adi_cut: float = 1.32,
                   cv2_cut: float = 0.49, abc_cuts: Sequence[float] = (0.8, 0.95),
                   xyz_cuts: Sequence[float] = (0.5, 1.0)) -> DemandClasses:
    """Classify parts by demand pattern (ADI / CV²), value (ABC) and variability (XYZ).

    Parameters
    ----------
    demand : array-like of shape (parts, periods) or (periods,)
        Demand per period, ≥ 0, no missing values.
    unit_cost : float or array, optional
        Cost per unit (≥ 0) for the ABC value; without it the value is the total demand.
    parts : sequence of str, optional
        Part labels.
    adi_cut, cv2_cut : float, default 1.32 and 0.49
        The cut-offs of Syntetos, Boylan & Croston (2005).
    abc_cuts : (float, float), default (0.8, 0.95)
        Cumulative value shares closing class A and class B.
    xyz_cuts : (float, float), default (0.5, 1.0)
        Coefficients of variation closing class X and class Y.

    Returns
    -------
    DemandClasses

    Raises
    ------
    DataError
        Negative, NaN or inf demand; labels or costs of the wrong length.
    InvalidParameterError
        Non-positive cut-offs, or cuts not increasing within (0, 1] for ABC.

    Notes
    -----
    ``ADI`` is the mean of the intervals between demands with the first counted from the
    start of the series (Croston's decomposition), i.e. the position of the last demand
    (1-based) over the number of demands; ``CV²`` uses the population variance of the
    non-zero sizes (0 for a single demand). Smooth: ADI < cut and CV² < cut; erratic:
    ADI < cut, CV² ≥ cut; intermittent: ADI ≥ cut, CV² < cut; lumpy: both ≥ cut.

    ABC: parts sorted by value, largest first; a part is A while the cumulative share of
    the parts before it is below ``abc_cuts[0]``, B while below ``abc_cuts[1]``, else C
    (the part that crosses a line joins the higher class). XYZ: X if ``cv ≤ xyz_cuts[0]``,
    Y if ``≤ xyz_cuts[1]``, else Z (population standard deviation over the mean).

    References
    ----------
    Syntetos, A. A., Boylan, J. E., & Croston, J. D. (2005). On the categorization of
    demand patterns. *Journal of the Operational Research Society*, 56(5), 495-503.
    Scholz-Reiter, B., Heger, J., Meinecke, C., & Bergmann, J. (2012). Integration of
    demand forecasts in ABC-XYZ analysis. *International Journal of Productivity and
    Performance Management*, 61(4), 445-451.

    Examples
    --------
    >>> from cxpath.forecast import demand_classes
    >>> c = demand_classes([[3, 4, 3, 5, 4, 3], [0, 0, 9, 0, 1, 0], [0, 2, 0, 0, 2, 0]],
    ...                    unit_cost=[1.0, 2.0, 1.0])
    >>> c.category.tolist(), c.abc.tolist(), c.xyz.tolist()
    (['smooth', 'lumpy', 'intermittent'], ['A', 'A', 'B'], ['X', 'Z', 'Z'])
    """
    func = "forecast.demand_classes"
    x = v.as_float_array(demand, "demand", func, ndim=None, low=0.0)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.size == 0:
        v.fail("demand", func, "a non-empty series or a parts x periods matrix",
               got=f"an array of shape {x.shape}", data=True)
    m, n = x.shape
    adi_cut = v.check_real(adi_cut, "adi_cut", func, low=0.0, closed="neither")
    cv2_cut = v.check_real(cv2_cut, "cv2_cut", func, low=0.0, closed="neither")
    abc = _cuts(abc_cuts, "abc_cuts", func, high=1.0)
    xyz = _cuts(xyz_cuts, "xyz_cuts", func, high=None)
    labels = part_labels(parts, m, func)
    nz = x > 0
    k = nz.sum(axis=1)
    last = np.where(k > 0, n - np.argmax(nz[:, ::-1], axis=1), 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(k > 0, last / np.maximum(k, 1), np.inf)
        size_mean = np.where(k > 0, x.sum(axis=1) / np.maximum(k, 1), np.nan)
        size_var = np.where(k > 0, (np.where(nz, x, 0.0) ** 2).sum(axis=1) / np.maximum(k, 1)
                            - size_mean**2, np.nan)
        cv2 = np.maximum(size_var, 0.0) / size_mean**2
        mean = x.mean(axis=1)
        cv = np.where(mean > 0, x.std(axis=1) / np.where(mean > 0, mean, 1.0), np.nan)
    cat = np.where(adi < adi_cut, np.where(cv2 < cv2_cut, "smooth", "erratic"),
                   np.where(cv2 < cv2_cut, "intermittent", "lumpy")).astype(object)
    cat[k == 0] = "none"
    if unit_cost is None:
        cost = np.ones(m)
    else:
        cost = v.as_float_array(np.atleast_1d(unit_cost) if v.ndim(unit_cost) == 0
                                else unit_cost, "unit_cost", func, low=0.0)
        if cost.size not in (1, m):
            v.fail("unit_cost", func, f"one value or one per part ({m})",
                   got=f"{cost.size} values", data=True)
        cost = np.broadcast_to(cost, (m,))
    value = x.sum(axis=1) * cost
    total = float(value.sum())
    share = value / total if total > 0 else np.zeros(m)
    order = np.argsort(-value, kind="stable")
    before = np.empty(m)
    before[order] = np.concatenate([[0.0], np.cumsum(share[order])[:-1]])
    klass = np.where(before < abc[0] - 1e-12, "A", np.where(before < abc[1] - 1e-12, "B",
                                                            "C")).astype(object)
    if total == 0:
        klass[:] = "C"
    xyz_cls = np.where(cv <= xyz[0], "X", np.where(cv <= xyz[1], "Y", "Z")).astype(object)
    xyz_cls[~np.isfinite(cv)] = "none"
    return DemandClasses(labels.astype(object), k.astype(np.int64), adi, cv2, cat, value,
                         share, klass, cv, xyz_cls, adi_cut, cv2_cut, abc, xyz)


def _cuts(values, name, func, high) -> tuple:
    arr = v.as_float_array(values, name, func, low=0.0)
    bad = arr.size != 2 or arr[0] <= 0 or arr[1] <= arr[0] or (high is not None and
                                                               arr[1] > high)
    if bad:
        rng = "in (0, 1]" if high is not None else "positive"
        v.fail(name, func, f"two increasing cut-offs {rng}", got=f"{arr.tolist()}")
    return (float(arr[0]), float(arr[1]))
