"""The long-term capacity plan: history + config + agents -> required FTE per group and week -> hiring plan.

Demand: a long-range forecast (:func:`forecasting.longrange.long_range_forecast`) under what-if modifiers, sized
interval by interval with the weekly plan's staffing code (:func:`wfm.staffing.requirements`, shrinkage
included); a group's required FTE in a week is its required agent-hours (:func:`wfm.staffing.agent_hours`) over
``fte_hours_per_week``. It counts no scheduling loss: shifts never fit the curve exactly, so a real roster
needs somewhat more. Supply and the hiring plan: :mod:`wfm.capacity`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecasting.longrange import LongRangeForecast, long_range_forecast
from wfm.capacity import HiringPlan, current_fte, plan_hiring
from wfm.capacity.hiring import HIRING_RULES, LEAD_TIME
from wfm.config import Config, config_to_toml_dict, parse_config
from wfm.errors import ConfigError, DataError
from wfm.planning.plan import check_channels
from wfm.planning.whatif import Modifiers
from wfm.staffing import agent_hours, requirements
from wfm.weeks import week_after, week_label


@dataclass(frozen=True)
class CapacitySummary:
    """The headline figures of a capacity plan (``capacity_summary.json``, the CLI line, the dashboard).

    Money is in ``currency``; FTE-weeks are FTE short summed over weeks. ``status`` is ``"covered"`` only when no
    week of any group is short; otherwise ``"short"`` and ``message`` says where, by how much and why.
    """

    first_week: str
    last_week: str
    weeks: int
    currency: str
    status: str
    solver_status: str
    message: str
    total_cost: float
    salary_cost: float
    hiring_cost: float
    overtime_cost: float
    hires: dict[str, int]
    short_fte_weeks: float
    short_fte_weeks_lead_time: float
    short_fte_weeks_hiring_rules: float
    short_weeks: list[dict[str, Any]]
    first_productive_week: str | None
    forecast_methods: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CapacityPlan:
    """A capacity plan: the effective config, its forecast, the weekly plan (:data:`wfm.capacity.CAPACITY_COLUMNS`)
    and the summary."""

    config: Config
    modifiers: Modifiers
    forecast: LongRangeForecast
    weekly: pd.DataFrame
    summary: CapacitySummary


#: Keys of ``[capacity]`` a what-if may change, and ``monthly_attrition`` (applied to every staff group).
CAPACITY_WHATIFS = ("lead_time_weeks", "training_weeks", "min_class_size", "max_class_size", "max_classes_per_month",
                    "overtime_fraction", "hiring_cost", "shortage_cost_per_fte_week", "monthly_attrition")


def with_capacity(config: Config, changes: Mapping[str, Any], source: str = "capacity what-if") -> Config:
    """The config with ``[capacity]`` keys changed (``monthly_attrition`` sets every group's), validated again.

    Raises
    ------
    ConfigError
        An unknown key or a bad value, e.g. ``capacity what-if: capacity.max_class_size: must be >= ...``.
    """
    unknown = sorted(set(changes) - set(CAPACITY_WHATIFS))
    if unknown:
        raise ConfigError(f"{source}: {unknown[0]}: unknown capacity what-if; known: {', '.join(CAPACITY_WHATIFS)}")
    data = config_to_toml_dict(config)
    section = data.setdefault("capacity", {})
    for key, value in changes.items():
        if key == "monthly_attrition":
            groups = section.setdefault("groups", {})
            for name in config.groups:
                groups.setdefault(name, {})["monthly_attrition"] = value
        else:
            section[key] = value
    return parse_config(data, source=source)


def salaries(config: Config) -> dict[str, float]:
    """Cost of one FTE for a week per staff group: ``salary_per_fte_week``, else ``fte_hours_per_week`` x the mean
    ``cost_per_hour`` of the group's shift templates.

    Raises
    ------
    ConfigError
        A group has neither a salary nor a shift template.
    """
    out = {}
    for name in config.groups:
        own = config.capacity.group(name).salary_per_fte_week
        rates = [shift.cost_per_hour for shift in config.shifts if shift.group == name]
        if own is None and not rates:
            raise ConfigError(f"capacity.groups.{name}.salary_per_fte_week: required, as group {name!r} has no shift "
                              "template to take a cost per hour from; set it (the cost of one FTE for a week)")
        out[name] = float(own) if own is not None else config.fte_hours_per_week * float(np.mean(rates))
    return out


def required_fte(required: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Required FTE per staff group and week (Monday) from interval requirements: required agent-hours (after
    shrinkage) over ``fte_hours_per_week``. Channels no group serves are left out."""
    frame = required.assign(group=required["channel"].map(config.group_of))
    frame = frame[frame["group"].notna()]
    local = frame["interval_start"].dt.tz_convert(config.zone)
    frame = frame.assign(week=(local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")).dt.date)
    rows = [{"week": week, "group": group,
             "required_fte": agent_hours(part, config.interval_minutes)["required_agent_hours"]
             / config.fte_hours_per_week}
            for (week, group), part in frame.groupby(["week", "group"], sort=True)]
    return pd.DataFrame(rows, columns=["week", "group", "required_fte"])


def plan_capacity(history: pd.DataFrame, config: Config, agents: pd.DataFrame, *, weeks: int | None = None,
                  modifiers: Modifiers | None = None, start: dt.date | None = None) -> CapacityPlan:
    """Plan capacity for ``weeks`` weeks (default ``capacity.horizon_weeks``) from the week after the history.

    Parameters
    ----------
    history
        Validated history (:func:`wfm.io.read_history`).
    config
        The config; ``[capacity]`` holds the hiring rules, attrition and costs.
    agents
        The current agents (:func:`wfm.io.read_agents`); their ``max_hours`` are their contract hours.
    weeks
        Horizon in weeks, 1 to ``MAX_CAPACITY_WEEKS`` (78).
    modifiers
        What-ifs on volume, handle time and targets (as for a week's plan).
    start
        First Monday; default the week after the history ends.

    Raises
    ------
    ConfigError
        A bad horizon, start or what-if; a group without a salary.
    DataError
        History too short or without contacts for a channel.
    """
    modifiers = modifiers or Modifiers()
    weeks = weeks if weeks is not None else config.capacity.horizon_weeks
    if weeks != config.capacity.horizon_weeks:
        config = with_capacity_horizon(config, weeks)
    effective = modifiers.apply_to_config(config)
    if not effective.groups:
        raise ConfigError("groups: a capacity plan needs staff groups; add [groups.NAME] with their channels")
    start = start or week_after(history)
    if start.weekday() != 0:
        raise ConfigError(f"start: {start} is a {start:%A}; a capacity plan starts on a Monday")
    check_channels(history, effective)
    served = [c for c in effective.channels if effective.group_of(c) is not None]
    demand = history[history["channel"].isin(served)]
    if demand.empty:
        raise DataError("history: no rows for any channel a staff group serves; add their history")
    made = long_range_forecast(demand, effective, weeks=weeks, start=start)
    required = requirements(modifiers.apply_to_forecast(made.frame), effective)
    needed = required_fte(required, effective)
    groups = list(effective.groups)
    mondays = [start + dt.timedelta(weeks=i) for i in range(weeks)]
    grid = pd.MultiIndex.from_product([mondays, groups], names=["week", "group"])
    needed = needed.set_index(["week", "group"]).reindex(grid, fill_value=0.0).reset_index()
    plan = plan_hiring(needed, current_fte(agents, groups, effective.fte_hours_per_week), effective.capacity,
                       salaries(effective), time_limit_seconds=effective.solver.time_limit_seconds,
                       gap=effective.solver.gap, backend="highs" if effective.solver.backend == "highs" else "cbc")
    return CapacityPlan(config=effective, modifiers=modifiers, forecast=made, weekly=plan.frame,
                        summary=summarise_capacity(plan, effective, made, mondays))


def with_capacity_horizon(config: Config, weeks: int) -> Config:
    """The config with ``capacity.horizon_weeks`` set (validated: 1 to 78)."""
    data = config_to_toml_dict(config)
    data.setdefault("capacity", {})["horizon_weeks"] = weeks
    return parse_config(data, source="options")


def summarise_capacity(plan: HiringPlan, config: Config, made: LongRangeForecast,
                       mondays: list[dt.date]) -> CapacitySummary:
    """The headline figures and an honest sentence about what is short, by how much, why and what would fix it."""
    frame = plan.frame
    short = frame[frame["gap_fte"] > 0]
    by_cause = short.groupby("gap_cause")["gap_fte"].sum()
    lead, rules = float(by_cause.get(LEAD_TIME, 0.0)), float(by_cause.get(HIRING_RULES, 0.0))
    first_productive = (week_label(mondays[plan.first_productive_week])
                        if plan.first_productive_week < len(mondays) else None)
    capacity = config.capacity
    if short.empty:
        message = f"every week of every group is covered ({len(mondays)} weeks)"
    else:
        parts = []
        if lead:
            parts.append(f"{lead:,.1f} FTE-weeks short before {first_productive or 'the end of the horizon'}, the "
                         f"first week a class decided now can work (lead time {capacity.lead_time_weeks} + training "
                         f"{capacity.training_weeks} weeks); only a shorter lead time, more overtime or faster "
                         "training would cover them")
        if rules:
            parts.append(f"{rules:,.1f} FTE-weeks short later, left by the hiring rules or costs (class size, classes "
                         "per month, or a shortage cost below the cost of hiring); raise max_class_size or "
                         "max_classes_per_month, or shortage_cost_per_fte_week")
        message = "; ".join(parts)
    return CapacitySummary(
        first_week=week_label(mondays[0]), last_week=week_label(mondays[-1]), weeks=len(mondays),
        currency=config.currency, status="covered" if short.empty else "short", solver_status=plan.status,
        message=message, total_cost=float(frame["total_cost"].sum()), salary_cost=float(frame["salary_cost"].sum()),
        hiring_cost=float(frame["hiring_cost"].sum()), overtime_cost=float(frame["overtime_cost"].sum()),
        hires={str(g): int(n) for g, n in frame.groupby("group")["hires_starting"].sum().items()},
        short_fte_weeks=float(short["gap_fte"].sum()), short_fte_weeks_lead_time=lead,
        short_fte_weeks_hiring_rules=rules,
        short_weeks=[{"week": week_label(row.week), "group": row.group, "gap_fte": round(float(row.gap_fte), 3),
                      "cause": row.gap_cause} for row in short.itertuples()],
        first_productive_week=first_productive,
        forecast_methods=[{k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                          for row in made.methods.to_dict("records")])
