"""Capacity scenarios: a capacity plan's what-ifs saved under a name, and compared side by side with a base.

A capacity scenario is stored in the scenario store (:class:`wfm.planning.store.Store`) like a weekly one: a base
config, its settings and its results. Its settings sit under the key
:data:`~wfm.planning.store.CAPACITY_KEY` of the record's modifiers (the horizon, the volume / handle time / target
modifiers, the ``[capacity]`` changes of :func:`wfm.planning.capacity.with_capacity`), which tells the two kinds
apart (:attr:`ScenarioRecord.is_capacity`). Its results are the plan's headline figures
(:data:`CAPACITY_FIGURES`), compared exactly as stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from wfm import formats
from wfm.config import Config, config_to_toml_dict, parse_config
from wfm.errors import ConfigError
from wfm.planning.capacity import CAPACITY_WHATIFS, CapacityPlan, with_capacity
from wfm.planning.comparison import MAX_COMPARED, describe_settings
from wfm.planning.store import CAPACITY_KEY, ScenarioRecord, Store
from wfm.planning.whatif import Modifiers

#: The key of a stored scenario's modifiers that marks it as a capacity scenario and holds its settings.

Kind = Literal["count", "fte", "money"]

#: The compared figures, in order, with how each is written, and their labels in words with units.
CAPACITY_FIGURES: tuple[tuple[str, Kind, str], ...] = (
    ("weeks", "count", "Weeks planned"),
    ("hires", "count", "Hires (people, all groups)"),
    ("total_cost", "money", "Total cost over the horizon"),
    ("salary_cost", "money", "Salaries"),
    ("hiring_cost", "money", "Hiring cost"),
    ("overtime_cost", "money", "Overtime cost"),
    ("mean_required_fte", "fte", "Required staff, weekly average (FTE)"),
    ("peak_required_fte", "fte", "Required staff, busiest week (FTE)"),
    ("final_available_fte", "fte", "Available staff in the last week (FTE)"),
    ("short_fte_weeks", "fte", "Short (FTE-weeks)"),
    ("short_fte_weeks_lead_time", "fte", "Short within the hiring lead time (FTE-weeks)"),
)

_CAPACITY_WORDS: dict[str, tuple[str, str]] = {  # [capacity] key: (words, kind)
    "lead_time_weeks": ("hiring lead time", "weeks"), "training_weeks": ("training", "weeks"),
    "min_class_size": ("smallest class", "people"), "max_class_size": ("largest class", "people"),
    "max_classes_per_month": ("classes per month at most", "number"),
    "overtime_fraction": ("overtime allowance", "percent"), "hiring_cost": ("cost of a hire", "money"),
    "shortage_cost_per_fte_week": ("shortage cost per FTE-week", "money"),
    "monthly_attrition": ("monthly attrition, every group", "percent"),
}


@dataclass(frozen=True)
class CapacityWhatIf:
    """The settings of a capacity scenario: the horizon, the weekly plan's modifiers (volume, handle time,
    targets) and the ``[capacity]`` changes (:data:`wfm.planning.capacity.CAPACITY_WHATIFS`)."""

    weeks: int
    modifiers: Modifiers = field(default_factory=Modifiers)
    capacity: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.capacity) - set(CAPACITY_WHATIFS))
        if unknown:
            raise ConfigError(f"capacity what-if: {unknown[0]}: unknown; known: {', '.join(CAPACITY_WHATIFS)}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        return {"weeks": self.weeks, "modifiers": self.modifiers.to_dict(), "capacity": dict(self.capacity)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CapacityWhatIf:
        """Settings back from :meth:`to_dict` data."""
        return cls(weeks=int(data["weeks"]), modifiers=Modifiers.from_dict(dict(data.get("modifiers") or {})),
                   capacity=dict(data.get("capacity") or {}))

    def apply(self, config: Config) -> Config:
        """The config with the ``[capacity]`` changes (the modifiers apply inside the plan)."""
        return with_capacity(config, self.capacity) if self.capacity else config

    def describe(self, currency: str) -> str:
        """The settings in words: '26 weeks; volume +10%; hiring lead time 4 weeks'."""
        parts = [f"{self.weeks} weeks"]
        if changes := self.modifiers.to_dict():
            parts.append(describe_settings(changes, currency))
        for key, value in sorted(self.capacity.items()):
            name, kind = _CAPACITY_WORDS[key]
            text = ("no limit" if value is None else
                    {"weeks": lambda v: f"{formats.count(v)} week{'' if v == 1 else 's'}", "people": formats.count,
                     "number": formats.count, "percent": lambda v: formats.percent(v, 1),
                     "money": lambda v: formats.money(v, currency)}[kind](value))
            parts.append(f"{name} {text}")
        return "; ".join(parts)


def capacity_figures(plan: CapacityPlan) -> dict[str, float]:
    """The figures a capacity scenario stores (:data:`CAPACITY_FIGURES`), from its plan."""
    s, weekly = plan.summary, plan.weekly
    per_week = weekly.groupby("week")[["required_fte", "available_fte"]].sum()
    return {"weeks": float(s.weeks), "hires": float(sum(s.hires.values())), "total_cost": s.total_cost,
            "salary_cost": s.salary_cost, "hiring_cost": s.hiring_cost, "overtime_cost": s.overtime_cost,
            "mean_required_fte": float(per_week["required_fte"].mean()),
            "peak_required_fte": float(per_week["required_fte"].max()),
            "final_available_fte": float(per_week["available_fte"].iloc[-1]),
            "short_fte_weeks": s.short_fte_weeks, "short_fte_weeks_lead_time": s.short_fte_weeks_lead_time}


def save_capacity(store: Store, name: str, config: Config, what_if: CapacityWhatIf, plan: CapacityPlan,
                  description: str = "") -> ScenarioRecord:
    """Store a capacity scenario: the base config (before the what-if), its settings and its plan's figures.

    ``config`` is the config the what-if was applied to; saving an existing name updates it.

    Raises
    ------
    ConfigError
        When ``name`` is already a weekly staffing scenario's (the two kinds never overwrite each other).
    """
    known = {r.name: r for r in store.list_scenarios()}
    if name in known and not known[name].is_capacity:
        raise ConfigError(f"name: {name!r} is already a staffing scenario's; choose another name for this capacity "
                          "scenario")
    return store.save_scenario(name, config_to_toml_dict(config), {CAPACITY_KEY: what_if.to_dict()},
                               {**capacity_figures(plan), "currency": plan.summary.currency}, description=description)


def load_capacity(record: ScenarioRecord) -> tuple[Config, CapacityWhatIf]:
    """A stored capacity scenario's base config and settings."""
    config = parse_config(record.base_config, source=f"scenario {record.name!r}")
    return config, CapacityWhatIf.from_dict(record.modifiers[CAPACITY_KEY])


