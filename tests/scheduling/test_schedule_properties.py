"""Invariants on random small problems: coverage follows from the roster, the bound holds, no shift lost."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling import solve_schedule
from tests.scheduling.conftest import make_config, make_requirements, recompute_coverage

LUNCH = {"lunch": {"minutes": 30, "min_shift_hours": 3, "earliest_after_hours": 1, "latest_after_hours": 2.5}}
CONFIG = make_config([{"name": "flex", "earliest_start": "06:00", "latest_start": "18:00", "lengths_hours": [2, 4],
                       "cost_per_hour": 12.0, "breaks": ["lunch"]}], interval_minutes=30, breaks=LUNCH,
                     solver={"gap": 0.0, "time_limit_seconds": 10})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(need=st.lists(st.integers(min_value=0, max_value=6), min_size=4, max_size=20),
       start_slot=st.integers(min_value=12, max_value=20))
def test_coverage_follows_from_the_roster(need, start_slot):
    start = f"2026-01-05 {start_slot // 2:02d}:{30 * (start_slot % 2):02d}"
    result = solve_schedule(make_requirements(start, need, interval_minutes=30), CONFIG)
    covered = recompute_coverage(result, 30)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert (covered["under"] == (covered["required"] - covered["scheduled"]).clip(lower=0)).all()
    assert result.summary.under_agent_hours == 0  # templates reach every interval from 06:00 to 22:00
    assert result.summary.solver.bound <= result.summary.solver.objective + 1e-6
    assert result.summary.shifts == len(result.roster) and result.unassigned.empty
    assert result.summary.paid_hours == pytest.approx(result.roster["paid_hours"].sum())
    assert result.summary.cost == pytest.approx(12.0 * result.summary.paid_hours)
    required = sum(need) / 2
    if required:
        assert result.summary.efficiency == pytest.approx(
            1 - (result.summary.over_agent_hours + result.summary.under_agent_hours) / required)
