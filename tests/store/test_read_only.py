"""A SQLite store on a read-only medium: the read commands read it, a crawl says in one line why not.

The medium is real: a tmpfs mounted and remounted read-only (tests run as
root, whom a chmod does not stop). SQLite only: PostgreSQL has no such file.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import urlopen

import pytest

from crawler.store import articles, db, runs
from tests.crawl.helpers import run_cli, write_config
from tests.schedule.test_daemon import free_port
from tests.store.helpers import record

URL = "https://pub0.example/read-only"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def medium(tmp_path: Path) -> Iterator[Path]:
    """An empty tmpfs folder; the test fills it, then remounts it read-only with ``seal``."""
    folder = tmp_path / "medium"
    folder.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder))
    if mounted.returncode:
        pytest.skip(
            f"cannot mount a tmpfs to make read-only (needs root): {mounted.stderr.strip()}"
        )
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def seal(folder: Path) -> None:
    done = _mount("-o", "remount,ro", str(folder))
    assert done.returncode == 0, done.stderr


def build_store(folder: Path, *, keep_wal: bool) -> str:
    """A store of one article made beside, then copied into ``folder``; its URL there.

    ``keep_wal``: copied while another connection is open, so that what was
    written is still in the ``-wal`` file, not yet in the database file.
    """
    source = folder.parent / "made"
    source.mkdir()
    made = source / "crawler.db"
    db.upgrade(f"sqlite:///{made}")
    keeper = sqlite3.connect(made)  # while it reads the file, closing others checkpoints nothing
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    engine = db.make_engine(f"sqlite:///{made}")
    now = datetime.now(UTC)  # the web app's home page shows the last 30 days
    with db.session_scope(engine) as session:
        source_id = articles.ensure_source(session, "pub0", now)
        articles.record_fetch(session, source_id, record(url=URL, title="Kept on a CD", at=now))
        run = runs.start_run(session, source_id, now)
        runs.finish_run(session, run, now, runs.OK, {"fetched": 1}, [])
    engine.dispose()
    if not keep_wal:
        keeper.close()
    for file in source.iterdir():
        shutil.copy2(file, folder / file.name)
    keeper.close()
    assert (folder / "crawler.db-wal").exists() is keep_wal
    return f"sqlite:///{folder / 'crawler.db'}"


@pytest.mark.parametrize("keep_wal", [False, True], ids=["checkpointed", "with-wal"])
def test_read_commands_read_a_store_on_a_read_only_medium(medium: Path, keep_wal: bool) -> None:
    db_url = build_store(medium, keep_wal=keep_wal)
    seal(medium)
    before = sorted(p.name for p in medium.iterdir())

    exported = run_cli("export", "--db", db_url)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(r["url"], r["title"]) for r in rows] == [(URL, "Kept on a CD")]
    status = run_cli("status", "--db", db_url)
    assert status.returncode == 0, status.stderr
    assert "pub0" in status.stdout
    shown = run_cli("show", URL, "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    assert "Kept on a CD" in shown.stdout
    assert sorted(p.name for p in medium.iterdir()) == before


def test_serve_reads_it_and_a_crawl_fails_in_one_line(medium: Path, tmp_path: Path) -> None:
    db_url = build_store(medium, keep_wal=False)
    seal(medium)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = None
        for _ in range(200):
            try:
                with closing(urlopen(f"http://127.0.0.1:{port}/articles", timeout=2)) as reply:
                    page = reply.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.1)
        assert page is not None
        assert "Kept on a CD" in page
    finally:
        server.terminate()
        server.communicate(timeout=30)

    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub0", "feeds": ["http://127.0.0.1:9/f"]}])
    crawl = run_cli("crawl", "--config", str(cfg), "--db", db_url)
    assert crawl.returncode == 1
    assert crawl.stderr.splitlines() == [
        f"error: cannot write to the database {db_url}: read-only file system"
    ]
