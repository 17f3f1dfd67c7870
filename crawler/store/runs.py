"""Bookkeeping of crawl runs: one row per crawl of one source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from crawler.store.models import CrawlRun

RUNNING = "running"
OK = "ok"
FAILED = "failed"
TIMED_OUT = "timed_out"
MAX_STORED_ERRORS = 50


def start_run(session: Session, source_id: int, started_at: datetime) -> int:
    run = CrawlRun(source_id=source_id, started_at=started_at, status=RUNNING, counts={}, errors=[])
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    finished_at: datetime,
    status: str,
    counts: dict[str, int],
    errors: list[str],
) -> None:
    """Close a run with its counts; only the first errors are kept, the count says how many."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(
            finished_at=finished_at,
            status=status,
            counts=dict(sorted(counts.items())),
            errors=errors[:MAX_STORED_ERRORS],
        )
    )
