"""Benchmark: what the Staffing page recomputes in the library when a what-if changes, for a whole week.

Prints one JSON line per figure (the best of ``--repeats``). ``page_before`` is what the page called before
the what-if work (requirements, then the headline figures, which sized the week again); ``page_after`` sizes the
week once, takes the figures from those requirements and adds the binding constraint of every channel. The base
week (no what-if) is computed once per session and not timed; nor is the forecast (seasonal naive), made once.
Goal: under 200 ms. ``cpu_seconds`` is the process's own CPU time, the fair figure on a shared machine.

    python bench/whatif.py --history data/sample_history.csv --config data/example.toml [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable

import pandas as pd

from wfm.config import Config, load_config, with_overrides
from wfm.io import read_history
from wfm.planning import scenarios
from wfm.planning.plan import forecast_week, staff_week
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after

#: What-ifs as stored plain data; with ``--before`` (run on the code before per-channel what-ifs, e.g.
#: ``PYTHONPATH=<old checkout>``) the per-channel one is left out.
WHAT_IFS = {
    "volume +15%, 90/20 on voice only": {"volume_pct": 15, "per_channel": {
        "voice": {"service_level": 0.9, "answer_seconds": 20}}},
    "volume +15%, 90/20, occupancy 90%, shrinkage 35%": {"volume_pct": 15, "service_level": 0.9,
                                                          "max_occupancy": 0.9, "shrinkage": 0.35},
    "Erlang A, patience 180 s": {"patience_seconds": 180},
}


def page_before(frame: pd.DataFrame, config: Config, modifiers: Modifiers) -> None:
    """Requirements and headline figures, as the page computed them."""
    staff_week(frame, config, modifiers)
    scenarios.evaluate(frame, config, modifiers)


def page_after(frame: pd.DataFrame, config: Config, modifiers: Modifiers) -> None:
    """Requirements, headline figures from them, and the binding constraint per channel."""
    from wfm.staffing.binding import binding_constraints  # absent from the code before (``--before``)

    effective, required = staff_week(frame, config, modifiers)
    scenarios.staffing_figures(required, effective)
    binding_constraints(required, effective)


def best(run: Callable[[], None], repeats: int) -> tuple[float, float]:
    """The fastest of ``repeats`` runs: wall seconds and CPU seconds (the CPU time of the machine's other work is
    not in it, so it is the figure to compare on a loaded machine)."""
    times = []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(wall for wall, _ in times), min(used for _, used in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--before", action="store_true", help="time page_before only, on code of before")
    args = parser.parse_args()
    config = with_overrides(load_config(args.config), model="seasonal_naive")
    history = read_history(args.history, config)
    frame = forecast_week(history, config, week_after(history)).frame
    paths = [("page_before", page_before)] if args.before else [("page_before", page_before),
                                                                 ("page_after", page_after)]
    for name, data in WHAT_IFS.items():
        if args.before and "per_channel" in data:
            continue
        modifiers = Modifiers.from_dict(data)
        for figure, path in paths:
            seconds, cpu_seconds = best(lambda path=path, modifiers=modifiers: path(frame, config, modifiers),
                                        args.repeats)
            print(json.dumps({"figure": "what_if_recompute_seconds", "path": figure, "what_if": name,
                              "code": "before" if args.before else "after",
                              "seconds": round(seconds, 4), "cpu_seconds": round(cpu_seconds, 4),
                              "load_average": round(os.getloadavg()[0], 2), "rows": len(frame),
                              "channels": int(frame["channel"].nunique()), "goal": "< 0.2"}), flush=True)


if __name__ == "__main__":
    main()
