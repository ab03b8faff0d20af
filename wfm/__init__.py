"""wfm: workforce-management planning for contact centers, as a library.

The public surface, importable from ``wfm`` directly (each name loads its module on first use, so importing
``wfm`` stays fast)::

    from wfm import read_history, load_config, forecast, requirements, solve_schedule, plan_week

    config = load_config("data/example.toml")
    history = read_history("data/sample_history.csv", config)
    plan = plan_week(history, config)              # forecast, staff, schedule, project the week
    plan.summary.paid_hours, plan.summary.coverage

==========================  ===========================================================================
``load_config``             read and validate a TOML config (:mod:`wfm.config`)
``read_history``            read and validate a history file (CSV or Parquet)
``read_agents``             read and validate a named-agents file
``forecast``                forecast volume and handle time per channel and interval
``requirements``            productive and scheduled agents per channel and interval
``required_agents``         the smallest headcount meeting a service level (Erlang C or A)
``scheduled_agents``        agents to schedule so that enough remain after shrinkage
``queue_metrics``           service level, ASA, occupancy, abandonment for a given headcount
``size_interval``           one interval sized end to end (the ``wfm erlang`` calculator)
``solve_schedule``          shifts, breaks and days off at least cost, rostered to agents
``plan_week``               the whole weekly plan, with its typed :class:`PlanSummary`
``Modifiers``               what-if changes to volume, handle time and rules
``WfmError``                base of every error a user can cause (``DataError``, ``ConfigError``, ...)
==========================  ===========================================================================
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forecasting import forecast
    from scheduling import solve_schedule
    from wfm.config import load_config
    from wfm.errors import ConfigError, DataError, InputError, WfmError
    from wfm.io import read_agents, read_history
    from wfm.planning.plan import Plan, plan_week
    from wfm.planning.summary import PlanSummary
    from wfm.planning.whatif import Modifiers
    from wfm.staffing import queue_metrics, required_agents, requirements, scheduled_agents, size_interval

#: Where each public name lives.
_HOMES = {
    "load_config": "wfm.config", "read_history": "wfm.io", "read_agents": "wfm.io", "forecast": "forecasting",
    "requirements": "wfm.staffing", "required_agents": "wfm.staffing", "scheduled_agents": "wfm.staffing",
    "queue_metrics": "wfm.staffing", "size_interval": "wfm.staffing", "solve_schedule": "scheduling",
    "plan_week": "wfm.planning.plan", "Plan": "wfm.planning.plan", "PlanSummary": "wfm.planning.summary",
    "Modifiers": "wfm.planning.whatif", "WfmError": "wfm.errors", "ConfigError": "wfm.errors",
    "DataError": "wfm.errors", "InputError": "wfm.errors",
}

__all__ = [
    "ConfigError", "DataError", "InputError", "Modifiers", "Plan", "PlanSummary", "WfmError", "forecast",
    "load_config", "plan_week", "queue_metrics", "read_agents", "read_history", "required_agents", "requirements",
    "scheduled_agents", "size_interval", "solve_schedule",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wfm' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
