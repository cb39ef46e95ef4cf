"""Bad input to every public function of cxpath.reliability gets the library's message."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.reliability import (
    LifeData,
    fit,
    fit_best,
    fit_competing,
    fit_groups,
    plotting_positions,
    probability_plot,
)

T = [16, 34, 53, 75, 93, 120]


def test_life_data_constructors():
    with pytest.raises(DataError, match=r"The 'time' parameter of reliability.LifeData."
                       r"from_times must be free of NaN. Got NaN at position 1 instead."):
        LifeData.from_times([1.0, np.nan])
    with pytest.raises(DataError, match=r"must be positive where the unit failed. Got 0 at "
                       r"position 0 instead."):
        LifeData.from_times([0.0, 2.0])
    with pytest.raises(DataError, match=r"'failed' parameter .* must be in \[0, 1\]"):
        LifeData.from_times([1.0, 2.0], failed=[1, 2])
    with pytest.raises(DataError, match=r"same length as 'time' \(2\)"):
        LifeData.from_times([1.0, 2.0], failed=[True])
    with pytest.raises(DataError, match=r"'count' parameter .* must be in \[0, inf\]"):
        LifeData.from_times([1.0, 2.0], count=[1, -1])
    with pytest.raises(DataError, match=r"at least 'lower' in every row. Got lower 5 > "
                       r"upper 3 at position 0 instead."):
        LifeData.from_bounds([5.0], [3.0])
    with pytest.raises(DataError, match=r"'upper' parameter .* must be positive"):
        LifeData.from_bounds([0.0], [0.0])
    with pytest.raises(DataError, match=r"'interval_upper' parameter .* above "
                       r"'interval_lower'"):
        LifeData.from_lists(interval_lower=[5.0], interval_upper=[5.0])
    with pytest.raises(DataError, match=r"at least one unit in some list"):
        LifeData.from_lists()


def test_fit_arguments():
    with pytest.raises(InvalidParameterError, match=r"The 'distribution' parameter of "
                       r"reliability.fit must be one of 'weibull'"):
        fit(T, "weibul")
    with pytest.raises(InvalidTypeError):
        fit(T, 3)
    with pytest.raises(InvalidParameterError, match=r"'method' parameter of reliability.fit "
                       r"must be one of 'mle', 'rrx', 'rry'. Got 'ls' instead."):
        fit(T, method="ls")
    with pytest.raises(InvalidParameterError, match=r"'level' parameter .* \(0, 1\)"):
        fit(T, level=1.0)
    with pytest.raises(InvalidParameterError, match=r"must be 'mle' for the Gamma"):
        fit(T, "gamma", method="rrx")
    with pytest.raises(InvalidTypeError):
        fit("16 34")


def test_fit_impossible_data():
    with pytest.raises(DataError, match=r"at least one failure .* Got 3 right-censored "
                       r"units and no failure instead."):
        fit(LifeData.from_times([1.0, 2.0, 3.0], failed=[False] * 3))
    with pytest.raises(DataError, match=r"at least 2 failures for the 2-parameter"):
        fit(LifeData.from_times([1.0, 2.0], failed=[True, False]))
    with pytest.raises(DataError, match=r"at least 3 failures for the 3-parameter"):
        fit([1.0, 2.0], "weibull_3p")
    with pytest.raises(DataError, match=r"two or more distinct times .* Got every failure "
                       r"at 5 instead."):
        fit([5.0, 5.0, 5.0], "lognormal")
    with pytest.raises(DataError, match=r"exact failures and right-censored units only"):
        fit(LifeData.from_bounds([0.0, 1.0, 2.0], [1.0, 2.0, 3.0]), method="rrx")


def test_fit_methods_arguments():
    f = fit(T)
    with pytest.raises(DataError, match=r"'t' parameter of reliability.LifeFit.reliability "
                       r"must be in \[0, inf\]"):
        f.reliability(-1.0)
    with pytest.raises(InvalidParameterError, match=r"'percent' parameter of reliability."
                       r"LifeFit.b_life must be a real number in \(0, 100\)"):
        f.b_life(100)
    with pytest.raises(InvalidParameterError, match=r"'bounds' parameter .* one of "
                       r"'fisher', 'likelihood'"):
        f.b_lives([10], bounds="lr")
    with pytest.raises(DataError, match=r"'p' parameter of reliability.LifeFit.quantile"):
        f.quantile(1.0)
    with pytest.raises(InvalidParameterError, match=r"'age' parameter"):
        f.conditional_reliability(1.0, age=-2.0)
    with pytest.raises(InvalidParameterError, match=r"must be 'fisher' for a rank-regression"):
        fit(T, method="rrx").parameter_bounds("likelihood")
    with pytest.raises(DataError, match=r"'t' parameter of reliability.LifeFit."
                       r"reliability_bounds must be free of NaN"):
        f.reliability_bounds([np.nan])


def test_other_functions():
    with pytest.raises(InvalidParameterError, match=r"'criterion' parameter of "
                       r"reliability.fit_best must be one of 'aicc', 'bic', 'log_likelihood'"):
        fit_best(T, criterion="aic")
    with pytest.raises(InvalidParameterError, match=r"distinct distribution names"):
        fit_best(T, ["weibull", "weibull"])
    with pytest.raises(InvalidParameterError, match=r"'distributions' parameter"):
        fit_best(T, ["weibul"])
    with pytest.raises(DataError, match=r"at least one failure"):
        fit_best(LifeData.from_times([1.0], failed=[False]))
    with pytest.raises(InvalidParameterError, match=r"'a' parameter of "
                       r"reliability.plotting_positions must be a real number in \[0, 1\)"):
        plotting_positions(T, a=1.0)
    with pytest.raises(DataError, match=r"whole unit counts"):
        plotting_positions(LifeData.from_times([1.0, 2.0], count=[1.5, 1]))
    with pytest.raises(InvalidTypeError, match=r"'fit' parameter of "
                       r"reliability.probability_plot must be a LifeFit"):
        probability_plot(T)
    with pytest.raises(InvalidParameterError, match=r"'points' parameter"):
        probability_plot(fit(T), points=1)
    with pytest.raises(DataError, match=r"a failure mode for every failed unit"):
        fit_competing([1.0, 2.0], [None, "a"], failed=[True, True])
    with pytest.raises(DataError, match=r"merge mode 'b' with another"):
        fit_competing([1.0, 2.0, 3.0, 4.0], ["a", "a", "b", None])
    with pytest.raises(DataError, match=r"'failed' parameter .* True for at least one unit"):
        fit_competing([1.0, 2.0], [None, None])
    with pytest.raises(DataError, match=r"'time' parameter of reliability.fit_groups must "
                       r"be positive where the unit failed"):
        fit_groups([0.0, 1.0], ["a", "a"])
    with pytest.raises(DataError, match=r"same length as 'time'"):
        fit_groups([1.0, 2.0], ["a"])
