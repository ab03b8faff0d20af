"""One interval sized end to end: the agents a load needs, what they deliver, and what to schedule.

The single-interval calculator of the command line (``wfm erlang``) and of the dashboard both call
:func:`size_interval`, so they agree to the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfm.staffing.erlang import queue_metrics, required_agents, scheduled_agents


@dataclass(frozen=True)
class IntervalSizing:
    """One interval's staffing.

    ``agents`` are productive agents (sized to the target, or as given); ``scheduled_agents`` add shrinkage.
    ``asa_seconds`` is inf for an unstable queue; ``p_abandon`` is 0 under Erlang C.
    """

    erlangs: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_seconds: float
    p_wait: float
    occupancy: float
    p_abandon: float
    erlang_a: bool


def size_interval(calls: float, aht_seconds: float, interval_minutes: float, service_level: float,
                  answer_seconds: float, *, max_occupancy: float = 1.0, shrinkage: float = 0.0,
                  patience_seconds: float | None = None, concurrency: int = 1,
                  agents: int | None = None) -> IntervalSizing:
    """Size one interval with Erlang C (Erlang A with ``patience_seconds``), or assess a given headcount.

    Parameters
    ----------
    calls, aht_seconds, interval_minutes
        The load: contacts offered in an interval of that length, and their mean handle time.
    service_level, answer_seconds
        The target: this share answered within ``answer_seconds``.
    max_occupancy, shrinkage
        Occupancy cap; share of paid time unavailable (turns productive into scheduled agents).
    patience_seconds, concurrency
        Mean patience (switches to Erlang A); contacts an agent handles at once (chat).
    agents
        Assess this many productive agents instead of sizing.

    Raises
    ------
    InputError
        Naming the argument that is out of range.

    Examples
    --------
    >>> sized = size_interval(100, 180, 30, 0.8, 20, shrinkage=0.3)
    >>> sized.agents, sized.scheduled_agents
    (14, 20)
    """
    needed = required_agents(calls, aht_seconds, interval_minutes, service_level, answer_seconds, max_occupancy,
                             patience_seconds=patience_seconds, concurrency=concurrency)
    count = int(needed) if agents is None else agents
    metrics = queue_metrics(count, calls, aht_seconds, interval_minutes, answer_seconds,
                            patience_seconds=patience_seconds, concurrency=concurrency)
    return IntervalSizing(erlangs=float(metrics.erlangs), agents=count,
                          scheduled_agents=int(scheduled_agents(count, shrinkage)),
                          service_level=float(metrics.service_level), asa_seconds=float(metrics.asa_seconds),
                          p_wait=float(metrics.p_wait), occupancy=float(metrics.occupancy),
                          p_abandon=float(metrics.p_abandon), erlang_a=patience_seconds is not None)
