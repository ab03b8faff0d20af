"""data/generate.py: deterministic, on the contract, ending on a Sunday, with the promised shape."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from wfm.contracts import validate_history

GENERATOR = Path(__file__).resolve().parents[2] / "data" / "generate.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("sample_generator", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_history_is_deterministic_and_valid() -> None:
    generator = load_generator()
    first = generator.generate(days=28, interval_minutes=30)
    assert first.equals(generator.generate(days=28, interval_minutes=30))
    history = validate_history(first, source="sample", interval_minutes=30, timezone="Europe/London")
    local = history["interval_start"].dt.tz_convert("Europe/London")
    assert local.max().day_name() == "Sunday" and local.min().normalize() == pd.Timestamp("2026-10-19",
                                                                                           tz="Europe/London")
    assert sorted(history["channel"].unique()) == ["chat", "email", "voice"]
    voice = history[history["channel"] == "voice"]
    hours = voice["interval_start"].dt.tz_convert("Europe/London").dt.hour
    assert hours.min() >= 7 and hours.max() <= 21  # voice open 07:00-22:00 at most
    email_hours = history[history["channel"] == "email"]["interval_start"].dt.tz_convert("Europe/London").dt.hour
    assert set(email_hours) == set(range(24))  # email arrives around the clock
    aht = history.groupby("channel")["aht_seconds"].median()
    assert 250 < aht["voice"] < 350 and 500 < aht["chat"] < 700 and 200 < aht["email"] < 280
