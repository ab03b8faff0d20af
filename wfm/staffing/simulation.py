"""A discrete-event simulation of a multi-server FCFS queue with abandonment (M/M/N and M/M/N+M).

It is the independent check of the Erlang C and Erlang A formulas: exponential arrivals, handle times and
(optionally) patience; a caller who would wait longer than their patience hangs up without taking an agent.
Under FCFS a caller's start time depends only on earlier callers who were served, so the simulation keeps
just the agents' next-free times in a heap.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SimulatedQueue:
    """Measured outcomes of a simulated queue, over the calls after the warm-up."""

    calls: int
    service_level: float
    p_wait: float
    p_abandon: float
    asa_seconds: float
    occupancy: float


def simulate_queue(*, agents: int, erlangs: float, aht_seconds: float, answer_seconds: float,
                   patience_seconds: float | None = None, calls: int = 200_000, warmup_share: float = 0.05,
                   seed: int = 0) -> SimulatedQueue:
    """Simulate ``calls`` arrivals to ``agents`` servers offered ``erlangs`` of exponential work.

    The service level is the share of all (post warm-up) arrivals answered within ``answer_seconds``;
    abandons count against it. Standard error is about sqrt(p (1 - p) / calls) times a small
    autocorrelation factor.
    """
    if agents < 1 or erlangs <= 0:
        raise ValueError(f"need agents >= 1 and erlangs > 0, got {agents} and {erlangs:g}")
    rng = np.random.default_rng(seed)
    arrival_rate = erlangs / aht_seconds
    arrivals = np.cumsum(rng.exponential(1.0 / arrival_rate, calls))
    handle = rng.exponential(aht_seconds, calls)
    patience = (rng.exponential(patience_seconds, calls) if patience_seconds is not None
                else np.full(calls, np.inf))
    free_at = [0.0] * agents
    waits = np.empty(calls)
    served = np.zeros(calls, dtype=bool)
    for i in range(calls):
        start = max(arrivals[i], free_at[0])
        wait = start - arrivals[i]
        if wait <= patience[i]:
            heapq.heapreplace(free_at, start + handle[i])
            served[i] = True
            waits[i] = wait
        else:
            waits[i] = patience[i]
    first = int(calls * warmup_share)
    w, s = waits[first:], served[first:]
    span = arrivals[-1] - arrivals[first]
    busy = handle[first:][s].sum()
    return SimulatedQueue(
        calls=len(w),
        service_level=float(np.mean(s & (w <= answer_seconds))),
        p_wait=float(np.mean(w > 0)),
        p_abandon=float(np.mean(~s)),
        asa_seconds=float(w[s].mean()) if s.any() else float("nan"),
        occupancy=float(min(busy / (agents * span), 1.0)),
    )
