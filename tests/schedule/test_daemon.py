"""``crawler daemon`` as users run it: a real process, real child crawls, a loopback publisher, signals."""

from __future__ import annotations

import signal
import socket
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.demo.content import DemoArticle
from crawler.demo.site import DemoSite
from crawler.store import runs
from crawler.store.db import make_engine, session_scope
from crawler.store.models import Article, ArticleVersion, PageHtml
from tests.crawl.helpers import assert_store_whole, run_cli
from tests.schedule.helpers import RunningDaemon, write

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stored_urls(engine_url: str) -> set[str]:
    engine = make_engine(engine_url, write=False)
    with session_scope(engine) as s:
        urls = set(s.scalars(select(Article.url)))
    engine.dispose()
    return urls


def new_article(slug: str) -> DemoArticle:
    return DemoArticle(
        slug,
        "Harbour tunnel opens to traffic after four years of work",
        "Ann Lee",
        datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        [
            "The harbour tunnel opened to traffic on Friday morning, four years after work began "
            "and six months later than first planned.",
            "Officials expect twenty thousand vehicles a day to use it once the approach roads are finished.",
        ],
    )


def test_cycles_store_new_articles_never_overlap_and_stop_cleanly(
    site: DemoSite, db_url: str, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    cfg = write(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    port = free_port()
    d = daemon_factory(cfg, db_url, "--metrics-port", str(port))
    d.wait_for(lambda: d.finished("pub") >= 1, "a first run")
    site.add(new_article("harbour-tunnel-opens"))
    new_url = f"{site.base}/news/harbour-tunnel-opens.html"
    d.wait_for(lambda: d.finished("pub") >= 3 and new_url in stored_urls(db_url), "two more runs")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        metrics = reply.read().decode()
    assert 'crawler_runs_total{source="pub",status="ok"}' in metrics
    assert 'crawler_articles_new_total{source="pub"}' in metrics
    assert d.stop() == 0

    done = d.run_records("pub")
    for earlier, later in pairwise(done):
        assert earlier.finished_at is not None
        assert later.started_at >= earlier.finished_at, "two runs of one source overlapped"
    assert all(r.status in {runs.OK, runs.STOPPED} for r in done)
    log = d.log()
    assert log.count('"event": "run"') >= 3
    assert '"source": "pub"' in log
    assert '"counts": {' in log

    status = run_cli("status", "--config", str(cfg), "--db", db_url)
    assert status.returncode == 0, status.stderr
    line = next(x for x in status.stdout.splitlines() if x.strip("│ ").startswith("pub"))
    assert "ok" in line or "stopped" in line
    assert line.count("20") >= 2, "last run and next due are shown"


def test_a_run_over_its_timeout_is_stopped_and_recorded(
    site: DemoSite, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    site.article_delay_s = 3.0
    db_url = f"sqlite:///{tmp_path}/t.db"
    cfg = write(
        tmp_path / "s.yaml",
        [
            {
                "name": "slow",
                "feeds": [f"{site.base}/feed.xml"],
                "concurrency_per_host": 1,
                "timeout": "30s",
            }
        ],
        run_timeout="4s",
    )
    d = daemon_factory(cfg, db_url)
    d.wait_for(lambda: d.finished("slow", runs.TIMED_OUT) >= 1, "a timed-out run")
    timed_out = next(r for r in d.run_records("slow") if r.status == runs.TIMED_OUT)
    assert timed_out.finished_at is not None
    assert any("timed out after" in e for e in timed_out.errors)
    assert d.stop() == 0


def test_sighup_reloads_sources_and_a_bad_file_keeps_the_old_config(
    site: DemoSite, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    db_url = f"sqlite:///{tmp_path}/r.db"
    feed = {"feeds": [f"{site.base}/feed.xml"]}
    cfg = write(tmp_path / "s.yaml", [{"name": "one", **feed}])
    d = daemon_factory(cfg, db_url)
    d.wait_for(lambda: d.finished("one") >= 1, "a run of 'one'")

    write(cfg, [{"name": "one", **feed}, {"name": "two", "sitemaps": [f"{site.base}/sitemap.xml"]}])
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: d.finished("two") >= 1, "the added source's first run")
    assert "reload: added two" in d.log()

    cfg.write_text(cfg.read_text().replace("sources:", "sourcez:"))
    d.signal(signal.SIGHUP)
    d.wait_for(
        lambda: "reload failed, still running the previous config" in d.log(), "the reload error"
    )
    runs_before = d.finished("two")
    d.wait_for(lambda: d.finished("two") > runs_before, "a run after the bad reload")

    write(cfg, [{"name": "two", "sitemaps": [f"{site.base}/sitemap.xml"]}])
    d.signal(signal.SIGHUP)
    d.wait_for(lambda: "reload: removed one" in d.log(), "the removal")
    assert d.stop() == 0


def counts(db_url: str) -> tuple[int, int, int]:
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        found = (
            s.scalar(select(func.count()).select_from(Article)) or 0,
            s.scalar(select(func.count()).select_from(ArticleVersion)) or 0,
            s.scalar(select(func.count()).select_from(PageHtml)) or 0,
        )
    engine.dispose()
    return found


def test_sigterm_during_a_crawl_exits_0_and_leaves_every_row_whole(
    site: DemoSite, db_url: str, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    site.article_delay_s = 1.0  # six articles, one at a time: a crawl of six seconds and more
    cfg = write(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"], "concurrency_per_host": 1}],
        stop_timeout="20s",
    )
    d = daemon_factory(cfg, db_url)
    d.wait_for(
        lambda: len([r for r in site.log if r.path.startswith("/news/")]) >= 2,
        "a crawl in flight, two articles fetched",
    )
    before = counts(db_url)
    assert d.stop() == 0
    after = counts(db_url)
    assert after[0] >= before[0]
    assert after[1] >= before[1]
    assert after[0] >= 1, "what was fetched before the stop is flushed and kept"
    assert_store_whole(db_url)
    assert all(r.status != runs.RUNNING for r in d.run_records("pub")), "no run left 'running'"
    assert any(r.status == runs.STOPPED for r in d.run_records("pub"))
