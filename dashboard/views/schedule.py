"""Schedule: solve the week's shifts (with the current what-if), then coverage, the roster as a Gantt, downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm.io import safe_cells
from wfm.planning import charts
from wfm.planning.export import write_workbook
from wfm.planning.plan import Plan
from wfm.planning.whatif import Modifiers

STAGES = ("forecast", "staffing", "schedule", "projection")


def solve(ctx: common.Context, changes: Modifiers) -> None:
    """Run the plan with a visible status: one line and one progress step per stage."""
    common.forecast(ctx)
    with st.status(f"Planning {ctx.week}...", expanded=True) as status:
        bar = st.progress(0.0, text="starting")

        def on_stage(stage: str, message: str) -> None:
            done = STAGES.index(stage) if stage in STAGES else 0
            bar.progress(done / len(STAGES), text=common.literal(message))
            st.write(f"{stage}: {common.literal(message)}")

        try:
            plan = common.solve(ctx, changes, on_stage)
        except Exception:
            status.update(label=f"Planning {ctx.week} failed", state="error")
            raise
        bar.progress(1.0, text="done")
        s = plan.schedule.summary
        status.update(label=f"Schedule {s.solver.status}: {s.shifts} shifts, gap {s.solver.gap:.2%}, "
                            f"{s.solver.seconds:.0f} s",
                      state="complete", expanded=False)


def local_times(frame: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Timestamps as local wall-clock times without offset (spreadsheets refuse timezone-aware cells)."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert(zone).dt.tz_localize(None)
    return out


def roster_xlsx(plan: Plan) -> bytes:
    """The batch export's workbook (a summary sheet, then a sheet per day with shifts and breaks)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schedule.xlsx"
        write_workbook(plan, path)
        return path.read_bytes()


def under_over(coverage: pd.DataFrame, zone: str, hours: float) -> pd.DataFrame:
    """Agent-hours short and over the requirement per group and day (a reshaping for display)."""
    day = coverage["interval_start"].dt.tz_convert(zone).dt.strftime("%a %d %b")
    table = coverage.assign(day=day).groupby(["group", "day"], sort=False)[["required", "scheduled", "under",
                                                                             "over"]].sum() * hours
    return table.rename(columns=lambda c: f"{c} (agent-hours)").reset_index()


def show(plan: Plan, zone: str) -> None:
    """The solved week: headline figures, coverage, Gantt, under/over, downloads."""
    s = plan.schedule.summary
    cols = st.columns(6)
    report = s.solver
    cols[0].metric("Solver status", report.status,
                   help=f"{report.backend}, {report.model} model, {report.seconds:.1f} s")
    cols[1].metric("Gap", f"{report.gap:.2%}", help=f"objective {report.objective:,.0f}, bound {report.bound:,.0f}")
    cols[2].metric("Paid hours", f"{s.paid_hours:,.0f}")
    cols[3].metric("Cost", f"{s.cost:,.0f}")
    cols[4].metric("Coverage", f"{s.coverage:.1%}", help="1 - under / required agent-hours")
    cols[5].metric("Agents", f"{s.agents:,}", help=f"{s.shifts:,} shifts, {s.unassigned_shifts} unassigned")
    st.dataframe(plan.summary.channel_table, hide_index=True, key="sched_channels",
                 column_config={c: st.column_config.NumberColumn(format="percent")
                                for c in ("wmape", "service_level_target", "projected_service_level",
                                          "projected_occupancy")})
    groups = list(plan.schedule.coverage["group"].unique())
    group = kept(st.selectbox, "Staff group", "sched_group", groups[0], options=groups)
    coverage = plan.schedule.coverage[plan.schedule.coverage["group"] == group]
    st.plotly_chart(charts.coverage_chart(coverage, zone), key="sched_coverage")

    roster = plan.schedule.roster[plan.schedule.roster["group"] == group]
    days = sorted(roster["date"].unique())
    if days:
        day = kept(st.selectbox, "Day", "sched_day", days[0], options=days, format_func=lambda d: f"{d:%a %d %b}")
        shown = roster[roster["date"] == day]
        st.plotly_chart(charts.gantt(shown, plan.schedule.breaks, zone), key="sched_gantt")
    else:
        st.info(f"No shifts for {common.literal(group)}.")

    left, right = st.columns(2)
    with left:
        st.subheader("Under and over coverage")
        st.dataframe(under_over(plan.schedule.coverage, zone, plan.config.interval_minutes / 60), hide_index=True,
                     key="sched_under_over")
    with right:
        st.subheader(f"Intervals short ({len(plan.schedule.unmet)})")
        st.dataframe(local_times(plan.schedule.unmet, zone), hide_index=True, key="sched_unmet")
    week = plan.summary.week
    left, right = st.columns(2)
    left.download_button("Download roster (CSV)",
                         safe_cells(local_times(plan.schedule.roster, zone)).to_csv(index=False),
                         file_name=f"roster-{week}.csv", mime="text/csv", key="sched_csv")
    right.download_button("Download roster (XLSX)", roster_xlsx(plan), file_name=f"roster-{week}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="sched_xlsx")


def publish(ctx: common.Context, plan: Plan) -> None:
    """Publish the solved plan as the week's export, recorded as a run like the weekly ``wfm plan``."""
    st.subheader("Publish")
    folder = st.text_input("Export folder", str(common.EXPORT_FOLDER), key="sched_export_folder",
                           help="The week's files go to FOLDER/<week>/, replacing an earlier export of that week "
                                "in one step.")
    if not st.button(f"Publish {plan.summary.week} as the week's export", key="sched_publish"):
        return
    with common.guard(), st.spinner("Writing the export..."):
        run = common.publish(ctx, plan, Path(folder))
    if run.exit_code:
        st.warning(f"Run {run.run_id} recorded with exit code {run.exit_code}: {common.literal(run.message)}. "
                   f"The export is in {common.literal(run.export_dir)}.")
    else:
        st.success(f"Run {run.run_id} recorded; the export is in {common.literal(run.export_dir)} "
                   "(see the Exports page).")


st.title("Schedule")
ctx = common.context()
changes = common.modifiers()
key = common.plan_key(ctx, changes)
what_if = ", ".join(f"{k} {v}" for k, v in changes.to_dict().items()) or "none"
agents_note = "named agents from data/agents.csv" if common.AGENTS_FILE.exists() else "generated agent ids"
st.caption(f"Week {ctx.week} · what-if changes: {common.literal(what_if)} (set on the Staffing page) · {agents_note} · "
           f"solver {ctx.config.solver.backend}, limit {ctx.config.solver.time_limit_seconds:g} s")
if st.button("Solve schedule", type="primary", key="sched_solve"):
    with common.guard():
        solve(ctx, changes)
    st.session_state.plan_key = key
plan = common.cached_plan(key)
if plan is None:
    previous = st.session_state.get("plan_key")
    if previous and common.cached_plan(previous) is not None:
        st.warning("The inputs changed since the last solve (data, config or what-if); solve again to update. "
                   "Showing the last schedule.")
        plan = common.cached_plan(previous)
    else:
        st.info("Press **Solve schedule** to plan the week's shifts.")
if plan is not None:
    with common.guard():
        show(plan, ctx.config.timezone)
    if plan is common.cached_plan(key):  # only the plan of the inputs in use is published
        publish(ctx, plan)
