"""A tiny contact center for fast end-to-end tests: one voice queue, one team, whole-hour shifts; and an
independent Erlang C (textbook formula, exact arithmetic) for the expected values of staffing tests."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
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


def erlang_c_service_level(servers: int, erlangs: Fraction, aht_seconds: Fraction, answer_seconds: Fraction,
                           ) -> mpmath.mpf:
    """Share answered within ``answer_seconds`` by M/M/N, from the textbook Erlang C formula.

    An independent reference for expected values (the library works in log space with incomplete gamma
    functions): the Poisson sums are exact rationals, only the final exponential is taken with mpmath at 50
    digits. ``servers`` must exceed the load.
    """
    assert servers > erlangs
    term, below = Fraction(1), Fraction(0)  # A^k / k!, and its sum over k < N
    for k in range(servers):
        below += term
        term = term * erlangs / (k + 1)
    waiting = term * servers / (servers - erlangs)
    p_wait = waiting / (below + waiting)
    with mpmath.workdps(50):
        decay = mpmath.exp(-mpmath.mpf((servers - erlangs) * answer_seconds / aht_seconds))
        return 1 - mpmath.mpf(p_wait.numerator) / p_wait.denominator * decay


def erlang_c_agents(calls: Fraction | float | str, aht_seconds: float | str, interval_minutes: int, service_level: str,
                    answer_seconds: float | str, max_occupancy: str = "1", concurrency: int = 1) -> int:
    """The fewest agents whose ``agents * concurrency`` servers meet the target and keep occupancy at or under
    the cap, searched upward one agent at a time with :func:`erlang_c_service_level` (0 for no calls).

    Targets are decimal strings ("0.8") so that they are the exact decimals, not their nearest binary floats.
    """
    erlangs = Fraction(calls) * Fraction(aht_seconds) / (60 * interval_minutes)
    if erlangs == 0:
        return 0
    target, cap = Fraction(service_level), Fraction(max_occupancy)
    agents = 1
    while True:
        servers = agents * concurrency
        if servers > erlangs and erlangs / servers <= cap:
            level = erlang_c_service_level(servers, erlangs, Fraction(aht_seconds), Fraction(answer_seconds))
            if level >= mpmath.mpf(target.numerator) / target.denominator:
                return agents
        agents += 1


def shrunk(agents: int, shrinkage: str) -> int:
    """Agents to schedule so that ``agents`` remain after ``shrinkage``: ceil(agents / (1 - s)), exactly."""
    return math.ceil(Fraction(agents) / (1 - Fraction(shrinkage)))
