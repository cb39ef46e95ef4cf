"""Shapley-value attribution: exact (subset-sum transform), equal-split, ordered, sampled."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, drawn_by, result
from ._paths import AttributionPaths, check_seed, prepare
from .result import Attribution, rank_channels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ColumnLike, TableLike
    from ..journeys import Journeys, JourneyStats

__all__ = ["ShapleyAttribution", "shapley"]

FUNC = "attribution.shapley"
EXACT_LIMIT = 24  # 2**24 coalitions: 128 MB per characteristic function
#: exact Shapley values of at most this many coalition-channel-row steps (``f.size * n``)
#: run interpreted while the kernel is not compiled (~0.5 µs a step, so ~0.25 s at the
#: limit, against ~0.7 s of CPU to compile it in a fresh process)
SHAPLEY_SMALL_WORK = 1 << 19


@drawn_by("attribution")
@result
class ShapleyAttribution(Result):
    """Shapley credit of channels in the coverage game of the journeys.

    Channels are ranked by their conversion credit, largest first (equal credit: label
    order).

    Attributes
    ----------
    channels : tuple of str
    channel : ndarray of object
        ``channels`` as the table's column.
    method : str
        'exact', 'simplified', 'ordered' or 'permutation'.
    conversions, value : ndarray (n_channels,)
        Shapley values of ``v(S)`` = conversions (value) of journeys whose channel set lies
        inside ``S``; they add up to the totals.
    conversions_se, value_se : ndarray (n_channels,) or None
        Monte-Carlo standard errors ('permutation' only).
    ordered_conversions, ordered_value : ndarray (n_channels, n_positions) or None
        'ordered' only: credit of each channel as the 1st, 2nd … distinct channel of the
        journeys; rows add up to ``conversions``.
    n_permutations : int
    n_channel_sets : int
        Distinct channel sets among the journeys.
    total_conversions, total_value, unattributed_conversions, unattributed_value : float
    has_value : bool
    missing_value_conversions : float
        Conversions on journeys without a value, left out of the value credit.
    """

    channels: tuple
    method: str
    conversions: np.ndarray
    value: np.ndarray
    total_conversions: float
    total_value: float
    unattributed_conversions: float
    unattributed_value: float
    has_value: bool
    n_channel_sets: int
    n_permutations: int = 0
    conversions_se: np.ndarray | None = None
    value_se: np.ndarray | None = None
    ordered_conversions: np.ndarray | None = None
    ordered_value: np.ndarray | None = None
    missing_value_conversions: float = 0.0

    _derived = derived_columns({
        "position_{k}": "credit as the k-th distinct channel of the journeys, "
                        "``ordered_conversions[:, k - 1]`` (method 'ordered')"})
    _key = "channel"

    @property
    def channel(self) -> np.ndarray:
        """``channels`` as the table's column."""
        return np.array(self.channels, dtype=object)

    def to_attribution(self) -> Attribution:
        """This model as an :class:`Attribution` (for comparison with other models)."""
        return Attribution(channels=self.channels, models=("shapley",),
                           conversions=self.conversions[None, :],
                           value=self.value[None, :] if self.has_value else None,
                           total_conversions=self.total_conversions,
                           total_value=self.total_value,
                           unattributed_conversions=self.unattributed_conversions,
                           unattributed_value=self.unattributed_value,
                           missing_value_conversions=self.missing_value_conversions,
                           details={"shapley": self})

    def _columns(self) -> dict:
        cols = {"channel": self.channel, "conversions": self.conversions}
        if self.conversions_se is not None:
            cols["conversions_se"] = self.conversions_se
        if self.has_value:
            cols["value"] = self.value
            if self.value_se is not None:
                cols["value_se"] = self.value_se
        if self.ordered_conversions is not None:
            for p in range(self.ordered_conversions.shape[1]):
                cols[f"position_{p + 1}"] = self.ordered_conversions[:, p]
        return cols

    def _title(self) -> str:
        return f"Shapley attribution ({self.method})"

    def _summary(self) -> list[str]:
        line = f"{len(self.channels)} channels, {self.n_channel_sets:,} distinct channel sets"
        if self.n_permutations:
            line += f", {self.n_permutations:,} sampled orders"
        return [line]


