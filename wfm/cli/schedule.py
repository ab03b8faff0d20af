"""``wfm schedule``: requirements in, roster, breaks, coverage and summary out.

Exits as ``wfm plan`` does: 0 covered, 1 input or config error, 2 usage, 3 exported but short (the status line
says by how much, why, and the fix).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wfm.cli import cli
from wfm.cli.checks import writable_folder
from wfm.config import load_config
from wfm.io import read_agents, read_requirements


@cli.command("schedule")
@click.option("--requirements", "requirements_path", required=True, type=click.Path(path_type=Path),
              help="Requirements file (CSV or Parquet): channel, interval_start, scheduled_agents.")
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path), help="TOML config.")
@click.option("--agents", "agents_path", type=click.Path(path_type=Path), default=None,
              help="Named agents (CSV or Parquet); without it agents get generated ids.")
@click.option("--out-dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for roster.csv, breaks.csv, coverage.csv, summary.json.")
@click.option("--time-limit", "time_limit_seconds", type=click.FloatRange(min=0, max=86_400, min_open=True),
              default=None, help="Solver time limit in seconds, up to a day (default: solver.time_limit_seconds); "
                                 "rostering after the solve reports its progress.")
@click.option("--gap", type=click.FloatRange(0, 1, max_open=True), default=None,
              help="Relative gap at which the solver may stop (default: solver.gap).")
@click.option("--solver", type=click.Choice(["auto", "cbc", "highs"]), default=None,
              help="Solver (default: solver.backend; auto picks per model by benchmark).")
@click.option("--quiet", is_flag=True, help="No progress messages.")
def schedule(requirements_path: Path, config_path: Path, agents_path: Path | None, out_dir: Path,
             time_limit_seconds: float | None, gap: float | None, solver: str | None, quiet: bool) -> None:
    """Cover interval requirements with shifts, breaks and days off at least cost, and roster agents."""
    from scheduling import solve_schedule, write_schedule  # imported here, so that other commands start fast

    writable_folder(out_dir, "--out-dir", create=False)  # before the solve, which can take minutes
    config = load_config(config_path)
    requirements = read_requirements(requirements_path, config)
    agents = read_agents(agents_path, config) if agents_path is not None else None
    progress = None if quiet else (lambda message: click.echo(message, err=True))
    result = solve_schedule(requirements, config, agents=agents, solver=solver, time_limit_seconds=time_limit_seconds,
                            gap=gap, progress=progress)
    write_schedule(result, out_dir)
    s = result.summary
    r = s.solver
    click.echo(f"{s.status.headline()}: {s.shifts:,} shifts for {s.agents:,} agents, cost {s.cost:,.2f}, coverage "
               f"{s.coverage:.1%} ({r.backend}, {r.seconds:.1f} s); {s.unassigned_shifts:,} shifts unassigned "
               f"-> {out_dir}")
    if s.status.exit_code:
        sys.exit(s.status.exit_code)
