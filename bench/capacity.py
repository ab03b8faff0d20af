"""Benchmark: the capacity plan for 3 staff groups x 52 weeks, and the long-range forecast's accuracy.

Prints one JSON line per figure. Goal: the whole plan (forecast, staffing, hiring program) under 10 s on 2 cores.

    python bench/capacity.py --history data/sample_history.csv --config data/example.toml [--weeks 52]

- ``hiring_program_seconds``: the integer program alone, CBC and HiGHS side by side (same requirement);
- ``capacity_plan_seconds``: ``plan_capacity`` end to end on the history, the example's channels split into three
  groups (voice, chat, email), current agents at 90% of the first week's requirement;
- ``long_range_wape``: weekly-total error of the long-range forecast on the last 26 weeks of the history, fitted on
  what came before, against peers: the same week a year earlier (seasonal naive, no growth applied), the mean of
  the last 8 weeks, and Holt-Winters (statsmodels, additive trend, multiplicative yearly season) on weekly totals
  when the training holds two years.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
import warnings

import numpy as np
import pandas as pd

from forecasting.longrange import long_range_forecast
from wfm.capacity import plan_hiring
from wfm.config import config_to_toml_dict, load_config, parse_config
from wfm.io import read_history
from wfm.planning.capacity import plan_capacity, required_fte, salaries
from wfm.staffing import requirements
from wfm.weeks import week_after

HOLDOUT_WEEKS = 26


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the CBC solver runs as one): less hostage to the load of
    a shared machine than the wall clock."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def three_groups(path: str) -> object:
    data = config_to_toml_dict(load_config(path))
    data["groups"] = {name: {"channels": [name]} for name in data["channels"]}
    for shift in data.get("shifts", []):
        shift["group"] = "email" if shift["group"] == "backoffice" else "voice"
    data["capacity"]["groups"] = {name: {"monthly_attrition": 0.03, "salary_per_fte_week": 825.0}
                                  for name in data["groups"]}
    return parse_config(data, source="bench")


def _weekly(frame: pd.DataFrame, zone: str) -> pd.Series:
    local = frame["interval_start"].dt.tz_convert(zone)
    monday = (local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")).dt.date
    return frame.groupby(monday)["volume"].sum()


def accuracy(history: pd.DataFrame, config: object) -> None:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    zone = config.timezone  # type: ignore[attr-defined]
    for channel, rows in history.groupby("channel"):
        weekly = _weekly(rows, zone)
        weekly = weekly.iloc[1:] if len(weekly) > 1 else weekly  # a first week may be partial
        train, test = weekly.iloc[:-HOLDOUT_WEEKS], weekly.iloc[-HOLDOUT_WEEKS:]
        cut = pd.Timestamp(test.index[0]).tz_localize(zone)
        fitted_on = rows[rows["interval_start"] < cut]
        started = time.perf_counter()
        made = long_range_forecast(fitted_on, config, weeks=HOLDOUT_WEEKS, start=test.index[0])  # type: ignore[arg-type]
        ours = _weekly(made.frame, zone).reindex(test.index).to_numpy()
        ours_seconds = time.perf_counter() - started
        peers = {"trend+yearly (ours)": (ours, ours_seconds)}
        if len(train) >= 52:
            peers["same week a year earlier"] = (weekly.shift(52).reindex(test.index).to_numpy(), 0.0)
        peers["mean of the last 8 weeks"] = (np.full(HOLDOUT_WEEKS, train.iloc[-8:].mean()), 0.0)
        if len(train) >= 2 * 52:
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = ExponentialSmoothing(train.to_numpy(), trend="add", seasonal="mul", seasonal_periods=52).fit()
            peers["holt-winters weekly"] = (model.forecast(HOLDOUT_WEEKS), time.perf_counter() - started)
        for name, (predicted, seconds) in peers.items():
            wape = float(np.abs(predicted - test.to_numpy()).sum() / test.to_numpy().sum())
            print(json.dumps({"figure": "long_range_wape", "channel": channel, "method": name,
                              "weeks_ahead": HOLDOUT_WEEKS, "training_weeks": len(train), "wape": round(wape, 4),
                              "seconds": round(seconds, 3)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = three_groups(args.config)
    history = read_history(args.history, config)
    load = os.getloadavg()[0]
    # The requirement the program is timed on: the plan's own, for the same weeks.
    made = long_range_forecast(history, config, weeks=args.weeks, start=week_after(history))
    needed = required_fte(requirements(made.frame, config), config)
    first = needed.groupby("group")["required_fte"].first()
    current = {group: 0.9 * float(value) for group, value in first.items()}
    for backend in ("cbc", "highs"):
        times, cpu, plan = [], [], None
        for _ in range(args.repeats):
            started, used = time.perf_counter(), cpu_seconds()
            plan = plan_hiring(needed, current, config.capacity, salaries(config), gap=config.solver.gap,
                               backend=backend)
            times.append(time.perf_counter() - started)
            cpu.append(cpu_seconds() - used)
        assert plan is not None
        print(json.dumps({"figure": "hiring_program_seconds", "solver": backend, "groups": len(current),
                          "weeks": args.weeks, "seconds": round(min(times), 3), "cpu_seconds": round(min(cpu), 3),
                          "status": plan.status,
                          "hires": int(plan.frame["hires_starting"].sum()),
                          "short_fte_weeks": round(float(plan.frame["gap_fte"].sum()), 2), "load_1min": load}))
    agents = pd.DataFrame({"agent_id": [f"{g}{i}" for g, fte in current.items() for i in range(int(fte))],
                           "group": [g for g, fte in current.items() for _ in range(int(fte))]})
    agents["max_hours"] = config.fte_hours_per_week
    times, cpu = [], []
    for _ in range(args.repeats):
        started, used = time.perf_counter(), cpu_seconds()
        result = plan_capacity(history, config, agents, weeks=args.weeks)
        times.append(time.perf_counter() - started)
        cpu.append(cpu_seconds() - used)
    print(json.dumps({"figure": "capacity_plan_seconds", "groups": len(config.groups), "weeks": args.weeks,
                      "seconds": round(min(times), 3), "cpu_seconds": round(min(cpu), 3), "goal": "< 10",
                      "status": result.summary.status,
                      "solver_status": result.summary.solver_status, "load_1min": load}))
    accuracy(history, config)


if __name__ == "__main__":
    main()
