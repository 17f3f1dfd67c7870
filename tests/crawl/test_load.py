"""Load: a loopback publisher of 500 articles, crawled twice, on SQLite and PostgreSQL.

The first crawl stores each article once; the second finds them all unchanged
by conditional GET (304s, no new version). Sockets and file descriptors come
back to where they started: the crawl's own stay bounded by its concurrency
however many pages it fetches, it leaves no connection open at the server,
and the server and this process hold as many descriptors as before. Peak
memory of the crawl (its largest process) is reported, not asserted: figures
live in the README, from ``bench/crawl.py``.

``CRAWLER_LOAD_ARTICLES`` changes the site's size (default 500, 30 times the
crawl's concurrency, which keeps the suite under its time budget; the bench
crawls 5,000 and 20,000).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.site import RunningSite, serve_in_child
from crawler.store.db import make_engine, session_scope
from crawler.store.models import Article, ArticleVersion
from tests.crawl.helpers import last_counts, write_config

ARTICLES = int(os.environ.get("CRAWLER_LOAD_ARTICLES", "500"))
CONCURRENCY = 16

pytestmark = pytest.mark.slow


def open_fds(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


def established(port: int) -> int:
    """TCP connections to or from ``port`` in the ESTABLISHED state, on this machine."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, remote, state = line.split()[1:4]
            ports = {int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)}
            count += state == "01" and port in ports
    return count


@dataclass(frozen=True)
class CrawlRun:
    returncode: int
    peak_rss_mb: float
    peak_fds: int
    output: str


def crawl_watched(config: Path, db_url: str, log: Path) -> CrawlRun:
    """``crawler crawl`` in a child, its descriptors sampled while it runs, its peak RSS at exit."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--db", db_url],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            try:
                peak[0] = max(peak[0], open_fds(proc.pid))
            except FileNotFoundError:  # exited between two samples
                return

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the rusage of the child and its reaped workers
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    return CrawlRun(proc.returncode, usage.ru_maxrss / 1024, peak[0], log.read_text())


def stored(db_url: str) -> tuple[int, int]:
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        articles = s.scalar(select(func.count()).select_from(Article))
        versions = s.scalar(select(func.count()).select_from(ArticleVersion))
    engine.dispose()
    return int(articles or 0), int(versions or 0)


@pytest.fixture(scope="module")
def big_site() -> RunningSite:
    with serve_in_child(ARTICLES, heavy=False) as site:
        yield site


def test_a_large_site_is_stored_once_revisited_by_304_and_every_descriptor_comes_back(
    big_site: RunningSite,
    db_url: str,
    tmp_path: Path,
    record_property: pytest.RecordProperty,
) -> None:
    config = write_config(
        tmp_path / "sources.yaml",
        [{"name": "big", "sitemaps": [f"{big_site.base}/sitemap.xml"]}],
        concurrency_per_host=CONCURRENCY,
        max_pages=ARTICLES * 2,
    )
    port = int(big_site.base.rsplit(":", 1)[1])
    before = big_site.stats()  # the server answers: its event loop is set up (two descriptors)
    mine, server = open_fds(os.getpid()), open_fds(big_site.pid)

    first = crawl_watched(config, db_url, tmp_path / "first.log")
    assert first.returncode == 0, first.output[-3000:]
    assert stored(db_url) == (ARTICLES, ARTICLES)
    counts = last_counts(db_url, "big")
    assert counts["new"] == ARTICLES
    assert counts.get("errors", 0) == 0

    second = crawl_watched(config, db_url, tmp_path / "second.log")
    assert second.returncode == 0, second.output[-3000:]
    counts = last_counts(db_url, "big")
    assert counts["not_modified"] == ARTICLES
    assert counts.get("new", 0) == counts.get("changed", 0) == 0
    assert stored(db_url) == (ARTICLES, ARTICLES)
    served = big_site.stats() - before
    assert served["304"] == ARTICLES
    assert served["200"] <= ARTICLES + 20  # the first crawl's pages, robots.txt and sitemaps

    for run in (first, second):
        # connections are pooled: a leak would grow with the pages (500), not stay near 16
        assert run.peak_fds < 4 * CONCURRENCY + 60, run.peak_fds
    assert established(port) == 0
    # no more than before: the count before may hold the socket of the stats request just
    # answered, which the server closes a moment later (15 after, 16 before, seen under load)
    assert open_fds(big_site.pid) <= server
    assert open_fds(os.getpid()) == mine
    for name, run in (("first", first), ("revisit", second)):
        record_property(f"{name}_peak_rss_mb", round(run.peak_rss_mb))
        record_property(f"{name}_peak_fds", run.peak_fds)
    print(
        f"\n{ARTICLES} articles: peak RSS first crawl {first.peak_rss_mb:.0f} MB, "
        f"revisit {second.peak_rss_mb:.0f} MB; peak fds {first.peak_fds} / {second.peak_fds}"
    )
