"""Shift templates expanded on the grid: shift kinds (template x length), their break windows, their
starts on each day, and weekly days-off patterns.

Every contradiction between the rules (a break that cannot fit a shift, two break windows that overlap, a
days-off pattern that breaks the 6-consecutive-days rule) raises :class:`~wfm.errors.InfeasibleError`
naming the rule and the fix.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass

from scheduling.grid import Grid
from wfm.config import BreakRule, Config, DaysOffRule, ShiftTemplate
from wfm.errors import InfeasibleError

#: At most this many consecutive working days (the rostering rule); a days-off pattern must allow it.
MAX_CONSECUTIVE_DAYS = 6


@dataclass(frozen=True)
class BreakWindow:
    """Where one break of a shift may start, in intervals after the shift start (both ends included)."""

    key: str
    rule: str
    paid: bool
    length_slots: int
    first_offset: int
    last_offset: int

    @property
    def offsets(self) -> range:
        """Possible start offsets."""
        return range(self.first_offset, self.last_offset + 1)


@dataclass(frozen=True)
class ShiftKind:
    """A template with one length: its breaks, paid hours and cost per shift."""

    template: int
    length_slots: int
    paid_hours: float
    cost: float
    breaks: tuple[BreakWindow, ...]


@dataclass(frozen=True)
class Start:
    """A start of a template on a plan day, as an interval index (past the plan's end for a shift starting
    after midnight of the last day; coverage wraps it around)."""

    template: int
    day: int
    slot: int


def _hours(value: float) -> str:
    return f"{value:g}"


def _window(name: str, rule: BreakRule, key: str, lo_minutes: float, hi_minutes: float, length_minutes: float,
            interval_minutes: int, where: str) -> BreakWindow:
    """The start offsets of a break lying within [lo, hi] minutes after the start, inside the shift."""
    hi_minutes = min(hi_minutes, length_minutes)
    first = math.ceil(lo_minutes / interval_minutes - 1e-9)
    last = math.floor((hi_minutes - rule.minutes) / interval_minutes + 1e-9)
    if last < first:
        raise InfeasibleError(f"breaks.{name}: a {rule.minutes}-minute break does not fit between "
                              f"{_hours(lo_minutes / 60)} and {_hours(hi_minutes / 60)} hours after the start of "
                              f"{where}; widen the window or raise min_shift_hours")
    return BreakWindow(key=key, rule=name, paid=rule.paid, length_slots=rule.minutes // interval_minutes,
                       first_offset=first, last_offset=last)


def break_windows(config: Config, index: int, length_hours: float) -> tuple[BreakWindow, ...]:
    """The break windows of a shift of ``length_hours`` of template ``index``, checked to be disjoint."""
    template = config.shifts[index]
    names = tuple(config.breaks) if template.breaks is None else template.breaks
    where = f"{_hours(length_hours)}-hour shifts of template {template.name!r} (shifts[{index}])"
    minutes = length_hours * 60
    windows: list[BreakWindow] = []
    for name in names:
        rule = config.breaks[name]
        if length_hours + 1e-9 < rule.min_shift_hours:
            continue
        if rule.every_hours is None:
            assert rule.earliest_after_hours is not None and rule.latest_after_hours is not None
            windows.append(_window(name, rule, name, rule.earliest_after_hours * 60, rule.latest_after_hours * 60,
                                   minutes, config.interval_minutes, where))
            continue
        block = rule.every_hours * 60
        for k in range(1, int(length_hours / rule.every_hours + 1e-9) + 1):
            lo, hi = (k - 1) * block + block / 4, k * block - block / 4
            windows.append(_window(name, rule, f"{name}{k}", lo, hi, minutes, config.interval_minutes, where))
    spans = sorted(windows, key=lambda w: w.first_offset)
    for before, after in itertools.pairwise(spans):
        if before.last_offset + before.length_slots > after.first_offset:
            raise InfeasibleError(f"breaks.{before.rule} and breaks.{after.rule}: their windows overlap on {where}, "
                                  "so one agent's breaks could collide; narrow the windows "
                                  "(earliest_after_hours, latest_after_hours) so they are disjoint")
    return tuple(spans)


def shift_kinds(config: Config) -> list[ShiftKind]:
    """Every template with every length it allows."""
    kinds = []
    for index, template in enumerate(config.shifts):
        for length in sorted(set(template.lengths_hours)):
            windows = break_windows(config, index, length)
            unpaid_hours = sum(w.length_slots for w in windows if not w.paid) * config.interval_minutes / 60
            paid = length - unpaid_hours
            kinds.append(ShiftKind(template=index, length_slots=round(length * 60) // config.interval_minutes,
                                   paid_hours=paid, cost=paid * template.cost_per_hour, breaks=windows))
    return kinds


def start_clocks(template: ShiftTemplate) -> list[dt.time]:
    """Start times of a template from earliest to latest, every step (the window may wrap past midnight)."""
    first = template.earliest_start.hour * 60 + template.earliest_start.minute
    last = template.latest_start.hour * 60 + template.latest_start.minute
    span = (last - first) % (24 * 60)
    minutes = range(first, first + span + 1, template.start_step_minutes)
    return [dt.time((m % 1440) // 60, m % 60) for m in minutes]


def starts(config: Config, grid: Grid, index: int) -> list[Start]:
    """Starts of template ``index`` on every day of the plan (a wrapped window starts after midnight
    on the same plan day)."""
    template = config.shifts[index]
    first = template.earliest_start
    out = []
    seen: set[int] = set()
    for day, date in enumerate(grid.dates):
        for clock in start_clocks(template):
            when = date if clock >= first else date + dt.timedelta(days=1)
            slot = grid.slot_of(grid.local(when, clock))
            if slot not in seen:  # a clock time skipped by DST moves onto the next start: keep one
                seen.add(slot)
                out.append(Start(template=index, day=day, slot=slot))
    return out


def days_off_patterns(rule: DaysOffRule, where: str) -> list[tuple[bool, ...]]:
    """Weekly working-day patterns (7 booleans, Monday first, wrapping) allowed by a days-off rule.

    Raises
    ------
    InfeasibleError
        When the rule cannot give a pattern with at most 6 consecutive working days.
    """
    off = 7 - rule.working_days
    if off == 0:
        raise InfeasibleError(f"{where}.days_off.working_days: 7 working days a week repeat into more than "
                              f"{MAX_CONSECUTIVE_DAYS} consecutive working days; use at most 6")
    if rule.consecutive_off:
        return [tuple((day - first) % 7 >= off for day in range(7)) for first in range(7)]
    return [tuple(day not in free for day in range(7)) for free in itertools.combinations(range(7), off)]
