"""Fishbone diagrams: roll-up totals equal the direct sums, Pareto at every level, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import CxpathError, DataError, InvalidParameterError
from cxpath.fmea import Pareto, pareto
from cxpath.rca import Fishbone, fishbone

CAUSES = {"Process": {"Routing": ["wrong queue", "no skill match"],
                      "Policy": ["refund limit"]},
          "System": ["CRM timeout", "IVR loop"],
          "People": ["not trained"],
          "Environment": None}
LEAVES = {"wrong queue": "Process > Routing > wrong queue",
          "no skill match": "Process > Routing > no skill match",
          "refund limit": "Process > Policy > refund limit",
          "CRM timeout": "System > CRM timeout", "IVR loop": "System > IVR loop",
          "not trained": "People > not trained", "Environment": "Environment"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(sorted(LEAVES)), min_size=1, max_size=200),
       st.lists(st.floats(0, 1000, allow_nan=False), min_size=200, max_size=200))
def test_roll_up_totals_equal_the_direct_sums(names, costs):
    cost = costs[:len(names)]
    if not sum(cost) > 0:
        cost[0] = 1.0
    fb = fishbone(CAUSES, {"cause": names, "cost": cost}, value="cost")
    table = pd.DataFrame({"cause": names, "cost": cost})
    table["path"] = table["cause"].map(LEAVES)
    for path, total in zip(fb.path, fb.total):
        # direct: the cost of every record whose leaf lies at or under this path
        under = table["path"].map(lambda p, path=path: p == path or p.startswith(path + " > "))
        assert total == pytest.approx(table.loc[under, "cost"].sum(), rel=1e-12, abs=1e-9)
    assert fb.grand_total == pytest.approx(sum(cost), rel=1e-12)
    assert fb.share[fb.level == 1].sum() == pytest.approx(1.0)
    counted = fishbone(CAUSES, cause=names)
    for leaf, path in LEAVES.items():
        assert counted.loc(path)["total"] == names.count(leaf)


def test_worked_example_by_hand():
    tickets = pd.DataFrame({"reason": ["wrong queue"] * 5 + ["CRM timeout"] * 3
                            + ["refund limit", "no skill match", "not trained"]})
    fb = fishbone(CAUSES, tickets, cause="reason", effect="repeat contacts")
    assert isinstance(fb, Fishbone)
    # by hand: Process 5 + 1 + 1 = 7, Routing 5 + 1 = 6, System 3, People 1, Environment 0
    assert fb.path.tolist()[:6] == ["Process", "Process > Routing",
                                    "Process > Routing > wrong queue",
                                    "Process > Routing > no skill match", "Process > Policy",
                                    "Process > Policy > refund limit"]
    assert dict(zip(fb.path[fb.level == 1], fb.total[fb.level == 1])) == {
        "Process": 7.0, "System": 3.0, "People": 1.0, "Environment": 0.0}
    assert fb.loc("Process > Routing")["share_of_parent"] == pytest.approx(6 / 7)
    assert fb.loc("Process > Routing")["share"] == pytest.approx(6 / 11)
    # Pareto of the major bones: 7/11 = 63.6 % < 80 %, + 3/11 = 90.9 %: two vital
    assert fb.vital[fb.level == 1].tolist() == [True, True, False, False]
    assert fb.pareto().vital_few.tolist() == ["Process", "System"]
    assert "vital major bones: Process, System" in repr(fb)


def test_pareto_at_each_level_is_fmea_pareto_of_the_children():
    counts = {"wrong queue": 40, "no skill match": 25, "refund limit": 5, "CRM timeout": 20,
              "IVR loop": 2, "not trained": 8, "Environment": 0}
    fb = fishbone(CAUSES, counts, cut=0.7)
    for node in (None, "Process", "Routing", "System"):
        got = fb.pareto(node)
        kids = fb.parent == (node or "")
        want = pareto(labels=list(fb.cause[kids]), counts=fb.total[kids], cut=0.7)
        assert isinstance(got, Pareto)
        assert got.labels.tolist() == want.labels.tolist()
        assert np.array_equal(got.counts, want.counts)
        assert got.vital_few.tolist() == want.vital_few.tolist()
        vital_rows = set(fb.cause[kids & fb.vital])
        assert vital_rows == set(want.vital_few.tolist())
    assert fb.pareto(level=2).labels.tolist() == ["Routing", "CRM timeout", "not trained",
                                                  "Policy", "IVR loop"]
    assert fb.pareto("Process", cut=0.5).vital_few.tolist() == ["Routing"]


def test_unmatched_records():
    names = ["wrong queue", "billing error", "billing error"]
    with pytest.raises(DataError, match=r"unknown causes \['billing error'\]"):
        fishbone(CAUSES, cause=names)
    other = fishbone(CAUSES, cause=names, unmatched="other")
    assert other.loc("(unassigned)")["total"] == 2.0 and other.grand_total == 3.0
    dropped = fishbone(CAUSES, cause=names, unmatched="drop")
    assert dropped.dropped == 2.0 and dropped.grand_total == 1.0
    assert "2 not in the diagram (dropped)" in repr(dropped)


def test_list_of_mappings_and_string_leaves():
    fb = fishbone({"Machine": [{"Scanner": ["jam", "lens"]}, "power"], "Man": "fatigue"},
                  cause=["jam", "lens", "power", "fatigue", "jam"])
    assert fb.loc("Machine > Scanner")["total"] == 3.0
    assert fb.loc("Man > fatigue")["level"] == 2


@pytest.mark.parametrize(("causes", "match"), [
    ({}, r"at least one bone"),
    (["People"], r"'causes' parameter of rca.fishbone must be a mapping"),
    ({"People": ["rude", "rude"]}, r"distinct cause names.*'rude' under both"),
    ({"People": ["rude"], "System": {"rude": None}}, r"'rude' under both 'People' and"),
    ({"People": [3]}, r"non-empty strings. Got 3 under 'People'"),
    ({"People": [""]}, r"non-empty strings"),
    ({"People": 3.5}, r"Got 3.5 under 'People'"),
    ({"a > b": None}, r"without '>'"),
])
def test_bad_diagrams(causes, match):
    with pytest.raises(CxpathError, match=match):
        fishbone(causes, cause=["x"])


def test_bad_data_and_options():
    with pytest.raises(DataError, match=r"the bone 'Routing'"):
        fishbone(CAUSES, cause=["Routing"])
    with pytest.raises(DataError, match=r"a total of 0"):
        fishbone(CAUSES, {"wrong queue": 0})
    with pytest.raises(InvalidParameterError, match=r"'value' parameter .* None when 'data'"):
        fishbone(CAUSES, {"wrong queue": 3}, value="cost")
    with pytest.raises(DataError, match=r"'data' parameter of rca.fishbone must be in \[0, inf\]"):
        fishbone(CAUSES, {"wrong queue": -1})
    with pytest.raises(DataError, match=r"'value' parameter .* free of NaN"):
        fishbone(CAUSES, {"cause": ["wrong queue"], "cost": [np.nan]}, value="cost")
    with pytest.raises(InvalidParameterError,
                       match=r"'cause' parameter .* a column of 'data' \(one of 'reason'\)"):
        fishbone(CAUSES, {"reason": ["wrong queue"]})
    with pytest.raises(DataError, match=r"same length as 'cause' \(1\). Got length 2"):
        fishbone(CAUSES, cause=["wrong queue"], value=[1.0, 2.0])
    with pytest.raises(InvalidParameterError, match=r"'unmatched' parameter .* one of"):
        fishbone(CAUSES, cause=["wrong queue"], unmatched="keep")
    with pytest.raises(InvalidParameterError, match=r"'cut' parameter .* \(0, 1\]"):
        fishbone(CAUSES, cause=["wrong queue"], cut=0)
    with pytest.raises(TypeError, match=r"'effect' parameter .* a string"):
        fishbone(CAUSES, cause=["wrong queue"], effect=3)
    with pytest.raises(TypeError, match=r"'data' parameter .* a table, a mapping"):
        fishbone(CAUSES, "wrong queue", cause=None)
    with pytest.raises(TypeError, match=r"'cause' parameter .* a column name"):
        fishbone(CAUSES, {"cause": ["wrong queue"]}, cause=None)
    with pytest.raises(DataError, match=r"'data' parameter .* one-dimensional"):
        fishbone(CAUSES, np.array([["wrong queue"]]))
    with pytest.raises(InvalidParameterError, match=r"free of the name '\(unassigned\)'"):
        fishbone({**CAUSES, "(unassigned)": None}, cause=["zzz"], unmatched="other")


def test_bad_pareto_calls():
    fb = fishbone(CAUSES, cause=["wrong queue", "CRM timeout"])
    with pytest.raises(InvalidParameterError, match=r"'node' parameter .* one of the bones"):
        fb.pareto("wrong queue")
    with pytest.raises(TypeError, match=r"'node' parameter .* the name of a bone"):
        fb.pareto(3)
    with pytest.raises(InvalidParameterError, match=r"'level' parameter .* \[1, 3\]"):
        fb.pareto(level=4)
    with pytest.raises(InvalidParameterError, match=r"'level' parameter .* None when"):
        fb.pareto("Process", level=1)
    with pytest.raises(DataError, match=r"a total of 0"):
        fb.pareto("Policy")
    with pytest.raises(InvalidParameterError, match=r"'cut' parameter"):
        fb.pareto(cut=1.5)


def test_plot_draws_spine_bones_and_ribs():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cxpath.plot._rca_trees import fishbone as draw

    fb = fishbone(CAUSES, cause=["wrong queue", "CRM timeout", "CRM timeout"])
    ax = fb.plot()
    # spine + 4 major bones + ribs: Routing, Policy, CRM timeout, IVR loop, not trained
    assert len(ax.lines) == 1 + 4 + 5
    labels = {t.get_text() for t in ax.texts}
    assert "System (2)" in labels and "CRM timeout (2)" in labels
    assert len(draw(fb, depth=1).lines) == 5
    deep = draw(fb, depth=3)
    assert any("wrong queue (1)" in t.get_text() for t in deep.texts)
    with pytest.raises(InvalidParameterError, match=r"'depth' parameter of plot.fishbone"):
        draw(fb, depth=4)
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot.fishbone"):
        draw({"a": 1})
    plt.close("all")
