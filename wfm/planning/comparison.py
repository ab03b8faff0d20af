"""Scenario figures and their side-by-side comparison: light enough for ``wfm scenario list`` to start fast.

The figures are made by :mod:`wfm.planning.scenarios` (which loads the modelling stack); reading them back
from the store and comparing them needs only this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import pandas as pd

from wfm import formats
from wfm.errors import ConfigError
from wfm.formats import NOT_APPLICABLE
from wfm.plain import to_plain
from wfm.planning.store import ScenarioRecord

#: At most this many scenarios are compared side by side.
MAX_COMPARED = 4


@dataclass(frozen=True)
class ScenarioFigures:
    """What a scenario delivers for a week (``week``, ISO, as ``2026-W47``).

    ``cost_basis`` says where cost comes from: ``"schedule"`` (a solved schedule) or ``"estimate"``
    (required hours at the cheapest shift cost of each group). Schedule-only figures are None until solved.
    Service level and occupancy are volume-weighted over the queue channels. Hours follow the vocabulary
    of :mod:`wfm.staffing`: ``productive_agent_hours`` are the agents the queues need, ``required_agent_hours``
    add shrinkage (``required_fte`` is them in full-time equivalents), ``paid_hours`` are the solved shifts'.
    """

    required_fte: float
    productive_agent_hours: float
    required_agent_hours: float
    projected_service_level: float
    projected_occupancy: float
    cost: float
    cost_basis: Literal["schedule", "estimate"]
    week: str | None = None
    scheduled_fte: float | None = None
    paid_hours: float | None = None
    under_agent_hours: float | None = None
    coverage: float | None = None
    solver_status: str | None = None
    #: Queue channels, given the forecast's band (:mod:`wfm.staffing.risk`): every interval meets its target
    #: with at least ``target_probability``, the whole week with ``week_probability``; ``expected_service_level``
    #: averages the service level over the volume's distribution. None for figures stored before they existed.
    target_probability: float | None = None
    week_probability: float | None = None
    expected_service_level: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (NaN as null) for the store."""
        return dict(to_plain(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioFigures:
        """Figures back from stored plain data (of this or an earlier version: a figure it lacks is NaN)."""
        data = dict(data)
        if "productive_agent_hours" not in data:  # before 0.2, required_agent_hours held the productive hours
            data["productive_agent_hours"] = data.pop("required_agent_hours", None)
        known = {f.name for f in fields(cls)}  # figures stored by another version may have more keys
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        values |= {k: math.nan for k in _ALWAYS if values.get(k) is None}
        return cls(**values)


_ALWAYS = {"required_fte", "productive_agent_hours", "required_agent_hours", "projected_service_level",
           "projected_occupancy", "cost"}


def stored_figures(record: ScenarioRecord) -> ScenarioFigures | None:
    """A stored scenario's figures, typed; None until it was evaluated."""
    return ScenarioFigures.from_dict(dict(record.results)) if record.results else None


COMPARED_FIGURES = ("week", "required_fte", "scheduled_fte", "paid_hours", "cost", "cost_basis",
                    "projected_service_level", "projected_occupancy", "under_agent_hours", "target_probability",
                    "week_probability", "expected_service_level")


def compare(records: Sequence[ScenarioRecord]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per figure (and the modifiers)."""
    if not 1 <= len(records) <= MAX_COMPARED:
        raise ConfigError(f"compare: give 1 to {MAX_COMPARED} scenarios, got {len(records)}")
    columns = {}
    for record in records:
        if not record.results:
            raise ConfigError(f"compare: scenario {record.name!r} has no results yet; evaluate it first")
        figures = ScenarioFigures.from_dict(dict(record.results)).to_dict()
        changes = ", ".join(f"{k}={v}" for k, v in sorted(record.modifiers.items())) or "none"
        columns[record.name] = {"modifiers": changes, **{k: figures.get(k) for k in COMPARED_FIGURES}}
    return pd.DataFrame(columns)


#: The workspace's figures, in order, with how each is written (see :func:`workspace_table`).
WORKSPACE_FIGURES: tuple[tuple[str, str], ...] = (
    ("required_fte", "fte"), ("scheduled_fte", "fte"), ("paid_hours", "hours"), ("cost", "money"),
    ("projected_service_level", "percent"), ("expected_service_level", "percent"),
    ("target_probability", "chance"), ("week_probability", "chance"), ("projected_occupancy", "percent"),
    ("under_agent_hours", "hours"))

#: Row labels of the workspace, in words with their units.
WORKSPACE_LABELS: dict[str, str] = {
    "settings": "Changes from the config", "basis": "Figures from", "week": "Week",
    "required_fte": "Required staff (FTE, after shrinkage)", "scheduled_fte": "Scheduled staff (FTE, paid hours)",
    "paid_hours": "Paid hours per week", "cost": "Weekly cost",
    "projected_service_level": "Service level at the forecast volume",
    **{name: formats.label(name) for name in ("expected_service_level", "target_probability", "week_probability")},
    "projected_occupancy": "Agent occupancy", "under_agent_hours": "Short agent-hours",
}

_SETTING_WORDS: dict[str, tuple[str, str]] = {  # modifier: (words, kind)
    "volume_pct": ("volume", "pct"), "aht_pct": ("handle time", "pct"),
    "service_level": ("service-level target", "percent"), "answer_seconds": ("answer within", "seconds"),
    "shrinkage": ("shrinkage", "percent"), "max_occupancy": ("occupancy cap", "percent"),
    "concurrency": ("chats per agent", "number"), "patience_seconds": ("caller patience", "seconds"),
    "headcount_cap": ("at most agents per interval", "number"), "cost_per_hour": ("cost per paid hour", "money"),
    "risk": ("staffed so each interval meets its target with probability", "percent"),
}


@dataclass(frozen=True)
class Workspace:
    """Stored scenarios against a fixed base, for leadership: the figures, their differences and the targets.

    ``figures`` has one row per figure of :data:`WORKSPACE_FIGURES` and one column per scenario, the base first
    (floats, NaN where a figure does not apply); ``solved`` says which scenarios' figures come from a solved
    schedule (the others are estimates); ``targets`` has one row per channel and a column per scenario.
    """

    base: str
    figures: pd.DataFrame
    solved: dict[str, bool]
    settings: dict[str, str]
    targets: pd.DataFrame
    weeks: dict[str, str | None]
    currency: str

    @property
    def differences(self) -> pd.DataFrame:
        """Each scenario's figures minus the base's (the base column left out)."""
        others = [c for c in self.figures.columns if c != self.base]
        return self.figures[others].sub(self.figures[self.base], axis=0)


def workspace(records: Sequence[ScenarioRecord], base: str, currency: str) -> Workspace:
    """The scenarios ``records`` side by side against ``base`` (one of them), figures exactly as stored."""
    if not 1 <= len(records) <= MAX_COMPARED:
        raise ConfigError(f"compare: give 1 to {MAX_COMPARED} scenarios, got {len(records)}")
    ordered = sorted(records, key=lambda r: r.name != base)
    if ordered[0].name != base:
        raise ConfigError(f"compare: the base {base!r} is not among the compared scenarios; choose one of them")
    columns, solved, settings, targets, weeks = {}, {}, {}, {}, {}
    for record in ordered:
        if not record.results:
            raise ConfigError(f"compare: scenario {record.name!r} has no results yet; evaluate it first")
        figures = ScenarioFigures.from_dict(dict(record.results))
        columns[record.name] = [_float(getattr(figures, name)) for name, _ in WORKSPACE_FIGURES]
        solved[record.name] = figures.cost_basis == "schedule"
        settings[record.name] = describe_settings(record.modifiers, currency)
        targets[record.name] = _targets(record)
        weeks[record.name] = figures.week
    frame = pd.DataFrame(columns, index=[name for name, _ in WORKSPACE_FIGURES], dtype=float)
    return Workspace(base=base, figures=frame, solved=solved, settings=settings,
                     targets=pd.DataFrame(targets).fillna(NOT_APPLICABLE), weeks=weeks, currency=currency)


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _targets(record: ScenarioRecord) -> dict[str, str]:
    """Each channel's target in words under the scenario's settings: '80% within 20 s', 'within 24 working h'."""
    from wfm.config import parse_config  # the config models load only when a workspace is built
    from wfm.planning.whatif import Modifiers

    changes = {k: v for k, v in record.modifiers.items() if k != "risk"}
    config = Modifiers.from_dict(changes).apply_to_config(
        parse_config(record.base_config, source=f"scenario {record.name!r}"))
    out = {}
    for name, channel in config.channels.items():
        if channel.is_queue:
            out[name] = f"{formats.percent(channel.service_level, 0)} within {formats.seconds(channel.answer_seconds)}"
        else:
            out[name] = f"all within {formats.number(channel.response_hours, 0)} working h"
    return out


def describe_settings(modifiers: Mapping[str, Any], currency: str) -> str:
    """A scenario's changes in words: 'volume +10%, service-level target 90%'; 'none' for the base config."""
    words = []
    for key, value in sorted(modifiers.items()):
        if key == "channels":
            continue
        name, kind = _SETTING_WORDS.get(key, (key.replace("_", " "), "number"))
        text = {"pct": lambda v: f"{float(v):+g}%", "percent": lambda v: formats.percent(v, 0),
                "seconds": formats.seconds, "money": lambda v: formats.money(v, currency),
                "number": lambda v: formats.number(v, 0)}[kind](value)
        words.append(f"{name} {text}")
    scope = modifiers.get("channels")
    suffix = f" (channels: {', '.join(scope)})" if scope else ""
    return (", ".join(words) or "none") + suffix


def _written(value: float, kind: str, currency: str) -> str:
    return {"fte": lambda v: formats.number(v, 1), "hours": lambda v: formats.hours(v, 0),
            "money": lambda v: formats.money(v, currency), "percent": formats.percent,
            "chance": formats.chance}[kind](value)


def _difference(value: float, kind: str, currency: str) -> str:
    """A difference from the base with its sign and unit: '+4.5', '+£1,234', '+2.1 pts'."""
    if kind in ("percent", "chance"):
        return f"{100 * value:+,.1f} pts"
    text = _written(abs(value), kind, currency)
    return ("+" if value >= 0 else "-") + text if text != "0" else "±0"


def workspace_table(space: Workspace) -> pd.DataFrame:
    """The workspace written for people: rows in words with units, the base's figures, then each scenario's
    figure with its difference from the base in brackets."""
    rows: dict[str, dict[str, str]] = {}
    rows[WORKSPACE_LABELS["settings"]] = dict(space.settings)
    rows[WORKSPACE_LABELS["basis"]] = {n: "solved schedule" if s else "estimate (not solved)"
                                       for n, s in space.solved.items()}
    rows[WORKSPACE_LABELS["week"]] = {n: w or NOT_APPLICABLE for n, w in space.weeks.items()}
    differences = space.differences
    for name, kind in WORKSPACE_FIGURES:
        row = {}
        for column in space.figures.columns:
            value = space.figures.loc[name, column]
            text = _written(value, kind, space.currency)
            difference = differences.loc[name, column] if column != space.base else math.nan
            if not formats.missing(difference):
                text += f" ({_difference(difference, kind, space.currency)})"
            row[column] = text
        rows[WORKSPACE_LABELS[name]] = row
    for channel, targets in space.targets.iterrows():
        rows[f"Target: {channel}"] = {str(k): str(v) for k, v in targets.items()}
    table = pd.DataFrame(rows).T
    table.columns = [f"{c} (base)" if c == space.base else str(c) for c in table.columns]
    return table


def workspace_xlsx(space: Workspace, frontier: pd.DataFrame | None = None) -> bytes:
    """The workspace as an XLSX workbook for a leadership pack: the comparison and, when given, the frontier."""
    import io

    from wfm.io import safe_cells

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        safe_cells(workspace_table(space).reset_index(names="Figure"), "xlsx").to_excel(
            book, sheet_name="Scenarios", index=False)
        if frontier is not None:
            frontier_table(frontier, space.currency).to_excel(book, sheet_name="Risk frontier", index=False)
    return buffer.getvalue()


def frontier_table(frontier: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The risk frontier (:func:`wfm.planning.frontier.risk_frontier`) written for people."""
    return pd.DataFrame({
        "Staffed so each interval meets its target with probability": frontier["risk"].map(formats.percent),
        "Required staff (FTE, after shrinkage)": frontier["required_fte"].map(lambda v: formats.number(v, 1)),
        "Weekly cost (estimate)": frontier["cost"].map(lambda v: formats.money(v, currency)),
        WORKSPACE_LABELS["projected_service_level"]: frontier["projected_service_level"].map(formats.percent),
        formats.label("expected_service_level"): frontier["expected_service_level"].map(formats.percent),
        formats.label("target_probability"): frontier["target_probability"].map(formats.chance),
        formats.label("week_probability"): frontier["week_probability"].map(formats.chance),
    })


def workspace_html(space: Workspace, chart_html: str, frontier: pd.DataFrame | None = None) -> str:
    """The workspace as one HTML page for a leadership pack: the comparison, the chart, the frontier."""
    import html

    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Staffing scenarios</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child"
             "{text-align:left}</style></head><body><h1>Staffing scenarios</h1>",
             f"<p>Base: {html.escape(space.base)}. Other columns show each figure and, in brackets, its difference "
             "from the base. Estimates are priced at each group's cheapest shift cost, not a solved schedule.</p>",
             workspace_table(space).to_html(escape=True), chart_html]
    if frontier is not None:
        parts += ["<h2>Risk frontier (estimates)</h2>",
                  frontier_table(frontier, space.currency).to_html(index=False, escape=True)]
    return "".join(parts + ["</body></html>"])
