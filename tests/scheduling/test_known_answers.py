"""Known optima from textbooks: the post office (Winston) and Union Airways (Hillier & Lieberman)."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling import solve_schedule
from tests.scheduling.conftest import make_config, make_requirements, paid_hours_by_agent, recount_hours

POST_OFFICE_DEMAND = [17, 13, 15, 19, 14, 16, 11]  # Monday to Sunday


def post_office_requirements() -> pd.DataFrame:
    frames = [make_requirements(f"2026-01-{5 + day:02d} 09:00", [need]) for day, need in enumerate(POST_OFFICE_DEMAND)]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_post_office_needs_23_staff(post_office_config, solver):
    result = solve_schedule(post_office_requirements(), post_office_config, solver=solver)
    summary = result.summary
    assert summary.agents == 23
    assert summary.cost == pytest.approx(23.0)
    assert summary.solver.status == "optimal"
    # The proven bound lies between the LP relaxation (22.33, Winston) and the objective (23 plus tie-breaks).
    assert 22.333 - 0.01 <= summary.solver.bound <= summary.solver.objective
    assert summary.unmet_intervals == 0
    # 23 clerks work 5 one-hour shifts: 115 hours against 105 demanded, so any optimum is 10 hours over.
    assert result.roster["agent_id"].nunique() == 23 and len(result.roster) == 115
    assert paid_hours_by_agent(result, unpaid=set()).sum() == pytest.approx(115.0)
    hours = recount_hours(result, post_office_requirements(), 60)
    assert (hours["required"], hours["scheduled"], hours["under"], hours["over"]) == (105, 115, 0, 10)
    assert (summary.required_agent_hours, summary.scheduled_agent_hours, summary.over_agent_hours,
            summary.under_agent_hours) == (105, 115, 10, 0)
    assert summary.efficiency == pytest.approx(1 - 10 / 105)
    on_duty = result.roster.groupby(result.roster["date"].map(lambda d: d.weekday())).size()
    assert all(on_duty[day] >= need for day, need in enumerate(POST_OFFICE_DEMAND))
    # No proven bound is weaker than the LP relaxation, so the gap is at most (23 - 22 1/3) / 23.
    assert 0 <= summary.solver.gap <= (23 - 67 / 3) / 23 + 1e-3
    # Every clerk works 5 consecutive days (the week wraps around).
    days = result.roster.groupby("agent_id")["date"].apply(lambda d: sorted(x.weekday() for x in d))
    for worked in days:
        assert len(worked) == 5
        off = sorted(set(range(7)) - set(worked))
        assert (off[1] - off[0]) % 7 in (1, 6)


def test_post_office_lp_bound_is_22_33(post_office_config):
    result = solve_schedule(post_office_requirements(), post_office_config, solver="cbc")
    # Winston: LP relaxation 22 1/3 (the objective adds tie-break penalties of a few thousandths).
    assert result.summary.solver.lp_bound == pytest.approx(67 / 3, abs=0.01)
    # CBC's own bound is not readable, so the reported gap is the optimum's over the LP bound: 1 - 22 1/3 / 23.
    assert result.summary.solver.gap == pytest.approx(1 - (67 / 3) / 23, abs=5e-4)


UNION_COSTS = [170, 160, 175, 180, 195]
UNION_STARTS = ["06:00", "07:00", "09:00", "11:00", "14:00"]
UNION_LENGTHS = [4, 4, 4, 4, 2]
UNION_NEED = [48, 79, 65, 87, 64, 73, 82, 43, 52, 15]


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_union_airways_costs_30610(solver):
    # Ten one-hour periods; shift i covers the periods of the textbook's table.
    config = make_config([{"name": f"shift{i + 1}", "earliest_start": UNION_STARTS[i], "latest_start": UNION_STARTS[i],
                           "lengths_hours": [UNION_LENGTHS[i]], "cost_per_hour": UNION_COSTS[i] / UNION_LENGTHS[i]}
                          for i in range(5)])
    result = solve_schedule(make_requirements("2026-01-05 06:00", UNION_NEED), config, solver=solver)
    assert result.summary.cost == pytest.approx(30610)
    assert result.summary.solver.status == "optimal"
    starts = result.roster["shift_start"].dt.strftime("%H:%M").value_counts()
    assert [int(starts[s]) for s in UNION_STARTS] == [48, 31, 39, 43, 15]
    assert result.summary.coverage == 1.0
    # The textbook solution covers the periods 48, 79, 79, 118, 70, 82, 82, 43, 58, 15 agents: 674 agent-hours
    # against 608 needed, 66 over (14 + 31 + 6 + 9 + 6 in periods 3, 4, 5, 6, 9).
    hours = recount_hours(result, make_requirements("2026-01-05 06:00", UNION_NEED), 60)
    assert (hours["required"], hours["scheduled"], hours["under"], hours["over"]) == (608, 674, 0, 66)
    summary = result.summary
    assert (summary.required_agent_hours, summary.scheduled_agent_hours, summary.over_agent_hours,
            summary.under_agent_hours) == (608, 674, 66, 0)
    assert summary.efficiency == pytest.approx(1 - 66 / 608)
    assert summary.paid_hours == pytest.approx(48 * 4 + 31 * 4 + 39 * 4 + 43 * 4 + 15 * 2)
