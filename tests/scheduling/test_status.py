"""The coverage status: never "optimal" while short; the binding reason and fix of hand-built cases; groups
solved separately cost what they cost together; time limits held."""

from __future__ import annotations

import math
import time

import pandas as pd
import pytest

from scheduling import CoverageStatus, solve_schedule
from scheduling.diagnose import weekdays_text
from scheduling.grid import group_requirements, make_grid
from scheduling.lp import LinearModel
from scheduling.model import build_model
from scheduling.solve import solve_model
from scheduling.status import coverage_status
from tests.scheduling.conftest import make_config, make_requirements
from wfm.config import parse_config
from wfm.contracts import frame_rows, validate_agents

NINE_TO_FIVE = {"name": "day", "earliest_start": "09:00", "latest_start": "09:00", "lengths_hours": [8],
                "cost_per_hour": 10.0}


def monday(agents: int) -> pd.DataFrame:
    """``agents`` required each hour of Monday 5 January 2026, 09:00-17:00."""
    return make_requirements("2026-01-05 09:00", [agents] * 8)


def test_a_short_schedule_the_solver_called_optimal_is_short_with_the_named_agents_as_reason() -> None:
    # Two agents needed 09:00-17:00 on Monday; the agents file has one. Before, the solver reported
    # "optimal" (the shortfall was a penalty inside the gap) and nothing said why.
    config = make_config([NINE_TO_FIVE])
    team = validate_agents(pd.DataFrame([{
        "agent_id": "A1", "group": "all", "min_hours": 0, "max_hours": 40, "days": "Mon Tue Wed Thu Fri",
        "available_from": "06:00", "available_to": "22:00", "preferred_start": ""}]),
        source="agents", groups=["all"], rows=frame_rows)
    result = solve_schedule(monday(2), config, agents=team)
    status = result.summary.status
    assert result.summary.solver.status == "optimal"  # the solver's word, about its own search
    assert (status.kind, status.short_agent_hours, status.short_intervals) == ("short", 8.0, 8)
    assert "named agents" in (status.reason or "")
    assert status.fix == "+1 agent in group 'all' available Mon 09:00-17:00"
    assert status.headline().startswith(
        "Short by 8.0 agent-hours in 8 intervals, because of the named agents of group 'all'")
    assert status.exit_code == 3


def test_a_headcount_cap_is_named_with_the_cap_that_would_cover() -> None:
    config = make_config([NINE_TO_FIVE], group={"headcount_cap": 2})
    status = solve_schedule(monday(3), config).summary.status
    assert (status.kind, status.short_agent_hours, status.short_intervals) == ("short", 8.0, 8)
    assert status.reason == "groups.all.headcount_cap (2)"
    assert status.fix == "raise groups.all.headcount_cap to 3"


def test_a_covered_schedule_is_covered_and_optimal() -> None:
    result = solve_schedule(monday(2), make_config([NINE_TO_FIVE]))
    status = result.summary.status
    assert (status.kind, status.short_agent_hours, status.exit_code) == ("covered_optimal", 0.0, 0)
    assert result.summary.cost == 2 * 8 * 10.0
    assert status.headline().startswith("Covered, cost optimal within 0.00%")


def test_status_words_follow_shortfall_first_then_gap() -> None:
    assert coverage_status(short_agent_hours=0, short_intervals=0, gap=0.004, gap_limit=0.01).kind == "covered_optimal"
    assert coverage_status(short_agent_hours=0, short_intervals=0, gap=0.02, gap_limit=0.01).kind == "covered_limit"
    short = coverage_status(short_agent_hours=1.5, short_intervals=2, gap=0.0, gap_limit=0.01)
    assert short.kind == "short" and not short.covered
    assert CoverageStatus.from_dict(short.to_dict()) == short
    assert weekdays_text([1, 2, 3, 4, 5]) == "Tue-Sat" and weekdays_text([0, 2]) == "Mon, Wed"


