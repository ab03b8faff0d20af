"""Handle-time forecasts: volume-weighted average handle time per weekday and slot.

Recent ordinary days (the last 8 of each weekday) give each weekday and slot its volume-weighted AHT;
slots without contacts there fall back to the slot over all recent days, then to the channel's overall
volume-weighted AHT. A history without an ``aht_seconds`` column uses the default handle time
(``forecast(default_aht_seconds=...)``, else ``forecast.default_aht_seconds`` from the config); without one the
forecast is of volume only (``aht_seconds`` NaN), and staffing refuses it naming the channel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.grid import ChannelSeries
from forecasting.training import RECENT_WEEKS
from wfm.errors import DataError


def _weighted(work: np.ndarray, volume: np.ndarray) -> np.ndarray:
    return np.divide(work, volume, out=np.full(work.shape, np.nan), where=volume > 0)


def weighted_aht(volume: np.ndarray, aht_seconds: np.ndarray) -> float:
    """Handle time of a set of intervals, weighted by their volume: total handling seconds over contacts (NaN
    without contacts). The one definition of a day's or a week's forecast handle time."""
    contacts = float(np.sum(volume))
    return float(np.sum(volume * aht_seconds) / contacts) if contacts > 0 else float("nan")


def aht_table(series: ChannelSeries, excluded: np.ndarray, default_aht_seconds: float | None) -> np.ndarray:
    """Average handle time in seconds per weekday (Monday = 0) and slot, shape ``(7, slots)``, all > 0 (all NaN
    for a history without handle time and no default)."""
    if series.aht_seconds is None:
        # a volume forecast: no handle time (NaN), which staffing asks for by name
        return np.full((7, series.slots), np.nan if default_aht_seconds is None else float(default_aht_seconds))
    volume = np.nan_to_num(series.volume)  # a day absent from the history: no contacts, no handle time
    work = np.nan_to_num(series.aht_seconds) * volume
    recent = (np.arange(len(volume)) >= len(volume) - 7 * RECENT_WEEKS) & ~excluded
    weekday = np.asarray(series.dates.day_of_week)
    table = np.vstack([_weighted(work[recent & (weekday == day)].sum(axis=0),
                                 volume[recent & (weekday == day)].sum(axis=0)) for day in range(7)])
    by_slot = _weighted(work[recent].sum(axis=0), volume[recent].sum(axis=0))
    overall = _weighted(work.sum(keepdims=True), volume.sum(keepdims=True)).item()
    if np.isnan(overall):
        overall = default_aht_seconds
    if overall is None:
        raise DataError(f"channel {series.channel!r}: no contacts with a handle time in the history; "
                        "set forecast.default_aht_seconds in the config or pass default_aht_seconds")
    return np.where(np.isnan(table), np.where(np.isnan(by_slot), overall, by_slot), table)


def aht_forecast(table: np.ndarray, dates: pd.DatetimeIndex) -> np.ndarray:
    """The AHT table laid over ``dates``, shape ``(len(dates), slots)``."""
    return table[np.asarray(dates.day_of_week)]
