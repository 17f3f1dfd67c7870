"""Store items in batches, one transaction per batch, through the store's entry points.

Buffering turns hundreds of small transactions into a few; sorting a batch by
URL makes concurrent writers lock rows in one order. Outcomes are counted only
after their batch commits, so the run's counts match what is stored.

Each new article or version is placed in its story's cluster, and each new
article's lines are counted towards the source's furniture, in the same
transaction. When the crawl closes, lines that became furniture during
it are taken out of the versions it stored before it knew: so a source's
very first crawl already stores clean text.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from crawler.dedupe.clusters import record_articles
from crawler.dedupe.fingerprint import content_hash
from crawler.extract import EXTRACTOR_VERSION
from crawler.extract.furniture import FURNITURE_MIN_PAGES, strip_furniture
from crawler.items import FetchedPage, Gone, NotModified
from crawler.store import articles as store
from crawler.store.clusters import lock_clusters
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import count_lines, forget_rare_lines, load_furniture

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
        self.furniture_at_open: frozenset[int] = frozenset()
        self.stored_urls: set[str] = set()  # articles given a version by this crawl

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
            self.furniture_at_open = load_furniture(session, self.source_id, FURNITURE_MIN_PAGES)

    def close_spider(self) -> None:
        self.flush()
        if self.engine is not None:
            self.strip_new_furniture()
            self.engine.dispose()

    def strip_new_furniture(self) -> None:
        """Take lines that became furniture during this crawl out of what it stored.

        Only the cleaning changes, not the publisher's text, so each version is
        corrected in place. One that becomes identical to its predecessor (the
        "edit" was a furniture line) is counted, not removed.
        """
        assert self.engine is not None
        with session_scope(self.engine) as session:
            new = load_furniture(session, self.source_id, FURNITURE_MIN_PAGES)
            new -= self.furniture_at_open
            forget_rare_lines(session, self.source_id, datetime.now(UTC))
            if not new or not self.stored_urls:
                return
            corrections: dict[int, store.VersionText] = {}
            identical = 0
            for current in store.current_versions(session, self.stored_urls):
                text = strip_furniture(current.text, new)
                if text == current.text or not text.strip():
                    continue
                new_hash = content_hash(current.title, text)
                corrections[current.version_id] = store.VersionText(
                    title=current.title,
                    text=text,
                    content_hash=new_hash,
                    extractor_version=EXTRACTOR_VERSION,
                    authors=current.authors,
                    published=current.published,
                    modified=current.modified,
                )
                identical += new_hash == current.previous_hash
            store.correct_versions(session, corrections)
            corrected = len(corrections)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("crawler/furniture_learnt", len(new))
        stats.inc_value("crawler/furniture_stripped", corrected)
        if identical:
            stats.inc_value("crawler/furniture_identical", identical)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedPage | NotModified | Gone):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        """Write the buffer in one transaction: fetched pages, then 304s, then gone pages."""
        if not self.buffer or self.engine is None:
            return
        batch, self.buffer = sorted(self.buffer, key=_key), []
        fetched = [item for item in batch if isinstance(item, FetchedPage)]
        outcomes: list[str] = []
        with session_scope(self.engine) as session:
            if fetched:
                lock_clusters(session)  # first, before any row lock: one lock order for all
                outcomes += self._record_pages(session, fetched)
            not_modified = [item for item in batch if isinstance(item, NotModified)]
            store.touch_many(
                session,
                [store.Touch(i.url, i.fetched_at, i.etag, i.last_modified) for i in not_modified],
            )
            outcomes += ["not_modified"] * len(not_modified)
            for item in batch:
                if isinstance(item, Gone):
                    gone = store.mark_gone(session, item.url, item.fetched_at)
                    outcomes.append("gone" if gone else "already_gone")
        stats = self.crawler.stats
        assert stats is not None
        for outcome, n in Counter(outcomes).items():
            stats.inc_value(f"crawler/{outcome}", n)

    def _record_pages(self, session: Any, items: list[FetchedPage]) -> list[str]:
        records = []
        for item in items:
            article = item.article
            assert article is not None
            assert item.url
            assert item.content_hash
            assert item.signature is not None
            record = store.FetchRecord(
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
                page=item.page,
                extractor_version=EXTRACTOR_VERSION,
            )
            records.append((record, item.signature))
        outcomes = record_articles(session, self.source_id, records)
        self.stored_urls.update(
            item.url
            for item, o in zip(items, outcomes, strict=True)
            if o is not store.Outcome.UNCHANGED
        )
        new_pages = [
            item.line_hashes
            for item, o in zip(items, outcomes, strict=True)
            if o is store.Outcome.NEW
        ]
        count_lines(session, self.source_id, new_pages, max(i.fetched_at for i in items))
        return [o.value for o in outcomes]
