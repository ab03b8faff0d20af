"""Forecast: per channel, the recent history and the week's forecast with its 80% band; how the model was chosen."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from wfm import formats
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


def ordered_channels(configured: list[str], forecast: list[str]) -> list[str]:
    """The forecast's channels in the config's order (the first configured channel first), then any others."""
    return [c for c in configured if c in forecast] + [c for c in forecast if c not in configured]


def daily_totals(frame: pd.DataFrame, zone: str) -> pd.DataFrame:
    """One channel's forecast per day: contacts, the 80% band and the volume-weighted handle time (for display)."""
    day = frame["interval_start"].dt.tz_convert(zone).dt.date
    work = frame.assign(day=day, busy=frame["volume"] * frame["aht_seconds"])
    totals = work.groupby("day").agg(volume=("volume", "sum"), low=("volume_lo", "sum"), high=("volume_hi", "sum"),
                                     busy=("busy", "sum"))
    totals["aht_seconds"] = totals["busy"] / totals["volume"].where(totals["volume"] > 0)
    table = totals.reset_index()
    table["day"] = table["day"].map(lambda d: f"{d:%a %d %b}")
    table["band"] = [f"{formats.count(lo)} to {formats.count(hi)}" for lo, hi in zip(table["low"], table["high"],
                                                                                         strict=True)]
    table = table[["day", "volume", "band", "aht_seconds"]].rename(columns={"band": "80% band (contacts)"})
    return common.shown(table, {"volume": formats.count, "aht_seconds": formats.seconds})


def model_choices(choices: pd.DataFrame) -> pd.DataFrame:
    """How each channel's model was chosen, with headers in words (a reshaping for display)."""
    table = choices.drop(columns=[c for c in ("member_models",) if c in choices])
    shown = {c: formats.percent for c in ("wmape", "wmape_daily", "bias", "seasonal_naive_wmape") if c in table}
    shown |= {"model": lambda name: formats.label(str(name)), "mase": lambda value: formats.number(value, 2)}
    table = common.shown(table, shown)
    return table.rename(columns={"Wmape daily": "Forecast error, daily (wMAPE)", "Mase": "MASE",
                                 "Seasonal naive wmape": "Seasonal naive's error (wMAPE)",
                                 "Selection": "How it was chosen"})


st.title("Forecast")
ctx = common.context()
made = common.forecast(ctx)
zone = ctx.config.timezone
channels = ordered_channels(list(ctx.config.channels), list(made.choices["channel"]))
channel = kept(st.selectbox, "Channel", "fc_channel", channels[0], options=channels)
choice = made.choices.set_index("channel").loc[channel]
frame = made.frame[made.frame["channel"] == channel]
start = ctx.week_start - dt.timedelta(weeks=HISTORY_WEEKS)
recent = ctx.history[(ctx.history["channel"] == channel)
                     & (ctx.history["interval_start"].dt.tz_convert(zone).dt.date >= start)]

cols = st.columns(4)
cols[0].metric("Week", ctx.week)
cols[1].metric("Forecast contacts", formats.count(frame["volume"].sum()))
weighted_aht = (frame["aht_seconds"] * frame["volume"]).sum() / max(frame["volume"].sum(), 1e-9)
cols[2].metric("Forecast handle time", formats.seconds(round(weighted_aht)), help="Volume-weighted average")
members = f"members {' + '.join(choice['member_models'])}; " if choice["member_models"] else ""
cols[3].metric("Model", formats.label(str(choice["model"])), help=f"{members}selection: {choice['selection']}")

with common.guard():
    marked = holidays_between(ctx.config, start, ctx.week_start + dt.timedelta(days=6))
st.plotly_chart(charts.forecast_chart(recent, frame, zone, ctx.config.interval_minutes, marked), key="fc_volume")
if marked:
    st.caption("Shaded: public holidays ("
               + "; ".join(f"{d:%a %d %b} {common.literal(n)}" for d, n in marked.items()) + ")")
st.caption("Gaps in the lines are hours with no history and nothing forecast (closed), not zero contacts.")
st.subheader("Daily totals")
st.dataframe(daily_totals(frame, zone), hide_index=True, key="fc_daily", width="stretch")

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
    st.subheader("How each channel's model was chosen")
    st.dataframe(model_choices(made.choices), hide_index=True, key="fc_choices", width="stretch")
with right:
    st.plotly_chart(charts.aht_chart(recent, frame, zone, ctx.config.interval_minutes), key="fc_aht")

past_weeks(ctx, channel)
