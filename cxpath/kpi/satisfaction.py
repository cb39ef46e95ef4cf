"""Satisfaction and loyalty scores with honest uncertainty: NPS, CSAT and CES.

Every function takes the scores (or a column of ``data``), optional survey weights and an
optional ``by`` segment column, and returns one row per segment with its interval.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column
from .._results import Result, alias, result
from .._stats import wilson_interval
from ._common import segments, z_value

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike

__all__ = ["NPS", "Rating", "ces", "csat", "nps", "nps_sample_size"]

NAN_POLICIES = ("raise", "omit")


def _scores(data, scores, weights, by, low, high, nan_policy, func):
    """Checked scores, weights, segment codes and labels, and the number of omitted NaN."""
    v.check_option(nan_policy, "nan_policy", func, NAN_POLICIES)
    x = v.as_float_array(column(data, scores, "scores", func), "scores", func,
                         allow_nan=nan_policy == "omit")
    n = x.size
    w = np.ones(n)
    if weights is not None:
        w = v.as_float_array(column(data, weights, "weights", func), "weights", func, low=0.0)
        v.check_same_length(func, scores=x, weights=w)
    codes, labels = segments(data, by, n, func)
    keep = ~np.isnan(x)
    omitted = int(n - keep.sum())
    x, w, codes = x[keep], w[keep], codes[keep]
    bad = (x < low) | (x > high) | (x != np.round(x))
    if bad.any():
        i = int(np.flatnonzero(keep)[np.argmax(bad)])
        v.fail("scores", func, f"whole numbers in [{low}, {high}]",
               got=f"{x[np.argmax(bad)]:g} at position {i}", data=True)
    present = np.bincount(codes, weights=w, minlength=len(labels)) > 0
    if not present.all():
        v.fail("by", func, "segments that each hold at least one answer with positive weight",
               got=f"no answers in segment {labels[np.argmin(present)]!r}", data=True)
    return x, w, codes, labels, omitted


def _effective_n(w, codes, k):
    sw = np.bincount(codes, weights=w, minlength=k)
    sw2 = np.bincount(codes, weights=w * w, minlength=k)
    return sw, sw * sw / sw2


@result
class NPS(Result):
    """Net Promoter Score per segment, in points (−100 … 100).

    Attributes
    ----------
    segment : ndarray of str
    n : ndarray of int
        Answers counted.
    n_effective : ndarray
        Kish effective sample size ``(Σw)² / Σw²`` (equals ``n`` without weights).
    promoters, passives, detractors : ndarray
        Weighted shares of 9–10, 7–8 and 0–6.
    score : ndarray
        ``100 (promoters − detractors)``.
    se : ndarray
        Standard error in points, ``100 √([p_P + p_D − (p_P − p_D)²] / n_eff)``.
    ci_low, ci_high : ndarray
        Wald interval ``score ± z·se``, clipped to [−100, 100].
    margin : ndarray
        ``z·se``, the margin of error.
    boot_low, boot_high : ndarray or None
        Percentile bootstrap interval when ``n_boot > 0``.
    confidence : float
    omitted : int
        Missing answers left out (``nan_policy='omit'``).
    nps : ndarray
        ``score`` under its column name.
    """

    segment: np.ndarray
    n: np.ndarray
    n_effective: np.ndarray
    promoters: np.ndarray
    passives: np.ndarray
    detractors: np.ndarray
    score: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    margin: np.ndarray
    boot_low: np.ndarray | None
    boot_high: np.ndarray | None
    confidence: float
    omitted: int

    nps = alias("score")

    def _summary(self):
        return [f"{self.confidence:.0%} intervals; {self.omitted} missing answers omitted"]

    def _columns(self):
        cols = {"segment": self.segment, "n": self.n, "promoters": self.promoters,
                "passives": self.passives, "detractors": self.detractors,
                "nps": self.score, "se": self.se, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "margin": self.margin}
        if self.boot_low is not None:
            cols["boot_low"] = self.boot_low
            cols["boot_high"] = self.boot_high
        return cols


def nps(scores: ColumnLike, weights: ColumnLike | None = None, *, data: TableLike | None = None,
        by: ColumnLike | None = None, confidence: float = 0.95, n_boot: int = 0,
        seed: int | np.random.Generator | None = None, nan_policy: str = "raise") -> NPS:
    """Net Promoter Score with its standard error, Wald and bootstrap intervals.

    Parameters
    ----------
    scores : str or array
        "How likely are you to recommend …" answers, whole numbers 0–10.
    weights : str or array, optional
        Survey weights (≥ 0), e.g. post-stratification weights.
    data : table, optional
        pandas / polars / pyarrow table or dict of arrays holding named columns.
    by : str or array, optional
        Segment column (channel, agent, product …); one row per segment.
    confidence : float, default 0.95
    n_boot : int, default 0
        Bootstrap resamples for a percentile interval (0: none).
    seed : int, optional
        Seed of the bootstrap generator.
    nan_policy : {'raise', 'omit'}
        What to do with missing answers; the number omitted is reported.

    Returns
    -------
    NPS

    Raises
    ------
    InvalidParameterError, DataError
        Scores outside 0–10 or not whole, negative weights, empty segments, NaN with
        ``nan_policy='raise'``.

    Notes
    -----
    The NPS is a difference of two shares of one trinomial sample, so its variance is
    ``[p_P + p_D − (p_P − p_D)²] / n`` — not the sum of two binomial variances. With
    weights the shares are weighted and *n* becomes Kish's effective sample size. The
    bootstrap resamples the promoter/passive/detractor counts from the observed shares
    (multinomial) without weights, and resamples rows with their weights otherwise.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
    81(12). Rocks, B. (2016). Margin of error and the Net Promoter Score (trinomial
    variance).

    Examples
    --------
    >>> from cxpath.kpi import nps
    >>> r = nps([10] * 60 + [8] * 25 + [3] * 15)
    >>> float(r.score[0]), round(float(r.se[0]), 2)
    (45.0, 7.4)
    """
    func = "kpi.nps"
    z = z_value(confidence, func)
    n_boot = v.check_int(n_boot, "n_boot", func, low=0, high=1_000_000)
    x, w, codes, labels, omitted = _scores(data, scores, weights, by, 0, 10, nan_policy, func)
    k = len(labels)
    sw, n_eff = _effective_n(w, codes, k)
    wp = np.bincount(codes, weights=w * (x >= 9), minlength=k)
    wd = np.bincount(codes, weights=w * (x <= 6), minlength=k)
    pro, det = wp / sw, wd / sw
    score = 100.0 * (wp - wd) / sw
    var = np.maximum(pro + det - (pro - det) ** 2, 0.0)
    se = 100.0 * np.sqrt(var / n_eff)
    boot_low = boot_high = None
    if n_boot:
        rng = np.random.default_rng(seed)
        boot_low, boot_high = np.empty(k), np.empty(k)
        alpha = (1 - confidence) / 2
        for g in range(k):
            sel = codes == g
            draws = _boot_nps(x[sel], w[sel], weights is not None, n_boot, rng)
            boot_low[g], boot_high[g] = np.quantile(draws, [alpha, 1 - alpha])
    return NPS(segment=labels, n=np.bincount(codes, minlength=k), n_effective=n_eff,
               promoters=pro, passives=1.0 - pro - det, detractors=det, score=score, se=se,
               ci_low=np.clip(score - z * se, -100, 100),
               ci_high=np.clip(score + z * se, -100, 100), margin=z * se, boot_low=boot_low,
               boot_high=boot_high, confidence=confidence, omitted=omitted)


def _boot_nps(x, w, weighted, n_boot, rng):
    n = x.size
    if not weighted:
        p = np.array([(x >= 9).mean(), (x <= 6).mean()])
        counts = rng.multinomial(n, [p[0], p[1], max(0.0, 1 - p[0] - p[1])], size=n_boot)
        return 100.0 * (counts[:, 0] - counts[:, 1]) / n
    sign = (x >= 9).astype(float) - (x <= 6)
    out = np.empty(n_boot)
    chunk = max(1, 2_000_000 // max(n, 1))
    for start in range(0, n_boot, chunk):
        m = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(m, n))
        ww = w[idx]
        out[start:start + m] = 100.0 * (ww * sign[idx]).sum(axis=1) / ww.sum(axis=1)
    return out


def nps_sample_size(margin: float, *, promoters: float | None = None,
                    detractors: float | None = None, confidence: float = 0.95) -> int:
    """Answers needed for an NPS margin of error of ``margin`` points.

    Parameters
    ----------
    margin : float
        Target half-width of the interval, in NPS points (0, 200].
    promoters, detractors : float, optional
        Expected shares; without them the worst case (half promoters, half detractors,
        variance 1) is assumed.
    confidence : float, default 0.95

    Returns
    -------
    int
        ``ceil(z² [p_P + p_D − (p_P − p_D)²] / (margin / 100)²)``.

    Raises
    ------
    InvalidParameterError
        Margin not positive, shares outside [0, 1] or summing above 1, only one share.

    Examples
    --------
    >>> from cxpath.kpi import nps_sample_size
    >>> nps_sample_size(5)
    1537
    >>> nps_sample_size(5, promoters=0.6, detractors=0.15)
    842
    """
    func = "kpi.nps_sample_size"
    margin = v.check_real(margin, "margin", func, low=0.0, high=200.0, closed="right")
    z = z_value(confidence, func)
    if (promoters is None) != (detractors is None):
        v.fail("detractors" if detractors is None else "promoters", func,
               "given together with the other share", None)
    if promoters is None:
        var = 1.0
    else:
        pp = v.check_probability(promoters, "promoters", func)
        pd = v.check_probability(detractors, "detractors", func)
        if pp + pd > 1.0 + 1e-12:
            v.fail("detractors", func, "at most 1 − promoters", pd)
        var = pp + pd - (pp - pd) ** 2
    denom = (margin / 100.0) ** 2
    n = z * z * var / denom if denom > 0.0 else math.inf
    if not math.isfinite(n):  # a subnormal margin: no finite number of answers reaches it
        v.fail("margin", func, "large enough for a finite sample size", margin)
    return max(1, math.ceil(n - 1e-9))


@result
class Rating(Result):
    """A rating scale summarised per segment: top-box share and mean, with intervals.

    Attributes
    ----------
    segment : ndarray of str
    n, n_effective : ndarray
    top_box : ndarray
        Weighted share of answers at or above ``threshold``.
    top_box_low, top_box_high : ndarray
        Wilson interval (on the effective sample size with weights).
    mean : ndarray
    mean_low, mean_high : ndarray
        Student-t interval of the (weighted) mean; NaN with a single answer.
    sd : ndarray
        (Weighted) standard deviation.
    name : str
        'CSAT' or 'CES'.
    threshold : int
    confidence : float
    omitted : int
    """

    segment: np.ndarray
    n: np.ndarray
    n_effective: np.ndarray
    top_box: np.ndarray
    top_box_low: np.ndarray
    top_box_high: np.ndarray
    mean: np.ndarray
    mean_low: np.ndarray
    mean_high: np.ndarray
    sd: np.ndarray
    name: str
    threshold: int
    confidence: float
    omitted: int

    def _title(self):
        return self.name

    def _summary(self):
        return [f"top box = score ≥ {self.threshold}; {self.confidence:.0%} intervals "
                f"(Wilson for shares, t for means); {self.omitted} missing answers omitted"]

    def _columns(self):
        return {"segment": self.segment, "n": self.n, "top_box": self.top_box,
                "top_box_low": self.top_box_low, "top_box_high": self.top_box_high,
                "mean": self.mean, "mean_low": self.mean_low, "mean_high": self.mean_high,
                "sd": self.sd}


def _rating(name, func, scores, weights, data, by, scale, threshold, confidence, nan_policy):
    from scipy import stats

    if (not isinstance(scale, tuple) or len(scale) != 2
            or not all(isinstance(s, int) and not isinstance(s, bool) for s in scale)
            or scale[0] >= scale[1]):
        v.fail("scale", func, "a tuple (lowest, highest) of two increasing integers", scale)
    low, high = scale
    threshold = v.check_int(threshold, "threshold", func, low=low, high=high)
    v.check_real(confidence, "confidence", func, low=0.0, high=1.0, closed="neither")
    x, w, codes, labels, omitted = _scores(data, scores, weights, by, low, high, nan_policy,
                                           func)
    k = len(labels)
    sw, n_eff = _effective_n(w, codes, k)
    top = np.bincount(codes, weights=w * (x >= threshold), minlength=k) / sw
    lo, hi = wilson_interval(top * n_eff, n_eff, confidence)
    mean = np.bincount(codes, weights=w * x, minlength=k) / sw
    dev = x - mean[codes]
    # unbiased weighted variance with reliability weights: Σw d² / (Σw − Σw²/Σw)
    sw2 = np.bincount(codes, weights=w * w, minlength=k)
    denom = sw - sw2 / sw
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(denom > 0, np.bincount(codes, weights=w * dev * dev, minlength=k)
                       / denom, np.nan)
        se = np.sqrt(var / n_eff)
        tq = stats.t.ppf(0.5 + confidence / 2, np.maximum(n_eff - 1, 1e-9))
    return Rating(segment=labels, n=np.bincount(codes, minlength=k), n_effective=n_eff,
                  top_box=top, top_box_low=lo, top_box_high=hi, mean=mean,
                  mean_low=mean - tq * se, mean_high=mean + tq * se, sd=np.sqrt(var),
                  name=name, threshold=threshold, confidence=confidence, omitted=omitted)


def csat(scores: ColumnLike, weights: ColumnLike | None = None, *, data: TableLike | None = None,
         by: ColumnLike | None = None, scale: tuple[int, int] = (1, 5), threshold: int = 4,
         confidence: float = 0.95, nan_policy: str = "raise") -> Rating:
    """Customer satisfaction: top-box share (Wilson interval) and mean (t interval).

    Parameters
    ----------
    scores : str or array
        Whole-number ratings on ``scale``.
    weights : str or array, optional
        Survey weights (≥ 0).
    data : table, optional
    by : str or array, optional
        Segment column.
    scale : tuple of int, default (1, 5)
    threshold : int, default 4
        Lowest score counted as satisfied ("top-two box" on 1–5).
    confidence : float, default 0.95
    nan_policy : {'raise', 'omit'}

    Returns
    -------
    Rating

    Raises
    ------
    InvalidParameterError, DataError
        Scores off the scale, bad threshold, empty segments.

    Notes
    -----
    The Wilson interval keeps its coverage near 0 and 1, where the Wald interval collapses
    (45/50 gives [0.7864, 0.9565]; 0/20 gives [0, 0.1611]). With weights, both intervals
    use Kish's effective sample size.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22, 209–212.

    Examples
    --------
    >>> from cxpath.kpi import csat
    >>> r = csat([5] * 45 + [2] * 5)
    >>> round(float(r.top_box_low[0]), 4), round(float(r.top_box_high[0]), 4)
    (0.7864, 0.9565)
    """
    return _rating("CSAT", "kpi.csat", scores, weights, data, by, scale, threshold,
                   confidence, nan_policy)


def ces(scores: ColumnLike, weights: ColumnLike | None = None, *, data: TableLike | None = None,
        by: ColumnLike | None = None, scale: tuple[int, int] = (1, 7), threshold: int = 5,
        confidence: float = 0.95, nan_policy: str = "raise") -> Rating:
    """Customer effort score: mean agreement that resolving was easy, and the top-box share.

    Parameters
    ----------
    scores : str or array
        Whole-number answers on ``scale`` (CES 2.0: 1 strongly disagree … 7 strongly agree
        that "the company made it easy to handle my issue"; higher is better).
    weights, data, by, confidence, nan_policy
        As in :func:`csat`.
    scale : tuple of int, default (1, 7)
    threshold : int, default 5
        Lowest score counted as "easy" (top-three box on 1–7).

    Returns
    -------
    Rating

    Raises
    ------
    InvalidParameterError, DataError
        As :func:`csat`.

    Examples
    --------
    >>> from cxpath.kpi import ces
    >>> round(float(ces([7, 6, 5, 2]).mean[0]), 2)
    5.0
    """
    return _rating("CES", "kpi.ces", scores, weights, data, by, scale, threshold, confidence,
                   nan_policy)
