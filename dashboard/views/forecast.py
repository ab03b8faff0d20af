"""Forecast: per channel, the recent history and the week's forecast with its 80% band; how the model was chosen."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm.planning import charts
from wfm.planning.accuracy import accuracy_record, accuracy_table
from wfm.planning.plan import holidays_between

#: Weeks of history drawn before the forecast.
HISTORY_WEEKS = 3


def past_weeks(ctx: common.Context, channel: str) -> None:
    """Past weeks: the forecast issued for a week against the actuals in the history, and the accuracy trend
    (:func:`wfm.planning.accuracy.accuracy_record`, the figures of ``wfm accuracy`` and ``report.html``)."""
    st.subheader("Past weeks: forecast vs actual")
    with common.guard():
        store = common.store(ctx.config)
        record = accuracy_record(store, ctx.history)
    record = record[record["channel"] == channel]
    if record.empty:
        st.info("No forecast has been issued for this channel yet. Each published plan (and each `wfm plan` run) "
                "records its forecast; its accuracy shows here as the actuals arrive in the history.")
        return
    weeks = list(record["week"])[::-1]
    week = kept(st.selectbox, "Past week", "fc_past_week", weeks[0], options=weeks)
    with common.guard():
        [issued] = store.issued_forecasts([week])
    forecast = issued.frame[issued.frame["channel"] == channel]
    first, last = forecast["interval_start"].min(), forecast["interval_start"].max()
    actuals = ctx.history[(ctx.history["channel"] == channel) & (ctx.history["interval_start"] >= first)
                          & (ctx.history["interval_start"] <= last)]
    st.plotly_chart(charts.forecast_chart(actuals, forecast, ctx.config.timezone, ctx.config.interval_minutes,
                                          title=f"{channel}: forecast issued for {week} (run {issued.run_id}) "
                                                "and actual contacts", history_name="actual"),
                    key="fc_past_chart")
    st.dataframe(accuracy_table(record), hide_index=True, key="fc_accuracy")
    st.caption("Noise floor: the wMAPE a perfect forecast would score at that volume (Poisson arrivals). "
               "Days absent from the history are not scored.")
    st.plotly_chart(charts.accuracy_trend_chart(record, title=f"{channel}: accuracy by week"), key="fc_trend")


def leaderboard(summary: pd.DataFrame, channel: str, chosen: str) -> pd.DataFrame:
    """One channel's pooled backtest scores (those the model was chosen on), best first (a reshaping for display)."""
    board = summary.loc[summary["channel"] == channel,
                        ["model", "wmape_interval", "wmape_daily", "mase", "bias", "coverage"]].reset_index(drop=True)
    board.insert(0, "chosen", board["model"] == chosen)
    return board.rename(columns={"wmape_interval": "wMAPE (interval)", "wmape_daily": "wMAPE (daily)",
                                 "mase": "MASE", "coverage": "80% band coverage"})


st.title("Forecast")
ctx = common.context()
made = common.forecast(ctx)
zone = ctx.config.timezone
channels = list(made.choices["channel"])
channel = kept(st.selectbox, "Channel", "fc_channel", channels[0], options=channels)
choice = made.choices.set_index("channel").loc[channel]
frame = made.frame[made.frame["channel"] == channel]
start = ctx.week_start - dt.timedelta(weeks=HISTORY_WEEKS)
recent = ctx.history[(ctx.history["channel"] == channel)
                     & (ctx.history["interval_start"].dt.tz_convert(zone).dt.date >= start)]

cols = st.columns(4)
cols[0].metric("Week", ctx.week)
cols[1].metric("Forecast contacts", f"{frame['volume'].sum():,.0f}")
weighted_aht = (frame["aht_seconds"] * frame["volume"]).sum() / max(frame["volume"].sum(), 1e-9)
cols[2].metric("Forecast AHT", f"{weighted_aht:,.0f} s")
members = f"members {' + '.join(choice['member_models'])}; " if choice["member_models"] else ""
cols[3].metric("Model", str(choice["model"]), help=f"{members}selection: {choice['selection']}")

with common.guard():
    marked = holidays_between(ctx.config, start, ctx.week_start + dt.timedelta(days=6))
st.plotly_chart(charts.forecast_chart(recent, frame, zone, ctx.config.interval_minutes, marked), key="fc_volume")
if marked:
    st.caption("Shaded: public holidays ("
               + "; ".join(f"{d:%a %d %b} {common.literal(n)}" for d, n in marked.items()) + ")")

left, right = st.columns(2)
with left:
    st.subheader("Backtest leaderboard")
    if made.backtest_summary is None:
        st.info(f"The config fixes the model ({ctx.config.forecast.model}), so no backtest was run. "
                "Set `[forecast] model = \"auto\"` to choose the model by backtest.")
    else:
        st.dataframe(leaderboard(made.backtest_summary, channel, str(choice["model"])), hide_index=True,
                     column_config={c: st.column_config.NumberColumn(format="percent")
                                    for c in ("wMAPE (interval)", "wMAPE (daily)", "bias", "80% band coverage")})
    st.dataframe(made.choices, hide_index=True, key="fc_choices",
                 column_config={c: st.column_config.NumberColumn(format="percent")
                                for c in ("wmape", "wmape_daily", "bias", "seasonal_naive_wmape")})
with right:
    st.plotly_chart(charts.aht_chart(recent, frame, zone, ctx.config.interval_minutes), key="fc_aht")

past_weeks(ctx, channel)
