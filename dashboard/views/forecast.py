"""Forecast: per channel, the recent history and the week's forecast with its 80% band; how the model was chosen."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import common
from dashboard.widgets import kept
from forecasting import MODELS
from forecasting.engine import AUTO
from wfm import formats
from wfm.config import MAX_BACKTEST_FOLDS, MAX_HORIZON_DAYS, edit_forecast_settings
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


def daily_totals(daily: pd.DataFrame) -> pd.DataFrame:
    """One channel's forecast per day (``ForecastResult.daily``: the day's total, its own 80% band and the
    volume-weighted handle time), written for people."""
    table = pd.DataFrame({
        "day": daily["date"].map(lambda d: f"{d:%a %d %b}"),
        "volume": daily["volume"],
        "80% band (contacts)": [f"{formats.count(lo)} to {formats.count(hi)}"
                                for lo, hi in zip(daily["volume_lo"], daily["volume_hi"], strict=True)],
        "aht_seconds": daily["aht_seconds"]})
    return common.shown(table, {"volume": formats.count, "aht_seconds": formats.seconds})


def model_choices(choices: pd.DataFrame) -> pd.DataFrame:
    """How each channel's model was chosen, in words: a row per figure and a column per channel (a reshaping for
    display, so the long reasons wrap instead of running off the page)."""
    table = choices.drop(columns=[c for c in ("member_models",) if c in choices])
    shown = {c: formats.percent for c in ("wmape", "wmape_daily", "bias", "coverage", "seasonal_naive_wmape",
                                          "baseline_wmape", "auto_wmape") if c in table}
    shown |= {"model": lambda name: formats.label(str(name)), "mase": lambda value: formats.number(value, 2),
              "band_scale": lambda value: formats.number(value, 2), "auto_rank": formats.count}
    table = common.shown(table, shown)
    table = table.rename(columns={"Wmape daily": "Forecast error, daily (wMAPE)", "Mase": "MASE",
                                  "Seasonal naive wmape": "Seasonal naive's error (wMAPE)",
                                  "Baseline wmape": "Mean of the last 4 same weekdays' error (wMAPE)",
                                  "Auto wmape": "Auto's error, scored out of fold (wMAPE)",
                                  "Auto rank": "Auto's rank among the models",
                                  "Backtest horizon days": "Backtest horizon (days)", "Selection": "How it was chosen"})
    return table.set_index("Channel").T.rename_axis(columns=None)


def as_date(text: str) -> dt.date | str:
    """A day written as ISO text, as a date; other text is kept for the config's own check to name."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def settings_form(ctx: common.Context) -> None:
    """The forecast settings as a form that edits the config's ``[forecast]`` table (validated as a config file
    is, :func:`wfm.config.edit_forecast_settings`), beside the raw TOML for experts."""
    settings = ctx.config.forecast
    form_side, toml_side = st.columns([3, 2])
    with form_side, st.form("fc_settings"):
        models = [AUTO, *MODELS]
        model = st.selectbox("Model", models, index=models.index(settings.model) if settings.model in models else 0,
                             format_func=lambda name: formats.label(name),
                             help="Auto chooses each channel's model by backtest.")
        left, middle, right = st.columns(3)
        folds = left.number_input("Backtest folds", 1, MAX_BACKTEST_FOLDS, settings.backtest_folds,
                                  help="Weeks held out to score the models (auto and ensemble only).")
        horizon = middle.number_input("Horizon (days)", 1, MAX_HORIZON_DAYS, settings.horizon_days,
                                      help="Days ahead the forecast reaches.")
        country = right.text_input("Holiday country", settings.country or "", placeholder="none, e.g. GB",
                                   help="ISO country code of the public holidays; empty: no holidays.")
        region = left.text_input("Holiday region", settings.region or "", placeholder="none, e.g. ENG")
        outliers = middle.text_input("Outlier days", ", ".join(d.isoformat() for d in settings.outlier_dates),
                                     placeholder="e.g. 2026-03-02, 2026-04-10",
                                     help="Days left out of training (an outage, a one-off spike), comma separated.")
        st.caption("Events: an uplift on volume (0.25 = 25% more contacts), or days treated like a Sunday.")
        events = st.data_editor(
            pd.DataFrame([{"name": e.name, "start": e.start, "end": e.end, "uplift": e.uplift,
                           "like_sunday": e.like_sunday} for e in settings.events],
                         columns=["name", "start", "end", "uplift", "like_sunday"]).astype(
                {"name": "object", "uplift": "float64", "like_sunday": "bool"}),
            num_rows="dynamic", hide_index=True, key="fc_events", width="stretch",
            column_config={"name": st.column_config.TextColumn("Event", required=True),
                           "start": st.column_config.DateColumn("First day", required=True),
                           "end": st.column_config.DateColumn("Last day", required=True),
                           "uplift": st.column_config.NumberColumn("Uplift", format="%.2f", default=0.0),
                           "like_sunday": st.column_config.CheckboxColumn("Like a Sunday", default=False)})
        submitted = st.form_submit_button("Apply and forecast again", type="primary")
    with toml_side:
        st.caption("The config as TOML (experts: edit all of it on the Data page).")
        st.code(ctx.config_text, language="toml", height=420)
    if not submitted:
        return
    changes = {"model": model, "backtest_folds": int(folds), "horizon_days": int(horizon),
               "country": country.strip() or None, "region": region.strip() or None,
               "outlier_dates": [as_date(day.strip()) for day in outliers.split(",") if day.strip()],
               "events": [{key: value for key, value in row.items() if value is not None and value == value}
                          for row in events.to_dict("records") if row.get("name")]}
    with common.guard():
        text, _ = edit_forecast_settings(ctx.config_text, changes)
        common.use_config(text, "the forecast settings")
    st.rerun()


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

cols = st.columns([1, 1, 1, 1.6])  # the model name is the longest value: give it room, never "Seasonal na..."
cols[0].metric("Week", ctx.week)
cols[1].metric("Forecast contacts", formats.count(frame["volume"].sum()))
cols[2].metric("Forecast handle time", formats.seconds(made.week_aht_seconds(channel)),
               help="Volume-weighted average")
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
assert made.daily is not None  # every forecast has its daily totals
st.dataframe(daily_totals(made.daily[made.daily["channel"] == channel]), hide_index=True, key="fc_daily",
             width="stretch")
st.caption("The band is the 80% interval of each day's total, narrower than the interval bands added up "
           "(their errors partly cancel over a day).")

left, right = st.columns(2)
with left:
    st.subheader("Backtest leaderboard")
    if made.backtest_summary is None:
        st.info(f"The config fixes the model ({formats.label(ctx.config.forecast.model)}), so no backtest was "
                "run. Choose Auto under **Forecast settings** (below) to choose the model by backtest.")
    else:
        st.dataframe(leaderboard(made.backtest_summary, channel, str(choice["model"])), hide_index=True,
                     column_config={c: st.column_config.NumberColumn(format="percent")
                                    for c in ("wMAPE (interval)", "wMAPE (daily)", "bias", "80% band coverage")})
with right:
    st.plotly_chart(charts.aht_chart(recent, frame, zone, ctx.config.interval_minutes), key="fc_aht")
st.subheader("How each channel's model was chosen")  # the page's width: its reasons are long
st.table(model_choices(made.choices))

past_weeks(ctx, channel)

with st.expander("Forecast settings", expanded=False):
    settings_form(ctx)
