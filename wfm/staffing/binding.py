"""Which rule decides a channel's agents: the service target, the occupancy cap, or the response time, and
whether a staff group's headcount cap holds the schedule below the requirement.

A requirement is the fewest agents meeting every rule at once (:func:`wfm.staffing.required_agents`), so
the rule that decides is the one whose own minimum is the largest. For queue channels the agents the service
target alone needs (occupancy cap lifted) are recomputed; where the requirement is higher, the occupancy cap
decides. Deferred work is sized by its response time at the occupancy cap. A headcount cap does not change the
requirements: it bounds the agents on shift per interval, so it matters only where a group needs more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

import wfm.formats as formats
from wfm.config import Config
from wfm.staffing.erlang import queue_metrics, required_agents

#: The rule deciding the peak requirement of a channel.
BindingRule = Literal["service_level", "occupancy", "response_time", "none"]


@dataclass(frozen=True)
class ChannelBinding:
    """What decides one channel's agents in a week.

    Attributes
    ----------
    rule
        The rule deciding the agents at the peak interval: ``service_level`` (the queue target),
        ``occupancy`` (the cap), ``response_time`` (deferred work), or ``none`` (no contacts).
    peak_start
        The interval needing the most productive agents (None without contacts).
    peak_agents
        Productive agents the peak interval needs under every rule.
    target_agents
        Productive agents the service target alone needs at the peak (occupancy cap lifted); for deferred work
        the same as ``peak_agents``.
    capped_intervals, busy_intervals
        Intervals where the occupancy cap adds agents to what the target needs, of the intervals with contacts.
    cap_agent_hours
        Productive agent-hours the occupancy cap adds over the week.
    group, headcount_cap
        The channel's staff group and its cap on agents on shift per interval (None: no cap).
    group_peak
        The most agents the group needs on shift in one interval (scheduled agents, after shrinkage).
    short_intervals, short_agents
        Intervals where the group needs more agents on shift than its headcount cap, and by how many at most.
    """

    channel: str
    rule: BindingRule
    peak_start: pd.Timestamp | None
    peak_agents: int
    target_agents: int
    capped_intervals: int
    busy_intervals: int
    cap_agent_hours: float
    group: str | None
    headcount_cap: int | None
    group_peak: int
    short_intervals: int
    short_agents: int

    @property
    def decides(self) -> str:
        """The deciding rule, ``headcount_cap`` when the group's cap holds the schedule below the need."""
        return "headcount_cap" if self.short_intervals else self.rule


def binding_constraints(required: pd.DataFrame, config: Config) -> list[ChannelBinding]:
    """What decides each channel's agents in requirement rows (:func:`wfm.staffing.requirements`).

    ``config`` must be the config the requirements were sized with. Channels come in config order.
    """
    hours = config.interval_minutes / 60
    channel_codes, names = pd.factorize(required["channel"])
    slots, _ = pd.factorize(required["interval_start"])
    groups = list(config.groups)
    group_of = np.array([groups.index(g) if (g := config.group_of(str(n))) is not None else -1 for n in names])
    row_group = group_of[channel_codes] if len(names) else np.zeros(0, dtype=np.int64)
    group_need = np.zeros((len(groups), slots.max() + 1 if len(slots) else 0), dtype=np.int64)
    grouped = row_group >= 0
    np.add.at(group_need, (row_group[grouped], slots[grouped]), required["scheduled_agents"].to_numpy()[grouped])
    volume_all, aht_all = required["volume"].to_numpy(float), required["aht_seconds"].to_numpy(float)
    erlangs_all, agents_all = required["erlangs"].to_numpy(float), required["agents"].to_numpy(np.int64)
    starts_all = required["interval_start"]
    out = []
    for name, rules in config.channels.items():
        rows = np.flatnonzero(channel_codes == (list(names).index(name) if name in names else -1))
        group = config.group_of(name)
        cap = config.groups[group].headcount_cap if group is not None else None
        need = group_need[groups.index(group)] if group is not None else np.zeros(0, dtype=np.int64)
        over = need - cap if cap is not None else need * 0
        volume, aht, agents = volume_all[rows], aht_all[rows], agents_all[rows]
        busy = volume > 0
        if rules.is_queue and busy.any():
            assert rules.service_level is not None and rules.answer_seconds is not None  # checked by the config
            # Both rules only ever ask for more agents, so where one agent fewer breaks the target, the target
            # decides (the agents it alone needs are the requirement). Under Erlang C that holds wherever one agent
            # fewer keeps the occupancy under the cap; otherwise (and under Erlang A, whose occupancy is of the
            # carried load) the target is checked with one agent fewer, and sized again without the cap only
            # where it is still met.
            if rules.patience_seconds is None:
                fewer_met = busy & ~(erlangs_all[rows] <= rules.max_occupancy * (agents - 1) * rules.concurrency
                                     * (1 - 1e-9))
            else:
                fewer_met = busy.copy()
            fewer_met[fewer_met] = queue_metrics(
                agents[fewer_met] - 1, volume[fewer_met], aht[fewer_met], config.interval_minutes,
                rules.answer_seconds, patience_seconds=rules.patience_seconds,
                concurrency=rules.concurrency).service_level >= rules.service_level
            target = agents.copy()
            target[fewer_met] = required_agents(volume[fewer_met], aht[fewer_met], config.interval_minutes,
                                                rules.service_level, rules.answer_seconds, 1.0,
                                                patience_seconds=rules.patience_seconds,
                                                concurrency=rules.concurrency)
        else:
            target = agents
        peak = int(np.argmax(agents)) if busy.any() else None
        rule: BindingRule = ("none" if peak is None else "response_time" if not rules.is_queue
                             else "occupancy" if agents[peak] > target[peak] else "service_level")
        out.append(ChannelBinding(
            channel=name, rule=rule, peak_start=None if peak is None else starts_all.iloc[rows[peak]],
            peak_agents=0 if peak is None else int(agents[peak]),
            target_agents=0 if peak is None else int(target[peak]),
            capped_intervals=int((agents > target).sum()), busy_intervals=int(busy.sum()),
            cap_agent_hours=float((agents - target).sum() * hours), group=group, headcount_cap=cap,
            group_peak=int(need.max()) if len(need) else 0, short_intervals=int((over > 0).sum()),
            short_agents=int(max(over.max(), 0)) if len(need) else 0))
    return out


