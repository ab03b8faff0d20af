"""The weekly plan, end to end: forecast -> requirements -> schedule -> roster, and what it projects.

The batch export, the dashboard and scenarios all call :func:`plan_week` (or its staffing half,
:func:`staff_week`), so what a planner sees is exactly what the weekly export writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forecasting import ForecastResult, forecast
from scheduling import ScheduleResult, solve_schedule
from wfm.config import Config
from wfm.errors import ConfigError, DataError
from wfm.staffing import queue_metrics, requirements
from wfm.whatif import Modifiers

log = logging.getLogger("wfm.pipeline")

#: Called with a stage name and a short message as the plan progresses.
Progress = Callable[[str, str], None]


def parse_week(text: str) -> dt.date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. ``2026-W48``)."""
    try:
        year, week = text.strip().upper().split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ConfigError(f"week: {text!r} is not an ISO week; write it as YYYY-Www, e.g. 2026-W48") from None


def week_label(monday: dt.date) -> str:
    """The ISO week of a date as ``YYYY-Www``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_after(history: pd.DataFrame) -> dt.date:
    """The Monday after the last day of the history (the week a weekly batch plans by default)."""
    if history.empty:
        raise DataError("history: no rows; a plan needs history to forecast from")
    last_day = history["interval_start"].max().date()
    return last_day + dt.timedelta(days=7 - last_day.weekday())


@dataclass(frozen=True)
class PlanSummary:
    """Headline figures of a planned week.

    ``channels`` has one row per channel (volume, AHT, model and backtest wMAPE, productive and required agent-hours,
    projected service level and occupancy); ``daily`` one row per channel and day. ``productive_agent_hours`` are the
    agents the queue needs; ``required_agent_hours`` add shrinkage (what must be scheduled), and sum over channels to
    the headline ``required_agent_hours``. Hours are agent-hours; money is in the config's currency.
    """

    week: str
    week_start: dt.date
    channels: pd.DataFrame
    daily: pd.DataFrame
    required_agent_hours: float
    paid_hours: float
    cost: float
    under_agent_hours: float
    over_agent_hours: float
    coverage: float
    efficiency: float
    solver: Mapping[str, Any]
    timings: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for summary.json and the run store (NaN becomes null)."""
        return _plain({
            "week": self.week, "week_start": self.week_start.isoformat(),
            "required_agent_hours": self.required_agent_hours, "paid_hours": self.paid_hours, "cost": self.cost,
            "under_agent_hours": self.under_agent_hours, "over_agent_hours": self.over_agent_hours,
            "coverage": self.coverage, "efficiency": self.efficiency, "solver": dict(self.solver),
            "timings_seconds": dict(self.timings),
            "channels": self.channels.to_dict(orient="records"),
            "daily": self.daily.assign(date=self.daily["date"].astype(str)).to_dict(orient="records"),
        })


@dataclass(frozen=True)
class Plan:
    """A planned week: the frames of every stage and the summary."""

    config: Config
    modifiers: Modifiers
    forecast: ForecastResult
    requirements: pd.DataFrame
    schedule: ScheduleResult
    projection: pd.DataFrame
    summary: PlanSummary


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return value


class _Stages:
    """Times the stages of a plan, logs a line per stage and reports progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    def run(self, stage: str, message: str, work: Callable[[], Any]) -> Any:
        if self.progress:
            self.progress(stage, message)
        start = time.perf_counter()
        result = work()
        self.seconds[stage] = round(time.perf_counter() - start, 3)
        log.info("%s done in %.2f s", stage, self.seconds[stage])
        return result


def forecast_week(history: pd.DataFrame, config: Config, week_start: dt.date,
                  progress: Callable[[int, int], None] | None = None) -> ForecastResult:
    """Forecast the seven days from ``week_start`` with the config's model choice."""
    if week_start <= history["interval_start"].max().date():
        raise DataError(f"week: {week_label(week_start)} starts on {week_start}, inside the history (which ends "
                        f"{history['interval_start'].max().date()}); plan a week after the history")
    return forecast(history, config, horizon_days=7, start=week_start, progress=progress)


