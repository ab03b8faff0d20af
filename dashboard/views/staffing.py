"""Staffing what-if: requirements of the week under changed volume, handle time and rules, live."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm import formats
from wfm.config import Config
from wfm.planning import charts
from wfm.planning.whatif import ChannelChanges, Modifiers, changes_against, from_channels
from wfm.staffing import queue_metrics, required_agents, size_interval, staffing_by_channel
from wfm.staffing.binding import describe

CLEAR_HELP = "Clear the field to return to the configured value ({shown})."


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
        cols[0].metric("Required agents", formats.count(sized.agents))
        cols[1].metric("Scheduled (after shrinkage)", formats.count(sized.scheduled_agents))
        cols[2].metric("Service level", formats.percent(sized.service_level))
        cols = st.columns(3)
        cols[0].metric("Average speed of answer", formats.seconds(round(sized.asa_seconds, 1)))
        cols[1].metric("Occupancy", formats.percent(sized.occupancy))
        cols[2].metric("Abandoned" if patience else "Share that waits",
                       formats.percent(sized.p_abandon if patience else sized.p_wait))
        st.plotly_chart(charts.service_curve(curve.agents, curve.service_level, curve.occupancy, target,
                                              sized.agents), key="calc_curve")


def what_if_inputs(config: Config) -> Modifiers:
    """The what-if controls, showing the configured values; a cleared field returns to its configured value."""
    common.apply_pending_what_if(config)
    top = st.columns([1, 1, 1, 1])
    for key in ("wi_volume_pct", "wi_aht_pct"):
        restore_cleared(key, 0.0)
    volume = kept(top[0].number_input, "Volume change, all channels (%)", "wi_volume_pct", 0.0, value=None,
                  min_value=-95.0, max_value=1000.0, step=5.0, format="%g", help=CLEAR_HELP.format(shown="0%"))
    aht = kept(top[1].number_input, "Handle time change, all channels (%)", "wi_aht_pct", 0.0, value=None,
               min_value=-95.0, max_value=1000.0, step=5.0, format="%g", help=CLEAR_HELP.format(shown="0%"))
    cap = kept(top[2].number_input, "Headcount cap per interval (each staff group)", "wi_headcount_cap", None,
               value=None, min_value=0, step=5, placeholder=common.configured_caps(config),
               help="Agents on shift in any one interval; empty keeps the configured caps.")
    cost = kept(top[3].number_input, f"Cost per paid hour ({config.currency})", "wi_cost_per_hour", None,
                value=None, min_value=0.0, step=1.0, placeholder=common.configured_costs(config),
                help="Empty keeps each shift template's configured cost.")
    top[0].button("Reset to configured", key="wi_reset", on_click=common.reset_what_if, args=(config,),
                  help="Every what-if field back to the config's value.")
    per_channel = {}
    for channel, tab in zip(config.channels, st.tabs([f"{name} targets" for name in config.channels]), strict=True):
        with tab:
            per_channel[channel] = channel_inputs(config, channel)
    return from_channels(config, per_channel, volume_pct=float(volume or 0.0), aht_pct=float(aht or 0.0),
                         headcount_cap=None if cap is None else int(cap), cost_per_hour=cost)


def restore_cleared(key: str, configured: object) -> None:
    """A field the planner cleared shows its configured value again (it never falls to its minimum)."""
    if configured is not None and key in st.session_state and st.session_state[key] is None:
        del st.session_state[key]
        st.session_state.pop(f"kept:{key}", None)


def channel_inputs(config: Config, channel: str) -> ChannelChanges:
    """One channel's what-if fields, starting from (and cleared back to) its configured values."""
    shown = common.what_if_fields(config, channel)
    cols = st.columns(4)
    values: dict[str, float | int | None] = {}
    for index, field in enumerate(shown):
        key = common.what_if_key(channel, field.name)
        restore_cleared(key, field.configured)
        value = kept(cols[index % 4].number_input, field.label, key, field.configured, value=None,
                     min_value=field.low, max_value=field.high, step=field.step, placeholder=field.placeholder,
                     format="%d" if isinstance(field.step, int) else "%g",
                     help=CLEAR_HELP.format(shown=field.configured_text))
        values[field.name] = value if value is None or field.scale == 1 else value / field.scale
    cols[-1].button(f"Reset {channel}", key=f"wi_reset_{channel}", on_click=common.reset_what_if,
                    args=(config, channel))
    return changes_against(config, channel, values)


