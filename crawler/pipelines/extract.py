"""Extract, clean and fingerprint each fetched page in a process pool, off the reactor.

Parsing, finding the body, cleaning and the MinHash signature are CPU work.
Run on the reactor's thread they would hold up every download; in threads
they would still queue on the GIL. A pool of processes sized to the cores
(one for the whole process, fed in batches: see
:mod:`crawler.pipelines.extraction_pool`) runs
:func:`crawler.pipelines.worker.process_page` while the reactor keeps
fetching. The source's furniture (lines counted on many of its articles, see
:mod:`crawler.store.furniture`) is read once, at the crawl's first page, and sent
with each page; what this crawl teaches is counted by the store pipeline, and
a line that becomes furniture during the crawl is taken out of the versions
this crawl stored before it knew (see :class:`crawler.pipelines.store.StorePipeline`).

Pages that are not articles and pages with too little text are dropped and
counted (``not_article``, ``no_text``, ``too_short``): an article has article
markup, an address matching the source's ``article_url_pattern``, came from a
feed, or came from a sitemap and reads as a run of real prose
(:func:`crawler.extract.body.reads_as_article`). A page's declared canonical
keys its article only when :func:`crawler.canonical.canonical_refusal` finds
nothing against it; the store's own checks follow (:mod:`crawler.dedupe.identity`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import SQLAlchemyError

from crawler.canonical import canonical_refusal, canonical_url, url_key
from crawler.items import FetchedPage
from crawler.pipelines import extraction_pool
from crawler.pipelines.processes import start_fork_server
from crawler.store import articles as store
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import load_furniture
from crawler.store.retry import one_line

ALWAYS_ARTICLE_ROUTES = frozenset({"feed", "revisit"})
PROSE_ARTICLE_ROUTES = frozenset({"feed", "sitemap"})  # prose alone makes an article there
# The shortest real bodies are 294 characters as extracted (303 in the ground truth) on
# extraction-corpora/fundus and 367 on extraction-bench; a truncated page holds a few words.
MIN_BODY_CHARS = 200
logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler, db_url: str, workers: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.furniture: frozenset[int] = frozenset()
        self.workers = workers
        self.pool: extraction_pool.ExtractionPool | None = None  # joined when the crawl opens
        self.warming: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        workers = settings.getint("CRAWLER_EXTRACT_WORKERS") or os.cpu_count() or 2
        return cls(crawler, settings["CRAWLER_DB_URL"], workers)

    def open_spider(self) -> None:
        self.pool = extraction_pool.join(self.workers)  # its workers start with the first page

    def _load_furniture(self) -> None:
        """The source's furniture, read at its first page; a database that cannot answer now
        leaves it empty (pages are cleaned of it at the crawl's end instead, and the writer
        accounts for what it cannot store)."""
        # Here: a crawl with no page (an idle poll) never imports the extraction rules.
        from crawler.extract.furniture import FURNITURE_MIN_PAGES

        spider = self.crawler.spider
        assert spider is not None
        engine = make_engine(self.db_url, write=False)
        try:
            with session_scope(engine) as session:
                source_id = store.source_id(session, spider.name)
                if source_id is not None:
                    self.furniture = load_furniture(session, source_id, FURNITURE_MIN_PAGES)
        except SQLAlchemyError as exc:
            logger.warning("furniture not read, pages extracted without it: %s", one_line(exc))
        finally:
            engine.dispose()

    def close_spider(self) -> None:
        if self.pool is not None:
            extraction_pool.leave(self.pool)
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if self.warming is None:  # the first page: a crawl that finds none pays for neither
            self.warming = start_fork_server()
            self._load_furniture()
        if self.warming.is_alive():
            await asyncio.to_thread(self.warming.join)  # only items wait; fetching goes on
        assert self.pool is not None, "open_spider first"
        done = await self.pool.process(
            (item.html, item.fetch_url, self.furniture, tuple(item.continuations))
        )
        item.html, item.continuations = "", []  # let the pages go before the store batch
        logger.debug("extracted %s", item.fetch_url)
        if done.fallback:
            self._count("extract_fallback")
        article = done.article
        is_article = (
            article.has_article_markup
            or item.url_matches_pattern
            or item.route in ALWAYS_ARTICLE_ROUTES
            or (item.route in PROSE_ARTICLE_ROUTES and article.reads_as_article)
        )
        spider = self.crawler.spider
        if not is_article:
            self._count("not_article")
            if spider is not None:  # a canonical naming it is refused from now on
                spider.listings.add(url_key(item.fetch_url))
            raise DropItem(f"not an article page: {item.fetch_url}")
        if done.signature is None:
            self._count("no_text")
            raise DropItem(f"no article text: {item.fetch_url}")
        if len(article.text) < MIN_BODY_CHARS:
            self._count("too_short")
            raise DropItem(f"article text under {MIN_BODY_CHARS} characters: {item.fetch_url}")
        self._count("extracted_pages")
        self._count("extracted_chars", len(article.text))
        item.article, item.page, item.line_hashes = article, done.page, done.line_hashes
        item.positions = done.positions
        item.content_hash, item.signature = done.content_hash, done.signature
        item.url = item.known_url or self._key(item, article.canonical)
        return item

    def _key(self, item: FetchedPage, declared: str | None) -> str:
        """The page's declared canonical if acceptable, else its fetch URL; refusals counted."""
        if not declared:
            return item.fetch_url
        canonical = canonical_url(declared, item.fetch_url)
        spider = self.crawler.spider
        assert spider is not None
        reason = canonical_refusal(canonical, item.fetch_url, spider.source.hosts, spider.listings)
        if reason is None:
            return canonical
        item.canonical_refused = reason
        self._count(f"canonical_ignored/{reason}")
        return item.fetch_url

    def _count(self, key: str, n: int = 1) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"crawler/{key}", n)
