"""Scenarios: save the current what-if (optionally staffed to a risk level), and a workspace leadership can read:
a fixed base column with each scenario's differences, the targets per channel, cost against service level with the
risk frontier, one-click solving of estimates, and the comparison as XLSX and HTML."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import common
from wfm import formats
from wfm.planning import charts, comparison, scenarios
from wfm.planning.comparison import MAX_COMPARED, stored_figures
from wfm.planning.frontier import risk_frontier
from wfm.planning.store import ScenarioRecord
from wfm.planning.whatif import Modifiers

#: Risk levels offered (None: staff for the expected volume).
RISK_CHOICES: tuple[float | None, ...] = (None, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99)


def risk_words(value: float | None) -> str:
    """A risk setting in words."""
    return ("the expected volume" if value is None
            else f"a {formats.percent(value, 0)} chance that each interval meets its target")


def save_current(ctx: common.Context) -> None:
    """Evaluate the current what-if on the week's forecast and store it under a name."""
    changes = common.modifiers()
    currency = ctx.config.currency
    st.caption("Current what-if (set on the Staffing page): "
               f"{common.literal(comparison.describe_settings(changes.to_dict(), currency))}.")
    with st.form("scn_save", border=True):
        name = st.text_input("Name", key="scn_name", placeholder="e.g. volume +10%, SL 90/20")
        description = st.text_input("Description", key="scn_description")
        risk = st.selectbox("Staff for", RISK_CHOICES, format_func=risk_words, key="scn_risk",
                            help="With a risk level, every voice and chat interval is staffed to meet its target "
                                 "with at least that probability, given the forecast's 80% band.")
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
        if solve and risk is None:
            # The plan the Schedule page shows for the same inputs, solved now if it was not yet.
            plan = common.cached_plan(common.plan_key(ctx, changes)) or common.solve(ctx, changes, lambda *_: None)
            figures = scenarios.figures_of(plan)
        else:
            figures = scenarios.evaluate(made.frame, ctx.config, changes, solve=solve, risk=risk)
        record = scenarios.save(common.store(ctx.config), name.strip(), ctx.config, changes, figures, description,
                                risk=risk)
    st.session_state.scn_saved = record.name
    st.success(f"Saved scenario {common.literal(repr(record.name))} (version {record.version}): "
               f"{formats.number(figures.required_fte, 1)} FTE, weekly cost {formats.money(figures.cost, currency)}, "
               f"service level {formats.percent(figures.projected_service_level)}.")


def compared(names: list[str], current: list[str] | None, saved: str | None) -> list[str]:
    """The scenarios to compare: the first ones at first, then the planner's choice plus one just saved."""
    if current is None:
        return names[:MAX_COMPARED]
    kept = [n for n in current if n in names]
    if saved is not None and saved not in kept and len(kept) < MAX_COMPARED:
        kept.append(saved)
    return kept


def listing(records: tuple[ScenarioRecord, ...], currency: str) -> pd.DataFrame:
    """The stored scenarios, one row each, written for people (a reshaping for display)."""
    rows = []
    for record in records:
        results = stored_figures(record)
        rows.append({"Name": record.name, "Description": record.description,
                     "Changes from the config": comparison.describe_settings(record.modifiers, currency),
                     "Required staff (FTE)": formats.number(results.required_fte, 1) if results else "not evaluated",
                     "Weekly cost": formats.money(results.cost, currency) if results else formats.NOT_APPLICABLE,
                     "Figures from": (("solved schedule" if results.cost_basis == "schedule" else "estimate")
                                      if results else formats.NOT_APPLICABLE),
                     "Service level": formats.percent(results.projected_service_level) if results
                     else formats.NOT_APPLICABLE,
                     "Version": record.version, "Updated (UTC)": record.updated_at.strftime("%Y-%m-%d %H:%M")})
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=16)
def frontier(forecast_key: str, config_text: str, modifiers_json: str, _forecast_frame: pd.DataFrame,
             ) -> pd.DataFrame:
    """The risk frontier of the current what-if (:func:`wfm.planning.frontier.risk_frontier`), cached."""
    config = common.parse_config_text(config_text, "config")
    return risk_frontier(_forecast_frame, config, Modifiers.from_dict(json.loads(modifiers_json)))


