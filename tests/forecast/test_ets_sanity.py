"""The sanity layer of ETS selection: planted series that trip each rule, and its fallback.

Rule (cxpath.forecast.ets._implausible, documented in auto_ets): in the order of the
criterion, a candidate is set aside when its forecast is non-finite, when a model with a
multiplicative component forecasts a value <= 0 for strictly positive data, or when at step
j it leaves [min - w_j, max + w_j], w_j = span (0.5 + j / (n - 1)). The first candidate that
passes is used; the rejected ones are in info["rejected"]; one CxpathWarning per call.
"""

import importlib
import warnings

import numpy as np
import pytest
from test_ets import AIRPASSENGERS

from cxpath.errors import CxpathWarning, DataError, InvalidTypeError
from cxpath.forecast import auto_ets, ets

E = importlib.import_module("cxpath.forecast.ets")

# a flat series that accelerates at the end: in R's usual region (beta up to alpha) the
# lowest-AICc model, ETS(M,A,N), takes the last jump (25 - 18 = 7 per step) as its trend;
# the default slow-trend region does not fit that trend, so these planted cases use R's
JUMP = np.array([10, 10.5, 10.2, 10.8, 11, 10.9, 11.3, 11.1, 11.6, 12, 14, 18, 25.0])


def declining():
    """A positive series falling by 6 per step with 3 % multiplicative noise."""
    rng = np.random.default_rng(1)
    return (100 - 6 * np.arange(16.0)) * (1 + 0.03 * rng.standard_normal(16))


def by_criterion(f):
    return [k for k, _ in sorted(f.info["candidates"].items(), key=lambda kv: kv[1])]


def test_range_rule_replaces_a_trend_chasing_forecast():
    raw = auto_ets(JUMP, 6, level=[], beta_region="usual", sanity=False)
    assert raw.model == "ETS(M,A,N)" and "rejected" not in raw.info
    # hand computation: min 10, max 25, span 15, n 13 -> w_2 = 15 (0.5 + 2/12) = 10, so
    # the plausible range at step 2 is [0, 35]; the trend forecast is already above it
    assert raw.mean[1] > 35.0 and raw.mean[0] <= 25 + 15 * (0.5 + 1 / 12)
    with pytest.warns(CxpathWarning, match=r"ETS\(M,A,N\) \(lowest AICc\) fails the sanity "
                      r"check: forecast .* at step 2 is outside the plausible range \[0, 35\]"):
        f = auto_ets(JUMP, 6, level=[], beta_region="usual")
    # the next model by AICc (info["candidates"]), ETS(M,N,N), forecasts inside the range
    assert by_criterion(f)[:2] == ["ETS(M,A,N)", "ETS(M,N,N)"]
    assert f.model == "ETS(M,N,N)"
    assert list(f.info["rejected"]) == ["ETS(M,A,N)"]
    assert f.info["aicc"] == pytest.approx(f.info["candidates"]["ETS(M,N,N)"])
    assert np.all(f.mean <= 35.0)


def test_negative_forecast_of_a_multiplicative_model_for_positive_data():
    y = declining()
    assert y.min() > 0
    raw = auto_ets(y, 12, level=[], beta_region="usual", sanity=False)
    assert raw.model == "ETS(M,A,N)" and raw.mean.min() < 0
    with pytest.warns(CxpathWarning, match=r"ETS\(M,A,N\) \(lowest AICc\) fails the sanity "
                      r"check: forecast -.* at step 2 is not positive although every "
                      r"observation is \(multiplicative model\)") as rec:
        f = auto_ets(y, 12, level=[], beta_region="usual")
    assert len([w for w in rec if issubclass(w.category, CxpathWarning)]) == 1
    # the rule concerns models with a multiplicative component: the next model by AICc,
    # ETS(A,A,N), is additive and inside the widened range, so it is used
    assert by_criterion(f)[:2] == ["ETS(M,A,N)", "ETS(A,A,N)"]
    assert f.model == "ETS(A,A,N)"
    assert list(f.info["rejected"]) == ["ETS(M,A,N)"]


