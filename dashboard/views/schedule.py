"""Schedule: solve the week's shifts (with the current what-if), read the plan's status, then the intraday view,
the agents' week, the day Gantt, coverage, the roster downloads and publishing."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm import formats
from wfm.io import write_frame
from wfm.planning import charts
from wfm.planning.export import write_workbook
from wfm.planning.plan import Plan
from wfm.planning.whatif import Modifiers

STAGES = ("forecast", "staffing", "schedule", "projection")
#: Agents drawn at once in the day Gantt (a page of them; search and paging reach the others).
GANTT_PAGE = 50
#: The choice "every day" in the agents' week filter.
EVERY_DAY = "Every day"


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
            status.update(label=f"Planning {ctx.week} failed: see the message below", state="error",
                          expanded=False)
            raise
        bar.progress(1.0, text="done")
        s = plan.schedule.summary
        status.update(label=f"Schedule of {ctx.week} solved: {formats.count(s.shifts)} shifts in "
                            f"{formats.seconds(round(s.solver.seconds))}", state="complete", expanded=False)


def what_if_text(changes: Modifiers) -> str:
    """A what-if in words ("none" when empty)."""
    return ", ".join(f"{formats.label(k).lower()} {v}" for k, v in changes.to_dict().items()) or "none"


def local_times(frame: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Timestamps as local wall-clock times without offset (spreadsheets refuse timezone-aware cells)."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert(zone).dt.tz_localize(None)
    return out


def roster_csv(plan: Plan) -> bytes:
    """The roster exactly as the week's export writes ``roster.csv``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        write_frame(plan.schedule.roster, path)
        return path.read_bytes()


def roster_xlsx(plan: Plan) -> bytes:
    """The batch export's workbook (a summary sheet, then a sheet per day with shifts and breaks)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schedule.xlsx"
        write_workbook(plan, path)
        return path.read_bytes()


def under_over(coverage: pd.DataFrame, zone: str, hours: float) -> pd.DataFrame:
    """Agent-hours required, scheduled, short and over per group and day, formatted (a reshaping for display)."""
    day = coverage["interval_start"].dt.tz_convert(zone).dt.strftime("%a %d %b")
    table = (coverage.assign(day=day).groupby(["group", "day"], sort=False)[["required", "scheduled", "under", "over"]]
             .sum() * hours).reset_index()
    table = table.rename(columns={"required": "required_agent_hours", "scheduled": "scheduled_agent_hours",
                                  "under": "under_agent_hours", "over": "over_agent_hours"})
    return common.shown(table, dict.fromkeys(["required_agent_hours", "scheduled_agent_hours", "under_agent_hours",
                                              "over_agent_hours"], formats.hours))


def agent_week(roster: pd.DataFrame, zone: str, days: list[dt.date]) -> pd.DataFrame:
    """The weekly grid: one row per agent, one column per day with the shift's local times ("—" for a day off),
    and the week's paid hours (a reshaping for display)."""
    start = roster["shift_start"].dt.tz_convert(zone)
    end = roster["shift_end"].dt.tz_convert(zone)
    text = start.dt.strftime("%H:%M") + "–" + end.dt.strftime("%H:%M")
    grid = (roster.assign(text=text).pivot_table(index=["agent_id", "group"], columns="date", values="text",
                                                 aggfunc=" · ".join)
            .reindex(columns=days).astype(object).fillna(formats.NOT_APPLICABLE))
    grid.columns = [f"{day:%a %d}" for day in days]
    paid = roster.groupby(["agent_id", "group"])["paid_hours"].sum()
    grid["Paid hours"] = paid.reindex(grid.index).map(formats.hours)
    return grid.reset_index().rename(columns={"agent_id": "Agent", "group": "Staff group"})


