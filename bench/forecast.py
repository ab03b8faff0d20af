"""Forecast accuracy and speed benchmarks; prints one JSON line per figure.

    OPENBLAS_NUM_THREADS=1 python bench/forecast.py --bank ../shared/data/anonymous-bank-1999/arrivals_6min_1999.csv \
        --sample data/sample_history.csv [--channels 100]

Accuracy: rolling origin over the last 8 weeks (4 folds of 14 days), interval wMAPE per model, and the auto
choice against the weekly seasonal naive. ``auto_in_sample`` is the best model on those same folds (what
``--model auto`` reports); ``auto_nested`` is honest out of sample: at each fold's origin, ``forecast(model="auto")``
runs on the history before it (its own backtest, its own choice) and is scored on the 14 days after.

- bank: an Israeli bank's calls per 6 minutes in 1999, summed to 30 minutes, channel ``bank``, local times read
  at Israel standard time (UTC+2, no DST shift: every day keeps its 240 rows), volumes rounded (1999-05-23 holds
  imputed half calls), Israeli public holidays.
- sample: the generated sample history (voice, chat, email; 15 minutes; GB holidays).

Speed: auto choice with its backtest for one channel of two years of 15-minute history, and for ``--channels``
such channels (copies of the sample's channels, thinned to 50-100% of their volume) on local processes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from forecasting import backtest, forecast  # noqa: E402
from wfm.config import Config, load_config, parse_config  # noqa: E402
from wfm.io import read_history  # noqa: E402

FOLDS = 4
HORIZON_DAYS = 14
ROOT = Path(__file__).resolve().parents[1]


def emit(**figure: object) -> None:
    """Print one figure as a JSON line."""
    print(json.dumps(figure, default=str), flush=True)


def bank_history(path: Path) -> tuple[pd.DataFrame, Config]:
    """The bank's 6-minute arrivals as a 30-minute history contract frame, and its config."""
    raw = pd.read_csv(path)
    local = pd.to_datetime(raw["date"] + " " + raw["interval_start"])
    stamps = local.dt.tz_localize("Etc/GMT-2").dt.floor("30min")
    frame = (pd.DataFrame({"interval_start": stamps, "volume": raw["calls"]})
             .groupby("interval_start", as_index=False)["volume"].sum())
    frame["volume"] = np.round(frame["volume"]).astype("int64")
    frame.insert(0, "channel", "bank")
    config = parse_config({
        "timezone": "Etc/GMT-2", "interval_minutes": 30,
        "channels": {"bank": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}},
        "forecast": {"country": "IL", "backtest_folds": FOLDS, "backtest_horizon_days": HORIZON_DAYS,
                     "default_aht_seconds": 180},
    }, source="bench")
    return frame, config


def accuracy(name: str, history: pd.DataFrame, config: Config, interval_minutes: int) -> None:
    """Model table, auto choice (in sample and nested) and its ratio to the seasonal naive, per channel."""
    started = time.perf_counter()
    result = backtest(history, config, interval_minutes=interval_minutes, horizon_days=HORIZON_DAYS, folds=FOLDS)
    emit(bench=name, figure="backtest_seconds", value=round(time.perf_counter() - started, 2))
    for row in result.summary.to_dict(orient="records"):
        emit(bench=name, figure="model", **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()})
    local_day = history["interval_start"].dt.tz_convert(config.zone).dt.tz_localize(None).dt.normalize()
    for channel, rows in result.summary.groupby("channel"):
        naive = float(rows.loc[rows["model"] == "seasonal_naive", "wmape_interval"].iloc[0])
        best = rows.iloc[0]
        errors = actuals = 0.0
        origins = sorted(result.metrics.loc[result.metrics["channel"] == channel, "origin"].unique())
        for origin in origins:
            before = history[(history["channel"] == channel) & (local_day < pd.Timestamp(origin))]
            chosen = forecast(before, config, interval_minutes=interval_minutes, horizon_days=HORIZON_DAYS)
            window = history[history["channel"] == channel].merge(chosen.frame[["interval_start", "volume"]],
                                                                  on="interval_start", how="right",
                                                                  suffixes=("", "_forecast")).fillna({"volume": 0})
            errors += float((window["volume_forecast"] - window["volume"]).abs().sum())
            actuals += float(window["volume"].sum())
            emit(bench=name, figure="auto_nested_fold", channel=channel, origin=origin,
                 model=chosen.choices["model"].iloc[0])
        nested = errors / actuals
        emit(bench=name, figure="auto_vs_seasonal_naive", channel=channel, seasonal_naive_wmape=round(naive, 4),
             auto_in_sample_model=best["model"], auto_in_sample_wmape=round(float(best["wmape_interval"]), 4),
             auto_in_sample_ratio=round(float(best["wmape_interval"]) / naive, 3),
             auto_nested_wmape=round(nested, 4), auto_nested_ratio=round(nested / naive, 3), goal_ratio=0.85)


