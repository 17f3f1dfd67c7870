"""Store items in batches, one transaction per batch, in a writer process shared by the process's crawls.

Buffering turns hundreds of small transactions into a few; sorting a batch by
URL makes concurrent writers lock rows in one order. Outcomes are counted only
after their batch commits, so the run's counts match what is stored.

Each new article or version is placed in its story's cluster, and each new
article's lines are counted towards the source's furniture, in the same
transaction. When the crawl closes, lines that became furniture during
it are taken out of the versions it stored before it knew: so a source's
very first crawl already stores clean text.

The writing itself happens in :mod:`crawler.pipelines.writer`, in one child
process started with the first batch, while the reactor goes on fetching (a
crawl that stores nothing, an idle poll, neither starts it nor imports it).
The crawls running side by side in one process share it (its memory was a
process's largest cost in a daemon's first cycle), and the last to close
stops it; one that finds it dead (killed, say) starts another for the
batches to come, so one crawl's loss never stops the next crawl's writes. Items wait only when the batch
before theirs is still being written, which is the back-pressure a slow
database should give. Database faults are retried for ``store_retry`` (a
crawl setting, one minute by default); a batch that fails otherwise (an item
the database refuses) is written item by item, so one bad item costs only
itself. Each item not stored is
counted (``lost``, ``errors/store``) and named, with the reason, in the run's
errors (the :data:`STORE_FAILURES` stat), and the run ends ``partial``; what
was stored stays, and the next crawl fetches the lost pages again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from scrapy.crawler import Crawler

from crawler.items import FetchedPage, Gone, NotModified
from crawler.pipelines.processes import worker_pool
from crawler.store.retry import one_line

if TYPE_CHECKING:  # the writer (and numpy, through MinHash) is imported once there is a page
    from crawler.pipelines.writer import Item, Written

logger = logging.getLogger(__name__)
STORE_FAILURES = "store/failures"  # a stat: one line per item not stored, for the run's errors
# A stat: the crawl wrote nothing, so the runner forgets the source's rare lines (as a
# writer does at a crawl's end, :func:`crawler.store.furniture.forget_rare`) when it records the run.
FORGET_RARE = "store/forget_rare"


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str, batch_size: int, retry_s: float) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.retry_s = retry_s
        self.buffer: list[Item] = []
        self.writer: SharedWriter | None = None  # joined with the first batch
        self.source_id = 0  # the spider's, when it opens
        self.writing: asyncio.Future[None] | None = None  # the batch being written

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            crawler,
            settings["CRAWLER_DB_URL"],
            settings.getint("CRAWLER_STORE_BATCH", 50),
            settings.getfloat("CRAWLER_STORE_RETRY_S", 60.0),
        )

    def open_spider(self) -> None:
        assert self.crawler.spider is not None
        self.source_id = self.crawler.spider.source_id

    async def close_spider(self) -> None:
        await self._write_buffer()
        if self.writing is not None:
            await self.writing
        if self.writer is None:
            # Nothing was written (an idle poll, a revisit of an unchanged site), so nothing
            # was learnt: only forgetting rare lines is left, which the runner does in the
            # transaction that records the run (one transaction an idle poll, not two).
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(FORGET_RARE, True)
            return
        from crawler.pipelines import writer

        failure = "could not strip the furniture learnt in this crawl"
        try:
            await self._count(self._in_writer(writer.finish), failure)
        finally:
            self.writer.leave()

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedPage | NotModified | Gone):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                await self._write_buffer()
        return item

    async def _write_buffer(self) -> None:
        """Hand the buffer to the writer once the batch before it is written."""
        if self.writing is not None:
            await self.writing
        if not self.buffer:
            return
        from crawler.pipelines import writer

        batch, self.buffer = self.buffer, []
        message = f"could not store a batch of {len(batch)} pages"
        self.writing = asyncio.ensure_future(
            self._count(self._in_writer(writer.write_batch, batch), message, len(batch))
        )

    def _in_writer(
        self, job: Callable[..., Written | Counter[str]], *args: Any
    ) -> asyncio.Future[Written | Counter[str]]:
        """Run ``job(source_id, *args)`` in the process's writer, joined on first use."""
        if self.writer is None:
            self.writer = SharedWriter.join(self.db_url, self.retry_s)
        return self.writer.run(job, self.source_id, *args)

    async def _count(
        self, job: Awaitable[Written | Counter[str]], failure: str, items: int = 0
    ) -> None:
        """Count the outcomes ``job`` returns and keep its failure lines.

        If ``job`` itself fails (the writer process died, say), its ``items``
        are lost and it is one error.
        """
        failures: list[str] = []
        try:
            done = await job
        except Exception as exc:
            logger.exception(failure)
            counts = +Counter({"errors/store": 1, "lost": items})
            failures = [f"store: {failure}: {one_line(exc)}"]
        else:
            counts = done if isinstance(done, Counter) else done.counts
            failures = [] if isinstance(done, Counter) else done.failures
        stats = self.crawler.stats
        assert stats is not None
        for outcome, n in counts.items():
            stats.inc_value(f"crawler/{outcome}", n)
        if failures:
            stats.set_value(STORE_FAILURES, stats.get_value(STORE_FAILURES, []) + failures)


@dataclass(eq=False)
class SharedWriter:
    """The writer process of this process's crawls on one store (and retry budget).

    ``users``: the crawls that joined and have not left; the last to leave shuts it down.
    """

    key: tuple[str, float]  # (database URL, store retry in seconds)
    executor: ProcessPoolExecutor | None = None
    users: int = 0

    @classmethod
    def join(cls, db_url: str, retry_s: float) -> SharedWriter:
        """The writer for ``db_url`` and ``retry_s``, made by the first crawl to ask."""
        key = (db_url, retry_s)
        shared = _WRITERS.get(key) or _WRITERS.setdefault(key, cls(key))
        shared.users += 1
        return shared

    def run(self, job: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """``job(*args)`` in the writer process; a dead one is replaced first.

        Raises nothing itself: the future fails if the job does (or its process dies meanwhile).
        """
        loop = asyncio.get_running_loop()
        if self.executor is not None:
            try:
                return loop.run_in_executor(self.executor, job, *args)
            except BrokenProcessPool:  # it died (its batches then failed, counted lost)
                logger.warning("the store writer process died; starting another")
                self.executor.shutdown(wait=False)
        from crawler.pipelines import writer

        self.executor = worker_pool(1, writer.open_writer, self.key)
        return loop.run_in_executor(self.executor, job, *args)

    def leave(self) -> None:
        """A crawl is done with the writer; the last one out stops its process."""
        self.users -= 1
        if self.users == 0:
            _WRITERS.pop(self.key, None)
            if self.executor is not None:
                self.executor.shutdown(wait=True)


_WRITERS: dict[tuple[str, float], SharedWriter] = {}  # this process's, while some crawl uses one
