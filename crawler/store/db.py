"""Engines, sessions and schema upgrades, built from a URL where they are used.

Nothing here runs at import time: the caller decides which database, and owns
the session's transaction (it commits).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

DEFAULT_URL = "sqlite:///crawler.db"
ENV_VAR = "CRAWLER_DATABASE_URL"
SQLITE_CACHE_KB = 64 * 1024
SQLITE_BUSY_TIMEOUT_S = 60
# The newest migration (tests hold it to Alembic's own head). A database already there
# needs no Alembic: every crawl and command upgrades first, and importing it costs 0.2 s.
HEAD_REVISION = "0009"


def resolve_url(cli_value: str | None) -> str:
    """``--db`` wins, then ``$CRAWLER_DATABASE_URL``, then ``sqlite:///crawler.db``."""
    url = cli_value or os.environ.get(ENV_VAR) or DEFAULT_URL
    return normalise_url(url)


def normalise_url(url: str) -> str:
    """Send plain ``postgresql://`` URLs to psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, write: bool = True, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``.

    On SQLite, write engines open every transaction with ``BEGIN IMMEDIATE``
    so two processes recording the same article serialise instead of both
    reading the old version number; WAL lets readers (export, web) keep a
    consistent snapshot while a crawl writes. ``read_only`` engines (the web
    app) are refused every write by the database itself: SQLite's
    ``query_only``, PostgreSQL's ``default_transaction_read_only``.
    """
    url = normalise_url(url)
    write = write and not read_only
    if not url.startswith("sqlite"):
        target = make_url(url)
        if read_only:  # beside any options the URL carries (a search_path, say)
            options = f"{target.query.get('options', '')} -c default_transaction_read_only=on"
            target = target.update_query_dict({"options": options.strip()})
        return create_engine(target, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        # 2 MB by default; indexes that outgrow it (URLs, LSH bands) turn inserts into misses.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
            cursor.close()
            return
        # WAL persists in the file and `upgrade()` sets it before any crawl writes.
        # A database made elsewhere is switched here; if another process holds the
        # lock the switch needs, it stays as it is: BEGIN IMMEDIATE still serialises.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in {"wal", "memory"}:
            with contextlib.suppress(sqlite3.OperationalError):
                cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


def migrations_dir() -> Path:
    """Where the Alembic scripts are: inside the wheel, or beside the source tree."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_migrations", here.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("Alembic migrations not found; reinstall the crawler package")


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def current_revision(url: str) -> str | None:
    """The migration the database at ``url`` is at; None when it has none (or no file yet)."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if not database or database == ":memory:" or not Path(database).is_file():
            return None
    engine = make_engine(url)  # on SQLite, the first connection also switches the file to WAL
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no alembic_version table: a new database
        return None
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; running it again is a no-op."""
    if revision == "head" and current_revision(url) == HEAD_REVISION:
        return
    from alembic import command

    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
    if url.startswith("sqlite"):
        engine = make_engine(url)
        with engine.connect():  # the first connection switches the file to WAL
            pass
        engine.dispose()


def redact(url: str) -> str:
    """``url`` with any password hidden, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)
