"""``wfm scenario create|list|show|compare|delete``: what-if staffing scenarios kept in the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from wfm.cli import cli
from wfm.config import load_config, with_overrides
from wfm.plain import to_plain
from wfm.planning.comparison import compare, stored_figures
from wfm.planning.store import URL_ENV, Store
from wfm.planning.whatif import Modifiers

_database = click.option("--database", help=f"SQLAlchemy URL of the store (default: ${URL_ENV}, else the "
                                              "--config's [storage] url, else ./wfm.db).")
_store_config = click.option("--config", "config_path", type=click.Path(path_type=Path),
                             help="Config whose [storage] url names the store.")


def _open_store(database: str | None, config_path: Path | None) -> Store:
    """The store named by --database, else WFM_DATABASE_URL, else the --config's [storage] url, else ./wfm.db."""
    return Store.open(database, load_config(config_path) if config_path else None)


@cli.group("scenario")
def scenario_group() -> None:
    """Create, list, show, compare and delete what-if staffing scenarios."""


@scenario_group.command("create")
@click.argument("name")
@click.option("--history", "history_path", type=click.Path(path_type=Path), required=True,
              help="Interval history (CSV or Parquet).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), required=True, help="Base TOML config.")
@click.option("--week", help="ISO week, YYYY-Www (default: the week after the history ends).")
@click.option("--volume-pct", type=float, default=0.0, help="Volume change in percent (+10 = 10% more).")
@click.option("--aht-pct", type=float, default=0.0, help="Handle-time change in percent.")
@click.option("--service-level", type=float, help="Service-level target of queue channels.")
@click.option("--answer-seconds", type=float, help="Answer time of the target.")
@click.option("--shrinkage", type=float, help="Shrinkage, 0 <= x < 1.")
@click.option("--max-occupancy", type=float, help="Occupancy cap, 0 < x <= 1.")
@click.option("--concurrency", type=int, help="Chat concurrency.")
@click.option("--patience-seconds", type=float, help="Mean patience: use Erlang A.")
@click.option("--headcount-cap", type=int, help="Cap on agents per interval per group.")
@click.option("--cost-per-hour", type=float, help="Cost per paid hour of every shift.")
@click.option("--channel", "channels", multiple=True, help="Channel the changes apply to (repeat; default all).")
@click.option("--model", help="Forecast model (default: the config's).")
@click.option("--solve", is_flag=True, help="Also solve the schedule (paid hours, cost, under-coverage).")
@click.option("--description", default="", help="Free text shown with the scenario.")
@_database
def create_command(name: str, history_path: Path, config_path: Path, week: str | None, model: str | None, solve: bool,
                   description: str, database: str | None, channels: tuple[str, ...], **changes: Any) -> None:
    """Evaluate a what-if on a forecast week and save it as scenario NAME (replacing one of that name)."""
    # The modelling stack is imported here, so that listing and showing scenarios start fast.
    from wfm.io import read_history
    from wfm.planning import scenarios
    from wfm.planning.plan import forecast_week
    from wfm.weeks import parse_week, week_after

    config = with_overrides(load_config(config_path), model=model)
    modifiers = Modifiers(channels=channels, **{k: v for k, v in changes.items() if v is not None})
    modifiers.apply_to_config(config)  # refuse bad values before the forecast runs
    history = read_history(history_path, config)
    week_start = parse_week(week) if week else week_after(history)
    forecast = forecast_week(history, config, week_start)
    figures = scenarios.evaluate(forecast.frame, config, modifiers, solve=solve)
    with Store.open(database, config) as store:
        record = scenarios.save(store, name, config, modifiers, figures, description=description)
    click.echo(f"saved scenario {record.name!r} (version {record.version})")
    _echo_figures(compare([record]))


@scenario_group.command("list")
@_database
@_store_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(database: str | None, config_path: Path | None, as_json: bool) -> None:
    """List the stored scenarios."""
    with _open_store(database, config_path) as store:
        records = store.list_scenarios()
    rows = []
    for r in records:
        figures = stored_figures(r)
        rows.append({"name": r.name, "version": r.version, "updated": r.updated_at.isoformat(timespec="seconds"),
                     "modifiers": dict(r.modifiers), "cost": figures.cost if figures else None,
                     "projected_service_level": figures.projected_service_level if figures else None})
    rows = to_plain(rows)
    if as_json:
        click.echo(json.dumps(rows))
    elif not rows:
        click.echo("no scenarios yet; create one with `wfm scenario create NAME --history ... --config ...`")
    else:
        click.echo(pd.DataFrame(rows).to_string(index=False))


@scenario_group.command("show")
@click.argument("name")
@_database
@_store_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(name: str, database: str | None, config_path: Path | None, as_json: bool) -> None:
    """Show one scenario: its modifiers and figures."""
    with _open_store(database, config_path) as store:
        record = store.get_scenario(name)
    if as_json:
        click.echo(json.dumps({"name": record.name, "description": record.description, "version": record.version,
                               "modifiers": dict(record.modifiers), "results": record.results}))
        return
    click.echo(f"{record.name} (version {record.version}, updated {record.updated_at:%Y-%m-%d %H:%M} UTC)")
    if record.description:
        click.echo(record.description)
    _echo_figures(compare([record]))


@scenario_group.command("compare")
@click.argument("names", nargs=-1, required=True)
@_database
@_store_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def compare_command(names: tuple[str, ...], database: str | None, config_path: Path | None, as_json: bool) -> None:
    """Compare up to 4 scenarios side by side."""
    with _open_store(database, config_path) as store:
        records = [store.get_scenario(name) for name in names]
    table = compare(records)
    if as_json:
        click.echo(table.to_json())
    else:
        _echo_figures(table)


@scenario_group.command("delete")
@click.argument("name")
@_database
@_store_config
def delete_command(name: str, database: str | None, config_path: Path | None) -> None:
    """Delete a scenario."""
    with _open_store(database, config_path) as store:
        store.delete_scenario(name)
    click.echo(f"deleted scenario {name!r}")


def _echo_figures(table: pd.DataFrame) -> None:
    def shown(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return "–"
        return f"{value:,.3f}" if isinstance(value, float) else str(value)

    click.echo(table.apply(lambda column: column.map(shown)).to_string())
