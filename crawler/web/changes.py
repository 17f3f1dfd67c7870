"""The feed of changes behind ``/changes.atom``: the newest edits, retitles and deletions.

An edit or retitle is a stored version after the first (versions are stored
only when the cleaned title or text changed, :mod:`crawler.store.articles`),
dated by its fetch; a deletion is an article marked gone, dated by the fetch
that found it gone (``last_fetched``: gone articles are not fetched again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from crawler.store.models import GONE, Article, ArticleVersion, SourceRow

FEED_ENTRIES = 50

EDITED = "edited"
RETITLED = "retitled"
RETITLED_AND_EDITED = "retitled and edited"
DELETED = "deleted"

# Characters XML 1.0 does not allow (§2.2 Char): stored text is whatever publishers served.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the feed: what happened to which article, when.

    ``version`` is the new version (the current one for a deletion);
    ``old_title`` is the previous version's title, None for a deletion.
    """

    kind: str
    url: str
    source: str
    title: str
    old_title: str | None
    version: int
    at: datetime


def change_kind(title_changed: bool, text_changed: bool) -> str:
    """The entry's kind for a new version: :data:`RETITLED`, :data:`EDITED` or both.

    A version that changes neither (cleaning corrected in place made it equal
    its predecessor) is counted an edit: it was one when it was stored.
    """
    if title_changed:
        return RETITLED_AND_EDITED if text_changed else RETITLED
    return EDITED


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (control characters, lone surrogates)."""
    return _NOT_XML.sub("", value)


def known_source(session: Session, name: str) -> bool:
    return session.execute(select(SourceRow.id).where(SourceRow.name == name)).first() is not None


def recent_changes(
    session: Session, source: str | None = None, limit: int = FEED_ENTRIES
) -> list[Change]:
    """The ``limit`` newest changes, newest first, of one source or all."""
    new, old = ArticleVersion, aliased(ArticleVersion)
    versions: Select[tuple[object, ...]] = (
        select(
            Article.url,
            SourceRow.name,
            new.title,
            old.title,
            new.text != old.text,
            new.version,
            new.fetched_at,
        )
        .join(Article, Article.id == new.article_id)
        .join(SourceRow, SourceRow.id == Article.source_id)
        .join(old, (old.article_id == new.article_id) & (old.version == new.version - 1))
        .order_by(new.fetched_at.desc(), new.id.desc())
        .limit(limit)
    )
    current = ArticleVersion
    deletions: Select[tuple[object, ...]] = (
        select(Article.url, SourceRow.name, current.title, current.version, Article.last_fetched)
        .join(SourceRow, SourceRow.id == Article.source_id)
        .join(
            current,
            (current.article_id == Article.id) & (current.version == Article.current_version),
        )
        .where(Article.status == GONE)
        .order_by(Article.last_fetched.desc(), Article.id.desc())
        .limit(limit)
    )
    if source is not None:
        versions = versions.where(SourceRow.name == source)
        deletions = deletions.where(SourceRow.name == source)
    changes = [
        Change(
            change_kind(title != old_title, bool(text_changed)), url, src, title, old_title, v, at
        )
        for url, src, title, old_title, text_changed, v, at in session.execute(versions)
    ]
    changes += [
        Change(DELETED, url, src, title, None, v, at)
        for url, src, title, v, at in session.execute(deletions)
    ]
    return sorted(changes, key=lambda c: c.at, reverse=True)[:limit]


def change_path(change: Change) -> str:
    """The page an entry links to: its diff (previous version to this one), or for a
    deletion the article page."""
    url = quote(change.url, safe="")
    if change.kind == DELETED:
        return f"article?url={url}"
    return f"diff?url={url}&from={change.version - 1}&to={change.version}"


def summary(change: Change) -> str:
    """One sentence saying what changed, for the entry's ``<summary>``."""
    if change.kind == DELETED:
        return f"Gone from {change.source} (404 or 410); its {change.version} versions are kept."
    said = f"Version {change.version - 1} → {change.version}."
    if change.kind == EDITED:
        return f"Text changed. {said}"
    retitled = f"Title was “{change.old_title}”."
    return (
        f"{retitled} Text changed too. {said}"
        if change.kind == RETITLED_AND_EDITED
        else f"{retitled} {said}"
    )


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A change as the Atom template writes it: text made XML-safe, links absolute."""

    change: Change
    title: str
    summary: str
    link: str  # the diff page, or the article page for a deletion
    id: str  # the link, with ``#deleted`` for a deletion (an article is deleted once)


def feed_entry(change: Change, base: str) -> FeedEntry:
    """``change`` as an entry of the feed served under ``base`` (the app's URL, ending ``/``)."""
    link = base + change_path(change)
    return FeedEntry(
        change=change,
        title=xml_text(change.title or change.url),
        summary=xml_text(summary(change)),
        link=link,
        id=link + ("#deleted" if change.kind == DELETED else ""),
    )
