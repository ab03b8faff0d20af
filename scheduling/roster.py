"""Named agents: the agents file, and the assignment of solved shifts to agents.

Agents file (CSV or Parquet), one row per agent::

    agent_id,group,min_hours,max_hours,days,available_from,available_to,preferred_start
    A001,frontline,30,40,Mon Tue Wed Thu Fri,07:00,19:00,08:00
    A002,frontline,16,24,Sat Sun,10:00,24:00,
    A003,backoffice,30,40,,,,

- ``agent_id``: unique; ``group``: a staff group of the config;
- ``min_hours``, ``max_hours``: contracted paid hours per week (pro rata for plans of other lengths);
- ``days``: days the agent may start a shift (``Mon Tue ...``, separated by spaces); empty means every day;
- ``available_from``, ``available_to``: the agent's working window on those days, ``HH:MM``; a shift must
  start at or after ``available_from`` and end by ``available_to``, which may be ``24:00`` or later (``26:00``)
  or earlier than ``available_from`` (``02:00``) for windows running past midnight; empty means any time;
- ``preferred_start`` (optional): ``HH:MM``, the start the agent prefers.

Assignment is a greedy pass in start order over the solved shifts: each shift goes to the eligible agent
(same group, available, at least 11 hours since their last shift, at most 6 consecutive working days, one
shift a day, within max hours) who has worked fewer weekend shifts (for a weekend shift), then who is
furthest below their minimum hours, then whose preferred start is nearest, then who has worked least.
Shifts no agent can take are reported, not dropped; agents left below their minimum hours are counted.
Named agents keep their own days (the solved days-off patterns only size the shifts per day); without an
agents file each solved tour becomes one generated agent working its pattern.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scheduling.grid import Grid
from scheduling.templates import MAX_CONSECUTIVE_DAYS
from wfm.config import Config
from wfm.contracts import RowNamer
from wfm.errors import DataError
from wfm.io import read_table

AGENT_COLUMNS = ("agent_id", "group", "min_hours", "max_hours", "days", "available_from", "available_to",
                 "preferred_start")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Minimum rest between two shifts of one agent.
MIN_REST_HOURS = 11.0
#: Days a generated agent (no agents file, no days-off rule) works per week at most.
GENERATED_DAYS_PER_WEEK = 5
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


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


@dataclass
class _Agent:
    agent_id: str
    group: str
    max_minutes: float = math.inf
    min_minutes: float = 0.0
    days: tuple[bool, ...] = (True,) * 7
    window: tuple[int, int] = (0, 48 * 60)
    preferred: int | None = None
    pattern: tuple[bool, ...] | None = None
    template: int | None = None
    max_days_per_week: int = 7
    worked_minutes: float = 0.0
    last_end: float = -math.inf
    last_day: int = -10
    streak: int = 0
    weekend_shifts: int = 0
    days_per_week: dict[int, int] = field(default_factory=dict)


def _clock_minutes(text: str, source: str, where: str, column: str) -> int:
    match = _CLOCK.match(text)
    if not match or int(match.group(2)) >= 60 or int(match.group(1)) > 48:
        raise DataError(f"{source}: {where}: {column}: not a clock time ({text!r}); write HH:MM such as 07:30 "
                        "(24:00 or later for past midnight)")
    return int(match.group(1)) * 60 + int(match.group(2))


def read_agents(path: str | Path, config: Config) -> pd.DataFrame:
    """Read and validate an agents file (format in the module docstring).

    Returns a frame with the columns of ``AGENT_COLUMNS``: hours as floats, ``days`` normalised to
    ``Mon Tue ...`` (all days when empty), times as ``HH:MM`` strings (empty ones filled with 00:00/48:00).

    Raises
    ------
    DataError
        Naming the file, line, field and the fix.
    """
    frame, rows = read_table(path)
    return validate_agents(frame, config, source=str(path), rows=rows)


def validate_agents(frame: pd.DataFrame, config: Config, *, source: str, rows: RowNamer) -> pd.DataFrame:
    """Validate an agents frame; see :func:`read_agents`."""
    missing = [c for c in AGENT_COLUMNS[:4] if c not in frame.columns]
    if missing:
        raise DataError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the "
                        f"header must name {', '.join(AGENT_COLUMNS[:4])} (optional: {', '.join(AGENT_COLUMNS[4:])})")
    if frame.empty:
        raise DataError(f"{source}: the file has no agents; add one row per agent")
    out = pd.DataFrame(index=range(len(frame)))
    for position, raw in enumerate(frame.to_dict("records")):
        where = rows(position)

        def text(column: str, raw: dict = raw) -> str:
            value = raw.get(column)
            return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

        agent_id = text("agent_id")
        if not agent_id:
            raise DataError(f"{source}: {where}: agent_id: is empty; give every agent an id")
        group = text("group")
        if group not in config.groups:
            raise DataError(f"{source}: {where}: group: unknown staff group {group!r}; the config defines "
                            f"{', '.join(config.groups) or 'none'}")
        hours = {}
        for column in ("min_hours", "max_hours"):
            try:
                hours[column] = float(text(column))
            except ValueError:
                raise DataError(f"{source}: {where}: {column}: not a number ({text(column)!r}); write weekly "
                                "contract hours such as 37.5") from None
            if not 0 <= hours[column] <= 7 * 24:
                raise DataError(f"{source}: {where}: {column}: must be in [0, 168] hours a week, "
                                f"got {hours[column]:g}")
        if hours["max_hours"] < hours["min_hours"]:
            raise DataError(f"{source}: {where}: max_hours: must be >= min_hours ({hours['min_hours']:g}), "
                            f"got {hours['max_hours']:g}")
        days = text("days").replace(",", " ").split()
        unknown = [d for d in days if d.title()[:3] not in DAY_NAMES or len(d) < 3]
        if unknown:
            raise DataError(f"{source}: {where}: days: unknown day {unknown[0]!r}; write days like 'Mon Tue Wed', "
                            "or leave it empty for every day")
        chosen = {d.title()[:3] for d in days} or set(DAY_NAMES)
        times = {}
        for column, default in (("available_from", "00:00"), ("available_to", "48:00"), ("preferred_start", "")):
            value = text(column) or default
            if value:
                minutes = _clock_minutes(value, source, where, column)
                value = f"{minutes // 60:02d}:{minutes % 60:02d}"
            times[column] = value
        out.loc[position, list(AGENT_COLUMNS)] = [agent_id, group, hours["min_hours"], hours["max_hours"],
                                                  " ".join(d for d in DAY_NAMES if d in chosen),
                                                  times["available_from"], times["available_to"],
                                                  times["preferred_start"]]
    duplicated = out["agent_id"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DataError(f"{source}: {rows(position)}: agent_id: duplicate id {out['agent_id'].iloc[position]!r}; "
                        "give every agent a unique id")
    return out.astype({"min_hours": "float64", "max_hours": "float64"})


def _named_agents(agents: pd.DataFrame, weeks: float) -> list[_Agent]:
    out = []
    for row in agents.itertuples(index=False):
        start = _clock_minutes(row.available_from, "agents", "", "available_from")
        end = _clock_minutes(row.available_to, "agents", "", "available_to")
        end = end + 24 * 60 if end <= start else end
        preferred = _clock_minutes(row.preferred_start, "agents", "", "preferred_start") if row.preferred_start \
            else None
        out.append(_Agent(agent_id=str(row.agent_id), group=str(row.group), min_minutes=row.min_hours * 60 * weeks,
                          max_minutes=row.max_hours * 60 * weeks,
                          days=tuple(d in str(row.days).split() for d in DAY_NAMES), window=(start, end),
                          preferred=preferred))
    return out


def assign_shifts(shifts: list[ShiftInstance], grid: Grid, *, agents: pd.DataFrame | None,
                  tours: list[tuple[str, int, tuple[bool, ...], int]],
                  ) -> tuple[list[tuple[str, ShiftInstance]], list[ShiftInstance], list[str]]:
    """Give each shift an agent.

    Parameters
    ----------
    shifts
        The solved shifts.
    grid
        The planning grid.
    agents
        Named agents (from :func:`read_agents`), or None to generate agents: one per solved days-off tour
        (``tours``: group, template, weekly pattern, count), plus agents working at most 5 days a week for
        shifts without tours.

    Returns
    -------
    (agent_id, shift) pairs, the shifts no agent could take, and the ids of agents left below their
    minimum contract hours.
    """
    weeks = grid.n_days / 7
    pool = _named_agents(agents, weeks) if agents is not None else [
        _Agent(agent_id="", group=group, pattern=pattern, template=template)
        for group, template, pattern, count in tours for _ in range(count)]
    by_group: dict[str, list[_Agent]] = {}
    for agent in pool:
        by_group.setdefault(agent.group, []).append(agent)
    generated = agents is None

    def new_agent(group: str) -> _Agent:
        agent = _Agent(agent_id="", group=group, max_days_per_week=GENERATED_DAYS_PER_WEEK)
        by_group.setdefault(group, []).append(agent)
        return agent

    if generated:
        # Enough agents for the busiest day and for every shift at 5 days a week, so that days off rotate
        # instead of everyone starting on the first day and new agents being hired for the weekend.
        toured = {template for _, template, _, _ in tours}
        free = [s for s in shifts if s.template not in toured]
        for group in sorted({s.group for s in free}):
            mine = [s for s in free if s.group == group]
            busiest = max(sum(1 for s in mine if s.day == day) for day in range(grid.n_days))
            for _ in range(max(busiest, math.ceil(len(mine) / (GENERATED_DAYS_PER_WEEK * weeks)))):
                new_agent(group)

    assigned: list[tuple[_Agent, ShiftInstance]] = []
    unassigned: list[ShiftInstance] = []
    step = grid.interval_minutes
    for shift in sorted(shifts, key=lambda s: (s.start_slot, s.group, s.length_slots)):
        begin = shift.start_slot * step
        date = grid.dates[shift.day]
        weekday = date.weekday()
        midnight = grid.slot_of(grid.local(date, dt.time(0))) * step
        clock_start = begin - midnight
        clock_end = clock_start + shift.length_slots * step
        week = shift.day // 7
        weekend = weekday >= 5
        paid_minutes = shift.paid_hours * 60
        best: _Agent | None = None
        best_key: tuple[float, ...] = ()
        for agent in by_group.get(shift.group, ()):
            if agent.last_day == shift.day or begin - agent.last_end < MIN_REST_HOURS * 60:
                continue
            if agent.last_day == shift.day - 1 and agent.streak >= MAX_CONSECUTIVE_DAYS:
                continue
            if agent.worked_minutes + paid_minutes > agent.max_minutes + 1e-6:
                continue
            if agent.pattern is not None and (agent.template != shift.template or not agent.pattern[weekday]):
                continue
            if not agent.days[weekday] or clock_start < agent.window[0] or clock_end > agent.window[1]:
                continue
            if agent.days_per_week.get(week, 0) >= agent.max_days_per_week:
                continue
            deficit = max(agent.min_minutes - agent.worked_minutes, 0.0)
            preference = abs(clock_start - agent.preferred) if agent.preferred is not None else 0
            if generated:  # rotate days off: fewest days worked this week first, then the latest finisher
                key = (-agent.days_per_week.get(week, 0), agent.last_end)
            else:
                key = (-(agent.weekend_shifts if weekend else 0), deficit, -preference, -agent.worked_minutes)
            if best is None or key > best_key:
                best, best_key = agent, key
        if best is None and generated:
            best = new_agent(shift.group)
        if best is None:
            unassigned.append(shift)
            continue
        best.streak = best.streak + 1 if best.last_day == shift.day - 1 else 1
        best.last_day = shift.day
        best.last_end = begin + shift.length_slots * step
        best.worked_minutes += paid_minutes
        best.weekend_shifts += weekend
        best.days_per_week[week] = best.days_per_week.get(week, 0) + 1
        assigned.append((best, shift))
    if generated:
        working = {id(agent) for agent, _ in assigned}
        for group in sorted(by_group):
            numbered = [a for a in by_group[group] if id(a) in working]
            for number, agent in enumerate(numbered, start=1):
                agent.agent_id = f"{group}-{number:04d}"
    below = [a.agent_id for g in sorted(by_group) for a in by_group[g] if a.worked_minutes < a.min_minutes - 1e-6]
    return [(agent.agent_id, shift) for agent, shift in assigned], unassigned, below
