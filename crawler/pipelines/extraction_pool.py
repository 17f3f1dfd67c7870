"""One pool of extraction workers per crawl process, fed pages in batches.

Handing a page to a :class:`~concurrent.futures.ProcessPoolExecutor` costs the
reactor's process more than the page's size suggests: a wake-up write to the
pool's manager thread, pickling in its feeder thread, unpickling the result
in the manager thread and a call back into the event loop, each taking the
GIL from the reactor. On 13 KB pages that was the largest share of the
reactor's time (py-spy and cProfile of ``bench/crawl.py --light``, see the
README's Performance section). So pages are sent in batches: a page goes out
at once while the pool has room (fewer than two batches a worker in flight),
and waits to join the next batch while it is busy; so batches grow exactly
when the workers are the bottleneck, and a lone page never waits.

Sources crawled side by side in one process share one pool, sized to the
cores, rather than each starting its own: the workers are the same, and
more of them than cores only adds processes, threads and hand-offs. The pool
starts its workers, and imports what they run, with its first page: a crawl
process that reads no page (every route unchanged) pays for neither.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.pipelines.processes import worker_pool

if TYPE_CHECKING:  # imported with the first page (numpy comes with it, through MinHash)
    from crawler.pipelines.worker import Page, ProcessedPage

MAX_BATCH = 16  # pages a batch; bounds what one worker's failure or a slow page holds up
IN_FLIGHT_PER_WORKER = 2  # one batch being read, the next already queued behind it


@dataclass
class ExtractionPool:
    """Worker processes that read pages (:func:`~crawler.pipelines.worker.process_page`)."""

    workers: int
    executor: ProcessPoolExecutor | None = None  # started with the first page
    waiting: list[tuple[Page, asyncio.Future[ProcessedPage]]] = field(default_factory=list)
    in_flight: int = 0
    users: int = 0  # crawls using the pool; the last to leave shuts it down
    closed: bool = False

    async def process(self, page: Page) -> ProcessedPage:
        """The page read, cleaned and fingerprinted; raises what reading it raised."""
        done = asyncio.get_running_loop().create_future()
        self.waiting.append((page, done))
        self._send()
        return await done

    def _send(self) -> None:
        """Send waiting pages, in batches, while fewer than the bound are in flight."""
        from crawler.pipelines.worker import process_pages

        if self.executor is None:
            self.executor = worker_pool(self.workers)  # each worker exits with this process
        loop = asyncio.get_running_loop()
        while self.waiting and self.in_flight < IN_FLIGHT_PER_WORKER * self.workers:
            batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
            self.in_flight += 1
            sent = self.executor.submit(process_pages, [page for page, _ in batch])
            sent.add_done_callback(
                lambda f, b=batch: loop.call_soon_threadsafe(self._receive, b, f)
            )

    def _receive(
        self,
        batch: list[tuple[Page, asyncio.Future[ProcessedPage]]],
        sent: Future[list[ProcessedPage | Exception]],
    ) -> None:
        """Settle each page's future with its result or its own error; send more."""
        self.in_flight -= 1
        try:
            results: list[ProcessedPage | Exception] = sent.result()
        except Exception as exc:  # the batch never came back: a worker died, say
            results = [exc] * len(batch)
        for (_, done), result in zip(batch, results, strict=True):
            if done.cancelled():
                continue
            if isinstance(result, Exception):
                done.set_exception(result)
            else:
                done.set_result(result)
        if not self.closed:
            self._send()

    def shutdown(self) -> None:
        """Stop the workers; pages still waiting fail with CancelledError."""
        self.closed = True
        for _, done in self.waiting:
            done.cancel()
        self.waiting = []
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


_shared: dict[str, ExtractionPool] = {}  # this process's pool, while some crawl uses it


def join(workers: int) -> ExtractionPool:
    """The process's pool, started by the first crawl to ask (with ``workers`` workers)."""
    pool = _shared.get("pool") or _shared.setdefault("pool", ExtractionPool(workers))
    pool.users += 1
    return pool


def leave(pool: ExtractionPool) -> None:
    """A crawl is done with ``pool``; the last one out shuts it down."""
    pool.users -= 1
    if pool.users == 0:
        _shared.pop("pool", None)
        pool.shutdown()
