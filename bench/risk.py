"""Benchmark: staffing a week to a risk level, the probabilities of meeting the targets, and the risk frontier.

Forecasts the week after the history (not timed), then times, best of ``--repeats``, side by side: staffing the
week for its expected volume (the peer), staffing it to meet every queue interval's target with probability 0.9,
the probabilities of the week's staffing (interval, day and week), and the 8-point cost-vs-risk frontier
(0.5 to 0.95). Prints one JSON line per figure.

    python bench/risk.py --history data/sample_history.csv --config data/example.toml [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from wfm.config import load_config, with_overrides
from wfm.io import read_history
from wfm.planning.frontier import DEFAULT_PROBABILITIES, risk_frontier
from wfm.planning.plan import forecast_week
from wfm.staffing import requirements
from wfm.staffing.risk import channel_risk, daily_risk, interval_risk, risk_requirements
from wfm.weeks import week_after


def best_seconds(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = with_overrides(load_config(args.config), model="seasonal_naive")
    history = read_history(args.history, config)
    week = forecast_week(history, config, week_after(history)).frame
    rows = int((week["volume"] > 0).sum())
    load = os.getloadavg()[0]

    def emit(figure: str, seconds: float, **extra: object) -> None:
        print(json.dumps({"figure": figure, "seconds": round(seconds, 4), "intervals": rows,
                          "load_average_1min": round(load, 2), **extra}))

    seconds, expected = best_seconds(lambda: requirements(week, config), args.repeats)
    emit("staff week, expected volume (peer)", seconds, agent_intervals=int(expected["agents"].sum()))
    seconds, staffed = best_seconds(lambda: risk_requirements(week, config, 0.9), args.repeats)
    emit("staff week to risk 0.9", seconds, agent_intervals=int(staffed["agents"].sum()))

    def probabilities() -> object:
        risk = interval_risk(week, staffed, config)
        return channel_risk(risk), daily_risk(risk)

    seconds, (by_channel, _) = best_seconds(probabilities, args.repeats)
    emit("probabilities of the risk 0.9 week (interval, day, week)", seconds,
         lowest_interval_probability=round(float(by_channel["interval_probability"].min()), 4))
    seconds, frontier = best_seconds(lambda: risk_frontier(week, config), args.repeats)
    emit(f"frontier of {len(DEFAULT_PROBABILITIES)} points", seconds,
         cost=[round(c) for c in frontier["cost"]])


if __name__ == "__main__":
    main()
