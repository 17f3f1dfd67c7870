"""Shared fixtures: a real database on SQLite and on PostgreSQL for every storage test.

PostgreSQL tests run in a schema of their own and skip with a stated reason
when the server cannot be reached, unless ``CRAWLER_REQUIRE_POSTGRES=1``
(set by ``.ci/run``) turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from crawler.demo.site import DemoSite, serve
from crawler.store import db
from tests.store.helpers import fresh_schema

PG_ADMIN_URL = os.environ.get(
    "CRAWLER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("CRAWLER_REQUIRE_POSTGRES") == "1"


def _postgres_unreachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at {db.redact(PG_ADMIN_URL)} unreachable: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    reason = _postgres_unreachable()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"CRAWLER_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return PG_ADMIN_URL


@pytest.fixture
def pg_schema_url(postgres_admin_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema; dropped afterwards."""
    with fresh_schema(postgres_admin_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend, not yet migrated."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'crawler.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest migration, built once per test process by `crawler db upgrade`.

    Closed whole: its last connection checkpointed the write-ahead log into it, so a plain
    copy of the file is the database ("the last connection to a database closes ... does
    one last checkpoint and then deletes the WAL", https://sqlite.org/wal.html).
    """
    path = tmp_path_factory.mktemp("migrated") / "crawler.db"
    db.upgrade(f"sqlite:///{path}")
    assert not Path(f"{path}-wal").exists(), "the template's log was not checkpointed"
    return path


def _schema_of(url: str) -> str:
    """The schema a :func:`fresh_schema` URL puts first on the search path."""
    return str(make_url(url).query["options"]).removeprefix("-csearch_path=")


def _libpq(url: str) -> str:
    """``url`` as libpq (psycopg, pg_dump) takes it: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_postgres_sql(postgres_admin_url: str) -> tuple[str, str] | None:
    """``(schema, sql)``: a schema migrated to the newest revision once per test process by
    `crawler db upgrade`, and pg_dump's plain SQL that rebuilds it (tables, indexes, rows);
    None when no pg_dump at hand dumps the server in SQL it takes (each test then migrates).
    """
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        return None
    with fresh_schema(postgres_admin_url) as url:
        db.upgrade(url)
        schema = _schema_of(url)
        dumped = subprocess.run(
            [
                pg_dump,
                "--schema",
                schema,
                "--no-owner",
                "--no-privileges",
                "--inserts",
                "--dbname",
                _libpq(postgres_admin_url),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if dumped.returncode != 0:  # a pg_dump older than the server refuses to dump it
        return None
    # psql's meta-commands (pg_dump 15.14 and later wrap the dump in \restrict) are no SQL
    sql = "\n".join(line for line in dumped.stdout.splitlines() if not line.startswith("\\"))
    template = (schema, sql.replace(f"CREATE SCHEMA {schema};", ""))
    with fresh_schema(postgres_admin_url) as trial:
        try:  # a newer pg_dump may write settings this server does not know
            _rebuild(trial, template)
        except psycopg.Error:
            return None
    return template


def _rebuild(url: str, template: tuple[str, str]) -> None:
    """Run the dump of :func:`migrated_postgres_sql` in the empty schema of ``url``."""
    schema, sql = template
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(sql.replace(f"{schema}.", f"{_schema_of(url)}."))


@pytest.fixture
def db_url(empty_db_url: str, request: pytest.FixtureRequest) -> str:
    """A database on each backend, at the newest migration, built as `crawler db upgrade` does.

    The migrations run once per test process, not per test: on SQLite the test gets a copy of
    :func:`migrated_sqlite_file`, on PostgreSQL its schema is rebuilt from
    :func:`migrated_postgres_sql`. `db.upgrade` then finds it at the head, as every later
    command does a store it opens.
    """
    if path := db.sqlite_path(empty_db_url):
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
    elif template := request.getfixturevalue("migrated_postgres_sql"):
        _rebuild(empty_db_url, template)
    db.upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = db.make_engine(db_url)
    yield eng
    eng.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly how many PostgreSQL tests ran, so CI output shows they were not skipped."""
    outcomes: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if "[postgresql" in getattr(report, "nodeid", "") and report.when in {"call", "setup"}:
                if outcome == "passed" and report.when == "setup":
                    continue
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        detail = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
        terminalreporter.write_line(f"PostgreSQL tests: {detail}")


@pytest.fixture
def site() -> Iterator[DemoSite]:
    """The demo publisher, served on a free loopback port for one test."""
    with serve(DemoSite()) as running:
        yield running
