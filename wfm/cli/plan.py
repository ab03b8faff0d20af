"""``wfm plan``: the weekly batch export, safe to run from cron.

Logs a line per stage with its timing to stderr, records the run in the store, and exits 0 (ok), 1 (input or
config error), 2 (usage) or 3 (coverage could not be met; the best schedule is still exported).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import click

from wfm.cli import cli
from wfm.config import Config, config_to_toml_dict, load_config
from wfm.errors import WfmError

log = logging.getLogger("wfm")

#: Exit code when the schedule leaves required intervals uncovered.
COVERAGE_NOT_MET = 3


def _logging() -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("wfm: %(asctime)s %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def _writable_folder(path: Path) -> Path:
    """The export folder, created if missing, as an absolute path; refused before any work if it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"cannot create {path}: {exc.strerror}; pass a writable folder",
                                 param_hint="--out") from None
    if not os.access(path, os.W_OK):
        raise click.BadParameter(f"{path} is not writable; pass a writable folder", param_hint="--out")
    return path.resolve()


def _with_overrides(config: Config, model: str | None, time_limit: float | None) -> Config:
    if model is not None:
        config = config.model_copy(update={"forecast": config.forecast.model_copy(update={"model": model})})
    if time_limit is not None:
        if time_limit <= 0:
            raise click.BadParameter(f"must be > 0, got {time_limit:g}", param_hint="--time-limit")
        config = config.model_copy(update={"solver": config.solver.model_copy(
            update={"time_limit_seconds": time_limit})})
    return config


@cli.command("plan")
@click.option("--history", "history_path", type=click.Path(path_type=Path), required=True,
              help="Interval history (CSV or Parquet).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), required=True, help="TOML config.")
@click.option("--agents", "agents_path", type=click.Path(path_type=Path), help="Named agents (CSV).")
@click.option("--week", help="ISO week to plan, YYYY-Www (default: the week after the history ends).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Export folder.")
@click.option("--model", help="Forecast model (default: the config's, normally auto).")
@click.option("--time-limit", type=float, help="Solver time limit in seconds (default: the config's).")
def plan_command(history_path: Path, config_path: Path, agents_path: Path | None, week: str | None, out_dir: Path,
                 model: str | None, time_limit: float | None) -> None:
    """Plan a week end to end and export it to OUT/<YYYY-Www>/, atomically."""
    # The modelling stack is imported here, so that `wfm --help` and other commands start fast.
    from scheduling import read_agents
    from wfm.export import EXPORT_FILES, export_plan
    from wfm.io import read_history
    from wfm.pipeline import parse_week, plan_week, week_after, week_label
    from wfm.store import URL_ENV, Store

    _logging()
    started = time.perf_counter()
    try:
        week_start = parse_week(week) if week else None
    except WfmError as exc:
        raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    out_dir = _writable_folder(out_dir)
    config = _with_overrides(load_config(config_path), model, time_limit)
    history = read_history(history_path, config)
    log.info("read %s rows of history from %s", f"{len(history):,}", history_path)
    agents = read_agents(agents_path, config) if agents_path else None
    week_start = week_start or week_after(history)
    label = week_label(week_start)
    with Store.open(os.environ.get(URL_ENV) or config.storage.url) as store:
        run_id = store.start_run(label, config_to_toml_dict(config), out_dir / label)
        log.info("run %d: planning %s (week of %s)", run_id, label, week_start)
        try:
            plan = plan_week(history, config, week_start, agents=agents,
                             progress=lambda stage, message: log.info("%s: %s", stage, message))
            target = export_plan(plan, history, out_dir)
        except WfmError as exc:
            store.finish_run(run_id, "failed", None, exit_code=exc.exit_code, message=str(exc))
            raise
        except BaseException as exc:
            store.finish_run(run_id, "failed", None, exit_code=1, message=f"{type(exc).__name__}: {exc}")
            raise
        unmet = int(plan.summary.solver["unmet_intervals"])
        exit_code = COVERAGE_NOT_MET if unmet else 0
        message = (f"{unmet} intervals short of the requirement ({plan.summary.under_agent_hours:.1f} agent-hours)"
                   if unmet else None)
        store.finish_run(run_id, "ok", plan.summary.to_dict(), exit_code=exit_code, message=message,
                         files=[str(target / name) for name in EXPORT_FILES])
    s = plan.summary
    log.info("exported %s in %.1f s: paid hours %.1f, cost %.0f, coverage %.2f%%, solver %s (gap %.2f%%)",
             target, time.perf_counter() - started, s.paid_hours, s.cost, 100 * s.coverage, s.solver["status"],
             100 * s.solver["gap"])
    click.echo(str(target))
    if unmet:
        log.info("coverage not met: %s", message)
        sys.exit(COVERAGE_NOT_MET)
