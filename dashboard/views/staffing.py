"""Staffing what-if: requirements of the week under changed volume, handle time and rules, live."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm.config import Config
from wfm.planning import charts, scenarios
from wfm.planning.whatif import Modifiers
from wfm.staffing import queue_metrics, size_interval, staffing_by_channel


@st.cache_data(show_spinner=False, max_entries=64)
def _figures(forecast_key: str, config_text: str, modifiers_json: str, _forecast_frame: pd.DataFrame,
             ) -> scenarios.ScenarioFigures:
    """Headline figures of the what-if (``wfm.planning.scenarios.evaluate``); ``forecast_key`` stands for the frame."""
    config = common.parse_config_text(config_text, "config")
    return scenarios.evaluate(_forecast_frame, config, Modifiers.from_dict(json.loads(modifiers_json)))


def calculator() -> None:
    """One interval: the agents a call load needs (Erlang C, or Erlang A with patience)."""
    left, right = st.columns([1, 2])
    with left:
        calls = kept(st.number_input, "Calls in the interval", "calc_calls", 100.0, min_value=0.0, step=10.0)
        aht = kept(st.number_input, "AHT (seconds)", "calc_aht", 180.0, min_value=1.0, step=10.0)
        interval = kept(st.selectbox, "Interval (minutes)", "calc_interval", 30, options=[15, 30, 60])
        target = kept(st.number_input, "Service level target", "calc_target", 0.80, min_value=0.01,
                      max_value=0.99, step=0.05)
        answer = kept(st.number_input, "Answer within (seconds)", "calc_answer", 20.0, min_value=0.0, step=5.0)
        occupancy = kept(st.number_input, "Max occupancy", "calc_occupancy", 1.0, min_value=0.05, max_value=1.0,
                         step=0.05)
        shrinkage = kept(st.number_input, "Shrinkage", "calc_shrinkage", 0.30, min_value=0.0, max_value=0.95,
                         step=0.05)
        patience = kept(st.number_input, "Mean patience (seconds, empty = Erlang C)", "calc_patience", None,
                        min_value=1.0, step=30.0, placeholder="Erlang C")
    with common.guard():
        sized = size_interval(calls, aht, interval, target, answer, max_occupancy=occupancy, shrinkage=shrinkage,
                              patience_seconds=patience)
        low, high = max(1, sized.agents - 8), sized.agents + 8
        curve = queue_metrics(np.arange(low, high + 1), calls, aht, interval, answer, patience_seconds=patience)
    with right:
        cols = st.columns(3)
        cols[0].metric("Required agents", sized.agents)
        cols[1].metric("Scheduled (after shrinkage)", sized.scheduled_agents)
        cols[2].metric("Service level", f"{sized.service_level:.1%}")
        cols = st.columns(3)
        cols[0].metric("ASA", f"{sized.asa_seconds:.1f} s")
        cols[1].metric("Occupancy", f"{sized.occupancy:.1%}")
        cols[2].metric("Abandoned" if patience else "P(wait)",
                       f"{sized.p_abandon if patience else sized.p_wait:.1%}")
        st.plotly_chart(charts.service_curve(curve.agents, curve.service_level, curve.occupancy, target,
                                              sized.agents), key="calc_curve")


def what_if_inputs(channels: list[str]) -> Modifiers:
    """The what-if controls; empty fields keep the config's values."""
    left, mid, right = st.columns(3)
    with left:
        volume = kept(st.slider, "Volume change (%)", "wi_volume_pct", 0, min_value=-50, max_value=100, step=5)
        aht = kept(st.slider, "AHT change (%)", "wi_aht_pct", 0, min_value=-50, max_value=100, step=5)
        scope = kept(st.multiselect, "Apply to channels (empty = all)", "wi_channels", [], options=channels)
    with mid:
        level = kept(st.number_input, "Service level target", "wi_service_level", None, min_value=0.01,
                     max_value=0.99, step=0.05, placeholder="as configured")
        answer = kept(st.number_input, "Answer within (seconds)", "wi_answer_seconds", None, min_value=1.0,
                      step=5.0, placeholder="as configured")
        occupancy = kept(st.number_input, "Max occupancy", "wi_max_occupancy", None, min_value=0.05,
                         max_value=1.0, step=0.05, placeholder="as configured")
    with right:
        shrinkage = kept(st.number_input, "Shrinkage", "wi_shrinkage", None, min_value=0.0, max_value=0.95,
                         step=0.05, placeholder="as configured")
        concurrency = kept(st.number_input, "Chat concurrency", "wi_concurrency", None, min_value=1, max_value=6,
                           step=1, placeholder="as configured")
        model = kept(st.radio, "Queue model", "wi_model", "Erlang C", options=["Erlang C", "Erlang A"],
                     horizontal=True)
        patience = None
        if model == "Erlang A":
            patience = kept(st.number_input, "Mean patience (seconds)", "wi_patience", 180.0, min_value=1.0,
                            step=30.0)
    with st.expander("Caps and cost"):
        left, right = st.columns(2)
        cap = kept(left.number_input, "Headcount cap per interval (per staff group)", "wi_headcount_cap", None,
                   min_value=0, step=5, placeholder="none")
        cost = kept(right.number_input, "Cost per paid hour", "wi_cost_per_hour", None, min_value=0.0, step=1.0,
                    placeholder="as configured")
    return Modifiers(volume_pct=float(volume), aht_pct=float(aht), service_level=level, answer_seconds=answer,
                     shrinkage=shrinkage, max_occupancy=occupancy,
                     concurrency=None if concurrency is None else int(concurrency), patience_seconds=patience,
                     headcount_cap=None if cap is None else int(cap), cost_per_hour=cost, channels=tuple(scope))


