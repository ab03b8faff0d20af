"""A tiny contact center for fast end-to-end tests: one voice queue, one team, whole-hour shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.config import Config, parse_config

TINY_CONFIG = {
    "timezone": "Europe/London",
    "interval_minutes": 15,
    "shrinkage": 0.2,
    "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20, "max_occupancy": 0.9}},
    "groups": {"team": {"channels": ["voice"]}},
    "breaks": {"lunch": {"minutes": 30, "min_shift_hours": 6, "earliest_after_hours": 3, "latest_after_hours": 5}},
    "shifts": [{"name": "day", "group": "team", "earliest_start": "07:00", "latest_start": "11:00",
                "start_step_minutes": 60, "lengths_hours": [8], "cost_per_hour": 20.0}],
    "forecast": {"model": "seasonal_naive", "country": "GB", "region": "ENG"},
    "solver": {"time_limit_seconds": 20, "gap": 0.0},
}


def tiny_config(**overrides: object) -> Config:
    """The tiny center's config, with top-level keys replaced."""
    return parse_config({**TINY_CONFIG, **overrides}, source="tiny.toml")


def tiny_history(weeks: int = 6, end: str = "2026-11-15") -> pd.DataFrame:
    """Weekday calls 08:00-18:00 (peak 20 per 15 minutes), weekends closed; AHT 240 s; ends on a Sunday."""
    days = pd.date_range(end=end, periods=7 * weeks, freq="D")
    rows = []
    for day in days:
        if day.weekday() >= 5:
            continue
        for slot in range(32, 72):
            hour = slot / 4
            calls = round(20 * np.exp(-0.5 * ((hour - 12.5) / 2.5) ** 2)) + 2
            rows.append(("voice", day + pd.Timedelta(minutes=15 * slot), calls, 240.0))
    frame = pd.DataFrame(rows, columns=["channel", "interval_start", "volume", "aht_seconds"])
    frame["interval_start"] = frame["interval_start"].dt.tz_localize("Europe/London")
    return frame
