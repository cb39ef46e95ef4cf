"""Propensity scores and outreach (cxpath.customers.propensity): recovery of a planted churn
mechanism, the leakage-free time split, metrics against scikit-learn, explanations, the
outreach list and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import (
    Calibration,
    LiftTable,
    PropensityFrame,
    bgnbd,
    calibration_table,
    clv,
    customer_histories,
    fit_propensity,
    gamma_gamma,
    lift_table,
    outreach,
    propensity_frame,
    simulate_activity,
)
from cxpath.errors import CxpathWarning, DataError, InvalidParameterError, InvalidTypeError

sklearn = pytest.importorskip("sklearn")
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score  # noqa: E402

C1, C2, N = "2025-04-01", "2025-07-01", 90
SEC = np.timedelta64(1, "s")


@pytest.fixture(scope="module")
def sim():
    return simulate_activity(3000, seed=7)


def _frame(sim, **kw):
    args = dict(customer="customer", timestamp="day", amount="amount", event="event",
                outcome="cancel", churn_event="cancel", covariates=sim["profile"],
                train_cutoff=C1, eval_cutoff=C2, horizon=N)
    args.update(kw)
    return propensity_frame(sim["log"], **args)


@pytest.fixture(scope="module")
def frame(sim):
    return _frame(sim)


@pytest.fixture(scope="module")
def model(frame):
    return fit_propensity(frame)


def _subset(log, keep):
    return {k: np.asarray(val)[keep] for k, val in log.items()}


# ----------------------------------------------------------------------------- planted effects

def test_default_model_recovers_sign_and_ranking_of_planted_effects(model):
    # simulate_activity plants hazard exp(1.2 price_rise - 0.7 tenure + 0.3 support_calls)
    # on independent N(0, 1) covariates: signs +, -, + and ranking price > tenure > calls.
    coef = dict(zip(model.features, model.coef.tolist()))
    assert coef["price_rise"] > 0 and coef["tenure"] < 0 and coef["support_calls"] > 0
    assert abs(coef["price_rise"]) > abs(coef["tenure"]) > abs(coef["support_calls"])
    # ratio of the log-odds coefficients near the planted 1.2 / 0.7 (cloglog ~ logit at
    # small risks): within 30 %
    assert 0.7 * 1.2 / 0.7 < coef["price_rise"] / -coef["tenure"] < 1.3 * 1.2 / 0.7
    assert model.auc > 0.7  # measured 0.77 on this seed


# ----------------------------------------------------------------------------- leakage

def test_training_features_use_only_activity_strictly_before_c1(sim, frame):
    c1, c2 = np.datetime64(C1, "s"), np.datetime64(C2, "s")
    assert (frame.train_last < c1).all()
    assert (frame.eval_last < c2).all()
    seen = ~np.isnat(frame.train_outcome_time)
    assert seen.sum() == frame.train_y.sum() > 0
    assert (frame.train_outcome_time[seen] >= c1).all()
    assert (frame.train_outcome_time[seen] < c1 + np.timedelta64(N, "D")).all()
    assert (frame.train_outcome_time[seen] < c2).all()  # training outcomes before c2


def test_training_rows_do_not_change_when_future_activity_is_deleted(sim, frame):
    # Delete every activity at or after c2: training features and outcomes must not move.
    # Delete everything at or after c1: training features must not move.
    day = np.asarray(sim["log"]["day"]).astype("datetime64[s]")
    past = _subset(sim["log"], day < np.datetime64(C2, "s"))
    with pytest.warns(CxpathWarning, match=r"evaluation window ends"):
        cut = _frame({"log": past, "profile": sim["profile"]})
    np.testing.assert_array_equal(cut.train_customer, frame.train_customer)
    np.testing.assert_array_equal(cut.train_X, frame.train_X)
    np.testing.assert_array_equal(cut.train_y, frame.train_y)
    before = _subset(sim["log"], day < np.datetime64(C1, "s"))
    h = customer_histories(before, customer="customer", timestamp="day", amount="amount",
                           event="event", end=np.datetime64(C1, "s") - SEC,
                           churn_event="cancel")
    alive = ~h.churned
    np.testing.assert_array_equal(h.customer[alive], frame.train_customer)
    np.testing.assert_allclose(h.frequency[alive], frame.train_X[:, 1])
    np.testing.assert_allclose(h.total[alive], frame.train_X[:, 4])


def test_a_leaky_cutoff_is_caught(sim, frame):
    # Features built 30 days after c1 (a deliberate leak) use activity at or after c1:
    # the leakage check above fails on them.
    leak = _frame(sim, train_cutoff="2025-05-01", eval_cutoff=C2, horizon=60)
    assert (leak.train_last >= np.datetime64(C1, "s")).any()
    # and an evaluation cut-off inside the training outcome window is refused
    with pytest.raises(InvalidParameterError, match=r"The 'eval_cutoff' parameter of "
                       r"customers.propensity_frame must be at least 'train_cutoff' \+ "
                       r"'horizon' \(training outcomes end at 2025-06-30T00:00:00\)\. "
                       r"Got '2025-06-29' instead\."):
        _frame(sim, eval_cutoff="2025-06-29")


def test_eval_window_past_the_data_warns(sim):
    with pytest.warns(CxpathWarning, match=r"after the last activity"):
        _frame(sim, eval_cutoff="2025-12-01")


# ----------------------------------------------------------------------------- outcomes

def test_event_outcome_and_churned_customers_on_a_hand_log():
    log = {"customer": ["a", "a", "b", "b", "c", "c", "a", "b", "d"],
           "day": np.array(["2025-01-02", "2025-01-15", "2025-01-05", "2025-01-10",
                            "2025-01-09", "2025-02-04", "2025-03-10", "2025-03-20",
                            "2025-05-01"], "datetime64[D]"),
           "event": ["order", "complaint", "order", "cancel", "order", "complaint", "order",
                     "order", "order"]}
    f = propensity_frame(log, customer="customer", timestamp="day", event="event",
                         outcome="complaint", churn_event="cancel",
                         train_cutoff="2025-02-01", eval_cutoff="2025-03-01", horizon=28)
    # b cancelled on 10 Jan: dropped at both cut-offs; c complains on 4 Feb (in window)
    assert f.train_customer.tolist() == ["a", "c"]
    assert f.train_y.tolist() == [False, True]
    assert f.train_outcome_time[1] == np.datetime64("2025-02-04T00:00:00")
    assert f.eval_customer.tolist() == ["a", "c"] and f.eval_y.tolist() == [False, False]
    assert f.n_dropped == 2
    assert f.features == ("recency", "frequency", "age")
    np.testing.assert_allclose(f.train_X[0], [17.0, 1.0, 30.0])  # a: last 15 Jan, first 2 Jan


# ----------------------------------------------------------------------------- metrics

def test_metrics_equal_sklearn(model):
    y, p = model.outcome, model.probability
    assert model.auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert model.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert model.log_loss == pytest.approx(log_loss(y, p), abs=1e-12)
    cal = model.calibration(bins=10)
    true, pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    np.testing.assert_allclose(cal.observed_rate, true, atol=1e-12)
    np.testing.assert_allclose(cal.mean_probability, pred, atol=1e-12)
    assert cal.n.sum() == y.size


def test_auc_with_ties_equals_sklearn():
    rng = np.random.default_rng(1)
    y = rng.random(200) < 0.3
    p = np.round(rng.random(200), 1)  # many ties
    from cxpath.customers.propensity import _auc
    assert _auc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)


def test_lift_equals_direct_computation(model):
    t = model.lift(groups=10)
    y, p = model.outcome, model.probability
    order = np.argsort(-p, kind="stable")
    top = order[: int(np.ceil(y.size / 10))]  # array_split: larger groups first
    base = y.mean()
    assert t.n[0] == top.size and t.n.sum() == y.size
    assert t.lift[0] == pytest.approx(y[top].mean() / base, abs=1e-12)
    assert t.gains[-1] == pytest.approx(1.0) and t.share[-1] == pytest.approx(1.0)
    assert t.gains[0] == pytest.approx(y[top].sum() / y.sum(), abs=1e-12)
    assert (np.diff(t.mean_probability) <= 0).all()
    assert t.lift[0] > 2  # measured 2.9: the top decile holds far more churners


def test_lift_and_calibration_on_hand_values():
    t = lift_table([1, 0, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], groups=3)
    # groups {0.9, 0.8}, {0.7, 0.3}, {0.2, 0.1}; base rate 1/3
    assert t.positives.tolist() == [1, 1, 0]
    np.testing.assert_allclose(t.lift, [1.5, 1.5, 0.0])
    np.testing.assert_allclose(t.cumulative_lift, [1.5, 1.5, 1.0])
    c = calibration_table([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], bins=2)
    # Brier: (0.01 + 0.09 + 0.16 + 0.01) / 4 = 0.0675
    assert c.brier == pytest.approx(0.0675)
    assert c.log_loss == pytest.approx(-np.mean(np.log([0.9, 0.7, 0.6, 0.9])))
    assert isinstance(c, Calibration) and isinstance(t, LiftTable)


# ----------------------------------------------------------------------------- explanations

def test_explanations_add_up_to_the_log_odds(model):
    e = model.explain(top=2)
    logit = np.log(model.probability / (1 - model.probability))
    np.testing.assert_allclose(e.contributions.sum(axis=1) + model.intercept, logit,
                               atol=1e-9)
    table = e.to_frame("dict")
    row = int(np.argmax(model.probability))
    j = int(np.argmax(np.abs(e.contributions[row])))
    assert table["feature_1"][row] == model.features[j]
    assert table["contribution_1"][row] == e.contributions[row, j]
    assert "feature_3" not in table


def test_a_users_estimator():
    from sklearn.dummy import DummyClassifier

    sim = simulate_activity(500, seed=2)
    f = _frame(sim)
    m = fit_propensity(f, estimator=DummyClassifier(strategy="prior"))
    np.testing.assert_allclose(m.probability, f.train_y.mean())  # the training base rate
    assert m.auc == 0.5 and m.coef is None
    with pytest.raises(InvalidParameterError, match=r"default logistic regression"):
        m.explain()


# ----------------------------------------------------------------------------- outreach

def test_outreach_expected_savings(model):
    o = outreach(model, value="total", success_rate=0.25, contact_cost=3.0)
    total = model.frame.eval_X[:, model.features.index("total")]
    want = model.probability * total * 0.25 - 3.0
    np.testing.assert_allclose(np.sort(o.expected_savings), np.sort(want))
    assert (np.diff(o.expected_savings) <= 0).all()
    np.testing.assert_allclose(o.cumulative_savings, np.cumsum(o.expected_savings))
    assert o.contact.tolist() == (o.expected_savings > 0).tolist()
    flat = outreach(model, value=100.0, success_rate=0.5)
    np.testing.assert_allclose(flat.expected_savings, np.sort(model.probability)[::-1] * 50)


def test_outreach_with_clv(model):
    f = model.frame
    x = f.eval_X[:, f.features.index("frequency")]
    age = f.eval_X[:, f.features.index("age")]
    rec = f.eval_X[:, f.features.index("recency")]
    span = age - rec
    total = f.eval_X[:, f.features.index("total")]
    monetary = np.where(x > 0, total / np.maximum(x + 1, 1), 0.0)
    fit, gg = bgnbd(x, span, age), gamma_gamma(x, monetary)
    value = clv(fit, gg, x, span, age, monetary, customer=f.eval_customer, periods=3)
    o = outreach(model, value=value, success_rate=0.2)
    i = {k: n for n, k in enumerate(value.customer.tolist())}[o.customer[0]]
    assert o.value_at_risk[0] == value.clv[i]
    assert o.expected_savings[0] == pytest.approx(o.probability[0] * value.clv[i] * 0.2)


# ----------------------------------------------------------------------------- bad input

def test_bad_input_propensity_frame(sim):
    with pytest.raises(InvalidParameterError, match=r"The 'horizon' parameter of "
                       r"customers.propensity_frame must be"):
        _frame(sim, horizon=0)
    with pytest.raises(InvalidParameterError, match=r"'inactive' without 'event'"):
        _frame(sim, event=None, churn_event=None)
    with pytest.raises(InvalidTypeError, match=r"'covariates' parameter .* must be a table"):
        _frame(sim, covariates=5)
    with pytest.raises(InvalidParameterError, match=r"with a 'customer' column"):
        _frame(sim, covariates={"id": [1], "x": [1.0]})
    with pytest.raises(DataError, match=r"one row per customer"):
        _frame(sim, covariates={"customer": [1, 1], "x": [1.0, 2.0]})
    with pytest.raises(InvalidParameterError, match=r"'horizon' .* at most 100,000 years"):
        _frame(sim, horizon=1e9)
    with pytest.raises(InvalidParameterError, match=r"'unit' parameter"):
        _frame(sim, unit="month")
    with pytest.raises(DataError, match=r"'train_cutoff' parameter .* after the first activity"):
        _frame(sim, train_cutoff="2024-01-01", eval_cutoff=C2)


def test_bad_input_fit_propensity(frame):
    with pytest.raises(InvalidTypeError, match=r"The 'frame' parameter of "
                       r"customers.fit_propensity must be a PropensityFrame"):
        fit_propensity({"x": 1})
    with pytest.raises(InvalidTypeError, match=r"fit and predict_proba"):
        fit_propensity(frame, estimator=object())
    with pytest.raises(InvalidParameterError, match=r"'C' parameter"):
        fit_propensity(frame, C=0.0)
    one = PropensityFrame(frame.features, frame.train_customer, frame.train_X,
                          np.zeros(frame.train_y.size, bool), frame.train_last,
                          frame.train_outcome_time, frame.eval_customer, frame.eval_X,
                          frame.eval_y, frame.eval_last, frame.eval_outcome_time,
                          frame.train_cutoff, frame.eval_cutoff, frame.horizon, frame.unit,
                          frame.outcome, 0)
    with pytest.raises(DataError, match=r"both outcomes\. Got only negative outcomes"):
        fit_propensity(one)


def test_bad_input_metrics_and_methods(model):
    with pytest.raises(DataError, match=r"The 'outcome' parameter of "
                       r"customers.calibration_table must be 0/1"):
        calibration_table([0, 2], [0.1, 0.2])
    with pytest.raises(DataError, match=r"'probability' parameter"):
        calibration_table([0, 1], [0.1, 1.2])
    with pytest.raises(InvalidParameterError, match=r"'bins' parameter"):
        calibration_table([0, 1], [0.1, 0.2], bins=0)
    with pytest.raises(DataError, match=r"same length|length"):
        lift_table([0, 1, 1], [0.1, 0.2])
    with pytest.raises(InvalidParameterError, match=r"at most the number of customers \(2\)"):
        lift_table([0, 1], [0.1, 0.2], groups=3)
    with pytest.raises(DataError, match=r"at least one positive outcome"):
        lift_table([0, 0], [0.1, 0.2], groups=2)
    with pytest.raises(InvalidParameterError, match=r"PropensityModel.lift"):
        model.lift(groups=0)
    with pytest.raises(InvalidParameterError, match=r"PropensityModel.calibration"):
        model.calibration(bins=-1)
    with pytest.raises(InvalidParameterError, match=r"'top' parameter"):
        model.explain(top=99)


def test_bad_input_outreach(model):
    with pytest.raises(InvalidTypeError, match=r"The 'model' parameter of "
                       r"customers.outreach must be a PropensityModel"):
        outreach("m", value=1.0, success_rate=0.5)
    with pytest.raises(InvalidParameterError, match=r"a feature of the frame"):
        outreach(model, value="revenue", success_rate=0.5)
    with pytest.raises(DataError, match=r"one value per evaluation customer"):
        outreach(model, value=[1.0, 2.0], success_rate=0.5)
    with pytest.raises(InvalidParameterError, match=r"'success_rate' parameter"):
        outreach(model, value=1.0, success_rate=1.5)
    with pytest.raises(InvalidParameterError, match=r"'contact_cost' parameter"):
        outreach(model, value=1.0, success_rate=0.5, contact_cost=-1)
    with pytest.raises(InvalidParameterError, match=r"'value' parameter"):
        outreach(model, value=-1.0, success_rate=0.5)


def test_bad_input_simulate_activity():
    with pytest.raises(InvalidParameterError, match=r"The 'n' parameter of "
                       r"customers.simulate_activity must be"):
        simulate_activity(0)
