"""Run crawls of sources in this process: one reactor, any number of crawls.

The reactor is installed and started once; inside it each source's crawl is
an :class:`~scrapy.crawler.AsyncCrawlerRunner` job, so several crawls can run
back to back (``crawler demo``) or side by side (several sources). A stopped
reactor never restarts: callers that crawl again and again (the daemon) do so
in a fresh child process each time, through the same ``crawler crawl``.

SIGTERM or SIGINT stops the crawls cleanly: no new requests, in-flight ones
abandoned, pipelines flushed, connections closed, and the run recorded as
``stopped``. A second signal exits at once.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import default_settings
from scrapy.utils.log import configure_logging
from scrapy.utils.reactor import install_reactor

from crawler.config import CRAWLS_AT_ONCE, Source
from crawler.crawl.settings import CrawlSettings, build_settings
from crawler.pipelines.store import FORGET_RARE, STORE_FAILURES
from crawler.robots import origin_of
from crawler.spiders.news import NewsSpider
from crawler.store import articles as store
from crawler.store import robots as robots_store
from crawler.store import routes as route_store
from crawler.store import runs
from crawler.store.db import session_scope, shared_engine
from crawler.store.furniture import forget_rare
from crawler.store.locks import source_lock
from crawler.store.retry import FaultRetry
from crawler.store.robots import StoredRobots
from crawler.store.routes import RouteState

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
ROOT_HANDLER = "crawler"  # the root logging handler's name
T = TypeVar("T")
_RUNNERS: list[AsyncCrawlerRunner] = []  # what a stop signal stops
_STOP_REQUESTED: list[bool] = []  # not empty once a stop signal came: no crawl starts then
NEVER_BEGAN = "a stop signal came before its crawl began"
STOP_POLL_S = 0.05  # a stop that came while a spider opens looks this often for its engine
logger = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What one crawl of one source did."""

    source: str
    status: str
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


STAT_NAMES = {
    "robotstxt/forbidden": "blocked_by_robots",
    "retry/count": "retries",
}


def summarise_stats(stats: dict[str, Any]) -> dict[str, int]:
    """Our counters (``crawler/...``) plus a few of Scrapy's, under stable names."""
    counts: dict[str, int] = {}
    for key, value in stats.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if key.startswith("crawler/"):
            counts[key.removeprefix("crawler/")] = value
        elif key in STAT_NAMES:
            counts[STAT_NAMES[key]] = value
    counts["errors"] = sum(v for k, v in counts.items() if k.startswith("errors/"))
    return counts


async def crawl_source(
    runner: AsyncCrawlerRunner,
    source: Source,
    db_url: str,
    log_level: str = "WARNING",
    timeout: timedelta | None = None,
    workers: int | None = None,
) -> RunSummary:
    """Crawl one source into ``db_url`` and record the run in crawl_runs.

    ``workers``: how many extraction worker processes the crawl process starts (None:
    one per core); the process's crawls share them.

    Only one crawl of a source runs at a time: if another holds the source's
    lock, this one does nothing and says so (status ``skipped``). A crawl
    still running ``timeout`` after it started is stopped cleanly (what it
    fetched is stored) and recorded ``timed_out``.
    """
    with source_lock(db_url, source.name) as held:
        if not held:
            now = datetime.now(UTC)
            message = f"another crawl of {source.name!r} is running on this database; skipped"
            logger.warning(message)
            return RunSummary(source.name, runs.SKIPPED, now, now, errors=[message])
        return await _crawl_locked(runner, source, db_url, log_level, timeout, workers)


