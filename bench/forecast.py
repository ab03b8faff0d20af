"""Forecast accuracy and speed benchmarks: wfm auto against open-source peers; one JSON line per figure.

    OPENBLAS_NUM_THREADS=1 python bench/forecast.py \
        --bank ../shared/data/anonymous-bank-1999/arrivals_6min_1999.csv --sample data/sample_history.csv \
        [--peers-python .venv-peers/bin/python] [--speed]

Accuracy, rolling origin: ``--origins`` origins (8), each forecasting the next 14 days from the history before
it, every method on the same days: wfm's ``forecast()`` with its default settings (auto choice, own backtest)
and the peers:

- ``autoarima_profile`` / ``autoets_profile``: statsforecast's AutoARIMA / AutoETS (season 7) on daily totals,
  spread over the day by the mean intraday shape of the last 8 same weekdays (their 80% band is the daily
  band times that shape). statsforecast pins pandas < 3, so it runs in its own venv (``--peers-python``), in a
  subprocess; without it those two rows are missing.
- ``mstl``: statsforecast's MSTL (seasons of a day and a week, AutoETS trend) on the last 8 weeks of the
  interval series (statsmodels' MSTL with a flat trend when statsforecast is missing).
- ``mean4_same_weekday``: the mean of the last 4 same weekdays present, slot by slot.
- ``seasonal_naive``: the same slot on the last same weekday present.

Per method: RMSE per interval, interval and daily wMAPE, 80% coverage (share of open slots inside the band) and
the seconds it took, over the days the history has (a missing day is not scored). Datasets:

- ``bank``: the Anonymous Bank (Israel, 1999), 6-minute arrivals summed to 30 minutes, at UTC+2 (every day
  keeps its 48 slots), config country IL (``--bank-country``), volumes as given (fractional on 1999-05-23).
- ``bank_weekdays``: the same with only Sunday-Thursday kept and Israeli holidays removed (weekday-only
  history with its holidays missing).
- ``sample``: the bundled sample (15 minutes, the example config).
- ``cut_28`` / ``cut_42`` / ``cut_65``: the last 28 / 42 / 65 days of the bank before its last origin, one
  origin: which models ran, and the same table.

Speed (``--speed``): ``forecast(model="auto")`` with its backtest for one channel of two years of 15-minute
history (the sample's voice channel, extended back): wall clock, and CPU seconds of the process and all its
workers, with the load average beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HORIZON_DAYS = 14
Z80 = 1.2815515655446004
ROOT = Path(__file__).resolve().parents[1]


def emit(**figure: object) -> None:
    """Print one figure as a JSON line."""
    print(json.dumps(figure, default=str), flush=True)


# ----------------------------------------------------------------------------------------------- peers
def peer_worker() -> None:
    """Run in the peers venv: read {daily, dates, horizon, slots_series, slots} on stdin, print forecasts."""
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoARIMA, AutoETS

    task = json.load(sys.stdin)
    out: dict[str, dict[str, list[float] | float]] = {}
    daily = pd.DataFrame({"unique_id": "c", "ds": pd.to_datetime(task["dates"]), "y": task["daily"]})
    for name, model in (("autoarima", AutoARIMA(season_length=7)), ("autoets", AutoETS(season_length=7))):
        started = time.perf_counter()
        fc = StatsForecast(models=[model], freq="D").forecast(df=daily, h=task["horizon"], level=[80])
        column = [c for c in fc.columns if c not in ("unique_id", "ds") and "-lo-" not in c and "-hi-" not in c][0]
        out[name] = {"mean": fc[column].tolist(), "lo": fc[f"{column}-lo-80"].tolist(),
                     "hi": fc[f"{column}-hi-80"].tolist(), "seconds": time.perf_counter() - started}
    slots = task["slots"]
    series = np.asarray(task["slot_series"], dtype=float)
    frame = pd.DataFrame({"unique_id": "c", "ds": pd.date_range("2000-01-01", periods=len(series), freq="h"),
                          "y": series})
    started = time.perf_counter()
    model = MSTL(season_length=[slots, 7 * slots], trend_forecaster=AutoETS(model="ZZN"))
    fc = StatsForecast(models=[model], freq="h").forecast(df=frame, h=task["horizon"] * slots, level=[80])
    out["mstl"] = {"mean": fc["MSTL"].tolist(), "lo": fc["MSTL-lo-80"].tolist(), "hi": fc["MSTL-hi-80"].tolist(),
                   "seconds": time.perf_counter() - started}
    json.dump(out, sys.stdout)


def run_peers(python: Path | None, daily: np.ndarray, dates: pd.DatetimeIndex, slot_series: np.ndarray,
              slots: int) -> dict | None:
    """Forecasts of the statsforecast peers (None without their venv)."""
    if python is None:
        return None
    task = {"daily": daily.tolist(), "dates": [d.isoformat() for d in dates], "horizon": HORIZON_DAYS,
            "slot_series": slot_series.tolist(), "slots": slots}
    done = subprocess.run([str(python), __file__, "--peer-worker"], input=json.dumps(task), capture_output=True,
                          text=True, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(done.stdout)


# ----------------------------------------------------------------------------------------------- data
def grid(history: pd.DataFrame, tz: str, minutes: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """One channel's history as local days x slots; a day absent from the history is a row of NaN."""
    local = history["interval_start"].dt.tz_convert(tz).dt.tz_localize(None)
    day = local.dt.normalize()
    slot = ((local.dt.hour * 60 + local.dt.minute) // minutes).to_numpy()
    dates = pd.date_range(day.min(), day.max(), freq="D")
    out = np.full((len(dates), 1440 // minutes), np.nan)
    row = ((day - dates[0]).dt.days).to_numpy()
    present = np.zeros(len(dates), dtype=bool)
    present[row] = True
    out[present] = 0.0
    np.add.at(out, (row, slot), history["volume"].to_numpy(dtype=float))
    return dates, out


def bank_history(path: Path, country: str, round_volumes: bool = False) -> tuple[pd.DataFrame, object]:
    """The bank's 6-minute arrivals as a 30-minute history contract frame, and a default config with its country."""
    from wfm.config import parse_config

    raw = pd.read_csv(path)
    local = pd.to_datetime(raw["date"] + " " + raw["interval_start"])
    stamps = local.dt.tz_localize("Etc/GMT-2").dt.floor("30min")
    frame = (pd.DataFrame({"interval_start": stamps, "volume": raw["calls"]})
             .groupby("interval_start", as_index=False)["volume"].sum())
    if round_volumes:
        frame["volume"] = np.round(frame["volume"])
    frame.insert(0, "channel", "bank")
    config = parse_config({
        "timezone": "Etc/GMT-2", "interval_minutes": 30,
        "channels": {"bank": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}},
        "forecast": {"country": country, "default_aht_seconds": 180},
    }, source="bench")
    return frame, config


def weekdays_only(frame: pd.DataFrame, country: str) -> pd.DataFrame:
    """Sunday-Thursday only, holidays (and their near-empty days) removed: a weekday-only history with gaps."""
    import holidays

    local = frame["interval_start"].dt.tz_convert("Etc/GMT-2").dt.tz_localize(None).dt.normalize()
    days = pd.DatetimeIndex(local.unique())
    names = holidays.country_holidays(country, years=range(days[0].year, days[-1].year + 1))
    totals = frame.groupby(local)["volume"].sum()
    weekday = days.day_of_week
    typical = totals.groupby(weekday).median()
    keep = [d for d in days if d.day_of_week not in (4, 5) and d.date() not in names
            and totals[d] >= 0.5 * typical[d.day_of_week]]
    return frame[local.isin(keep)].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- methods
def same_weekdays(volume: np.ndarray, dates: pd.DatetimeIndex, day: pd.Timestamp, count: int) -> np.ndarray:
    """The last ``count`` present rows of ``day``'s weekday, newest first."""
    rows = np.flatnonzero((dates.day_of_week == day.day_of_week) & ~np.isnan(volume[:, 0]))
    return rows[::-1][:count]


def baseline(volume: np.ndarray, dates: pd.DatetimeIndex, targets: pd.DatetimeIndex, weeks: int) -> np.ndarray:
    """Mean of the last ``weeks`` same weekdays present, slot by slot (0 for a weekday never present)."""
    out = np.zeros((len(targets), volume.shape[1]))
    for k, day in enumerate(targets):
        rows = same_weekdays(volume, dates, day, weeks)
        if rows.size:
            out[k] = volume[rows].mean(axis=0)
    return out


def shape(volume: np.ndarray, dates: pd.DatetimeIndex, targets: pd.DatetimeIndex) -> np.ndarray:
    """Intraday shares of the last 8 same weekdays present (uniform for a weekday never present)."""
    mean = baseline(volume, dates, targets, 8)
    total = mean.sum(axis=1, keepdims=True)
    return np.divide(mean, total, out=np.full(mean.shape, 1.0 / mean.shape[1]), where=total > 0)


def scores(actual: np.ndarray, mean: np.ndarray, lo: np.ndarray | None, hi: np.ndarray | None) -> dict:
    """RMSE, interval and daily wMAPE, 80% coverage over the present days of ``actual``."""
    present = ~np.isnan(actual[:, 0])
    a, m = actual[present], mean[present]
    out = {"rmse": float(np.sqrt(np.mean((m - a) ** 2))),
           "wmape_interval": float(np.abs(m - a).sum() / a.sum()),
           "wmape_daily": float(np.abs(m.sum(axis=1) - a.sum(axis=1)).sum() / a.sum()), "coverage": None}
    if lo is not None and hi is not None:
        low, high = lo[present], hi[present]
        open_slots = (high > 0) | (a > 0)
        out["coverage"] = float(np.mean(((a >= low) & (a <= high))[open_slots]))
    return out


def wfm_auto(history: pd.DataFrame, config: object, minutes: int, dates: pd.DatetimeIndex,
             targets: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """wfm's default forecast of ``targets`` from ``history``, on the bench's grid, and what it chose."""
    from forecasting import forecast

    result = forecast(history, config, interval_minutes=minutes, horizon_days=HORIZON_DAYS,
                      start=targets[0].date())
    frame = result.frame
    tz = config.timezone  # type: ignore[attr-defined]
    out = [grid(frame[["interval_start"]].assign(volume=frame[column]), tz, minutes)[1]
           for column in ("volume", "volume_lo", "volume_hi")]
    choice = result.choices.iloc[0].to_dict()
    info = {"model": choice["model"], "members": list(choice.get("member_models") or ())}
    for key in ("skipped", "folds", "backtest_horizon_days", "rank", "models_ranked"):
        if key in choice:
            info[key] = choice[key]
    return out[0], out[1], out[2], info


def evaluate(name: str, history: pd.DataFrame, config: object, minutes: int, origins: int,
             peers_python: Path | None, last_origin_only_days: int | None = None) -> None:
    """Every method over rolling origins of ``history`` (one channel); one JSON line per method, pooled."""
    tz = config.timezone  # type: ignore[attr-defined]
    dates, volume = grid(history, tz, minutes)
    slots = volume.shape[1]
    starts = [len(dates) - (origins - k) * HORIZON_DAYS for k in range(origins)]
    pooled: dict[str, dict[str, list[np.ndarray]]] = {}
    seconds: dict[str, float] = {}
    local_day = history["interval_start"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    for start in starts:
        first = 0 if last_origin_only_days is None else max(start - last_origin_only_days, 0)
        train_dates, train = dates[first:start], volume[first:start]
        targets = dates[start:start + HORIZON_DAYS]
        actual = volume[start:start + HORIZON_DAYS]
        methods: dict[str, tuple[np.ndarray, np.ndarray | None, np.ndarray | None]] = {}

        began = time.perf_counter()
        before = history[(local_day >= dates[first]) & (local_day < dates[start])]
        try:
            mean, lo, hi, info = wfm_auto(before, config, minutes, dates, targets)
            methods["wfm_auto"] = (mean, lo, hi)
            emit(bench=name, figure="wfm_auto_choice", origin=targets[0].date(), history_days=len(train_dates),
                 **info)
        except Exception as exc:  # noqa: BLE001 - a refusal is a figure here
            emit(bench=name, figure="wfm_auto_refused", origin=targets[0].date(), history_days=len(train_dates),
                 error=f"{type(exc).__name__}: {exc}")
        seconds["wfm_auto"] = seconds.get("wfm_auto", 0.0) + time.perf_counter() - began

        began = time.perf_counter()
        methods["mean4_same_weekday"] = (baseline(train, train_dates, targets, 4), None, None)
        methods["seasonal_naive"] = (baseline(train, train_dates, targets, 1), None, None)
        seconds["baselines"] = seconds.get("baselines", 0.0) + time.perf_counter() - began

        present = ~np.isnan(train[:, 0])
        daily = train[present].sum(axis=1)
        share = shape(train, train_dates, targets)
        recent = train[-56:]
        recent = np.where(np.isnan(recent), baseline(train, train_dates, train_dates[-56:], 4), recent)
        peers = run_peers(peers_python, daily, train_dates[present], recent.ravel(), slots)
        if peers is not None:
            # a daily model of present days only: its steps are the present days ahead (weekdays-only histories)
            steps = np.arange(len(targets))
            if not present.all():
                seen = set(train_dates[present].day_of_week)
                open_day = np.array([d.day_of_week in seen for d in targets])
                steps = np.cumsum(open_day) - 1
            for peer in ("autoarima", "autoets"):
                part = peers[peer]
                mean_d = np.maximum(np.asarray(part["mean"])[steps], 0)
                lo_d = np.maximum(np.asarray(part["lo"])[steps], 0)
                hi_d = np.asarray(part["hi"])[steps]
                if not present.all():
                    mean_d, lo_d, hi_d = (np.where(open_day, v, 0) for v in (mean_d, lo_d, hi_d))
                methods[f"{peer}_profile"] = (mean_d[:, None] * share, lo_d[:, None] * share, hi_d[:, None] * share)
                seconds[f"{peer}_profile"] = seconds.get(f"{peer}_profile", 0.0) + float(part["seconds"])
            methods["mstl"] = tuple(np.maximum(np.asarray(peers["mstl"][k]).reshape(len(targets), slots), 0)
                                    for k in ("mean", "lo", "hi"))  # type: ignore[assignment]
            seconds["mstl"] = seconds.get("mstl", 0.0) + float(peers["mstl"]["seconds"])
        for method, (mean, lo, hi) in methods.items():
            slot = pooled.setdefault(method, {"actual": [], "mean": [], "lo": [], "hi": []})
            slot["actual"].append(actual)
            slot["mean"].append(mean)
            slot["lo"].append(lo if lo is not None else np.full(actual.shape, np.nan))
            slot["hi"].append(hi if hi is not None else np.full(actual.shape, np.nan))
    table = {}
    for method, parts in pooled.items():
        arrays = {k: np.concatenate(v) for k, v in parts.items()}
        has_band = not np.isnan(arrays["lo"]).all()
        table[method] = scores(arrays["actual"], arrays["mean"], arrays["lo"] if has_band else None,
                               arrays["hi"] if has_band else None)
    peers_only = {k: v for k, v in table.items() if k != "wfm_auto"}
    best_peer = min(peers_only, key=lambda k: peers_only[k]["rmse"]) if peers_only else None
    for method, figures in sorted(table.items(), key=lambda kv: kv[1]["rmse"]):
        extra = {}
        if best_peer is not None:
            extra["rmse_vs_best_peer"] = round(figures["rmse"] / table[best_peer]["rmse"], 3)
        emit(bench=name, figure="method", method=method, origins=len(starts),
             **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in figures.items()},
             seconds=round(seconds.get(method, seconds.get("baselines", 0.0)), 2), **extra)
    if "wfm_auto" in table and best_peer is not None:
        emit(bench=name, figure="auto_vs_best_peer", best_peer=best_peer,
             ratio=round(table["wfm_auto"]["rmse"] / table[best_peer]["rmse"], 3), goal=0.95,
             load_average=round(os.getloadavg()[0], 1))


# ----------------------------------------------------------------------------------------------- speed
def cpu_seconds() -> float:
    """CPU time, user + system, of this process and of every process it started, finished or not.

    The local backend's workers are children of multiprocessing's fork server, not of this process, so
    ``RUSAGE_CHILDREN`` alone misses them: the fork server's own time plus that of the workers it has reaped
    (and of their Stan runs) is read from /proc through psutil.
    """
    import psutil

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    for child in psutil.Process().children():
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def two_years(history: pd.DataFrame) -> pd.DataFrame:
    """The sample's voice channel repeated back in whole weeks until it spans two years."""
    voice = history[history["channel"] == "voice"]
    span = voice["interval_start"].max() - voice["interval_start"].min()
    weeks = int(np.ceil(pd.Timedelta(days=730) / span * (span.days // 7))) if span.days >= 7 else 1
    step = pd.Timedelta(days=7 * (span.days // 7 + 1))
    frames = [voice]
    while pd.Timedelta(days=730) > (frames[-1]["interval_start"].max() - frames[-1]["interval_start"].min()) \
            and len(frames) < weeks:
        earliest = pd.concat(frames)["interval_start"].min()
        back = voice.assign(interval_start=voice["interval_start"] - step * len(frames))
        frames.append(back[back["interval_start"] < earliest])
        if (voice["interval_start"].max() - pd.concat(frames)["interval_start"].min()).days >= 730:
            break
    out = pd.concat(frames, ignore_index=True).sort_values("interval_start")
    last = out["interval_start"].max()
    return out[out["interval_start"] > last - pd.Timedelta(days=730)].reset_index(drop=True)


def speed(history: pd.DataFrame, config: object) -> None:
    """Auto choice with its backtest, one channel of two years of 15-minute history."""
    from forecasting import forecast

    voice = two_years(history)
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = forecast(voice, config)  # type: ignore[arg-type]
    wall = time.perf_counter() - wall
    time.sleep(0.5)  # let the fork server reap the finished workers, whose time it then holds
    cpu = cpu_seconds() - cpu
    emit(bench="speed", figure="auto_one_channel_two_years_seconds", value=round(wall, 2), cpu_seconds=round(cpu, 1),
         cores=os.cpu_count(), load_average=[round(load_before, 1), round(os.getloadavg()[0], 1)], goal_seconds=5,
         days=int(voice["interval_start"].dt.date.nunique()), model=result.choices["model"].iloc[0])


def main() -> None:
    """Run the benchmarks named by the arguments."""
    parser = argparse.ArgumentParser(description="Forecast accuracy and speed benchmarks (JSON lines).")
    parser.add_argument("--bank", type=Path, help="arrivals_6min_1999.csv of the Anonymous Bank data")
    parser.add_argument("--bank-country", default="IL", help="holiday country of the bank's config")
    parser.add_argument("--sample", type=Path, help="sample history (python data/generate.py --out PATH)")
    parser.add_argument("--peers-python", type=Path, help="python of a venv with statsforecast")
    parser.add_argument("--round-volumes", action="store_true",
                        help="round the bank's volumes to whole calls (for versions that refuse fractions)")
    parser.add_argument("--origins", type=int, default=8, help="rolling origins of 14 days")
    parser.add_argument("--only", nargs="*", help="datasets to run (bank bank_weekdays sample cut_28 cut_42 cut_65)")
    parser.add_argument("--speed", action="store_true", help="time auto on two years of one 15-minute channel")
    parser.add_argument("--peer-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_worker:
        peer_worker()
        return
    wanted = set(args.only or ["bank", "bank_weekdays", "sample", "cut_28", "cut_42", "cut_65"])
    emit(bench="machine", figure="uptime", load_average=[round(v, 2) for v in os.getloadavg()], cores=os.cpu_count())
    if args.bank:
        history, config = bank_history(args.bank, args.bank_country, args.round_volumes)
        if "bank" in wanted:
            evaluate("bank", history, config, 30, args.origins, args.peers_python)
        if "bank_weekdays" in wanted:
            evaluate("bank_weekdays", weekdays_only(history, args.bank_country), config, 30, args.origins,
                     args.peers_python)
        for days in (28, 42, 65):
            if f"cut_{days}" in wanted:
                evaluate(f"cut_{days}", history, config, 30, 1, args.peers_python, last_origin_only_days=days)
    if args.sample:
        from wfm.config import load_config
        from wfm.io import read_history

        config = load_config(ROOT / "data" / "example.toml")
        history = read_history(args.sample, config)
        if "sample" in wanted:
            for channel, rows in history.groupby("channel"):
                evaluate(f"sample_{channel}", rows.reset_index(drop=True), config, config.interval_minutes,
                         min(args.origins, 4), args.peers_python)
        if args.speed:
            speed(history, config)


if __name__ == "__main__":
    main()
