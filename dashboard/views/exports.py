"""Exports: the weekly batch runs recorded in the store, their summaries and files to download."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from wfm import formats
from wfm.errors import StoreError
from wfm.planning.store import RunRecord
from wfm.planning.summary import PlanSummary


def typed_summary(run: RunRecord) -> PlanSummary | None:
    """A run's plan summary, typed; None while running, for failed runs and for runs of older versions."""
    if not run.summary:
        return None
    try:
        return PlanSummary.from_dict(run.summary)
    except StoreError:
        return None


def currency_of(run: RunRecord, fallback: str) -> str:
    """The currency of the config the run used (runs recorded before configs had one: ``fallback``)."""
    return str(run.config.get("currency") or fallback)


def runs_table(runs: tuple[RunRecord, ...], currency: str) -> pd.DataFrame:
    """One row per run, formatted for people (a reshaping for display)."""
    rows = []
    for run in runs:
        summary = typed_summary(run)
        took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
        rows.append({"Run": str(run.id), "Week": run.week, "Status": run.status,
                     "Started": run.started_at.strftime("%Y-%m-%d %H:%M UTC"),
                     "Took": formats.seconds(None if took is None else round(took)),
                     "Paid hours": formats.hours(summary.paid_hours if summary else None, 0),
                     "Cost": formats.money(summary.cost if summary else None, currency_of(run, currency)),
                     "Coverage": formats.percent(summary.coverage if summary else None),
                     "Message": run.message or formats.NOT_APPLICABLE})
    return pd.DataFrame(rows)


def summary_sections(summary: PlanSummary, currency: str) -> None:
    """The whole plan summary in words: week, solver, figures, and the per-day table (not raw JSON)."""
    solver = summary.solver
    figures = {"Week": f"{summary.week} (from Monday {summary.week_start:%d %B %Y})",
               "Required agent-hours (after shrinkage)": formats.hours(summary.required_agent_hours),
               "Scheduled agent-hours": formats.hours(summary.scheduled_agent_hours),
               "Paid hours": formats.hours(summary.paid_hours), "Cost": formats.money(summary.cost, currency),
               "Short agent-hours": formats.hours(summary.under_agent_hours),
               "Over agent-hours": formats.hours(summary.over_agent_hours),
               "Coverage": formats.percent(summary.coverage), "Efficiency": formats.percent(summary.efficiency),
               "Short intervals": formats.count(summary.unmet_intervals),
               "Unassigned shifts": formats.count(summary.unassigned_shifts),
               "Solver": f"{solver.backend}, {solver.model} model, {formats.seconds(round(solver.seconds))}, "
                         f"{formats.count(solver.integer_variables)} integer variables",
               "Cost search": f"{solver.status}; within {formats.percent(solver.gap, 2)} of the best possible "
                              f"(limit {formats.percent(solver.gap_limit, 2)})"}
    figures |= {f"Time: {stage}": formats.seconds(round(took, 1)) for stage, took in summary.timings_seconds.items()}
    st.dataframe(pd.DataFrame({"Figure": list(figures), "Value": list(figures.values())}), hide_index=True,
                 key="exp_whole", width="stretch")
    daily = summary.daily_table
    daily["date"] = daily["date"].map(lambda d: f"{d:%a %d %b}")
    st.dataframe(common.shown(daily, {"volume": formats.count, "productive_agent_hours": formats.hours,
                                      "required_agent_hours": formats.hours,
                                      "projected_service_level": formats.percent,
                                      "projected_occupancy": formats.percent}),
                 hide_index=True, key="exp_daily", width="stretch")


def located(name: str) -> Path:
    """A run's file: as recorded, or relative to the project when the run used a relative folder."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else common.PROJECT / path


def show(run: RunRecord, currency: str) -> None:
    """A run's headline figures, per-channel summary and files."""
    summary = typed_summary(run)
    if run.status == "failed":
        st.error(f"Run {run.id} failed (exit code {run.exit_code}): {common.literal(run.message)}")
    elif run.message:
        st.warning(f"Run {run.id} (exit code {run.exit_code}): {common.literal(run.message)}")
    if summary is not None:
        common.status_banner(summary)
        common.headline(summary, currency)
        st.table(summary.channel_figures())  # static: long figure names wrap instead of being cut
        with st.expander("Whole summary"):
            summary_sections(summary, currency)
    st.caption(f"Export folder: {common.literal(run.export_dir)}")
    columns = st.columns(4)
    for index, name in enumerate(run.files):
        path = located(name)
        cell = columns[index % len(columns)]
        if path.is_file():
            cell.download_button(f"{common.literal(path.name)} ({path.stat().st_size / 1024:,.0f} kB)",
                                 path.read_bytes(), file_name=path.name, key=f"exp_file_{index}",
                                 mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        else:
            cell.caption(f"{common.literal(Path(name).name)}: no longer on disk ({common.literal(name)})")


st.title("Exports")
with common.guard():
    config = common.context(caption=False).config
    store = common.store(config)
    runs = store.list_runs(limit=100)
if not runs:
    st.info("No batch runs recorded yet. **Publish** on the Schedule page plans the week's export and records "
            "the run here, as the weekly planning job does.")
    st.stop()
st.caption(f"The latest {len(runs)} run{'s' if len(runs) > 1 else ''} recorded in {common.literal(store.url)}.")
st.dataframe(runs_table(runs, config.currency), hide_index=True, key="exp_runs", width="stretch")
labels = {f"run {r.id} · {r.week} · {r.status}": r for r in runs}
chosen = st.selectbox("Run", list(labels), key="exp_run")
show(labels[chosen], currency_of(labels[chosen], config.currency))
