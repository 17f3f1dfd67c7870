"""Nothing lost, nothing hidden: a poisoned page costs no neighbour, database faults are retried.

Real ``crawler crawl`` processes against a loopback publisher. The faults are
real too: an SQLite file whose write lock another connection holds, and a
PostgreSQL server of the test's own (never the shared one) stopped and started
again while the crawl holds its pages. The crawl is held mid-way by the site
(``articles_open``) and the test moves on when the crawl's log says it reached
the step wanted, so no step depends on how fast the machine is.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from crawler.demo.content import DemoArticle
from crawler.demo.site import DemoSite, serve
from crawler.store import runs
from crawler.store.db import make_engine, session_scope, upgrade
from crawler.store.models import CrawlRun
from crawler.web.app import make_app
from tests.crawl.helpers import crawl, export, last_counts, run_cli, write_config

pytestmark = pytest.mark.slow
WAIT_S = 120
RETRYING = "database fault, retrying"  # crawler.store.retry's warning
GAVE_UP = "could not store"  # crawler.pipelines.writer's error, once retries are over


def articles(n: int) -> list[DemoArticle]:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        DemoArticle(
            f"story-{i:02d}",
            f"Council story {i} on the budget for district {i}",
            f"Reporter {i % 5}",
            start + timedelta(hours=i),
            [
                f"The council of district {i} agreed a budget of {i * 7} million on Monday night.",
                f"Spending on schools in district {i} rises by {i % 9} percent under the plan.",
                f"Opposition members in district {i} said the plan left roads underfunded again.",
            ],
        )
        for i in range(n)
    ]


class PoisonedSite(DemoSite):
    """Some pages' JSON-LD headline carries an escape no database stores as it is."""

    def __init__(self, poison: dict[str, str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.poison = poison  # slug -> the headline's JSON source, escapes and all

    def article_html(self, art: DemoArticle) -> str:
        page = super().article_html(art)
        if art.slug not in self.poison:
            return page
        headline = f'"headline": {json.dumps(art.title)}'
        assert headline in page
        return page.replace(headline, f'"headline": "{self.poison[art.slug]}"', 1)


def feed_source(site: DemoSite) -> list[dict[str, object]]:
    return [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}]


def run_statuses(db_url: str) -> list[tuple[str, list[str]]]:
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        found = [(r.status, r.errors) for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    engine.dispose()
    return found


def test_poisoned_json_ld_costs_no_neighbour_and_is_stored_safe(
    db_url: str, tmp_path: Path
) -> None:
    poison = {"story-10": "Budget \\u0000vote", "story-30": "Budget \\ud800vote"}
    with serve(PoisonedSite(poison, articles=articles(50))) as site:
        cfg = write_config(tmp_path / "s.yaml", feed_source(site))
        first = crawl(cfg, db_url)
        stored = export(db_url)
        assert len(stored) == 50, first.stderr
        titles = {
            url.rsplit("/", 1)[1]: row["versions"][-1]["title"] for url, row in stored.items()
        }
        assert titles["story-10.html"] == "Budget vote"
        assert titles["story-30.html"] == "Budget \ufffdvote"
        assert last_counts(db_url, "pub").get("lost", 0) == 0

        crawl(cfg, db_url)  # the same pages again: nothing lost, nothing new
        again = export(db_url)
        assert again.keys() == stored.keys()
        assert all(len(row["versions"]) == 1 for row in again.values())
    assert [status for status, _ in run_statuses(db_url)] == [runs.OK, runs.OK]


class Crawl:
    """A ``crawler crawl`` child whose log (stderr) the test reads as it comes."""

    def __init__(self, cfg: Path, db_url: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "CRAWLER_DATABASE_URL"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--config", str(cfg), "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**env, "COLUMNS": "200"},
            start_new_session=True,
        )
        self.log: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self.changed:
                self.log.append(line)
                self.changed.notify_all()
        with self.changed:
            self.log.append("")  # the end
            self.changed.notify_all()

    def wait_for(self, text: str) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.saw(text) or "" in self.log, WAIT_S)
        assert self.saw(text), "".join(self.log)

    def saw(self, text: str) -> bool:
        return any(text in line for line in self.log)

    def finish(self) -> tuple[int, str, str]:
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        with self.proc.stdout, self.proc.stderr:
            out = self.proc.stdout.read()
            code = self.proc.wait(timeout=WAIT_S)
            self.reader.join(WAIT_S)
        return code, out, "".join(self.log)


