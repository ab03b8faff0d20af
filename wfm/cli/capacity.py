"""``wfm capacity``: the long-term capacity plan (required FTE, supply, hiring classes) for 1-78 weeks.

Writes ``capacity.csv``, ``capacity_summary.json``, ``capacity.xlsx`` and ``capacity.html`` into OUT and prints
the headline. Exits 0 when the plan is made, short weeks included (the summary says where, by how much and why).
"""

from __future__ import annotations

from pathlib import Path

import click

from wfm.cli import cli
from wfm.cli.checks import writable_folder
from wfm.config import MAX_CAPACITY_WEEKS, load_config


@cli.command("capacity")
@click.option("--history", "history_path", type=click.Path(path_type=Path), required=True,
              help="Interval history (CSV or Parquet); a year or more gives the forecast its yearly season.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), required=True, help="TOML config.")
@click.option("--agents", "agents_path", type=click.Path(path_type=Path), required=True,
              help="Current agents (CSV); max_hours is each agent's contract hours.")
@click.option("--weeks", type=click.IntRange(1, MAX_CAPACITY_WEEKS),
              help=f"Weeks to plan, 1 to {MAX_CAPACITY_WEEKS} (default: capacity.horizon_weeks, normally 26).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Output folder.")
def capacity_command(history_path: Path, config_path: Path, agents_path: Path, weeks: int | None,
                     out_dir: Path) -> None:
    """Plan required FTE, attrition and hiring classes per staff group and week; write the plan to OUT."""
    from wfm.io import read_agents, read_history
    from wfm.planning.capacity import plan_capacity
    from wfm.planning.capacity_export import headline, write_capacity

    out_dir = writable_folder(out_dir, "--out")
    config = load_config(config_path)
    history = read_history(history_path, config)
    agents = read_agents(agents_path, config)
    plan = plan_capacity(history, config, agents, weeks=weeks)
    write_capacity(plan, out_dir)
    for name, value in headline(plan.summary):
        click.echo(f"{name}: {value}")
    click.echo(f"{'Covered' if plan.summary.status == 'covered' else 'Short'}: {plan.summary.message}")
    click.echo(str(out_dir))
