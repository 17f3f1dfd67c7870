"""Extract the article from each fetched page, off the reactor thread.

Parsing and extraction are CPU work; running them in a thread pool sized to
the cores keeps the reactor free to fetch while a page is being extracted.
Pages that are not articles (no article markup, no URL-pattern match, not
from a feed) or have no body text are dropped and counted.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.canonical import canonical_url
from crawler.extract import extract_article
from crawler.items import FetchedPage

ALWAYS_ARTICLE_ROUTES = frozenset({"feed", "revisit"})


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pool = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 2, thread_name_prefix="extract"
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def close_spider(self) -> None:
        self.pool.shutdown(wait=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        loop = asyncio.get_running_loop()
        article = await loop.run_in_executor(self.pool, extract_article, item.html, item.fetch_url)
        stats = self.crawler.stats
        assert stats is not None
        is_article = (
            article.has_article_markup
            or item.url_matches_pattern
            or item.route in ALWAYS_ARTICLE_ROUTES
        )
        if not is_article:
            stats.inc_value("crawler/not_article")
            raise DropItem(f"not an article page: {item.fetch_url}")
        if not article.text.strip():
            stats.inc_value("crawler/no_text")
            raise DropItem(f"no article text: {item.fetch_url}")
        item.article = article
        item.url = item.known_url or canonical_url(
            article.canonical or item.fetch_url, item.fetch_url
        )
        item.html = ""  # the page is no longer needed; let it go before the store batch
        return item
