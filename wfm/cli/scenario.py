"""``wfm scenario create|list|show|compare|delete``: what-if staffing scenarios kept in the store."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pandas as pd

from wfm.cli import cli
from wfm.cli.checks import shown
from wfm.config import Config, load_config, with_overrides
from wfm.errors import ConfigError, StoreError, WfmError
from wfm.plain import to_plain
from wfm.planning.comparison import compare, stored_figures
from wfm.planning.store import URL_ENV, Store, check_scenario_name
from wfm.planning.whatif import Modifiers

_database = click.option("--database", help=f"SQLAlchemy URL of the store (default: ${URL_ENV}, else the "
                                              "--config's [storage] url, else ./wfm.db).")
_store_config = click.option("--config", "config_path", type=click.Path(path_type=Path),
                             help="Config whose [storage] url names the store.")


def _open_store(database: str | None, config_path: Path | None) -> Store:
    """The store named by --database, else WFM_DATABASE_URL, else the --config's [storage] url, else ./wfm.db."""
    return Store.open(database, load_config(config_path) if config_path else None)


def _scenario_name(name: str) -> str:
    """The scenario name, checked by the store's rule before any work; refused with the name shortened."""
    try:
        return check_scenario_name(name)
    except StoreError as exc:
        raise click.BadParameter(str(exc).replace(repr(name), shown(name)).removeprefix("scenario name "),
                                 param_hint="NAME") from None


def _problem(exc: ConfigError) -> str:
    """A config error's problem without its source and key path (the option names it), and without the others
    it lists for more channels."""
    message = re.sub(r" \(and \d+ more: .*\)$", "", str(exc)).removeprefix("what-if: ")
    key, sep, rest = message.partition(": ")
    return rest if sep and " " not in key else message


def _modifiers(config: Config, channels: tuple[str, ...], changes: dict[str, Any]) -> Modifiers:
    """The what-if modifiers, each refused before any work by the option that gives it."""
    given = {key: value for key, value in changes.items() if value is not None}
    for key, value in [("channels", channels), *given.items()]:
        option = "--channel" if key == "channels" else f"--{key.replace('_', '-')}"
        try:
            Modifiers(**{"channels": channels, key: value}).apply_to_config(config)
        except ConfigError as exc:
            raise click.BadParameter(_problem(exc), param_hint=option) from None
    modifiers = Modifiers(channels=channels, **given)
    modifiers.apply_to_config(config)  # the changes together
    return modifiers


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
@click.option("--risk", type=click.FloatRange(min=0.5, max=0.999),
              help="Staff every voice and chat interval to meet its target with at least this probability.")
@click.option("--solve", is_flag=True, help="Also solve the schedule (paid hours, cost, under-coverage).")
@click.option("--description", default="", help="Free text shown with the scenario.")
@_database
def create_command(name: str, history_path: Path, config_path: Path, week: str | None, model: str | None, solve: bool,
                   description: str, database: str | None, channels: tuple[str, ...], risk: float | None,
                   **changes: Any) -> None:
    """Evaluate a what-if on a forecast week and save it as scenario NAME (replacing one of that name)."""
    # The modelling stack is imported here, so that listing and showing scenarios start fast.
    from wfm.io import read_history
    from wfm.planning import scenarios
    from wfm.planning.plan import check_week, forecast_week
    from wfm.weeks import parse_week, week_after

    name = _scenario_name(name)
    try:
        week_start = parse_week(week) if week else None
    except WfmError as exc:
        raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    config = with_overrides(load_config(config_path), model=model)
    modifiers = _modifiers(config, channels, changes)  # bad values are refused before the forecast runs
    history = read_history(history_path, config)
    week_start = week_start or week_after(history)
    try:
        check_week(history, week_start)
    except WfmError as exc:
        raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    forecast = forecast_week(history, config, week_start)
    figures = scenarios.evaluate(forecast.frame, config, modifiers, solve=solve, risk=risk)
    with Store.open(database, config) as store:
        record = scenarios.save(store, name, config, modifiers, figures, description=description, risk=risk)
    click.echo(f"saved scenario {record.name!r} (version {record.version})")
    _echo_figures(compare([record]))


@scenario_group.command("list")
@_database
@_store_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(database: str | None, config_path: Path | None, as_json: bool) -> None:
    """List the stored scenarios."""
    with _open_store(database, config_path) as store:
        records = [r for r in store.list_scenarios() if not r.is_capacity]  # capacity ones: the Capacity page
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
    name = _scenario_name(name)
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
    names = tuple(_scenario_name(name) for name in names)
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
    name = _scenario_name(name)
    with _open_store(database, config_path) as store:
        store.delete_scenario(name)
    click.echo(f"deleted scenario {name!r}")


def _echo_figures(table: pd.DataFrame) -> None:
    def shown(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return "–"
        return f"{value:,.3f}" if isinstance(value, float) else str(value)

    click.echo(table.apply(lambda column: column.map(shown)).to_string())
