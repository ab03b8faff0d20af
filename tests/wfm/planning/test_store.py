"""The run and scenario store, for real: SQLite in a temporary folder always, PostgreSQL when
``WFM_TEST_POSTGRES_URL`` names a server (``.ci/run`` starts one), each test in a fresh schema."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from wfm.errors import StoreError
from wfm.planning.store import (
    DEFAULT_URL,
    MIGRATIONS,
    URL_ENV,
    RunRecord,
    ScenarioRecord,
    Store,
    _create_engine,
    _migrate,
    _parse_url,
    resolve_url,
)

PROJECT = Path(__file__).resolve().parents[3]
POSTGRES_ENV = "WFM_TEST_POSTGRES_URL"
CONFIG = {"timezone": "Europe/London", "interval_minutes": 15, "channels": {"voice": {"kind": "voice"}}}


def _postgres_url_in_new_schema() -> Iterator[str]:
    """A URL whose search_path is a schema of its own, dropped afterwards; skips without a server."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL store tests need {POSTGRES_ENV}, for example "
                    "postgresql+psycopg://wfm:wfm@localhost:5432/wfm_test (.ci/run starts a server and sets it)")
    schema = f"wfm_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_parse_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = _parse_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wfm.db'}"
    else:
        yield from _postgres_url_in_new_schema()


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store.open(url) as opened:
        yield opened


def _version_rows(url: str) -> list[int]:
    engine = _create_engine(_parse_url(url))
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.text("SELECT version FROM schema_version ORDER BY version")))
    finally:
        engine.dispose()


class TestSchema:
    def test_first_open_creates_the_schema_at_the_latest_version(self, store: Store, url: str) -> None:
        assert store.schema_version == len(MIGRATIONS)
        engine = _create_engine(_parse_url(url))
        try:
            assert {"schema_version", "runs", "scenarios"} <= set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def test_reopening_is_idempotent_and_keeps_data(self, url: str) -> None:
        with Store.open(url) as first:
            first.save_scenario("kept", CONFIG, {"volume_pct": 5})
        for _ in range(2):
            with Store.open(url) as again:
                assert again.get_scenario("kept").modifiers == {"volume_pct": 5}
        assert _version_rows(url) == list(range(1, len(MIGRATIONS) + 1))

    def test_database_at_the_previous_version_is_upgraded(self, url: str) -> None:
        engine = _create_engine(_parse_url(url))
        try:
            assert _migrate(engine, MIGRATIONS[:-1]) == len(MIGRATIONS) - 1
        finally:
            engine.dispose()
        with Store.open(url) as store:
            assert store.schema_version == len(MIGRATIONS)
            store.save_scenario("after upgrade", CONFIG, {})
        assert _version_rows(url) == list(range(1, len(MIGRATIONS) + 1))

    def test_a_new_migration_is_applied_once_and_keeps_data(self, store: Store, url: str) -> None:
        store.save_scenario("before", CONFIG, {"aht_pct": -5})

        def add_note(conn: sa.Connection) -> None:
            conn.execute(sa.text("ALTER TABLE scenarios ADD COLUMN note TEXT"))

        engine = _create_engine(_parse_url(url))
        try:
            migrations = (*MIGRATIONS, add_note)
            assert _migrate(engine, migrations) == len(MIGRATIONS) + 1
            assert _migrate(engine, migrations) == len(MIGRATIONS) + 1  # a second ALTER would fail
            columns = {c["name"] for c in sa.inspect(engine).get_columns("scenarios")}
        finally:
            engine.dispose()
        assert "note" in columns
        assert _version_rows(url) == list(range(1, len(MIGRATIONS) + 2))
        assert store.get_scenario("before").modifiers == {"aht_pct": -5}
        # This wfm knows one version fewer than the database now has: refuse rather than guess.
        with pytest.raises(StoreError, match=rf"schema is at version {len(MIGRATIONS) + 1}, newer .*upgrade wfm"):
            Store.open(url)

    def test_a_failing_migration_leaves_nothing_behind(self, store: Store, url: str) -> None:
        def half_done(conn: sa.Connection) -> None:
            conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
            raise RuntimeError("migration bug")

        engine = _create_engine(_parse_url(url))
        try:
            with pytest.raises(RuntimeError, match="migration bug"):
                _migrate(engine, (*MIGRATIONS, half_done))
            assert "half_done" not in sa.inspect(engine).get_table_names()
        finally:
            engine.dispose()
        assert store.schema_version == len(MIGRATIONS)