def _channel_sets(paths):
    """Distinct channel sets as CSR arrays (sorted members) and each journey's set."""
    from .._kernels._jit import by_work
    from .._kernels.attribution import channel_masks
    from ..journeys.stats import INTERPRETED_EVENTS, _gather_paths
    from ..journeys.variants import group_paths

    n = paths.n_channels
    if n <= 62:  # bit masks: one sort of a 64-bit key per journey
        masks = by_work(channel_masks, len(paths.codes), INTERPRETED_EVENTS)(paths.codes,
                                                                     paths.offsets)
        masks, group = np.unique(masks,
                                 return_inverse=True)
        rows, cols = np.nonzero((masks[:, None] >> np.arange(n)) & 1)
        counts = np.bincount(rows, minlength=len(masks))
        return cols.astype(np.int64), np.concatenate(([0], np.cumsum(counts))), group
    case = np.repeat(np.arange(len(paths.offsets) - 1), np.diff(paths.offsets))
    pairs = np.unique(case * n + paths.codes)
    counts = np.bincount(pairs // n, minlength=len(paths.offsets) - 1)
    codes = (pairs % n).astype(np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    rep, group, _ = group_paths(codes, offsets)
    set_codes, set_offsets = _gather_paths(codes, offsets, rep)
    return set_codes, set_offsets, group


def shapley(data: Journeys | JourneyStats | TableLike, *, method: str = "auto",
            n_permutations: int = 1000, seed: int | np.random.Generator | None = None,
            by: str = "touchpoint", exclude: str | Sequence[str] | None = None,
            path: ColumnLike | None = None, conversions: ColumnLike | None = None,
            nulls: ColumnLike | None = None, value: ColumnLike | None = None,
            sep: str = ">") -> ShapleyAttribution:
    """Shapley-value attribution of conversions and value to channels.

    The game: a coalition ``S`` of channels earns ``v(S)``, the conversions (or value) of
    the journeys whose set of channels lies inside ``S``. ``'exact'`` builds ``v`` for all
    2ⁿ coalitions with the zeta (subset-sum) transform and sums the Shapley formula, in
    O(n·2ⁿ) (up to 24 channels). Because ``v`` is a sum of unanimity games, the result
    equals ``'simplified'``: each journey's conversions split equally over its distinct
    channels (Zhao et al. 2018), computed in one pass for any number of channels.
    ``'ordered'`` also reports that split by the order in which channels first appear.
    ``'permutation'`` samples arrival orders and reports Monte-Carlo standard errors.

    Parameters
    ----------
    data : Journeys, JourneyStats or table
        As in :func:`markov`.
    method : {'auto', 'exact', 'simplified', 'ordered', 'permutation'}, default 'auto'
        'auto' is 'exact' up to 20 channels and 'simplified' beyond.
    n_permutations : int, default 1000
        Sampled orders for 'permutation'.
    seed : int or numpy.random.Generator, optional
        Seed for 'permutation' (an integer >= 0).
    by, exclude, path, conversions, nulls, value, sep
        As in :func:`markov`.

    Returns
    -------
    ShapleyAttribution
        Channels ranked by their credit, largest first. A converting journey without a
        value keeps its conversions but adds nothing to the value credit (counted in
        ``missing_value_conversions``, with a :class:`~cxpath.errors.CxpathWarning`; see
        :func:`markov`).

    References
    ----------
    Zhao, Mahboobi, Bagheri (2018), Shapley Value Methods for Attribution Modeling in
    Online Advertising. arXiv:1804.05327.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import shapley
    >>> j = Journeys.from_paths(["a > b", "a", "b > b"], conversions=[4, 2, 1])
    >>> shapley(j).conversions.tolist()
    [4.0, 3.0]
    """
    options = _options(FUNC, method=method, n_permutations=n_permutations, seed=seed)
    paths = prepare(data, FUNC, by=by, exclude=exclude, path=path, conversions=conversions,
                    nulls=nulls, value=value, sep=sep)
    return _shapley(paths, FUNC, **options)


PERMUTATION_CHUNK = 256  # sampled orders per kernel call (Ctrl-C lands between calls)


def _options(func: str, *, method, n_permutations, seed) -> dict:
    """Checked options of :func:`shapley` (errors name ``func``)."""
    if not isinstance(method, str):
        v.fail("method", func, "one of 'auto', 'exact', 'simplified', 'ordered', "
               "'permutation'", method, wrong_type=True)
    return dict(method=v.check_option(method, "method", func,
                                      ("auto", "exact", "simplified", "ordered",
                                       "permutation")),
                n_permutations=v.check_int(n_permutations, "n_permutations", func, low=2),
                rng=check_seed(seed, func))


def _shapley(paths: AttributionPaths, func: str, *, method: str, n_permutations: int,
             rng: np.random.Generator) -> ShapleyAttribution:
    """Shapley attribution of prepared paths (options checked by :func:`_options`)."""
    from .._budget import check_memory
    from .._kernels._jit import by_work
    from .._kernels.attribution import (
        channel_masks,
        equal_split,
        permutation_credit,
        shapley_from_subsets,
    )
    from ..journeys.stats import INTERPRETED_EVENTS

    n = paths.n_channels
    if method == "auto":
        method = "exact" if n <= 20 else "simplified"
    if method == "exact" and n > EXACT_LIMIT:
        v.fail("method", func, f"'simplified' or 'permutation' beyond {EXACT_LIMIT} channels",
               got=f"'exact' with {n} channels")
    weights = np.vstack([paths.conversions, paths.value])
    extra: dict = {}
    if method == "exact":
        masks = by_work(channel_masks, len(paths.codes), INTERPRETED_EVENTS)(paths.codes,
                                                                     paths.offsets)
        f = np.vstack([np.bincount(masks, weights=w, minlength=1 << n) for w in weights])
        n_sets = int(np.count_nonzero(np.bincount(masks, minlength=1 << n)))
        phi, _ = by_work(shapley_from_subsets, f.size * n, SHAPLEY_SMALL_WORK)(f, n)
    elif method in ("simplified", "ordered"):
        split = equal_split(paths.codes, paths.offsets, weights, n)
        phi = split.sum(axis=2)
        n_sets = len(_channel_sets(paths)[1]) - 1
        if method == "ordered":
            extra = dict(ordered_conversions=split[0], ordered_value=split[1])
    else:
        check_memory(n_permutations * n * 8.0 * 3, func,
                     f"{n_permutations:,} sampled orders of {n:,} channels",
                     how="Ask for fewer orders (n_permutations=), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable.")
        set_codes, set_offsets, group = _channel_sets(paths)
        n_sets = len(set_offsets) - 1
        set_weights = np.vstack([np.bincount(group, weights=w, minlength=n_sets)
                                 for w in weights])
        phi, m2, done = np.zeros((2, n)), np.zeros((2, n)), 0
        for lo in range(0, n_permutations, PERMUTATION_CHUNK):
            size = min(PERMUTATION_CHUNK, n_permutations - lo)
            orders = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (size, 1)), axis=1)
            draws = permutation_credit(set_codes, set_offsets, set_weights, orders)
            mean = draws.mean(axis=0)  # chunks merged as Chan et al. (1979) merge moments
            delta = mean - phi
            done += size
            phi = phi + delta * size / done
            m2 += ((draws - mean) ** 2).sum(axis=0) + delta ** 2 * (done - size) * size / done
        se = np.sqrt(m2 / (n_permutations - 1) / n_permutations)
        extra = dict(n_permutations=n_permutations, conversions_se=se[0], value_se=se[1])
    res = ShapleyAttribution(
        channels=paths.channels, method=method, conversions=phi[0], value=phi[1],
        total_conversions=paths.total_conversions, total_value=paths.total_value,
        unattributed_conversions=paths.unattributed_conversions,
        unattributed_value=paths.unattributed_value, has_value=paths.has_value,
        n_channel_sets=n_sets, missing_value_conversions=paths.missing_value_conversions,
        **extra)
    return rank_channels(res, res.conversions, ("conversions", "value", "conversions_se",
                                                "value_se", "ordered_conversions",
                                                "ordered_value"))
