"""Capacity: required FTE against supply per staff group and week, the hiring plan, what-ifs on it, and the
what-ifs saved as capacity scenarios and compared with a base (:mod:`wfm.planning.capacity_scenarios`).

Every figure comes from :func:`wfm.planning.capacity.plan_capacity` and the capacity export's :func:`headline` and
:func:`display_table`, as ``wfm capacity`` writes them.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm import formats
from wfm.config import MAX_CAPACITY_WEEKS
from wfm.io import read_agents
from wfm.planning import charts
from wfm.planning.capacity import CapacityPlan, plan_capacity
from wfm.planning.capacity_export import display_table, headline
from wfm.planning.capacity_scenarios import (
    CapacityWhatIf,
    compare_capacity,
    comparison_table,
    save_capacity,
)
from wfm.planning.comparison import MAX_COMPARED
from wfm.planning.whatif import Modifiers


@st.cache_data(show_spinner="Planning capacity (long-range forecast, staffing, hiring program)...", max_entries=16)
def planned(history_key: str, config_text: str, what_if: str, _history: pd.DataFrame) -> CapacityPlan:
    """The capacity plan for the session's history and config under a what-if (cached by their keys)."""
    changes = CapacityWhatIf.from_dict(json.loads(what_if))
    config = changes.apply(common.parse_config_text(config_text, "config"))
    agents = read_agents(common.AGENTS_FILE, config)
    return plan_capacity(_history, config, agents, weeks=changes.weeks, modifiers=changes.modifiers)


def save_form(ctx: common.Context, what_if: CapacityWhatIf, plan: CapacityPlan) -> None:
    """Save the what-if shown as a named capacity scenario."""
    with st.form("cap_save", border=True):
        st.caption(f"Save this what-if ({common.literal(what_if.describe(ctx.config.currency))}) to compare it.")
        name = st.text_input("Scenario name", key="cap_scenario_name", placeholder="e.g. volume +10%, 6-week lead")
        submitted = st.form_submit_button("Save as a capacity scenario")
    if not submitted:
        return
    if not name.strip():
        st.error("Scenario name: give the capacity scenario a name.")
        return
    with common.guard():
        record = save_capacity(common.store(ctx.config), name.strip(), ctx.config, what_if, plan)
        st.session_state.cap_saved = record.name
        st.success(f"Saved capacity scenario {common.literal(repr(record.name))} (version {record.version}).")


def compare_form(ctx: common.Context) -> None:
    """Stored capacity scenarios side by side against a base chosen here."""
    with common.guard():
        records = {r.name: r for r in common.store(ctx.config).list_scenarios() if r.is_capacity}
    if not records:
        st.info("No capacity scenarios yet: set a what-if above and save it.")
        return
    names = list(records)
    kept = [n for n in st.session_state.get("cap_compare", names[:MAX_COMPARED]) if n in records]
    saved = st.session_state.pop("cap_saved", None)
    if saved is not None and saved not in kept and len(kept) < MAX_COMPARED:
        kept.append(saved)  # one just saved joins the comparison
    st.session_state.cap_compare = kept
    chosen = st.multiselect(f"Capacity scenarios (up to {MAX_COMPARED})", names, max_selections=MAX_COMPARED,
                            key="cap_compare")
    if not chosen:
        return
    base = st.selectbox("Base (the column the others are compared with)", chosen, key="cap_base")
    with common.guard():
        compared = compare_capacity([records[n] for n in chosen], base, ctx.config.currency)
    st.table(comparison_table(compared))
    st.caption("Each scenario's figure, then its difference from the base in brackets; money in "
               f"{ctx.config.currency}, over each scenario's own horizon.")


st.title("Capacity plan")
ctx = common.context()
rules = ctx.config.capacity
if not common.AGENTS_FILE.exists():
    st.error(f"No agents file ({common.AGENTS_FILE.name}): the plan needs the current agents and their contract hours.")
    st.stop()