def test_several_rejections_warn_once_and_are_all_recorded():
    y = np.array([100, 101, 99, 100, 102, 101, 100, 99, 98, 95, 90, 80, 65.0])  # a late fall
    with pytest.warns(CxpathWarning, match=r"ETS\(A,A,N\) \(lowest AICc\) fails the sanity "
                      r"check: .*Forecasting with ETS\(A,N,N\).*rejected: ETS\(A,A,N\) and "
                      r"2 more") as rec:
        f = auto_ets(y, 6, level=[], beta_region="usual")
    assert len([w for w in rec if issubclass(w.category, CxpathWarning)]) == 1
    assert by_criterion(f)[:4] == ["ETS(A,A,N)", "ETS(M,A,N)", "ETS(A,Ad,N)", "ETS(A,N,N)"]
    assert list(f.info["rejected"]) == ["ETS(A,A,N)", "ETS(M,A,N)", "ETS(A,Ad,N)"]
    # hand computation: min 65, max 102, span 37, n 13 -> w_2 = 37 (0.5 + 2/12) = 24.67
    assert "plausible range [40.33, 126.7]" in f.info["rejected"]["ETS(A,A,N)"]
    assert "not positive" in f.info["rejected"]["ETS(M,A,N)"]
    assert "plausible range [40.33, 126.7]" in f.info["rejected"]["ETS(A,Ad,N)"]
    assert f.model == "ETS(A,N,N)"


def test_non_finite_forecast_falls_back(monkeypatch):
    rng = np.random.default_rng(0)
    y = 100 + 20 * (np.arange(70) % 7 == 5) + rng.normal(0, 2, 70)
    plain = auto_ets(y, 14, 7, level=[])
    # the docstring series of auto_ets: ETS(M,N,A) first by AICc, ETS(M,N,M) second
    assert by_criterion(plain)[:2] == ["ETS(M,N,A)", "ETS(M,N,M)"]
    original = E._fit_ets

    def doctored(*args, **kwargs):
        # no finite fit of the kernels gives an infinite forecast, so the winner's point
        # forecast is made infinite from step 3 on
        fit = original(*args, **kwargs)
        if fit["name"] == "ETS(M,N,A)":
            point = fit["point"]
            fit["point"] = lambda h: np.where(np.arange(h) >= 2, np.inf, point(h))
        return fit

    monkeypatch.setattr(E, "_fit_ets", doctored)
    with pytest.warns(CxpathWarning, match=r"ETS\(M,N,A\) \(lowest AICc\) fails the sanity "
                      r"check: non-finite forecast at step 3"):
        f = auto_ets(y, 14, 7, level=[])
    assert f.model == "ETS(M,N,M)"
    assert f.info["rejected"] == {"ETS(M,N,A)": "non-finite forecast at step 3"}
    with pytest.raises(DataError, match=r"ETS\(M,N,A\) gives non-finite forecasts"):
        auto_ets(y, 14, 7, level=[], sanity=False)


def test_no_candidate_passes_keeps_the_lowest_criterion_model(monkeypatch):
    monkeypatch.setattr(E, "_RANGE_K", -10.0)  # an empty plausible range: every model fails
    with pytest.warns(CxpathWarning, match=r"no candidate ETS model passes the sanity check; "
                      r"keeping ETS\(M,A,N\), the lowest AICc"):
        f = auto_ets(JUMP, 6, level=[], beta_region="usual")
    assert f.model == "ETS(M,A,N)"
    assert set(f.info["rejected"]) == set(f.info["candidates"])


def test_sanity_false_keeps_the_lowest_criterion_model():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = auto_ets(JUMP, 6, level=[], beta_region="usual", sanity=False)
    assert f.model == by_criterion(f)[0] == "ETS(M,A,N)"
    assert "rejected" not in f.info


@pytest.mark.parametrize("h", [12, 24, 36, 60])
def test_the_layer_never_fires_on_airpassengers(h):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CxpathWarning)
        f = auto_ets(AIRPASSENGERS, h, 12)
    assert f.info["rejected"] == {}
    assert f.model == auto_ets(AIRPASSENGERS, h, 12, sanity=False).model


def test_ets_with_z_letters_selects_with_the_layer_and_a_fixed_model_does_not():
    with pytest.warns(CxpathWarning, match=r"ETS\(M,A,N\) \(lowest AICc\) fails"):
        f = ets(JUMP, 6, model="MZN", level=[], beta_region="usual")
    assert f.model == "ETS(M,N,N)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = ets(JUMP, 6, model="MAN", level=[], beta_region="usual")  # nothing to fall back to
    assert g.model == "ETS(M,A,N)" and "rejected" not in g.info


def test_sanity_must_be_a_bool():
    with pytest.raises(InvalidTypeError, match=r"The 'sanity' parameter of "
                       r"forecast.auto_ets must be True or False. Got 'yes'"):
        auto_ets(JUMP, 6, sanity="yes")
