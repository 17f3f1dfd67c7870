"""Bookkeeping of crawl runs: one row per crawl of one source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crawler.store.models import CrawlRun, SourceRow

RUNNING = "running"
OK = "ok"
FAILED = "failed"  # ended early, or every route failed
PARTIAL = "partial"  # finished, but some items could not be stored (its errors name them)
TIMED_OUT = "timed_out"
STOPPED = "stopped"  # a stop signal ended it early; what it stored is complete
SKIPPED = "skipped"  # another crawl of the source was running; nothing done (not recorded)
ABANDONED = "the crawl process died (killed or crashed) before it finished"
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


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One crawl run, as status and the daemon's log read it."""

    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _records(session: Session, query: object) -> list[RunRecord]:
    return [RunRecord(*row) for row in session.execute(query)]  # type: ignore[call-overload]


_COLUMNS = (
    CrawlRun.id,
    SourceRow.name,
    CrawlRun.started_at,
    CrawlRun.finished_at,
    CrawlRun.status,
    CrawlRun.counts,
    CrawlRun.errors,
)


def last_started(session: Session, source: str) -> datetime | None:
    """When the newest run of ``source`` started: where a restarted schedule resumes."""
    return session.execute(
        select(func.max(CrawlRun.started_at)).join(SourceRow).where(SourceRow.name == source)
    ).scalar_one()


def runs_since(session: Session, source: str, since: datetime) -> list[RunRecord]:
    """The runs of ``source`` started at or after ``since``, oldest first."""
    return _records(
        session,
        select(*_COLUMNS)
        .join(SourceRow)
        .where(SourceRow.name == source, CrawlRun.started_at >= since)
        .order_by(CrawlRun.started_at, CrawlRun.id),
    )


def recent_runs(session: Session, source: str | None = None, limit: int = 100) -> list[RunRecord]:
    """The newest runs, of every source or of ``source``, newest first."""
    query = select(*_COLUMNS).join(SourceRow)
    if source:
        query = query.where(SourceRow.name == source)
    return _records(session, query.order_by(CrawlRun.id.desc()).limit(limit))


def latest_runs(session: Session) -> list[RunRecord]:
    """The newest run of every source."""
    newest = (
        select(CrawlRun.source_id, func.max(CrawlRun.id).label("id"))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    return _records(
        session,
        select(*_COLUMNS)
        .join(SourceRow)
        .join(newest, newest.c.id == CrawlRun.id)
        .order_by(SourceRow.name),
    )


def last_error(session: Session, source: str) -> tuple[datetime, str] | None:
    """The newest run of ``source`` that recorded an error, and its first error."""
    row = session.execute(
        select(CrawlRun.started_at, CrawlRun.errors)
        .join(SourceRow)
        .where(SourceRow.name == source, CrawlRun.status != OK)
        .order_by(CrawlRun.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    started, errors = row
    return started, (errors[0] if errors else "no error recorded")


def close_run(
    session: Session, run_id: int, finished_at: datetime, status: str, error: str
) -> None:
    """Mark a run whose process was stopped from outside (timeout, kill) with how it ended."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.status = status
    run.finished_at = run.finished_at or finished_at
    run.errors = [*run.errors, error][:MAX_STORED_ERRORS]


def fail_abandoned(session: Session, source_id: int, now: datetime) -> int:
    """Close the source's runs left ``running`` by a crawl that died; call it holding the source's lock."""
    result = session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.status == RUNNING)
        .values(status=FAILED, finished_at=now, errors=[ABANDONED])
    )
    return int(getattr(result, "rowcount", 0) or 0)
