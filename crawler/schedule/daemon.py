"""``crawler daemon``: every source on its own cadence, due sources crawled in batches by ``crawler crawl`` children.

APScheduler 3 (AsyncIOScheduler) fires each source's job; the job joins the
batch being formed, and a batch (the sources due within
:data:`BATCH_WINDOW_S` of its first, at most ``batch_size``; it keeps taking
sources while it waits for a slot) runs in one child process
(:mod:`crawler.schedule.child`) under a deadline, so that sources due
together pay one start-up. Each source still has its own lock, its own
``crawl_runs`` row and status, at most one run at a time (a tick that finds
the last run still going is skipped and logged); at most
``max_parallel_crawls`` children run at once. Schedules resume from
``crawl_runs`` after a restart (:mod:`crawler.schedule.plan`).

Signals: SIGTERM/SIGINT stop taking work, pass SIGTERM to running crawls
(they flush and record their run as ``stopped``) and exit 0 once they are
done or ``stop_timeout`` has passed (then they are killed); a second signal
kills them and exits 1 at once. SIGHUP re-reads the config file: sources
added, removed or rescheduled take effect; a bad file is logged in one line
and the running config kept. Children always read the last good config, from
a snapshot the daemon writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import signal
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from crawler.config import Config, ConfigError, Source, load
from crawler.schedule.child import CrawlChild, batch_deadline, record_outcome, workers_per_child
from crawler.schedule.plan import first_run, trigger_for
from crawler.store import runs
from crawler.store.db import make_engine, session_scope

if TYPE_CHECKING:  # queue mode's and metrics' modules (procrastinate, psycopg, prometheus_client)
    # are imported when used: a local daemon, the usual, lives without their 15 MB
    from crawler.schedule.leader import Leadership
    from crawler.schedule.metrics import Metrics
    from crawler.schedule.queue import Enqueuer

logger = logging.getLogger("crawler.daemon")
# How long a batch waits for more due sources after its first. APScheduler fires the jobs
# of one tick within milliseconds; a second also gathers sources a little jitter apart.
BATCH_WINDOW_S = 1.0


@dataclass(eq=False)
class Batch:
    """Sources due together, to be crawled in one child."""

    names: list[str] = field(default_factory=list)
    full: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)


def _now() -> datetime:
    return datetime.now(UTC)


class Daemon:
    def __init__(self, config_path: Path, db_url: str, metrics: Metrics | None = None) -> None:
        self.config_path = config_path
        self.db_url = db_url
        self.metrics = metrics
        self.config: Config = load(config_path)
        self._snapshots = tempfile.TemporaryDirectory(prefix="crawler-daemon-")
        self._snapshot_count = 0
        self.active_config = self._snapshot()
        self.engine = make_engine(db_url)
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.children: set[CrawlChild] = set()
        self.active: set[asyncio.Future[Any]] = set()
        self.forming: Batch | None = None  # the batch due sources join
        self.stopping = False
        self.exit_code = 0
        self.done = asyncio.Event()
        self.parallel = self._parallel()
        self.slots = asyncio.Semaphore(self.parallel)
        self.queue: Enqueuer | None = None  # queue mode: due runs become jobs for workers
        self.leading = False
        self.holder: asyncio.Future[None] | None = None  # queue mode: watches the leader lock

    # -- lifecycle ---------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_stop_signal, signum)
        loop.add_signal_handler(signal.SIGHUP, self._reload)
        self.scheduler.add_listener(self._on_skipped, EVENT_JOB_MAX_INSTANCES)
        leadership = None
        if self.config.daemon.mode == "queue":
            from crawler.schedule.leader import Leadership
            from crawler.schedule.queue import Enqueuer, ensure_schema

            await ensure_schema(self.db_url)
            self.queue = Enqueuer(self.db_url)
            await self.queue.open()
            leadership = Leadership(self.db_url, self.config.daemon.leader_takeover)
            elected = asyncio.ensure_future(leadership.acquire())
            stopped = asyncio.ensure_future(self.done.wait())
            await asyncio.wait({elected, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if not elected.done():  # stopped while standing by
                elected.cancel()
                return await self._closed(leadership)
            self.holder = asyncio.ensure_future(self._hold(leadership))
        self.leading = True
        self.scheduler.start()
        for source in self.config.sources:
            self._schedule(source)
        logger.info(
            "daemon started (%s mode): %d sources, at most %d crawls at once",
            self.config.daemon.mode,
            len(self.config.sources),
            self.parallel,
        )
        await self.done.wait()
        return await self._closed(leadership)

    async def _closed(self, leadership: Leadership | None) -> int:
        if self.holder is not None:
            self.holder.cancel()
        if self.queue is not None:
            await self.queue.close()
        if leadership is not None:
            await leadership.close()
        self.engine.dispose()
        self._snapshots.cleanup()
        return self.exit_code

    async def _hold(self, leadership: Leadership) -> None:
        from crawler.schedule.leader import LeadershipLostError

        try:
            await leadership.hold()
        except LeadershipLostError as exc:
            if not self.stopping:
                logger.error("%s; stopping so that another daemon leads", exc)
                self.exit_code = 1
                self.scheduler.shutdown(wait=False)
                self.done.set()

    def _parallel(self) -> int:
        return self.config.daemon.max_parallel_crawls or os.cpu_count() or 2

    def _snapshot(self) -> Path:
        """Copy the config as validated, for children to read even if the file changes."""
        self._snapshot_count += 1
        path = Path(self._snapshots.name) / f"sources-{self._snapshot_count}.yaml"
        path.write_text(self.config_path.read_text(encoding="utf-8"), encoding="utf-8")
        return path

    # -- scheduling --------------------------------------------------------------------

    def _schedule(self, source: Source) -> None:
        with session_scope(self.engine) as session:
            last = runs.last_started(session, source.name)
        grace = self.config.daemon.misfire_grace
        start = first_run(source.schedule, last, _now(), grace)
        if source.schedule.jitter:  # so sources due together do not all start at once
            start += timedelta(seconds=random.uniform(0, source.schedule.jitter.total_seconds()))  # noqa: S311
        self.scheduler.add_job(
            self._run_source,
            trigger_for(source.schedule, start),
            args=[source.name],
            id=source.name,
            name=source.name,
            next_run_time=start,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(grace.total_seconds()) or 1,
            replace_existing=True,
        )
        logger.info("scheduled %s: next run %s", source.name, start.isoformat(timespec="seconds"))

    def _on_skipped(self, event: JobExecutionEvent) -> None:
        logger.warning("%s: still running from the last tick; this tick is skipped", event.job_id)
        if self.metrics:
            self.metrics.skipped(event.job_id)

    async def _run_source(self, name: str) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.active.add(task)
        try:
            if self.queue is not None:  # queue mode: one job per source, as before
                async with self.slots:
                    if not self.stopping:
                        timeout = self.config.daemon.run_timeout
                        await self.queue.enqueue(name, self.active_config, timeout)
            elif not self.stopping:
                await self._join_batch(name).done.wait()
        finally:
            self.active.discard(task)

    def _join_batch(self, name: str) -> Batch:
        """Add ``name`` to the batch being formed (starting one if there is none)."""
        batch = self.forming
        if batch is None:
            batch = self.forming = Batch()
            runner = asyncio.ensure_future(self._run_batch(batch))
            self.active.add(runner)
            runner.add_done_callback(self.active.discard)
        batch.names.append(name)
        if len(batch.names) >= self.config.daemon.batch_size:
            batch.full.set()
            self.forming = None
        return batch

    async def _run_batch(self, batch: Batch) -> None:
        """Crawl the batch once it is full or its window has passed, and a slot is free."""
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(batch.full.wait(), BATCH_WINDOW_S)
            async with self.slots:
                if self.forming is batch:
                    self.forming = None
                if not self.stopping:
                    await self._crawl(batch.names)
        finally:
            batch.done.set()

    async def _crawl(self, names: list[str]) -> None:
        workers = workers_per_child(os.cpu_count() or 2, self.parallel)
        logger.info(
            "crawling %d source(s) in one child: %s (%d extraction worker(s))",
            len(names),
            ", ".join(names),
            workers,
        )
        spawned = _now()
        limit = self.config.daemon.run_timeout
        # A daemon killed outright takes its runs along: they have no deadline without it.
        child = await CrawlChild.start(
            self.active_config,
            names,
            self.db_url,
            limit,
            die_with_parent=True,
            workers=workers,
        )
        self.children.add(child)
        if self.metrics:
            for name in names:
                self.metrics.started(name)
        try:
            result = await child.wait(batch_deadline(limit, len(names)).total_seconds())
        finally:
            self.children.discard(child)
        for name in names:
            outcome = record_outcome(self.engine, name, spawned, result, limit)
            logger.info(json.dumps(outcome.log_line(), sort_keys=True))
            if self.metrics:
                self.metrics.finished(name, outcome.status, outcome.ended - spawned, outcome.counts)

    # -- signals -----------------------------------------------------------------------

    def _on_stop_signal(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.stopping:
            logger.warning("%s again: killing %d crawls and exiting now", name, len(self.children))
            for child in list(self.children):
                child.kill()
            self.exit_code = 1
            self.done.set()
            return
        self.stopping = True
        if not self.leading:
            logger.info("%s: standby stopping", name)
            self.done.set()
            return
        logger.info("%s: no new crawls; stopping %d running ones", name, len(self.children))
        self.scheduler.pause()  # shutting it down now would cancel the running jobs' bookkeeping
        for child in self.children:
            child.terminate()
        self.active.add(asyncio.ensure_future(self._stop_when_done()))

    async def _stop_when_done(self) -> None:
        waiting = {t for t in self.active if t is not asyncio.current_task()}
        timeout = self.config.daemon.stop_timeout.total_seconds()
        if waiting:
            _, pending = await asyncio.wait(waiting, timeout=timeout)
            if pending:
                logger.warning("stop timeout: killing %d crawls", len(self.children))
                for child in list(self.children):
                    child.kill()
                await asyncio.wait(pending, timeout=5)
        self.scheduler.shutdown(wait=False)
        logger.info("daemon stopped")
        self.done.set()

    def _reload(self) -> None:
        try:
            new = load(self.config_path)
        except ConfigError as exc:
            logger.error("reload failed, still running the previous config: %s", exc)
            return
        old = {s.name: s for s in self.config.sources}
        fresh = {s.name: s for s in new.sources}
        self.config = new
        self.active_config = self._snapshot()
        if self._parallel() != self.parallel:  # running crawls keep their slots
            self.parallel = self._parallel()
            self.slots = asyncio.Semaphore(self.parallel)
        if not self.leading:  # a standby schedules from the config it has when it leads
            logger.info("reload: %d sources (standby)", len(fresh))
            return
        for name in old.keys() - fresh.keys():
            self.scheduler.remove_job(name)
            logger.info("reload: removed %s", name)
        for name, source in fresh.items():
            if name not in old:
                logger.info("reload: added %s", name)
                self._schedule(source)
            elif source.schedule != old[name].schedule:
                logger.info("reload: rescheduled %s", name)
                self._schedule(source)
        logger.info("reload: %d sources", len(fresh))
