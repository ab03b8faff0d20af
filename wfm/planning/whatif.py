"""What-if modifiers: changes a planner tries on a week without editing the config file.

A :class:`Modifiers` value changes the forecast (volume and handle time, in percent) and the rules (service
targets, shrinkage, occupancy cap, chat concurrency, patience, headcount cap, cost per hour), for all channels
or one channel at a time ("+15% on all channels, 90/20 on voice only"). Applied to a config, the result is
validated like a config file, so a bad value names its field and the fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import Config, parse_config
from wfm.errors import ConfigError

#: The largest volume or handle-time change, in percent (+1000% is eleven times the forecast).
MAX_CHANGE_PCT = 1000.0
#: Rules that only a queue channel (voice, chat) has.
QUEUE_RULES = ("service_level", "answer_seconds", "patience_seconds")


def _check_change(prefix: str, name: str, value: float | None) -> None:
    if value is not None and not -100 < value <= MAX_CHANGE_PCT:
        raise ConfigError(f"{prefix}{name}: must be > -100 and at most {MAX_CHANGE_PCT:g} (a change in percent, "
                          f"+10 means 10% more), got {value:g}")


@dataclass(frozen=True)
class ChannelChanges:
    """What-if changes of one channel; None keeps the value set for all channels (or the config's).

    Attributes
    ----------
    volume_pct, aht_pct
        Change of this channel's forecast volume and handle time in percent, instead of the all-channel change.
    service_level, answer_seconds, max_occupancy, concurrency, patience_seconds, shrinkage
        This channel's new target, occupancy cap, chats per agent, mean patience (Erlang A) and shrinkage.
    """

    volume_pct: float | None = None
    aht_pct: float | None = None
    service_level: float | None = None
    answer_seconds: float | None = None
    max_occupancy: float | None = None
    concurrency: int | None = None
    patience_seconds: float | None = None
    shrinkage: float | None = None

    def __post_init__(self) -> None:
        for name in ("volume_pct", "aht_pct"):
            _check_change("modifiers.per_channel.", name, getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        """The changes that are set, as plain data."""
        return {f.name: v for f in dataclasses.fields(self) if (v := getattr(self, f.name)) is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], channel: str = "") -> ChannelChanges:
        """Changes from plain data; unknown keys are refused by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"modifiers.per_channel.{channel}.{unknown[0]}: unknown modifier; known: "
                              f"{', '.join(sorted(known))}")
        try:
            return cls(**data)
        except ConfigError as exc:  # name the channel: stored data holds several
            raise ConfigError(str(exc).replace("per_channel.", f"per_channel.{channel}.", 1)) from None