def staff_week(forecast_frame: pd.DataFrame, config: Config, modifiers: Modifiers | None = None,
               ) -> tuple[Config, pd.DataFrame]:
    """Requirements for a forecast week under what-if modifiers: the fast half of a plan (no solver).

    Returns the effective config (with the modifiers applied) and the requirements frame.
    """
    modifiers = modifiers or Modifiers()
    effective = modifiers.apply_to_config(config)
    return effective, requirements(modifiers.apply_to_forecast(forecast_frame), effective)


def plan_week(history: pd.DataFrame, config: Config, week_start: dt.date | None = None, *,
              agents: pd.DataFrame | None = None, modifiers: Modifiers | None = None,
              forecast_result: ForecastResult | None = None, progress: Progress | None = None) -> Plan:
    """Plan one week end to end.

    Parameters
    ----------
    history
        Validated history (:func:`wfm.io.read_history`).
    config
        The base config.
    week_start
        Monday of the week to plan; default the week after the history ends.
    agents
        Named agents (:func:`scheduling.read_agents`), or None for generated ids.
    modifiers
        What-if changes applied to the forecast and the rules.
    forecast_result
        A forecast already made for this week (the dashboard caches it); made here when None.
    progress
        Called with ``(stage, message)`` as stages start.
    """
    modifiers = modifiers or Modifiers()
    week_start = week_start or week_after(history)
    if week_start.weekday() != 0:
        raise ConfigError(f"week_start: {week_start} is a {week_start:%A}; a planning week starts on a Monday")
    stages = _Stages(progress)
    made = forecast_result or stages.run("forecast", f"forecasting {week_label(week_start)}",
                                         lambda: forecast_week(history, config, week_start))
    effective, required = stages.run("staffing", "sizing agents per interval",
                                     lambda: staff_week(made.frame, config, modifiers))
    schedule = stages.run("schedule", "solving shifts and roster",
                          lambda: solve_schedule(required, effective, agents=agents))
    projection = stages.run("projection", "projecting service level",
                            lambda: project_service(required, schedule.coverage, effective))
    summary = summarise(week_start, made, required, schedule, projection, effective, stages.seconds)
    return Plan(config=effective, modifiers=modifiers, forecast=made, requirements=required, schedule=schedule,
                projection=projection, summary=summary)


