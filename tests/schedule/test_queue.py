"""Scale-out on a real queue (procrastinate on PostgreSQL): workers, an elected scheduler, kill -9.

Every process here is a real ``crawler daemon`` or ``crawler worker``; the
publishers are loopback servers. PostgreSQL only: the queue lives there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from crawler.demo.content import ARTICLES
from crawler.demo.site import DemoSite, serve
from crawler.store import runs
from crawler.store.db import upgrade
from tests.crawl.helpers import assert_store_whole, export
from tests.schedule.helpers import RunningDaemon, write
from tests.store.helpers import fresh_schema

pytestmark = pytest.mark.slow
PUBLISHERS = 6  # each run is a crawl process of its own: 3-4 s of CPU to start
STALLED = "3s"


@pytest.fixture
def publishers() -> Iterator[list[DemoSite]]:
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve(DemoSite(ARTICLES[i % 6 : i % 6 + 2])))
            for i in range(PUBLISHERS)
        ]


def start_workers(
    factory: Callable[..., RunningDaemon], db_url: str, n: int
) -> list[RunningDaemon]:
    return [factory(None, db_url, "--stalled-after", STALLED, command="worker") for _ in range(n)]


def content(db_url: str) -> dict[str, Any]:
    """What is stored, without ids and times: per article its status, story and versions' text."""
    return {
        url: (
            row["status"],
            row["cluster_id"],
            [(v["version"], v["title"], v["text"]) for v in row["versions"]],
        )
        for url, row in export(db_url).items()
    }


def sources(sites: list[DemoSite]) -> list[dict[str, Any]]:
    return [
        {"name": f"pub{i:02d}", "feeds": [f"{s.base}/feed.xml"], "schedule": {"every": "1h"}}
        for i, s in enumerate(sites)
    ]


def test_three_workers_and_a_scheduler_store_what_one_process_stores(
    publishers: list[DemoSite],
    postgres_admin_url: str,
    pg_schema_url: str,
    tmp_path: Path,
    daemon_factory: Callable[..., RunningDaemon],
) -> None:
    single_url = pg_schema_url
    cfg = write(tmp_path / "s.yaml", sources(publishers), mode="queue")
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(cfg), "--db", single_url],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "CRAWLER_DATABASE_URL"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    single = content(single_url)
    assert len(single) == sum(len(site.public()) for site in publishers)

    with fresh_schema(postgres_admin_url) as cluster_url:
        upgrade(cluster_url)
        scheduler = daemon_factory(cfg, cluster_url)
        workers = start_workers(daemon_factory, cluster_url, 3)
        scheduler.wait_for(
            lambda: all(scheduler.finished(f"pub{i:02d}") == 1 for i in range(PUBLISHERS)),
            "one finished run of every publisher",
        )
        assert content(cluster_url) == single
        takers = {pid for w in workers for pid in _taken(w).values()}
        assert len(takers) >= 2, "the runs were spread over the workers"
        assert scheduler.stop() == 0
        for w in workers:
            w.signal(signal.SIGTERM)


def test_a_worker_killed_mid_run_has_its_job_run_again_elsewhere_and_nothing_doubles(
    site: DemoSite,
    pg_schema_url: str,
    tmp_path: Path,
    daemon_factory: Callable[..., RunningDaemon],
) -> None:
    site.article_delay_s = 0.7  # six articles one at a time: a run of several seconds
    cfg = write(
        tmp_path / "s.yaml",
        [{"name": "slow", "feeds": [f"{site.base}/feed.xml"], "concurrency_per_host": 1}],
        mode="queue",
    )
    upgrade(pg_schema_url)
    scheduler = daemon_factory(cfg, pg_schema_url)
    workers = start_workers(daemon_factory, pg_schema_url, 2)
    scheduler.wait_for(
        lambda: (
            any("slow" in _taken(w) for w in workers)
            and len([r for r in site.log if r.path.startswith("/news/")]) >= 2
        ),
        "a worker in the middle of the run",
    )
    victim = next(w for w in workers if "slow" in _taken(w))
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait()
    other = next(w for w in workers if w is not victim)
    scheduler.wait_for(
        lambda: scheduler.finished("slow") == 1, "the run, again, on the other worker"
    )
    assert "slow" in _taken(other)
    # The schedule is every second, so a third run may already be under way: the first two.
    statuses = [r.status for r in scheduler.run_records("slow")][:2]
    assert statuses == [runs.FAILED, runs.OK], "the killed run is closed as failed, then done once"
    stored = export(pg_schema_url)
    assert len(stored) == 6
    assert all(len(row["versions"]) == 1 for row in stored.values())
    assert_store_whole(pg_schema_url)


def test_a_killed_leader_is_replaced_and_each_due_run_happens_once(
    site: DemoSite,
    pg_schema_url: str,
    tmp_path: Path,
    daemon_factory: Callable[..., RunningDaemon],
) -> None:
    every = 8
    cfg = write(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"], "schedule": {"every": f"{every}s"}}],
        mode="queue",
        leader_takeover="2s",
    )
    upgrade(pg_schema_url)
    daemons = [daemon_factory(cfg, pg_schema_url) for _ in range(2)]
    start_workers(daemon_factory, pg_schema_url, 1)
    first = daemons[0]
    first.wait_for(lambda: any(_leads(d) for d in daemons), "an elected leader")
    leader = next(d for d in daemons if _leads(d))
    standby = next(d for d in daemons if d is not leader)
    assert not _leads(standby)
    leader.wait_for(lambda: leader.finished("pub") >= 1, "the first run")
    leader.proc.send_signal(signal.SIGKILL)
    leader.proc.wait()
    standby.wait_for(lambda: _leads(standby), "the standby taking over")
    standby.wait_for(lambda: standby.finished("pub") >= 3, "two more runs under the new leader")
    started = [r.started_at for r in standby.run_records("pub")]
    gaps = [(b - a).total_seconds() for a, b in pairwise(started)]
    assert all(gap >= every - 2 for gap in gaps), f"a due run happened twice: gaps {gaps}"
    assert standby.stop() == 0


def _leads(d: RunningDaemon) -> bool:
    return "leader: this daemon schedules now" in d.log()


def _taken(worker: RunningDaemon) -> dict[str, int]:
    """Source → pid of the worker process, for each job this worker took."""
    taken = {}
    for line in worker.log().splitlines():
        if '"event": "take"' in line:
            event = json.loads(line[line.index("{") :])
            taken[event["source"]] = event["worker_pid"]
    return taken
