"""Results explain themselves: displayed columns are attributes (or documented as derived),
every view shows the same columns, ranked tables are sorted, and rows are found by label."""

from __future__ import annotations

import html
import importlib
import json
import pathlib
import re

import numpy as np
import pytest

import cxpath
from cxpath import attribution, fmea, forecast, io, journeys, kpi, spc, survey
from cxpath._results import Result, derived_columns, result
from cxpath.errors import CxpathError, UnknownLabelError

SUBPACKAGES = cxpath._SUBPACKAGES


def _build(sample, tmp: pathlib.Path) -> dict:
    """One (or more) cheap instance of every public result class, from the bundled sample."""
    j = sample.journeys
    t, sv, cons = sample.tickets, sample.survey, sample.survey_constructs
    small = cxpath.Journeys.from_paths(["web > chat", "web", "app > chat"],
                                       conversions=[1, 0, 1], value=[10.0, 0.0, 5.0])
    timed = cxpath.Journeys.from_events(
        case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"], timestamp=[3600, 7200, 0, 9000],
        start_timestamp=[0, 5400, 0, 3600], resource=["x", "y", "x", "y"])
    ws = fmea.Worksheet.from_frame(sample.failure_modes)
    revised = fmea.Worksheet.from_records([
        fmea.FailureMode("Chatbot hand-over fails", 7, 7, 6, revised_occurrence=3),
        fmea.FailureMode("Technician no-show", 8, 4, 5, revised_occurrence=2,
                         revised_detection=3),
        fmea.FailureMode("Survey to wrong contact", 2, 4, 7)])
    three = fmea.Worksheet.from_frame({"failure_mode": ["a", "b", "c"], "S": [5, 5, 5],
                                       "O": [5, 5, 5], "D": [5, 5, 5]})
    y = np.asarray(sample.daily_contacts["contacts"], dtype=float)
    held = forecast.auto_ets(y[:-28], 28, 7, level=[80, 95])
    bt = forecast.backtest(y[:200], 14, ["naive", "seasonal_naive"], 7, n_origins=2)
    parts = sample.weekly_parts
    d = sample.daily_complaints
    x = np.asarray(t["handle_time_s"][:100], dtype=float)
    scores = {c: np.nanmean(np.column_stack([sv[i] for i in cons[c]]), axis=1) for c in cons}
    items = [i for c in cons.values() for i in c]
    kd = survey.key_drivers(scores, "sat", ["wait", "reso", "staff"], n_boot=20, seed=1)
    h = journeys.handovers(j, "team")
    from cxpath.kpi.sla import _example_clocks

    clocks = _example_clocks()
    xes = tmp / "tiny.xes"
    xes.write_text('<log><trace><string key="concept:name" value="c1"/><event>'
                   '<string key="concept:name" value="call"/><date key="time:timestamp" '
                   'value="2024-03-01T09:00:00+01:00"/></event></trace></log>')
    ocel = tmp / "tiny.jsonocel"
    ocel.write_text(json.dumps({
        "objectTypes": [{"name": "ticket", "attributes": []}],
        "eventTypes": [{"name": "open", "attributes": []}],
        "objects": [{"id": "t1", "type": "ticket"}],
        "events": [{"id": "e1", "type": "open", "time": "2024-01-01T09:00:00Z",
                    "relationships": [{"objectId": "t1", "qualifier": "opens"}]}]}))
    out = {
        "attribute": attribution.attribute(j, exclude="resolved", models=(
            "first_touch", "last_touch", "linear", "markov_1", "shapley")),
        "attribute_value": attribution.attribute(small, models=("first_touch", "markov_1")),
        "heuristic": attribution.heuristic(j, exclude="resolved"),
        "markov": attribution.markov(j, exclude="resolved"),
        "markov_boot_value": attribution.markov(small, n_boot=10, seed=0),
        "shapley": attribution.shapley(j, exclude="resolved"),
        "shapley_ordered": attribution.shapley(small, method="ordered"),
        "absorbing": attribution.absorbing_measures(j, exclude="resolved"),
        "bottlenecks": journeys.bottlenecks(j, sla=2 * 86400),
        "bottlenecks_service": journeys.bottlenecks(timed, level="touchpoint"),
        "breakpoints": journeys.breakpoints(j),
        "channel_switching": journeys.channel_switching(j),
        "cleaning": cxpath.Journeys.from_events(
            case=[1, 1, None, 2, 2], touchpoint=["a", "b", "c", "a", "a"],
            timestamp=[0, 5, 1, 3, 3]).cleaning_report,
        "conformance": journeys.conformance(j, ["ivr", "phone_agent", "resolved"]),
        "critical_path": journeys.critical_path(j),
        "funnel": journeys.funnel(j, ["ivr", "phone_agent", "resolved"], mode="any_order"),
        "variants": journeys.variants(j, top=5),
        "handovers": h,
        "workload": h.workload,
        "workload_service": journeys.handovers(timed).workload,
        "working_together": h.working_together,
        "rework": journeys.rework(j),
        "repeat_contacts": journeys.repeat_contacts(j, "customer_id", data=sample.events),
        "segmented": journeys.bottlenecks(j, by="product"),
        "worksheet": ws,
        "ranking": fmea.rank(ws),
        "risk_matrix": fmea.risk_matrix(ws),
        "value_effort": fmea.value_effort(labels=["a", "b", "c", "d"], impact=[1, 8, 2, 9],
                                          effort=[8, 9, 2, 1]),
        "pareto": fmea.pareto(sample.failures["failure_mode"]),
        "observed_occurrence": fmea.observed_occurrence(ws, sample.failures,
                                                        exposure=sample.service_orders),
        "observed_detection": fmea.observed_detection(
            three, {"fm": ["a"] * 10 + ["b"] * 4,
                    "caught": [True] * 9 + [False] + [False, False, False, True]},
            mode="fm", detected="caught"),
        "risk_reduction": fmea.risk_reduction(revised),
        "forecast": held,
        "excursions": forecast.flag_outside(y[-28:], held, level=95),
        "backtest": bt,
        "leaderboard": bt.leaderboard(),
        "forecast_set": forecast.forecast_many(
            dict(zip(parts["part_id"][:3], np.asarray(parts["demand"][:3], dtype=float))), 4,
            "croston_sba"),
        "nps": kpi.nps("nps", data=sv, n_boot=50, seed=1),
        "csat": kpi.csat("csat", data=sv),
        "rates": kpi.first_contact_resolution("first_contact_resolution", data=t,
                                              by="priority"),
        "durations": kpi.average_handle_time("handle_time_s", data=t),
        "backlog": kpi.backlog("created", "resolved_at", data=t),
        "ticket_kpis": kpi.ticket_kpis(t, by="priority"),
        "sla": kpi.sla_attainment("created", "resolved_at", "priority",
                                  {"P1": "24h", "P2": "72h", "P3": "168h"}, data=t),
        "sla_clocks": clocks,
        "at_risk": clocks.at_risk("30d"),
        "erlang_c": kpi.erlang_c(100, 300, [10, 12, 14]),
        "staffing": kpi.staffing([100, 200], 300),
        "staffing_a": kpi.staffing_erlang_a([100, 200], 300, 120),
        "erlang_a": kpi.erlang_a(100, 300, [10, 12], 120),
        "interval_staffing": kpi.interval_staffing("calls", "aht_s", data=sample.interval_volumes,
                                                   start="start"),
        "eoq": kpi.eoq(1000, 50, 2),
        "reorder_point": kpi.reorder_point(10, 3, 2, order_quantity=50),
        "slow_mover": kpi.slow_mover_stock(0.5, 4),
        "parts_policy": kpi.parts_policy(parts["demand"], parts["lead_time_weeks"],
                                         parts=parts["part_id"], unit_cost=parts["unit_cost"]),
        "business_case": kpi.business_case(1000, 600),
        "comparison": kpi.compare(t["first_contact_resolution"][:2500],
                                  t["first_contact_resolution"][2500:]),
        "cohorts": kpi.retention_cohorts(t["customer_id"], t["created"], period="M"),
        "u_chart": spc.u_chart(d["complaints"], d["orders"],
                               baseline=d["date"] < np.datetime64("2025-07-01"),
                               labels=d["date"]),
        "imr": spc.imr(x),
        "xbar_r": spc.xbar_r(x.reshape(20, 5)),
        "ewma": spc.ewma(x),
        "cusum": spc.cusum(x),
        "constants": spc.control_constants(),
        "alpha": survey.cronbach_alpha(sv, list(cons["wait"])),
        "omega": survey.omega_total(sv, list(cons["wait"])),
        "kmo": survey.kmo(sv, items),
        "bartlett": survey.bartlett_sphericity(sv, items),
        "efa": survey.efa(sv, items, n_factors=5),
        "factor_count": survey.n_factors(sv, items, n_iter=10, seed=0),
        "htmt": survey.htmt(sv, cons, n_boot=20, seed=0),
        "construct_validity": survey.construct_validity(sv, cons),
        "key_drivers": kd,
        "ipa": survey.importance_performance(kd, scale=(1, 7)),
        "path_model": survey.path_model(scores, "sat ~ wait + reso + staff; loyal ~ sat + reso",
                                        n_boot=20, seed=1),
        "xes": io.read_xes(xes, to="log"),
        "ocel": io.read_ocel(ocel),
    }
    out["signals"] = out["u_chart"].signals
    graph = journeys.journey_graph(j)
    if isinstance(graph, Result):
        out["journey_graph"] = graph
    try:
        import dask.dataframe as dd
        import pandas as pd

        from cxpath import distributed
    except ImportError:
        pass
    else:
        ev = sample.events
        frame = pd.DataFrame({"case": ev["case_id"], "tp": ev["touchpoint"],
                              "ts": ev["timestamp"]})
        out["top_variants"] = distributed.top_variants(dd.from_pandas(frame, npartitions=2),
                                                       case="case", touchpoint="tp",
                                                       timestamp="ts", k=5)
    from cxpath import reliability as rel

    life = rel.LifeData.from_times([16, 34, 53, 75, 93, 120, 130], failed=[1] * 6 + [0])
    weibull = rel.fit(life, "weibull")
    out.update(life_data=life, life_fit=weibull, b_lives=weibull.b_lives([10]),
               parameter_bounds=weibull.parameter_bounds("likelihood"),
               reliability_bounds=weibull.reliability_bounds([50]),
               distribution_ranking=rel.fit_best(life),
               plotting_positions=rel.plotting_positions(life),
               probability_plot=rel.probability_plot(weibull),
               competing_modes=rel.fit_competing([10, 20, 30, 40, 50, 60, 70, 80],
                                                 ["a", "b"] * 4, failed=[1] * 8),
               group_fits=rel.fit_groups([10, 20, 30, 40, 50, 60, 70, 80],
                                         ["x"] * 4 + ["y"] * 4, failed=[1] * 8))
    from result_builders import build_all

    extra = build_all(sample, tmp)
    twice = set(extra) & set(out)
    assert not twice, f"result instances built twice: {sorted(twice)}"
    out.update(extra)
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return _build(cxpath.datasets.load_sample(), tmp_path_factory.mktemp("results"))


