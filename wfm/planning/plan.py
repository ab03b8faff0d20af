"""The weekly plan, end to end: forecast -> requirements -> schedule -> roster, and what it projects.

The batch export, the dashboard and scenarios all call :func:`plan_week` (or its staffing half,
:func:`staff_week`), so what a planner sees is exactly what the weekly export writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd

from forecasting import ForecastResult, country_holidays, forecast
from scheduling import ScheduleResult, solve_schedule
from wfm.config import Config
from wfm.errors import ConfigError, DataError, WfmWarning
from wfm.planning.summary import PlanSummary, summarise
from wfm.planning.whatif import Modifiers
from wfm.staffing import project_service, requirements
from wfm.staffing.risk import interval_risk, risk_requirements
from wfm.weeks import week_after, week_label

log = logging.getLogger("wfm.planning")

#: Called with a stage name and a short message as the plan progresses.
Progress = Callable[[str, str], None]


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
    #: Per queue interval, the probability of meeting the target with the agents scheduled (see
    #: :func:`wfm.staffing.risk.interval_risk`); ``risk`` is the probability the plan was staffed to, if any.
    interval_risk: pd.DataFrame | None = None
    risk: float | None = None


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


def check_channels(history: pd.DataFrame, config: Config) -> None:
    """Warn about configured channels the history has no rows for; refuse a staff group left with no demand.

    A channel without history gets no forecast, so no requirement and no staff: a plan that looks complete
    but leaves that work uncovered. When some of a group's channels have history the plan goes ahead with a
    :class:`~wfm.errors.WfmWarning` naming the channels; when none of them has, the group would be rostered
    against no demand at all, and a :class:`~wfm.errors.DataError` names the group and the fix.
    """
    present = set(history["channel"].unique())
    missing = [name for name in config.channels if name not in present]
    if not missing:
        return
    for name, group in config.groups.items():
        if group.channels and not present.intersection(group.channels):
            raise DataError(f"history: no rows for any channel of staff group {name!r} "
                            f"({', '.join(map(repr, group.channels))}), so the group would be planned with no "
                            f"demand at all; add their history, or remove [groups.{name}] and its channels from "
                            "the config")
    warnings.warn(f"history: no rows for configured {_channels(missing)}: no forecast and no staff for "
                  f"{'them' if len(missing) > 1 else 'it'} this week; add the history, or remove "
                  f"{'them' if len(missing) > 1 else 'it'} from the config", WfmWarning, stacklevel=3)


def _channels(names: Collection[str]) -> str:
    return f"channel{'s' if len(names) > 1 else ''} {', '.join(map(repr, names))}"


#: How many weeks after the end of the history a week may be planned: further out a forecast is a guess.
MAX_WEEKS_AHEAD = 8


def check_week(history: pd.DataFrame, week_start: dt.date) -> None:
    """Refuse a week that starts inside the history or more than :data:`MAX_WEEKS_AHEAD` weeks after it.

    Raises
    ------
    DataError
        Naming the week, the last day of the history and the weeks that can be planned.
    """
    last = history["interval_start"].max().date()
    if week_start <= last:
        raise DataError(f"week: {week_label(week_start)} starts on {week_start}, inside the history (which ends "
                        f"{last}); plan a week after the history")
    latest = week_after(history) + dt.timedelta(weeks=MAX_WEEKS_AHEAD - 1)
    if week_start > latest:
        raise DataError(f"week: {week_label(week_start)} starts on {week_start}, {(week_start - last).days:,} days "
                        f"after the history ends ({last}); plan one of the {MAX_WEEKS_AHEAD} weeks after the history "
                        f"({week_label(week_after(history))} to {week_label(latest)}), or give a longer history")


def forecast_week(history: pd.DataFrame, config: Config, week_start: dt.date,
                  progress: Callable[[int, int], None] | None = None) -> ForecastResult:
    """Forecast the seven days from ``week_start`` with the config's model choice.

    Channels and backtest folds run where the config's ``[forecast] backend`` says: local processes, or the
    Dask scheduler at ``[forecast] scheduler``. Configured channels without history are reported first
    (:func:`check_channels`); the week must be one of the :data:`MAX_WEEKS_AHEAD` weeks after the history
    (:func:`check_week`).
    """
    check_channels(history, config)
    check_week(history, week_start)
    settings = config.forecast
    return forecast(history, config, horizon_days=7, start=week_start, backend=settings.backend,
                    scheduler=settings.scheduler, progress=progress)


def staff_week(forecast_frame: pd.DataFrame, config: Config, modifiers: Modifiers | None = None, *,
               risk: float | None = None) -> tuple[Config, pd.DataFrame]:
    """Requirements for a forecast week under what-if modifiers: the fast half of a plan (no solver).

    With ``risk`` (a probability), queue intervals are staffed to meet their target with at least that
    probability (:func:`wfm.staffing.risk.risk_requirements`), else for the expected volume.
    Returns the effective config (with the modifiers applied) and the requirements frame.
    """
    modifiers = modifiers or Modifiers()
    effective = modifiers.apply_to_config(config)
    changed = modifiers.apply_to_forecast(forecast_frame)
    if risk is not None:
        return effective, risk_requirements(changed, effective, risk)
    return effective, requirements(changed, effective)


def plan_week(history: pd.DataFrame, config: Config, week_start: dt.date | None = None, *,
              agents: pd.DataFrame | None = None, modifiers: Modifiers | None = None,
              forecast_result: ForecastResult | None = None, progress: Progress | None = None,
              risk: float | None = None) -> Plan:
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
        Named agents (:func:`wfm.io.read_agents`), or None for generated ids.
    modifiers
        What-if changes applied to the forecast and the rules.
    forecast_result
        A forecast already made for this week (the dashboard caches it); made here when None.
    progress
        Called with ``(stage, message)`` as stages start.
    risk
        Staff every queue interval to meet its target with at least this probability (0.5 to 0.999), given the
        forecast's band; None staffs for the expected volume.
    """
    modifiers = modifiers or Modifiers()
    week_start = week_start or week_after(history)
    if week_start.weekday() != 0:
        raise ConfigError(f"week_start: {week_start} is a {week_start:%A}; a planning week starts on a Monday")
    if forecast_result is not None:
        check_channels(history, config)
    stages = _Stages(progress)
    made = forecast_result or stages.run("forecast", f"forecasting {week_label(week_start)}",
                                         lambda: forecast_week(history, config, week_start))
    effective, required = stages.run("staffing", "sizing agents per interval",
                                     lambda: staff_week(made.frame, config, modifiers, risk=risk))
    say = (lambda message: progress("schedule", message)) if progress else None  # the solver's own steps
    schedule = stages.run("schedule", "solving shifts and roster",
                          lambda: solve_schedule(required, effective, agents=agents, progress=say))
    projection = stages.run("projection", "projecting service level",
                            lambda: project_service(required, schedule.coverage, effective))
    odds = stages.run("risk", "probability of meeting the targets",
                      lambda: interval_risk(modifiers.apply_to_forecast(made.frame), projection, effective))
    summary = summarise(week_start, made, required, schedule, projection, effective, stages.seconds,
                        risk=odds, risk_level=risk)
    return Plan(config=effective, modifiers=modifiers, forecast=made, requirements=required, schedule=schedule,
                projection=projection, summary=summary, interval_risk=odds, risk=risk)


def holidays_between(config: Config, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Public holidays of the config's country and region between two days (the forecast's own calendar)."""
    settings = config.forecast
    if not settings.country:
        return {}
    names = country_holidays(settings.country, settings.region, range(first.year, last.year + 1))
    return {day: name for day, name in sorted(names.items()) if first <= day <= last}
