"""The weekly batch export: one folder per planning week, published atomically.

``DIR/<YYYY-Www>/`` holds ``forecast.csv``, ``requirements.csv``, ``roster.csv``, ``breaks.csv``,
``coverage.csv`` (plus ``unmet.csv`` and ``unassigned.csv``), ``summary.json``, ``schedule.xlsx`` (a summary
sheet, a week sheet of agents by day, and a sheet per day) and ``report.html`` (charts). A break in
``breaks.csv`` belongs to the one ``roster.csv`` row with its ``agent_id`` whose ``shift_start``-``shift_end``
holds it (an agent works at most one shift a day, 11 hours apart).
Everything is written into a temporary folder beside the
target, then swapped into place in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames), so
readers see the old export or the new one, never a mix, and a failed or killed run leaves the previous export
untouched. Folders left by killed runs are removed by the next run of the same week.

``export_plan(..., commit=record)`` makes publishing and recording one step in effect: ``record`` runs once the
new export is in place, and if it fails the previous export is swapped back (or the new one removed when there
was none), so the export stays in place only when its record was written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import html
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.io as pio

from scheduling import write_schedule
from wfm import formats
from wfm.errors import DataError
from wfm.io import safe_cells, write_frame
from wfm.planning import charts
from wfm.planning.accuracy import accuracy_table
from wfm.planning.plan import Plan
from wfm.planning.summary import PlanSummary

_PARTIAL = ".partial-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

EXPORT_FILES = ("forecast.csv", "requirements.csv", "roster.csv", "breaks.csv", "coverage.csv", "unmet.csv",
                "unassigned.csv", "summary.json", "schedule.xlsx", "report.html")


@dataclass(frozen=True)
class LastWeek:
    """The week before a plan's and the accuracy record of the forecast issued for it
    (:func:`wfm.planning.accuracy.accuracy_record`; no rows when none was issued)."""

    week: str
    record: pd.DataFrame


def export_plan(plan: Plan, history: pd.DataFrame, out_dir: str | Path, *,
                commit: Callable[[Path], object] | None = None, accuracy: LastWeek | None = None) -> Path:
    """Write a plan's export folder ``out_dir/<week>/`` atomically and return its path.

    ``commit(target)``, when given, runs once the new export is in place; if it raises, the previous export is
    put back (or the new one removed when there was none) and its error is raised again. ``accuracy``, when
    given, is shown in ``report.html`` as last week's accuracy.
    """
    out = Path(out_dir)
    try:
        return _write_export(plan, history, out, commit, accuracy)
    except OSError as exc:
        raise DataError(f"{out}: cannot write the export ({exc.strerror}: {exc.filename}); "
                        "pass a writable folder with free space") from None


def _write_export(plan: Plan, history: pd.DataFrame, out: Path, commit: Callable[[Path], object] | None,
                  accuracy: LastWeek | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / plan.summary.week
    _remove_stale_partials(out, plan.summary.week)
    staging = out / f".{plan.summary.week}{_PARTIAL}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write_frame(plan.forecast.frame, staging / "forecast.csv")
        write_frame(plan.requirements, staging / "requirements.csv")
        write_schedule(plan.schedule, staging)
        # The plan's summary holds the schedule's and more: it replaces the one write_schedule wrote.
        (staging / "summary.json").write_text(json.dumps(plan.summary.to_dict(), indent=2) + "\n", encoding="utf-8")
        write_workbook(plan, staging / "schedule.xlsx")
        (staging / "report.html").write_text(report_html(plan, history, accuracy), encoding="utf-8")
        _publish(staging, target)
        if commit is not None:
            try:
                commit(target)
            except BaseException:
                _unpublish(staging, target)
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _remove_stale_partials(out: Path, week: str) -> None:
    """Delete staging folders of this week left by runs that no longer exist."""
    for leftover in out.glob(f".{week}{_PARTIAL}*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _publish(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target`` in one step; the old export ends up in ``staging``."""
    if not target.exists():
        os.rename(staging, target)
        return
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
            return
    # No atomic exchange here: two renames, the old export kept aside until the new one is in place.
    aside = staging.with_name(staging.name + "-old")
    os.rename(target, aside)
    os.rename(staging, target)
    os.rename(aside, staging)


