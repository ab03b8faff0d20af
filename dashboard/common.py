"""What every page shares: the session's data and config, cached library calls, and error display.

Pages stay thin: they read :func:`context`, call the cached wrappers here (which only call ``wfm`` and
reshape nothing), and render. The history and config default to the bundled sample and example config;
``WFM_DASHBOARD_HISTORY`` and ``WFM_DASHBOARD_CONFIG`` point them elsewhere (tests use a short sample and a
fast config).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboard.widgets import kept
from wfm import formats
from wfm.config import Config
from wfm.config import parse_config_text as library_parse_config_text
from wfm.errors import ConfigError, DataError, WfmError, WfmWarning
from wfm.io import read_agents, read_history
from wfm.planning.batch import BatchRun, publish_plan
from wfm.planning.comparison import ScenarioFigures
from wfm.planning.plan import (
    MAX_WEEKS_AHEAD,
    ForecastResult,
    Plan,
    check_channels,
    forecast_week,
    plan_week,
    staff_week,
)
from wfm.planning.scenarios import staffing_figures
from wfm.planning.store import Store, resolve_url
from wfm.planning.summary import PlanSummary
from wfm.planning.whatif import Modifiers, configured_values
from wfm.staffing.binding import ChannelBinding, binding_constraints
from wfm.weeks import week_after, week_label

log = logging.getLogger("wfm.dashboard")

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE_HISTORY = PROJECT / "data" / "sample_history.csv"
EXAMPLE_CONFIG = PROJECT / "data" / "example.toml"
AGENTS_FILE = PROJECT / "data" / "agents.csv"
#: Largest history file the Data page accepts.
MAX_UPLOAD_MB = 200
#: Where uploaded history files are kept so that the library can read them.
UPLOAD_FOLDER = Path(tempfile.gettempdir()) / "wfm-dashboard-uploads"
#: Uploads kept: at most this many, the newest...
MAX_UPLOADS = 20
#: ...and none older than this (an upload counts as new again each time it is uploaded).
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
#: The validation report stops after this many problems.
MAX_PROBLEMS = 10


@dataclass(frozen=True)
class Context:
    """The session's planning inputs: validated history, config and the week to plan."""

    history: pd.DataFrame
    history_key: str
    history_name: str
    config: Config
    config_text: str
    week_start: dt.date

    @property
    def week(self) -> str:
        """The planning week as ``YYYY-Www``."""
        return week_label(self.week_start)

    @property
    def key(self) -> str:
        """Identifies what a forecast depends on: history, forecast settings, grid and week.

        Other config edits (targets, shrinkage, shifts) keep the forecast, so they need no new one.
        """
        grid = self.config.model_dump_json(include={"timezone", "interval_minutes", "forecast"})
        return _digest(self.history_key, grid, self.week)


# What makes Markdown live in Streamlit: links and images ([ ] and !), code, emphasis and strikethrough, HTML and
# autolinks (< >), math ($), entities (&), tables (|), headings and quotes; "\" so the escapes stay escapes.
_MARKDOWN_ALWAYS = re.compile(r"([\\`*\[\]<>$~&|#!])")
# Underscores emphasise only at a word's edge: service_level stays readable.
_MARKDOWN_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# Bare links (https://..., www...., someone@host) and list markers at the start.
_MARKDOWN_AUTOLINK = re.compile(r"(?i)(?<=[a-z]):(?=//)|(?<=\bwww)\.|@")
_MARKDOWN_LIST = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")


def literal(text: object) -> str:
    """User text (names, descriptions, file names, messages quoting them) shown as itself in Streamlit Markdown.

    Every widget that renders Markdown (``st.error``, ``st.caption``, ``st.metric``, labels...) gets user text
    through this: a scenario named ``[log in](https://evil.example)`` shows as that text, never as a link or an
    image. Line breaks become spaces.
    """
    out = " ".join(str(text).splitlines())
    out = _MARKDOWN_ALWAYS.sub(r"\\\1", out)
    out = _MARKDOWN_UNDERSCORE.sub(r"\\_", out)
    out = _MARKDOWN_AUTOLINK.sub(lambda m: "\\" + m.group(0), out)
    return _MARKDOWN_LIST.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2).isdigit()
                                                      else "\\" + m.group(2)), out)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