@dataclass(frozen=True)
class Modifiers:
    """What-if changes to a planning week.

    Attributes
    ----------
    volume_pct, aht_pct
        Change of forecast volume and handle time in percent (+10 means 10% more), above -100 and at most
        :data:`MAX_CHANGE_PCT` (1000).
    service_level, answer_seconds
        New service target for queue channels (voice, chat).
    shrinkage, max_occupancy
        New shrinkage and occupancy cap for the channels in scope.
    concurrency
        New chat concurrency.
    patience_seconds
        Mean patience for queue channels: switches them to Erlang A.
    headcount_cap
        Cap on agents per interval for every staff group serving a channel in scope.
    cost_per_hour
        New cost per paid hour for every shift template.
    channels
        The channels the changes above apply to; empty means all.
    per_channel
        Changes of single channels, ``{"voice": ChannelChanges(service_level=0.9)}``: each value set here
        replaces the one above for that channel (whatever ``channels`` says). Plain mappings are accepted;
        stored as pairs sorted by channel.
    """

    volume_pct: float = 0.0
    aht_pct: float = 0.0
    service_level: float | None = None
    answer_seconds: float | None = None
    shrinkage: float | None = None
    max_occupancy: float | None = None
    concurrency: int | None = None
    patience_seconds: float | None = None
    headcount_cap: int | None = None
    cost_per_hour: float | None = None
    channels: tuple[str, ...] = ()
    per_channel: tuple[tuple[str, ChannelChanges], ...] | Mapping[str, ChannelChanges | Mapping[str, Any]] = ()

    def __post_init__(self) -> None:
        for name in ("volume_pct", "aht_pct"):
            _check_change("modifiers.", name, getattr(self, name))
        if self.headcount_cap is not None and self.headcount_cap < 0:
            raise ConfigError(f"modifiers.headcount_cap: must be >= 0, got {self.headcount_cap}")
        pairs = self.per_channel.items() if isinstance(self.per_channel, Mapping) else self.per_channel
        given = ((str(name), c if isinstance(c, ChannelChanges) else ChannelChanges.from_dict(c, str(name)))
                 for name, c in pairs)
        kept = tuple(sorted(((name, c) for name, c in given if c.to_dict()), key=lambda pair: pair[0]))
        object.__setattr__(self, "per_channel", kept)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Modifiers:
        """Modifiers from plain data (a stored scenario, old or new); unknown keys are refused by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"modifiers.{unknown[0]}: unknown modifier; known: {', '.join(sorted(known))}")
        values = dict(data)
        if "channels" in values:
            values["channels"] = tuple(values["channels"])
        if "per_channel" in values:
            values["per_channel"] = {name: ChannelChanges.from_dict(changes, name)
                                     for name, changes in dict(values["per_channel"]).items()}
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The modifiers that differ from no change, as plain data (``per_channel`` as a mapping)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "per_channel":
                if value:
                    out[f.name] = {name: changes.to_dict() for name, changes in value}
            elif value != f.default:
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @property
    def is_empty(self) -> bool:
        """True when the modifiers change nothing."""
        return not self.to_dict()

    def in_scope(self, channel: str) -> bool:
        """Whether the all-channel changes apply to a channel."""
        return not self.channels or channel in self.channels

    def for_channel(self, channel: str) -> ChannelChanges:
        """The changes that apply to one channel: its own, else the all-channel ones in scope."""
        own = dict(self.per_channel).get(channel, ChannelChanges())  # type: ignore[arg-type]
        scope = self.in_scope(channel)
        merged = {f.name: getattr(own, f.name) if getattr(own, f.name) is not None
                  else (getattr(self, f.name) if scope else None)
                  for f in dataclasses.fields(ChannelChanges)}
        return ChannelChanges(**merged)

    def apply_to_config(self, config: Config) -> Config:
        """The config with the rule changes applied, validated (a bad value raises ConfigError naming it)."""
        own = dict(self.per_channel)  # type: ignore[arg-type]
        named = [*self.channels, *own]
        unknown = [c for c in named if c not in config.channels]
        if unknown:
            raise ConfigError(f"modifiers.channels: unknown channel {unknown[0]!r}; "
                              f"known: {', '.join(config.channels)}")
        data = config.model_dump(mode="json", exclude_none=True)
        for name, channel in data["channels"].items():
            changes = self.for_channel(name)
            queue = config.channels[name].is_queue
            for key in ("shrinkage", "max_occupancy"):
                if getattr(changes, key) is not None:
                    channel[key] = getattr(changes, key)
            for key in QUEUE_RULES:
                if name in own and getattr(own[name], key) is not None and not queue:
                    raise ConfigError(f"modifiers.per_channel.{name}.{key}: {name} is deferred work (staffed to a "
                                      "response time), it has no queue; remove it")
                if queue and getattr(changes, key) is not None:
                    channel[key] = getattr(changes, key)
            if changes.concurrency is not None and (channel["kind"] == "chat" or name in own):
                channel["concurrency"] = changes.concurrency
        if self.headcount_cap is not None:
            for group in data.get("groups", {}).values():
                if any(self.in_scope(c) for c in group["channels"]):
                    group["headcount_cap"] = self.headcount_cap
        if self.cost_per_hour is not None:
            for shift in data.get("shifts", []):
                shift["cost_per_hour"] = self.cost_per_hour
        return parse_config(data, source="what-if")

    def apply_to_forecast(self, forecast: pd.DataFrame) -> pd.DataFrame:
        """The forecast with volume and handle time scaled for each channel."""
        codes, names = pd.factorize(forecast["channel"])
        changes = [self.for_channel(str(name)) for name in names]
        volume = np.array([1 + (c.volume_pct or 0.0) / 100 for c in changes])
        aht = np.array([1 + (c.aht_pct or 0.0) / 100 for c in changes])
        if (volume == 1).all() and (aht == 1).all():
            return forecast
        out = forecast.copy()
        for column in ("volume", "volume_lo", "volume_hi"):
            if column in out:
                out[column] = out[column].to_numpy(dtype=float) * volume[codes]
        out["aht_seconds"] = out["aht_seconds"].to_numpy(dtype=float) * aht[codes]
        return out


def configured_values(config: Config, channel: str) -> dict[str, float | int | None]:
    """A channel's configured rules under the names of :class:`ChannelChanges` (what a what-if starts from).

    Queue rules are None for deferred channels, ``patience_seconds`` None under Erlang C.
    """
    rules = config.channels[channel]
    return {"service_level": rules.service_level, "answer_seconds": rules.answer_seconds,
            "max_occupancy": rules.max_occupancy, "concurrency": rules.concurrency,
            "patience_seconds": rules.patience_seconds, "shrinkage": config.channel_shrinkage(channel)}


def changes_against(config: Config, channel: str, values: Mapping[str, Any]) -> ChannelChanges:
    """The changes of one channel from the values a planner sees: a value equal to the configured one, or
    None (a cleared field), is no change."""
    configured = {**configured_values(config, channel), "volume_pct": None, "aht_pct": None}
    return ChannelChanges(**{name: value for name, value in values.items()
                             if value is not None and value != configured[name]})


def _applies(config: Config, channel: str, name: str) -> bool:
    """Whether a rule exists on a channel (queue rules on queues, concurrency on chat)."""
    rules = config.channels[channel]
    if name in QUEUE_RULES:
        return rules.is_queue
    if name == "concurrency":
        return rules.kind == "chat"
    return True


def from_channels(config: Config, per_channel: Mapping[str, ChannelChanges], *, volume_pct: float = 0.0,
                  aht_pct: float = 0.0, headcount_cap: int | None = None,
                  cost_per_hour: float | None = None) -> Modifiers:
    """Modifiers from each channel's changes, a change shared by every channel it applies to written once for all
    (so a stored scenario reads "shrinkage 20%", not the same value per channel)."""
    own = {name: per_channel.get(name, ChannelChanges()).to_dict() for name in config.channels}
    shared: dict[str, Any] = {"volume_pct": volume_pct, "aht_pct": aht_pct}
    for f in dataclasses.fields(ChannelChanges):
        names = [c for c in config.channels if _applies(config, c, f.name)]
        values = {repr(own[c].get(f.name)) for c in names}
        if names and len(values) == 1 and own[names[0]].get(f.name) is not None:
            shared[f.name] = own[names[0]][f.name]
            for c in names:
                own[c].pop(f.name)
    return Modifiers(**shared, headcount_cap=headcount_cap, cost_per_hour=cost_per_hour,
                     per_channel={c: ChannelChanges(**changes) for c, changes in own.items()})