def _public_result_classes():
    for name in SUBPACKAGES:
        try:
            importlib.import_module(f"cxpath.{name}")
        except ImportError:  # an optional extra (dask) is missing
            continue
    seen, todo = set(), list(Result.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
    return {c for c in seen if c.__module__.startswith("cxpath.")
            and not c.__name__.startswith("_")}


def _rows(cols: dict) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def _same_values(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    return all(x == y or (x != x and y != y) for x, y in zip(a.ravel().tolist(),
                                                            b.ravel().tolist()))


def test_every_public_result_class_has_an_instance(results):
    built = {type(r) for r in results.values()}
    missing = {c.__qualname__ for c in _public_result_classes()} - {c.__qualname__
                                                                   for c in built}
    if "top_variants" not in results:
        missing.discard("TopVariants")
    assert not missing, f"no instance built for {sorted(missing)}"


def test_displayed_columns_are_attributes_or_documented_as_derived(results):
    problems = []
    n_columns = 0
    for name, res in results.items():
        cols = res._columns()
        n_columns += len(cols)
        for col, values in cols.items():
            if res._explain_column(col) is not None:
                continue
            if not hasattr(res, col):
                problems.append(f"{name}: {col!r} is neither an attribute nor in _derived")
                continue
            attr = getattr(res, col)
            if callable(attr):
                problems.append(f"{name}: {col!r} is a method, not the column")
            elif isinstance(attr, (np.ndarray, list, tuple)) and not _same_values(attr, values) \
                    and col not in ("switches", "revised_severity", "revised_occurrence",
                                    "revised_detection"):
                problems.append(f"{name}: attribute {col!r} differs from its column")
    assert n_columns > 500
    assert not problems, "\n".join(problems)


def test_shown_codes_of_the_three_exceptions_above():
    # switches: codes 0..3 shown as '0', '1', '2', '3+'; revised ratings: 0 shown as blank
    j = cxpath.Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], channel=["x", "y"])
    cs = journeys.channel_switching(j)
    assert cs.to_frame("dict")["switches"].tolist() == ["0", "1", "2", "3+"]
    assert cs.switches.tolist() == [0, 1, 2, 3]
    ws = fmea.Worksheet.from_records([fmea.FailureMode("x", 5, 5, 5, revised_detection=2)])
    assert ws.to_frame("dict")["revised_severity"].tolist() == [None]
    assert ws.revised_severity.tolist() == [0] and ws.revised_detection.tolist() == [2]


