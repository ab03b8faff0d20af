"""Named agents: the assignment of solved shifts to agents (the agents file is read by ``wfm.io.read_agents``).

Named agents are rostered exactly, group by group (:func:`roster_exact`): an integer program over whole weekly
tours, solved by HiGHS, that keeps every agent's rules (availability, one shift a day, 11 hours rest, at most
6 consecutive days, maximum contract hours, one start band) and, in priority order, assigns every shift an
assignment exists for, then leaves the fewest hours below minimum contracts, keeps days off together, shares
weekends fairly and starts agents near their preferred start. A shift no agent can take is reported with the
agents and rules that block it, not dropped. The solver starts from the greedy pass's roster (:func:`_greedy`),
so it never returns a worse one on its objective, however little time it has; a group of more than
:data:`MAX_EXACT_AGENTS` agents is rostered in parts of at most that many. Without an agents file each solved
tour becomes one generated agent working its pattern and the other shifts go to generated agents greedily.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import highspy
import numpy as np
import pandas as pd
from highspy import _core

from scheduling.grid import Grid
from scheduling.templates import MAX_CONSECUTIVE_DAYS
from wfm.contracts import DAY_NAMES, LATEST_CLOCK
from wfm.errors import SolverError
from wfm.weeks import clock_minutes

#: Minimum rest between two shifts of one agent.
MIN_REST_HOURS = 11.0
#: Days a generated agent (no agents file, no days-off rule) works per week at most.
GENERATED_DAYS_PER_WEEK = 5
#: Days a named agent's contract hours are planned over: two days off a week, taken together where the plan
#: allows (the roster's hard limit is :attr:`RosterRules.max_days_per_week`).
NAMED_DAYS_PER_WEEK = 5
#: Shifts between two progress reports of the assignment.
PROGRESS_EVERY = 5_000
#: The most agents of a group rostered in one integer program. A larger group is dealt into parts of at most
#: this many (agent 1, 1 + parts, ... in the first), each given the shifts the greedy pass gave its agents and a
#: share of those it left open, and rostered exactly within its share of the time limit.
MAX_EXACT_AGENTS = 500


@dataclass(frozen=True)
class ShiftInstance:
    """One solved shift: when it starts (interval index, may lie past the plan), its breaks and cost."""

    group: str
    template: int
    day: int
    start_slot: int
    length_slots: int
    paid_hours: float
    cost: float
    breaks: tuple[tuple[str, int, int], ...]  # (break rule, start interval, length in intervals)
    blocked_by: str = ""  # an unassigned shift: the agents and rules that stop each taking it


class _Pool:
    """The agents of one group as arrays (one row per agent, rows in use first), with what they have worked."""

    def __init__(self, size: int, n_days: int, plan_minutes: float) -> None:
        self.n_days = n_days
        self.plan_minutes = plan_minutes
        self.ids = [""] * size
        self.min_minutes = np.zeros(size)
        self.max_minutes = np.full(size, np.inf)
        self.days = np.ones((size, 7), dtype=bool)
        self.window_from = np.zeros(size)
        self.window_to = np.full(size, 48 * 60.0)
        self.preferred = np.full(size, np.nan)
        self.template = np.full(size, -1)
        self.max_days_per_week = np.full(size, 7)
        self.worked_minutes = np.zeros(size)
        self.weekend_shifts = np.zeros(size, dtype=np.int64)
        self.earliest_start = np.full(size, np.nan)  # clock minutes of the agent's earliest and latest start
        self.latest_start = np.full(size, np.nan)
        self.days_per_week = np.zeros((size, max(math.ceil(n_days / 7), 1)), dtype=np.int64)
        # Shift start and end (minutes) per plan day, with a day of padding at both ends: the plan repeats, so
        # the left one mirrors the last day (a plan earlier) and the right one the first day (a plan later).
        self.begins = np.full((size, n_days + 2), np.nan)
        self.ends = np.full((size, n_days + 2), np.nan)
        self.worked = np.zeros((size, n_days + 2), dtype=bool)
        self.last_end = np.full(size, -np.inf)
        self.used = 0

    def eligible(self, day: int, begin: float, end: float) -> np.ndarray:
        """Of the agents in use, those free that day, rested 11 hours either side, and within 6 consecutive
        working days, both counted round the plan's wrap."""
        used, rest = self.used, MIN_REST_HOURS * 60
        ok = (~self.worked[:used, day + 1] & ~(self.ends[:used, day] > begin - rest)
              & ~(self.begins[:used, day + 2] < end + rest))
        run = np.ones(used, dtype=np.int64)
        for step in (-1, 1):
            alive = np.ones(used, dtype=bool)
            for k in range(1, MAX_CONSECUTIVE_DAYS + 1):
                alive &= self.worked[:used, (day + step * k) % self.n_days + 1]
                run += alive
        return ok & (run <= MAX_CONSECUTIVE_DAYS)

    def assign(self, row: int, day: int, begin: float, end: float) -> None:
        """Record a shift of an agent."""
        self.worked[row, day + 1] = True
        self.begins[row, day + 1] = begin
        self.ends[row, day + 1] = end
        mirrors = ((0, self.n_days + 1, self.plan_minutes), (self.n_days - 1, 0, -self.plan_minutes))
        for plan_day, column, shift in mirrors:
            if day == plan_day:
                self.begins[row, column] = begin + shift
                self.ends[row, column] = end + shift
        self.last_end[row] = max(self.last_end[row], end)

    def add(self, **fields: object) -> int:
        """Activate the next free row with the given fields; returns its index."""
        row = self.used
        self.used += 1
        for name, value in fields.items():
            if name == "ids":
                self.ids[row] = str(value)
            else:
                getattr(self, name)[row] = value
        return row


