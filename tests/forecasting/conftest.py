"""Synthetic histories with known seasonality, small enough for fast tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pytest

from wfm.contracts import validate_history

#: Daily totals Monday..Sunday of the synthetic channel.
WEEKDAY_LEVELS = (1200.0, 1100.0, 1000.0, 1000.0, 900.0, 500.0, 300.0)


def day_shape(slots: int, open_hours: tuple[float, float] = (8.0, 20.0)) -> np.ndarray:
    """A two-peak intraday shape over the open hours, summing to 1; closed slots 0."""
    hours = (np.arange(slots) + 0.5) * 24 / slots
    shape = np.exp(-0.5 * ((hours - 11) / 2) ** 2) + 0.7 * np.exp(-0.5 * ((hours - 15) / 2) ** 2)
    shape = np.where((hours >= open_hours[0]) & (hours < open_hours[1]), shape, 0.0)
    return shape / shape.sum()


def make_history(days: int = 70, interval_minutes: int = 60, *, start: str = "2026-01-05",
                 tz: str = "Europe/London", channels: Sequence[str] = ("voice",),
                 levels: Sequence[float] = WEEKDAY_LEVELS, trend_per_day: float = 0.0,
                 noise: bool = False, dispersion: float = 1.0, seed: int = 0, aht_seconds: float | None = 300.0,
                 day_factor: Callable[[pd.Timestamp], float] | None = None) -> pd.DataFrame:
    """A validated history frame: ``levels`` by weekday times a fixed intraday shape (08:00-20:00).

    Closed intervals (zero expected volume) are left out, as a real export would. With ``noise``, volumes
    are Poisson, or over-dispersed (gamma-Poisson, variance ``dispersion`` times the mean) for ``dispersion``
    above 1.
    """
    rng = np.random.default_rng(seed)
    slots = 1440 // interval_minutes
    shape = day_shape(slots)
    rows = []
    for channel in channels:
        for offset, day in enumerate(pd.date_range(start, periods=days, freq="D")):
            total = levels[day.day_of_week] * (1 + trend_per_day * offset)
            if day_factor is not None:
                total *= day_factor(day)
            mean = total * shape
            rate = rng.gamma(mean / (dispersion - 1), dispersion - 1) if noise and dispersion > 1 else mean
            volume = rng.poisson(rate) if noise else np.round(mean)
            stamps = pd.date_range(day.tz_localize(tz), (day + pd.Timedelta(days=1)).tz_localize(tz),
                                   freq=f"{interval_minutes}min", inclusive="left")
            local = stamps.tz_localize(None)
            slot = (local.hour * 60 + local.minute) // interval_minutes
            keep = mean[slot] > 0
            frame = pd.DataFrame({"channel": channel, "interval_start": stamps[keep],
                                  "volume": volume[slot][keep].astype(int)})
            if aht_seconds is not None:
                frame["aht_seconds"] = aht_seconds
            rows.append(frame)
    frame = pd.concat(rows, ignore_index=True)
    return validate_history(frame, source="synthetic", interval_minutes=interval_minutes, timezone=tz)


@pytest.fixture(scope="session")
def history_factory() -> Callable[..., pd.DataFrame]:
    """Build synthetic histories (see :func:`make_history`)."""
    return make_history
