"""The plan summary: a planned week's headline figures, with a typed schema that round-trips through JSON.

``summary.json``, the run store, ``wfm plan``'s log line, the XLSX summary sheet, ``report.html`` and the
dashboard all read these figures from one :class:`PlanSummary`. Hours follow one vocabulary (see
:mod:`wfm.staffing`): productive, required (after shrinkage), scheduled (on shift, net of breaks) and paid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import pandas as pd

from forecasting import ForecastResult
from scheduling import CoverageStatus, ScheduleResult, SolveReport
from wfm import formats
from wfm.config import Config
from wfm.errors import StoreError
from wfm.plain import to_plain
from wfm.staffing import agent_hours, weighted_mean
from wfm.staffing.risk import channel_risk, daily_risk
from wfm.weeks import week_label


@dataclass(frozen=True)
class ChannelFigures:
    """One channel's week.

    ``productive_agent_hours`` are the agents the queue needs; ``required_agent_hours`` add shrinkage;
    service level and occupancy are projected from the schedule (volume- and workload-weighted; NaN for
    deferred work's service level); ``wmape`` is the chosen model's backtest interval wMAPE.
    """

    channel: str
    kind: str
    volume: float
    productive_agent_hours: float
    required_agent_hours: float
    projected_service_level: float
    projected_occupancy: float
    aht_seconds: float
    model: str | None
    wmape: float
    service_level_target: float | None
    #: Queue channels, given the forecast's band (:mod:`wfm.staffing.risk`; NaN otherwise): every interval meets
    #: the target with at least ``target_probability``; ``intervals_meeting_target`` is the share of the busy
    #: intervals expected to meet it; all of the week's meet it with ``week_probability``;
    #: ``expected_service_level`` is the projected level averaged over the volume's distribution.
    #: Their words: :meth:`PlanSummary.risk_lines`.
    target_probability: float = math.nan
    intervals_meeting_target: float = math.nan
    week_probability: float = math.nan
    expected_service_level: float = math.nan


@dataclass(frozen=True)
class DailyFigures:
    """One channel's day (same meanings as :class:`ChannelFigures`)."""

    channel: str
    date: dt.date
    volume: float
    productive_agent_hours: float
    required_agent_hours: float
    projected_service_level: float
    projected_occupancy: float
    service_level_target: float | None = None
    #: Probability that every interval of the day meets the target (queue channels; NaN otherwise).
    day_probability: float = math.nan


@dataclass(frozen=True)
class PlanSummary:
    """Headline figures of a planned week.

    Hours are agent-hours, money is in the config's currency. ``required_agent_hours`` is what must be
    scheduled (after shrinkage, summed over staff groups); ``scheduled_agent_hours`` the agents on shift net
    of breaks; ``coverage`` = 1 - under / required; ``efficiency`` = 1 - (over + under) / required;
    ``unmet_intervals`` counts group intervals left short; ``solver`` is the schedule solve's own report;
    ``status`` the schedule's coverage status (covered or short, why, and the fix), whose headline every view
    shows next to :meth:`service_lines`.
    """

    week: str
    week_start: dt.date
    channels: tuple[ChannelFigures, ...]
    daily: tuple[DailyFigures, ...]
    required_agent_hours: float
    scheduled_agent_hours: float
    paid_hours: float
    cost: float
    under_agent_hours: float
    over_agent_hours: float
    coverage: float
    efficiency: float
    unmet_intervals: int
    unassigned_shifts: int
    solver: SolveReport
    status: CoverageStatus
    timings_seconds: Mapping[str, float] = field(default_factory=dict)
    #: The probability every queue interval was staffed to meet its target with (``wfm plan --risk``), or None.
    risk: float | None = None

    @property
    def channels_below_target(self) -> tuple[ChannelFigures, ...]:
        """The queue channels whose projected service level over the week misses its target."""
        return tuple(c for c in self.channels if misses_target(c.projected_service_level, c.service_level_target))

    def service_lines(self) -> list[str]:
        """Projected service level against its target, per channel and day: "voice Mon 05 Jan: 91.2% of
        calls within target (target 80%)", "below target" marked; channels without a target show the level,
        deferred work (no service level) is left out."""
        lines = []
        for row in self.daily:
            if row.service_level_target is None and math.isnan(row.projected_service_level):
                continue
            text = f"{row.channel} {row.date:%a %d %b}: projected service level {_percent(row.projected_service_level)}"
            if row.service_level_target is not None:
                below = misses_target(row.projected_service_level, row.service_level_target)
                text += f" against a target of {row.service_level_target:.0%}" + (" (below target)" if below else "")
            lines.append(text)
        return lines

    def risk_lines(self) -> list[str]:
        """The chances of meeting the service-level targets, per queue channel, in words (the CLI, the report and
        the dashboard show these lines): what the plan was staffed to, then, with the agents scheduled, the
        lowest chance of an interval, the share of intervals expected to meet the target, the service level to
        expect over the forecast's uncertainty beside the one at the forecast volume, and the chance that every
        interval of the week meets it."""
        lines = []
        for c in self.channels:
            if math.isnan(c.target_probability):
                continue  # deferred work, or a plan without the forecast's band
            target = f"its {c.service_level_target:.0%} target" if c.service_level_target is not None else "its target"
            staffed = (f"staffed for a {self.risk:.0%} chance that each interval meets {target}; "
                       if self.risk is not None else "staffed for the expected volume; ")
            lines.append(
                f"{c.channel}: {staffed}as scheduled, the least likely interval meets it with a "
                f"{formats.chance(c.target_probability)} chance, {formats.percent(c.intervals_meeting_target)} of "
                f"the week's intervals are expected to meet it, and the service level to expect over the forecast's "
                f"uncertainty is {formats.percent(c.expected_service_level)} "
                f"({formats.percent(c.projected_service_level)} at the forecast volume); the chance that every "
                f"interval of the week meets it is {formats.chance(c.week_probability)}")
        return lines

    @property
    def meets_everything(self) -> bool:
        """Covered, every planned shift assigned, and every queue channel's projected service level on target."""
        return self.status.covered and not self.unassigned_shifts and not self.channels_below_target

    def verdict(self) -> str:
        """The plan's status in one sentence, the same wherever a plan is shown (``wfm plan``'s log, ``report.html``,
        the dashboard's banner): "Covered: ..." only when :attr:`meets_everything`; otherwise "Not covered: "
        and each problem (short intervals with their reason and fix, shifts no agent could take, channels below
        their service-level target)."""
        status = self.status
        if self.meets_everything:
            return (f"Covered: {status.headline().removeprefix('Covered, ')}; every interval has the agents it needs "
                    "and every service level target is met at the forecast volume.")
        headline = status.headline()
        problems = [] if status.covered else [headline[0].lower() + headline[1:]]
        if self.unassigned_shifts and status.covered:
            problems.append(f"{formats.count(self.unassigned_shifts)} shift"
                            f"{'s' if self.unassigned_shifts != 1 else ''} found no agent")
        below = self.channels_below_target
        problems += [f"{c.channel} projected service level {formats.percent(c.projected_service_level)} against a "
                     f"target of {formats.percent(c.service_level_target)}" for c in below]
        text = f"Not covered: {'; '.join(problems)}."
        if below and status.covered:
            text += (" The schedule meets the agent requirement, so the requirement itself is too low for the "
                     "target: check the channel's occupancy cap and shrinkage.")
        return text

    def channel_figures(self) -> pd.DataFrame:
        """The per-channel figures for people (the dashboard's Schedule and Exports pages, ``report.html``): a row
        per figure (the index, in words) and a column per channel, every value formatted with its unit."""
        table = self.channel_table.drop(columns=["kind"])
        for column, shown in _CHANNEL_FORMATS.items():
            table[column] = table[column].map(shown).astype(str)
        by_channel = formats.labelled(table).set_index(formats.label("channel"))
        return by_channel.T.rename_axis("Figure").rename_axis(columns=None)

    @property
    def channel_table(self) -> pd.DataFrame:
        """``channels`` as a frame, one row per channel (columns as :class:`ChannelFigures`)."""
        return _frame(self.channels, ChannelFigures)

    @property
    def daily_table(self) -> pd.DataFrame:
        """``daily`` as a frame, one row per channel and day (columns as :class:`DailyFigures`)."""
        return _frame(self.daily, DailyFigures)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``summary.json`` and the run store (NaN becomes null, dates ISO text); the coverage
        status carries its headline, and ``verdict`` is :meth:`verdict`."""
        return {**to_plain(asdict(self)), "status": self.status.to_dict(), "verdict": self.verdict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanSummary:
        """A summary back from :meth:`to_dict` data (a stored run or ``summary.json``).

        Raises
        ------
        StoreError
            When the data is not a plan summary of this version (a key is missing).
        """
        try:
            return cls(
                week=str(data["week"]), week_start=dt.date.fromisoformat(data["week_start"]),
                channels=tuple(_typed(ChannelFigures, row) for row in data["channels"]),
                daily=tuple(_typed(DailyFigures, row | {"date": dt.date.fromisoformat(row["date"])})
                            for row in data["daily"]),
                solver=_typed(SolveReport, data["solver"]), status=CoverageStatus.from_dict(data["status"]),
                timings_seconds=dict(data.get("timings_seconds") or {}), risk=data.get("risk"),
                **{f.name: _number(data[f.name]) for f in dataclasses.fields(cls) if f.name in _FIGURES})
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"plan summary: not a summary of this wfm version ({type(exc).__name__}: {exc}); "
                             "re-run `wfm plan` for that week to record it again") from None


_FIGURES = {"required_agent_hours", "scheduled_agent_hours", "paid_hours", "cost", "under_agent_hours",
            "over_agent_hours", "coverage", "efficiency", "unmet_intervals", "unassigned_shifts"}

#: How each per-channel figure reads (:meth:`PlanSummary.channel_figures`).
_CHANNEL_FORMATS: dict[str, Any] = {
    "volume": formats.count, "productive_agent_hours": formats.hours, "required_agent_hours": formats.hours,
    "projected_service_level": formats.percent, "projected_occupancy": formats.percent,
    "aht_seconds": formats.seconds, "wmape": formats.percent, "service_level_target": formats.percent,
    "expected_service_level": formats.percent, "target_probability": formats.chance,
    "intervals_meeting_target": formats.percent, "week_probability": formats.chance,
    "model": lambda m: formats.NOT_APPLICABLE if formats.missing(m) else formats.label(str(m)),
}

_Row = TypeVar("_Row")


def misses_target(level: float, target: float | None) -> bool:
    """Whether a projected service level is below its target (False without a target or a level)."""
    return target is not None and not math.isnan(level) and level < target - 1e-9


def _number(value: Any) -> Any:
    """A stored figure: null (NaN on the way out) back to NaN."""
    return math.nan if value is None else value


def _typed(kind: type[_Row], row: Mapping[str, Any]) -> _Row:
    """A dataclass from stored plain data: nulls of float fields back to NaN, a field with a default taken
    as its default when absent (data of an earlier version), other missing keys refused (KeyError)."""
    values = {}
    for f in dataclasses.fields(kind):  # type: ignore[arg-type]
        value = row.get(f.name, f.default) if f.default is not dataclasses.MISSING else row[f.name]
        values[f.name] = math.nan if value is None and f.type == "float" else value
    return kind(**values)


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1%}"


def _frame(rows: tuple[Any, ...], kind: type) -> pd.DataFrame:
    return pd.DataFrame([asdict(row) for row in rows], columns=[f.name for f in dataclasses.fields(kind)])


def summarise(week_start: dt.date, made: ForecastResult, required: pd.DataFrame, schedule: ScheduleResult,
              projection: pd.DataFrame, config: Config, timings: Mapping[str, float], *,
              risk: pd.DataFrame | None = None, risk_level: float | None = None) -> PlanSummary:
    """The headline figures of a plan, per channel and per channel and day.

    ``risk`` (:func:`wfm.staffing.risk.interval_risk` of the scheduled agents) adds the probabilities of meeting
    the targets; ``risk_level`` is the probability the plan was staffed to.
    """
    odds = _risk_figures(risk)
    choices = made.choices.set_index("channel")
    joined = required.merge(projection[["channel", "interval_start", "service_level", "occupancy"]],
                            on=["channel", "interval_start"], suffixes=("_required", "_projected"))
    joined["date"] = joined["interval_start"].dt.date
    joined["busy"] = joined["volume"] * joined["aht_seconds"]

    def figures(part: pd.DataFrame) -> dict[str, float]:
        return {"volume": float(part["volume"].sum()),
                **agent_hours(part, config.interval_minutes),
                "projected_service_level": weighted_mean(part["service_level_projected"], part["volume"]),
                "projected_occupancy": weighted_mean(part["occupancy_projected"], part["busy"])}

    channels = tuple(
        ChannelFigures(channel=str(name), kind=config.channels[str(name)].kind, **figures(part),
                       aht_seconds=weighted_mean(part["aht_seconds"], part["volume"]),
                       model=str(choices.loc[name, "model"]) if name in choices.index else None,
                       wmape=float(choices.loc[name, "wmape"]) if name in choices.index else math.nan,
                       service_level_target=config.channels[str(name)].service_level,
                       **odds[0].get(str(name), {}))
        for name, part in joined.groupby("channel"))
    daily = tuple(DailyFigures(channel=str(channel), date=date, **figures(part),
                               service_level_target=config.channels[str(channel)].service_level,
                               **odds[1].get((str(channel), date), {}))
                  for (channel, date), part in joined.groupby(["channel", "date"]))
    s = schedule.summary
    return PlanSummary(week=week_label(week_start), week_start=week_start, channels=channels, daily=daily,
                       required_agent_hours=s.required_agent_hours, scheduled_agent_hours=s.scheduled_agent_hours,
                       paid_hours=s.paid_hours, cost=s.cost, under_agent_hours=s.under_agent_hours,
                       over_agent_hours=s.over_agent_hours, coverage=s.coverage, efficiency=s.efficiency,
                       unmet_intervals=s.unmet_intervals, unassigned_shifts=s.unassigned_shifts, solver=s.solver,
                       status=s.status, timings_seconds=dict(timings), risk=risk_level)


def _risk_figures(risk: pd.DataFrame | None) -> tuple[dict[str, dict[str, float]], dict[tuple[str, dt.date], Any]]:
    """Risk figures keyed by channel, and by channel and day."""
    if risk is None:
        return {}, {}
    channels = {str(row.pop("channel")): {"target_probability": row["interval_probability"],
                                          "intervals_meeting_target": row["intervals_meeting_target"],
                                          "week_probability": row["week_probability"],
                                          "expected_service_level": row["expected_service_level"]}
                for row in channel_risk(risk).to_dict("records")}
    days = {(str(row["channel"]), row["date"]): {"day_probability": row["day_probability"]}
            for row in daily_risk(risk).to_dict("records")}
    return channels, days
