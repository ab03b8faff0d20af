"""Runs and scenarios, stored through SQLAlchemy in SQLite (default) or PostgreSQL.

A **run** is one batch export of a planning week; a **scenario** is a named base config plus what-if
modifiers and, once computed, its results. Both live in one database so that they survive restarts and
are shared by everyone using it: a SQLite file by default, a PostgreSQL database when the URL names one.

The URL is decided in one place, :func:`resolve_url`, for the command line, scenarios and the dashboard
alike: an explicit URL (``--database``), else the ``WFM_DATABASE_URL`` environment variable, else the
config's ``[storage] url``, else ``sqlite:///wfm.db`` (a file in the working folder). ``postgresql://`` URLs
use psycopg 3.

The schema is created and upgraded on first use: :data:`MIGRATIONS` is an ordered list of small steps,
and the ``schema_version`` table records which have run. Pending steps run in one transaction, behind a
lock, so several processes opening a new database at once upgrade it exactly once.

Several processes may write at the same moment: SQLite runs in WAL mode with a busy timeout and takes
its write lock at the start of each write transaction, and saving a scenario is a single atomic
``INSERT ... ON CONFLICT DO UPDATE`` on both databases. (WAL needs the SQLite file on a local disk, not
a network share; use PostgreSQL to share a store across machines.)

A run that ends ``ok`` stores the forecast it issued (:meth:`Store.finish_run` with ``forecast``): every
interval's expected volume with its 80% band, per channel, in the same transaction as the run's end, so that
:mod:`wfm.planning.accuracy` can score it against the actuals that arrive later (:meth:`Store.issued_forecasts`).

A run records the process that runs it (pid and host). A run left ``running`` by a process that no longer
exists (killed by SIGKILL, or the machine restarted) is shown as failed ("abandoned: ...") by every read on
that host, and marked so in the database by the next :meth:`Store.start_run` there. Runs of other hosts, and
runs recorded before schema version 2, cannot be checked and stay as they are.

A SQLite store that cannot be written here (its folder or file is read-only) is opened read-only when its
schema is current: it can be listed and read, and every write fails with a message saying why.

Every failure the user can cause raises :class:`~wfm.errors.StoreError`, naming the database URL (password
masked) and the fix.

Examples
--------
>>> with Store.open("sqlite:///:memory:") as store:
...     saved = store.save_scenario("peak +10%", {"timezone": "Europe/London"}, {"volume_pct": 10})
...     store.save_scenario("peak +10%", saved.base_config, {"volume_pct": 12}).version
2
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import numbers
import os
import re
import socket
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from wfm.config import Config
from wfm.errors import StoreError
from wfm.plain import to_plain

#: Environment variable naming the database when :meth:`Store.open` gets no URL.
URL_ENV = "WFM_DATABASE_URL"
#: The database used when neither an argument, ``WFM_DATABASE_URL`` nor the config names one.
DEFAULT_URL = "sqlite:///wfm.db"

RunStatus = Literal["running", "ok", "failed"]

_BUSY_TIMEOUT_MS = 30_000
_CONNECT_TIMEOUT_SECONDS = 10
# Key of the PostgreSQL advisory lock that serialises schema upgrades (any constant bigint works).
_MIGRATION_LOCK = 0x77666D5F73746F72
_NAME_MAX = 200
_WEEK = re.compile(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])")
_SUPPORTED = ("sqlite", "postgresql")


@dataclass(frozen=True)
class RunRecord:
    """One batch export of a planning week.

    Attributes
    ----------
    id : int
        Run number, increasing in the order runs started.
    week : str
        ISO planning week, for example ``"2026-W48"``.
    status : {"running", "ok", "failed"}
        ``"running"`` until :meth:`Store.finish_run` is called; ``"failed"`` with a message starting
        ``"abandoned:"`` when its process ended without finishing it (see the module docstring).
    started_at, finished_at : datetime.datetime
        Timezone-aware (UTC); ``finished_at`` is None while running.
    exit_code : int or None
        Process exit code of the run, None while running.
    export_dir : pathlib.Path
        Folder the export is written to.
    config : Mapping
        The config used, as plain JSON data.
    summary : Mapping or None
        Paid hours, cost, service level per channel, solver status...; None while running.
    message : str or None
        Why a failed run failed.
    files : tuple of str
        The files written, as given to :meth:`Store.finish_run`.
    pid, host : int or None, str or None
        The process that ran it (None for runs recorded before schema version 2).
    """

    id: int
    week: str
    status: RunStatus
    started_at: dt.datetime
    finished_at: dt.datetime | None
    exit_code: int | None
    export_dir: Path
    config: Mapping[str, Any]
    summary: Mapping[str, Any] | None
    message: str | None
    files: tuple[str, ...]
    pid: int | None = None
    host: str | None = None


@dataclass(frozen=True)
class IssuedForecast:
    """The forecast a run issued, as stored with it.

    Attributes
    ----------
    run_id : int
        The run that issued it.
    week : str
        ISO planning week the forecast is for.
    issued_at : datetime.datetime
        When the run finished (UTC).
    config : Mapping
        The run's config, as plain JSON data (its ``timezone`` and ``interval_minutes`` frame the forecast).
    frame : pandas.DataFrame
        ``channel, interval_start, volume, volume_lo, volume_hi, model``, sorted by channel and interval, the
        interval starts in the config's timezone.
    """

    run_id: int
    week: str
    issued_at: dt.datetime
    config: Mapping[str, Any]
    frame: pd.DataFrame


#: The key of a stored scenario's modifiers that holds a capacity scenario's what-if.
CAPACITY_KEY = "capacity_plan"


@dataclass(frozen=True)
class ScenarioRecord:
    """A named base config with what-if modifiers and, once computed, its results.

    Attributes
    ----------
    id : int
        Stable identifier, kept when the scenario is saved again.
    name : str
        Unique name.
    description : str
        Free text, may be empty.
    base_config : Mapping
        The config the modifiers apply to, as plain JSON data.
    modifiers : Mapping
        What-if changes (volume %, AHT %, targets, shrinkage, ...).
    results : Mapping or None
        Results of the scenario, None until computed.
    version : int
        How many times the scenario was saved (1 when created).
    created_at, updated_at : datetime.datetime
        Timezone-aware (UTC): first and latest save.
    """

    id: int
    name: str
    description: str
    base_config: Mapping[str, Any]
    modifiers: Mapping[str, Any]
    results: Mapping[str, Any] | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def is_capacity(self) -> bool:
        """Whether this is a capacity scenario (:mod:`wfm.planning.capacity_scenarios`), else a weekly one."""
        return CAPACITY_KEY in self.modifiers


class _UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores it naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# JSON documents: JSONB on PostgreSQL, text on SQLite; Python None is SQL NULL, not JSON 'null'.
_Json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def _define_tables_v1(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """The ``runs`` and ``scenarios`` tables as schema version 1 creates them."""
    runs = sa.Table(
        "runs", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("week", sa.String(16), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", _UtcDateTime, nullable=False),
        sa.Column("finished_at", _UtcDateTime),
        sa.Column("exit_code", sa.Integer),
        sa.Column("export_dir", sa.Text, nullable=False),
        sa.Column("config", _Json, nullable=False),
        sa.Column("summary", _Json),
        sa.Column("message", sa.Text),
        sa.Column("files", _Json, nullable=False),
        sqlite_autoincrement=True,
    )
    scenarios = sa.Table(
        "scenarios", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(_NAME_MAX), nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("base_config", _Json, nullable=False),
        sa.Column("modifiers", _Json, nullable=False),
        sa.Column("results", _Json),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", _UtcDateTime, nullable=False),
        sa.Column("updated_at", _UtcDateTime, nullable=False),
        sqlite_autoincrement=True,
    )
    return runs, scenarios


# The current schema, used by the queries below. A migration that changes a table must change this too,
# and keep the frozen shape it started from for the earlier migration.
_metadata = sa.MetaData()
_schema_version = sa.Table(
    "schema_version", _metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", _UtcDateTime, nullable=False),
)
_runs, _scenarios = _define_tables_v1(_metadata)
_runs.append_column(sa.Column("pid", sa.Integer))  # version 2
_runs.append_column(sa.Column("host", sa.String(255)))  # version 2
_FORECAST_COLUMNS = ("channel", "interval_start", "volume", "volume_lo", "volume_hi", "model")


def _define_issued_forecasts(metadata: sa.MetaData) -> sa.Table:
    """The ``issued_forecasts`` table as schema version 3 creates it: one row per run, channel and interval."""
    return sa.Table(
        "issued_forecasts", metadata,
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("channel", sa.String(_NAME_MAX), primary_key=True),
        sa.Column("interval_start", _UtcDateTime, primary_key=True),
        sa.Column("volume", sa.Float, nullable=False),
        sa.Column("volume_lo", sa.Float),
        sa.Column("volume_hi", sa.Float),
        sa.Column("model", sa.String(_NAME_MAX)),
    )


_issued = _define_issued_forecasts(_metadata)


def _create_runs_and_scenarios(conn: Connection) -> None:
    """Version 1: the ``runs`` and ``scenarios`` tables."""
    metadata = sa.MetaData()
    _define_tables_v1(metadata)
    metadata.create_all(conn)


def _add_run_process(conn: Connection) -> None:
    """Version 2: the process running each run (``pid``, ``host``), so runs whose process died can be marked."""
    conn.execute(sa.text("ALTER TABLE runs ADD COLUMN pid INTEGER"))
    conn.execute(sa.text("ALTER TABLE runs ADD COLUMN host VARCHAR(255)"))


def _add_issued_forecasts(conn: Connection) -> None:
    """Version 3: the forecast each run issued (``issued_forecasts``), for the accuracy record."""
    metadata = sa.MetaData()
    sa.Table("runs", metadata, sa.Column("id", sa.Integer, primary_key=True))  # the foreign key's target
    _define_issued_forecasts(metadata).create(conn)


Migration = Callable[[Connection], None]

#: Schema migrations in order; step ``i`` (from 0) brings the database to version ``i + 1``.
#: Append new steps, never edit or reorder released ones.
MIGRATIONS: tuple[Migration, ...] = (_create_runs_and_scenarios, _add_run_process, _add_issued_forecasts)


def resolve_url(url: str | None = None, config: Config | None = None) -> str:
    """The database URL to use: ``url`` if given, else ``WFM_DATABASE_URL``, else the config's
    ``[storage] url``, else :data:`DEFAULT_URL`."""
    return url or os.environ.get(URL_ENV) or (config.storage.url if config else None) or DEFAULT_URL


def _mask(url: str) -> str:
    """A URL string with its password replaced by ``***``, for messages (also when it does not parse)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _parse_url(url: str) -> sa.URL:
    """Parse and normalise a URL: psycopg 3 for PostgreSQL, an absolute path for a SQLite file."""
    try:
        parsed = sa.make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"{_mask(url)}: not a database URL; use sqlite:///PATH/wfm.db or "
                         f"postgresql://USER:PASSWORD@HOST:5432/DATABASE (set {URL_ENV})") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in _SUPPORTED:
        raise StoreError(f"{_mask(url)}: unsupported database {backend!r}; use sqlite:///PATH/wfm.db or "
                         f"postgresql://USER:PASSWORD@HOST:5432/DATABASE (set {URL_ENV})")
    database = parsed.database
    if backend == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        # Pin the file now: a later change of working folder must not switch databases.
        parsed = parsed.set(database=str(Path(database).expanduser().resolve()))
    return parsed


