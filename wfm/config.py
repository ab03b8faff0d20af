"""The TOML configuration, parsed into typed, frozen models.

A config describes the channels of a contact center and their service targets, shrinkage, the planning
grid (timezone and interval length), staff groups, shift templates with their break and days-off rules,
the forecast settings, solver settings and the storage URL. ``data/example.toml`` documents every key.

Load one with :func:`load_config` (a file) or :func:`parse_config` (a mapping). Any mistake raises
:class:`~wfm.errors.ConfigError` naming the key path and the fix, for example
``channels.voice.service_level: must be in (0, 1), got 1.5``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomlkit
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from wfm.errors import ConfigError
from wfm.weeks import check_interval_minutes, clock_minutes

ChannelKind = Literal["voice", "chat", "email", "backoffice"]
SolverName = Literal["auto", "cbc", "highs"]

#: Channel kinds served by a real-time queue (Erlang); the others are deferred work.
QUEUE_KINDS: frozenset[str] = frozenset({"voice", "chat"})
#: The bound of answer, patience and handle times, in seconds.
SECONDS_PER_DAY = 86_400
#: The most contacts a chat agent handles at once.
MAX_CONCURRENCY = 100
#: The longest forecast (and backtest) horizon in days, and the most backtest folds.
MAX_HORIZON_DAYS, MAX_BACKTEST_FOLDS = 366, 52


def _open_unit(value: float) -> float:
    if not 0.0 < value < 1.0:
        raise ValueError(f"must be in (0, 1), got {value:g}")
    return value


def _half_open_unit(value: float) -> float:
    if not 0.0 <= value < 1.0:
        raise ValueError(f"must be in [0, 1), got {value:g}")
    return value


def _occupancy(value: float) -> float:
    if not 0.0 < value <= 1.0:
        raise ValueError(f"must be in (0, 1], got {value:g}")
    return value


def _positive(value: float) -> float:
    if not value > 0:
        raise ValueError(f"must be > 0, got {value:g}")
    return value


def _non_negative(value: float) -> float:
    if not value >= 0:
        raise ValueError(f"must be >= 0, got {value:g}")
    return value


def _seconds_within_day(value: float) -> float:
    if not 0 < value <= SECONDS_PER_DAY:
        raise ValueError(f"must be > 0 and at most {SECONDS_PER_DAY} (a day), in seconds, got {value:g}")
    return value


def _parse_clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        minutes = clock_minutes(str(value)) if isinstance(value, str) else None
    except ValueError:
        minutes = None
    if minutes is None:
        raise ValueError(f"must be a clock time 'HH:MM', got {value!r}")
    return dt.time((minutes // 60) % 24, minutes % 60)  # 24:00 is midnight


ServiceLevel = Annotated[float, AfterValidator(_open_unit)]
Shrinkage = Annotated[float, AfterValidator(_half_open_unit)]
Occupancy = Annotated[float, AfterValidator(_occupancy)]
PositiveFloat = Annotated[float, AfterValidator(_positive)]
NonNegativeFloat = Annotated[float, AfterValidator(_non_negative)]
Seconds = Annotated[float, AfterValidator(_seconds_within_day)]
Clock = Annotated[dt.time, BeforeValidator(_parse_clock),
                  PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json")]


class _Model(BaseModel):
    # Every number finite: an infinite answer time or cost would make a plan silently meaningless.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ChannelConfig(_Model):
    """One channel: how its contacts are served and the target they are staffed to.

    Queue channels (``voice``, ``chat``) use ``service_level`` and ``answer_seconds`` (Erlang C, or
    Erlang A when ``patience_seconds`` is set); deferred channels (``email``, ``backoffice``) use
    ``response_hours``, counted in working hours between ``work_start`` and ``work_end``.
    """

    name: str
    kind: ChannelKind
    service_level: ServiceLevel | None = None
    answer_seconds: Seconds | None = None
    response_hours: PositiveFloat | None = None
    max_occupancy: Occupancy = 1.0
    concurrency: int = Field(default=1, ge=1, le=MAX_CONCURRENCY)
    patience_seconds: Seconds | None = None
    shrinkage: Shrinkage | None = None
    work_start: Clock = dt.time(8, 0)
    work_end: Clock = dt.time(20, 0)

    @model_validator(mode="after")
    def _targets_match_kind(self) -> ChannelConfig:
        if self.kind in QUEUE_KINDS:
            for key in ("service_level", "answer_seconds"):
                if getattr(self, key) is None:
                    raise ValueError(f"{key}: required for a {self.kind} channel (for example 0.8 and 20)")
            if self.kind == "voice" and self.concurrency != 1:
                raise ValueError("concurrency: only chat channels handle several contacts at once; use 1")
        else:
            if self.response_hours is None:
                raise ValueError(f"response_hours: required for a {self.kind} channel (for example 24)")
            if self.patience_seconds is not None:
                raise ValueError(f"patience_seconds: a {self.kind} channel has no queue to abandon; remove it")
            if self.work_start == self.work_end:
                raise ValueError("work_end: must differ from work_start")
        return self

    @property
    def is_queue(self) -> bool:
        """True for real-time queue channels (voice, chat) staffed with Erlang formulas."""
        return self.kind in QUEUE_KINDS


class BreakRule(_Model):
    """A break given to shifts long enough for it.

    Either a single break lying between ``earliest_after_hours`` and ``latest_after_hours`` after the
    shift start (a lunch), or, with ``every_hours``, one break per that many hours of shift: the k-th lies in
    the middle half of the k-th block of ``every_hours`` (for 4 hours: 1:00-3:00, then 5:00-7:00 after the
    start). Breaks of one shift must have disjoint windows, so an agent's breaks never collide.
    """

    name: str
    minutes: int = Field(gt=0)
    paid: bool = False
    min_shift_hours: NonNegativeFloat = 0.0
    earliest_after_hours: NonNegativeFloat | None = None
    latest_after_hours: NonNegativeFloat | None = None
    every_hours: PositiveFloat | None = None

    @model_validator(mode="after")
    def _one_placement(self) -> BreakRule:
        window = self.earliest_after_hours is not None or self.latest_after_hours is not None
        if window and self.every_hours is not None:
            raise ValueError("every_hours: give either a placement window or every_hours, not both")
        if not window and self.every_hours is None:
            raise ValueError("earliest_after_hours: give a placement window (earliest/latest_after_hours) "
                             "or every_hours")
        if window:
            if self.earliest_after_hours is None or self.latest_after_hours is None:
                raise ValueError("latest_after_hours: give both earliest_after_hours and latest_after_hours")
            if self.latest_after_hours < self.earliest_after_hours:
                raise ValueError(f"latest_after_hours: must be >= earliest_after_hours "
                                 f"({self.earliest_after_hours}), got {self.latest_after_hours}")
        return self


class DaysOffRule(_Model):
    """A weekly days-off pattern: ``working_days`` of 7, the days off consecutive or not.

    Patterns repeat every week (the week wraps around: Sunday and Monday are consecutive days off).
    """

    working_days: int = Field(default=5, ge=1, le=7)
    consecutive_off: bool = True


class ShiftTemplate(_Model):
    """Shifts a staff group may work: start window and step, lengths, breaks, days off and cost.

    Starts run from ``earliest_start`` to ``latest_start`` (a window may wrap past midnight, e.g. 22:00 to
    02:00); ``lengths_hours`` include unpaid breaks; ``cost_per_hour`` is per paid hour. ``min_count`` and
    ``max_count`` bound the number of shifts of this template on each day of the plan.
    """

    name: str
    group: str
    earliest_start: Clock = dt.time(6, 0)
    latest_start: Clock = dt.time(14, 0)
    start_step_minutes: int = Field(default=15, gt=0)
    lengths_hours: tuple[PositiveFloat, ...] = (8.0,)
    cost_per_hour: NonNegativeFloat = 20.0
    min_count: int = Field(default=0, ge=0)
    max_count: int | None = Field(default=None, ge=0)
    breaks: tuple[str, ...] | None = None
    days_off: DaysOffRule | None = None

    @field_validator("lengths_hours")
    @classmethod
    def _lengths_given(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if not value:
            raise ValueError("must list at least one shift length in hours, for example [8]")
        if any(length > 24 for length in value):
            raise ValueError(f"shift lengths must be at most 24 hours, got {max(value)}")
        return value

    @model_validator(mode="after")
    def _counts_ordered(self) -> ShiftTemplate:
        if self.max_count is not None and self.max_count < self.min_count:
            raise ValueError(f"max_count: must be >= min_count ({self.min_count}), got {self.max_count}")
        return self


class StaffGroup(_Model):
    """Agents who serve the same channels; its requirement is the sum of its channels'.

    ``headcount_cap`` bounds the agents on shift in any one interval; ``budget_cap`` bounds the paid cost per
    week (pro rata for plans that are not one week long). With a cap the scheduler covers what it can and
    lists the intervals left short.
    """

    name: str
    channels: tuple[str, ...]
    headcount_cap: int | None = Field(default=None, ge=0)
    budget_cap: NonNegativeFloat | None = None


class ForecastEvent(_Model):
    """A custom event: an uplift on volume, or days treated like a Sunday."""

    name: str
    start: dt.date
    end: dt.date
    uplift: float = 0.0
    like_sunday: bool = False
    channels: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ForecastEvent:
        if self.end < self.start:
            raise ValueError(f"end: must be on or after start ({self.start}), got {self.end}")
        if self.uplift <= -1.0:
            raise ValueError(f"uplift: must be > -1 (a fraction, -0.2 for 20% fewer contacts), got {self.uplift}")
        return self


class ForecastSettings(_Model):
    """How forecasts are made: model choice, horizon, backtest folds, holidays and events."""

    model: str = "auto"
    horizon_days: int = Field(default=14, gt=0, le=MAX_HORIZON_DAYS)
    backtest_folds: int = Field(default=4, gt=0, le=MAX_BACKTEST_FOLDS)
    backtest_horizon_days: int = Field(default=14, gt=0, le=MAX_HORIZON_DAYS)
    country: str | None = None
    region: str | None = None
    events: tuple[ForecastEvent, ...] = ()
    outlier_dates: tuple[dt.date, ...] = ()
    #: Handle time used when the history has no ``aht_seconds`` column.
    default_aht_seconds: Seconds | None = None
    #: Where channels and backtest folds run: local processes, or the Dask scheduler at ``scheduler``.
    backend: Literal["local", "dask"] = "local"
    scheduler: str | None = None

    @model_validator(mode="after")
    def _scheduler_named(self) -> ForecastSettings:
        if self.backend == "dask" and not self.scheduler:
            raise ValueError("scheduler: backend 'dask' needs the address of a running Dask scheduler, "
                             "for example scheduler = \"tcp://HOST:8786\"")
        return self


class SolverSettings(_Model):
    """The LP/MIP solver, its time limit and the relative gap at which it may stop.

    ``time_limit_seconds`` bounds the shift model's solve, and again the rostering of named agents.
    """

    backend: SolverName = "auto"
    time_limit_seconds: PositiveFloat = 60.0
    gap: Annotated[float, AfterValidator(_half_open_unit)] = 0.01


#: The start-time band by default: all of an agent's start times in a plan lie within 6 hours of each other (an
#: early and a late shift, 8 hours apart, never in one week).
DEFAULT_START_BAND_MINUTES = 360


class RosterSettings(_Model):
    """Rules for rostering named agents (``[roster]``).

    ``start_band_minutes`` is how far apart an agent's start times may lie across the plan (0: the same start
    every day; at most 1440, a day); the rostering also prefers the closest starts within it.
    """

    start_band_minutes: int = Field(default=DEFAULT_START_BAND_MINUTES, ge=0, le=24 * 60)


class StorageSettings(_Model):
    """Where runs and scenarios are stored (a SQLAlchemy URL); None leaves it to ``WFM_DATABASE_URL`` or the
    store's default (``wfm.planning.store.resolve_url``)."""

    url: str | None = None


