"""Data: choose the history (bundled sample or an upload), see its validation report, view and edit the config."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from forecasting import history_check
from wfm import formats
from wfm.errors import DataError

SAMPLE, UPLOAD = "Sample data", "Upload a file"


def choose_history() -> None:
    """The history source: the sample, or an uploaded CSV/Parquet file validated row by row."""
    uploaded_now = st.session_state.history_path != str(common.default_history_path())
    source = st.radio("History", [SAMPLE, UPLOAD], index=int(uploaded_now), horizontal=True, key="data_source")
    if source == SAMPLE:
        if uploaded_now:
            path = common.default_history_path()
            common.use_history(path, "sample data" if path == common.SAMPLE_HISTORY else path.name)
        return
    st.caption("One row per channel and interval: `channel, interval_start, volume` and optionally "
               f"`aht_seconds, abandoned`. CSV or Parquet, up to {common.MAX_UPLOAD_MB} MB.")
    upload = st.file_uploader("History file", type=["csv", "parquet"], key="data_upload",
                              max_upload_size=common.MAX_UPLOAD_MB)
    if upload is None:
        return
    if upload.size > common.MAX_UPLOAD_MB * 2**20:
        st.error(f"{common.literal(upload.name)}: {upload.size / 2**20:.0f} MB is over the "
                 f"{common.MAX_UPLOAD_MB} MB limit; upload fewer weeks of history")
        return
    path = common.save_upload(upload.name, upload.getvalue())
    report = common.validation_report(str(path), st.session_state.config_text)
    if report.empty:
        config_text = st.session_state.config_text
        history = common.read_history_cached(str(path), path.stat().st_mtime, config_text)
        common.use_history(path, upload.name)
        st.success(f"{common.literal(upload.name)} is valid and is now the history the plan uses.")
        try:  # what a forecast will make of it, said by the library before any forecast runs
            treatment = history_check(history, common.parse_config_text(config_text, "config"))
        except DataError as exc:
            st.warning(f"It cannot be forecast yet: {common.literal(exc)}")
            return
        st.markdown("\n".join(f"- {common.literal(line)}" for line in treatment))
        return
    more = " (the first ones; fix them and upload again)" if len(report) >= common.MAX_PROBLEMS else ""
    st.error(f"{common.literal(upload.name)}: {len(report)} problem{'s' if len(report) > 1 else ''} found{more}. "
             f"The plan still uses {common.literal(st.session_state.history_name)}.")
    st.dataframe(report, hide_index=True, key="data_report")


def edit_config() -> None:
    """The config as TOML, editable in place and validated like a config file."""
    st.caption(f"From {common.literal(st.session_state.config_source)}. Edits apply to this session only; every "
               "change is validated like a config file and checked against the history.")
    text = st.text_area("Config (TOML)", st.session_state.config_text, height=420, key="config_editor")
    apply, reset = st.columns([1, 5])
    if apply.button("Validate and apply", type="primary", key="config_apply"):
        with common.guard():
            common.parse_config_text(text, "edited config")
            path = st.session_state.history_path
            common.read_history_cached(path, Path(path).stat().st_mtime, text)
            common.use_config(text, "the edited config")
            st.success("The edited config is valid and is now in use.")
    if reset.button("Reset to the file", key="config_reset"):
        path = common.default_config_path()
        common.use_config(path.read_text(encoding="utf-8"), str(path))
        del st.session_state["config_editor"]
        st.rerun()


def summary(ctx: common.Context) -> None:
    """What the plan uses now: the history's span and volumes, the channels' rules."""
    history = ctx.history
    days = history["interval_start"].dt.tz_convert(ctx.config.timezone).dt.date
    cols = st.columns(4)
    cols[0].metric("History", common.literal(ctx.history_name))
    cols[1].metric("Rows", formats.count(len(history)))
    cols[2].metric("Days", formats.count(days.nunique()), help=f"{days.min():%d %b %Y} to {days.max():%d %b %Y}")
    cols[3].metric("Week to plan", ctx.week, help=f"starting Monday {ctx.week_start:%d %B %Y}")
    st.dataframe(channel_rules(ctx), hide_index=True, key="data_channels", width="stretch")


def channel_rules(ctx: common.Context) -> pd.DataFrame:
    """Each configured channel's rules and its history's contacts, in words (a reshaping for display)."""
    totals = ctx.history.groupby("channel")["volume"].agg(["sum", "mean"])
    rows = []
    for name, rules in ctx.config.channels.items():
        queue = rules.is_queue
        rows.append({"channel": name, "kind": rules.kind,
                     "service_level_target": formats.percent(rules.service_level if queue else None),
                     "Answer within": (formats.seconds(rules.answer_seconds) if queue
                                       else formats.hours(rules.response_hours, 0) + " (working hours)"),
                     "max_occupancy": formats.percent(rules.max_occupancy),
                     "concurrency": formats.count(rules.concurrency),
                     "Contacts in the history": formats.count(totals["sum"].get(name)),
                     "Contacts per interval": formats.number(totals["mean"].get(name), 1)})
    return formats.labelled(pd.DataFrame(rows))


st.title("Data")
common.context(caption=False)  # stops here with the library's message if the history or config in use is bad
with common.guard():
    choose_history()
with st.expander("Config", expanded=False):
    edit_config()
st.subheader("In use")
summary(common.context())
