"""Invariants on random small problems: coverage follows from the roster, the bound holds, no shift lost."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling import solve_schedule
from tests.scheduling.conftest import (
    make_config,
    make_requirements,
    paid_hours_by_agent,
    recompute_coverage,
    recount_hours,
)

LUNCH = {"lunch": {"minutes": 30, "min_shift_hours": 3, "earliest_after_hours": 1, "latest_after_hours": 2.5}}
CONFIG = make_config([{"name": "flex", "earliest_start": "06:00", "latest_start": "18:00", "lengths_hours": [2, 4],
                       "cost_per_hour": 12.0, "breaks": ["lunch"]}], interval_minutes=30, breaks=LUNCH,
                     solver={"gap": 0.0, "time_limit_seconds": 10})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(need=st.lists(st.integers(min_value=0, max_value=6), min_size=4, max_size=20),
       start_slot=st.integers(min_value=12, max_value=20))
def test_coverage_follows_from_the_roster(need, start_slot):
    start = f"2026-01-05 {start_slot // 2:02d}:{30 * (start_slot % 2):02d}"
    requirements = make_requirements(start, need, interval_minutes=30)
    result = solve_schedule(requirements, CONFIG)
    covered = recompute_coverage(result, 30)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert (covered["under"] == (covered["required"] - covered["scheduled"]).clip(lower=0)).all()
    assert result.summary.under_agent_hours == 0  # templates reach every interval from 06:00 to 22:00
    assert result.summary.solver.bound <= result.summary.solver.objective + 1e-6
    assert result.summary.shifts == len(result.roster) and result.unassigned.empty
    # Hours recounted from the input requirement and the roster and breaks, never from the summary.
    paid = paid_hours_by_agent(result, unpaid={"lunch"}).sum()
    assert result.summary.paid_hours == pytest.approx(paid)
    assert result.summary.cost == pytest.approx(12.0 * paid)
    hours = recount_hours(result, requirements, 30)
    assert hours["required"] == sum(need) / 2
    summary = result.summary
    assert (summary.required_agent_hours, summary.scheduled_agent_hours, summary.under_agent_hours,
            summary.over_agent_hours) == pytest.approx(
        (hours["required"], hours["scheduled"], hours["under"], hours["over"]))
    if hours["required"]:
        assert summary.efficiency == pytest.approx(1 - (hours["over"] + hours["under"]) / hours["required"])
        assert summary.coverage == pytest.approx(1 - hours["under"] / hours["required"])
