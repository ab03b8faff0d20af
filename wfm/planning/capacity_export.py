"""The capacity plan's files and the figures every front end shows of it.

``write_capacity(plan, DIR)`` writes ``capacity.csv`` (one row per week and staff group, the columns of
:data:`wfm.capacity.CAPACITY_COLUMNS`), ``capacity_summary.json`` (:class:`CapacitySummary`), ``capacity.xlsx``
(a summary sheet and a capacity sheet, columns in words) and ``capacity.html`` (headline, a chart per staff group
and the weekly table). Each file is written atomically (:func:`wfm.io.atomic_write`). :func:`headline` and
:func:`display_table` are the one source of the figures the CLI, the files and the dashboard show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio

from wfm import formats
from wfm.io import atomic_write, safe_cells, write_frame
from wfm.planning import charts
from wfm.planning.capacity import CapacityPlan, CapacitySummary
from wfm.weeks import week_label

CAPACITY_FILES = ("capacity.csv", "capacity_summary.json", "capacity.xlsx", "capacity.html")

#: Columns shown to people (the CSV keeps them all), in order.
SHOWN_COLUMNS = ("week", "group", "required_fte", "available_fte", "overtime_fte", "gap_fte", "gap_cause",
                 "hires_starting", "in_training", "attrition_fte", "payroll_fte", "total_cost")


def headline(summary: CapacitySummary) -> list[tuple[str, str]]:
    """The plan's headline figures in words, formatted (label, value)."""
    money = summary.currency
    hires = ", ".join(f"{group} {formats.count(n)}" for group, n in summary.hires.items())
    return [
        ("Weeks", f"{summary.first_week} to {summary.last_week} ({summary.weeks} weeks)"),
        ("Status", "every week covered" if summary.status == "covered" else "short in some weeks"),
        ("Hires", hires or formats.NOT_APPLICABLE),
        ("Total cost", formats.money(summary.total_cost, money)),
        ("Salaries", formats.money(summary.salary_cost, money)),
        ("Hiring cost", formats.money(summary.hiring_cost, money)),
        ("Overtime cost", formats.money(summary.overtime_cost, money)),
        ("Short (FTE-weeks)", f"{formats.number(summary.short_fte_weeks, 1)} "
                              f"({formats.number(summary.short_fte_weeks_lead_time, 1)} within the lead time)"),
        ("First week a new class can work", summary.first_productive_week or "after the horizon"),
        ("Hiring program", _program_status(summary)),
        ("Forecast", _forecast_methods(summary.forecast_methods)),
    ]


def _program_status(summary: CapacitySummary) -> str:
    """The solver's word for the hiring program, saying what "optimal" means when weeks stay short."""
    if summary.solver_status == "optimal" and summary.status != "covered":
        return "least-cost plan found; the weeks it leaves short cannot be covered under the hiring rules"
    return summary.solver_status


def _forecast_methods(methods: list[dict[str, Any]]) -> str:
    """The channels' long-range methods in one sentence: those held at their recent level named together, then
    each trended channel with the growth it assumes."""
    flat = [m["channel"] for m in methods if m["model"] == "level+weekday"]
    parts = []
    if flat:
        held = "its" if len(flat) == 1 else "their"
        parts.append(f"{formats.listed(flat)} at {held} recent level (under a year of history: no trend or yearly "
                     "season fitted; set growth with the volume what-if)")
    for method in methods:
        if method["model"] != "level+weekday":
            sign = "+" if method["growth_per_year"] >= 0 else ""
            parts.append(f"{method['channel']} trend and yearly season "
                         f"({sign}{formats.percent(method['growth_per_year'])} a year)")
    return "; ".join(parts)


def display_table(weekly: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The weekly plan for people: ISO weeks, FTE to one decimal, money in the currency, columns in words."""
    table = weekly[list(SHOWN_COLUMNS)].copy()
    table["week"] = [week_label(week) for week in table["week"]]
    for column in ("required_fte", "available_fte", "overtime_fte", "gap_fte", "in_training", "attrition_fte",
                   "payroll_fte"):
        table[column] = [formats.number(value, 1) for value in table[column]]
    table["hires_starting"] = [formats.count(value) for value in table["hires_starting"]]
    table["total_cost"] = [formats.money(value, currency) for value in table["total_cost"]]
    return formats.labelled(table)


def write_capacity(plan: CapacityPlan, out_dir: str | Path) -> Path:
    """Write the plan's :data:`CAPACITY_FILES` into ``out_dir`` (created if needed), each atomically."""
    out = Path(out_dir)
    write_frame(plan.weekly, out / "capacity.csv")
    text = json.dumps(plan.summary.to_dict(), indent=2) + "\n"
    atomic_write(out / "capacity_summary.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    atomic_write(out / "capacity.xlsx", lambda tmp: _workbook(plan, tmp))
    page = capacity_html(plan)
    atomic_write(out / "capacity.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return out


def _workbook(plan: CapacityPlan, path: Path) -> None:
    weekly = plan.weekly.assign(week=[week_label(week) for week in plan.weekly["week"]])
    facts = pd.DataFrame(headline(plan.summary), columns=["Figure", "Value"])
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        safe_cells(facts, "xlsx").to_excel(book, sheet_name="Summary", index=False)
        safe_cells(formats.labelled(weekly), "xlsx").to_excel(book, sheet_name="Capacity", index=False)


def capacity_html(plan: CapacityPlan) -> str:
    """``capacity.html``: the headline, what is short and why, a chart per staff group, the weekly table."""
    s = plan.summary
    drawn = [charts.capacity_chart(part, title=f"{group}: required and available FTE per week")
             for group, part in plan.weekly.groupby("group", sort=True)]
    parts = [pio.to_html(figure, full_html=False, include_plotlyjs=(i == 0)) for i, figure in enumerate(drawn)]
    facts = "".join(f"<tr><th>{_escape(name)}</th><td>{_escape(value)}</td></tr>" for name, value in headline(s))
    table = display_table(plan.weekly, s.currency).to_html(index=False, escape=True)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>wfm capacity plan {s.first_week} to {s.last_week}</title><style>body{{font-family:sans-serif;"
            "margin:2em}table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd;"
            "text-align:left}</style></head>"
            f"<body><h1>Capacity plan {s.first_week} to {s.last_week}</h1><table>{facts}</table>"
            f"<p>{_escape(s.message[:1].upper() + s.message[1:])}.</p>{''.join(parts)}{table}</body></html>")


def _escape(text: str) -> str:
    return charts.plain(text)