class TestRuns:
    def test_a_run_is_recorded_from_start_to_finish(self, store: Store) -> None:
        run_id = store.start_run("2026-W48", CONFIG, Path("out") / "2026-W48")
        running = store.get_run(run_id)
        assert (running.status, running.finished_at, running.exit_code, running.summary) == ("running", None, None,
                                                                                                None)
        summary = {"paid_hours": 1234.5, "cost": 24690.0, "service_level": {"voice": 0.81}, "solver": "optimal"}
        done = store.finish_run(run_id, "ok", summary, 0, files=[Path("roster.csv"), "coverage.csv"])
        assert isinstance(done, RunRecord)
        assert done == store.get_run(run_id)
        assert done.week == "2026-W48" and done.export_dir == Path("out/2026-W48")
        assert done.config == CONFIG and done.summary == summary
        assert done.files == ("roster.csv", "coverage.csv")
        assert done.started_at.tzinfo is not None and done.finished_at is not None
        assert done.started_at <= done.finished_at <= dt.datetime.now(dt.UTC)

    def test_a_failed_run_keeps_its_message(self, store: Store) -> None:
        run_id = store.start_run("2026-W49", CONFIG, "out/2026-W49")
        failed = store.finish_run(run_id, "failed", None, 3, message="voice: infeasible at Mon 08:30")
        assert (failed.status, failed.exit_code, failed.message, failed.summary) == (
            "failed", 3, "voice: infeasible at Mon 08:30", None)

    def test_runs_are_listed_newest_first(self, store: Store) -> None:
        ids = [store.start_run(week, CONFIG, f"out/{week}") for week in ("2026-W47", "2026-W48", "2026-W48")]
        assert [r.id for r in store.list_runs()] == ids[::-1]
        assert [r.id for r in store.list_runs(limit=2)] == ids[:0:-1]
        assert [r.id for r in store.list_runs(week="2026-W48")] == ids[:0:-1]

    def test_finishing_twice_or_an_unknown_run_is_refused(self, store: Store) -> None:
        run_id = store.start_run("2026-W48", CONFIG, "out")
        store.finish_run(run_id, "ok", {}, 0)
        with pytest.raises(StoreError, match=rf"run {run_id} has already finished \(ok\); start a new run"):
            store.finish_run(run_id, "failed", None, 1)
        with pytest.raises(StoreError, match=rf"run 999 not found in .*; latest runs: {run_id}$"):
            store.get_run(999)
        with pytest.raises(StoreError, match="run 999 not found"):
            store.finish_run(999, "ok", {}, 0)

    @pytest.mark.parametrize("week", ["2026-48", "2026-W54", "W48", ""])
    def test_a_bad_week_is_refused(self, store: Store, week: str) -> None:
        with pytest.raises(StoreError, match="ISO week such as '2026-W48'"):
            store.start_run(week, CONFIG, "out")

    def test_a_killed_run_is_shown_abandoned_then_marked_by_the_next_run(self, store: Store, url: str,
                                                                         tmp_path: Path) -> None:
        killed = subprocess.run([sys.executable, "-c", _KILLED_RUN, url], cwd=tmp_path, env=_env(),
                                capture_output=True, text=True, timeout=60)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        run_id = int(killed.stdout)
        assert _raw_status(url, run_id) == "running"
        shown = store.get_run(run_id)
        assert (shown.status, shown.host, shown.exit_code) == ("failed", socket.gethostname(), None)
        assert shown.message is not None and shown.message.startswith(f"abandoned: its process (pid {shown.pid} on ")
        assert store.list_runs()[0] == shown
        assert _raw_status(url, run_id) == "running"  # reading writes nothing

        next_id = store.start_run("2026-W48", CONFIG, "out")
        assert _raw_status(url, run_id) == "failed"
        marked = store.get_run(run_id)
        assert marked.message == shown.message and marked.finished_at is not None
        assert store.get_run(next_id).status == "running"  # this process is alive: its run is running
        assert (store.get_run(next_id).pid, store.get_run(next_id).host) == (os.getpid(), socket.gethostname())

    def test_a_run_of_another_host_is_left_running(self, store: Store, url: str) -> None:
        run_id = store.start_run("2026-W48", CONFIG, "out")
        engine = _create_engine(_parse_url(url))
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE runs SET host = 'elsewhere', pid = 2147483646 WHERE id = :id"),
                             {"id": run_id})
        finally:
            engine.dispose()
        store.start_run("2026-W49", CONFIG, "out")
        assert store.get_run(run_id).status == "running" and _raw_status(url, run_id) == "running"


