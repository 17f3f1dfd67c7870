"""No process outlives a killed crawl run by ``crawler daemon`` or ``crawler worker``.

The daemon's child run is ``crawler crawl`` killed alone (``kill -9``), as
the OOM killer would; then the daemon, and a queue worker, are killed with a
run under way, and the child crawl and every process below it must follow.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from tests.crawl.processes import Proc, children_running, descendants, wait_until_gone
from tests.crawl.test_crash import wait_for_articles_fetched
from tests.crawl.test_no_orphans import GONE_WITHIN_S, wait_for
from tests.schedule.helpers import RunningDaemon, write

pytestmark = pytest.mark.slow


def slow_source(site: DemoSite) -> list[dict[str, object]]:
    return [{"name": "slow", "feeds": [f"{site.base}/feed.xml"], "concurrency_per_host": 1}]


def at_least(n: int, pid: int) -> set[Proc]:
    """The processes below ``pid`` once there are ``n`` of them; else none."""
    found = descendants(pid)
    return found if len(found) >= n else set()


def articles_fetched(site: DemoSite) -> int:
    return len([r for r in site.log if r.path.startswith("/news/")])


def kill_mid_run(site: DemoSite, parent: RunningDaemon, fetched: int) -> set[Proc]:
    """Once ``fetched`` articles were fetched, hold the run, ``kill -9`` ``parent`` (a daemon
    or a worker) and return what is left of its child crawl and helpers after a while."""
    wait_for_articles_fetched(site, fetched)
    site.articles_open.clear()
    try:
        procs = wait_for(
            lambda: at_least(4, parent.proc.pid),
            "a child crawl with its fork server, resource tracker and an extraction worker",
        )
        parent.proc.send_signal(signal.SIGKILL)
        parent.proc.wait()
        return wait_until_gone(procs, GONE_WITHIN_S)  # the run still held: it cannot just finish
    finally:
        site.articles_open.set()


def test_a_daemon_child_run_killed_and_then_the_daemon_killed_leave_no_process_behind(
    site: DemoSite, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    daemon = daemon_factory(
        write(tmp_path / "s.yaml", slow_source(site)), f"sqlite:///{tmp_path}/d.db"
    )
    try:
        wait_for_articles_fetched(site, 1)
        site.articles_open.clear()  # the run waits on its next article
        child = wait_for(lambda: children_running(daemon.proc.pid, "crawl"), "the child run")
        ((pid, _),) = child
        procs = wait_for(
            lambda: at_least(3, pid), "the run's fork server, resource tracker and a worker"
        )
        os.kill(pid, signal.SIGKILL)
    finally:
        site.articles_open.set()
    assert wait_until_gone(procs, GONE_WITHIN_S) == set()

    # The next run (every second), held mid-way: the daemon itself is killed.
    assert kill_mid_run(site, daemon, articles_fetched(site) + 1) == set()


def test_a_worker_killed_mid_run_leaves_no_process_behind(
    site: DemoSite,
    pg_schema_url: str,
    tmp_path: Path,
    daemon_factory: Callable[..., RunningDaemon],
) -> None:
    cfg = write(tmp_path / "s.yaml", slow_source(site), mode="queue")
    daemon_factory(cfg, pg_schema_url)  # the scheduler, enqueueing the run
    worker = daemon_factory(None, pg_schema_url, command="worker")
    assert kill_mid_run(site, worker, 1) == set()
