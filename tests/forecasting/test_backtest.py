"""Backtest metrics against hand-computed values, fold layout, and the Dask path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import backtest, forecast
from forecasting.backtest import FoldTask, fold_origins, run_fold
from forecasting.grid import series_from_history
from forecasting.metrics import bias, coverage, mase, naive_scale, wmape
from wfm.contracts import validate_history
from wfm.errors import ConfigError, DataError


def test_metrics_by_hand() -> None:
    actual = np.array([10.0, 20.0, 0.0, 10.0])
    predicted = np.array([12.0, 15.0, 1.0, 10.0])
    assert wmape(actual, predicted) == pytest.approx(8 / 40)  # |2| + |-5| + |1| + 0
    assert bias(actual, predicted) == pytest.approx(-2 / 40)
    assert naive_scale(np.array([1.0, 3.0, 2.0, 6.0]), 2) == pytest.approx((1 + 3) / 2)
    assert mase(actual, predicted, 2.0) == pytest.approx((8 / 4) / 2.0)
    assert coverage(actual, predicted - 1, predicted + 1) == pytest.approx(0.5)  # 0 and the last 10 inside
    assert coverage(np.array([0.0, 5.0]), np.zeros(2), np.array([0.0, 4.0])) == 0.0  # closed slots do not count
    assert np.isnan(wmape(np.zeros(3), np.ones(3)))


def step_history() -> pd.DataFrame:
    """Five weeks, one open hour a day (12:00 UTC): 100 a day for three weeks, then 120, then 150."""
    days = pd.date_range("2026-01-05", periods=35, freq="D", tz="UTC")
    volume = [100] * 21 + [120] * 7 + [150] * 7
    frame = pd.DataFrame({"channel": "voice", "interval_start": days + pd.Timedelta(hours=12), "volume": volume,
                          "aht_seconds": 300.0})
    return validate_history(frame, source="test", interval_minutes=60, timezone=None)


def test_backtest_scores_by_hand() -> None:
    result = backtest(step_history(), interval_minutes=60, horizon_days=7, folds=1,
                      models=["seasonal_naive", "weekly_average"])
    rows = result.metrics.set_index("model")
    # seasonal naive forecasts last week's 120 for each of 7 days of 150
    naive = rows.loc["seasonal_naive"]
    assert naive["wmape_interval"] == pytest.approx(7 * 30 / (7 * 150))
    assert naive["wmape_daily"] == pytest.approx(0.2)
    assert naive["bias"] == pytest.approx(-0.2)
    # MASE scale: 28 training days x 24 hours, weekly naive in-sample: 7 errors of 20 in 21 x 24 differences
    scale = 7 * 20 / (21 * 24)
    assert naive["mase"] == pytest.approx((7 * 30 / (7 * 24)) / scale)
    # weekly average of the last four weeks, weights 4:3:2:1 newest first: (4*120 + 3*100 + 2*100 + 100) / 10
    average = rows.loc["weekly_average"]
    assert average["wmape_interval"] == pytest.approx((150 - 108) / 150)
    assert average["bias"] == pytest.approx(-(150 - 108) / 150)
    # a step of 30 is outside the model's own band (120 + 1.2816 sqrt((120 r)^2 + 2 x 120) ~ 144 < 150, r ~ 0.09);
    # with a single fold the band is calibrated on that fold's errors, all 30: widened until it holds them
    assert naive["coverage"] == 1.0
    assert naive["origin"] == pd.Timestamp("2026-02-02").date() and naive["horizon_days"] == 7
    assert result.winners.iloc[0]["model"] == "seasonal_naive"
    assert result.summary["rank"].tolist() == [1, 2]


def test_pooled_scores_and_ensemble(history_factory) -> None:
    history = history_factory(days=56, noise=True, seed=1)
    result = backtest(history, interval_minutes=60, horizon_days=7, folds=3,
                      models=["seasonal_naive", "weekly_average", "ets", "ensemble"])
    assert sorted(result.metrics["fold"].unique()) == [1, 2, 3]
    origins = sorted(result.metrics["origin"].unique())
    assert [str(o) for o in origins] == ["2026-02-09", "2026-02-16", "2026-02-23"]
    summary = result.summary.set_index("model")
    singles = summary.drop(index="ensemble").sort_values("wmape_interval", kind="stable")
    assert summary.loc["ensemble", "member_models"] == tuple(singles.index[:3])  # the three best, best first
    assert summary.loc["ets", "member_models"] == ()
    # equal-volume folds: the pooled wMAPE is close to the mean of the fold wMAPEs
    folds = result.metrics[result.metrics["model"] == "ets"]["wmape_interval"]
    assert summary.loc["ets", "wmape_interval"] == pytest.approx(folds.mean(), rel=0.05)
    # a Poisson series: the 80% interval covers about 80% of the slots
    assert 0.65 <= summary.loc["ets", "coverage"] <= 0.95
    assert summary.loc["ets", "wmape_interval"] < summary.loc["seasonal_naive", "wmape_interval"]


def test_chosen_score_is_the_pooled_error_of_the_fold_forecasts(history_factory) -> None:
    """Recomputed here from each fold's forecasts and actuals: errors summed over all folds over the volume
    summed over all folds (not the mean of the fold wMAPEs), and the choice is the smallest of those."""
    history = history_factory(days=84, noise=True, seed=6)
    models = ("seasonal_naive", "weekly_average", "ets")
    result = forecast(history, interval_minutes=60, horizon_days=7, model="auto")
    series = series_from_history(history, "voice", 60, history["interval_start"].dt.tz)
    folds = [run_fold(FoldTask(series, None, k + 1, origin, 14, models))
             for k, origin in enumerate(fold_origins(len(series.dates), 4, 14, "voice"))]
    actual = sum(float(fold.actual.sum()) for fold in folds)
    pooled = {name: sum(float(np.abs(fold.predictions[name].volume - fold.actual).sum()) for fold in folds) / actual
              for name in models}
    summary = result.backtest_summary.set_index("model")["wmape_interval"]
    for name in models:
        assert summary[name] == pytest.approx(pooled[name], rel=1e-12)
    choice = result.choices.iloc[0]
    assert choice["wmape"] == pytest.approx(summary.min(), rel=1e-12)
    assert choice["seasonal_naive_wmape"] == pytest.approx(pooled["seasonal_naive"], rel=1e-12)


def test_copying_models_cover_80_percent_of_an_over_dispersed_series(history_factory) -> None:
    """The band of a model that copies past slots counts the noise of the copied slots too.

    8 folds x 7 days x 12 open hours = 672 slots: a binomial sd of 0.015, about 0.03 once a day's errors
    correlate its slots; the dispersion estimate also runs ~10% low here (residuals around the day's own
    total), costing ~0.03. Hence +-0.06; without the copied noise the naive covers 0.60-0.67.
    """
    history = history_factory(days=84, noise=True, dispersion=2.0, seed=0)
    result = backtest(history, interval_minutes=60, horizon_days=7, folds=8,
                      models=["seasonal_naive", "weekly_average"])
    coverage = result.summary.set_index("model")["coverage"]
    assert coverage["seasonal_naive"] == pytest.approx(0.8, abs=0.06)
    assert coverage["weekly_average"] == pytest.approx(0.8, abs=0.06)


def test_fold_layout_and_refusals(history_factory) -> None:
    assert fold_origins(100, 4, 14, "voice") == [44, 58, 72, 86]
    with pytest.raises(DataError, match="use fewer folds"):
        fold_origins(60, 4, 14, "voice")
    history = history_factory(days=35)
    with pytest.raises(ConfigError, match="models: name the models"):
        backtest(history, interval_minutes=60, models=["auto"])
    with pytest.raises(ConfigError, match="the ensemble needs single models"):
        backtest(history, interval_minutes=60, models=["ensemble"])
    with pytest.raises(ConfigError, match="folds: must be > 0, got 0"):  # 0 is not "use the default"
        backtest(history, interval_minutes=60, folds=0)
    with pytest.raises(ConfigError, match="horizon_days: must be > 0, got 0"):
        backtest(history, interval_minutes=60, horizon_days=0)


@pytest.mark.slow
def test_dask_gives_the_same_forecast_as_local(history_factory) -> None:
    distributed = pytest.importorskip("distributed")
    history = history_factory(days=56, noise=True, channels=("voice", "chat"), seed=2)
    kwargs = {"interval_minutes": 60, "horizon_days": 7, "model": "ets"}
    local = forecast(history, **kwargs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = forecast(history, backend="dask", scheduler=cluster.scheduler_address, **kwargs)
        tested = backtest(history, interval_minutes=60, horizon_days=7, folds=2, models=["seasonal_naive", "ets"],
                          backend="dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(local.frame, remote.frame)
    expected = backtest(history, interval_minutes=60, horizon_days=7, folds=2, models=["seasonal_naive", "ets"])
    pd.testing.assert_frame_equal(expected.summary, tested.summary)
    with pytest.raises(ConfigError, match="scheduler: the dask backend needs"):
        forecast(history, backend="dask", **kwargs)