#: The library's fixes written for the command line (flags), and the same fixes in the dashboard's terms.
_IN_DASHBOARD_TERMS: tuple[tuple[str, str], ...] = (
    (r"fewer folds \(--folds\)", "fewer Backtest folds (Forecast settings, on the Forecast page)"),
    (r"a shorter horizon \(--horizon-days\)", "a shorter backtest horizon (backtest_horizon_days in the config, "
                                              "on the Data page)"),
    (r"\(--time-limit or solver\.time_limit_seconds\)", "(solver.time_limit_seconds in the config, on the Data "
                                                        "page)"),
    (r"\(--time-limit\)", "(solver.time_limit_seconds in the config, on the Data page)"),
    (r"solver\.backend \(or --solver\)", "solver.backend in the config (on the Data page)"),
    (r"\(--solver\)", "(solver.backend in the config, on the Data page)"),
    (r" \(or --interval-minutes \d+\)", " (on the Data page)"),
    (r"pass (?:interval_minutes \(--interval-minutes\)|--interval-minutes) or a config",
     "set interval_minutes in the config on the Data page"),
    (r"pass --config with an existing TOML file", "choose a config on the Data page"),
    (r"pass --config with a `timezone`", "set `timezone` in the config on the Data page"),
    (r" \(--scheduler [^)]*\)", " (forecast.scheduler in the config, on the Data page)"),
    (r"without --agents", "without named agents (remove data/agents.csv)"),
)


def in_dashboard_terms(message: str) -> str:
    """A library message with its command-line fixes (``--folds``) said as what to do in the dashboard."""
    for pattern, words in _IN_DASHBOARD_TERMS:
        message = re.sub(pattern, words, message)
    return message


@contextmanager
def guard() -> Iterator[None]:
    """Show a failure as ``st.error`` with the library's message in the dashboard's terms and stop the page
    (never a traceback)."""
    try:
        yield
    except WfmError as exc:
        st.error(literal(in_dashboard_terms(str(exc))))  # messages quote file names and values from the user's files
        st.stop()
    except Exception as exc:  # a page shows every failure, it never crashes; the log keeps the traceback
        log.exception("dashboard page failed")
        st.error(f"Unexpected error ({type(exc).__name__}): {literal(exc)}")
        st.stop()


# -- inputs ---------------------------------------------------------------------------------------------------

def default_history_path() -> Path:
    """The history used until the planner uploads one: ``WFM_DASHBOARD_HISTORY`` or the bundled sample."""
    return Path(os.environ.get("WFM_DASHBOARD_HISTORY") or SAMPLE_HISTORY)


def default_config_path() -> Path:
    """The config used until the planner edits it: ``WFM_DASHBOARD_CONFIG`` or ``data/example.toml``."""
    return Path(os.environ.get("WFM_DASHBOARD_CONFIG") or EXAMPLE_CONFIG)


