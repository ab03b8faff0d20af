"""Rolling-origin backtests: refit at several origins, forecast a horizon, score against what happened.

Origins step back from the end of the history by ``horizon_days``: with 4 folds of 14 days the test
windows tile the last 8 weeks. A history too short for the folds asked gets fewer or shorter ones
(:func:`fit_plan`, which says what it did), and a model the first fold cannot train is skipped, with the
reason. Each fold trains on everything before its origin (calendar, holidays and outlier handling included)
exactly as a real forecast would. Scores are pooled over folds (sums of errors over sums of actuals) on
the days the history has: a day absent from it is unknown, never scored as a zero.

Everything that is chosen is chosen out of fold, so its score is honest: the ensemble of a fold averages the
best single models of the *other* folds, ``auto`` in a fold is the model best on the other folds, and the
80% band of a fold is widened or narrowed by the factor that made it cover 80% on the other folds
(split-conformal calibration, :func:`band_scale`). With a single fold the fold's own scores are used. The
factor the forecast itself is issued with comes from the later half of the folds: an early fold trains on
far less history than the forecast will (14 days against 28 on a 4-week history), its errors are larger
relative to the model's own band, and on short histories it widened the issued band to cover 92% instead of 80%.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecasting.calendar import day_calendar
from forecasting.grid import ChannelSeries
from forecasting.metrics import bias, coverage, mase, naive_scale, wmape
from forecasting.models import BASE_MODELS, Ensemble, Prediction
from forecasting.training import MIN_HISTORY_DAYS, Training, prepare
from wfm.config import ForecastSettings
from wfm.contracts import BAND_COVERAGE
from wfm.errors import DataError

LOG = logging.getLogger("forecasting")

#: Single models averaged by the ensemble.
ENSEMBLE_SIZE = 3
#: Shortest test window a fitted backtest uses, in days (a week: every weekday once).
MIN_FOLD_DAYS = 7
#: The model a history too short for any backtest is forecast with.
FALLBACK_MODEL = "daily"
#: The baseline reported beside auto: the mean of the last 4 same weekdays.
BASELINE_MODEL = "weekday_mean"
#: Simple models a short backtest prefers: few parameters, robust to an odd day.
ROBUST_MODELS = ("daily", "weekday_mean")
#: A backtest scoring fewer test days than this is short: its choice is too noisy to trust a small lead.
SHORT_BACKTEST_DAYS = 28
#: How much lower (relative) a model's pooled interval wMAPE must be than the best robust model's for a
#: short backtest to choose it.
CLEAR_MARGIN = 0.10


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
        ``member_models`` (the ensemble's models, best first, as a tuple; ``()`` for a single model),
        ``coverage`` (pooled, of the calibrated band), ``band_scale`` (the calibration factor the forecast is issued
        with, measured on the later half of the folds).
    winners
        One row per channel: the model chosen (:func:`choose`: the lowest pooled interval wMAPE, or on a short
        backtest a robust model unless beaten clearly) and its scores, with
        ``auto_wmape`` (the out-of-fold choice's own pooled score), ``auto_rank`` (its rank among the models),
        ``models_ranked``, ``baseline_wmape`` (the mean of the last 4 same weekdays), ``folds``,
        ``horizon_days`` and ``skipped`` (models left out, each with its reason; ``""`` for none).
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
    plan: BacktestPlan | None = None


@dataclass(frozen=True)
class FoldResult:
    """Forecasts of every model for one fold, with what happened (``actual`` is NaN on days absent)."""

    channel: str
    fold: int
    origin: pd.Timestamp
    actual: np.ndarray
    scale: float
    predictions: dict[str, Prediction]
    plan: BacktestPlan | None = None

    @property
    def present(self) -> np.ndarray:
        """Test days the history has."""
        return ~np.isnan(self.actual[:, 0])


@dataclass(frozen=True)
class BacktestPlan:
    """The folds a channel's backtest runs, the models it skips and why, and what was fitted to the history."""

    channel: str
    folds: int
    horizon_days: int
    origins: tuple[int, ...]
    models: tuple[str, ...]
    skipped: tuple[str, ...]
    note: str


