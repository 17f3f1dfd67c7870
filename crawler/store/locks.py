"""One crawl per source at a time, across processes and machines sharing a database.

PostgreSQL: a session-level advisory lock, taken and released in autocommit
(one statement each, no transaction around it) on one connection per process
and database that holds every crawl lock the process holds: opened by the
first lock, closed with the last (a connection per lock cost each source a
connection set-up, on both ends, and two transactions more). A source the
process already holds is refused in the process, since the server would
grant the same session its lock again. SQLite:
an exclusive ``flock`` on a file per source in a hidden folder beside the
database (``.crawler.db.locks/`` for ``crawler.db``: one name per database,
shared by every process that opens that file, whatever its temp dir; systemd's
``PrivateTmp`` would split a lock kept in /tmp). The folder holds a
``.gitignore`` of ``*``, as pytest's cache does, so it never shows in ``git
status``. Both are released by
the operating system or the server when the holder dies, even by
``kill -9``, so a lock is never left behind; and a ``running`` row found
while holding the lock belongs to a crawl that died.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from crawler.store.db import normalise_url


@contextmanager
def source_lock(db_url: str, source: str) -> Iterator[bool]:
    """Hold the crawl lock of ``source`` while inside; yields False if another crawl holds it."""
    url = normalise_url(db_url)
    if url.startswith("postgresql"):
        with _advisory_lock(url, f"crawler source {source}") as held:
            yield held
        return
    database = make_url(url).database
    if not database or database == ":memory:":
        yield True
        return
    with lock_folder(Path(database)).joinpath(lock_name(source)).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_folder(database: Path) -> Path:
    """``.NAME.locks/`` beside the SQLite file ``database``, made (with its ``.gitignore``) if missing.

    Checked once per process and database: the crawls of a batch share the folder.
    """
    folder = database.with_name(f".{database.name}.locks")
    if folder not in _FOLDERS_MADE:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# crawler's crawl locks: see crawler/store/locks.py\n*\n")
        _FOLDERS_MADE.add(folder)
    return folder


_FOLDERS_MADE: set[Path] = set()


def lock_name(source: str) -> str:
    """A file name for ``source``'s lock, whatever characters its name holds."""
    return f"{hashlib.sha1(source.encode()).hexdigest()[:12]}.lock"  # noqa: S324  (a name, not a secret)


# Advisory locks are per database; the key includes the schema, so two stores
# in one database (one schema each) never block each other.
ADVISORY_KEY = "hashtextextended(:name || ' in ' || current_schema(), 0)"
LOCK = text(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})")
UNLOCK = text(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")


@dataclass(eq=False)
class _Holder:
    """The connection holding this process's crawl locks on one database, and their names."""

    engine: Engine
    conn: Connection | None = None
    held: set[str] = field(default_factory=set)


@contextmanager
def _advisory_lock(url: str, name: str) -> Iterator[bool]:
    """Hold PostgreSQL's advisory lock ``name`` while inside, on the process's lock connection.

    The lock lives as long as that connection's session. A connection that
    fails to take or release one is invalidated (closed: the server then
    releases every lock it held) and another is opened: at once when a lock
    found it dropped, else by the next lock.
    """
    holder = _holder(url)
    with _GUARD:
        held = name not in holder.held and _try_lock(holder, name)
    try:
        yield held
    finally:
        if held:
            with _GUARD:
                _unlock(holder, name)


def _try_lock(holder: _Holder, name: str, *, again: bool = True) -> bool:
    """Take ``name`` on the holder's connection (opened if none). A connection found
    dropped (a server restart, an idle timeout; SQLAlchemy's ``connection_invalidated``)
    is replaced once: raising would end every crawl of the batch (``crawl_sources``)."""
    if holder.conn is None:
        holder.conn = holder.engine.connect()
    try:
        held = bool(holder.conn.execute(LOCK, {"name": name}).scalar())
    except SQLAlchemyError as exc:
        holder.conn.invalidate()
        holder.conn = None
        if again and isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return _try_lock(holder, name, again=False)
        raise
    if held:
        holder.held.add(name)
    elif not holder.held:
        _close(holder)
    return held


def _unlock(holder: _Holder, name: str) -> None:
    holder.held.discard(name)
    if holder.conn is None:  # lost with its connection, which released it
        return
    try:
        holder.conn.execute(UNLOCK, {"name": name})
    except SQLAlchemyError:  # a dropped connection has released the lock already
        holder.conn.invalidate()
        holder.conn = None
        return
    if not holder.held:
        _close(holder)


def _close(holder: _Holder) -> None:
    assert holder.conn is not None
    holder.conn.close()
    holder.conn = None


_HOLDERS: dict[tuple[int, str], _Holder] = {}
_GUARD = threading.Lock()  # the crawls' locks are taken on the reactor thread, tests' elsewhere


def _holder(url: str) -> _Holder:
    """This process's lock holder for ``url``, its engine in autocommit with no pool. Keyed
    by process id, so a forked child never uses its parent's connection."""
    key = (os.getpid(), url)
    holder = _HOLDERS.get(key)
    if holder is None:
        engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        holder = _HOLDERS[key] = _Holder(engine)
    return holder
