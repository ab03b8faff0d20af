"""Scenarios: save the current what-if under a name, compare up to four side by side, cost vs service level."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import common
from wfm.planning import charts, scenarios
from wfm.planning.comparison import MAX_COMPARED, compare, stored_figures
from wfm.planning.store import ScenarioRecord

FIGURE_FORMATS = {
    "required_fte": "{:,.1f}", "scheduled_fte": "{:,.1f}", "paid_hours": "{:,.0f}", "cost": "{:,.0f}",
    "projected_service_level": "{:.1%}", "projected_occupancy": "{:.1%}", "under_agent_hours": "{:,.0f}",
}


def save_current(ctx: common.Context) -> None:
    """Evaluate the current what-if on the week's forecast and store it under a name."""
    changes = common.modifiers()
    described = ", ".join(f"{k} {v}" for k, v in changes.to_dict().items()) or "no changes (the base config)"
    st.caption(f"Current what-if (set on the Staffing page): {common.literal(described)}.")
    with st.form("scn_save", border=True):
        name = st.text_input("Name", key="scn_name", placeholder="e.g. volume +10%, SL 90/20")
        description = st.text_input("Description", key="scn_description")
        solve = st.checkbox("Solve the schedule too (exact cost and scheduled FTE; takes up to the solver limit)",
                            key="scn_solve")
        submitted = st.form_submit_button("Save scenario", type="primary")
    if not submitted:
        return
    if not name.strip():
        st.error("Name: give the scenario a name.")
        return
    made = common.forecast(ctx)
    with common.guard(), st.spinner("Evaluating the scenario..."):
        if solve:
            # The plan the Schedule page shows for the same inputs, solved now if it was not yet.
            plan = common.cached_plan(common.plan_key(ctx, changes)) or common.solve(ctx, changes, lambda *_: None)
            figures = scenarios.figures_of(plan)
        else:
            figures = scenarios.evaluate(made.frame, ctx.config, changes)
        record = scenarios.save(common.store(ctx.config), name.strip(), ctx.config, changes, figures, description)
    st.session_state.scn_saved = record.name
    st.success(f"Saved scenario {common.literal(repr(record.name))} (version {record.version}): "
               f"{figures.required_fte:,.1f} FTE, cost {figures.cost:,.0f}, "
               f"service level {figures.projected_service_level:.1%}.")


def compared(names: list[str], current: list[str] | None, saved: str | None) -> list[str]:
    """The scenarios to compare: the first ones at first, then the planner's choice plus one just saved."""
    if current is None:
        return names[:MAX_COMPARED]
    kept = [n for n in current if n in names]
    if saved is not None and saved not in kept and len(kept) < MAX_COMPARED:
        kept.append(saved)
    return kept


def listing(records: tuple[ScenarioRecord, ...]) -> pd.DataFrame:
    """The stored scenarios, one row each (a reshaping for display)."""
    rows = []
    for record in records:
        results = stored_figures(record)
        rows.append({"name": record.name, "description": record.description,
                     "changes": ", ".join(f"{k}={v}" for k, v in sorted(record.modifiers.items())) or "none",
                     "FTE": results.required_fte if results else None, "cost": results.cost if results else None,
                     "cost basis": results.cost_basis if results else None,
                     "service level": results.projected_service_level if results else None,
                     "occupancy": results.projected_occupancy if results else None, "version": record.version,
                     "updated": record.updated_at.strftime("%Y-%m-%d %H:%M UTC")})
    return pd.DataFrame(rows)


def formatted(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with numbers written for people."""
    out = table.astype(object)
    for figure, pattern in FIGURE_FORMATS.items():
        if figure in out.index:
            out.loc[figure] = [pattern.format(v) if isinstance(v, int | float) else "-" for v in table.loc[figure]]
    return out.fillna("-")


st.title("Scenarios")
ctx = common.context()
with common.guard():
    store = common.store(ctx.config)
st.subheader("Save the current what-if")
save_current(ctx)

with common.guard():
    records = store.list_scenarios()
st.subheader(f"Stored scenarios ({len(records)})")
if not records:
    st.info("No scenarios yet: set a what-if on the Staffing page, then save it here.")
    st.stop()
st.caption(f"Stored in {common.literal(store.url)}: they survive restarts and everyone using this database sees them.")
st.dataframe(listing(records), hide_index=True, key="scn_list",
             column_config={"FTE": st.column_config.NumberColumn(format="%.1f"),
                            "cost": st.column_config.NumberColumn(format="%.0f"),
                            "service level": st.column_config.NumberColumn(format="percent"),
                            "occupancy": st.column_config.NumberColumn(format="percent")})

names = [r.name for r in records]
evaluated = [r.name for r in records if r.results]
st.session_state.scn_compare = compared(evaluated, st.session_state.get("scn_compare"),
                                        st.session_state.pop("scn_saved", None))
chosen = st.multiselect(f"Compare (up to {MAX_COMPARED})", evaluated,
                        max_selections=MAX_COMPARED, key="scn_compare",
                        help="Scenarios stored without results (not evaluated yet) cannot be compared.")
if chosen:
    by_name = {r.name: r for r in records}
    with common.guard():
        table = compare([by_name[n] for n in chosen])
    st.dataframe(formatted(table), key="scn_table")
    points = pd.DataFrame({"name": chosen, "cost": [table.loc["cost", n] for n in chosen],
                           "service_level": [table.loc["projected_service_level", n] for n in chosen]})
    st.plotly_chart(charts.cost_service_chart(points), key="scn_chart")

with st.expander("Open a scenario in the what-if"):
    opened = st.selectbox("Scenario", names, key="scn_open_name")
    if st.button("Open", key="scn_open"):
        record = next(r for r in records if r.name == opened)
        with common.guard():
            base, changes, _ = scenarios.load(record)
        common.open_what_if(changes)
        st.success(f"{common.literal(repr(opened))} is now the what-if: see the Staffing and Schedule pages.")
        if base != ctx.config:
            st.warning(f"{common.literal(repr(opened))} was saved with a different base config than the one in use; "
                       "its changes now apply to the config in use (edit it on the Data page to match).")

with st.expander("Delete a scenario"):
    doomed = st.selectbox("Scenario to delete", names, key="scn_delete_name")
    if st.button("Delete", key="scn_delete"):
        with common.guard():
            store.delete_scenario(doomed)
        st.rerun()
