"""The storage entry points a crawl writes through.

Each function works inside the caller's transaction and is safe when several
processes record the same URL at once: the article row is created with an
insert that ignores conflicts, then locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite write transactions are ``BEGIN IMMEDIATE``, see
:func:`crawler.store.db.make_engine`) before its version number is read, and
``(article_id, version)`` is unique besides. So there is never a duplicate
article, and never a duplicate or skipped version number.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from crawler.store import page_codec
from crawler.store.db import dialect_insert
from crawler.store.models import (
    GONE,
    LIVE,
    Article,
    ArticleAlias,
    ArticleVersion,
    PageHtml,
    SourceRow,
    at_offset,
    offset_minutes,
)


class Outcome(enum.StrEnum):
    """What recording one fetch did to the store."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused/other_source"  # the URL is another source's article: nothing written


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One successfully fetched, extracted and cleaned article page."""

    url: str
    fetch_url: str
    title: str
    text: str
    content_hash: str
    fetched_at: datetime
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    page: bytes | None = None  # the fetched page, compressed (crawler.store.pages)
    http_status: int | None = None  # ... and the status and headers it was served with
    http_headers: Sequence[tuple[str, str]] = ()
    extractor_version: str = "1"
    # The canonical the page declared, accepted as ``url`` or not, for story clusters and
    # syndicated copies; None when it names no story (the site root, a listing, a URL
    # claimed by a page with other text).
    declared_canonical: str | None = None
    url_key: str | None = None  # crawler.canonical.url_key of ``url``


@dataclass(frozen=True, slots=True)
class KnownArticle:
    """What a crawl needs to know about an article stored earlier."""

    url: str
    fetch_url: str  # canonical, like url (the crawl stores it so)
    etag: str | None
    last_modified: str | None
    last_fetched: datetime | None = None  # our last 200 or 304 from it


def _insert_ignoring_conflict(
    session: Session, table: Table, rows: list[dict[str, Any]] | dict[str, Any]
) -> None:
    session.execute(dialect_insert(session, table).on_conflict_do_nothing(), rows)


def ensure_source(session: Session, name: str, now: datetime) -> int:
    """The id of source ``name``, creating its row the first time (looked up first: a crawl
    of a known source, nearly every one, writes nothing here)."""
    query = select(SourceRow.id).where(SourceRow.name == name)
    if (found := session.execute(query).scalar_one_or_none()) is not None:
        return found
    _insert_ignoring_conflict(session, SourceRow.__table__, {"name": name, "created_at": now})
    return session.execute(query).scalar_one()


def count_date_orders(
    session: Session, source_id: int, day_first: int = 0, month_first: int = 0
) -> tuple[int, int]:
    """Add to how many of a source's articles showed day-first and month-first dates;
    both totals after (see :func:`crawler.extract.dates.source_order`)."""
    table = SourceRow.__table__
    if day_first or month_first:
        session.execute(
            update(table)
            .where(table.c.id == source_id)
            .values(
                day_first_pages=table.c.day_first_pages + day_first,
                month_first_pages=table.c.month_first_pages + month_first,
            )
        )
    day, month = session.execute(
        select(table.c.day_first_pages, table.c.month_first_pages).where(table.c.id == source_id)
    ).one()
    return day, month


def source_id(session: Session, name: str) -> int | None:
    """The id of source ``name``, or None if it has never been crawled."""
    return session.execute(select(SourceRow.id).where(SourceRow.name == name)).scalar_one_or_none()


@dataclass(slots=True)
class _Current:
    """An article's row as a batch sees it, moved along as the batch's fetches apply."""

    id: int
    source_id: int
    version: int
    content_hash: str | None
    last_fetched: datetime
    last_changed: datetime


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording one fetch did, and to which article row."""

    article_id: int
    outcome: Outcome


def record_fetch(session: Session, source_id: int, rec: FetchRecord) -> Outcome:
    """Record one fetch: see :func:`record_fetches`."""
    return record_fetches(session, source_id, [rec])[0].outcome


