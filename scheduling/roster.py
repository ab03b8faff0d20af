"""Named agents: the assignment of solved shifts to agents (the agents file is read by ``wfm.io.read_agents``).

Assignment is a greedy pass over the solved shifts, scarcest first (fewest agents who could ever take
them), then in start order: each shift goes to the eligible agent (same group, available, at least 11
hours from their shifts the day before and the day after, at most 6 consecutive working days, both counted
round the plan's wrap as it repeats, one shift a day, within max hours) who has worked fewer weekend shifts
(for a weekend shift), then who is still below their minimum hours and closest to it (so as many agents as
possible reach their minimum when there is less work than contracts), then whose preferred start is nearest,
then who has worked least.
Shifts no agent can take are reported, not dropped; agents left below their minimum hours are counted.
Named agents keep their own days (the solved days-off patterns only size the shifts per day); without an
agents file each solved tour becomes one generated agent working its pattern.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scheduling.grid import Grid
from scheduling.templates import MAX_CONSECUTIVE_DAYS
from wfm.contracts import DAY_NAMES, LATEST_CLOCK
from wfm.weeks import clock_minutes

#: Minimum rest between two shifts of one agent.
MIN_REST_HOURS = 11.0
#: Days a generated agent (no agents file, no days-off rule) works per week at most.
GENERATED_DAYS_PER_WEEK = 5
#: Shifts between two progress reports of the assignment.
PROGRESS_EVERY = 5_000


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

    def can_work(self, weekday: int, clock_start: float, clock_end: float, paid_hours: float) -> np.ndarray:
        """Which agents could take a shift starting on ``weekday`` at ``clock_start`` minutes past midnight."""
        return (self.days[:, weekday] & (self.window_from <= clock_start) & (clock_end <= self.window_to)
                & (self.max_hours >= paid_hours))


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
                  ) -> tuple[list[tuple[str, ShiftInstance]], list[ShiftInstance], list[str]]:
    """Give each shift an agent.

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

    Returns
    -------
    (agent_id, shift) pairs, the shifts no agent could take, and the ids of agents left below their
    minimum contract hours.
    """
    weeks = grid.n_days / 7
    generated = agents is None
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
                             preferred=named.preferred[row])
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
                    & (pool.days_per_week[:used, week] < pool.max_days_per_week[:used]))
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
