"""Benchmark: staffing a week to a risk level, the probabilities of meeting the targets, and the risk frontier.

Forecasts the week after the history (not timed), then times, best of ``--repeats``, side by side: staffing the
week for its expected volume (the peer), staffing it to meet every queue interval's target with probability 0.9,
the probabilities of the week's staffing (interval, day and week), and the 8-point cost-vs-risk frontier
(0.5 to 0.95). Prints one JSON line per figure, wall and CPU seconds with the load average.

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


def best_seconds(run: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """Best wall and best CPU seconds of ``repeats`` runs (the CPU time is less hostage to a shared machine's
    load), and the last result."""
    times, cpu, result = [], [], None
    for _ in range(repeats):
        start, used = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return min(times), min(cpu), result


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

    def emit(figure: str, seconds: float, cpu: float, **extra: object) -> None:
        print(json.dumps({"figure": figure, "seconds": round(seconds, 4), "cpu_seconds": round(cpu, 4),
                          "intervals": rows, "load_average_1min": round(os.getloadavg()[0], 2), **extra}))

    seconds, cpu, expected = best_seconds(lambda: requirements(week, config), args.repeats)
    emit("staff week, expected volume (peer)", seconds, cpu, agent_intervals=int(expected["agents"].sum()))
    seconds, cpu, staffed = best_seconds(lambda: risk_requirements(week, config, 0.9), args.repeats)
    emit("staff week to risk 0.9", seconds, cpu, agent_intervals=int(staffed["agents"].sum()))

    def probabilities() -> object:
        risk = interval_risk(week, staffed, config)
        return channel_risk(risk), daily_risk(risk)

    seconds, cpu, (by_channel, _) = best_seconds(probabilities, args.repeats)
    emit("probabilities of the risk 0.9 week (interval, day, week)", seconds, cpu,
         lowest_interval_probability=round(float(by_channel["interval_probability"].min()), 4))
    seconds, cpu, frontier = best_seconds(lambda: risk_frontier(week, config), args.repeats)
    emit(f"frontier of {len(DEFAULT_PROBABILITIES)} points", seconds, cpu, goal_seconds=10,
         cost=[round(c) for c in frontier["cost"]])


if __name__ == "__main__":
    main()