def solve_estimate(ctx: common.Context, record: ScenarioRecord) -> None:
    """Solve a stored estimate's schedule and store the solved figures under the same name."""
    base, changes, _ = scenarios.load(record)
    made = common.forecast(ctx)
    with common.guard(), st.spinner(f"Solving the schedule of {record.name!r}..."):
        figures = scenarios.evaluate(made.frame, base, changes, solve=True, risk=scenarios.risk_of(record))
        scenarios.save(common.store(ctx.config), record.name, base, changes, figures, record.description,
                       risk=scenarios.risk_of(record))
    st.session_state.scn_solved = record.name


def workspace(ctx: common.Context, records: tuple[ScenarioRecord, ...], chosen: list[str]) -> None:
    """The comparison against a fixed base: table, targets, chart with the frontier, solve buttons, downloads."""
    currency = ctx.config.currency
    by_name = {r.name: r for r in records}
    base = st.selectbox("Base (the column the others are compared with)", chosen, key="scn_base")
    with common.guard():
        space = comparison.workspace([by_name[n] for n in chosen], base, currency)
    st.table(comparison.workspace_table(space))  # a static table: long labels wrap instead of being cut
    st.caption("Each scenario's figure, then its difference from the base in brackets (percentage points for "
               "percentages). Estimates price required hours at each group's cheapest shift cost; solved figures "
               "come from a solved schedule.")
    estimates = [n for n in chosen if not space.solved[n]]
    if estimates:
        st.warning(f"Estimated, not solved: {common.literal(', '.join(estimates))}. Their cost and service level "
                   "are not on the same basis as a solved schedule's (shown hollow on the chart).")
        columns = st.columns(len(estimates))
        for column, name in zip(columns, estimates, strict=True):
            if column.button(f"Solve {name}", key=f"scn_solve_{name}"):
                solve_estimate(ctx, by_name[name])
                st.rerun()
    shown_frontier = None
    if st.toggle("Show the risk frontier of the current what-if (8 risk levels, estimates)", key="scn_frontier"):
        made = common.forecast(ctx)
        with common.guard(), st.spinner("Staffing the week to 8 risk levels..."):
            shown_frontier = frontier(ctx.key, ctx.config_text, common.modifiers_key(common.modifiers()), made.frame)
        # a static table: every column shows (a data frame hid the chances past its right edge)
        st.table(comparison.frontier_table(shown_frontier, currency).set_index(
            "Staffed so each interval meets its target with probability"))
    points = pd.DataFrame({"name": list(space.figures.columns), "cost": space.figures.loc["cost"].to_numpy(),
                           "service_level": space.figures.loc["projected_service_level"].to_numpy(),
                           "solved": [space.solved[n] for n in space.figures.columns]})
    line = None if shown_frontier is None else shown_frontier.rename(
        columns={"projected_service_level": "service_level"})
    symbol = formats.CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    chart = charts.workspace_chart(points, line, symbol)
    st.plotly_chart(chart, key="scn_chart")
    left, right = st.columns(2)
    left.download_button("Download the comparison (XLSX)", comparison.workspace_xlsx(space, shown_frontier),
                         file_name="scenarios.xlsx", key="scn_xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("Download the comparison (HTML)",
                          comparison.workspace_html(space, chart.to_html(full_html=False, include_plotlyjs=True),
                                                    shown_frontier),
                          file_name="scenarios.html", key="scn_html", mime="text/html")


st.title("Scenarios")
ctx = common.context()
with common.guard():
    store = common.store(ctx.config)
st.subheader("Save the current what-if")
save_current(ctx)

with common.guard():
    records = tuple(r for r in store.list_scenarios() if not r.is_capacity)  # capacity ones: the Capacity page
st.subheader(f"Stored scenarios ({len(records)})")
if not records:
    st.info("No scenarios yet: set a what-if on the Staffing page, then save it here.")
    st.stop()
st.caption(f"Stored in {common.literal(store.url)}: they survive restarts and everyone using this database sees them.")
if solved := st.session_state.pop("scn_solved", None):
    st.success(f"Solved the schedule of {common.literal(repr(solved))}: its figures are now a solved schedule's.")
st.table(listing(records, ctx.config.currency).set_index("Name"))  # static: long settings wrap, never cut

names = [r.name for r in records]
evaluated = [r.name for r in records if r.results]
st.session_state.scn_compare = compared(evaluated, st.session_state.get("scn_compare"),
                                        st.session_state.pop("scn_saved", None))
st.subheader("Compare")
chosen = st.multiselect(f"Scenarios (up to {MAX_COMPARED})", evaluated, max_selections=MAX_COMPARED,
                        key="scn_compare", help="Scenarios stored without results (not evaluated yet) cannot be "
                                                "compared.")
if chosen:
    workspace(ctx, records, chosen)

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