def record_fetches(session: Session, source_id: int, recs: Sequence[FetchRecord]) -> list[Recorded]:
    """Create each article, or add a version if its content changed, or touch it; in order.

    "Changed" means ``rec.content_hash`` differs from the current version's:
    the hash is of the cleaned title and text (see :mod:`crawler.dedupe`), so
    noise around the article never makes a version. A batch costs a fixed
    handful of statements whatever its size: one insert of the missing
    articles, one locking read of all of them, one update, one insert of
    versions and one of their pages. The same URL twice in a batch is applied
    twice, in order. A URL already stored as another source's article is left
    alone and reported :attr:`Outcome.REFUSED` (``article_id`` 0): one source
    never writes into another's article.
    """
    if not recs:
        return []
    first = {rec.url: rec for rec in reversed(recs)}  # each URL's first fetch in the batch
    _insert_ignoring_conflict(
        session,
        Article.__table__,
        [
            {
                "url": url,
                "fetch_url": rec.fetch_url,
                "source_id": source_id,
                "status": LIVE,
                "first_seen": rec.fetched_at,
                "last_fetched": rec.fetched_at,
                "last_changed": rec.fetched_at,
                "current_version": 0,
                "declared_canonical": rec.declared_canonical,
                "url_key": rec.url_key,
            }
            for url, rec in sorted(first.items())  # one order for every writer's row locks
        ],
    )
    current = _lock_current(session, sorted(first))
    changes: dict[int, dict[str, Any]] = {}
    versions: list[dict[str, Any]] = []
    kept_pages: list[FetchRecord] = []
    recorded: list[Recorded] = []
    for rec in recs:
        row = current[rec.url]
        if row.source_id != source_id:
            recorded.append(Recorded(0, Outcome.REFUSED))
            continue
        row.last_fetched = max(row.last_fetched, rec.fetched_at)
        outcome = Outcome.UNCHANGED
        if row.content_hash != rec.content_hash:
            row.version += 1
            row.content_hash = rec.content_hash
            row.last_changed = rec.fetched_at
            outcome = Outcome.NEW if row.version == 1 else Outcome.CHANGED
            versions.append(_version_row(row, rec))
            kept_pages.append(rec)
        changes[row.id] = {
            "_id": row.id,
            "fetch_url": rec.fetch_url,
            "status": LIVE,
            "last_fetched": row.last_fetched,
            "last_changed": row.last_changed,
            "current_version": row.version,
            "etag": rec.etag,
            "last_modified": rec.last_modified,
            "declared_canonical": rec.declared_canonical,
        }
        recorded.append(Recorded(row.id, outcome))
    table = Article.__table__
    if changes:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(
                {name: bindparam(name) for name in next(iter(changes.values())) if name != "_id"}
            ),
            list(changes.values()),
        )
    if versions:
        ids = session.scalars(
            insert(ArticleVersion).returning(ArticleVersion.id, sort_by_parameter_order=True),
            versions,
        ).all()
        rows = [
            {
                "version_id": vid,
                "encoding": page_codec.ENCODING,
                "body": rec.page,
                "http_status": rec.http_status,
                "http_headers": None
                if rec.http_status is None
                else [list(pair) for pair in rec.http_headers],
            }
            for vid, rec in zip(ids, kept_pages, strict=True)
            if rec.page is not None
        ]
        if rows:
            session.execute(PageHtml.__table__.insert(), rows)
    return recorded


def _lock_current(session: Session, urls: list[str]) -> dict[str, _Current]:
    """Lock the articles at ``urls`` (in URL order) and read their current version's hash."""
    found: dict[str, _Current] = {}
    for start in range(0, len(urls), URL_CHUNK):
        rows = session.execute(
            select(
                Article.url,
                Article.id,
                Article.source_id,
                Article.current_version,
                ArticleVersion.content_hash,
                Article.last_fetched,
                Article.last_changed,
            )
            .outerjoin(
                ArticleVersion,
                (ArticleVersion.article_id == Article.id)
                & (ArticleVersion.version == Article.current_version),
            )
            .where(Article.url.in_(urls[start : start + URL_CHUNK]))
            .order_by(Article.url)
            .with_for_update(of=Article.__table__)
        )
        found.update({url: _Current(*rest) for url, *rest in rows})
    return found


