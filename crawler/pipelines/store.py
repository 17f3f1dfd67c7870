"""Store items in batches, one transaction per batch, through the store's entry points.

Buffering turns hundreds of small transactions into a few; sorting a batch by
URL makes concurrent writers lock rows in one order. Outcomes are counted only
after their batch commits, so the run's counts match what is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from crawler.items import FetchedPage, Gone, NotModified
from crawler.store import articles as store
from crawler.store.db import make_engine, session_scope

Item = FetchedPage | NotModified | Gone


def _key(item: Item) -> str:
    return item.url or ""


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str, batch_size: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.buffer: list[Item] = []
        self.engine: Engine | None = None
        self.source_id = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(crawler, settings["CRAWLER_DB_URL"], settings.getint("CRAWLER_STORE_BATCH", 50))

    def open_spider(self) -> None:
        self.engine = make_engine(self.db_url)
        assert self.crawler.spider is not None
        with session_scope(self.engine) as session:
            self.source_id = store.ensure_source(
                session, self.crawler.spider.name, datetime.now(UTC)
            )

    def close_spider(self) -> None:
        self.flush()
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedPage | NotModified | Gone):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        if not self.buffer or self.engine is None:
            return
        batch, self.buffer = sorted(self.buffer, key=_key), []
        outcomes: list[str] = []
        with session_scope(self.engine) as session:
            for item in batch:
                outcomes.append(self._record(session, item))
        stats = self.crawler.stats
        assert stats is not None
        for outcome in outcomes:
            stats.inc_value(f"crawler/{outcome}")

    def _record(self, session: Any, item: Item) -> str:
        if isinstance(item, NotModified):
            store.touch(session, item.url, item.fetched_at, item.etag, item.last_modified)
            return "not_modified"
        if isinstance(item, Gone):
            return "gone" if store.mark_gone(session, item.url, item.fetched_at) else "already_gone"
        article = item.article
        assert article is not None
        assert item.url
        assert item.content_hash
        outcome = store.record_fetch(
            session,
            self.source_id,
            store.FetchRecord(
                url=item.url,
                fetch_url=item.fetch_url,
                title=article.title,
                text=article.text,
                content_hash=item.content_hash,
                fetched_at=item.fetched_at,
                authors=article.authors,
                published=article.published,
                modified=article.modified,
                etag=item.etag,
                last_modified=item.last_modified,
            ),
        )
        return outcome.value