def channel_table(required: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per channel staffing figures (``wfm.staffing.staffing_by_channel``) with display names."""
    table = staffing_by_channel(required, config).round({"volume": 0})
    return table.rename(columns={"peak_agents": "peak agents", "productive_agent_hours": "productive agent-hours",
                                 "required_agent_hours": "required agent-hours (after shrinkage)",
                                 "service_level": "service level"})


def interval_curve(part: pd.DataFrame, config: Config, channel: str, zone: str) -> None:
    """Service level against agents for one chosen interval of a queue channel."""
    rules = config.channels[channel]
    if not rules.is_queue:
        st.info(f"{common.literal(channel)} is deferred work (staffed to a response time), so it has no queue curve.")
        return
    busy = part[part["volume"] > 0]
    if busy.empty:
        st.info(f"No {common.literal(channel)} contacts are forecast this week.")
        return
    stamps = charts.local(busy["interval_start"], zone)
    labels = stamps.dt.strftime("%a %d %b %H:%M").tolist()
    peak = int(np.argmax(busy["volume"].to_numpy()))
    label = kept(st.selectbox, "Interval", "wi_interval", labels[peak], options=labels)
    row = busy.iloc[labels.index(label) if label in labels else peak]
    need = int(row["agents"])
    low = max(1, int(np.floor(row["erlangs"] / rules.concurrency)))
    agents = np.arange(low, max(need + 6, low + 4))
    with common.guard():
        curve = queue_metrics(agents, row["volume"], row["aht_seconds"], config.interval_minutes,
                              rules.answer_seconds, patience_seconds=rules.patience_seconds,
                              concurrency=rules.concurrency)
    st.caption(f"{row['volume']:.1f} contacts, AHT {row['aht_seconds']:.0f} s, target {rules.service_level:.0%} "
               f"in {rules.answer_seconds:g} s: {need} agents")
    st.plotly_chart(charts.service_curve(agents, curve.service_level, curve.occupancy, rules.service_level, need),
                    key="interval_curve")


def week_view() -> None:
    """The week's requirements under the what-if, recomputed on every change."""
    ctx = common.context()
    made = common.forecast(ctx)
    channels = list(ctx.config.channels)
    with common.guard():
        changes = what_if_inputs(channels)
        st.session_state.modifiers = changes
        changes_json = common.modifiers_key(changes)
        effective, required = common.staff(ctx.key, ctx.config_text, changes_json, made.frame)
        headline = _figures(ctx.key, ctx.config_text, changes_json, made.frame)
    cols = st.columns(5)
    cols[0].metric("Required FTE", f"{headline.required_fte:,.1f}")
    cols[1].metric("Productive agent-hours", f"{headline.productive_agent_hours:,.0f}")
    cols[2].metric("Projected service level", f"{headline.projected_service_level:.1%}")
    cols[3].metric("Projected occupancy", f"{headline.projected_occupancy:.1%}")
    cols[4].metric("Estimated cost", f"{headline.cost:,.0f}")
    st.dataframe(channel_table(required, effective), hide_index=True,
                 column_config={"productive agent-hours": st.column_config.NumberColumn(format="%.0f"),
                                "required agent-hours (after shrinkage)":
                                    st.column_config.NumberColumn(format="%.0f"),
                                "service level": st.column_config.NumberColumn(format="percent")})
    channel = kept(st.selectbox, "Channel", "wi_channel", channels[0], options=channels)
    part = required[required["channel"] == channel]
    heat, curve, queue = st.tabs(["Heatmap", "Curve", "Service level vs agents"])
    with heat:
        st.plotly_chart(charts.requirement_heatmap(part, ctx.config.timezone), key="heatmap")
    with curve:
        st.plotly_chart(charts.requirement_curve(part, ctx.config.timezone), key="curve")
    with queue:
        interval_curve(part, effective, channel, ctx.config.timezone)


st.title("Staffing what-if")
week, single = st.tabs(["Week what-if", "Single interval"])
with single:
    st.caption("Agents one interval needs, by Erlang C (or Erlang A when a mean patience is given).")
    calculator()
with week:
    week_view()
