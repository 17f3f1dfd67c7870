"""One crawl per source at a time, across processes and machines sharing a database.

PostgreSQL: a session-level advisory lock on a connection of its own, held for
the crawl and closed after it, from one engine per process and database (an
engine made per lock cost SQLAlchemy's set-up per source; pooling the
connections too saved no more than the noise, and left connections open
that nothing closes). SQLite:
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
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


@contextmanager
def _advisory_lock(url: str, name: str) -> Iterator[bool]:
    """Hold PostgreSQL's advisory lock ``name`` on a connection of its own while inside.

    The lock lives as long as the connection's session, not its transactions:
    it is released, then the connection closed; a connection that could not
    release it is invalidated (closed: the server then releases it).
    """
    with _lock_engine(url).connect() as conn:
        lock = text(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})")
        held = bool(conn.execute(lock, {"name": name}).scalar())
        conn.commit()
        try:
            yield held
        finally:
            if held:
                try:
                    conn.execute(text(f"SELECT pg_advisory_unlock({ADVISORY_KEY})"), {"name": name})
                    conn.commit()
                except SQLAlchemyError:  # a dropped connection has released the lock already
                    conn.invalidate()


_LOCK_ENGINES: dict[tuple[int, str], Engine] = {}


def _lock_engine(url: str) -> Engine:
    """This process's engine for crawl locks on ``url``, with no pool: each lock's
    connection closes when its crawl ends. Keyed by process id, so a forked child
    never uses its parent's engine."""
    key = (os.getpid(), url)
    engine = _LOCK_ENGINES.get(key)
    if engine is None:
        engine = _LOCK_ENGINES[key] = create_engine(url, poolclass=NullPool)
    return engine
