"""Scheduling benchmarks: one JSON line per figure (status, objective, bound, gap, seconds, solver, sizes).

Run from the project root::

    python bench/schedule.py                       # every figure, both solvers
    python bench/schedule.py --figure breaks --solver highs --time-limit 30

Figures: ``shifts`` (one week, peak ~150 agents, 4-10 h shifts every 15 minutes, no breaks), ``breaks`` (the
same with a 30-minute lunch and 15-minute rests), ``tours`` (breaks and weekly tours, 5 of 7 days with 2
consecutive days off), ``tours_free`` (the same with any 2 days off: 21 patterns), ``tours3`` (three staff groups,
peaks ~150, ~90 and ~50, each with breaks and weekly tours), ``scale`` (breaks at peak ~1,500 agents),
``scale_tours`` (tours at peak ~1,500), ``roster`` (500 named agents for a week).

``--table`` runs the same-run table instead: shifts / breaks / tours x 1 and 3 groups x peak 150 and 1,500 x
15- and 30-minute intervals, one line each (the default solver, the config's 60 s unless ``--time-limit``),
with CPU seconds (this process and its solver processes) beside the wall clock, and the load average.

Each line also gives ``short_agent_hours`` (recomputed from the roster) and, where the solver reports them,
``first_covered_seconds`` (first solution leaving nothing short) and ``gap_reached_seconds`` (first within
1% of the LP bound).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling import solve_schedule  # noqa: E402
from wfm.config import Config, parse_config  # noqa: E402

WEEK_START = "2026-01-05"


def requirements(peak: int, *, days: int = 7, seed: int = 7, interval_minutes: int = 15) -> pd.DataFrame:
    """A 24/7 center's week: two daily humps, quiet nights, lighter weekends."""
    rng = np.random.default_rng(seed)
    stamps = pd.date_range(WEEK_START, periods=days * 24 * 60 // interval_minutes, freq=f"{interval_minutes}min",
                           tz="Europe/London")
    hour = stamps.hour + stamps.minute / 60
    shape = 0.08 + 0.92 * np.maximum(np.exp(-((hour - 10.5) / 2.6) ** 2), 0.85 * np.exp(-((hour - 15.5) / 3) ** 2))
    weekday = np.where(stamps.day_of_week >= 5, 0.65, 1.0) * np.where(stamps.day_of_week == 0, 1.0, 0.93)
    agents = np.round(peak * shape * weekday * rng.uniform(0.95, 1.05, len(stamps))).astype(int)
    return pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": agents})


#: The three-group figure: channel, staff group and peak agents.
THREE_GROUPS = (("voice", "agents", 150), ("chat", "chat_team", 90), ("email", "back_office", 50))


def three_group_requirements(scale: float = 1.0, interval_minutes: int = 15) -> pd.DataFrame:
    """Three channels' weeks, each the :func:`requirements` shape at its own peak (times ``scale``) and noise."""
    frames = [requirements(round(peak * scale), seed=7 + i, interval_minutes=interval_minutes).assign(channel=channel)
              for i, (channel, _, peak) in enumerate(THREE_GROUPS)]
    return pd.concat(frames, ignore_index=True)


def config(*, breaks: bool, tours: bool, consecutive_off: bool = True, groups: int = 1,
           interval_minutes: int = 15) -> Config:
    """One flexible template per group: starts every interval all day, 4-10 hours (tours: 8 or 10); on 30-minute
    intervals the paid rest is 30 minutes (a break fills whole intervals)."""
    chosen = THREE_GROUPS[:groups]
    templates = []
    for _, group, _ in chosen:
        last = f"23:{60 - interval_minutes:02d}"
        template = {"name": f"flex_{group}", "group": group, "earliest_start": "00:00", "latest_start": last,
                    "lengths_hours": [4, 6, 8, 10], "cost_per_hour": 20.0,
                    "start_step_minutes": interval_minutes}
        if not breaks:
            template["breaks"] = []
        if tours:
            template["days_off"] = {"working_days": 5, "consecutive_off": consecutive_off}
            template["lengths_hours"] = [8, 10]
        templates.append(template)
    return parse_config({
        "timezone": "Europe/London", "interval_minutes": interval_minutes,
        "channels": {channel: {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}
                     for channel, _, _ in chosen},
        "groups": {group: {"channels": [channel]} for channel, group, _ in chosen},
        "breaks": {"lunch": {"minutes": 30, "min_shift_hours": 6, "earliest_after_hours": 3, "latest_after_hours": 5},
                   "rest": {"minutes": max(15, interval_minutes), "paid": True, "every_hours": 4}},
        "shifts": templates}, source="bench")


def agents_frame(count: int, seed: int = 11) -> pd.DataFrame:
    """Named agents: 70% full time (32-48 h), 30% part time (12-28 h on 4 days); a quarter each available
    any time, early (05:00-17:00), by day (08:00-22:00) or late (12:00-04:00)."""
    rng = np.random.default_rng(seed)
    windows = [("00:00", "48:00"), ("05:00", "17:00"), ("08:00", "22:00"), ("12:00", "28:00")]
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    rows = []
    for i in range(count):
        full = rng.random() < 0.7
        start, end = windows[i % 4]
        rows.append({"agent_id": f"A{i:04d}", "group": "agents", "min_hours": 32.0 if full else 12.0,
                     "max_hours": 48.0 if full else 28.0,
                     "days": " ".join(days if full else sorted(rng.choice(days, 4, replace=False), key=days.index)),
                     "available_from": start, "available_to": end, "preferred_start": ""})
    return pd.DataFrame(rows)