def channel_table(required: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per channel staffing figures (``wfm.staffing.staffing_by_channel``), written for people."""
    table = staffing_by_channel(required, config)
    table = table.set_index("channel").reindex([c for c in config.channels if c in set(table["channel"])]).reset_index()
    return pd.DataFrame({
        formats.label("channel"): table["channel"],
        formats.label("volume"): table["volume"].map(formats.count),
        "Peak agents": table["peak_agents"].map(formats.count),
        formats.label("productive_agent_hours"): table["productive_agent_hours"].map(formats.hours),
        formats.label("required_agent_hours"): table["required_agent_hours"].map(formats.hours),
        formats.label("service_level"): table["service_level"].map(formats.percent),
    })


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
    alone = required_agents(row["volume"], row["aht_seconds"], config.interval_minutes, rules.service_level,
                            rules.answer_seconds, 1.0, patience_seconds=rules.patience_seconds,
                            concurrency=rules.concurrency)
    decides = (f"the occupancy cap {formats.percent(rules.max_occupancy, 0)} raises it from the "
               f"{formats.count(alone)} the target alone needs" if need > alone else "the target decides")
    st.caption(f"{formats.number(row['volume'], 1)} contacts, AHT {formats.seconds(row['aht_seconds'])}, target "
               f"{formats.percent(rules.service_level, 0)} in {formats.seconds(rules.answer_seconds)}: "
               f"{formats.count(need)} agents ({decides})")
    st.plotly_chart(charts.service_curve(agents, curve.service_level, curve.occupancy, rules.service_level, need),
                    key="interval_curve")


def week_view() -> None:
    """The week's requirements under the what-if, recomputed on every change, against the configured base."""
    ctx = common.context()
    made = common.forecast(ctx)
    channels = list(ctx.config.channels)
    with common.guard():
        changes = what_if_inputs(ctx.config)
        st.session_state.modifiers = changes
        common.show_what_if_state()
        common.keep_what_if_in_url(changes)
        base = common.staffed(ctx.key, ctx.config_text, common.modifiers_key(Modifiers()), made.frame)
        now = common.staffed(ctx.key, ctx.config_text, common.modifiers_key(changes), made.frame)
    if changes.is_empty:
        st.caption("No what-if: the figures are the configured plan's.")
    else:
        st.caption("Changes against the configured plan are shown under each figure.")
    cols = st.columns(5)
    for col, tile in zip(cols, common.kpi_tiles(base.figures, now.figures, ctx.config.currency,
                                                 changed=not changes.is_empty), strict=True):
        col.metric(tile.label, tile.value, tile.delta, delta_color=tile.delta_color, help=tile.help)
    st.subheader("What decides the agents")
    for found in now.binding:
        st.markdown(f"**{common.literal(found.channel)}**: " + " ".join(
            common.literal(line) for line in describe(found, now.config)))
    st.dataframe(channel_table(now.required, now.config), hide_index=True, width="stretch")
    channel = kept(st.selectbox, "Channel", "wi_channel", channels[0], options=channels)
    part = now.required[now.required["channel"] == channel]
    heat, curve, queue = st.tabs(["Heatmap", "Curve", "Service level vs agents"])
    with heat:
        st.plotly_chart(charts.requirement_heatmap(part, ctx.config.timezone), key="heatmap")
    with curve:
        st.plotly_chart(charts.requirement_curve(part, ctx.config.timezone), key="curve")
    with queue:
        interval_curve(part, now.config, channel, ctx.config.timezone)


st.title("Staffing what-if")
week, single = st.tabs(["Week what-if", "Single interval"])
with single:
    st.caption("Agents one interval needs, by Erlang C (or Erlang A when a mean patience is given).")
    calculator()
with week:
    week_view()
