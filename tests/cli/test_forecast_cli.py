"""``wfm forecast`` and ``wfm backtest`` run as a user would, on generated sample data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "data" / "example.toml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """Nine weeks of hourly sample history for voice, chat and email."""
    path = tmp_path_factory.mktemp("sample") / "history.csv"
    done = run("data/generate.py", "--out", str(path), "--days", "63", "--interval-minutes", "60")
    assert done.returncode == 0, done.stderr
    return path


def test_forecast_writes_the_contract(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "forecast.parquet"
    done = run("-m", "wfm.cli", "forecast", "--history", str(sample), "--interval-minutes", "60",
               "--config", str(CONFIG), "--horizon-days", "7", "--model", "ets", "--out", str(out))
    assert done.returncode == 0, done.stderr
    frame = pd.read_parquet(out)
    assert list(frame.columns) == ["channel", "interval_start", "volume", "volume_lo", "volume_hi", "aht_seconds",
                                   "model"]
    assert len(frame) == 3 * 7 * 24 and sorted(frame["channel"].unique()) == ["chat", "email", "voice"]
    assert frame["interval_start"].min() == pd.Timestamp("2026-11-16", tz="Europe/London")
    assert "voice: ets" in done.stderr and "wrote 504 rows" in done.stderr


def test_backtest_json_names_a_winner_per_channel(sample: Path) -> None:
    """The sample has a strong weekly pattern under count noise. The seasonal naive copies one week's noise
    into its forecast (error variance twice the count noise), so a model that smooths over weeks should beat
    it by well over 10% (sqrt(2) near the noise floor; measured 18-22%); a broken model would not."""
    done = run("-m", "wfm.cli", "backtest", "--history", str(sample), "--interval-minutes", "60",
               "--config", str(CONFIG), "--horizon-days", "7", "--folds", "1", "--json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    models = {"seasonal_naive", "weekday_mean", "weekly_average", "daily", "ets", "sarimax", "mstl", "prophet",
              "ensemble"}
    assert len(rows) == 3 * len(models) and {row["model"] for row in rows} == models
    winners = {row["channel"]: row["model"] for row in rows if row["winner"]}
    assert set(winners) == {"chat", "email", "voice"}
    naive = {row["channel"]: row["wmape_interval"] for row in rows if row["model"] == "seasonal_naive"}
    best = {row["channel"]: row["wmape_interval"] for row in rows if row["winner"]}
    assert all(best[c] < 0.9 * naive[c] for c in best), (best, naive)
    for channel in winners:  # the ensemble's members: the channel's three best single models, best first
        ranked = sorted((row for row in rows if row["channel"] == channel and row["model"] != "ensemble"),
                        key=lambda row: row["wmape_interval"])
        ensemble = next(row for row in rows if row["channel"] == channel and row["model"] == "ensemble")
        assert ensemble["member_models"] == [row["model"] for row in ranked[:3]]


def test_bad_input_is_refused_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("channel,interval_start,volume\nvoice,2026-01-05T08:00:00+00:00,-3\n")
    done = run("-m", "wfm.cli", "forecast", "--history", str(bad), "--interval-minutes", "60",
               "--out", str(tmp_path / "f.csv"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"wfm: error: {bad}: line 2: volume: must be >= 0, got -3; a volume counts " \
                                  "contacts offered in the interval"
    assert not (tmp_path / "f.csv").exists()


def test_unknown_model_is_refused(sample: Path, tmp_path: Path) -> None:
    done = run("-m", "wfm.cli", "forecast", "--history", str(sample), "--config", str(CONFIG),
               "--interval-minutes", "60", "--model", "arima", "--out", str(tmp_path / "f.csv"))
    assert done.returncode == 1 and "model: unknown model 'arima'; use auto or one of" in done.stderr