def fold_origins(days: int, folds: int, horizon_days: int, channel: str) -> list[int]:
    """Row of each fold's first test day, oldest first; refuses histories too short for the folds."""
    needed = MIN_HISTORY_DAYS + folds * horizon_days
    if days < needed:
        raise DataError(f"channel {channel!r}: {days} days of history are too few for a backtest of {folds} "
                        f"folds of {horizon_days} days (needs {needed}: {MIN_HISTORY_DAYS} to train, then the "
                        "folds); use fewer folds (--folds), a shorter horizon (--horizon-days) or more history")
    return [days - (folds - k) * horizon_days for k in range(folds)]


def fit_plan(series: ChannelSeries, folds: int, horizon_days: int, models: tuple[str, ...], *, fit: bool,
             ) -> BacktestPlan | None:
    """The backtest a channel's history supports, or None when it is too short for any (under 21 days).

    Folds train on at least :data:`MIN_HISTORY_DAYS` days. When the history is too short for ``folds`` of
    ``horizon_days``, ``fit`` shortens the folds (not below :data:`MIN_FOLD_DAYS`) and then runs fewer of
    them, saying so in ``note``; without ``fit`` it is refused with the options that fix it. Models whose
    ``min_days`` exceed the first fold's training days are skipped, each named with its reason.
    """
    days = len(series.dates)
    available = days - MIN_HISTORY_DAYS
    note = ""
    if available < folds * horizon_days and fit:
        short = min(horizon_days, max(MIN_FOLD_DAYS, available // folds))
        count = min(folds, available // short)
        if count < 1:
            return None
        note = (f"{days} days of history: backtest of {count} fold{'s' if count > 1 else ''} of {short} days "
                f"(asked {folds} of {horizon_days})")
        folds, horizon_days = count, short
    origins = tuple(fold_origins(days, folds, horizon_days, series.channel))
    skipped = tuple(f"{name} (needs {BASE_MODELS[name].min_days} days of training, the first fold has "
                    f"{origins[0]})" for name in models if BASE_MODELS[name].min_days > origins[0])
    kept = tuple(name for name in models if BASE_MODELS[name].min_days <= origins[0])
    return BacktestPlan(series.channel, folds, horizon_days, origins, kept, skipped, note)


def training_for(series: ChannelSeries, settings: ForecastSettings | None) -> Training:
    """Prepare a channel's history for the models, with its holidays, events and outliers."""
    return prepare(series, day_calendar(series.dates, settings, series.channel, series.tz))


def run_fold(task: FoldTask) -> FoldResult:
    """Fit every model of the task before its origin and forecast its test window."""
    series = task.series
    training = training_for(series.head(task.origin), task.settings)
    end = task.origin + task.horizon_days
    dates = series.dates[task.origin:end]
    calendar = day_calendar(dates, task.settings, series.channel, series.tz)
    predictions = {}
    for name in task.models:
        prediction = BASE_MODELS[name]().fit(training).predict(dates)
        predictions[name] = replace(prediction, volume=training.finish(calendar, prediction.volume))
    week = 7 * series.slots
    return FoldResult(channel=series.channel, fold=task.fold, origin=series.dates[task.origin],
                      actual=series.volume[task.origin:end], scale=naive_scale(training.series.volume, week),
                      predictions=predictions, plan=task.plan)


def _fold_row(result: FoldResult, model: str, prediction: Prediction) -> dict:
    keep = result.present
    actual, mean = result.actual[keep], prediction.volume[keep]
    lower, upper = (bound[keep] for bound in prediction.bounds())
    return {"channel": result.channel, "model": model, "fold": result.fold, "origin": result.origin.date(),
            "horizon_days": len(result.actual), "wmape_interval": wmape(actual, mean),
            "wmape_daily": wmape(actual.sum(axis=1), mean.sum(axis=1)), "mase": mase(actual, mean, result.scale),
            "bias": bias(actual, mean), "coverage": coverage(actual, lower, upper)}


def _pooled(results: list[FoldResult], parts: list[Prediction]) -> dict:
    actual = np.concatenate([r.actual[r.present] for r in results])
    mean = np.concatenate([p.volume[r.present] for r, p in zip(results, parts, strict=True)])
    bounds = [p.bounds() for p in parts]
    lower = np.concatenate([b[0][r.present] for r, b in zip(results, bounds, strict=True)])
    upper = np.concatenate([b[1][r.present] for r, b in zip(results, bounds, strict=True)])
    scaled = [mase(r.actual[r.present], p.volume[r.present], r.scale) for r, p in zip(results, parts, strict=True)]
    return {"wmape_interval": wmape(actual, mean), "wmape_daily": wmape(actual.sum(axis=1), mean.sum(axis=1)),
            "mase": float(np.nanmean(scaled)) if np.isfinite(scaled).any() else float("nan"),
            "bias": bias(actual, mean), "coverage": coverage(actual, lower, upper)}


def _band_ratios(result: FoldResult, prediction: Prediction) -> np.ndarray:
    """Each open slot's absolute error over its band's half-width (<= 1 inside the model's own band)."""
    keep = result.present
    actual, mean = result.actual[keep], prediction.volume[keep]
    _, upper = replace(prediction, band_scale=1.0).bounds()
    half = upper[keep] - mean
    open_slots = (upper[keep] > 0) | (actual > 0)
    error = np.abs(actual - mean)[open_slots]
    width = half[open_slots]
    return np.divide(error, width, out=np.where(error > 0, np.inf, 0.0), where=width > 0)


def band_scale(ratios: list[np.ndarray]) -> float:
    """Split-conformal factor on the band's half-width: the 80% quantile of error-to-half-width ratios.

    Scaling a band by it makes it hold 80% of the errors it was measured on; measured on other folds, it
    calibrates the next. 1 when there is nothing to measure.
    """
    pooled = np.concatenate(ratios) if ratios else np.empty(0)
    if not pooled.size:
        return 1.0
    value = float(np.quantile(pooled, BAND_COVERAGE, method="higher"))
    return value if np.isfinite(value) and value > 0 else 1.0


def _out_of_fold(folds: int) -> list[list[int]]:
    """For each fold, the other folds (the fold itself when it is the only one)."""
    return [[k for k in range(folds) if k != fold] or [fold] for fold in range(folds)]


def _scores(results: list[FoldResult], forecasts: dict[str, list[Prediction]], names: list[str],
            folds: list[int]) -> dict[str, float]:
    """Pooled interval wMAPE of each of ``names`` on ``folds`` (inf where it cannot be scored)."""
    chosen = [results[k] for k in folds]
    return {name: float(np.nan_to_num(_pooled(chosen, [forecasts[name][k] for k in folds])["wmape_interval"],
                                      nan=np.inf)) for name in names}


def _ranked(results: list[FoldResult], forecasts: dict[str, list[Prediction]], names: list[str],
            folds: list[int]) -> list[str]:
    """``names`` by pooled interval wMAPE on ``folds``, best first (ties in the given order)."""
    score_of = _scores(results, forecasts, names, folds)
    return sorted(names, key=lambda n: (score_of[n], names.index(n)))


def choose(score_of: dict[str, float], test_days: int) -> str:
    """The model to forecast with, from pooled backtest scores (lower is better) over ``test_days`` scored days.

    The best score wins, except on a short backtest (under :data:`SHORT_BACKTEST_DAYS` test days): there the
    best of the :data:`ROBUST_MODELS` wins unless another model's score is lower than its by more than
    :data:`CLEAR_MARGIN` (relative), since a lead measured on a week or two is mostly noise.
    """
    names = list(score_of)
    best = min(names, key=lambda n: (score_of[n], names.index(n)))
    robust = [n for n in names if n in ROBUST_MODELS and np.isfinite(score_of[n])]
    if test_days >= SHORT_BACKTEST_DAYS or not robust:
        return best
    steady = min(robust, key=lambda n: (score_of[n], names.index(n)))
    return best if score_of[best] < (1 - CLEAR_MARGIN) * score_of[steady] else steady


def score(results: list[FoldResult], ensemble: bool) -> BacktestResult:
    """Tidy metrics, pooled summary and winners from fold results (of one or several channels)."""
    rows: list[dict] = []
    summary: list[dict] = []
    autos: list[dict] = []
    channels = list(dict.fromkeys(r.channel for r in results))
    for channel in channels:
        folds = sorted((r for r in results if r.channel == channel), key=lambda r: r.fold)
        names = list(folds[0].predictions)
        others = _out_of_fold(len(folds))
        forecasts = {name: [r.predictions[name] for r in folds] for name in names}
        members: dict[str, tuple[str, ...]] = {name: () for name in names}
        if ensemble and len(names) >= 2:
            forecasts["ensemble"] = [
                Ensemble.combine([folds[k].predictions[n]
                                  for n in _ranked(folds, forecasts, names, others[k])[:ENSEMBLE_SIZE]])
                for k in range(len(folds))]
            members["ensemble"] = tuple(_ranked(folds, forecasts, names, list(range(len(folds))))[:ENSEMBLE_SIZE])
        scales: dict[str, float] = {}
        for name in list(forecasts):
            ratios = [_band_ratios(r, p) for r, p in zip(folds, forecasts[name], strict=True)]
            forecasts[name] = [replace(p, band_scale=band_scale([ratios[j] for j in others[k]]))
                               for k, p in enumerate(forecasts[name])]
            scales[name] = band_scale(ratios[len(ratios) // 2:])
        candidates = list(forecasts)
        days = [int(r.present.sum()) for r in folds]
        auto = [forecasts[choose(_scores(folds, forecasts, candidates, others[k]),
                                 sum(days[j] for j in others[k]))][k] for k in range(len(folds))]
        chosen = choose(_scores(folds, forecasts, candidates, list(range(len(folds)))), sum(days))
        pooled = {name: _pooled(folds, parts) for name, parts in forecasts.items()}
        for name, parts in forecasts.items():
            rows.extend(_fold_row(r, name, p) for r, p in zip(folds, parts, strict=True))
            summary.append({"channel": channel, "model": name, "member_models": members[name], "folds": len(folds),
                            **pooled[name], "band_scale": scales[name]})
        auto_wmape = _pooled(folds, auto)["wmape_interval"]
        plan = folds[0].plan
        autos.append({"channel": channel, "chosen": chosen, "auto_wmape": auto_wmape,
                      "auto_rank": 1 + sum(bool(p["wmape_interval"] < auto_wmape) for p in pooled.values()),
                      "models_ranked": len(pooled),
                      "baseline_wmape": pooled.get(BASELINE_MODEL, {}).get("wmape_interval", float("nan")),
                      "horizon_days": len(folds[0].actual),
                      "skipped": "; ".join(plan.skipped) if plan is not None else "",
                      "note": plan.note if plan is not None else ""})
    metrics = pd.DataFrame(rows)
    table = pd.DataFrame(summary)
    table["rank"] = (table.groupby("channel")["wmape_interval"].rank(method="first", na_option="bottom")
                     .astype("int64"))
    table = table.sort_values(["channel", "rank"], kind="stable").reset_index(drop=True)
    choices = pd.DataFrame(autos)
    winners = (table.merge(choices, on="channel").query("model == chosen")
               .drop(columns=["rank", "chosen"]).reset_index(drop=True))
    return BacktestResult(metrics=metrics, summary=table, winners=winners.reset_index(drop=True))
