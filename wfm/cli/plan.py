"""``wfm plan``: the weekly batch export, safe to run from cron.

Logs a line per stage with its timing to stderr, records the run in the store, and exits 0 (ok), 1 (input or
config error), 2 (usage) or 3 (coverage could not be met; the best schedule is still exported), as ``wfm schedule``.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from wfm.cli import cli
from wfm.cli.checks import writable_folder
from wfm.config import load_config, with_overrides
from wfm.errors import WfmError

log = logging.getLogger("wfm")


def _logging() -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("wfm: %(asctime)s %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


@cli.command("plan")
@click.option("--history", "history_path", type=click.Path(path_type=Path), required=True,
              help="Interval history (CSV or Parquet).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), required=True, help="TOML config.")
@click.option("--agents", "agents_path", type=click.Path(path_type=Path), help="Named agents (CSV).")
@click.option("--week", help="ISO week to plan, YYYY-Www (default: the week after the history ends).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Export folder.")
@click.option("--model", help="Forecast model (default: the config's, normally auto).")
@click.option("--time-limit", type=click.FloatRange(min=0, max=86_400, min_open=True),
              help="Solver time limit in seconds, up to a day (default: the config's).")
@click.option("--risk", type=click.FloatRange(min=0.5, max=0.999),
              help="Staff every voice and chat interval to meet its service-level target with at least this "
                   "probability, given the forecast's 80% band (0.5 to 0.999; default: staff for the expected volume).")
@click.option("--database", help="SQLAlchemy URL of the run store (default: $WFM_DATABASE_URL, else the config's "
                                 "[storage] url, else ./wfm.db).")
@click.option("--backend", type=click.Choice(["local", "dask"]),
              help="Forecast channels on local processes or on a Dask cluster (default: the config's "
                   "[forecast] backend, else local).")
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:8786), with --backend dask (default: the "
                                  "config's [forecast] scheduler).")
def plan_command(history_path: Path, config_path: Path, agents_path: Path | None, week: str | None, out_dir: Path,
                 model: str | None, time_limit: float | None, risk: float | None, database: str | None,
                 backend: str | None, scheduler: str | None) -> None:
    """Plan a week end to end and export it to OUT/<YYYY-Www>/, atomically."""
    # The modelling stack is imported here, so that `wfm --help` and other commands start fast.
    from wfm.io import read_agents, read_history
    from wfm.planning.batch import run_batch
    from wfm.planning.plan import check_week
    from wfm.planning.store import Store
    from wfm.weeks import parse_week

    _logging()
    started = time.perf_counter()
    try:
        week_start = parse_week(week) if week else None
    except WfmError as exc:
        raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    out_dir = writable_folder(out_dir, "--out")
    config = with_overrides(load_config(config_path), model=model, time_limit_seconds=time_limit, backend=backend,
                            scheduler=scheduler)
    history = read_history(history_path, config)
    log.info("read %s rows of history from %s", f"{len(history):,}", history_path)
    if week_start is not None:
        try:
            check_week(history, week_start)
        except WfmError as exc:
            raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    agents = read_agents(agents_path, config) if agents_path else None
    with Store.open(database, config) as store:
        run = run_batch(history, config, out_dir, store, week_start=week_start, agents=agents,
                        progress=lambda stage, message: log.info("%s: %s", stage, message), risk=risk)
    s = run.plan.summary
    for line in s.risk_lines():
        log.info("%s", line)
    log.info("exported %s in %.1f s: paid hours %s, cost %s, coverage %.2f%%", run.export_dir,
             time.perf_counter() - started, f"{s.paid_hours:,.1f}", f"{s.cost:,.0f}", 100 * s.coverage)
    log.info("status: %s", s.verdict())
    for line in s.service_lines():
        log.info("%s", line)
    click.echo(str(run.export_dir))
    if run.exit_code:
        sys.exit(run.exit_code)
