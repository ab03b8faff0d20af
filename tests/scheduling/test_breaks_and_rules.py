"""Small problems with hand-derivable optima: breaks, midnight, caps, and rules that contradict."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling import solve_schedule
from tests.scheduling.conftest import make_config, make_requirements, recompute_coverage
from wfm.config import parse_config
from wfm.errors import ConfigError, DataError, InfeasibleError

LUNCH = {"lunch": {"minutes": 30, "min_shift_hours": 0, "earliest_after_hours": 0.5, "latest_after_hours": 1.5}}


def two_hour_shift(**extra):
    return {"name": "short", "earliest_start": "09:00", "latest_start": "09:00", "lengths_hours": [2],
            "cost_per_hour": 10.0, **extra}


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_a_break_forces_a_fourth_agent(solver):
    # 2 agents needed 09:00-11:00 on 30-minute intervals; a 2-hour shift has an unpaid 30-minute break at
    # 09:30 or 10:00. Three agents leave one of those intervals at 1; four (two breaks each) cover it exactly.
    config = make_config([two_hour_shift(breaks=["lunch"])], interval_minutes=30, breaks=LUNCH)
    result = solve_schedule(make_requirements("2026-01-05 09:00", [2, 2, 2, 2], interval_minutes=30), config,
                            solver=solver)
    assert result.summary.shifts == 4
    assert result.summary.paid_hours == pytest.approx(6.0)
    assert result.summary.cost == pytest.approx(60.0)
    assert result.summary.under_agent_hours == 0
    assert result.summary.over_agent_hours == pytest.approx(2.0)  # 2 extra agents at 09:00 and at 10:30
    assert list(result.coverage["scheduled"].iloc[18:22]) == [4, 2, 2, 4]
    assert sorted(result.breaks["break_start"].dt.strftime("%H:%M")) == ["09:30", "09:30", "10:00", "10:00"]
    assert set(result.breaks["kind"]) == {"lunch"}


def test_without_the_break_two_agents_do():
    config = make_config([two_hour_shift()], interval_minutes=30)
    result = solve_schedule(make_requirements("2026-01-05 09:00", [2, 2, 2, 2], interval_minutes=30), config)
    assert result.summary.shifts == 2
    assert result.summary.cost == pytest.approx(40.0)
    assert result.summary.efficiency == pytest.approx(1.0)


def test_paid_rest_breaks_every_four_hours():
    # An 8-hour shift gets two paid 15-minute rests (1:00-3:00 and 5:00-7:00 after the start): paid 8 hours.
    rest = {"rest": {"minutes": 15, "paid": True, "every_hours": 4}}
    config = make_config([{"name": "day", "earliest_start": "08:00", "latest_start": "08:00", "lengths_hours": [8],
                           "cost_per_hour": 10.0, "breaks": ["rest"]}], interval_minutes=15, breaks=rest)
    result = solve_schedule(make_requirements("2026-01-05 08:00", [1] * 32, interval_minutes=15), config)
    assert result.summary.paid_hours == pytest.approx(2 * 8.0)  # a second agent covers the rests
    starts = sorted(result.breaks["break_start"].dt.strftime("%H:%M"))
    assert len(starts) == 4 and all("09:00" <= s <= "10:45" or "13:00" <= s <= "14:45" for s in starts)
    covered = recompute_coverage(result, 15)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert result.summary.under_agent_hours == 0


def test_shifts_cross_midnight_and_the_week_wraps():
    # Night shifts 22:00-06:00 every day; Sunday night covers Monday morning (the plan repeats weekly).
    config = make_config([{"name": "night", "earliest_start": "22:00", "latest_start": "22:00", "lengths_hours": [8],
                           "cost_per_hour": 10.0}])
    need = ([3] * 6 + [0] * 16 + [3] * 2) * 7  # each day: 00:00-06:00 and 22:00-24:00
    result = solve_schedule(make_requirements("2026-01-05 00:00", need), config)
    assert result.summary.shifts == 21
    assert result.summary.coverage == 1.0
    assert result.roster["shift_end"].max() == pd.Timestamp("2026-01-12 06:00", tz="Europe/London")
    covered = recompute_coverage(result, 60)
    assert (covered["recomputed"] == covered["scheduled"]).all()


def test_headcount_cap_returns_the_unmet_intervals():
    config = make_config([two_hour_shift()], group={"headcount_cap": 1})
    result = solve_schedule(make_requirements("2026-01-05 09:00", [2, 1]), config)
    assert result.summary.shifts == 1
    assert list(result.unmet["interval_start"].dt.strftime("%H:%M")) == ["09:00"]
    assert list(result.unmet["under"]) == [1]
    assert result.summary.under_agent_hours == 1.0
    assert result.summary.coverage == pytest.approx(2 / 3)


def test_budget_cap_returns_the_unmet_intervals():
    # The cap is weekly and a one-day file plans a whole week: two 2-hour shifts (cost 20 each) fit in 45.
    config = make_config([two_hour_shift()], group={"budget_cap": 45})
    result = solve_schedule(make_requirements("2026-01-05 09:00", [3, 3]), config)
    assert result.summary.cost == pytest.approx(40.0)
    assert list(result.unmet["under"]) == [1, 1]


def test_no_template_reaches_the_open_hours():
    config = make_config([two_hour_shift()])
    with pytest.raises(InfeasibleError, match=r"groups\.all: .*03:00.* no shift template covers it.*shifts\[0\]"):
        solve_schedule(make_requirements("2026-01-05 03:00", [1]), config)


def test_a_group_without_template():
    config = make_config([])
    with pytest.raises(InfeasibleError, match=r"groups\.all: has requirements but no shift template"):
        solve_schedule(make_requirements("2026-01-05 09:00", [1]), config)


def test_seven_working_days_break_the_consecutive_days_rule():
    config = make_config([two_hour_shift(days_off={"working_days": 7})])
    with pytest.raises(InfeasibleError, match=r"shifts\[0\]\.days_off\.working_days: 7 working days"):
        solve_schedule(make_requirements("2026-01-05 09:00", [1]), config)


def test_a_break_that_cannot_fit_the_shift():
    late = {"lunch": {"minutes": 30, "earliest_after_hours": 3, "latest_after_hours": 5}}
    config = make_config([two_hour_shift(breaks=["lunch"])], interval_minutes=30, breaks=late)
    with pytest.raises(InfeasibleError, match=r"breaks\.lunch: a 30-minute break does not fit between 3 and 2 hours"):
        solve_schedule(make_requirements("2026-01-05 09:00", [1], interval_minutes=30), config)


def test_overlapping_break_windows_are_refused():
    rules = {**LUNCH, "tea": {"minutes": 30, "earliest_after_hours": 1, "latest_after_hours": 2}}
    config = make_config([two_hour_shift(breaks=["lunch", "tea"])], interval_minutes=30, breaks=rules)
    with pytest.raises(InfeasibleError, match=r"breaks\.lunch and breaks\.tea: their windows overlap"):
        solve_schedule(make_requirements("2026-01-05 09:00", [1], interval_minutes=30), config)


def test_min_count_against_headcount_cap():
    config = make_config([two_hour_shift(min_count=3)], group={"headcount_cap": 2})
    with pytest.raises(InfeasibleError, match="min_count"):
        solve_schedule(make_requirements("2026-01-05 09:00", [1]), config)


def test_break_minutes_off_the_grid_are_a_config_error():
    with pytest.raises(ConfigError, match=r"breaks\.rest\.minutes: must be a multiple of interval_minutes \(30\), "
                                          r"got 15"):
        make_config([two_hour_shift()], interval_minutes=30, breaks={"rest": {"minutes": 15, "every_hours": 4}})


def test_lengths_off_the_grid_are_a_config_error():
    with pytest.raises(ConfigError, match=r"shifts\[0\]\.lengths_hours: must be multiples of interval_minutes"):
        make_config([two_hour_shift(lengths_hours=[2.25])], interval_minutes=30)


def test_requirements_off_the_grid_and_unknown_channels():
    config = make_config([two_hour_shift()])
    bad = make_requirements("2026-01-05 09:00", [1])
    bad["interval_start"] = bad["interval_start"] + pd.Timedelta(minutes=10)
    with pytest.raises(DataError, match="not on the 60-minute grid"):
        solve_schedule(bad, config)
    unknown = make_requirements("2026-01-05 09:00", [1]).assign(channel="fax")
    with pytest.raises(DataError, match="unknown channel 'fax'"):
        solve_schedule(unknown, config)


def test_channel_without_group_is_a_config_error():
    config = parse_config({
        "timezone": "Europe/London", "interval_minutes": 60,
        "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20},
                     "email": {"kind": "email", "response_hours": 8}},
        "groups": {"all": {"channels": ["voice"]}},
        "shifts": [{"group": "all", "start_step_minutes": 60, **two_hour_shift()}]})
    reqs = make_requirements("2026-01-05 09:00", [1]).assign(channel="email")
    with pytest.raises(ConfigError, match="channel 'email' has requirements but no staff group serves it"):
        solve_schedule(reqs, config)


@pytest.mark.parametrize(("day", "hours"), [("2026-03-29", 23), ("2026-10-25", 25)])
def test_days_when_clocks_change(day, hours):
    # London's clocks go forward on 29 March (23 hours) and back on 25 October (25 hours); shifts last
    # their real length, and coverage follows real intervals.
    config = make_config([{"name": "any", "earliest_start": "00:00", "latest_start": "23:00", "lengths_hours": [8],
                           "cost_per_hour": 10.0}])
    stamps = pd.date_range(pd.Timestamp(day, tz="Europe/London"), periods=hours, freq="60min")
    need = pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": 2})
    result = solve_schedule(need, config)
    assert len(result.coverage) == 6 * 24 + hours  # the plan is the week from that day
    assert (result.coverage["interval_start"].dt.strftime("%Y-%m-%d") == day).sum() == hours
    assert result.summary.coverage == 1.0
    covered = recompute_coverage(result, 60)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert (result.roster["shift_end"] - result.roster["shift_start"] == pd.Timedelta(hours=8)).all()
