"""Benchmark: recompute a week's requirements under what-if modifiers (staffing only, no solver).

Prints one JSON line per figure. Goal: under 200 ms for a modified week.

    python bench/scenarios.py --history data/sample_history.csv --config data/example.toml [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import time

from wfm.config import load_config, with_overrides
from wfm.io import read_history
from wfm.planning.plan import forecast_week, staff_week
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after

WHAT_IFS = {
    "volume +10%": Modifiers(volume_pct=10),
    "90/20 target": Modifiers(service_level=0.9),
    "Erlang A, patience 180 s": Modifiers(patience_seconds=180),
    "shrinkage 35%, occupancy 0.8": Modifiers(shrinkage=0.35, max_occupancy=0.8),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--model", default="seasonal_naive", help="forecast model (the forecast is not timed)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    config = with_overrides(load_config(args.config), model=args.model)
    history = read_history(args.history, config)
    frame = forecast_week(history, config, week_after(history)).frame
    for name, modifiers in WHAT_IFS.items():
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            _, required = staff_week(frame, config, modifiers)
            times.append(time.perf_counter() - start)
        print(json.dumps({"figure": "what_if_week_seconds", "what_if": name, "seconds": round(min(times), 4),
                          "intervals": len(required), "channels": int(required["channel"].nunique()),
                          "goal": "< 0.2"}))


if __name__ == "__main__":
    main()
