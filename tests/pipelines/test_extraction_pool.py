"""The shared extraction pool: pages sent in batches come back to their own callers.

Real worker processes (forked from the fork server); no mocks.
"""

from __future__ import annotations

import asyncio

from crawler.pipelines import extraction_pool
from crawler.pipelines.worker import process_page, process_pages

BODY = "The council approved a budget for the new library on Tuesday evening. " * 6


def _html(n: int) -> str:
    return f"<html><body><article><h1>Story {n}</h1><p>{n}: {BODY}</p></article></body></html>"


def test_a_page_that_raises_fails_alone_in_its_batch() -> None:
    pages = [
        (_html(1), "https://pub.example/1", frozenset()),
        (None, "https://pub.example/2", frozenset()),
    ]
    first, second = process_pages(pages)  # type: ignore[arg-type] - the bad page is the point
    assert first == process_page(*pages[0])  # type: ignore[arg-type]
    assert isinstance(second, TypeError)


def test_many_pages_at_once_each_get_their_own_result_and_one_pool_serves_two_crawls() -> None:
    async def run() -> None:
        first, second = extraction_pool.join(2), extraction_pool.join(2)
        assert first is second  # crawls side by side in one process share the workers
        try:
            urls = [f"https://pub.example/{n}" for n in range(40)]
            pages = [(_html(n), url, frozenset()) for n, url in enumerate(urls)]
            bad = (None, "https://pub.example/bad", frozenset())
            results = await asyncio.gather(
                *(first.process(p) for p in [*pages[:20], bad, *pages[20:]]),  # type: ignore[arg-type]
                return_exceptions=True,
            )
            assert isinstance(results.pop(20), TypeError)
            assert [r.article.text.split(":")[0] for r in results] == [str(n) for n in range(40)]
            assert first.in_flight == 0
            assert not first.waiting
        finally:
            extraction_pool.leave(first)
            assert not first.closed  # the other crawl still uses it
            extraction_pool.leave(second)
        assert first.closed
        later = extraction_pool.join(1)
        assert later is not first  # a later crawl starts a new pool
        extraction_pool.leave(later)

    asyncio.run(run())


def test_pages_waiting_when_the_pool_shuts_down_are_cancelled() -> None:
    async def run() -> None:
        pool = extraction_pool.join(1)
        pending = [
            asyncio.ensure_future(pool.process((_html(n), f"https://pub.example/{n}", frozenset())))
            for n in range(100)
        ]
        await asyncio.sleep(0)  # all handed to the pool: most wait for a free batch slot
        assert pool.waiting
        extraction_pool.leave(pool)
        results = await asyncio.gather(*pending, return_exceptions=True)
        assert any(isinstance(r, asyncio.CancelledError) for r in results)

    asyncio.run(run())
