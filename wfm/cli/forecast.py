"""``wfm forecast`` and ``wfm backtest``: a few lines each over :mod:`forecasting`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import click
import pandas as pd

from wfm.cli import cli
from wfm.cli.checks import writable_file
from wfm.config import MAX_BACKTEST_FOLDS, MAX_HORIZON_DAYS, Config, load_config
from wfm.io import read_history, write_frame

Backend = Literal["local", "dask"]

_history = click.option("--history", "history_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
                        help="History file (CSV or Parquet): channel, interval_start, volume[, aht_seconds].")
_interval = click.option("--interval-minutes", type=click.IntRange(min=1, max=1440),
                         help="Interval length of the history (default: the config's).")
_config = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                       help="wfm TOML config (timezone, holidays, events, outliers).")
_horizon = click.option("--horizon-days", type=click.IntRange(min=1, max=MAX_HORIZON_DAYS),
                        help=f"Days to forecast, up to {MAX_HORIZON_DAYS} (default 14).")
_backend = click.option("--backend", type=click.Choice(["local", "dask"]),
                        help="Run channels on local processes or on a Dask cluster (default: the config's "
                             "[forecast] backend, else local).")
_scheduler = click.option("--scheduler", help="Dask scheduler address (tcp://HOST:8786), with --backend dask "
                                               "(default: the config's [forecast] scheduler).")


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def update(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        yield update


def _load(config_path: Path | None, history_path: Path, interval_minutes: int | None,
          ) -> tuple[Config | None, pd.DataFrame]:
    config: Config | None = load_config(config_path) if config_path else None
    return config, read_history(history_path, config, interval_minutes=interval_minutes)


def _where(config: Config | None, backend: Backend | None, scheduler: str | None) -> tuple[Backend, str | None]:
    """The backend and scheduler to run on: the options where given, else the config's ``[forecast]`` ones."""
    settings = config.forecast if config else None
    return (backend or (settings.backend if settings else "local"),
            scheduler or (settings.scheduler if settings else None))


@cli.command("forecast")
@_history
@_interval
@_config
@_horizon
@click.option("--model", default=None,
              help="auto (best per channel by backtest), or seasonal_naive, weekly_average, ets, sarimax, mstl, "
                   "prophet, ensemble (default: the config's, else auto).")
@click.option("--start", help="First forecast day, YYYY-MM-DD (default: the day after the history).")
@click.option("--folds", type=click.IntRange(min=1, max=MAX_BACKTEST_FOLDS),
              help="Backtest folds behind auto (default: the config's, 4; fewer when the history is short).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Forecast file to write (.csv or .parquet).")
@_backend
@_scheduler
def forecast_command(history_path: Path, interval_minutes: int | None, config_path: Path | None,
                     horizon_days: int | None, model: str | None, start: str | None, folds: int | None,
                     out_path: Path,
                     backend: Backend | None,
                     scheduler: str | None) -> None:
    """Forecast volume (with an 80% interval) and handle time per channel and interval."""
    writable_file(out_path, "--out")  # before the forecast, which can take minutes
    config, history = _load(config_path, history_path, interval_minutes)
    backend, scheduler = _where(config, backend, scheduler)
    from forecasting import (  # imported here: it loads statsmodels and prophet, which other commands skip
        describe_choices,
        forecast,
    )

    with _progress("forecasting") as progress:
        result = forecast(history, config, interval_minutes=interval_minutes, horizon_days=horizon_days,
                          start=start, model=model, backend=backend, scheduler=scheduler, progress=progress,
                          folds=folds)
    write_frame(result.frame, out_path)
    for line in describe_choices(result.choices):
        click.echo(line, err=True)
    click.echo(f"wrote {len(result.frame):,} rows to {out_path}", err=True)


@cli.command("backtest")
@_history
@_interval
@_config
@_horizon
@click.option("--folds", type=click.IntRange(min=1, max=MAX_BACKTEST_FOLDS), help="Rolling origins (default 4).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (one per channel and model).")
@_backend
@_scheduler
def backtest_command(history_path: Path, interval_minutes: int | None, config_path: Path | None,
                     horizon_days: int | None, folds: int | None, as_json: bool,
                     backend: Backend | None,
                     scheduler: str | None) -> None:
    """Rolling-origin backtest of every model: wMAPE, MASE, bias per channel, and the winner."""
    config, history = _load(config_path, history_path, interval_minutes)
    backend, scheduler = _where(config, backend, scheduler)
    from forecasting import backtest

    with _progress("backtesting") as progress:
        result = backtest(history, config, interval_minutes=interval_minutes, horizon_days=horizon_days,
                          folds=folds, backend=backend, scheduler=scheduler, progress=progress)
    if as_json:
        chosen = dict(zip(result.winners["channel"], result.winners["model"], strict=True))
        for record in result.summary.to_dict(orient="records"):
            click.echo(json.dumps({**record, "winner": chosen.get(record["channel"]) == record["model"]}))
        return
    click.echo(result.summary.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    for row in result.winners.itertuples():
        click.echo(f"winner {row.channel}: {row.model} (interval wMAPE {row.wmape_interval:.4f})")
