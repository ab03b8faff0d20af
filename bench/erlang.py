"""Benchmark: size one week of 672 x 15-minute intervals with Erlang C and Erlang A.

Prints one JSON line per figure. pyworkforce 0.5.1 (a dev extra) is timed side by side in the same run when it is
installed; both must give the same headcounts.

    python bench/erlang.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

from wfm.staffing import required_agents

INTERVALS = 672
PEAK_CALLS = 5000.0
AHT_SECONDS = 300.0
INTERVAL_MINUTES = 15
SERVICE_LEVEL, ANSWER_SECONDS, MAX_OCCUPANCY = 0.8, 20.0, 0.85


def week_of_calls() -> np.ndarray:
    """A week with a daily double peak reaching 5,000 calls per interval, quiet nights."""
    slot = np.arange(INTERVALS) % 96
    shape = np.exp(-((slot - 42) / 14.0) ** 2) + 0.8 * np.exp(-((slot - 64) / 12.0) ** 2)
    return np.round(PEAK_CALLS * shape / shape.max(), 1)


def best_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    calls = week_of_calls()

    def ours() -> np.ndarray:
        return np.asarray(required_agents(calls, AHT_SECONDS, INTERVAL_MINUTES, SERVICE_LEVEL, ANSWER_SECONDS,
                                          MAX_OCCUPANCY))

    agents = ours()
    wfm_seconds = best_seconds(ours, args.repeats)
    common = {"intervals": INTERVALS, "peak_calls": PEAK_CALLS, "aht_seconds": AHT_SECONDS}
    print(json.dumps({"figure": "erlang_c_week_seconds", "impl": "wfm", "seconds": round(wfm_seconds, 5),
                      "peak_agents": int(agents.max()), **common}))
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print(json.dumps({"figure": "erlang_c_week_seconds", "impl": "pyworkforce", "skipped": "not installed"}))
    else:
        def theirs() -> list[int]:
            return [ErlangC(transactions=c, aht=AHT_SECONDS / 60, asa=ANSWER_SECONDS / 60, interval=INTERVAL_MINUTES)
                    .required_positions(service_level=SERVICE_LEVEL, max_occupancy=MAX_OCCUPANCY)["raw_positions"]
                    for c in calls]

        reference = np.array(theirs())
        their_seconds = best_seconds(theirs, max(1, args.repeats // 2))
        print(json.dumps({"figure": "erlang_c_week_seconds", "impl": "pyworkforce-0.5.1",
                          "seconds": round(their_seconds, 5), **common}))
        print(json.dumps({"figure": "erlang_c_speedup_vs_pyworkforce", "ratio": round(their_seconds / wfm_seconds, 1),
                          "goal": ">= 10", "same_agents": bool((reference == agents).all()),
                          "intervals_differing": int((reference != agents).sum())}))

    def ours_a() -> np.ndarray:
        return np.asarray(required_agents(calls, AHT_SECONDS, INTERVAL_MINUTES, SERVICE_LEVEL, ANSWER_SECONDS,
                                          MAX_OCCUPANCY, patience_seconds=180.0))

    agents_a = ours_a()
    print(json.dumps({"figure": "erlang_a_week_seconds", "impl": "wfm", "patience_seconds": 180.0,
                      "seconds": round(best_seconds(ours_a, args.repeats), 5), "goal": "< 1",
                      "peak_agents": int(agents_a.max()), "never_above_erlang_c": bool((agents_a <= agents).all()),
                      **common}))


if __name__ == "__main__":
    main()