def two_group_config() -> tuple:
    config = parse_config({
        "timezone": "Europe/London", "interval_minutes": 60,
        "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20},
                     "chat": {"kind": "chat", "service_level": 0.8, "answer_seconds": 60}},
        "groups": {"phones": {"channels": ["voice"]}, "web": {"channels": ["chat"]}},
        "shifts": [{**NINE_TO_FIVE, "group": "phones", "start_step_minutes": 60, "breaks": []},
                   {"name": "short", "group": "web", "earliest_start": "09:00", "latest_start": "11:00",
                    "lengths_hours": [4, 8], "cost_per_hour": 10.0, "start_step_minutes": 60, "breaks": []}],
        "solver": {"gap": 0.0, "time_limit_seconds": 30}}, source="test")
    requirements = pd.concat([monday(1).assign(channel="voice"),
                              make_requirements("2026-01-05 10:00", [2] * 4).assign(channel="chat")])
    return config, requirements


def test_groups_solved_separately_cost_the_hand_optimum() -> None:
    # phones: one 8 h shift (80); web: two 4 h shifts 10:00-14:00 (80); nothing links the groups.
    config, requirements = two_group_config()
    messages: list[str] = []
    result = solve_schedule(requirements, config, progress=messages.append)
    assert any("solving 2 groups" in m for m in messages)
    assert result.summary.cost == 160.0 and result.summary.status.kind == "covered_optimal"
    assert result.summary.solver.lp_bound == pytest.approx(160.0)
    alone = [solve_schedule(requirements[requirements["channel"] == channel], config).summary.cost
             for channel in ("voice", "chat")]
    assert sum(alone) == 160.0


@pytest.mark.parametrize("backend", ["cbc", "highs"])
def test_no_solver_call_is_given_time_past_the_limit(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A week of 30-minute intervals with lunch breaks: thousands of integer variables, improved by day windows.
    # Each solver call may use at most what is left of the limit (1 s at least); the wall clock is not
    # asserted, as a loaded machine stretches it (bench/schedule.py measures it).
    config = make_config([{"name": "flex", "earliest_start": "06:00", "latest_start": "14:00",
                           "lengths_hours": [6, 8], "cost_per_hour": 10.0, "breaks": ["lunch"]}],
                         interval_minutes=30, breaks={"lunch": {"minutes": 30, "min_shift_hours": 6,
                                                                "earliest_after_hours": 2, "latest_after_hours": 5}})
    frames = [make_requirements(f"2026-01-{5 + d:02d} 07:00", [20 + (i * 7 + d * 3) % 13 for i in range(28)],
                                interval_minutes=30) for d in range(7)]
    requirements = pd.concat(frames, ignore_index=True)
    grid = make_grid(requirements, config)
    model = build_model(config, grid, group_requirements(requirements, config, grid))
    calls: list[tuple[float, float]] = []
    real = type(model.lp).solve

    def recording(self, chosen, **options):  # type: ignore[no-untyped-def]
        calls.append((time.perf_counter() - started, options["time_limit_seconds"]))
        return real(self, chosen, **options)

    monkeypatch.setattr(type(model.lp), "solve", recording)
    limit = 3.0
    started = time.perf_counter()
    report = solve_model(model, backend, time_limit_seconds=limit, gap=0.0)
    assert calls and all(given <= max(limit - at, 1.0) + 0.1 for at, given in calls)
    assert not math.isnan(report.first_covered_seconds)


def test_a_start_breaking_a_fixed_bound_is_judged_not_refused() -> None:
    """With coverage hard (shortfall fixed at 0), a rounded start that leaves an interval short must be set and
    found infeasible, so the search falls back to a penalty; pulp's own bound check raised instead (the sample
    week crashed with 'initial value 1.0 is greater than upBound 0.0')."""
    model = LinearModel("start")
    shifts, under = model.integer("shifts"), model.continuous("under")
    model.constrain("cover", {shifts: 1.0, under: 1.0}, ">=", 2.0)
    model.minimise([(shifts, 1.0), (under, 10.0)])
    model.fix({under: 0.0})
    model.set_values({shifts: 1.0, under: 1.0})
    assert not model.values_feasible()
    model.set_values({shifts: 2.0, under: 0.0})
    assert model.values_feasible()
