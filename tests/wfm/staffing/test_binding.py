"""Which rule decides a channel's agents, against the textbook Erlang C of tiny_center (exact arithmetic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tiny_center import TINY_CONFIG, erlang_c_agents, shrunk

from wfm.config import Config, parse_config
from wfm.staffing import required_agents, requirements
from wfm.staffing.binding import binding_constraints, describe

# 100 calls in 30 minutes at AHT 180 s (10 Erlangs), 80% within 20 s: the target alone needs 14 agents
# (occupancy 71.4%); an occupancy cap of 70% forces 15.
VOLUMES = [40.0, 100.0, 0.0]


def config(max_occupancy: float, headcount_cap: int | None = None) -> Config:
    team = {"channels": ["voice"], **({} if headcount_cap is None else {"headcount_cap": headcount_cap})}
    return parse_config({**TINY_CONFIG, "interval_minutes": 30, "groups": {"team": team},
                         "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20,
                                                "max_occupancy": max_occupancy}}}, source="test")


def required(cfg: Config) -> pd.DataFrame:
    stamps = pd.date_range("2026-11-23 09:00", periods=len(VOLUMES), freq="30min", tz="Europe/London")
    return requirements(pd.DataFrame({"channel": "voice", "interval_start": stamps, "volume": VOLUMES,
                                      "aht_seconds": 180.0}), cfg)


def test_occupancy_cap_decides_when_it_needs_more_than_the_target() -> None:
    cfg = config(0.70)
    (found,) = binding_constraints(required(cfg), cfg)
    assert (erlang_c_agents(100, 180, 30, "0.8", 20), erlang_c_agents(100, 180, 30, "0.8", 20, "0.7")) == (14, 15)
    assert found.rule == found.decides == "occupancy"
    assert (found.target_agents, found.peak_agents) == (14, 15)
    assert found.peak_start == pd.Timestamp("2026-11-23 09:30", tz="Europe/London")
    # 40 calls (4 Erlangs): the target needs 7 (occupancy 57%), under the cap; only the peak is capped.
    assert erlang_c_agents(40, 180, 30, "0.8", 20) == erlang_c_agents(40, 180, 30, "0.8", 20, "0.7")
    assert (found.capped_intervals, found.busy_intervals, found.cap_agent_hours) == (1, 2, 0.5)
    (sentence,) = describe(found, cfg)
    assert sentence.startswith("Occupancy cap 70% decides: the 80/20 target alone needs 14 agents at the peak "
                               "(Mon 09:30), the cap 15.")


def test_service_target_decides_under_a_loose_cap() -> None:
    cfg = config(0.85)
    (found,) = binding_constraints(required(cfg), cfg)
    assert found.rule == "service_level" and found.peak_agents == found.target_agents == 14
    assert found.capped_intervals == 0
    assert describe(found, cfg) == ["The 80/20 target decides: 14 agents at the peak (Mon 09:30). The occupancy "
                                    "cap 85% adds no agents in any interval."]


def test_headcount_cap_short_or_changing_nothing() -> None:
    on_shift = shrunk(15, "0.2")  # 15 productive agents at 20% shrinkage: 19 on shift
    assert on_shift == 19
    tight = config(0.70, headcount_cap=on_shift - 2)
    (found,) = binding_constraints(required(tight), tight)
    assert found.decides == "headcount_cap" and found.rule == "occupancy"
    assert (found.group_peak, found.short_agents, found.short_intervals) == (19, 2, 1)
    assert describe(found, tight)[1] == ("Headcount cap 17 holds the team group short: it needs up to 19 agents "
                                         "on shift, 2 more than the cap, in 1 interval; raise the cap to 19 or "
                                         "lower the targets.")
    loose = config(0.70, headcount_cap=150)
    (found,) = binding_constraints(required(loose), loose)
    assert found.decides == "occupancy" and found.short_intervals == 0
    assert describe(found, loose)[1] == ("Headcount cap 150 changes nothing: the team group needs at most 19 "
                                         "agents on shift in any interval.")


def test_the_shortcut_matches_sizing_every_interval_again() -> None:
    # Intervals where one agent fewer keeps the cap are not sized again: the counts must equal a full resizing.
    rng = np.random.default_rng(7)
    volumes = rng.uniform(0, 400, 96).round(1)
    stamps = pd.date_range("2026-11-23", periods=len(volumes), freq="30min", tz="Europe/London")
    for cap in (0.7, 0.85, 0.95):
        cfg = config(cap)
        rows = requirements(pd.DataFrame({"channel": "voice", "interval_start": stamps, "volume": volumes,
                                          "aht_seconds": 240.0}), cfg)
        (found,) = binding_constraints(rows, cfg)
        alone = required_agents(volumes, 240.0, 30, 0.8, 20, 1.0)
        assert found.capped_intervals == int((rows["agents"].to_numpy() > alone).sum())
        assert found.cap_agent_hours == (rows["agents"].to_numpy() - alone).sum() * 0.5