@dataclass(frozen=True)
class Availability:
    """A group's named agents as arrays: the weekdays they may start (n x 7), their daily window in minutes
    from midnight (``window_to`` past 1440 runs into the next day), contract hours per week and the
    preferred start (NaN for none)."""

    ids: tuple[str, ...]
    days: np.ndarray
    window_from: np.ndarray
    window_to: np.ndarray
    min_hours: np.ndarray
    max_hours: np.ndarray
    preferred: np.ndarray

    def part(self, rows: np.ndarray) -> Availability:
        """The agents of the given rows."""
        return Availability(ids=tuple(self.ids[row] for row in rows), days=self.days[rows],
                            window_from=self.window_from[rows], window_to=self.window_to[rows],
                            min_hours=self.min_hours[rows], max_hours=self.max_hours[rows],
                            preferred=self.preferred[rows])

    def can_work(self, weekday: int, clock_start: float, clock_end: float, paid_hours: float) -> np.ndarray:
        """Which agents could take a shift starting on ``weekday`` at ``clock_start`` minutes past midnight."""
        return (self.days[:, weekday] & (self.window_from <= clock_start) & (clock_end <= self.window_to)
                & (self.max_hours >= paid_hours))


def contract_shifts(named: Availability, paid_lengths: Sequence[float], weeks: float) -> dict[float, int]:
    """Shifts of each paid length the agents' contracts call for in a plan of ``weeks``.

    An agent works at most :data:`NAMED_DAYS_PER_WEEK` of the weekdays they are available; their contract
    length is the shortest paid length that reaches their minimum hours in those days (30 hours in 5 days:
    7.5 paid hours, not 5.5), and they need as many such shifts as reach the minimum (4 of 7.5 hours).
    """
    lengths = sorted(set(paid_lengths))
    days = np.minimum(named.days.sum(axis=1), NAMED_DAYS_PER_WEEK) * weeks
    out: dict[float, int] = {}
    for minimum, most in zip(named.min_hours * weeks, days, strict=True):
        if minimum <= 0 or most <= 0:
            continue
        length = next((p for p in lengths if p * most >= minimum - 1e-9), lengths[-1])
        out[length] = out.get(length, 0) + math.ceil(minimum / length - 1e-9)
    return out


def availability(agents: pd.DataFrame) -> dict[str, Availability]:
    """Named agents (from :func:`wfm.io.read_agents`) by group, as arrays."""
    out = {}
    for group, rows in agents.groupby("group", sort=True):
        start = np.array([clock_minutes(v, latest_minutes=LATEST_CLOCK) for v in rows["available_from"]])
        end = np.array([clock_minutes(v, latest_minutes=LATEST_CLOCK) for v in rows["available_to"]])
        out[str(group)] = Availability(
            ids=tuple(map(str, rows["agent_id"])),
            days=np.array([[d in str(days).split() for d in DAY_NAMES] for days in rows["days"]], dtype=bool),
            window_from=start.astype(float), window_to=np.where(end <= start, end + 24 * 60, end).astype(float),
            min_hours=rows["min_hours"].to_numpy(dtype=float), max_hours=rows["max_hours"].to_numpy(dtype=float),
            preferred=np.array([clock_minutes(v, latest_minutes=LATEST_CLOCK) if v else np.nan
                                for v in rows["preferred_start"]], dtype=float))
    return out


def _pick(eligible: np.ndarray, keys: list[tuple[Any, bool]]) -> int:
    """The first eligible row, after narrowing to the best value of each key in turn (True: largest)."""
    mask = eligible.copy()
    for values, largest in keys:
        best = values[mask].max() if largest else values[mask].min()
        mask &= values == best
    return int(np.flatnonzero(mask)[0])


@dataclass(frozen=True)
class SolvedTour:
    """``agents`` agents of ``group`` working weekly days-off ``pattern`` (Monday first) on shift template
    ``template`` (its index in the config), as the model solved them."""

    group: str
    template: int
    pattern: tuple[bool, ...]
    agents: int


def assign_shifts(shifts: list[ShiftInstance], grid: Grid, *, agents: pd.DataFrame | None,
                  tours: list[SolvedTour], progress: Callable[[int, int], None] | None = None,
                  rules: RosterRules | None = None,
                  ) -> tuple[list[tuple[str, ShiftInstance]], list[ShiftInstance], list[str]]:
    """Give each shift an agent.

    Parameters
    ----------
    shifts
        The solved shifts.
    grid
        The planning grid.
    agents
        Named agents (from :func:`wfm.io.read_agents`), rostered exactly group by group
        (:func:`roster_exact`), or None to generate agents: one per solved days-off tour (``tours``), plus
        agents working at most 5 days a week for shifts without tours.
    progress
        Generated agents only: called with ``(shifts done, shifts)`` every :data:`PROGRESS_EVERY` shifts.
    rules
        The named agents' rules (:class:`RosterRules`; defaults to its defaults).

    Returns
    -------
    (agent_id, shift) pairs, the shifts no agent could take (each with ``blocked_by``), and the ids of agents
    left below their minimum contract hours.
    """
    if agents is None:
        return _greedy(shifts, grid, agents=None, tours=tours, progress=progress)
    team = availability(agents)
    rules = rules or RosterRules()
    assigned: list[tuple[str, ShiftInstance]] = []
    unassigned: list[ShiftInstance] = []
    below: list[str] = []
    for group in sorted({s.group for s in shifts} | set(team)):
        mine = [s for s in shifts if s.group == group]
        named = team.get(group)
        if named is None:
            unassigned += [replace(s, blocked_by=f"no named agents in group {group!r}") for s in mine]
            continue
        quick, open_, _ = _greedy(mine, grid, agents=agents[agents["group"] == group], tours=[], rules=rules)
        parts = math.ceil(len(named.ids) / MAX_EXACT_AGENTS)
        part_of = {agent: row % parts for row, agent in enumerate(named.ids)}
        for part in range(parts):  # a large group: its agents dealt into parts, each with its greedy shifts
            start = [(agent, shift) for agent, shift in quick if part_of[agent] == part]
            share = replace(rules, time_limit_seconds=rules.time_limit_seconds / parts)
            done, left, short, _ = roster_exact([shift for _, shift in start] + open_[part::parts], grid,
                                                named.part(np.arange(part, len(named.ids), parts)), share, start=start)
            assigned += done
            if parts > 1:
                left = [replace(s, blocked_by=f"part {part + 1} of {parts} (a group of over {MAX_EXACT_AGENTS} "
                                f"agents is rostered in parts): {s.blocked_by}") for s in left]
            unassigned += left
            below += short
    return assigned, unassigned, below


