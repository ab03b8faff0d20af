"""The public entry points: :func:`forecast` and :func:`backtest` over every channel of a history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from forecasting.aht import aht_forecast, aht_table, weighted_aht
from forecasting.backtest import (
    FALLBACK_MODEL,
    LOG,
    BacktestPlan,
    BacktestResult,
    FoldTask,
    fit_plan,
    run_fold,
    score,
    training_for,
)
from forecasting.calendar import day_calendar
from forecasting.grid import ChannelSeries, frame_from_grid, series_from_history, to_date
from forecasting.models import BASE_MODELS, MODELS, Ensemble, ForecastModel
from forecasting.parallel import Backend, Progress, parallel_map
from forecasting.training import MIN_HISTORY_DAYS, Training
from wfm.config import Config, ForecastSettings
from wfm.contracts import DAY_NAMES, FORECAST_COLUMNS
from wfm.errors import ConfigError, DataError, InputError
from wfm.weeks import check_interval_minutes

AUTO = "auto"
#: Columns of :attr:`ForecastResult.daily`.
DAILY_COLUMNS = ("channel", "date", "volume", "volume_lo", "volume_hi", "aht_seconds")


@dataclass(frozen=True)
class ForecastResult:
    """A forecast and how its models were chosen.

    Attributes
    ----------
    frame
        The forecast contract: ``channel, interval_start, volume, volume_lo, volume_hi, aht_seconds, model``,
        every interval of every horizon day, sorted by channel and interval (closed slots have volume 0;
        ``volume_lo``/``volume_hi`` bound an 80% prediction interval).
    choices
        One row per channel: ``channel, model, member_models`` (the ensemble's models as a tuple, best first;
        ``()`` for a single model), ``wmape`` (pooled
        interval wMAPE of the chosen model in the backtest, NaN when the model was named rather than chosen),
        ``wmape_daily, mase, bias, seasonal_naive_wmape, selection`` (``auto``, ``backtest`` or ``fixed``).
    backtest
        The backtest's per-fold metrics (see :class:`BacktestResult`), or None when none was run.
    backtest_summary
        The backtest's scores pooled over folds, one row per channel and model (``BacktestResult.summary``,
        the figures the choice was made on), or None when none was run.
    daily
        One row per channel and local day: ``channel, date, volume`` (the day's expected total), ``volume_lo,
        volume_hi`` (the 80% interval of the day's total, :meth:`forecasting.models.Prediction.daily`: narrower
        than the sum of the interval bounds, whose errors partly cancel) and ``aht_seconds`` (volume-weighted,
        :func:`forecasting.aht.weighted_aht`; NaN on a day without contacts).
    """

    frame: pd.DataFrame
    choices: pd.DataFrame
    backtest: pd.DataFrame | None
    backtest_summary: pd.DataFrame | None = None
    daily: pd.DataFrame | None = None

    def week_aht_seconds(self, channel: str) -> float:
        """A channel's volume-weighted handle time over the whole forecast (NaN without contacts)."""
        rows = self.frame[self.frame["channel"] == channel]
        return weighted_aht(rows["volume"].to_numpy(float), rows["aht_seconds"].to_numpy(float))


@dataclass(frozen=True)
class _FinalTask:
    series: ChannelSeries
    settings: ForecastSettings | None
    model: str
    members: tuple[str, ...]
    dates: pd.DatetimeIndex
    default_aht_seconds: float | None
    band_scale: float = 1.0


def _settings(config: Config | None) -> ForecastSettings | None:
    return config.forecast if config is not None else None


def _channel_series(history: pd.DataFrame, config: Config | None, interval_minutes: int | None,
                    ) -> list[ChannelSeries]:
    if not isinstance(history, pd.DataFrame) or history.empty:
        raise DataError("history: no rows; pass a validated history frame (wfm.io.read_history)")
    minutes = interval_minutes or (config.interval_minutes if config is not None else None)
    if minutes is None:
        raise ConfigError("interval_minutes: unknown; pass interval_minutes (--interval-minutes) or a config")
    try:
        minutes = check_interval_minutes(minutes)
    except ValueError as exc:
        raise ConfigError(f"interval_minutes: {exc}") from None
    stamps = history["interval_start"]
    if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
        raise DataError("history: interval_start must be timezone-aware; read the file with wfm.io.read_history")
    tz = config.zone if config is not None else stamps.dt.tz
    series = [series_from_history(rows, str(channel), minutes, tz)
              for channel, rows in history.groupby("channel", sort=True)]
    for one in series:
        if len(one.dates) < MIN_HISTORY_DAYS:
            raise DataError(f"channel {one.channel!r}: only {len(one.dates)} days of history; forecasting needs "
                            f"at least {MIN_HISTORY_DAYS} days (two weeks) per channel")
    return series


def prepare_channel(history: pd.DataFrame, channel: str, *, interval_minutes: int | None = None,
                    config: Config | None = None) -> Training:
    """One channel of a history contract frame, cleaned and ready for a model's ``fit``.

    Examples
    --------
    >>> training = prepare_channel(history, "voice", interval_minutes=15, config=config)  # doctest: +SKIP
    >>> MODELS["ets"]().fit(training).predict(pd.date_range("2026-11-16", periods=7))  # doctest: +SKIP
    """
    rows = history[history["channel"] == channel]
    if rows.empty:
        raise DataError(f"history: no rows for channel {channel!r}; channels present: "
                        f"{', '.join(sorted(map(str, history['channel'].unique())))}")
    return training_for(_channel_series(rows, config, interval_minutes)[0], _settings(config))


def _check_calendar(series: list[ChannelSeries], settings: ForecastSettings | None, last: pd.Timestamp) -> None:
    """Look the holidays up once here: a bad country fails early, and workers inherit the loaded tables."""
    first = min(one.dates[0] for one in series)
    day_calendar(pd.DatetimeIndex([first, last]), settings, series[0].channel, series[0].tz)


def _check_model(model: str) -> str:
    if model != AUTO and model not in MODELS:
        raise ConfigError(f"model: unknown model {model!r}; use auto or one of {', '.join(MODELS)}")
    return model


def _run_backtest(plans: list[BacktestPlan], series: list[ChannelSeries], settings: ForecastSettings | None,
                  ensemble: bool, backend: Backend, scheduler: str | None, progress: Progress | None,
                  extra: int = 0) -> BacktestResult:
    tasks = [FoldTask(one, settings, fold + 1, origin, plan.horizon_days, plan.models, plan)
             for one, plan in zip(series, plans, strict=True)
             for fold, origin in enumerate(plan.origins)]
    total = len(tasks) + extra
    report = (lambda done, _: progress(done, total)) if progress else None
    return score(parallel_map(run_fold, tasks, backend=backend, scheduler=scheduler, progress=report), ensemble)


def _plans(series: list[ChannelSeries], settings: ForecastSettings | None, folds: int, horizon_days: int,
           models: tuple[str, ...], *, fit: bool) -> list[BacktestPlan | None]:
    """Each channel's backtest plan, its fitting and skipped models logged."""
    plans = [fit_plan(one, folds, horizon_days, models, fit=fit) for one in series]
    for one, plan in zip(series, plans, strict=True):
        if plan is None:
            LOG.info("channel %s: %d days of history are too short for a backtest (needs %d); forecast with %s",
                     one.channel, len(one.dates), MIN_HISTORY_DAYS + 7, FALLBACK_MODEL)
            continue
        if plan.note:
            LOG.info("channel %s: %s", one.channel, plan.note)
        for reason in plan.skipped:
            LOG.info("channel %s: skipped %s", one.channel, reason)
    return plans


def _run_final(task: _FinalTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit the chosen model on a channel's whole history and forecast the horizon: the forecast frame and its
    daily totals (:attr:`ForecastResult.daily`)."""
    series = task.series
    training = training_for(series, task.settings)
    model: ForecastModel = (Ensemble(members=task.members) if task.model == "ensemble"
                            else BASE_MODELS[task.model]())
    calendar = day_calendar(task.dates, task.settings, series.channel, series.tz)
    prediction = model.fit(training).predict(task.dates)
    finished = replace(prediction, volume=training.finish(calendar, prediction.volume), band_scale=task.band_scale)
    lower, upper = finished.bounds()
    aht = aht_forecast(aht_table(series, training.excluded, task.default_aht_seconds), task.dates)
    frame = frame_from_grid(series.channel, task.dates, series.tz, series.interval_minutes,
                            {"volume": finished.volume, "volume_lo": lower, "volume_hi": upper, "aht_seconds": aht})
    label = f"ensemble({'+'.join(task.members)})" if task.model == "ensemble" else task.model
    daily = finished.daily().assign(channel=series.channel, date=task.dates.date,
                                    aht_seconds=[weighted_aht(v, a) for v, a in zip(finished.volume, aht,
                                                                                     strict=True)])
    return frame.assign(model=label), daily[list(DAILY_COLUMNS)]


def _horizon_dates(series: list[ChannelSeries], start: Any, horizon_days: int) -> pd.DatetimeIndex:
    if horizon_days <= 0:
        raise ConfigError(f"horizon_days: must be > 0, got {horizon_days}")
    last = max(one.dates[-1] for one in series)
    first = last + pd.Timedelta(days=1)
    if start is not None:
        day = to_date(start, series[0].tz, "start")
        if pd.Timestamp(day) < first:
            raise ConfigError(f"start: {day} is inside the history, which ends on {last.date()}; start on "
                              f"{first.date()} or later")
        first = pd.Timestamp(day)
    return pd.date_range(first, periods=horizon_days, freq="D")


def forecast(history: pd.DataFrame, config: Config | None = None, *, interval_minutes: int | None = None,
             horizon_days: int | None = None, start: dt.date | pd.Timestamp | str | None = None,
             model: str | None = None, backend: Backend = "local", scheduler: str | None = None,
             progress: Progress | None = None, default_aht_seconds: float | None = None,
             folds: int | None = None) -> ForecastResult:
    """Forecast volume, its 80% interval and handle time for every channel and interval of a horizon.

    Parameters
    ----------
    history
        A validated history frame (:func:`wfm.io.read_history`), covering whole local days: intervals absent
        from it count as closed (volume 0), so a last day cut short would look like a quiet day.
    config
        Timezone, interval, holidays (``forecast.country``/``region``), events, outlier days, backtest folds
        and defaults. Without it, days are those of the history's own UTC offset and no holidays apply.
    interval_minutes
        Interval length of the history; defaults to the config's.
    horizon_days
        Days to forecast; defaults to ``forecast.horizon_days`` (14).
    start
        First day of the horizon (a date, or a midnight timestamp); default the day after the history ends.
        A later start leaves a gap, which models forecast across.
    model
        ``"auto"`` (best per channel by rolling-origin backtest, interval wMAPE; on a backtest of under 28
        test days a robust model unless another is clearly better, :func:`forecasting.backtest.choose`), a
        name of :data:`MODELS`
        (``"ensemble"`` backtests to choose its members); default ``forecast.model``, else auto.
    backend, scheduler
        Where channels and folds run: ``"local"`` processes, or ``"dask"`` at the scheduler's address.
    progress
        Called with (tasks done, tasks in total).
    default_aht_seconds
        Handle time (seconds, > 0) forecast for channels whose history has no ``aht_seconds``; overrides
        ``forecast.default_aht_seconds`` of the config, so a history without handle time needs no config.
    folds
        Backtest folds for auto and the ensemble (default ``forecast.backtest_folds``, 4). A history too short
        for them gets fewer, shorter folds (``choices.note`` says which), and under 21 days none: the channel
        is forecast with the ``daily`` model, unscored.

    Returns
    -------
    ForecastResult

    Raises
    ------
    DataError
        A channel's history is too short (four weeks; plus the backtest folds for auto), or has no AHT and
        neither ``default_aht_seconds`` nor the config's ``forecast.default_aht_seconds`` is given.
    ConfigError
        Unknown model, bad start or horizon, unknown holiday country.
    InputError
        ``default_aht_seconds`` is not a number > 0.
    """
    if default_aht_seconds is not None and not (np.isfinite(default_aht_seconds) and default_aht_seconds > 0):
        raise InputError("default_aht_seconds", f"must be a number of seconds > 0, got {default_aht_seconds}")
    settings = _settings(config)
    if default_aht_seconds is None and settings is not None:
        default_aht_seconds = settings.default_aht_seconds
    model = _check_model(model or (settings.model if settings is not None else AUTO))
    series = _channel_series(history, config, interval_minutes)
    if model not in (AUTO, "ensemble"):
        for one in series:
            if len(one.dates) < MODELS[model].min_days:
                raise DataError(f"channel {one.channel!r}: model {model} needs {MODELS[model].min_days} days of "
                                f"history, it has {len(one.dates)}; use auto or more history")
    default_horizon = settings.horizon_days if settings else 14
    dates = _horizon_dates(series, start, horizon_days if horizon_days is not None else default_horizon)
    _check_calendar(series, settings, dates[-1])
    choices = _fixed_choices(series, model, "fixed")
    metrics = summary = None
    with threadpool_limits(limits=1, user_api="blas"):
        if model in (AUTO, "ensemble"):
            if folds is not None and folds <= 0:
                raise ConfigError(f"folds: must be > 0, got {folds}")
            count = folds if folds is not None else (settings.backtest_folds if settings else 4)
            plans = _plans(series, settings, count,
                           settings.backtest_horizon_days if settings else 14, tuple(BASE_MODELS), fit=True)
            ran = [k for k, plan in enumerate(plans) if plan is not None]
            parts = [_fixed_choices([series[k] for k in range(len(series)) if plans[k] is None], FALLBACK_MODEL,
                                    "too short for a backtest")]
            if ran:
                result = _run_backtest([plans[k] for k in ran], [series[k] for k in ran],  # type: ignore[misc]
                                       settings, True, backend, scheduler, progress, extra=len(series))
                parts.append(_choices(result, model))
                metrics, summary = result.metrics, result.summary
            order = {one.channel: k for k, one in enumerate(series)}
            choices = (pd.concat([p for p in parts if not p.empty], ignore_index=True)
                       .sort_values("channel", key=lambda c: c.map(order)).reset_index(drop=True))
        tasks = [_FinalTask(one, settings, row.model, row.member_models, dates, default_aht_seconds,
                            float(row.band_scale))
                 for one, row in zip(series, choices.itertuples(), strict=True)]
        offset = 0 if metrics is None else len(metrics.groupby(["channel", "fold"]))
        total = offset + len(tasks)
        report = (lambda done, _: progress(offset + done, total)) if progress else None
        finals = parallel_map(_run_final, tasks, backend=backend, scheduler=scheduler, progress=report)
    frame = pd.concat([one for one, _ in finals], ignore_index=True)[list(FORECAST_COLUMNS)]
    frame = frame.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)
    daily = pd.concat([days for _, days in finals], ignore_index=True).sort_values(
        ["channel", "date"], kind="stable").reset_index(drop=True)
    return ForecastResult(frame=frame, choices=choices, backtest=metrics, backtest_summary=summary, daily=daily)


def describe_choices(choices: pd.DataFrame) -> list[str]:
    """One line per channel for people: the model, its backtest score beside the baseline's, auto's rank out of
    fold, the backtest fitted to the history and the models skipped (the CLI and the dashboard print these)."""
    lines = []
    for row in choices.itertuples():
        members = f" ({' + '.join(row.member_models)})" if row.member_models else ""
        parts = [f"{row.channel}: {row.model}{members}"]
        if row.wmape == row.wmape:
            parts.append(f"backtest interval wMAPE {row.wmape:.1%} ({row.folds} folds of {row.backtest_horizon_days} "
                         f"days), mean of the last 4 same weekdays {row.baseline_wmape:.1%}")
        if row.auto_wmape == row.auto_wmape:
            parts.append(f"auto chosen out of fold: {row.auto_wmape:.1%}, rank {row.auto_rank} of "
                         f"{row.models_ranked}")
        if row.coverage == row.coverage:
            parts.append(f"80% band covered {row.coverage:.0%} (widened x{row.band_scale:.2f})")
        if row.note:
            parts.append(str(row.note))
        if row.skipped:
            parts.append(f"skipped {row.skipped}")
        lines.append("; ".join(parts))
    return lines


def history_check(history: pd.DataFrame, config: Config | None = None, *, interval_minutes: int | None = None,
                  ) -> list[str]:
    """What a forecast will make of a history, one line per channel, before any forecast runs.

    Raises :class:`~wfm.errors.DataError` when a channel has too little history (under 14 days).
    """
    series = _channel_series(history, config, interval_minutes)
    settings = _settings(config)
    folds = settings.backtest_folds if settings else 4
    horizon = settings.backtest_horizon_days if settings else 14
    lines = []
    for one in series:
        plan = fit_plan(one, folds, horizon, tuple(BASE_MODELS), fit=True)
        absent = int((~one.present).sum())
        closed = [DAY_NAMES[d] for d in range(7) if not one.present[np.asarray(one.dates.day_of_week) == d].any()]
        words = [f"{one.channel}: {len(one.dates)} days ({one.dates[0].date()} to {one.dates[-1].date()}), enough "
                 "to forecast"]
        if plan is None:
            words.append(f"too short for a backtest (needs {MIN_HISTORY_DAYS + 7} days): forecast with the "
                         f"{FALLBACK_MODEL} model, unscored")
        else:
            words.append(plan.note or f"auto backtests {plan.folds} folds of {plan.horizon_days} days")
            if plan.skipped:
                words.append(f"skips {'; '.join(plan.skipped)}")
        if absent:
            words.append(f"{absent} days absent are treated as unknown, not as zero")
        if closed:
            words.append(f"{', '.join(closed)} never in the history: forecast closed")
        if one.aht_seconds is None:
            words.append("no handle time: staffing will need forecast.default_aht_seconds")
        lines.append("; ".join(words))
    return lines


#: Columns of ``ForecastResult.choices``.
CHOICE_COLUMNS = ("channel", "model", "member_models", "wmape", "wmape_daily", "mase", "bias", "coverage",
                  "band_scale", "seasonal_naive_wmape", "baseline_wmape", "auto_wmape", "auto_rank",
                  "models_ranked", "folds", "backtest_horizon_days", "skipped", "note", "selection")


def _fixed_choices(series: list[ChannelSeries], model: str, selection: str) -> pd.DataFrame:
    """Choices of channels whose model was not chosen by a backtest (no scores)."""
    n = len(series)
    nan = [np.nan] * n
    note = ("history too short for a backtest (needs 21 days); no scores, band not calibrated"
            if selection != "fixed" else "")
    return pd.DataFrame({"channel": [one.channel for one in series], "model": model, "member_models": [()] * n,
                         "wmape": nan, "wmape_daily": nan, "mase": nan, "bias": nan, "coverage": nan,
                         "band_scale": 1.0, "seasonal_naive_wmape": nan, "baseline_wmape": nan, "auto_wmape": nan,
                         "auto_rank": pd.array([pd.NA] * n, dtype="Int64"), "models_ranked": 0, "folds": 0,
                         "backtest_horizon_days": 0, "skipped": "", "note": note,
                         "selection": "fixed" if selection == "fixed" else "fallback"},
                        columns=list(CHOICE_COLUMNS))


def _choices(result: BacktestResult, model: str) -> pd.DataFrame:
    summary = result.summary
    winners = result.winners.set_index("channel")
    chosen = result.winners if model == AUTO else summary[summary["model"] == model].reset_index(drop=True)
    naive = summary[summary["model"] == "seasonal_naive"].set_index("channel")["wmape_interval"]
    channel = chosen["channel"]
    return pd.DataFrame({
        "channel": channel, "model": chosen["model"], "member_models": chosen["member_models"],
        "wmape": chosen["wmape_interval"], "wmape_daily": chosen["wmape_daily"], "mase": chosen["mase"],
        "bias": chosen["bias"], "coverage": chosen["coverage"], "band_scale": chosen["band_scale"],
        "seasonal_naive_wmape": channel.map(naive).to_numpy(dtype=float),
        **{name: channel.map(winners[name]).to_numpy() for name in ("baseline_wmape", "auto_wmape", "auto_rank",
                                                                   "models_ranked", "folds", "skipped", "note")},
        "backtest_horizon_days": channel.map(winners["horizon_days"]).to_numpy(),
        "selection": "auto" if model == AUTO else "backtest"}, columns=list(CHOICE_COLUMNS))


def backtest(history: pd.DataFrame, config: Config | None = None, *, interval_minutes: int | None = None,
             horizon_days: int | None = None, folds: int | None = None, models: list[str] | None = None,
             backend: Backend = "local", scheduler: str | None = None,
             progress: Progress | None = None) -> BacktestResult:
    """Rolling-origin backtest of models on every channel of a history.

    Parameters
    ----------
    history, config, interval_minutes
        As for :func:`forecast`.
    horizon_days
        Days forecast from each origin; default ``forecast.backtest_horizon_days`` (14).
    folds
        Number of origins, each ``horizon_days`` before the next; default ``forecast.backtest_folds`` (4).
    models
        Names from :data:`MODELS`; default all (``"ensemble"`` averages the three best single models).
    backend, scheduler, progress
        As for :func:`forecast`.

    Returns
    -------
    BacktestResult
        Per-fold metrics, a pooled summary per channel and model, and the winner per channel.
    """
    settings = _settings(config)
    names = list(MODELS) if models is None else [_check_model(name) for name in models]
    if AUTO in names or not names:
        raise ConfigError(f"models: name the models to backtest ({', '.join(MODELS)}), or leave it out for all")
    base = tuple(name for name in names if name != "ensemble")
    if not base:
        raise ConfigError("models: the ensemble needs single models to average; add some, e.g. ets,sarimax")
    horizon = horizon_days if horizon_days is not None else (settings.backtest_horizon_days if settings else 14)
    count = folds if folds is not None else (settings.backtest_folds if settings else 4)
    for name, value in (("horizon_days", horizon), ("folds", count)):
        if value <= 0:
            raise ConfigError(f"{name}: must be > 0, got {value}")
    series = _channel_series(history, config, interval_minutes)
    _check_calendar(series, settings, max(one.dates[-1] for one in series))
    # folds and horizon named by the caller are kept (refused if too many); the config's defaults are fitted
    plans = _plans(series, settings, count, horizon, base, fit=folds is None and horizon_days is None)
    for one, plan in zip(series, plans, strict=True):
        if plan is None:
            raise DataError(f"channel {one.channel!r}: {len(one.dates)} days of history are too few for a "
                            f"backtest (needs {MIN_HISTORY_DAYS + 7}: {MIN_HISTORY_DAYS} to train, a week to test)")
        if not plan.models:
            raise DataError(f"channel {one.channel!r}: none of the models named can be backtested on this "
                            f"history: {'; '.join(plan.skipped)}")
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_backtest(plans, series, settings, "ensemble" in names, backend,  # type: ignore[arg-type]
                             scheduler, progress)