#: The longest capacity plan, in weeks (a year and a half).
MAX_CAPACITY_WEEKS = 78


def _productivity(value: float) -> float:
    if not 0.0 < value <= 1.0:
        raise ValueError(f"must be in (0, 1] (a share of a trained agent's output), got {value:g}")
    return value


class CapacityGroup(_Model):
    """A staff group's supply rules in a capacity plan: monthly attrition and the salary of an FTE."""

    monthly_attrition: Annotated[float, AfterValidator(_half_open_unit)] = 0.02
    #: Paid cost of one FTE for a week; default ``fte_hours_per_week`` x the group's shift ``cost_per_hour``.
    salary_per_fte_week: NonNegativeFloat | None = None


class CapacitySettings(_Model):
    """The long-term capacity plan: horizon, hiring rules, attrition and costs (``[capacity]``).

    A class of hires is decided now and starts ``lead_time_weeks`` or later; its hires train for
    ``training_weeks`` (paid, not productive), then work at ``nesting_productivity[k]`` of a trained agent in
    the k-th week after training, then fully.
    """

    horizon_weeks: int = Field(default=26, ge=1, le=MAX_CAPACITY_WEEKS)
    lead_time_weeks: int = Field(default=6, ge=0, le=MAX_CAPACITY_WEEKS)
    training_weeks: int = Field(default=4, ge=0, le=MAX_CAPACITY_WEEKS)
    nesting_productivity: tuple[Annotated[float, AfterValidator(_productivity)], ...] = (0.5, 0.75)
    min_class_size: int = Field(default=1, ge=1)
    max_class_size: int | None = Field(default=None, ge=1)
    max_classes_per_month: int | None = Field(default=None, ge=0)
    hire_fte: Annotated[float, AfterValidator(_occupancy)] = 1.0
    overtime_fraction: Annotated[float, AfterValidator(_half_open_unit)] = 0.0
    overtime_premium: Annotated[float, Field(ge=1.0)] = 1.5
    hiring_cost: NonNegativeFloat = 3000.0
    shortage_cost_per_fte_week: NonNegativeFloat = 2000.0
    groups: Mapping[str, CapacityGroup] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _class_sizes_ordered(self) -> CapacitySettings:
        if self.max_class_size is not None and self.max_class_size < self.min_class_size:
            raise ValueError(f"max_class_size: must be >= min_class_size ({self.min_class_size}), "
                             f"got {self.max_class_size}")
        return self

    def group(self, name: str) -> CapacityGroup:
        """A group's supply rules: its own table, else the defaults."""
        return self.groups.get(name) or CapacityGroup()


