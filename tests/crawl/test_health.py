"""A source that stops giving new articles is flagged, in the crawl's output and in ``crawler status``."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from crawler.health import QUIET_RUNS
from tests.crawl.helpers import crawl, run_cli, write_config

pytestmark = pytest.mark.slow


def test_runs_with_no_new_candidates_are_flagged_until_something_new_appears(
    site: DemoSite, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    # No revisits: only what the feed gives counts here (each crawl would fetch every article again).
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}],
        revisit={"within_days": 3650, "min_interval": "30d"},
    )
    flag = f"no new candidates in the last {QUIET_RUNS} runs"
    # The feed unchanged (304 or the same body): a publisher with nothing new, not a fault.
    idle = [crawl(cfg, db_url).stdout for _ in range(QUIET_RUNS + 1)]
    assert all(flag not in out for out in idle)
    # The feed read afresh (an article retitled) and still nothing new: that is flagged.
    slug = site.public()[0].slug
    read = []
    for i in range(QUIET_RUNS):
        site.edit(slug, title=f"Retitled {i}")
        read.append(crawl(cfg, db_url).stdout)
    assert all(flag not in out for out in read[:-1])
    assert "look at pub" in read[-1]
    assert flag in read[-1]
    status = run_cli("status", "--db", db_url)
    assert status.returncode == 0
    assert flag in status.stdout
