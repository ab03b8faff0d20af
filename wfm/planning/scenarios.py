"""Staffing scenarios: a named base config plus what-if modifiers, evaluated on a forecast week and stored.

Evaluating a scenario recomputes the requirements (fast: staffing only) and, on request, solves the
schedule. Its figures are what leadership compares side by side: required and scheduled FTE, paid hours,
cost, projected service level and occupancy, under-coverage.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from scheduling import ScheduleResult, solve_schedule
from wfm.config import Config, config_to_toml_dict, parse_config
from wfm.planning.comparison import ScenarioFigures, stored_figures
from wfm.planning.plan import Plan, staff_week
from wfm.planning.store import ScenarioRecord, Store
from wfm.planning.whatif import Modifiers
from wfm.staffing import agent_hours, project_service, weighted_mean
from wfm.weeks import week_label


def _cheapest_cost(config: Config) -> dict[str, float]:
    """Cheapest cost per paid hour of each group's shift templates."""
    costs: dict[str, float] = {}
    for shift in config.shifts:
        costs[shift.group] = min(costs.get(shift.group, math.inf), shift.cost_per_hour)
    return costs


def _queue_rows(frame: pd.DataFrame, config: Config) -> pd.Series:
    return frame["channel"].map(lambda c: config.channels[c].is_queue).astype(bool)


def _staffing_figures(required: pd.DataFrame, config: Config) -> dict[str, Any]:
    hours = config.interval_minutes / 60
    scheduled_hours = required["scheduled_agents"] * hours
    totals = agent_hours(required, config.interval_minutes)
    queue = _queue_rows(required, config)
    busy = required["volume"] * required["aht_seconds"]
    return {
        **totals, "required_fte": totals["required_agent_hours"] / config.fte_hours_per_week,
        "projected_service_level": weighted_mean(required["service_level"][queue], required["volume"][queue]),
        "projected_occupancy": weighted_mean(required["occupancy"][queue], busy[queue]),
        "cost": float((scheduled_hours * required["channel"].map(config.group_of).map(_cheapest_cost(config))
                       .fillna(0.0)).sum()),
        "cost_basis": "estimate",
        "week": week_label(required["interval_start"].min().date()) if len(required) else None,
    }


def evaluate(forecast_frame: pd.DataFrame, config: Config, modifiers: Modifiers | None = None, *,
             solve: bool = False, agents: pd.DataFrame | None = None) -> ScenarioFigures:
    """Figures of a scenario on a forecast week: staffing always, the schedule when ``solve`` is true."""
    effective, required = staff_week(forecast_frame, config, modifiers)
    if not solve:
        return staffing_figures(required, effective)
    schedule = solve_schedule(required, effective, agents=agents)
    return _solved_figures(required, schedule, project_service(required, schedule.coverage, effective), effective)


def staffing_figures(required: pd.DataFrame, config: Config) -> ScenarioFigures:
    """Figures of requirements already sized with ``config`` (what :func:`evaluate` gives without solving)."""
    return ScenarioFigures(**_staffing_figures(required, config))


def figures_of(plan: Plan) -> ScenarioFigures:
    """The figures of a solved plan, as a scenario records them."""
    return _solved_figures(plan.requirements, plan.schedule, plan.projection, plan.config)


def _solved_figures(required: pd.DataFrame, schedule: ScheduleResult, projection: pd.DataFrame, config: Config,
                    ) -> ScenarioFigures:
    s = schedule.summary
    queue = _queue_rows(projection, config)
    busy = required["volume"] * required["aht_seconds"]  # the projection keeps the requirements' rows and index
    figures = _staffing_figures(required, config) | {
        "cost": s.cost, "cost_basis": "schedule", "paid_hours": s.paid_hours,
        "scheduled_fte": s.paid_hours / config.fte_hours_per_week, "under_agent_hours": s.under_agent_hours,
        "coverage": s.coverage, "solver_status": s.solver.status,
        "projected_service_level": weighted_mean(projection["service_level"][queue], projection["volume"][queue]),
        "projected_occupancy": weighted_mean(projection["occupancy"][queue], busy[queue]),
    }
    return ScenarioFigures(**figures)


def save(store: Store, name: str, config: Config, modifiers: Modifiers, figures: ScenarioFigures | None,
         description: str = "") -> ScenarioRecord:
    """Store a scenario (its name is unique: saving an existing name updates it)."""
    return store.save_scenario(name, config_to_toml_dict(config), modifiers.to_dict(),
                               figures.to_dict() if figures else None, description=description)


def load(record: ScenarioRecord) -> tuple[Config, Modifiers, ScenarioFigures | None]:
    """A stored scenario's config, modifiers and figures."""
    config = parse_config(record.base_config, source=f"scenario {record.name!r}")
    return config, Modifiers.from_dict(record.modifiers), stored_figures(record)