def test_derived_columns_are_documented_in_the_class_docstring():
    for cls in _public_result_classes():
        derived = cls.__dict__.get("_derived")
        if not derived:
            continue
        doc = cls.__doc__ or ""
        notes = doc[doc.index("Notes\n"):] if "Notes\n" in doc else ""
        for key, text in derived.items():
            assert f"* ``{key}``: {text}" in notes, (cls.__name__, key)


def test_derived_notes_parse_as_a_numpydoc_section():
    numpydoc = pytest.importorskip("numpydoc.docscrape")
    import warnings

    from cxpath.forecast import Forecast
    from cxpath.journeys import Variants

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpydoc warns on unknown or misplaced sections
        doc = numpydoc.ClassDoc(Forecast, config={"show_class_members": False})
        other = numpydoc.ClassDoc(Variants, config={"show_class_members": False})
    assert any("lo_{level}" in line for line in doc["Notes"])
    assert any("``path``" in line for line in other["Notes"])
    assert doc["Attributes"]  # the section before it is intact


def test_derived_notes_go_before_references_and_examples():
    @result
    class _Doc(Result):
        """Short.

        Attributes
        ----------
        x : ndarray

        Notes
        -----
        Existing note.

        Examples
        --------
        >>> 1
        1
        """

        x: np.ndarray
        _derived = derived_columns({"y_{k}": "x times k"})

        def _columns(self):
            return {"x": self.x, "y_2": 2 * self.x}

    doc = _Doc.__doc__
    assert doc.index("Existing note.") < doc.index("* ``y_{k}``: x times k") \
        < doc.index("Examples")
    assert _Doc(np.array([1]))._explain_column("y_2") == "x times k"
    assert _Doc(np.array([1]))._explain_column("z") is None