def _read_only_url(url: sa.URL) -> sa.URL | None:
    """A URL reading a SQLite file read-only when this process cannot write the file or its folder, else None.

    A WAL database needs its ``-shm`` file even to be read; in a read-only folder it cannot be created, so the
    file is opened ``immutable`` (nobody can write it there either) unless a ``-wal`` file holds changes.
    """
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    if not path.is_file() or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    query = {**url.query, "mode": "ro", "uri": "true"}
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        query["immutable"] = "1"
    return url.set(database="file:" + urllib.parse.quote(str(path)), query=query)


def _fix_for(backend: str) -> str:
    """The usual fix when a database cannot be opened or written."""
    if backend == "sqlite":
        return (f"check that the folder exists and is writable and that the file is a wfm database, "
                f"or set {URL_ENV} to another database")
    return (f"check that the PostgreSQL server is running and that the host, port, user, password and "
            f"database in the URL are right, or set {URL_ENV} to another database")


def _create_engine(url: sa.URL) -> Engine:
    """An engine with the SQLite concurrency settings, or a PostgreSQL engine with a connect timeout."""
    json_dumps = functools.partial(json.dumps, allow_nan=False)
    masked = url.render_as_string(hide_password=True)
    try:
        if url.get_backend_name() == "sqlite":
            engine = sa.create_engine(url, json_serializer=json_dumps)
            sa.event.listen(engine, "connect", _on_sqlite_connect)
            sa.event.listen(engine, "begin", _on_sqlite_begin)
            return engine
        return sa.create_engine(url, json_serializer=json_dumps, pool_pre_ping=True,
                                connect_args={"connect_timeout": _CONNECT_TIMEOUT_SECONDS})
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"{masked}: the database driver is not installed ({exc}); use "
                         "postgresql+psycopg:// (psycopg 3 is installed with wfm) or sqlite:///PATH") from None
    except (ArgumentError, TypeError, ValueError) as exc:
        raise StoreError(f"{masked}: invalid database URL ({exc}); {_fix_for(url.get_backend_name())}") from None


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Wait for locks instead of failing, use WAL, and let SQLAlchemy emit BEGIN (see ``_on_sqlite_begin``)."""
    # isolation_level None stops the sqlite3 module from issuing its own BEGIN/COMMIT around DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    """Start write transactions with the write lock already held, so they wait (busy timeout), never deadlock."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("wfm_write") else "BEGIN")


