"""``crawler export``: the contract's JSON shape, streamed in constant memory.

One query joins articles with their versions ordered by article and version
and is read in chunks (a server-side cursor on PostgreSQL), so the whole
export is one consistent snapshot and memory does not grow with the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.store.models import Article, ArticleAlias, ArticleVersion, SourceRow

CHUNK = 500


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def iter_articles(
    session: Session, source: str | None = None, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one dict per article: versions oldest first, top-level fields from the newest.

    ``since`` keeps articles whose content last changed at or after it.
    """
    a, v = Article, ArticleVersion
    stmt = (
        select(
            a.id,
            a.url,
            a.fetch_url,
            SourceRow.name.label("source"),
            a.status,
            a.first_seen,
            a.last_fetched,
            a.last_changed,
            a.cluster_id,
            a.declared_canonical,
            v.version,
            v.title,
            v.authors,
            v.published,
            v.modified,
            v.text,
            v.fetched_at,
        )
        .join(SourceRow, a.source_id == SourceRow.id)
        .join(v, v.article_id == a.id)
        .order_by(a.id, v.version)
        .execution_options(yield_per=CHUNK)
    )
    if source is not None:
        stmt = stmt.where(SourceRow.name == source)
    if since is not None:
        stmt = stmt.where(a.last_changed >= since)
    aliases = _aliases(session, source)
    for _, group in groupby(session.execute(stmt), key=lambda row: row.id):
        versions = list(group)
        newest = versions[-1]
        yield {
            "url": newest.url,
            "fetch_url": newest.fetch_url,
            "source": newest.source,
            "title": newest.title,
            "authors": list(newest.authors),
            "published": _iso(newest.published),
            "modified": _iso(newest.modified),
            "text": newest.text,
            "status": newest.status,
            "first_seen": _iso(newest.first_seen),
            "last_fetched": _iso(newest.last_fetched),
            "last_changed": _iso(newest.last_changed),
            "cluster_id": newest.cluster_id,
            "declared_canonical": newest.declared_canonical,
            "aliases": aliases.get(newest.id, []),
            "versions": [
                {
                    "version": r.version,
                    "title": r.title,
                    "text": r.text,
                    "fetched_at": _iso(r.fetched_at),
                }
                for r in versions
            ],
        }


def _aliases(session: Session, source: str | None) -> dict[int, list[str]]:
    """The alias URLs of each article, by id: few, so read before the articles stream."""
    stmt = select(ArticleAlias.article_id, ArticleAlias.url).order_by(ArticleAlias.url)
    if source is not None:
        stmt = (
            stmt.join(Article, ArticleAlias.article_id == Article.id)
            .join(SourceRow, Article.source_id == SourceRow.id)
            .where(SourceRow.name == source)
        )
    found: dict[int, list[str]] = {}
    for article_id, url in session.execute(stmt):
        found.setdefault(article_id, []).append(url)
    return found