async def _crawl_locked(
    runner: AsyncCrawlerRunner,
    source: Source,
    db_url: str,
    log_level: str,
    timeout: timedelta | None,
    workers: int | None,
) -> RunSummary:
    engine = shared_engine(db_url)
    started = datetime.now(UTC)

    def read_state() -> tuple[
        int, int, list[store.KnownArticle], dict[str, RouteState], dict[str, StoredRobots]
    ]:
        with session_scope(engine) as session:
            source_id = store.ensure_source(session, source.name, started)
            if abandoned := runs.fail_abandoned(session, source_id, started):
                logger.warning(
                    "%s: %d run(s) left running by a dead crawl marked failed",
                    source.name,
                    abandoned,
                )
            run_id = runs.start_run(session, source_id, started)
            revisits = store.due_for_revisit(
                session,
                source_id,
                started,
                within=timedelta(days=source.revisit.within_days),
                min_interval=source.revisit.min_interval,
            )
            routes = route_store.load_routes(session, source_id)
            robots = robots_store.load_robots(session, (origin_of(url) for url in source.routes))
        return source_id, run_id, revisits, routes, robots

    # In a thread, so that a stop signal coming meanwhile is handled at once (below).
    source_id, run_id, revisits, routes, robots = await asyncio.to_thread(read_state)
    retry = FaultRetry(source.store_retry.total_seconds())
    if _STOP_REQUESTED:  # it came while the source's state was read: the crawl never begins
        finished = datetime.now(UTC)

        def stopped() -> None:
            with session_scope(engine) as session:
                runs.finish_run(session, run_id, finished, runs.STOPPED, {}, [NEVER_BEGAN])

        retry.run(stopped)
        return RunSummary(source.name, runs.STOPPED, started, finished, errors=[NEVER_BEGAN])

    def known() -> frozenset[str]:
        def read() -> frozenset[str]:
            with session_scope(shared_engine(db_url, write=False)) as session:
                return frozenset(store.known_urls(session, source_id))

        return retry.run(read)

    crawler = Crawler(NewsSpider, CrawlSettings(build_settings(source, db_url, log_level, workers)))
    reason: str | None = None
    deadline = _Deadline(crawler, timeout) if timeout else None
    try:
        await runner.crawl(
            crawler,
            source=source,
            source_id=source_id,
            known_urls=known,
            revisits=revisits,
            routes=routes,
            robots=robots,
        )
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        logging.getLogger(__name__).exception("crawl of %s failed", source.name)
    timed_out = deadline is not None and deadline.settle()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    counts = summarise_stats(stats)
    spider = crawler.spider
    route_errors: list[str] = []
    if isinstance(spider, NewsSpider) and spider.every_route_failed():
        route_errors = list(spider.failed_routes.values())
    status, errors = run_outcome(reason, counts, route_errors)
    if timed_out:  # stopped by its deadline: what it stored stays, the rest waits for a next run
        status, errors = runs.TIMED_OUT, [f"timed out after {timeout}", *errors]
    errors += stats.get(STORE_FAILURES, [])  # what was lost, by URL, before what was not fetched
    if isinstance(spider, NewsSpider):
        errors += [e for e in spider.errors if e not in errors]
    errors = _first_lines(errors)
    finished = datetime.now(UTC)

    def finish() -> None:
        with session_scope(engine) as session:
            if isinstance(spider, NewsSpider):  # what robots.txt said is kept whatever the outcome
                robots_store.save_robots(session, spider.robots_updates)
            if status == runs.OK and isinstance(spider, NewsSpider):
                route_store.save_routes(session, source_id, spider.routes_to_keep())
            if stats.get(FORGET_RARE):
                forget_rare(session, source_id, finished)
            runs.finish_run(session, run_id, finished, status, counts, errors)

    retry.run(finish)
    return RunSummary(source.name, status, started, finished, counts, errors)


async def stop_crawler(crawler: Crawler) -> None:
    """Stop ``crawler`` cleanly (Scrapy's graceful stop), also while its spider still opens.

    Scrapy's ``Crawler.stop_async`` stops only an engine that already runs:
    called while the spider opens (pipelines opening, the store read), it
    marks the crawler stopped and leaves the engine be, which then crawls to
    its end and waits for ever for the stop it was never told of (a SIGTERM
    three seconds after ``crawler crawl`` started hung it). So this waits,
    in steps of :data:`STOP_POLL_S`, until the engine runs or the crawl is
    over, and stops it then.
    """
    while crawler.crawling and not _engine_running(crawler):
        await asyncio.sleep(STOP_POLL_S)
    await crawler.stop_async()


def _engine_running(crawler: Crawler) -> bool:
    try:
        return bool(crawler.engine.running)
    except RuntimeError:  # Scrapy: "Crawler.engine is not set yet" before the crawl starts
        return False


def run_outcome(
    reason: str | None, counts: dict[str, int], route_errors: list[str]
) -> tuple[str, list[str]]:
    """A run's status, and the error lines that explain it, from how its crawl ended.

    ``reason``: Scrapy's ``finish_reason`` (``finished``, ``shutdown`` on a stop
    signal, anything else when it ended early), or the exception that ended it.
    ``counts`` (see :func:`summarise_stats`): ``lost`` items, not stored, make
    the run ``partial``. ``route_errors``: one line per route when every feed,
    sitemap and start URL failed to download; with nothing fetched either (no
    revisit got through) the run is ``failed`` and these lines are its errors.
    """
    if reason not in (None, "finished", "shutdown"):
        return runs.FAILED, [f"crawl ended early: {reason}"]
    stopped = ["stopped by a signal before the crawl was done"] if reason == "shutdown" else []
    if lost := counts.get("lost", 0):
        lines = [f"{lost} items not stored (named below); the next crawl fetches them again"]
        return runs.PARTIAL, [*lines, *stopped]
    if stopped:
        return runs.STOPPED, stopped
    if route_errors and not counts.get("pages_fetched", 0):
        return runs.FAILED, route_errors
    return runs.OK, []


def _first_lines(errors: list[str]) -> list[str]:
    """Each error as one line (its first), for ``crawl_runs.errors`` and the status table."""
    return [(e.strip().splitlines() or [""])[0] for e in errors]