def emit(figure: str, result, extra: dict | None = None) -> None:
    s = result.summary
    r = s.solver
    line = {"figure": figure, "status": r.status, "objective": round(r.objective, 2), "bound": round(r.bound, 2),
            "lp_bound": round(r.lp_bound, 2),
            "gap": round(r.gap, 5), "seconds": round(r.seconds, 2), "solver": r.backend, "model": r.model,
            "integer_variables": r.integer_variables, "constraints": r.constraints,
            "required_agent_hours": s.required_agent_hours, "paid_hours": s.paid_hours,
            "paid_hours_per_required_hour": round(s.paid_hours_per_required_hour, 4),
            "coverage": round(s.coverage, 5), "efficiency": round(s.efficiency, 5), "agents": s.agents,
            "unassigned_shifts": s.unassigned_shifts, "agents_below_min_hours": s.agents_below_min_hours,
            "roster_seconds": round(s.roster_seconds, 2), "short_agent_hours": round(s.under_agent_hours, 2),
            "short_intervals": s.unmet_intervals,
            **{k: round(getattr(r, k), 2) for k in ("first_covered_seconds", "gap_reached_seconds") if hasattr(r, k)},
            **({"status_headline": s.status.headline()} if hasattr(s, "status") else {}), **(extra or {})}
    print(json.dumps(line), flush=True)


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (solver runs, worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def table(*, time_limit: float | None, gap: float | None, progress) -> None:
    """The same-run table: every model x 1 and 3 groups x peak 150 and 1,500 x 15 and 30 minutes."""
    for model in ("shifts", "breaks", "tours"):
        for groups in (1, 3):
            for peak in (150, 1500):
                for minutes in (15, 30):
                    cfg = config(breaks=model != "shifts", tours=model == "tours", groups=groups,
                                 interval_minutes=minutes)
                    need = (three_group_requirements(peak / 150, minutes) if groups == 3
                            else requirements(peak, interval_minutes=minutes))
                    cpu, started = cpu_seconds(), time.perf_counter()
                    result = solve_schedule(need, cfg, time_limit_seconds=time_limit, gap=gap, progress=progress)
                    emit(f"{model}_g{groups}_p{peak}_{minutes}min", result, {
                        "wall_seconds": round(time.perf_counter() - started, 2),
                        "cpu_seconds": round(cpu_seconds() - cpu, 2),
                        "load_average": round(os.getloadavg()[0], 2),
                        "time_limit": time_limit or cfg.solver.time_limit_seconds,
                        "gap_limit": gap if gap is not None else cfg.solver.gap})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figure", action="append",
                        choices=["shifts", "breaks", "tours", "tours_free", "tours3", "scale", "scale_tours", "roster"])
    parser.add_argument("--solver", action="append", choices=["cbc", "highs"])
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--gap", type=float, default=None, help="relative gap (default 0.001; --table: config's)")
    parser.add_argument("--table", action="store_true", help="the same-run table (see the module docs)")
    parser.add_argument("--verbose", action="store_true", help="print progress to stderr")
    args = parser.parse_args()
    progress = (lambda message: print(message, file=sys.stderr, flush=True)) if args.verbose else None
    if args.table:
        table(time_limit=args.time_limit, gap=args.gap, progress=progress)
        return
    args.gap = 0.001 if args.gap is None else args.gap
    figures = args.figure or ["shifts", "breaks", "tours", "tours_free", "tours3", "scale", "scale_tours", "roster"]
    solvers = args.solver or ["cbc", "highs"]
    limits = {"shifts": 30, "breaks": 30, "tours": 120, "tours_free": 120, "tours3": 60, "scale": 300,
              "scale_tours": 300, "roster": 60}
    for figure in figures:
        limit = args.time_limit or limits[figure]
        for solver in solvers if figure != "roster" else solvers[:1]:
            started = time.perf_counter()
            if figure == "tours3":
                result = solve_schedule(three_group_requirements(), config(breaks=True, tours=True, groups=3),
                                        solver=solver, time_limit_seconds=limit, gap=args.gap, progress=progress)
            elif figure == "scale_tours":
                result = solve_schedule(requirements(1500), config(breaks=True, tours=True), solver=solver,
                                        time_limit_seconds=limit, gap=args.gap, progress=progress)
            elif figure == "scale":
                result = solve_schedule(requirements(1500), config(breaks=True, tours=False), solver=solver,
                                        time_limit_seconds=limit, gap=args.gap, progress=progress)
            elif figure == "tours_free":
                result = solve_schedule(requirements(150), config(breaks=True, tours=True, consecutive_off=False),
                                        solver=solver, time_limit_seconds=limit, gap=args.gap, progress=progress)
            elif figure == "roster":
                result = solve_schedule(requirements(150), config(breaks=True, tours=False), solver=solver,
                                        time_limit_seconds=limit, gap=0.01, agents=agents_frame(500), progress=progress)
            else:
                result = solve_schedule(requirements(150), config(breaks=figure != "shifts", tours=figure == "tours"),
                                        solver=solver, time_limit_seconds=limit, gap=args.gap, progress=progress)
            emit(figure, result, {"wall_seconds": round(time.perf_counter() - started, 2), "time_limit": limit})


if __name__ == "__main__":
    main()