def _unpublish(staging: Path, target: Path) -> None:
    """Undo :func:`_publish`: the previous export (now in ``staging``) back in place, or the new one removed."""
    if staging.exists():
        _publish(staging, target)
    else:
        os.rename(target, staging)


def breaks_of_shifts(roster: pd.DataFrame, breaks: pd.DataFrame) -> list[str]:
    """Each roster row's own breaks as text (``lunch 12:00-12:30, rest 15:15-15:30``): those of its agent that lie
    within its shift, so a day's sheet never lists another day's breaks."""
    if breaks.empty:  # a schedule without break rules: its breaks frame has no datetime columns
        return [""] * len(roster)
    shifts = roster[["agent_id", "shift_start", "shift_end"]].reset_index(names="row")
    within = shifts.merge(breaks, on="agent_id")
    within = within[(within["break_start"] >= within["shift_start"]) & (within["break_end"] <= within["shift_end"])]
    text = (within["kind"] + " " + within["break_start"].dt.strftime("%H:%M") + "-"
            + within["break_end"].dt.strftime("%H:%M"))
    listed = text.groupby(within["row"]).agg(", ".join)
    return [listed.get(row, "") for row in range(len(roster))]


def _clock_span(start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Shift starts and ends as local clock times (``HH:MM``); an end on the next day reads ``01:00 (+1 day)``."""
    ends = end.dt.strftime("%H:%M").where(end.dt.date == start.dt.date, end.dt.strftime("%H:%M (+1 day)"))
    return start.dt.strftime("%H:%M"), ends


def week_grid(roster: pd.DataFrame) -> pd.DataFrame:
    """Agents by day: each cell the day's shift (``08:00-16:30``, an end the next day ``22:00-06:00 (+1 day)``),
    empty on a day off, with the week's paid hours; one row per agent, by group and agent."""
    if roster.empty:
        return pd.DataFrame(columns=["agent", "group", "paid hours"])
    starts, ends = _clock_span(roster["shift_start"], roster["shift_end"])
    days = pd.to_datetime(roster["date"].astype(str))
    cells = roster.assign(day=days.dt.strftime("%a %d %b"), order=days, shift=starts + "-" + ends)
    order = cells.drop_duplicates("day").sort_values("order")["day"].tolist()
    grid = cells.pivot_table(index=["group", "agent_id"], columns="day", values="shift", aggfunc="first")
    grid = grid.reindex(columns=order).fillna("")
    grid.columns.name = None
    hours = roster.groupby(["group", "agent_id"])["paid_hours"].sum()
    grid["paid hours"] = hours.reindex(grid.index).round(2)
    return grid.reset_index().rename(columns={"agent_id": "agent"})[["agent", "group", *order, "paid hours"]]


def write_workbook(plan: Plan, path: Path) -> None:
    """``schedule.xlsx``: a summary sheet, a week sheet of agents by day (:func:`week_grid`), then one sheet per
    day with its shifts and each shift's own breaks.

    Times are local clock times, ``HH:MM``; a shift end on the next day reads ``01:00 (+1 day)``.

    Every text cell goes through :func:`wfm.io.safe_cells`: agent, group, channel and break names never become
    live formulas, and control characters XLSX cannot hold are shown as U+FFFD.
    """
    roster = plan.schedule.roster.copy()
    roster["breaks"] = breaks_of_shifts(roster, plan.schedule.breaks)
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        summary = plan.summary
        headline = pd.DataFrame({"figure": ["week", "status", "paid hours", "cost", "required agent-hours",
                                            "scheduled agent-hours", "under agent-hours", "over agent-hours",
                                            "coverage", "efficiency", "cost gap to the best possible"],
                                 "value": [summary.week, summary.verdict(), summary.paid_hours, summary.cost,
                                           summary.required_agent_hours, summary.scheduled_agent_hours,
                                           summary.under_agent_hours, summary.over_agent_hours, summary.coverage,
                                           summary.efficiency, summary.solver.gap]})
        safe_cells(headline, "xlsx").to_excel(book, sheet_name="Summary", index=False)
        channels = formats.labelled(summary.channel_table)  # numbers stay numbers; names in words
        safe_cells(channels, "xlsx").to_excel(book, sheet_name="Summary", index=False, startrow=len(headline) + 2)
        safe_cells(week_grid(plan.schedule.roster), "xlsx").to_excel(book, sheet_name="Week", index=False)
        for day, shifts in roster.groupby("date", sort=True):
            starts, ends = _clock_span(shifts["shift_start"], shifts["shift_end"])
            sheet = shifts.assign(shift_start=starts, shift_end=ends).drop(columns="date")
            name = pd.Timestamp(str(day)).strftime("%a %Y-%m-%d")
            safe_cells(sheet, "xlsx").to_excel(book, sheet_name=name, index=False)


#: Days of history drawn before the forecast in ``report.html``.
REPORT_HISTORY_DAYS = 21


def report_html(plan: Plan, history: pd.DataFrame, accuracy: LastWeek | None = None) -> str:
    """``report.html``: forecast against recent history, requirement against coverage, service and cost, and
    (given ``accuracy``) last week's accuracy."""
    config = plan.config
    zone = config.timezone
    frame = plan.forecast.frame
    since = frame["interval_start"].min() - pd.Timedelta(days=REPORT_HISTORY_DAYS)
    recent = history[history["interval_start"] >= since]
    drawn = [charts.forecast_chart(recent[recent["channel"] == channel], frame[frame["channel"] == channel],
                                   zone, config.interval_minutes, title=f"{channel}: contacts per interval")
             for channel in sorted(frame["channel"].unique())]
    coverage = plan.schedule.coverage
    drawn += [charts.coverage_chart(coverage[coverage["group"] == group], zone,
                                    title=f"{group}: agents required and on shift")
              for group in sorted(coverage["group"].unique())]
    drawn.append(charts.daily_service_chart(plan.summary.daily_table,
                                            {name: c.service_level for name, c in config.channels.items()}))
    parts = [pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(drawn)]
    s = plan.summary
    facts = (f"<p>Paid hours <b>{formats.hours(s.paid_hours, 0)}</b> · cost "
             f"<b>{formats.money(s.cost, config.currency)}</b> · coverage <b>{formats.percent(s.coverage)}</b> · "
             f"efficiency <b>{formats.percent(s.efficiency)}</b> · solver {html.escape(s.solver.backend)}, cost "
             f"within {formats.percent(s.solver.gap, 2)} of the best possible</p>")
    table = s.channel_figures().to_html(escape=True)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>wfm plan {s.week}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}"
            "</style></head>"
            f"<body><h1>Plan for {s.week}</h1><p><b>{html.escape(s.verdict())}</b></p>"
            f"{facts}{table}{_risk_html(s)}{_accuracy_html(accuracy)}{''.join(parts)}</body></html>")


def _risk_html(summary: PlanSummary) -> str:
    """The "chance of meeting the targets" section of ``report.html`` (:meth:`PlanSummary.risk_lines`)."""
    lines = summary.risk_lines()
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return ("<h2>Chance of meeting the service-level targets</h2><p>Given the forecast's uncertainty (its 80% band), "
            f"with the agents scheduled.</p><ul>{items}</ul>")


def _accuracy_html(accuracy: LastWeek | None) -> str:
    """The "last week's accuracy" section of ``report.html`` (empty without ``accuracy``)."""
    if accuracy is None:
        return ""
    heading = f"<h2>Last week's accuracy ({accuracy.week})</h2>"
    if accuracy.record.empty:
        return (f"{heading}<p>No forecast was recorded for {accuracy.week}: forecasts are recorded by each "
                "<code>wfm plan</code> run and each plan published from the dashboard.</p>")
    note = ("<p>Forecast against the actuals in the history. The noise floor is the wMAPE a perfect forecast "
            "would score at this volume (Poisson arrivals); days absent from the history are not scored.</p>")
    table = accuracy_table(accuracy.record).drop(columns="Week")
    return heading + note + table.to_html(index=False, escape=True)
