"""``kill -9`` of ``crawler crawl`` leaves none of its processes behind.

A crawl runs a fork server, a resource tracker, extraction workers and a
store writer (crawler/pipelines/processes.py). Only the crawl's own process
is killed here, not its process group, as a user or the OOM killer would: the
rest must see it go and exit by themselves.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from crawler.store.db import upgrade
from tests.crawl.processes import Proc, descendants, holding, wait_until_gone
from tests.crawl.test_crash import one_at_a_time, start_crawl, wait_for_articles_fetched

pytestmark = pytest.mark.slow
GONE_WITHIN_S = 10.0
WAIT_S = 120


def wait_for(condition: Callable[[], set[Proc]], what: str) -> set[Proc]:
    deadline = time.monotonic() + WAIT_S
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


@pytest.mark.parametrize("stage", ["early", "mid-extraction", "during writes"])
def test_a_crawl_killed_leaves_no_process_behind(
    stage: str, site: DemoSite, tmp_path: Path
) -> None:
    db_file = tmp_path / "c.db"
    db_url = f"sqlite:///{db_file}"
    upgrade(db_url)
    holder = sqlite3.connect(db_file, isolation_level=None)
    proc = start_crawl(one_at_a_time(site, tmp_path), db_url)
    try:
        if stage == "early":  # the fork server (or the resource tracker) has just started
            procs = wait_for(lambda: descendants(proc.pid), "the first helper process")
        elif stage == "mid-extraction":  # an article extracted, the next ones held back
            wait_for_articles_fetched(site, 1)
            site.articles_open.clear()
            procs = wait_for(
                lambda: descendants(proc.pid) if len(descendants(proc.pid)) >= 3 else set(),
                "the fork server, the resource tracker and an extraction worker",
            )
        else:  # the store writer is writing, held on the database's write lock
            wait_for_articles_fetched(site, 1)  # the crawl's own opening writes are done
            holder.execute("BEGIN IMMEDIATE")
            wait_for(lambda: holding(descendants(proc.pid), db_file), "the store writer")
            procs = descendants(proc.pid)
        assert proc.poll() is None, "the crawl was still running when killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT_S)
    finally:
        site.articles_open.set()
        holder.close()
    assert wait_until_gone(procs, GONE_WITHIN_S) == set(), f"left behind after a kill {stage}"