class Config(_Model):
    """A whole wfm configuration."""

    timezone: str
    interval_minutes: int = 15
    shrinkage: Shrinkage = 0.0
    fte_hours_per_week: PositiveFloat = 37.5
    currency: str = "USD"
    channels: Mapping[str, ChannelConfig]
    groups: Mapping[str, StaffGroup] = Field(default_factory=dict)
    breaks: Mapping[str, BreakRule] = Field(default_factory=dict)
    shifts: tuple[ShiftTemplate, ...] = ()
    forecast: ForecastSettings = ForecastSettings()
    solver: SolverSettings = SolverSettings()
    roster: RosterSettings = RosterSettings()
    storage: StorageSettings = StorageSettings()
    capacity: CapacitySettings = CapacitySettings()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r}; use a name such as 'Europe/London'") from None
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise ValueError(f"currency must be an ISO 4217 code of three capital letters such as 'GBP', got {value!r}")
        return value

    @field_validator("interval_minutes")
    @classmethod
    def _divides_day(cls, value: int) -> int:
        return check_interval_minutes(value)

    @field_validator("channels")
    @classmethod
    def _some_channels(cls, value: Mapping[str, ChannelConfig]) -> Mapping[str, ChannelConfig]:
        if not value:
            raise ValueError("define at least one channel, for example [channels.voice]")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Config:
        for name, group in self.groups.items():
            for channel in group.channels:
                if channel not in self.channels:
                    raise ConfigError(f"groups.{name}.channels: unknown channel {channel!r}; "
                                      f"known: {', '.join(self.channels)}")
        served = [c for g in self.groups.values() for c in g.channels]
        twice = sorted({c for c in served if served.count(c) > 1})
        if twice:
            raise ConfigError(f"groups: channel {twice[0]!r} is served by more than one group; "
                              "give each channel to exactly one group")
        for index, shift in enumerate(self.shifts):
            if shift.group not in self.groups:
                raise ConfigError(f"shifts[{index}].group: unknown staff group {shift.group!r}; "
                                  f"known: {', '.join(self.groups) or 'none (add [groups.NAME])'}")
            for rule in shift.breaks or ():
                if rule not in self.breaks:
                    raise ConfigError(f"shifts[{index}].breaks: unknown break rule {rule!r}; "
                                      f"known: {', '.join(self.breaks) or 'none (add [breaks.NAME])'}")
            if shift.start_step_minutes % self.interval_minutes:
                raise ConfigError(f"shifts[{index}].start_step_minutes: must be a multiple of "
                                  f"interval_minutes ({self.interval_minutes}), got {shift.start_step_minutes}")
            off_grid = [h for h in shift.lengths_hours if round(h * 60, 6) % self.interval_minutes]
            if off_grid:
                raise ConfigError(f"shifts[{index}].lengths_hours: must be multiples of interval_minutes "
                                  f"({self.interval_minutes} minutes), got {off_grid[0]} hours")
        for name in self.capacity.groups:
            if name not in self.groups:
                raise ConfigError(f"capacity.groups.{name}: unknown staff group {name!r}; "
                                  f"known: {', '.join(self.groups) or 'none (add [groups.NAME])'}")
        for name, break_rule in self.breaks.items():
            if break_rule.minutes % self.interval_minutes:
                raise ConfigError(f"breaks.{name}.minutes: must be a multiple of interval_minutes "
                                  f"({self.interval_minutes}), got {break_rule.minutes}")
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The planning timezone."""
        return ZoneInfo(self.timezone)

    def channel_shrinkage(self, channel: str) -> float:
        """Shrinkage for a channel: its own value if set, else the config-wide one."""
        own = self.channels[channel].shrinkage
        return self.shrinkage if own is None else own

    def group_of(self, channel: str) -> str | None:
        """The staff group serving a channel, or None when no group serves it."""
        return next((name for name, g in self.groups.items() if channel in g.channels), None)

    def break_rules(self, shift: ShiftTemplate) -> tuple[BreakRule, ...]:
        """The break rules that apply to a shift template (all rules when it names none)."""
        names = tuple(self.breaks) if shift.breaks is None else shift.breaks
        return tuple(self.breaks[n] for n in names)


def _named(section: Any, kind: str) -> Any:
    """Give each table of a ``[section.NAME]`` mapping its NAME as ``name``."""
    if not isinstance(section, Mapping):
        return section
    out = {}
    for key, value in section.items():
        if isinstance(value, Mapping):
            value = dict(value)
            given = value.setdefault("name", key)
            if given != key:
                raise ConfigError(f"{kind}.{key}.name: must match its table name {key!r}, got {given!r}")
        out[key] = value
    return out


def _format_error(error: Mapping[str, Any]) -> str:
    path = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in error["loc"])
    path = path.replace(".[", "[")
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if error["type"] == "finite_number":
        message = "Must be a finite number"
    if error["type"] == "extra_forbidden":
        message = "unknown key; check its spelling against data/example.toml"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif "input" in error and error["type"] not in ("value_error",) and not isinstance(error["input"], Mapping):
        message = f"{message[0].lower()}{message[1:]}, got {error['input']!r}"
    # A model validator reports a nested "key: message"; keep it in the path.
    if ": " in message and message.split(": ", 1)[0].replace("_", "").isalnum():
        key, message = message.split(": ", 1)
        path = f"{path}.{key}" if path else key
    return f"{path}: {message}" if path else message


def parse_config(data: Mapping[str, Any], source: str = "config") -> Config:
    """Validate a config mapping (as read from TOML) into a :class:`Config`.

    Raises
    ------
    ConfigError
        Naming ``source`` and the key path, e.g. ``channels.voice.service_level: must be in (0, 1), got 1.5``.
    """
    raw = dict(data)
    try:
        for key, kind in (("channels", "channels"), ("groups", "groups"), ("breaks", "breaks")):
            if key in raw:
                raw[key] = _named(raw[key], kind)
        return Config.model_validate(raw)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except ValidationError as exc:
        problems = [_format_error(e) for e in exc.errors()]
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:])})" if len(problems) > 1 else ""
        raise ConfigError(f"{source}: {problems[0]}{more}") from None


def _decode(path: Path, raw: bytes) -> str:
    """The config's text: UTF-8, with or without a byte-order mark; anything else is refused in one line."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ConfigError(f"{path}: the config is UTF-16 or UTF-32 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the config as "
                          "UTF-8 (TOML files must be UTF-8)") from None


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file.

    Raises
    ------
    ConfigError
        When the file is missing, is not UTF-8 text (a UTF-8 byte-order mark is fine), is not valid TOML, or
        holds an invalid value.
    """
    path = Path(path)
    try:
        text = _decode(path, path.read_bytes())
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; pass --config with an existing TOML file "
                          "(data/example.toml is an example)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, source=str(path))


def with_overrides(config: Config, *, model: str | None = None, time_limit_seconds: float | None = None,
                   backend: str | None = None, scheduler: str | None = None, source: str = "options") -> Config:
    """The config with the forecast model, backend and scheduler and the solver time limit replaced where given,
    validated again.

    The one place command-line and dashboard overrides of the config are applied.

    Raises
    ------
    ConfigError
        Naming ``source`` and the key, e.g. ``options: solver.time_limit_seconds: must be > 0, got -1``.
    """
    data = config_to_toml_dict(config)
    if model is not None:
        data.setdefault("forecast", {})["model"] = model
    if time_limit_seconds is not None:
        data.setdefault("solver", {})["time_limit_seconds"] = time_limit_seconds
    for key, value in (("backend", backend), ("scheduler", scheduler)):
        if value is not None:
            data.setdefault("forecast", {})[key] = value
    return config if data == config_to_toml_dict(config) else parse_config(data, source=source)


def parse_config_text(text: str, source: str = "config") -> Config:
    """A config from TOML text, validated as :func:`load_config` validates a file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return parse_config(data, source=source)


