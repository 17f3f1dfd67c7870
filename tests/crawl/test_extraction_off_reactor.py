"""Extraction runs off the reactor: the crawl keeps fetching while a heavy page is being read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.demo.content import DemoArticle
from crawler.demo.site import DemoSite, serve
from tests.crawl.helpers import run_cli, write_config

pytestmark = pytest.mark.slow

HEAVY_PARAGRAPHS = 5000  # a ~1.5 MB page: more than a second to read
LIGHT_PAGES = 30


def light(i: int) -> DemoArticle:
    return DemoArticle(
        f"light-{i}",
        f"Light story number {i} about the harbour",
        "Ann Lee",
        datetime(2026, 3, 2, 9, i, tzinfo=UTC),
        [
            f"Paragraph {j} of light story {i}, which says little but says it clearly."
            for j in range(3)
        ],
    )


def heavy() -> DemoArticle:
    return DemoArticle(
        "heavy",
        "A very long report on every street of the city",
        "Bo Chen",
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),  # oldest: last in the feed, fetched first
        [
            f"Street number {j} was resurfaced in week {j % 52} at a cost the council put at {j * 37} pounds."
            for j in range(HEAVY_PARAGRAPHS)
        ],
    )


def test_pages_are_fetched_while_a_heavy_page_is_extracted(tmp_path: Path) -> None:
    site = DemoSite([heavy(), *(light(i) for i in range(LIGHT_PAGES))], page_size=50)
    with serve(site) as running:
        cfg = write_config(
            tmp_path / "s.yaml",
            [{"name": "pub", "feeds": [f"{running.base}/feed.xml"]}],
            concurrency_per_host=1,  # one download at a time: a blocked reactor would fetch nothing
            max_response_size="10MB",
        )
        done = run_cli("crawl", "--config", str(cfg), "--db", f"sqlite:///{tmp_path}/c.db", "-vv")
    assert done.returncode == 0, done.stderr[-3000:]
    log = done.stderr.splitlines()
    heavy_url = f"{running.base}/news/heavy.html"
    crawled_at = next(
        i for i, line in enumerate(log) if "Crawled (200)" in line and heavy_url in line
    )
    extracted_at = next(
        i for i, line in enumerate(log) if re.search(rf"extracted {re.escape(heavy_url)}$", line)
    )
    fetched_meanwhile = [
        line
        for line in log[crawled_at:extracted_at]
        if "Crawled (200)" in line and "/news/light-" in line
    ]
    assert len(fetched_meanwhile) >= 10, (
        f"fetching stalled while the heavy page was extracted: {len(fetched_meanwhile)}"
    )
