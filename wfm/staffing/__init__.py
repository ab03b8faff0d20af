"""Staffing: Erlang B/C/A queue maths, chat concurrency, deferred work, shrinkage and requirements."""

from wfm.staffing.erlang import (
    QueueMetrics,
    erlang_b,
    erlang_c,
    offered_load,
    queue_metrics,
    required_agents,
    scheduled_agents,
)
from wfm.staffing.requirements import deferred_agents, requirements

__all__ = [
    "QueueMetrics",
    "erlang_b",
    "erlang_c",
    "offered_load",
    "queue_metrics",
    "required_agents",
    "scheduled_agents",
    "deferred_agents",
    "requirements",
]
