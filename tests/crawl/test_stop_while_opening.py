"""A stop signal that comes before a crawl's engine runs stops the crawl.

Scrapy's graceful stop only reaches an engine that already runs; a SIGTERM a
few seconds after ``crawler crawl`` started (the daemon's stop, or Ctrl-C)
used to mark the crawler stopped, let it crawl to its end, and then wait for
ever; one that came while the runner read the source's state (before its
Scrapy crawler existed) reached no crawler at all. Here the crawl is held at
a known point, deterministically: the runner reads the source's stored
robots.txt (``robots_txt``) before its crawler is made, and the test holds
that table locked on PostgreSQL, sends SIGTERM while the crawl waits for it,
and only then lets it go.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, text

from crawler.demo.site import DemoSite
from crawler.store import runs
from crawler.store.db import make_engine, session_scope
from tests.crawl.helpers import crawl, write_config


def _waiting_on_a_lock(conn: Connection) -> bool:
    waiting = conn.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND query ILIKE '%robots_txt%'"
        )
    ).scalar_one()
    conn.rollback()  # pg_stat_activity is a snapshot per transaction: a new one each time
    return bool(waiting)


def test_sigterm_before_the_engine_runs_stops_the_crawl(
    site: DemoSite, pg_schema_url: str, tmp_path: Path
) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    crawl(cfg, pg_schema_url)  # the schema and the source exist; a second crawl revisits
    locker = create_engine(pg_schema_url)
    with locker.connect() as conn:
        conn.execute(text("LOCK TABLE robots_txt IN ACCESS EXCLUSIVE MODE"))
        env = {**os.environ}
        env.pop("CRAWLER_DATABASE_URL", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--config", str(cfg), "--db", pg_schema_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            with locker.connect() as watcher:
                while not _waiting_on_a_lock(watcher):  # the crawl is starting, held here
                    assert proc.poll() is None, proc.communicate()
                    time.sleep(0.1)
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)  # let the signal land while the crawl still waits
            conn.rollback()  # the lock goes; the crawl would begin
            out, err = proc.communicate(timeout=120)  # it hung here for ever before the fix
        finally:
            if proc.poll() is None:
                proc.kill()
    locker.dispose()
    assert proc.returncode == 1, out + err  # a stopped crawl is not "done" (exit codes)
    assert "stopped" in out, out + err
    engine = make_engine(pg_schema_url, write=False)
    with session_scope(engine) as session:
        last = runs.runs_since(session, "pub", datetime(2000, 1, 1, tzinfo=UTC))[-1]
    engine.dispose()
    assert last.status == runs.STOPPED
