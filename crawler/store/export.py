"""``crawler export``: what is stored, streamed in constant memory.

One query joins articles with their versions ordered by article and version
and is read in chunks (a server-side cursor on PostgreSQL), so the whole
export is one consistent snapshot and memory does not grow with the store.
:func:`iter_articles` gives the contract's JSON shape (one object per
article); :func:`iter_versions` gives one flat row per version, which the
CSV, Parquet and WARC writers take.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from crawler.store.models import (
    Article,
    ArticleAlias,
    ArticleVersion,
    PageHtml,
    SourceRow,
    at_offset,
)

CHUNK = 500


class ExportError(Exception):
    """An export that cannot run as asked; the message is one line for the user."""


# One row per version: the article's columns, then the version's (the CSV and Parquet order).
ARTICLE_COLUMNS = (
    "url",
    "fetch_url",
    "source",
    "status",
    "first_seen",
    "last_fetched",
    "last_changed",
    "cluster_id",
)
VERSION_COLUMNS = (
    "version",
    "title",
    "authors",
    "published",
    "modified",
    "text",
    "fetched_at",
)
ROW_COLUMNS = ARTICLE_COLUMNS + VERSION_COLUMNS


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def publisher_dates(row: Any) -> tuple[datetime | None, datetime | None]:
    """A version row's ``published`` and ``modified`` at the offsets the page wrote them with
    (``2024-03-04T10:00:00-05:00``); UTC for rows stored before the offset was kept."""
    return (
        at_offset(row.published, row.published_offset),
        at_offset(row.modified, row.modified_offset),
    )


def _versions_query(source: str | None, since: datetime | None) -> Select[Any]:
    """Every version with its article's columns, ordered by article then version.

    ``since`` keeps articles whose content last changed at or after it (all their versions).
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
            v.published_offset,
            v.modified,
            v.modified_offset,
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
    return stmt


def iter_articles(
    session: Session, source: str | None = None, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one dict per article: versions oldest first, top-level fields from the newest.

    ``since`` keeps articles whose content last changed at or after it.
    """
    aliases = _aliases(session, source)
    rows = session.execute(_versions_query(source, since))
    for _, group in groupby(rows, key=lambda row: row.id):
        versions = list(group)
        newest = versions[-1]
        published, modified = publisher_dates(newest)
        yield {
            "url": newest.url,
            "fetch_url": newest.fetch_url,
            "source": newest.source,
            "title": newest.title,
            "authors": list(newest.authors),
            "published": _iso(published),
            "modified": _iso(modified),
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


def iter_versions(
    session: Session, source: str | None = None, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one dict per version, keys :data:`ROW_COLUMNS`; times are aware datetimes, UTC
    but for ``published`` and ``modified``, which keep the page's offset.

    Ordered by article, then version; ``since`` as in :func:`iter_articles`.
    """
    for row in session.execute(_versions_query(source, since)):
        published, modified = publisher_dates(row)
        yield {
            **{name: getattr(row, name) for name in ROW_COLUMNS},
            "published": published,
            "modified": modified,
        }


def iter_versions_with_pages(
    session: Session, source: str | None = None, since: datetime | None = None
) -> Iterator[Row[Any]]:
    """Every version's row as stored (read its dates with :func:`publisher_dates`) plus the
    kept page: ``encoding``, ``body`` (compressed), ``http_status`` and ``http_headers``, all
    None where no page was kept."""
    stmt = (
        _versions_query(source, since)
        .add_columns(PageHtml.encoding, PageHtml.body, PageHtml.http_status, PageHtml.http_headers)
        .outerjoin(PageHtml, PageHtml.version_id == ArticleVersion.id)
    )
    yield from session.execute(stmt)


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
