"""Staffing scenarios: a named base config plus what-if modifiers, evaluated on a forecast week and stored.

Evaluating a scenario recomputes the requirements (fast: staffing only) and, on request, solves the
schedule. Its figures are what leadership compares side by side: required and scheduled FTE, paid hours,
cost, projected service level and occupancy, under-coverage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import pandas as pd

from scheduling import ScheduleResult, solve_schedule
from wfm.config import Config, config_to_toml_dict, parse_config
from wfm.errors import ConfigError
from wfm.plain import to_plain
from wfm.planning.plan import Plan, staff_week
from wfm.planning.store import ScenarioRecord, Store
from wfm.planning.whatif import Modifiers
from wfm.staffing import project_service, weighted_mean
from wfm.weeks import week_label

#: At most this many scenarios are compared side by side.
MAX_COMPARED = 4


@dataclass(frozen=True)
class ScenarioFigures:
    """What a scenario delivers for a week (``week``, ISO, as ``2026-W47``).

    ``cost_basis`` says where cost comes from: ``"schedule"`` (a solved schedule) or ``"estimate"``
    (required hours at the cheapest shift cost of each group). Schedule-only figures are None until solved.
    Service level and occupancy are volume-weighted over the queue channels. Hours follow the vocabulary
    of :mod:`wfm.staffing`: ``productive_agent_hours`` are the agents the queues need, ``required_agent_hours``
    add shrinkage (``required_fte`` is them in full-time equivalents), ``paid_hours`` are the solved shifts'.
    """

    required_fte: float
    productive_agent_hours: float
    required_agent_hours: float
    projected_service_level: float
    projected_occupancy: float
    cost: float
    cost_basis: Literal["schedule", "estimate"]
    week: str | None = None
    scheduled_fte: float | None = None
    paid_hours: float | None = None
    under_agent_hours: float | None = None
    coverage: float | None = None
    solver_status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (NaN as null) for the store."""
        return dict(to_plain(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioFigures:
        """Figures back from stored plain data (of this or an earlier version: a figure it lacks is NaN)."""
        data = dict(data)
        if "productive_agent_hours" not in data:  # before 0.2, required_agent_hours held the productive hours
            data["productive_agent_hours"] = data.pop("required_agent_hours", None)
        known = {f.name for f in fields(cls)}  # figures stored by another version may have more keys
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        values |= {k: math.nan for k in _ALWAYS if values.get(k) is None}
        return cls(**values)


_ALWAYS = {"required_fte", "productive_agent_hours", "required_agent_hours", "projected_service_level",
           "projected_occupancy", "cost"}


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
    queue = _queue_rows(required, config)
    busy = required["volume"] * required["aht_seconds"]
    return {
        "required_fte": float(scheduled_hours.sum()) / config.fte_hours_per_week,
        "productive_agent_hours": float((required["agents"] * hours).sum()),
        "required_agent_hours": float(scheduled_hours.sum()),
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
        return ScenarioFigures(**_staffing_figures(required, effective))
    schedule = solve_schedule(required, effective, agents=agents)
    return _solved_figures(required, schedule, project_service(required, schedule.coverage, effective), effective)


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
    figures = ScenarioFigures.from_dict(dict(record.results)) if record.results else None
    return config, Modifiers.from_dict(record.modifiers), figures


COMPARED_FIGURES = ("week", "required_fte", "scheduled_fte", "paid_hours", "cost", "cost_basis",
                    "projected_service_level", "projected_occupancy", "under_agent_hours")


def compare(records: Sequence[ScenarioRecord]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per figure (and the modifiers)."""
    if not 1 <= len(records) <= MAX_COMPARED:
        raise ConfigError(f"compare: give 1 to {MAX_COMPARED} scenarios, got {len(records)}")
    columns = {}
    for record in records:
        if not record.results:
            raise ConfigError(f"compare: scenario {record.name!r} has no results yet; evaluate it first")
        figures = ScenarioFigures.from_dict(dict(record.results)).to_dict()
        changes = ", ".join(f"{k}={v}" for k, v in sorted(record.modifiers.items())) or "none"
        columns[record.name] = {"modifiers": changes, **{k: figures.get(k) for k in COMPARED_FIGURES}}
    return pd.DataFrame(columns)
