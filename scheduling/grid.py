"""The planning grid: the days of the plan cut into intervals, and each group's requirement on it.

Intervals are counted in real time from local midnight of the first day, so a shift of 8 hours covers 8
hours even across a daylight-saving change. The plan wraps around: a shift running past the end of the
last day covers the first day's early intervals, as the same plan repeats the next week (the usual
cyclic-roster assumption; the post office problem makes it too).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.config import Config
from wfm.errors import ConfigError


@dataclass(frozen=True)
class Grid:
    """Intervals of the plan: ``n_slots`` intervals of ``interval_minutes`` from ``start``."""

    start: pd.Timestamp
    interval_minutes: int
    dates: tuple[dt.date, ...]
    day_slots: tuple[int, ...]
    timezone: str

    @property
    def n_slots(self) -> int:
        """Number of intervals in the plan."""
        return self.day_slots[-1]

    @property
    def n_days(self) -> int:
        """Number of days in the plan."""
        return len(self.dates)

    def slot_of(self, stamp: pd.Timestamp) -> int:
        """Interval index of a timestamp on the grid."""
        return int((stamp - self.start) // pd.Timedelta(minutes=self.interval_minutes))

    def stamp(self, slot: int | np.ndarray) -> pd.Timestamp | pd.DatetimeIndex:
        """Start time of interval ``slot`` (may lie past the plan), in the planning timezone."""
        step = pd.Timedelta(minutes=self.interval_minutes)
        if isinstance(slot, np.ndarray):
            return (self.start + pd.to_timedelta(slot * self.interval_minutes, unit="min")).tz_convert(self.timezone)
        return (self.start + slot * step).tz_convert(self.timezone)

    def local(self, date: dt.date, clock: dt.time) -> pd.Timestamp:
        """A local wall-clock time as an instant (a time skipped by DST moves forward)."""
        naive = pd.Timestamp(dt.datetime.combine(date, clock))
        return naive.tz_localize(self.timezone, ambiguous=True, nonexistent="shift_forward")

    def clock_minutes(self, slot: int, day: int) -> float:
        """Local wall-clock minutes from midnight of plan day ``day`` to the start of interval ``slot``.

        Past that day's midnight the count runs on (1500 is 01:00 the next day); across a DST change it
        follows the clock, not the elapsed time.
        """
        stamp = self.stamp(slot)
        assert isinstance(stamp, pd.Timestamp)
        return (stamp.tz_localize(None) - pd.Timestamp(self.dates[day])) / pd.Timedelta(minutes=1)

    def timestamps(self) -> pd.DatetimeIndex:
        """Start times of all intervals of the plan."""
        return pd.DatetimeIndex(self.stamp(np.arange(self.n_slots)))


def make_grid(requirements: pd.DataFrame, config: Config) -> Grid:
    """The grid of whole weeks of local days from the first requirement interval's day.

    The plan repeats, so it spans whole weeks: days missing at the end (closed days) need nobody, and
    contract hours, budget caps and the wrap from the last day to the first stay weekly.
    """
    stamps = requirements["interval_start"].dt.tz_convert(config.timezone)
    first = stamps.min().date()
    days = (stamps.max().date() - first).days + 1
    last = first + dt.timedelta(days=7 * math.ceil(days / 7) - 1)
    dates = tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    midnights = [pd.Timestamp(d).tz_localize(config.timezone, ambiguous=True, nonexistent="shift_forward")
                 for d in (*dates, last + dt.timedelta(days=1))]
    step = pd.Timedelta(minutes=config.interval_minutes)
    day_slots = tuple(int((m - midnights[0]) // step) for m in midnights)
    return Grid(start=midnights[0], interval_minutes=config.interval_minutes, dates=dates, day_slots=day_slots,
                timezone=config.timezone)


def group_requirements(requirements: pd.DataFrame, config: Config, grid: Grid) -> dict[str, np.ndarray]:
    """Each staff group's required agents per interval: the sum of its channels'; absent intervals are 0.

    Raises
    ------
    ConfigError
        When a channel with requirements is served by no staff group.
    """
    out: dict[str, np.ndarray] = {}
    slots = ((requirements["interval_start"] - grid.start) // pd.Timedelta(minutes=grid.interval_minutes))
    slots = slots.to_numpy(dtype=np.int64)
    for channel, rows in requirements.groupby("channel", sort=True).groups.items():
        group = config.group_of(str(channel))
        if group is None:
            raise ConfigError(f"groups: channel {channel!r} has requirements but no staff group serves it; add it "
                              "to the channels of a [groups.NAME] table")
        need = out.setdefault(group, np.zeros(grid.n_slots, dtype=np.int64))
        positions = requirements.index.get_indexer(rows)
        np.add.at(need, slots[positions], requirements["scheduled_agents"].to_numpy()[positions])
    return out
