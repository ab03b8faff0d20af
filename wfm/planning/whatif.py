"""What-if modifiers: changes a planner tries on a week without editing the config file.

A :class:`Modifiers` value changes the forecast (volume and handle time, in percent) and the rules (service
targets, shrinkage, occupancy cap, chat concurrency, patience, headcount cap, cost per hour). Applied to a
config, the result is validated like a config file, so a bad value names its field and the fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wfm.config import Config, parse_config
from wfm.errors import ConfigError

#: The largest volume or handle-time change, in percent (+1000% is eleven times the forecast).
MAX_CHANGE_PCT = 1000.0


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
        The channels the changes apply to; empty means all.
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

    def __post_init__(self) -> None:
        for name in ("volume_pct", "aht_pct"):
            value = getattr(self, name)
            if not -100 < value <= MAX_CHANGE_PCT:
                raise ConfigError(f"modifiers.{name}: must be > -100 and at most {MAX_CHANGE_PCT:g} (a change in "
                                  f"percent, +10 means 10% more), got {value:g}")
        if self.headcount_cap is not None and self.headcount_cap < 0:
            raise ConfigError(f"modifiers.headcount_cap: must be >= 0, got {self.headcount_cap}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Modifiers:
        """Modifiers from plain data (a stored scenario); unknown keys are refused by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"modifiers.{unknown[0]}: unknown modifier; known: {', '.join(sorted(known))}")
        values = dict(data)
        if "channels" in values:
            values["channels"] = tuple(values["channels"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The modifiers that differ from no change, as plain data."""
        return {f.name: (list(v) if isinstance(v, tuple) else v) for f in dataclasses.fields(self)
                if (v := getattr(self, f.name)) != f.default}

    @property
    def is_empty(self) -> bool:
        """True when the modifiers change nothing."""
        return not self.to_dict()

    def in_scope(self, channel: str) -> bool:
        """Whether the changes apply to a channel."""
        return not self.channels or channel in self.channels

    def apply_to_config(self, config: Config) -> Config:
        """The config with the rule changes applied, validated (a bad value raises ConfigError naming it)."""
        unknown = [c for c in self.channels if c not in config.channels]
        if unknown:
            raise ConfigError(f"modifiers.channels: unknown channel {unknown[0]!r}; "
                              f"known: {', '.join(config.channels)}")
        data = config.model_dump(mode="json", exclude_none=True)
        for name, channel in data["channels"].items():
            if not self.in_scope(name):
                continue
            queue = config.channels[name].is_queue
            for key in ("shrinkage", "max_occupancy"):
                if getattr(self, key) is not None:
                    channel[key] = getattr(self, key)
            if queue:
                for key in ("service_level", "answer_seconds", "patience_seconds"):
                    if getattr(self, key) is not None:
                        channel[key] = getattr(self, key)
            if self.concurrency is not None and channel["kind"] == "chat":
                channel["concurrency"] = self.concurrency
        if self.headcount_cap is not None:
            for group in data.get("groups", {}).values():
                if any(self.in_scope(c) for c in group["channels"]):
                    group["headcount_cap"] = self.headcount_cap
        if self.cost_per_hour is not None:
            for shift in data.get("shifts", []):
                shift["cost_per_hour"] = self.cost_per_hour
        return parse_config(data, source="what-if")

    def apply_to_forecast(self, forecast: pd.DataFrame) -> pd.DataFrame:
        """The forecast with volume and handle time scaled for the channels in scope."""
        if not self.volume_pct and not self.aht_pct:
            return forecast
        scope = forecast["channel"].map(self.in_scope).to_numpy(dtype=bool)
        out = forecast.copy()
        volume_factor = 1 + self.volume_pct / 100
        for column in ("volume", "volume_lo", "volume_hi"):
            if column in out:
                out.loc[scope, column] = out.loc[scope, column] * volume_factor
        out.loc[scope, "aht_seconds"] = out.loc[scope, "aht_seconds"] * (1 + self.aht_pct / 100)
        return out