def describe(binding: ChannelBinding, config: Config) -> list[str]:
    """Sentences for people: which rule decides the channel's agents, and what the headcount cap does."""
    rules = config.channels[binding.channel]
    zone = config.zone
    when = "" if binding.peak_start is None else binding.peak_start.tz_convert(zone).strftime(" (%a %H:%M)")
    cap = formats.percent(rules.max_occupancy, 0)
    if binding.rule == "none":
        lines = [f"No {binding.channel} contacts are forecast: it needs no agents."]
    elif binding.rule == "response_time":
        lines = [f"Response within {_hours(rules.response_hours)} working hours at occupancy {cap} "
                 f"decides: {formats.count(binding.peak_agents)} agents at the peak{when}."]
    else:
        target = _target(config, binding.channel)
        share = f"{formats.count(binding.capped_intervals)} of {_intervals(binding.busy_intervals)}"
        if binding.rule == "occupancy":
            lines = [f"Occupancy cap {cap} decides: the {target} alone needs "
                     f"{formats.count(binding.target_agents)} agents at the peak{when}, the cap "
                     f"{formats.count(binding.peak_agents)}. The cap decides in {share}, adding "
                     f"{formats.hours(binding.cap_agent_hours)} of productive time."]
        else:
            lines = [f"The {target} decides: {formats.count(binding.peak_agents)} agents at the "
                     f"peak{when}. The occupancy cap {cap} "
                     + (f"decides in {share}, adding {formats.hours(binding.cap_agent_hours)}."
                        if binding.capped_intervals else "adds no agents in any interval.")]
    if binding.headcount_cap is not None:
        group = binding.group
        peak = formats.count(binding.group_peak)
        if binding.short_intervals:
            lines.append(f"Headcount cap {formats.count(binding.headcount_cap)} holds the {group} group short: it "
                         f"needs up to {peak} agents on shift, {formats.count(binding.short_agents)} more than the "
                         f"cap, in {_intervals(binding.short_intervals)}; raise the cap to {peak} or "
                         "lower the targets.")
        else:
            lines.append(f"Headcount cap {formats.count(binding.headcount_cap)} changes nothing: the {group} group "
                         f"needs at most {peak} agents on shift in any interval.")
    return lines


def _target(config: Config, channel: str) -> str:
    """A queue target in words: '80/20 target' (80% in 20 s), with chat concurrency and Erlang A patience."""
    rules = config.channels[channel]
    assert rules.service_level is not None and rules.answer_seconds is not None
    level = formats.number(100 * rules.service_level, 0 if math.isclose(100 * rules.service_level,
                                                                          round(100 * rules.service_level)) else 1)
    text = f"{level}/{formats.number(rules.answer_seconds, 0)} target"
    if rules.concurrency > 1:
        text += f" ({rules.concurrency} chats per agent)"
    if rules.patience_seconds is not None:
        text += f" (Erlang A, patience {formats.seconds(rules.patience_seconds)})"
    return text


def _intervals(n: int) -> str:
    return f"{formats.count(n)} interval{'' if n == 1 else 's'}"


def _hours(value: float | None) -> str:
    return formats.number(value, 0 if value is not None and float(value).is_integer() else 1)
