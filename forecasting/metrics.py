"""Accuracy measures for backtests; ``actual`` and ``predicted`` are arrays of the same shape.

- **wMAPE**: sum of absolute errors over the sum of actuals (0.1 = errors total 10% of the volume).
- **MASE**: mean absolute error over ``scale``, the in-sample mean absolute error of the weekly seasonal
  naive forecast (same slot a week earlier) on the training history; below 1 beats that naive.
- **bias**: sum of errors (forecast minus actual) over the sum of actuals; positive means over-forecast.
- **coverage**: share of actuals inside the prediction interval, over open slots (0.8 is right for an 80%
  interval).
- **Poisson floor**: the wMAPE a perfect forecast is expected to score when counts are Poisson around it, the
  noise no forecast can remove (about 25% at 10 contacts per interval, 8% at 100, 2.5% at 1,000).
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln


def wmape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Weighted mean absolute percentage error, ``sum|predicted - actual| / sum(actual)`` (NaN if no volume)."""
    total = float(np.sum(actual))
    return float(np.sum(np.abs(predicted - actual)) / total) if total > 0 else float("nan")


def bias(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Relative bias, ``sum(predicted - actual) / sum(actual)`` (NaN if no volume)."""
    total = float(np.sum(actual))
    return float(np.sum(predicted - actual) / total) if total > 0 else float("nan")


def naive_scale(history: np.ndarray, season: int) -> float:
    """In-sample mean absolute error of the seasonal naive forecast ``y[t - season]`` on a flat history."""
    flat = np.ravel(history)
    return float(np.mean(np.abs(flat[season:] - flat[:-season]))) if flat.size > season else float("nan")


def mase(actual: np.ndarray, predicted: np.ndarray, scale: float) -> float:
    """Mean absolute scaled error: mean absolute error divided by ``scale`` (NaN if the scale is 0)."""
    return float(np.mean(np.abs(predicted - actual)) / scale) if scale > 0 else float("nan")


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals within ``[lower, upper]``, over slots that are open (forecast or actual above 0)."""
    open_slots = (upper > 0) | (actual > 0)
    inside = (actual >= lower) & (actual <= upper)
    return float(np.mean(inside[open_slots])) if open_slots.any() else float("nan")


def poisson_mad(rate: np.ndarray) -> np.ndarray:
    """Mean absolute deviation ``E|N - rate|`` of Poisson counts ``N``, exactly: ``2 rate^(k+1) e^-rate / k!`` with
    ``k = floor(rate)`` (computed in log space, so large rates do not overflow; 0 for a rate of 0).

    Since ``n P(N=n) = rate P(N=n-1)``, ``E[(rate - N)+] = rate P(N=k)``, and ``E|N - rate|`` is twice that.
    """
    rate = np.asarray(rate, dtype=float)
    k = np.floor(rate)
    with np.errstate(divide="ignore"):
        log_mad = np.log(2.0) + (k + 1) * np.log(rate) - rate - gammaln(k + 1)
    return np.where(rate > 0, np.exp(log_mad), 0.0)


def poisson_floor(rate: np.ndarray) -> float:
    """Expected wMAPE of a perfect forecast of Poisson counts with these rates, ``sum E|N - rate| / sum rate``
    (NaN if no volume)."""
    total = float(np.sum(rate))
    return float(np.sum(poisson_mad(rate)) / total) if total > 0 else float("nan")
