"""What a schedule delivers: service level and occupancy per channel and interval, and weighted figures.

A staff group's scheduled agents (net of breaks) are shared among its channels in proportion to their
scheduled requirement; shrinkage then removes the unavailable share, rounding down to whole agents, and the
queue formulas give the service level those agents deliver.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wfm.config import Config
from wfm.staffing.erlang import queue_metrics


def project_service(required: pd.DataFrame, coverage: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Service level and occupancy each channel would get from the scheduled coverage.

    A group's scheduled agents (net of breaks) are shared among its channels in proportion to their
    scheduled requirement; shrinkage then removes the unavailable share, rounding down to whole agents.

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume, agents`` (productive agents projected), ``service_level``
        (NaN for deferred channels), ``occupancy``.
    """
    frame = required[["channel", "interval_start", "volume", "aht_seconds", "scheduled_agents", "erlangs"]].copy()
    frame["group"] = frame["channel"].map(config.group_of)
    scheduled = coverage.set_index(["group", "interval_start"])["scheduled"]
    key = pd.MultiIndex.from_frame(frame[["group", "interval_start"]])
    group_scheduled = scheduled.reindex(key).fillna(0).to_numpy(dtype=float)
    group_need = frame.groupby(["group", "interval_start"])["scheduled_agents"].transform("sum").to_numpy(float)
    share = np.divide(frame["scheduled_agents"].to_numpy(float), group_need, out=np.zeros(len(frame)),
                      where=group_need > 0)
    shrinkage = frame["channel"].map(config.channel_shrinkage).to_numpy(float)
    productive = np.floor(group_scheduled * share * (1 - shrinkage) + 1e-9)
    service_level = np.full(len(frame), np.nan)
    occupancy = np.divide(frame["erlangs"].to_numpy(float), productive, out=np.zeros(len(frame)),
                          where=productive > 0)
    for name, rows in frame.groupby("channel").indices.items():
        channel = config.channels[str(name)]
        if not channel.is_queue:
            continue
        assert channel.answer_seconds is not None
        metrics = queue_metrics(productive[rows], frame["volume"].to_numpy(float)[rows],
                                frame["aht_seconds"].to_numpy(float)[rows], config.interval_minutes,
                                channel.answer_seconds, patience_seconds=channel.patience_seconds,
                                concurrency=channel.concurrency)
        service_level[rows] = metrics.service_level
        occupancy[rows] = metrics.occupancy
    return pd.DataFrame({"channel": frame["channel"], "interval_start": frame["interval_start"],
                         "volume": frame["volume"], "agents": productive.astype(np.int64),
                         "service_level": service_level, "occupancy": np.minimum(occupancy, 1.0)})


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Mean of ``values`` weighted by ``weights``, skipping missing values; NaN when no weight is left."""
    valid = values.notna() & (weights > 0)
    total = float(weights[valid].sum())
    return float((values[valid] * weights[valid]).sum() / total) if total > 0 else math.nan


def agent_hours(required: pd.DataFrame, interval_minutes: int) -> dict[str, float]:
    """``productive_agent_hours`` (the agents the queues need) and ``required_agent_hours`` (with shrinkage: what
    must be scheduled) of requirement rows: the one place these two figures are summed."""
    hours = interval_minutes / 60
    return {"productive_agent_hours": float(required["agents"].sum() * hours),
            "required_agent_hours": float(required["scheduled_agents"].sum() * hours)}


def staffing_by_channel(required: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per channel: volume, peak productive agents, productive and required agent-hours, service level.

    ``productive_agent_hours`` are the agents the queue needs; ``required_agent_hours`` add shrinkage (what must
    be scheduled); the service level is the requirement's, volume-weighted.
    """
    rows = [{"channel": name, "volume": float(part["volume"].sum()), "peak_agents": int(part["agents"].max()),
             **agent_hours(part, config.interval_minutes),
             "service_level": weighted_mean(part["service_level"], part["volume"])}
            for name, part in required.groupby("channel")]
    return pd.DataFrame(rows)