def crawl_through(
    site: DemoSite,
    cfg: Path,
    db_url: str,
    begin: Callable[[], None],
    end: Callable[[], None],
    until: str,
) -> tuple[int, str, str]:
    """Crawl with a database fault from the first article on until the log says ``until``."""

    def asked() -> int:
        return len([r for r in site.log if r.path.startswith("/news/")])

    before = asked()
    site.articles_open.clear()  # article pages wait: the crawl is held after it opened the store
    child = Crawl(cfg, db_url)
    try:
        deadline = time.monotonic() + WAIT_S
        while asked() == before:
            assert time.monotonic() < deadline, "the crawl never asked for an article"
            assert child.proc.poll() is None, "".join(child.log)
            time.sleep(0.05)
        begin()
        site.articles_open.set()
        child.wait_for(until)
    finally:
        site.articles_open.set()
        end()
    return child.finish()


def assert_lost_and_named(site: DemoSite, db_url: str, lost: tuple[int, str, str]) -> None:
    """The crawl lost every page it fetched, ended partial with exit 3, and named each one."""
    code, _out, log = lost
    public = len(site.public())
    assert code == 3, log
    status, errors = run_statuses(db_url)[0]
    assert status == runs.PARTIAL
    assert errors[0].startswith(f"{public} items not stored")
    named = [e for e in errors if e.startswith("store: http")]
    assert {e.split(": ")[1] for e in named} == {site.url(a) for a in site.public()}
    assert all("Error" in e for e in named)  # the database's reason, one line each
    assert last_counts(db_url, "pub")["lost"] == public


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'crawler.db'}"
    upgrade(url)
    return url


def test_sqlite_locked_mid_crawl_is_retried_then_reported_partial(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = sqlite_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, timeout=WAIT_S)

    def lock() -> None:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock

    def unlock() -> None:
        if holder.in_transaction:
            holder.execute("ROLLBACK")

    with serve(DemoSite(articles=articles(6))) as site:
        short = write_config(tmp_path / "short.yaml", feed_source(site), store_retry="2s")
        lost = crawl_through(site, short, sqlite_url, lock, unlock, GAVE_UP)
        assert_lost_and_named(site, sqlite_url, lost)
        status = run_cli("status", "--db", sqlite_url)
        assert "partial" in status.stdout
        assert "last run partial: 6 items not stored" in status.stdout

        # A lock released while the writer retries costs nothing.
        longer = write_config(tmp_path / "longer.yaml", feed_source(site), store_retry="5s")
        code, _out, log = crawl_through(site, longer, sqlite_url, lock, unlock, RETRYING)
    holder.close()
    assert code == 0, log
    assert run_statuses(sqlite_url)[1][0] == runs.OK
    assert len(export(sqlite_url)) == 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePostgres:
    """A throwaway PostgreSQL server in a temporary directory, run as the ``postgres`` user."""

    def __init__(self, bin_dir: Path, data: Path) -> None:
        self.bin_dir, self.data, self.port = bin_dir, data, _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if os.geteuid() == 0:  # initdb refuses root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=WAIT_S)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.data / "log"),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) to start a private one")
    # Not under pytest's tmp_path: the server's user must reach its directory.
    home = Path(tempfile.mkdtemp(prefix="crawler-test-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    server = PrivatePostgres(found[-1].parent, home / "data")
    try:
        server.init()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


def test_postgresql_stopped_mid_crawl_is_retried_then_reported_partial(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    db_url = private_postgres.url
    upgrade(db_url)
    with serve(DemoSite(articles=articles(6))) as site:
        # Down for longer than the writer retries: what it held is lost, and said so;
        # the server is back before the run is recorded.
        short = write_config(tmp_path / "short.yaml", feed_source(site), store_retry="5s")
        lost = crawl_through(
            site, short, db_url, private_postgres.stop, private_postgres.start, GAVE_UP
        )
        assert_lost_and_named(site, db_url, lost)
        engine = make_engine(db_url, read_only=True)
        with TestClient(make_app(engine)) as client:
            sources = client.get("/").text
            runs_page = client.get("/runs").text
        engine.dispose()
        assert "last run partial: 6 items not stored" in sources
        assert 'class="status-partial"' in runs_page

        # Back while the writer retries (the default minute): nothing lost.
        default = write_config(tmp_path / "default.yaml", feed_source(site))
        code, _out, log = crawl_through(
            site, default, db_url, private_postgres.stop, private_postgres.start, RETRYING
        )
    assert code == 0, log
    assert run_statuses(db_url)[1][0] == runs.OK
    assert len(export(db_url)) == 6
