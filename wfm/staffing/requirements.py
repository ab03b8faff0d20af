"""From a forecast to interval requirements, channel by channel.

Queue channels (voice, chat) are sized with Erlang C, or Erlang A when the channel has a patience, to
meet their service level and occupancy cap; chat agents handle ``concurrency`` contacts at once.

Deferred channels (email, back office) use a fluid workload model. Work happens only in working hours
(``work_start`` to ``work_end`` each day) and every item must be finished within ``response_hours``
*working* hours of its arrival (items arriving outside working hours wait for the next opening). The
plan spreads each interval's workload (volume x AHT) evenly over the working intervals of its response
window, so every item is finished in time; the requirement of a working interval is the work spread onto
it over the interval length, divided by the occupancy cap. A horizon of whole weeks is planned as a repeating
week (as the scheduler plans it): work whose window runs past the end lands on the first working intervals,
as last week's late work lands on this Monday. For deferred channels ``erlangs`` is the work done in the
interval (the spread workload), so ``occupancy = erlangs / agents``.

Every channel's productive agents become scheduled agents through its shrinkage (exact rounding).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from wfm.config import ChannelConfig, Config
from wfm.contracts import REQUIREMENTS_COLUMNS, validate_demand
from wfm.staffing.erlang import QueueMetrics, queue_metrics, required_agents, scheduled_agents


def requirements(forecast: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Required and scheduled agents per channel and interval (the requirements contract).

    Parameters
    ----------
    forecast
        ``channel, interval_start`` (timezone-aware), ``volume`` and ``aht_seconds``, one row per channel and
        interval: a forecast frame, or any frame with these columns (others are ignored; the band
        ``volume_lo``, ``volume_hi`` is checked when present).
    config
        Channels with their targets, shrinkage and the interval length.

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume, aht_seconds, erlangs, agents, service_level, asa_seconds,
        occupancy, scheduled_agents``; service level and ASA are NaN for deferred channels.

    Raises
    ------
    DataError
        A missing column, an unknown channel, a volume < 0, an AHT <= 0 or a repeated interval, by row.
    """
    forecast = validate_demand(forecast, source="forecast", channels=list(config.channels))
    # Column arrays sized channel by channel (the rows of a channel are contiguous: the frame is sorted), one frame
    # built at the end: a what-if recomputes this on every change, and per-channel frames cost more than the maths.
    codes, names = pd.factorize(forecast["channel"], sort=True)
    volume = forecast["volume"].to_numpy(dtype=float)
    aht = forecast["aht_seconds"].to_numpy(dtype=float)
    size = len(forecast)
    erlangs, occupancy = np.zeros(size), np.zeros(size)
    service_level, asa = np.full(size, np.nan), np.full(size, np.nan)
    agents, scheduled = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    for code, name in enumerate(names):
        rows = slice(int(np.searchsorted(codes, code)), int(np.searchsorted(codes, code, side="right")))
        channel = config.channels[str(name)]
        if channel.is_queue:
            agents[rows], metrics = _queue_requirements(volume[rows], aht[rows], channel, config.interval_minutes)
            erlangs[rows], occupancy[rows] = metrics.erlangs, metrics.occupancy
            service_level[rows], asa[rows] = metrics.service_level, metrics.asa_seconds
        else:
            agents[rows], erlangs[rows] = _deferred_requirements(
                volume[rows], aht[rows], forecast["interval_start"].iloc[rows], channel, config.interval_minutes)
            np.divide(erlangs[rows], agents[rows], out=occupancy[rows], where=agents[rows] > 0)
        scheduled[rows] = scheduled_agents(agents[rows], config.channel_shrinkage(str(name)))
    out = pd.DataFrame({"channel": forecast["channel"], "interval_start": forecast["interval_start"],
                        "volume": volume, "aht_seconds": aht, "erlangs": erlangs, "agents": agents,
                        "service_level": service_level, "asa_seconds": asa, "occupancy": occupancy,
                        "scheduled_agents": scheduled})
    return out[list(REQUIREMENTS_COLUMNS)]


def _queue_requirements(volume: np.ndarray, aht: np.ndarray, channel: ChannelConfig, interval_minutes: int,
                        ) -> tuple[np.ndarray, QueueMetrics]:
    """Agents of a queue channel's intervals, and what the queue delivers with them."""
    assert channel.service_level is not None and channel.answer_seconds is not None  # checked by the config
    agents = required_agents(volume, aht, interval_minutes, channel.service_level, channel.answer_seconds,
                             channel.max_occupancy, patience_seconds=channel.patience_seconds,
                             concurrency=channel.concurrency)
    metrics = queue_metrics(agents, volume, aht, interval_minutes, channel.answer_seconds,
                            patience_seconds=channel.patience_seconds, concurrency=channel.concurrency)
    return np.asarray(agents, dtype=np.int64), metrics


def is_working(starts: pd.Series, work_start: dt.time, work_end: dt.time) -> np.ndarray:
    """Whether each interval start lies in the daily working window (which may run past midnight)."""
    minute = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    begin = work_start.hour * 60 + work_start.minute
    end = work_end.hour * 60 + work_end.minute or 24 * 60
    if begin < end:
        return (minute >= begin) & (minute < end)
    return (minute >= begin) | (minute < end)


def deferred_agents(workload_seconds: np.ndarray, working: np.ndarray, *, interval_minutes: int,
                    response_hours: float, max_occupancy: float, cyclic: bool = False,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Agents per interval so that all deferred work is done within ``response_hours`` working hours.

    Parameters
    ----------
    workload_seconds
        Work arriving in each interval (volume x AHT), in time order.
    working
        Whether each interval is in working hours.
    cyclic
        The horizon repeats (a planning week): work spread past its end wraps to its first working intervals.
        Otherwise it is left out (it belongs to the next horizon).

    Returns
    -------
    (agents, busy_agents)
        Whole agents per interval, and the average number busy (the spread workload rate).
    """
    window = max(1, math.floor(response_hours * 60 / interval_minutes))
    working_count = int(working.sum())
    busy = np.zeros(len(working))
    if working_count == 0:
        return np.zeros(len(working), dtype=np.int64), busy
    # Working position each interval's work starts at: its own if working, else the next opening.
    start_position = np.cumsum(working) - working.astype(int)
    spread = np.zeros(working_count + window + 1)
    np.add.at(spread, start_position, workload_seconds / window)
    np.add.at(spread, start_position + window, -workload_seconds / window)
    rate = np.cumsum(spread)
    worked = rate[:working_count].copy()
    if cyclic:
        overflow = rate[working_count:working_count + window]
        for begin in range(0, len(overflow), working_count):  # windows longer than the horizon wrap again
            part = overflow[begin:begin + working_count]
            worked[:len(part)] += part
    busy[working] = worked / (interval_minutes * 60.0)
    agents = np.ceil(busy / max_occupancy * (1 - 1e-12)).astype(np.int64)
    return agents, busy


def _deferred_requirements(volume: np.ndarray, aht: np.ndarray, starts: pd.Series, channel: ChannelConfig,
                           interval_minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Agents of a deferred channel's intervals, and the work done in each (the spread workload, in Erlangs)."""
    working = is_working(starts, channel.work_start, channel.work_end)
    assert channel.response_hours is not None  # checked by the config
    days = starts.dt.date.nunique()
    return deferred_agents(volume * aht, working, interval_minutes=interval_minutes,
                           response_hours=channel.response_hours, max_occupancy=channel.max_occupancy,
                           cyclic=days % 7 == 0)
