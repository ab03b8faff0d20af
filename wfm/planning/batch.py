"""The batch run lifecycle: a planning week exported atomically and recorded in the store.

``wfm plan`` (the weekly cron job) calls :func:`run_batch`; the dashboard publishes a plan it already solved
with :func:`publish_plan`. Both record a run exactly the same way: started, then finished as ``ok`` (with the
plan summary, the files written, the exit code and the forecast it issued, for the accuracy record) or
``failed`` (with the message and exit code), so the Exports page lists both alike. The export's
``report.html`` carries the accuracy of last week's issued forecast (:mod:`wfm.planning.accuracy`).

A run is one transaction in effect: its export stays in place only if its end was recorded. The new export is
swapped in, the run is recorded as finished, and if that record cannot be written (the store locked for longer
than its busy timeout, a lost connection, a read-only database) the previous export of the week is swapped back
and the run fails with the store's message (exit 1). Recording the failure is then tried once; if the store is
still unwritable the run stays ``running`` until its process is gone, and is then shown as abandoned (see
:mod:`wfm.planning.store`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wfm.config import Config, config_to_toml_dict
from wfm.errors import StoreError, WfmError
from wfm.planning.accuracy import accuracy_record
from wfm.planning.export import EXPORT_FILES, LastWeek, export_plan
from wfm.planning.plan import Plan, Progress, plan_week
from wfm.planning.store import Store
from wfm.planning.summary import PlanSummary
from wfm.weeks import parse_week, week_after, week_label

log = logging.getLogger("wfm.planning.batch")

@dataclass(frozen=True)
class BatchRun:
    """A recorded run: its id in the store, the plan, the export folder, exit code and message."""

    run_id: int
    plan: Plan
    export_dir: Path
    exit_code: int
    message: str | None


def coverage_outcome(summary: PlanSummary) -> tuple[int, str | None]:
    """The exit code and message of a plan: 0, or 3 (``scheduling.status.SHORT_EXIT_CODE``, shared with
    ``wfm schedule``) with the status headline: what is short, why, and the fix."""
    status = summary.status
    return status.exit_code, None if status.covered else status.headline()


def run_batch(history: pd.DataFrame, config: Config, out_dir: str | Path, store: Store, *,
              week_start: dt.date | None = None, agents: pd.DataFrame | None = None,
              progress: Progress | None = None, risk: float | None = None) -> BatchRun:
    """Plan a week end to end, export it to ``out_dir/<week>/`` atomically and record the run in ``store``.

    ``risk`` staffs every queue interval to meet its target with at least that probability (see :func:`plan_week`).

    A failure is recorded as a failed run (with its exit code and message) and raised again.
    """
    week_start = week_start or week_after(history)
    return _recorded(store, week_label(week_start), config, Path(out_dir), history,
                     lambda: plan_week(history, config, week_start, agents=agents, progress=progress,
                                               risk=risk))


def publish_plan(plan: Plan, history: pd.DataFrame, out_dir: str | Path, store: Store) -> BatchRun:
    """Export a plan made already (the dashboard's) and record it as a run, exactly like :func:`run_batch`."""
    return _recorded(store, plan.summary.week, plan.config, Path(out_dir), history, lambda: plan)


def _recorded(store: Store, week: str, config: Config, out_dir: Path, history: pd.DataFrame,
              make: Callable[[], Plan]) -> BatchRun:
    run_id = store.start_run(week, config_to_toml_dict(config), out_dir / week)
    log.info("run %d: planning %s", run_id, week)
    try:
        plan = make()
        exit_code, message = coverage_outcome(plan.summary)

        def record(target: Path) -> None:
            # Runs with the new export in place: if it raises, export_plan puts the previous export back.
            try:
                store.finish_run(run_id, "ok", plan.summary.to_dict(), exit_code=exit_code, message=message,
                                 files=[str(target / name) for name in EXPORT_FILES], forecast=plan.forecast.frame)
            except StoreError as exc:
                raise StoreError(f"{exc}; the new export of {week} was withdrawn and the previous one kept") from None

        target = export_plan(plan, history, out_dir, commit=record, accuracy=last_week_accuracy(store, history, week))
    except WfmError as exc:
        _record_failure(store, run_id, week, exc.exit_code, str(exc))
        raise
    except BaseException as exc:
        _record_failure(store, run_id, week, 1, f"{type(exc).__name__}: {exc}")
        raise
    return BatchRun(run_id=run_id, plan=plan, export_dir=target, exit_code=exit_code, message=message)


def last_week_accuracy(store: Store, history: pd.DataFrame, week: str) -> LastWeek | None:
    """The week before ``week`` and the accuracy record of its issued forecast (no rows when none was issued);
    None, with a logged warning, when it cannot be scored: the week's plan does not depend on it."""
    previous = week_label(parse_week(week) - dt.timedelta(weeks=1))
    try:
        return LastWeek(previous, accuracy_record(store, history, [previous]))
    except WfmError as exc:
        log.warning("the accuracy of %s is left out of the report: %s", previous, exc)
        return None


def _record_failure(store: Store, run_id: int, week: str, exit_code: int, message: str) -> None:
    """Record a failed run; when the store cannot take it, log why and raise the run's own error instead."""
    try:
        store.finish_run(run_id, "failed", None, exit_code=exit_code, message=message)
    except StoreError as exc:
        log.error("run %d: the previous export of %s is kept, but the failure could not be recorded either (%s); "
                  "the run shows as abandoned once this process ends", run_id, week, exc)
