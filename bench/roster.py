"""Rostering benchmark: named agents given the solved shifts of a week, exactly (scheduling.roster), by the greedy
pass the exact model starts from, and, when ``--greedy`` names a copy of the greedy pass the exact model replaced
(``git show b1cfd30:scheduling/roster.py``), by it too, on the same shifts in the same run. One JSON line per
roster: agents, shifts, wall and CPU seconds, unassigned shifts, agents below their minimum hours, split days
off, start-time spread per agent, weekend and preference figures.

Run from the project root on a requirements file of a plan export, e.g. the sample week::

    python bench/roster.py --requirements out/2026-W47/requirements.csv --config data/example.toml \\
        --agents data/agents.csv --scale 1 4 --greedy /tmp/greedy_roster.py

``--scale k`` rosters k copies of the week's shifts to k copies of the agents (475 agents x 4 = 1,900).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.engine import _solved_shifts  # noqa: E402
from scheduling.grid import group_requirements, make_grid  # noqa: E402
from scheduling.model import build_model  # noqa: E402
from scheduling.roster import RosterRules, _greedy, assign_shifts, availability, roster_figures  # noqa: E402
from scheduling.solve import pick_backend, solve_model  # noqa: E402
from wfm.config import load_config  # noqa: E402
from wfm.contracts import validate_requirements  # noqa: E402
from wfm.io import read_agents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--agents", required=True)
    parser.add_argument("--scale", type=int, nargs="+", default=[1])
    parser.add_argument("--greedy", help="a copy of the greedy scheduling/roster.py to compare against")
    parser.add_argument("--time-limit", type=float, default=RosterRules.time_limit_seconds)
    args = parser.parse_args()
    config = load_config(args.config)
    agents = read_agents(args.agents, config)
    requirements = validate_requirements(pd.read_csv(args.requirements), source=args.requirements,
                                         interval_minutes=config.interval_minutes, timezone=config.timezone,
                                         channels=list(config.channels))
    grid = make_grid(requirements, config)
    model = build_model(config, grid, group_requirements(requirements, config, grid), availability(agents))
    backend = pick_backend(config.solver.backend, model.kind)
    solve_model(model, backend, time_limit_seconds=config.solver.time_limit_seconds, gap=config.solver.gap,
                say=lambda message: None)
    week = _solved_shifts(model, config)
    rules = RosterRules(time_limit_seconds=args.time_limit, start_band_minutes=config.roster.start_band_minutes)
    peers = {"exact": lambda shifts, team: assign_shifts(shifts, grid, agents=team, tours=[], rules=rules),
             "greedy": lambda shifts, team: _greedy(shifts, grid, agents=team, tours=[], rules=rules)}
    if args.greedy:
        spec = importlib.util.spec_from_file_location("greedy_roster", args.greedy)
        assert spec is not None and spec.loader is not None
        greedy = sys.modules["greedy_roster"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(greedy)
        peers["greedy_b1cfd30"] = lambda shifts, team: greedy.assign_shifts(shifts, grid, agents=team, tours=[])
    for scale in args.scale:
        team = pd.concat([agents.assign(agent_id=agents["agent_id"] + (f"-{copy}" if copy else ""))
                          for copy in range(scale)], ignore_index=True)
        shifts = week * scale
        for name, roster in peers.items():
            started, cpu = time.perf_counter(), time.process_time()
            assigned, unassigned, below = roster(shifts, team)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            figures = dataclasses.asdict(roster_figures(assigned, grid, team))
            print(json.dumps({"roster": name, "agents": len(team), "shifts": len(shifts), "seconds": round(seconds, 1),
                              "cpu_seconds": round(cpu, 1), "load_average": round(os.getloadavg()[0], 1),
                              "unassigned_shifts": len(unassigned), "agents_below_min_hours": len(below),
                              **{k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}}),
                  flush=True)


if __name__ == "__main__":
    main()
