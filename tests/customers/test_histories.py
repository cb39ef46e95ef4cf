"""Customer histories from activity logs (cxpath.customers.histories): censoring at the end of
observation, explicit churn events, repeat and complaint durations, RFM features, leakage-free
features as of a cut-off, Journeys input and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import CustomerHistories, customer_histories, kaplan_meier
from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError

DAY = 86400.0


def _log(days, customers, amounts=None, events=None):
    out = {"customer": list(customers),
           "at": (np.datetime64("2025-01-01T00:00:00") +
                  (np.asarray(days, dtype=float) * DAY).astype("timedelta64[s]"))}
    if amounts is not None:
        out["amount"] = list(amounts)
    if events is not None:
        out["event"] = list(events)
    return out


def _h(log, **kw):
    kw.setdefault("customer", "customer")
    kw.setdefault("timestamp", "at")
    return customer_histories(log, **kw)


# ----------------------------------------------------------------------------- censoring

def test_last_activity_exactly_one_window_before_the_end_is_churned():
    # Rule (module notes): churned iff end - last >= churn_after; duration last + W - first.
    log = _log([0, 10, 0], ["a", "a", "b"])
    h = _h(log, end="2025-01-31", churn_after=20)  # end is day 30: a's last is day 10
    assert h.churned.tolist() == [True, True]
    assert h.churn_duration.tolist() == [30.0, 20.0]  # a: 10 + 20 - 0; b: 0 + 20 - 0


def test_last_activity_within_the_window_of_the_end_is_censored():
    log = _log([0, 10.5], ["a", "a"])  # 19.5 days before day 30: inside the window
    h = _h(log, end="2025-01-31", churn_after=20)
    assert h.churned.tolist() == [False]
    assert h.churn_duration.tolist() == [30.0]  # end - first


def test_first_gap_of_a_window_is_a_churn_even_if_the_customer_returns():
    # gap day 2 -> day 22 is exactly W = 20: churn at day 22 (>= W); later activity ignored.
    log = _log([0, 2, 22, 25], ["a"] * 4)
    h = _h(log, end="2025-01-31", churn_after=20)
    assert h.churned.tolist() == [True]
    assert h.churn_duration.tolist() == [22.0]
    shorter = _h(_log([0, 2, 21.9, 25], ["a"] * 4), end="2025-01-31", churn_after=20)
    assert shorter.churned.tolist() == [False]  # no gap of 20 days, last at 25: censored


def test_explicit_churn_event_and_the_earlier_of_both():
    log = _log([0, 5, 8, 0, 3], ["a", "a", "a", "b", "b"],
               events=["order", "cancel", "order", "order", "order"])
    h = _h(log, event="event", churn_event="cancel", end="2025-01-11")
    assert h.churned.tolist() == [True, False]
    assert h.churn_duration.tolist() == [5.0, 10.0]
    both = _h(log, event="event", churn_event={"cancel"}, churn_after=4, end="2025-01-11")
    # a: the cancel at 5 (gap 0-5 is 5 >= 4 would churn at 4: earlier) -> 4; b: 3 + 4 = 7
    assert both.churn_duration.tolist() == [4.0, 7.0]
    assert both.churned.tolist() == [True, True]


def test_durations_feed_kaplan_meier():
    log = _log([0, 40, 0, 1, 0, 59], ["a", "a", "b", "b", "c", "c"])
    h = _h(log, end="2025-03-01", churn_after=30)  # end = day 59
    # a: churn at 30 (gap 0-40); b: 1 + 30 = 31; c: gap 0-59 -> 30; censored none
    assert h.churn_duration.tolist() == [30.0, 31.0, 30.0]
    km = kaplan_meier(h.churn_duration, h.churned)
    assert km.survival.tolist() == pytest.approx([1 / 3, 0.0])


# ----------------------------------------------------------------------------- features

def test_rfm_and_bgnbd_features_by_hand():
    log = _log([0, 3, 10, 2, 8], ["x", "x", "x", "y", "y"], amounts=[5, 7, 9, 20, 10])
    h = _h(log, amount="amount", end="2025-01-21")  # end day 20
    assert h.customer.tolist() == ["x", "y"]
    assert h.n_activities.tolist() == [3, 2]
    assert h.frequency.tolist() == [2.0, 1.0]
    assert h.recency.tolist() == [10.0, 12.0]
    assert h.span.tolist() == [10.0, 6.0]
    assert h.age.tolist() == [20.0, 18.0]
    assert h.total.tolist() == [21.0, 30.0]
    assert h.monetary.tolist() == [8.0, 10.0]  # mean of the repeat amounts
    assert h.mean_amount.tolist() == [7.0, 15.0]
    assert h.first.astype(str).tolist() == ["2025-01-01T00:00:00", "2025-01-03T00:00:00"]
    assert h.churned is None and h.future_active is None


def test_time_to_repeat_and_to_first_complaint():
    log = _log([0, 4, 9, 1, 0], ["a", "a", "a", "b", "c"],
               events=["order", "order", "complaint", "complaint", "order"])
    h = _h(log, event="event", complaint="complaint", end="2025-01-11")
    assert h.repeat_duration.tolist() == [4.0, 9.0, 10.0]
    assert h.repeated.tolist() == [True, False, False]
    assert h.complaint_duration.tolist() == [9.0, 0.0, 10.0]
    assert h.complained.tolist() == [True, True, False]


def test_units_and_default_end():
    log = _log([0, 14, 7], ["a", "a", "b"])
    h = _h(log, unit="W")
    assert h.end == np.datetime64("2025-01-15T00:00:00")
    assert h.age.tolist() == [2.0, 1.0]
    assert _h(log, unit="h").age.tolist() == [336.0, 168.0]


def test_epoch_seconds_and_iso_strings_are_the_same_times():
    log = _log([0, 2, 1], ["a", "a", "b"])
    secs = {"customer": log["customer"],
            "at": log["at"].astype("datetime64[s]").astype(np.int64).astype(float)}
    iso = {"customer": log["customer"], "at": log["at"].astype(str).tolist()}
    for other in (secs, iso):
        assert _h(other).age.tolist() == _h(log).age.tolist() == [2.0, 1.0]


# ----------------------------------------------------------------------------- cut-off

def _random_log(seed, n=400):
    rng = np.random.default_rng(seed)
    days = np.round(rng.uniform(0, 200, n), 3)
    days[:20] = 100.0  # rows exactly at the cut-off used below
    return _log(days, rng.choice(list("abcdefghijklmnop"), n),
                amounts=np.round(rng.gamma(2, 10, n), 2),
                events=rng.choice(["order", "complaint", "cancel"], n, p=[.8, .15, .05]))


_FEATURES = ("customer", "first", "last", "n_activities", "frequency", "recency", "span", "age",
             "total", "monetary", "mean_amount", "churn_duration", "churned",
             "repeat_duration", "repeated", "complaint_duration", "complained")
_KW = {"amount": "amount", "event": "event", "churn_after": 15, "churn_event": "cancel",
       "complaint": "complaint"}


def _features(h):
    return {k: None if getattr(h, k) is None else getattr(h, k).tolist() for k in _FEATURES}


def test_features_use_only_activity_strictly_before_the_cutoff():
    log = _random_log(1)
    cut = np.datetime64("2025-04-11T00:00:00")  # day 100
    h = _h(log, cutoff=cut, horizon=30, **_KW)
    before = log["at"] < cut
    past = {k: np.asarray(x)[before] for k, x in log.items()}
    ref = _h(past, end=cut, **_KW)  # the same data without anything at or after the cut-off
    assert _features(h) == _features(ref)
    assert h.n_unused == int((~before).sum()) and h.cutoff
    # anything at or after the cut-off may change: the features must not
    rng = np.random.default_rng(2)
    changed = {k: np.asarray(x).copy() for k, x in log.items()}
    after = ~before
    changed["amount"][after] = rng.gamma(5, 50, after.sum())
    changed["event"][after] = "cancel"
    changed["customer"][after] = rng.permutation(changed["customer"][after])
    assert _features(_h(changed, cutoff=cut, horizon=30, **_KW)) == _features(h)


def test_a_naive_cutoff_is_read_on_the_clock_of_aware_times():
    pd = pytest.importorskip("pandas")
    local = pd.to_datetime(["2025-01-10 10:00", "2025-02-28 23:30", "2025-03-01 00:30",
                            "2025-01-15 00:00"])
    data = pd.DataFrame({"c": ["a", "a", "a", "b"], "t": local.tz_localize("Europe/Berlin")})
    naive = customer_histories(data.assign(t=local), customer="c", timestamp="t",
                               cutoff="2025-03-01")
    # '2025-03-01' is local midnight: the visit at 00:30 on 1 March is after it. Read as
    # midnight UTC (01:00 in Berlin) the visit fell before the cut-off.
    for cut in ("2025-03-01", np.datetime64("2025-03-01"),
                pd.Timestamp("2025-03-01", tz="Europe/Berlin"), "2025-02-28T23:00+00:00"):
        h = customer_histories(data, customer="c", timestamp="t", cutoff=cut)
        assert h.to_frame().iloc[:, 3].tolist() == naive.to_frame().iloc[:, 3].tolist() \
            == [2, 1]
        assert h.n_unused == 1
    assert h.tz == "Europe/Berlin"  # the times shown on the input's clock
    assert h.to_frame()["first"].astype(str).tolist() == ["2025-01-10 10:00:00+01:00",
                                                         "2025-01-15 00:00:00+01:00"]
    assert "before the cut-off 2025-03-01 00:00:00+01:00" in repr(h)


def test_moving_the_cutoff_changes_features_only_as_it_should():
    log = _random_log(3)
    c1, c2 = np.datetime64("2025-04-11T00:00:00"), np.datetime64("2025-04-21T00:00:00")
    h1, h2 = _h(log, cutoff=c1, **_KW), _h(log, cutoff=c2, **_KW)
    cust, t = np.asarray(log["customer"]), log["at"]
    between = set(cust[(t >= c1) & (t < c2)].tolist())
    for i, c in enumerate(h1.customer.tolist()):
        j = h2.customer.tolist().index(c)
        if c in between:
            assert h2.n_activities[j] > h1.n_activities[i]
            continue
        # no activity in [c1, c2): counts and amounts equal, clocks advance by 10 days
        assert h2.n_activities[j] == h1.n_activities[i]
        assert h2.monetary[j] == h1.monetary[i] and h2.span[j] == h1.span[i]
        assert h2.recency[j] == pytest.approx(h1.recency[i] + 10)
        assert h2.age[j] == pytest.approx(h1.age[i] + 10)
    assert between  # the test bites


def test_outcome_window_counts_the_activity_after_the_cutoff():
    log = _random_log(4)
    cut = np.datetime64("2025-04-11T00:00:00")
    h = _h(log, cutoff=cut, horizon=30, amount="amount")
    cust, t, amt = np.asarray(log["customer"]), log["at"], np.asarray(log["amount"])
    window = (t >= cut) & (t < cut + np.timedelta64(30, "D"))
    for i, c in enumerate(h.customer.tolist()):
        mine = window & (cust == c)
        assert h.future_activities[i] == mine.sum()
        assert h.future_amount[i] == pytest.approx(amt[mine].sum())
    assert h.future_active.tolist() == (h.future_activities > 0).tolist()
    assert h.future_activities.sum() > 0


# ----------------------------------------------------------------------------- Journeys

def test_journeys_with_a_customer_case_attribute_equal_the_table():
    from cxpath import Journeys

    events = {"case": [1, 1, 2, 3, 3, 4], "step": ["web", "chat", "call", "web", "web", "app"],
              "at": [0.0, 60.0, 5 * DAY, 2 * DAY, 2 * DAY + 10, 9 * DAY],
              "account": ["a", "a", "a", "b", "b", "a"],
              "kind": ["order", "order", "complaint", "order", "order", "order"]}
    j = Journeys.from_events(events, case="case", touchpoint="step", timestamp="at",
                             case_attributes=["account", "kind"])
    h = customer_histories(j, customer="account", event="kind", complaint="complaint",
                           churn_after=3, unit="D")
    table = {"customer": ["a", "a", "a", "b"], "at": [0.0, 5 * DAY, 9 * DAY, 2 * DAY],
             "kind": ["order", "complaint", "order", "order"]}
    ref = customer_histories(table, customer="customer", timestamp="at", event="kind",
                             complaint="complaint", churn_after=3)
    assert _features(h) == _features(ref)
    assert h.frequency.tolist() == [2.0, 0.0]
    assert h.complaint_duration.tolist() == [5.0, 7.0]


def test_journeys_bad_inputs():
    from cxpath import Journeys

    j = Journeys.from_events({"case": [1, 2], "step": ["web", "web"], "at": [0.0, 9.0],
                              "account": ["a", "b"]}, case="case", touchpoint="step",
                             timestamp="at", case_attributes=["account"])
    with pytest.raises(InvalidParameterError, match=r"'customer' parameter of "
                                                    r"customers.customer_histories must be a "
                                                    r"case attribute of the journeys "
                                                    r"\('account'\)"):
        customer_histories(j, customer="region")
    with pytest.raises(InvalidTypeError, match=r"'customer' parameter .* the name of a case"):
        customer_histories(j, customer=["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"'amount' parameter .* 'value' of "
                                                    r"journeys with values"):
        customer_histories(j, customer="account", amount="value")


# ----------------------------------------------------------------------------- results

def test_result_table_and_lookup():
    log = _log([0, 3, 1], ["x", "x", "y"], amounts=[1, 2, 3])
    h = _h(log, amount="amount", churn_after=5)
    assert isinstance(h, CustomerHistories)
    cols = list(h.to_frame("dict"))
    assert cols[:4] == ["customer", "first", "last", "n_activities"]
    assert "future_active" not in cols and "churned" in cols
    assert h["y"]["frequency"] == 0.0
    assert "2 customers" in repr(h)


# ----------------------------------------------------------------------------- bad input

_F = r"customers.customer_histories"


def test_bad_inputs():
    log = _log([0, 3, 1], ["x", "x", "y"], amounts=[1, 2, 3], events=["a", "b", "a"])
    with pytest.raises(InvalidParameterError, match=rf"'cutoff' parameter of {_F} must be "
                                                    r"None when 'end' is given"):
        _h(log, end="2025-02-01", cutoff="2025-01-02")
    with pytest.raises(InvalidParameterError, match=r"'horizon' parameter .* None without "
                                                    r"'cutoff'"):
        _h(log, horizon=5)
    with pytest.raises(InvalidParameterError, match=r"'horizon' parameter .* in \(0, inf\)"):
        _h(log, cutoff="2025-01-03", horizon=0)
    with pytest.raises(InvalidParameterError, match=r"'churn_after' parameter"):
        _h(log, churn_after=-1)
    with pytest.raises(InvalidParameterError, match=r"'unit' parameter"):
        _h(log, unit="M")
    with pytest.raises(InvalidParameterError, match=r"'complaint' parameter .* None without "
                                                    r"'event'"):
        _h(log, complaint="b")
    with pytest.raises(InvalidTypeError, match=r"'churn_event' parameter .* an event type"):
        _h(log, event="event", churn_event=[1, 2])
    with pytest.raises(DataError, match=rf"'cutoff' parameter of {_F} must be after the first "
                                        r"activity"):
        _h(log, cutoff="2024-12-01")
    with pytest.raises(DataError, match=r"'timestamp' parameter .* same length"):
        customer_histories(customer=["x", "y"], timestamp=log["at"])
    with pytest.raises(DataError, match=r"'timestamp' parameter .* free of missing"):
        customer_histories(customer=["x", "y"], timestamp=np.array(["2025-01-01", "NaT"],
                                                                   "datetime64[s]"))
    with pytest.raises(DataError, match=r"'timestamp' parameter .* not an ISO-8601"):
        customer_histories(customer=["x"], timestamp=["yesterday"])
    with pytest.raises(DataError, match=r"'timestamp' parameter .* booleans"):
        customer_histories(customer=["x", "y"], timestamp=[True, False])
    with pytest.raises(DataError, match=r"'customer' parameter .* free of missing labels"):
        customer_histories(customer=["x", None], timestamp=[0.0, 1.0])
    with pytest.raises(DataError, match=r"'customer' parameter .* at least 1"):
        customer_histories(customer=[], timestamp=[])
    with pytest.raises(DataError, match=r"'amount' parameter .* free of NaN"):
        customer_histories(customer=["x"], timestamp=[0.0], amount=[np.nan])
    with pytest.raises(InvalidTypeError, match=r"'customer' parameter"):
        customer_histories(customer=None, timestamp=[0.0])
    with pytest.raises(InvalidTypeError, match=r"'timestamp' parameter"):
        customer_histories(customer=["x"])
    with pytest.raises(InvalidParameterError, match=r"'end' parameter .* one finite instant"):
        customer_histories(customer=["x"], timestamp=[0.0], end=np.nan)


def test_pandas_and_polars_tables_equal_the_dict():
    log = _log([0, 3, 10, 2], ["x", "x", "x", "y"], amounts=[5, 7, 9, 20])
    log["at"] = log["at"].astype("datetime64[ms]")  # polars reads ms, not s
    ref = _features(_h(log, amount="amount", churn_after=4))
    pd = pytest.importorskip("pandas")
    assert _features(_h(pd.DataFrame(log), amount="amount", churn_after=4)) == ref
    try:
        import polars as pl
    except ImportError:
        return
    assert _features(_h(pl.DataFrame(log), amount="amount", churn_after=4)) == ref
