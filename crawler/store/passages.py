"""Per-source passages, persisted: the store's half of teaser and bio learning.

Each article stored adds its lead, its title and its bio candidates (see
:func:`crawler.extract.passages.learn`) as rows keyed by (kind, passage hash,
owner hash); a key met again adds one to its count. Leads, second paragraphs and titles are
kept as long as the source is (one each per article); bio candidates counted once
and not seen again for :data:`crawler.store.furniture.FORGET_AFTER` are
deleted with rare furniture lines (:func:`crawler.store.furniture.forget_rare`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crawler.extract.passages import (
    ARTICLE_KINDS,
    BIO_MIN_ARTICLES,
    BIO_NAMED_MIN_ARTICLES,
    Key,
    Passages,
)
from crawler.store.counting import adding_upsert
from crawler.store.models import SourcePassage


def count_passages(
    session: Session, source_id: int, keys: Iterable[Key], now: datetime
) -> dict[Key, int]:
    """Add each key (one per article that carries it) to its count, in one statement.

    Returns the new count of each key, so a crawl learns bios as they reach
    their threshold. Rows go in key order, so concurrent writers lock them in
    one order.
    """
    counts = Counter(keys)
    rows = [
        {
            "source_id": source_id,
            "kind": kind,
            "passage_hash": passage,
            "owner_hash": owner,
            "pages": n,
            "last_seen": now,
        }
        for (kind, passage, owner), n in sorted(counts.items())
    ]
    if not rows:
        return {}
    keys = ("source_id", "kind", "passage_hash", "owner_hash")
    stmt = adding_upsert(session, SourcePassage, keys, ("pages",))
    counted = session.execute(
        stmt.returning(
            SourcePassage.kind,
            SourcePassage.passage_hash,
            SourcePassage.owner_hash,
            SourcePassage.pages,
        ),
        rows,
    )
    return {(kind, passage, owner): n for kind, passage, owner, n in counted}


def load_passages(session: Session, source_id: int) -> Passages:
    """The source's leads, second paragraphs and titles, and the bios counted often enough."""
    known = Passages()
    rows = session.execute(
        select(SourcePassage.kind, SourcePassage.passage_hash, SourcePassage.owner_hash).where(
            SourcePassage.source_id == source_id,
            or_(
                SourcePassage.kind.in_(ARTICLE_KINDS),
                (SourcePassage.kind == "bio") & (SourcePassage.pages >= BIO_MIN_ARTICLES),
                (SourcePassage.kind == "bio_named")
                & (SourcePassage.pages >= BIO_NAMED_MIN_ARTICLES),
            ),
        )
    )
    for kind, passage, owner in rows:
        known.add(kind, passage, owner)
    return known