@dataclass(frozen=True)
class CapacityComparison:
    """Capacity scenarios against a fixed base: ``figures`` has a row per figure of :data:`CAPACITY_FIGURES` and a
    column per scenario, the base first, exactly as stored; ``settings`` are each scenario's in words."""

    base: str
    figures: pd.DataFrame
    settings: dict[str, str]
    currency: str

    @property
    def differences(self) -> pd.DataFrame:
        """Each other scenario's figures minus the base's."""
        others = [c for c in self.figures.columns if c != self.base]
        return self.figures[others].sub(self.figures[self.base], axis=0)


def compare_capacity(records: Sequence[ScenarioRecord], base: str, currency: str) -> CapacityComparison:
    """Capacity scenarios side by side against ``base`` (one of them).

    Raises
    ------
    ConfigError
        Too few or too many scenarios, a base not among them, or a scenario that is not a capacity scenario.
    """
    if not 1 <= len(records) <= MAX_COMPARED:
        raise ConfigError(f"compare: give 1 to {MAX_COMPARED} capacity scenarios, got {len(records)}")
    ordered = sorted(records, key=lambda r: r.name != base)
    if ordered[0].name != base:
        raise ConfigError(f"compare: the base {base!r} is not among the compared scenarios; choose one of them")
    columns, settings = {}, {}
    for record in ordered:
        if not record.is_capacity or not record.results:
            raise ConfigError(f"compare: {record.name!r} is not a capacity scenario with a plan; save it from the "
                              "Capacity page")
        columns[record.name] = [float(record.results.get(name, math.nan)) for name, _, _ in CAPACITY_FIGURES]
        settings[record.name] = CapacityWhatIf.from_dict(record.modifiers[CAPACITY_KEY]).describe(currency)
    figures = pd.DataFrame(columns, index=[name for name, _, _ in CAPACITY_FIGURES], dtype=float)
    return CapacityComparison(base=base, figures=figures, settings=settings, currency=currency)


def _written(value: float, kind: Kind, currency: str) -> str:
    return {"count": formats.count, "fte": lambda v: formats.number(v, 1),
            "money": lambda v: formats.money(v, currency)}[kind](value)


def comparison_table(comparison: CapacityComparison) -> pd.DataFrame:
    """The comparison written for people: a row per figure in words with its unit, the base column, then each
    scenario's figure with its difference from the base in brackets ('£1,234,567 (+£12,345)')."""
    rows: dict[str, dict[str, str]] = {"Settings": dict(comparison.settings)}
    differences = comparison.differences
    for name, kind, words in CAPACITY_FIGURES:
        row = {}
        for column in comparison.figures.columns:
            text = _written(comparison.figures.loc[name, column], kind, comparison.currency)
            if column != comparison.base and not formats.missing(change := differences.loc[name, column]):
                sign = "±" if change == 0 else "+" if change > 0 else "-"
                text += f" ({sign}{_written(abs(change), kind, comparison.currency)})"
            row[str(column)] = text
        rows[words] = row
    table = pd.DataFrame(rows).T
    table.columns = [f"{c} (base)" if c == comparison.base else str(c) for c in table.columns]
    return table
