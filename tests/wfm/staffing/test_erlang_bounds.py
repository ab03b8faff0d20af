"""Issue 12, H1 and S4: every Erlang input is bounded, so sizing never hangs and never sizes an infinite target."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from wfm.errors import InputError
from wfm.staffing import queue_metrics, required_agents, size_interval
from wfm.staffing.erlang import MAX_ERLANGS


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: before the bounds, these inputs never returned."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


Size = Callable[[], object]
CLASSIC = {"calls": 100.0, "aht_seconds": 180.0, "interval_minutes": 30.0, "service_level": 0.8,
           "answer_seconds": 20.0}


def sized(**changes: float) -> object:
    return size_interval(**{**CLASSIC, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"calls": 1e17}, "calls", r"calls 1e\+17 with this aht_seconds and interval_minutes is an offered load of "
                               r"1e\+16 Erlangs, above the maximum of 1,000,000 Erlangs in one interval; check the "
                               r"units"),
    ({"calls": 9.1e16}, "calls", r"above the maximum of 1,000,000 Erlangs"),
    ({"interval_minutes": 1e-300}, "interval_minutes", r"interval_minutes must be between 1 and 1440 \(a day\), "
                                                       r"got 1e-300"),
    ({"interval_minutes": 2000}, "interval_minutes", r"must be between 1 and 1440"),
    ({"aht_seconds": 1e300}, "aht_seconds", r"aht_seconds must be at most 86400 \(a day\), got 1e\+300"),
    ({"answer_seconds": np.inf}, "answer_seconds", r"answer_seconds must be finite and at most 86400 \(a day\), "
                                                   r"got inf"),
    ({"patience_seconds": np.inf}, "patience_seconds", r"patience_seconds must be finite and at most 1e\+09 "
                                                       r"\(longer patience is Erlang C: leave it out\), got inf"),
    ({"calls": np.inf}, "calls", r"calls must be a finite number of contacts, got inf"),
    ({"calls": np.nan}, "calls", r"calls must be >= 0, got nan"),
    ({"concurrency": 1000}, "concurrency", r"concurrency must be at most 100 contacts at once, got 1000"),
    ({"agents": 10**11}, "agents", r"agents must be at most 10,000,000 in one interval"),
    ({"max_occupancy": 1e-9}, "max_occupancy", r"max_occupancy needs 10,000,000,000 agents in one interval, more "
                                               r"than the 10,000,000 wfm sizes, got 1e-09"),
])
def test_out_of_range_input_is_refused_at_once(changes: dict[str, float], field: str, message: str) -> None:
    with within(20), pytest.raises(InputError, match=message) as caught:
        sized(**changes)
    assert caught.value.field == field


def test_the_largest_load_is_still_sized_exactly() -> None:
    with within(20):
        agents = required_agents(MAX_ERLANGS * 10, 180, 30, 0.8, 20)
        assert MAX_ERLANGS < agents < MAX_ERLANGS + 200
        assert float(queue_metrics(agents, MAX_ERLANGS * 10, 180, 30, 20).service_level) >= 0.8
        assert required_agents(MAX_ERLANGS * 10, 180, 30, 0.8, 20, patience_seconds=300) < agents


def test_vectors_name_the_offending_load() -> None:
    with pytest.raises(InputError, match=r"calls 2e\+07 with this aht_seconds"):
        required_agents(np.array([10.0, 2e7, 5.0]), 180, 30, 0.8, 20)


def test_erlang_a_with_a_day_of_patience_and_a_strict_target_terminates() -> None:
    with within(30):
        assert required_agents(16666, 1800, 30, 1 - 1e-16, 86400, patience_seconds=86400) > 16666
