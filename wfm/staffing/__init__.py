"""Staffing: Erlang B/C/A queue maths, chat concurrency, deferred work, shrinkage, requirements and projection.

Hours follow one vocabulary everywhere: *productive* agent-hours are the agents a queue needs (``agents``),
*required* agent-hours add shrinkage (``scheduled_agents``: what must be scheduled), *scheduled* agent-hours
are agents on shift net of breaks (a schedule's coverage), *paid* hours are the shifts' paid time.
"""

from wfm.staffing.erlang import (
    QueueMetrics,
    erlang_b,
    erlang_c,
    offered_load,
    queue_metrics,
    required_agents,
    scheduled_agents,
)
from wfm.staffing.interval import IntervalSizing, size_interval
from wfm.staffing.projection import agent_hours, project_service, staffing_by_channel, weighted_mean
from wfm.staffing.requirements import deferred_agents, requirements

__all__ = [
    "IntervalSizing",
    "agent_hours",
    "QueueMetrics",
    "deferred_agents",
    "erlang_b",
    "erlang_c",
    "offered_load",
    "project_service",
    "queue_metrics",
    "required_agents",
    "requirements",
    "scheduled_agents",
    "size_interval",
    "staffing_by_channel",
    "weighted_mean",
]