def project_service(required: pd.DataFrame, coverage: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Service level and occupancy each channel would get from the scheduled coverage.

    A group's scheduled agents (net of breaks) are shared among its channels in proportion to their
    scheduled requirement; shrinkage then removes the unavailable share, rounding down to whole agents.

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume, agents`` (productive agents projected), ``service_level``
        (NaN for deferred channels), ``occupancy``.
    """
    frame = required[["channel", "interval_start", "volume", "aht_seconds", "scheduled_agents", "erlangs"]].copy()
    frame["group"] = frame["channel"].map(config.group_of)
    scheduled = coverage.set_index(["group", "interval_start"])["scheduled"]
    key = pd.MultiIndex.from_frame(frame[["group", "interval_start"]])
    group_scheduled = scheduled.reindex(key).fillna(0).to_numpy(dtype=float)
    group_need = frame.groupby(["group", "interval_start"])["scheduled_agents"].transform("sum").to_numpy(float)
    share = np.divide(frame["scheduled_agents"].to_numpy(float), group_need, out=np.zeros(len(frame)),
                      where=group_need > 0)
    shrinkage = frame["channel"].map(config.channel_shrinkage).to_numpy(float)
    productive = np.floor(group_scheduled * share * (1 - shrinkage) + 1e-9)
    service_level = np.full(len(frame), np.nan)
    occupancy = np.divide(frame["erlangs"].to_numpy(float), productive, out=np.zeros(len(frame)),
                          where=productive > 0)
    for name, rows in frame.groupby("channel").indices.items():
        channel = config.channels[str(name)]
        if not channel.is_queue:
            continue
        assert channel.answer_seconds is not None
        metrics = queue_metrics(productive[rows], frame["volume"].to_numpy(float)[rows],
                                frame["aht_seconds"].to_numpy(float)[rows], config.interval_minutes,
                                channel.answer_seconds, patience_seconds=channel.patience_seconds,
                                concurrency=channel.concurrency)
        service_level[rows] = metrics.service_level
        occupancy[rows] = metrics.occupancy
    return pd.DataFrame({"channel": frame["channel"], "interval_start": frame["interval_start"],
                         "volume": frame["volume"], "agents": productive.astype(np.int64),
                         "service_level": service_level, "occupancy": np.minimum(occupancy, 1.0)})


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Mean of ``values`` weighted by ``weights``, skipping missing values; NaN when no weight is left."""
    valid = values.notna() & (weights > 0)
    total = float(weights[valid].sum())
    return float((values[valid] * weights[valid]).sum() / total) if total > 0 else math.nan


def staffing_by_channel(required: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per channel: volume, peak agents, productive and scheduled agent-hours, volume-weighted service level."""
    hours = config.interval_minutes / 60
    rows = [{"channel": name, "volume": float(part["volume"].sum()), "peak_agents": int(part["agents"].max()),
             "agent_hours": float(part["agents"].sum() * hours),
             "scheduled_agent_hours": float(part["scheduled_agents"].sum() * hours),
             "service_level": weighted_mean(part["service_level"], part["volume"])}
            for name, part in required.groupby("channel")]
    return pd.DataFrame(rows)


def summarise(week_start: dt.date, made: ForecastResult, required: pd.DataFrame, schedule: ScheduleResult,
              projection: pd.DataFrame, config: Config, timings: Mapping[str, float]) -> PlanSummary:
    """The headline figures of a plan, per channel and per channel and day."""
    hours = config.interval_minutes / 60
    choices = made.choices.set_index("channel")
    joined = required.merge(projection[["channel", "interval_start", "service_level", "occupancy"]],
                            on=["channel", "interval_start"], suffixes=("_required", "_projected"))
    joined["date"] = joined["interval_start"].dt.date
    joined["busy"] = joined["volume"] * joined["aht_seconds"]

    def figures(part: pd.DataFrame) -> dict[str, float]:
        return {"volume": float(part["volume"].sum()),
                "productive_agent_hours": float(part["agents"].sum() * hours),
                "required_agent_hours": float(part["scheduled_agents"].sum() * hours),
                "projected_service_level": weighted_mean(part["service_level_projected"], part["volume"]),
                "projected_occupancy": weighted_mean(part["occupancy_projected"], part["busy"])}

    rows = []
    for name, part in joined.groupby("channel"):
        rows.append({
            "channel": name, "kind": config.channels[str(name)].kind, **figures(part),
            "aht_seconds": weighted_mean(part["aht_seconds"], part["volume"]),
            "model": str(choices.loc[name, "model"]) if name in choices.index else None,
            "wmape": float(choices.loc[name, "wmape"]) if name in choices.index else math.nan,
            "service_level_target": config.channels[str(name)].service_level,
        })
    daily = pd.DataFrame([{"channel": channel, "date": date, **figures(part)}
                          for (channel, date), part in joined.groupby(["channel", "date"])])
    s = schedule.summary
    solver = {"status": s.status, "objective": s.objective, "bound": s.bound, "gap": s.gap, "seconds": s.seconds,
              "solver": s.solver, "model": s.model, "unmet_intervals": s.unmet_intervals,
              "unassigned_shifts": s.unassigned_shifts}
    return PlanSummary(week=week_label(week_start), week_start=week_start, channels=pd.DataFrame(rows), daily=daily,
                       required_agent_hours=s.required_agent_hours, paid_hours=s.paid_hours, cost=s.cost,
                       under_agent_hours=s.under_agent_hours, over_agent_hours=s.over_agent_hours,
                       coverage=s.coverage, efficiency=s.efficiency, solver=solver, timings=dict(timings))