class TestScenarios:
    def test_saving_a_name_again_updates_it_and_counts_versions(self, store: Store) -> None:
        first = store.save_scenario("peak", CONFIG, {"volume_pct": 10}, description="winter peak")
        assert isinstance(first, ScenarioRecord)
        assert (first.version, first.results, first.created_at) == (1, None, first.updated_at)
        results = {"paid_hours": 980.0, "service_level": {"voice": 0.8}}
        second = store.save_scenario("peak", CONFIG, {"volume_pct": 12}, results=results, description="revised")
        assert (second.id, second.created_at, second.version) == (first.id, first.created_at, 2)
        assert second.updated_at >= first.updated_at
        assert (second.modifiers, second.results, second.description) == ({"volume_pct": 12}, results, "revised")
        assert store.get_scenario("peak") == second

    def test_scenarios_are_listed_by_name_and_deleted(self, store: Store) -> None:
        for name in ("b", "a", "c"):
            store.save_scenario(name, CONFIG, {})
        assert [s.name for s in store.list_scenarios()] == ["a", "b", "c"]
        store.delete_scenario("b")
        assert [s.name for s in store.list_scenarios()] == ["a", "c"]

    def test_an_unknown_scenario_names_the_known_ones(self, store: Store) -> None:
        with pytest.raises(StoreError, match=r"scenario 'x' not found in .*; known: none yet \(create one with"):
            store.get_scenario("x")
        store.save_scenario("b", CONFIG, {})
        store.save_scenario("a", CONFIG, {})
        with pytest.raises(StoreError, match=r"scenario 'x' not found in .*; known: a, b$"):
            store.get_scenario("x")
        with pytest.raises(StoreError, match=r"scenario 'x' not found in .*; known: a, b$"):
            store.delete_scenario("x")

    @pytest.mark.parametrize("name", ["", "  ", " padded", "x" * 201])
    def test_a_bad_name_is_refused(self, store: Store, name: str) -> None:
        with pytest.raises(StoreError, match="scenario name must be 1 to 200 characters"):
            store.save_scenario(name, CONFIG, {})

    def test_saved_scenarios_are_seen_by_other_users_of_the_database(self, store: Store, url: str) -> None:
        with Store.open(url) as other:
            store.save_scenario("shared", CONFIG, {"shrinkage": 0.3})
            assert other.get_scenario("shared").modifiers == {"shrinkage": 0.3}
            other.delete_scenario("shared")
        assert store.list_scenarios() == ()