def _greedy(shifts: list[ShiftInstance], grid: Grid, *, agents: pd.DataFrame | None,
            tours: list[SolvedTour], progress: Callable[[int, int], None] | None = None,
            rules: RosterRules | None = None,
            ) -> tuple[list[tuple[str, ShiftInstance]], list[ShiftInstance], list[str]]:
    """Give each shift an agent, greedily: scarcest shifts first (fewest agents who could ever take them), then in
    start order, each to the eligible agent who has worked fewer weekend shifts (for a weekend shift), then who is
    still below their minimum hours and closest to it, then whose preferred start is nearest, then who has worked
    least; generated agents rotate days off (fewest days that week, then the latest finisher).

    Parameters
    ----------
    shifts
        The solved shifts.
    grid
        The planning grid.
    agents
        Named agents (from :func:`wfm.io.read_agents`), or None to generate agents: one per solved days-off tour
        (``tours``), plus agents working at most 5 days a week for
        shifts without tours.
    progress
        Called with ``(shifts done, shifts)`` every :data:`PROGRESS_EVERY` shifts: rostering takes time
        growing with the square of the shifts (each is checked against every agent of its group).
    rules
        Named agents only: the start band (:attr:`RosterRules.start_band_minutes`) is kept too; the other rules
        are the defaults.

    Returns
    -------
    (agent_id, shift) pairs, the shifts no agent could take, and the ids of agents left below their
    minimum contract hours.
    """
    weeks = grid.n_days / 7
    generated = agents is None
    band = np.inf if rules is None or rules.start_band_minutes is None else rules.start_band_minutes
    toured = {tour.template for tour in tours}
    team = availability(agents) if agents is not None else {}
    pools: dict[str, _Pool] = {}
    plan_minutes = grid.n_slots * grid.interval_minutes
    for group in sorted({s.group for s in shifts}):
        mine = [s for s in shifts if s.group == group]
        if not generated:
            named = team.get(group)
            pools[group] = pool = _Pool(len(named.ids) if named else 0, grid.n_days, plan_minutes)
            if named is not None:
                for row in range(len(named.ids)):
                    pool.add(ids=named.ids[row], min_minutes=named.min_hours[row] * 60 * weeks,
                             max_minutes=named.max_hours[row] * 60 * weeks, days=named.days[row],
                             window_from=named.window_from[row], window_to=named.window_to[row],
                             preferred=named.preferred[row],
                             max_days_per_week=(rules or RosterRules()).max_days_per_week)
            continue
        patterns = [(tour.template, tour.pattern, tour.agents) for tour in tours if tour.group == group]
        pools[group] = pool = _Pool(sum(c for _, _, c in patterns) + 2 * len(mine), grid.n_days, plan_minutes)
        for template, pattern, count in patterns:
            for _ in range(count):
                pool.add(days=pattern, template=template)
        # Enough agents for the busiest day and for every shift at 5 days a week, so that days off rotate
        # instead of everyone starting on the first day and new agents being hired for the weekend.
        free = [s for s in mine if s.template not in toured]
        if free:
            busiest = max(sum(1 for s in free if s.day == day) for day in range(grid.n_days))
            for _ in range(max(busiest, math.ceil(len(free) / (GENERATED_DAYS_PER_WEEK * weeks)))):
                pool.add(max_days_per_week=GENERATED_DAYS_PER_WEEK)

    assigned: list[tuple[_Pool, int, ShiftInstance]] = []
    unassigned: list[ShiftInstance] = []
    step = grid.interval_minutes
    clock = functools.cache(grid.clock_minutes)  # many shifts share a start: convert each time once

    def scarcity(shift: ShiftInstance) -> int:
        """How many named agents could ever take a shift: the scarcest go first."""
        named = team.get(shift.group)
        if generated or named is None:
            return 0
        return int(named.can_work(grid.dates[shift.day].weekday(), clock(shift.start_slot, shift.day),
                                  clock(shift.start_slot + shift.length_slots, shift.day), shift.paid_hours).sum())

    order = sorted(shifts, key=lambda s: (scarcity(s), s.start_slot, s.group, s.length_slots))
    for done, shift in enumerate(order):
        if progress and done and not done % PROGRESS_EVERY:
            progress(done, len(order))
        pool = pools[shift.group]
        begin = shift.start_slot * step
        end = begin + shift.length_slots * step
        weekday = grid.dates[shift.day].weekday()
        clock_start = clock(shift.start_slot, shift.day)
        clock_end = clock(shift.start_slot + shift.length_slots, shift.day)
        week = shift.day // 7
        paid_minutes = shift.paid_hours * 60
        used = pool.used
        eligible = (pool.eligible(shift.day, begin, end)
                    & (pool.worked_minutes[:used] + paid_minutes <= pool.max_minutes[:used] + 1e-6)
                    & pool.days[:used, weekday]
                    & ((pool.template[:used] == -1) | (pool.template[:used] == shift.template))
                    & (clock_start >= pool.window_from[:used]) & (clock_end <= pool.window_to[:used])
                    & (pool.days_per_week[:used, week] < pool.max_days_per_week[:used])
                    & (np.fmax(pool.latest_start[:used], clock_start) - np.fmin(pool.earliest_start[:used], clock_start)
                       <= band + 1e-6))
        if eligible.any() and generated:  # rotate days off: fewest days this week, then the latest finisher
            row = _pick(eligible, [(pool.days_per_week[:used, week], False), (pool.last_end[:used], True)])
        elif eligible.any():
            keys: list[tuple[Any, bool]] = [(pool.weekend_shifts[:used], False)] if weekday >= 5 else []
            deficit = np.maximum(pool.min_minutes[:used] - pool.worked_minutes[:used], 0)
            keys += [(deficit > 0, True), (-deficit, True),
                     (np.nan_to_num(np.abs(clock_start - pool.preferred[:used])), False),
                     (pool.worked_minutes[:used], False)]
            row = _pick(eligible, keys)
        elif generated:
            row = pool.add(max_days_per_week=GENERATED_DAYS_PER_WEEK)
        else:
            unassigned.append(shift)
            continue
        pool.assign(row, shift.day, begin, end)
        pool.worked_minutes[row] += paid_minutes
        pool.weekend_shifts[row] += weekday >= 5
        pool.earliest_start[row] = np.fmin(pool.earliest_start[row], clock_start)
        pool.latest_start[row] = np.fmax(pool.latest_start[row], clock_start)
        pool.days_per_week[row, week] += 1
        assigned.append((pool, row, shift))
    below = []
    for group, pool in pools.items():
        if generated:
            working = sorted({row for p, row, _ in assigned if p is pool})
            for number, row in enumerate(working, start=1):
                pool.ids[row] = f"{group}-{number:04d}"
        short = pool.worked_minutes[:pool.used] < pool.min_minutes[:pool.used] - 1e-6
        below += [pool.ids[row] for row in np.flatnonzero(short)]
    return [(pool.ids[row], shift) for pool, row, shift in assigned], unassigned, below


