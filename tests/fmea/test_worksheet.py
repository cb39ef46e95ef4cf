"""FailureMode and Worksheet: building from records / CSV / frames, lossless CSV and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.fmea import FIELDS, FailureMode, Worksheet


def full_worksheet():
    return Worksheet.from_records([
        FailureMode("Wrong part shipped", 7, 5, 4, step="parts", function="order the part",
                    effect='second visit, "angry" customer', cause="catalogue\nmismatch",
                    prevention="catalogue sync", detection_control="picking scan",
                    action="scan at packing", owner="Logistics", due="2026-03-31",
                    revised_severity=None, revised_occurrence=3, revised_detection=2,
                    extra={"id": "PF-7", "Notes": " leading space, trailing "}),
        FailureMode("Technician no-show", 8, 4, 5, step="field repair", due=dt.date(2026, 1, 5),
                    revised_severity=8, revised_occurrence=2, revised_detection=5,
                    extra={"id": "PF-8"}),
        FailureMode("Gerät beschädigt ✓", 9, 2, 4, extra={"id": ""}),
    ])


def assert_same(a: Worksheet, b: Worksheet):
    assert len(a) == len(b)
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    assert list(a.extra) == list(b.extra)
    for k in a.extra:
        np.testing.assert_array_equal(a.extra[k], b.extra[k], err_msg=k)
    assert [m for m in a] == [m for m in b]


def test_fields_and_scores():
    ws = full_worksheet()
    assert ws.rpn.tolist() == [140, 160, 72]
    assert ws.criticality.tolist() == [35, 32, 18]
    assert ws.action_priority.tolist() == ["M", "M", "L"]  # 7/5/4: S7-8 O4-5 D2-4 -> M
    assert ws.revised.tolist() == [True, True, False]
    assert ws[0].revised_severity is None and ws[0].revised_occurrence == 3
    assert ws[0].due == dt.date(2026, 3, 31) and ws[2].due is None
    assert ws[-1].failure_mode == "Gerät beschädigt ✓"
    assert ws[0].extra == {"id": "PF-7", "Notes": " leading space, trailing "}
    assert ws[1].extra == {"id": "PF-8", "Notes": ""}


def test_csv_round_trip_preserves_every_field(tmp_path):
    ws = full_worksheet()
    path = tmp_path / "fmea.csv"
    ws.to_csv(path)
    back = Worksheet.from_csv(path)
    assert_same(ws, back)
    assert back.to_csv() == ws.to_csv()


def test_json_round_trip_preserves_every_field(tmp_path):
    ws = full_worksheet()
    path = tmp_path / "fmea.json"
    ws.to_json(path, indent=2)
    back = Worksheet.from_json(path)
    assert_same(ws, back)
    doc = json.loads(ws.to_json())
    assert doc["fields"] == list(FIELDS) and doc["extra_columns"] == ["id", "Notes"]
    assert doc["modes"][0]["due"] == "2026-03-31"
    assert doc["modes"][0]["revised_severity"] is None
    assert_same(ws, Worksheet.from_json(io.StringIO(ws.to_json())))
    assert_same(ws, Worksheet.from_json(text=json.dumps(doc["modes"])))  # a plain list works


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
               max_size=12)
rating = st.integers(1, 10)
mode = st.builds(FailureMode, failure_mode=text, severity=rating, occurrence=rating,
                 detection=rating, step=text, cause=text, action=text,
                 due=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
                 revised_occurrence=st.none() | rating, revised_detection=st.none() | rating)


@settings(max_examples=60, deadline=None)
@given(st.lists(mode, min_size=1, max_size=6))
def test_round_trips_property(modes):
    ws = Worksheet.from_records(modes)
    assert_same(ws, Worksheet.from_csv(io.StringIO(ws.to_csv())))
    assert_same(ws, Worksheet.from_json(text=ws.to_json()))


def test_from_frame_pandas_polars_arrow_and_mapping():
    sample = load_sample()
    d = Worksheet.from_frame(sample.failure_modes)
    assert len(d) == 15 and d.severity.dtype == np.int64
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sample.failure_modes)
    assert_same(d, Worksheet.from_frame(frame))
    pl = pytest.importorskip("polars")
    assert_same(d, Worksheet.from_frame(pl.DataFrame(sample.failure_modes)))
    pa = pytest.importorskip("pyarrow")
    assert_same(d, Worksheet.from_frame(pa.table(sample.failure_modes)))
    renamed = frame.rename(columns={"failure_mode": "Fehlerart", "severity": "B",
                                    "occurrence": "A", "detection": "E"})
    mapped = Worksheet.from_frame(renamed, columns={"Fehlerart": "failure_mode", "B": "severity",
                                                    "A": "occurrence", "E": "detection"})
    assert_same(d, mapped)
    # pandas round trip through to_frame
    assert_same(d, Worksheet.from_frame(d.to_frame()))


def test_header_aliases_and_float_ratings():
    text = ("Process Step,Potential Failure Mode,S,O,D,Recommended Action,Due Date,S after\n"
            "intake,IVR misroutes,4,7.0, 4 ,menu redesign,2026-02-01,\n")
    ws = Worksheet.from_csv(io.StringIO(text))
    assert ws.step.tolist() == ["intake"] and ws.occurrence.tolist() == [7]
    assert ws.detection.tolist() == [4] and ws.revised_severity.tolist() == [0]
    assert str(ws.due[0]) == "2026-02-01" and ws.action[0] == "menu redesign"


def test_with_ratings_subset_and_repr():
    ws = full_worksheet()
    assert ws.with_ratings(occurrence=[1, 1, 1]).rpn.tolist() == [28, 40, 36]
    assert ws.subset([2, 0]).failure_mode.tolist() == ["Gerät beschädigt ✓", "Wrong part shipped"]
    assert len(ws.subset(ws.severity > 7)) == 2
    assert ws.subset([2]).extra["id"].tolist() == [""]
    assert "FMEA worksheet (3 modes)" in repr(ws) and "H 0, M 2, L 1" in repr(ws)
    cols = ws.to_frame("dict")
    # every field, with the computed RPN and Action Priority after the ratings
    assert list(cols)[:len(FIELDS) + 2] == [*FIELDS[:8], "rpn", "ap", *FIELDS[8:]]
    assert cols["rpn"].tolist() == ws.rpn.tolist() and cols["ap"].tolist() == ws.ap.tolist()
    assert cols["revised_severity"].tolist() == [None, 8, None]
    assert "<table>" in ws._repr_html_()
    assert repr(Worksheet.from_records([])) == "FMEA worksheet (0 modes)"


@pytest.mark.parametrize("value,shown", [(0, "0"), (11, "11"), (7.5, "7.5"), ("high", "'high'"),
                                         (True, "True")])
def test_bad_rating_names_field_and_row(value, shown):
    rows = [{"failure_mode": "ok", "S": 5, "O": 5, "D": 5},
            {"failure_mode": "Wrong part", "S": value, "O": 5, "D": 5}]
    with pytest.raises(DataError, match=rf"'severity' parameter of fmea.Worksheet.from_records "
                                        rf"must be an integer in \[1, 10\]. Got {shown} at row 1 "
                                        r"\(failure mode 'Wrong part'\)"):
        Worksheet.from_records(rows)


def test_bad_inputs_in_csv_and_frames():
    text = "failure_mode,severity,occurrence,detection\nA,5,5,5\n\nB,5,,5\n"
    with pytest.raises(DataError, match=r"'occurrence'.*a missing value at row 1 \(line 4 of the "
                                        r"file\) \(failure mode 'B'\)"):
        Worksheet.from_csv(io.StringIO(text))
    with pytest.raises(DataError, match=r"'detection' parameter of fmea.Worksheet.from_frame must "
                                        r"be present"):
        Worksheet.from_frame({"failure_mode": ["a"], "severity": [1], "occurrence": [1]})
    with pytest.raises(DataError, match=r"'failure_mode'.*present"):
        Worksheet.from_frame({"S": [1], "O": [1], "D": [1]})
    with pytest.raises(DataError, match=r"'revised_detection'.*Got 12 at row 0"):
        Worksheet.from_frame({"failure_mode": ["a"], "S": [1], "O": [1], "D": [1],
                              "revised_detection": [12]})
    with pytest.raises(DataError, match=r"'severity'.*Got 0 at row 1"):
        Worksheet.from_frame({"failure_mode": ["a", "b"], "S": np.array([3, 0]), "O": [1, 1],
                              "D": [1, 1]})
    with pytest.raises(DataError, match=r"'due'.*a date.*'next week' at row 0"):
        Worksheet.from_records([{"failure_mode": "a", "S": 1, "O": 1, "D": 1,
                                 "due": "next week"}])
    with pytest.raises(InvalidParameterError,
                       match=r"'data' parameter of fmea.Worksheet.from_frame"):
        Worksheet.from_frame([1, 2, 3])
    with pytest.raises(InvalidParameterError, match=r"'columns'.*worksheet fields"):
        Worksheet.from_frame({"x": ["a"]}, columns={"x": "mode_name"})
    with pytest.raises(DataError, match=r"'columns'.*keys that are columns.*'Nope'"):
        Worksheet.from_frame({"x": ["a"]}, columns={"Nope": "failure_mode"})
    with pytest.raises(DataError, match=r"each field one source column"):
        Worksheet.from_frame({"S": [1], "sev": [1], "failure_mode": ["a"], "O": [1], "D": [1]})
    with pytest.raises(DataError, match=r"'records'.*dicts or FailureMode.*int at row 0"):
        Worksheet.from_records([3])
    with pytest.raises(DataError, match=r"an empty file"):
        Worksheet.from_csv(io.StringIO(""))
    with pytest.raises(DataError, match=r"at most 4 cells.*5 cells on line 2"):
        Worksheet.from_csv(io.StringIO("failure_mode,S,O,D\na,1,1,1,9\n"))
    with pytest.raises(InvalidParameterError, match=r"'source'.*path or a text file"):
        Worksheet.from_csv(42)
    with pytest.raises(DataError, match=r"'text' parameter of fmea.Worksheet.from_json.*valid "
                                        r"JSON"):
        Worksheet.from_json(text="{not json")
    with pytest.raises(InvalidParameterError, match=r"path or a file object \(pass JSON text "
                                                    r"as text=\)"):
        Worksheet.from_json('{"modes": []}')  # never guessed: JSON text goes in text=
    with pytest.raises(InvalidParameterError, match=r"one of the two"):
        Worksheet.from_json()
    with pytest.raises(DataError, match=r"'modes' list"):
        Worksheet.from_json(text='{"modes": 3}')
    with pytest.raises(DataError, match=r"'severity' parameter of fmea.FailureMode.*Got 11"):
        FailureMode("x", 11, 1, 1)
    ws = full_worksheet()
    with pytest.raises(InvalidParameterError, match=r"'i'.*in \[-3, 2\]"):
        ws[3]
    with pytest.raises(DataError, match=r"'occurrence'.*length 3"):
        ws.with_ratings(occurrence=[1])
    with pytest.raises(InvalidParameterError, match=r"'ratings'.*one of"):
        ws.with_ratings(rpn=[1, 1, 1])
    with pytest.raises(DataError, match=r"'severity' parameter of fmea.Worksheet.with_ratings.*0"):
        ws.with_ratings(severity=[0, 1, 1])
    with pytest.raises(InvalidParameterError, match=r"boolean mask of length 3"):
        ws.subset(np.array([True]))


def test_direct_construction_is_checked_and_polars_frame():
    ws = full_worksheet()
    fields = {f: getattr(ws, f) for f in FIELDS}
    with pytest.raises(DataError, match=r"'occurrence' parameter of fmea.Worksheet must be int64 "
                                        r"ratings in \[1, 10\]"):
        Worksheet(**{**fields, "occurrence": np.array([0, 1, 2])})
    with pytest.raises(InvalidParameterError, match=r"'step'.*1-D numpy array of length 3"):
        Worksheet(**{**fields, "step": ["a", "b", "c"]})
    with pytest.raises(DataError, match=r"'extra'.*length 1 for 'x'"):
        Worksheet(**fields, extra={"x": np.array(["a"], dtype=object)})
    pl = pytest.importorskip("polars")
    frame = ws.to_frame("polars")
    assert frame["revised_severity"].to_list() == [None, 8, None]
    assert frame["due"].dtype == pl.Date


def test_csv_defuses_spreadsheet_formulas_and_reads_them_back():
    # OWASP, "CSV Injection": cells starting with = + - @ tab or CR run as formulas
    evil = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "'quoted", "ok"]
    ws = Worksheet.from_records([FailureMode(text, 5, 5, 5) for text in evil])
    text = ws.to_csv()
    cells = [row.split(",")[2] for row in text.splitlines()[1:]]
    assert [c.strip('"') for c in cells] == ["'=HYPERLINK(\"\"http://x\"\")", "'+1+1", "'-2+3",
                                             "'@SUM(A1)", "'\tx", "''quoted", "ok"]
    back = Worksheet.from_csv(io.StringIO(text))
    assert back.failure_mode.tolist() == evil
