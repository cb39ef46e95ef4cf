"""decompose_change / explain_change / drill_down: hand-computed splits, the planted cell,
exactness over random tables (hypothesis), delta-method intervals against a bootstrap,
tables, Journeys, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxpath
from cxpath.errors import CxpathError, DataError, InvalidParameterError, InvalidTypeError
from cxpath.rca import (
    ChangeDecomposition,
    ChangeExplanation,
    DrillDown,
    decompose_change,
    drill_down,
    explain_change,
)

D = "rca.decompose_change"


def _records(groups):
    """Records from ``[(period, segment, n, ones)]``: n records of which ``ones`` are 1."""
    value, period, seg = [], [], []
    for p, s, n, ones in groups:
        value += [1.0] * ones + [0.0] * (n - ones)
        period += [p] * n
        seg += [s] * n
    return {"y": np.array(value), "period": np.array(period), "seg": np.array(seg)}


def test_two_segment_split_by_hand():
    # before: shares 0.5 / 0.5, rates 0.2 / 0.4 (K0 = 0.3); after: shares 0.3 / 0.7,
    # rates 0.3 / 0.5 (K1 = 0.44). K̄ = 0.37. By hand (Das Gupta 1993, two factors,
    # mix centred on K̄): a: mix = -0.2 (0.25 - 0.37) = 0.024, rate = 0.1 * 0.4 = 0.04;
    # b: mix = 0.2 (0.45 - 0.37) = 0.016, rate = 0.1 * 0.6 = 0.06. Totals: composition
    # Σ Δw r̄ = 0.04 and rate Σ Δr w̄ = 0.10 (Kitagawa 1955), change 0.14.
    data = _records([("0", "a", 50, 10), ("0", "b", 50, 20), ("1", "a", 30, 9),
                     ("1", "b", 70, 35)])
    d = decompose_change("y", "period", by="seg", data=data)
    assert (d.kpi_before, d.kpi_after) == pytest.approx((0.3, 0.44), abs=1e-15)
    assert d.change == pytest.approx(0.14, abs=1e-15)
    row = {d.cells[i, 0]: i for i in range(2)}
    a, b = row["a"], row["b"]
    assert d.mix_effect[a] == pytest.approx(0.024, abs=1e-15)
    assert d.rate_effect[a] == pytest.approx(0.04, abs=1e-15)
    assert d.mix_effect[b] == pytest.approx(0.016, abs=1e-15)
    assert d.rate_effect[b] == pytest.approx(0.06, abs=1e-15)
    assert (d.mix_total, d.rate_total) == pytest.approx((0.04, 0.10), abs=1e-15)
    # rows by decreasing |contribution|: b (0.076) before a (0.064)
    assert d.cells[:, 0].tolist() == ["b", "a"]
    assert d.explained.tolist() == pytest.approx([0.076 / 0.14, 0.064 / 0.14])
    assert d.records_before.tolist() == [50, 50] and d.records_after.tolist() == [70, 30]


def test_pure_mix_change_by_hand():
    # the docstring example: rates stay 1 (chat) and 0 (phone), shares swap 0.75 / 0.25:
    # all of the -0.5 is mix, split -0.25 / -0.25 (both move away from K̄ = 0.5)
    data = _records([("Jan", "chat", 3, 3), ("Jan", "phone", 1, 0), ("Feb", "chat", 1, 1),
                     ("Feb", "phone", 3, 0)])
    d = decompose_change("y", "period", by="seg", data=data, before="Jan", after="Feb")
    assert d.change == -0.5
    assert d.rate_effect.tolist() == [0.0, 0.0]
    assert d.mix_effect.tolist() == [-0.25, -0.25]


def test_ratio_with_denominator():
    # complaints per order: numerator complaints, denominator orders (a ratio of sums)
    data = {"complaints": [3, 1, 2, 6], "orders": [100, 50, 100, 50],
            "week": ["w1", "w1", "w2", "w2"], "region": ["N", "S", "N", "S"]}
    d = decompose_change("complaints", "week", by="region", data=data, denominator="orders")
    assert d.kpi_before == pytest.approx(4 / 150) and d.kpi_after == pytest.approx(8 / 150)
    s = d.loc("S")
    # S: shares 1/3 -> 1/3 (no mix), rate 1/50 -> 6/50: rate effect 0.1 * 1/3
    assert s["mix_effect"] == pytest.approx(0.0, abs=1e-15)
    assert s["rate_effect"] == pytest.approx(0.1 / 3)
    assert s["share_before"] == pytest.approx(1 / 3)


def test_segment_in_one_period_only():
    data = _records([("0", "a", 40, 20), ("1", "a", 40, 20), ("1", "new", 10, 10)])
    d = decompose_change("y", "period", by="seg", data=data)
    new = d.loc("new")
    assert new["only_in"] == "after" and math.isnan(new["rate_before"])
    assert new["rate_effect"] == 0.0
    # all mix: w1 (r1 - K̄) = 0.2 * (1 - (0.5 + 0.6) / 2) = 0.09
    assert new["mix_effect"] == pytest.approx(0.09)
    assert d.loc("a")["only_in"] == ""
    assert d.mix_total + d.rate_total == pytest.approx(0.1)


def _planted(seed=3, n=12000):
    rng = np.random.default_rng(seed)
    product = rng.choice(["A", "B", "C"], n)
    channel = rng.choice(["chat", "phone", "web"], n)
    region = rng.choice(["N", "S", "E", "W"], n)
    week = rng.choice(["w1", "w2"], n)
    p = np.full(n, 0.75)
    p[(week == "w2") & (product == "B") & (channel == "phone")] = 0.35
    return {"fcr": rng.random(n) < p, "week": week, "product": product, "channel": channel,
            "region": region}


def test_planted_cell_comes_first():
    data = _planted()
    d = decompose_change("fcr", "week", by=["product", "channel", "region"], data=data)
    assert tuple(d.cells[0, :2]) == ("B", "phone")
    d2 = decompose_change("fcr", "week", by=["product", "channel"], data=data)
    assert tuple(d2.cells[0]) == ("B", "phone")
    assert d2.explained[0] > 0.8
    t = drill_down("fcr", "week", by=["product", "channel", "region"], data=data)
    assert set(t.best) == {("product", "B"), ("channel", "phone")}
    assert t.depth.max() == 2  # region does not split the cell any further
    assert "no split explains" in t.stopped[-1]
    e = explain_change("fcr", "week", by=["region", "product", "channel"], data=data)
    first = [(dim, seg) for dim, seg, r in zip(e.dimension, e.segment, e.rank) if r == 1]
    assert first in ([("product", "B")], [("channel", "phone")])


def test_drill_down_does_not_split_a_uniform_change():
    rng = np.random.default_rng(5)
    n = 6000
    week = rng.choice(["w1", "w2"], n)
    data = {"fcr": rng.random(n) < np.where(week == "w2", 0.6, 0.8), "week": week,
            "product": rng.choice(["A", "B", "C"], n)}
    t = drill_down("fcr", "week", by="product", data=data)
    assert len(t.node) == 1 and t.best == ()
    assert t.stopped[0].startswith("no split explains more than its volume")


def test_drill_down_contributions_add_up():
    data = _planted(seed=8)
    t = drill_down("fcr", "week", by=["product", "channel"], data=data, min_lift=0.01,
                   min_records=1)
    d = decompose_change("fcr", "week", by=["product", "channel"], data=data)
    # each tree node's contribution equals the sum of the cells it holds
    for path, c in zip(t.path[1:], t.contribution[1:]):
        parts = dict(p.split("=") for p in path.split(" > "))
        keep = np.ones(len(d.contribution), bool)
        for k, val in parts.items():
            keep &= d.cells[:, d.by.index(k)] == val
        assert c == pytest.approx(math.fsum(d.contribution[keep]), abs=1e-14)


tables = st.lists(st.tuples(st.sampled_from(["0", "1"]), st.sampled_from("abc"),
                            st.sampled_from("xy"),
                            st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 3)),
                            st.floats(0.01, 20)),
                  min_size=2, max_size=60).filter(
    lambda rows: {r[0] for r in rows} == {"0", "1"})


@settings(max_examples=150, deadline=None)
@given(tables)
def test_mix_plus_rate_is_the_change_exactly(rows):
    period, a, b, y, w = (np.array(c) for c in zip(*rows))
    data = {"y": y.astype(float), "w": w.astype(float), "t": period, "a": a, "b": b}
    for by in (["a"], ["a", "b"]):
        d = decompose_change("y", "t", by=by, data=data, denominator="w")
        m0, m1 = period == "0", period == "1"
        change = y[m1].sum() / w[m1].sum() - y[m0].sum() / w[m0].sum()
        scale = 1 + abs(change) + np.abs(y).max() / w.min()
        assert d.change == pytest.approx(change, abs=1e-12 * scale)
        assert d.mix_total + d.rate_total == pytest.approx(change, abs=1e-12 * scale)
        assert d.contribution == pytest.approx(d.mix_effect + d.rate_effect, abs=1e-15 * scale)
        assert (d.share_before.sum(), d.share_after.sum()) == pytest.approx((1, 1))
    # contributions add up over a coarser dimension (hierarchy-consistent)
    coarse = decompose_change("y", "t", by="a", data=data, denominator="w")
    fine = decompose_change("y", "t", by=["a", "b"], data=data, denominator="w")
    for i, lab in enumerate(coarse.cells[:, 0]):
        assert coarse.contribution[i] == pytest.approx(
            fine.contribution[fine.cells[:, 0] == lab].sum(), abs=1e-12 * scale)


@pytest.mark.parametrize("ratio", [False, True])
def test_delta_method_interval_against_bootstrap(ratio):
    # the delta-method standard error of each contribution against the standard deviation
    # of 600 bootstrap replicates (records resampled within each period, seed 11); the
    # segments' shares move a lot (0.5/0.3/0.2 -> 0.2/0.3/0.5) so that every term of the
    # gradient matters, and a ratio of sums exercises the denominator's terms
    rng = np.random.default_rng(11)
    n = 3000
    t = rng.choice(["0", "1"], n)
    seg = np.where(t == "0", rng.choice(list("abc"), n, p=[0.5, 0.3, 0.2]),
                   rng.choice(list("abc"), n, p=[0.2, 0.3, 0.5]))
    y = rng.gamma(2.0, np.where(seg == "a", 100.0, 300.0) * np.where(t == "1", 1.2, 1.0))
    w = rng.integers(1, 6, n).astype(float) if ratio else np.ones(n)
    if ratio:
        y = y * w * np.where(seg == "c", 0.5, 1.0)
    d = decompose_change(y, t, by={"seg": seg}, denominator=w)
    z = 1.959963984540054
    se = dict(zip(d.cells[:, 0], (d.ci_high - d.ci_low) / (2 * z)))
    boot = {k: [] for k in "abc"}
    total = []
    idx0, idx1 = np.flatnonzero(t == "0"), np.flatnonzero(t == "1")
    for _ in range(600):
        i = np.r_[rng.choice(idx0, idx0.size), rng.choice(idx1, idx1.size)]
        b = decompose_change(y[i], t[i], by={"seg": seg[i]}, denominator=w[i])
        total.append(b.change)
        for k, c in zip(b.cells[:, 0], b.contribution):
            boot[k].append(c)
    for k in "abc":
        assert se[k] == pytest.approx(np.std(boot[k], ddof=1), rel=0.1)
    assert (d.change_high - d.change_low) / (2 * z) == pytest.approx(np.std(total, ddof=1),
                                                                     rel=0.1)


def test_tables_and_journeys_agree():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    j = cxpath.Journeys.from_events(
        case=[1, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8],
        touchpoint=["web", "fix", "web", "call", "fix", "web", "call", "web", "fix", "call",
                    "fix"],
        success={"fix"},
        case_attributes={"product": ["x", "x", "y", "x", "x", "y", "y", "x", "x", "y", "x"],
                         "month": ["m1", "m1", "m1", "m1", "m1", "m1", "m2", "m2", "m2", "m2",
                                   "m2"]})
    dj = decompose_change("outcome", "month", by="product", data=j)
    table = {"ok": j.outcome, "month": j.case_attributes["month"].decoded(),
             "product": j.case_attributes["product"].decoded()}
    for data in (table, pd.DataFrame(table), pl.DataFrame(table)):
        d = decompose_change("ok", "month", by="product", data=data)
        assert d.contribution.tolist() == pytest.approx(dj.contribution.tolist())
        assert d.cells.tolist() == dj.cells.tolist()
    e = explain_change("outcome", "month", by="product", data=j)
    assert isinstance(e, ChangeExplanation)
    with pytest.raises(InvalidParameterError, match=r"must be a case attribute of the "
                                                    r"journeys, 'outcome' or 'value'"):
        decompose_change("rating", "month", by="product", data=j)


def test_weighted_journeys_count_each_case_by_its_weight():
    j = cxpath.Journeys.from_paths(["web > chat", "web", "web > chat", "web"],
                                   conversions=[3, 1, 1, 1], nulls=[1, 3, 1, 3])
    # one converted and one null case per path, in path order, weighted by their counts
    assert j.weight.tolist() == [3, 1, 1, 3, 1, 1, 1, 3]
    period = np.repeat(["a", "a", "b", "b"], 2)
    d = decompose_change("outcome", period, by={"path": np.repeat(["chat", "web"] * 2, 2)},
                         data=j)
    # a: 4 + 4 cases, 3 + 1 converted: 0.5; b: 2 + 4 cases, 1 + 1 converted: 1/3
    assert d.kpi_before == pytest.approx(0.5) and d.kpi_after == pytest.approx(1 / 3)
    assert d.n_before == 8 and d.n_after == 6
    assert d.loc("chat")["records_after"] == 2


def test_result_tables_and_reprs():
    data = _records([("0", "a", 50, 10), ("0", "b", 50, 20), ("1", "a", 30, 9),
                     ("1", "b", 70, 35)])
    data["ch"] = np.array(["p", "q"] * 100)
    d = decompose_change("y", "period", by=["seg", "ch"], data=data, label="FCR")
    assert isinstance(d, ChangeDecomposition)
    assert list(d.to_frame("dict"))[:3] == ["seg", "ch", "records_before"]
    assert d.loc(("a", "p"))["records_before"] == 25
    text = repr(d)
    assert text.startswith("Change decomposition of FCR by seg × ch (4 rows)")
    assert "mix effect +0.04 + rate effect +0.1" in text
    t = drill_down("y", "period", by=["seg", "ch"], data=data, min_records=1)
    assert isinstance(t, DrillDown) and t.loc("(all)")["node"] == 0
    e = explain_change("y", "period", by=["seg", "ch"], data=data)
    assert list(e.to_frame("dict"))[:3] == ["rank", "dimension", "segment"]


def test_explain_change_by_hand_and_no_change():
    # the docstring example: all of the change (-0.25) is chat's (rate 1 -> 0.5), and
    # region S's (rate 1 -> 0.5)
    data = {"fcr": [1, 1, 1, 1, 1, 0, 1, 1], "week": ["w1"] * 4 + ["w2"] * 4,
            "channel": ["chat", "chat", "phone", "phone"] * 2, "region": ["N", "S"] * 4}
    e = explain_change("fcr", "week", by=["channel", "region"], data=data)
    assert e.change == -0.25
    assert e.rank.tolist() == [1, 2] and e.segment.tolist() == ["chat", "S"]
    assert e.explanatory_power.tolist() == [1.0, 1.0]
    # surprise of chat: denominator shares equal (0); numerator shares 0.5 -> 1/3:
    # ½ [0.5 ln(1/(0.5 + 1/3)) + 1/3 ln((2/3)/(0.5 + 1/3))]
    p, q = 0.5, 1 / 3
    js = 0.5 * (p * math.log(2 * p / (p + q)) + q * math.log(2 * q / (p + q)))
    assert e.surprise[0] == pytest.approx(js)
    flat = {"fcr": [1, 0, 1, 0], "week": ["w1", "w1", "w2", "w2"], "channel": ["a", "b"] * 2}
    none = explain_change("fcr", "week", by="channel", data=flat)
    assert none.change == 0 and len(none.rank) == 0
    assert "no dimension has a small set" in repr(none)


_Y, _T, _SEG = [1.0, 0, 1, 0, 1, 1], ["0", "0", "0", "1", "1", "1"], ["a", "b", "a", "b", "a", "b"]
_ARRAYS = {"data": None, "by": {"seg": _SEG}, "value": _Y, "period": _T}


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"value": "nope"}, InvalidParameterError,
     r"The 'value' parameter of rca.decompose_change must be a column of 'data'"),
    ({"period": None}, InvalidTypeError,
     r"The 'period' parameter of rca.decompose_change must be a column name or an array"),
    ({"by": 3}, InvalidTypeError, r"The 'by' parameter of rca.decompose_change must be a "
                                  r"column name, a sequence of column names"),
    ({"by": []}, InvalidParameterError, r"must be at least one dimension"),
    ({"by": ["seg", "seg"]}, InvalidParameterError, r"must be distinct dimensions"),
    ({**_ARRAYS, "by": {"contribution": _SEG}}, InvalidParameterError,
     r"dimension names that are not empty nor a column of the result table"),
    ({**_ARRAYS, "period": ["a", "b", "c"] * 2}, DataError,
     r"must be two periods \(or give 'before' and 'after'\). Got 3 distinct values"),
    ({"before": "0"}, InvalidParameterError,
     r"The 'after' parameter of rca.decompose_change must be given together"),
    ({"before": "0", "after": "0"}, InvalidParameterError, r"must be a period other than"),
    ({"before": "0", "after": "9"}, InvalidParameterError,
     r"The 'after' parameter of rca.decompose_change must be a value of 'period'"),
    ({**_ARRAYS, "value": [1, 2, np.nan, 0, 1, 1]}, DataError, r"must be free of NaN"),
    ({**_ARRAYS, "value": [1, 2, np.inf, 0, 1, 1]}, DataError, r"must be finite"),
    ({**_ARRAYS, "value": ["a"] * 6}, DataError,
     r"The 'value' parameter of rca.decompose_change must be numeric"),
    ({**_ARRAYS, "denominator": [1, 0, 1, 1, 1, 1]}, DataError,
     r"The 'denominator' parameter of rca.decompose_change must be positive. Got 0 at "
     r"position 1 instead."),
    ({**_ARRAYS, "value": [1, 0]}, DataError, r"must be of the same length"),
    ({"confidence": 1.0}, InvalidParameterError,
     r"The 'confidence' parameter of rca.decompose_change must be a real number in \(0, 1\)"),
    ({"label": 3}, InvalidTypeError, r"The 'label' parameter of rca.decompose_change must be "
                                     r"a str or None"),
    ({"data": 3.5}, InvalidTypeError, r"The 'data' parameter of rca.decompose_change must be "
                                      r"a pandas or polars DataFrame"),
])
def test_bad_input_decompose(kwargs, error, message):
    call = {"value": "y", "period": "t", "by": "seg",
            "data": {"y": _Y, "t": _T, "seg": _SEG}, **kwargs}
    with pytest.raises(error, match=message):
        decompose_change(call.pop("value"), call.pop("period"), **call)


@pytest.mark.parametrize(("func", "kwargs", "message"), [
    (explain_change, {"min_power": 0.0}, r"The 'min_power' parameter of rca.explain_change "
                                         r"must be a real number in \(0, 1\]. Got 0.0"),
    (explain_change, {"min_segment_power": 2}, r"'min_segment_power' parameter of "
                                               r"rca.explain_change must be a real number"),
    (explain_change, {"top": 0}, r"The 'top' parameter of rca.explain_change must be an "
                                 r"integer in \[1, inf\]. Got 0 instead."),
    (explain_change, {"value": "x"}, r"The 'value' parameter of rca.explain_change must be "
                                     r"a column of 'data'"),
    (drill_down, {"min_lift": -1}, r"The 'min_lift' parameter of rca.drill_down must be a "
                                   r"real number in \(0, 1\]"),
    (drill_down, {"min_records": 0}, r"The 'min_records' parameter of rca.drill_down must "
                                     r"be an integer in \[1, inf\]"),
    (drill_down, {"max_depth": 1.5}, r"The 'max_depth' parameter of rca.drill_down must be "
                                     r"an integer"),
    (drill_down, {"by": "nope"}, r"The 'by' parameter of rca.drill_down must be a column"),
])
def test_bad_input_search(func, kwargs, message):
    data = {"y": [1.0, 0, 1, 0, 1, 1], "t": ["0", "0", "0", "1", "1", "1"],
            "seg": ["a", "b", "a", "b", "a", "b"]}
    call = {"value": "y", "period": "t", "by": "seg", "data": data, **kwargs}
    with pytest.raises(CxpathError, match=message):
        func(call.pop("value"), call.pop("period"), **call)


def test_journeys_attribute_errors():
    j = cxpath.Journeys.from_events(case=[1, 2], touchpoint=["a", "b"],
                                    case_attributes={"cost": [1.0, 2.0],
                                                     "month": ["m1", "m2"]})
    with pytest.raises(InvalidParameterError, match=r"The 'by' parameter of "
                                                    r"rca.decompose_change must be a "
                                                    r"categorical attribute"):
        decompose_change("cost", "month", by="cost", data=j)
    with pytest.raises(InvalidParameterError, match=r"The 'value' parameter of "
                                                    r"rca.decompose_change must be a numeric "
                                                    r"case attribute"):
        decompose_change("month", "month", by="month", data=j)
    with pytest.raises(DataError, match=r"The 'period' parameter of rca.decompose_change "
                                        r"must be one value per case \(2\)"):
        decompose_change("cost", ["m1"], by="month", data=j)


def test_delta_method_variance_against_finite_differences():
    # the delta-method variance of a contribution, rebuilt record by record: the gradient of
    # the contribution in the per-period sums (a_s, b_s, A, B) by central differences, each
    # record's linear term L_i = g · (num 1_s, den 1_s, num, den), and
    # Var = Σ_t n_t / (n_t - 1) Σ_i (L_i - mean L)², against the module's standard error
    from cxpath.rca.decompose import _effects

    rng = np.random.default_rng(2)
    recs = []
    for t in (0, 1):
        n = 40
        num, den = rng.gamma(2.0, 3.0, n), rng.integers(1, 5, n).astype(float)
        ins = rng.random(n) < (0.3 if t == 0 else 0.6)
        recs.append((num, den, ins))

    def sums(x):
        seg, tot = np.zeros((2, 6, 1)), np.zeros((2, 6))
        for t in (0, 1):
            seg[t, 0, 0], seg[t, 1, 0], tot[t, 0], tot[t, 1] = x[4 * t: 4 * t + 4]
        return seg, tot

    x = np.array([v for num, den, ins in recs
                  for v in (num[ins].sum(), den[ins].sum(), num.sum(), den.sum())])
    grad = np.zeros(8)
    for i in range(8):
        h = 1e-6 * x[i]
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (_effects(*sums(up), 1.96)["contribution"][0]
                   - _effects(*sums(down), 1.96)["contribution"][0]) / (2 * h)
    var = 0.0
    for t, (num, den, ins) in enumerate(recs):
        g = grad[4 * t: 4 * t + 4]
        lin = g[0] * num * ins + g[1] * den * ins + g[2] * num + g[3] * den
        var += lin.size / (lin.size - 1) * np.sum((lin - lin.mean()) ** 2)
    seg, tot = np.zeros((2, 6, 1)), np.zeros((2, 6))
    for t, (num, den, ins) in enumerate(recs):
        for m, vals in enumerate((num, den, num * num, num * den, den * den, np.ones(len(num)))):
            seg[t, m, 0], tot[t, m] = vals[ins].sum(), vals.sum()
    assert _effects(seg, tot, 1.96)["se"][0] == pytest.approx(math.sqrt(var), rel=1e-6)


def test_plot_draws_mix_rate_and_contribution():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    data = _planted(seed=4, n=3000)
    d = decompose_change("fcr", "week", by=["product", "channel"], data=data)
    ax = d.plot(top=3)
    # three segments and 'other (6)', top row the largest contribution (B × phone)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        " × ".join(d.cells[0]), " × ".join(d.cells[1]), " × ".join(d.cells[2]), "other (6)"]
    assert ax.get_yticks()[0] == 3
    widths = sorted(round(p.get_width(), 12) for p in ax.patches)
    expected = sorted(round(x, 12) for x in [*d.mix_effect[:3], d.mix_effect[3:].sum(),
                                             *d.rate_effect[:3], d.rate_effect[3:].sum()])
    assert widths == pytest.approx(expected, abs=1e-12)
    from cxpath.plot._rca_change import change_decomposition

    with pytest.raises(InvalidParameterError, match=r"The 'result' parameter of "
                                                    r"plot.change_decomposition must be a "
                                                    r"cxpath.rca.ChangeDecomposition"):
        change_decomposition(3)
    with pytest.raises(InvalidParameterError, match=r"The 'top' parameter of "
                                                    r"plot.change_decomposition must be an "
                                                    r"integer in \[1, inf\]"):
        d.plot(top=0)
    import matplotlib.pyplot as plt

    plt.close("all")
