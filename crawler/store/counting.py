"""One upsert for the per-source counts of what crawls learn (furniture, passages, slots)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from crawler.store.db import dialect_insert


def adding_upsert(session: Session, model: Any, keys: Sequence[str], added: Sequence[str]) -> Any:
    """An INSERT of ``model`` rows that, on a row already keyed by ``keys``, adds the new
    row's ``added`` columns to its own and takes its ``last_seen``; on either database."""
    stmt = dialect_insert(session, model)
    return stmt.on_conflict_do_update(
        index_elements=[getattr(model, key) for key in keys],
        set_={
            **{name: getattr(model, name) + stmt.excluded[name] for name in added},
            "last_seen": stmt.excluded.last_seen,
        },
    )
