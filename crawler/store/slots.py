"""Per-source element paths, persisted: the store's half of template-slot learning.

Each new article adds what it showed at each of its paths (see
:func:`crawler.extract.slots.observe`): one page, and one noise page or one
body page when it was so. A path with enough noise pages, a share of its
pages, and no body page is a slot (:func:`crawler.extract.slots.is_slot`).
Paths are few per template, so nothing is forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.extract.slots import SLOT_MIN_PAGES, SLOT_MIN_SHARE, Seen, is_slot
from crawler.store.counting import adding_upsert
from crawler.store.models import SourceSlot


def count_slots(
    session: Session, source_id: int, seen: Iterable[Seen], now: datetime
) -> dict[int, bool]:
    """Add each article's observations of its paths, in one statement.

    Returns, for each path counted, whether it is a slot now: a crawl learns
    slots as they reach their threshold, and unlearns one the moment a page
    shows body text there or its noise pages fall under their share. Rows go
    in path order, so concurrent writers lock them in one order.
    """
    totals: dict[int, list[int]] = {}
    for path, noise, body in seen:
        counts = totals.setdefault(path, [0, 0, 0])
        counts[0] += 1
        counts[1] += noise
        counts[2] += body
    rows = [
        {
            "source_id": source_id,
            "path_hash": path,
            "pages": pages,
            "noise_pages": noise,
            "body_pages": body,
            "last_seen": now,
        }
        for path, (pages, noise, body) in sorted(totals.items())
    ]
    if not rows:
        return {}
    counted_columns = ("pages", "noise_pages", "body_pages")
    stmt = adding_upsert(session, SourceSlot, ("source_id", "path_hash"), counted_columns)
    counted = session.execute(
        stmt.returning(
            SourceSlot.path_hash, SourceSlot.pages, SourceSlot.noise_pages, SourceSlot.body_pages
        ),
        rows,
    )
    return {path: is_slot(pages, noise, body) for path, pages, noise, body in counted}


def load_slots(session: Session, source_id: int) -> set[int]:
    """The source's slots: the paths that are (see :func:`crawler.extract.slots.is_slot`)."""
    return set(
        session.scalars(
            select(SourceSlot.path_hash).where(
                SourceSlot.source_id == source_id,
                SourceSlot.noise_pages >= SLOT_MIN_PAGES,
                SourceSlot.noise_pages * SLOT_MIN_SHARE >= SourceSlot.pages,
                SourceSlot.body_pages == 0,
            )
        )
    )