with st.form("cap_what_if", border=True):
    st.caption("What-ifs on this plan (the config file is not changed).")
    row = st.columns(4)
    weeks = kept(row[0].number_input, "Weeks to plan", "cap_weeks", rules.horizon_weeks, min_value=1,
                 max_value=MAX_CAPACITY_WEEKS)
    volume = kept(row[1].number_input, "Volume change (%)", "cap_volume", 0.0, min_value=-90.0, max_value=1000.0,
                  step=5.0)
    aht = kept(row[2].number_input, "Handle time change (%)", "cap_aht", 0.0, min_value=-90.0, max_value=1000.0,
               step=5.0)
    target = kept(row[3].number_input, "Service level target (%) for voice and chat (0 keeps the config's)",
                  "cap_target", 0.0, min_value=0.0, max_value=99.0, step=1.0)
    row = st.columns(4)
    attrition = kept(row[0].number_input, "Monthly attrition (%) for every group (blank keeps the config's)",
                     "cap_attrition", None, min_value=0.0, max_value=99.0, step=0.5)
    lead = kept(row[1].number_input, "Hiring lead time (weeks)", "cap_lead", rules.lead_time_weeks, min_value=0,
                max_value=MAX_CAPACITY_WEEKS)
    training = kept(row[2].number_input, "Training (weeks)", "cap_training", rules.training_weeks, min_value=0,
                    max_value=MAX_CAPACITY_WEEKS)
    largest = kept(row[3].number_input, "Largest class (0: no limit)", "cap_class", rules.max_class_size or 0,
                   min_value=0, max_value=1000)
    st.form_submit_button("Plan", type="primary")

capacity_changes: dict[str, object] = {}
if lead != rules.lead_time_weeks:
    capacity_changes["lead_time_weeks"] = int(lead)
if training != rules.training_weeks:
    capacity_changes["training_weeks"] = int(training)
if largest != (rules.max_class_size or 0):
    capacity_changes["max_class_size"] = int(largest) or None
if attrition is not None:
    capacity_changes["monthly_attrition"] = attrition / 100
modifiers = Modifiers(volume_pct=volume, aht_pct=aht, service_level=target / 100 if target else None)
what_if = CapacityWhatIf(weeks=int(weeks), modifiers=modifiers, capacity=capacity_changes)
with common.guard():
    plan = planned(ctx.history_key, ctx.config_text, json.dumps(what_if.to_dict(), sort_keys=True), ctx.history)
summary = plan.summary
cols = st.columns(4)
cols[0].metric("Weeks planned", formats.count(summary.weeks), help=f"{summary.first_week} to {summary.last_week}")
cols[1].metric("Hires", formats.count(sum(summary.hires.values())),
               help=", ".join(f"{common.literal(g)}: {formats.count(n)}" for g, n in summary.hires.items()))
cols[2].metric("Total cost", formats.money(summary.total_cost, summary.currency))
cols[3].metric("Short (FTE-weeks)", formats.number(summary.short_fte_weeks, 1),
               help=f"{formats.number(summary.short_fte_weeks_lead_time, 1)} of them within the lead time")
message = common.literal(summary.message[:1].upper() + summary.message[1:]) + "."
if summary.status == "covered":
    st.success(message)
else:
    st.warning(message)

st.subheader("Per staff group")
groups = sorted(plan.weekly["group"].unique())
for group, tab in zip(groups, st.tabs([common.literal(g) for g in groups]), strict=True):
    part = plan.weekly[plan.weekly["group"] == group]
    tab.plotly_chart(charts.capacity_chart(part, title=f"{group}: required and available FTE per week"),
                     key=f"cap_chart_{group}")
    tab.caption("Week by week")
    weekly = display_table(part, summary.currency).drop(columns=formats.label("group"))
    tab.table(weekly.set_index(formats.label("week")))  # static: every column fits the page, headers wrap
st.subheader("The plan's figures")
st.table(pd.DataFrame(headline(summary), columns=["Figure", "Value"]).set_index("Figure"))

st.subheader("Capacity scenarios")
save_form(ctx, what_if, plan)
compare_form(ctx)