def _current_version(conn: Connection) -> int:
    """The schema version recorded in the database, 0 when it has none yet."""
    if not sa.inspect(conn).has_table(_schema_version.name):
        return 0
    return conn.scalar(sa.select(sa.func.max(_schema_version.c.version))) or 0


def _migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS, *, read_only: str | None = None) -> int:
    """Bring the schema up to ``len(migrations)`` in one transaction, behind a lock; return that version.

    ``read_only`` names why the database cannot be written here: then an outdated schema is an error.
    """
    target = len(migrations)
    with engine.connect() as conn:
        # Up to date: done without taking a write lock, so read-only users can open the store too.
        current = _current_version(conn)
    if current < target and read_only:
        raise StoreError(f"{read_only}; its schema is at version {current} and this wfm needs version {target}: "
                         "open it once with write access (any wfm command upgrades it), or set "
                         f"{URL_ENV} to another database")
    if current < target:
        with engine.connect() as conn:
            conn.execution_options(wfm_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                _schema_version.create(conn, checkfirst=True)
                current = _current_version(conn)  # another process may have upgraded meanwhile
                for version, step in enumerate(migrations[current:], start=current + 1):
                    step(conn)
                    conn.execute(sa.insert(_schema_version).values(version=version, applied_at=_now()))
    if current > target:
        raise StoreError(f"{engine.url.render_as_string(hide_password=True)}: the database schema is at version "
                         f"{current}, newer than this wfm knows ({target}); upgrade wfm, or use another database")
    return target


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _plain(value: Any, path: str) -> Any:
    """A JSON-ready copy of ``value`` (:func:`wfm.plain.to_plain`); infinities and unstorable types are refused."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StoreError(f"{path}: keys must be strings, got {key!r}; convert them with str()")
            out[key] = _plain(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, numbers.Real) and math.isinf(float(value)):
        raise StoreError(f"{path}: cannot store an infinite number; store None or a finite value instead")
    if value is None or isinstance(value, str | numbers.Real | np.bool_):
        return to_plain(value)
    raise StoreError(f"{path}: cannot store a {type(value).__name__} as JSON; "
                     "convert it to a str, number, bool, list or dict first")


def _document(value: Mapping[str, Any], path: str) -> dict[str, Any]:
    """A JSON-ready copy of a mapping (a config, summary, modifiers or results)."""
    if not isinstance(value, Mapping):
        raise StoreError(f"{path}: must be a mapping (dict), got {type(value).__name__}")
    return dict(_plain(value, path))


def _forecast_rows(run_id: int, forecast: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``issued_forecasts`` for a forecast frame (NaN bounds stored as null)."""
    missing = [name for name in _FORECAST_COLUMNS if name not in forecast.columns]
    if missing:
        raise StoreError(f"forecast: missing column(s) {', '.join(missing)}; pass the forecast contract "
                         "(ForecastResult.frame)")
    rows = forecast.loc[:, list(_FORECAST_COLUMNS)].astype(object)
    rows = rows.where(rows.notna(), None)
    rows["interval_start"] = [stamp.to_pydatetime() for stamp in forecast["interval_start"]]
    rows["run_id"] = run_id
    return [{**row, "volume": float(row["volume"])} for row in rows.to_dict(orient="records")]


def check_scenario_name(name: str) -> str:
    """``name`` if it can name a scenario (1 to 200 characters, no leading or trailing spaces), else StoreError."""
    if not isinstance(name, str) or not name.strip() or name != name.strip() or len(name) > _NAME_MAX:
        raise StoreError(f"scenario name must be 1 to {_NAME_MAX} characters, without leading or trailing "
                         f"spaces, got {name!r}")
    return name


def _process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _abandoned(row: sa.Row[Any]) -> bool:
    """A run still ``running`` whose process, on this host, is gone."""
    return (row.status == "running" and row.pid is not None and row.host == socket.gethostname()
            and row.pid != os.getpid() and not _process_alive(row.pid))


def _abandoned_message(pid: int, host: str) -> str:
    return (f"abandoned: its process (pid {pid} on {host}) ended without recording how the run ended "
            "(killed, or the machine restarted); the export of that run may be missing, run the week again")


def _run_record(row: sa.Row[Any]) -> RunRecord:
    status, message = row.status, row.message
    if _abandoned(row):
        status, message = "failed", _abandoned_message(row.pid, row.host)
    return RunRecord(
        id=row.id, week=row.week, status=status, started_at=row.started_at, finished_at=row.finished_at,
        exit_code=row.exit_code, export_dir=Path(row.export_dir), config=row.config, summary=row.summary,
        message=message, files=tuple(row.files), pid=row.pid, host=row.host,
    )


def _scenario_record(row: sa.Row[Any]) -> ScenarioRecord:
    return ScenarioRecord(
        id=row.id, name=row.name, description=row.description, base_config=row.base_config,
        modifiers=row.modifiers, results=row.results, version=row.version, created_at=row.created_at,
        updated_at=row.updated_at,
    )


class Store:
    """Runs and scenarios in one database; open it with :meth:`Store.open`.

    A store holds a small connection pool: close it (or use it as a context manager) when done.
    """

    def __init__(self, engine: Engine, *, read_only_path: Path | None = None) -> None:
        self._engine = engine
        self._backend = engine.dialect.name
        # The SQLite file opened read-only because this process cannot write it (see _read_only_url).
        self._read_only_path = read_only_path

    @classmethod
    def open(cls, url: str | None = None, config: Config | None = None) -> Store:
        """Open the store at ``url``, creating or upgrading its schema on first use.

        Parameters
        ----------
        url : str, optional
            A SQLAlchemy URL: ``sqlite:///PATH`` (relative to the working folder) or
            ``postgresql://USER:PASSWORD@HOST:PORT/DATABASE``. Defaults to ``WFM_DATABASE_URL``, then
            the ``config``'s ``[storage] url``, then ``sqlite:///wfm.db`` (see :func:`resolve_url`).
        config : Config, optional
            The config whose ``[storage] url`` names the store when neither ``url`` nor the environment does.

        Raises
        ------
        StoreError
            When the URL is invalid, the database cannot be reached or written, or its schema is newer
            than this version of wfm; the message names the URL (password masked) and the fix.
        """
        parsed = _parse_url(resolve_url(url, config))
        try:
            return cls._opened(_create_engine(parsed))
        except StoreError:
            reader = _read_only_url(parsed)
            if reader is None:
                raise
        # This process cannot write the SQLite file or its folder: read it (a current schema needs no writes).
        return cls._opened(_create_engine(reader), read_only_path=Path(str(parsed.database)))

    @classmethod
    def _opened(cls, engine: Engine, read_only_path: Path | None = None) -> Store:
        store = cls(engine, read_only_path=read_only_path)
        try:
            why = None if read_only_path is None else (f"{store.url}: cannot open the store: it is read-only here "
                                                       f"(this user cannot write {read_only_path} or its folder)")
            with store._guard("open the store"):
                _migrate(engine, read_only=why)
        except BaseException:
            engine.dispose()
            raise
        return store

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        if self._read_only_path is not None:
            return f"sqlite:///{self._read_only_path}"
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only, because this process cannot write its SQLite file or folder."""
        return self._read_only_path is not None

    @property
    def schema_version(self) -> int:
        """The schema version of the database (``len(MIGRATIONS)`` once opened)."""
        with self._transaction("read the schema version") as conn:
            return _current_version(conn)

    def close(self) -> None:
        """Close the pooled connections (the store can be used again: it reconnects)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # -- runs ---------------------------------------------------------------------------------------------

    def start_run(self, week: str, config: Mapping[str, Any], export_dir: str | os.PathLike[str]) -> int:
        """Record the start of a batch export of ``week``; return the new run id.

        Parameters
        ----------
        week : str
            ISO planning week, for example ``"2026-W48"``.
        config : Mapping
            The config used, as plain data (``wfm.config.config_to_toml_dict``).
        export_dir : path
            Folder the export is written to.
        """
        if not isinstance(week, str) or not _WEEK.fullmatch(week):
            raise StoreError(f"week must be an ISO week such as '2026-W48', got {week!r}")
        values = {
            "week": week, "status": "running", "started_at": _now(), "export_dir": os.fspath(export_dir),
            "config": _document(config, "config"), "files": [], "pid": os.getpid(), "host": socket.gethostname(),
        }
        with self._transaction("record the run", write=True) as conn:
            self._mark_abandoned(conn)
            return int(conn.execute(sa.insert(_runs).values(values).returning(_runs.c.id)).scalar_one())

    def _mark_abandoned(self, conn: Connection) -> None:
        """Record as failed the running runs of this host whose process is gone (see the module docstring)."""
        running = conn.execute(sa.select(_runs).where(_runs.c.status == "running",
                                                      _runs.c.host == socket.gethostname())).all()
        for row in running:
            if _abandoned(row):
                conn.execute(sa.update(_runs).where(_runs.c.id == row.id, _runs.c.status == "running").values(
                    status="failed", finished_at=_now(), message=_abandoned_message(row.pid, row.host)))

    def finish_run(self, run_id: int, status: Literal["ok", "failed"], summary: Mapping[str, Any] | None,
                   exit_code: int, message: str | None = None,
                   files: Sequence[str | os.PathLike[str]] = (), forecast: pd.DataFrame | None = None,
                   ) -> RunRecord:
        """Record how a running run ended, with the forecast it issued; return the finished run.

        Parameters
        ----------
        run_id : int
            Id returned by :meth:`start_run`.
        status : {"ok", "failed"}
            Outcome of the run.
        summary : Mapping or None
            Paid hours, cost, service level per channel, solver status...; NaN values are stored as null.
        exit_code : int
            Process exit code of the run.
        message : str, optional
            Why the run failed.
        files : sequence of paths
            The files written.
        forecast : pandas.DataFrame, optional
            The forecast the run issued (the forecast contract; ``channel, interval_start, volume, volume_lo,
            volume_hi, model`` are stored), recorded in the same transaction; only with status ``"ok"``.

        Raises
        ------
        StoreError
            When the run does not exist or has already finished.
        """
        if status not in ("ok", "failed"):
            raise ValueError(f"status must be 'ok' or 'failed', got {status!r}")
        if forecast is not None and status != "ok":
            raise ValueError("only a run that ends 'ok' issued a forecast; pass forecast=None")
        rows = [] if forecast is None else _forecast_rows(run_id, forecast)
        values = {
            "status": status, "finished_at": _now(), "exit_code": int(exit_code), "message": message,
            "summary": None if summary is None else _document(summary, "summary"),
            "files": [os.fspath(file) for file in files],
        }
        with self._transaction("record the end of the run", write=True) as conn:
            row = conn.execute(
                sa.update(_runs).where(_runs.c.id == run_id, _runs.c.status == "running").values(values)
                .returning(*_runs.c)
            ).one_or_none()
            if row is None:
                previous = conn.scalar(sa.select(_runs.c.status).where(_runs.c.id == run_id))
                if previous is None:
                    raise StoreError(self._run_not_found(conn, run_id))
                raise StoreError(f"run {run_id} has already finished ({previous}); start a new run instead")
            if rows:
                conn.execute(sa.insert(_issued), rows)
            return _run_record(row)

    def issued_forecasts(self, weeks: Sequence[str] | None = None) -> tuple[IssuedForecast, ...]:
        """The forecast in force for each week: that of the week's latest ``ok`` run that stored one.

        Parameters
        ----------
        weeks : sequence of str, optional
            ISO weeks to read (default every week with an issued forecast).

        Returns
        -------
        tuple of IssuedForecast
            Oldest week first.
        """
        query = (sa.select(_runs.c.id, _runs.c.week, _runs.c.finished_at, _runs.c.config)
                 .where(_runs.c.status == "ok", sa.exists().where(_issued.c.run_id == _runs.c.id))
                 .order_by(_runs.c.id.desc()))
        if weeks is not None:
            query = query.where(_runs.c.week.in_(list(weeks)))
        with self._transaction("read the issued forecasts") as conn:
            latest: dict[str, Any] = {}
            for row in conn.execute(query):
                latest.setdefault(row.week, row)
            issued = []
            for week in sorted(latest):
                row = latest[week]
                stored = conn.execute(sa.select(*(_issued.c[name] for name in _FORECAST_COLUMNS))
                                      .where(_issued.c.run_id == row.id)
                                      .order_by(_issued.c.channel, _issued.c.interval_start)).all()
                frame = pd.DataFrame(stored, columns=list(_FORECAST_COLUMNS))
                frame["interval_start"] = (pd.to_datetime(frame["interval_start"], utc=True)
                                           .dt.tz_convert(row.config["timezone"]))
                for column in ("volume", "volume_lo", "volume_hi"):
                    frame[column] = frame[column].astype(float)
                issued.append(IssuedForecast(run_id=row.id, week=row.week, issued_at=row.finished_at,
                                             config=row.config, frame=frame))
        return tuple(issued)

    def list_runs(self, limit: int = 50, week: str | None = None) -> tuple[RunRecord, ...]:
        """The latest ``limit`` runs, newest first, optionally only those of one ``week``."""
        query = sa.select(_runs).order_by(_runs.c.id.desc()).limit(limit)
        if week is not None:
            query = query.where(_runs.c.week == week)
        with self._transaction("list runs") as conn:
            return tuple(_run_record(row) for row in conn.execute(query))

    def get_run(self, run_id: int) -> RunRecord:
        """The run with id ``run_id``.

        Raises
        ------
        StoreError
            When there is no such run; the message names the latest run ids.
        """
        with self._transaction("read the run") as conn:
            row = conn.execute(sa.select(_runs).where(_runs.c.id == run_id)).one_or_none()
            if row is None:
                raise StoreError(self._run_not_found(conn, run_id))
            return _run_record(row)

    def _run_not_found(self, conn: Connection, run_id: int) -> str:
        latest = conn.scalars(sa.select(_runs.c.id).order_by(_runs.c.id.desc()).limit(5)).all()
        known = ", ".join(str(i) for i in latest) if latest else "none yet (runs are recorded by `wfm plan`)"
        return f"run {run_id} not found in {self.url}; latest runs: {known}"

    # -- scenarios ----------------------------------------------------------------------------------------

    def save_scenario(self, name: str, base_config: Mapping[str, Any], modifiers: Mapping[str, Any],
                      results: Mapping[str, Any] | None = None, description: str = "") -> ScenarioRecord:
        """Create the scenario ``name``, or update it if it exists; return it as saved.

        Saving an existing name replaces its description, config, modifiers and results, keeps its id and
        ``created_at``, and counts one more ``version``. Concurrent saves are atomic: none is lost.

        Parameters
        ----------
        name : str
            Unique name, 1 to 200 characters.
        base_config : Mapping
            The config the modifiers apply to, as plain data.
        modifiers : Mapping
            What-if changes, for example ``{"volume_pct": 10, "aht_pct": -5}``.
        results : Mapping, optional
            Results, None until computed; NaN values are stored as null.
        description : str
            Free text.
        """
        now = _now()
        values = {
            "name": check_scenario_name(name), "description": description,
            "base_config": _document(base_config, "base_config"), "modifiers": _document(modifiers, "modifiers"),
            "results": None if results is None else _document(results, "results"),
            "version": 1, "created_at": now, "updated_at": now,
        }
        upsert = (sqlite.insert if self._backend == "sqlite" else postgresql.insert)(_scenarios).values(values)
        upsert = upsert.on_conflict_do_update(
            index_elements=[_scenarios.c.name],
            set_={
                "description": upsert.excluded.description,
                "base_config": upsert.excluded.base_config,
                "modifiers": upsert.excluded.modifiers,
                "results": upsert.excluded.results,
                "version": _scenarios.c.version + 1,
                "updated_at": upsert.excluded.updated_at,
            },
        )
        with self._transaction(f"save scenario {name!r}", write=True) as conn:
            return _scenario_record(conn.execute(upsert.returning(*_scenarios.c)).one())

    def list_scenarios(self) -> tuple[ScenarioRecord, ...]:
        """All scenarios, by name."""
        with self._transaction("list scenarios") as conn:
            return tuple(_scenario_record(row) for row in conn.execute(sa.select(_scenarios)
                                                                       .order_by(_scenarios.c.name)))

    def get_scenario(self, name: str) -> ScenarioRecord:
        """The scenario called ``name``.

        Raises
        ------
        StoreError
            When there is no such scenario; the message lists the known names.
        """
        with self._transaction(f"read scenario {name!r}") as conn:
            row = conn.execute(sa.select(_scenarios).where(_scenarios.c.name == name)).one_or_none()
            if row is None:
                raise StoreError(self._scenario_not_found(conn, name))
            return _scenario_record(row)

    def delete_scenario(self, name: str) -> None:
        """Delete the scenario called ``name``.

        Raises
        ------
        StoreError
            When there is no such scenario; the message lists the known names.
        """
        with self._transaction(f"delete scenario {name!r}", write=True) as conn:
            if conn.execute(sa.delete(_scenarios).where(_scenarios.c.name == name)).rowcount == 0:
                raise StoreError(self._scenario_not_found(conn, name))

    def _scenario_not_found(self, conn: Connection, name: str) -> str:
        names = conn.scalars(sa.select(_scenarios.c.name).order_by(_scenarios.c.name)).all()
        shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        known = shown or "none yet (create one with `wfm scenario create`)"
        return f"scenario {name!r} not found in {self.url}; known: {known}"

    # -- plumbing -----------------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[Connection]:
        """A connection inside one transaction (taking the SQLite write lock up front when ``write``)."""
        with self._guard(action), self._engine.connect() as conn:
            conn.execution_options(wfm_write=write)
            with conn.begin():
                yield conn

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn database errors into a StoreError naming the URL and the fix, without a traceback."""
        try:
            yield
        except SQLAlchemyError as exc:
            text = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip()
            reason = text.splitlines()[0] if text else type(exc).__name__
            password = self._engine.url.password
            if password:
                reason = reason.replace(str(password), "***")
            fix = _fix_for(self._backend)
            if self._read_only_path is not None and "readonly" in reason:
                fix = (f"the store is read-only here: this user cannot write {self._read_only_path} or its folder; "
                       f"ask for write access, or set {URL_ENV} to another database")
            elif "database is locked" in reason:
                fix = (f"another process held the database for over {_BUSY_TIMEOUT_MS / 1000:g} s; try again, "
                       "or use PostgreSQL when many people plan at once")
            raise StoreError(f"{self.url}: cannot {action}: {reason}; {fix}") from None