def _version_row(row: _Current, rec: FetchRecord) -> dict[str, Any]:
    return {
        "article_id": row.id,
        "version": row.version,
        "title": rec.title,
        "authors": list(rec.authors),
        **_dates(rec.published, rec.modified),
        "text": rec.text,
        "content_hash": rec.content_hash,
        "fetched_at": rec.fetched_at,
        "extractor_version": rec.extractor_version,
    }


def _dates(published: datetime | None, modified: datetime | None) -> dict[str, Any]:
    """A version's date columns: each instant, and the offset the page wrote it with."""
    return {
        "published": published,
        "published_offset": offset_minutes(published),
        "modified": modified,
        "modified_offset": offset_minutes(modified),
    }


def mark_gone(
    session: Session, url: str, fetched_at: datetime, source_id: int | None = None
) -> bool:
    """Mark the article at canonical ``url`` gone (404/410); its versions stay.

    With ``source_id``, only that source's article. Returns whether a live
    article was changed to gone.
    """
    mine = () if source_id is None else (Article.source_id == source_id,)
    result = session.execute(
        update(Article)
        .where(Article.url == url, Article.status == LIVE, *mine)
        .values(status=GONE, last_fetched=fetched_at)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class Touch:
    """A revisit that found nothing new (a 304), with any fresh validators it carried."""

    url: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


def touch_many(session: Session, touches: Sequence[Touch], source_id: int | None = None) -> None:
    """Record 304s in one statement: only ``last_fetched`` moves, and validators a 304 renews.

    A 304 may carry fresh validators; keep them when it does, else keep the stored ones.
    With ``source_id``, only that source's articles are touched.
    """
    if not touches:
        return
    table = Article.__table__
    mine = () if source_id is None else (table.c.source_id == source_id,)
    session.execute(
        update(table)
        .where(table.c.url == bindparam("_url"), *mine)
        .values(
            last_fetched=bindparam("_at"),
            etag=func.coalesce(bindparam("_etag", type_=String), table.c.etag),
            last_modified=func.coalesce(bindparam("_lm", type_=String), table.c.last_modified),
        ),
        [
            {"_url": t.url, "_at": t.fetched_at, "_etag": t.etag, "_lm": t.last_modified}
            for t in sorted(touches, key=lambda t: t.url)
        ],
    )


def known_urls(session: Session, source_id: int) -> Iterable[str]:
    """Every canonical, fetch and alias URL this source has stored, live or gone."""
    for url, fetch_url in session.execute(
        select(Article.url, Article.fetch_url).where(Article.source_id == source_id)
    ):
        yield url
        if fetch_url != url:
            yield fetch_url
    yield from session.scalars(
        select(ArticleAlias.url)
        .join(Article, ArticleAlias.article_id == Article.id)
        .where(Article.source_id == source_id)
    )


def due_for_revisit(
    session: Session, source_id: int, now: datetime, within: timedelta, min_interval: timedelta
) -> list[KnownArticle]:
    """Live articles first seen within ``within`` and not fetched for ``min_interval``."""
    rows = session.execute(
        select(
            Article.url,
            Article.fetch_url,
            Article.etag,
            Article.last_modified,
            Article.last_fetched,
        )
        .where(
            Article.source_id == source_id,
            Article.status == LIVE,
            Article.first_seen >= now - within,
            Article.last_fetched <= now - min_interval,
        )
        .order_by(Article.first_seen.desc())
    )
    return [KnownArticle(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class VersionText:
    """A version's extracted fields, as a newer extractor or cleaner sees them."""

    title: str
    text: str
    content_hash: str
    extractor_version: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None


def correct_version(session: Session, version_id: int, new: VersionText) -> bool:
    """Rewrite a stored version's extracted fields in place; whether its text changed.

    This corrects our extraction, not the publisher's words: the version keeps
    its number and fetch time, and no version is added or removed.
    """
    old_hash = session.execute(
        select(ArticleVersion.content_hash).where(ArticleVersion.id == version_id).with_for_update()
    ).scalar_one()
    correct_versions(session, {version_id: new})
    return old_hash != new.content_hash


def correct_versions(session: Session, corrections: dict[int, VersionText]) -> None:
    """Rewrite the extracted fields of many versions (by id) in one statement."""
    if not corrections:
        return
    rows = [
        {
            "id": vid,
            "title": new.title,
            "text": new.text,
            "content_hash": new.content_hash,
            "extractor_version": new.extractor_version,
            "authors": new.authors,
            **_dates(new.published, new.modified),
        }
        for vid, new in sorted(corrections.items())
    ]
    _update_versions(session, rows)


def set_dates(session: Session, dates: dict[int, tuple[datetime | None, datetime | None]]) -> None:
    """Rewrite the (published, modified) of versions, by id: our reading of the page, in place."""
    if not dates:
        return
    _update_versions(session, [{"id": vid, **_dates(*pair)} for vid, pair in sorted(dates.items())])


def _update_versions(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set the columns each row names on the version of its ``id``; all rows name the same."""
    table = ArticleVersion.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(f"_{name}") for name in rows[0] if name != "id"}),
        [{f"_{name}": value for name, value in row.items()} for row in rows],
    )


def fold_into_previous(session: Session, version_ids: Iterable[int]) -> int:
    """Remove current versions that equal their predecessor once cleaned alike; how many went.

    For a crawl's own noise: a version it added because a paragraph was not yet
    known as a teaser, then corrected to its predecessor's text. The article's
    current version and ``last_changed`` go back to the predecessor's; the
    version's row and kept page go. A version that is not its article's current
    one, or has no predecessor, is left alone.
    """
    folded = 0
    previous = ArticleVersion.__table__.alias("previous")
    for vid in sorted(version_ids):
        row = session.execute(
            select(Article.id, ArticleVersion.version, previous.c.fetched_at)
            .join(Article, ArticleVersion.article_id == Article.id)
            .join(
                previous,
                (previous.c.article_id == Article.id)
                & (previous.c.version == ArticleVersion.version - 1),
            )
            .where(ArticleVersion.id == vid, ArticleVersion.version == Article.current_version)
            .with_for_update(of=Article.__table__)
        ).first()
        if row is None:
            continue
        article_id, version, before = row
        session.execute(PageHtml.__table__.delete().where(PageHtml.version_id == vid))
        session.execute(ArticleVersion.__table__.delete().where(ArticleVersion.id == vid))
        session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(current_version=version - 1, last_changed=before)
        )
        folded += 1
    return folded


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    """The newest version of an article, and the hash of the one before it."""

    version_id: int
    url: str
    version: int
    title: str
    text: str
    authors: list[str]
    published: datetime | None
    modified: datetime | None
    previous_hash: str | None


def current_versions(session: Session, urls: Iterable[str]) -> list[CurrentVersion]:
    """The newest version of each article at ``urls`` (canonical), with its predecessor's hash."""
    previous = ArticleVersion.__table__.alias("previous")
    found: list[CurrentVersion] = []
    urls = sorted(set(urls))
    for start in range(0, len(urls), URL_CHUNK):
        found.extend(_current_versions(session, previous, urls[start : start + URL_CHUNK]))
    return found


URL_CHUNK = 500  # URLs per IN (...) list: well under every driver's parameter limit


def _current_versions(session: Session, previous: Any, urls: list[str]) -> list[CurrentVersion]:
    rows = session.execute(
        select(
            ArticleVersion.id,
            Article.url,
            ArticleVersion.version,
            ArticleVersion.title,
            ArticleVersion.text,
            ArticleVersion.authors,
            ArticleVersion.published,
            ArticleVersion.published_offset,
            ArticleVersion.modified,
            ArticleVersion.modified_offset,
            previous.c.content_hash,
        )
        .join(Article, ArticleVersion.article_id == Article.id)
        .outerjoin(
            previous,
            (previous.c.article_id == Article.id)
            & (previous.c.version == ArticleVersion.version - 1),
        )
        .where(Article.url.in_(urls), ArticleVersion.version == Article.current_version)
    )
    return [
        CurrentVersion(
            *head, at_offset(published, p_offset), at_offset(modified, m_offset), previous_hash
        )
        for *head, published, p_offset, modified, m_offset, previous_hash in rows
    ]