def _repr_header(res, first: str) -> list[str]:
    for line in repr(res).splitlines():
        if line.split()[:1] == [first]:
            return line.split()
    return []


def test_repr_html_and_frame_show_the_same_columns(results):
    pytest.importorskip("pandas")
    for name, res in results.items():
        cols = res._columns()
        if not _rows(cols):
            continue
        names = list(cols)
        assert list(res.to_frame().columns) == names, name
        assert list(res.to_frame("dict")) == names, name
        heads = re.findall(r"<th>(.*?)</th>", res._repr_html_())
        assert [html.unescape(h) for h in heads[:len(names)]] == names, name
        if name == "critical_path":  # its repr is the path on one line: the table's rows
            assert " > ".join(cols["touchpoint"]) in repr(res)
            continue
        text = repr(res)
        for col in names:
            assert col in text, (name, col)


def test_worksheet_shows_rpn_and_ap_in_every_view(results):
    ws = results["worksheet"]
    frame = ws.to_frame("dict")
    names = list(frame)
    assert names[names.index("detection") + 1:names.index("detection") + 3] == ["rpn", "ap"]
    assert frame["rpn"].tolist() == ws.rpn.tolist()
    assert frame["ap"].tolist() == ws.action_priority.tolist() == ws.ap.tolist()
    header = _repr_header(ws, "failure_mode")
    assert header == ["failure_mode", "severity", "occurrence", "detection", "rpn", "ap"]
    text = repr(ws)
    assert "more columns: step, function" in text
    page = ws._repr_html_()
    assert "<th>rpn</th><th>ap</th>" in page
    assert f"<td>{ws.rpn[0]}</td><td>{ws.action_priority[0]}</td>" in page
    # a table round trip does not turn the computed columns into extra columns
    again = fmea.Worksheet.from_frame(ws.to_frame("dict"))
    assert again.extra == {} and again.rpn.tolist() == ws.rpn.tolist()
    stale = fmea.Worksheet.from_frame({**ws.to_frame("dict"), "rpn": np.zeros(len(ws))})
    assert "rpn" in stale.extra and "ap" not in stale.extra  # a differing column is kept


