"""Exports: the weekly batch runs recorded in the store, their summaries and files to download."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from wfm.errors import StoreError
from wfm.planning.store import RunRecord
from wfm.planning.summary import PlanSummary


def typed_summary(run: RunRecord) -> PlanSummary | None:
    """A run's plan summary, typed; None while running, for failed runs and for runs of older versions."""
    if not run.summary:
        return None
    try:
        return PlanSummary.from_dict(run.summary)
    except StoreError:
        return None


def runs_table(runs: tuple[RunRecord, ...]) -> pd.DataFrame:
    """One row per run (a reshaping for display)."""
    rows = []
    for run in runs:
        summary = typed_summary(run)
        rows.append({"run": run.id, "week": run.week, "status": run.status,
                     "started": run.started_at.strftime("%Y-%m-%d %H:%M UTC"),
                     "seconds": (run.finished_at - run.started_at).total_seconds() if run.finished_at else None,
                     "paid hours": summary.paid_hours if summary else None,
                     "cost": summary.cost if summary else None,
                     "coverage": summary.coverage if summary else None, "message": run.message or ""})
    return pd.DataFrame(rows)


def located(name: str) -> Path:
    """A run's file: as recorded, or relative to the project when the run used a relative folder."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else common.PROJECT / path


def show(run: RunRecord) -> None:
    """A run's headline figures, per-channel summary and files."""
    summary = typed_summary(run)
    if run.status == "failed":
        st.error(f"Run {run.id} failed (exit code {run.exit_code}): {common.literal(run.message)}")
    elif run.message:
        st.warning(f"Run {run.id} (exit code {run.exit_code}): {common.literal(run.message)}")
    if summary is not None:
        cols = st.columns(5)
        cols[0].metric("Paid hours", f"{summary.paid_hours:,.0f}")
        cols[1].metric("Cost", f"{summary.cost:,.0f}")
        cols[2].metric("Coverage", f"{summary.coverage:.1%}")
        cols[3].metric("Solver", summary.solver.status)
        cols[4].metric("Gap", f"{summary.solver.gap:.2%}")
        st.dataframe(summary.channel_table, hide_index=True, key="exp_channels")
    if run.summary:
        with st.expander("Whole summary"):
            st.json(dict(run.summary), expanded=False)
    st.caption(f"Export folder: {common.literal(run.export_dir)}")
    columns = st.columns(4)
    for index, name in enumerate(run.files):
        path = located(name)
        cell = columns[index % len(columns)]
        if path.is_file():
            cell.download_button(f"{common.literal(path.name)} ({path.stat().st_size / 1024:,.0f} kB)",
                                 path.read_bytes(), file_name=path.name, key=f"exp_file_{index}",
                                 mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        else:
            cell.caption(f"{common.literal(Path(name).name)}: no longer on disk ({common.literal(name)})")


st.title("Exports")
with common.guard():
    store = common.store(common.context(caption=False).config)
    runs = store.list_runs(limit=100)
if not runs:
    st.info("No batch runs recorded yet. `wfm plan --history ... --config ... --out out` (or `make run`) "
            "plans a week, writes its export folder and records the run here; so does **Publish** on the "
            "Schedule page.")
    st.stop()
st.caption(f"The latest {len(runs)} run{'s' if len(runs) > 1 else ''} recorded in {common.literal(store.url)}.")
st.dataframe(runs_table(runs), hide_index=True, key="exp_runs",
             column_config={"coverage": st.column_config.NumberColumn(format="percent"),
                            "cost": st.column_config.NumberColumn(format="%.0f"),
                            "paid hours": st.column_config.NumberColumn(format="%.0f"),
                            "seconds": st.column_config.NumberColumn(format="%.0f")})
labels = {f"run {r.id} · {r.week} · {r.status}": r for r in runs}
chosen = st.selectbox("Run", list(labels), key="exp_run")
show(labels[chosen])
