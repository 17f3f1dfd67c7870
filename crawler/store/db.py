"""Engines, sessions and schema upgrades, built from a URL where they are used.

Nothing here runs at import time: the caller decides which database, and owns
the session's transaction (it commits).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

DEFAULT_URL = "sqlite:///crawler.db"
ENV_VAR = "CRAWLER_DATABASE_URL"
SQLITE_CACHE_KB = 64 * 1024
SQLITE_BUSY_TIMEOUT_S = 60
BACKENDS = ("sqlite", "postgresql")
URL_FORMS = "sqlite:///PATH or postgresql://USER@HOST/DATABASE"
# The newest migration (tests hold it to Alembic's own head). A database already there
# needs no Alembic: every crawl and command upgrades first, and importing it costs 0.2 s.
HEAD_REVISION = "0014"


class StoreError(Exception):
    """A database that cannot be used, said in one line for the CLI to print.

    ``exit_code`` is 2 for a wrong or missing database (an argument to fix, as
    the README's exit codes say) and 1 for one that exists but cannot be
    written (a read-only medium).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def resolve_url(cli_value: str | None) -> str:
    """``--db`` wins, then ``$CRAWLER_DATABASE_URL``, then ``sqlite:///crawler.db``.

    Raises :class:`StoreError` for a string that is no SQLite or PostgreSQL URL,
    and for an in-memory SQLite one (``sqlite://``, ``sqlite:///``,
    ``sqlite:///:memory:``): a command's processes (crawl, extraction workers,
    store writer) would each see an empty database of their own.
    """
    given = cli_value or os.environ.get(ENV_VAR) or DEFAULT_URL
    url = normalise_url(given)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StoreError(f"cannot open the database {given}: names no file ({URL_FORMS})")
    return url


def normalise_url(url: str) -> str:
    """Send plain ``postgresql://`` URLs to psycopg 3, the driver we ship.

    Raises :class:`StoreError` for a string that is no SQLite or PostgreSQL URL.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"cannot open the database {url}: not a URL ({URL_FORMS})") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in BACKENDS:
        raise StoreError(f"cannot open the database {redact(url)}: unsupported, use {URL_FORMS}")
    return parsed.render_as_string(hide_password=False)


def open_reason(exc: BaseException) -> str:
    """The driver's reason a connection failed, in one line: ``connection refused``.

    psycopg says ``connection failed: connection to server at "h", port 1 failed:
    Connection refused`` and a hint on the next line; sqlite3 says ``unable to
    open database file``. Kept: the part after the last ``failed:`` of the first
    line, without PostgreSQL's ``FATAL:`` severity.
    """
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.strerror:
        return orig.strerror[:1].lower() + orig.strerror[1:]
    first = next((line.strip() for line in str(orig).splitlines() if line.strip()), "")
    reason = first.rsplit("failed:", 1)[-1].strip().removeprefix("FATAL:").strip()
    reason = reason or type(orig).__name__
    return reason[:1].lower() + reason[1:]


def cannot_open(url: str, exc: BaseException) -> StoreError:
    """``cannot open the database URL: reason`` (exit 2) for a failed connection."""
    return StoreError(f"cannot open the database {redact(url)}: {open_reason(exc)}")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite ``url``; None for PostgreSQL and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _shown(path: Path) -> str:
    """``./crawler.db`` for a relative path, as a shell user would type it."""
    return str(path) if path.is_absolute() else f"./{path}"


def no_store(url: str) -> StoreError:
    """The first-run message of the read commands (exit 2)."""
    path = sqlite_path(url)
    where = _shown(path) if path else redact(url)
    return StoreError(
        f"no crawler database at {where}: run `crawler demo` or `crawler crawl` first"
    )


def read_only_reason(path: Path) -> str | None:
    """Why a write to the SQLite file at ``path`` would fail: ``read-only file system``,
    ``permission denied``; None when it would not.

    SQLite writes beside the file too (its ``-wal``, ``-shm`` and ``-journal``
    files), so the folder must be writable as well as the file.
    """
    folder = path.parent
    if not folder.exists():
        return None  # made by upgrade(); a failure to make it is said there
    targets = [folder] + ([path] if path.exists() else [])
    if all(os.access(target, os.W_OK) for target in targets):
        return None
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return "read-only file system"
    return "permission denied"


def require_store(url: str) -> None:
    """Check that a crawler database is at ``url`` before a read command reads it.

    Creates nothing: a missing SQLite file stays missing. Raises
    :class:`StoreError`: :func:`no_store` for a missing file or an empty
    database (no ``alembic_version`` table), :func:`cannot_open` when the
    connection fails.
    """
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise no_store(url)
    if current_revision(url, read_only=True) is None:
        raise no_store(url)


def _sqlite_read_only_url(url: str, path: Path) -> str:
    """``url`` opened as SQLite's read-only URI (``mode=ro``), for a file that cannot be written.

    Without ``-wal`` and ``-shm`` files beside it, a WAL database in a folder
    that cannot be written cannot open even read-only, SQLite says ("WAL
    mode", section 8, https://sqlite.org/wal.html): such a file is opened
    ``immutable=1``, which nobody can be changing since nobody can write there.
    """
    query = {"mode": "ro", "uri": "true"}
    wal = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if not all(p.exists() for p in wal):
        query["immutable"] = "1"
    database = f"file:{urllib.parse.quote(str(path.resolve()))}"
    return URL.create("sqlite", database=database, query=query).render_as_string()


def make_engine(
    url: str,
    *,
    write: bool = True,
    read_only: bool = False,
    busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S,
    **kwargs: Any,
) -> Engine:
    """An engine for ``url``.

    On SQLite, write engines open every transaction with ``BEGIN IMMEDIATE``
    so two processes recording the same article serialise instead of both
    reading the old version number; WAL lets readers (export, web) keep a
    consistent snapshot while a crawl writes. ``read_only`` engines (the web
    app) are refused every write by the database itself: SQLite's
    ``query_only``, PostgreSQL's ``default_transaction_read_only``.
    ``busy_timeout_s``: how long SQLite waits for another writer's lock
    before it raises "database is locked".
    """
    url = normalise_url(url)
    write = write and not read_only
    path = sqlite_path(url)
    if not write and path is not None and path.is_file() and read_only_reason(path):
        url = _sqlite_read_only_url(url, path)
    if not url.startswith("sqlite"):
        target = make_url(url)
        if read_only:  # beside any options the URL carries (a search_path, say)
            options = f"{target.query.get('options', '')} -c default_transaction_read_only=on"
            target = target.update_query_dict({"options": options.strip()})
        return create_engine(target, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_s}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
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


_SHARED: dict[tuple[int, str, bool], Engine] = {}


def shared_engine(url: str, *, write: bool = True) -> Engine:
    """This process's engine for ``url`` (see :func:`make_engine`; ``write`` as there), made on first use.

    The crawls of one process (a batch of sources) share its pooled
    connections and its cache of compiled statements: an engine per crawl
    reconnected, made SQLite read its schema again and compiled every
    statement anew, most of what an idle poll spent on the database. Keyed by
    process id as well, so a forked child never uses its parent's connections.
    Never disposed by its users; the process's exit closes it.
    """
    key = (os.getpid(), normalise_url(url), write)
    engine = _SHARED.get(key)
    if engine is None:
        engine = _SHARED[key] = make_engine(url, write=write)
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


def current_revision(url: str, *, read_only: bool = False) -> str | None:
    """The migration the database at ``url`` is at; None when it has none (or no file yet).

    Raises :class:`StoreError` (:func:`cannot_open`) when it cannot be reached.
    """
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        return None
    # A write engine's first connection to a SQLite file also switches it to WAL.
    engine = make_engine(url, read_only=read_only)
    try:
        try:
            conn = engine.connect()
        except DBAPIError as exc:
            raise cannot_open(url, exc) from exc
        with conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no alembic_version table: a new database
        return None
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; running it again is a no-op.

    Every writing command calls it first, so it also says, as a :class:`StoreError`,
    when the database cannot be opened (exit 2) or a SQLite file cannot be
    written (exit 1: ``cannot write to the database ...: read-only file system``).
    """
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_open(url, exc) from exc
        if reason := read_only_reason(path):
            raise StoreError(f"cannot write to the database {redact(url)}: {reason}", exit_code=1)
    if revision == "head" and current_revision(url) == HEAD_REVISION:
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)
    if url.startswith("sqlite"):
        engine = make_engine(url)
        with engine.connect():  # the first connection switches the file to WAL
            pass
        engine.dispose()


def redact(url: str) -> str:
    """``url`` for logs and messages: any password hidden, and ``postgresql://`` as users
    write it rather than with the driver :func:`normalise_url` names (as given if no URL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.drivername == "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def dialect_insert(session: Session, target: Any) -> Any:
    """An INSERT into ``target`` (a model or table) in the session's database's own dialect,
    so it offers ``on_conflict_do_nothing`` / ``on_conflict_do_update`` on both databases."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(target)
