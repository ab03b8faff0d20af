"""The accuracy record: issued forecasts scored against hand-computed figures, the Poisson noise floor against
a direct sum and a simulation, and a week without actuals reported as such."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.metrics import poisson_floor, poisson_mad
from wfm.errors import DataError
from wfm.planning.accuracy import NO_ACTUALS, accuracy_record, accuracy_table
from wfm.planning.store import Store

ZONE = "Europe/London"
CONFIG = {"timezone": ZONE, "interval_minutes": 60, "channels": {"voice": {"kind": "voice"}}}


def mad_by_sum(rate: float) -> float:
    """E|N - rate| for N ~ Poisson(rate), summed term by term over the probability mass function."""
    total, term = 0.0, math.exp(-rate)  # P(N = 0)
    for n in range(int(rate * 3 + 60)):
        total += abs(n - rate) * term
        term *= rate / (n + 1)
    return total


@pytest.mark.parametrize("rate", [0.3, 1.0, 2.5, 10.0, 37.2, 100.0])
def test_poisson_mad_is_the_direct_sum(rate: float) -> None:
    assert poisson_mad(np.array([rate]))[0] == pytest.approx(mad_by_sum(rate), rel=1e-12)


def test_poisson_floor_matches_a_simulation_and_the_known_levels() -> None:
    rates = np.array([0.0, 0.7, 4.0, 12.5, 60.0])
    draws = np.random.default_rng(7).poisson(rates, size=(200_000, rates.size))
    simulated = np.abs(draws - rates).mean(axis=0).sum() / rates.sum()
    assert poisson_floor(rates) == pytest.approx(simulated, rel=0.01)
    # About 25% at 10 contacts per interval, 8% at 100, 2.5% at 1,000 (sqrt(2 / (pi rate)) for large rates).
    for rate, level in ((10, 0.2502), (100, 0.0797), (1000, 0.0252)):
        assert poisson_floor(np.full(4, float(rate))) == pytest.approx(level, abs=5e-4)
    assert math.isnan(poisson_floor(np.zeros(3)))


def stamps(*local: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(list(local)).tz_localize(ZONE)


def issued_frame(days: list[str]) -> pd.DataFrame:
    """10 then 20 contacts at 09:00 and 10:00 of each day, bands [8, 12] and [15, 25]."""
    return pd.DataFrame({"channel": "voice", "interval_start": stamps(*(f"{d} {h}" for d in days
                                                                          for h in ("09:00", "10:00"))),
                         "volume": [10.0, 20.0] * len(days), "volume_lo": [8.0, 15.0] * len(days),
                         "volume_hi": [12.0, 25.0] * len(days), "aht_seconds": 300.0, "model": "ets"})


def history(rows: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"channel": "voice", "interval_start": stamps(*rows), "volume": list(rows.values())})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as opened:
        yield opened


def issue(store: Store, week: str, frame: pd.DataFrame) -> int:
    run = store.start_run(week, CONFIG, "/exports")
    store.finish_run(run, "ok", {}, 0, forecast=frame)
    return run


def test_scores_an_issued_forecast_against_hand_computed_figures(store: Store) -> None:
    run = issue(store, "2026-W47", issued_frame(["2026-11-16", "2026-11-17", "2026-11-18"]))
    # Monday and Tuesday arrived (Tuesday 10:00 absent: closed, so 0); Wednesday is absent although the history
    # runs on to Thursday: a missing day (a holiday), not scored.
    actuals = history({"2026-11-16 09:00": 12, "2026-11-16 10:00": 18, "2026-11-17 09:00": 7,
                       "2026-11-17 11:00": 26, "2026-11-19 09:00": 5})
    with pytest.raises(DataError, match="not an interval of the forecast"):  # 11:00 is off the forecast's grid
        accuracy_record(store, actuals)
    actuals = history({"2026-11-16 09:00": 12, "2026-11-16 10:00": 18, "2026-11-17 09:00": 7,
                       "2026-11-19 09:00": 5})
    [row] = accuracy_record(store, actuals).to_dict(orient="records")
    # Scored intervals, forecast vs actual: (10, 12), (20, 18), (10, 7), (20, 0); actual total 37.
    assert (row["week"], row["run_id"], row["model"], row["status"]) == ("2026-W47", run, "ets", "complete")
    assert (row["days_open"], row["days_scored"], row["days_missing"]) == (3, 2, 1)
    assert (row["actual_volume"], row["forecast_volume"]) == (37, 60)
    assert row["wmape_interval"] == pytest.approx((2 + 2 + 3 + 20) / 37)
    assert row["bias"] == pytest.approx((60 - 37) / 37)
    assert row["wmape_daily"] == pytest.approx((0 + 23) / 37)  # Monday 30 vs 30, Tuesday 30 vs 7
    assert row["coverage"] == pytest.approx(2 / 4)  # 12 in [8, 12], 18 in [15, 25]; 7 and 0 outside
    assert row["floor_interval"] == pytest.approx(2 * (mad_by_sum(10) + mad_by_sum(20)) / 60)
    assert row["floor_daily"] == pytest.approx(2 * mad_by_sum(30) / 60)


def test_a_week_without_actuals_is_reported_as_such_not_as_zero(store: Store) -> None:
    issue(store, "2026-W47", issued_frame(["2026-11-16", "2026-11-17"]))
    issue(store, "2026-W48", issued_frame(["2026-11-23"]))
    # Monday of week 47 arrived; Tuesday has not yet (the history ends on Monday).
    record = accuracy_record(store, history({"2026-11-16 09:00": 10, "2026-11-16 10:00": 20}))
    assert list(record["week"]) == ["2026-W47", "2026-W48"]
    partial, later = record.to_dict(orient="records")
    assert (partial["status"], partial["days_scored"], partial["days_missing"]) == ("partial", 1, 0)
    assert partial["wmape_interval"] == 0.0
    assert (later["status"], later["days_scored"]) == (NO_ACTUALS, 0)
    assert all(math.isnan(later[name]) for name in ("wmape_interval", "wmape_daily", "bias", "coverage",
                                                    "actual_volume"))
    table = accuracy_table(record)
    assert table.loc[1, ["Interval wMAPE", "Actual contacts", "Status"]].tolist() == ["—", "—", NO_ACTUALS]
    assert table.loc[0, ["Days scored", "Interval wMAPE", "Bias"]].tolist() == ["1 of 2", "0.0%", "+0.0%"]