# ------------------------------------------------------------------------------------------------------------
# Exact rostering of named agents: an integer program solved by HiGHS.
# ------------------------------------------------------------------------------------------------------------

#: Objective weights, in priority order: a shift left unassigned outweighs every other term together for one
#: agent (an agent's week of shortfall, split days off, weekends and preferences), so every shift the rules
#: allow is assigned.
UNASSIGNED_WEIGHT = 1000.0
#: Per agent left below their minimum contract hours, and per paid hour they are short of it.
BELOW_MIN_AGENT_WEIGHT = 50.0
BELOW_MIN_WEIGHT = 20.0
#: Per block of days off beyond one a week (days off not taken together).
SPLIT_OFF_WEIGHT = 10.0
#: Per weekend shift above the agent's fair share (the plan's weekend shifts over the agents who may work them,
#: rounded down), and per one above that plus one: weekend shifts differ by at most one between agents unless
#: that leaves a shift open (it outweighs an agent's day below their minimum hours).
WEEKEND_WEIGHT = 5.0
WEEKEND_SPREAD_WEIGHT = 250.0
#: Share of the time limit the first round (fewest unassigned shifts) may take; the rest improves the roster.
FIRST_ROUND_SHARE = 0.5
#: Per hour between an agent's earliest and latest start time over the plan (start-time stability).
START_SPREAD_WEIGHT = 1.0
#: Per hour a shift starts away from the agent's preferred start (counted up to 4 hours).
PREFERENCE_WEIGHT = 0.5


@dataclass(frozen=True)
class RosterRules:
    """The rules every named agent's week keeps: rest between shifts, consecutive working days, working days
    a week (a week counted from the plan's first day), the band
    (minutes) all of an agent's start times lie within over the plan (None: any; 120 allows 08:00 to 10:00),
    and HiGHS's time limit per group (both rounds of :func:`_solve_highs` together) and the second round's gap."""

    min_rest_hours: float = MIN_REST_HOURS
    max_consecutive_days: int = MAX_CONSECUTIVE_DAYS
    max_days_per_week: int = MAX_CONSECUTIVE_DAYS
    start_band_minutes: float | None = None
    time_limit_seconds: float = 60.0
    gap: float = 0.01


@dataclass(frozen=True)
class _Kind:
    """Solved shifts alike to an agent: same day, start and length (they differ only in break positions)."""

    day: int
    begin: float  # minutes from the plan start
    end: float
    clock: float  # local minutes from midnight of the plan day
    weekday: int
    paid_hours: float
    shifts: tuple[ShiftInstance, ...]


class _Rows:
    """Sparse constraint rows collected for HiGHS: lower <= sum(value * column) <= upper."""

    def __init__(self) -> None:
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.owner: list[int] = []  # the agent (row in the team) a row is about; -1 for a shift kind's row

    def add(self, columns: Sequence[int], values: Sequence[float], lower: float, upper: float, owner: int = -1,
            ) -> None:
        self.index.extend(columns)
        self.value.extend(values)
        self.starts.append(len(self.index))
        self.lower.append(lower)
        self.upper.append(upper)
        self.owner.append(owner)

    def broken(self, values: np.ndarray) -> np.ndarray:
        """The rows ``values`` breaks (by more than a rounding error)."""
        starts = np.array(self.starts)
        products = np.array(self.value) * values[np.array(self.index, dtype=np.int64)]
        activity = np.add.reduceat(products, starts[:-1]) if len(products) else np.zeros(len(self.lower))
        activity[starts[:-1] == starts[1:]] = 0.0  # reduceat gives the next row's first term for an empty row
        return np.flatnonzero((activity < np.array(self.lower) - 1e-6) | (activity > np.array(self.upper) + 1e-6))


def _kinds(shifts: list[ShiftInstance], grid: Grid) -> list[_Kind]:
    step = grid.interval_minutes
    alike: dict[tuple[int, int, int, float], list[ShiftInstance]] = {}
    for shift in shifts:
        alike.setdefault((shift.day, shift.start_slot, shift.length_slots, shift.paid_hours), []).append(shift)
    return [_Kind(day=day, begin=slot * step, end=(slot + length) * step, clock=grid.clock_minutes(slot, day),
                  weekday=grid.dates[day].weekday(), paid_hours=paid, shifts=tuple(group))
            for (day, slot, length, paid), group in sorted(alike.items())]


def _able(named: Availability, kinds: list[_Kind]) -> np.ndarray:
    """Agents x kinds: may the agent ever work the kind (weekday, window, weekly maximum)."""
    if not kinds:
        return np.zeros((len(named.ids), 0), dtype=bool)
    return np.stack([named.can_work(k.weekday, k.clock, k.clock + (k.end - k.begin), k.paid_hours) for k in kinds],
                    axis=1)