class TestJson:
    def test_values_round_trip_and_nan_becomes_null(self, store: Store) -> None:
        results = {
            "service_level": {"voice": 0.1 + 0.2, "email": math.nan},
            "agents": [np.int64(12), np.float64(3.5), np.bool_(True)],
            "solver": {"status": "optimal", "gap": 0.0, "nodes": 10**12, "tags": ("a", "b")},
        }
        saved = store.save_scenario("json", CONFIG, {"aht_pct": -2.5}, results=results)
        expected = {
            "service_level": {"voice": 0.1 + 0.2, "email": None},
            "agents": [12, 3.5, True],
            "solver": {"status": "optimal", "gap": 0.0, "nodes": 10**12, "tags": ["a", "b"]},
        }
        assert saved.results == expected
        read = store.get_scenario("json").results
        assert read == expected
        assert read is not None and type(read["agents"][0]) is int

    @pytest.mark.parametrize(("results", "message"), [
        ({"asa_seconds": {"voice": math.inf}}, r"results\.asa_seconds\.voice: cannot store an infinite number"),
        ({"by_day": {1: 2.0}}, r"results\.by_day: keys must be strings, got 1"),
        ({"when": dt.date(2026, 11, 23)}, r"results\.when: cannot store a date as JSON; convert it"),
    ])
    def test_unstorable_values_are_refused_with_their_path(self, store: Store, results: dict, message: str) -> None:
        with pytest.raises(StoreError, match=message):
            store.save_scenario("bad", CONFIG, {}, results=results)
        assert store.list_scenarios() == ()


_WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from wfm.planning.store import Store

    url, worker, count, sync = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    (sync / f"ready-{worker}").touch()
    while not (sync / "go").exists():
        time.sleep(0.001)
    with Store.open(url) as store:
        for i in range(count):
            store.save_scenario(f"w{worker}-{i:03d}", {"worker": worker}, {"volume_pct": i})
            store.save_scenario("shared", {"worker": worker}, {"volume_pct": i}, results={"i": i})
""")


_KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    from wfm.planning.store import Store

    store = Store.open(sys.argv[1])
    print(store.start_run("2026-W47", {}, "out"), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")])}


def _raw_status(url: str, run_id: int) -> str:
    engine = _create_engine(_parse_url(url))
    try:
        with engine.connect() as conn:
            return str(conn.scalar(sa.text("SELECT status FROM runs WHERE id = :id"), {"id": run_id}))
    finally:
        engine.dispose()


class TestConcurrency:
    def test_processes_saving_at_the_same_moment_lose_nothing(self, url: str, tmp_path: Path) -> None:
        workers, count = 4, 40
        sync = tmp_path / "sync"
        sync.mkdir()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")])}
        processes = [
            subprocess.Popen([sys.executable, "-c", _WORKER, url, str(worker), str(count), str(sync)],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for worker in range(workers)
        ]
        try:
            deadline = time.monotonic() + 30
            while len(list(sync.glob("ready-*"))) < workers and time.monotonic() < deadline:
                time.sleep(0.01)
            (sync / "go").touch()  # all workers open the new database and write at once
            outcomes = [(*p.communicate(timeout=45), p.returncode) for p in processes]
        finally:
            for process in processes:
                process.kill()
        for _stdout, stderr, code in outcomes:
            assert code == 0, stderr
            assert "locked" not in stderr
        with Store.open(url) as store:
            scenarios = {s.name: s for s in store.list_scenarios()}
            assert store.schema_version == len(MIGRATIONS)
        expected = {f"w{w}-{i:03d}" for w in range(workers) for i in range(count)} | {"shared"}
        assert set(scenarios) == expected
        assert scenarios["shared"].version == workers * count
        assert scenarios["w3-039"].modifiers == {"volume_pct": 39}


_READER = textwrap.dedent("""
    import sys
    from wfm.errors import StoreError
    from wfm.planning.store import Store

    try:
        store = Store.open(f"sqlite:///{sys.argv[1]}/wfm.db")
    except StoreError as exc:
        sys.exit(str(exc))
    print("read_only", store.read_only, store.url)
    print([s.name for s in store.list_scenarios()], [r.week for r in store.list_runs()])
    for write in (lambda: store.save_scenario("new", {}, {}), lambda: store.start_run("2026-W48", {}, "out")):
        try:
            write()
        except StoreError as exc:
            print(exc)
""")
#: The user a root test process reads the store as (root could write a read-only folder anyway).
NOBODY = 65534


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder to make read-only (by :func:`_as_reader`), outside pytest's private temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="wfm-read-only-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _as_reader(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with the folder as its argument) after making the folder and its files read-only, as a user
    who cannot write them: this user, or nobody when the tests run as root."""
    for file in folder.iterdir():
        file.chmod(0o444)
    folder.chmod(0o555)
    command = [sys.executable, "-c", code, str(folder)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, and no setpriv (util-linux) to read the store as another user")
        command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, cwd=folder, env=_env(), capture_output=True, text=True, timeout=60)


