"""Clean each article: headline repeats, boilerplate, and the source's learnt furniture.

The furniture (lines counted on many of the source's articles, see
:mod:`crawler.store.furniture`) is read once when the crawl opens. What this
crawl teaches is counted by the store pipeline as articles are stored, and a
line that becomes furniture during the crawl is taken out of the versions
this crawl stored before it knew (see :class:`crawler.pipelines.store.StorePipeline`).
"""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract import clean_article
from crawler.extract.furniture import FURNITURE_MIN_PAGES, page_line_hashes
from crawler.items import FetchedPage
from crawler.store import articles as store
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import load_furniture


class CleanPipeline:
    def __init__(self, crawler: Crawler, db_url: str) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.furniture: frozenset[int] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings["CRAWLER_DB_URL"])

    def open_spider(self) -> None:
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

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage) or item.reading is None:
            return item
        article = clean_article(item.reading, self.furniture)
        if not article.text.strip():
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value("crawler/no_text")
            raise DropItem(f"no article text: {item.fetch_url}")
        item.article = article
        item.line_hashes = frozenset(page_line_hashes(article.text.split("\n")))
        item.reading = None
        return item
