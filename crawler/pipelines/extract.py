"""Read each fetched page in a process pool, so extraction never stalls fetching.

Parsing and finding the body are CPU work. Run on the reactor's thread they
would hold up every download; in threads they would still queue on the GIL.
A pool of processes sized to the cores reads pages in parallel while the
reactor keeps fetching. The worker also compresses the page for keeping
beside its version. Pages that are not articles (no article markup, no
URL-pattern match, not from a feed) are dropped and counted.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.canonical import canonical_url
from crawler.items import FetchedPage
from crawler.pipelines.reading import read_and_pack

ALWAYS_ARTICLE_ROUTES = frozenset({"feed", "revisit"})
logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler, workers: int) -> None:
        self.crawler = crawler
        # "spawn": a forked child would inherit the running reactor and its sockets.
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        workers = crawler.settings.getint("CRAWLER_EXTRACT_WORKERS") or os.cpu_count() or 2
        return cls(crawler, workers)

    def close_spider(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        loop = asyncio.get_running_loop()
        reading, page = await loop.run_in_executor(
            self.pool, read_and_pack, item.html, item.fetch_url
        )
        item.html = ""  # the page is no longer needed; let it go before the store batch
        logger.debug("extracted %s", item.fetch_url)
        if reading.fallback:
            self._count("extract_fallback")
        meta = reading.meta
        is_article = (
            meta.has_article_markup
            or item.url_matches_pattern
            or item.route in ALWAYS_ARTICLE_ROUTES
        )
        if not is_article:
            self._count("not_article")
            raise DropItem(f"not an article page: {item.fetch_url}")
        item.reading, item.page = reading, page
        item.url = item.known_url or canonical_url(meta.canonical or item.fetch_url, item.fetch_url)
        return item

    def _count(self, key: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"crawler/{key}")
