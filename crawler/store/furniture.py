"""Per-source line counts, persisted: the store's half of furniture learning.

Each new article adds one to the count of every distinct line it carries
(lines arrive as 64-bit hashes, see :mod:`crawler.extract.furniture`). Lines
on enough articles are the source's furniture; the threshold is the caller's.
Lines seen once and not again for ``FORGET_AFTER`` are deleted, which keeps
the table to the lines that recur; so are bio candidates (see
:mod:`crawler.store.passages`), in the same step at a crawl's end. Here, not
there, so that a crawl that stored nothing forgets without importing the
extraction rules (a tenth of an idle child's start-up).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crawler.store.counting import adding_upsert
from crawler.store.models import SourceLine, SourcePassage

FORGET_AFTER = timedelta(days=90)


def count_lines(
    session: Session, source_id: int, pages: Iterable[Iterable[int]], now: datetime
) -> dict[int, int]:
    """Add each page (a collection of line hashes) to its lines' counts, in one statement.

    Returns the new count of each line counted, so that a crawl learns which
    lines became furniture as they do. Rows go in hash order, so concurrent
    writers lock them in one order.
    """
    counts = Counter(h for hashes in pages for h in set(hashes))
    rows = [
        {"source_id": source_id, "line_hash": h, "pages": n, "last_seen": now}
        for h, n in sorted(counts.items())
    ]
    if not rows:
        return {}
    stmt = adding_upsert(session, SourceLine, ("source_id", "line_hash"), ("pages",))
    counted = session.execute(stmt.returning(SourceLine.line_hash, SourceLine.pages), rows)
    return dict(counted.all())  # rows are (line, pages) pairs


def load_furniture(session: Session, source_id: int, min_pages: int) -> frozenset[int]:
    """The hashes of the source's lines counted on at least ``min_pages`` articles."""
    return frozenset(
        session.scalars(
            select(SourceLine.line_hash).where(
                SourceLine.source_id == source_id, SourceLine.pages >= min_pages
            )
        )
    )


def forget_rare_lines(session: Session, source_id: int, now: datetime) -> int:
    """Delete lines seen on one article only and not since ``FORGET_AFTER``; how many went."""
    result = session.execute(
        delete(SourceLine).where(
            SourceLine.source_id == source_id,
            SourceLine.pages == 1,
            SourceLine.last_seen < now - FORGET_AFTER,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget_rare_bios(session: Session, source_id: int, now: datetime) -> int:
    """Delete bio candidates counted once and not seen since ``FORGET_AFTER``; how many went."""
    result = session.execute(
        delete(SourcePassage).where(
            SourcePassage.source_id == source_id,
            SourcePassage.kind.in_(("bio", "bio_named")),
            SourcePassage.pages == 1,
            SourcePassage.last_seen < now - FORGET_AFTER,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget_rare(session: Session, source_id: int, now: datetime) -> None:
    """What a crawl's end forgets: the source's rare lines (furniture) and rare bio candidates."""
    forget_rare_lines(session, source_id, now)
    forget_rare_bios(session, source_id, now)