class _Deadline:
    """Stops a crawl ``timeout`` after it started; says whether it did."""

    def __init__(self, crawler: Crawler, timeout: timedelta) -> None:
        self.fired = False
        self.crawler = crawler
        self.stopping: asyncio.Future[None] | None = None
        self.handle = asyncio.get_running_loop().call_later(timeout.total_seconds(), self._fire)

    def _fire(self) -> None:
        self.fired = True
        logger.warning("%s: run timeout reached; stopping its crawl", self.crawler.spider)
        self.stopping = asyncio.ensure_future(stop_crawler(self.crawler))

    def settle(self) -> bool:
        """The crawl is over: cancel the deadline; True if it had fired (the crawl timed out)."""
        self.handle.cancel()
        return self.fired


async def crawl_sources(
    sources: list[Source],
    db_url: str,
    log_level: str = "WARNING",
    timeout: timedelta | None = None,
    workers: int | None = None,
) -> list[RunSummary]:
    """Crawl several sources, :data:`CRAWLS_AT_ONCE` side by side; one summary each, in order.

    ``timeout`` applies to each source's crawl from its own start; ``workers`` as in
    :func:`crawl_source`.
    """
    runner = AsyncCrawlerRunner()
    _RUNNERS.append(runner)
    turns = asyncio.Semaphore(CRAWLS_AT_ONCE)

    async def in_turn(source: Source) -> RunSummary:
        async with turns:
            if _STOP_REQUESTED:  # its turn came after a stop signal: it never began
                now = datetime.now(UTC)
                return RunSummary(
                    source.name,
                    runs.STOPPED,
                    now,
                    now,
                    errors=[NEVER_BEGAN],
                )
            return await crawl_source(runner, source, db_url, log_level, timeout, workers)

    return list(await asyncio.gather(*(in_turn(s) for s in sources)))


def run_with_reactor(main: Callable[[], Awaitable[T]], log_level: str = "WARNING") -> T:
    """Install the asyncio reactor, run ``main()`` in it to completion, and return its result."""
    install_reactor(ASYNCIO_REACTOR)
    _configure_logging(log_level)
    # Scrapy leaves its loggers at DEBUG (and each crawler resets the root to NOTSET),
    # filtering only in the handler: every page then built, and dropped, three DEBUG
    # records. The level goes on the loggers, so below it a log call costs nothing.
    for name in ("scrapy", "crawler"):
        logging.getLogger(name).setLevel(log_level)
    logging.getLogger("scrapy.extensions.logstats").setLevel(logging.INFO)
    from twisted.internet import reactor

    # What is imported by now lives as long as the process: out of the collector's sight,
    # the collections that a batch of crawls sets off no longer walk it (8% of an idle
    # batch's CPU), and the helper processes forked later share its pages.
    gc.freeze()

    outcome: dict[str, Any] = {}

    async def wrapper() -> None:
        _install_stop_handlers(tasks)
        try:
            outcome["value"] = await main()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            reactor.callLater(0, reactor.stop)  # type: ignore[attr-defined]

    tasks: list[asyncio.Future[None]] = []  # keep references until the reactor stops

    reactor.callWhenRunning(lambda: tasks.append(asyncio.ensure_future(wrapper())))  # type: ignore[attr-defined]
    reactor.run(installSignalHandlers=False)  # type: ignore[attr-defined]
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def _configure_logging(log_level: str) -> None:
    """Scrapy's logging set-up, with one root handler of ours at ``log_level``, in Scrapy's format.

    Scrapy's own root handler is built again by every crawler (a formatter
    looked up, a stream handler made): a cost per source of a batch. Ours is
    made once; no crawler touches it.
    """
    configure_logging({"LOG_LEVEL": log_level, "LOG_INSTALL_ROOT_HANDLER": False})
    for old in [h for h in logging.root.handlers if h.name == ROOT_HANDLER]:
        logging.root.removeHandler(old)  # an earlier run's, in this process
    handler = logging.StreamHandler()
    handler.name = ROOT_HANDLER
    handler.setFormatter(
        logging.Formatter(default_settings.LOG_FORMAT, default_settings.LOG_DATEFORMAT)
    )
    handler.setLevel(log_level)
    logging.root.setLevel(logging.NOTSET)
    logging.root.addHandler(handler)


def _install_stop_handlers(tasks: list[asyncio.Future[None]]) -> None:
    """SIGTERM/SIGINT: stop every crawl cleanly; a second one: exit at once."""
    loop = asyncio.get_running_loop()
    requested = False

    def on_signal(signum: int) -> None:
        nonlocal requested
        name = signal.Signals(signum).name
        if requested:
            logger.warning("%s again: exiting at once", name)
            os._exit(1)
        requested = True
        _STOP_REQUESTED.append(True)
        logger.warning("%s: stopping cleanly (send it again to exit at once)", name)
        tasks.extend(
            asyncio.ensure_future(stop_crawler(crawler))
            for runner in _RUNNERS
            for crawler in list(runner.crawlers)
        )

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