def _descending(x) -> bool:
    x = np.asarray(x, dtype=float)
    return bool((np.diff(x) <= 1e-12).all())


def test_ranked_tables_are_sorted_by_their_ranking_quantity(results):
    att = results["attribute"]
    assert att.headline == "markov_1"
    cols = att._columns()
    assert _descending(cols["markov_1"]) and list(cols["channel"]) == list(att.channels)
    assert results["heuristic"].headline == results["heuristic"].models[0]
    assert _descending(results["heuristic"].conversions[0])
    for name in ("markov", "markov_boot_value", "shapley", "shapley_ordered"):
        assert _descending(results[name]._columns()["conversions"]), name
    assert _descending(results["breakpoints"]._columns()["lost_successes"])
    assert _descending(results["bottlenecks"]._columns()["total_wait_h"])
    assert _descending(results["pareto"]._columns()["count"])
    assert results["bottlenecks_service"].rank_by == "wait"
    service = journeys.bottlenecks(
        cxpath.Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"],
                                    timestamp=[3600, 7200, 0, 9000],
                                    start_timestamp=[0, 5400, 0, 3600]),
        level="touchpoint", rank_by="service")
    assert _descending(service._columns()["total_service_h"])


def test_attribution_ties_keep_label_order():
    j = cxpath.Journeys.from_paths(["b", "a", "c > d"], conversions=[1, 1, 4], nulls=[1, 1, 0])
    for res in (attribution.markov(j), attribution.shapley(j),
                attribution.attribute(j, models=("linear", "markov"))):
        assert list(res.channels) == ["c", "d", "a", "b"], type(res).__name__
    h = attribution.heuristic(j, ("first_touch", "last_touch"))
    assert list(h.channels) == ["c", "a", "b", "d"]  # first touch ranks; d has none


def test_join_aligns_channels_and_reranks():
    j = cxpath.Journeys.from_paths(["web > chat", "web", "app > chat"], conversions=[1, 0, 1],
                                   nulls=[0, 3, 0])
    h = attribution.heuristic(j, "first_touch")
    m = attribution.markov(j).to_attribution()
    assert h.channels != m.channels  # each ranked by its own credit
    both = h.join(m)
    assert both.headline == "markov_1" and _descending(both.conversions[1])
    assert both.credit("first_touch") == h.credit("first_touch")
    assert both.credit("markov_1") == pytest.approx(m.credit("markov_1"))


