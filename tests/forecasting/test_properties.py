"""Invariants of profiles and prediction intervals (hypothesis), progress and the explicit ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecasting import forecast
from forecasting.profile import fit_profile
from forecasting.training import Z80, prediction_bounds

volumes = arrays(np.float64, st.tuples(st.integers(7, 30), st.integers(1, 12)),
                 elements=st.floats(0, 1e4, allow_nan=False))


@given(volumes)
@settings(max_examples=60, deadline=None)
def test_profile_rows_sum_to_one_or_zero(volume: np.ndarray) -> None:
    dates = pd.date_range("2026-01-05", periods=len(volume), freq="D")
    shares = fit_profile(volume, dates).shares
    sums = shares.sum(axis=1)
    assert np.all((np.abs(sums - 1) < 1e-9) | (sums == 0))
    assert (shares >= 0).all()
    for day in range(7):  # a weekday without contacts is closed
        assert (sums[day] == 0) == (volume[dates.day_of_week == day].sum() == 0)


@given(volumes, st.floats(0, 2), st.floats(1, 50), st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_bounds_enclose_the_mean(mean: np.ndarray, rel_sd: float, dispersion: float, slot_noise: float) -> None:
    lower, upper = prediction_bounds(mean, np.full(len(mean), rel_sd), dispersion, slot_noise)
    assert (lower >= 0).all() and (lower <= mean).all() and (mean <= upper).all()
    assert np.allclose(upper - mean, Z80 * np.sqrt((mean * rel_sd) ** 2 + dispersion * mean * (1 + slot_noise)))
    assert ((upper == 0) == (mean == 0)).all()  # closed slots have an empty interval


def test_explicit_ensemble_and_progress(history_factory) -> None:
    history = history_factory(days=84, noise=True, seed=5)
    calls: list[tuple[int, int]] = []
    result = forecast(history, interval_minutes=60, horizon_days=7, model="ensemble",
                      progress=lambda done, total: calls.append((done, total)))
    choice = result.choices.iloc[0]
    assert choice["model"] == "ensemble" and choice["selection"] == "backtest"
    assert len(choice["members"].split("+")) == 3
    assert result.frame["model"].iloc[0] == f"ensemble({choice['members']})"
    assert calls[-1] == (5, 5)  # four backtest folds (the default) and the final fit
