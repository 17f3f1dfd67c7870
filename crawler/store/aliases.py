"""Who holds a URL: the store lookups an article's identity is decided by, and its aliases.

An article is held under its URL (``articles.url``), under the spelling key
of that URL (``articles.url_key``) and, once another address of it was met,
under that alias (``article_aliases``). :mod:`crawler.dedupe.identity` asks
these lookups before a batch is recorded; the store's own guard against one
source writing into another's article is in :func:`crawler.store.articles.record_fetches`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crawler.store.articles import _insert_ignoring_conflict
from crawler.store.models import Article, ArticleAlias, ArticleVersion

CHUNK = 500  # values per IN (...) list: well under every driver's parameter limit


@dataclass(frozen=True, slots=True)
class Holder:
    """A stored article as identity checks see it: its URL, owner, fetch URL and text."""

    url: str
    source_id: int
    fetch_url: str
    text: str


def _holders(
    session: Session, column: Any, values: Iterable[str], *where: Any
) -> dict[str, Holder]:
    """Holders by the value of ``column`` (an Article or ArticleAlias column) among ``values``."""
    wanted = sorted(set(values))
    found: dict[str, Holder] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = (
            select(column, Article.url, Article.source_id, Article.fetch_url, ArticleVersion.text)
            .join(
                ArticleVersion,
                (ArticleVersion.article_id == Article.id)
                & (ArticleVersion.version == Article.current_version),
            )
            .where(column.in_(wanted[start : start + CHUNK]), *where)
        )
        if column.class_ is ArticleAlias:
            stmt = stmt.join(ArticleAlias, ArticleAlias.article_id == Article.id)
        found.update({value: Holder(*rest) for value, *rest in session.execute(stmt)})
    return found


def by_url(session: Session, urls: Iterable[str]) -> dict[str, Holder]:
    """The article stored under each of ``urls``, of any source."""
    return _holders(session, Article.url, urls)


def by_alias(session: Session, source_id: int, urls: Iterable[str]) -> dict[str, Holder]:
    """The article of ``source_id`` each of ``urls`` is an alias of."""
    return _holders(session, ArticleAlias.url, urls, Article.source_id == source_id)


def by_url_key(session: Session, source_id: int, keys: Iterable[str]) -> dict[str, Holder]:
    """The article of ``source_id`` stored under each URL key (crawler.canonical.url_key)."""
    return _holders(session, Article.url_key, keys, Article.source_id == source_id)


def by_content(session: Session, source_id: int, hashes: Iterable[str]) -> dict[str, Holder]:
    """The article of ``source_id`` whose current version has each content hash."""
    return _holders(session, ArticleVersion.content_hash, hashes, Article.source_id == source_id)


def move_article(session: Session, source_id: int, url: str, to: str, to_key: str) -> bool:
    """Re-key ``source_id``'s article at ``url`` to ``to`` (its ``url_key`` ``to_key``).

    For an article keyed by a canonical another page turned out to hold; its
    versions and cluster go with it, its declared canonical is dropped.
    Returns False, moving nothing, when ``to`` already keys an article.
    """
    if session.scalar(select(Article.id).where(Article.url == to)) is not None:
        return False
    moved = session.execute(
        update(Article)
        .where(Article.url == url, Article.source_id == source_id)
        .values(url=to, url_key=to_key, declared_canonical=None)
    )
    return bool(getattr(moved, "rowcount", 0))


def add_aliases(session: Session, aliases: Mapping[str, str], at: datetime) -> int:
    """Keep each alias URL of ``aliases`` (alias → article URL) for its article; how many new.

    An alias already kept, or whose article is not stored, is left out.
    """
    if not aliases:
        return 0
    ids = dict(
        session.execute(
            select(Article.url, Article.id).where(Article.url.in_(sorted(set(aliases.values()))))
        ).all()
    )
    known = set(
        session.scalars(select(ArticleAlias.url).where(ArticleAlias.url.in_(sorted(aliases))))
    )
    rows = [
        {"url": alias, "article_id": ids[url], "first_seen": at}
        for alias, url in sorted(aliases.items())
        if alias not in known and url in ids
    ]
    if rows:  # another crawl may add the same alias at once: the first one stays
        _insert_ignoring_conflict(session, ArticleAlias.__table__, rows)
    return len(rows)
