"""Named-agent rosters: contract hours, 11 hours rest, at most 6 consecutive days, availability, fairness,
and coverage recomputed from the roster."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduling import ScheduleResult, engine, solve_schedule
from scheduling.grid import make_grid
from scheduling.roster import ShiftInstance, _Pool, assign_shifts
from tests.scheduling.conftest import make_config, make_requirements, paid_hours_by_agent, recompute_coverage
from wfm.contracts import frame_rows, validate_agents
from wfm.errors import DataError, InfeasibleError
from wfm.io import read_agents

LUNCH = {"lunch": {"minutes": 30, "min_shift_hours": 6, "earliest_after_hours": 3, "latest_after_hours": 5}}


def week_config():
    return make_config([{"name": "day", "earliest_start": "07:00", "latest_start": "13:00", "lengths_hours": [4, 8],
                         "cost_per_hour": 15.0, "breaks": ["lunch"]}], interval_minutes=30, breaks=LUNCH)


def week_requirements() -> pd.DataFrame:
    daily = [2] * 4 + [4] * 12 + [3] * 8  # 08:00-20:00 on 30-minute intervals
    frames = [make_requirements(f"2026-01-{5 + d:02d} 08:00", [n - (d >= 5) for n in daily], interval_minutes=30)
              for d in range(7)]
    return pd.concat(frames, ignore_index=True)


def agents(count: int) -> pd.DataFrame:
    rows = []
    for i in range(count):
        full, narrow = i % 3 != 2, i % 5 == 4  # a 09:00-17:00 window rules out most starts and lengths
        rows.append({"agent_id": f"A{i:02d}", "group": "all", "min_hours": 24 if full else 8,
                     "max_hours": 40 if full else 20, "days": "Mon Tue Wed Thu Fri" if i % 4 == 3 else "",
                     "available_from": "09:00" if narrow else "06:00", "available_to": "17:00" if narrow else "22:00",
                     "preferred_start": "08:00" if i % 2 else ""})
    return validate_agents(pd.DataFrame(rows), source="agents", groups=list(week_config().groups), rows=frame_rows)


def solve_reporting_below(*args, **options) -> tuple[ScheduleResult, list[str]]:
    """Solve, and keep the ids the rostering reports below their minimum hours (the summary keeps their count)."""
    reported: list[str] = []

    def recording(*inner, **keywords):
        assigned, unassigned, below = assign_shifts(*inner, **keywords)
        reported.extend(below)
        return assigned, unassigned, below

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "assign_shifts", recording)
        result = solve_schedule(*args, **options)
    return result, reported


@pytest.fixture(scope="module")
def solved() -> tuple[ScheduleResult, list[str]]:
    return solve_reporting_below(week_requirements(), week_config(), agents=agents(16), time_limit_seconds=20,
                                 gap=0.01)


@pytest.fixture(scope="module")
def rostered(solved: tuple[ScheduleResult, list[str]]) -> ScheduleResult:
    return solved[0]


def test_every_shift_is_assigned_and_covers(rostered):
    assert rostered.unassigned.empty
    assert rostered.summary.coverage == 1.0
    assert set(rostered.roster.columns) == {"agent_id", "group", "date", "shift_start", "shift_end", "paid_hours"}
    assert list(rostered.breaks.columns) == ["agent_id", "break_start", "break_end", "kind"]


def test_coverage_recomputed_from_roster_and_breaks(rostered):
    covered = recompute_coverage(rostered, 30)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert (covered["under"] == (covered["required"] - covered["scheduled"]).clip(lower=0)).all()
    assert (covered["over"] == (covered["scheduled"] - covered["required"]).clip(lower=0)).all()


def test_contract_hours_rest_and_consecutive_days(rostered):
    table = agents(16).set_index("agent_id")
    roster = rostered.roster.sort_values(["agent_id", "shift_start"])
    for agent_id, shifts in roster.groupby("agent_id"):
        assert shifts["paid_hours"].sum() <= table.loc[agent_id, "max_hours"] + 1e-9
        rests = (shifts["shift_start"].iloc[1:].to_numpy() - shifts["shift_end"].iloc[:-1].to_numpy())
        assert all(r >= pd.Timedelta(hours=11) for r in rests)
        days = sorted(shifts["date"])
        assert len(set(days)) == len(days)  # one shift a day
        run = longest = 1
        for before, after in zip(days, days[1:], strict=False):
            run = run + 1 if after - before == dt.timedelta(days=1) else 1
            longest = max(longest, run)
        assert longest <= 6
        allowed = table.loc[agent_id, "days"].split()
        assert {d.strftime("%a") for d in days} <= set(allowed)
        assert (shifts["shift_start"].dt.strftime("%H:%M") >= table.loc[agent_id, "available_from"]).all()
        assert (shifts["shift_end"].dt.strftime("%H:%M") <= table.loc[agent_id, "available_to"]).all()


def test_agents_reported_below_minimum_hours_are_those_short_of_it(solved):
    result, reported = solved
    table = agents(16).set_index("agent_id")
    paid = paid_hours_by_agent(result, unpaid={"lunch"}).reindex(table.index, fill_value=0.0)
    # The narrow 09:00-17:00 windows leave some agents short of their minimum whatever the roster.
    short = set(paid.index[paid < table["min_hours"] - 1e-9])
    assert short and set(reported) == short
    assert result.summary.agents_below_min_hours == len(short)


@pytest.mark.parametrize(("min_hours", "below"), [(16, 0), (24, 1)])
def test_minimum_hours_are_met_when_there_is_work_enough(min_hours, below):
    # Seven 8-hour day shifts (56 paid hours) for three agents: minimums of 16 hours fit (48 <= 56), so everyone
    # reaches theirs; of 24 hours only two can (3 shifts each), and the roster lets no more than one fall short.
    config = make_config([{"name": "day", "earliest_start": "08:00", "latest_start": "08:00", "lengths_hours": [8],
                           "cost_per_hour": 1.0}])
    need = pd.concat([make_requirements(f"2026-01-{5 + d:02d} 08:00", [1] * 8) for d in range(7)], ignore_index=True)
    rows = [{"agent_id": f"A{i}", "group": "all", "min_hours": min_hours, "max_hours": 40, "days": "",
             "available_from": "", "available_to": "", "preferred_start": ""} for i in range(3)]
    team = validate_agents(pd.DataFrame(rows), source="agents", groups=["all"], rows=frame_rows)
    result, reported = solve_reporting_below(need, config, agents=team, gap=0.0)
    paid = paid_hours_by_agent(result, unpaid=set()).reindex(team["agent_id"], fill_value=0.0)
    assert paid.sum() == 56 and result.unassigned.empty
    short = set(paid.index[paid < min_hours])
    # As many agents as the work allows reach their minimum: 56 // min_hours of the three.
    assert len(short) == below == 3 - min(3, 56 // min_hours)
    assert set(reported) == short and result.summary.agents_below_min_hours == below


def test_weekends_are_shared(rostered):
    weekend = rostered.roster[pd.to_datetime(rostered.roster["date"]).dt.day_of_week >= 5]
    table = agents(16)
    everyday = table.loc[table["days"] == "Mon Tue Wed Thu Fri Sat Sun", "agent_id"]
    counts = weekend["agent_id"].value_counts().reindex(everyday, fill_value=0)
    assert counts.max() - counts.min() <= 1


def test_too_few_agents_leave_shifts_unassigned_and_reported():
    result = solve_schedule(week_requirements(), week_config(), agents=agents(3), time_limit_seconds=20, gap=0.01)
    assert len(result.unassigned) == result.summary.unassigned_shifts > 0
    assert list(result.unassigned.columns) == ["group", "date", "shift_start", "shift_end", "paid_hours", "blocked_by"]
    for why in result.unassigned["blocked_by"]:  # each open shift names what stops every one of the 3 agents
        assert all(name in why for name in ("A00", "A01", "A02")), why
    assert result.summary.coverage < 1
    assert not result.unmet.empty  # coverage follows the roster, not the solved shifts
    covered = recompute_coverage(result, 30)
    assert (covered["recomputed"] == covered["scheduled"]).all()


def test_read_agents(tmp_path):
    path = tmp_path / "agents.csv"
    path.write_text("agent_id,group,min_hours,max_hours,days,available_from,available_to,preferred_start\n"
                    "A1,all,30,40,Mon Tue,7:00,26:00,08:00\nA2,all,0,20,,,,\n")
    frame = read_agents(path, week_config())
    assert list(frame["days"]) == ["Mon Tue", "Mon Tue Wed Thu Fri Sat Sun"]
    assert list(frame["available_to"]) == ["26:00", "48:00"]
    assert list(frame["preferred_start"]) == ["08:00", ""]


@pytest.mark.parametrize(("line", "message"), [
    ("A1,nobody,30,40,,,,", r"agents\.csv: line 2: group: unknown staff group 'nobody'"),
    ("A1,all,forty,40,,,,", r"line 2: min_hours: not a number \('forty'\)"),
    ("A1,all,30,20,,,,", r"line 2: max_hours: must be >= min_hours \(30\), got 20"),
    ("A1,all,30,40,Mon Funday,,,", r"line 2: days: unknown day 'Funday'"),
    ("A1,all,30,40,,7h,,", r"line 2: available_from: not a clock time \('7h'\)"),
    (",all,30,40,,,,", r"line 2: agent_id: is empty"),
])
def test_read_agents_errors(tmp_path, line, message):
    path = tmp_path / "agents.csv"
    path.write_text("agent_id,group,min_hours,max_hours,days,available_from,available_to,preferred_start\n"
                    f"{line}\n")
    with pytest.raises(DataError, match=message):
        read_agents(path, week_config())


def test_duplicate_agent_and_missing_column(tmp_path):
    path = tmp_path / "agents.csv"
    path.write_text("agent_id,group,min_hours,max_hours\nA1,all,1,2\nA1,all,1,2\n")
    with pytest.raises(DataError, match=r"line 3: agent_id: duplicate id 'A1'"):
        read_agents(path, week_config())
    path.write_text("agent_id,group,min_hours\nA1,all,1\n")
    with pytest.raises(DataError, match="missing column max_hours"):
        read_agents(path, week_config())


def one_agent(available_from: str = "", available_to: str = "", *, max_hours: float = 40) -> pd.DataFrame:
    row = {"agent_id": "A1", "group": "all", "min_hours": 0, "max_hours": max_hours, "days": "",
           "available_from": available_from, "available_to": available_to, "preferred_start": ""}
    return validate_agents(pd.DataFrame([row]), source="agents", groups=list(week_config().groups), rows=frame_rows)


@pytest.mark.parametrize("days", [6, 7])
def test_a_closed_day_left_out_of_the_file_keeps_the_plan_weekly(days):
    # One agent of 40 h a week, one 8-hour shift needed each day: 5 shifts, 40 h, whether the closed
    # Sunday has rows or not (a Mon-Sat file once gave a 6-day plan: 32 h and the Saturday wrapping to Monday).
    config = make_config([{"name": "day", "earliest_start": "08:00", "latest_start": "08:00", "lengths_hours": [8],
                           "cost_per_hour": 1.0}])
    frames = [make_requirements(f"2026-01-{5 + d:02d} 08:00", [1 if d < 6 else 0] * 8) for d in range(days)]
    result = solve_schedule(pd.concat(frames, ignore_index=True), config, agents=one_agent(), gap=0.0)
    assert result.summary.shifts == 5
    assert result.summary.paid_hours == pytest.approx(40.0)
    assert result.summary.under_agent_hours == pytest.approx(8.0)
    assert result.coverage["interval_start"].dt.date.nunique() == 7


@pytest.mark.parametrize(("day", "start", "fits"), [("2027-03-28", "10:00", False), ("2027-10-31", "09:00", True)])
def test_availability_follows_the_wall_clock_when_clocks_change(day, start, fits):
    # An agent available 08:00-16:00; a 7-hour shift from `start`. When clocks go forward 10:00-17:00 has
    # only 6 hours elapsed by 17:00 but still ends after 16:00; when they go back 09:00-16:00 ends at 16:00.
    config = make_config([{"name": "day", "earliest_start": start, "latest_start": start, "lengths_hours": [7],
                           "cost_per_hour": 1.0}])
    stamps = pd.date_range(pd.Timestamp(f"{day} {start}", tz="Europe/London"), periods=7, freq="60min")
    need = pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": 1})
    result = solve_schedule(need, config, agents=one_agent("08:00", "16:00"), gap=0.0)
    assert len(result.roster) == int(fits)
    assert all(f"{end:%H:%M}" <= "16:00" for end in result.roster["shift_end"])
    assert result.summary.coverage == float(fits)
    grid = make_grid(need, config)  # rostering checks the window the same way
    shift = ShiftInstance(group="all", template=0, day=0, start_slot=grid.slot_of(stamps[0]), length_slots=7,
                          paid_hours=7.0, cost=7.0, breaks=())
    assigned, unassigned, _ = assign_shifts([shift], grid, agents=one_agent("08:00", "16:00"), tours=[])
    assert (len(assigned), len(unassigned)) == (int(fits), int(not fits))


def test_grid_clock_minutes_are_local_wall_clock():
    grid = make_grid(make_requirements("2027-03-28 00:00", [1] * 23), make_config([]))
    eleven = grid.slot_of(pd.Timestamp("2027-03-28 11:00", tz="Europe/London"))
    assert eleven == 10  # ten hours elapsed since midnight
    assert grid.clock_minutes(eleven, 0) == 11 * 60
    assert grid.clock_minutes(eleven + 14, 0) == 25 * 60  # 01:00 the next day


def test_rest_and_consecutive_days_wrap_round_the_week():
    # Tours of 5 consecutive days, 8-hour shifts starting 06:00-14:00; Monday needs only early cover and
    # Sunday only late, so a tour working Sunday then Monday would rest 8 hours across the wrap.
    config = make_config([{"name": "day", "earliest_start": "06:00", "latest_start": "14:00", "lengths_hours": [8],
                           "cost_per_hour": 1.0, "days_off": {"working_days": 5, "consecutive_off": True}}])
    early, late = [2] * 8 + [0] * 8, [0] * 8 + [2] * 8  # 06:00-14:00, 14:00-22:00
    days = [early] + [[2] * 16] * 5 + [late]
    need = pd.concat([make_requirements(f"2026-01-{5 + d:02d} 06:00", hours) for d, hours in enumerate(days)],
                     ignore_index=True)
    result = solve_schedule(need, config, gap=0.0)
    week = pd.Timedelta(days=7)
    for _, shifts in result.roster.sort_values("shift_start").groupby("agent_id"):
        starts, ends = list(shifts["shift_start"]), list(shifts["shift_end"])
        rests = [after - before for before, after in zip(ends, [*starts[1:], starts[0] + week], strict=True)]
        assert min(rests) >= pd.Timedelta(hours=11)
        working = {d.weekday() for d in shifts["date"]}
        longest = max(next((k for k in range(7) if (d + k) % 7 not in working), 7) for d in range(7))
        assert longest <= 6


def test_consecutive_days_count_round_the_wrap_of_a_two_week_plan():
    # Days 10-13 and 0-1 worked: day 2 would make 7 in a row as the plan repeats.
    pool = _Pool(1, 14, 14 * 24 * 60.0)
    pool.add(ids="A1")
    for day in (10, 11, 12, 13, 0, 1):
        pool.assign(0, day, day * 1440 + 480, day * 1440 + 960)
    assert not pool.eligible(2, 2 * 1440 + 480, 2 * 1440 + 960)[0]
    assert pool.eligible(3, 3 * 1440 + 480, 3 * 1440 + 960)[0]


@pytest.mark.parametrize(("window", "able"), [(("", ""), 1), (("12:00", "18:00"), 0)])
def test_min_count_beyond_the_agents_names_the_agents_file(window, able):
    # min_count 3 with one agent (or one whose window fits no 08:00 start) is the agents file's doing, not
    # the caps'.
    config = make_config([{"name": "day", "earliest_start": "08:00", "latest_start": "08:00", "lengths_hours": [8],
                           "cost_per_hour": 1.0, "min_count": 3}])
    message = (rf"shifts\[0\]\.min_count: 3 'day' shifts are required on 2026-01-05 \(Mon\) but only {able} "
               "agents? of group 'all' in the agents file")
    with pytest.raises(InfeasibleError, match=message):
        solve_schedule(make_requirements("2026-01-05 08:00", [1] * 8), config, agents=one_agent(*window))
