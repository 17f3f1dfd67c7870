"""No process outlives a killed crawl run by ``crawler daemon`` or ``crawler worker``.

The daemon's child run is ``crawler crawl`` killed alone (``kill -9``), as
the OOM killer would; a queue worker is killed with its run under way, and
its child crawl and every process below it must follow.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from tests.crawl.processes import children_running, descendants, wait_until_gone
from tests.crawl.test_crash import wait_for_articles_fetched
from tests.crawl.test_no_orphans import GONE_WITHIN_S, wait_for
from tests.schedule.helpers import RunningDaemon, write

pytestmark = pytest.mark.slow


def slow_source(site: DemoSite) -> list[dict[str, object]]:
    return [{"name": "slow", "feeds": [f"{site.base}/feed.xml"], "concurrency_per_host": 1}]


def test_a_daemon_child_run_killed_leaves_no_process_behind(
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
            lambda: descendants(pid) if len(descendants(pid)) >= 3 else set(),
            "the run's fork server, resource tracker and an extraction worker",
        )
        os.kill(pid, signal.SIGKILL)
    finally:
        site.articles_open.set()
    assert wait_until_gone(procs, GONE_WITHIN_S) == set()
    assert daemon.stop() == 0


def test_a_worker_killed_mid_run_leaves_no_process_behind(
    site: DemoSite,
    pg_schema_url: str,
    tmp_path: Path,
    daemon_factory: Callable[..., RunningDaemon],
) -> None:
    cfg = write(tmp_path / "s.yaml", slow_source(site), mode="queue")
    daemon_factory(cfg, pg_schema_url)  # the scheduler, enqueueing the run
    worker = daemon_factory(None, pg_schema_url, command="worker")
    try:
        wait_for_articles_fetched(site, 1)
        site.articles_open.clear()
        procs = wait_for(
            lambda: (
                descendants(worker.proc.pid) if len(descendants(worker.proc.pid)) >= 4 else set()
            ),
            "the worker's crawl with its fork server, resource tracker and extraction worker",
        )
        worker.proc.send_signal(signal.SIGKILL)
        worker.proc.wait()
    finally:
        site.articles_open.set()
    assert wait_until_gone(procs, GONE_WITHIN_S) == set()