class TestOpening:
    def test_the_url_comes_from_the_argument_then_the_environment_then_the_default(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(URL_ENV, raising=False)
        assert resolve_url() == DEFAULT_URL == "sqlite:///wfm.db"
        monkeypatch.setenv(URL_ENV, "sqlite:///from-env.db")
        assert resolve_url() == "sqlite:///from-env.db"
        assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"

    def test_the_default_is_wfm_db_in_the_working_folder(self, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
        monkeypatch.delenv(URL_ENV, raising=False)
        monkeypatch.chdir(tmp_path)
        with Store.open() as store:
            assert store.url == f"sqlite:///{tmp_path.resolve() / 'wfm.db'}"
            monkeypatch.chdir(PROJECT)  # the file stays the one opened
            store.save_scenario("here", CONFIG, {})
        assert (tmp_path / "wfm.db").is_file()
        with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
            assert store.get_scenario("here").name == "here"

    def test_sqlite_waits_for_locks_in_wal_mode(self, tmp_path: Path) -> None:
        with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store, store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000

    def test_an_up_to_date_database_opens_read_only(self, tmp_path: Path) -> None:
        path = tmp_path / "wfm.db"
        with Store.open(f"sqlite:///{path}") as store:
            store.save_scenario("seen", CONFIG, {})
        with Store.open(f"sqlite:///file:{path}?mode=ro&uri=true") as reader:
            assert [s.name for s in reader.list_scenarios()] == ["seen"]
            with pytest.raises(StoreError, match="cannot save scenario 'new': attempt to write a readonly database"):
                reader.save_scenario("new", CONFIG, {})

    def test_a_store_in_a_read_only_folder_is_read_and_refuses_writes_clearly(self, read_only_folder: Path) -> None:
        path = read_only_folder / "wfm.db"
        with Store.open(f"sqlite:///{path}") as store:
            store.save_scenario("seen", CONFIG, {})
            store.start_run("2026-W47", CONFIG, "out")
        reader = _as_reader(read_only_folder, _READER)
        assert reader.returncode == 0, reader.stderr
        lines = reader.stdout.splitlines()
        assert lines[:2] == [f"read_only True sqlite:///{path}", "['seen'] ['2026-W47']"]
        fix = f"the store is read-only here: this user cannot write {path} or its folder; ask for write access"
        assert lines[2].startswith(f"sqlite:///{path}: cannot save scenario 'new': attempt to write a readonly "
                                   f"database; {fix}")
        assert lines[3].startswith(f"sqlite:///{path}: cannot record the run: attempt to write a readonly "
                                   f"database; {fix}")

    def test_a_read_only_store_whose_schema_is_outdated_is_named(self, read_only_folder: Path) -> None:
        path = read_only_folder / "wfm.db"
        engine = _create_engine(_parse_url(f"sqlite:///{path}"))
        try:
            _migrate(engine, MIGRATIONS[:1])
        finally:
            engine.dispose()
        reader = _as_reader(read_only_folder, _READER)
        assert reader.returncode == 1
        assert (f"sqlite:///{path}: cannot open the store: it is read-only here (this user cannot write {path} or "
                f"its folder); its schema is at version 1 and this wfm needs version {len(MIGRATIONS)}: open it "
                "once with write access") in reader.stderr

    def test_a_lock_held_too_long_is_reported_with_the_fix(self, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
        path = tmp_path / "wfm.db"
        monkeypatch.setattr("wfm.planning.store._BUSY_TIMEOUT_MS", 200)
        with Store.open(f"sqlite:///{path}") as store:
            holder = sqlite3.connect(path, isolation_level=None)
            try:
                holder.execute("BEGIN IMMEDIATE")
                with pytest.raises(StoreError, match=r"cannot save scenario 'late': database is locked; another "
                                                     r"process held the database for over 0.2 s; try again"):
                    store.save_scenario("late", CONFIG, {})
            finally:
                holder.close()
            assert store.list_scenarios() == ()

    @pytest.mark.parametrize(("url", "message"), [
        ("not a url", r"^not a url: not a database URL; use sqlite:///PATH/wfm.db or postgresql://"),
        ("mysql://me:secret@db/wfm", r"^mysql://me:\*\*\*@db/wfm: unsupported database 'mysql'; use sqlite"),
        ("postgresql+psycopg2://me:secret@db/wfm", r"driver is not installed .*; use postgresql\+psycopg://"),
        ("postgresql://me:secret@db:port/wfm", r"^postgresql://me:\*\*\*@db:port/wfm: not a database URL"),
        ("sqlite:///wfm.db?timeout=soon", r"^sqlite:///.*wfm.db\?timeout=soon: invalid database URL \(could not"),
    ])
    def test_a_bad_url_is_named_with_the_fix(self, url: str, message: str) -> None:
        with pytest.raises(StoreError, match=message) as caught:
            Store.open(url)
        assert "secret" not in str(caught.value)

    def test_an_unreachable_server_is_named_with_its_password_masked(self) -> None:
        with pytest.raises(StoreError) as caught:
            Store.open("postgresql://wfm:s3cret@127.0.0.1:1/wfm")
        message = str(caught.value)
        assert message.startswith("postgresql+psycopg://wfm:***@127.0.0.1:1/wfm: cannot open the store: ")
        assert "check that the PostgreSQL server is running" in message and "s3cret" not in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__

    def test_a_sqlite_file_in_a_missing_folder_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "missing" / "wfm.db"
        with pytest.raises(StoreError, match=rf"^sqlite:///{path}: cannot open the store: unable to open database "
                                             r"file; check that the folder exists and is writable"):
            Store.open(f"sqlite:///{path}")

    def test_a_file_that_is_not_a_database_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "wfm.db"
        path.write_bytes(b"this is not SQLite" * 100)
        with pytest.raises(StoreError, match=rf"^sqlite:///{path}: cannot open the store: file is not a database"):
            Store.open(f"sqlite:///{path}")


def test_issued_forecast_round_trips_and_the_latest_ok_run_is_in_force(store: Store) -> None:
    frame = pd.DataFrame({
        "channel": ["chat", "chat", "voice", "voice"],
        "interval_start": pd.DatetimeIndex(["2026-11-16 08:00", "2026-11-16 08:15"] * 2).tz_localize("Europe/London"),
        "volume": [1.25, 0.0, 40.5, 38.0], "volume_lo": [0.5, 0.0, float("nan"), 30.0],
        "volume_hi": [2.0, 0.0, 52.0, 46.0], "aht_seconds": 300.0, "model": ["ets", "ets", "mstl", "mstl"]})
    first = store.start_run("2026-W47", CONFIG, "/exports/2026-W47")
    store.finish_run(first, "ok", {}, 0, forecast=frame)
    [issued] = store.issued_forecasts()
    assert (issued.run_id, issued.week, issued.config["timezone"]) == (first, "2026-W47", "Europe/London")
    pd.testing.assert_frame_equal(issued.frame, frame.drop(columns="aht_seconds"))
    # A later run of the week replaces it; a failed run issues nothing and may not store one.
    later = store.start_run("2026-W47", CONFIG, "/exports/2026-W47")
    store.finish_run(later, "ok", {}, 0, forecast=frame.assign(volume=frame["volume"] + 1))
    failed = store.start_run("2026-W47", CONFIG, "/exports/2026-W47")
    with pytest.raises(ValueError, match="only a run that ends 'ok' issued a forecast"):
        store.finish_run(failed, "failed", None, 1, forecast=frame)
    store.finish_run(failed, "failed", None, 1, message="solver failed")
    [issued] = store.issued_forecasts(["2026-W47"])
    assert issued.run_id == later and issued.frame["volume"].tolist() == [2.25, 1.0, 41.5, 39.0]
    assert store.issued_forecasts(["2026-W48"]) == ()