def _rest_cliques(ends: np.ndarray, begins: np.ndarray, rest: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Groups of shifts no two of which one agent may work: (earlier day's kinds, later day's kinds) positions.

    Shift ``i`` of the earlier day and ``j`` of the later clash when ``ends[i] + rest > begins[j]``. For each
    later start ``b`` the earlier shifts ending after ``b - rest`` clash with every later shift starting by ``b``;
    only the largest such groups are kept.
    """
    out = []
    order = np.argsort(begins, kind="stable")
    distinct = np.unique(begins)
    counts = [(b, int((ends + rest > b).sum())) for b in distinct]
    for position, (b, count) in enumerate(counts):
        if count == 0:
            continue
        if position + 1 < len(counts) and counts[position + 1][1] == count:
            continue  # the next start clashes with the same earlier shifts and more later ones
        later = order[begins[order] <= b]
        out.append((np.flatnonzero(ends + rest > b), later))
    return out


def roster_exact(shifts: list[ShiftInstance], grid: Grid, named: Availability, rules: RosterRules,
                 start: Sequence[tuple[str, ShiftInstance]] = (),
                 ) -> tuple[list[tuple[str, ShiftInstance]], list[ShiftInstance], list[str], bool]:
    """Give one group's shifts to its named agents, exactly: an integer program over whole weekly tours.

    Hard rules: an agent works a shift only on a day and in a window they are available, at most one shift a
    day, ``rules.min_rest_hours`` between shifts, at most ``rules.max_consecutive_days`` in a row (round the
    plan's wrap, as it repeats), at most ``rules.max_days_per_week`` days a week, at most their maximum contract
    hours, and all their start times within
    ``rules.start_band_minutes`` of each other. Within them, one weighted objective whose weights keep the
    priority order: as many shifts assigned as possible (:data:`UNASSIGNED_WEIGHT`), then weekend shifts within
    one of each other, the fewest agents and hours below minimum contracts, days off taken together, weekend
    shifts at most the fair share, start times stable across the week, starts near the preferred ones.

    ``start`` is a roster keeping these rules (the greedy pass's): HiGHS starts from it, so the roster returned
    is never worse on the objective. Where it breaks a row of the model, the agents concerned start empty.
    When it already leaves no more shifts open than the shifts' own availability forces, the fewest unassigned
    shifts is proven without a first round.

    Returns
    -------
    (agent_id, shift) pairs, the shifts left unassigned (each with ``blocked_by`` naming the agents and rules
    that stop it), the ids of agents left below their minimum hours, and whether the fewest unassigned shifts
    were proven (False: the solver stopped at its time limit).
    """
    kinds = _kinds(shifts, grid)
    n_agents, n_kinds, n_days = len(named.ids), len(kinds), grid.n_days
    weeks = n_days / 7
    able = _able(named, kinds)
    agent_of, kind_of = np.nonzero(able)
    n_pairs = len(agent_of)
    pair = {(int(a), int(k)): i for i, (a, k) in enumerate(zip(agent_of, kind_of, strict=True))}
    costs: list[float] = []
    uppers: list[float] = []
    integral: list[int] = []

    def columns(count: int, cost: float | Sequence[float], upper: float, integer: bool) -> int:
        first = len(costs)
        costs.extend([cost] * count if isinstance(cost, float) else cost)
        uppers.extend([upper] * count)
        if integer:
            integral.extend(range(first, first + count))
        return first

    preferred = named.preferred[agent_of]
    clock_of = np.array([kinds[k].clock for k in kind_of], dtype=float)
    distance = np.nan_to_num(np.minimum(np.abs(clock_of - preferred) / 60, 4))
    y0 = columns(n_pairs, list(PREFERENCE_WEIGHT * distance), 1.0, True)
    u0 = columns(n_kinds, UNASSIGNED_WEIGHT, np.inf, True)
    for k, kind in enumerate(kinds):
        uppers[u0 + k] = float(len(kind.shifts))
    short0 = columns(n_agents, BELOW_MIN_WEIGHT, np.inf, False)
    below0 = columns(n_agents, BELOW_MIN_AGENT_WEIGHT, 1.0, True)
    rows = _Rows()
    by_agent_day: dict[tuple[int, int], list[int]] = {}
    for i, (who, what) in enumerate(zip(agent_of.tolist(), kind_of.tolist(), strict=True)):
        by_agent_day.setdefault((who, kinds[what].day), []).append(i)

    def day_terms(a: int, day: int) -> list[int]:
        return [y0 + i for i in by_agent_day.get((a, day % n_days), [])]

    for k, kind in enumerate(kinds):  # each kind's shifts: assigned or unassigned
        takers = [y0 + pair[(int(a), k)] for a in np.flatnonzero(able[:, k])]
        rows.add([*takers, u0 + k], [1.0] * (len(takers) + 1), len(kind.shifts), len(kind.shifts))
    paid = np.array([k.paid_hours for k in kinds])
    rest = rules.min_rest_hours * 60
    plan_minutes = grid.n_slots * grid.interval_minutes
    weekend_kinds = np.array([k.weekday >= 5 for k in kinds], dtype=bool)
    weekend_able = able[:, weekend_kinds].any(axis=1)
    weekend_shifts = sum(len(k.shifts) for k in kinds if k.weekday >= 5)
    fair = weekend_shifts // max(int(weekend_able.sum()), 1)
    aux: dict[int, tuple[int, int, int, int]] = {}  # agent -> first switch, split, weekend excess, start columns
    for a in range(n_agents):
        mine = [pair[(a, int(k))] for k in np.flatnonzero(able[a])]
        if not mine:
            continue
        hours = [y0 + i for i in mine]
        rows.add(hours, list(paid[kind_of[mine]]), -np.inf, named.max_hours[a] * weeks, a)
        rows.add([*hours, short0 + a], [*paid[kind_of[mine]], 1.0], named.min_hours[a] * weeks, np.inf, a)
        rows.add([short0 + a, below0 + a], [1.0, -named.min_hours[a] * weeks], -np.inf, 0.0, a)
        for day in range(n_days):
            terms = day_terms(a, day)
            if len(terms) > 1:
                rows.add(terms, [1.0] * len(terms), -np.inf, 1.0, a)
        # Rest: shifts on a day against those one and two days later (round the wrap).
        for day in range(n_days):
            earlier = by_agent_day.get((a, day), [])
            if not earlier:
                continue
            ends = np.array([kinds[kind_of[i]].end for i in earlier])
            for ahead in (1, 2):
                later = by_agent_day.get((a, (day + ahead) % n_days), [])
                if not later:
                    continue
                wrap = plan_minutes if day + ahead >= n_days else 0.0
                begins = np.array([kinds[kind_of[i]].begin + wrap for i in later])
                for first, second in _rest_cliques(ends, begins, rest):
                    terms = [y0 + earlier[p] for p in first] + [y0 + later[p] for p in second]
                    rows.add(terms, [1.0] * len(terms), -np.inf, 1.0, a)
        # At most max_consecutive_days working days in any run of one more (round the wrap).
        span = rules.max_consecutive_days + 1
        for day in range(n_days if n_days > span else 1):
            terms = [t for d in range(day, day + min(span, n_days)) for t in day_terms(a, d)]
            if len(terms) > rules.max_consecutive_days:
                rows.add(terms, [1.0] * len(terms), -np.inf, rules.max_consecutive_days, a)
        for week in range(math.ceil(weeks)):
            terms = [t for d in range(7 * week, min(7 * week + 7, n_days)) for t in day_terms(a, d)]
            if len(terms) > rules.max_days_per_week:
                rows.add(terms, [1.0] * len(terms), -np.inf, rules.max_days_per_week, a)
        # Days off together: count the switches from working to off; more than one a week is penalised.
        switches = columns(n_days, 0.0, 1.0, False)
        split = columns(1, SPLIT_OFF_WEIGHT, np.inf, False)
        for day in range(n_days):
            before, today = day_terms(a, day - 1), day_terms(a, day)
            rows.add([switches + day, *before, *today], [1.0] + [-1.0] * len(before) + [1.0] * len(today),
                     0.0, np.inf, a)
        rows.add([*range(switches, switches + n_days), split], [1.0] * n_days + [-1.0], -np.inf, math.ceil(weeks),
                 a)
        # Weekend shifts above the fair share, and above it plus one.
        weekend = [y0 + i for i in mine if weekend_kinds[kind_of[i]]]
        excess = columns(1, WEEKEND_WEIGHT, np.inf, False)
        columns(1, WEEKEND_SPREAD_WEIGHT, np.inf, False)
        rows.add([*weekend, excess], [1.0] * len(weekend) + [-1.0], -np.inf, fair, a)
        rows.add([*weekend, excess + 1], [1.0] * len(weekend) + [-1.0], -np.inf, fair + 1, a)
        # Start times: earliest <= every start <= latest, spread >= latest - earliest, within the band.
        latest_clock = float(clock_of[mine].max())
        first_start = columns(1, 0.0, latest_clock, False)  # then the latest start, then the spread
        columns(1, 0.0, latest_clock, False)
        band = np.inf if rules.start_band_minutes is None else float(rules.start_band_minutes)
        columns(1, START_SPREAD_WEIGHT / 60, band, False)
        for day in range(n_days):
            today = by_agent_day.get((a, day), [])
            if today:
                rows.add([first_start, *(y0 + i for i in today)], [1.0, *(latest_clock - clock_of[today])],
                         -np.inf, latest_clock, a)
                rows.add([first_start + 1, *(y0 + i for i in today)], [1.0, *(-clock_of[today])], 0.0, np.inf, a)
        rows.add([first_start + 2, first_start + 1, first_start], [1.0, -1.0, 1.0], 0.0, np.inf, a)
        aux[a] = (switches, split, excess, first_start)
    cost = np.array(costs)
    first = np.zeros_like(cost)
    first[u0:u0 + n_kinds] = UNASSIGNED_WEIGHT
    index = {agent: row for row, agent in enumerate(named.ids)}
    kind_at = {(k.day, k.begin, k.end, k.paid_hours): n for n, k in enumerate(kinds)}
    step = grid.interval_minutes
    taken_at_start = [pair.get((index[agent], kind_at[(s.day, s.start_slot * step,
                                                        (s.start_slot + s.length_slots) * step, s.paid_hours)]))
                      for agent, s in start]
    chosen = np.array(sorted(i for i in taken_at_start if i is not None), dtype=np.int64)
    values = _start_values(chosen, agent_of, rows, lambda picks: _fill(
        picks, cost_size=len(cost), y0=y0, u0=u0, short0=short0, below0=below0, kinds=kinds, agent_of=agent_of,
        kind_of=kind_of, clock_of=clock_of, named=named, weeks=weeks, fair=fair, weekend_kinds=weekend_kinds,
        aux=aux, n_days=n_days))
    forced = int(sum(max(len(kind.shifts) - int(able[:, k].sum()), 0) for k, kind in enumerate(kinds)))
    values, proven = _solve_highs(cost, first, np.array(uppers), integral, rows, range(u0, u0 + n_kinds), values,
                                  forced, rules)
    taken = np.flatnonzero(values[y0:y0 + n_pairs] > 0.5)
    pools = [list(kind.shifts) for kind in kinds]
    assigned = [(named.ids[agent_of[i]], pools[kind_of[i]].pop()) for i in taken]
    worked = np.zeros(n_agents)
    np.add.at(worked, agent_of[taken], paid[kind_of[taken]])
    below = [named.ids[a] for a in np.flatnonzero(worked < named.min_hours * weeks - 1e-6)]
    left = [shift for pool in pools for shift in pool]
    explained = _explain(left, kinds, assigned, named, able, grid, rules)
    if not proven:  # the first round stopped at its limit: say so, not that the rules block these shifts
        explained = [replace(s, blocked_by=f"the rostering stopped at its {rules.time_limit_seconds:g} s limit "
                             f"before proving no agent can take it; {s.blocked_by}") for s in explained]
    return assigned, explained, below, proven


def _fill(picks: np.ndarray, *, cost_size: int, y0: int, u0: int, short0: int, below0: int, kinds: list[_Kind],
          agent_of: np.ndarray, kind_of: np.ndarray, clock_of: np.ndarray, named: Availability, weeks: float,
          fair: int, weekend_kinds: np.ndarray, aux: dict[int, tuple[int, int, int, int]], n_days: int,
          ) -> np.ndarray:
    """Every column of :func:`roster_exact`'s model for the agent-shift pairs ``picks`` (positions in the pairs),
    the other columns at their least values the rows allow."""
    values = np.zeros(cost_size)
    values[y0 + picks] = 1.0
    taken = np.bincount(kind_of[picks], minlength=len(kinds))
    values[u0:u0 + len(kinds)] = [len(kind.shifts) - taken[k] for k, kind in enumerate(kinds)]
    n_agents = len(named.ids)
    worked = np.bincount(agent_of[picks], weights=[kinds[k].paid_hours for k in kind_of[picks]],
                         minlength=n_agents)
    short = np.maximum(named.min_hours * weeks - worked, 0.0)
    values[short0:short0 + n_agents] = short
    values[below0:below0 + n_agents] = short > 1e-9
    days = np.zeros((n_agents, n_days), dtype=bool)
    days[agent_of[picks], [kinds[k].day for k in kind_of[picks]]] = True
    for a, (switches, split, excess, first_start) in aux.items():
        mine = picks[agent_of[picks] == a]
        on = days[a]
        values[switches:switches + n_days] = np.roll(on, 1) & ~on  # worked the day before, off this day
        values[split] = max(int(values[switches:switches + n_days].sum()) - math.ceil(weeks), 0)
        weekend = int(weekend_kinds[kind_of[mine]].sum())
        values[excess:excess + 2] = max(weekend - fair, 0), max(weekend - fair - 1, 0)
        if len(mine):
            values[first_start] = clock_of[mine].min()
            values[first_start + 1] = clock_of[mine].max()
            values[first_start + 2] = values[first_start + 1] - values[first_start]
    return values


def _start_values(picks: np.ndarray, agent_of: np.ndarray, rows: _Rows,
                  fill: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A start for HiGHS from the agent-shift pairs ``picks``: the agents whose part of it breaks one of their
    rows start empty; if it still breaks a row, nothing assigned (a start that always exists)."""
    owners = np.array(rows.owner)
    for _ in range(3):
        values = fill(picks)
        broken = owners[rows.broken(values)]
        if not len(broken):
            return values
        if (broken < 0).any():
            break
        picks = picks[~np.isin(agent_of[picks], broken)]
    return fill(np.zeros(0, dtype=np.int64))


def _solve_highs(costs: np.ndarray, first: np.ndarray, uppers: np.ndarray, integral: list[int], rows: _Rows,
                 unassigned: range, start: np.ndarray, forced: int, rules: RosterRules) -> tuple[np.ndarray, bool]:
    """Minimise ``costs`` over columns in [0, upper] (``integral`` ones integer) subject to ``rows``, in two
    rounds: first the ``first`` costs alone (the unassigned shifts), then, with no more shifts unassigned than
    that found, the whole of ``costs``, in what is left of the time limit. ``start`` is a feasible solution
    HiGHS starts both rounds from (the second from the first's answer only if that leaves fewer shifts open), so
    a roster at least as good comes back however little time the solver had. The first round is skipped when
    ``start`` leaves only the ``forced`` shifts open (those more than the agents able to take their kind).

    Returns
    -------
    The column values, and whether the first round was proven optimal (the fewest unassigned shifts).

    Raises
    ------
    SolverError
        When HiGHS returns no roster (it is given ``start``, so only when the solver fails).
    """
    started = time.perf_counter()
    highs = _core._Highs()  # highspy.Highs() prints its banner to stdout as it is made, before any option
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 1e-6)
    highs.setOptionValue("random_seed", 0)
    n = len(costs)
    everything = np.arange(n, dtype=np.int32)
    highs.addCols(n, first, np.zeros(n), uppers, 0, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32),
                  np.zeros(0))
    highs.addRows(len(rows.lower), np.array(rows.lower), np.array(rows.upper), len(rows.index),
                  np.array(rows.starts[:-1], dtype=np.int32), np.array(rows.index, dtype=np.int32),
                  np.array(rows.value, dtype=np.float64))
    highs.changeColsIntegrality(len(integral), np.array(integral, dtype=np.int32),
                                np.full(len(integral), highspy.HighsVarType.kInteger, dtype=np.uint8))

    def run(seconds: float, begin: np.ndarray) -> np.ndarray | None:
        highs.setSolution(n, everything, begin)
        highs.setOptionValue("time_limit", max(seconds, 1.0))
        highs.run()
        values = np.array(highs.getSolution().col_value)
        return values if len(values) == n and highs.getInfo().primal_solution_status == 2 else None

    def open_shifts(values: np.ndarray) -> int:
        return round(float(values[unassigned.start:unassigned.stop].sum()))

    values = start
    proven = open_shifts(start) <= forced
    if not proven:
        fewest = run(rules.time_limit_seconds * FIRST_ROUND_SHARE, start)
        if fewest is None:
            raise SolverError("the rostering's solver (HiGHS) failed: "
                              f"{highs.modelStatusToString(highs.getModelStatus())}; run again, or without --agents "
                              "to roster generated agents")
        values = fewest
        proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    left = open_shifts(values)
    highs.addRow(-np.inf, left, len(unassigned), np.array(unassigned, dtype=np.int32), np.ones(len(unassigned)))
    highs.changeColsCost(n, everything, costs)
    highs.setOptionValue("mip_rel_gap", float(rules.gap))
    begin = start if open_shifts(start) <= left else values
    better = run(rules.time_limit_seconds - (time.perf_counter() - started), begin)
    if better is None or float(costs @ better) > float(costs @ begin):
        return begin, proven
    return better, proven


def _explain(left: list[ShiftInstance], kinds: list[_Kind], assigned: list[tuple[str, ShiftInstance]],
             named: Availability, able: np.ndarray, grid: Grid, rules: RosterRules) -> list[ShiftInstance]:
    """The unassigned shifts, each with ``blocked_by``: for every rule, how many of the group's agents it
    stops from taking the shift in the roster as solved, naming up to three of them."""
    if not left:
        return []
    step = grid.interval_minutes
    index = {agent: row for row, agent in enumerate(named.ids)}
    days: dict[int, dict[int, ShiftInstance]] = {row: {} for row in range(len(named.ids))}
    for agent, shift in assigned:
        days[index[agent]][shift.day] = shift
    plan_minutes = grid.n_slots * step
    rest = rules.min_rest_hours * 60
    kind_at = {(k.day, k.begin, k.end, k.paid_hours): n for n, k in enumerate(kinds)}
    out = []
    for shift in left:
        begin, end = shift.start_slot * step, (shift.start_slot + shift.length_slots) * step
        weekday = grid.dates[shift.day].weekday()
        clock = grid.clock_minutes(shift.start_slot, shift.day)
        reasons: dict[str, list[str]] = {}
        for row, agent in enumerate(named.ids):
            mine = days[row]
            worked = sum(s.paid_hours for s in mine.values())
            if not named.days[row, weekday]:
                why = f"not available on {DAY_NAMES[weekday]}"
            elif not (named.window_from[row] <= clock and clock + end - begin <= named.window_to[row]):
                why = "outside their hours"
            elif not able[row, kind_at[(shift.day, begin, end, shift.paid_hours)]] or (
                    worked + shift.paid_hours > named.max_hours[row] * grid.n_days / 7 + 1e-6):
                why = "at their maximum hours"
            elif shift.day in mine:
                why = "already on shift that day"
            elif any(_clash(begin, end, other, shift.day, step, plan_minutes, grid.n_days, rest)
                     for other in mine.values()):
                why = f"{rules.min_rest_hours:g} h rest"
            elif _run_with(set(mine), shift.day, grid.n_days) > rules.max_consecutive_days:
                why = f"{rules.max_consecutive_days} consecutive days"
            elif sum(d // 7 == shift.day // 7 for d in mine) >= rules.max_days_per_week:
                why = f"{rules.max_days_per_week} days a week"
            elif rules.start_band_minutes is not None and np.ptp(
                    [clock, *(grid.clock_minutes(s.start_slot, s.day) for s in mine.values())]
                    ) > rules.start_band_minutes:
                why = f"{rules.start_band_minutes:g}-minute start band"
            else:
                why = "free to take it when the solver stopped at its time limit"
            reasons.setdefault(why, []).append(agent)
        text = "; ".join(f"{len(ids)} {why} ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})"
                         for why, ids in sorted(reasons.items(), key=lambda item: -len(item[1])))
        out.append(replace(shift, blocked_by=text or f"no named agents in group {shift.group!r}"))
    return out


def _clash(begin: float, end: float, other: ShiftInstance, day: int, step: int, plan_minutes: float,
           n_days: int, rest: float) -> bool:
    """Whether a shift on ``day`` from ``begin`` to ``end`` (minutes) leaves less than ``rest`` to ``other``."""
    other_begin = other.start_slot * step
    other_end = other_begin + other.length_slots * step
    for shift in (-plan_minutes, 0.0, plan_minutes):  # the plan repeats
        if other_begin + shift < end + rest and begin < other_end + shift + rest and other.day != day:
            return True
    return False


def _run_with(days: set[int], day: int, n_days: int) -> int:
    """The longest run of consecutive working days through ``day`` if it is worked too (round the wrap)."""
    worked = days | {day}
    run = 1
    for step in (-1, 1):
        k = 1
        while k < n_days and (day + step * k) % n_days in worked:
            run, k = run + 1, k + 1
    return min(run, n_days)


@dataclass(frozen=True)
class RosterFigures:
    """How a roster treats its named agents: ``split_days_off`` agents whose days off fall in more blocks than
    weeks; ``start_spread_hours`` the median and largest spread of one agent's start times over the plan;
    ``weekend_shifts_max`` the most weekend shifts one agent works and ``weekend_shifts_mean`` the mean over
    agents who may work weekends; ``preferred_start_gap_hours`` the mean distance of a start from the agent's
    preferred start (shifts of agents with one)."""

    agents_working: int
    split_days_off: int
    start_spread_hours_median: float
    start_spread_hours_max: float
    weekend_shifts_max: int
    weekend_shifts_mean: float
    preferred_start_gap_hours: float


def roster_figures(assigned: list[tuple[str, ShiftInstance]], grid: Grid, agents: pd.DataFrame) -> RosterFigures:
    """Fairness and preference figures of a roster of named agents (see :class:`RosterFigures`)."""
    team = availability(agents)
    preferred = {agent: named.preferred[row] for named in team.values() for row, agent in enumerate(named.ids)}
    weekend_able = [agent for named in team.values() for row, agent in enumerate(named.ids)
                    if named.days[row, 5:].any()]
    days: dict[str, set[int]] = {}
    clocks: dict[str, list[float]] = {}
    weekend = dict.fromkeys(weekend_able, 0)
    gaps = []
    for agent, shift in assigned:
        clock = grid.clock_minutes(shift.start_slot, shift.day)
        days.setdefault(agent, set()).add(shift.day)
        clocks.setdefault(agent, []).append(clock)
        if grid.dates[shift.day].weekday() >= 5:
            weekend[agent] = weekend.get(agent, 0) + 1
        if not np.isnan(preferred[agent]):
            gaps.append(abs(clock - preferred[agent]) / 60)
    weeks = math.ceil(grid.n_days / 7)

    def off_blocks(worked: set[int]) -> int:
        return sum(1 for day in range(grid.n_days) if day not in worked and (day - 1) % grid.n_days in worked)

    spreads = [(max(c) - min(c)) / 60 for c in clocks.values()]
    return RosterFigures(
        agents_working=len(days), split_days_off=sum(off_blocks(worked) > weeks for worked in days.values()),
        start_spread_hours_median=float(np.median(spreads)) if spreads else 0.0,
        start_spread_hours_max=max(spreads, default=0.0), weekend_shifts_max=max(weekend.values(), default=0),
        weekend_shifts_mean=float(np.mean(list(weekend.values()))) if weekend else 0.0,
        preferred_start_gap_hours=float(np.mean(gaps)) if gaps else 0.0)
