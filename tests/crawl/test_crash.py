"""A crawl killed with SIGKILL, and two crawls of one source at once: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from crawler.demo.site import DemoSite
from crawler.store import runs
from crawler.store.db import make_engine, session_scope, upgrade
from crawler.store.models import CrawlRun
from tests.crawl.helpers import assert_store_whole, crawl, export, run_cli, write_config

pytestmark = pytest.mark.slow
WAIT_S = 120


def start_crawl(cfg: Path, db_url: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "CRAWLER_DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(cfg), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own group: SIGKILL reaches its extraction workers too
    )


def one_at_a_time(site: DemoSite, tmp_path: Path) -> Path:
    """A config crawling the site's feed one page at a time, so a crawl is caught mid-way."""
    return write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"], "concurrency_per_host": 1}],
    )


def wait_for_articles_fetched(site: DemoSite, n: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while len([r for r in site.log if r.path.startswith("/news/")]) < n:
        assert time.monotonic() < deadline, "the crawl never fetched an article"
        time.sleep(0.1)


def test_sigkill_mid_crawl_loses_nothing_and_the_next_crawl_closes_the_dead_run(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = one_at_a_time(site, tmp_path)
    site.article_delay_s = 1.0
    proc = start_crawl(cfg, db_url)
    wait_for_articles_fetched(site, 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert_store_whole(db_url)

    site.article_delay_s = 0.0
    crawl(cfg, db_url)
    assert_store_whole(db_url)
    stored = export(db_url)
    assert len(stored) == len(site.public())
    assert all(len(r["versions"]) == 1 for r in stored.values())
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        statuses = [(r.status, r.errors) for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    engine.dispose()
    assert statuses[0] == (runs.FAILED, [runs.ABANDONED])
    assert statuses[1][0] == runs.OK


def test_a_second_crawl_of_a_running_source_is_skipped_with_a_message(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = one_at_a_time(site, tmp_path)
    site.article_delay_s = 0.5
    first = start_crawl(cfg, db_url)
    wait_for_articles_fetched(site, 1)
    site.articles_open.clear()  # the first crawl waits on its next article: it is running
    try:
        second = run_cli("crawl", "--config", str(cfg), "--db", db_url)
    finally:
        site.articles_open.set()
    assert second.returncode == 0, second.stderr
    assert "another crawl of 'pub' is running on this database; skipped" in second.stderr
    assert first.wait(timeout=WAIT_S) == 0
    assert_store_whole(db_url)
    stored = export(db_url)
    assert len(stored) == len(site.public())
    assert all(len(r["versions"]) == 1 for r in stored.values())


def test_postgresql_connections_dropped_mid_crawl_reconnect_and_lose_nothing(
    site: DemoSite, pg_schema_url: str, tmp_path: Path
) -> None:
    """The server ends every connection of the crawl (pg_terminate_backend) while it runs."""
    name = f"crawler-test-{uuid.uuid4().hex[:8]}"
    db_url = f"{pg_schema_url}&application_name={name}"
    upgrade(db_url)
    cfg = one_at_a_time(site, tmp_path)
    site.article_delay_s = 0.7
    proc = start_crawl(cfg, db_url)
    wait_for_articles_fetched(site, 2)
    admin = create_engine(pg_schema_url)
    with admin.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"
            ),
            {"n": name},
        ).scalar()
    admin.dispose()
    assert ended, "the crawl had connections to end"
    assert proc.wait(timeout=WAIT_S) == 0
    assert_store_whole(db_url)
    assert len(export(db_url)) == len(site.public())
