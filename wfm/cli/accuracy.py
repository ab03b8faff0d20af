"""``wfm accuracy``: the issued forecasts scored against the actuals that have arrived since.

A few lines over :func:`wfm.planning.accuracy.accuracy_record`: a table for people on stdout, the record
itself as CSV or Parquet with ``--out``.
"""

from __future__ import annotations

from pathlib import Path

import click

from wfm.cli import cli
from wfm.cli.checks import writable_file
from wfm.config import load_config, parse_config
from wfm.errors import WfmError
from wfm.weeks import parse_week


@cli.command("accuracy")
@click.option("--history", "history_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="History with the actuals (CSV or Parquet), as for wfm plan.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML config to read the history with (default: that of the latest run with a forecast).")
@click.option("--database", help="SQLAlchemy URL of the run store (default: $WFM_DATABASE_URL, else the config's "
                                 "[storage] url, else ./wfm.db).")
@click.option("--week", "weeks", multiple=True, help="ISO week to score, YYYY-Www (repeatable; default: every week "
                                                     "with an issued forecast).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the record (one row per week and channel) to this .csv or .parquet file.")
def accuracy_command(history_path: Path, config_path: Path | None, database: str | None, weeks: tuple[str, ...],
                     out_path: Path | None) -> None:
    """Score issued forecasts against actuals: wMAPE, bias and 80% band coverage per channel and week, with the
    noise floor for that volume."""
    from wfm.io import read_history, write_frame
    from wfm.planning.accuracy import accuracy_record, accuracy_table
    from wfm.planning.store import Store

    for week in weeks:
        try:
            parse_week(week)
        except WfmError as exc:
            raise click.BadParameter(str(exc).removeprefix("week: "), param_hint="--week") from None
    if out_path is not None:
        writable_file(out_path, "--out")
    config = load_config(config_path) if config_path else None
    with Store.open(database, config) as store:
        issued = store.issued_forecasts(weeks or None)
        if not issued:
            which = f" for {', '.join(weeks)}" if weeks else ""
            click.echo(f"wfm: no issued forecasts{which} in {store.url} yet: `wfm plan` runs and plans published "
                       "from the dashboard record them", err=True)
            return
        if config is None:
            config = parse_config(issued[-1].config, source=f"the config of run {issued[-1].run_id}")
        record = accuracy_record(store, read_history(history_path, config), weeks or None)
    click.echo(accuracy_table(record).to_string(index=False))
    click.echo("Noise floor: the wMAPE a perfect forecast would score at that volume (Poisson arrivals). Days "
               "absent from the history are not scored.", err=True)
    if out_path is not None:
        write_frame(record, out_path)
        click.echo(f"wrote {len(record):,} rows to {out_path}", err=True)