def many_channels(history: pd.DataFrame, count: int, seed: int = 7) -> pd.DataFrame:
    """``count`` channels copied from the sample's, each thinned to a random 50-100% of its volume."""
    rng = np.random.default_rng(seed)
    sources = sorted(history["channel"].unique())
    frames = []
    for index in range(count):
        source = history[history["channel"] == sources[index % len(sources)]]
        thinned = rng.binomial(source["volume"].to_numpy(), rng.uniform(0.5, 1.0))
        frames.append(source.assign(channel=f"{sources[index % len(sources)]}_{index:03d}", volume=thinned))
    return pd.concat(frames, ignore_index=True)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the worker processes), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, history: pd.DataFrame, config: Config, goal_seconds: float, **extra: object) -> None:
    """Time ``forecast(model="auto")``: wall clock, CPU, and the machine's load while it ran.

    The CPU time divided by the cores is the wall time on an otherwise idle machine (the benchmark machine
    is shared, so the wall time alone can overstate it).
    """
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = forecast(history, config)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    cores = os.cpu_count() or 1
    emit(bench="speed", figure=label, value=round(wall, 2), cpu_seconds=round(cpu, 1),
         idle_machine_seconds=round(cpu / cores, 1), cores=cores, load_average=[round(load_before, 1),
                                                                             round(os.getloadavg()[0], 1)],
         goal_seconds=goal_seconds, models=result.choices["model"].value_counts().to_dict(), **extra)


def speed(history: pd.DataFrame, config: Config, channels: int) -> None:
    """Auto choice with backtest: one channel, then ``channels`` channels, on local processes."""
    voice = history[history["channel"] == "voice"]
    timed("auto_one_channel_seconds", voice, config, 15, days=int(voice["interval_start"].dt.date.nunique()),
          interval_minutes=config.interval_minutes)
    if channels:
        timed("auto_many_channels_seconds", many_channels(history, channels), config, 600, channels=channels)


def main() -> None:
    """Run the benchmarks named by the arguments."""
    parser = argparse.ArgumentParser(description="Forecast accuracy and speed benchmarks (JSON lines).")
    parser.add_argument("--bank", type=Path, help="arrivals_6min_1999.csv of the Anonymous Bank data")
    parser.add_argument("--sample", type=Path, help="sample history (python data/generate.py --out PATH)")
    parser.add_argument("--channels", type=int, default=0, help="also time the auto choice on this many channels")
    parser.add_argument("--skip-accuracy", action="store_true", help="only the speed figures")
    args = parser.parse_args()
    if args.bank and not args.skip_accuracy:
        history, config = bank_history(args.bank)
        accuracy("bank", history, config, 30)
    if args.sample:
        config = load_config(ROOT / "data" / "example.toml")
        history = read_history(args.sample, config)
        if not args.skip_accuracy:
            accuracy("sample", history, config, config.interval_minutes)
        speed(history, config, args.channels)


if __name__ == "__main__":
    main()
