"""Sources due together share one ``crawler crawl`` child, each with its own run, lock and deadline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite, serve
from crawler.schedule.child import workers_per_child
from crawler.store import runs
from tests.schedule.helpers import RunningDaemon, write
from tests.schedule.test_daemon import stored_urls

pytestmark = pytest.mark.slow


def test_due_sources_share_a_child_and_one_timing_out_keeps_the_others_work(
    site: DemoSite, db_url: str, tmp_path: Path, daemon_factory: Callable[..., RunningDaemon]
) -> None:
    with serve(DemoSite()) as stuck:
        stuck.article_delay_s = 60.0  # its feed answers, its articles never do in time
        hourly = {"every": "1h"}  # both due at start, then not again during the test
        cfg = write(
            tmp_path / "s.yaml",
            [
                {"name": "quick", "feeds": [f"{site.base}/feed.xml"], "schedule": hourly},
                {"name": "stuck", "feeds": [f"{stuck.base}/feed.xml"], "schedule": hourly},
            ],
            run_timeout="20s",  # generous: a loaded 2-core machine starts children slowly
        )
        d = daemon_factory(cfg, db_url)
        d.wait_for(lambda: d.finished("stuck", runs.TIMED_OUT) == 1, "the stuck run's timeout")
        assert d.stop() == 0

    assert "crawling 2 source(s) in one child: " in d.log()
    # the daemon's children share the cores: as many children as cores by default, one
    # extraction worker each
    assert "(1 extraction worker(s))" in d.log()
    assert d.log().count("crawling ") == 1, "one child for both"
    [quick] = d.run_records("quick")
    [timed_out] = d.run_records("stuck")
    assert quick.status == runs.OK, quick.errors
    assert quick.counts["new"] == len(site.public())
    assert {site.url(a) for a in site.public()} <= stored_urls(db_url)
    assert any("timed out after" in e for e in timed_out.errors)
    assert not any(url.startswith(stuck.base) for url in stored_urls(db_url))


@pytest.mark.parametrize(
    ("cores", "children", "workers"), [(2, 2, 1), (8, 2, 4), (8, 3, 2), (1, 4, 1), (4, 1, 4)]
)
def test_children_share_the_cores_among_their_extraction_workers(
    cores: int, children: int, workers: int
) -> None:
    assert workers_per_child(cores, children) == workers
