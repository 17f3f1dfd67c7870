"""Crawl locks: SQLite's shared by every process on one database, out of the user's sight;
PostgreSQL's on one connection per process, replaced when it drops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from crawler.store import db, locks
from crawler.store.locks import source_lock

TRY_LOCK = (
    "import sys; from crawler.store.locks import source_lock\n"
    "with source_lock(sys.argv[1], 'pub') as held: print(held)"
)


def try_lock_elsewhere(db_url: str, cwd: Path) -> str:
    """Whether another process, in another folder, gets the lock of source 'pub'."""
    done = subprocess.run(
        [sys.executable, "-c", TRY_LOCK, db_url],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return done.stdout.strip()


def test_two_processes_share_the_lock_and_git_sees_none_of_it(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    db_url = f"sqlite:///{repo / 'crawler.db'}"
    db.upgrade(db_url)
    with source_lock(db_url, "pub") as held:
        assert held
        assert try_lock_elsewhere(db_url, tmp_path) == "False"
        relative = "sqlite:///crawler.db"  # the same file, named from its folder
        assert try_lock_elsewhere(relative, repo) == "False"
    assert try_lock_elsewhere(db_url, tmp_path) == "True"

    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=True,
    )
    assert status.stdout.splitlines() == ["?? crawler.db"]
    assert [p.name for p in repo.iterdir() if p.name.startswith("crawler.db")] == ["crawler.db"]


def test_postgresql_locks_of_one_process_are_held_apart_and_released(
    pg_schema_url: str, tmp_path: Path
) -> None:
    with source_lock(pg_schema_url, "pub") as held, source_lock(pg_schema_url, "other") as too:
        assert held  # two crawls of a batch, their locks on the process's one lock connection
        assert too
        with source_lock(pg_schema_url, "pub") as twice:
            assert not twice  # the server would grant its session the same lock again
        assert try_lock_elsewhere(pg_schema_url, tmp_path) == "False"
    # the lock is released with its crawl
    assert try_lock_elsewhere(pg_schema_url, tmp_path) == "True"
    with source_lock(pg_schema_url, "pub") as again:
        assert again


def _lock_connection_pid(db_url: str) -> int:
    """The server process of this process's lock connection on ``db_url``."""
    holder = locks._holder(db.normalise_url(db_url))
    assert holder.conn is not None
    return int(holder.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def _terminate(db_url: str, pid: int) -> None:
    engine = create_engine(db.normalise_url(db_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    engine.dispose()


def test_postgresql_a_lock_connection_that_drops_is_replaced(
    pg_schema_url: str, tmp_path: Path
) -> None:
    with source_lock(pg_schema_url, "pub") as held:
        assert held
        _terminate(pg_schema_url, _lock_connection_pid(pg_schema_url))
        # The dropped connection is found out by the next lock, which is taken on a new
        # one: raising there ended the whole batch (crawl_sources' gather) on a connection
        # that a restart, an idle timeout or a failover had dropped during a long crawl.
        with source_lock(pg_schema_url, "other") as other:
            assert other
        with source_lock(pg_schema_url, "third") as third:
            assert third
        assert try_lock_elsewhere(pg_schema_url, tmp_path) == "True"  # released with its own
    with source_lock(pg_schema_url, "pub") as again:  # its release found nothing to release
        assert again