def ensure_sample(path: Path) -> None:
    """Generate the bundled sample history (deterministic, about 10 s) when it is missing."""
    if path.exists() or path != SAMPLE_HISTORY:
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # renamed into place: never read half-written
    with st.spinner("Generating the sample history (first start only, about 10 s)..."):
        done = subprocess.run([sys.executable, str(PROJECT / "data" / "generate.py"), "--out", str(partial)],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise WfmError(f"{path}: the sample history could not be generated: {done.stderr.strip()[-500:]}")
    os.replace(partial, path)


@st.cache_data(show_spinner=False)
def parse_config_text(text: str, source: str) -> Config:
    """A config from TOML text, validated as a config file is (ConfigError names the key path)."""
    return library_parse_config_text(text, source)


@st.cache_data(show_spinner="Reading and validating the history...", max_entries=8)
def read_history_cached(path: str, modified: float, config_text: str) -> pd.DataFrame:
    """The validated history of a file (``modified`` invalidates the cache when the file changes)."""
    return read_history(path, parse_config_text(config_text, "config"))


def file_key(path: Path) -> str:
    """Identifies a file's version."""
    stat = path.stat()
    return _digest(str(path.resolve()), str(stat.st_mtime_ns), str(stat.st_size))


def save_upload(name: str, data: bytes) -> Path:
    """Keep an uploaded history file on disk (named by its content) so the library can read it.

    Older uploads are removed meanwhile: only the newest :data:`MAX_UPLOADS`, none older than
    :data:`UPLOAD_MAX_AGE_SECONDS`, and always this one.
    """
    suffix = Path(name).suffix.lower()
    UPLOAD_FOLDER.mkdir(parents=True, exist_ok=True)
    path = UPLOAD_FOLDER / f"{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    if path.exists():
        os.utime(path)  # uploaded again: as new as a new upload
    else:
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # never read half-written
        partial.write_bytes(data)
        os.replace(partial, path)
    _remove_old_uploads(keep=path)
    return path


def _remove_old_uploads(keep: Path) -> None:
    """Delete uploads beyond the newest MAX_UPLOADS or older than UPLOAD_MAX_AGE_SECONDS (never ``keep``)."""
    uploads = []
    for file in UPLOAD_FOLDER.iterdir():
        try:
            uploads.append((file.stat().st_mtime, file))
        except OSError:  # removed meanwhile by another session
            continue
    uploads.sort(reverse=True)
    oldest = time.time() - UPLOAD_MAX_AGE_SECONDS
    for rank, (modified, file) in enumerate(uploads):
        if file != keep and (rank >= MAX_UPLOADS or modified < oldest):
            file.unlink(missing_ok=True)


@st.cache_data(show_spinner="Validating...", max_entries=16)
def validation_report(path: str, config_text: str) -> pd.DataFrame:
    """Every problem of a history file (up to ``MAX_PROBLEMS``), one row each: ``row, field, problem``.

    The rows come in file order, as validation finds them; a problem of the whole file has the row ``(file)``.
    """
    try:
        read_history(path, parse_config_text(config_text, "config"), max_problems=MAX_PROBLEMS)
    except DataError as exc:
        return pd.DataFrame([{"row": problem.row or "(file)", "field": problem.field, "problem": problem.problem}
                             for problem in exc.problems], columns=["row", "field", "problem"])
    return pd.DataFrame(columns=["row", "field", "problem"])


def use_history(path: Path, name: str) -> None:
    """Plan from this history file from now on (the Data page calls it after validation)."""
    st.session_state.history_path = str(path)
    st.session_state.history_name = name


def use_config(text: str, source: str) -> None:
    """Plan with this config text from now on (the Data page calls it after validation)."""
    st.session_state.config_text = text
    st.session_state.config_source = source


def _init_session() -> None:
    if "config_text" not in st.session_state:
        path = default_config_path()
        try:
            st.session_state.config_text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the config: {exc.strerror}") from None
        st.session_state.config_source = str(path)
    if "history_path" not in st.session_state:
        path = default_history_path()
        ensure_sample(path)
        st.session_state.history_path = str(path)
        st.session_state.history_name = "sample data" if path == SAMPLE_HISTORY else path.name
    st.session_state.setdefault("modifiers", Modifiers())


def context(*, caption: bool = True) -> Context:
    """The session's history, config and week (shown in the sidebar with ``caption``); defaults on first use.

    Shows a failure as an error and stops the page.
    """
    with guard():
        ctx = _build_context()
    if not caption:
        return ctx
    weeks = plannable_weeks(ctx.history)
    kept(st.sidebar.selectbox, "Week to plan", "week_choice", weeks[0], options=weeks,
         format_func=lambda monday: f"{week_label(monday)} · {monday:%d %b}",
         help="Any of the weeks after the history; the forecast, staffing and schedule follow the choice.")
    st.session_state[_SIDEBAR_NOTE] = (st.sidebar.empty(), ctx.week, ctx.history_name)
    show_what_if_state()
    with guard(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WfmWarning)
        check_channels(ctx.history, ctx.config)
    for warning in caught:
        st.warning(literal(warning.message))
    return ctx


#: Session key of the sidebar's note (its placeholder, week and history name), redrawn when the what-if changes.
_SIDEBAR_NOTE = "_sidebar_note"


def show_what_if_state() -> None:
    """Say in the sidebar what is planned and whether a what-if is active; the Staffing page calls it again once
    its fields have set the what-if of this run (the sidebar is drawn before them)."""
    if _SIDEBAR_NOTE not in st.session_state:
        return
    note, week, history_name = st.session_state[_SIDEBAR_NOTE]
    what_if = "what-if active" if not modifiers().is_empty else "no what-if"
    note.caption(f"Planning **{week}** from {literal(history_name)} · config: "
                 f"{literal(Path(st.session_state.config_source).name)} · {what_if}")


def _build_context() -> Context:
    _init_session()
    text = st.session_state.config_text
    config = parse_config_text(text, "config")
    path = Path(st.session_state.history_path)
    if not path.exists():
        raise WfmError(f"{path}: history file not found; choose the sample or upload one on the Data page")
    history = read_history_cached(str(path), path.stat().st_mtime, text)
    weeks = plannable_weeks(history)
    chosen = st.session_state.get("week_choice", st.session_state.get("kept:week_choice"))  # the widget's, if drawn
    return Context(history=history, history_key=file_key(path), history_name=st.session_state.history_name,
                   config=config, config_text=text, week_start=chosen if chosen in weeks else weeks[0])


def plannable_weeks(history: pd.DataFrame) -> list[dt.date]:
    """The Mondays of the weeks that can be planned from this history (the library's limit)."""
    first = week_after(history)
    return [first + dt.timedelta(weeks=ahead) for ahead in range(MAX_WEEKS_AHEAD)]


def modifiers() -> Modifiers:
    """The what-if modifiers last set on the Staffing page."""
    return st.session_state.get("modifiers", Modifiers())


def open_what_if(value: Modifiers) -> None:
    """Make ``value`` the current what-if, as if set by hand on the Staffing page (opening a scenario)."""
    _forget_what_if_fields()
    st.session_state.wi_pending = value
    st.session_state.modifiers = value


def modifiers_key(value: Modifiers) -> str:
    """Modifiers as a stable string (a cache key)."""
    return json.dumps(value.to_dict(), sort_keys=True)


def agents(config_text: str) -> pd.DataFrame | None:
    """Named agents from ``data/agents.csv`` when the project has one; None means generated agent ids."""
    if not AGENTS_FILE.exists():
        return None
    return _read_agents(str(AGENTS_FILE), AGENTS_FILE.stat().st_mtime, config_text)


@st.cache_data(show_spinner=False)
def _read_agents(path: str, modified: float, config_text: str) -> pd.DataFrame:
    return read_agents(path, parse_config_text(config_text, "config"))


# -- library calls, cached --------------------------------------------------------------------------------

#: Forecasts and plans kept in memory (the oldest is dropped first).
MAX_RESULTS = 24


@st.cache_resource(show_spinner=False)
def _results() -> dict[str, Any]:
    """Forecasts and plans made so far, shared by every session (they take seconds to a minute to make)."""
    return {}


def _keep(key: str, value: Any) -> None:
    results = _results()
    results[key] = value
    while len(results) > MAX_RESULTS:
        results.pop(next(iter(results)), None)


def cached_forecast(ctx: Context) -> ForecastResult | None:
    """The forecast of the session's week if it was made already."""
    return _results().get(f"forecast:{ctx.key}")


def forecast(ctx: Context) -> ForecastResult:
    """The forecast of the session's week, made once (with a progress bar) and then cached."""
    made = cached_forecast(ctx)
    if made is not None:
        return made
    # guard() outside the status: a failure first ends the status (no spinner left running), then shows its message.
    with guard(), st.status(f"Forecasting {ctx.week} ({ctx.config.forecast.model} model)...",
                            expanded=True) as status:
        bar = st.progress(0.0, text="backtesting models")

        def report(done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"backtest fold {done} of {total}")

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", WfmWarning)  # every page shows them already (context)
                made = forecast_week(ctx.history, ctx.config, ctx.week_start, progress=report)
        except Exception:
            status.update(label=f"Forecast of {ctx.week} failed: see the message below", state="error",
                          expanded=False)
            raise
        status.update(label=f"Forecast of {ctx.week} ready", state="complete", expanded=False)
    _keep(f"forecast:{ctx.key}", made)
    return made


def plan_key(ctx: Context, value: Modifiers) -> str:
    """Identifies a plan: history, the whole config, week and modifiers."""
    return _digest(ctx.key, ctx.config_text, modifiers_key(value))


def cached_plan(key: str) -> Plan | None:
    """A plan solved before for these inputs."""
    return _results().get(f"plan:{key}")


def solve(ctx: Context, value: Modifiers, on_stage: Callable[[str, str], None]) -> Plan:
    """Plan the week (schedule included) and cache it; ``on_stage`` reports each stage."""
    made_forecast = forecast(ctx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WfmWarning)  # every page shows them already (context)
        made = plan_week(ctx.history, ctx.config, ctx.week_start, agents=agents(ctx.config_text),
                         modifiers=value, forecast_result=made_forecast, progress=on_stage)
    _keep(f"plan:{plan_key(ctx, value)}", made)
    return made


#: Where the dashboard publishes a plan's export by default (the folder ``make run`` writes to).
EXPORT_FOLDER = PROJECT / "out"


def publish(ctx: Context, plan: Plan, folder: Path) -> BatchRun:
    """Export a solved plan to ``folder/<week>/`` and record it as a run, exactly as ``wfm plan`` does."""
    return publish_plan(plan, ctx.history, folder, store(ctx.config))


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def store(config: Config) -> Store:
    """The run and scenario store ``wfm plan`` uses with this config (``WFM_DATABASE_URL``, else the config's
    ``[storage] url``, else ``./wfm.db``), opened once per URL."""
    return _store(resolve_url(None, config))


# -- what-if (Staffing page) --------------------------------------------------------------------------------

#: Widget keys of the what-if fields that hold for all channels.
WHAT_IF_ALL = ("wi_volume_pct", "wi_aht_pct", "wi_headcount_cap", "wi_cost_per_hour")


@dataclass(frozen=True)
class WhatIfField:
    """One what-if field of a channel as the planner sees it: ``configured`` is shown in display units
    (``scale`` 100 for a percentage), None where the field starts empty."""

    name: str
    label: str
    configured: float | int | None
    low: float | int
    high: float | int
    step: float | int
    scale: int = 1
    placeholder: str | None = None

    @property
    def configured_text(self) -> str:
        """The configured value in words, for help texts."""
        if self.configured is None:
            return self.placeholder or formats.NOT_APPLICABLE
        return f"{formats.number(self.configured, 2).rstrip('0').rstrip('.')}{'%' if self.scale == 100 else ''}"


def what_if_key(channel: str, name: str) -> str:
    """The widget key of one channel's what-if field."""
    return f"wi_{channel}_{name}"


def what_if_fields(config: Config, channel: str) -> list[WhatIfField]:
    """The what-if fields of one channel, starting from its configured values."""
    values = configured_values(config, channel)
    rules = config.channels[channel]

    def pct(value: float | int | None) -> float | None:
        return None if value is None else round(100 * float(value), 6)

    fields = [WhatIfField("volume_pct", "Volume change (%)", None, -95.0, 1000.0, 5.0,
                          placeholder="as all channels"),
              WhatIfField("aht_pct", "Handle time change (%)", None, -95.0, 1000.0, 5.0,
                          placeholder="as all channels")]
    if rules.is_queue:
        fields += [WhatIfField("service_level", "Service level target (%)", pct(values["service_level"]), 1.0,
                               99.0, 1.0, scale=100),
                   WhatIfField("answer_seconds", "Answer within (seconds)", float(values["answer_seconds"] or 20),
                               1.0, 86_400.0, 5.0),
                   WhatIfField("patience_seconds", "Mean patience (seconds)",
                               None if values["patience_seconds"] is None else float(values["patience_seconds"]),
                               1.0, 86_400.0, 30.0, placeholder="none: Erlang C (no abandons)")]
    if rules.kind == "chat":
        fields.append(WhatIfField("concurrency", "Chats per agent", int(values["concurrency"] or 1), 1, 100, 1))
    fields += [WhatIfField("max_occupancy", "Occupancy cap (%)", pct(values["max_occupancy"]), 5.0, 100.0, 1.0,
                           scale=100),
               WhatIfField("shrinkage", "Shrinkage (%)", pct(values["shrinkage"]), 0.0, 95.0, 1.0, scale=100)]
    return fields


def configured_caps(config: Config) -> str:
    """The configured headcount caps in words (the placeholder of the what-if cap)."""
    caps = [f"{literal(name)} {formats.count(group.headcount_cap)}" for name, group in config.groups.items()
            if group.headcount_cap is not None]
    return "as configured: " + (", ".join(caps) if caps else "none")


def configured_costs(config: Config) -> str:
    """The configured costs per paid hour in words (the placeholder of the what-if cost)."""
    costs = sorted({shift.cost_per_hour for shift in config.shifts})
    return "as configured: " + (", ".join(formats.money(c, config.currency) for c in costs) or "none")


def _forget_what_if_fields() -> None:
    for key in [k for k in st.session_state if str(k).startswith(("wi_", "kept:wi_"))]:
        if not str(key).endswith(("wi_channel", "wi_interval")):  # the charts' choices are not what-if values
            del st.session_state[key]


def reset_what_if(config: Config, channel: str | None = None) -> None:
    """Every what-if field back to its configured value (one channel's with ``channel``)."""
    if channel is None:
        _forget_what_if_fields()
        st.query_params.pop("whatif", None)
        return
    for field in what_if_fields(config, channel):
        for key in (what_if_key(channel, field.name), f"kept:{what_if_key(channel, field.name)}"):
            st.session_state.pop(key, None)


def apply_pending_what_if(config: Config) -> None:
    """Show a what-if opened from a scenario, or kept in the page address (``?whatif=``), in the fields."""
    value = st.session_state.pop("wi_pending", None)
    if value is None and "kept:wi_volume_pct" not in st.session_state and "whatif" in st.query_params:
        try:
            value = Modifiers.from_dict(json.loads(st.query_params["whatif"]))
        except (ValueError, TypeError, WfmError) as exc:
            st.warning(f"The what-if in the page address was ignored: {literal(exc)}")
            st.query_params.pop("whatif", None)
    if value is None:
        return
    st.session_state.modifiers = value
    own = dict(value.per_channel)  # type: ignore[arg-type]
    shown: dict[str, Any] = {"wi_volume_pct": 0.0 if value.channels else float(value.volume_pct),
                             "wi_aht_pct": 0.0 if value.channels else float(value.aht_pct),
                             "wi_headcount_cap": value.headcount_cap, "wi_cost_per_hour": value.cost_per_hour}
    for channel in config.channels:
        changes = value.for_channel(channel)
        for field in what_if_fields(config, channel):
            given = getattr(changes, field.name)
            if field.name in ("volume_pct", "aht_pct"):
                given = given if value.channels or getattr(own.get(channel), field.name, None) is not None else None
                shown[what_if_key(channel, field.name)] = given
            elif given is not None:
                shown[what_if_key(channel, field.name)] = given * field.scale if field.scale != 1 else given
    for key, shown_value in shown.items():
        st.session_state.pop(key, None)
        st.session_state[f"kept:{key}"] = shown_value


def keep_what_if_in_url(value: Modifiers) -> None:
    """Keep the what-if in the page address, so that a reload shows it again."""
    if value.is_empty:
        st.query_params.pop("whatif", None)
    else:
        st.query_params["whatif"] = modifiers_key(value)


@dataclass(frozen=True)
class Staffed:
    """A week sized under a what-if: the effective config, requirements, headline figures, binding rules."""

    config: Config
    required: pd.DataFrame
    figures: ScenarioFigures
    binding: list[ChannelBinding]


@st.cache_data(show_spinner=False, max_entries=64)
def staffed(forecast_key: str, config_text: str, modifiers_json: str, _forecast_frame: pd.DataFrame) -> Staffed:
    """The week sized once under the modifiers, with its figures and binding rules (``forecast_key`` stands for
    the frame in the cache key)."""
    config = parse_config_text(config_text, "config")
    effective, required = staff_week(_forecast_frame, config, Modifiers.from_dict(json.loads(modifiers_json)))
    return Staffed(effective, required, staffing_figures(required, effective),
                   binding_constraints(required, effective))


@dataclass(frozen=True)
class Tile:
    """A KPI tile: its label, value and change against the base."""

    label: str
    value: str
    delta: str | None
    delta_color: Literal["normal", "inverse", "off"]
    help: str


def _change(difference: float, write: Callable[[float], str]) -> tuple[str, bool]:
    text = write(abs(difference))
    zero = write(0.0)
    return ("no change" if text == zero else ("-" if difference < 0 else "+") + text), text == zero


def kpi_tiles(base: ScenarioFigures, now: ScenarioFigures, currency: str, *, changed: bool) -> list[Tile]:
    """The Staffing page's headline figures, with their change against the configured base."""
    specs: list[tuple[str, str, Callable[[float], str], Callable[[float], str], str, str]] = [
        ("Required FTE", "required_fte", lambda v: formats.number(v, 1), lambda d: formats.number(d, 1), "inverse",
         "Required agent-hours (after shrinkage) in full-time equivalents."),
        ("Productive agent-hours", "productive_agent_hours", lambda v: formats.hours(v, 0),
         lambda d: formats.hours(d, 0), "inverse", "Agent-hours the queues need, before shrinkage."),
        ("Projected service level", "projected_service_level", formats.percent,
         lambda d: f"{formats.number(100 * d, 1)} pts", "normal",
         "Volume-weighted over the queue channels, if the requirement is staffed exactly."),
        ("Projected occupancy", "projected_occupancy", formats.percent,
         lambda d: f"{formats.number(100 * d, 1)} pts", "off", "Workload-weighted over the queue channels."),
        ("Estimated cost", "cost", lambda v: formats.money(v, currency), lambda d: formats.money(d, currency),
         "inverse", "Required agent-hours at each group's cheapest shift cost per hour; a solved schedule's cost "
                    "is on the Schedule page."),
    ]
    tiles = []
    for label, name, value, difference, color, help_text in specs:
        delta, same = (None, True) if not changed else _change(getattr(now, name) - getattr(base, name), difference)
        tiles.append(Tile(label, value(getattr(now, name)), delta, "off" if same else color,  # type: ignore[arg-type]
                          help_text))
    return tiles


# -- figures for people ---------------------------------------------------------------------------------------

def status_banner(summary: PlanSummary) -> str:
    """Show a plan's status (:meth:`PlanSummary.verdict`, the line ``wfm plan`` logs and ``report.html`` heads
    with) as one banner above its figures, and return its text."""
    text = summary.verdict()
    if summary.meets_everything:
        st.success(literal(text), icon=":material/check_circle:")  # it quotes channel and group names
    else:
        st.error(literal(text), icon=":material/warning:")
    return text


def shown(frame: pd.DataFrame, formatters: dict[str, Callable[[Any], str]]) -> pd.DataFrame:
    """A table for people: the given columns formatted as text (``wfm.formats``), names in words."""
    out = frame.copy()
    for column, format_value in formatters.items():
        if column in out:
            out[column] = out[column].map(format_value).astype(str)
    return formats.labelled(out)


def headline(summary: PlanSummary, currency: str, *, stale: bool = False) -> None:
    """A plan's headline tiles (the Schedule and Exports pages show the same tiles, from the same summary)."""
    mark = " (stale)" if stale else ""
    cols = st.columns(5)
    cols[0].metric(f"Paid hours{mark}", formats.hours(summary.paid_hours, 0))
    cols[1].metric(f"Cost{mark}", formats.money(summary.cost, currency),
                   help="Paid hours times each shift's hourly cost, from the solved schedule")
    cols[2].metric(f"Required agent-hours{mark}", formats.hours(summary.required_agent_hours, 0),
                   help="Agents the forecast needs, after shrinkage, summed over the week")
    cols[3].metric(f"Scheduled agent-hours{mark}", formats.hours(summary.scheduled_agent_hours, 0),
                   help="Agents on shift, net of breaks, summed over the week")
    # Two decimals just under 100%: a short week never reads "100.0%".
    cols[4].metric(f"Coverage{mark}", formats.percent(summary.coverage, 2 if 0.9995 <= summary.coverage < 1 else 1),
                   help="1 − short agent-hours ÷ required agent-hours")