def test_unit_columns_are_properties_in_the_column_unit(results):
    b = results["bottlenecks"]
    np.testing.assert_allclose(b.total_wait_h, b.total_wait / 3600)
    assert b.step is b.steps and b.share is b.share_of_wait
    s = results["bottlenecks_service"]
    np.testing.assert_allclose(s.median_service_h, s.median_service / 3600)
    assert results["bottlenecks"].total_service_h is None
    v = results["variants"]
    assert v.median_duration_s is v.median_duration and v.cases is v.counts
    m = results["markov_boot_value"]
    np.testing.assert_array_equal(m.conversions_low, m.conversions_ci[:, 0])
    np.testing.assert_array_equal(m.value_high, m.value_ci[:, 1])
    assert results["markov"].conversions_low is None
    assert m.removal_effect is m.removal_effects


def test_loc_gives_one_labelled_row(results):
    b = results["bottlenecks"]
    step = b.steps[1]
    row = b.loc(step)
    assert row == b[step]
    assert row["step"] == step and row["count"] == int(b.count[1])
    assert row["total_wait_h"] == pytest.approx(b.total_wait[1] / 3600)
    assert isinstance(row["count"], int) and isinstance(row["step"], str)
    assert step in b and "nowhere -> else" not in b
    m = results["markov"]
    assert m["phone_agent"]["removal_effect"] == pytest.approx(
        m.removal_effects[m.channels.index("phone_agent")])
    # keys named by the result, and several columns together
    h = results["handovers"]
    pair = (h.source[0], h.target[0])
    assert h.loc(pair)["count"] == int(h.count[0]) and h[pair] == h.loc(pair)
    assert results["ranking"]["Technician no-show"]["rank"] >= 1
    # the SLA table has one segment: the priority alone labels its rows
    assert results["sla"]["P1"]["priority"] == "P1"
    # labels given as text
    c = results["cohorts"]
    assert c[str(c.cohort[0])]["size"] == int(c.size[0])
    u = results["u_chart"]
    assert u["2025-07-01"]["label"] == np.datetime64("2025-07-01")
    # the worksheet: position gives a FailureMode, a label its row
    ws = results["worksheet"]
    assert ws[0].failure_mode == ws["Wrong product model recorded"]["failure_mode"]
    # a drill-down: (segment, label)
    seg = results["segmented"]
    first = seg.results[0]
    assert seg.loc((seg.segments[0], first.steps[0]))["count"] == int(first.count[0])
    assert seg[seg.segments[0]] is first  # __getitem__ keeps giving a segment's result


def test_unknown_labels_are_clear_errors_with_close_matches(results):
    b = results["breakpoints"]
    wrong = b.steps[0][:-1] + "x"
    with pytest.raises(UnknownLabelError, match=r"'label' parameter of Breakpoints.loc "
                                                r"must be a step of the table \(closest: ") as e:
        b.loc(wrong)
    assert repr(str(b.steps[0])) in str(e.value)
    assert isinstance(e.value, CxpathError) and isinstance(e.value, KeyError)
    assert str(e.value).startswith("The 'label'")  # the message, not KeyError's quoting
    with pytest.raises(KeyError, match="closest"):
        b[wrong]
    with pytest.raises(UnknownLabelError, match=r"rows: "):
        b.loc("zzzzzzzzzzzzzzzzzzzz")  # nothing close: some labels are listed
    h = results["handovers"]
    with pytest.raises(UnknownLabelError, match=r"a tuple of \(source, target\)"):
        h.loc(h.source[0])
    p = results["pareto"]
    with pytest.raises(TypeError, match=r"Pareto\[\.\.\.\] takes a row label.*to_frame"):
        p[0]
    with pytest.raises(TypeError, match="not iterable"):
        list(p)
    sig = results["signals"]
    with pytest.raises(UnknownLabelError, match="a tuple of"):
        sig.loc("WE1")


def test_loc_refuses_a_label_of_several_rows():
    @result
    class _Twice(Result):
        k: np.ndarray

        _key = "k"

        def _columns(self):
            return {"k": self.k, "n": np.arange(self.k.size)}

    with pytest.raises(UnknownLabelError, match="2 rows have the k 'a'"):
        _Twice(np.array(["a", "a", "b"], dtype=object)).loc("a")
    assert "a" not in _Twice(np.array(["a", "a"], dtype=object))
