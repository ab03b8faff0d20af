"""forecast(default_aht_seconds=...): handle time for a history without it, with or without a config."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from forecasting import forecast
from wfm.config import parse_config
from wfm.errors import InputError


def test_a_history_without_aht_needs_no_config(history_factory) -> None:
    history = history_factory(days=35, aht_seconds=None)  # hourly, Monday 2026-01-05 to Sunday 2026-02-08
    frame = forecast(history, interval_minutes=60, default_aht_seconds=300, model="weekly_average",
                     horizon_days=1).frame
    assert len(frame) == 24
    assert frame["interval_start"].iloc[0] == pd.Timestamp("2026-02-09", tz="Europe/London")
    assert frame["aht_seconds"].eq(300.0).all()


def test_the_keyword_overrides_the_config_default(history_factory) -> None:
    history = history_factory(days=35, aht_seconds=None)
    config = parse_config({"timezone": "Europe/London", "interval_minutes": 60,
                           "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}},
                           "forecast": {"default_aht_seconds": 180}})
    frame = forecast(history, config, default_aht_seconds=240, model="weekly_average", horizon_days=1).frame
    assert frame["aht_seconds"].eq(240.0).all()


@pytest.mark.parametrize("value", [0.0, -3.0, math.nan, math.inf])
def test_the_default_must_be_positive(history_factory, value: float) -> None:
    history = history_factory(days=35, aht_seconds=None)
    with pytest.raises(InputError, match=rf"^default_aht_seconds must be a number of seconds > 0, got {value}$"):
        forecast(history, interval_minutes=60, default_aht_seconds=value, model="weekly_average", horizon_days=1)
