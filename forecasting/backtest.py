"""Rolling-origin backtests: refit at several origins, forecast a horizon, score against what happened.

Origins step back from the end of the history by ``horizon_days``: with 4 folds of 14 days the test
windows tile the last 8 weeks. Each fold trains on everything before its origin (calendar, holidays and
outlier handling included) exactly as a real forecast would. Scores are pooled over folds (sums of errors
over sums of actuals). The ensemble averages the three best single models, chosen on the same folds (so
its score is slightly optimistic).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecasting.calendar import day_calendar
from forecasting.grid import ChannelSeries
from forecasting.metrics import bias, coverage, mase, naive_scale, wmape
from forecasting.models import BASE_MODELS, Ensemble, Prediction
from forecasting.training import MIN_TRAINING_DAYS, Training, prepare
from wfm.config import ForecastSettings
from wfm.errors import DataError

#: Single models averaged by the ensemble.
ENSEMBLE_SIZE = 3


@dataclass(frozen=True)
class BacktestResult:
    """Backtest scores.

    Attributes
    ----------
    metrics
        One row per channel, model and fold: ``channel, model, fold, origin, horizon_days, wmape_interval,
        wmape_daily, mase, bias, coverage`` (see :mod:`forecasting.metrics`).
    summary
        One row per channel and model, scores pooled over folds, ``rank`` 1 = lowest interval wMAPE,
        ``member_models`` (the ensemble's models, best first, as a tuple; ``()`` for a single model).
    winners
        One row per channel: the model with the lowest pooled interval wMAPE and its scores.
    """

    metrics: pd.DataFrame
    summary: pd.DataFrame
    winners: pd.DataFrame


@dataclass(frozen=True)
class FoldTask:
    """One backtest fold of one channel: train before ``origin`` (a row of the series), test after."""

    series: ChannelSeries
    settings: ForecastSettings | None
    fold: int
    origin: int
    horizon_days: int
    models: tuple[str, ...]


@dataclass(frozen=True)
class FoldResult:
    """Forecasts of every model for one fold, with what happened."""

    channel: str
    fold: int
    origin: pd.Timestamp
    actual: np.ndarray
    scale: float
    predictions: dict[str, Prediction]


def fold_origins(days: int, folds: int, horizon_days: int, channel: str) -> list[int]:
    """Row of each fold's first test day, oldest first; refuses histories too short for the folds."""
    needed = MIN_TRAINING_DAYS + folds * horizon_days
    if days < needed:
        raise DataError(f"channel {channel!r}: {days} days of history are too few for a backtest of {folds} "
                        f"folds of {horizon_days} days (needs {needed}: {MIN_TRAINING_DAYS} to train, then the "
                        "folds); use fewer folds (--folds), a shorter horizon (--horizon-days), more history, "
                        "or name a model (--model ets) to skip the backtest")
    return [days - (folds - k) * horizon_days for k in range(folds)]


def training_for(series: ChannelSeries, settings: ForecastSettings | None) -> Training:
    """Prepare a channel's history for the models, with its holidays, events and outliers."""
    return prepare(series, day_calendar(series.dates, settings, series.channel))


def run_fold(task: FoldTask) -> FoldResult:
    """Fit every model of the task before its origin and forecast its test window."""
    series = task.series
    training = training_for(series.head(task.origin), task.settings)
    end = task.origin + task.horizon_days
    dates = series.dates[task.origin:end]
    calendar = day_calendar(dates, task.settings, series.channel)
    predictions = {}
    for name in task.models:
        prediction = BASE_MODELS[name]().fit(training).predict(dates)
        predictions[name] = replace(prediction, volume=training.finish(calendar, prediction.volume))
    week = 7 * series.slots
    return FoldResult(channel=series.channel, fold=task.fold, origin=series.dates[task.origin],
                      actual=series.volume[task.origin:end], scale=naive_scale(training.series.volume, week),
                      predictions=predictions)


def _fold_row(result: FoldResult, model: str, prediction: Prediction) -> dict:
    actual, mean = result.actual, prediction.volume
    lower, upper = prediction.bounds()
    return {"channel": result.channel, "model": model, "fold": result.fold, "origin": result.origin.date(),
            "horizon_days": len(actual), "wmape_interval": wmape(actual, mean),
            "wmape_daily": wmape(actual.sum(axis=1), mean.sum(axis=1)), "mase": mase(actual, mean, result.scale),
            "bias": bias(actual, mean), "coverage": coverage(actual, lower, upper)}


def _pooled(results: list[FoldResult], model: str, means: list[np.ndarray]) -> dict:
    actual = np.concatenate([r.actual for r in results])
    mean = np.concatenate(means)
    scaled = [mase(r.actual, m, r.scale) for r, m in zip(results, means, strict=True)]
    return {"wmape_interval": wmape(actual, mean), "wmape_daily": wmape(actual.sum(axis=1), mean.sum(axis=1)),
            "mase": float(np.mean(scaled)), "bias": bias(actual, mean)}


def score(results: list[FoldResult], ensemble: bool) -> BacktestResult:
    """Tidy metrics, pooled summary and winners from fold results (of one or several channels)."""
    rows, summary = [], []
    channels = list(dict.fromkeys(r.channel for r in results))
    for channel in channels:
        folds = sorted((r for r in results if r.channel == channel), key=lambda r: r.fold)
        names = list(folds[0].predictions)
        forecasts = {name: [r.predictions[name] for r in folds] for name in names}
        pooled = {name: _pooled(folds, name, [p.volume for p in forecasts[name]]) for name in names}
        members: dict[str, tuple[str, ...]] = {name: () for name in names}
        if ensemble and len(names) >= 2:
            best = tuple(sorted(names, key=lambda n: (np.nan_to_num(pooled[n]["wmape_interval"], nan=np.inf),
                                                      names.index(n)))[:ENSEMBLE_SIZE])
            forecasts["ensemble"] = [Ensemble.combine([r.predictions[n] for n in best]) for r in folds]
            pooled["ensemble"] = _pooled(folds, "ensemble", [p.volume for p in forecasts["ensemble"]])
            members["ensemble"] = best
        for name, parts in forecasts.items():
            fold_rows = [_fold_row(r, name, p) for r, p in zip(folds, parts, strict=True)]
            rows.extend(fold_rows)
            summary.append({"channel": channel, "model": name, "member_models": members[name], "folds": len(folds),
                            **pooled[name], "coverage": float(np.mean([f["coverage"] for f in fold_rows]))})
    metrics = pd.DataFrame(rows)
    table = pd.DataFrame(summary)
    table["rank"] = (table.groupby("channel")["wmape_interval"].rank(method="first", na_option="bottom")
                     .astype("int64"))
    table = table.sort_values(["channel", "rank"], kind="stable").reset_index(drop=True)
    winners = table[table["rank"] == 1].drop(columns="rank").reset_index(drop=True)
    return BacktestResult(metrics=metrics, summary=table, winners=winners)
