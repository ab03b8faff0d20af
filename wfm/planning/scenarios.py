"""Staffing scenarios: a named base config plus what-if modifiers, evaluated on a forecast week and stored.

Evaluating a scenario recomputes the requirements (fast: staffing only) and, on request, solves the
schedule. Its figures are what leadership compares side by side: required and scheduled FTE, paid hours,
cost, projected service level and occupancy, under-coverage, and the probabilities of meeting the targets.

A scenario's settings are its modifiers plus an optional ``risk``: staff every queue interval to meet its target
with at least that probability (:mod:`wfm.staffing.risk`). The risk is stored beside the modifiers, under the key
:data:`RISK_KEY` of the scenario's modifiers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from scheduling import ScheduleResult, solve_schedule
from wfm.config import Config, config_to_toml_dict, parse_config
from wfm.planning.comparison import ScenarioFigures, stored_figures
from wfm.planning.plan import Plan, staff_week
from wfm.planning.store import ScenarioRecord, Store
from wfm.planning.whatif import Modifiers
from wfm.staffing import agent_hours, project_service, weighted_mean
from wfm.staffing.risk import all_meet_probability, interval_risk
from wfm.weeks import week_label

#: The key of a stored scenario's modifiers that holds its risk setting.
RISK_KEY = "risk"


def _cheapest_cost(config: Config) -> dict[str, float]:
    """Cheapest cost per paid hour of each group's shift templates."""
    costs: dict[str, float] = {}
    for shift in config.shifts:
        costs[shift.group] = min(costs.get(shift.group, math.inf), shift.cost_per_hour)
    return costs


def _per_channel(frame: pd.DataFrame, value: Callable[[str], Any]) -> np.ndarray:
    """``value(channel)`` for each row, computed once per channel."""
    codes, names = pd.factorize(frame["channel"])
    return np.array([value(str(name)) for name in names])[codes] if len(names) else np.zeros(0)


def _queue_rows(frame: pd.DataFrame, config: Config) -> pd.Series:
    return pd.Series(_per_channel(frame, lambda c: config.channels[c].is_queue).astype(bool), index=frame.index)


def _staffing_figures(required: pd.DataFrame, config: Config) -> dict[str, Any]:
    """Figures of a requirements frame alone (no schedule): FTE, hours, service level, estimated cost."""
    hours = config.interval_minutes / 60
    totals = agent_hours(required, config.interval_minutes)
    queue = _queue_rows(required, config)
    busy = required["volume"] * required["aht_seconds"]
    costs = _cheapest_cost(config)
    cost_per_hour = _per_channel(required, lambda c: costs.get(config.group_of(c) or "", 0.0)).astype(float)
    return {
        **totals, "required_fte": totals["required_agent_hours"] / config.fte_hours_per_week,
        "projected_service_level": weighted_mean(required["service_level"][queue], required["volume"][queue]),
        "projected_occupancy": weighted_mean(required["occupancy"][queue], busy[queue]),
        "cost": float((required["scheduled_agents"].to_numpy() * hours * cost_per_hour).sum()),
        "cost_basis": "estimate",
        "week": week_label(required["interval_start"].min().date()) if len(required) else None,
    }


def risk_figures(forecast_frame: pd.DataFrame, staffed: pd.DataFrame, config: Config) -> dict[str, float]:
    """Probabilities of meeting the queue targets with the ``agents`` of ``staffed`` (a requirements or projection
    frame), over all queue channels: ``target_probability`` (the lowest interval's), ``week_probability`` (every
    interval of the week) and ``expected_service_level`` (volume-weighted)."""
    risk = interval_risk(forecast_frame, staffed, config)
    busy = risk[risk["volume"] > 0]
    if busy.empty:
        return {"target_probability": math.nan, "week_probability": math.nan, "expected_service_level": math.nan}
    return {"target_probability": float(busy["p_meet"].min()), "week_probability": all_meet_probability(risk),
            "expected_service_level": weighted_mean(busy["expected_service_level"], busy["volume"])}


def evaluate(forecast_frame: pd.DataFrame, config: Config, modifiers: Modifiers | None = None, *,
             solve: bool = False, agents: pd.DataFrame | None = None, risk: float | None = None) -> ScenarioFigures:
    """Figures of a scenario on a forecast week: staffing always, the schedule when ``solve`` is true.

    ``risk`` staffs every queue interval to meet its target with at least that probability.
    """
    modifiers = modifiers or Modifiers()
    effective, required = staff_week(forecast_frame, config, modifiers, risk=risk)
    changed = modifiers.apply_to_forecast(forecast_frame)
    if not solve:
        return ScenarioFigures(**(_staffing_figures(required, effective) | risk_figures(changed, required, effective)))
    schedule = solve_schedule(required, effective, agents=agents)
    projection = project_service(required, schedule.coverage, effective)
    return _solved_figures(required, schedule, projection, effective, risk_figures(changed, projection, effective))


def staffing_figures(required: pd.DataFrame, config: Config) -> ScenarioFigures:
    """Figures of requirements already sized with ``config`` (what :func:`evaluate` gives without solving)."""
    return ScenarioFigures(**_staffing_figures(required, config))


def figures_of(plan: Plan) -> ScenarioFigures:
    """The figures of a solved plan, as a scenario records them."""
    odds = risk_figures(plan.modifiers.apply_to_forecast(plan.forecast.frame), plan.projection, plan.config)
    return _solved_figures(plan.requirements, plan.schedule, plan.projection, plan.config, odds)


def _solved_figures(required: pd.DataFrame, schedule: ScheduleResult, projection: pd.DataFrame, config: Config,
                    odds: dict[str, float]) -> ScenarioFigures:
    s = schedule.summary
    queue = _queue_rows(projection, config)
    busy = required["volume"] * required["aht_seconds"]  # the projection keeps the requirements' rows and index
    figures = _staffing_figures(required, config) | {
        "cost": s.cost, "cost_basis": "schedule", "paid_hours": s.paid_hours,
        "scheduled_fte": s.paid_hours / config.fte_hours_per_week, "under_agent_hours": s.under_agent_hours,
        "coverage": s.coverage, "solver_status": s.solver.status,
        "projected_service_level": weighted_mean(projection["service_level"][queue], projection["volume"][queue]),
        "projected_occupancy": weighted_mean(projection["occupancy"][queue], busy[queue]),
    } | odds
    return ScenarioFigures(**figures)


def save(store: Store, name: str, config: Config, modifiers: Modifiers, figures: ScenarioFigures | None,
         description: str = "", *, risk: float | None = None) -> ScenarioRecord:
    """Store a scenario (its name is unique: saving an existing name updates it), with its risk setting."""
    settings = modifiers.to_dict() | ({RISK_KEY: risk} if risk is not None else {})
    return store.save_scenario(name, config_to_toml_dict(config), settings,
                               figures.to_dict() if figures else None, description=description)


def load(record: ScenarioRecord) -> tuple[Config, Modifiers, ScenarioFigures | None]:
    """A stored scenario's config, modifiers and figures (its risk setting: :func:`risk_of`)."""
    config = parse_config(record.base_config, source=f"scenario {record.name!r}")
    modifiers = {k: v for k, v in record.modifiers.items() if k != RISK_KEY}
    return config, Modifiers.from_dict(modifiers), stored_figures(record)


def risk_of(record: ScenarioRecord) -> float | None:
    """The probability a stored scenario staffs its queue intervals to, or None (staffed for the expected volume)."""
    value = record.modifiers.get(RISK_KEY)
    return None if value is None else float(value)
