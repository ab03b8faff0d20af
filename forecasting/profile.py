"""Intraday profiles: the share of a day's contacts that falls in each slot, by weekday.

A daily-total forecast times a profile gives an interval forecast. The profile pools the last ``weeks``
ordinary days of each weekday, weighting a week ``k`` weeks back by ``decay ** k``; summing volumes
(rather than averaging daily shares) weights busy days more. A weekday with no contacts at all in the
window has an all-zero profile, and a slot with none is closed: both stay closed in forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class IntradayProfile:
    """Shares of the day per weekday (Monday = 0) and slot.

    Attributes
    ----------
    shares
        Shape ``(7, slots)``; each row sums to 1, or is all zero for a closed weekday.
    """

    shares: np.ndarray

    def for_dates(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Shares for each of ``dates`` by its weekday, shape ``(len(dates), slots)``."""
        return self.shares[np.asarray(dates.day_of_week)]


def normalise(weights: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; all-zero rows stay zero."""
    totals = weights.sum(axis=-1, keepdims=True)
    return np.divide(weights, totals, out=np.zeros_like(weights, dtype=float), where=totals > 0)


def fit_profile(volume: np.ndarray, dates: pd.DatetimeIndex, include: np.ndarray | None = None, *,
                weeks: int = 8, decay: float = 0.85) -> IntradayProfile:
    """Estimate the weekday-by-slot profile from the most recent ``weeks`` ordinary days of each weekday.

    Parameters
    ----------
    volume
        Contacts per day and slot, shape ``(days, slots)``.
    dates
        The local day of each row.
    include
        Days to learn from (False for holidays and outliers); all days when None.
    weeks
        How many recent ordinary days of each weekday to pool.
    decay
        Weight of each older week relative to the next newer one, in (0, 1].

    Examples
    --------
    >>> days = pd.date_range("2026-01-05", periods=14, freq="D")
    >>> fit_profile(np.tile([1.0, 3.0], (14, 1)), days).shares[0]
    array([0.25, 0.75])
    """
    include = np.ones(len(dates), dtype=bool) if include is None else include
    weekday = np.asarray(dates.day_of_week)
    weighted = np.zeros((7, volume.shape[1]))
    for day in range(7):
        rows = np.flatnonzero(include & (weekday == day))[-weeks:][::-1]
        if rows.size:
            weighted[day] = (decay ** np.arange(rows.size)) @ volume[rows]
    return IntradayProfile(normalise(weighted))


def pooled_shares(volume: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One profile pooled over the given rows (for example all holidays), shape ``(slots,)``."""
    return normalise(volume[rows].sum(axis=0)) if rows.any() else np.zeros(volume.shape[1])