def edit_forecast_settings(text: str, changes: Mapping[str, Any], source: str = "forecast settings",
                           ) -> tuple[str, Config]:
    """The config text with keys of its ``[forecast]`` table replaced, and the config it now reads as.

    Comments and layout of the rest of the text are kept (an expert's TOML stays theirs); a value of None
    removes the key (its default applies). Dates may be given as ``datetime.date`` or ISO text. The new text is
    validated as a config file is, so a bad value raises :class:`ConfigError` naming ``forecast.<key>``.

    Examples
    --------
    >>> text, config = edit_forecast_settings(text, {"model": "ets", "country": None})  # doctest: +SKIP
    """
    unknown = sorted(set(changes) - set(ForecastSettings.model_fields))
    if unknown:
        raise ConfigError(f"{source}: forecast.{unknown[0]}: unknown setting; known: "
                          f"{', '.join(ForecastSettings.model_fields)}")
    parse_config_text(text, "config")  # the text being edited must already be a valid config
    document = tomlkit.parse(text)
    table = document.get("forecast")
    if table is None:
        table = tomlkit.table()
        document["forecast"] = table
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    edited = tomlkit.dumps(document)
    return edited, parse_config_text(edited, source)


def config_to_toml_dict(config: Config) -> dict[str, Any]:
    """The config as plain data (JSON/TOML-ready), for storing scenarios and showing in the dashboard."""
    return config.model_dump(mode="json", exclude_none=True)
