"""Validators of discovery routes, per source: read when a crawl opens, written when it ends well.

See :class:`crawler.store.models.RouteValidator`. Only routes whose every
candidate was dealt with are written (the spider decides, see
:meth:`crawler.spiders.news.NewsSpider.routes_to_keep`): a route kept while
one of its candidates failed would answer 304 next time and the candidate
would never be asked for again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.store.models import RouteValidator


@dataclass(frozen=True, slots=True)
class RouteState:
    """A route as last read: its validators, body hash (SHA-256 hex) and the routes it leads to."""

    etag: str | None
    last_modified: str | None
    body_hash: str
    children: list[str] = field(default_factory=list)


def load_routes(session: Session, source_id: int) -> dict[str, RouteState]:
    """Every route of the source, by URL as requested."""
    rows = session.scalars(select(RouteValidator).where(RouteValidator.source_id == source_id))
    return {
        row.url: RouteState(row.etag, row.last_modified, row.body_hash, list(row.children or []))
        for row in rows
    }


def save_routes(session: Session, source_id: int, states: dict[str, RouteState]) -> None:
    """Insert or replace the rows of ``states`` (by URL); other routes of the source are left."""
    for url, state in states.items():
        session.merge(
            RouteValidator(
                source_id=source_id,
                url=url,
                etag=state.etag,
                last_modified=state.last_modified,
                body_hash=state.body_hash,
                children=state.children,
            )
        )
