"""Rolling-origin backtests of many series (#19 point 5): windows equal a manual loop over
the single-series functions, metrics equal direct computations, the leaderboard's ranking
and win counts equal a direct computation, and the cross-validation table equals
statsforecast's ``StatsForecast.cross_validation``."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast import (
    BASELINES,
    backtest,
    backtest_many,
    ets,
    mae,
    mase,
    naive,
    rmse,
    rmsse,
    scaled_pinball,
    seasonal_naive,
    ses,
    smape,
    theta,
    wape,
)

pd = pytest.importorskip("pandas")


def panel(k=4, n=40, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.vstack([50 + 5 * s + (s + 1) * np.sin(2 * np.pi * t / 7) + 0.2 * s * t
                      + rng.normal(0, 1 + s, n) for s in range(k)])


def manual(y, h, n_windows, step, m, fn, window=None):
    """The windows as a loop over one-series calls: (cutoffs, means, lowers, uppers)."""
    out = []
    n = y.shape[0]
    for k in range(n_windows - 1, -1, -1):
        t = n - h - step * k
        train = y[:t] if window is None else y[max(0, t - window):t]
        f = fn(train, h, m)
        out.append((t - 1, train, y[t:t + h], f))
    return out


FNS = {"seasonal_naive": lambda y, h, m: seasonal_naive(y, h, m, level=[80, 95]),
       "ses": lambda y, h, m: ses(y, h, level=[80, 95]),
       "theta": lambda y, h, m: theta(y, h, m, level=[80, 95])}


def test_windows_equal_a_manual_loop_of_single_series_calls():
    y = panel()
    cv = backtest_many(y, 5, ["ses", "theta"], 7, n_windows=3, step=2)
    assert cv.labels.tolist() == ["ses", "theta", "seasonal_naive"]  # the benchmark added
    assert cv.y.shape == (4 * 3 * 5,)
    for s in range(4):
        for j, lab in enumerate(cv.labels):
            rows = np.flatnonzero(cv.series_id == s)
            for w, (cut, _train, actual, f) in enumerate(manual(y[s], 5, 3, 2, 7, FNS[lab])):
                sel = rows[w * 5:(w + 1) * 5]
                assert (cv.cutoff[sel] == cut).all()
                np.testing.assert_array_equal(cv.ds[sel], np.arange(cut + 1, cut + 6))
                np.testing.assert_array_equal(cv.y[sel], actual)
                np.testing.assert_allclose(cv.mean[j, sel], f.mean, rtol=1e-12)
                np.testing.assert_allclose(cv.lower[j, :, sel].T, f.lower, rtol=1e-12)
                np.testing.assert_allclose(cv.upper[j, :, sel].T, f.upper, rtol=1e-12)


def test_same_rows_as_the_single_series_backtest():
    y = panel(2)
    cv = backtest_many(y, 7, ["naive", "seasonal_naive"], 7, n_windows=2, step=3,
                       window=21)
    for s in range(2):
        bt = backtest(y[s], 7, ["naive", "seasonal_naive"], 7, n_origins=2, step=3,
                      window=21)
        for j, lab in enumerate(cv.labels):
            np.testing.assert_array_equal(cv.mean[j, cv.series_id == s],
                                          bt.mean[bt.model == lab])
            np.testing.assert_array_equal(cv.scale[cv.series_id == s],
                                          bt.scale[bt.model == lab])


def test_metrics_equal_direct_computations():
    y = panel()
    h, m = 6, 7
    cv = backtest_many(y, h, ["ses", "theta"], m, n_windows=3, step=4)
    ev = cv.evaluate()
    assert list(ev.metrics) == ["mase", "rmsse", "smape", "wape", "scaled_pinball",
                                "coverage_80", "coverage_95", "mae", "rmse"]
    qs = [0.1, 0.025, 0.9, 0.975]  # the 80 % and 95 % intervals' bounds as quantiles
    for s in range(4):
        for j, lab in enumerate(cv.labels):
            wins = manual(y[s], h, 3, 4, m, FNS[lab])
            a = np.concatenate([w[2] for w in wins])
            f = np.concatenate([w[3].mean for w in wins])
            got = {k: val[s, j] for k, val in ev.metrics.items()}
            # MASE, RMSSE, scaled pinball: per window with its own training scale, averaged
            assert got["mase"] == pytest.approx(np.mean([mase(w[2], w[3].mean, w[1], m)
                                                         for w in wins]))
            # RMSSE written out (M5 guide, seasonal differences at lag m)
            direct = [np.sqrt(np.mean((w[2] - w[3].mean) ** 2)
                              / np.mean((w[1][m:] - w[1][:-m]) ** 2)) for w in wins]
            assert got["rmsse"] == pytest.approx(np.mean(direct))
            assert got["rmsse"] == pytest.approx(np.mean([rmsse(w[2], w[3].mean, w[1], m)
                                                          for w in wins]))
            sp = [scaled_pinball(w[2], np.vstack([w[3].lower[0], w[3].lower[1],
                                                  w[3].upper[0], w[3].upper[1]]),
                                 qs, w[1], m) for w in wins]
            direct = [np.mean([np.mean(np.maximum(q * (w[2] - b), (q - 1) * (w[2] - b)))
                               for q, b in zip(qs, (w[3].lower[0], w[3].lower[1],
                                                    w[3].upper[0], w[3].upper[1]))])
                      / np.mean(np.abs(w[1][m:] - w[1][:-m])) for w in wins]
            assert got["scaled_pinball"] == pytest.approx(np.mean(direct))
            assert got["scaled_pinball"] == pytest.approx(np.mean(sp))
            # pooled over the windows
            assert got["smape"] == pytest.approx(smape(a, f))
            assert got["wape"] == pytest.approx(wape(a, f))
            assert got["mae"] == pytest.approx(mae(a, f))
            assert got["rmse"] == pytest.approx(rmse(a, f))
            lo = np.concatenate([w[3].lower[1] for w in wins])
            hi = np.concatenate([w[3].upper[1] for w in wins])
            assert got["coverage_95"] == pytest.approx(np.mean((a >= lo) & (a <= hi)))
    np.testing.assert_allclose(ev.weights, [np.abs(cv.y[cv.series_id == s]).sum()
                                            for s in range(4)])


def test_aggregates_and_pooled_wape():
    y = panel()
    cv = backtest_many(y, 7, ["naive", "drift"], 7, n_windows=2)
    ev = cv.evaluate(["mase", "wape"])
    for how, agg in (("mean", np.mean), ("median", np.median)):
        np.testing.assert_allclose(ev.aggregate(how)["mase"], agg(ev.metrics["mase"], axis=0))
    w = ev.weights / ev.weights.sum()
    np.testing.assert_allclose(ev.aggregate("weighted")["mase"],
                               w @ ev.metrics["mase"])
    # volume-weighted WAPE = the pooled WAPE of all series
    for j in range(cv.labels.size):
        assert ev.aggregate("weighted")["wape"][j] == pytest.approx(
            np.abs(cv.y - cv.mean[j]).sum() / np.abs(cv.y).sum())
    table = ev.to_frame()
    assert list(table.columns) == ["unique_id", "model", "mase", "wape"]
    assert table.shape == (4 * 3, 4)
    assert ev[(2, "drift")]["mase"] == pytest.approx(ev.metrics["mase"][2, 1])


def test_leaderboard_ranking_and_wins_equal_a_direct_computation():
    y = panel(8, seed=3)
    cv = backtest_many(y, 7, ["naive", "drift", "mean", "ses"], 7, n_windows=2)
    ev = cv.evaluate()
    for metric, how in (("mase", "mean"), ("rmsse", "median"), ("wape", "weighted"),
                        ("coverage_80", "mean")):
        lb = ev.leaderboard(metric, how)
        per = ev.metrics[metric]
        agg = ev.aggregate(how)[metric]
        if metric.startswith("coverage"):
            per, agg = np.abs(per - 0.8), np.abs(agg - 0.8)
        order = sorted(range(cv.labels.size), key=lambda j: (agg[j], j))
        assert lb.model.tolist() == [cv.labels[j] for j in order]
        wins = [sum(per[s, j] == per[s].min() for s in range(8)) for j in order]
        assert lb.wins.tolist() == wins
        np.testing.assert_allclose(lb.metrics[metric], ev.aggregate(how)[metric][order])
        assert lb.sort_by == metric and lb.aggregate == how and lb.n_series == 8
    assert cv.leaderboard().model.tolist() == ev.leaderboard().model.tolist()
    assert list(ev.leaderboard().to_frame().columns)[:3] == ["model", "wins", "mase"]


def test_no_scale_gives_nan_and_counts_for_nobody():
    y = np.vstack([np.arange(12.0), np.arange(12.0) ** 1.5])
    # the first window trains on 4 observations, not longer than m = 4: no MASE scale
    ev = backtest_many(y, 4, ["naive", "drift"], 4, n_windows=2, benchmark=None).evaluate()
    direct = [mase(y[s, 8:], naive(y[s, :8], 4).mean, y[s, :8], 4) for s in range(2)]
    np.testing.assert_allclose(ev.metrics["mase"][:, 0], np.mean([[np.nan] * 2, direct],
                                                                  axis=0))
    lb = ev.leaderboard()
    assert np.isnan(lb.metrics["mase"]).all() and lb.wins.tolist() == [0, 0]
    window = backtest_many(y, 4, ["naive"], 4, n_windows=1, benchmark=None).evaluate()
    np.testing.assert_allclose(window.metrics["mase"][:, 0], direct)


def test_ties_win_for_every_tied_method():
    y = np.vstack([np.arange(20.0), np.arange(20.0) * 2])
    # drift is exact on a line; a copy under another label ties with it everywhere
    lb = backtest_many(y, 3, {"drift": "drift", "drift2": "drift", "naive": "naive"},
                       n_windows=2).leaderboard("mae")
    assert lb.model.tolist()[:2] == ["drift", "drift2"]
    assert lb.wins.tolist() == [2, 2, 0, 0]


def long_frame(lengths=(30, 26, 33), seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    end = pd.Timestamp("2024-03-31")
    for k, n in enumerate(lengths):
        days = pd.date_range(end=end, periods=n, freq="D")
        y = 20 + 3 * np.sin(2 * np.pi * np.arange(n) / 7) + rng.normal(0, 1, n) + k
        rows.append(pd.DataFrame({"unique_id": f"s{k}", "ds": days, "y": y}))
    return pd.concat(rows, ignore_index=True)


def test_cross_validation_table_equals_statsforecast():
    sf_mod = pytest.importorskip("statsforecast")
    from statsforecast.models import Naive, SeasonalNaive

    df = long_frame()
    sf = sf_mod.StatsForecast(models=[Naive(), SeasonalNaive(season_length=7)], freq="D")
    expected = sf.cross_validation(df=df, h=5, n_windows=3, step_size=2, level=[80, 95])
    got = backtest_many(df, 5, {"Naive": "naive", "SeasonalNaive": "seasonal_naive"},
                        n_windows=3, step=2, benchmark=None,
                        layout="cross_validation").to_frame()
    assert list(got.columns) == list(expected.columns)
    expected = expected.reset_index(drop=True)
    pd.testing.assert_frame_equal(got[["unique_id", "ds", "cutoff"]].astype(
        {"unique_id": object}), expected[["unique_id", "ds", "cutoff"]].astype(
        {"unique_id": object}))
    np.testing.assert_allclose(got.iloc[:, 3:].to_numpy(), expected.iloc[:, 3:].to_numpy(),
                               rtol=1e-6, atol=1e-6)


def test_wide_table_and_arrays_give_the_same_numbers():
    df = long_frame((30, 30, 30))
    wide = df.pivot(index="ds", columns="unique_id", values="y")
    a = backtest_many(df, 4, ["naive"], n_windows=2)
    b = backtest_many(wide, 4, ["naive"], n_windows=2)
    c = backtest_many(wide.to_numpy().T, 4, ["naive"], 7, n_windows=2)
    assert a.m == b.m == 7  # daily dates -> weekly season
    np.testing.assert_array_equal(a.mean, b.mean)
    np.testing.assert_array_equal(a.mean, c.mean)
    np.testing.assert_array_equal(a.ds, b.ds)
    assert a.ids.tolist() == b.ids.tolist() == ["s0", "s1", "s2"]
    rows = a.to_frame()
    assert list(rows.columns) == ["unique_id", "cutoff", "ds", "step", "model", "y", "mean",
                                  "lo_80", "hi_80", "lo_95", "hi_95"]
    assert rows["model"].tolist()[:2] == ["naive", "seasonal_naive"]
    assert rows["cutoff"].iloc[0] == pd.Timestamp("2024-03-23")


def test_integer_dates_and_column_names():
    t = np.tile(np.arange(100, 130), 2)
    frame = {"store": np.repeat(["x", "y"], 30), "t": t,
             "sales": np.r_[np.arange(30.0), np.arange(30.0) ** 0.5]}
    cv = backtest_many(frame, 3, ["naive"], id="store", ds="t", value="sales", n_windows=2,
                       benchmark=None, layout="cross_validation", level=None)
    out = cv.to_frame("dict")
    assert list(out) == ["store", "t", "cutoff", "sales", "naive"]
    assert out["cutoff"].tolist()[:6] == [123] * 3 + [126] * 3
    assert out["t"].tolist()[:6] == [124, 125, 126, 127, 128, 129]
    assert out["naive"].tolist()[:3] == [23.0] * 3


def test_refit_false_keeps_the_first_windows_parameters():
    y = panel(1)[0]
    cv = backtest_many(y[None], 5, ["ses", "auto_ets", "naive"], 7, n_windows=3,
                       refit=False, benchmark=None)
    wins = manual(y, 5, 3, 5, 7, lambda tr, h, m: ses(tr, h))
    alpha = ses(wins[0][1], 5).params["alpha"]
    np.testing.assert_array_equal(cv.mean[0, :5], ses(wins[0][1], 5).mean)  # fitted here
    for w, (_c, train, _a, _f) in enumerate(wins):
        if w:  # later windows: alpha kept (the initial level is estimated again)
            np.testing.assert_allclose(cv.mean[0, w * 5:(w + 1) * 5],
                                       ses(train, 5, alpha=alpha).mean, rtol=1e-12)
        np.testing.assert_array_equal(cv.mean[2, w * 5:(w + 1) * 5], naive(train, 5).mean)
    first = ets(wins[0][1], 5, 7)
    spec = first.model[4:-1].replace(",", "")  # "ETS(A,Ad,N)" -> "AAdN"
    for w, (_c, train, _a, _f) in enumerate(wins[1:], start=1):
        kept = ets(train, 5, 7, model=spec, **{k: first.params[k] for k in
                                               ("alpha", "beta", "gamma", "phi")
                                               if k in first.params})
        np.testing.assert_allclose(cv.mean[1, w * 5:(w + 1) * 5], kept.mean, rtol=1e-10)
    refitted = backtest_many(y[None], 5, ["ses"], 7, n_windows=3, benchmark=None)
    assert not np.allclose(refitted.mean[0, 10:], cv.mean[0, 10:])


def test_refit_every_k_windows():
    y = panel(1)[0]
    cv = backtest_many(y[None], 3, ["ses"], n_windows=4, step=2, refit=2, benchmark=None)
    wins = manual(y, 3, 4, 2, 1, lambda tr, h, m: ses(tr, h))
    for w, (_c, train, _a, _f) in enumerate(wins):
        fitted_at = wins[w - w % 2][1]  # windows 0 and 2 refit, 1 and 3 keep their alpha
        expect = ses(train, 3) if w % 2 == 0 else \
            ses(train, 3, alpha=ses(fitted_at, 3).params["alpha"])
        np.testing.assert_allclose(cv.mean[0, w * 3:(w + 1) * 3], expect.mean, rtol=1e-12)


def test_threads_and_progress_give_the_same_result():
    y = panel(6)
    calls = []
    one = backtest_many(y, 4, ["ses"], 7, n_windows=2)
    two = backtest_many(y, 4, ["ses"], 7, n_windows=2, n_jobs=2,
                        progress=lambda done, total: calls.append((done, total)))
    np.testing.assert_array_equal(one.mean, two.mean)
    assert calls[-1] == (6, 6) and len(calls) == 6


def test_default_methods_are_the_baselines():
    cv = backtest_many(panel(1), 7, n_windows=1)
    assert cv.labels.tolist() == list(BASELINES)
    assert BASELINES == ("naive", "seasonal_naive", "drift", "mean", "theta", "ses",
                         "auto_ets")


def test_callable_method_and_point_only():
    def last_week(y, h, level=None, series_id=None):
        return seasonal_naive(y, h, 7, level=level, series_id=series_id)

    cv = backtest_many(panel(2), 7, [last_week], 7, n_windows=2, level=None)
    np.testing.assert_array_equal(cv.mean[0], cv.mean[1])  # the same as seasonal_naive
    assert list(cv.evaluate().metrics) == ["mase", "rmsse", "smape", "wape", "mae", "rmse"]


def test_dask_partitions_equal_the_single_machine_run():
    dd = pytest.importorskip("dask.dataframe")
    df = long_frame((30, 30, 30))
    ddf = dd.from_pandas(df, npartitions=3, sort=False)  # one series per partition
    one = backtest_many(df, 4, ["naive", "ses"], n_windows=2)
    on_dask = backtest_many(ddf, 4, ["naive", "ses"], n_windows=2, scheduler="synchronous")
    assert on_dask.to_frame().equals(one.to_frame())
    assert on_dask.leaderboard().to_frame().equals(one.leaderboard().to_frame())
    split = dd.from_pandas(df, npartitions=2, sort=False)  # s1 is cut in two
    with pytest.raises(DataError, match=r"series 's1' is in partitions 0 and 1"):
        backtest_many(split, 4, ["naive"], n_windows=1, scheduler="synchronous")
    with pytest.raises(InvalidParameterError, match=r"'scheduler' parameter"):
        backtest_many(df, 4, ["naive"], scheduler="threads")


def test_bad_inputs():
    y = panel(2, n=20)
    with pytest.raises(DataError, match=r"'series' parameter of forecast.backtest_many "
                                        r"\(series 'b'\) must be long enough for 2 windows of "
                                        r"step 5 and horizon 5 \(at least 12 observations\). "
                                        r"Got 11 observations instead"):
        backtest_many({"a": y[0], "b": y[1][:11]}, 5, ["naive"], n_windows=2)
    with pytest.raises(InvalidParameterError, match=r"'methods' parameter of "
                                                    r"forecast.backtest_many"):
        backtest_many(y, 2, ["prophet"])
    with pytest.raises(InvalidTypeError, match=r"'methods' parameter"):
        backtest_many(y, 2, 3)
    with pytest.raises(InvalidParameterError, match=r"distinct labels"):
        backtest_many(y, 2, ["naive", "naive"])
    with pytest.raises(InvalidParameterError, match=r"'methods' parameter.*at least one"):
        backtest_many(y, 2, [])
    with pytest.raises(InvalidParameterError, match=r"'n_windows' parameter"):
        backtest_many(y, 2, n_windows=0)
    with pytest.raises(InvalidParameterError, match=r"'step' parameter"):
        backtest_many(y, 2, step=0)
    with pytest.raises(InvalidParameterError, match=r"'window' parameter"):
        backtest_many(y, 2, window=1)
    with pytest.raises(InvalidParameterError, match=r"'layout' parameter"):
        backtest_many(y, 2, layout="wide")
    with pytest.raises(InvalidParameterError, match=r"'refit' parameter"):
        backtest_many(y, 2, [lambda y, h, level=None, series_id=None: naive(y, h)],
                      refit=False)
    with pytest.raises(InvalidParameterError, match=r"'refit' parameter.*Got refit=False "
                                                    r"with the callable '<lambda>'"):
        backtest_many(y, 2, [lambda y, h, level=None, series_id=None: naive(y, h)],
                      refit=False)
    with pytest.raises(InvalidParameterError, match=r"'refit' parameter"):
        backtest_many(y, 2, ["naive"], refit="no")
    with pytest.raises(InvalidParameterError, match=r"'refit' parameter"):
        backtest_many(y, 2, ["naive"], refit=0)
    with pytest.raises(InvalidTypeError, match=r"'benchmark' parameter"):
        backtest_many(y, 2, ["naive"], benchmark=1)
    with pytest.raises(InvalidParameterError, match=r"'benchmark' parameter"):
        backtest_many(y, 2, ["naive"], benchmark="nope")
    with pytest.raises(InvalidParameterError, match=r"'options' parameter.*the key 'ses'"):
        backtest_many(y, 2, ["naive"], options={"ses": {"alpha": 0.5}})
    with pytest.raises(InvalidParameterError, match=r"'options' parameter.*'beta'"):
        backtest_many(y, 2, ["ses"], options={"ses": {"beta": 0.5}})
    with pytest.raises(InvalidParameterError, match=r"'n_jobs' parameter"):
        backtest_many(y, 2, n_jobs=0)
    with pytest.raises(InvalidTypeError, match=r"'progress' parameter"):
        backtest_many(y, 2, progress="yes")
    with pytest.raises(InvalidParameterError, match=r"'level' parameter"):
        backtest_many(y, 2, level=0.95)
    with pytest.raises(DataError, match=r"'series' parameter.*at least one series"):
        backtest_many(np.empty((0, 5)), 2)
    with pytest.raises(DataError, match=r"\(series 0\).*method 'holt_winters' failed"):
        backtest_many(y, 2, ["holt_winters"], 12, n_windows=1)
    with pytest.raises(InvalidParameterError, match=r"'series' parameter"):
        backtest_many(np.arange(10.0), 2)
    with pytest.raises(InvalidTypeError, match=r"'methods' parameter of forecast.backtest_many "
                                               r"\(series 0\) must be methods returning a "
                                               r"cxpath.forecast.Forecast of h steps. Got "
                                               r"'bad' returning list"):
        backtest_many(y, 2, {"bad": lambda y, h, level=None, series_id=None: [1.0] * h})
    cv = backtest_many(y, 2, ["naive"], n_windows=1, level=None)
    with pytest.raises(InvalidParameterError, match=r"'metrics' parameter of "
                                                    r"forecast.BacktestSet.evaluate"):
        cv.evaluate(["r2"])
    with pytest.raises(InvalidParameterError, match=r"point metrics only"):
        cv.evaluate(["coverage"])
    with pytest.raises(InvalidTypeError, match=r"'metrics' parameter"):
        cv.evaluate(3)
    with pytest.raises(InvalidParameterError, match=r"'metrics' parameter.*at least one"):
        cv.evaluate([])
    ev = cv.evaluate()
    with pytest.raises(InvalidParameterError, match=r"'metric' parameter of "
                                                    r"forecast.Evaluation.leaderboard"):
        ev.leaderboard("coverage_80")
    with pytest.raises(InvalidParameterError, match=r"'aggregate' parameter"):
        cv.leaderboard("mase", "sum")
    with pytest.raises(InvalidParameterError, match=r"'how' parameter of "
                                                    r"forecast.Evaluation.aggregate"):
        ev.aggregate("sum")


def test_time_zone_aware_dates_give_local_cutoffs_and_dates():
    # days across the clocks going back in Berlin (2024-10-27): the cutoffs and forecast
    # dates are local midnights, as the input's (a UTC reading refused the table: its
    # steps were 23 and 25 hours)
    idx = pd.date_range("2024-10-01", periods=40, freq="D", tz="Europe/Berlin")
    table = pd.DataFrame({"unique_id": "a", "ds": idx, "y": np.arange(40.0)})
    bt = backtest_many(table, 2, ["naive"], n_windows=2, step=16, benchmark=None)
    frame = bt.to_frame()
    assert bt.tz == "Europe/Berlin" and str(frame["ds"].dt.tz) == "Europe/Berlin"
    # the last date is 2024-11-09: the last window forecasts 11-08 and 11-09 from 11-07,
    # the one before is 16 days earlier
    assert sorted(set(frame["cutoff"].astype(str))) == ["2024-10-22 00:00:00+02:00",
                                                        "2024-11-07 00:00:00+01:00"]
    assert frame["ds"].astype(str).tolist()[:2] == ["2024-10-23 00:00:00+02:00",
                                                    "2024-10-24 00:00:00+02:00"]
    assert (frame["ds"].dt.hour == 0).all()
