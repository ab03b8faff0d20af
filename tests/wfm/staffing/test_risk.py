"""Staffing to a risk level, checked against a simulation of volumes drawn from the stated distribution.

The simulation draws each day's common factor and each interval's own noise as lognormals built here from the
band's definition (mean m, sd (hi - m) / 1.2816, a daily relative sd r), and counts how often the plain queue
formula (:func:`queue_metrics` at the drawn volume) reaches the target: no threshold search, no quadrature.
With 12,000 draws a probability's standard error is at most 0.0046; the tolerance is 0.02 (over 4 errors).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.wfm.tiny_center import tiny_config
from wfm.contracts import Z80
from wfm.errors import DataError, InputError
from wfm.staffing import queue_metrics, requirements
from wfm.staffing.risk import (
    all_meet_probability,
    channel_risk,
    daily_risk,
    interval_risk,
    risk_requirements,
)

DRAWS = 12_000
TOLERANCE = 0.02
DAILY_SD, DISPERSION = 0.08, 1.3  # the band's daily relative error and count over-dispersion


def _forecast(days: int = 2) -> pd.DataFrame:
    """A voice queue, 12 quarter-hours a day, with an 80% band of the forecast's form."""
    mean = np.tile(np.array([4, 8, 15, 25, 40, 55, 60, 50, 35, 20, 10, 0.0]), days)
    starts = np.concatenate([pd.date_range(f"2026-11-{16 + d} 09:00", periods=12, freq="15min",
                                           tz="Europe/London") for d in range(days)])
    sd = np.sqrt((mean * DAILY_SD) ** 2 + DISPERSION * mean)
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "volume": mean,
                         "volume_lo": np.maximum(mean - Z80 * sd, 0), "volume_hi": mean + Z80 * sd,
                         "aht_seconds": 240.0})


def _simulate(forecast: pd.DataFrame, agents: np.ndarray, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Drawn volumes (draws x intervals) and whether each draw meets the 80/20 target."""
    rng = np.random.default_rng(seed)
    mean = forecast["volume"].to_numpy()
    sd = (forecast["volume_hi"].to_numpy() - mean) / Z80
    sigma2 = np.log1p(np.divide(sd, mean, out=np.zeros_like(mean), where=mean > 0) ** 2)
    daily2 = np.minimum(np.log1p(DAILY_SD**2), sigma2)
    day = pd.factorize(forecast["interval_start"].dt.date)[0]
    common = rng.standard_normal((DRAWS, day.max() + 1))[:, day]
    own = rng.standard_normal((DRAWS, len(mean)))
    log_volume = np.log(np.where(mean > 0, mean, 1)) - sigma2 / 2 + np.sqrt(daily2) * common \
        + np.sqrt(sigma2 - daily2) * own
    volume = np.where(mean > 0, np.exp(log_volume), 0.0)
    level = queue_metrics(np.broadcast_to(agents, volume.shape), volume, 240.0, 15, 20).service_level
    return volume, level >= 0.8


def test_interval_day_and_week_probabilities_match_simulation() -> None:
    config = tiny_config()
    made = _forecast()
    staffed = requirements(made, config)  # agents for the expected volume, plus two: the week is often missed
    staffed["agents"] += 2 * (staffed["volume"] > 0)
    risk = interval_risk(made, staffed, config)
    volume, meets = _simulate(made, staffed["agents"].to_numpy())
    busy = made["volume"].to_numpy() > 0
    np.testing.assert_allclose(risk["p_meet"].to_numpy()[busy], meets.mean(axis=0)[busy], atol=TOLERANCE)
    assert (risk["p_meet"].to_numpy()[~busy] == 1).all()
    day = made["interval_start"].dt.date.to_numpy()
    simulated_days = [meets[:, day == d].all(axis=1).mean() for d in sorted(set(day))]
    np.testing.assert_allclose(daily_risk(risk)["day_probability"], simulated_days, atol=TOLERANCE)
    assert all_meet_probability(risk) == pytest.approx(meets.all(axis=1).mean(), abs=TOLERANCE)
    assert 0.05 < meets.all(axis=1).mean() < 0.95  # a case where the answer is not trivially 0 or 1
    share = channel_risk(risk)["intervals_meeting_target"].iloc[0]  # of busy intervals, expected to meet it
    assert share == pytest.approx(meets[:, busy].mean(), abs=TOLERANCE)
    level = queue_metrics(np.broadcast_to(staffed["agents"].to_numpy(), volume.shape), volume, 240.0, 15, 20)
    expected = (volume * level.service_level).mean(axis=0)[busy] / volume.mean(axis=0)[busy]
    np.testing.assert_allclose(risk["expected_service_level"].to_numpy()[busy], expected, atol=0.005)


@pytest.mark.parametrize("probability", [0.7, 0.95])
def test_risk_staffing_meets_every_interval_with_the_probability(probability: float) -> None:
    config = tiny_config()
    made = _forecast(days=1)
    staffed = risk_requirements(made, config, probability)
    _, meets = _simulate(made, staffed["agents"].to_numpy(), seed=11)
    busy = made["volume"].to_numpy() > 0
    assert (meets.mean(axis=0)[busy] >= probability - TOLERANCE).all()
    summary = channel_risk(interval_risk(made, staffed, config)).iloc[0]
    assert summary["interval_probability"] >= probability
    assert summary["week_probability"] == pytest.approx(meets.all(axis=1).mean(), abs=TOLERANCE)


def test_risk_staffing_rises_monotonically_with_the_probability() -> None:
    config = tiny_config()
    made = _forecast(days=1)
    base = requirements(made, config)["agents"].to_numpy()
    levels = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    agents = np.array([risk_requirements(made, config, p)["agents"].to_numpy() for p in levels])
    assert (np.diff(agents, axis=0) >= 0).all()
    assert (agents[0] >= base).all()
    assert agents[-1].sum() > agents[0].sum() + 5
    staffed = risk_requirements(made, config, 0.9)
    assert staffed["volume"].tolist() == made["volume"].tolist()  # the figures stay the expected volume's
    assert (staffed["scheduled_agents"] >= staffed["agents"]).all()


def test_risk_needs_the_band_and_a_probability() -> None:
    config = tiny_config()
    made = _forecast(days=1)
    with pytest.raises(DataError, match="volume_lo, volume_hi"):
        risk_requirements(made.drop(columns=["volume_lo", "volume_hi"]), config, 0.9)
    with pytest.raises(InputError, match="risk must be a probability between 0.5 and 0.999"):
        risk_requirements(made, config, 1.2)


def test_a_day_that_cannot_meet_its_target_makes_the_week_impossible() -> None:
    """A channel-day with no chance at all (two busy intervals whose agents can take 1 contact of a forecast
    100) gives 0 for the week, not a log(0) warning; the other day cannot raise it."""
    start = pd.Timestamp("2026-11-16 09:00", tz="Europe/London")
    starts = [start, start + pd.Timedelta(minutes=15), start + pd.Timedelta(days=1)]
    risk = pd.DataFrame({"channel": "voice", "interval_start": starts, "volume": 100.0,
                         "log_threshold": [0.0, 0.0, np.log(1_000.0)], "mu": np.log(100.0),
                         "daily_loading": 0.1, "own_sigma": 0.1})
    assert all_meet_probability(risk) == 0.0
