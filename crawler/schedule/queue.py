"""Crawl runs over a real task queue: procrastinate, on the store's own PostgreSQL.

Why procrastinate: the store already is PostgreSQL in this mode, so the queue
adds no service to run, back up or secure, and a job is a row the store's
operators can query. Tasks are sharded by source: one job is one crawl of one
source, so per-host politeness stays inside one worker. Its ``lock`` (one job
per source running at a time, cluster-wide) and ``queueing_lock`` (at most
one waiting) keep runs of a source apart; the crawl's own source lock
(:mod:`crawler.store.locks`) is the last guard. Delivery is at least once: a
job whose worker stops sending heartbeats (killed, machine lost) is retried
by another worker, and storing a page twice is harmless (unique URLs, a
version only on real change), so a repeated run adds nothing.

Each job carries the leader's validated config for its source, so workers
need no config file of their own and always crawl what the leader scheduled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from procrastinate import App, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status

from crawler.schedule.child import CrawlChild, batch_deadline, record_outcome
from crawler.schedule.leader import libpq_url
from crawler.store.db import make_engine

logger = logging.getLogger("crawler.worker")
QUEUE = "crawls"
TASK = "crawler.crawl_source"


def make_app(db_url: str) -> App:
    """The procrastinate app on the store's database, with the crawl task."""
    app = App(connector=PsycopgConnector(conninfo=libpq_url(db_url)))

    @app.task(name=TASK, queue=QUEUE)
    async def crawl_source(source: str, config: str, timeout_s: float) -> str:
        return await _crawl(db_url, source, config, timeout_s)

    return app


async def ensure_schema(db_url: str) -> None:
    """Create the queue's tables the first time, once however many processes start together."""
    async with await psycopg.AsyncConnection.connect(libpq_url(db_url), autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(hashtext('crawler queue schema'))")
        try:
            found = await (
                await conn.execute("SELECT to_regclass('procrastinate_jobs')")
            ).fetchone()
            if found and found[0] is None:
                async with make_app(db_url).open_async() as app:
                    await app.schema_manager.apply_schema_async()
                logger.info("queue: created procrastinate's tables")
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext('crawler queue schema'))")


async def _crawl(db_url: str, source: str, config: str, timeout_s: float) -> str:
    logger.info(json.dumps({"event": "take", "source": source, "worker_pid": os.getpid()}))
    engine = make_engine(db_url)
    with tempfile.TemporaryDirectory(prefix="crawler-worker-") as tmp:
        path = Path(tmp) / "sources.yaml"
        path.write_text(config, encoding="utf-8")
        spawned = datetime.now(UTC)
        child = await CrawlChild.start(
            path, [source], db_url, timedelta(seconds=timeout_s), die_with_parent=True
        )
        result = await child.wait(batch_deadline(timedelta(seconds=timeout_s), 1).total_seconds())
    outcome = record_outcome(engine, source, spawned, result, timedelta(seconds=timeout_s))
    engine.dispose()
    logger.info(json.dumps(outcome.log_line(), sort_keys=True))
    return outcome.status


class Enqueuer:
    """The leader's side: due runs become jobs."""

    def __init__(self, db_url: str) -> None:
        self.app = make_app(db_url)

    async def open(self) -> None:
        await self.app.open_async()

    async def close(self) -> None:
        await self.app.close_async()

    async def enqueue(self, source: str, config: Path, timeout: timedelta) -> None:
        try:
            await self.app.configure_task(TASK, lock=source, queueing_lock=source).defer_async(
                source=source,
                config=config.read_text(encoding="utf-8"),
                timeout_s=timeout.total_seconds(),
            )
            logger.info(json.dumps({"event": "enqueued", "source": source}))
        except AlreadyEnqueued:
            logger.warning(
                "%s: a run is already waiting in the queue; this tick is skipped", source
            )


async def run_worker(db_url: str, concurrency: int, stalled_after: timedelta) -> None:
    """Take crawl jobs until stopped; retry the jobs of workers that stopped sending heartbeats."""
    await ensure_schema(db_url)
    stalled_s = stalled_after.total_seconds()
    app = make_app(db_url)
    async with app.open_async():
        retrier = asyncio.create_task(_retry_stalled(app, stalled_s))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency,
                name=f"{os.uname().nodename}:{os.getpid()}",
                update_heartbeat_interval=max(0.5, stalled_s / 4),
                stalled_worker_timeout=stalled_s,
                delete_jobs="successful",
            )
        finally:
            retrier.cancel()


async def _retry_stalled(app: App, stalled_s: float) -> None:
    """Put the jobs of silent workers back in the queue, or, if the source already has a
    run waiting there, close them as failed: the waiting run is the same work, and a
    stalled job would otherwise hold the source's lock for ever."""
    while True:
        await asyncio.sleep(max(0.5, stalled_s / 4))
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                task_name=TASK, seconds_since_heartbeat=stalled_s
            )
            for job in stalled:
                source = job.task_kwargs["source"]
                assert job.id is not None
                try:
                    await app.job_manager.retry_job(job)
                    logger.warning(
                        "%s: its worker stopped answering; the run is queued again", source
                    )
                except UniqueViolation:
                    await app.job_manager.finish_job_by_id_async(job.id, Status.FAILED, False)
                    logger.warning(
                        "%s: its worker stopped answering; the waiting run takes over", source
                    )
        except (psycopg.Error, ConnectorException) as exc:
            logger.warning("stalled-job check failed: %s", exc)
