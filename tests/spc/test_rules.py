"""Run rules: one constructed sequence per rule that fires exactly that rule, quiet ones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.spc import Rule, RuleSet, nelson, run_rules, western_electric

# A quiet stretch in σ units: no run of 6 or more on one side, no trend, not alternating.
QUIET = [0.3, -0.4, -0.2, 0.5, 0.1, -0.6, 0.4, 0.2, -0.1]

NELSON_CASES = {
    "N1": [*QUIET, 3.5],
    "N2": [-0.3, 0.5, 0.2, 0.8, 0.3, 0.6, 0.1, 0.4, 0.7, 0.2],
    "N3": [0.3, -0.9, -0.5, -0.1, 0.2, 0.6, 0.9],
    "N4": [0.2, -0.2] * 7,
    "N5": [*QUIET, 2.5, 0.3, 2.4],
    "N6": [*QUIET, 1.5, 1.2, 0.3, 1.8, 1.4],
    "N7": [*QUIET, 0.3, -0.4, -0.2, 0.5, 0.1, -0.6],
    "N8": [1.5, -1.5, 1.2, -1.3, 1.4, -1.6, 1.1, -1.2],
}
WE_CASES = {
    "WE1": [*QUIET, -3.2],
    "WE2": [*QUIET, -2.5, 0.3, -2.4],
    "WE3": [*QUIET, 1.5, 1.2, 0.3, 1.8, 1.4],
    "WE4": [-0.3, 0.5, 0.2, 0.8, 0.3, 0.6, 0.1, 0.4, 0.7],
}
QUIET_CASES = [QUIET, QUIET[::-1], [0.4, -1.5, 0.2, 1.5, -0.3, 0.6, -0.1, 0.2, 2.5, -2.2]]


@pytest.mark.parametrize("code", sorted(NELSON_CASES))
def test_each_nelson_rule_fires_alone(code):
    x = NELSON_CASES[code]
    s = run_rules(x, 0.0, 1.0, rules="nelson")
    assert set(s.rule) == {code}
    assert s.index[0] == len(x) - 1  # fires at the point that completes the pattern
    assert s.index.tolist() == [len(x) - 1]


@pytest.mark.parametrize("code", sorted(WE_CASES))
def test_each_western_electric_rule_fires_alone(code):
    x = WE_CASES[code]
    s = run_rules(x, 0.0, 1.0, rules="we")
    assert s.rule.tolist() == [code] and s.index.tolist() == [len(x) - 1]


@pytest.mark.parametrize("x", QUIET_CASES)
@pytest.mark.parametrize("rules", ["we", "nelson"])
def test_quiet_sequences_fire_nothing(x, rules):
    assert len(run_rules(x, 0.0, 1.0, rules=rules)) == 0


def test_sides_starts_and_explanations():
    s = run_rules(WE_CASES["WE2"], 0.0, 1.0, rules="we")
    assert s.side.tolist() == [-1] and s.start.tolist() == [len(QUIET)]
    assert s.explanation[0] == ("2 of 3 points more than 2σ below the centre line "
                                "(point 9–point 11)")
    s = run_rules(NELSON_CASES["N3"], 0.0, 1.0, rules="nelson")
    assert s.side.tolist() == [1] and "steadily increasing" in s.explanation[0]


def test_run_length_configurable():
    eight = WE_CASES["WE4"]  # 8 points above
    assert len(run_rules(eight, 0.0, 1.0, rules=western_electric(run_length=9))) == 0
    assert run_rules([*eight, 0.2], 0.0, 1.0, rules=western_electric(run_length=9)).rule[0] \
        == "WE4"
    assert len(run_rules(NELSON_CASES["N2"][:-1], 0.0, 1.0, rules="nelson")) == 0
    assert run_rules(NELSON_CASES["N2"][:-1], 0.0, 1.0,
                     rules=nelson(run_length=8)).rule.tolist() == ["N2"]


def test_rules_switchable_and_combined():
    x = NELSON_CASES["N8"]
    assert len(run_rules(x, 0.0, 1.0, rules=nelson(rules=(1, 2, 3, 4, 5, 6, 7)))) == 0
    both = western_electric() + nelson()
    assert both.codes[:4] == ("WE1", "WE2", "WE3", "WE4") and len(both.codes) == 12
    s = run_rules([*QUIET, 3.5], 0.0, 1.0, rules=both)
    assert sorted(s.rule) == ["N1", "WE1"]
    custom = RuleSet((Rule("RUN5", "m_of_n", 5, 5, 0.0),))
    assert run_rules([1, 1, 1, 1, 1.0], 0.0, 1.0, rules=custom).rule.tolist() == ["RUN5"]
    assert len(run_rules([9.0], 0.0, 1.0, rules="none")) == 0


def test_per_point_sigma_and_asymmetric_zones():
    # the same deviation is beyond 3σ where σ is small only
    s = run_rules([0.5, 0.5], 0.0, [1.0, 0.1], rules="limits")
    assert s.index.tolist() == [1]
    s = run_rules([-0.5, 0.5], 0.0, 1.0, sigma_lower=0.1, rules="limits")
    assert s.index.tolist() == [0] and s.side.tolist() == [-1]


def test_point_on_centre_line_breaks_a_run():
    x = [0.5, 0.2, 0.8, 0.0, 0.3, 0.6, 0.1, 0.4, 0.7]
    assert len(run_rules(x, 0.0, 1.0, rules=western_electric(rules=(4,)))) == 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_rule_one_false_alarm_rate(seed):
    # P(|Z| > 3) = 0.0027 for in-control normal data: check loosely on 200,000 points
    z = np.random.default_rng(seed).standard_normal(200_000)
    rate = len(run_rules(z, 0.0, 1.0, rules="limits")) / z.size
    assert rate == pytest.approx(0.0027, abs=0.0006)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-4, 4, allow_nan=False), min_size=1, max_size=60))
def test_signal_table_invariants(x):
    s = run_rules(x, 0.0, 1.0, rules=western_electric() + nelson())
    n = len(x)
    assert np.all((s.index >= 0) & (s.index < n))
    assert np.all((s.start >= 0) & (s.start <= s.index))
    assert np.all(np.diff(s.index) >= 0)
    # rule 1 fires exactly where |z| > 3
    beyond = s.index[s.rule == "WE1"]
    assert beyond.tolist() == np.flatnonzero(np.abs(np.array(x)) > 3).tolist()


def test_bad_inputs_rules():
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.nelson"):
        nelson(rules=(0, 9))
    with pytest.raises(InvalidParameterError, match=r"'run_length' parameter of "
                                                    r"spc.western_electric"):
        western_electric(run_length=7)
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.western"):
        western_electric(rules=(5,))
    with pytest.raises(InvalidParameterError, match=r"'trend_length' parameter"):
        nelson(trend_length=2)
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.run_rules"):
        run_rules([1.0], 0.0, 1.0, rules=42)
    with pytest.raises(InvalidParameterError, match=r"'rules' parameter of spc.run_rules"):
        run_rules([1.0], 0.0, 1.0, rules=[Rule("X", "zigzag")])
    with pytest.raises(DataError, match=r"'sigma' parameter of spc.run_rules must be in"):
        run_rules([1.0, 2.0], 0.0, [1.0, 0.0])
    with pytest.raises(DataError, match=r"same length"):
        run_rules([1.0, 2.0], [0.0, 0.0, 0.0], 1.0)
    with pytest.raises(DataError, match=r"'values' parameter of spc.run_rules must be free"):
        run_rules([1.0, np.nan], 0.0, 1.0)
    with pytest.raises(InvalidParameterError, match=r"'nsigma' parameter"):
        run_rules([1.0], 0.0, 1.0, nsigma=-3)
