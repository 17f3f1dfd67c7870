"""Extract, clean and fingerprint each fetched page in a process pool, off the reactor.

Parsing, finding the body, cleaning and the MinHash signature are CPU work.
Run on the reactor's thread they would hold up every download; in threads
they would still queue on the GIL. A pool of processes sized to the cores
runs :func:`crawler.pipelines.worker.process_page` while the reactor keeps
fetching. The source's furniture (lines counted on many of its articles, see
:mod:`crawler.store.furniture`) is read once, at the crawl's first page, and sent
with each page; what this crawl teaches is counted by the store pipeline, and
a line that becomes furniture during the crawl is taken out of the versions
this crawl stored before it knew (see :class:`crawler.pipelines.store.StorePipeline`).

Pages that are not articles (no article markup, no URL-pattern match, not
from a feed) and pages with no text left are dropped and counted.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.canonical import canonical_url
from crawler.extract.furniture import FURNITURE_MIN_PAGES
from crawler.items import FetchedPage
from crawler.pipelines.processes import extraction_pool, start_fork_server
from crawler.pipelines.worker import process_page
from crawler.store import articles as store
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import load_furniture

ALWAYS_ARTICLE_ROUTES = frozenset({"feed", "revisit"})
logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler, db_url: str, workers: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.furniture: frozenset[int] = frozenset()
        self.pool = extraction_pool(workers)
        self.warming: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        workers = settings.getint("CRAWLER_EXTRACT_WORKERS") or os.cpu_count() or 2
        return cls(crawler, settings["CRAWLER_DB_URL"], workers)

    def _load_furniture(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        engine = make_engine(self.db_url, write=False)
        try:
            with session_scope(engine) as session:
                source_id = store.source_id(session, spider.name)
                if source_id is not None:
                    self.furniture = load_furniture(session, source_id, FURNITURE_MIN_PAGES)
        finally:
            engine.dispose()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if self.warming is None:  # the first page: a crawl that finds none pays for neither
            self.warming = start_fork_server()
            self._load_furniture()
        if self.warming.is_alive():
            await asyncio.to_thread(self.warming.join)  # only items wait; fetching goes on
        loop = asyncio.get_running_loop()
        done = await loop.run_in_executor(
            self.pool, process_page, item.html, item.fetch_url, self.furniture
        )
        item.html = ""  # the page is no longer needed; let it go before the store batch
        logger.debug("extracted %s", item.fetch_url)
        if done.fallback:
            self._count("extract_fallback")
        article = done.article
        is_article = (
            article.has_article_markup
            or item.url_matches_pattern
            or item.route in ALWAYS_ARTICLE_ROUTES
        )
        if not is_article:
            self._count("not_article")
            raise DropItem(f"not an article page: {item.fetch_url}")
        if done.signature is None:
            self._count("no_text")
            raise DropItem(f"no article text: {item.fetch_url}")
        self._count("extracted_pages")
        self._count("extracted_chars", len(article.text))
        item.article, item.page, item.line_hashes = article, done.page, done.line_hashes
        item.content_hash, item.signature = done.content_hash, done.signature
        item.url = item.known_url or canonical_url(
            article.canonical or item.fetch_url, item.fetch_url
        )
        return item

    def _count(self, key: str, n: int = 1) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"crawler/{key}", n)