def week_grid(plan: Plan, zone: str) -> None:
    """The agents' week with filters: staff group, working on a day, agent search."""
    roster = plan.schedule.roster
    days = sorted(roster["date"].unique())
    groups = list(dict.fromkeys(roster["group"]))
    left, mid, right = st.columns(3)
    chosen = kept(left.multiselect, "Staff groups (empty = all)", "sched_grid_groups", [], options=groups)
    day_names = [EVERY_DAY, *(f"{d:%a %d %b}" for d in days)]
    on_day = kept(mid.selectbox, "Working on", "sched_grid_day", EVERY_DAY, options=day_names)
    search = right.text_input("Agent search", key="sched_grid_search", placeholder="part of an agent id")
    rows = roster
    if chosen:
        rows = rows[rows["group"].isin(chosen)]
    if on_day != EVERY_DAY:
        working = rows.loc[rows["date"] == days[day_names.index(on_day) - 1], "agent_id"]
        rows = rows[rows["agent_id"].isin(working)]
    if search:
        rows = rows[rows["agent_id"].astype(str).str.contains(search, case=False, regex=False)]
    grid = agent_week(rows, zone, days)
    st.caption(f"{formats.count(len(grid))} of {formats.count(roster['agent_id'].nunique())} agents")
    st.dataframe(grid, hide_index=True, key="sched_grid", height=420, width="stretch")


def day_gantt(plan: Plan, zone: str) -> None:
    """One staff group's day as a Gantt, a page of agents at a time (search narrows it)."""
    roster = plan.schedule.roster
    groups = list(dict.fromkeys(roster["group"]))
    left, mid, right = st.columns(3)
    group = kept(left.selectbox, "Staff group", "sched_group", groups[0], options=groups)
    shifts = roster[roster["group"] == group]
    days = sorted(shifts["date"].unique())
    day = kept(mid.selectbox, "Day", "sched_day", days[0], options=days, format_func=lambda d: f"{d:%a %d %b}")
    search = right.text_input("Agent search", key="sched_gantt_search", placeholder="part of an agent id")
    shown = shifts[shifts["date"] == day].sort_values(["shift_start", "agent_id"])
    if search:
        shown = shown[shown["agent_id"].astype(str).str.contains(search, case=False, regex=False)]
    if shown.empty:
        st.info("No shifts match.")
        return
    pages = (len(shown) + GANTT_PAGE - 1) // GANTT_PAGE
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (of {pages}, {GANTT_PAGE} agents each, by shift start)", 1, pages, 1,
                               key="sched_gantt_page")
    part = shown.iloc[(int(page) - 1) * GANTT_PAGE:int(page) * GANTT_PAGE]
    st.caption(f"{formats.count(len(part))} of {formats.count(len(shown))} shifts · hover a bar for its times, "
               "drag to zoom, double-click to reset")
    st.plotly_chart(charts.gantt(part, plan.schedule.breaks, zone), key="sched_gantt")


def intraday(plan: Plan, zone: str) -> None:
    """Plan vs target per channel and day: agents required and planned with over/under, service level, occupancy."""
    channels = list(plan.config.channels)
    days = sorted(plan.requirements["interval_start"].dt.tz_convert(zone).dt.date.unique())
    left, right = st.columns(2)
    channel = kept(left.selectbox, "Channel", "sched_intraday_channel", channels[0], options=channels)
    day = kept(right.selectbox, "Day", "sched_intraday_day", days[0], options=days,
               format_func=lambda d: f"{d:%a %d %b}")
    on_day = plan.requirements["interval_start"].dt.tz_convert(zone).dt.date == day
    rows = on_day & (plan.requirements["channel"] == channel)
    target = plan.config.channels[channel].service_level if plan.config.channels[channel].is_queue else None
    st.plotly_chart(charts.intraday_chart(plan.requirements[rows], plan.projection[rows], zone, target,
                                          f"{channel}, {day:%A %d %B}"), key="sched_intraday")
    targets = {name: rules.service_level if rules.is_queue else None for name, rules in plan.config.channels.items()}
    st.plotly_chart(charts.daily_service_chart(plan.summary.daily_table, targets), key="sched_daily_service")


