"""robots.txt kept per origin: read when a crawl opens, written when it ends.

See :class:`crawler.store.models.RobotsTxt`; what an answer means is
:mod:`crawler.robots`, which the crawl's middleware applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crawler.robots import fresh_until
from crawler.store.db import dialect_insert
from crawler.store.models import RobotsTxt


@dataclass(frozen=True, slots=True)
class StoredRobots:
    """A robots.txt as last read with a 2xx: its validators, body, when it was read (or last
    confirmed by a 304), and the seconds its server let it stay fresh (None: it said nothing)."""

    etag: str | None
    last_modified: str | None
    body: bytes
    fetched_at: datetime
    max_age: int | None = None

    def fresh(self, now: datetime, default: timedelta) -> bool:
        """May it be used at ``now`` without asking? ``default``: the lifetime when the server
        gave none. See :func:`crawler.robots.fresh_until`."""
        return now < fresh_until(self.fetched_at, self.max_age, default)


def load_robots(session: Session, origins: Iterable[str]) -> dict[str, StoredRobots]:
    """The stored robots.txt of each of ``origins`` that has one, by origin."""
    wanted = sorted(set(origins))
    if not wanted:
        return {}
    rows = session.scalars(select(RobotsTxt).where(RobotsTxt.origin.in_(wanted)))
    return {
        row.origin: StoredRobots(row.etag, row.last_modified, row.body, row.fetched_at, row.max_age)
        for row in rows
    }


def save_robots(session: Session, updates: dict[str, StoredRobots | None]) -> None:
    """Insert or replace each origin's row; ``None`` deletes it. Concurrent crawls may race: last wins."""
    gone = sorted(origin for origin, state in updates.items() if state is None)
    if gone:
        session.execute(delete(RobotsTxt).where(RobotsTxt.origin.in_(gone)))
    rows = [
        {
            "origin": origin,
            "etag": s.etag,
            "last_modified": s.last_modified,
            "body": s.body,
            "fetched_at": s.fetched_at,
            "max_age": s.max_age,
        }
        for origin, s in sorted(updates.items())
        if s is not None
    ]
    if not rows:
        return
    statement = dialect_insert(session, RobotsTxt)
    columns = ("etag", "last_modified", "body", "fetched_at", "max_age")
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["origin"], set_={c: statement.excluded[c] for c in columns}
        ),
        rows,
    )
