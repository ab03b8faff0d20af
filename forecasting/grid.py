"""One channel's history as a day-by-slot matrix, and the way back to tz-aware interval starts.

Models work on a wall-clock grid: one row per local calendar day, one column per slot of the day
(``1440 / interval_minutes`` of them). On the day clocks go back, the two intervals that share a wall-clock
slot are averaged into it (and both get its forecast); on the day clocks jump forward, the missing slots
take the value of the slot before them. Intervals absent from a day the history has count as closed (volume
0); a day absent from the history altogether (a holiday or closure left out of the file) is unknown: its row
is NaN, and :attr:`ChannelSeries.present` is False there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import ConfigError
from wfm.weeks import slots_per_day


@dataclass(frozen=True)
class ChannelSeries:
    """One channel's history on the day-by-slot grid.

    Attributes
    ----------
    channel
        Channel name.
    interval_minutes
        Length of a slot.
    tz
        Timezone whose local days and wall-clock slots the grid uses.
    dates
        Consecutive local days (naive midnights), one per row.
    volume
        Contacts per day and slot, shape ``(len(dates), slots)``; NaN on days absent from the history.
    aht_seconds
        Average handle time per day and slot (NaN where there were no contacts), or None.
    """

    channel: str
    interval_minutes: int
    tz: Any
    dates: pd.DatetimeIndex
    volume: np.ndarray
    aht_seconds: np.ndarray | None

    @property
    def present(self) -> np.ndarray:
        """Days the history has (False for a day absent from it), shape ``(len(dates),)``."""
        return ~np.isnan(self.volume[:, 0])

    @property
    def slots(self) -> int:
        """Slots per day."""
        return self.volume.shape[1]

    def head(self, days: int) -> ChannelSeries:
        """The first ``days`` days (a training window for a backtest origin)."""
        aht = None if self.aht_seconds is None else self.aht_seconds[:days]
        return ChannelSeries(self.channel, self.interval_minutes, self.tz, self.dates[:days], self.volume[:days], aht)


def _day_slot(stamps: pd.Series | pd.DatetimeIndex, tz: Any, interval_minutes: int,
              ) -> tuple[pd.DatetimeIndex, np.ndarray]:
    local = pd.DatetimeIndex(stamps).tz_convert(tz).tz_localize(None)
    slot = (local.hour * 60 + local.minute) // interval_minutes
    return local.normalize(), np.asarray(slot, dtype=np.int64)


def interval_starts(dates: pd.DatetimeIndex, tz: Any, interval_minutes: int) -> pd.DatetimeIndex:
    """Every interval start of the local days ``dates`` (consecutive), tz-aware, DST days included."""
    first = pd.Timestamp(dates[0]).tz_localize(tz, nonexistent="shift_forward")
    end = (pd.Timestamp(dates[-1]) + pd.Timedelta(days=1)).tz_localize(tz, nonexistent="shift_forward")
    return pd.date_range(first, end, freq=f"{interval_minutes}min", inclusive="left")


def series_from_history(history: pd.DataFrame, channel: str, interval_minutes: int, tz: Any) -> ChannelSeries:
    """Put one channel of a validated history frame on the day-by-slot grid of ``tz``."""
    rows = history[history["channel"] == channel]
    day, slot = _day_slot(rows["interval_start"], tz, interval_minutes)
    dates = pd.date_range(day.min(), day.max(), freq="D")
    shape = (len(dates), slots_per_day(interval_minutes))
    row = np.asarray((day - dates[0]).days, dtype=np.int64)
    volume = rows["volume"].to_numpy(dtype=float)
    total = np.zeros(shape)
    count = np.zeros(shape)
    np.add.at(total, (row, slot), volume)
    np.add.at(count, (row, slot), 1.0)
    aht = None
    if "aht_seconds" in rows.columns:
        work = np.zeros(shape)
        np.add.at(work, (row, slot), np.nan_to_num(rows["aht_seconds"].to_numpy(dtype=float)) * volume)
        with np.errstate(invalid="ignore", divide="ignore"):
            aht = np.where(total > 0, work / np.where(total > 0, total, 1.0), np.nan)
    # Every wall-clock cell that exists, counted over the full absolute grid (DST days differ).
    grid_day, grid_slot = _day_slot(interval_starts(dates, tz, interval_minutes), tz, interval_minutes)
    exists = np.zeros(shape)
    np.add.at(exists, (np.asarray((grid_day - dates[0]).days, dtype=np.int64), grid_slot), 1.0)
    volume_grid = total / np.maximum(exists, 1.0)
    gap = exists == 0
    if gap.any():
        volume_grid = pd.DataFrame(np.where(gap, np.nan, volume_grid)).ffill(axis=1).fillna(0.0).to_numpy()
    absent = np.ones(len(dates), dtype=bool)
    absent[row] = False
    volume_grid = np.where(absent[:, None], np.nan, volume_grid)
    return ChannelSeries(channel, interval_minutes, tz, dates, volume_grid, aht)


def frame_from_grid(channel: str, dates: pd.DatetimeIndex, tz: Any, interval_minutes: int,
                    columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Spread day-by-slot arrays over every tz-aware interval start of ``dates`` as a long frame."""
    stamps = interval_starts(dates, tz, interval_minutes)
    day, slot = _day_slot(stamps, tz, interval_minutes)
    row = np.asarray((day - dates[0]).days, dtype=np.int64)
    out = pd.DataFrame({"channel": channel, "interval_start": stamps})
    for name, values in columns.items():
        out[name] = values[row, slot]
    return out


def to_date(value: Any, tz: Any, field: str) -> dt.date:
    """A day given as a date, an ISO string, or a midnight timestamp (converted to ``tz``)."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{field}: not a date ({value!r}); give a date such as 2026-01-05") from None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz)
    if stamp != stamp.normalize():
        raise ConfigError(f"{field}: {value} is not a midnight; give a date such as 2026-01-05")
    return stamp.date()