def coverage(plan: Plan, zone: str) -> None:
    """Per staff group: agents on shift against the requirement, over/under per interval, short intervals."""
    groups = list(plan.schedule.coverage["group"].unique())
    group = kept(st.selectbox, "Staff group", "sched_cov_group", groups[0], options=groups)
    part = plan.schedule.coverage[plan.schedule.coverage["group"] == group]
    st.plotly_chart(charts.coverage_chart(part, zone), key="sched_coverage")
    st.plotly_chart(charts.net_staffing_chart(part, zone), key="sched_net")
    left, right = st.columns(2)
    with left:
        st.subheader("Agent-hours per day")
        st.dataframe(under_over(plan.schedule.coverage, zone, plan.config.interval_minutes / 60), hide_index=True,
                     key="sched_under_over")
    with right:
        st.subheader(f"Intervals short ({formats.count(len(plan.schedule.unmet))})")
        st.dataframe(formats.labelled(local_times(plan.schedule.unmet, zone)), hide_index=True, key="sched_unmet")


def show(plan: Plan, zone: str, *, stale: bool) -> None:
    """The solved week: status, headline figures, per-channel figures, then the views and downloads."""
    s = plan.summary
    common.status_banner(s)
    common.headline(s, plan.config.currency, stale=stale)
    solver = s.solver
    st.caption(f"{formats.count(plan.schedule.summary.agents)} agents, {formats.count(plan.schedule.summary.shifts)} "
               f"shifts · solver {solver.backend} ({solver.model} model), {formats.seconds(round(solver.seconds))}, "
               f"cost within {formats.percent(solver.gap, 2)} of the best possible")
    st.table(s.channel_figures())  # static: long figure names wrap instead of being cut
    views = st.tabs(["Intraday plan vs target", "Agents' week", "Day Gantt", "Coverage"])
    with views[0]:
        intraday(plan, zone)
    with views[1]:
        week_grid(plan, zone)
    with views[2]:
        day_gantt(plan, zone)
    with views[3]:
        coverage(plan, zone)
    week = s.week
    left, right = st.columns(2)
    left.download_button("Download roster (CSV)", roster_csv(plan), file_name=f"roster-{week}.csv", mime="text/csv",
                         key="sched_csv", help="The same file as roster.csv in the week's export")
    right.download_button("Download roster (XLSX)", roster_xlsx(plan), file_name=f"roster-{week}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="sched_xlsx",
                          help="The same workbook as schedule.xlsx in the week's export")


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
agents_note = "named agents from data/agents.csv" if common.AGENTS_FILE.exists() else "generated agent ids"
st.caption(f"Week {ctx.week} · {agents_note} · solver {ctx.config.solver.backend}, limit "
           f"{formats.seconds(ctx.config.solver.time_limit_seconds)}")
if st.button("Solve schedule", type="primary", key="sched_solve",
             help=f"Solves with the current what-if ({common.literal(what_if_text(changes))}; "
                  "set on the Staffing page)"):
    with common.guard():
        solve(ctx, changes)
    st.session_state.plan_key = key
plan = common.cached_plan(key)
stale = False
if plan is None:
    previous = st.session_state.get("plan_key")
    plan = common.cached_plan(previous) if previous else None
    stale = plan is not None
    if plan is None:
        st.info(f"Press **Solve schedule** to plan the week's shifts (what-if: "
                f"{common.literal(what_if_text(changes))}).")
if plan is not None:
    if stale:
        then = common.literal(what_if_text(plan.modifiers))
        st.warning(f"Stale: this schedule was solved before the inputs changed (data, config or what-if). Its "
                   f"figures are the old solve's, for the what-if then: {then}; "
                   f"the what-if now is {common.literal(what_if_text(changes))}. Press **Solve schedule** to update.",
                   icon=":material/history:")
    else:
        st.caption(f"Solved with the what-if: {common.literal(what_if_text(plan.modifiers))}")
    with common.guard():
        show(plan, ctx.config.timezone, stale=stale)
    if not stale:  # only the plan of the inputs in use is published
        publish(ctx, plan)
